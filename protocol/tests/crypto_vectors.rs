//! Key-derivation vectors computed outside this crate with Python `hmac`/`hashlib`/`cryptography`
//! (docs/wire-format.md, "Test vectors"), a TEK cross-checked by a second PRF written here from
//! `hmac` + `sha1` only, and RFC 3610 packet vector #1 for the `ccm` set-up.

use dmikey::cost::Meter;
use dmikey::crypto::derive::{self, MessageKeys, message_label, session_label};
use dmikey::crypto::kemac::{self, Covered, KemacProfile};
use dmikey::crypto::prf::{PrfFunc, prf};

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

const CSB: u32 = 0x0102_0304;

fn psk() -> Vec<u8> {
    hex("000102030405060708090a0b0c0d0e0f")
}
fn rand() -> Vec<u8> {
    hex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf")
}
fn tgk() -> Vec<u8> {
    hex("101112131415161718191a1b1c1d1e1f")
}

#[test]
fn encr_auth_salt_keys_from_the_psk() {
    let mut m = Meter::new();
    let k = MessageKeys::derive(
        PrfFunc::Mikey1,
        &psk(),
        CSB,
        &rand(),
        KemacProfile::AesCmHmacSha1,
        &mut m,
    );
    assert_eq!(
        message_label(derive::C_ENCR, CSB, &rand()),
        hex("150533e1 ff 01020304 a0a1a2a3a4a5a6a7a8a9aaabacadaeaf")
    );
    assert_eq!(&k.encr[..], &hex("c7d5ea38a8bb7fcc0ce4bde369385e6e")[..]);
    assert_eq!(&k.auth[..], &hex("e9aafa56336576d4ad0344de632877bcbc241789")[..]);
    assert_eq!(&k.salt[..], &hex("8592a87f26e9f20a6a2602a2c80f")[..]);
    assert_eq!(m.prf_calls, 3);
}

#[test]
fn aes_cm_iv_and_ciphertext_of_the_key_data_subpayload() {
    let mut m = Meter::new();
    let k = MessageKeys::derive(
        PrfFunc::Mikey1,
        &psk(),
        CSB,
        &rand(),
        KemacProfile::AesCmHmacSha1,
        &mut m,
    );
    let t = dmikey::mikey::core::t64(&dmikey::wire::Timestamp::NtpUtc(0xe8a1_b2c3_d4e5_f607));
    let salt: [u8; 14] = k.salt[..].try_into().unwrap();
    assert_eq!(kemac::iv_aes_cm(&salt, CSB, t).to_vec(), hex("8592a97d25ed1aabd8e5d6473e080000"));
    let plain = hex("00000010101112131415161718191a1b1c1d1e1f");
    let cov = Covered { before: &[0, 1, 0, 20], after: &[1] };
    let (ct, mac) =
        kemac::encrypt(KemacProfile::AesCmHmacSha1, &k, CSB, t, &plain, cov, &mut m).unwrap();
    assert_eq!(ct, hex("3d4dcc921e6ae2d0b9394383246c3dbcff890562"));
    assert_eq!(mac.len(), 20);
    assert_eq!(m.aes_blocks, 2);
}

#[test]
fn tek_and_salt_for_crypto_session_1() {
    let mut m = Meter::new();
    assert_eq!(
        session_label(derive::C_TEK, 1, CSB, &rand()),
        hex("2ad01c64 01 01020304 a0a1a2a3a4a5a6a7a8a9aaabacadaeaf")
    );
    let tek = derive::tek(PrfFunc::Mikey1, &tgk(), 1, CSB, &rand(), 16, &mut m);
    assert_eq!(&tek[..], &hex("faf00487c9b637b05d86782a70e0a331")[..]);
    let salt = derive::salt(PrfFunc::Mikey1, &tgk(), 1, CSB, &rand(), 14, &mut m);
    assert_eq!(&salt[..], &hex("b0bade3f84d0e486421d706fa761")[..]);
}

#[test]
fn two_chunk_inkey_and_the_32_byte_inkey_libmikey_bug_case() {
    let mut m = Meter::new();
    let inkey40: Vec<u8> = (0u8..40).collect();
    let out =
        prf(PrfFunc::Mikey1, &inkey40, &session_label(derive::C_TEK, 1, CSB, &rand()), 32, &mut m);
    assert_eq!(
        &out[..],
        &hex("6a069ca2588483e1de9418482777833bb7ded49aaac19969cd1034d572ce915c")[..]
    );
    let inkey32: Vec<u8> = (0u8..32).collect();
    let out =
        prf(PrfFunc::Mikey1, &inkey32, &message_label(derive::C_ENCR, CSB, &rand()), 16, &mut m);
    assert_eq!(&out[..], &hex("fc61f199821acb262bfe0c6aeaff9c8e")[..]);
}

#[test]
fn dmikey_auth_key_ri_and_kcv() {
    let mut m = Meter::new();
    let a = derive::auth_key_ri(PrfFunc::Mikey1, &tgk(), CSB, &rand(), &mut m);
    assert_eq!(&a[..], &hex("16a598661a2e771778948f1adc8aa788fa63368f")[..]);
    let kcv = derive::kcv(PrfFunc::Mikey1, &tgk(), CSB, &rand(), &mut m);
    assert_eq!(kcv.to_vec(), hex("b135e762e28cf44c"));
    assert!(derive::kcv_matches(PrfFunc::Mikey1, &tgk(), CSB, &rand(), &kcv, &mut m));
    let mut wrong = tgk();
    wrong[0] ^= 1;
    assert!(!derive::kcv_matches(PrfFunc::Mikey1, &wrong, CSB, &rand(), &kcv, &mut m));
}

/// A second, independent MIKEY-1 PRF written straight from RFC 3830 §4.1.2 with only `hmac`
/// and `sha1` (no code shared with the crate), used to cross-check the TEK.
fn independent_mikey1_prf(inkey: &[u8], label: &[u8], out_len: usize) -> Vec<u8> {
    use hmac::{Hmac, KeyInit, Mac};
    fn h(key: &[u8], data: &[u8]) -> Vec<u8> {
        let mut mac = <Hmac<sha1::Sha1> as KeyInit>::new_from_slice(key).unwrap();
        mac.update(data);
        mac.finalize().into_bytes().to_vec()
    }
    let m = out_len.div_ceil(20);
    let mut out = vec![0u8; m * 20];
    for s in inkey.chunks(32) {
        let mut a = label.to_vec();
        let mut p = Vec::new();
        for _ in 0..m {
            a = h(s, &a);
            p.extend(h(s, &[a.clone(), label.to_vec()].concat()));
        }
        for (o, x) in out.iter_mut().zip(p) {
            *o ^= x;
        }
    }
    out.truncate(out_len);
    out
}

#[test]
fn tek_agrees_with_an_independent_prf_for_several_lengths() {
    let mut m = Meter::new();
    let tgk32: Vec<u8> = (100u8..132).collect();
    for (key, len) in [(tgk(), 16), (tgk(), 30), (tgk32.clone(), 16), (tgk32, 46)] {
        let mine = derive::tek(PrfFunc::Mikey1, &key, 2, 0xdead_beef, &rand(), len, &mut m);
        let label = session_label(derive::C_TEK, 2, 0xdead_beef, &rand());
        assert_eq!(&mine[..], &independent_mikey1_prf(&key, &label, len)[..]);
    }
}

#[test]
fn ccm_setup_matches_rfc3610_packet_vector_1() {
    // RFC 3610 §8 packet vector #1: M = 8, L = 2 (13-byte nonce), 8 header bytes.
    use ccm::aead::{AeadInOut, KeyInit};
    use ccm::consts::{U8, U13};
    type C = ccm::Ccm<aes::Aes128, U8, U13>;
    let key = hex("c0c1c2c3c4c5c6c7c8c9cacbcccdcecf");
    let nonce = hex("00000003020100a0a1a2a3a4a5");
    let aad = hex("0001020304050607");
    let mut buf = hex("08090a0b0c0d0e0f101112131415161718191a1b1c1d1e");
    let c = C::new_from_slice(&key).unwrap();
    let n: [u8; 13] = nonce.try_into().unwrap();
    let tag = c.encrypt_inout_detached(&n.into(), &aad, buf.as_mut_slice().into()).unwrap();
    assert_eq!(buf, hex("588c979a61c663d2f066d0c2c0f989806d5f6b61dac384"));
    assert_eq!(tag.to_vec(), hex("17e8d12cfdf926e0"));
}
