//! What someone who holds some of the shares knows about the TGK — the intruder's view, and the
//! number the UI puts next to each scheme (docs/distributed-mode.md, "Why not the paper's
//! Reed–Solomon").
//!
//! * Shamir and XOR: nothing below the threshold (information-theoretic), everything at it.
//! * AONT-RS: nothing below the threshold *for an attacker who cannot break AES-256 or
//!   SHA-256* (computational), everything at it.
//! * The paper's RS: exact linear information. The code works column by column: byte j of
//!   every shard depends only on byte j of the k data shards. In column j the unknowns are
//!   the data bytes that are real TGK bytes (padding is a known zero and carries no
//!   information); each held share is one linear equation over GF(2^8) in those unknowns. The
//!   holder therefore knows `8 · rank` bits of that column, and knows a TGK byte in clear
//!   exactly when the reduced row-echelon form of its equations has a row with that single
//!   unknown. Summed over the columns this gives `min(t, k) · ⌈L/k⌉ · 8` bits in the usual
//!   case, less when held rows only touch padding, and parity shares can reveal bytes in
//!   clear when the other unknowns of their column are padding. The generator matrix is read
//!   from the codec itself (by encoding unit vectors), so the count
//!   describes the very code the shares are made with.

use super::gf256::rsf;

use super::{Scheme, check_parameters, rs, threshold};

/// Why the bits that are not exposed are safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secrecy {
    /// Shamir, XOR: below the threshold the shares are independent of the TGK.
    InformationTheoretic,
    /// AONT-RS: below the threshold, safe as long as AES-256 and SHA-256 are.
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
    /// Whether the holder knows the whole TGK.
    pub rebuilt: bool,
    /// What protects the rest.
    pub secrecy: Secrecy,
}

/// The exposure of an L-byte TGK split with `scheme`, (n, k), to someone who holds the shares
/// with indices `known`. Indices outside 1..=n are not shares and duplicates count once; for
/// parameters that [`super::split`] rejects no share can exist, so nothing is exposed.
pub fn exposure(scheme: Scheme, n: u8, k: u8, secret_len: usize, known: &[u8]) -> Exposure {
    let total_bits = 8 * secret_len;
    let secrecy = match scheme {
        Scheme::Shamir | Scheme::Xor => Secrecy::InformationTheoretic,
        Scheme::AontRs => Secrecy::Computational,
        Scheme::PaperRs => Secrecy::None,
    };
    let held: Vec<u8> = (1..=n).filter(|i| known.contains(i)).collect();
    let nothing =
        Exposure { bits: 0, total_bits, bytes_in_clear: Vec::new(), rebuilt: false, secrecy };
    if check_parameters(scheme, n, k, secret_len).is_err() {
        return nothing;
    }
    let everything = Exposure {
        bits: total_bits,
        total_bits,
        bytes_in_clear: (0..secret_len).collect(),
        rebuilt: true,
        secrecy,
    };
    if held.len() >= usize::from(threshold(scheme, n, k)) {
        return everything;
    }
    match scheme {
        Scheme::Shamir | Scheme::Xor | Scheme::AontRs => nothing,
        Scheme::PaperRs => paper_rs(n, k, secret_len, &held).unwrap_or(nothing),
    }
}

/// Rows of the systematic generator matrix for the held share indices (row i: shard i+1 as a
/// combination of the k data shards), read from the codec.
fn generator_rows(n: u8, k: u8, held: &[u8]) -> Option<Vec<Vec<u8>>> {
    let kk = usize::from(k);
    // k data shards of k bytes each: shard i is the unit vector e_i, so byte c of parity shard
    // p is the matrix entry G[p][c].
    let unit: Vec<u8> = (0..kk).flat_map(|i| (0..kk).map(move |c| u8::from(i == c))).collect();
    let shards = rs::Codec::new(n, k).ok()?.encode(&unit).ok()?;
    held.iter()
        .map(|&i| shards.get(usize::from(i).checked_sub(1)?).map(|s| s.data.clone()))
        .collect()
}

fn paper_rs(n: u8, k: u8, len: usize, held: &[u8]) -> Option<Exposure> {
    let kk = usize::from(k);
    let s = len.div_ceil(kk);
    let rows = generator_rows(n, k, held)?;
    let mut bits = 0usize;
    let mut bytes_in_clear = Vec::new();
    for j in 0..s {
        // Data shards whose byte j is a real TGK byte (position i·s + j < L).
        let unknowns: Vec<usize> = (0..kk).filter(|&i| i * s + j < len).collect();
        let mut m: Vec<Vec<u8>> = rows
            .iter()
            .map(|row| unknowns.iter().map(|&i| row.get(i).copied().unwrap_or(0)).collect())
            .collect();
        let pivots = reduce(&mut m, unknowns.len());
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
    let total_bits = 8 * len;
    Some(Exposure {
        bits,
        total_bits,
        bytes_in_clear,
        rebuilt: bits == total_bits,
        secrecy: Secrecy::None,
    })
}

/// Reduced row-echelon form over the Reed–Solomon GF(2^8); returns the pivot column of each of
/// the first rows (public data only: table-based arithmetic is fine here).
fn reduce(m: &mut [Vec<u8>], cols: usize) -> Vec<usize> {
    let mut pivots = Vec::new();
    let mut r = 0;
    for c in 0..cols {
        let Some(p) =
            (r..m.len()).find(|&i| m.get(i).and_then(|row| row.get(c)).is_some_and(|&v| v != 0))
        else {
            continue;
        };
        m.swap(r, p);
        let pivot_row = match m.get(r) {
            Some(row) => {
                let inv = rsf::div(1, row.get(c).copied().unwrap_or(1));
                row.iter().map(|&v| rsf::mul(v, inv)).collect::<Vec<u8>>()
            }
            None => continue,
        };
        for (i, row) in m.iter_mut().enumerate() {
            if i == r {
                row.clone_from(&pivot_row);
                continue;
            }
            let f = row.get(c).copied().unwrap_or(0);
            if f != 0 {
                for (v, &p) in row.iter_mut().zip(&pivot_row) {
                    *v ^= rsf::mul(f, p);
                }
            }
        }
        pivots.push(c);
        r += 1;
    }
    pivots
}
