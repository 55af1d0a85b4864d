//! Replay protection (RFC 3830 §5.4, digest §4 / D12): a timestamp window, a replay cache and
//! a per-peer COUNTER check, plus the NTP time helpers they need.
//!
//! * [`check_window`] — a responder rejects an NTP / NTP-UTC timestamp further than the
//!   allowed clock skew from its own clock (default ±120 s; error "timestamp 312 s outside the
//!   ±120 s window").
//! * [`ReplayCache`] — remembers the SHA-256 of every message that was **successfully
//!   authenticated** (only those are inserted, §5.3) and rejects a second copy. An entry
//!   expires when its timestamp leaves the window (`T + skew`), because from then on the
//!   window check alone rejects the copy — the cache only has to cover the skew interval.
//! * [`CounterCheck`] — for a sensor without a clock (COUNTER timestamps): the last accepted
//!   counter per peer; a new one must be strictly greater (checked before, recorded after
//!   authentication).
//!
//! Time is a parameter (`now` in unix milliseconds); nothing here reads a clock.
//!
//! NTP timestamps are 64-bit: 32 bits of seconds since 1900-01-01 and 32 bits of fraction.
//! The seconds field wraps in 2036 (era 1 starts 2036-02-07 06:28:16 UTC); [`ntp_to_unix_ms`]
//! resolves the era by taking the reading closest to a reference time (§4.2.8, RFC 4330 §3).

use crate::Error;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Seconds from 1900-01-01 (NTP epoch) to 1970-01-01 (unix epoch).
pub const NTP_UNIX_OFFSET: u64 = 2_208_988_800;
/// The default clock skew at TPs and R (digest §6).
pub const DEFAULT_WINDOW_S: u64 = 120;

/// Unix time in milliseconds → 64-bit NTP timestamp (seconds mod 2^32, i.e. the era is
/// dropped as on the wire).
pub fn unix_ms_to_ntp(unix_ms: u64) -> u64 {
    let secs = (unix_ms / 1000 + NTP_UNIX_OFFSET) & 0xFFFF_FFFF;
    let frac = ((unix_ms % 1000) << 32) / 1000;
    (secs << 32) | frac
}

/// 64-bit NTP timestamp → unix milliseconds, choosing the NTP era that puts the result
/// closest to `reference_unix_ms` (normally "now"). Negative results (before 1970) are
/// returned as such.
pub fn ntp_to_unix_ms(ntp: u64, reference_unix_ms: u64) -> i64 {
    let ntp_secs = (ntp >> 32) as i64;
    let frac_ms = (((ntp & 0xFFFF_FFFF) * 1000) >> 32) as i64;
    let reference = (reference_unix_ms / 1000) as i64 + NTP_UNIX_OFFSET as i64;
    let era = 1i64 << 32;
    let mut full = (reference & !(era - 1)) | ntp_secs;
    if full - reference > era / 2 {
        full -= era;
    } else if reference - full > era / 2 {
        full += era;
    }
    (full - NTP_UNIX_OFFSET as i64) * 1000 + frac_ms
}

/// Checks an NTP / NTP-UTC timestamp against `now` with a ±`window_s` skew. Returns the skew
/// in milliseconds (positive = the timestamp is in the future).
pub fn check_window(ts_ntp: u64, now_unix_ms: u64, window_s: u64) -> Result<i64, Error> {
    let ts = ntp_to_unix_ms(ts_ntp, now_unix_ms);
    let skew_ms = ts - now_unix_ms as i64;
    if skew_ms.unsigned_abs() > window_s.saturating_mul(1000) {
        // Round away from the window so "120.4 s" does not print as "120 s outside ±120 s".
        let skew_s = skew_ms.signum() * (skew_ms.unsigned_abs().div_ceil(1000) as i64);
        return Err(Error::TimestampOutsideWindow { skew_s, window_s });
    }
    Ok(skew_ms)
}

/// SHA-256 of a message: the replay-cache key (RFC 3830 §5.4 suggests a hash).
pub fn message_hash(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// The replay cache of one receiving role.
#[derive(Debug, Clone)]
pub struct ReplayCache {
    window_ms: u64,
    entries: BTreeMap<[u8; 32], u64>,
}

impl Default for ReplayCache {
    fn default() -> Self {
        Self::new(DEFAULT_WINDOW_S)
    }
}

impl ReplayCache {
    /// An empty cache for a ±`window_s` skew.
    pub fn new(window_s: u64) -> Self {
        ReplayCache { window_ms: window_s.saturating_mul(1000), entries: BTreeMap::new() }
    }

    /// `Err(Replay)` if `bytes` is in the cache and not yet expired at `now`.
    pub fn check(&self, bytes: &[u8], message: &str, now_unix_ms: u64) -> Result<(), Error> {
        match self.entries.get(&message_hash(bytes)) {
            Some(expires) if *expires >= now_unix_ms => {
                Err(Error::Replay { message: message.to_string() })
            }
            _ => Ok(()),
        }
    }

    /// Remembers an authenticated message whose timestamp is `ts_unix_ms` (for COUNTER
    /// timestamps pass `now`). It expires at `max(ts, now) + window`.
    pub fn insert(&mut self, bytes: &[u8], ts_unix_ms: i64, now_unix_ms: u64) {
        self.purge(now_unix_ms);
        let base = (ts_unix_ms.max(0) as u64).max(now_unix_ms);
        self.entries.insert(message_hash(bytes), base.saturating_add(self.window_ms));
    }

    /// Drops expired entries.
    pub fn purge(&mut self, now_unix_ms: u64) {
        self.entries.retain(|_, expires| *expires >= now_unix_ms);
    }

    /// Number of live entries (after the last purge).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True if the cache holds no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Last accepted COUNTER timestamp per peer (digest D12).
#[derive(Debug, Clone, Default)]
pub struct CounterCheck {
    last: BTreeMap<String, u32>,
}

impl CounterCheck {
    /// A check with no history.
    pub fn new() -> Self {
        Self::default()
    }

    /// `Ok` if `got` is strictly greater than the last accepted counter of `peer` (or the
    /// peer is new). Does not record anything.
    pub fn check(&self, peer: &str, got: u32) -> Result<(), Error> {
        match self.last.get(peer) {
            Some(&last) if got <= last => {
                Err(Error::CounterNotIncreasing { peer: peer.to_string(), last, got })
            }
            _ => Ok(()),
        }
    }

    /// Records `got` for `peer` after the message authenticated (checks again first).
    pub fn accept(&mut self, peer: &str, got: u32) -> Result<(), Error> {
        self.check(peer, got)?;
        self.last.insert(peer.to_string(), got);
        Ok(())
    }

    /// The last accepted counter of `peer`.
    pub fn last(&self, peer: &str) -> Option<u32> {
        self.last.get(peer).copied()
    }
}
