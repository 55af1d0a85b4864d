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

#[test]
fn malformed_public_keys_are_typed_der_errors() {
    let mut m = Meter::new();
    let a = rsa::generate(&mut SimRng::from_seed(9).fork("R"), RsaBits::B1024, &mut m).unwrap();
    let der = a.public_key().to_spki_der().unwrap();
    // 30 81 9f | 30 0d 06 09 2a864886f70d010101 05 00 | 03 81 8d 00 | 30 81 89 02 81 81 00 n… 02 03 010001
    assert_eq!(&der[..6], &[0x30, 0x81, 0x9F, 0x30, 0x0D, 0x06]);
    let what = "the SubjectPublicKeyInfo";
    let reason = |bytes: &[u8]| match RsaPublicKey::from_spki_der(bytes) {
        Err(Error::Der { what: w, reason }) => {
            assert_eq!(w, what);
            reason
        }
        other => panic!("expected a DER error, got {other:?}"),
    };
    let mut long = der.clone();
    long.push(0);
    assert!(reason(&long).contains("trailing"), "{}", reason(&long));
    reason(&der[..50]);
    let mut other_alg = der.clone();
    other_alg[15] = 0x0A; // rsaEncryption -> id-RSASSA-PSS (which the rsa crate would read)
    assert!(reason(&other_alg).contains("not rsaEncryption"), "{}", reason(&other_alg));
    let mut neg = der.clone();
    assert_eq!((&neg[25..29], neg[29] & 0x80), (&[0x02, 0x81, 0x81, 0x00][..], 0x80));
    neg[28] = 0x80; // the sign byte in front of n: now a negative INTEGER
    reason(&neg);
    // A BER length (81 9f written 82 00 9f) is refused, not normalised.
    let mut ber = vec![0x30, 0x82, 0x00, 0x9F];
    ber.extend_from_slice(&der[3..]);
    reason(&ber);
    // The parameters left out (absent instead of NULL).
    let mut no_null = vec![0x30, 0x81, 0x9D, 0x30, 0x0B];
    no_null.extend_from_slice(&der[5..16]);
    no_null.extend_from_slice(&der[18..]);
    assert_eq!(no_null.len(), der.len() - 2);
    reason(&no_null);
    assert_eq!(
        Error::Der { what, reason: "x".into() }.to_string(),
        "the SubjectPublicKeyInfo is malformed DER: x"
    );
}

#[test]
fn private_keys_survive_pkcs8_and_openssl_reads_them() {
    use dmikey::crypto::rsa::RsaPrivateKey;
    let mut m = Meter::new();
    let k = rsa::generate(&mut SimRng::from_seed(11), RsaBits::B1024, &mut m).unwrap();
    let der = k.to_pkcs8_der().unwrap();
    let back = RsaPrivateKey::from_pkcs8_der(&der).unwrap();
    assert_eq!(back.public_key(), k.public_key());
    assert_eq!(back.to_pkcs8_der().unwrap(), der);
    // The restored key decrypts what was sent to the original.
    let ct = rsa::pke_encrypt(
        &k.public_key(),
        PkePadding::Oaep,
        &mut SimRng::from_seed(1),
        b"0123456789abcdef",
        &mut m,
    )
    .unwrap();
    let pt = rsa::pke_decrypt(&back, PkePadding::Oaep, &mut SimRng::from_seed(2), &ct, "x", &mut m)
        .unwrap();
    assert_eq!(&pt[..], b"0123456789abcdef");
    // Any change in the last byte (inside qInv) is caught: the CRT values must fit the primes.
    let mut bad = der.to_vec();
    *bad.last_mut().unwrap() ^= 1;
    assert!(matches!(
        RsaPrivateKey::from_pkcs8_der(&bad),
        Err(Error::Der { what: "the private key", .. })
    ));
    assert!(matches!(
        RsaPrivateKey::from_pkcs8_der(&der[..der.len() - 1]),
        Err(Error::Der { what: "the private key", .. })
    ));
    // A changed public exponent is not the key its primes make: refused by `rsa` or by the
    // re-encoding, never accepted.
    let e_at = der.windows(5).position(|w| w == [0x02, 0x03, 0x01, 0x00, 0x01]).unwrap();
    let mut other_e = der.to_vec();
    other_e[e_at + 4] = 0x03;
    assert!(matches!(RsaPrivateKey::from_pkcs8_der(&other_e), Err(Error::Der { .. })));
    // openssl reads the same key (if installed).
    let Ok(out) = std::process::Command::new("openssl")
        .args(["pkey", "-inform", "der", "-pubout", "-outform", "der"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(&der)?;
            c.wait_with_output()
        })
    else {
        eprintln!("openssl not installed: skipping the external parse check");
        return;
    };
    assert!(out.status.success(), "openssl pkey: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.stdout, k.public_key().to_spki_der().unwrap());
}
