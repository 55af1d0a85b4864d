//! `sharing::exposure` — the one rule for "these shares determine the TGK" — against an oracle
//! written here from scratch: the generator matrix of the code is read from the
//! `reed-solomon-erasure` crate itself (by encoding unit vectors), and the rank of the held
//! rows is computed by our own Gaussian elimination over GF(2^8) (0x11D, bitwise
//! multiplication), column by column over the bytes that are real data (padding is a known
//! zero). For every scheme, n ≤ 16, every k and random subsets of held shares: the exposed
//! bits, the bytes in clear, the bits left to guess and "determined" equal the oracle's, and
//! "determined" holds exactly when the TGK can actually be recovered from those shares.

use dmikey::sharing::{Scheme, exposure, recover_with_check, split};
use proptest::prelude::*;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;
use reed_solomon_erasure::galois_8::ReedSolomon;

const TGK_LEN: usize = 16;
/// The AONT package: TGK ‖ 16-byte canary encrypted, then the 32-byte masked key.
const PACKAGE_LEN: usize = TGK_LEN + 48;

fn mul(mut a: u8, mut b: u8) -> u8 {
    let mut p = 0u8;
    while b != 0 {
        if b & 1 != 0 {
            p ^= a;
        }
        let carry = a & 0x80 != 0;
        a <<= 1;
        if carry {
            a ^= 0x1d;
        }
        b >>= 1;
    }
    p
}

fn inverse(a: u8) -> u8 {
    (1..=255u8).find(|&x| mul(a, x) == 1).unwrap_or(0)
}

/// Rank of `rows` (each `cols` wide) over GF(2^8).
fn rank(mut rows: Vec<Vec<u8>>, cols: usize) -> usize {
    let mut r = 0;
    for c in 0..cols {
        let Some(p) = (r..rows.len()).find(|&i| rows[i][c] != 0) else { continue };
        rows.swap(r, p);
        let inv = inverse(rows[r][c]);
        let pivot: Vec<u8> = rows[r].iter().map(|&v| mul(v, inv)).collect();
        for (i, row) in rows.iter_mut().enumerate() {
            if i != r && row[c] != 0 {
                let f = row[c];
                for (v, &pv) in row.iter_mut().zip(&pivot) {
                    *v ^= mul(f, pv);
                }
            }
        }
        r += 1;
    }
    r
}

/// The n × k generator matrix, read from the crate: row i is shard i for the unit vectors.
fn generator(n: usize, k: usize) -> Vec<Vec<u8>> {
    if n == k {
        return (0..k).map(|i| (0..k).map(|c| u8::from(i == c)).collect()).collect();
    }
    let mut shards: Vec<Vec<u8>> =
        (0..n).map(|i| (0..k).map(|c| u8::from(i < k && i == c)).collect()).collect();
    ReedSolomon::new(k, n - k).unwrap().encode(&mut shards).unwrap();
    shards
}

/// (known bits, byte positions in clear) of `len` data bytes split (n, k), holding `held`.
fn oracle_linear(n: u8, k: u8, len: usize, held: &[u8]) -> (usize, Vec<usize>) {
    let (n, k) = (usize::from(n), usize::from(k));
    let g = generator(n, k);
    let s = len.div_ceil(k);
    let (mut bits, mut clear) = (0, Vec::new());
    for j in 0..s {
        let real: Vec<usize> = (0..k).filter(|&i| i * s + j < len).collect();
        let rows: Vec<Vec<u8>> = held
            .iter()
            .map(|&h| real.iter().map(|&i| g[usize::from(h) - 1][i]).collect())
            .collect();
        let r = rank(rows.clone(), real.len());
        bits += 8 * r;
        // Byte (i, j) is known in clear iff the unit vector e_i lies in the row space.
        for (c, &i) in real.iter().enumerate() {
            let mut with = rows.clone();
            with.push((0..real.len()).map(|x| u8::from(x == c)).collect());
            if rank(with, real.len()) == r {
                clear.push(i * s + j);
            }
        }
    }
    clear.sort_unstable();
    (bits, clear)
}

/// (bits exposed, bytes in clear, determined, bits left to guess) by the oracle.
fn oracle(scheme: Scheme, n: u8, k: u8, held: &[u8]) -> (usize, Vec<usize>, bool, usize) {
    let all = 8 * TGK_LEN;
    let everything = (all, (0..TGK_LEN).collect(), true, 0);
    let nothing = (0, vec![], false, all);
    match scheme {
        Scheme::Shamir if held.len() >= usize::from(k) => everything,
        Scheme::Xor if held.len() == usize::from(n) => everything,
        Scheme::Shamir | Scheme::Xor => nothing,
        Scheme::PaperRs => {
            let (bits, clear) = oracle_linear(n, k, TGK_LEN, held);
            (bits, clear, bits == all, all - bits)
        }
        Scheme::AontRs => {
            let (bits, _) = oracle_linear(n, k, PACKAGE_LEN, held);
            let missing = 8 * PACKAGE_LEN - bits;
            if missing == 0 { everything } else { (0, vec![], false, missing.min(all)) }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn exposure_is_the_rank_of_the_held_shares_and_determined_means_recoverable(
        scheme in prop::sample::select(Scheme::ALL.to_vec()),
        n in 1u8..=16,
        k_seed in any::<u8>(),
        mask in any::<u16>(),
        seed in any::<u64>(),
    ) {
        let k = 1 + k_seed % n;
        let held: Vec<u8> = (1..=n).filter(|i| mask & (1 << (i - 1)) != 0).collect();
        let e = exposure(scheme, n, k, TGK_LEN, &held);
        let (bits, clear, determined, guess) = oracle(scheme, n, k, &held);
        prop_assert_eq!(e.bits, bits, "{:?} n={} k={} held={:?}", scheme, n, k, &held);
        prop_assert_eq!(&e.bytes_in_clear, &clear);
        prop_assert_eq!(e.rebuilt, determined);
        prop_assert_eq!(e.guess_bits, guess);
        // Determined exactly when the TGK can be recovered from those very shares.
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let tgk: Vec<u8> = (0..TGK_LEN as u8).map(|b| b.wrapping_mul(29) ^ (seed as u8)).collect();
        let shares = split(scheme, &tgk, n, k, &mut rng).unwrap();
        let mine: Vec<_> = shares.into_iter().filter(|s| held.contains(&s.index)).collect();
        let got = recover_with_check(scheme, &mine, n, k, TGK_LEN, |c| c == tgk.as_slice());
        match got {
            Ok(r) => {
                prop_assert!(determined, "recovered from undetermined {:?}", &held);
                prop_assert_eq!(r.secret.as_slice(), tgk.as_slice());
            }
            Err(e) => prop_assert!(!determined, "determined {:?} but: {}", &held, e),
        }
    }
}

#[test]
fn the_cases_of_the_issue() {
    // AONT-RS n = 16, k = 9: 8 systematic shards are the whole 64-byte package.
    let first8: Vec<u8> = (1..=8).collect();
    assert!(exposure(Scheme::AontRs, 16, 9, TGK_LEN, &first8).rebuilt);
    // For k ∈ {7, 10, 11, 13, 16} at most 32 bits of the package are missing with k − 1
    // systematic shards.
    for k in [7u8, 10, 11, 13, 16] {
        let held: Vec<u8> = (1..k).collect();
        let e = exposure(Scheme::AontRs, 16, k, TGK_LEN, &held);
        assert!(e.rebuilt || e.guess_bits <= 32, "k={k}: {e:?}");
    }
    // RS n = k = 5: four data shards are the TGK; RS n = 5, k = 3, two shares: 32 bits left.
    assert!(exposure(Scheme::PaperRs, 5, 5, TGK_LEN, &[1, 2, 3, 4]).rebuilt);
    assert!(!exposure(Scheme::PaperRs, 5, 5, TGK_LEN, &[1, 2, 3, 5]).rebuilt);
    assert_eq!(exposure(Scheme::PaperRs, 5, 3, TGK_LEN, &[1, 2]).guess_bits, 32);
    assert_eq!(exposure(Scheme::Shamir, 5, 3, TGK_LEN, &[1, 2]).guess_bits, 128);
}
