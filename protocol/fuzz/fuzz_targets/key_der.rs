//! Fuzz target: the SubjectPublicKeyInfo and PKCS#8 readers of our RSA wrappers
//! (`RsaPublicKey::from_spki_der`, `RsaPrivateKey::from_pkcs8_der`). Each returns `Ok` or
//! `Error::Der`, never panics; a key that is read writes back exactly the input (one encoding
//! per key), and a private key's public half reads back as the same key.
#![no_main]

mod common;

use std::sync::Once;

use dmikey::Error;
use dmikey::cost::Meter;
use dmikey::crypto::rng::SimRng;
use dmikey::crypto::rsa::{self, RsaBits, RsaPrivateKey, RsaPublicKey};
use libfuzzer_sys::fuzz_target;

fn seeds() {
    static SEEDS: Once = Once::new();
    SEEDS.call_once(|| {
        let key = rsa::generate(&mut SimRng::from_seed(3), RsaBits::B1024, &mut Meter::new())
            .expect("key");
        let spki = key.public_key().to_spki_der().expect("SPKI");
        let pkcs8 = key.to_pkcs8_der().expect("PKCS#8");
        common::write_seeds("key_der", &[&spki, &pkcs8]);
    });
}

fuzz_target!(|data: &[u8]| {
    seeds();
    match RsaPublicKey::from_spki_der(data) {
        Ok(k) => assert_eq!(k.to_spki_der().expect("re-encode"), data, "SPKI round trip"),
        Err(Error::Der { what: "the SubjectPublicKeyInfo", .. }) => {}
        Err(e) => panic!("SPKI: not a DER error: {e:?}"),
    }
    match RsaPrivateKey::from_pkcs8_der(data) {
        Ok(k) => {
            assert_eq!(&k.to_pkcs8_der().expect("re-encode")[..], data, "PKCS#8 round trip");
            let spki = k.public_key().to_spki_der().expect("SPKI of the key");
            assert_eq!(RsaPublicKey::from_spki_der(&spki).expect("reads back"), k.public_key());
        }
        Err(Error::Der { what: "the private key", .. }) => {}
        Err(e) => panic!("PKCS#8: not a DER error: {e:?}"),
    }
});
