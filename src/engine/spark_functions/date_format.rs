//! `date_format(t, pattern)` with Spark's (Java `DateTimeFormatter`) patterns: `yyyy-MM-dd
//! HH:mm:ss`, `MMM d, yyyy`, `EEEE`, `hh:mm a`, `SSS`, quoted text (`'T'`). DataFusion's function of
//! that name reads chrono patterns and would print `yyyy` as it is. Dates, timestamps and strings
//! that read as timestamps are formatted; times print in UTC, the only zone hivewire keeps, so
//! zone letters print it (`UTC`, `+0000`, `Z`).

use std::sync::Arc;

use chrono::{Datelike, NaiveDateTime, Timelike};
use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, TimeUnit, TimestampMicrosecondType};
use datafusion::common::{exec_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, Volatility};

use super::java_patterns::{pieces, Piece};
use super::{string_result, SparkFunction};

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![SparkFunction::udf("date_format", Signature::any(2, Volatility::Immutable), string_result, date_format)]
}

fn padded(v: i64, width: usize) -> String {
    if v < 0 {
        format!("-{:0width$}", -v, width = width)
    } else {
        format!("{v:0width$}")
    }
}

/// One field of a timestamp, as the letter and its count print it.
fn field(t: &NaiveDateTime, letter: char, n: usize) -> Result<String> {
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
        'z' | 'V' | 'O' => "UTC".into(),
        'Z' => (if n < 4 { "+0000" } else if n == 4 { "GMT" } else { "Z" }).into(),
        'X' => "Z".into(),
        'x' => (match n {
            1 => "+00",
            2 | 4 => "+0000",
            _ => "+00:00",
        })
        .into(),
        other => return exec_err!("[INVALID_DATETIME_PATTERN] the pattern letter '{other}' is not supported"),
    })
}

fn date_format(args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    let [value, pattern] = args else { return exec_err!("date_format takes a date or timestamp and a pattern") };
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
        let Some(t) = chrono::DateTime::from_timestamp_micros(value.value(vi)).map(|d| d.naive_utc()) else {
            out.append_null();
            continue;
        };
        let mut s = String::new();
        for p in parts {
            match p {
                Piece::Text(text) => s.push_str(text),
                Piece::Field(letter, n) => s.push_str(&field(&t, *letter, *n)?),
            }
        }
        out.append_value(s);
    }
    Ok(Arc::new(out.finish()))
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
    fn unknown_letters_are_errors() {
        let t: ArrayRef = Arc::new(TimestampMicrosecondArray::from(vec![0]));
        let p: ArrayRef = Arc::new(StringArray::from(vec!["yyyy-bb"]));
        assert!(date_format(&[t, p], 1).is_err());
    }
}
