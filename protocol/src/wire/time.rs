//! NTP timestamps in words ("2026-11-24 18:30:00 UTC") without a date library: the civil
//! calendar from a day count, and the NTP era rule of RFC 4330 §3 (a seconds value with its
//! top bit clear is taken to be in era 1, i.e. after 2036-02-07).

/// Seconds between 1900-01-01 (NTP epoch) and 1970-01-01 (Unix epoch).
pub const NTP_UNIX_OFFSET: u64 = 2_208_988_800;

/// Unix seconds for the 64-bit NTP value `ntp` (seconds in the high 32 bits), using the
/// RFC 4330 era rule.
pub fn ntp_to_unix(ntp: u64) -> i64 {
    let secs = ntp >> 32;
    // Era 0 covers 1968..2036 when the top bit is set; a clear top bit means era 1.
    let total = if secs & 0x8000_0000 != 0 { secs } else { secs + (1u64 << 32) };
    total as i64 - NTP_UNIX_OFFSET as i64
}

/// Unix milliseconds for the 64-bit NTP value `ntp`, choosing the NTP era that puts the
/// result closest to `reference_unix_ms` (normally "now"): a receiver reads a timestamp just
/// past the 2036 wrap as 2036, not 1900. Negative before 1970.
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

/// The 64-bit NTP value (32-bit seconds since 1900, 32-bit fraction) for Unix milliseconds
/// `unix_ms`; the era is dropped, as on the wire.
pub fn unix_ms_to_ntp(unix_ms: u64) -> u64 {
    let secs = (unix_ms / 1000 + NTP_UNIX_OFFSET) & 0xFFFF_FFFF;
    let frac = ((unix_ms % 1000) << 32) / 1000;
    (secs << 32) | frac
}

/// The 64-bit NTP value for Unix seconds `unix` (fraction 0).
pub fn unix_to_ntp(unix: i64) -> u64 {
    let secs = (unix + NTP_UNIX_OFFSET as i64) as u64 & 0xFFFF_FFFF;
    secs << 32
}

/// (year, month, day) for a count of days since 1970-01-01 (proleptic Gregorian).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    // Shift the epoch to 0000-03-01 so that leap days fall at the end of a year.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // day of era, 0..146096
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // 0..399
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // 0..365
    let mp = (5 * doy + 2) / 153; // month from March = 0
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// "YYYY-MM-DD HH:MM:SS UTC" for Unix seconds.
pub fn format_unix(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let s = unix.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC", s / 3600, (s / 60) % 60, s % 60)
}

/// The date of a 64-bit NTP timestamp, e.g. "2026-11-24 18:30:00 UTC".
pub fn format_ntp(ntp: u64) -> String {
    format_unix(ntp_to_unix(ntp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_epoch_and_known_dates() {
        assert_eq!(format_unix(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_unix(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(format_unix(1_795_545_000), "2026-11-24 18:30:00 UTC");
        assert_eq!(format_unix(-1), "1969-12-31 23:59:59 UTC");
    }

    #[test]
    fn ntp_round_trip_and_era_one() {
        let t = unix_to_ntp(1_795_545_000);
        assert_eq!(format_ntp(t), "2026-11-24 18:30:00 UTC");
        assert_eq!(ntp_to_unix(t), 1_795_545_000);
        // 2040 is past the 2036 era boundary: the NTP seconds wrap to a small number.
        let t2040 = unix_to_ntp(2_208_988_800); // 2040-01-01 00:00:00 UTC
        assert_eq!(ntp_to_unix(t2040), 2_208_988_800);
        assert!(t2040 >> 63 == 0, "era 1 values have the top bit clear");
        assert_eq!(format_ntp(t2040), "2040-01-01 00:00:00 UTC");
    }

    #[test]
    fn rfc4567_example_timestamp() {
        // T of the RFC 4567 §5.1 example: seconds 0xC8E350EA.
        assert_eq!(format_ntp(0xC8E3_50EA_0000_0000), "2006-10-20 13:43:06 UTC");
    }
}
