//! Checks every receiving role applies first (RFC 3830 §5.4, digest D12): the timestamp
//! window, the strictly increasing COUNTER of a clockless sensor, and a replay cache of
//! authenticated messages keyed by (sender identity, CSB ID, timestamp).

use super::SimTime;
use crate::error::Error;
use crate::wire::Timestamp;

/// Seconds between the timestamp `t` (NTP or NTP-UTC) and `now` (signed: positive = future).
pub fn skew_s(t: &Timestamp, now: SimTime) -> Option<i64> {
    match t {
        Timestamp::NtpUtc(v) | Timestamp::Ntp(v) => {
            let sent = i64::try_from(SimTime::from_ntp(*v).0).ok()?;
            let here = i64::try_from(now.0).ok()?;
            Some((sent - here) / 1000)
        }
        Timestamp::Counter(_) => None,
    }
}

/// Checks an NTP timestamp against the ±`window_s` clock-skew window.
pub fn check_window(t: &Timestamp, now: SimTime, window_s: u64, label: &str) -> Result<(), Error> {
    match skew_s(t, now) {
        Some(s) if s.unsigned_abs() <= window_s => Ok(()),
        Some(s) => Err(Error::TimestampOutsideWindow { skew_s: s, window_s }),
        None => Err(Error::UnexpectedMessage {
            message: label.to_string(),
            why: "a COUNTER timestamp is not accepted on this hop",
        }),
    }
}

/// Replay cache: keys of authenticated messages with their expiry.
#[derive(Debug, Clone, Default)]
pub struct ReplayCache {
    entries: Vec<(Vec<u8>, SimTime)>,
}

impl ReplayCache {
    /// The cache key of a message: sender identity, CSB ID and timestamp value.
    pub fn key(sender: &[u8], csb_id: u32, t: &Timestamp) -> Vec<u8> {
        let mut k = Vec::with_capacity(sender.len() + 14);
        k.extend_from_slice(&(sender.len() as u64).to_be_bytes());
        k.extend_from_slice(sender);
        k.extend_from_slice(&csb_id.to_be_bytes());
        k.push(t.ts_type().to_u8());
        k.extend_from_slice(&t.value_bytes());
        k
    }

    /// Fails with a replay error if `key` is cached and not expired.
    pub fn check(&self, key: &[u8], now: SimTime, label: &str) -> Result<(), Error> {
        if self.entries.iter().any(|(k, exp)| k.as_slice() == key && *exp > now) {
            Err(Error::Replay { message: label.to_string() })
        } else {
            Ok(())
        }
    }

    /// Remembers an authenticated message until `expiry` (and drops expired entries).
    pub fn insert(&mut self, key: Vec<u8>, now: SimTime, expiry: SimTime) {
        self.entries.retain(|(_, e)| *e > now);
        self.entries.push((key, expiry));
    }
}
