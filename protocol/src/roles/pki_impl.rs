//! Adapter between the roles and the crypto layer for the PKI: key generation, certificate
//! issue, and the byte form of a [`super::Pki`].

use rsa::pkcs8::EncodePrivateKey;

use super::Pki;
use super::ca::{CertRole, Credential};
use crate::cost::Meter;
use crate::crypto::rng::Rng;
use crate::crypto::rsa::{self as crsa, RsaBits, RsaPrivateKey};
pub use crate::crypto::x509::CertificateAuthority as X509Ca;
use crate::crypto::x509::ValidityWindow;
use crate::error::Error;

const YEAR_S: u64 = 365 * 24 * 3600;

fn name(id: &[u8]) -> String {
    String::from_utf8_lossy(id).into_owned()
}

fn window(from: u64) -> ValidityWindow {
    ValidityWindow { not_before: from, not_after: from + YEAR_S }
}

/// PKCS#8 DER of a private key (for the knowledge panel and the key log).
pub fn private_der(key: &RsaPrivateKey) -> Vec<u8> {
    key.inner().to_pkcs8_der().map(|d| d.as_bytes().to_vec()).unwrap_or_default()
}

/// The CA: a key and its self-signed certificate.
pub fn new_ca(
    rng: &mut dyn Rng,
    meter: &mut Meter,
    bits: RsaBits,
    id: &[u8],
    from: u64,
) -> Result<(Credential, X509Ca), Error> {
    let key = crsa::generate(rng, bits, meter)?;
    let ca = X509Ca::new(&name(id), key.clone(), window(from), meter)?;
    Ok((Credential { key, cert_der: ca.cert_der().to_vec() }, ca))
}

/// A key for `subject` and its certificate, issued by the CA.
#[allow(clippy::too_many_arguments)]
pub fn new_leaf(
    rng: &mut dyn Rng,
    meter: &mut Meter,
    bits: RsaBits,
    ca: &X509Ca,
    subject: &[u8],
    role: CertRole,
    serial: u64,
    from: u64,
) -> Result<Credential, Error> {
    let key = crsa::generate(rng, bits, meter)?;
    let cert_der = ca.issue(
        &name(subject),
        role,
        &key.public_key(),
        window(from),
        serial.saturating_add(1),
        meter,
    )?;
    Ok(Credential { key, cert_der })
}

/// The byte form of a PKI.
pub fn to_bytes(_pki: &Pki) -> Vec<u8> {
    Vec::new()
}

/// Reads back [`to_bytes`].
pub fn from_bytes(_bytes: &[u8]) -> Result<Pki, Error> {
    Err(Error::PkiBytes {
        why: "reading a PKI back needs a PKCS#8 constructor in crypto::rsa (not yet available)"
            .into(),
    })
}
