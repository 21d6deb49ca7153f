//! Time for the screen: saturating arithmetic on timestamps and the countdown formats.
//!
//! Everything takes `now` as an argument; nothing here reads the clock.

use std::time::Duration;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// `t + d`, saturating instead of panicking at the end of time.
pub fn later(t: Timestamp, d: Duration) -> Timestamp {
    let d = SignedDuration::try_from(d).unwrap_or(SignedDuration::MAX);
    t.saturating_add(d).unwrap_or(Timestamp::MAX)
}

/// `t - d`, saturating (for the tests' clocks).
#[cfg(test)]
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

/// A live countdown, written as the CLI writes durations ("12m 30s"): one formatter, in the core.
pub fn countdown(left: Duration) -> String {
    lcsauth::profile::duration_text::human(left)
}

/// An age as people say it: "12s", "4m", "3h 05m", "2d 4h".
pub fn age(d: Duration) -> String {
    let s = d.as_secs();
    match (s / 86_400, (s % 86_400) / 3600, (s % 3600) / 60) {
        (0, 0, 0) => format!("{s}s"),
        (0, 0, m) => format!("{m}m"),
        (0, h, m) => format!("{h}h {m:02}m"),
        (days, h, _) => format!("{days}d {h}h"),
    }
}

/// `2026-11-26 14:05:09 CET (13:05:09 UTC)` in `tz`; only `… UTC` where local time is UTC.
pub fn local_and_utc(t: Timestamp, tz: &TimeZone) -> String {
    if tz.to_offset(t) == jiff::tz::Offset::UTC {
        return t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string();
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
    fn countdowns_read_as_the_cli_writes_durations() {
        assert_eq!(countdown(Duration::from_secs(0)), "0s");
        assert_eq!(countdown(Duration::from_secs(59 * 60 + 59)), "59m 59s");
        assert_eq!(countdown(Duration::from_secs(3600)), "1h 00m 00s");
    }

    #[test]
    fn arithmetic_saturates_instead_of_panicking() {
        let t = Timestamp::from_second(1_000).unwrap();
        assert_eq!(later(Timestamp::MAX, Duration::from_secs(5)), Timestamp::MAX);
        assert_eq!(between(later(t, Duration::from_secs(1)), t), Duration::ZERO);
        assert_eq!(between(t, later(t, Duration::from_secs(90))), Duration::from_secs(90));
    }

    #[test]
    fn ages_read_naturally() {
        assert_eq!(age(Duration::from_secs(12)), "12s");
        assert_eq!(age(Duration::from_secs(125)), "2m");
        assert_eq!(age(Duration::from_secs(3 * 3600 + 300)), "3h 05m");
        assert_eq!(age(Duration::from_secs(2 * 86_400 + 4 * 3600)), "2d 4h");
    }
}
