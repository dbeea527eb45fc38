//! `date_format(t, pattern)` with Spark's (Java `DateTimeFormatter`) patterns: `yyyy-MM-dd
//! HH:mm:ss`, `MMM d, yyyy`, `EEEE`, `hh:mm a`, `SSS`, quoted text (`'T'`). DataFusion's function of
//! that name reads chrono patterns and would print `yyyy` as it is. Dates, timestamps and strings
//! that read as timestamps are formatted. Times are wall-clock times in the session's zone, which
//! the HiveQL front end passes as a third argument: zone letters print it (`PST`, `-0800`,
//! `GMT-08:00`, `America/Los_Angeles`), with the offset the zone had at that time. `to_char` and
//! `to_varchar` of a date or timestamp are the same function; of a number, they write it by a
//! number format (`number_format`).

use std::sync::Arc;

use chrono::{Datelike, NaiveDateTime, TimeZone, Timelike};
use chrono_tz::OffsetName;
use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, TimeUnit, TimestampMicrosecondType};
use datafusion::common::{exec_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, TypeSignature, Volatility};

use super::java_patterns::{pieces, Piece};
use super::{string_result, SparkFunction};
use crate::hiveql::time_zones::Zone;

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    let signature = || Signature::one_of(vec![TypeSignature::Any(2), TypeSignature::Any(3)], Volatility::Immutable);
    ["date_format", "to_char", "to_varchar"].into_iter().map(|name| SparkFunction::udf(name, signature(), string_result, date_format)).collect()
}

/// The zone of a time: its offset then, and its names.
struct ZoneAt<'a> {
    zone: &'a Zone,
    offset_seconds: i64,
    local: &'a NaiveDateTime,
}

impl ZoneAt<'_> {
    fn at<'a>(zone: &'a Zone, local: &'a NaiveDateTime) -> ZoneAt<'a> {
        let offset_seconds = (*local - zone.to_utc(*local)).num_seconds();
        ZoneAt { zone, offset_seconds, local }
    }

    /// `+HH`, with minutes and seconds as the style asks: (minutes: always / when non-zero),
    /// (seconds: when non-zero), separated by colons or not.
    fn offset(&self, minutes_always: bool, seconds: bool, colons: bool) -> String {
        let sign = if self.offset_seconds < 0 { '-' } else { '+' };
        let v = self.offset_seconds.unsigned_abs();
        let (h, m, s) = (v / 3600, v / 60 % 60, v % 60);
        let sep = if colons { ":" } else { "" };
        let mut out = format!("{sign}{h:02}");
        if minutes_always || m != 0 || (seconds && s != 0) {
            out.push_str(&format!("{sep}{m:02}"));
        }
        if seconds && s != 0 {
            out.push_str(&format!("{sep}{s:02}"));
        }
        out
    }

    /// `GMT-8`, `GMT-7:52:58`; `GMT-08:00` in the long form; `GMT` at no offset.
    fn localized(&self, long: bool) -> String {
        if self.offset_seconds == 0 {
            return "GMT".into();
        }
        let sign = if self.offset_seconds < 0 { '-' } else { '+' };
        let v = self.offset_seconds.unsigned_abs();
        let (h, m, s) = (v / 3600, v / 60 % 60, v % 60);
        let mut out = if long { format!("GMT{sign}{h:02}:{m:02}") } else { format!("GMT{sign}{h}") };
        if !long && (m != 0 || s != 0) {
            out.push_str(&format!(":{m:02}"));
        }
        if s != 0 {
            out.push_str(&format!(":{s:02}"));
        }
        out
    }

    /// The zone's short name then (`PST`, `PDT`); before a region kept standard time, its
    /// standard name, as Java prints it.
    fn short_name(&self) -> String {
        match self.zone {
            Zone::Region(tz) => {
                let name = |t: &NaiveDateTime| tz.offset_from_utc_datetime(t).abbreviation().map(str::to_string);
                let utc = self.zone.to_utc(*self.local);
                match name(&utc) {
                    Some(n) if n != "LMT" && !n.starts_with(['+', '-']) => n,
                    _ => chrono::NaiveDate::from_ymd_opt(2001, 1, 1)
                        .and_then(|d| d.and_hms_opt(0, 0, 0))
                        .and_then(|t| name(&t))
                        .unwrap_or_else(|| self.zone.name()),
                }
            }
            Zone::Fixed(_) if self.offset_seconds == 0 => "UTC".into(),
            Zone::Fixed(_) => self.offset(true, true, true),
        }
    }

    /// The zone's long name (`Pacific Standard Time`) where Java's is known, else the short one.
    fn long_name(&self) -> String {
        let short = self.short_name();
        LONG_NAMES.iter().find(|(s, _)| *s == short).map_or(short, |(_, long)| long.to_string())
    }
}

/// Java's long names of common zone abbreviations.
const LONG_NAMES: [(&str, &str); 14] = [
    ("PST", "Pacific Standard Time"),
    ("PDT", "Pacific Daylight Time"),
    ("MST", "Mountain Standard Time"),
    ("MDT", "Mountain Daylight Time"),
    ("CST", "Central Standard Time"),
    ("CDT", "Central Daylight Time"),
    ("EST", "Eastern Standard Time"),
    ("EDT", "Eastern Daylight Time"),
    ("UTC", "Coordinated Universal Time"),
    ("GMT", "Greenwich Mean Time"),
    ("CET", "Central European Standard Time"),
    ("CEST", "Central European Summer Time"),
    ("JST", "Japan Standard Time"),
    ("HST", "Hawaii-Aleutian Standard Time"),
];

fn padded(v: i64, width: usize) -> String {
    if v < 0 {
        format!("-{:0width$}", -v, width = width)
    } else {
        format!("{v:0width$}")
    }
}

/// One field of a timestamp, as the letter and its count print it.
fn field(t: &NaiveDateTime, zone: &ZoneAt, letter: char, n: usize) -> Result<String> {
    let hour12 = |h: u32| if h.is_multiple_of(12) { 12 } else { h % 12 };
    Ok(match letter {
        'G' => (if n < 4 { "AD" } else { "Anno Domini" }).into(),
        'y' | 'u' => match n {
            2 => padded(i64::from(t.year().rem_euclid(100)), 2),
            _ => padded(i64::from(t.year()), n),
        },
        'M' | 'L' => match n {
            1 | 2 => padded(i64::from(t.month()), n),
            3 => t.format("%b").to_string(),
            _ => t.format("%B").to_string(),
        },
        'Q' | 'q' => {
            let q = (t.month() - 1) / 3 + 1;
            match n {
                1 | 2 => padded(i64::from(q), n),
                3 => format!("Q{q}"),
                _ => format!("{}{} quarter", q, ["st", "nd", "rd", "th"][q as usize - 1]),
            }
        }
        'd' => padded(i64::from(t.day()), n),
        // Java's aligned day of the week in the month.
        'F' => padded(i64::from((t.day() - 1) % 7 + 1), n),
        'D' => padded(i64::from(t.ordinal()), n),
        'E' => (if n < 4 { t.format("%a") } else { t.format("%A") }).to_string(),
        'a' => t.format("%p").to_string(),
        'H' => padded(i64::from(t.hour()), n),
        'k' => padded(i64::from(if t.hour() == 0 { 24 } else { t.hour() }), n),
        'h' => padded(i64::from(hour12(t.hour())), n),
        'K' => padded(i64::from(t.hour() % 12), n),
        'm' => padded(i64::from(t.minute()), n),
        's' => padded(i64::from(t.second()), n),
        'S' => {
            let nanos = format!("{:09}", t.nanosecond() % 1_000_000_000);
            if n <= 9 { nanos[..n].to_string() } else { format!("{nanos}{}", "0".repeat(n - 9)) }
        }
        'z' if n < 4 => zone.short_name(),
        'z' => zone.long_name(),
        'V' => zone.zone.name(),
        'O' => zone.localized(n == 4),
        'Z' if n < 4 => zone.offset(true, false, false),
        'Z' if n == 4 => zone.localized(true),
        'X' | 'Z' if zone.offset_seconds == 0 => "Z".into(),
        'X' | 'x' => match n {
            1 => zone.offset(false, false, false),
            2 => zone.offset(true, false, false),
            3 => zone.offset(true, false, true),
            4 => zone.offset(true, true, false),
            _ => zone.offset(true, true, true),
        },
        'Z' => zone.offset(true, true, true),
        other => return exec_err!("[INVALID_DATETIME_PATTERN] the pattern letter '{other}' is not supported"),
    })
}

fn date_format(args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    let (value, pattern) = match args {
        [value, pattern] | [value, pattern, _] => (value, pattern),
        _ => return exec_err!("date_format takes a date or timestamp and a pattern"),
    };
    if super::number_format::is_number(value.data_type()) {
        return super::number_format::to_char(value, pattern, rows);
    }
    let zone = super::zone_argument(args.get(2))?;
    let value = match value.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Date32 | DataType::Date64 | DataType::Timestamp(_, _) => {
            cast(value, &DataType::Timestamp(TimeUnit::Microsecond, None))?
        }
        DataType::Null => cast(value, &DataType::Timestamp(TimeUnit::Microsecond, None))?,
        other => return exec_err!("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] date_format takes a date or timestamp, not {other}"),
    };
    let value = value.as_primitive::<TimestampMicrosecondType>();
    let pattern = cast(pattern, &DataType::Utf8)?;
    let pattern = pattern.as_string::<i32>();
    let at = super::row_of;
    let mut parsed: Option<(String, Vec<Piece>)> = None;
    let mut out = StringBuilder::new();
    for i in 0..rows {
        let (vi, pi) = (at(value, i), at(pattern, i));
        if value.is_null(vi) || pattern.is_null(pi) {
            out.append_null();
            continue;
        }
        let text = pattern.value(pi);
        if parsed.as_ref().is_none_or(|(p, _)| p != text) {
            parsed = Some((text.to_string(), pieces(text)?));
        }
        let Some((_, parts)) = &parsed else { continue };
        out.append_option(formatted(parts, value.value(vi), &zone)?);
    }
    Ok(Arc::new(out.finish()))
}

/// Spark's default patterns of dates and timestamps written as text by `to_csv` and `to_json`.
pub(super) const WRITTEN_DATE: &str = "yyyy-MM-dd";
pub(super) const WRITTEN_TIMESTAMP: &str = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

/// Dates (as their midnight) or timestamps as wall-clock microseconds, and whether they are
/// dates; None for values of another type.
pub(super) fn wall_clock(a: &ArrayRef) -> Result<Option<(Vec<Option<i64>>, bool)>> {
    Ok(match a.data_type() {
        DataType::Date32 => {
            let days = a.as_primitive::<datafusion::arrow::datatypes::Date32Type>();
            Some((days.iter().map(|d| d.map(|d| i64::from(d) * 86_400_000_000)).collect(), true))
        }
        DataType::Timestamp(..) => {
            let t = cast(a, &DataType::Timestamp(TimeUnit::Microsecond, None))?;
            Some((t.as_primitive::<TimestampMicrosecondType>().iter().collect(), false))
        }
        _ => None,
    })
}

/// A wall-clock time in `zone`, in microseconds, printed by a pattern's pieces; None out of range.
pub(super) fn formatted(parts: &[Piece], micros: i64, zone: &Zone) -> Result<Option<String>> {
    let Some(t) = chrono::DateTime::from_timestamp_micros(micros).map(|d| d.naive_utc()) else { return Ok(None) };
    let mut s = String::new();
    print(parts, &t, &ZoneAt::at(zone, &t), &mut s)?;
    Ok(Some(s))
}

/// The pieces printed for a time; an optional section prints as if it were not optional.
fn print(parts: &[Piece], t: &NaiveDateTime, zone: &ZoneAt, s: &mut String) -> Result<()> {
    for p in parts {
        match p {
            Piece::Text(text) => s.push_str(text),
            Piece::Field(letter, n) => s.push_str(&field(t, zone, *letter, *n)?),
            Piece::Optional(inner) => print(inner, t, zone, s)?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{StringArray, TimestampMicrosecondArray};

    fn format(micros: i64, pattern: &str) -> String {
        let t: ArrayRef = Arc::new(TimestampMicrosecondArray::from(vec![micros]));
        let p: ArrayRef = Arc::new(StringArray::from(vec![pattern]));
        date_format(&[t, p], 1).unwrap().as_string::<i32>().value(0).to_string()
    }

    #[test]
    fn java_patterns_print_as_spark_prints_them() {
        // 2001-01-01 10:02:03.123456 UTC, a Monday.
        let t = 978_343_323_123_456;
        assert_eq!(format(t, "yyyy-MM-dd HH:mm:ss"), "2001-01-01 10:02:03");
        assert_eq!(format(t, "MMM d, yy EEE a hh"), "Jan 1, 01 Mon AM 10");
        assert_eq!(format(t, "EEEE 'at' H 'o''clock' SSS"), "Monday at 10 o'clock 123");
        assert_eq!(format(t, "QQQ D"), "Q1 1");
    }

    #[test]
    fn zone_letters_print_the_sessions_zone_then() {
        let in_zone = |local: &str, pattern: &str| {
            let t = chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M:%S").unwrap().and_utc().timestamp_micros();
            let t: ArrayRef = Arc::new(TimestampMicrosecondArray::from(vec![t]));
            let p: ArrayRef = Arc::new(StringArray::from(vec![pattern]));
            let z: ArrayRef = Arc::new(StringArray::from(vec!["America/Los_Angeles"]));
            date_format(&[t, p, z], 1).unwrap().as_string::<i32>().value(0).to_string()
        };
        assert_eq!(in_zone("2018-11-17 05:33:33", "z zzzz VV"), "PST Pacific Standard Time America/Los_Angeles");
        assert_eq!(in_zone("2018-07-17 05:33:33", "z"), "PDT");
        assert_eq!(in_zone("2018-11-17 05:33:33", "X XX XXX XXXXX Z ZZZZ O OOOO x"), "-08 -0800 -08:00 -08:00 -0800 GMT-08:00 GMT-8 GMT-08:00 -08");
        assert_eq!(in_zone("1582-05-31 19:40:35", "z XXXX ZZZZZ O"), "PST -075258 -07:52:58 GMT-7:52:58");
        assert_eq!(format(0, "X x z"), "Z +00 UTC");
    }

    #[test]
    fn unknown_letters_are_errors() {
        let t: ArrayRef = Arc::new(TimestampMicrosecondArray::from(vec![0]));
        let p: ArrayRef = Arc::new(StringArray::from(vec!["yyyy-bb"]));
        assert!(date_format(&[t, p], 1).is_err());
    }
}
