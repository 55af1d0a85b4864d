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

/// A sensor whose clock runs `ahead_ms` ahead of TP1's sends I_TP1; TP1 accepts it once.
/// Returns the net (clock at TP1's time of that delivery) and the message.
fn i_tp1_from_a_sensor_clock_ahead(ahead_ms: u64, seed: u64) -> (Net, Vec<u8>) {
    let mut net = Net::new(distributed(2, 2, Scheme::Shamir), seed);
    let tp_time = net.now;
    net.now = tp_time.plus_ms(ahead_ms);
    net.start();
    let bytes = net.sensor_first_message();
    net.now = tp_time;
    let out = net.deliver(dmikey::roles::Node::Sensor, dmikey::roles::Node::Tp(1), &bytes);
    assert!(accepted(&out), "the first copy is accepted: {:?}", out.events);
    (net, bytes)
}

#[test]
fn a_replay_from_a_sensor_clock_ahead_is_rejected_after_now_plus_twice_the_window() {
    // The sensor's clock runs 119.5 s ahead of TP1's (inside the ±120 s window). Whole-second
    // checks kept the entry until now + 2 × 120 s and read a skew of −120.8 s as −120 s: a copy
    // re-sent 240.3 s later was accepted a second time. Checked to the millisecond, that copy
    // is outside the window; until then the cache holds the entry (until T + 120 s).
    let (mut net, bytes) = i_tp1_from_a_sensor_clock_ahead(119_500, 27);
    let accepted_at = net.now;
    net.now = accepted_at.plus_ms(240_300 - 5);
    let out = net.deliver(dmikey::roles::Node::Sensor, dmikey::roles::Node::Tp(1), &bytes);
    assert!(!accepted(&out), "the replay got through: {:?}", out.events);
    assert!(
        matches!(
            &out.events[..],
            [RoleEvent::Rejected { error: dmikey::Error::TimestampOutsideWindow { .. }, .. }]
        ),
        "{:?}",
        out.events
    );
}

#[test]
fn a_replay_from_a_sensor_clock_ahead_meets_the_cache_while_its_t_is_in_the_window() {
    // T = TP1's time + 119.5 s: acceptable until TP1's time + 239.5 s. A copy at + 239.4 s is
    // inside the window, so the cache must still hold the entry.
    let (mut net, bytes) = i_tp1_from_a_sensor_clock_ahead(119_500, 28);
    let accepted_at = net.now;
    net.now = accepted_at.plus_ms(239_400 - 5);
    let out = net.deliver(dmikey::roles::Node::Sensor, dmikey::roles::Node::Tp(1), &bytes);
    assert!(
        matches!(
            &out.events[..],
            [RoleEvent::Rejected { error: dmikey::Error::Replay { .. }, .. }]
        ),
        "{:?}",
        out.events
    );
}
