//! A tiny certification authority: real X.509v3 certificates (DER, RFC 5280) for the TPs, R
//! and the sensor, and the receiver's check of a certificate (chain to the CA, validity at a
//! given time, expected subject and role). RFC 3830 PK mode carries them in CERT payloads
//! (§6.7, cert type 0 = X.509v3).
//!
//! Every certificate has
//! * subject `CN=<role name>, OU=<role marker>, O=dmikey` — CN is the name the messages use
//!   ("TP3", "R", "sensor-1", …), OU is the role marker (`dmikey-ca`, `dmikey-tp`,
//!   `dmikey-r`, `dmikey-sensor`), issuer = the CA's subject;
//! * a serial number, a validity window (UTCTime through 2049, GeneralizedTime after), an RSA
//!   SubjectPublicKeyInfo;
//! * basicConstraints (critical; CA:TRUE only in the self-signed CA certificate) and keyUsage
//!   (critical; keyCertSign+cRLSign for the CA, digitalSignature+keyEncipherment for leaves);
//! * a sha256WithRSAEncryption (PKCS#1 v1.5) signature by the CA key.
//!
//! The DER is written and read by the RustCrypto crates `x509-cert` (its certificate builder)
//! and `der`; this module only adds our profile and our validation policy. [`verify`] checks
//! the signature over the TBSCertificate bytes exactly as received (never a re-encoding),
//! and accepts a certificate only if it is the one DER encoding of what it says: `der`
//! rejects non-minimal lengths and integers, indefinite lengths and trailing bytes, and the
//! checks here reject what a decoder cannot see (a DEFAULT value written out inside an
//! extension, an empty extensions list, an extension that occurs twice, a GeneralizedTime
//! before 2050), so that one certificate has exactly one byte form.

use super::recorded::CryptoOp;
use super::rsa::{RsaPrivateKey, RsaPublicKey};
use crate::Error;
use crate::cost::{Meter, Op, RsaKind};
use sha2::{Digest, Sha256};
use x509_cert::builder::{Builder, CertificateBuilder, profile::BuilderProfile};
use x509_cert::der::asn1::{Any, OctetString};
use x509_cert::der::oid::db::{rfc4519, rfc5912};
use x509_cert::der::oid::{AssociatedOid, ObjectIdentifier};
use x509_cert::der::{DateTime, Decode, Encode, Header, Reader, SliceReader, Tag};
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::name::DirectoryString;
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, KeyUsages};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::{
    AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef,
};
use x509_cert::time::{Time, Validity};
use x509_cert::{Certificate, TbsCertificate, Version};

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
    /// The serial number bytes (as encoded: a leading 00 keeps a high first bit positive).
    pub serial: Vec<u8>,
    pub validity: ValidityWindow,
}

fn malformed(subject: &str, reason: impl core::fmt::Display) -> Error {
    Error::CertificateMalformed { subject: subject.to_string(), reason: reason.to_string() }
}

/// The Name `CN=cn, OU=<role marker>, O=dmikey`: in DER the RDNs O, OU, CN (RFC 4514 text
/// lists them last first), each one UTF8String.
fn name_for(cn: &str, role: CertRole) -> Result<Name, Error> {
    // Only characters that need no escaping in RFC 4514 text, and no space at either end.
    let ok = !cn.is_empty()
        && cn.len() <= 64
        && !cn.starts_with(' ')
        && !cn.ends_with(' ')
        && cn
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ' ' | '@'));
    if !ok {
        return Err(malformed(
            cn,
            "the name must be 1-64 ASCII letters, digits, '-', '_', '.', '@' or inner spaces",
        ));
    }
    format!("CN={cn},OU={},O=dmikey", role.marker())
        .parse::<Name>()
        .map_err(|e| malformed(cn, format!("the name cannot be written: {e}")))
}

/// The AlgorithmIdentifier `{ sha256WithRSAEncryption, NULL }` (RFC 4055): the only
/// certificate signature algorithm we issue or accept.
fn sha256_with_rsa() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
        parameters: Some(Any::null()),
    }
}

/// One critical extension holding the DER of `value`.
fn critical<T: Encode + AssociatedOid>(value: &T) -> Result<Extension, x509_cert::der::Error> {
    Ok(Extension {
        extn_id: T::OID,
        critical: true,
        extn_value: OctetString::new(value.to_der()?)?,
    })
}

/// The key usages of a CA certificate and of a leaf.
fn usage_for(is_ca: bool) -> KeyUsage {
    KeyUsage(if is_ca {
        KeyUsages::KeyCertSign | KeyUsages::CRLSign
    } else {
        KeyUsages::DigitalSignature | KeyUsages::KeyEncipherment
    })
}

/// Our certificate profile for the `x509-cert` builder: the issuer and subject names, and
/// basicConstraints + keyUsage, both critical.
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
        _tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        // basicConstraints { cA TRUE, pathLenConstraint 0 } for the CA; {} (cA DEFAULT FALSE)
        // for a leaf.
        let bc = BasicConstraints { ca: self.is_ca, path_len_constraint: self.is_ca.then_some(0) };
        Ok(vec![critical(&bc)?, critical(&usage_for(self.is_ca))?])
    }
}

/// A unix time as an X.509 Time (UTCTime through 2049, GeneralizedTime after).
fn time(unix: u64, subject_cn: &str, field: &str) -> Result<Time, Error> {
    DateTime::from_unix_duration(core::time::Duration::from_secs(unix))
        .map(Time::from)
        .map_err(|_| malformed(subject_cn, format!("its {field} is after the year 9999")))
}

/// The whole certificate: our profile, signed by `signer_key` with PKCS#1 v1.5 / SHA-256.
fn build(
    profile: Profile,
    subject_cn: &str,
    serial: u64,
    validity: ValidityWindow,
    public_key: &RsaPublicKey,
    signer_key: &RsaPrivateKey,
) -> Result<Vec<u8>, Error> {
    let fail = |e: &dyn core::fmt::Display| malformed(subject_cn, format!("cannot build it: {e}"));
    let spki =
        SubjectPublicKeyInfoOwned::from_der(&public_key.to_spki_der()?).map_err(|e| fail(&e))?;
    let window = Validity::new(
        time(validity.not_before, subject_cn, "notBefore")?,
        time(validity.not_after, subject_cn, "notAfter")?,
    );
    // Serial numbers must be positive (RFC 5280 §4.1.2.2): 0 becomes 1.
    let builder = CertificateBuilder::new(profile, SerialNumber::from(serial.max(1)), window, spki)
        .map_err(|e| fail(&e))?;
    let signer = rsa::pkcs1v15::SigningKey::<Sha256>::new(signer_key.inner().clone());
    let cert = builder.build::<_, rsa::pkcs1v15::Signature>(&signer).map_err(|e| fail(&e))?;
    cert.to_der().map_err(|e| fail(&e))
}

/// The certification authority: its key, its self-signed certificate and its name.
#[derive(Clone, Debug)]
pub struct CertificateAuthority {
    name: String,
    key: RsaPrivateKey,
    cert_der: std::sync::Arc<Vec<u8>>,
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
        meter.count_rsa(RsaKind::Sign, key.public_key().size() * 8);
        meter.record(|| CryptoOp::CaNew { name: name.to_string(), key: key.clone(), validity });
        let der = meter.time(Op::Certificate, |_| {
            let profile = Profile { issuer: subject.clone(), subject, is_ca: true };
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
        let issuer = name_for(&self.name, CertRole::Ca)?;
        let subject = name_for(subject_cn, role)?;
        meter.count_rsa(RsaKind::Sign, self.key.public_key().size() * 8);
        meter.record(|| CryptoOp::CertIssue {
            ca: self.clone(),
            subject_cn: subject_cn.to_string(),
            role,
            public_key: public_key.clone(),
            validity,
            serial,
        });
        meter.time(Op::Certificate, |_| {
            let profile = Profile { issuer, subject, is_ca: role == CertRole::Ca };
            build(profile, subject_cn, serial, validity, public_key, &self.key)
        })
    }
}

/// A certificate as read off the wire, with the extensions our policy looks at.
struct Parsed<'a> {
    cert: Certificate,
    /// The TBSCertificate exactly as received (what the signature covers).
    tbs: &'a [u8],
    /// basicConstraints (None: no basicConstraints extension).
    basic: Option<BasicConstraints>,
    /// keyUsage (None: no keyUsage extension).
    key_usage: Option<KeyUsage>,
}

/// Decodes the DER value of an extension and checks that it is the one DER encoding of what
/// it holds (a decoder accepts a DEFAULT value written out; DER leaves it out).
fn extension_value<'a, T: Decode<'a, Error = x509_cert::der::Error> + Encode>(
    bytes: &'a [u8],
    what: &str,
) -> Result<T, String> {
    let value = T::from_der(bytes).map_err(|e| format!("its {what} cannot be read: {e}"))?;
    if value.to_der().map_err(|e| format!("its {what} cannot be written back: {e}"))? != bytes {
        return Err(format!(
            "its {what} is not in DER (a DEFAULT value such as cA FALSE must be left out)"
        ));
    }
    Ok(value)
}

/// The TBSCertificate bytes of a certificate exactly as they arrived: the first element
/// inside the outer SEQUENCE, header included.
fn received_tbs(der: &[u8]) -> Result<&[u8], x509_cert::der::Error> {
    let mut reader = SliceReader::new(der)?;
    Header::decode(&mut reader)?.tag().assert_eq(Tag::Sequence)?;
    reader.tlv_bytes()
}

/// Parses a DER certificate (RFC 5280 §4.1, version 3) and applies the DER rules a decoder
/// cannot see; `Err` is the reason, in words.
fn parse(der: &[u8]) -> Result<Parsed<'_>, String> {
    let cert =
        Certificate::from_der(der).map_err(|e| format!("it is not a DER certificate: {e}"))?;
    let tbs = received_tbs(der).map_err(|e| format!("it is not a DER certificate: {e}"))?;
    let t = cert.tbs_certificate();
    if t.version() != Version::V3 {
        return Err("only X.509 v3 is accepted".into());
    }
    for (what, when) in
        [("notBefore", t.validity().not_before), ("notAfter", t.validity().not_after)]
    {
        if let Time::GeneralTime(g) = when
            && g.to_date_time().year() < 2050
        {
            return Err(format!(
                "its {what} is a GeneralizedTime before 2050 (RFC 5280 §4.1.2.5: UTCTime then)"
            ));
        }
    }
    let extensions = t.extensions().map(|e| e.as_slice()).unwrap_or_default();
    if t.extensions().is_some() && extensions.is_empty() {
        return Err("its extensions list is empty (DER: at least one, or no list at all)".into());
    }
    let (mut basic, mut key_usage) = (None, None);
    let mut seen: Vec<ObjectIdentifier> = Vec::with_capacity(extensions.len());
    for ext in extensions {
        if seen.contains(&ext.extn_id) {
            return Err(format!("the extension {} occurs twice (RFC 5280 §4.2)", ext.extn_id));
        }
        seen.push(ext.extn_id);
        let value = ext.extn_value.as_bytes();
        if ext.extn_id == BasicConstraints::OID {
            let bc: BasicConstraints = extension_value(value, "basicConstraints")?;
            if !bc.ca && bc.path_len_constraint.is_some() {
                return Err("its basicConstraints has a pathLenConstraint without cA \
                            (RFC 5280 §4.2.1.9)"
                    .into());
            }
            basic = Some(bc);
        } else if ext.extn_id == KeyUsage::OID {
            key_usage = Some(extension_value::<KeyUsage>(value, "keyUsage")?);
        } else if ext.critical {
            return Err(format!(
                "the extension {} is marked critical but not understood (RFC 5280 §4.2)",
                ext.extn_id
            ));
        }
    }
    // Everything else a decoder accepts must still be the encoding `x509-cert` writes.
    if cert.to_der().map_err(|e| format!("it cannot be written back: {e}"))? != der {
        return Err("it is not in DER (written again, its bytes differ)".into());
    }
    Ok(Parsed { cert, tbs, basic, key_usage })
}

/// The one CN and the one OU of a name (UTF8String or PrintableString); a second CN or OU is
/// an error, so that no reader can pick a different one.
fn cn_ou(name: &Name) -> Result<(Option<String>, Option<String>), String> {
    let (mut cn, mut ou) = (None, None);
    for atv in name.iter() {
        let slot = if atv.oid == rfc4519::COMMON_NAME {
            &mut cn
        } else if atv.oid == rfc4519::ORGANIZATIONAL_UNIT_NAME {
            &mut ou
        } else {
            continue;
        };
        let value = match DirectoryString::try_from(&atv.value) {
            Ok(s @ (DirectoryString::Utf8String(_) | DirectoryString::PrintableString(_))) => {
                s.value().into_owned()
            }
            _ => return Err("a name part is not a UTF8String or PrintableString".into()),
        };
        if slot.replace(value).is_some() {
            return Err("its subject has two CNs or two OUs".into());
        }
    }
    Ok((cn, ou))
}

/// Checks `cert_der` against the CA certificate `ca_cert_der` at unix time `now`: issuer ==
/// CA subject, sha256WithRSAEncryption signature by the CA key over the TBSCertificate as
/// received, the CA certificate is a CA (basicConstraints cA, keyUsage keyCertSign),
/// `not_before <= now <= not_after`, the subject has a CN, and its OU is a dmikey role whose
/// basicConstraints/keyUsage fit it. `claimed` names the certificate in errors before its
/// own CN is known ("certificate of TP4 …").
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
    meter.time(Op::Certificate, |meter| check(cert_der, ca_cert_der, now, claimed, meter))
}

fn check(
    cert_der: &[u8],
    ca_cert_der: &[u8],
    now: u64,
    claimed: &str,
    meter: &mut Meter,
) -> Result<VerifiedCert, Error> {
    let leaf = parse(cert_der).map_err(|e| malformed(claimed, e))?;
    let ca = parse(ca_cert_der).map_err(|e| malformed("the CA", e))?;
    let (t, ca_t) = (leaf.cert.tbs_certificate(), ca.cert.tbs_certificate());
    let ca_is_ca = ca.basic.is_some_and(|b| b.ca) && ca.key_usage.is_none_or(|k| k.key_cert_sign());
    if !ca_is_ca {
        return Err(malformed("the CA", "it is not a CA certificate (basicConstraints cA)"));
    }
    let (cn, ou) = cn_ou(t.subject()).map_err(|e| malformed(claimed, e))?;
    // Until the signature is checked, nothing the certificate says names it.
    let not_from_ca = || Error::CertificateNotFromCa { subject: claimed.to_string() };
    if t.issuer() != ca_t.subject() {
        return Err(not_from_ca());
    }
    if leaf.cert.signature_algorithm() != t.signature() {
        return Err(malformed(
            claimed,
            "the signature algorithm differs inside and outside the signed part",
        ));
    }
    if *t.signature() != sha256_with_rsa() {
        return Err(not_from_ca());
    }
    let ca_spki = ca_t.subject_public_key_info().to_der().map_err(|e| malformed("the CA", e))?;
    let ca_key = RsaPublicKey::from_spki_der(&ca_spki).map_err(|e| malformed("the CA", e))?;
    let signature = leaf
        .cert
        .signature()
        .as_bytes()
        .ok_or_else(|| malformed(claimed, "the signature is not a whole number of bytes"))?;
    meter.count_rsa(RsaKind::Verify, ca_key.size() * 8);
    ca_key.inner().pkcs1v15_verify::<Sha256>(leaf.tbs, signature).map_err(|_| not_from_ca())?;
    // The CA signed it: from here on its CN names it, and a CA-signed certificate without
    // a CN names nobody (it must not pass as whoever the receiver expected).
    let subject =
        cn.ok_or_else(|| Error::CertificateWithoutCommonName { claimed: claimed.into() })?;
    let (not_before, not_after) = (
        t.validity().not_before.to_unix_duration().as_secs(),
        t.validity().not_after.to_unix_duration().as_secs(),
    );
    if now < not_before {
        return Err(Error::CertificateNotYetValid { subject, not_before, now });
    }
    if now > not_after {
        return Err(Error::CertificateExpired { subject, not_after, now });
    }
    let ou = ou.unwrap_or_default();
    let role = CertRole::from_marker(&ou).ok_or_else(|| Error::CertificateRoleMismatch {
        subject: subject.clone(),
        expected: "a dmikey role",
        found: ou.clone(),
    })?;
    let usage_fits = match role {
        CertRole::Ca => leaf.basic.is_some_and(|b| b.ca),
        _ => {
            leaf.basic.is_some_and(|b| !b.ca)
                && leaf.key_usage.is_some_and(|k| k.digital_signature() && k.key_encipherment())
        }
    };
    if !usage_fits {
        return Err(malformed(&subject, "its basicConstraints or keyUsage do not fit its role"));
    }
    let spki = t.subject_public_key_info().to_der().map_err(|e| malformed(&subject, e))?;
    let public_key = RsaPublicKey::from_spki_der(&spki).map_err(|e| malformed(&subject, e))?;
    Ok(VerifiedCert {
        subject,
        role,
        public_key,
        serial: t.serial_number().as_bytes().to_vec(),
        validity: ValidityWindow { not_before, not_after },
    })
}

/// A verified certificate, if its subject OU is `expected_role`.
fn with_role(v: VerifiedCert, expected_role: CertRole) -> Result<VerifiedCert, Error> {
    if v.role != expected_role {
        return Err(Error::CertificateRoleMismatch {
            subject: v.subject,
            expected: expected_role.marker(),
            found: v.role.marker().to_string(),
        });
    }
    Ok(v)
}

/// [`verify`] plus: the subject OU is `expected_role` (R checks that TPi_R's CERT is a
/// `dmikey-tp` one; the sensor that R's is `dmikey-r`). `claimed` names it in errors.
pub fn verify_role(
    cert_der: &[u8],
    ca_cert_der: &[u8],
    now: u64,
    claimed: &str,
    expected_role: CertRole,
    meter: &mut Meter,
) -> Result<VerifiedCert, Error> {
    let v = verify(cert_der, ca_cert_der, now, claimed, meter)?;
    with_role(v, expected_role)
}

/// [`verify_role`] plus: the subject CN is `expected_subject` (e.g. R checks that TPi_R's
/// CERT is "TP3" with role `dmikey-tp`).
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
    with_role(v, expected_role)
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

    #[test]
    fn names_are_o_ou_cn_utf8_and_read_back() {
        let der = name_for("TP3", CertRole::ThirdParty).unwrap().to_der().unwrap();
        let mut want = vec![0x30, 0x35];
        for (oid, v) in [(0x0A, &b"dmikey"[..]), (0x0B, b"dmikey-tp"), (0x03, b"TP3")] {
            want.extend_from_slice(&[0x31, 9 + v.len() as u8, 0x30, 7 + v.len() as u8]);
            want.extend_from_slice(&[0x06, 0x03, 0x55, 0x04, oid, 0x0C, v.len() as u8]);
            want.extend_from_slice(v);
        }
        want[1] = (want.len() - 2) as u8;
        assert_eq!(der, want);
        let (cn, ou) = cn_ou(&Name::from_der(&der).unwrap()).unwrap();
        assert_eq!((cn.as_deref(), ou.as_deref()), (Some("TP3"), Some("dmikey-tp")));
    }

    #[test]
    fn names_that_need_escaping_are_refused() {
        for bad in ["", " TP3", "TP3 ", "TP1,OU=dmikey-ca", "a+b", "x\"y", "#TP", &"a".repeat(65)] {
            assert!(name_for(bad, CertRole::ThirdParty).is_err(), "{bad:?}");
        }
        assert!(name_for("dmikey CA", CertRole::Ca).is_ok());
    }

    #[test]
    fn a_time_past_9999_names_the_field_it_is_in() {
        let far = 253_402_300_800; // 10000-01-01T00:00:00Z
        for (field, unix) in [("notBefore", far), ("notAfter", far + 1)] {
            let Err(Error::CertificateMalformed { reason, .. }) = time(unix, "TP1", field) else {
                panic!("{field}: a time past 9999 was accepted");
            };
            assert!(reason.contains(field), "{reason}");
        }
        assert!(time(far - 1, "TP1", "notAfter").is_ok());
    }
}
