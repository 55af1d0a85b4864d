//! Replayed messages are rejected: each message of a finished session, sent again to its
//! receiver, is refused (replay cache, counter, or "already answered"), in every mode.

mod roles_support;

use dmikey::roles::{Mode, RoleEvent};
use dmikey::sharing::Scheme;
use roles_support::{Net, accepted, config, distributed};

fn replay_everything(mut net: Net) {
    net.start();
    net.run();
    assert!(net.rejections().is_empty(), "{:?}", net.rejections());
    assert!(!net.sensor.teks().is_empty());
    let deliveries = net.deliveries.clone();
    assert!(!deliveries.is_empty());
    for d in deliveries {
        let out = net.deliver(d.from, d.out.to, &d.out.bytes);
        assert!(!accepted(&out), "replayed {} accepted: {:?}", d.out.label, out.events);
        assert!(
            out.events.iter().any(|e| matches!(e, RoleEvent::Rejected { .. })),
            "replayed {} not rejected: {:?}",
            d.out.label,
            out.events
        );
    }
}

#[test]
fn replayed_psk_mode_messages_are_rejected() {
    replay_everything(Net::new(config(Mode::Psk), 21));
}

#[test]
fn replayed_pk_mode_messages_are_rejected() {
    replay_everything(Net::new(config(Mode::Pk), 22));
}

#[test]
fn replayed_dh_mode_messages_are_rejected() {
    replay_everything(Net::new(config(Mode::Dh), 23));
}

#[test]
fn replayed_distributed_mode_messages_are_rejected() {
    let mut cfg = distributed(3, 2, Scheme::Shamir);
    cfg.optional.tp_i = true;
    replay_everything(Net::new(cfg, 24));
}

#[test]
fn replayed_distributed_mode_messages_with_a_counter_clock_are_rejected() {
    let mut cfg = distributed(3, 3, Scheme::Xor);
    cfg.sensor_clock = dmikey::roles::SensorClock::Counter;
    replay_everything(Net::new(cfg, 25));
}

#[test]
fn an_old_i_tp_replayed_after_the_window_is_rejected_by_its_timestamp() {
    let mut net = Net::new(distributed(2, 2, Scheme::Shamir), 26);
    net.start();
    net.run();
    let first = net.deliveries[0].clone();
    net.now = net.now.plus_ms(10 * 60 * 1000);
    let out = net.deliver(first.from, first.out.to, &first.out.bytes);
    assert!(
        matches!(
            &out.events[..],
            [RoleEvent::Rejected { error: dmikey::Error::TimestampOutsideWindow { .. }, .. }]
        ),
        "{:?}",
        out.events
    );
}
