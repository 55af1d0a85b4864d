//! Criterion benchmark of one whole distributed session (n = 5, k = 3, RSA-2048, the PKI
//! provisioned once outside the measurement), and of the same session in the PSK mode, so
//! the cost of the distribution can be compared with the standard mode it replaces.

use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use dmikey::crypto::rsa::RsaBits;
use dmikey::roles::{Mode, SessionConfig};
use dmikey::sharing::Scheme;
use dmikey::sim::Simulation;

fn sessions(c: &mut Criterion) {
    let mut dist = SessionConfig::distributed(5, 3, Scheme::PaperRs);
    dist.rsa_bits = RsaBits::B2048;
    dist.seed = Some(1);
    let pki = Arc::new(Simulation::provision(&dist).expect("provisioning"));
    c.bench_function("distributed session n=5 k=3 RSA-2048", |b| {
        b.iter(|| {
            let mut sim = Simulation::with_pki(dist.clone(), pki.clone()).expect("session");
            sim.run_to_end();
            assert!(sim.verdict().r_rebuilt_tgk);
        })
    });
    let mut psk = SessionConfig::standard(Mode::Psk);
    psk.seed = Some(1);
    let pki = Arc::new(Simulation::provision(&psk).expect("provisioning"));
    c.bench_function("PSK-mode session", |b| {
        b.iter(|| {
            let mut sim = Simulation::with_pki(psk.clone(), pki.clone()).expect("session");
            sim.run_to_end();
            assert!(sim.verdict().r_rebuilt_tgk);
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = sessions
}
criterion_main!(benches);
