//! A CERT payload's certificate decoded with `x509-cert`, and checked against the CA.

use core::ops::Range;

use x509_cert::Certificate;
use x509_cert::der::Decode;
use x509_cert::der::Encode;
use x509_cert::der::oid::ObjectIdentifier;
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage};

use super::{CertExtension, CertView, Check};
use crate::cost::Meter;
use crate::crypto::rsa::RsaPublicKey;

fn oid_name(oid: &ObjectIdentifier) -> &'static str {
    match oid.to_string().as_str() {
        "2.5.29.19" => "basicConstraints",
        "2.5.29.15" => "keyUsage",
        "2.5.29.14" => "subjectKeyIdentifier",
        "2.5.29.35" => "authorityKeyIdentifier",
        "2.5.29.17" => "subjectAltName",
        "2.5.29.37" => "extKeyUsage",
        "1.2.840.113549.1.1.1" => "rsaEncryption",
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.10" => "RSASSA-PSS",
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption",
        _ => "unknown",
    }
}

fn name_or_oid(oid: &ObjectIdentifier) -> String {
    match oid_name(oid) {
        "unknown" => oid.to_string(),
        n => n.to_string(),
    }
}

fn time(t: &x509_cert::time::Time) -> String {
    let secs = t.to_unix_duration().as_secs();
    crate::wire::time::format_unix(i64::try_from(secs).unwrap_or(i64::MAX))
}

fn ext_value(oid: &ObjectIdentifier, value: &[u8]) -> String {
    match oid_name(oid) {
        "basicConstraints" => match BasicConstraints::from_der(value) {
            Ok(b) => match b.path_len_constraint {
                Some(n) => format!("cA = {}, pathLen = {n}", b.ca),
                None => format!("cA = {}", b.ca),
            },
            Err(e) => format!("undecodable: {e}"),
        },
        "keyUsage" => match KeyUsage::from_der(value) {
            Ok(k) => {
                let mut v = Vec::new();
                for (on, name) in [
                    (k.digital_signature(), "digitalSignature"),
                    (k.non_repudiation(), "nonRepudiation"),
                    (k.key_encipherment(), "keyEncipherment"),
                    (k.data_encipherment(), "dataEncipherment"),
                    (k.key_agreement(), "keyAgreement"),
                    (k.key_cert_sign(), "keyCertSign"),
                    (k.crl_sign(), "cRLSign"),
                ] {
                    if on {
                        v.push(name);
                    }
                }
                v.join(", ")
            }
            Err(e) => format!("undecodable: {e}"),
        },
        _ => format!("{} bytes: {}", value.len(), super::calc::hex(value)),
    }
}

/// Decodes `der` (lying at `range` in the message) and checks it against `ca_der` at
/// `now_unix` (if a CA certificate is known).
pub fn view(
    der: &[u8],
    range: Range<usize>,
    ca_der: Option<&[u8]>,
    now_unix: u64,
) -> Option<CertView> {
    let cert = Certificate::from_der(der).ok()?;
    let t = cert.tbs_certificate();
    let spki = t.subject_public_key_info();
    let (modulus_bits, exponent) =
        match spki.to_der().ok().and_then(|d| RsaPublicKey::from_spki_der(&d).ok()) {
            Some(k) => {
                use rsa::traits::PublicKeyParts;
                let e = k.inner().e_bytes();
                let exponent = if e.len() <= 16 {
                    e.iter().fold(0u128, |a, b| (a << 8) | u128::from(*b)).to_string()
                } else {
                    format!("0x{}", super::calc::hex(&e))
                };
                (k.bits(), exponent)
            }
            None => (0, String::new()),
        };
    let extensions = t
        .extensions()
        .map(|e| e.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|e| CertExtension {
            oid: e.extn_id.to_string(),
            name: oid_name(&e.extn_id).to_string(),
            critical: e.critical,
            value: ext_value(&e.extn_id, e.extn_value.as_bytes()),
        })
        .collect();
    let chain = match ca_der {
        None => Check::NotChecked("no CA certificate is known to check it against".into()),
        Some(ca) => {
            let mut meter = Meter::new();
            match crate::crypto::x509::verify(der, ca, now_unix, "the certificate", &mut meter) {
                Ok(v) => Check::Ok(format!(
                    "issued by the CA: its sha256WithRSAEncryption signature over the TBSCertificate verifies with the CA's key, and it is valid now (subject {})",
                    v.subject
                )),
                Err(e) => Check::Failed(e.to_string()),
            }
        }
    };
    Some(CertView {
        range,
        version: match t.version() {
            x509_cert::Version::V1 => 1,
            x509_cert::Version::V2 => 2,
            x509_cert::Version::V3 => 3,
        },
        serial: super::calc::hex(t.serial_number().as_bytes()),
        issuer: t.issuer().to_string(),
        subject: t.subject().to_string(),
        not_before: time(&t.validity().not_before),
        not_after: time(&t.validity().not_after),
        key_algorithm: name_or_oid(&spki.algorithm.oid),
        modulus_bits,
        exponent,
        extensions,
        signature_algorithm: name_or_oid(&cert.signature_algorithm().oid),
        chain,
    })
}

/// The CN of a certificate's subject (the identity the messages use), if any.
pub fn subject_cn(der: &[u8]) -> Option<Vec<u8>> {
    let cert = Certificate::from_der(der).ok()?;
    let cn = x509_cert::der::oid::db::rfc4519::COMMON_NAME;
    cert.tbs_certificate().subject().iter().find(|a| a.oid == cn).and_then(|a| {
        x509_cert::ext::pkix::name::DirectoryString::try_from(&a.value)
            .ok()
            .map(|s| s.value().as_bytes().to_vec())
    })
}

/// The RSA public key of a certificate.
pub fn public_key(der: &[u8]) -> Option<RsaPublicKey> {
    let cert = Certificate::from_der(der).ok()?;
    let spki = cert.tbs_certificate().subject_public_key_info().to_der().ok()?;
    RsaPublicKey::from_spki_der(&spki).ok()
}
