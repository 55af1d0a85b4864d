//! AONT-RS (Resch and Plank, "AONT-RS: blending security and performance in dispersed storage
//! systems", FAST 2011): an all-or-nothing package transform (Rivest 1997) followed by the
//! systematic Reed–Solomon code of [`super::rs`].
//!
//! Package of an L-byte TGK (L + 48 bytes):
//! * K = 32 fresh random bytes;
//! * C = AES-256-CTR_K(IV = 0)(TGK ‖ CANARY) — a zero IV is safe because K is used once;
//! * last block = K ⊕ SHA-256(C);
//! * package = C ‖ last block.
//!
//! Whoever holds the whole package computes K = last ⊕ SHA-256(C) and decrypts; whoever misses
//! any part of it cannot compute SHA-256(C), hence not K (secrecy is computational). The canary
//! detects a wrong package, which gives the scheme its own integrity check.

use aes::Aes256;
use ctr::cipher::{KeyIvInit, StreamCipher};
use rand_core::CryptoRng;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// The known 16-byte canary appended to the TGK before encryption.
pub const CANARY: [u8; 16] = *b"D-MIKEY AONT-RS1";

/// Bytes the package adds to the secret: the canary and the 32-byte masked key.
pub const OVERHEAD: usize = CANARY.len() + 32;

type Aes256Ctr = ctr::Ctr128BE<Aes256>;

fn keystream(key: &[u8; 32], buf: &mut [u8]) {
    let mut cipher = Aes256Ctr::new(&(*key).into(), &[0u8; 16].into());
    cipher.apply_keystream(buf);
}

/// The package of `secret` under a fresh key from `rng`.
pub(crate) fn package<R: CryptoRng + ?Sized>(secret: &[u8], rng: &mut R) -> Zeroizing<Vec<u8>> {
    let mut key = Zeroizing::new([0u8; 32]);
    rng.fill_bytes(key.as_mut_slice());
    let mut out = Zeroizing::new(Vec::with_capacity(secret.len() + OVERHEAD));
    out.extend_from_slice(secret);
    out.extend_from_slice(&CANARY);
    keystream(&key, &mut out);
    let digest = Sha256::digest(out.as_slice());
    out.extend(key.iter().zip(digest.iter()).map(|(k, h)| k ^ h));
    out
}

/// The secret inside `package` (its first `len + OVERHEAD` bytes; the RS padding after them is
/// ignored), or `None` when the canary is wrong.
pub(crate) fn unpackage(package: &[u8], len: usize) -> Option<Zeroizing<Vec<u8>>> {
    let body_len = len + CANARY.len();
    let body = package.get(..body_len)?;
    let last = package.get(body_len..body_len + 32)?;
    let digest = Sha256::digest(body);
    let mut key = Zeroizing::new([0u8; 32]);
    for ((k, l), h) in key.iter_mut().zip(last).zip(digest.iter()) {
        *k = l ^ h;
    }
    let mut plain = Zeroizing::new(body.to_vec());
    keystream(&key, &mut plain);
    let canary_ok: bool = plain.get(len..).unwrap_or_default().ct_eq(&CANARY).into();
    if !canary_ok {
        return None;
    }
    plain.truncate(len);
    Some(plain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    #[test]
    fn package_round_trips_and_any_flipped_bit_breaks_the_canary() {
        let mut rng = ChaCha20Rng::seed_from_u64(7);
        let tgk: Vec<u8> = (0x10..0x20).collect();
        let pkg = package(&tgk, &mut rng);
        assert_eq!(pkg.len(), tgk.len() + OVERHEAD);
        assert_ne!(pkg.get(..16), Some(tgk.as_slice()), "the TGK must not appear in clear");
        assert_eq!(
            unpackage(&pkg, tgk.len()).as_deref().map(|v| v.as_slice()),
            Some(tgk.as_slice())
        );
        for byte in 0..pkg.len() {
            let mut bad = pkg.clone();
            bad[byte] ^= 0x01;
            assert!(unpackage(&bad, tgk.len()).is_none(), "flip in byte {byte} went unnoticed");
        }
    }
}
