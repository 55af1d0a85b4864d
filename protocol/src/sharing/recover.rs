//! Robust recovery at R (docs/distributed-mode.md, "Key check value" and "Grouping
//! shares at R"): rebuild the TGK from subsets of the
//! received shares that determine it (the rule of [`super::determines`]: threshold-many
//! shares, or fewer under the Reed–Solomon schemes when those already fix every byte) and
//! accept only a TGK that passes the caller's key check (the KCV). With spare shares a
//! malicious TP's share is found and left out; with a single determining subset a failed
//! check is an error. A TGK that failed the check is never returned.

use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::exposure::exposure_with;
use super::{Engine, Rebuilt, Scheme, Share, insufficient, shares_needed, threshold, validate};
use crate::Error;

/// Most subsets rebuilt before giving up (C(8,4) = 70 and C(13,6) = 1716 fit; C(255,128)
/// does not). Subsets that do not determine the TGK are skipped and not counted.
pub const MAX_SUBSETS: usize = 5000;

/// Most subsets looked at (determining or not) before giving up.
const MAX_LOOKED_AT: usize = 4 * MAX_SUBSETS;

/// A TGK that passed the key check and how it was found.
#[derive(Debug)]
pub struct Recovered {
    /// The TGK.
    pub secret: Zeroizing<Vec<u8>>,
    /// Indices of the subset it was rebuilt from, ascending.
    pub used: Vec<u8>,
    /// Indices of the other shares that agree with it, ascending.
    pub confirmed: Vec<u8>,
    /// Indices of the shares that disagree with it (a malicious or broken TP), ascending.
    pub rejected: Vec<u8>,
    /// How many subsets were rebuilt before this one was found (1 = the first).
    pub subsets_tried: usize,
}

/// Rebuilds the secret from `shares` and accepts it only if `check(candidate)` is true.
///
/// * the shares do not determine the secret → [`Error::InsufficientShares`];
/// * a single subset determines it and the check fails → [`Error::ShareKeyCheckFailed`] (or
///   [`Error::SharePaddingNotZero`] / [`Error::ShareAontCanaryMismatch`] when the
///   Reed–Solomon padding or the AONT-RS canary already shows a wrong share);
/// * otherwise the determining subsets, smallest first and in lexicographic order of indices,
///   until one passes, at most [`MAX_SUBSETS`]; none → [`Error::NoConsistentShareSubset`]
///   (saying whether the cap stopped the search). The shares outside the winning subset are
///   sorted into `confirmed` and `rejected` by comparing them with the shares the winning
///   subset implies.
///
/// Bad indices, duplicates and wrong lengths are rejected first, with their own errors.
pub fn recover_with_check(
    scheme: Scheme,
    shares: &[Share],
    n: u8,
    k: u8,
    len: usize,
    check: impl Fn(&[u8]) -> bool,
) -> Result<Recovered, Error> {
    let sorted = validate(scheme, shares, n, k, len)?;
    let m = sorted.len();
    let all: Vec<u8> = sorted.iter().map(|s| s.index).collect();
    let engine = Engine::new(scheme, n, k)?;
    // The engine reads the code's generator once: the search asks "does this subset determine
    // the TGK?" often.
    let determines =
        |held: &[u8]| exposure_with(scheme, n, k, len, held, engine.generator()).rebuilt;
    if !determines(&all) {
        return Err(insufficient(scheme, m, n, k));
    }
    let t = usize::from(threshold(scheme, n, k));
    let lo = usize::from(shares_needed(scheme, n, k, len)).clamp(1, t);
    let (mut tried, mut looked_at) = (0usize, 0usize);
    let mut only_failure: Option<Error> = None;
    for size in lo..=t.min(m) {
        // Positions (into `sorted`) of the current subset: 0, 1, …, size−1 first.
        let mut pick: Vec<usize> = (0..size).collect();
        loop {
            if tried == MAX_SUBSETS || looked_at == MAX_LOOKED_AT {
                return Err(Error::NoConsistentShareSubset {
                    have: m,
                    need: shares_needed(scheme, n, k, len),
                    tried,
                    cap_reached: true,
                });
            }
            looked_at += 1;
            let subset: Vec<&Share> = pick.iter().filter_map(|&p| sorted.get(p).copied()).collect();
            let used: Vec<u8> = subset.iter().map(|s| s.index).collect();
            if size == t || determines(&used) {
                tried += 1;
                match engine.rebuild(&subset, len)? {
                    Rebuilt::Secret(secret) if check(&secret) => {
                        return accept(&engine, &sorted, &subset, used, secret, len, tried);
                    }
                    failed => only_failure = Some(failed.error(used)),
                }
            }
            if !next_subset(&mut pick, m) {
                break;
            }
        }
    }
    match only_failure {
        Some(error) if tried == 1 => Err(error),
        _ => Err(Error::NoConsistentShareSubset {
            have: m,
            need: shares_needed(scheme, n, k, len),
            tried,
            cap_reached: false,
        }),
    }
}

/// The winning subset's secret, with the other shares sorted into agreeing and disagreeing.
fn accept(
    engine: &Engine,
    sorted: &[&Share],
    subset: &[&Share],
    used: Vec<u8>,
    secret: Zeroizing<Vec<u8>>,
    len: usize,
    tried: usize,
) -> Result<Recovered, Error> {
    let others: Vec<&Share> = sorted.iter().copied().filter(|s| !used.contains(&s.index)).collect();
    let indices: Vec<u8> = others.iter().map(|s| s.index).collect();
    let implied = engine.implied(subset, &indices, len)?;
    let (mut confirmed, mut rejected) = (Vec::new(), Vec::new());
    for (share, expected) in others.iter().zip(implied.iter()) {
        if bool::from(share.data.ct_eq(expected.as_slice())) {
            confirmed.push(share.index);
        } else {
            rejected.push(share.index);
        }
    }
    Ok(Recovered { secret, used, confirmed, rejected, subsets_tried: tried })
}

/// Whether `late` — a share that arrived after the TGK was rebuilt from `used` — is the share
/// that TGK implies at its index (a TP whose late share disagrees lied, or relayed a forgery).
/// The late share is validated like any other (index in 1..=n, length); an index already in
/// `used` is compared with that share.
pub fn late_share_agrees(
    scheme: Scheme,
    n: u8,
    k: u8,
    len: usize,
    used: &[Share],
    late: &Share,
) -> Result<bool, Error> {
    validate(scheme, core::slice::from_ref(late), n, k, len)?;
    if let Some(same) = used.iter().find(|s| s.index == late.index) {
        return Ok(bool::from(same.data.ct_eq(&late.data)));
    }
    let sorted = validate(scheme, used, n, k, len)?;
    let engine = Engine::new(scheme, n, k)?;
    let implied = engine.implied(&sorted, &[late.index], len)?;
    Ok(implied.first().is_some_and(|want| bool::from(late.data.ct_eq(want.as_slice()))))
}

/// Advances `pick` (ascending positions in 0..m) to the next subset in lexicographic order;
/// false after the last one.
fn next_subset(pick: &mut [usize], m: usize) -> bool {
    let t = pick.len();
    // The rightmost position that can still move right.
    let Some(i) = (0..t).rev().find(|&i| pick.get(i).is_some_and(|&p| p < m - t + i)) else {
        return false;
    };
    let base = pick.get(i).copied().unwrap_or(0);
    for (offset, slot) in pick.iter_mut().skip(i).enumerate() {
        *slot = base + 1 + offset;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::next_subset;

    #[test]
    fn subsets_are_enumerated_once_each() {
        for m in 1..=7usize {
            for t in 1..=m {
                let mut pick: Vec<usize> = (0..t).collect();
                let mut seen = vec![pick.clone()];
                while next_subset(&mut pick, m) {
                    assert!(pick.windows(2).all(|w| w[0] < w[1]) && pick[t - 1] < m);
                    seen.push(pick.clone());
                }
                let binom = (0..t).fold(1usize, |acc, i| acc * (m - i) / (i + 1));
                assert_eq!(seen.len(), binom, "C({m},{t})");
                seen.sort();
                seen.dedup();
                assert_eq!(seen.len(), binom);
            }
        }
    }
}
