//! The clock, and parsing and formatting of the TIME and DUR arguments.
//!
//! Everything here takes `now` and the organisation's zone as arguments, so results depend
//! only on the input; the [`Clock`] is built once from `INCIDENT_NOW` or the system time.

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Why a TIME or DUR argument could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    #[error("invalid time `{input}`")]
    InvalidTime { input: String },
    #[error("invalid duration `{input}`")]
    InvalidDuration { input: String },
    #[error("duration `{input}` is too long")]
    DurationTooLong { input: String },
    #[error("`{input}` does not exist in {zone} (the clocks skip it)")]
    NonexistentLocalTime { input: String, zone: Tz },
    #[error("`{input}` happens twice in {zone} (the clocks go back)")]
    AmbiguousLocalTime { input: String, zone: Tz },
    #[error("`INCIDENT_NOW` is not an RFC 3339 time: `{input}`")]
    InvalidNow { input: String },
}

impl TimeError {
    /// Returns a hint that tells the person which forms are accepted.
    pub fn hint(&self) -> String {
        match self {
            TimeError::InvalidTime { .. } => "use RFC 3339 (`2026-11-24T03:12:00Z`), `YYYY-MM-DD HH:MM` in the configured time zone, or a relative time like `-45m`, `2h ago` or `+2h`".to_string(),
            TimeError::InvalidDuration { .. } | TimeError::DurationTooLong { .. } => {
                "use a number with a unit, like `30m`, `1h30m`, `2h` or `1d`".to_string()
            }
            TimeError::NonexistentLocalTime { .. } | TimeError::AmbiguousLocalTime { .. } => {
                "give the time with an offset, like `2026-03-08T02:30:00-05:00`".to_string()
            }
            TimeError::InvalidNow { .. } => {
                "set `INCIDENT_NOW` like `2026-11-24T03:12:00Z`, or unset it".to_string()
            }
        }
    }
}

/// The current time as the tool sees it: `INCIDENT_NOW` when set, else the system clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    now: DateTime<Utc>,
    pinned: bool,
}

impl Clock {
    /// Returns a clock pinned to `INCIDENT_NOW` when given, else reading the system time once.
    pub fn new(incident_now: Option<&str>) -> Result<Clock, TimeError> {
        let pinned = incident_now.is_some();
        let now = match incident_now {
            Some(text) => DateTime::parse_from_rfc3339(text.trim())
                .map_err(|_| TimeError::InvalidNow {
                    input: text.to_string(),
                })?
                .with_timezone(&Utc),
            None => Utc::now(),
        };
        Ok(Clock { now, pinned })
    }

    /// Returns a clock fixed at `now`.
    pub fn fixed(now: DateTime<Utc>) -> Clock {
        Clock { now, pinned: true }
    }

    /// Returns the time at this moment: the pinned time, or the system time now (not when
    /// the command started), for what must be fresh, such as a request's timestamp.
    pub fn current(&self) -> DateTime<Utc> {
        if self.pinned {
            self.now()
        } else {
            Clock::fixed(Utc::now()).now()
        }
    }

    /// Returns the current time, truncated to whole seconds so records stay readable.
    pub fn now(&self) -> DateTime<Utc> {
        use chrono::Timelike;
        self.now
            .with_nanosecond(0)
            .expect("zero nanoseconds is always a valid time")
    }
}

/// Longest duration accepted anywhere: a promise further away than this is a typo.
const MAX_DURATION_SECONDS: i64 = 366 * 24 * 3600;

/// Parses a DUR: one or more `<number><unit>` parts such as `30m`, `1h30m` or `1h 30m`.
///
/// Units are `s`, `m`, `h` and `d`, with the usual long spellings (`min`, `hours`, …).
pub fn parse_duration(input: &str) -> Result<Duration, TimeError> {
    let invalid = || TimeError::InvalidDuration {
        input: input.to_string(),
    };
    let text = input.trim().to_ascii_lowercase();
    if text.is_empty() {
        return Err(invalid());
    }
    let mut rest = text.as_str();
    let mut total: i64 = 0;
    while !rest.is_empty() {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 {
            return Err(invalid());
        }
        let number: i64 = rest[..digits]
            .parse()
            .map_err(|_| TimeError::DurationTooLong {
                input: input.to_string(),
            })?;
        rest = rest[digits..].trim_start();
        let unit_len = rest.len()
            - rest
                .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                .len();
        let seconds_per_unit = unit_seconds(&rest[..unit_len]).ok_or_else(invalid)?;
        rest = rest[unit_len..].trim_start_matches([' ', ',']);
        total = number
            .checked_mul(seconds_per_unit)
            .and_then(|seconds| total.checked_add(seconds))
            .filter(|seconds| *seconds <= MAX_DURATION_SECONDS)
            .ok_or_else(|| TimeError::DurationTooLong {
                input: input.to_string(),
            })?;
    }
    Ok(Duration::seconds(total))
}

fn unit_seconds(unit: &str) -> Option<i64> {
    Some(match unit {
        "s" | "sec" | "secs" | "second" | "seconds" => 1,
        "m" | "min" | "mins" | "minute" | "minutes" => 60,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3600,
        "d" | "day" | "days" => 86_400,
        _ => return None,
    })
}

/// Parses a TIME: `now`, RFC 3339, `YYYY-MM-DD HH:MM[:SS]` in `zone`, `-45m` or `2h ago`
/// before now, `+2h` or `in 2h` after it.
pub fn parse_time(input: &str, now: DateTime<Utc>, zone: Tz) -> Result<DateTime<Utc>, TimeError> {
    let text = input.trim();
    let invalid = || TimeError::InvalidTime {
        input: input.to_string(),
    };
    if text.eq_ignore_ascii_case("now") {
        return Ok(now);
    }
    if let Some(ago) = text.strip_prefix('-') {
        return subtract(now, ago, input);
    }
    // Ahead, for what is planned: a maintenance window `+2h` or `in 2h` from now.
    if let Some(ahead) = text
        .strip_prefix('+')
        .or_else(|| strip_prefix_ignore_case(text, "in "))
    {
        let duration = parse_duration(ahead).map_err(|_| invalid())?;
        return now.checked_add_signed(duration).ok_or_else(invalid);
    }
    if let Some(ago) = strip_suffix_ignore_case(text, "ago") {
        return subtract(now, ago, input);
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&Utc));
    }
    let local = parse_local(text).ok_or_else(invalid)?;
    match zone.from_local_datetime(&local) {
        LocalResult::Single(at) => Ok(at.with_timezone(&Utc)),
        LocalResult::Ambiguous(..) => Err(TimeError::AmbiguousLocalTime {
            input: input.to_string(),
            zone,
        }),
        LocalResult::None => Err(TimeError::NonexistentLocalTime {
            input: input.to_string(),
            zone,
        }),
    }
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let (head, tail) = (text.get(..prefix.len())?, text.get(prefix.len()..)?);
    head.eq_ignore_ascii_case(prefix).then_some(tail)
}

fn strip_suffix_ignore_case<'a>(text: &'a str, suffix: &str) -> Option<&'a str> {
    let split = text.len().checked_sub(suffix.len())?;
    let (head, tail) = (text.get(..split)?, text.get(split..)?);
    tail.eq_ignore_ascii_case(suffix).then_some(head)
}

fn subtract(now: DateTime<Utc>, ago: &str, input: &str) -> Result<DateTime<Utc>, TimeError> {
    let duration = parse_duration(ago).map_err(|_| TimeError::InvalidTime {
        input: input.to_string(),
    })?;
    now.checked_sub_signed(duration)
        .ok_or_else(|| TimeError::InvalidTime {
            input: input.to_string(),
        })
}

fn parse_local(text: &str) -> Option<NaiveDateTime> {
    let (date, time) = text.split_once([' ', 'T', 't'])?;
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let time = time.trim();
    let time = NaiveTime::parse_from_str(time, "%H:%M:%S")
        .or_else(|_| NaiveTime::parse_from_str(time, "%H:%M"))
        .ok()?;
    Some(date.and_time(time))
}

/// Returns a duration the way a person says it: "2 hours 14 minutes", "45 seconds".
pub fn human_duration(duration: Duration) -> String {
    let total = duration.num_seconds().unsigned_abs();
    if total < 60 {
        return crate::vocab::plural(total, "second");
    }
    let (days, hours, minutes) = (total / 86_400, total % 86_400 / 3600, total % 3600 / 60);
    let parts: Vec<String> = [(days, "day"), (hours, "hour"), (minutes, "minute")]
        .into_iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, unit)| crate::vocab::plural(count, unit))
        .collect();
    parts.join(" ")
}

/// Returns a duration in the compact DUR form the tool accepts: `1h30m`, `45m`, `2d`.
pub fn short_duration(duration: Duration) -> String {
    let total = duration.num_seconds().unsigned_abs();
    if total == 0 {
        return "0m".to_string();
    }
    let (days, hours, minutes, seconds) = (
        total / 86_400,
        total % 86_400 / 3600,
        total % 3600 / 60,
        total % 60,
    );
    [(days, "d"), (hours, "h"), (minutes, "m"), (seconds, "s")]
        .into_iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, unit)| format!("{count}{unit}"))
        .collect()
}

/// Returns `at` in `zone` with UTC beside it: "2026-11-24 03:12 EST (08:12 UTC)".
pub fn local_with_utc(at: DateTime<Utc>, zone: Tz) -> String {
    let local = at.with_timezone(&zone);
    if zone == Tz::UTC || zone == Tz::Etc__UTC {
        return at.format("%Y-%m-%d %H:%M UTC").to_string();
    }
    let utc_format = if local.date_naive() == at.date_naive() {
        "%H:%M UTC"
    } else {
        "%Y-%m-%d %H:%M UTC"
    };
    format!(
        "{} ({})",
        local.format("%Y-%m-%d %H:%M %Z"),
        at.format(utc_format)
    )
}

/// Returns the time of day of `at` in `zone` with UTC beside it: "03:12 EST (08:12 UTC)".
pub fn local_time_with_utc(at: DateTime<Utc>, zone: Tz) -> String {
    if zone == Tz::UTC || zone == Tz::Etc__UTC {
        return at.format("%H:%M UTC").to_string();
    }
    format!(
        "{} ({})",
        at.with_timezone(&zone).format("%H:%M %Z"),
        at.format("%H:%M UTC")
    )
}

/// Formats a UTC time as RFC 3339 with a `Z` and whole seconds, the form the record stores.
pub fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-24T08:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    const NEW_YORK: Tz = chrono_tz::America::New_York;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30m").unwrap(), Duration::minutes(30));
        assert_eq!(parse_duration("1h30m").unwrap(), Duration::minutes(90));
        assert_eq!(parse_duration("1h 30m").unwrap(), Duration::minutes(90));
        assert_eq!(parse_duration("2 hours").unwrap(), Duration::hours(2));
        assert_eq!(parse_duration("1D").unwrap(), Duration::days(1));
        assert_eq!(parse_duration("45s").unwrap(), Duration::seconds(45));
        for bad in [
            "",
            "m",
            "30",
            "30x",
            "h1",
            "1h-30m",
            "1.5h",
            "99999999999999999999m",
            "400d",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad} should not parse");
        }
    }

    #[test]
    fn relative_times() {
        assert_eq!(
            parse_time("-45m", now(), NEW_YORK).unwrap(),
            now() - Duration::minutes(45)
        );
        assert_eq!(
            parse_time("2h ago", now(), NEW_YORK).unwrap(),
            now() - Duration::hours(2)
        );
        assert_eq!(
            parse_time("1h30m AGO", now(), NEW_YORK).unwrap(),
            now() - Duration::minutes(90)
        );
        assert_eq!(parse_time("now", now(), NEW_YORK).unwrap(), now());
        assert!(parse_time("-", now(), NEW_YORK).is_err());
        assert!(parse_time("ago", now(), NEW_YORK).is_err());
        assert_eq!(
            parse_time("+2h", now(), NEW_YORK).unwrap(),
            now() + Duration::hours(2)
        );
        assert_eq!(
            parse_time("In 1h30m", now(), NEW_YORK).unwrap(),
            now() + Duration::minutes(90)
        );
        assert!(parse_time("+", now(), NEW_YORK).is_err());
        assert!(parse_time("in", now(), NEW_YORK).is_err());
    }

    #[test]
    fn absolute_times() {
        let rfc = parse_time("2026-11-24T03:12:00-05:00", now(), NEW_YORK).unwrap();
        assert_eq!(rfc3339(rfc), "2026-11-24T08:12:00Z");
        let local = parse_time("2026-11-24 03:12", now(), NEW_YORK).unwrap();
        assert_eq!(rfc3339(local), "2026-11-24T08:12:00Z");
        let summer = parse_time("2026-07-01 03:12:30", now(), NEW_YORK).unwrap();
        assert_eq!(rfc3339(summer), "2026-07-01T07:12:30Z");
        assert!(matches!(
            parse_time("2026-03-08 02:30", now(), NEW_YORK),
            Err(TimeError::NonexistentLocalTime { .. })
        ));
        assert!(matches!(
            parse_time("2026-11-01 01:30", now(), NEW_YORK),
            Err(TimeError::AmbiguousLocalTime { .. })
        ));
        assert!(parse_time("2026-13-01 01:30", now(), NEW_YORK).is_err());
        assert!(parse_time("yesterday", now(), NEW_YORK).is_err());
    }

    #[test]
    fn clock_from_incident_now() {
        let clock = Clock::new(Some("2026-11-24T08:00:00.750Z")).unwrap();
        assert_eq!(clock.now(), now());
        assert!(matches!(
            Clock::new(Some("soon")),
            Err(TimeError::InvalidNow { .. })
        ));
    }

    #[test]
    fn human_durations() {
        assert_eq!(human_duration(Duration::minutes(134)), "2 hours 14 minutes");
        assert_eq!(human_duration(Duration::minutes(60)), "1 hour");
        assert_eq!(human_duration(Duration::seconds(45)), "45 seconds");
        assert_eq!(human_duration(Duration::minutes(1441)), "1 day 1 minute");
        assert_eq!(short_duration(Duration::minutes(90)), "1h30m");
    }

    #[test]
    fn local_times_carry_utc() {
        let at = parse_time("2026-11-24T08:12:00Z", now(), NEW_YORK).unwrap();
        assert_eq!(
            local_with_utc(at, NEW_YORK),
            "2026-11-24 03:12 EST (08:12 UTC)"
        );
        let late = parse_time("2026-11-24T03:12:00Z", now(), NEW_YORK).unwrap();
        assert_eq!(
            local_with_utc(late, NEW_YORK),
            "2026-11-23 22:12 EST (2026-11-24 03:12 UTC)"
        );
        assert_eq!(local_with_utc(late, Tz::UTC), "2026-11-24 03:12 UTC");
        assert_eq!(local_time_with_utc(at, NEW_YORK), "03:12 EST (08:12 UTC)");
    }

    proptest! {
        #[test]
        fn duration_parser_never_panics(input in ".{0,40}") {
            let _ = parse_duration(&input);
        }

        #[test]
        fn time_parser_never_panics(input in ".{0,40}") {
            let _ = parse_time(&input, now(), NEW_YORK);
        }

        #[test]
        fn time_parser_never_panics_on_near_misses(input in "[-0-9 :T.ZzAGOagohmsd+]{0,30}") {
            let _ = parse_time(&input, now(), NEW_YORK);
        }

        #[test]
        fn durations_round_trip(minutes in 1i64..(300 * 24 * 60)) {
            let duration = Duration::minutes(minutes);
            prop_assert_eq!(parse_duration(&short_duration(duration)).unwrap(), duration);
        }
    }
}
