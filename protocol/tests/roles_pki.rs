//! The CA's provisioning: step by step with progress, certificates that chain to the CA, and a
//! byte form the browser can cache that runs the same session after a round trip.

mod roles_support;

use dmikey::cost::Meter;
use dmikey::crypto::rng::SimRng;
use dmikey::roles::{Mode, Node, Pki, ProvisionStep, Provisioner, SimTime};
use dmikey::sharing::Scheme;
use roles_support::{Net, config, distributed};

#[test]
fn provisioning_runs_one_key_per_step_and_reports_progress() {
    let cfg = distributed(3, 2, Scheme::Shamir);
    let mut p = Provisioner::new(&cfg, SimTime(0));
    let total = p.total_steps();
    assert_eq!(total, 1 + 1 + 3 + 1, "CA, R, three TPs, PSKs (no sensor certificate)");
    let mut rng = SimRng::from_seed(51);
    let mut meter = Meter::new();
    let mut seen = Vec::new();
    while let ProvisionStep::Progress { done, total: t, what } =
        p.step(&mut rng, &mut meter).unwrap()
    {
        assert_eq!(t, total);
        seen.push((done, what));
    }
    assert_eq!(p.step(&mut rng, &mut meter).unwrap(), ProvisionStep::Done);
    assert_eq!(seen.len(), total);
    assert_eq!(meter.rsa_keygen, 5);
    let pki = p.finish().unwrap();
    assert!(pki.sensor.is_none());
    assert_eq!(pki.tps(), 3);
    for i in 1..=3 {
        assert_eq!(pki.psk_with_tp(i).map(|k| k.len()), Some(16));
    }
    let pk = Provisioner::run(&config(Mode::Pk), SimTime(0), &mut rng, &mut meter).unwrap();
    assert!(pk.sensor.is_some(), "PK mode: the sensor gets a certificate");
}

#[test]
fn a_pki_read_back_from_bytes_runs_the_same_session() {
    let cfg = distributed(3, 2, Scheme::Shamir);
    let net = Net::new(cfg.clone(), 52);
    let bytes = net.pki.to_bytes();
    let back = Pki::from_bytes(&bytes).unwrap();
    assert_eq!(back.to_bytes(), bytes);
    let mut a = Net::with_pki(cfg.clone(), net.pki.clone(), 53);
    let mut b = Net::with_pki(cfg, back, 53);
    for n in [&mut a, &mut b] {
        n.start();
        n.run();
    }
    let packets = |n: &Net| n.deliveries.iter().map(|d| d.out.bytes.clone()).collect::<Vec<_>>();
    assert_eq!(packets(&a), packets(&b), "same seed, same PKI: byte-identical packets");
    assert_eq!(a.r.tgk(), a.sensor.tgk());
    for cut in [0, 7, 10, bytes.len() / 2, bytes.len() - 1] {
        assert!(Pki::from_bytes(&bytes[..cut]).is_err(), "truncated at {cut}");
    }
    assert!(!a.knowledge(Node::Tp(1)).is_empty());
}
