//! The one rule for "these shares determine the TGK", used by R (it rebuilds as soon as its
//! shares determine the TGK), by the intruder (it holds the TGK as soon as its shares
//! determine it) and by the verdict — and what the shares leave to guess
//! (docs/distributed-mode.md, "Why not the paper's Reed–Solomon").
//!
//! * Shamir and XOR: nothing below the threshold (information-theoretic), everything at it.
//! * The paper's RS: exact linear information. The code works column by column: byte j of
//!   every shard depends only on byte j of the k data shards. In column j the unknowns are
//!   the data bytes that are real TGK bytes (padding is a known zero and carries no
//!   information); each held share is one linear equation over GF(2^8) in those unknowns. The
//!   holder therefore knows `8 · rank` bits of that column, and knows a TGK byte in clear
//!   exactly when the reduced row-echelon form of its equations has a row with that single
//!   unknown. The TGK is determined when every column has full rank — which can take fewer
//!   than k shares: with k = 5 and a 16-byte TGK the fifth data shard is all padding, so four
//!   data shards are the whole TGK (the smallest such count is ⌈L / ⌈L/k⌉⌉).
//! * AONT-RS: the same rank, over the package (TGK ‖ canary encrypted, and the masked key,
//!   L + 48 bytes). A package that is not whole tells nothing about the TGK to an attacker
//!   who cannot break AES-256 or SHA-256 (computational secrecy); a whole package is the TGK.
//!   Eight systematic shards of AONT-RS with n = 16, k = 9 are the whole 64-byte package.
//!
//! The generator matrix is read from the codec itself (by encoding unit vectors), so the
//! count describes the very code the shares are made with.
//!
//! **Guessing.** The key-check value travels in clear (and R_I's MAC and the SRTP traffic
//! are checks of the same kind), so whoever holds some shares can test TGK candidates offline.
//! [`Exposure::guess_bits`] is what is left to guess: 8L − exposed bits under the paper's RS;
//! the missing package bits under AONT-RS (a guessed package is checked by its canary), at
//! most 8L; 8L below the threshold under Shamir and XOR (the shares say nothing, but the KCV is
//! still an oracle over the 2^(8L) TGKs); 0 once the shares determine the TGK.

use zeroize::Zeroizing;

use super::gf256::rsf;
use super::{Scheme, Share, aont, check_parameters, rs, threshold};
use crate::Error;

/// Why the bits that are not exposed are safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secrecy {
    /// Shamir, XOR: below the threshold the shares are independent of the TGK.
    InformationTheoretic,
    /// AONT-RS: below a whole package, safe as long as AES-256 and SHA-256 are.
    Computational,
    /// The paper's RS: no secrecy, the exposed bits are counted exactly.
    None,
}

/// What the holder of some shares knows about an L-byte TGK.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exposure {
    /// Bits of the TGK determined by the shares held (0..=8L).
    pub bits: usize,
    /// 8L.
    pub total_bits: usize,
    /// TGK byte positions (0-based) known in clear, ascending.
    pub bytes_in_clear: Vec<usize>,
    /// Whether the shares held determine the whole TGK (the holder can rebuild it).
    pub rebuilt: bool,
    /// TGK bits still to guess offline, each guess checked against the public key-check value
    /// (0 once `rebuilt`; see the module docs).
    pub guess_bits: usize,
    /// What protects the rest.
    pub secrecy: Secrecy,
}

/// The exposure of an L-byte TGK split with `scheme`, (n, k), to someone who holds the shares
/// with indices `known`. Indices outside 1..=n are not shares and duplicates count once; for
/// parameters that [`super::split`] rejects no share can exist, so nothing is exposed.
pub fn exposure(scheme: Scheme, n: u8, k: u8, secret_len: usize, known: &[u8]) -> Exposure {
    exposure_with(scheme, n, k, secret_len, known, None)
}

/// [`exposure`] with the generator matrix already read (for callers that ask many times).
pub(crate) fn exposure_with(
    scheme: Scheme,
    n: u8,
    k: u8,
    secret_len: usize,
    known: &[u8],
    generator: Option<&Generator>,
) -> Exposure {
    let total_bits = 8 * secret_len;
    let secrecy = match scheme {
        Scheme::Shamir | Scheme::Xor => Secrecy::InformationTheoretic,
        Scheme::AontRs => Secrecy::Computational,
        Scheme::PaperRs => Secrecy::None,
    };
    let held: Vec<u8> = (1..=n).filter(|i| known.contains(i)).collect();
    let nothing = Exposure {
        bits: 0,
        total_bits,
        bytes_in_clear: Vec::new(),
        rebuilt: false,
        guess_bits: total_bits,
        secrecy,
    };
    if check_parameters(scheme, n, k, secret_len).is_err() {
        return nothing;
    }
    let everything = Exposure {
        bits: total_bits,
        total_bits,
        bytes_in_clear: (0..secret_len).collect(),
        rebuilt: true,
        guess_bits: 0,
        secrecy,
    };
    if held.len() >= usize::from(threshold(scheme, n, k)) {
        return everything;
    }
    match scheme {
        Scheme::Shamir | Scheme::Xor => nothing,
        Scheme::PaperRs => match linear(n, k, secret_len, &held, generator) {
            Some(l) => Exposure {
                bits: l.bits,
                total_bits,
                rebuilt: l.bits == total_bits,
                guess_bits: total_bits - l.bits,
                bytes_in_clear: l.bytes_in_clear,
                secrecy,
            },
            None => nothing,
        },
        Scheme::AontRs => match linear(n, k, secret_len + aont::OVERHEAD, &held, generator) {
            Some(l) if l.bits == 8 * (secret_len + aont::OVERHEAD) => everything,
            Some(l) => {
                let missing = 8 * (secret_len + aont::OVERHEAD) - l.bits;
                Exposure { guess_bits: missing.min(total_bits), ..nothing }
            }
            None => nothing,
        },
    }
}

/// Whether the shares with indices `known` determine the TGK ([`Exposure::rebuilt`]).
pub fn determines(scheme: Scheme, n: u8, k: u8, secret_len: usize, known: &[u8]) -> bool {
    exposure(scheme, n, k, secret_len, known).rebuilt
}

/// The fewest shares that can determine an L-byte TGK: n under XOR, k under Shamir, and under
/// the Reed–Solomon schemes ⌈D / ⌈D/k⌉⌉ for D bytes of data (the TGK, or the AONT package) —
/// the number of real data bytes in the first column (which shares those are still matters).
pub fn shares_needed(scheme: Scheme, n: u8, k: u8, secret_len: usize) -> u8 {
    let data = match scheme {
        Scheme::Xor | Scheme::Shamir => return threshold(scheme, n, k),
        Scheme::PaperRs => secret_len,
        Scheme::AontRs => secret_len + aont::OVERHEAD,
    };
    let s = data.div_ceil(usize::from(k.max(1)));
    u8::try_from(data.div_ceil(s.max(1))).unwrap_or(k).min(k)
}

/// What the held rows of the generator tell about D bytes of data.
struct Linear {
    bits: usize,
    bytes_in_clear: Vec<usize>,
}

/// The systematic generator matrix of an (n, k) code (row i: shard i+1 as a combination of
/// the k data shards), read once from the codec.
pub(crate) struct Generator {
    n: u8,
    k: u8,
    rows: Vec<Vec<u8>>,
}

impl Generator {
    pub(crate) fn new(n: u8, k: u8) -> Option<Generator> {
        Some(Generator { n, k, rows: rs::Codec::new(n, k).ok()?.generator_rows().ok()? })
    }

    /// k.
    pub(crate) fn k(&self) -> u8 {
        self.k
    }

    /// The rows of the held share indices.
    fn rows(&self, held: &[u8]) -> Option<Vec<Vec<u8>>> {
        held.iter().map(|&i| self.rows.get(usize::from(i).checked_sub(1)?).cloned()).collect()
    }
}

/// Rows of the generator matrix for the held share indices, from `generator` when it is the
/// (n, k) one, else read from the codec.
fn generator_rows(
    n: u8,
    k: u8,
    held: &[u8],
    generator: Option<&Generator>,
) -> Option<Vec<Vec<u8>>> {
    match generator {
        Some(g) if g.n == n && g.k == k => g.rows(held),
        _ => Generator::new(n, k)?.rows(held),
    }
}

/// Data shards whose byte j is a real data byte (position i·s + j < len).
fn unknowns(k: usize, s: usize, len: usize, j: usize) -> Vec<usize> {
    (0..k).filter(|&i| i * s + j < len).collect()
}

/// The coefficients of column j's unknown data bytes in each held share's generator row.
fn column(rows: &[Vec<u8>], unknowns: &[usize]) -> Vec<Vec<u8>> {
    rows.iter()
        .map(|row| unknowns.iter().map(|&i| row.get(i).copied().unwrap_or(0)).collect())
        .collect()
}

fn linear(n: u8, k: u8, len: usize, held: &[u8], generator: Option<&Generator>) -> Option<Linear> {
    let kk = usize::from(k);
    let s = len.div_ceil(kk);
    let rows = generator_rows(n, k, held, generator)?;
    let mut bits = 0usize;
    let mut bytes_in_clear = Vec::new();
    for j in 0..s {
        let unknowns = unknowns(kk, s, len, j);
        let mut m = column(&rows, &unknowns);
        let pivots = reduce(&mut m, unknowns.len(), &mut []);
        bits += 8 * pivots.len();
        for (r, &col) in pivots.iter().enumerate() {
            let single = m
                .get(r)
                .is_some_and(|row| row.iter().enumerate().all(|(c, &v)| c == col || v == 0));
            if let (true, Some(&i)) = (single, unknowns.get(col)) {
                bytes_in_clear.push(i * s + j);
            }
        }
    }
    crate::util::sort_small_by_key(&mut bytes_in_clear, |i| *i);
    Some(Linear { bits, bytes_in_clear })
}

/// Solves for `len` bytes of data split with `generator`'s code from `subset` (validated shares
/// of ⌈len/k⌉ bytes), column by column, taking the padding as known zeros. `Ok(None)` when
/// the shares do not determine the data, `Ok(Some(None))` when they contradict each other (or
/// the zero padding), `Ok(Some(Some(data)))` otherwise — used by R and the intruder when fewer
/// than k shares already determine the data. Pivots depend only on the public matrix; the
/// share bytes are combined with the constant-time multiplication.
pub(crate) fn solve(
    generator: &Generator,
    len: usize,
    subset: &[&Share],
) -> Result<Option<Option<Zeroizing<Vec<u8>>>>, Error> {
    let kk = usize::from(generator.k);
    let s = len.div_ceil(kk);
    let indices: Vec<u8> = subset.iter().map(|sh| sh.index).collect();
    let rows = generator
        .rows(&indices)
        .ok_or(Error::ShareErasureCode { detail: "a share index outside the code".into() })?;
    let mut data = Zeroizing::new(vec![0u8; len]);
    let mut contradiction = 0u8;
    for j in 0..s {
        let unknowns = unknowns(kk, s, len, j);
        let mut m = column(&rows, &unknowns);
        let mut rhs: Zeroizing<Vec<u8>> =
            Zeroizing::new(subset.iter().map(|sh| sh.data.get(j).copied().unwrap_or(0)).collect());
        let pivots = reduce(&mut m, unknowns.len(), &mut rhs);
        if pivots.len() < unknowns.len() {
            return Ok(None);
        }
        // Full rank: row r of the reduced matrix is the unit vector of pivot r.
        for (r, &col) in pivots.iter().enumerate() {
            if let (Some(&i), Some(&v)) = (unknowns.get(col), rhs.get(r))
                && let Some(slot) = data.get_mut(i * s + j)
            {
                *slot = v;
            }
        }
        // Equations beyond the rank must read 0 = 0.
        for v in rhs.iter().skip(pivots.len()) {
            contradiction |= *v;
        }
    }
    Ok(Some((contradiction == 0).then_some(data)))
}

/// Reduced row-echelon form over the Reed–Solomon GF(2^8), applying the same row operations
/// to `rhs` (empty, or one secret byte per row); returns the pivot column of each of the first
/// rows. The matrix is public (table-based arithmetic); `rhs` is combined in constant time.
fn reduce(m: &mut [Vec<u8>], cols: usize, rhs: &mut [u8]) -> Vec<usize> {
    let mut pivots = Vec::new();
    let mut r = 0;
    for c in 0..cols {
        let Some(p) =
            (r..m.len()).find(|&i| m.get(i).and_then(|row| row.get(c)).is_some_and(|&v| v != 0))
        else {
            continue;
        };
        m.swap(r, p);
        if !rhs.is_empty() {
            rhs.swap(r, p);
        }
        let inv = m.get(r).map_or(1, |row| rsf::div(1, row.get(c).copied().unwrap_or(1)));
        let pivot_row = match m.get(r) {
            Some(row) => row.iter().map(|&v| rsf::mul(v, inv)).collect::<Vec<u8>>(),
            None => continue,
        };
        let pivot_rhs = rhs.get(r).map(|&b| rsf::mul_ct(inv, b));
        for (i, row) in m.iter_mut().enumerate() {
            if i == r {
                row.clone_from(&pivot_row);
                if let (Some(slot), Some(b)) = (rhs.get_mut(i), pivot_rhs) {
                    *slot = b;
                }
                continue;
            }
            let f = row.get(c).copied().unwrap_or(0);
            if f != 0 {
                for (v, &p) in row.iter_mut().zip(&pivot_row) {
                    *v ^= rsf::mul(f, p);
                }
                if let (Some(slot), Some(b)) = (rhs.get_mut(i), pivot_rhs) {
                    *slot ^= rsf::mul_ct(f, b);
                }
            }
        }
        pivots.push(c);
        r += 1;
    }
    pivots
}
