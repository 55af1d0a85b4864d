//! Browser tests of `dmikey`: compiled to wasm32 and run in headless Chromium by
//! `wasm-bindgen-test-runner` (`cargo test -p dmikey --target wasm32-unknown-unknown`).
//!
//! For now they prove the pipeline: the crypto the protocol stands on gives the published
//! answers inside the browser, the browser's random source is reachable, and the crate's own
//! error texts render. The distributed-session test joins them once the roles exist.
#![cfg(all(target_arch = "wasm32", target_os = "unknown"))]

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// FIPS 180 example: SHA-1("abc"), the hash under MIKEY's default PRF (P-SHA1).
#[wasm_bindgen_test]
fn sha1_gives_the_fips_180_answer_in_the_browser() {
    assert_eq!(hex(&Sha1::digest(b"abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
}

/// RFC 4231 test case 1: HMAC-SHA-256 with a 20-byte key of 0x0b over "Hi There".
#[wasm_bindgen_test]
fn hmac_sha256_gives_the_rfc_4231_answer_in_the_browser() {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&[0x0b; 20]).unwrap();
    mac.update(b"Hi There");
    assert_eq!(
        hex(&mac.finalize().into_bytes()),
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
    );
}

/// FIPS 180 example: SHA-256("abc") — the wasm build uses sha2's compact software backend
/// (`.cargo/config.toml`), which must give the same digest as the unrolled one.
#[wasm_bindgen_test]
fn sha256_gives_the_fips_180_answer_in_the_browser() {
    assert_eq!(
        hex(&Sha256::digest(b"abc")),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

/// FIPS 197 appendix C.1 and C.3: AES-128 (the KEMAC's AES-CM and AES-CCM) and AES-256 (the
/// AONT-RS package) — the wasm build uses aes's compact (semi-fixsliced) software backend.
#[wasm_bindgen_test]
fn aes_gives_the_fips_197_answers_in_the_browser() {
    use aes::cipher::{BlockCipherEncrypt, KeyInit as _};
    let plain: [u8; 16] = core::array::from_fn(|i| (i as u8) * 0x11);
    let key: [u8; 32] = core::array::from_fn(|i| i as u8);
    let mut block = plain.into();
    aes::Aes128::new_from_slice(&key[..16]).unwrap().encrypt_block(&mut block);
    assert_eq!(hex(&block), "69c4e0d86a7b0430d8cdb78070b4c55a");
    let mut block = plain.into();
    aes::Aes256::new_from_slice(&key).unwrap().encrypt_block(&mut block);
    assert_eq!(hex(&block), "8ea2b7ca516745bfeafc49904b496089");
}

/// The browser's crypto.getRandomValues backs getrandom: two 32-byte draws differ.
#[wasm_bindgen_test]
fn the_browser_random_source_is_reachable() {
    let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
    getrandom::fill(&mut a).unwrap();
    getrandom::fill(&mut b).unwrap();
    assert_ne!(a, b);
    assert_ne!(a, [0u8; 32]);
}

/// The crate itself links and runs in the browser: an error renders as a sentence.
#[wasm_bindgen_test]
fn a_dmikey_error_reads_as_a_sentence_in_the_browser() {
    let e = dmikey::Error::Truncated { payload: "RAND", field: "RAND", needed: 16, left: 9 };
    let text = e.to_string();
    assert!(text.contains("truncated") && text.contains("RAND"), "{text}");
}
