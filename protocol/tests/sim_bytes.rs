//! The byte counts of the cost table are the capture's: the simulation counts, where it
//! dispatches, what each role sends and what is delivered to it — replays the intruder sends
//! in a role's name count as received by their target, never as sent by that role, and a
//! dropped packet is received by nobody.

use dmikey::crypto::rsa::RsaBits;
use dmikey::roles::{Mode, Node, SessionConfig};
use dmikey::sharing::Scheme;
use dmikey::sim::{Command, Fate, Origin, Simulation};

fn check_counts(sim: &Simulation) {
    let costs = sim.costs();
    let mut nodes = vec![Node::Sensor, Node::Responder];
    nodes.extend((1..=sim.config().tps()).map(Node::Tp));
    for node in nodes {
        let meter = costs.role(&node.label()).expect("a meter per role");
        let sent: usize = sim
            .capture()
            .iter()
            .filter(|p| p.from == node && p.origin == Origin::Role)
            .map(|p| p.bytes.len())
            .sum();
        let received: usize = sim
            .capture()
            .iter()
            .filter(|p| p.to == node && matches!(p.fate, Fate::Delivered { .. }))
            .map(|p| p.bytes.len())
            .sum();
        assert_eq!(meter.bytes_sent, sent as u64, "bytes sent by {}", node.label());
        assert_eq!(meter.bytes_received, received as u64, "bytes received by {}", node.label());
    }
}

fn run_with_a_replay_and_a_drop(mut cfg: SessionConfig) -> Simulation {
    cfg.rsa_bits = RsaBits::B1024;
    cfg.seed = Some(9);
    let mut sim = Simulation::new(cfg).expect("simulation");
    sim.step();
    sim.apply(Command::Replay { packet: 0, to: None }).expect("replay");
    if let Some(id) = sim.in_flight().iter().map(|p| p.id).find(|id| *id != 0) {
        sim.apply(Command::Drop { packet: id }).expect("drop");
    }
    sim.run_to_end();
    assert!(sim.capture().iter().any(|p| matches!(p.origin, Origin::Replay { .. })));
    assert!(sim.capture().iter().any(|p| matches!(p.fate, Fate::Dropped { .. })));
    sim
}

#[test]
fn distributed_byte_counts_match_the_capture_with_replays_and_drops() {
    let sim = run_with_a_replay_and_a_drop(SessionConfig::distributed(3, 2, Scheme::Shamir));
    check_counts(&sim);
    let sensor = sim.costs().role("I").cloned().expect("sensor meter");
    assert!(sensor.bytes_sent > 0 && sensor.bytes_received > 0);
}

#[test]
fn standard_mode_byte_counts_match_the_capture_with_replays_and_drops() {
    for mode in [Mode::Psk, Mode::Pk, Mode::Dh] {
        check_counts(&run_with_a_replay_and_a_drop(SessionConfig::standard(mode)));
    }
}
