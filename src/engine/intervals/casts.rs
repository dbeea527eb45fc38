//! Casts to Spark's interval types: `CAST(x AS INTERVAL YEAR TO MONTH)`, `CAST(x AS INTERVAL
//! SECOND)`, and the calendar interval `CAST(s AS INTERVAL)`. A number counts units of the
//! type's last field (a fraction of months rounds half up, of days, hours or minutes is dropped,
//! of seconds is kept to the microsecond); text is the interval in the type's form
//! (`'3-1'`, or Spark's whole literal `interval '3-1' year to month`). The calendar cast reads
//! Spark's unit lists (`interval 3 month 1 hour`).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, DurationMicrosecondArray, IntervalMonthDayNanoArray, IntervalYearMonthArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type, Int64Type, IntervalMonthDayNano, IntervalUnit, TimeUnit};
use datafusion::common::{exec_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, Volatility};

use crate::engine::spark_functions::SparkFunction;
use crate::hiveql::ansi_intervals::{AnsiInterval, Field};
use crate::hiveql::intervals::{TO_CALENDAR, TO_DAY_TIME, TO_YEAR_MONTH};


pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![
        SparkFunction::udf(TO_YEAR_MONTH, Signature::any(3, Volatility::Immutable), |_| Ok(DataType::Interval(IntervalUnit::YearMonth)), to_year_month),
        SparkFunction::udf(TO_DAY_TIME, Signature::any(3, Volatility::Immutable), |_| Ok(DataType::Duration(TimeUnit::Microsecond)), to_day_time),
        SparkFunction::udf(TO_CALENDAR, Signature::any(1, Volatility::Immutable), |_| Ok(DataType::Interval(IntervalUnit::MonthDayNano)), to_calendar),
    ]
}

/// The qualifier's fields, from the constant arguments the front end writes (field codes).
fn fields(args: &[ArrayRef], year_month: bool) -> Result<(Field, Field)> {
    let code = |a: &ArrayRef| -> Result<i64> {
        let a = cast(a, &DataType::Int64)?;
        let a = a.as_primitive::<Int64Type>();
        if a.is_empty() || a.is_null(0) {
            return exec_err!("an interval cast needs its fields");
        }
        Ok(a.value(0))
    };
    Ok((Field::from_code(year_month, code(&args[1])?), Field::from_code(year_month, code(&args[2])?)))
}

/// Text in the type's form, or Spark's whole literal with the same qualifier.
fn from_text(text: &str, start: Field, end: Field) -> Result<AnsiInterval> {
    let t = text.trim();
    let body = match t.get(..8) {
        Some(p) if p.eq_ignore_ascii_case("interval") => {
            let rest = t[8..].trim();
            let (negated, rest) = match rest.strip_prefix('-') {
                Some(r) => (true, r.trim_start()),
                None => (false, rest.strip_prefix('+').unwrap_or(rest).trim_start()),
            };
            let quoted = rest.strip_prefix('\'').and_then(|r| r.split_once('\''));
            let Some((inner, qualifier)) = quoted else { return exec_err!("[INVALID_INTERVAL_FORMAT] '{text}' is not an interval") };
            let written = qualifier.split_whitespace().map(str::to_ascii_uppercase).collect::<Vec<_>>().join(" ");
            if written != crate::hiveql::ansi_intervals::qualifier(start, end) {
                return exec_err!("[INVALID_INTERVAL_FORMAT] '{text}' is not an interval of type INTERVAL {}", crate::hiveql::ansi_intervals::qualifier(start, end));
            }
            if negated { format!("-{inner}") } else { inner.to_string() }
        }
        _ => t.to_string(),
    };
    AnsiInterval::from_qualified(&body, start, end).or_else(|reason| exec_err!("[INVALID_INTERVAL_FORMAT] {reason}"))
}

/// Each value as an interval of the type, or None for NULL.
fn convert(args: &[ArrayRef], year_month: bool) -> Result<Vec<Option<i64>>> {
    let (start, end) = fields(args, year_month)?;
    let per: i64 = match end {
        Field::Year => 12,
        Field::Month | Field::Second => 1,
        Field::Day => 86_400_000_000,
        Field::Hour => 3_600_000_000,
        Field::Minute => 60_000_000,
    };
    let value = &args[0];
    let overflow = || exec_err!("[ARITHMETIC_OVERFLOW] the value does not fit the interval type");
    Ok(match value.data_type() {
        t if t.is_integer() || t == &DataType::Null => {
            let a = cast(value, &DataType::Int64)?;
            let scale = if end == Field::Second { 1_000_000 } else { per };
            let mut out = Vec::with_capacity(a.len());
            for v in a.as_primitive::<Int64Type>().iter() {
                out.push(match v {
                    Some(v) => Some(v.checked_mul(scale).map_or_else(overflow, Ok)?),
                    None => None,
                });
            }
            out
        }
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            let a = cast(value, &DataType::Utf8)?;
            let mut out = Vec::with_capacity(a.len());
            for v in a.as_string::<i32>().iter() {
                out.push(match v.map(|t| from_text(t, start, end)).transpose()? {
                    Some(AnsiInterval::YearMonth { months, .. }) => Some(i64::from(months)),
                    Some(AnsiInterval::DayTime { micros, .. }) => Some(micros),
                    None => None,
                });
            }
            out
        }
        _ => {
            let a = cast(value, &DataType::Float64)?;
            a.as_primitive::<Float64Type>()
                .iter()
                .map(|v| {
                    v.map(|v| match (year_month, end) {
                        // Months round half up; seconds keep microseconds; longer units are whole.
                        (true, _) => (v * per as f64).round() as i64,
                        (false, Field::Second) => (v * 1_000_000.0).round() as i64,
                        (false, _) => v.trunc() as i64 * per,
                    })
                })
                .collect()
        }
    })
}

fn to_year_month(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let months: Result<Vec<Option<i32>>> = convert(args, true)?
        .into_iter()
        .map(|m| m.map(|m| i32::try_from(m).or_else(|_| exec_err!("[ARITHMETIC_OVERFLOW] the value does not fit the interval type"))).transpose())
        .collect();
    Ok(Arc::new(IntervalYearMonthArray::from(months?)))
}

fn to_day_time(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    Ok(Arc::new(DurationMicrosecondArray::from(convert(args, false)?)))
}

/// Spark's calendar interval from text: an optional `interval`, then signed numbers with units.
pub(crate) fn calendar(text: &str) -> Option<IntervalMonthDayNano> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let words = match words.first() {
        Some(w) if w.eq_ignore_ascii_case("interval") => &words[1..],
        _ => &words[..],
    };
    let (mut months, mut days, mut micros) = (0i64, 0i64, 0i64);
    let mut i = 0;
    while i < words.len() {
        // A sign may stand apart from its number (`- 1 second`).
        let mut number = words[i].to_string();
        if (number == "-" || number == "+") && i + 1 < words.len() {
            i += 1;
            number.push_str(words[i]);
        }
        let unit = words.get(i + 1)?;
        i += 2;
        let number = number.strip_prefix('+').unwrap_or(&number).to_string();
        let number = number.strip_prefix("--").unwrap_or(&number).to_string();
        let number = number.strip_prefix("-+").map_or(number.clone(), |n| format!("-{n}"));
        let ansi = AnsiInterval::from_units(&[(number, unit.to_string())]).ok()?;
        match ansi {
            AnsiInterval::YearMonth { months: m, .. } => months += i64::from(m),
            AnsiInterval::DayTime { micros: m, start: Field::Day, end: Field::Day } => days += m / 86_400_000_000,
            AnsiInterval::DayTime { micros: m, .. } => micros += m,
        }
    }
    if words.is_empty() {
        return None;
    }
    Some(IntervalMonthDayNano::new(i32::try_from(months).ok()?, i32::try_from(days).ok()?, micros.checked_mul(1000)?))
}

fn to_calendar(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let value = &args[0];
    if matches!(value.data_type(), DataType::Interval(_) | DataType::Duration(_)) {
        return Ok(cast(value, &DataType::Interval(IntervalUnit::MonthDayNano))?);
    }
    let text = cast(value, &DataType::Utf8)?;
    let text = text.as_string::<i32>();
    Ok(Arc::new(text.iter().map(|t| t.and_then(calendar)).collect::<IntervalMonthDayNanoArray>()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_text_reads_as_spark_reads_it() {
        assert_eq!(calendar("interval 3 month 1 hour"), Some(IntervalMonthDayNano::new(3, 0, 3_600_000_000_000)));
        assert_eq!(calendar("+1 second"), Some(IntervalMonthDayNano::new(0, 0, 1_000_000_000)));
        assert_eq!(calendar("-     1 second"), Some(IntervalMonthDayNano::new(0, 0, -1_000_000_000)));
        assert_eq!(calendar("1 day 2"), None);
    }

    #[test]
    fn literal_text_must_match_the_type() {
        assert!(from_text("interval '3-1' year to month", Field::Year, Field::Month).is_ok());
        assert!(from_text("interval '3-1' year to month", Field::Day, Field::Second).is_err());
        assert_eq!(from_text("-3-1", Field::Year, Field::Month).unwrap().to_string(), "INTERVAL '-3-1' YEAR TO MONTH");
    }
}
