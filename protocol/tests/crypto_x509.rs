//! The CA issues real X.509v3 certificates; receivers check chain, validity, subject and
//! role; openssl parses the DER.

use dmikey::Error;
use dmikey::cost::Meter;
use dmikey::crypto::rng::SimRng;
use dmikey::crypto::rsa::{self, RsaBits};
use dmikey::crypto::x509::{self, CertRole, CertificateAuthority, ChashFunc, ValidityWindow};

const NOW: u64 = 1_795_000_000; // 2026-11-18
const YEAR: u64 = 365 * 86_400;

fn window() -> ValidityWindow {
    ValidityWindow { not_before: NOW - 86_400, not_after: NOW + YEAR }
}

fn make_ca(seed: u64, name: &str, m: &mut Meter) -> CertificateAuthority {
    let key = rsa::generate(&mut SimRng::from_seed(seed).fork("CA"), RsaBits::B1024, m).unwrap();
    CertificateAuthority::new(name, key, window(), m).unwrap()
}

#[test]
fn r_accepts_the_certificate_the_ca_issued_to_tp3() {
    let mut m = Meter::new();
    let ca = make_ca(1, "dmikey CA", &mut m);
    let tp3 = rsa::generate(&mut SimRng::from_seed(1).fork("TP3"), RsaBits::B1024, &mut m).unwrap();
    let der =
        ca.issue("TP3", CertRole::ThirdParty, &tp3.public_key(), window(), 3, &mut m).unwrap();
    let v =
        x509::verify_peer(&der, ca.cert_der(), NOW, "TP3", CertRole::ThirdParty, &mut m).unwrap();
    assert_eq!(v.subject, "TP3");
    assert_eq!(v.role, CertRole::ThirdParty);
    assert_eq!(v.public_key, tp3.public_key());
    assert_eq!(v.serial, vec![3]);
    assert_eq!(v.validity, window());
    // The CA certificate verifies against itself (self-signed trust anchor).
    let c = x509::verify(ca.cert_der(), ca.cert_der(), NOW, "CA", &mut m).unwrap();
    assert_eq!(c.role, CertRole::Ca);
}

#[test]
fn certificate_from_another_ca_or_altered_is_not_from_the_ca() {
    let mut m = Meter::new();
    let ca = make_ca(1, "dmikey CA", &mut m);
    let rogue = make_ca(2, "dmikey CA", &mut m); // same name, other key
    let other = make_ca(3, "Other CA", &mut m);
    let k = rsa::generate(&mut SimRng::from_seed(5), RsaBits::B1024, &mut m).unwrap();
    for issuer in [&rogue, &other] {
        let der = issuer
            .issue("TP4", CertRole::ThirdParty, &k.public_key(), window(), 4, &mut m)
            .unwrap();
        let e = x509::verify(&der, ca.cert_der(), NOW, "TP4", &mut m).unwrap_err();
        assert_eq!(e.to_string(), "certificate of TP4 was not issued by the CA");
    }
    let der = ca.issue("TP4", CertRole::ThirdParty, &k.public_key(), window(), 4, &mut m).unwrap();
    // Change one byte of the CN ("TP4" -> "TP5") inside the signed part.
    let pos = der.windows(3).position(|w| w == b"TP4").unwrap();
    let mut forged = der.clone();
    forged[pos + 2] = b'5';
    let e = x509::verify(&forged, ca.cert_der(), NOW, "TP5", &mut m).unwrap_err();
    assert_eq!(e, Error::CertificateNotFromCa { subject: "TP5".into() });
    assert!(matches!(
        x509::verify(&der[..der.len() - 3], ca.cert_der(), NOW, "TP4", &mut m),
        Err(Error::CertificateMalformed { .. })
    ));
}

#[test]
fn expired_and_not_yet_valid_certificates_are_rejected() {
    let mut m = Meter::new();
    let ca = make_ca(1, "dmikey CA", &mut m);
    let k = rsa::generate(&mut SimRng::from_seed(6), RsaBits::B1024, &mut m).unwrap();
    let der = ca.issue("TP4", CertRole::ThirdParty, &k.public_key(), window(), 9, &mut m).unwrap();
    let e = x509::verify(&der, ca.cert_der(), NOW + 2 * YEAR, "TP4", &mut m).unwrap_err();
    assert!(matches!(e, Error::CertificateExpired { .. }));
    assert!(e.to_string().starts_with("certificate of TP4 expired"));
    let e = x509::verify(&der, ca.cert_der(), NOW - 2 * 86_400, "TP4", &mut m).unwrap_err();
    assert!(e.to_string().starts_with("certificate of TP4 is not yet valid"));
}

#[test]
fn wrong_subject_or_role_is_rejected() {
    let mut m = Meter::new();
    let ca = make_ca(1, "dmikey CA", &mut m);
    let k = rsa::generate(&mut SimRng::from_seed(7), RsaBits::B1024, &mut m).unwrap();
    let r_cert = ca.issue("R", CertRole::Responder, &k.public_key(), window(), 10, &mut m).unwrap();
    let e = x509::verify_peer(&r_cert, ca.cert_der(), NOW, "TP1", CertRole::ThirdParty, &mut m)
        .unwrap_err();
    assert_eq!(e, Error::CertificateSubjectMismatch { expected: "TP1".into(), found: "R".into() });
    let e = x509::verify_peer(&r_cert, ca.cert_der(), NOW, "R", CertRole::ThirdParty, &mut m)
        .unwrap_err();
    assert!(matches!(e, Error::CertificateRoleMismatch { expected: "dmikey-tp", .. }));
    assert!(
        ca.issue("TP1,OU=dmikey-ca", CertRole::ThirdParty, &k.public_key(), window(), 1, &mut m)
            .is_err()
    );
}

#[test]
fn chash_is_sha256_or_sha1_of_the_der() {
    use sha2::Digest;
    let mut m = Meter::new();
    let ca = make_ca(1, "dmikey CA", &mut m);
    let h = x509::chash(ChashFunc::Sha256, ca.cert_der());
    assert_eq!(h, sha2::Sha256::digest(ca.cert_der()).to_vec());
    assert_eq!(x509::chash(ChashFunc::Sha1, ca.cert_der()).len(), 20);
    assert_eq!((ChashFunc::Sha1.code(), ChashFunc::Sha256.code()), (0, 2));
}

#[test]
fn openssl_parses_the_ca_and_leaf_certificates() {
    let Ok(which) = std::process::Command::new("which").arg("openssl").output() else { return };
    if !which.status.success() {
        eprintln!("openssl not installed: skipping the external parse check");
        return;
    }
    let mut m = Meter::new();
    let ca = make_ca(1, "dmikey CA", &mut m);
    let k = rsa::generate(&mut SimRng::from_seed(8), RsaBits::B2048, &mut m).unwrap();
    let leaf =
        ca.issue("TP3", CertRole::ThirdParty, &k.public_key(), window(), 0x1234, &mut m).unwrap();
    let dir = std::env::temp_dir().join(format!("dmikey-x509-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca_path = dir.join("ca.der");
    let leaf_path = dir.join("tp3.der");
    std::fs::write(&ca_path, ca.cert_der()).unwrap();
    std::fs::write(&leaf_path, &leaf).unwrap();
    for (path, needles) in [
        (
            &ca_path,
            vec!["CN = dmikey CA", "CA:TRUE", "Certificate Sign", "sha256WithRSAEncryption"],
        ),
        (
            &leaf_path,
            vec![
                "CN = TP3",
                "OU = dmikey-tp",
                "Issuer: O = dmikey, OU = dmikey-ca, CN = dmikey CA",
                "CA:FALSE",
                "Digital Signature",
                "Public-Key: (2048 bit)",
            ],
        ),
    ] {
        let out = std::process::Command::new("openssl")
            .args(["x509", "-inform", "der", "-text", "-noout", "-in"])
            .arg(path)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "openssl failed: {}", String::from_utf8_lossy(&out.stderr));
        for n in needles {
            assert!(text.contains(n), "openssl output lacks {n:?}:\n{text}");
        }
    }
    // openssl also verifies the chain.
    let pem = |p: &std::path::Path| {
        let q = p.with_extension("pem");
        let ok = std::process::Command::new("openssl")
            .args(["x509", "-inform", "der", "-in"])
            .arg(p)
            .arg("-out")
            .arg(&q)
            .status()
            .unwrap();
        assert!(ok.success());
        q
    };
    let (ca_pem, leaf_pem) = (pem(&ca_path), pem(&leaf_path));
    let out = std::process::Command::new("openssl")
        .args(["verify", "-no-CApath", "-no-CAfile", "-attime", &NOW.to_string(), "-CAfile"])
        .arg(&ca_pem)
        .arg(&leaf_pem)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(": OK"),
        "openssl verify: {text} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_independent_parser_reads_the_same_fields() {
    // x509-cert (RustCrypto, a dev-dependency only) parses what our own DER writer made.
    use x509_cert::Certificate;
    use x509_cert::der::{Decode, Encode};
    use x509_cert::ext::pkix::{BasicConstraints, KeyUsage};
    use x509_cert::time::Time;
    let mut m = Meter::new();
    let ca = make_ca(1, "dmikey CA", &mut m);
    let k = rsa::generate(&mut SimRng::from_seed(8), RsaBits::B1024, &mut m).unwrap();
    // notAfter in 2051: written as a GeneralizedTime (RFC 5280 §4.1.2.5).
    let late = ValidityWindow { not_before: NOW - 86_400, not_after: 2_556_143_999 };
    let leaf = ca.issue("TP3", CertRole::ThirdParty, &k.public_key(), late, 0x80, &mut m).unwrap();
    let ours = x509::verify(&leaf, ca.cert_der(), NOW, "TP3", &mut m).unwrap();
    let theirs = Certificate::from_der(&leaf).unwrap();
    let ca_theirs = Certificate::from_der(ca.cert_der()).unwrap();
    assert_eq!(theirs.to_der().unwrap(), leaf, "x509-cert re-encodes the exact bytes");
    let tbs = theirs.tbs_certificate();
    assert_eq!(tbs.version(), x509_cert::certificate::Version::V3);
    assert_eq!(tbs.serial_number().as_bytes(), &[0x00, 0x80][..]);
    assert_eq!(ours.serial, vec![0x00, 0x80]);
    assert_eq!(tbs.subject().common_name().unwrap().unwrap().value(), "TP3");
    assert_eq!(tbs.subject().organization_unit().unwrap().unwrap().value(), "dmikey-tp");
    assert_eq!(tbs.subject().to_string(), "CN=TP3,OU=dmikey-tp,O=dmikey");
    assert_eq!(tbs.issuer(), ca_theirs.tbs_certificate().subject());
    assert_eq!(tbs.issuer().to_string(), "CN=dmikey CA,OU=dmikey-ca,O=dmikey");
    assert!(matches!(tbs.validity().not_before, Time::UtcTime(_)));
    assert!(matches!(tbs.validity().not_after, Time::GeneralTime(_)));
    assert_eq!(tbs.validity().not_before.to_unix_duration().as_secs(), late.not_before);
    assert_eq!(tbs.validity().not_after.to_unix_duration().as_secs(), late.not_after);
    assert_eq!(ours.validity, late);
    assert_eq!(
        tbs.subject_public_key_info().to_der().unwrap(),
        k.public_key().to_spki_der().unwrap()
    );
    let sha256_rsa = "1.2.840.113549.1.1.11";
    assert_eq!(theirs.signature_algorithm().oid.to_string(), sha256_rsa);
    assert_eq!(tbs.signature().oid.to_string(), sha256_rsa);
    let (crit, bc) = tbs.get_extension::<BasicConstraints>().unwrap().unwrap();
    assert!(crit && !bc.ca && bc.path_len_constraint.is_none());
    let (crit, ku) = tbs.get_extension::<KeyUsage>().unwrap().unwrap();
    assert!(crit && ku.digital_signature() && ku.key_encipherment() && !ku.key_cert_sign());
    let ca_tbs = ca_theirs.tbs_certificate();
    let (crit, bc) = ca_tbs.get_extension::<BasicConstraints>().unwrap().unwrap();
    assert!(crit && bc.ca && bc.path_len_constraint == Some(0));
    let (_, ku) = ca_tbs.get_extension::<KeyUsage>().unwrap().unwrap();
    assert!(ku.key_cert_sign() && ku.crl_sign() && !ku.digital_signature());
    // The signature x509-cert sees is the one that verifies over its TBSCertificate bytes.
    let sig = theirs.signature().as_bytes().unwrap();
    let ca_key =
        rsa::RsaPublicKey::from_spki_der(&ca_tbs.subject_public_key_info().to_der().unwrap())
            .unwrap();
    ca_key.inner().pkcs1v15_verify::<sha2::Sha256>(&tbs.to_der().unwrap(), sig).unwrap();
}

// ---- Certificates written by hand with `der` and signed by the real CA key --------------
//
// Each test below changes one thing of an otherwise correct certificate, so a rejection is
// due to that one thing; `hand_built_certificate_is_the_one_the_ca_issues` proves the
// baseline is byte for byte what the CA issues.

mod by_hand {
    use super::*;
    use dmikey::crypto::rsa::RsaPrivateKey;
    use x509_cert::der::asn1::{Any, BitString, GeneralizedTime, OctetString, UtcTime};
    use x509_cert::der::oid::ObjectIdentifier;
    use x509_cert::der::{Encode, Tag, TagNumber};
    use x509_cert::ext::Extension;
    use x509_cert::ext::pkix::{KeyUsage, KeyUsages};
    use x509_cert::name::Name;
    use x509_cert::spki::AlgorithmIdentifierOwned;

    /// `tag` around the concatenated DER of `parts`.
    fn tlv(tag: Tag, parts: &[Vec<u8>]) -> Vec<u8> {
        Any::new(tag, parts.concat()).unwrap().to_der().unwrap()
    }

    fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
        tlv(Tag::Sequence, parts)
    }

    fn explicit(n: u32, inner: Vec<u8>) -> Vec<u8> {
        tlv(Tag::ContextSpecific { constructed: true, number: TagNumber(n) }, &[inner])
    }

    pub fn name(text: &str) -> Vec<u8> {
        text.parse::<Name>().unwrap().to_der().unwrap()
    }

    pub fn utc(t: u64) -> Vec<u8> {
        UtcTime::from_unix_duration(std::time::Duration::from_secs(t)).unwrap().to_der().unwrap()
    }

    pub fn generalized(t: u64) -> Vec<u8> {
        GeneralizedTime::from_unix_duration(std::time::Duration::from_secs(t))
            .unwrap()
            .to_der()
            .unwrap()
    }

    fn sha256_rsa() -> Vec<u8> {
        AlgorithmIdentifierOwned {
            oid: ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11"),
            parameters: Some(Any::null()),
        }
        .to_der()
        .unwrap()
    }

    pub fn ext(oid: &str, critical: bool, value: &[u8]) -> Vec<u8> {
        Extension {
            extn_id: ObjectIdentifier::new_unwrap(oid),
            critical,
            extn_value: OctetString::new(value).unwrap(),
        }
        .to_der()
        .unwrap()
    }

    pub const BASIC_CONSTRAINTS: &str = "2.5.29.19";
    pub const KEY_USAGE: &str = "2.5.29.15";

    pub fn leaf_usage() -> Vec<u8> {
        KeyUsage(KeyUsages::DigitalSignature | KeyUsages::KeyEncipherment).to_der().unwrap()
    }

    /// The parts of a TBSCertificate, each as DER.
    pub struct Tbs {
        pub version: Option<Vec<u8>>,
        pub serial: Vec<u8>,
        pub issuer: Vec<u8>,
        pub not_before: Vec<u8>,
        pub not_after: Vec<u8>,
        pub subject: Vec<u8>,
        pub spki: Vec<u8>,
        pub extensions: Option<Vec<Vec<u8>>>,
    }

    impl Tbs {
        /// What `CertificateAuthority::issue("TP4", ThirdParty, key, window(), 4)` writes.
        pub fn leaf(key: &RsaPrivateKey) -> Tbs {
            Tbs {
                version: Some(explicit(0, 2u8.to_der().unwrap())),
                serial: 4u8.to_der().unwrap(),
                issuer: name("CN=dmikey CA,OU=dmikey-ca,O=dmikey"),
                not_before: utc(window().not_before),
                not_after: utc(window().not_after),
                subject: name("CN=TP4,OU=dmikey-tp,O=dmikey"),
                spki: key.public_key().to_spki_der().unwrap(),
                extensions: Some(vec![
                    ext(BASIC_CONSTRAINTS, true, &[0x30, 0x00]),
                    ext(KEY_USAGE, true, &leaf_usage()),
                ]),
            }
        }

        pub fn der(&self) -> Vec<u8> {
            let mut parts: Vec<Vec<u8>> = self.version.iter().cloned().collect();
            parts.extend([
                self.serial.clone(),
                sha256_rsa(),
                self.issuer.clone(),
                seq(&[self.not_before.clone(), self.not_after.clone()]),
                self.subject.clone(),
                self.spki.clone(),
            ]);
            if let Some(exts) = &self.extensions {
                parts.push(explicit(3, seq(exts)));
            }
            seq(&parts)
        }

        /// The whole certificate, signed over exactly these TBS bytes by `signer`.
        pub fn signed_by(&self, signer: &RsaPrivateKey) -> Vec<u8> {
            let tbs = self.der();
            let sig = signer.inner().pkcs1v15_sign::<sha2::Sha256>(&tbs).unwrap();
            seq(&[tbs, sha256_rsa(), BitString::from_bytes(&sig).unwrap().to_der().unwrap()])
        }
    }
}

use by_hand::{BASIC_CONSTRAINTS, KEY_USAGE, Tbs, ext, leaf_usage};

/// The CA of `make_ca(1, "dmikey CA")` with its key, and a subject key.
fn ca_and_keys() -> (CertificateAuthority, rsa::RsaPrivateKey, rsa::RsaPrivateKey) {
    let mut m = Meter::new();
    let ca_key =
        rsa::generate(&mut SimRng::from_seed(1).fork("CA"), RsaBits::B1024, &mut m).unwrap();
    let ca = CertificateAuthority::new("dmikey CA", ca_key.clone(), window(), &mut m).unwrap();
    let k = rsa::generate(&mut SimRng::from_seed(5), RsaBits::B1024, &mut m).unwrap();
    (ca, ca_key, k)
}

fn check(cert: &[u8], ca: &CertificateAuthority) -> Result<x509::VerifiedCert, Error> {
    x509::verify_peer(cert, ca.cert_der(), NOW, "TP4", CertRole::ThirdParty, &mut Meter::new())
}

/// The reason of a `CertificateMalformed` of TP4.
fn malformed_reason(cert: &[u8], ca: &CertificateAuthority) -> String {
    match check(cert, ca) {
        Err(Error::CertificateMalformed { subject, reason }) => {
            assert_eq!(subject, "TP4");
            reason
        }
        other => panic!("expected a malformed certificate, got {other:?}"),
    }
}

#[test]
fn hand_built_certificate_is_the_one_the_ca_issues() {
    let (ca, ca_key, k) = ca_and_keys();
    let issued = ca
        .issue("TP4", CertRole::ThirdParty, &k.public_key(), window(), 4, &mut Meter::new())
        .unwrap();
    assert_eq!(Tbs::leaf(&k).signed_by(&ca_key), issued);
    assert_eq!(check(&issued, &ca).unwrap().subject, "TP4");
}

#[test]
fn a_ca_signed_certificate_without_cn_is_nobody() {
    let (ca, ca_key, k) = ca_and_keys();
    let mut tbs = Tbs::leaf(&k);
    tbs.subject = by_hand::name("OU=dmikey-tp,O=dmikey");
    let cert = tbs.signed_by(&ca_key);
    let e = check(&cert, &ca).unwrap_err();
    assert_eq!(e, Error::CertificateWithoutCommonName { claimed: "TP4".into() });
    assert_eq!(
        e.to_string(),
        "the certificate presented for TP4 names no subject (it has no CN): it certifies nobody"
    );
    // The same for any name the receiver expects, and through the plain check.
    let e = x509::verify(&cert, ca.cert_der(), NOW, "R", &mut Meter::new()).unwrap_err();
    assert_eq!(e, Error::CertificateWithoutCommonName { claimed: "R".into() });
    // Two CNs are refused too (a reader could pick either).
    tbs.subject = by_hand::name("CN=TP4,CN=TP3,OU=dmikey-tp,O=dmikey");
    assert!(malformed_reason(&tbs.signed_by(&ca_key), &ca).contains("two CNs"));
}

#[test]
fn a_certificate_signed_by_another_key_under_the_ca_name_is_not_from_the_ca() {
    let (ca, _, k) = ca_and_keys();
    let rogue =
        rsa::generate(&mut SimRng::from_seed(77), RsaBits::B1024, &mut Meter::new()).unwrap();
    // Issuer "CN=dmikey CA,OU=dmikey-ca,O=dmikey", every byte right, but the rogue key signs.
    let cert = Tbs::leaf(&k).signed_by(&rogue);
    assert_eq!(
        check(&cert, &ca).unwrap_err(),
        Error::CertificateNotFromCa { subject: "TP4".into() }
    );
}

#[test]
fn any_change_to_the_signed_part_breaks_the_signature() {
    let (ca, ca_key, k) = ca_and_keys();
    let good = Tbs::leaf(&k);
    let cert = good.signed_by(&ca_key);
    let tbs_len = good.der().len();
    // Every single-bit change inside the TBSCertificate: rejected, and never as valid.
    let mut accepted = Vec::new();
    for pos in 4..4 + tbs_len {
        let mut bad = cert.clone();
        bad[pos] ^= 0x01;
        if check(&bad, &ca).is_ok() {
            accepted.push(pos);
        }
    }
    assert!(accepted.is_empty(), "accepted after changing byte {accepted:?}");
    // Longer validity, swapped key: re-encoded correctly but not what the CA signed.
    let mut longer = Tbs::leaf(&k);
    longer.not_after = by_hand::utc(window().not_after + 10 * YEAR);
    let mut forged = longer.der();
    let sig_part = &cert[4 + tbs_len..];
    forged = [forged, sig_part.to_vec()].concat();
    let mut whole = vec![0x30, 0x82];
    whole.extend_from_slice(&(forged.len() as u16).to_be_bytes());
    whole.extend_from_slice(&forged);
    assert_eq!(
        check(&whole, &ca).unwrap_err(),
        Error::CertificateNotFromCa { subject: "TP4".into() }
    );
}

#[test]
fn validity_bounds_are_inclusive_and_checked_both_ways() {
    let (ca, _, k) = ca_and_keys();
    let mut m = Meter::new();
    let der = ca.issue("TP4", CertRole::ThirdParty, &k.public_key(), window(), 4, &mut m).unwrap();
    let at = |now| x509::verify(&der, ca.cert_der(), now, "TP4", &mut Meter::new());
    assert!(at(window().not_before).is_ok());
    assert!(at(window().not_after).is_ok());
    assert!(matches!(at(window().not_before - 1), Err(Error::CertificateNotYetValid { .. })));
    assert!(matches!(at(window().not_after + 1), Err(Error::CertificateExpired { .. })));
}

#[test]
fn a_ca_certificate_cannot_act_as_a_third_party_nor_a_leaf_as_the_ca() {
    let (ca, ca_key, k) = ca_and_keys();
    // cA TRUE in a certificate whose OU says third party: its constraints do not fit it.
    let mut tbs = Tbs::leaf(&k);
    tbs.extensions = Some(vec![
        ext(BASIC_CONSTRAINTS, true, &[0x30, 0x03, 0x01, 0x01, 0xFF]),
        ext(KEY_USAGE, true, &leaf_usage()),
    ]);
    assert!(malformed_reason(&tbs.signed_by(&ca_key), &ca).contains("do not fit its role"));
    // A real CA certificate (OU dmikey-ca, cA TRUE) named TP4 is not a TP's.
    let mut m = Meter::new();
    let as_ca = ca.issue("TP4", CertRole::Ca, &k.public_key(), window(), 4, &mut m).unwrap();
    assert!(matches!(
        check(&as_ca, &ca),
        Err(Error::CertificateRoleMismatch { expected: "dmikey-tp", .. })
    ));
    // A leaf given as the trust anchor is not a CA.
    let leaf = ca.issue("TP4", CertRole::ThirdParty, &k.public_key(), window(), 4, &mut m).unwrap();
    let e = x509::verify(&leaf, &leaf, NOW, "TP4", &mut m).unwrap_err();
    assert!(matches!(e, Error::CertificateMalformed { ref subject, .. } if subject == "the CA"));
}

#[test]
fn encodings_der_forbids_are_malformed() {
    let (ca, ca_key, k) = ca_and_keys();
    let with_exts = |exts: Option<Vec<Vec<u8>>>| {
        let mut tbs = Tbs::leaf(&k);
        tbs.extensions = exts;
        malformed_reason(&tbs.signed_by(&ca_key), &ca)
    };
    // basicConstraints { cA FALSE } written out: DER leaves a DEFAULT value out.
    let r = with_exts(Some(vec![
        ext(BASIC_CONSTRAINTS, true, &[0x30, 0x03, 0x01, 0x01, 0x00]),
        ext(KEY_USAGE, true, &leaf_usage()),
    ]));
    assert!(r.contains("basicConstraints is not in DER"), "{r}");
    // basicConstraints { pathLenConstraint 0 } without cA.
    let r = with_exts(Some(vec![
        ext(BASIC_CONSTRAINTS, true, &[0x30, 0x03, 0x02, 0x01, 0x00]),
        ext(KEY_USAGE, true, &leaf_usage()),
    ]));
    assert!(r.contains("pathLenConstraint without cA"), "{r}");
    // An empty extensions SEQUENCE.
    let r = with_exts(Some(vec![]));
    assert!(r.contains("extensions list is empty"), "{r}");
    // The same unknown extension twice (and a known one twice).
    let unknown = ext("1.3.6.1.4.1.99999.1", false, &[0x05, 0x00]);
    let r = with_exts(Some(vec![
        ext(BASIC_CONSTRAINTS, true, &[0x30, 0x00]),
        ext(KEY_USAGE, true, &leaf_usage()),
        unknown.clone(),
        unknown,
    ]));
    assert!(r.contains("occurs twice"), "{r}");
    let r = with_exts(Some(vec![
        ext(BASIC_CONSTRAINTS, true, &[0x30, 0x00]),
        ext(KEY_USAGE, true, &leaf_usage()),
        ext(KEY_USAGE, true, &leaf_usage()),
    ]));
    assert!(r.contains("occurs twice"), "{r}");
    // A critical extension we do not understand.
    let r = with_exts(Some(vec![
        ext(BASIC_CONSTRAINTS, true, &[0x30, 0x00]),
        ext(KEY_USAGE, true, &leaf_usage()),
        ext("1.3.6.1.4.1.99999.2", true, &[0x05, 0x00]),
    ]));
    assert!(r.contains("critical but not understood"), "{r}");
    // critical FALSE written out (DEFAULT FALSE).
    let mut explicit_false = ext(KEY_USAGE, true, &leaf_usage());
    let at = explicit_false.windows(3).position(|w| w == [0x01, 0x01, 0xFF]).unwrap();
    explicit_false[at + 2] = 0x00;
    let r = with_exts(Some(vec![ext(BASIC_CONSTRAINTS, true, &[0x30, 0x00]), explicit_false]));
    assert!(!r.is_empty());
    // No extensions at all: a leaf needs basicConstraints and keyUsage.
    let r = with_exts(None);
    assert!(r.contains("do not fit its role"), "{r}");
    // GeneralizedTime for a date before 2050 (UTCTime is the one encoding then).
    let mut tbs = Tbs::leaf(&k);
    tbs.not_before = by_hand::generalized(window().not_before);
    let r = malformed_reason(&tbs.signed_by(&ca_key), &ca);
    assert!(r.contains("GeneralizedTime before 2050"), "{r}");
    // Version 1 (no version field), and version 2.
    let mut tbs = Tbs::leaf(&k);
    tbs.version = None;
    tbs.extensions = None;
    assert!(malformed_reason(&tbs.signed_by(&ca_key), &ca).contains("v3"));
    // A serial number with a leading zero byte (not a minimal INTEGER).
    let mut tbs = Tbs::leaf(&k);
    tbs.serial = vec![0x02, 0x02, 0x00, 0x04];
    malformed_reason(&tbs.signed_by(&ca_key), &ca);
}

#[test]
fn framing_errors_are_malformed() {
    let (ca, ca_key, k) = ca_and_keys();
    let der = Tbs::leaf(&k).signed_by(&ca_key);
    let mut trailing = der.clone();
    trailing.push(0);
    malformed_reason(&trailing, &ca);
    // 30 82 hi lo written 30 83 00 hi lo (a non-minimal length).
    let mut long = vec![0x30, 0x83, 0x00];
    long.extend_from_slice(&der[2..]);
    malformed_reason(&long, &ca);
    let mut indefinite = der.clone();
    indefinite[1] = 0x80;
    malformed_reason(&indefinite, &ca);
    malformed_reason(&der[..100], &ca);
    let mut set = der.clone();
    set[0] = 0x31;
    malformed_reason(&set, &ca);
    malformed_reason(&[], &ca);
    // The outer signature algorithm differs from the inner one (sha1WithRSA outside).
    let alg_at = 4 + Tbs::leaf(&k).der().len(); // 30 0d 06 09 2a 86 48 86 f7 0d 01 01 0b 05 00
    let mut other_alg = der.clone();
    assert_eq!(other_alg[alg_at + 12], 0x0B);
    other_alg[alg_at + 12] = 0x05;
    assert!(malformed_reason(&other_alg, &ca).contains("differs inside and outside"));
}
