//! A malicious TP (it sends a wrong share, validly signed) never makes R accept a wrong TGK:
//! with more shares than the threshold R finds a consistent subset and names the bad TP; with
//! exactly the threshold it fails loudly.

mod roles_support;

use dmikey::roles::{Node, RoleEvent};
use dmikey::sharing::Scheme;
use roles_support::{Net, distributed};

#[test]
fn with_k_plus_one_shares_r_rebuilds_the_right_tgk_and_names_the_malicious_tp() {
    for scheme in [Scheme::Shamir, Scheme::PaperRs, Scheme::AontRs] {
        let mut net = Net::new(distributed(3, 2, scheme), 31);
        net.tps[1].set_malicious(true);
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
fn with_exactly_k_shares_and_one_wrong_r_fails_loudly_and_never_holds_a_tgk() {
    for scheme in [Scheme::Shamir, Scheme::PaperRs, Scheme::Xor, Scheme::AontRs] {
        let (n, k) = if scheme == Scheme::Xor { (2, 2) } else { (3, 2) };
        let mut net = Net::new(distributed(n, k, scheme), 32);
        net.tps[0].set_malicious(true);
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
