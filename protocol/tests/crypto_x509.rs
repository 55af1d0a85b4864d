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

/// Rewrites the outer SEQUENCE header of `der` (30 82 hi lo) with a non-minimal length
/// (30 83 00 hi lo).
fn non_minimal_outer_length(der: &[u8]) -> Vec<u8> {
    assert_eq!(&der[..2], &[0x30, 0x82]);
    let mut v = vec![0x30, 0x83, 0x00];
    v.extend_from_slice(&der[2..]);
    v
}

#[test]
fn certificates_that_are_not_strict_der_are_malformed() {
    use dmikey::crypto::asn1::DerError;
    let mut m = Meter::new();
    let ca = make_ca(1, "dmikey CA", &mut m);
    let k = rsa::generate(&mut SimRng::from_seed(5), RsaBits::B1024, &mut m).unwrap();
    let der = ca.issue("TP4", CertRole::ThirdParty, &k.public_key(), window(), 4, &mut m).unwrap();
    let reason =
        |bytes: &[u8]| match x509::verify(bytes, ca.cert_der(), NOW, "TP4", &mut Meter::new()) {
            Err(Error::CertificateMalformed { subject, reason }) => {
                assert_eq!(subject, "TP4");
                reason
            }
            other => panic!("expected a malformed certificate, got {other:?}"),
        };
    let mut trailing = der.clone();
    trailing.push(0);
    assert_eq!(
        reason(&trailing),
        DerError::TrailingBytes { after: "the certificate", count: 1 }.to_string()
    );
    assert_eq!(
        reason(&non_minimal_outer_length(&der)),
        DerError::NonMinimalLength { what: "the certificate" }.to_string()
    );
    let mut indefinite = der.clone();
    indefinite[1] = 0x80;
    assert_eq!(
        reason(&indefinite),
        DerError::IndefiniteLength { what: "the certificate" }.to_string()
    );
    assert_eq!(
        reason(&der[..100]),
        DerError::Truncated { what: "the certificate", needed: der.len() - 4, left: 96 }
            .to_string()
    );
    let mut set = der.clone();
    set[0] = 0x31;
    assert_eq!(
        reason(&set),
        DerError::WrongTag { what: "the certificate", expected: 0x30, found: 0x31 }.to_string()
    );
    // The serial number 4 (02 01 04) written as 02 02 00 04: a non-minimal INTEGER, with the
    // enclosing lengths patched so that only the INTEGER is wrong.
    let pos = der.windows(5).position(|w| w == [0xA0, 0x03, 0x02, 0x01, 0x02]).unwrap() + 5;
    assert_eq!(&der[pos..pos + 3], &[0x02, 0x01, 0x04]);
    let mut padded = der[..pos].to_vec();
    padded.extend_from_slice(&[0x02, 0x02, 0x00, 0x04]);
    padded.extend_from_slice(&der[pos + 3..]);
    padded[3] += 1; // certificate length (30 82 hi lo)
    padded[7] += 1; // TBSCertificate length (30 82 hi lo)
    assert_eq!(
        reason(&padded),
        DerError::NonMinimalInteger { what: "the serial number" }.to_string()
    );
}
