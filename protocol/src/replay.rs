//! Replay protection every receiving role applies first (RFC 3830 §5.4): the timestamp
//! window, and a replay cache of authenticated messages keyed by (sender identity, CSB ID,
//! timestamp). The strictly increasing COUNTER of a clockless sensor is checked by the roles
//! themselves (they know which peer a counter belongs to).
//!
//! * [`check_window`] — an NTP / NTP-UTC timestamp further than the allowed clock skew from
//!   the receiver's clock is rejected, to the millisecond ("timestamp 312 s outside the
//!   ±120 s window");
//! * [`ReplayCache`] — remembers the messages that were **successfully authenticated** (only
//!   those are inserted) and rejects a second copy while it lives;
//! * [`expiry`] — how long an entry must live: until `max(T, now) + window`. From then on the
//!   window check alone rejects the copy, whichever clock runs ahead.
//!
//! Time is a parameter ([`SimTime`]); nothing here reads a clock. See
//! docs/responder-checks.md, "Replay protection".

use crate::Error;
use crate::roles::{EPOCH_UNIX, SimTime};
use crate::wire::Timestamp;
use crate::wire::time::ntp_to_unix_ms;

/// Milliseconds since the Unix epoch at the simulated instant `now`.
fn unix_ms(now: SimTime) -> i64 {
    i64::try_from(EPOCH_UNIX.saturating_mul(1000).saturating_add(now.0)).unwrap_or(i64::MAX)
}

/// When the sender says it sent a message: the timestamp `t` in simulated milliseconds
/// (negative before the simulation epoch). `None` for a COUNTER, which tells no time. The
/// NTP era is the one closest to `now`, so a timestamp just past the 2036 wrap is read as
/// 2036, not 1900.
pub fn sent_at_ms(t: &Timestamp, now: SimTime) -> Option<i64> {
    match t {
        Timestamp::NtpUtc(v) | Timestamp::Ntp(v) => {
            let now_unix = u64::try_from(unix_ms(now)).unwrap_or(u64::MAX);
            let epoch_ms = i64::try_from(EPOCH_UNIX.saturating_mul(1000)).unwrap_or(i64::MAX);
            Some(ntp_to_unix_ms(*v, now_unix).saturating_sub(epoch_ms))
        }
        Timestamp::Counter(_) => None,
    }
}

/// Milliseconds between the timestamp `t` (NTP or NTP-UTC) and `now` (positive: `t` is in
/// the receiver's future).
pub fn skew_ms(t: &Timestamp, now: SimTime) -> Option<i64> {
    let here = i64::try_from(now.0).ok()?;
    Some(sent_at_ms(t, now)?.saturating_sub(here))
}

/// Checks an NTP timestamp against the ±`window_s` clock-skew window, to the millisecond.
/// A COUNTER is not accepted here (hops that allow it check the counter instead).
pub fn check_window(t: &Timestamp, now: SimTime, window_s: u64, label: &str) -> Result<(), Error> {
    match skew_ms(t, now) {
        Some(s) if s.unsigned_abs() <= window_s.saturating_mul(1000) => Ok(()),
        Some(s) => {
            // Round away from the window so "120.4 s" does not print as "120 s outside ±120 s".
            let secs = i64::try_from(s.unsigned_abs().div_ceil(1000)).unwrap_or(i64::MAX);
            Err(Error::TimestampOutsideWindow { skew_s: s.signum() * secs, window_s })
        }
        None => Err(Error::UnexpectedMessage {
            message: label.to_string(),
            why: "a COUNTER timestamp is not accepted on this hop",
        }),
    }
}

/// Until when a message with timestamp `t`, accepted at `now`, must stay in the replay
/// cache: `max(T, now) + window`. After that instant [`check_window`] rejects it by itself:
/// a copy arriving later is more than `window` after T. Taking the later of T and `now`
/// matters when the sender's clock runs ahead: its T stays acceptable until T + window,
/// which is later than now + window. A COUNTER carries no time: the entry lives `window`.
pub fn expiry(t: &Timestamp, now: SimTime, window_s: u64) -> SimTime {
    let window_ms = window_s.saturating_mul(1000);
    let here = i64::try_from(now.0).unwrap_or(i64::MAX);
    let base = sent_at_ms(t, now).map_or(here, |sent| sent.max(here));
    SimTime(u64::try_from(base).unwrap_or(0).saturating_add(window_ms))
}

/// Replay cache: keys of authenticated messages with the instant they expire.
#[derive(Debug, Clone, Default)]
pub struct ReplayCache {
    entries: Vec<(Vec<u8>, SimTime)>,
}

impl ReplayCache {
    /// The cache key of a message: sender identity, CSB ID and timestamp value.
    pub fn key(sender: &[u8], csb_id: u32, t: &Timestamp) -> Vec<u8> {
        let mut k = Vec::with_capacity(sender.len() + 21);
        k.extend_from_slice(&(sender.len() as u64).to_be_bytes());
        k.extend_from_slice(sender);
        k.extend_from_slice(&csb_id.to_be_bytes());
        k.push(t.ts_type().to_u8());
        k.extend_from_slice(&t.value_bytes());
        k
    }

    /// Fails with a replay error if `key` is cached and has not expired at `now` (an entry
    /// lives through its expiry instant).
    pub fn check(&self, key: &[u8], now: SimTime, label: &str) -> Result<(), Error> {
        if self.entries.iter().any(|(k, exp)| k.as_slice() == key && *exp >= now) {
            Err(Error::Replay { message: label.to_string() })
        } else {
            Ok(())
        }
    }

    /// Remembers an authenticated message until `expiry` (and drops expired entries).
    pub fn insert(&mut self, key: Vec<u8>, now: SimTime, expiry: SimTime) {
        self.entries.retain(|(_, e)| *e >= now);
        self.entries.push((key, expiry));
    }

    /// Number of entries (expired ones are dropped at the next insert).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True if the cache holds no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
