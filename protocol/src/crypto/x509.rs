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
//! Written and read with our own small DER module ([`super::asn1`]) rather than the
//! `x509-cert`/`der` crates, which cost the browser build some 60 KB. The tests check the
//! output with `openssl x509 -text`, `openssl verify` and an independent parse by `x509-cert`
//! (a dev-dependency only). Verification checks the signature over the TBSCertificate bytes
//! exactly as received (no re-encoding), and accepts DER only.

use super::asn1::{self, DerError, DerReader, tag};
use super::recorded::CryptoOp;
use super::rsa::{RsaPrivateKey, RsaPublicKey};
use crate::Error;
use crate::cost::{Meter, Op};
use sha2::{Digest, Sha256};

/// AlgorithmIdentifier `{ sha256WithRSAEncryption (1.2.840.113549.1.1.11), NULL }` (RFC 4055)
/// as DER: the only signature algorithm we issue or accept.
const SHA256_WITH_RSA: &[u8] =
    &[0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B, 0x05, 0x00];
/// id-at-commonName, id-at-organizationalUnitName, id-at-organizationName (X.520), as the
/// content bytes of their OBJECT IDENTIFIERs.
const ATTR_CN: &[u8] = &[0x55, 0x04, 0x03];
const ATTR_OU: &[u8] = &[0x55, 0x04, 0x0B];
const ATTR_O: &[u8] = &[0x55, 0x04, 0x0A];
/// id-ce-basicConstraints (2.5.29.19) and id-ce-keyUsage (2.5.29.15).
const EXT_BASIC_CONSTRAINTS: &[u8] = &[0x55, 0x1D, 0x13];
const EXT_KEY_USAGE: &[u8] = &[0x55, 0x1D, 0x0F];
/// KeyUsage bits (RFC 5280 §4.2.1.3), bit 0 = most significant bit.
const KU_DIGITAL_SIGNATURE: u16 = 0x8000;
const KU_KEY_ENCIPHERMENT: u16 = 0x2000;
const KU_KEY_CERT_SIGN: u16 = 0x0400;
const KU_CRL_SIGN: u16 = 0x0200;

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

/// The DER Name `CN=cn, OU=<role marker>, O=dmikey`.
fn name_for(cn: &str, role: CertRole) -> Result<Vec<u8>, Error> {
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
    // CN: each RDN a SET of one AttributeTypeAndValue, each value a UTF8String.
    let mut out = Vec::with_capacity(96);
    let name = asn1::begin(&mut out, tag::SEQUENCE);
    for (oid, value) in [(ATTR_O, "dmikey"), (ATTR_OU, role.marker()), (ATTR_CN, cn)] {
        let rdn = asn1::begin(&mut out, tag::SET);
        let atv = asn1::begin(&mut out, tag::SEQUENCE);
        asn1::oid(&mut out, oid);
        asn1::utf8(&mut out, value);
        asn1::end(&mut out, atv);
        asn1::end(&mut out, rdn);
    }
    asn1::end(&mut out, name);
    Ok(out)
}

/// The certification authority: its key, its self-signed certificate and its name.
#[derive(Clone, Debug)]
pub struct CertificateAuthority {
    name: String,
    key: RsaPrivateKey,
    cert_der: std::sync::Arc<Vec<u8>>,
}

/// One critical extension `{ extnID, TRUE, OCTET STRING { value } }` (value: DER bytes).
fn extension(out: &mut Vec<u8>, oid: &[u8], value: &[u8]) {
    let ext = asn1::begin(out, tag::SEQUENCE);
    asn1::oid(out, oid);
    asn1::boolean(out, true);
    asn1::octet_string(out, value);
    asn1::end(out, ext);
}

/// Our certificate profile: the DER issuer and subject names, and whether it is the CA's.
struct Profile<'a> {
    issuer: &'a [u8],
    subject: &'a [u8],
    is_ca: bool,
}

/// The whole certificate: TBSCertificate (RFC 5280 §4.1), signed by `signer_key`.
fn build(
    Profile { issuer, subject, is_ca }: Profile<'_>,
    subject_cn: &str,
    serial: u64,
    validity: ValidityWindow,
    public_key: &RsaPublicKey,
    signer_key: &RsaPrivateKey,
) -> Result<Vec<u8>, Error> {
    let spki = public_key.to_spki_der()?;
    let mut tbs = Vec::with_capacity(spki.len() + issuer.len() + subject.len() + 128);
    let seq = asn1::begin(&mut tbs, tag::SEQUENCE);
    let version = asn1::begin(&mut tbs, tag::explicit(0));
    asn1::u64(&mut tbs, 2); // v3
    asn1::end(&mut tbs, version);
    // Serial numbers must be positive (RFC 5280 §4.1.2.2): 0 becomes 1.
    asn1::u64(&mut tbs, serial.max(1));
    tbs.extend_from_slice(SHA256_WITH_RSA);
    tbs.extend_from_slice(issuer);
    let window = asn1::begin(&mut tbs, tag::SEQUENCE);
    for t in [validity.not_before, validity.not_after] {
        asn1::time(&mut tbs, t)
            .ok_or_else(|| malformed(subject_cn, "the validity ends after the year 9999"))?;
    }
    asn1::end(&mut tbs, window);
    tbs.extend_from_slice(subject);
    tbs.extend_from_slice(&spki);
    let exts_tag = asn1::begin(&mut tbs, tag::explicit(3));
    let exts = asn1::begin(&mut tbs, tag::SEQUENCE);
    // basicConstraints: { cA TRUE, pathLenConstraint 0 } for the CA; {} (cA DEFAULT FALSE)
    // for a leaf.
    let mut bc = vec![tag::SEQUENCE, 0];
    if is_ca {
        bc = Vec::new();
        let m = asn1::begin(&mut bc, tag::SEQUENCE);
        asn1::boolean(&mut bc, true);
        asn1::u64(&mut bc, 0);
        asn1::end(&mut bc, m);
    }
    extension(&mut tbs, EXT_BASIC_CONSTRAINTS, &bc);
    let mut ku = Vec::new();
    asn1::named_bits(
        &mut ku,
        if is_ca {
            KU_KEY_CERT_SIGN | KU_CRL_SIGN
        } else {
            KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT
        },
    );
    extension(&mut tbs, EXT_KEY_USAGE, &ku);
    asn1::end(&mut tbs, exts);
    asn1::end(&mut tbs, exts_tag);
    asn1::end(&mut tbs, seq);

    let signature = signer_key
        .inner()
        .pkcs1v15_sign::<Sha256>(&tbs)
        .map_err(|e| malformed(subject_cn, format!("signing failed: {e}")))?;
    let mut cert = Vec::with_capacity(tbs.len() + signature.len() + 32);
    let outer = asn1::begin(&mut cert, tag::SEQUENCE);
    cert.extend_from_slice(&tbs);
    cert.extend_from_slice(SHA256_WITH_RSA);
    asn1::bit_string(&mut cert, &signature);
    asn1::end(&mut cert, outer);
    Ok(cert)
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
        meter.rsa_private += 1;
        meter.record(|| CryptoOp::CaNew { name: name.to_string(), key: key.clone(), validity });
        let der = meter.time(Op::Certificate, |_| {
            let profile = Profile { issuer: &subject, subject: &subject, is_ca: true };
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
            let profile =
                Profile { issuer: &issuer, subject: &subject, is_ca: role == CertRole::Ca };
            build(profile, subject_cn, serial, validity, public_key, &self.key)
        })
    }
}

/// A certificate as read off the wire: the fields [`verify`] checks, as slices of the input.
struct Parsed<'a> {
    /// The TBSCertificate exactly as received (what the signature covers).
    tbs: &'a [u8],
    /// The signature algorithm, outside the signed part and inside it.
    outer_alg: &'a [u8],
    inner_alg: &'a [u8],
    signature: &'a [u8],
    serial: &'a [u8],
    issuer: &'a [u8],
    subject: &'a [u8],
    not_before: u64,
    not_after: u64,
    spki: &'a [u8],
    /// basicConstraints cA (None: no basicConstraints extension).
    is_ca: Option<bool>,
    /// keyUsage bits (None: no keyUsage extension).
    key_usage: Option<u16>,
}

/// Parses a DER certificate (RFC 5280 §4.1, version 3), strictly.
fn parse(der: &[u8]) -> Result<Parsed<'_>, DerError> {
    let cert = asn1::parse_one(der, tag::SEQUENCE, "the certificate")?;
    let mut c = DerReader::new(cert.content);
    let tbs = c.read(tag::SEQUENCE, "the TBSCertificate")?;
    let outer_alg = c.read(tag::SEQUENCE, "the signature algorithm")?.whole;
    let signature = c.bit_string("the signature")?;
    c.finish("the signature")?;

    let mut t = DerReader::new(tbs.content);
    let mut v = t.nested(tag::explicit(0), "the version")?;
    if v.small_uint("the version")? != 2 {
        return Err(DerError::Invalid { what: "the version", why: "only X.509 v3 is accepted" });
    }
    v.finish("the version")?;
    let serial = t.integer("the serial number")?;
    if serial.first().is_some_and(|b| b & 0x80 != 0) || serial.len() > 20 {
        return Err(DerError::Invalid {
            what: "the serial number",
            why: "it must be positive and at most 20 bytes (RFC 5280 §4.1.2.2)",
        });
    }
    let inner_alg = t.read(tag::SEQUENCE, "the signature algorithm")?.whole;
    let issuer = t.read(tag::SEQUENCE, "the issuer name")?.whole;
    let mut validity = t.sequence("the validity")?;
    let not_before = validity.time("the start of validity (notBefore)")?;
    let not_after = validity.time("the end of validity (notAfter)")?;
    validity.finish("the validity")?;
    let subject = t.read(tag::SEQUENCE, "the subject name")?.whole;
    let spki = t.read(tag::SEQUENCE, "the subject public key")?.whole;
    let mut exts_tag = t.nested(tag::explicit(3), "the extensions")?;
    let mut exts = exts_tag.sequence("the extensions")?;
    exts_tag.finish("the extensions")?;
    t.finish("the extensions")?;

    let (mut is_ca, mut key_usage) = (None, None);
    while !exts.is_empty() {
        let mut ext = exts.sequence("an extension")?;
        let oid = ext.oid("an extension's identifier")?;
        let critical = if ext.peek_tag() == Some(tag::BOOLEAN) {
            if !ext.boolean("an extension's critical flag")? {
                return Err(DerError::Invalid {
                    what: "an extension's critical flag",
                    why: "DER leaves out a FALSE that is the default",
                });
            }
            true
        } else {
            false
        };
        let value = ext.octet_string("an extension's value")?;
        ext.finish("an extension's value")?;
        if oid == EXT_BASIC_CONSTRAINTS {
            let bc = asn1::parse_one(value, tag::SEQUENCE, "basicConstraints")?;
            let mut b = DerReader::new(bc.content);
            let ca = b.peek_tag() == Some(tag::BOOLEAN) && b.boolean("basicConstraints cA")?;
            if b.peek_tag() == Some(tag::INTEGER) {
                b.small_uint("basicConstraints pathLenConstraint")?;
            }
            b.finish("basicConstraints")?;
            if is_ca.replace(ca).is_some() {
                return Err(DerError::Invalid { what: "basicConstraints", why: "it occurs twice" });
            }
        } else if oid == EXT_KEY_USAGE {
            let mut k = DerReader::new(value);
            let bits = k.named_bits("keyUsage")?;
            k.finish("keyUsage")?;
            if key_usage.replace(bits).is_some() {
                return Err(DerError::Invalid { what: "keyUsage", why: "it occurs twice" });
            }
        } else if critical {
            return Err(DerError::Invalid {
                what: "an extension",
                why: "it is marked critical but not understood (RFC 5280 §4.2)",
            });
        }
    }
    Ok(Parsed {
        tbs: tbs.whole,
        outer_alg,
        inner_alg,
        signature,
        serial,
        issuer,
        subject,
        not_before,
        not_after,
        spki,
        is_ca,
        key_usage,
    })
}

/// The CN and OU of a DER Name (each a UTF8String or PrintableString).
fn cn_ou(name: &[u8]) -> Result<(Option<String>, Option<String>), DerError> {
    let mut rdns = DerReader::new(asn1::parse_one(name, tag::SEQUENCE, "a name")?.content);
    let (mut cn, mut ou) = (None, None);
    while !rdns.is_empty() {
        let mut set = rdns.nested(tag::SET, "a name part")?;
        while !set.is_empty() {
            let mut atv = set.sequence("a name attribute")?;
            let oid = atv.oid("a name attribute's type")?;
            let value = atv.string("a name attribute's value")?;
            atv.finish("a name attribute's value")?;
            if oid == ATTR_CN {
                cn = Some(value.to_string());
            } else if oid == ATTR_OU {
                ou = Some(value.to_string());
            }
        }
    }
    Ok((cn, ou))
}

/// Checks `cert_der` against the CA certificate `ca_cert_der` at unix time `now`: issuer ==
/// CA subject, sha256WithRSAEncryption signature by the CA key over the TBSCertificate as
/// received, the CA certificate is a CA (basicConstraints cA, keyUsage keyCertSign),
/// `not_before <= now <= not_after`, and the subject OU is a dmikey role whose
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
    meter.time(Op::Certificate, |meter| {
        let cert = parse(cert_der).map_err(|e| malformed(claimed, e))?;
        let ca = parse(ca_cert_der).map_err(|e| malformed("the CA", e))?;
        let (cn, ou) = cn_ou(cert.subject).map_err(|e| malformed(claimed, e))?;
        let subject = cn.unwrap_or_else(|| claimed.to_string());
        if cert.issuer != ca.subject {
            return Err(Error::CertificateNotFromCa { subject });
        }
        if cert.outer_alg != cert.inner_alg {
            return Err(malformed(
                &subject,
                "the signature algorithm differs inside and outside the signed part",
            ));
        }
        if cert.outer_alg != SHA256_WITH_RSA {
            return Err(Error::CertificateNotFromCa { subject });
        }
        if ca.is_ca != Some(true) || ca.key_usage.is_some_and(|k| k & KU_KEY_CERT_SIGN == 0) {
            return Err(malformed("the CA", "it is not a CA certificate (basicConstraints cA)"));
        }
        let ca_key = RsaPublicKey::from_spki_der(ca.spki).map_err(|e| malformed("the CA", e))?;
        meter.rsa_public += 1;
        ca_key
            .inner()
            .pkcs1v15_verify::<Sha256>(cert.tbs, cert.signature)
            .map_err(|_| Error::CertificateNotFromCa { subject: subject.clone() })?;
        let (not_before, not_after) = (cert.not_before, cert.not_after);
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
            CertRole::Ca => cert.is_ca == Some(true),
            _ => {
                cert.is_ca == Some(false)
                    && cert.key_usage.is_some_and(|k| {
                        k & (KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT)
                            == KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT
                    })
            }
        };
        if !usage_fits {
            return Err(malformed(
                &subject,
                "its basicConstraints or keyUsage do not fit its role",
            ));
        }
        let public_key =
            RsaPublicKey::from_spki_der(cert.spki).map_err(|e| malformed(&subject, e))?;
        Ok(VerifiedCert {
            subject,
            role,
            public_key,
            serial: cert.serial.to_vec(),
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

    #[test]
    fn names_are_o_ou_cn_utf8_and_read_back() {
        let der = name_for("TP3", CertRole::ThirdParty).unwrap();
        let mut want = vec![0x30, 0x35];
        for (oid, v) in [(0x0A, &b"dmikey"[..]), (0x0B, b"dmikey-tp"), (0x03, b"TP3")] {
            want.extend_from_slice(&[0x31, 9 + v.len() as u8, 0x30, 7 + v.len() as u8]);
            want.extend_from_slice(&[0x06, 0x03, 0x55, 0x04, oid, 0x0C, v.len() as u8]);
            want.extend_from_slice(v);
        }
        want[1] = (want.len() - 2) as u8;
        assert_eq!(der, want);
        let (cn, ou) = cn_ou(&der).unwrap();
        assert_eq!((cn.as_deref(), ou.as_deref()), (Some("TP3"), Some("dmikey-tp")));
    }
}
