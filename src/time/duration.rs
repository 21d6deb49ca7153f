//! Durations as lcsauth reads and writes them. One formatter: [`text`] writes a duration to the
//! second ("12m 30s"), [`age`] writes the same units rounded to the largest two ("3h 05m"), for
//! how long ago something happened. [`parse`] reads what people type ("15m", "1h30m", "90"),
//! and the serde functions keep a setting in `profiles.toml` as people write it ("15m").

use std::time::Duration;

use serde::{Deserialize, Deserializer, Serializer};

/// Text that is not a duration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not a duration like 15m, 45s or 1h30m ({reason})")]
pub struct BadDuration {
    text: String,
    reason: String,
}

/// Parses "15m", "90s", "1h30m"; a bare number is seconds.
pub fn parse(text: &str) -> Result<Duration, BadDuration> {
    let t = text.trim();
    if let Ok(secs) = t.parse::<u64>() {
        return Ok(Duration::from_secs(secs));
    }
    humantime::parse_duration(t).map_err(|e| BadDuration {
        text: text.to_owned(),
        reason: e.to_string(),
    })
}

/// A duration in whole days, hours, minutes and seconds.
#[derive(Clone, Copy)]
struct Units {
    days: u64,
    hours: u64,
    minutes: u64,
    seconds: u64,
}

impl Units {
    fn of(d: Duration) -> Self {
        let s = d.as_secs();
        Self {
            days: s / 86_400,
            hours: (s % 86_400) / 3600,
            minutes: (s % 3600) / 60,
            seconds: s % 60,
        }
    }
}

/// How the CLI and the board write a duration (time left, a lifetime, a setting, a wait):
/// "40s", "12m 30s", "1h 05m 09s". Whole seconds; hours are not folded into days, so a
/// countdown keeps its shape.
pub fn text(d: Duration) -> String {
    let Units {
        days,
        hours,
        minutes,
        seconds,
    } = Units::of(d);
    match (days * 24 + hours, minutes, seconds) {
        (0, 0, sec) => format!("{sec}s"),
        (0, min, sec) => format!("{min}m {sec:02}s"),
        (hrs, min, sec) => format!("{hrs}h {min:02}m {sec:02}s"),
    }
}

/// How long ago, as people say it: the same units, rounded down to the largest one below an
/// hour and the largest two above: "12s", "4m", "3h 05m", "2d 4h".
pub fn age(d: Duration) -> String {
    match Units::of(d) {
        Units {
            days: 0,
            hours: 0,
            minutes: 0,
            seconds,
        } => format!("{seconds}s"),
        Units {
            days: 0,
            hours: 0,
            minutes,
            ..
        } => format!("{minutes}m"),
        Units {
            days: 0,
            hours,
            minutes,
            ..
        } => format!("{hours}h {minutes:02}m"),
        Units { days, hours, .. } => format!("{days}d {hours}h"),
    }
}

/// `#[serde(with = "crate::time::duration")]`: a setting written as people write it ("15m").
pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&humantime::format_duration(*d).to_string())
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    let text = String::deserialize(d)?;
    parse(&text).map_err(serde::de::Error::custom)
}

/// The same for a setting that may be left out.
pub mod optional {
    use std::time::Duration;

    use serde::{Deserializer, Serializer};

    #[allow(clippy::ref_option)]
    pub fn serialize<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => super::serialize(d, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
        super::deserialize(d).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_as_people_write_them() {
        assert_eq!(parse("15m").unwrap(), Duration::from_secs(900));
        assert_eq!(parse("90").unwrap(), Duration::from_secs(90));
        assert_eq!(parse("1h 30m").unwrap(), Duration::from_secs(5400));
        let err = parse("soon").unwrap_err().to_string();
        assert!(
            err.starts_with("\"soon\" is not a duration like 15m, 45s or 1h30m ("),
            "{err}"
        );
    }

    #[test]
    fn durations_are_written_one_way_with_whole_seconds() {
        assert_eq!(text(Duration::from_millis(40_900)), "40s");
        assert_eq!(text(Duration::ZERO), "0s");
        assert_eq!(text(Duration::from_secs(750)), "12m 30s");
        assert_eq!(text(Duration::from_secs(900)), "15m 00s");
        assert_eq!(text(Duration::from_secs(59 * 60 + 59)), "59m 59s");
        assert_eq!(text(Duration::from_secs(3909)), "1h 05m 09s");
        assert_eq!(text(Duration::from_secs(2 * 86_400)), "48h 00m 00s");
    }

    #[test]
    fn ages_round_the_same_units_down() {
        assert_eq!(age(Duration::from_secs(12)), "12s");
        assert_eq!(age(Duration::from_secs(125)), "2m");
        assert_eq!(age(Duration::from_secs(3 * 3600 + 300)), "3h 05m");
        assert_eq!(age(Duration::from_secs(2 * 86_400 + 4 * 3600)), "2d 4h");
    }

    #[test]
    fn settings_keep_the_written_form_through_a_save() {
        #[derive(serde::Serialize, serde::Deserialize)]
        struct S {
            #[serde(with = "super")]
            d: Duration,
        }
        let s: S = toml::from_str("d = \"1h 30m\"").unwrap();
        assert_eq!(s.d, Duration::from_secs(5400));
        assert_eq!(toml::to_string(&s).unwrap().trim(), "d = \"1h 30m\"");
    }
}
