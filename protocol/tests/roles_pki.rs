//! The CA's provisioning: what a configuration needs, independent jobs that give the same PKI
//! whatever their order (so the browser can spread them over workers), certificates that chain
//! to the CA, a byte form the browser can cache that runs the same session after a round trip,
//! and a sensor–R PSK in the PSK mode only.

mod roles_support;

use dmikey::cost::Meter;
use dmikey::crypto::rng::SimRng;
use dmikey::crypto::rsa::RsaBits;
use dmikey::export::keylog;
use dmikey::roles::{Mode, Node, Pki, PkiJob, PkiNeed, PkiPart, Provisioner, SessionConfig};
use dmikey::sharing::Scheme;
use dmikey::sim::Simulation;
use rand_core::Rng;
use roles_support::{Net, config, distributed};

/// Fisher–Yates with the test's own generator.
fn shuffle<T>(rng: &mut SimRng, v: &mut [T]) {
    for i in (1..v.len()).rev() {
        let j = usize::try_from(rng.next_u32()).unwrap() % (i + 1);
        v.swap(i, j);
    }
}

fn der(k: &dmikey::crypto::rsa::RsaPrivateKey) -> Vec<u8> {
    k.to_pkcs8_der().unwrap().to_vec()
}

fn need(cfg: &SessionConfig, seed: u64) -> PkiNeed {
    PkiNeed { seed: Some(seed), ..cfg.pki_need() }
}

#[test]
fn a_configuration_says_which_jobs_its_pki_needs() {
    let d = need(&distributed(3, 2, Scheme::Shamir), 51);
    assert_eq!(
        d.jobs(),
        vec![
            PkiJob::Key(Node::Ca),
            PkiJob::Key(Node::Responder),
            PkiJob::Key(Node::Tp(1)),
            PkiJob::Key(Node::Tp(2)),
            PkiJob::Key(Node::Tp(3)),
            PkiJob::Psks,
        ],
        "CA, R, three TPs, PSKs: no sensor certificate in the distributed mode"
    );
    assert!(!d.sensor_cert && !d.psk_with_r);
    let pk = need(&config(Mode::Pk), 51);
    assert!(pk.jobs().contains(&PkiJob::Key(Node::Sensor)), "PK mode: the sensor has a key");
    assert!(need(&config(Mode::Dh), 51).sensor_cert);
    let psk = need(&config(Mode::Psk), 51);
    assert_eq!(psk.jobs(), vec![PkiJob::Key(Node::Ca), PkiJob::Key(Node::Responder), PkiJob::Psks]);
    assert!(psk.psk_with_r);

    let mut meter = Meter::new();
    let pki = Provisioner::run(&d, &mut meter).unwrap();
    assert_eq!(meter.rsa_keygen, 5);
    assert!(pki.sensor.is_none());
    assert_eq!(pki.tps(), 3);
    for i in 1..=3 {
        assert_eq!(pki.psk_with_tp(i).map(|k| k.len()), Some(16));
    }
    assert!(pki.psk_with_r().is_none());
    assert!(d.run_job(PkiJob::Key(Node::Sensor), &mut meter).is_err(), "a job it does not need");
}

#[test]
fn the_need_has_a_stable_text_form_and_cache_key() {
    let mut seen = Vec::new();
    for mode in [Mode::Psk, Mode::Pk, Mode::Dh, Mode::Distributed] {
        let mut c = if mode == Mode::Distributed {
            distributed(5, 3, Scheme::PaperRs)
        } else {
            config(mode)
        };
        c.seed = Some(2016);
        let n = c.pki_need();
        assert_eq!(PkiNeed::parse(&n.id()).unwrap(), n);
        assert_eq!(n.cache_key(), Some(n.id()));
        seen.push(n.id());
    }
    seen.dedup();
    // PK and DH need the same PKI; the other modes each their own.
    assert_eq!(seen.len(), 3, "{seen:?}");
    let os = PkiNeed { seed: None, ..config(Mode::Psk).pki_need() };
    assert_eq!(os.cache_key(), None, "keys from the OS cannot be looked up again");
    assert_eq!(PkiNeed::parse(&os.id()).unwrap(), os);
    let id = need(&config(Mode::Pk), 3).id();
    for bad in [
        String::new(),
        id.replace("pki3", "pki2"),
        id.replace("rsa=1024", "rsa=1000"),
        id.replace("cert=1", "cert=2"),
        format!("{id}/x=1"),
        id[..id.len() - 2].to_string(),
    ] {
        assert!(PkiNeed::parse(&bad).is_err(), "{bad}");
    }
}

/// The jobs of `need`, each run on its own (as separate workers would), finished in the order
/// `order` gives, each sent through its byte form.
fn assemble_in_order(need: &PkiNeed, order: &[PkiJob]) -> Pki {
    let parts: Vec<PkiPart> = order
        .iter()
        .map(|&job| {
            let part = need.run_job(job, &mut Meter::new()).unwrap();
            PkiPart::from_bytes(&part.to_bytes()).unwrap()
        })
        .collect();
    need.assemble(&parts).unwrap()
}

#[test]
fn jobs_in_any_order_give_the_same_pki_byte_for_byte() {
    let n = need(&config(Mode::Pk), 77);
    let reference = Provisioner::run(&n, &mut Meter::new()).unwrap().to_bytes();
    let mut cfg = config(Mode::Pk);
    cfg.seed = Some(77);
    assert_eq!(Simulation::provision(&cfg).unwrap().to_bytes(), reference);
    let mut rng = SimRng::from_seed(5);
    let mut order = n.jobs();
    for round in 0..4 {
        shuffle(&mut rng, &mut order);
        if round == 0 {
            order.reverse();
        }
        assert_eq!(assemble_in_order(&n, &order).to_bytes(), reference, "order {order:?}");
    }
    // Each job depends on (seed, job) alone: TP1's key is the same whatever n, and another
    // seed gives other keys.
    let three =
        Provisioner::run(&need(&distributed(3, 2, Scheme::Shamir), 77), &mut Meter::new()).unwrap();
    let five =
        Provisioner::run(&need(&distributed(5, 3, Scheme::Shamir), 77), &mut Meter::new()).unwrap();
    assert_eq!(three.tps[0].cert_der, five.tps[0].cert_der);
    assert_eq!(three.ca.cert_der, five.ca.cert_der);
    assert_ne!(der(&three.tps[0].key), der(&three.tps[1].key));
    let other = Provisioner::run(&need(&config(Mode::Pk), 78), &mut Meter::new()).unwrap();
    assert_ne!(der(&other.ca.key), der(&Pki::from_bytes(&reference).unwrap().ca.key));
}

#[test]
fn assembly_refuses_missing_duplicate_kinds_and_foreign_parts() {
    let n = need(&distributed(2, 2, Scheme::Shamir), 9);
    let parts: Vec<PkiPart> =
        n.jobs().into_iter().map(|j| n.run_job(j, &mut Meter::new()).unwrap()).collect();
    for skip in 0..parts.len() {
        let mut some = parts.clone();
        some.remove(skip);
        assert!(n.assemble(&some).is_err(), "without part {skip}");
    }
    // The PSKs of a PSK-mode PKI (with a PSK for R) do not fit a distributed PKI.
    let psk = need(&config(Mode::Psk), 9);
    let mut mixed = parts.clone();
    mixed.retain(|p| p.job != PkiJob::Psks);
    mixed.push(psk.run_job(PkiJob::Psks, &mut Meter::new()).unwrap());
    assert!(n.assemble(&mixed).is_err());
    let bytes = parts[0].to_bytes();
    for cut in [0, 7, 9, 10, bytes.len() / 2, bytes.len() - 1] {
        assert!(PkiPart::from_bytes(&bytes[..cut]).is_err(), "truncated at {cut}");
    }
    let mut long = bytes.clone();
    long.push(0);
    assert!(PkiPart::from_bytes(&long).is_err());
    let mut tag = bytes;
    tag[8] = 9;
    assert!(PkiPart::from_bytes(&tag).is_err());
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
    let psk = Provisioner::run(&need(&config(Mode::Psk), 52), &mut Meter::new()).unwrap();
    let psk_bytes = psk.to_bytes();
    let psk_back = Pki::from_bytes(&psk_bytes).unwrap();
    assert_eq!(psk_back.psk_with_r(), psk.psk_with_r());
    assert_eq!(psk_back.to_bytes(), psk_bytes);
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn start(mode: Mode, seed: u64) -> Simulation {
    let mut c = if mode == Mode::Distributed {
        let mut c = SessionConfig::distributed(3, 2, Scheme::Shamir);
        c.rsa_bits = RsaBits::B1024;
        c
    } else {
        config(mode)
    };
    c.seed = Some(seed);
    Simulation::new(c).unwrap()
}

fn run(mode: Mode, seed: u64) -> Simulation {
    let mut sim = start(mode, seed);
    sim.run_to_end();
    sim
}

#[test]
fn sensor_and_r_share_a_psk_in_the_psk_mode_only() {
    let seed = 4242;
    let psk_mode = run(Mode::Psk, seed);
    assert!(psk_mode.verdict().r_rebuilt_tgk, "the PSK mode still runs");
    let psk_r = psk_mode.pki().psk_with_r().expect("the PSK mode has a sensor–R PSK").to_vec();
    assert_eq!(psk_r.len(), 16);
    let names = |sim: &Simulation, node| {
        sim.node_knowledge(node).into_iter().map(|k| (k.name, k.value)).collect::<Vec<_>>()
    };
    assert!(names(&psk_mode, Node::Sensor).iter().any(|(n, v)| n == "PSK with R" && *v == psk_r));
    assert!(names(&psk_mode, Node::Responder).iter().any(|(_, v)| *v == psk_r));
    assert!(keylog::write(&psk_mode).contains(&hex(&psk_r)));

    for mode in [Mode::Distributed, Mode::Pk, Mode::Dh] {
        let sim = run(mode, seed);
        assert!(sim.verdict().r_rebuilt_tgk, "{mode:?} runs");
        assert!(sim.pki().psk_with_r().is_none(), "{mode:?}: no sensor–R PSK in the PKI");
        let sensor = names(&sim, Node::Sensor);
        let r = names(&sim, Node::Responder);
        assert!(!sensor.iter().any(|(n, _)| n.contains("with R")), "{mode:?}: {sensor:?}");
        assert!(!r.iter().any(|(n, _)| n.contains("PSK")), "{mode:?}: R holds no PSK");
        // Before the session, R holds no secret the sensor holds.
        let fresh = start(mode, seed);
        let sensor_before = fresh.node_knowledge(Node::Sensor);
        for k in fresh.node_knowledge(Node::Responder).iter().filter(|k| k.secret) {
            assert!(
                !sensor_before.iter().any(|s| s.value == k.value),
                "{mode:?}: both hold {}",
                k.name
            );
        }
        let log = keylog::write(&sim);
        assert!(!log.contains(&hex(&psk_r)), "{mode:?}: the PSK mode's key in the key log");
        assert!(!log.contains("PSK shared by I and R"), "{mode:?}");
        assert!(!log.contains(r#""a":"I","b":"R""#), "{mode:?}: a sensor–R PSK in the key log");
    }
    // A PKI made for another mode cannot run a PSK-mode session.
    let mut c = config(Mode::Psk);
    c.seed = Some(seed);
    let dist = run(Mode::Distributed, seed).pki().clone();
    assert!(Simulation::with_pki(c, dist).is_err());
}

/// A seed must give the same keys as long as the derivation's version in the cache key stays:
/// a browser keeps PKIs under that key across visits (and builds of the page). This pins the
/// keys of one seed; when it fails, the derivation changed: bump `NEED_VERSION` in
/// `roles/ca.rs` and update the fingerprint below.
#[test]
fn a_seed_gives_the_keys_its_derivation_version_promises() {
    use sha2::{Digest, Sha256};
    let n = need(&config(Mode::Pk), 1);
    assert!(n.id().starts_with("pki3/"), "{}", n.id());
    let pki = Provisioner::run(&n, &mut Meter::new()).unwrap();
    let digest = Sha256::digest(pki.to_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(
        hex,
        "d834dde6d2144681e49a12374b2d911b7e0190be71fbd0fcb12f905717e600c3",
        "the PKI of seed 1 under {}",
        n.id()
    );
}
