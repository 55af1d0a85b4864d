//! KEMAC seal/open in both profiles: round trips, and every single-bit flip in the covered
//! bytes, the encrypted data or the MAC/tag makes the opener reject the message; the V MAC.

use dmikey::Error;
use dmikey::cost::Meter;
use dmikey::crypto::derive::MessageKeys;
use dmikey::crypto::kemac::{self, Covered, KemacProfile};
use dmikey::crypto::mac::{self, MacAlg};
use dmikey::crypto::prf::PrfFunc;

const PROFILES: [KemacProfile; 3] =
    [KemacProfile::AesCmHmacSha1, KemacProfile::AesCcm128, KemacProfile::AesCcm128Tag8];

fn keys(profile: KemacProfile, m: &mut Meter) -> MessageKeys {
    MessageKeys::derive(PrfFunc::Mikey1, &[0x42; 16], 0x0102_0304, &[0xa5; 16], profile, m)
}

const T: [u8; 8] = [0xe8, 0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6, 0x07];

#[test]
fn sensor_share_round_trips_through_kemac_in_every_profile() {
    let mut m = Meter::new();
    let share = b"\x00\x00\x00\x10 sixteen bytes!!";
    for p in PROFILES {
        let k = keys(p, &mut m);
        let before = [1u8, 0, 0, 0, 9, 9, 9, 0, p.encr_alg_code(), 0, share.len() as u8];
        let after = [p.mac_alg_code()];
        let cov = Covered { before: &before, after: &after };
        let (ct, tag) = kemac::encrypt(p, &k, 0x0102_0304, T, share, cov, &mut m).unwrap();
        assert_eq!(ct.len(), share.len(), "{p:?}: Encr data len = plaintext length");
        assert_ne!(&ct[..], &share[..]);
        assert_eq!(tag.len(), p.mac_len());
        let pt = kemac::decrypt(p, &k, 0x0102_0304, T, &ct, cov, &tag, "I_TP1", &mut m).unwrap();
        assert_eq!(&pt[..], &share[..]);
        assert_eq!(KemacProfile::from_codes(p.encr_alg_code(), p.mac_alg_code()), Some(p));
    }
    assert!(m.aes_blocks > 0 && m.hmac_calls > 0);
}

fn flip(v: &[u8], bit: usize) -> Vec<u8> {
    let mut w = v.to_vec();
    w[bit / 8] ^= 1 << (bit % 8);
    w
}

#[test]
fn every_bit_flip_is_rejected_in_both_profiles() {
    let mut m = Meter::new();
    let plain = b"\x00\x00\x00\x10TGK-share-bytes!";
    for p in PROFILES {
        let k = keys(p, &mut m);
        let before = [1u8, 0, 1, 0x80, 7, 7, 7, 7, 1, 0, 20];
        let after = [p.mac_alg_code()];
        let cov = Covered { before: &before, after: &after };
        let (ct, tag) = kemac::encrypt(p, &k, 7, T, plain, cov, &mut m).unwrap();
        let is_mac_error =
            |e: &Error| matches!(e, Error::MacMismatch { .. } | Error::TagMismatch { .. });
        for bit in 0..before.len() * 8 {
            let b = flip(&before, bit);
            let c = Covered { before: &b, after: &after };
            let e = kemac::decrypt(p, &k, 7, T, &ct, c, &tag, "I_TP2", &mut m).unwrap_err();
            assert!(is_mac_error(&e), "{p:?} before bit {bit}: {e}");
        }
        for bit in 0..8 {
            let a = flip(&after, bit);
            let c = Covered { before: &before, after: &a };
            assert!(kemac::decrypt(p, &k, 7, T, &ct, c, &tag, "I_TP2", &mut m).is_err());
        }
        for bit in 0..ct.len() * 8 {
            let e = kemac::decrypt(p, &k, 7, T, &flip(&ct, bit), cov, &tag, "I_TP2", &mut m)
                .unwrap_err();
            assert!(is_mac_error(&e), "{p:?} ciphertext bit {bit}");
        }
        for bit in 0..tag.len() * 8 {
            let e = kemac::decrypt(p, &k, 7, T, &ct, cov, &flip(&tag, bit), "I_TP2", &mut m)
                .unwrap_err();
            assert!(is_mac_error(&e), "{p:?} tag bit {bit}");
        }
        // A different timestamp (IV/nonce) or CSB ID: CCM rejects; AES-CM's HMAC does not
        // cover the IV inputs directly (the message bytes do), so the plaintext comes out wrong.
        let other = kemac::decrypt(p, &k, 8, T, &ct, cov, &tag, "I_TP2", &mut m);
        match p {
            KemacProfile::AesCmHmacSha1 => assert_ne!(&other.unwrap()[..], &plain[..]),
            _ => assert!(other.is_err()),
        }
    }
}

#[test]
fn kemac_errors_name_the_message() {
    let mut m = Meter::new();
    let p = KemacProfile::AesCmHmacSha1;
    let k = keys(p, &mut m);
    let cov = Covered { before: &[0, 1, 0, 4], after: &[1] };
    let (ct, tag) = kemac::encrypt(p, &k, 1, T, b"abcd", cov, &mut m).unwrap();
    let e = kemac::decrypt(p, &k, 1, T, &ct, cov, &flip(&tag, 0), "I_TP2", &mut m).unwrap_err();
    assert_eq!(e.to_string(), "MAC mismatch in the KEMAC of I_TP2");
    let e = kemac::decrypt(p, &k, 1, T, &ct, cov, &tag[..19], "I_TP2", &mut m).unwrap_err();
    assert!(matches!(e, Error::MacLength { expected: 20, found: 19, .. }));
    // Wrong key lengths are typed errors, not panics.
    let mut short = k.clone();
    short.salt.truncate(13);
    assert!(matches!(
        kemac::encrypt(p, &short, 1, T, b"abcd", cov, &mut m),
        Err(Error::KeyLength { what: "salt_key", .. })
    ));
}

#[test]
fn v_payload_mac_covers_message_identities_and_timestamp() {
    let mut m = Meter::new();
    let key = [9u8; 20];
    let msg = b"HDR T ID V-header";
    let counter_t = dmikey::mikey::core::t64(&dmikey::wire::Timestamp::Counter(5));
    assert_eq!(counter_t, [0, 0, 0, 0, 0, 0, 0, 5], "COUNTER zero-extended with leading zeros");
    for alg in [MacAlg::HmacSha1_160, MacAlg::HmacSha256_256] {
        let parts: [&[u8]; 4] = [msg, b"sensor-1", b"TP2", &counter_t];
        let v = mac::compute(alg, &key, &parts, &mut m);
        assert_eq!(v.len(), alg.mac_len());
        // Same bytes split differently: same MAC (it is the concatenation that counts).
        let joined = [&msg[..], b"sensor-1", b"TP2", &counter_t].concat();
        assert_eq!(mac::compute(alg, &key, &[&joined], &mut m), v);
        mac::verify(alg, &key, &parts, &v, "TP2_I", "V", &mut m).unwrap();
        // Swapping the identities (replay toward another peer) fails.
        let swapped: [&[u8]; 4] = [msg, b"TP2", b"sensor-1", &counter_t];
        let e = mac::verify(alg, &key, &swapped, &v, "TP2_I", "V", &mut m).unwrap_err();
        assert_eq!(e.to_string(), "MAC mismatch in the V of TP2_I");
    }
    assert_eq!(mac::hmac_sha1_160(&key, &[b"x"], &mut m).len(), 20);
    assert_eq!(mac::hmac_sha256_256(&key, &[b"x"], &mut m).len(), 32);
}
