//! Robust recovery at R (docs/distributed-mode.md, "Key check value" and "Grouping
//! shares at R"): rebuild the TGK from threshold-sized
//! subsets of the received shares and accept only a TGK that passes the caller's key check
//! (the KCV). With spare shares a malicious TP's share is found and left out; without spares a
//! failed check is an error. A TGK that failed the check is never returned.

use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::{Engine, Rebuilt, Scheme, Share, insufficient, share_len, threshold, validate};
use crate::Error;

/// Most threshold-sized subsets tried before giving up (C(8,4) = 70 and C(13,6) = 1716 fit;
/// C(255,128) does not).
pub const MAX_SUBSETS: usize = 5000;

/// A TGK that passed the key check and how it was found.
#[derive(Debug)]
pub struct Recovered {
    /// The TGK.
    pub secret: Zeroizing<Vec<u8>>,
    /// Indices of the threshold-sized subset it was rebuilt from, ascending.
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
/// * fewer shares than the threshold → [`Error::InsufficientShares`];
/// * exactly the threshold and the check fails → [`Error::ShareKeyCheckFailed`] (or
///   [`Error::SharePaddingNotZero`] / [`Error::ShareAontCanaryMismatch`] when the
///   Reed–Solomon padding or the AONT-RS canary already shows a wrong share);
/// * more → threshold-sized subsets in lexicographic order of indices until one passes, at most
///   [`MAX_SUBSETS`]; none → [`Error::NoConsistentShareSubset`] (saying whether the cap
///   stopped the search). The shares outside the winning subset are sorted into `confirmed`
///   and `rejected` by comparing them with the shares the winning subset implies.
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
    let t = usize::from(threshold(scheme, n, k));
    let m = sorted.len();
    if m < t {
        return Err(insufficient(scheme, m, n, k));
    }
    let engine = Engine::new(scheme, n, k)?;
    // Positions (into `sorted`) of the current subset: 0, 1, …, t−1 first.
    let mut pick: Vec<usize> = (0..t).collect();
    let mut tried = 0usize;
    loop {
        if tried == MAX_SUBSETS {
            return Err(Error::NoConsistentShareSubset {
                have: m,
                need: t as u8,
                tried,
                cap_reached: true,
            });
        }
        tried += 1;
        let subset: Vec<&Share> = pick.iter().filter_map(|&p| sorted.get(p).copied()).collect();
        let used: Vec<u8> = subset.iter().map(|s| s.index).collect();
        let candidate = match engine.rebuild(&subset, len)? {
            Rebuilt::Secret(secret) if check(&secret) => Some(secret),
            failed if m == t => return Err(failed.error(used)),
            _ => None,
        };
        if let Some(secret) = candidate {
            let others: Vec<&Share> =
                sorted.iter().copied().filter(|s| !used.contains(&s.index)).collect();
            let indices: Vec<u8> = others.iter().map(|s| s.index).collect();
            let implied = engine.implied(&subset, &indices, share_len(scheme, k, len))?;
            let (mut confirmed, mut rejected) = (Vec::new(), Vec::new());
            for (share, expected) in others.iter().zip(implied.iter()) {
                if bool::from(share.data.ct_eq(expected.as_slice())) {
                    confirmed.push(share.index);
                } else {
                    rejected.push(share.index);
                }
            }
            return Ok(Recovered { secret, used, confirmed, rejected, subsets_tried: tried });
        }
        if !next_subset(&mut pick, m) {
            return Err(Error::NoConsistentShareSubset {
                have: m,
                need: t as u8,
                tried,
                cap_reached: false,
            });
        }
    }
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
