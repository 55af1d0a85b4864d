//! OAKLEY group 5 Diffie-Hellman agreement and peer-value validation; replay window, cache
//! and COUNTER check; NTP conversions across the 2036 era boundary.

use dmikey::Error;
use dmikey::cost::Meter;
use dmikey::crypto::dh::{self, DhKeyPair};
use dmikey::crypto::rng::SimRng;
use dmikey::replay::{self, CounterCheck, ReplayCache};

#[test]
fn initiator_and_responder_agree_on_g_xy() {
    let mut m = Meter::new();
    let root = SimRng::from_seed(5);
    let a = DhKeyPair::generate(&mut root.fork("I"), &mut m).unwrap();
    let b = DhKeyPair::generate(&mut root.fork("R"), &mut m).unwrap();
    assert_eq!(a.public_value().len(), 192);
    assert_ne!(a.public_value(), b.public_value());
    let s1 = a.shared_secret(b.public_value(), &mut m).unwrap();
    let s2 = b.shared_secret(a.public_value(), &mut m).unwrap();
    assert_eq!(&s1[..], &s2[..]);
    assert_eq!(s1.len(), 192);
    assert_eq!(m.dh_exp, 4);
    // A third party gets something else.
    let c = DhKeyPair::generate(&mut root.fork("X"), &mut m).unwrap();
    assert_ne!(&c.shared_secret(a.public_value(), &mut m).unwrap()[..], &s1[..]);
}

#[test]
fn degenerate_peer_values_are_rejected() {
    let mut m = Meter::new();
    let a = DhKeyPair::generate(&mut SimRng::from_seed(1), &mut m).unwrap();
    let p = dh::prime_bytes();
    let mut one = [0u8; 192];
    one[191] = 1;
    let mut p_minus_1 = p;
    p_minus_1[191] -= 1;
    let mut p_minus_2 = p;
    p_minus_2[191] -= 2;
    for bad in [[0u8; 192], one, p_minus_1, p, [0xff; 192]] {
        assert!(matches!(a.shared_secret(&bad, &mut m), Err(Error::DhValueInvalid { .. })));
    }
    assert!(a.shared_secret(&p[..100], &mut m).is_err());
    let mut two = [0u8; 192];
    two[191] = 2;
    // Using g = 2 as the "peer value" gives back g^x: the public value.
    assert_eq!(&a.shared_secret(&two, &mut m).unwrap()[..], a.public_value());
    assert!(a.shared_secret(&p_minus_2, &mut m).is_ok());
}

const NOW_MS: u64 = 1_795_000_000_000; // 2026-11-18

#[test]
fn ntp_round_trip_and_era_boundary() {
    for unix_ms in [0, NOW_MS, 2_085_978_495_000, 2_085_978_496_500, 2_200_000_000_123] {
        let ntp = replay::unix_ms_to_ntp(unix_ms);
        let back = replay::ntp_to_unix_ms(ntp, unix_ms);
        assert!((back - unix_ms as i64).abs() <= 1, "{unix_ms} -> {back}");
    }
    // 2036-02-07 06:28:16 UTC is NTP second 0 of era 1.
    assert_eq!(replay::unix_ms_to_ntp(2_085_978_496_000) >> 32, 0);
    // A timestamp just after the wrap, read near the wrap, lands after it, not in 1900.
    let t = replay::unix_ms_to_ntp(2_085_978_497_000);
    assert_eq!(replay::ntp_to_unix_ms(t, 2_085_978_490_000), 2_085_978_497_000);
}

#[test]
fn timestamp_outside_the_window_is_rejected_with_the_skew_in_words() {
    let ts = replay::unix_ms_to_ntp(NOW_MS - 312_000);
    let e = replay::check_window(ts, NOW_MS, 120).unwrap_err();
    assert_eq!(e.to_string(), "timestamp 312 s outside the ±120 s window");
    assert!(matches!(e, Error::TimestampOutsideWindow { skew_s: -312, window_s: 120 }));
    assert!(replay::check_window(replay::unix_ms_to_ntp(NOW_MS + 121_000), NOW_MS, 120).is_err());
    assert!(replay::check_window(replay::unix_ms_to_ntp(NOW_MS + 119_000), NOW_MS, 120).is_ok());
    assert!(replay::check_window(replay::unix_ms_to_ntp(NOW_MS - 120_000), NOW_MS, 120).is_ok());
}

#[test]
fn replayed_message_is_rejected_until_its_timestamp_leaves_the_window() {
    let mut cache = ReplayCache::new(120);
    let msg = b"I_TP1 bytes";
    cache.check(msg, "I_TP1", NOW_MS).unwrap();
    cache.insert(msg, NOW_MS as i64, NOW_MS);
    let e = cache.check(msg, "I_TP1", NOW_MS + 5_000).unwrap_err();
    assert_eq!(e, Error::Replay { message: "I_TP1".into() });
    assert!(cache.check(b"another message", "I_TP1", NOW_MS).is_ok());
    assert!(cache.check(msg, "I_TP1", NOW_MS + 120_000).is_err());
    assert!(cache.check(msg, "I_TP1", NOW_MS + 120_001).is_ok());
    cache.purge(NOW_MS + 120_001);
    assert!(cache.is_empty());
}

#[test]
fn counter_must_strictly_increase_per_sensor() {
    let mut c = CounterCheck::new();
    c.accept("sensor-1", 5).unwrap();
    c.accept("sensor-2", 1).unwrap();
    let e = c.check("sensor-1", 5).unwrap_err();
    assert_eq!(
        e.to_string(),
        "COUNTER timestamp 5 from sensor-1 does not increase (last accepted 5)"
    );
    assert!(c.accept("sensor-1", 4).is_err());
    c.accept("sensor-1", 6).unwrap();
    assert_eq!(c.last("sensor-1"), Some(6));
}
