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

pub use crate::crypto::dh::DhKeyPair;
pub use crate::crypto::rsa::{RsaPrivateKey as RsaPrivate, RsaPublicKey as RsaPublic};
pub use crate::crypto::x509::{CertRole, VerifiedCert};

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
    key.public_key().size()
}

/// RSA signature over `data`.
pub fn sign(
    key: &RsaPrivate,
    pad: SignPadding,
    data: &[u8],
    rng: &mut dyn Rng,
    meter: &mut Meter,
) -> Result<Vec<u8>, Error> {
    crsa::sign(key, pad, rng, data, meter)
}

/// Verifies an RSA signature by `signer`.
pub fn verify(
    key: &RsaPublic,
    pad: SignPadding,
    data: &[u8],
    sig: &[u8],
    signer: &str,
    meter: &mut Meter,
) -> Result<(), Error> {
    crsa::verify(key, pad, data, sig, signer, meter)
}

/// RSA encryption of the envelope key.
pub fn pke_encrypt(
    key: &RsaPublic,
    pad: PkePadding,
    data: &[u8],
    rng: &mut dyn Rng,
    meter: &mut Meter,
) -> Result<Vec<u8>, Error> {
    crsa::pke_encrypt(key, pad, rng, data, meter)
}

/// RSA decryption of the envelope key of `message`.
pub fn pke_decrypt(
    key: &RsaPrivate,
    pad: PkePadding,
    ct: &[u8],
    message: &str,
    rng: &mut dyn Rng,
    meter: &mut Meter,
) -> Result<Zeroizing<Vec<u8>>, Error> {
    crsa::pke_decrypt(key, pad, rng, ct, message, meter)
}

/// Checks that `cert_der` was issued by the CA, is valid at `now_unix` and certifies `role`
/// (its OU); the caller compares its CN with the identity it expects.
pub fn verify_cert(
    cert_der: &[u8],
    ca_cert_der: &[u8],
    now_unix: u64,
    claimed: &str,
    role: CertRole,
    meter: &mut Meter,
) -> Result<VerifiedCert, Error> {
    x509::verify_role(cert_der, ca_cert_der, now_unix, claimed, role, meter)
}

/// R's public key, from R's certificate checked against the CA (as R, role Responder) the
/// first time and kept in `cache` after that: the sensor in PK mode and every TP need it.
pub fn responder_key(
    cache: &mut Option<RsaPublic>,
    r_cert: &[u8],
    ca_cert: &[u8],
    now_unix: u64,
    meter: &mut Meter,
) -> Result<RsaPublic, Error> {
    if let Some(k) = cache {
        return Ok(k.clone());
    }
    let vc = verify_cert(r_cert, ca_cert, now_unix, "R", CertRole::Responder, meter)?;
    let key = cert_public_key(&vc);
    *cache = Some(key.clone());
    Ok(key)
}

/// The public key a verified certificate carries.
pub fn cert_public_key(vc: &VerifiedCert) -> RsaPublic {
    vc.public_key.clone()
}

/// The subject (CN) of a verified certificate, as identity bytes.
pub fn cert_subject(vc: &VerifiedCert) -> &[u8] {
    vc.subject.as_bytes()
}

/// Whether a verified certificate was issued to a third party.
pub fn cert_is_tp(vc: &VerifiedCert) -> bool {
    vc.role == CertRole::ThirdParty
}

/// A fresh OAKLEY-5 key pair (one exponentiation).
pub fn dh_generate(rng: &mut dyn Rng, meter: &mut Meter) -> Result<DhKeyPair, Error> {
    DhKeyPair::generate(rng, meter)
}

/// g^x of a key pair (192 bytes).
pub fn dh_public(pair: &DhKeyPair) -> Vec<u8> {
    pair.public_value().to_vec()
}

/// The shared secret with the peer's value (one exponentiation).
pub fn dh_shared(
    pair: &DhKeyPair,
    peer: &[u8],
    _message: &str,
    meter: &mut Meter,
) -> Result<Zeroizing<Vec<u8>>, Error> {
    pair.shared_secret(peer, meter)
}
