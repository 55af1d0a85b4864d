//! Fuzz target: R (a real `Responder` of a seeded distributed session, RSA-1024, n = 3, k = 2,
//! built once per process) fed arbitrary bytes as a TPi_R. `Role::on_message` must never
//! panic and must answer bad input with named rejections; one message alone can never make
//! R rebuild the TGK (k = 2), and the real TPi_R messages of the session are accepted
//! (checked once, so the target is known to reach R's deep path).
#![no_main]

mod common;

use std::sync::OnceLock;

use dmikey::cost::Meter;
use dmikey::crypto::rng::SimRng;
use dmikey::crypto::rsa::RsaBits;
use dmikey::roles::{Ctx, MsgKind, Node, Responder, Role, RoleEvent, SessionConfig, SimTime};
use dmikey::sharing::Scheme;
use dmikey::sim::Simulation;
use libfuzzer_sys::fuzz_target;

struct Fixture {
    r: Responder,
    now: SimTime,
}

fn deliver(r: &mut Responder, now: SimTime, bytes: &[u8]) -> Vec<RoleEvent> {
    let (mut rng, mut meter) = (SimRng::from_seed(9), Meter::new());
    let mut ctx = Ctx { now, rng: &mut rng, meter: &mut meter };
    r.on_message(Node::Tp(1), bytes, &mut ctx).events
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let mut cfg = SessionConfig::distributed(3, 2, Scheme::Shamir);
        cfg.rsa_bits = RsaBits::B1024;
        cfg.seed = Some(7);
        let mut sim = Simulation::new(cfg.clone()).expect("simulation");
        sim.run_to_end();
        let tp_r: Vec<_> = sim.capture().iter().filter(|p| p.kind == MsgKind::TpR).collect();
        assert!(tp_r.len() >= 2, "the session sends TPi_R");
        let now = tp_r[0].arrive_at;
        let r = Responder::new(&cfg, sim.pki()).expect("R");
        for p in &tp_r {
            let events = deliver(&mut r.clone(), now, &p.bytes);
            assert!(
                events.iter().any(|e| matches!(e, RoleEvent::ShareAccepted { .. })),
                "a real {} is accepted: {events:?}",
                p.label
            );
        }
        let seeds: Vec<&[u8]> = tp_r.iter().map(|p| p.bytes.as_slice()).collect();
        common::write_seeds("responder_tp_r", &seeds);
        Fixture { r, now }
    })
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    let events = deliver(&mut f.r.clone(), f.now, data);
    for e in &events {
        match e {
            RoleEvent::TgkRebuilt { .. } => panic!("one message made R rebuild the TGK"),
            RoleEvent::Rejected { label, error } => {
                assert!(!label.is_empty());
                assert!(!error.to_string().is_empty());
            }
            _ => {}
        }
    }
});
