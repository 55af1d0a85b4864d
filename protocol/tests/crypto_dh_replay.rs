//! OAKLEY group 5 Diffie-Hellman agreement and peer-value validation; replay window and
//! cache; NTP conversions across the 2036 era boundary.

use dmikey::Error;
use dmikey::cost::Meter;
use dmikey::crypto::dh::{self, DhKeyPair};
use dmikey::crypto::rng::SimRng;
use dmikey::replay::{self, ReplayCache};
use dmikey::roles::{EPOCH_UNIX, SimTime};
use dmikey::wire::Timestamp;
use dmikey::wire::time::{ntp_to_unix_ms, unix_ms_to_ntp};

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
        let ntp = unix_ms_to_ntp(unix_ms);
        let back = ntp_to_unix_ms(ntp, unix_ms);
        assert!((back - unix_ms as i64).abs() <= 1, "{unix_ms} -> {back}");
    }
    // 2036-02-07 06:28:16 UTC is NTP second 0 of era 1.
    assert_eq!(unix_ms_to_ntp(2_085_978_496_000) >> 32, 0);
    // A timestamp just after the wrap, read near the wrap, lands after it, not in 1900.
    let t = unix_ms_to_ntp(2_085_978_497_000);
    assert_eq!(ntp_to_unix_ms(t, 2_085_978_490_000), 2_085_978_497_000);
}

/// An NTP-UTC timestamp `offset_ms` away from the simulated instant `now`.
fn ts(now: SimTime, offset_ms: i64) -> Timestamp {
    let unix_ms = (EPOCH_UNIX * 1000 + now.0) as i64 + offset_ms;
    Timestamp::NtpUtc(unix_ms_to_ntp(unix_ms as u64))
}

const NOW: SimTime = SimTime(1_000_000);

#[test]
fn timestamp_outside_the_window_is_rejected_with_the_skew_in_words() {
    let e = replay::check_window(&ts(NOW, -312_000), NOW, 120, "I_TP1").unwrap_err();
    assert_eq!(e.to_string(), "timestamp 312 s outside the ±120 s window");
    assert!(matches!(e, Error::TimestampOutsideWindow { skew_s: -312, window_s: 120 }));
    assert!(replay::check_window(&ts(NOW, 121_000), NOW, 120, "I_TP1").is_err());
    assert!(replay::check_window(&ts(NOW, 119_000), NOW, 120, "I_TP1").is_ok());
    assert!(replay::check_window(&ts(NOW, -120_000), NOW, 120, "I_TP1").is_ok());
    assert!(replay::check_window(&Timestamp::Counter(3), NOW, 120, "I_TP1").is_err());
}

#[test]
fn the_window_is_checked_to_the_millisecond() {
    // 120.5 s is outside ±120 s (whole seconds would have truncated it to 120 s), and the
    // error rounds away from the window rather than printing "120 s outside ±120 s".
    let e = replay::check_window(&ts(NOW, 120_500), NOW, 120, "I_TP1").unwrap_err();
    assert!(matches!(e, Error::TimestampOutsideWindow { skew_s: 121, window_s: 120 }), "{e:?}");
    let e = replay::check_window(&ts(NOW, -120_001), NOW, 120, "I_TP1").unwrap_err();
    assert!(matches!(e, Error::TimestampOutsideWindow { skew_s: -121, .. }), "{e:?}");
    assert!(replay::check_window(&ts(NOW, 120_000), NOW, 120, "I_TP1").is_ok());
}

#[test]
fn a_timestamp_from_an_old_era_is_not_read_as_the_simulation_epoch() {
    // 1990: far outside the window even when the simulation has just started.
    let t = Timestamp::NtpUtc(unix_ms_to_ntp(631_152_000_000));
    assert!(replay::check_window(&t, SimTime(5_000), 120, "I_TP1").is_err());
}

#[test]
fn replayed_message_is_rejected_until_its_timestamp_leaves_the_window() {
    let mut cache = ReplayCache::default();
    let t = ts(NOW, 0);
    let key = ReplayCache::key(b"sensor", 7, &t);
    cache.check(&key, NOW, "I_TP1").unwrap();
    cache.insert(key.clone(), NOW, replay::expiry(&t, NOW, 120));
    let e = cache.check(&key, NOW.plus_ms(5_000), "I_TP1").unwrap_err();
    assert_eq!(e, Error::Replay { message: "I_TP1".into() });
    assert!(cache.check(&ReplayCache::key(b"sensor", 8, &t), NOW, "I_TP1").is_ok());
    assert!(cache.check(&ReplayCache::key(b"other", 7, &t), NOW, "I_TP1").is_ok());
    // The entry lives exactly as long as the window accepts T.
    let last = NOW.plus_ms(120_000);
    assert!(cache.check(&key, last, "I_TP1").is_err());
    assert!(replay::check_window(&t, last, 120, "I_TP1").is_ok());
    let after = NOW.plus_ms(120_001);
    assert!(cache.check(&key, after, "I_TP1").is_ok());
    assert!(replay::check_window(&t, after, 120, "I_TP1").is_err());
}

#[test]
fn an_entry_lives_until_max_t_now_plus_the_window() {
    // Sender clock ahead by 100 s: T stays acceptable until T + 120 s = now + 220 s.
    assert_eq!(replay::expiry(&ts(NOW, 100_000), NOW, 120), NOW.plus_ms(220_000));
    // Sender clock behind: now + 120 s.
    assert_eq!(replay::expiry(&ts(NOW, -100_000), NOW, 120), NOW.plus_ms(120_000));
    // A COUNTER tells no time: now + window.
    assert_eq!(replay::expiry(&Timestamp::Counter(9), NOW, 120), NOW.plus_ms(120_000));
    // For every skew inside the window, the window check rejects a copy as soon as the cache
    // has forgotten it: no instant lets a copy through.
    for skew in [-120_000i64, -60_500, -1, 0, 1, 59_999, 119_500, 120_000] {
        let t = ts(NOW, skew);
        let exp = replay::expiry(&t, NOW, 120);
        let gone = exp.plus_ms(1);
        assert!(replay::check_window(&t, exp, 120, "x").is_ok() || skew < 0, "{skew}");
        assert!(replay::check_window(&t, gone, 120, "x").is_err(), "skew {skew} ms");
    }
}
