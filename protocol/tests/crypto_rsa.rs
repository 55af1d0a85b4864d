//! RSA PKE (OAEP, PKCS#1 v1.5) and SIGN (PSS, PKCS#1 v1.5) at 1024 and 2048 bits (3072 in
//! one test), keys from a seeded RNG, and the errors a student reads.

use dmikey::Error;
use dmikey::cost::Meter;
use dmikey::crypto::rng::{SimRng, bytes};
use dmikey::crypto::rsa::{self, PkePadding, RsaBits, RsaPublicKey, SignPadding};

fn roundtrip_all_paddings(bits: RsaBits, seed: u64) {
    let mut m = Meter::new();
    let mut rng = SimRng::from_seed(seed);
    let r = rsa::generate(&mut rng, bits, &mut m).unwrap();
    let tp = rsa::generate(&mut rng, bits, &mut m).unwrap();
    assert_eq!(r.public_key().bits(), bits.bits());
    let env_key = bytes(&mut rng, 16);
    for pad in [PkePadding::Oaep, PkePadding::Pkcs1v15] {
        let ct = rsa::pke_encrypt(&r.public_key(), pad, &mut rng, &env_key, &mut m).unwrap();
        assert_eq!(ct.len(), bits.bits() / 8);
        let pt = rsa::pke_decrypt(&r, pad, &mut rng, &ct, "TP1_R", &mut m).unwrap();
        assert_eq!(&pt[..], &env_key[..], "{pad:?} {bits:?}");
        // Only R's key opens it: the TP's key does not give back the envelope key.
        let wrong = rsa::pke_decrypt(&tp, pad, &mut rng, &ct, "TP1_R", &mut m);
        assert!(wrong.map(|k| k[..] != env_key[..]).unwrap_or(true));
    }
    let msg = b"HDR ... PKE | SIGN header";
    for pad in [SignPadding::Pss, SignPadding::Pkcs1v15] {
        let sig = rsa::sign(&tp, pad, &mut rng, msg, &mut m).unwrap();
        assert_eq!(sig.len(), bits.bits() / 8);
        rsa::verify(&tp.public_key(), pad, msg, &sig, "TP3", &mut m).unwrap();
        let mut altered = msg.to_vec();
        altered[0] ^= 1;
        let e = rsa::verify(&tp.public_key(), pad, &altered, &sig, "TP3", &mut m).unwrap_err();
        assert_eq!(e.to_string(), "signature by TP3 does not verify");
        // R's key does not verify the TP's signature; the other padding does not either.
        assert!(rsa::verify(&r.public_key(), pad, msg, &sig, "TP3", &mut m).is_err());
        let other = if pad == SignPadding::Pss { SignPadding::Pkcs1v15 } else { SignPadding::Pss };
        assert!(rsa::verify(&tp.public_key(), other, msg, &sig, "TP3", &mut m).is_err());
    }
    assert_eq!(m.rsa_keygen, 2);
    assert!(m.rsa_private >= 6 && m.rsa_public >= 8);
}

#[test]
fn pke_and_sign_round_trip_at_1024_bits() {
    roundtrip_all_paddings(RsaBits::B1024, 1);
}

#[test]
fn pke_and_sign_round_trip_at_2048_bits() {
    roundtrip_all_paddings(RsaBits::B2048, 2);
}

#[test]
fn pke_and_sign_round_trip_at_3072_bits() {
    roundtrip_all_paddings(RsaBits::B3072, 3);
}

#[test]
fn keygen_is_deterministic_under_a_seed_and_keys_survive_spki() {
    let mut m = Meter::new();
    let a = rsa::generate(&mut SimRng::from_seed(9).fork("R"), RsaBits::B1024, &mut m).unwrap();
    let b = rsa::generate(&mut SimRng::from_seed(9).fork("R"), RsaBits::B1024, &mut m).unwrap();
    let c = rsa::generate(&mut SimRng::from_seed(9).fork("TP1"), RsaBits::B1024, &mut m).unwrap();
    assert_eq!(a.public_key(), b.public_key());
    assert_ne!(a.public_key(), c.public_key());
    let der = a.public_key().to_spki_der().unwrap();
    assert_eq!(RsaPublicKey::from_spki_der(&der).unwrap(), a.public_key());
    assert!(RsaPublicKey::from_spki_der(&der[..der.len() - 1]).is_err());
}

#[test]
fn oaep_tampered_envelope_gives_one_generic_error() {
    let mut m = Meter::new();
    let mut rng = SimRng::from_seed(4);
    let r = rsa::generate(&mut rng, RsaBits::B1024, &mut m).unwrap();
    let mut ct =
        rsa::pke_encrypt(&r.public_key(), PkePadding::Oaep, &mut rng, &[7; 16], &mut m).unwrap();
    ct[10] ^= 0x40;
    let e = rsa::pke_decrypt(&r, PkePadding::Oaep, &mut rng, &ct, "TP2_R", &mut m).unwrap_err();
    assert_eq!(e, Error::PkeDecryptFailed { message: "TP2_R".into() });
    assert!(rsa::pke_decrypt(&r, PkePadding::Oaep, &mut rng, &ct[..50], "TP2_R", &mut m).is_err());
}

#[test]
fn s_type_maps_to_padding() {
    assert_eq!(SignPadding::from_s_type(0), Some(SignPadding::Pkcs1v15));
    assert_eq!(SignPadding::from_s_type(1), Some(SignPadding::Pss));
    assert_eq!(SignPadding::from_s_type(2), None);
    assert_eq!(SignPadding::Pss.s_type(), 1);
    assert_eq!(SignPadding::default(), SignPadding::Pss);
    assert_eq!(PkePadding::default(), PkePadding::Oaep);
}
