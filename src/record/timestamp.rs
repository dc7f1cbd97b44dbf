//! Times in the record's JSON, read and written quickly in the one form the tool writes.
//!
//! chrono's own serde support goes through its general parser and `fmt` machinery, which is
//! most of the time spent on times in a long incident. The form the tool writes
//! (`2026-11-24T08:00:00Z`, perhaps with a fraction of a second) is read and written here
//! directly; anything else (an offset, a leap second, a year outside 1000–9999) is handed to
//! chrono, so what is accepted, how it reads and what an error says stay chrono's. Use with
//! `#[serde(serialize_with = "…", deserialize_with = "…")]`.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Writes `at` as chrono does (RFC 3339, `Z`, a fraction only when there is one).
pub fn serialize<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    let mut buffer = [0u8; 30];
    match write(*at, &mut buffer) {
        Some(text) => serializer.serialize_str(text),
        None => at.serialize(serializer),
    }
}

/// [`serialize`] for an optional time.
pub fn serialize_option<S: Serializer>(
    at: &Option<DateTime<Utc>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => serializer.serialize_some(&Rfc3339(*at)),
        None => serializer.serialize_none(),
    }
}

/// Reads a time as chrono's `DateTime<Utc>` does.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
    Rfc3339::deserialize(deserializer).map(|at| at.0)
}

/// [`deserialize`] for an optional time.
pub fn deserialize_option<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    Ok(Option::<Rfc3339>::deserialize(deserializer)?.map(|at| at.0))
}

/// A time read and written the quick way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rfc3339(pub DateTime<Utc>);

impl Serialize for Rfc3339 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize(&self.0, serializer)
    }
}

impl<'de> Deserialize<'de> for Rfc3339 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Rfc3339, D::Error> {
        deserializer.deserialize_str(Visitor)
    }
}

struct Visitor;

impl serde::de::Visitor<'_> for Visitor {
    type Value = Rfc3339;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        // chrono's words, so an error reads the same.
        formatter.write_str("an RFC 3339 formatted date and time string")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Rfc3339, E> {
        match read(text) {
            Some(at) => Ok(Rfc3339(at)),
            None => text
                .parse::<DateTime<chrono::FixedOffset>>()
                .map(|at| Rfc3339(at.with_timezone(&Utc)))
                .map_err(E::custom),
        }
    }
}

/// Reads `YYYY-MM-DDTHH:MM:SS[.F{1,9}]Z`; `None` for anything else, valid or not.
fn read(text: &str) -> Option<DateTime<Utc>> {
    let bytes = text.as_bytes();
    let (&b'Z', bytes) = bytes.split_last()? else {
        return None;
    };
    if bytes.len() < 19 || [bytes[4], bytes[7], bytes[10], bytes[13], bytes[16]] != *b"--T::" {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        bytes[range].iter().try_fold(0u32, |value, byte| {
            byte.is_ascii_digit()
                .then(|| value * 10 + u32::from(byte - b'0'))
        })
    };
    let year = i32::try_from(number(0..4)?).ok()?;
    if year < 1000 {
        return None;
    }
    let nano = match &bytes[19..] {
        [] => 0,
        [b'.', digits @ ..] if (1..=9).contains(&digits.len()) => {
            number(20..bytes.len())? * 10u32.pow(9 - u32::try_from(digits.len()).ok()?)
        }
        _ => return None,
    };
    let at = NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?)?.and_hms_nano_opt(
        number(11..13)?,
        number(14..16)?,
        number(17..19)?,
        nano,
    )?;
    // A leap second (`:60`) is left to chrono.
    (at.nanosecond() < 1_000_000_000).then(|| at.and_utc())
}

/// Writes `at` into `buffer` as chrono's serde does; `None` for a year outside 1000–9999 or a
/// leap second, which chrono writes itself.
fn write(at: DateTime<Utc>, buffer: &mut [u8; 30]) -> Option<&str> {
    let at = at.naive_utc();
    let year = at.year();
    let mut nano = at.nanosecond();
    if !(1000..=9999).contains(&year) || nano >= 1_000_000_000 {
        return None;
    }
    let mut put = |at: usize, value: u32, width: usize| {
        let mut value = value;
        for index in (at..at + width).rev() {
            buffer[index] = b'0' + (value % 10) as u8;
            value /= 10;
        }
    };
    put(0, year.unsigned_abs(), 4);
    put(5, at.month(), 2);
    put(8, at.day(), 2);
    put(11, at.hour(), 2);
    put(14, at.minute(), 2);
    put(17, at.second(), 2);
    let mut end = 19;
    if nano != 0 {
        let digits = if nano.is_multiple_of(1_000_000) {
            nano /= 1_000_000;
            3
        } else if nano.is_multiple_of(1_000) {
            nano /= 1_000;
            6
        } else {
            9
        };
        put(20, nano, digits);
        buffer[19] = b'.';
        end = 20 + digits;
    }
    for (index, byte) in [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')] {
        buffer[index] = byte;
    }
    buffer[end] = b'Z';
    std::str::from_utf8(&buffer[..=end]).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn chrono_json(at: DateTime<Utc>) -> String {
        serde_json::to_string(&at).unwrap()
    }

    #[test]
    fn reads_and_writes_as_chrono_does() {
        for text in [
            "2026-11-24T08:00:00Z",
            "2026-11-24T08:00:00.5Z",
            "2026-11-24T08:00:00.120Z",
            "2026-11-24T08:00:00.000001Z",
            "2026-11-24T08:00:00.123456789Z",
            "2024-02-29T23:59:59Z",
            "2026-11-24T08:00:00+01:00",
            "2026-11-24t08:00:00z",
            "2026-11-24 08:00:00Z",
            "2016-12-31T23:59:60Z",
            "0999-01-01T00:00:00Z",
            "2026-11-24T08:00:00.1234567891Z",
            "2026-02-30T08:00:00Z",
            "2026-11-24T24:00:00Z",
            "2026-11-24T08:00:00.Z",
            "2026-11-24T08:00Z",
            "2026-1-24T08:00:00Z",
            "+2026-11-24T08:00:00Z",
            "",
        ] {
            let json = serde_json::to_string(text).unwrap();
            let ours = serde_json::from_str::<Rfc3339>(&json).map(|at| at.0);
            let chrono = serde_json::from_str::<DateTime<Utc>>(&json);
            match (&ours, &chrono) {
                (Ok(ours), Ok(chrono)) => {
                    assert_eq!(ours, chrono, "{text}");
                    assert_eq!(
                        serde_json::to_string(&Rfc3339(*ours)).unwrap(),
                        chrono_json(*chrono)
                    );
                }
                (Err(ours), Err(chrono)) => assert_eq!(ours.to_string(), chrono.to_string()),
                _ => panic!("{text}: {ours:?} vs {chrono:?}"),
            }
        }
        let wrong = serde_json::from_str::<Rfc3339>("5")
            .unwrap_err()
            .to_string();
        let chrono = serde_json::from_str::<DateTime<Utc>>("5")
            .unwrap_err()
            .to_string();
        assert_eq!(wrong, chrono);
    }

    proptest! {
        #[test]
        fn any_time_round_trips_as_chrono_writes_it(
            seconds in -62_000_000_000i64..300_000_000_000,
            nano in prop_oneof![Just(0u32), 0u32..1_000, 0u32..1_000_000_000, 1_000_000_000u32..2_000_000_000],
            scale in 0u32..4,
        ) {
            let nano = match scale {
                0 => nano,
                1 => nano % 1_000_000_000 / 1_000_000 * 1_000_000,
                2 => nano % 1_000_000_000 / 1_000 * 1_000,
                _ => nano % 1_000_000_000,
            };
            if let Some(at) = DateTime::from_timestamp(seconds, nano) {
                let ours = serde_json::to_string(&Rfc3339(at)).unwrap();
                prop_assert_eq!(&ours, &chrono_json(at));
                let back: Result<Rfc3339, _> = serde_json::from_str(&ours);
                let chrono: Result<DateTime<Utc>, _> = serde_json::from_str(&ours);
                match (back, chrono) {
                    (Ok(back), Ok(chrono)) => prop_assert_eq!(back.0, chrono),
                    (Err(back), Err(chrono)) => prop_assert_eq!(back.to_string(), chrono.to_string()),
                    (back, chrono) => prop_assert!(false, "{:?} vs {:?}", back, chrono),
                }
            }
        }
    }
}
