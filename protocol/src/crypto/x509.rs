//! A tiny certification authority: real X.509v3 certificates (DER, RFC 5280) for the TPs, R
//! and the sensor, and the receiver's check of a certificate (chain to the CA, validity at a
//! given time, expected subject and role). RFC 3830 PK mode carries them in CERT payloads
//! (§6.7, cert type 0 = X.509v3).
//!
//! Every certificate has
//! * subject `CN=<role name>, OU=<role marker>, O=dmikey` — CN is the name the messages use
//!   ("TP3", "R", "sensor-1", …), OU is the role marker (`dmikey-ca`, `dmikey-tp`,
//!   `dmikey-r`, `dmikey-sensor`), issuer = the CA's subject;
//! * a serial number, a validity window (UTCTime up to 2049), an RSA SubjectPublicKeyInfo;
//! * basicConstraints (critical; CA:TRUE only in the self-signed CA certificate) and keyUsage
//!   (critical; keyCertSign+cRLSign for the CA, digitalSignature+keyEncipherment for leaves);
//! * a sha256WithRSAEncryption (PKCS#1 v1.5) signature by the CA key.
//!
//! Built with `x509-cert` 0.3's `builder`; the tests run `openssl x509 -inform der -text`
//! on the output. Verification re-encodes the parsed TBSCertificate to DER to check the
//! signature; DER is canonical, so that equals the received bytes for any well-formed
//! certificate (and a certificate that is not canonical DER fails the check).

use super::recorded::CryptoOp;
use super::rsa::{RsaPrivateKey, RsaPublicKey};
use crate::Error;
use crate::cost::{Meter, Op};
use core::time::Duration;
use der::Tag;
use der::asn1::{Any, GeneralizedTime, SetOfVec};
use der::{Decode, Encode};
use sha2::{Digest, Sha256};
use spki::{ObjectIdentifier, SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef};
use x509_cert::attr::AttributeTypeAndValue;
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::certificate::{Certificate, TbsCertificate};
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, KeyUsages};
use x509_cert::ext::{Extension, ToExtension};
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

/// sha256WithRSAEncryption (RFC 4055).
const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
/// id-at-commonName, id-at-organizationalUnitName, id-at-organizationName (X.520).
const ATTR_CN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
const ATTR_OU: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.11");
const ATTR_O: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.10");

/// The role a certificate is issued for, written as the subject's OU.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CertRole {
    Ca,
    ThirdParty,
    Responder,
    Sensor,
}

impl CertRole {
    /// The OU role marker.
    pub fn marker(self) -> &'static str {
        match self {
            CertRole::Ca => "dmikey-ca",
            CertRole::ThirdParty => "dmikey-tp",
            CertRole::Responder => "dmikey-r",
            CertRole::Sensor => "dmikey-sensor",
        }
    }

    /// The role for an OU marker.
    pub fn from_marker(s: &str) -> Option<Self> {
        [CertRole::Ca, CertRole::ThirdParty, CertRole::Responder, CertRole::Sensor]
            .into_iter()
            .find(|r| r.marker() == s)
    }
}

/// The validity window in unix seconds (inclusive bounds, RFC 5280 §4.1.2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidityWindow {
    pub not_before: u64,
    pub not_after: u64,
}

/// What a successful [`verify`] learned from the certificate.
#[derive(Debug, Clone)]
pub struct VerifiedCert {
    /// The subject CN ("TP3").
    pub subject: String,
    /// The role marker of the subject OU.
    pub role: CertRole,
    /// The certified RSA public key.
    pub public_key: RsaPublicKey,
    /// The serial number bytes.
    pub serial: Vec<u8>,
    pub validity: ValidityWindow,
}

fn malformed(subject: &str, reason: impl core::fmt::Display) -> Error {
    Error::CertificateMalformed { subject: subject.to_string(), reason: reason.to_string() }
}

fn name_for(cn: &str, role: CertRole) -> Result<Name, Error> {
    let ok = !cn.is_empty()
        && cn.len() <= 64
        && cn
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ' ' | '@'));
    if !ok {
        return Err(malformed(
            cn,
            "the name must be 1-64 ASCII letters, digits, '-', '_', '.', '@' or spaces",
        ));
    }
    // RFC 4514 "CN=…,OU=…,O=dmikey" lists the RDNs last first, so the DER sequence is O, OU,
    // CN, each value a UTF8String. Built from the attribute OIDs rather than parsed from that
    // string: the parser looks attribute names up in const-oid's whole OID database, which
    // would cost the browser build some 100 KB.
    let rdn = |oid: ObjectIdentifier, value: &str| -> der::Result<RelativeDistinguishedName> {
        let atv =
            AttributeTypeAndValue { oid, value: Any::new(Tag::Utf8String, value.as_bytes())? };
        Ok(RelativeDistinguishedName::from(SetOfVec::try_from(vec![atv])?))
    };
    let rdns = [(ATTR_O, "dmikey"), (ATTR_OU, role.marker()), (ATTR_CN, cn)]
        .into_iter()
        .map(|(oid, value)| rdn(oid, value))
        .collect::<der::Result<Vec<_>>>()
        .map_err(|e| malformed(cn, e))?;
    let der = RdnSequence::from(rdns).to_der().map_err(|e| malformed(cn, e))?;
    Name::from_der(&der).map_err(|e| malformed(cn, e))
}

fn time(subject: &str, unix: u64) -> Result<Time, Error> {
    GeneralizedTime::from_unix_duration(Duration::from_secs(unix))
        .map(Time::GeneralTime)
        .map_err(|e| malformed(subject, e))
}

/// Our certificate profile: issuer/subject names and the two extensions.
struct Profile {
    issuer: Name,
    subject: Name,
    is_ca: bool,
}

impl BuilderProfile for Profile {
    fn get_issuer(&self, _subject: &Name) -> Name {
        self.issuer.clone()
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        _spk: SubjectPublicKeyInfoRef<'_>,
        _issuer_spk: SubjectPublicKeyInfoRef<'_>,
        tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        let bc = BasicConstraints { ca: self.is_ca, path_len_constraint: self.is_ca.then_some(0) };
        let ku = if self.is_ca {
            KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign)
        } else {
            KeyUsage(KeyUsages::DigitalSignature | KeyUsages::KeyEncipherment)
        };
        Ok(vec![
            (true, &bc).to_extension(tbs.subject(), &[])?,
            (true, &ku).to_extension(tbs.subject(), &[])?,
        ])
    }
}

/// The certification authority: its key, its self-signed certificate and its name.
#[derive(Clone, Debug)]
pub struct CertificateAuthority {
    name: String,
    key: RsaPrivateKey,
    cert_der: std::sync::Arc<Vec<u8>>,
}

fn build(
    profile: Profile,
    subject_cn: &str,
    serial: u64,
    validity: ValidityWindow,
    public_key: &RsaPublicKey,
    signer_key: &RsaPrivateKey,
) -> Result<Vec<u8>, Error> {
    let spki = SubjectPublicKeyInfoOwned::from_der(&public_key.to_spki_der()?)
        .map_err(|e| malformed(subject_cn, e))?;
    let validity = Validity::new(
        time(subject_cn, validity.not_before)?,
        time(subject_cn, validity.not_after)?,
    );
    // Serial numbers must be positive; a leading 0x00 keeps the DER INTEGER positive.
    let mut serial_bytes = vec![0u8];
    serial_bytes.extend_from_slice(&serial.max(1).to_be_bytes());
    let first_nonzero = serial_bytes.iter().position(|b| *b != 0).unwrap_or(0);
    let start = if serial_bytes.get(first_nonzero).is_some_and(|b| *b & 0x80 != 0) {
        first_nonzero - 1
    } else {
        first_nonzero
    };
    let serial = SerialNumber::new(serial_bytes.get(start..).unwrap_or(&[1]))
        .map_err(|e| malformed(subject_cn, e))?;
    let builder = CertificateBuilder::new(profile, serial, validity, spki)
        .map_err(|e| malformed(subject_cn, e))?;
    let signer = rsa::pkcs1v15::SigningKey::<Sha256>::new(signer_key.inner().clone());
    let cert = builder
        .build::<_, rsa::pkcs1v15::Signature>(&signer)
        .map_err(|e| malformed(subject_cn, e))?;
    cert.to_der().map_err(|e| malformed(subject_cn, e))
}

impl CertificateAuthority {
    /// A CA named `name` (its CN) with `key`, issuing its own self-signed certificate.
    pub fn new(
        name: &str,
        key: RsaPrivateKey,
        validity: ValidityWindow,
        meter: &mut Meter,
    ) -> Result<Self, Error> {
        let subject = name_for(name, CertRole::Ca)?;
        let profile = Profile { issuer: subject.clone(), subject, is_ca: true };
        meter.rsa_private += 1;
        meter.record(|| CryptoOp::CaNew { name: name.to_string(), key: key.clone(), validity });
        let der = meter.time(Op::Certificate, |_| {
            build(profile, name, 1, validity, &key.public_key(), &key)
        })?;
        Ok(CertificateAuthority { name: name.to_string(), key, cert_der: std::sync::Arc::new(der) })
    }

    /// The CA's CN.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The CA's self-signed certificate (the trust anchor every role is given).
    pub fn cert_der(&self) -> &[u8] {
        &self.cert_der
    }

    /// Issues a leaf certificate `CN=subject_cn, OU=<role>` for `public_key`.
    pub fn issue(
        &self,
        subject_cn: &str,
        role: CertRole,
        public_key: &RsaPublicKey,
        validity: ValidityWindow,
        serial: u64,
        meter: &mut Meter,
    ) -> Result<Vec<u8>, Error> {
        let profile = Profile {
            issuer: name_for(&self.name, CertRole::Ca)?,
            subject: name_for(subject_cn, role)?,
            is_ca: role == CertRole::Ca,
        };
        meter.rsa_private += 1;
        meter.record(|| CryptoOp::CertIssue {
            ca: self.clone(),
            subject_cn: subject_cn.to_string(),
            role,
            public_key: public_key.clone(),
            validity,
            serial,
        });
        meter.time(Op::Certificate, |_| {
            build(profile, subject_cn, serial, validity, public_key, &self.key)
        })
    }
}

fn cn_of(name: &Name) -> Option<String> {
    name.common_name().ok().flatten().map(|d| d.value().to_string())
}

fn ou_of(name: &Name) -> Option<String> {
    name.organization_unit().ok().flatten().map(|d| d.value().to_string())
}

/// Checks `cert_der` against the CA certificate `ca_cert_der` at unix time `now`: issuer ==
/// CA subject, signature by the CA key, `not_before <= now <= not_after`. `claimed` names the
/// certificate in errors before its own CN is known ("certificate of TP4 …").
pub fn verify(
    cert_der: &[u8],
    ca_cert_der: &[u8],
    now: u64,
    claimed: &str,
    meter: &mut Meter,
) -> Result<VerifiedCert, Error> {
    meter.record(|| CryptoOp::CertVerify {
        cert: cert_der.to_vec(),
        ca_cert: ca_cert_der.to_vec(),
        now,
        claimed: claimed.to_string(),
    });
    meter.time(Op::Certificate, |meter| {
        let cert = Certificate::from_der(cert_der).map_err(|e| malformed(claimed, e))?;
        let ca = Certificate::from_der(ca_cert_der).map_err(|e| malformed("the CA", e))?;
        let tbs = cert.tbs_certificate();
        let subject = cn_of(tbs.subject()).unwrap_or_else(|| claimed.to_string());
        if tbs.issuer() != ca.tbs_certificate().subject() {
            return Err(Error::CertificateNotFromCa { subject });
        }
        if cert.signature_algorithm().oid != SHA256_WITH_RSA {
            return Err(Error::CertificateNotFromCa { subject });
        }
        let ca_key_der = ca
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .map_err(|e| malformed("the CA", e))?;
        let ca_key = RsaPublicKey::from_spki_der(&ca_key_der)?;
        let tbs_der = tbs.to_der().map_err(|e| malformed(&subject, e))?;
        let sig = cert
            .signature()
            .as_bytes()
            .ok_or_else(|| malformed(&subject, "signature is not whole bytes"))?;
        meter.rsa_public += 1;
        ca_key
            .inner()
            .pkcs1v15_verify::<Sha256>(&tbs_der, sig)
            .map_err(|_| Error::CertificateNotFromCa { subject: subject.clone() })?;
        let not_before = tbs.validity().not_before.to_unix_duration().as_secs();
        let not_after = tbs.validity().not_after.to_unix_duration().as_secs();
        if now < not_before {
            return Err(Error::CertificateNotYetValid { subject, not_before, now });
        }
        if now > not_after {
            return Err(Error::CertificateExpired { subject, not_after, now });
        }
        let ou = ou_of(tbs.subject()).unwrap_or_default();
        let role = CertRole::from_marker(&ou).ok_or_else(|| Error::CertificateRoleMismatch {
            subject: subject.clone(),
            expected: "a dmikey role",
            found: ou.clone(),
        })?;
        let spki_der =
            tbs.subject_public_key_info().to_der().map_err(|e| malformed(&subject, e))?;
        let public_key = RsaPublicKey::from_spki_der(&spki_der)?;
        Ok(VerifiedCert {
            subject,
            role,
            public_key,
            serial: tbs.serial_number().as_bytes().to_vec(),
            validity: ValidityWindow { not_before, not_after },
        })
    })
}

/// [`verify`] plus: the subject CN is `expected_subject` and the role is `expected_role`
/// (e.g. R checks that TPi_R's CERT is "TP3" with role `dmikey-tp`).
pub fn verify_peer(
    cert_der: &[u8],
    ca_cert_der: &[u8],
    now: u64,
    expected_subject: &str,
    expected_role: CertRole,
    meter: &mut Meter,
) -> Result<VerifiedCert, Error> {
    let v = verify(cert_der, ca_cert_der, now, expected_subject, meter)?;
    if v.subject != expected_subject {
        return Err(Error::CertificateSubjectMismatch {
            expected: expected_subject.to_string(),
            found: v.subject,
        });
    }
    if v.role != expected_role {
        return Err(Error::CertificateRoleMismatch {
            subject: v.subject,
            expected: expected_role.marker(),
            found: v.role.marker().to_string(),
        });
    }
    Ok(v)
}

/// The CHASH hash functions (RFC 3830 §6.8, RFC 6043 §6.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChashFunc {
    /// 0: SHA-1, 20 bytes.
    Sha1,
    /// 2: SHA-256, 32 bytes.
    Sha256,
}

impl ChashFunc {
    /// The `Hash func` code point.
    pub fn code(self) -> u8 {
        match self {
            ChashFunc::Sha1 => 0,
            ChashFunc::Sha256 => 2,
        }
    }
}

/// CHASH: the hash of a DER certificate.
pub fn chash(func: ChashFunc, cert_der: &[u8]) -> Vec<u8> {
    match func {
        ChashFunc::Sha1 => sha1::Sha1::digest(cert_der).to_vec(),
        ChashFunc::Sha256 => Sha256::digest(cert_der).to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::str::FromStr;

    #[test]
    fn names_are_the_der_of_their_rfc4514_string() {
        // The name is built from OIDs (no OID database in the browser); it must be exactly the
        // name x509-cert's RFC 4514 parser makes of "CN=…,OU=…,O=dmikey".
        for (cn, role) in [
            ("TP3", CertRole::ThirdParty),
            ("dmikey CA", CertRole::Ca),
            ("R", CertRole::Responder),
            ("sensor-1_a.b@c", CertRole::Sensor),
        ] {
            let parsed = Name::from_str(&format!("CN={cn},OU={},O=dmikey", role.marker())).unwrap();
            let built = name_for(cn, role).unwrap();
            assert_eq!(built.to_der().unwrap(), parsed.to_der().unwrap(), "{cn}");
            assert_eq!(cn_of(&built).as_deref(), Some(cn));
            assert_eq!(ou_of(&built).as_deref(), Some(role.marker()));
        }
    }
}
