//! The TGK sharing schemes of the distributed mode (paper §3.3, digest §5.5, D6, D16): test
//! vectors, rebuild-iff-threshold for every subset, what each share exposes, and recovery from
//! a malicious third party.

use std::collections::HashMap;

use dmikey::Error;
use dmikey::sharing::{
    MAX_SUBSETS, Scheme, Secrecy, Share, combine, exposure, recover_with_check, shamir, share_len,
    shares_needed, split, threshold,
};
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

fn tgk() -> Vec<u8> {
    (0x10..0x20).collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn pick(shares: &[Share], indices: &[u8]) -> Vec<Share> {
    shares.iter().filter(|s| indices.contains(&s.index)).cloned().collect()
}

// ---- digest §5.5 Shamir vector ----------------------------------------------------------------

#[test]
fn shamir_digest_vector_k3_n5() {
    let a1: Vec<u8> = (0..16).map(|b| 0x40 + b).collect();
    let a2: Vec<u8> = (0..16).map(|b| 0x80 + b).collect();
    let shares = shamir::split_with_coefficients(&tgk(), 5, 3, &[&a1, &a2]).unwrap();
    let expected = [
        "d0d1d2d3d4d5d6d7d8d9dadbdcdddedf",
        "a6a1a8afbabdb4b39e99909782858c8b",
        "6661686f7a7d74735e59505742454c4b",
        "d3c6f9ec8792adb87b6e51442f3a0510",
        "1306392c47526d78bbae9184effac5d0",
    ];
    for (share, want) in shares.iter().zip(expected) {
        assert_eq!(hex(&share.data), want, "share {}", share.index);
    }
    for subset in [[1u8, 3, 5], [2, 4, 5]] {
        let tgk_back = combine(Scheme::Shamir, &pick(&shares, &subset), 5, 3, 16).unwrap();
        assert_eq!(hex(&tgk_back), "101112131415161718191a1b1c1d1e1f", "from {subset:?}");
    }
    // Two shares are not enough.
    assert!(matches!(
        combine(Scheme::Shamir, &pick(&shares, &[1, 2]), 5, 3, 16),
        Err(Error::InsufficientShares { have: 2, need: 3, .. })
    ));
}

// ---- rebuild iff threshold, every subset, every scheme, n ≤ 6 ----------------------------------

#[test]
fn every_subset_rebuilds_iff_it_reaches_the_threshold() {
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let mut rebuilt = 0usize;
    let mut refused = 0usize;
    for secret in [tgk(), vec![0xA5, 0x5A, 0x01, 0xFE, 0x33]] {
        for scheme in Scheme::ALL {
            for n in 1..=6u8 {
                for k in 1..=n {
                    let shares = split(scheme, &secret, n, k, &mut rng).unwrap();
                    assert_eq!(shares.len(), usize::from(n));
                    let t = usize::from(threshold(scheme, n, k));
                    for mask in 0u32..(1 << n) {
                        let subset: Vec<Share> = shares
                            .iter()
                            .filter(|s| mask & (1 << (s.index - 1)) != 0)
                            .cloned()
                            .collect();
                        let got = combine(scheme, &subset, n, k, secret.len());
                        if subset.len() >= t {
                            assert_eq!(
                                got.unwrap().as_slice(),
                                secret.as_slice(),
                                "{scheme:?} n={n} k={k} mask={mask:b}"
                            );
                            rebuilt += 1;
                        } else {
                            assert!(
                                matches!(got, Err(Error::InsufficientShares { .. })),
                                "{scheme:?} n={n} k={k} mask={mask:b}: {got:?}"
                            );
                            refused += 1;
                        }
                    }
                }
            }
        }
    }
    assert!(rebuilt > 1000 && refused > 1000, "{rebuilt} rebuilt, {refused} refused");
}

#[test]
fn xor_needs_all_n_whatever_k_says() {
    assert_eq!(threshold(Scheme::Xor, 5, 2), 5);
    assert_eq!(threshold(Scheme::Shamir, 5, 2), 2);
    assert_eq!(threshold(Scheme::PaperRs, 5, 2), 2);
    assert_eq!(threshold(Scheme::AontRs, 5, 2), 2);
}

#[test]
fn share_lengths_follow_the_scheme() {
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    for (scheme, k, want) in [
        (Scheme::PaperRs, 2, 8),
        (Scheme::PaperRs, 3, 6),
        (Scheme::Shamir, 3, 16),
        (Scheme::Xor, 3, 16),
        (Scheme::AontRs, 2, 32),
        (Scheme::AontRs, 5, 13),
    ] {
        assert_eq!(share_len(scheme, k, 16), want, "{scheme:?} k={k}");
        let shares = split(scheme, &tgk(), 5, k, &mut rng).unwrap();
        assert!(shares.iter().all(|s| s.data.len() == want));
    }
}

#[test]
fn paper_rs_data_shares_are_literal_slices_of_the_tgk() {
    let mut rng = ChaCha20Rng::seed_from_u64(3);
    let shares = split(Scheme::PaperRs, &tgk(), 3, 2, &mut rng).unwrap();
    assert_eq!(shares[0].data, tgk()[..8]);
    assert_eq!(shares[1].data, tgk()[8..]);
    // n = k: no parity at all; k = 1: every share is the whole TGK.
    let shares = split(Scheme::PaperRs, &tgk(), 4, 4, &mut rng).unwrap();
    assert_eq!(shares.iter().flat_map(|s| s.data.clone()).collect::<Vec<u8>>(), tgk());
    let shares = split(Scheme::PaperRs, &tgk(), 3, 1, &mut rng).unwrap();
    assert!(shares.iter().all(|s| s.data == tgk()));
}

#[test]
fn secret_sharing_schemes_never_put_the_tgk_in_a_share() {
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    for scheme in [Scheme::Shamir, Scheme::Xor, Scheme::AontRs] {
        for share in split(scheme, &tgk(), 3, 2, &mut rng).unwrap() {
            assert!(share.data.windows(4).all(|w| !tgk().windows(4).any(|t| t == w)), "{scheme:?}");
        }
    }
}

#[test]
fn up_to_255_shares_round_trip() {
    let mut rng = ChaCha20Rng::seed_from_u64(5);
    for scheme in Scheme::ALL {
        for k in [1u8, 2, 128, 254, 255] {
            let shares = split(scheme, &tgk(), 255, k, &mut rng).unwrap();
            let t = usize::from(threshold(scheme, 255, k));
            // The last t shares: parity only whenever t ≤ 255 − k.
            let subset = &shares[255 - t..];
            assert_eq!(
                combine(scheme, subset, 255, k, 16).unwrap().as_slice(),
                tgk(),
                "{scheme:?} k={k}"
            );
            assert!(combine(scheme, &subset[1..], 255, k, 16).is_err());
        }
    }
}

#[test]
fn same_seed_same_shares() {
    for scheme in Scheme::ALL {
        let a = split(scheme, &tgk(), 5, 3, &mut ChaCha20Rng::seed_from_u64(9)).unwrap();
        let b = split(scheme, &tgk(), 5, 3, &mut ChaCha20Rng::seed_from_u64(9)).unwrap();
        let c = split(scheme, &tgk(), 5, 3, &mut ChaCha20Rng::seed_from_u64(10)).unwrap();
        assert_eq!(a, b);
        if scheme != Scheme::PaperRs {
            assert_ne!(a, c, "{scheme:?} must use its randomness");
        } else {
            assert_eq!(a, c, "the paper's RS uses no randomness at all");
        }
    }
}

// ---- parameters and bad shares ---------------------------------------------------------------

#[test]
fn bad_parameters_are_refused_in_words() {
    let mut rng = ChaCha20Rng::seed_from_u64(6);
    for scheme in Scheme::ALL {
        let err = split(scheme, &tgk(), 3, 4, &mut rng).unwrap_err();
        assert_eq!(err, Error::ThresholdAboveShareCount { k: 4, n: 3 });
        assert_eq!(err.to_string(), "k = 4 is larger than n = 3");
        assert_eq!(split(scheme, &tgk(), 0, 0, &mut rng).unwrap_err(), Error::ShareCountZero);
        assert_eq!(split(scheme, &tgk(), 3, 0, &mut rng).unwrap_err(), Error::ThresholdZero);
        assert!(matches!(
            split(scheme, &[], 3, 2, &mut rng),
            Err(Error::SecretLength { len: 0, .. })
        ));
        assert!(matches!(combine(scheme, &[], 3, 2, 0), Err(Error::SecretLength { len: 0, .. })));
    }
}

#[test]
fn bad_shares_are_refused_before_any_arithmetic() {
    let mut rng = ChaCha20Rng::seed_from_u64(7);
    for scheme in Scheme::ALL {
        let shares = split(scheme, &tgk(), 3, 3, &mut rng).unwrap();
        let len = shares[0].data.len();

        let mut dup = shares.clone();
        dup[2].index = 1;
        assert_eq!(
            combine(scheme, &dup, 3, 3, 16).unwrap_err(),
            Error::ShareIndexDuplicate { index: 1 }
        );

        for bad in [0u8, 4, 255] {
            let mut out = shares.clone();
            out[1].index = bad;
            let err = combine(scheme, &out, 3, 3, 16).unwrap_err();
            assert_eq!(err, Error::ShareIndexOutOfRange { index: bad, n: 3 });
            assert_eq!(err.to_string(), format!("share index {bad} is outside 1..=3"));
            assert_eq!(recover_with_check(scheme, &out, 3, 3, 16, |_| true).unwrap_err(), err);
        }

        let mut short = shares.clone();
        short[0].data.pop();
        assert_eq!(
            combine(scheme, &short, 3, 3, 16).unwrap_err(),
            Error::ShareLengthMismatch { index: 1, expected: len, found: len - 1 }
        );
        // A SECRET_LEN that disagrees with the shares is caught the same way.
        assert_ne!(share_len(scheme, 3, 40), len);
        assert!(matches!(
            combine(scheme, &shares, 3, 3, 40),
            Err(Error::ShareLengthMismatch { .. })
        ));
    }
}

#[test]
fn scheme_codes_and_names() {
    for scheme in Scheme::ALL {
        assert_eq!(Scheme::from_code(scheme.code()).unwrap(), scheme);
        assert_eq!(scheme.cli_name().parse::<Scheme>().unwrap(), scheme);
        assert!(scheme.description().len() > 200);
    }
    assert_eq!(
        [Scheme::Shamir, Scheme::Xor, Scheme::PaperRs, Scheme::AontRs].map(Scheme::code),
        [1, 2, 3, 4]
    );
    assert_eq!(Scheme::ALL.map(Scheme::cli_name), ["rs", "shamir", "xor", "aont-rs"]);
    assert_eq!(Scheme::from_code(0).unwrap_err(), Error::UnknownScheme { code: 0 });
    assert!("rs-paper".parse::<Scheme>().is_err());
    let paper = Scheme::PaperRs.description();
    assert!(paper.contains("paper") && paper.contains("⌈L/k⌉") && paper.contains("not all n"));
}

// ---- exposure --------------------------------------------------------------------------------

#[test]
fn one_tp_under_paper_rs_k2_exposes_its_64_bit_slice() {
    let e = exposure(Scheme::PaperRs, 3, 2, 16, &[1]);
    assert_eq!(e.bits, 64);
    assert_eq!(e.bytes_in_clear, (0..8).collect::<Vec<_>>());
    assert!(!e.rebuilt);
    assert_eq!(e.secrecy, Secrecy::None);
    let e = exposure(Scheme::PaperRs, 3, 2, 16, &[2]);
    assert_eq!((e.bits, e.bytes_in_clear), (64, (8..16).collect()));
    // The parity share: as many bits, none of them in clear.
    let e = exposure(Scheme::PaperRs, 3, 2, 16, &[3]);
    assert_eq!((e.bits, e.bytes_in_clear.len()), (64, 0));
    // Any two of the three — not all three — give everything.
    for pair in [[1u8, 2], [1, 3], [2, 3]] {
        let e = exposure(Scheme::PaperRs, 3, 2, 16, &pair);
        assert!(e.rebuilt && e.bits == 128 && e.bytes_in_clear.len() == 16, "{pair:?}");
    }
}

#[test]
fn paper_rs_exposure_is_exact_with_padding() {
    // L = 16, k = 3: slices of 6 bytes, the third holds 4 TGK bytes and 2 of padding.
    assert_eq!(exposure(Scheme::PaperRs, 5, 3, 16, &[1]).bits, 48);
    assert_eq!(exposure(Scheme::PaperRs, 5, 3, 16, &[3]).bits, 32);
    assert_eq!(exposure(Scheme::PaperRs, 5, 3, 16, &[4]).bits, 48);
    assert_eq!(exposure(Scheme::PaperRs, 5, 3, 16, &[1, 2]).bits, 96);
    // L = 3, k = 2, n = 3: column 1 holds TGK byte 1 and a padding zero, so the parity share
    // gives byte 1 in clear.
    let e = exposure(Scheme::PaperRs, 3, 2, 3, &[3]);
    assert_eq!((e.bits, e.bytes_in_clear), (16, vec![1]));
    // L = 3, k = 5: shares 4 and 5 are pure padding and reveal nothing; 1, 2, 3 give it all.
    assert_eq!(exposure(Scheme::PaperRs, 5, 5, 3, &[4, 5]).bits, 0);
    assert!(exposure(Scheme::PaperRs, 5, 5, 3, &[1, 2, 3]).rebuilt);
}

/// The exposure count checked by brute force: for every 2-byte secret, group the secrets by
/// the values of the held shares. 2^bits groups, and a byte is in clear iff it is constant in
/// every group.
#[test]
fn paper_rs_exposure_matches_brute_force_on_two_byte_secrets() {
    let mut rng = ChaCha20Rng::seed_from_u64(8);
    for (n, k) in [(1u8, 1u8), (3, 1), (3, 2), (4, 2), (3, 3), (4, 3), (5, 3)] {
        let all: Vec<Vec<Share>> = (0..=u16::MAX)
            .map(|v| split(Scheme::PaperRs, &v.to_be_bytes(), n, k, &mut rng).unwrap())
            .collect();
        for mask in 0u32..(1 << n) {
            let held: Vec<u8> = (1..=n).filter(|i| mask & (1 << (i - 1)) != 0).collect();
            let mut groups: HashMap<Vec<u8>, ([u8; 2], [bool; 2])> = HashMap::new();
            for (v, shares) in all.iter().enumerate() {
                let key: Vec<u8> =
                    pick(shares, &held).iter().flat_map(|s| s.data.clone()).collect();
                let secret = (v as u16).to_be_bytes();
                let entry = groups.entry(key).or_insert((secret, [true; 2]));
                let (first, same) = entry;
                for ((same, first), byte) in same.iter_mut().zip(first.iter()).zip(secret) {
                    *same &= *first == byte;
                }
            }
            let bits = groups.len().trailing_zeros() as usize;
            assert!(groups.len().is_power_of_two());
            let clear: Vec<usize> = (0..2).filter(|&b| groups.values().all(|g| g.1[b])).collect();
            let e = exposure(Scheme::PaperRs, n, k, 2, &held);
            assert_eq!((e.bits, &e.bytes_in_clear), (bits, &clear), "n={n} k={k} held={held:?}");
        }
    }
}

#[test]
fn below_the_threshold_secret_sharing_exposes_nothing() {
    for n in 1..=6u8 {
        for k in 1..=n {
            for scheme in [Scheme::Shamir, Scheme::Xor, Scheme::AontRs] {
                let t = threshold(scheme, n, k);
                for mask in 0u32..(1 << n) {
                    let held: Vec<u8> = (1..=n).filter(|i| mask & (1 << (i - 1)) != 0).collect();
                    let e = exposure(scheme, n, k, 16, &held);
                    if held.len() < usize::from(t) {
                        assert_eq!((e.bits, e.bytes_in_clear.len(), e.rebuilt), (0, 0, false));
                    } else {
                        assert_eq!((e.bits, e.bytes_in_clear.len(), e.rebuilt), (128, 16, true));
                    }
                }
            }
            // The paper's RS: every share held adds its slice until k.
            let e = exposure(Scheme::PaperRs, n, k, 16, &[1]);
            assert_eq!(e.bits, (16usize.div_ceil(k.into()) * 8).min(128), "n={n} k={k}");
        }
    }
    assert_eq!(exposure(Scheme::AontRs, 3, 2, 16, &[1]).secrecy, Secrecy::Computational);
    assert_eq!(exposure(Scheme::Shamir, 3, 2, 16, &[1]).secrecy, Secrecy::InformationTheoretic);
    // Not shares: index 0, index > n, duplicates.
    assert_eq!(exposure(Scheme::Shamir, 3, 2, 16, &[0, 4, 1, 1]).bits, 0);
}

// ---- recovery with a key check (malicious TP) --------------------------------------------------

#[test]
fn one_malicious_share_among_k_plus_one_is_found_and_left_out() {
    let mut rng = ChaCha20Rng::seed_from_u64(11);
    let secret = tgk();
    let kcv = |candidate: &[u8]| candidate == secret.as_slice();
    for scheme in [Scheme::PaperRs, Scheme::Shamir, Scheme::AontRs] {
        for n in 2..=6u8 {
            for k in 1..n {
                let shares = split(scheme, &secret, n, k, &mut rng).unwrap();
                let received = &shares[..usize::from(k) + 1];
                for bad in 0..received.len() {
                    let mut forged = received.to_vec();
                    forged[bad].data[0] ^= 0x5A;
                    let r = recover_with_check(scheme, &forged, n, k, 16, kcv).unwrap();
                    assert_eq!(r.secret.as_slice(), secret.as_slice());
                    assert_eq!(r.rejected, vec![forged[bad].index], "{scheme:?} n={n} k={k}");
                    assert!(!r.used.contains(&forged[bad].index));
                    assert_eq!(r.used.len() + r.confirmed.len() + r.rejected.len(), forged.len());
                }
                // Honest shares: the first subset passes and the spares confirm it (more than
                // one spare when fewer than k Reed–Solomon shares already determine the TGK).
                let r = recover_with_check(scheme, received, n, k, 16, kcv).unwrap();
                assert_eq!(r.used.len(), usize::from(shares_needed(scheme, n, k, 16)));
                let spares = received.len() - r.used.len();
                assert_eq!((r.subsets_tried, r.rejected.len(), r.confirmed.len()), (1, 0, spares));
            }
        }
    }
}

#[test]
fn one_malicious_share_among_just_enough_is_an_error_never_a_wrong_tgk() {
    let mut rng = ChaCha20Rng::seed_from_u64(12);
    let secret = tgk();
    for scheme in Scheme::ALL {
        for n in 1..=6u8 {
            for k in 1..=n {
                // The fewest shares that determine the TGK (k, or fewer under the
                // Reed–Solomon schemes: L = 16, k = 5 needs only the first 4 data shards).
                let t = usize::from(shares_needed(scheme, n, k, 16));
                assert!(t <= usize::from(threshold(scheme, n, k)));
                let shares = split(scheme, &secret, n, k, &mut rng).unwrap();
                for bad in 0..t {
                    let mut forged = shares[..t].to_vec();
                    forged[bad].data[0] ^= 0x01;
                    let err =
                        recover_with_check(scheme, &forged, n, k, 16, |c| c == secret.as_slice())
                            .unwrap_err();
                    let used: Vec<u8> = forged.iter().map(|s| s.index).collect();
                    // A wrong TGK byte fails the key check; a wrong padding byte (L = 16,
                    // k = 5: share 5 is all padding) or a wrong AONT-RS package shows itself.
                    let acceptable = match scheme {
                        Scheme::AontRs => vec![Error::ShareAontCanaryMismatch { used }],
                        Scheme::PaperRs => vec![
                            Error::ShareKeyCheckFailed { used: used.clone() },
                            Error::SharePaddingNotZero { used },
                        ],
                        Scheme::Shamir | Scheme::Xor => vec![Error::ShareKeyCheckFailed { used }],
                    };
                    assert!(acceptable.contains(&err), "{scheme:?} n={n} k={k}: {err:?}");
                }
            }
        }
    }
}

#[test]
fn two_malicious_shares_among_k_plus_two_are_both_found() {
    let mut rng = ChaCha20Rng::seed_from_u64(13);
    let secret = tgk();
    for scheme in [Scheme::PaperRs, Scheme::Shamir, Scheme::AontRs] {
        let shares = split(scheme, &secret, 6, 3, &mut rng).unwrap();
        let mut forged = shares[..5].to_vec();
        forged[0].data[1] ^= 0xFF;
        forged[3].data[2] ^= 0x10;
        let r = recover_with_check(scheme, &forged, 6, 3, 16, |c| c == secret.as_slice()).unwrap();
        assert_eq!(r.used, vec![2, 3, 5], "{scheme:?}");
        assert_eq!(r.rejected, vec![1, 4]);
    }
}

#[test]
fn the_subset_search_is_bounded_and_says_so() {
    let mut rng = ChaCha20Rng::seed_from_u64(14);
    let shares = split(Scheme::Shamir, &tgk(), 20, 10, &mut rng).unwrap();
    let err = recover_with_check(Scheme::Shamir, &shares, 20, 10, 16, |_| false).unwrap_err();
    assert_eq!(
        err,
        Error::NoConsistentShareSubset {
            have: 20,
            need: 10,
            tried: MAX_SUBSETS,
            cap_reached: true
        }
    );
    let shares = split(Scheme::Shamir, &tgk(), 6, 3, &mut rng).unwrap();
    let err = recover_with_check(Scheme::Shamir, &shares, 6, 3, 16, |_| false).unwrap_err();
    assert_eq!(
        err,
        Error::NoConsistentShareSubset { have: 6, need: 3, tried: 20, cap_reached: false }
    );
    assert!(err.to_string().contains("20 subsets tried, all of them"));
    let err = recover_with_check(Scheme::Shamir, &shares[..2], 6, 3, 16, |_| true).unwrap_err();
    assert!(matches!(err, Error::InsufficientShares { have: 2, need: 3, .. }));
}

#[test]
fn a_share_altered_only_in_its_padding_is_still_caught() {
    // L = 16, k = 3: data shard 3 ends with 2 bytes of zero padding. Changing them leaves the
    // TGK bytes intact, but the shares are no longer an honest codeword.
    let mut rng = ChaCha20Rng::seed_from_u64(15);
    let secret = tgk();
    let mut shares = split(Scheme::PaperRs, &secret, 5, 3, &mut rng).unwrap();
    shares[2].data[5] ^= 0x80;
    let err = combine(Scheme::PaperRs, &shares[..3], 5, 3, 16).unwrap_err();
    assert_eq!(err, Error::SharePaddingNotZero { used: vec![1, 2, 3] });
    assert_eq!(
        err.to_string(),
        "the Reed–Solomon padding rebuilt from shares 1, 2 and 3 is not zero: one of them is wrong"
    );
    let r = recover_with_check(Scheme::PaperRs, &shares[..4], 5, 3, 16, |c| c == secret.as_slice())
        .unwrap();
    assert_eq!((r.used, r.rejected), (vec![1, 2, 4], vec![3]));
    // AONT-RS: the package (16 + 48 = 64 bytes) padded to 3 × 22 = 66 bytes.
    let mut shares = split(Scheme::AontRs, &secret, 5, 3, &mut rng).unwrap();
    shares[2].data[21] ^= 0x01;
    assert_eq!(
        combine(Scheme::AontRs, &shares[..3], 5, 3, 16).unwrap_err(),
        Error::SharePaddingNotZero { used: vec![1, 2, 3] }
    );
}
