//! `timestampadd(unit, n, ts)` and `timestampdiff(unit, start, end)`, with Spark's units: YEAR,
//! QUARTER, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND, MILLISECOND and MICROSECOND. Months are
//! calendar months (Feb 29 plus a year is Feb 28); a difference counts whole units, truncated
//! toward zero. The HiveQL front end passes the unit as a string
//! (`hivewire_timestampadd('MONTH', n, ts)`).

use std::sync::Arc;

use chrono::{DateTime, Datelike, Months, NaiveDateTime, Timelike};
use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int64Array, StringArray, TimestampMicrosecondArray};
use datafusion::arrow::datatypes::{DataType, Int64Type, TimeUnit, TimestampMicrosecondType};
use datafusion::common::{exec_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, TypeSignature, Volatility};

use super::SparkFunction;

const MICROS: [(&str, i64); 7] = [
    ("WEEK", 7 * 86_400_000_000),
    ("DAY", 86_400_000_000),
    ("HOUR", 3_600_000_000),
    ("MINUTE", 60_000_000),
    ("SECOND", 1_000_000),
    ("MILLISECOND", 1000),
    ("MICROSECOND", 1),
];

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    // TIMESTAMP casts give nanoseconds; the bodies work in microseconds, as Spark does.
    let ts = DataType::Timestamp(TimeUnit::Nanosecond, None);
    let add = Signature::one_of(vec![TypeSignature::Exact(vec![DataType::Utf8, DataType::Int64, ts.clone()])], Volatility::Immutable);
    let diff = Signature::one_of(vec![TypeSignature::Exact(vec![DataType::Utf8, ts.clone(), ts])], Volatility::Immutable);
    vec![
        SparkFunction::udf("hivewire_timestampadd", add, |_| Ok(DataType::Timestamp(TimeUnit::Microsecond, None)), add_rows),
        SparkFunction::udf("hivewire_timestampdiff", diff, |_| Ok(DataType::Int64), diff_rows),
    ]
}

/// Months per unit for the calendar units.
fn months_per(unit: &str) -> Option<u32> {
    match unit {
        "YEAR" => Some(12),
        "QUARTER" => Some(3),
        "MONTH" => Some(1),
        _ => None,
    }
}

fn micros_per(unit: &str) -> Option<i64> {
    MICROS.iter().find(|(u, _)| *u == unit).map(|(_, m)| *m)
}

fn check(unit: &str) -> Result<String> {
    let u = unit.trim().to_ascii_uppercase();
    if months_per(&u).is_none() && micros_per(&u).is_none() {
        return exec_err!("[INVALID_PARAMETER_VALUE.DATETIME_UNIT] '{unit}' is not a unit of timestampadd or timestampdiff");
    }
    Ok(u)
}

fn datetime(micros: i64) -> Option<NaiveDateTime> {
    DateTime::from_timestamp_micros(micros).map(|d| d.naive_utc())
}

fn add(unit: &str, n: i64, ts: i64) -> Option<i64> {
    if let Some(per) = micros_per(unit) {
        return ts.checked_add(n.checked_mul(per)?);
    }
    let months = n.checked_mul(i64::from(months_per(unit)?))?;
    let t = datetime(ts)?;
    let shifted = if months >= 0 {
        t.checked_add_months(Months::new(u32::try_from(months).ok()?))?
    } else {
        t.checked_sub_months(Months::new(u32::try_from(-months).ok()?))?
    };
    Some(shifted.and_utc().timestamp_micros())
}

fn diff(unit: &str, start: i64, end: i64) -> Option<i64> {
    if let Some(per) = micros_per(unit) {
        return Some(end.checked_sub(start)? / per);
    }
    let (a, b) = (datetime(start)?, datetime(end)?);
    let mut months = (i64::from(b.year()) - i64::from(a.year())) * 12 + i64::from(b.month()) - i64::from(a.month());
    // A month is whole once the end's day and time reach the start's.
    let rest = |t: &NaiveDateTime| (t.day(), t.num_seconds_from_midnight(), t.nanosecond());
    if months > 0 && rest(&b) < rest(&a) {
        months -= 1;
    } else if months < 0 && rest(&b) > rest(&a) {
        months += 1;
    }
    Some(months / i64::from(months_per(unit)?))
}

fn units(a: &ArrayRef) -> Result<&StringArray> {
    match a.as_any().downcast_ref::<StringArray>() {
        Some(s) => Ok(s),
        None => exec_err!("expected a unit name"),
    }
}

fn at(a: &dyn Array, row: usize) -> usize {
    if a.len() == 1 { 0 } else { row }
}

/// A timestamp argument in microseconds.
fn micros(a: &ArrayRef) -> Result<ArrayRef> {
    Ok(datafusion::arrow::compute::cast(a, &DataType::Timestamp(TimeUnit::Microsecond, None))?)
}

fn add_rows(args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    let stamps = micros(&args[2])?;
    let (u, n, ts) = (units(&args[0])?, args[1].as_primitive::<Int64Type>(), stamps.as_primitive::<TimestampMicrosecondType>());
    let len = u.len().max(n.len()).max(ts.len()).min(rows.max(1));
    let mut out = Vec::with_capacity(len);
    for row in 0..len {
        let (ur, nr, tr) = (at(u, row), at(n, row), at(ts, row));
        if u.is_null(ur) || n.is_null(nr) || ts.is_null(tr) {
            out.push(None);
            continue;
        }
        let unit = check(u.value(ur))?;
        match add(&unit, n.value(nr), ts.value(tr)) {
            Some(v) => out.push(Some(v)),
            None => return exec_err!("[DATETIME_OVERFLOW] timestampadd overflowed"),
        }
    }
    Ok(Arc::new(TimestampMicrosecondArray::from(out)))
}

fn diff_rows(args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    let u = units(&args[0])?;
    let (starts, ends) = (micros(&args[1])?, micros(&args[2])?);
    let (s, e) = (starts.as_primitive::<TimestampMicrosecondType>(), ends.as_primitive::<TimestampMicrosecondType>());
    let len = u.len().max(s.len()).max(e.len()).min(rows.max(1));
    let mut out = Vec::with_capacity(len);
    for row in 0..len {
        let (ur, sr, er) = (at(u, row), at(s, row), at(e, row));
        if u.is_null(ur) || s.is_null(sr) || e.is_null(er) {
            out.push(None);
            continue;
        }
        let unit = check(u.value(ur))?;
        out.push(diff(&unit, s.value(sr), e.value(er)));
    }
    Ok(Arc::new(Int64Array::from(out)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> i64 {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap().and_utc().timestamp_micros()
    }

    #[test]
    fn units_add_and_count() {
        assert_eq!(add("MONTH", -1, at("2022-02-14 01:02:03")), Some(at("2022-01-14 01:02:03")));
        assert_eq!(add("YEAR", 1, at("2024-02-29 00:00:00")), Some(at("2025-02-28 00:00:00")));
        assert_eq!(add("MINUTE", 58, at("2022-02-14 01:02:03")), Some(at("2022-02-14 02:00:03")));
        assert_eq!(diff("MONTH", at("2022-01-31 00:00:00"), at("2022-02-28 00:00:00")), Some(0));
        assert_eq!(diff("MONTH", at("2022-01-14 00:00:00"), at("2022-03-14 00:00:00")), Some(2));
        assert_eq!(diff("YEAR", at("2022-03-14 00:00:00"), at("2020-03-15 00:00:00")), Some(-1));
        assert_eq!(diff("HOUR", at("2022-02-14 01:00:00"), at("2022-02-14 03:59:59")), Some(2));
    }
}
