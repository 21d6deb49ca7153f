//! Time as both front ends write it: saturating arithmetic on timestamps, the countdown and the
//! age of a duration, and clock times in UTC and a given zone.
//!
//! Everything takes `now` (or the instant) as an argument; nothing here reads the clock. How a
//! duration is read and written is in [`duration`]: one formatter for the CLI and the board.

pub mod duration;

use std::time::Duration;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// `t + d`, saturating instead of panicking at the end of time.
pub fn later(t: Timestamp, d: Duration) -> Timestamp {
    let d = SignedDuration::try_from(d).unwrap_or(SignedDuration::MAX);
    t.saturating_add(d).unwrap_or(Timestamp::MAX)
}

/// `t - d`, saturating instead of panicking at the start of time.
pub fn earlier(t: Timestamp, d: Duration) -> Timestamp {
    let d = SignedDuration::try_from(d).unwrap_or(SignedDuration::MAX);
    t.saturating_sub(d).unwrap_or(Timestamp::MIN)
}

/// How long from `from` to `to`, zero when `to` is not later.
pub fn between(from: Timestamp, to: Timestamp) -> Duration {
    let d = to.duration_since(from);
    if d.is_negative() {
        Duration::ZERO
    } else {
        d.unsigned_abs()
    }
}

pub use duration::{age, text as countdown};

/// `2026-11-26 13:05:09 UTC`: an instant to the second, in UTC.
pub fn utc_datetime(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// `2026-11-26 14:05:09 CET (13:05:09 UTC)` in `tz`; only `… UTC` where local time is UTC.
pub fn local_and_utc(t: Timestamp, tz: &TimeZone) -> String {
    if tz.to_offset(t) == jiff::tz::Offset::UTC {
        return utc_datetime(t);
    }
    let local = t
        .to_zoned_datetime(tz.clone())
        .strftime("%Y-%m-%d %H:%M:%S %Z")
        .to_string();
    format!("{local} ({})", utc_clock(t))
}

/// `13:05:09 UTC`.
pub fn utc_clock(t: Timestamp) -> String {
    t.strftime("%H:%M:%S UTC").to_string()
}

/// `14:05:09`, in `tz`.
pub fn clock(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned_datetime(tz.clone()).strftime("%H:%M:%S").to_string()
}

/// A Unix-seconds claim as a UTC clock time, or the raw number when it is out of range.
pub fn claim_time(secs: i64) -> String {
    Timestamp::from_second(secs).map_or_else(|_| secs.to_string(), utc_clock)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_saturates_instead_of_panicking() {
        let t = Timestamp::from_second(1_000).unwrap();
        assert_eq!(later(Timestamp::MAX, Duration::from_secs(5)), Timestamp::MAX);
        assert_eq!(earlier(Timestamp::MIN, Duration::from_secs(5)), Timestamp::MIN);
        assert_eq!(earlier(t, Duration::from_secs(1)), Timestamp::from_second(999).unwrap());
        assert_eq!(between(later(t, Duration::from_secs(1)), t), Duration::ZERO);
        assert_eq!(between(t, later(t, Duration::from_secs(90))), Duration::from_secs(90));
    }

    #[test]
    fn instants_read_in_utc_and_in_the_given_zone() {
        let t = Timestamp::from_second(1_795_698_309).unwrap();
        assert_eq!(utc_datetime(t), "2026-11-26 13:05:09 UTC");
        assert_eq!(local_and_utc(t, &TimeZone::UTC), "2026-11-26 13:05:09 UTC");
        let paris = TimeZone::posix("CET-1CEST,M3.5.0,M10.5.0/3").unwrap();
        assert_eq!(local_and_utc(t, &paris), "2026-11-26 14:05:09 CET (13:05:09 UTC)");
        assert_eq!(clock(t, &paris), "14:05:09");
        assert_eq!(claim_time(1_795_698_309), "13:05:09 UTC");
        assert_eq!(claim_time(i64::MAX), i64::MAX.to_string());
    }
}
