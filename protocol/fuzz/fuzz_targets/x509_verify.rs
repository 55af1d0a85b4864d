//! Fuzz target: arbitrary bytes presented as a certificate, checked against a real CA (RSA-1024,
//! built once per process). `x509::verify` must return `Ok` or a named certificate error, never
//! panic; and it may accept only what the CA really issued — here the CA's own certificate and
//! the one leaf it signed (any other accepted input would be a forgery or a second encoding).
#![no_main]

mod common;

use std::sync::OnceLock;

use dmikey::Error;
use dmikey::cost::Meter;
use dmikey::crypto::rng::SimRng;
use dmikey::crypto::rsa::{self, RsaBits};
use dmikey::crypto::x509::{self, CertRole, CertificateAuthority, ValidityWindow};
use libfuzzer_sys::fuzz_target;

const NOW: u64 = 1_795_000_000;

struct Fixture {
    ca_cert: Vec<u8>,
    leaf: Vec<u8>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let mut m = Meter::new();
        let window = ValidityWindow { not_before: NOW - 86_400, not_after: NOW + 86_400 * 365 };
        let key = rsa::generate(&mut SimRng::from_seed(1).fork("CA"), RsaBits::B1024, &mut m)
            .expect("CA key");
        let ca = CertificateAuthority::new("dmikey CA", key, window, &mut m).expect("CA");
        let tp = rsa::generate(&mut SimRng::from_seed(1).fork("TP3"), RsaBits::B1024, &mut m)
            .expect("TP3 key");
        let leaf = ca
            .issue("TP3", CertRole::ThirdParty, &tp.public_key(), window, 3, &mut m)
            .expect("TP3 certificate");
        common::write_seeds("x509_verify", &[&leaf, ca.cert_der()]);
        Fixture { ca_cert: ca.cert_der().to_vec(), leaf }
    })
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    match x509::verify(data, &f.ca_cert, NOW, "TP3", &mut Meter::new()) {
        Ok(v) => {
            assert!(data == f.leaf || data == f.ca_cert, "accepted a certificate never issued");
            assert!(!v.subject.is_empty());
        }
        Err(
            Error::CertificateMalformed { .. }
            | Error::CertificateNotFromCa { .. }
            | Error::CertificateWithoutCommonName { .. }
            | Error::CertificateExpired { .. }
            | Error::CertificateNotYetValid { .. }
            | Error::CertificateRoleMismatch { .. },
        ) => {}
        Err(e) => panic!("not a certificate error: {e:?}"),
    }
    // The peer check on top: only the leaf is TP3's, as a third party.
    let peer = x509::verify_peer(data, &f.ca_cert, NOW, "TP3", CertRole::ThirdParty, &mut Meter::new());
    assert_eq!(peer.is_ok(), data == f.leaf, "verify_peer accepts exactly TP3's certificate");
});
