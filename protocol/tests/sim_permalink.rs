//! A link to a moment of a run brings back exactly that moment: a player driven by hand
//! (commands at several steps, one of them after going back in time) and the player rebuilt
//! from its link text hold byte-identical packets, events, verdicts and captures — at the
//! linked step and at the end.

use std::sync::{Arc, OnceLock};

use dmikey::crypto::rsa::RsaBits;
use dmikey::roles::{Pki, SessionConfig};
use dmikey::sharing::Scheme;
use dmikey::sim::{Command, Link, Node, Permalink, Player, Script, Simulation, Tamper};

fn pki() -> Arc<Pki> {
    static PKI: OnceLock<Arc<Pki>> = OnceLock::new();
    PKI.get_or_init(|| Arc::new(Simulation::provision(&config()).unwrap())).clone()
}

fn config() -> SessionConfig {
    let mut c = SessionConfig::distributed(5, 3, Scheme::PaperRs);
    c.rsa_bits = RsaBits::B1024;
    c.seed = Some(7);
    c
}

fn player(cfg: SessionConfig) -> Player<Simulation> {
    Player::new(Simulation::with_pki(cfg, pki()).unwrap())
}

/// Gives a command the way the UI does: at the current step, recorded in the script.
fn give(p: &mut Player<Simulation>, script: &mut Script, cmd: Command) {
    p.edit(|s| s.apply(cmd.clone())).unwrap();
    script.record(p.position(), cmd);
}

fn first_in_flight(p: &Player<Simulation>) -> usize {
    p.current().in_flight().first().expect("a packet in flight").id
}

fn same(a: &Simulation, b: &Simulation) {
    assert_eq!(a.capture(), b.capture());
    assert_eq!(a.events(), b.events());
    assert_eq!(a.verdict(), b.verdict());
    assert_eq!(a.pcap(), b.pcap());
    assert_eq!(a.intruder_report(), b.intruder_report());
}

#[test]
fn a_link_brings_back_the_same_moment_and_the_same_future() {
    let mut p = player(config());
    let mut script = Script::new();
    give(&mut p, &mut script, Command::Compromise { tp: 1 });
    p.seek(3);
    let id = first_in_flight(&p);
    give(&mut p, &mut script, Command::Drop { packet: id });
    p.seek(6);
    let id = first_in_flight(&p);
    give(
        &mut p,
        &mut script,
        Command::Tamper { packet: id, how: Tamper::FlipByte { offset: 20, mask: 4 } },
    );
    p.seek(9);
    // Back to step 5 and a new command there: the tamper given at step 6 is forgotten.
    p.seek(5);
    let id = first_in_flight(&p);
    give(&mut p, &mut script, Command::Delay { packet: id, ms: 40 });
    give(&mut p, &mut script, Command::LinkDown(Link::new(Node::Tp(5), Node::Responder)));
    p.seek(11);
    assert_eq!(p.position(), 11);
    assert_eq!(script.entries().iter().map(|(s, _)| *s).collect::<Vec<_>>(), vec![0, 3, 5, 5]);
    assert!(!p.current().capture().iter().any(|pk| pk.tampered), "the tamper was forgotten");

    let link = Permalink { config: config(), preset: None, script, step: p.position() };
    let text = link.to_fragment();
    let read = Permalink::parse(&text).unwrap();
    assert_eq!(read, link);

    let mut q = player(read.config.clone());
    let mut replayed = read.script.clone();
    assert!(replayed.replay(&mut q).is_empty());
    assert_eq!(replayed, read.script);
    assert_eq!(q.seek(read.step), 11);
    same(p.current(), q.current());

    // Stepping back and forth from the rebuilt moment gives the original's states too.
    for step in [0, 4, 9, 2] {
        p.seek(step);
        q.seek(step);
        same(p.current(), q.current());
    }
    p.run(10_000);
    q.run(10_000);
    assert_eq!(p.end(), q.end());
    same(p.current(), q.current());
    assert!(p.current().verdict().sentence.contains("TGK"));
}

#[test]
fn a_refused_command_in_a_link_is_reported_and_left_out() {
    let text = "v=1&mode=distributed&n=5&k=3&scheme=rs&rsa=1024&seed=7\
                &cmds=0:compromise:1;0:compromise:9;2:drop:999&step=4";
    let read = Permalink::parse(text).unwrap();
    let mut q = player(read.config.clone());
    let mut script = read.script.clone();
    let refused = script.replay(&mut q);
    let why: Vec<String> = refused.iter().map(|(_, e)| e.to_string()).collect();
    assert_eq!(why.len(), 2, "{why:?}");
    assert!(why[0].contains("TP9"), "{why:?}");
    assert!(why[1].contains("999"), "{why:?}");
    assert_eq!(script.entries(), &[(0, Command::Compromise { tp: 1 })]);
}

proptest::proptest! {
    /// Any text — random, or a valid link with one byte changed — gives a link or a typed
    /// error, never a panic; and whatever is read back writes out to a text that reads the same.
    #[test]
    fn any_text_is_read_without_panicking(text in ".{0,300}", at in 0usize..200, byte in 0u8..128) {
        let _ = Permalink::parse(&text);
        let mut valid = "v=1&mode=distributed&n=5&k=3&scheme=rs&kemac=aes-cm&rsa=2048&opt=r-tp,r-i\
            &seed=1&preset=happy-path&cmds=0:compromise:1;3:drop:7;5:tamper:9:set:HDR:CSB%20ID:0a0b\
            ;6:arm:TP4_R:replay:10:R&step=12".as_bytes().to_vec();
        let i = at % valid.len();
        valid[i] = byte;
        if let Ok(text) = String::from_utf8(valid)
            && let Ok(link) = Permalink::parse(&text)
        {
            proptest::prop_assert_eq!(Permalink::parse(&link.to_fragment()).unwrap(), link);
        }
    }
}
