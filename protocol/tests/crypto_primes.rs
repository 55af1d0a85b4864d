//! RSA key generation (`crypto::primes`: `rsa`'s generator with FIPS 186-5 checks on top): keys
//! of exactly 1024, 2048 and 3072 bits whose primes pass an independent Miller–Rabin check
//! written here, the FIPS 186-5 conditions the module claims, round trips through PKE and SIGN,
//! determinism under a seed.

use ::rsa::traits::{PrivateKeyParts, PublicKeyParts};
use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{BoxedUint, ConcatenatingMul, Odd};
use dmikey::cost::Meter;
use dmikey::crypto::primes;
use dmikey::crypto::rng::{SimRng, bytes};
use dmikey::crypto::rsa::{self, PkePadding, RsaBits, RsaPrivateKey, SignPadding};

fn big(be: &[u8]) -> BoxedUint {
    BoxedUint::from_be_slice(be, (be.len() * 8) as u32).unwrap()
}

/// 2^bits − 1.
fn mersenne(bits: usize) -> BoxedUint {
    let mut be = vec![0xffu8; bits.div_ceil(8)];
    if !bits.is_multiple_of(8) {
        be[0] = (1u8 << (bits % 8)) - 1;
    }
    big(&be)
}

/// x mod m for a small m, from the big-endian bytes (no crypto-bigint division involved).
fn mod_small(x: &BoxedUint, m: u64) -> u64 {
    x.to_be_bytes().iter().fold(0u64, |r, &b| (r * 256 + u64::from(b)) % m)
}

/// An independent probable-prime check: Miller–Rabin with `rounds` random bases in
/// [2, 2^(bits(n) − 2)), from a generator of this test's own.
fn miller_rabin(n: &BoxedUint, rounds: usize, rng: &mut SimRng) -> bool {
    if mod_small(n, 2) == 0 {
        return false;
    }
    let k = n.bits_precision() as usize;
    let one = BoxedUint::one_with_precision(n.bits_precision());
    let n_minus_1 = n.wrapping_sub(&one);
    let s = n_minus_1.trailing_zeros();
    let d = n_minus_1.shr_vartime(s).unwrap();
    let params = BoxedMontyParams::new(Odd::new(n.clone()).unwrap());
    'bases: for _ in 0..rounds {
        // A base below 2^(bits(n) − 2) < n − 1.
        let a = big(&bytes(rng, k / 8)).shr_vartime(k as u32 - n.bit_width() + 2).unwrap();
        if a.bit_width() < 2 {
            continue; // 0 or 1: draw again next round (vanishingly rare)
        }
        let mut x = BoxedMontyForm::new(a, &params).pow(&d).retrieve();
        if x == one || x == n_minus_1 {
            continue;
        }
        for _ in 1..s {
            let xm = BoxedMontyForm::new(x, &params);
            x = (&xm * &xm).retrieve();
            if x == n_minus_1 {
                continue 'bases;
            }
        }
        return false;
    }
    true
}

fn check_key(sk: &RsaPrivateKey, bits: RsaBits) {
    let nlen = bits.bits();
    let k = nlen / 2;
    let key = sk.inner();
    let n = key.n().as_ref();
    assert_eq!(n.bit_width() as usize, nlen, "n has exactly nlen bits");
    assert_eq!(key.e(), &BoxedUint::from(65537u32));
    let [p, q] = key.primes() else { panic!("two primes") };
    let (p, q) = (p.as_ref(), q.as_ref());
    assert_eq!(&p.concatenating_mul(q), n, "p·q = n");
    let mut check_rng = SimRng::from_seed(0xC0FFEE);
    for x in [p, q] {
        assert_eq!(x.bit_width() as usize, k, "a prime of exactly nlen/2 bits");
        let be = x.to_be_bytes();
        let be = &be[be.len() - k / 8..];
        assert_eq!(be[0] & 0xc0, 0xc0, "two top bits set, so x ≥ √2·2^(nlen/2 − 1)");
        assert_ne!(mod_small(x, 65537), 1, "gcd(e, x − 1) = 1");
        assert!(miller_rabin(x, 20, &mut check_rng), "passes 20 Miller–Rabin rounds");
    }
    let diff = if p > q { p.wrapping_sub(q) } else { q.wrapping_sub(p) };
    assert!(diff.bit_width() as usize > k - 99, "|p − q| > 2^(nlen/2 − 100)");
    assert!(key.d().bit_width() as usize > k, "d > 2^(nlen/2)");
}

fn round_trip(sk: &RsaPrivateKey, rng: &mut SimRng) {
    let mut m = Meter::new();
    let pk = sk.public_key();
    let env_key = bytes(rng, 16);
    for pad in [PkePadding::Oaep, PkePadding::Pkcs1v15] {
        let ct = rsa::pke_encrypt(&pk, pad, rng, &env_key, &mut m).unwrap();
        let pt = rsa::pke_decrypt(sk, pad, rng, &ct, "TP1_R", &mut m).unwrap();
        assert_eq!(&pt[..], &env_key[..]);
    }
    for pad in [SignPadding::Pss, SignPadding::Pkcs1v15] {
        let sig = rsa::sign(sk, pad, rng, b"TPi_R", &mut m).unwrap();
        rsa::verify(&pk, pad, b"TPi_R", &sig, "TP1", &mut m).unwrap();
        assert!(rsa::verify(&pk, pad, b"TPi_r", &sig, "TP1", &mut m).is_err());
    }
}

fn generated_key_meets_its_conditions(bits: RsaBits, seed: u64) {
    let mut m = Meter::new();
    let mut rng = SimRng::from_seed(seed);
    let sk = rsa::generate(&mut rng, bits, &mut m).unwrap();
    assert_eq!(m.rsa_keygen, 1, "keygen is counted in the meter");
    check_key(&sk, bits);
    round_trip(&sk, &mut rng);
}

#[test]
fn a_1024_bit_key_meets_the_fips_conditions_and_works() {
    generated_key_meets_its_conditions(RsaBits::B1024, 11);
}

#[test]
fn a_2048_bit_key_meets_the_fips_conditions_and_works() {
    generated_key_meets_its_conditions(RsaBits::B2048, 12);
}

#[test]
fn a_3072_bit_key_meets_the_fips_conditions_and_works() {
    generated_key_meets_its_conditions(RsaBits::B3072, 13);
}

#[test]
fn several_1024_bit_keys_meet_the_conditions() {
    let mut rng = SimRng::from_seed(21);
    for _ in 0..8 {
        let sk = rsa::generate(&mut rng, RsaBits::B1024, &mut Meter::new()).unwrap();
        check_key(&sk, RsaBits::B1024);
    }
}

#[test]
fn same_seed_same_key_other_seed_other_key() {
    let gen_key = |rng: &mut SimRng| rsa::generate(rng, RsaBits::B1024, &mut Meter::new());
    let a = gen_key(&mut SimRng::from_seed(5).fork("TP2")).unwrap();
    let b = gen_key(&mut SimRng::from_seed(5).fork("TP2")).unwrap();
    let c = gen_key(&mut SimRng::from_seed(6).fork("TP2")).unwrap();
    assert_eq!(a.public_key(), b.public_key());
    assert_eq!(a.inner().primes(), b.inner().primes());
    assert_ne!(a.public_key(), c.public_key());
    // Two keys drawn one after the other from one stream differ too.
    let mut rng = SimRng::from_seed(5);
    let d = gen_key(&mut rng).unwrap();
    let e = gen_key(&mut rng).unwrap();
    assert_ne!(d.public_key(), e.public_key());
}

#[test]
fn sizes_other_than_multiples_of_16_from_1024_up_are_refused() {
    let mut rng = SimRng::from_seed(31);
    for nlen in [512, 1000, 1032] {
        let e = primes::generate_key(&mut rng, nlen).unwrap_err();
        assert!(e.to_string().contains("from 1024 up"), "{nlen}: {e}");
    }
}

#[test]
fn the_independent_check_rejects_composites() {
    let mut rng = SimRng::from_seed(51);
    let sk = rsa::generate(&mut rng, RsaBits::B1024, &mut Meter::new()).unwrap();
    let [p, q] = sk.inner().primes() else { panic!("two primes") };
    let (p, q) = (p.as_ref(), q.as_ref());
    assert!(miller_rabin(p, 20, &mut rng));
    assert!(!miller_rabin(&p.concatenating_mul(q), 20, &mut rng));
    // 2^67 − 1 = 193707721 · 761838257287 (Cole, 1903); 2^64 + 1 = 274177 · 67280421310721.
    assert!(!miller_rabin(&mersenne(67), 20, &mut rng));
    assert!(!miller_rabin(&big(&[1, 0, 0, 0, 0, 0, 0, 0, 1]), 20, &mut rng));
    // A Carmichael number: 41041 = 7·11·13·41.
    assert!(!miller_rabin(&BoxedUint::from(41041u32), 20, &mut rng));
    // Mersenne primes 2^127 − 1 and 2^521 − 1 pass.
    for bits in [127, 521] {
        assert!(miller_rabin(&mersenne(bits), 20, &mut rng), "2^{bits} − 1");
    }
}
