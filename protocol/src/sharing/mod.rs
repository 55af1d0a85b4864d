//! TGK sharing: how the sensor splits the TGK into n shares for its third parties and how R
//! rebuilds it (distributed mode, paper §3.3; docs/distributed-mode.md, "Why not the paper's
//! Reed–Solomon" and "Grouping shares at R"). Pure functions: no wire,
//! no MIKEY crypto, randomness injected.
//!
//! Four schemes, chosen per session — there is deliberately no default:
//! * [`Scheme::PaperRs`], the paper's systematic Reed–Solomon split (an erasure code whose
//!   data shares are clear slices of the TGK, kept to demonstrate the flaw);
//! * [`Scheme::Shamir`], Shamir k-of-n over GF(2^8) (the recommended scheme);
//! * [`Scheme::Xor`], n-of-n XOR (the paper's resilience claim, without loss tolerance);
//! * [`Scheme::AontRs`], an all-or-nothing transform followed by Reed–Solomon.
//!
//! [`split`] and [`combine`] split and rebuild; [`recover_with_check`] is what R and the
//! intruder use: it tests each candidate TGK with the caller's key check (KCV) and, given spare
//! shares, searches for a consistent subset so one malicious TP cannot make R accept a wrong
//! TGK. [`exposure`] says what someone holding some shares knows about the TGK and what is left
//! to guess; [`determines`] is the one rule for "these shares determine the TGK".

mod aont;
mod exposure;
mod gf256;
mod recover;
mod rs;
pub mod shamir;
mod xor;

use core::fmt;
use core::str::FromStr;

use rand_core::CryptoRng;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::Error;

pub use aont::{CANARY as AONT_CANARY, OVERHEAD as AONT_OVERHEAD};
pub use exposure::{Exposure, Secrecy, determines, exposure, shares_needed};
pub use recover::{MAX_SUBSETS, Recovered, late_share_agrees, recover_with_check};

/// Longest secret the schemes accept (a TGK is 16 or 32 bytes; SECRET_LEN comes off the wire,
/// so it is bounded before anything is allocated).
pub const MAX_SECRET_LEN: usize = 4096;

/// How the TGK is shared among the third parties. No `Default`: the crate never chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// The paper's systematic Reed–Solomon split (GenExt SCHEME 3).
    PaperRs,
    /// Shamir k-of-n over GF(2^8) (GenExt SCHEME 1).
    Shamir,
    /// XOR n-of-n (GenExt SCHEME 2).
    Xor,
    /// AONT-RS, Resch–Plank (GenExt SCHEME 4).
    AontRs,
}

impl Scheme {
    /// Every scheme, in the order the UI lists them.
    pub const ALL: [Scheme; 4] = [Scheme::PaperRs, Scheme::Shamir, Scheme::Xor, Scheme::AontRs];

    /// Its value in the GenExt SCHEME field (docs/distributed-mode.md, "Share metadata").
    pub fn code(self) -> u8 {
        match self {
            Scheme::Shamir => 1,
            Scheme::Xor => 2,
            Scheme::PaperRs => 3,
            Scheme::AontRs => 4,
        }
    }

    /// The scheme a GenExt SCHEME value names.
    pub fn from_code(code: u8) -> Result<Self, Error> {
        match code {
            1 => Ok(Scheme::Shamir),
            2 => Ok(Scheme::Xor),
            3 => Ok(Scheme::PaperRs),
            4 => Ok(Scheme::AontRs),
            _ => Err(Error::UnknownScheme { code }),
        }
    }

    /// Its name on the command line: `rs`, `shamir`, `xor`, `aont-rs`.
    pub fn cli_name(self) -> &'static str {
        match self {
            Scheme::PaperRs => "rs",
            Scheme::Shamir => "shamir",
            Scheme::Xor => "xor",
            Scheme::AontRs => "aont-rs",
        }
    }

    /// The scheme a command-line name names.
    pub fn from_cli_name(name: &str) -> Result<Self, Error> {
        Scheme::ALL
            .into_iter()
            .find(|s| s.cli_name() == name)
            .ok_or_else(|| Error::UnknownSchemeName { name: name.to_string() })
    }

    /// Its name in words, for the UI.
    pub fn name(self) -> &'static str {
        match self {
            Scheme::PaperRs => "Reed–Solomon (paper)",
            Scheme::Shamir => "Shamir k-of-n",
            Scheme::Xor => "XOR n-of-n",
            Scheme::AontRs => "AONT-RS",
        }
    }

    /// One honest paragraph the UI shows next to the choice.
    pub fn description(self) -> &'static str {
        match self {
            Scheme::PaperRs => {
                "The paper's design (§3.3): the TGK is cut into k slices of ⌈L/k⌉ bytes \
                 (zero-padded) and a systematic Reed–Solomon erasure code adds n−k parity shares. \
                 Any k of the n shares rebuild the TGK — not all n, contrary to the paper's §4.1 \
                 claim that an attacker must corrupt every third party — and sometimes fewer: \
                 with k = 5 the fifth slice of a 16-byte TGK is all padding, so four shares are \
                 the whole TGK. It is an erasure code, not secret sharing: the first k shares are \
                 literal slices of the TGK (up to ⌈L/k⌉ bytes each), the others linear \
                 combinations, so every compromised third party shrinks the attacker's search — \
                 and the public key-check value lets it test the rest offline. Kept to show the \
                 flaw."
            }
            Scheme::Shamir => {
                "Shamir's (k, n) threshold scheme over GF(2^8): every TGK byte is the constant \
                 term of a fresh random polynomial of degree k−1 and share i is its value at x = i. \
                 Any k shares rebuild the TGK by Lagrange interpolation; k−1 or fewer reveal \
                 nothing at all about it (information-theoretic secrecy), and up to n−k shares may \
                 be lost. Each share is as long as the TGK. This is Reed–Solomon done right \
                 (McEliece–Sarwate 1981) and the recommended choice."
            }
            Scheme::Xor => {
                "XOR n-of-n: n−1 shares are random and the last one is the TGK XOR all of them. \
                 All n shares are needed and any n−1 reveal nothing (information-theoretic \
                 secrecy) — what the paper's resilience claim (§4.1) describes — but a single lost \
                 message makes the TGK unrecoverable: no loss tolerance. Each share is as long as \
                 the TGK; k is ignored."
            }
            Scheme::AontRs => {
                "AONT-RS (Resch and Plank, 2011): an all-or-nothing transform first hides the TGK \
                 — it is encrypted with AES-256-CTR under a fresh random key K together with a \
                 16-byte canary, and K XOR SHA-256(ciphertext) is appended — then the package is \
                 split with the paper's Reed–Solomon code. Any k shares rebuild the TGK and the \
                 canary catches wrong shares. Shares that do not make up the whole package reveal \
                 nothing to an attacker who cannot break AES or SHA-256 (computational, not \
                 information-theoretic, secrecy) — but the package is cut into k slices with \
                 padding, so fewer than k can make it whole (8 of n = 16, k = 9), and a few \
                 missing package bytes can be guessed offline. Shares are ⌈(L+48)/k⌉ bytes: for \
                 a 16-byte TGK, larger than Shamir's unless k ≥ 5."
            }
        }
    }

    /// Whether fewer than the threshold of shares reveal nothing about the TGK.
    pub fn is_secret_sharing(self) -> bool {
        !matches!(self, Scheme::PaperRs)
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Scheme {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        Scheme::from_cli_name(s)
    }
}

/// One share: its index (1..=n; the x-coordinate under Shamir, the shard number under RS) and
/// its bytes. Zeroized on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Share {
    /// 1..=n.
    pub index: u8,
    /// The share value (it travels as the TGK Key data inside the KEMAC).
    pub data: Vec<u8>,
}

impl fmt::Debug for Share {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Share {{ index: {}, {} bytes }}", self.index, self.data.len())
    }
}

impl PartialEq for Share {
    fn eq(&self, other: &Self) -> bool {
        self.index == other.index && bool::from(self.data.ct_eq(&other.data))
    }
}

impl Eq for Share {}

/// How many shares rebuild the TGK: n for XOR, k otherwise.
pub fn threshold(scheme: Scheme, n: u8, k: u8) -> u8 {
    match scheme {
        Scheme::Xor => n,
        Scheme::PaperRs | Scheme::Shamir | Scheme::AontRs => k,
    }
}

/// The length of every share of a `secret_len`-byte secret: ⌈L/k⌉ (paper RS), L (Shamir, XOR),
/// ⌈(L+48)/k⌉ (AONT-RS).
pub fn share_len(scheme: Scheme, k: u8, secret_len: usize) -> usize {
    match scheme {
        Scheme::PaperRs => rs::Codec::shard_len(k, secret_len),
        Scheme::Shamir | Scheme::Xor => secret_len,
        Scheme::AontRs => rs::Codec::shard_len(k, secret_len + aont::OVERHEAD),
    }
}

/// Checks 1 ≤ n ≤ 255, 1 ≤ k ≤ n (XOR too: k travels on the wire even though XOR ignores it)
/// and 1 ≤ secret_len ≤ [`MAX_SECRET_LEN`].
pub fn check_parameters(_scheme: Scheme, n: u8, k: u8, secret_len: usize) -> Result<(), Error> {
    if n == 0 {
        return Err(Error::ShareCountZero);
    }
    if k == 0 {
        return Err(Error::ThresholdZero);
    }
    if k > n {
        return Err(Error::ThresholdAboveShareCount { k, n });
    }
    if secret_len == 0 || secret_len > MAX_SECRET_LEN {
        return Err(Error::SecretLength { len: secret_len, max: MAX_SECRET_LEN });
    }
    Ok(())
}

/// Splits `secret` into n shares (indices 1..=n, in order) under `scheme`.
pub fn split<R: CryptoRng + ?Sized>(
    scheme: Scheme,
    secret: &[u8],
    n: u8,
    k: u8,
    rng: &mut R,
) -> Result<Vec<Share>, Error> {
    check_parameters(scheme, n, k, secret.len())?;
    match scheme {
        Scheme::PaperRs => rs::Codec::new(n, k)?.encode(secret),
        Scheme::Shamir => shamir::split(secret, n, k, rng),
        Scheme::Xor => Ok(xor::split(secret, n, rng)),
        Scheme::AontRs => rs::Codec::new(n, k)?.encode(&aont::package(secret, rng)),
    }
}

/// Checks the parameters and every share (index in 1..=n, no duplicate, right length) and
/// returns the shares sorted by index. Does not check the count.
fn validate(
    scheme: Scheme,
    shares: &[Share],
    n: u8,
    k: u8,
    secret_len: usize,
) -> Result<Vec<&Share>, Error> {
    check_parameters(scheme, n, k, secret_len)?;
    let expected = share_len(scheme, k, secret_len);
    let mut seen = [false; 256];
    for share in shares {
        if share.index == 0 || share.index > n {
            return Err(Error::ShareIndexOutOfRange { index: share.index, n });
        }
        if share.data.len() != expected {
            return Err(Error::ShareLengthMismatch {
                index: share.index,
                expected,
                found: share.data.len(),
            });
        }
        if let Some(slot) = seen.get_mut(usize::from(share.index)) {
            if *slot {
                return Err(Error::ShareIndexDuplicate { index: share.index });
            }
            *slot = true;
        }
    }
    let mut sorted: Vec<&Share> = shares.iter().collect();
    crate::util::sort_small_by_key(&mut sorted, |s| s.index);
    Ok(sorted)
}

fn insufficient(scheme: Scheme, have: usize, n: u8, k: u8) -> Error {
    Error::InsufficientShares { scheme: scheme.name(), have, need: threshold(scheme, n, k) }
}

/// The per-session machinery that rebuilds from a subset of shares that determines the secret.
pub(crate) enum Engine {
    PaperRs { codec: rs::Codec, generator: exposure::Generator },
    Shamir,
    Xor,
    AontRs { codec: rs::Codec, generator: exposure::Generator },
}

/// What rebuilding one subset gave.
pub(crate) enum Rebuilt {
    Secret(Zeroizing<Vec<u8>>),
    /// Reed–Solomon schemes: the zero padding came back non-zero (or, with fewer than k shares,
    /// the shares contradict each other), so a share is wrong.
    PaddingNotZero,
    /// AONT-RS only: the package's canary is wrong, so a share of the subset is wrong.
    CanaryMismatch,
}

impl Rebuilt {
    /// The error for a subset that did not give a usable secret.
    pub(crate) fn error(&self, used: Vec<u8>) -> Error {
        match self {
            Rebuilt::PaddingNotZero => Error::SharePaddingNotZero { used },
            Rebuilt::CanaryMismatch => Error::ShareAontCanaryMismatch { used },
            Rebuilt::Secret(_) => Error::ShareKeyCheckFailed { used },
        }
    }
}

fn undetermined() -> Error {
    Error::ShareErasureCode { detail: "these shares do not determine the secret".into() }
}

/// The `len` data bytes of an (n, k) Reed–Solomon split from a determining subset: through
/// the crate from k shares or more, by solving the linear system with fewer. `None`: the
/// shares contradict each other or the zero padding.
fn rs_data(
    codec: &rs::Codec,
    generator: &exposure::Generator,
    subset: &[&Share],
    len: usize,
) -> Result<Option<Zeroizing<Vec<u8>>>, Error> {
    if subset.len() >= usize::from(generator.k()) {
        codec.decode(subset, len)
    } else {
        exposure::solve(generator, len, subset)?.ok_or_else(undetermined)
    }
}

fn generator(n: u8, k: u8) -> Result<exposure::Generator, Error> {
    exposure::Generator::new(n, k)
        .ok_or_else(|| Error::ShareErasureCode { detail: "no generator matrix".into() })
}

impl Engine {
    pub(crate) fn new(scheme: Scheme, n: u8, k: u8) -> Result<Self, Error> {
        Ok(match scheme {
            Scheme::PaperRs => {
                Engine::PaperRs { codec: rs::Codec::new(n, k)?, generator: generator(n, k)? }
            }
            Scheme::Shamir => Engine::Shamir,
            Scheme::Xor => Engine::Xor,
            Scheme::AontRs => {
                Engine::AontRs { codec: rs::Codec::new(n, k)?, generator: generator(n, k)? }
            }
        })
    }

    /// The generator matrix of the Reed–Solomon schemes (read once per engine).
    pub(crate) fn generator(&self) -> Option<&exposure::Generator> {
        match self {
            Engine::PaperRs { generator, .. } | Engine::AontRs { generator, .. } => Some(generator),
            Engine::Shamir | Engine::Xor => None,
        }
    }

    /// The secret from validated shares that determine it (threshold-many under Shamir and
    /// XOR; see [`determines`] for the Reed–Solomon schemes).
    pub(crate) fn rebuild(&self, subset: &[&Share], len: usize) -> Result<Rebuilt, Error> {
        Ok(match self {
            Engine::PaperRs { codec, generator } => match rs_data(codec, generator, subset, len)? {
                Some(secret) => Rebuilt::Secret(secret),
                None => Rebuilt::PaddingNotZero,
            },
            Engine::Shamir => Rebuilt::Secret(shamir::interpolate_at(subset, 0, len)),
            Engine::Xor => Rebuilt::Secret(xor::combine(subset, len)),
            Engine::AontRs { codec, generator } => {
                let Some(package) = rs_data(codec, generator, subset, len + aont::OVERHEAD)? else {
                    return Ok(Rebuilt::PaddingNotZero);
                };
                match aont::unpackage(&package, len) {
                    Some(secret) => Rebuilt::Secret(secret),
                    None => Rebuilt::CanaryMismatch,
                }
            }
        })
    }

    /// The share values the determining `subset` implies at `indices` (to tell which other
    /// shares agree with a TGK that passed the key check). XOR has no spare shares.
    pub(crate) fn implied(
        &self,
        subset: &[&Share],
        indices: &[u8],
        len: usize,
    ) -> Result<Vec<Zeroizing<Vec<u8>>>, Error> {
        let pick = |all: Vec<Zeroizing<Vec<u8>>>| {
            indices
                .iter()
                .map(|&i| all.get(usize::from(i).wrapping_sub(1)).cloned().unwrap_or_default())
                .collect()
        };
        let codeword = |codec: &rs::Codec, generator: &exposure::Generator, data_len: usize| {
            let k = generator.k();
            if subset.len() >= usize::from(k) {
                return codec.codeword(subset, rs::Codec::shard_len(k, data_len));
            }
            let data = exposure::solve(generator, data_len, subset)?.ok_or_else(undetermined)?;
            let data = data.ok_or_else(undetermined)?;
            Ok(codec.encode(&data)?.into_iter().map(|s| Zeroizing::new(s.data.clone())).collect())
        };
        match self {
            Engine::PaperRs { codec, generator } => Ok(pick(codeword(codec, generator, len)?)),
            Engine::AontRs { codec, generator } => {
                Ok(pick(codeword(codec, generator, len + aont::OVERHEAD)?))
            }
            Engine::Shamir => Ok(indices
                .iter()
                .map(|&i| shamir::interpolate_at(subset, i, share_len(Scheme::Shamir, 1, len)))
                .collect()),
            Engine::Xor => Ok(indices.iter().map(|_| Zeroizing::new(Vec::new())).collect()),
        }
    }
}

/// Rebuilds the secret from the first threshold-many shares (by index). Checks parameters,
/// indices, duplicates and lengths; fewer shares than the threshold give
/// [`Error::InsufficientShares`]. It catches a wrong share only when it shows (non-zero RS
/// padding, AONT-RS canary): R uses [`recover_with_check`] instead.
pub fn combine(
    scheme: Scheme,
    shares: &[Share],
    n: u8,
    k: u8,
    secret_len: usize,
) -> Result<Zeroizing<Vec<u8>>, Error> {
    let sorted = validate(scheme, shares, n, k, secret_len)?;
    let t = usize::from(threshold(scheme, n, k));
    let subset = sorted.get(..t).ok_or_else(|| insufficient(scheme, shares.len(), n, k))?;
    match Engine::new(scheme, n, k)?.rebuild(subset, secret_len)? {
        Rebuilt::Secret(secret) => Ok(secret),
        other => Err(other.error(subset.iter().map(|s| s.index).collect())),
    }
}
