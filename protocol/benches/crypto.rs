//! Criterion benchmark of the crypto layer: PRF key derivation, KEMAC seal/open in both
//! profiles, every RSA operation at 1024/2048/3072 bits, and the OAKLEY-5 DH exponentiation.
//! Run: `cargo bench -p dmikey --bench crypto -- --quick`.

use criterion::{Criterion, criterion_group, criterion_main};
use dmikey::cost::Meter;
use dmikey::crypto::derive::{self, MessageKeys};
use dmikey::crypto::dh::DhKeyPair;
use dmikey::crypto::kemac::{self, Covered, KemacProfile};
use dmikey::crypto::prf::PrfFunc;
use dmikey::crypto::rng::SimRng;
use dmikey::crypto::rsa::{self, PkePadding, RsaBits, SignPadding};
use std::hint::black_box;
use std::time::Duration;

const RAND: [u8; 16] = [0xa5; 16];
const T: [u8; 8] = [0xe8, 0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6, 0x07];

fn prf_and_derive(c: &mut Criterion) {
    let mut m = Meter::new();
    let mut g = c.benchmark_group("prf");
    g.bench_function("message keys (encr+auth+salt) from 16-byte PSK", |b| {
        b.iter(|| {
            MessageKeys::derive(
                PrfFunc::Mikey1,
                black_box(&[1; 16]),
                7,
                &RAND,
                KemacProfile::AesCmHmacSha1,
                &mut m,
            )
        })
    });
    g.bench_function("TEK 128 from TGK (MIKEY-1)", |b| {
        b.iter(|| derive::tek(PrfFunc::Mikey1, black_box(&[2; 16]), 1, 7, &RAND, 16, &mut m))
    });
    g.bench_function("TEK 128 from TGK (PRF-HMAC-SHA-256)", |b| {
        b.iter(|| derive::tek(PrfFunc::HmacSha256, black_box(&[2; 16]), 1, 7, &RAND, 16, &mut m))
    });
    g.bench_function("KCV from TGK", |b| {
        b.iter(|| derive::kcv(PrfFunc::Mikey1, black_box(&[2; 16]), 7, &RAND, &mut m))
    });
    g.finish();
}

fn kemac_profiles(c: &mut Criterion) {
    let mut m = Meter::new();
    let mut g = c.benchmark_group("kemac");
    let plain = [0x11u8; 20]; // Key data sub-payload with a 16-byte share
    let before = [0u8; 60]; // ≈ HDR..Encr data len of an I_TPi
    let after = [1u8];
    for p in [KemacProfile::AesCmHmacSha1, KemacProfile::AesCcm128] {
        let k = MessageKeys::derive(PrfFunc::Mikey1, &[1; 16], 7, &RAND, p, &mut m);
        let cov = Covered { before: &before, after: &after };
        let (ct, tag) = kemac::encrypt(p, &k, 7, T, &plain, cov, &mut m).unwrap();
        g.bench_function(format!("seal {p:?}"), |b| {
            b.iter(|| kemac::encrypt(p, &k, 7, T, black_box(&plain), cov, &mut m).unwrap())
        });
        g.bench_function(format!("open {p:?}"), |b| {
            b.iter(|| {
                kemac::decrypt(p, &k, 7, T, black_box(&ct), cov, &tag, "I_TP1", &mut m).unwrap()
            })
        });
    }
    g.finish();
}

fn rsa_ops(c: &mut Criterion) {
    let mut m = Meter::new();
    let mut rng = SimRng::from_seed(1);
    for bits in RsaBits::ALL {
        let mut g = c.benchmark_group(format!("rsa{}", bits.bits()));
        g.sample_size(10);
        if bits == RsaBits::B3072 {
            g.measurement_time(Duration::from_secs(8));
        }
        g.bench_function("keygen", |b| b.iter(|| rsa::generate(&mut rng, bits, &mut m).unwrap()));
        let sk = rsa::generate(&mut rng, bits, &mut m).unwrap();
        let pk = sk.public_key();
        let msg = [0x33u8; 300];
        for pad in [PkePadding::Oaep, PkePadding::Pkcs1v15] {
            let ct = rsa::pke_encrypt(&pk, pad, &mut rng, &[7; 16], &mut m).unwrap();
            g.bench_function(format!("PKE encrypt {pad:?}"), |b| {
                b.iter(|| {
                    rsa::pke_encrypt(&pk, pad, &mut rng, black_box(&[7; 16]), &mut m).unwrap()
                })
            });
            g.bench_function(format!("PKE decrypt {pad:?}"), |b| {
                b.iter(|| {
                    rsa::pke_decrypt(&sk, pad, &mut rng, black_box(&ct), "TP_R", &mut m).unwrap()
                })
            });
        }
        for pad in [SignPadding::Pss, SignPadding::Pkcs1v15] {
            let sig = rsa::sign(&sk, pad, &mut rng, &msg, &mut m).unwrap();
            g.bench_function(format!("sign {pad:?}"), |b| {
                b.iter(|| rsa::sign(&sk, pad, &mut rng, black_box(&msg), &mut m).unwrap())
            });
            g.bench_function(format!("verify {pad:?}"), |b| {
                b.iter(|| rsa::verify(&pk, pad, black_box(&msg), &sig, "TP1", &mut m).unwrap())
            });
        }
        g.finish();
    }
}

fn dh(c: &mut Criterion) {
    let mut m = Meter::new();
    let mut rng = SimRng::from_seed(2);
    let a = DhKeyPair::generate(&mut rng, &mut m).unwrap();
    let b_pub = DhKeyPair::generate(&mut rng, &mut m).unwrap().public_value().to_vec();
    let mut g = c.benchmark_group("dh");
    g.sample_size(20);
    g.bench_function("OAKLEY-5 key pair (g^x)", |b| {
        b.iter(|| DhKeyPair::generate(&mut rng, &mut m).unwrap())
    });
    g.bench_function("OAKLEY-5 shared secret (y^x)", |b| {
        b.iter(|| a.shared_secret(black_box(&b_pub), &mut m).unwrap())
    });
    g.finish();
}

criterion_group!(benches, prf_and_derive, kemac_profiles, rsa_ops, dh);
criterion_main!(benches);
