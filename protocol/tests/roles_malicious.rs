//! A malicious TP (it sends a wrong share, validly signed) never makes R accept a wrong TGK:
//! with more shares than the threshold R finds a consistent subset and names the bad TP; with
//! exactly the threshold it fails loudly.

mod roles_support;

use dmikey::roles::{MaliciousKind, Node, RoleEvent};
use dmikey::sharing::Scheme;
use roles_support::{Net, distributed};

#[test]
fn with_k_plus_one_shares_r_rebuilds_the_right_tgk_and_names_the_malicious_tp() {
    for scheme in [Scheme::Shamir, Scheme::PaperRs, Scheme::AontRs] {
        let mut net = Net::new(distributed(3, 2, scheme), 31);
        net.tps[1].set_malicious(Some(MaliciousKind::WrongShare));
        // Let TP2's wrong share arrive among the first k, so the first attempt fails.
        net.start();
        net.run();
        assert_eq!(net.r.tgk(), net.sensor.tgk(), "{scheme:?}: R holds the sensor's TGK");
        let ev = net.events_of(Node::Responder);
        assert!(
            ev.iter().any(|e| matches!(e, RoleEvent::BadShare { tp: 2, index: 2 })),
            "{scheme:?}: {ev:?}"
        );
        assert!(
            ev.iter().any(
                |e| matches!(e, RoleEvent::TgkRebuilt { rejected, .. } if rejected == &vec![2])
            ),
            "{scheme:?}: {ev:?}"
        );
        assert_eq!(net.sensor.teks()[0].tek.as_slice(), net.r.teks()[0].tek.as_slice());
    }
}

#[test]
fn a_wrong_share_arriving_after_the_rebuild_is_still_checked_and_its_tp_named() {
    for scheme in [Scheme::Shamir, Scheme::PaperRs, Scheme::AontRs] {
        for malicious in [false, true] {
            let mut net = Net::new(distributed(3, 2, scheme), 34);
            if malicious {
                net.tps[2].set_malicious(Some(MaliciousKind::WrongShare));
            }
            net.start();
            net.run();
            let ev = net.events_of(Node::Responder);
            let rebuilt = ev.iter().position(|e| matches!(e, RoleEvent::TgkRebuilt { .. }));
            let late = ev.iter().position(|e| {
                matches!(
                    e,
                    RoleEvent::LateShare { tp: 3, index: 3 }
                        | RoleEvent::BadShare { tp: 3, index: 3 }
                )
            });
            // TP3's share is the third: R has rebuilt the TGK from TP1's and TP2's before it.
            assert!(
                matches!((rebuilt, late), (Some(r), Some(l)) if r < l),
                "{scheme:?} {malicious}: {ev:?}"
            );
            assert!(
                matches!(ev.get(late.unwrap_or(0)), Some(RoleEvent::BadShare { .. })) == malicious,
                "{scheme:?} malicious {malicious}: {ev:?}"
            );
            assert_eq!(net.r.tgk(), net.sensor.tgk(), "{scheme:?}: R keeps the sensor's TGK");
        }
    }
}

#[test]
fn with_exactly_k_shares_and_one_wrong_r_fails_loudly_and_never_holds_a_tgk() {
    for scheme in [Scheme::Shamir, Scheme::PaperRs, Scheme::Xor, Scheme::AontRs] {
        let (n, k) = if scheme == Scheme::Xor { (2, 2) } else { (3, 2) };
        let mut net = Net::new(distributed(n, k, scheme), 32);
        net.tps[0].set_malicious(Some(MaliciousKind::WrongShare));
        if n == 3 {
            net.lose.push("I_TP3".into());
        }
        net.start();
        net.run();
        assert_eq!(net.r.tgk(), None, "{scheme:?}: R must not hold any TGK");
        assert!(net.r.teks().is_empty());
        let ev = net.events_of(Node::Responder);
        assert!(
            ev.iter().any(|e| matches!(e, RoleEvent::RebuildFailed { .. })),
            "{scheme:?}: {ev:?}"
        );
        assert!(
            ev.iter().any(|e| matches!(e, RoleEvent::SessionFailed { .. })),
            "{scheme:?}: {ev:?}"
        );
        assert!(!ev.iter().any(|e| matches!(e, RoleEvent::TgkRebuilt { .. })), "{scheme:?}");
        // the sensor times out waiting for R_I
        let sev = net.events_of(Node::Sensor);
        assert!(sev.iter().any(|e| matches!(e, RoleEvent::TimedOut { .. })), "{scheme:?}: {sev:?}");
        // R told the TPs with an authenticated ERR (241)
        assert!(net.events.iter().any(|(n, e)| matches!(n, Node::Tp(_))
            && matches!(e, RoleEvent::ErrorReceived { code: 241, authenticated: true, .. })));
    }
}

#[test]
fn a_lost_share_below_the_threshold_times_out_without_a_tgk() {
    let mut net = Net::new(distributed(3, 3, Scheme::Shamir), 33);
    net.lose.push("TP2_R".into());
    net.start();
    net.run();
    assert_eq!(net.r.tgk(), None);
    let ev = net.events_of(Node::Responder);
    assert!(ev.iter().any(|e| matches!(e, RoleEvent::Waiting { have: 2, need: 3 })), "{ev:?}");
    assert!(ev.iter().any(|e| matches!(e, RoleEvent::TimedOut { .. })), "{ev:?}");
}

#[test]
fn a_tp_that_cannot_reach_the_named_responder_tells_the_sensor_with_an_authenticated_err() {
    let cfg = distributed(2, 1, Scheme::Shamir);
    let mut net = Net::new(cfg.clone(), 34);
    let mut other = net.pki.clone();
    other.ids.responder = b"someone-else@hospital.example".to_vec();
    net.tps[0] = dmikey::roles::ThirdParty::new(&cfg, &other, 1).unwrap();
    net.start();
    net.run();
    let tp1 = net.events_of(Node::Tp(1));
    assert!(
        tp1.iter().any(|e| matches!(
            e,
            RoleEvent::Rejected { error: dmikey::Error::UnknownPeer { .. }, .. }
        )),
        "{tp1:?}"
    );
    assert!(
        net.events_of(Node::Sensor)
            .iter()
            .any(|e| matches!(e, RoleEvent::ErrorReceived { code: 242, authenticated: true, .. })),
        "{:?}",
        net.events_of(Node::Sensor)
    );
    // k = 1: TP2's share alone rebuilds the TGK
    assert_eq!(net.r.tgk(), net.sensor.tgk());
}

#[test]
fn r_caps_the_number_of_sessions_it_collects_for_one_sensor() {
    // k = n = 2 and TP2's shares lost: every session stays pending at R.
    let mut net = Net::new(distributed(2, 2, Scheme::Shamir), 35);
    net.lose.push("TP2_R".into());
    for _ in 0..5 {
        net.start();
        // deliver only the sensor's messages and the TPs' answers, no timers
        while net.step_queue() {}
        net.now = net.now.plus_ms(1_000);
    }
    assert_eq!(net.r.pending_groups(), dmikey::roles::responder::MAX_PENDING_PER_SENSOR);
    assert!(
        net.rejections().iter().any(|(_, _, e)| e.contains("sessions for this sensor")),
        "{:?}",
        net.rejections()
    );
}

#[test]
fn a_second_share_from_the_same_tp_is_refused_and_the_tp_told_with_an_authenticated_err() {
    // k = n = 3 and TP3's share lost, so the session stays open at R.
    let mut net = Net::new(distributed(3, 3, Scheme::Shamir), 36);
    net.lose.push("TP3_R".into());
    let mut twin = net.tps[0].clone(); // TP1 before it saw anything: no replay-cache entry
    net.start();
    while net.step_queue() {}
    let i_tp1 = net.deliveries.iter().find(|d| d.out.label == "I_TP1").unwrap().out.bytes.clone();
    net.now = net.now.plus_ms(1_000);
    let mut rng = dmikey::crypto::rng::SimRng::from_seed(1);
    let mut meter = dmikey::cost::Meter::new();
    let mut ctx = dmikey::roles::Ctx { now: net.now, rng: &mut rng, meter: &mut meter };
    let out = dmikey::roles::Role::on_message(&mut twin, Node::Sensor, &i_tp1, &mut ctx);
    let again = out.send.iter().find(|o| o.label == "TP1_R").expect("a fresh TP1_R").bytes.clone();
    let r_out = net.deliver(Node::Tp(1), Node::Responder, &again);
    assert!(
        matches!(
            &r_out.events[..],
            [RoleEvent::Rejected { error: dmikey::Error::DuplicateShareFromTp { tp: 1 }, .. }]
        ),
        "{:?}",
        r_out.events
    );
    let err =
        r_out.send.iter().find(|o| o.kind == dmikey::roles::MsgKind::Error).expect("ERR to TP1");
    let mut ctx = dmikey::roles::Ctx { now: net.now, rng: &mut rng, meter: &mut meter };
    let t_out = dmikey::roles::Role::on_message(&mut twin, Node::Responder, &err.bytes, &mut ctx);
    assert!(
        matches!(
            &t_out.events[..],
            [RoleEvent::ErrorReceived { code: 241, authenticated: true, .. }]
        ),
        "{:?}",
        t_out.events
    );
}
