//! Adapter between the message layer and the RSA, X.509 and Diffie–Hellman parts of
//! [`crate::crypto`]: the few calls the PK, DH and distributed messages make, with the
//! signer's name attached to every error.

use zeroize::Zeroizing;

use crate::cost::Meter;
use crate::crypto::rng::Rng;
use crate::crypto::rsa::{self as crsa, PkePadding, SignPadding};
use crate::crypto::x509;
use crate::error::Error;
use crate::wire::SignType;

pub use crate::crypto::rsa::{RsaPrivate, RsaPublic};
pub use crate::crypto::x509::VerifiedCert;

/// The SIGN payload's S type for a padding.
pub fn sign_type(p: SignPadding) -> SignType {
    match p {
        SignPadding::Pkcs1v15 => SignType::Pkcs1v15,
        SignPadding::Pss => SignType::Pss,
    }
}

/// The padding named by a SIGN payload's S type.
pub fn sign_padding(s: SignType) -> SignPadding {
    match s {
        SignType::Pkcs1v15 => SignPadding::Pkcs1v15,
        SignType::Pss => SignPadding::Pss,
    }
}

/// Signature (and modulus) length of a key, in bytes.
pub fn modulus_len(key: &RsaPrivate) -> usize {
    crsa::modulus_len(key)
}

/// RSA signature over `data`.
pub fn sign(key: &RsaPrivate, pad: SignPadding, data: &[u8], rng: &mut dyn Rng, meter: &mut Meter) -> Result<Vec<u8>, Error> {
    crsa::sign(key, pad, data, rng, meter)
}

/// Verifies an RSA signature by `signer`.
pub fn verify(key: &RsaPublic, pad: SignPadding, data: &[u8], sig: &[u8], signer: &str, meter: &mut Meter) -> Result<(), Error> {
    crsa::verify(key, pad, data, sig, signer, meter)
}

/// RSA encryption of the envelope key.
pub fn pke_encrypt(key: &RsaPublic, pad: PkePadding, data: &[u8], rng: &mut dyn Rng, meter: &mut Meter) -> Result<Vec<u8>, Error> {
    crsa::pke_encrypt(key, pad, data, rng, meter)
}

/// RSA decryption of the envelope key of `message`.
pub fn pke_decrypt(key: &RsaPrivate, pad: PkePadding, ct: &[u8], message: &str, meter: &mut Meter) -> Result<Zeroizing<Vec<u8>>, Error> {
    crsa::pke_decrypt(key, pad, ct, message, meter)
}

/// Checks that `cert_der` was issued by the CA and is valid at `now_unix`.
pub fn verify_cert(cert_der: &[u8], ca_cert_der: &[u8], now_unix: u64, meter: &mut Meter) -> Result<VerifiedCert, Error> {
    x509::verify(cert_der, ca_cert_der, now_unix, meter)
}
