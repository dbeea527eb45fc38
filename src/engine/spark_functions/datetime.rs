//! `make_timestamp(year, month, day, hour, min, sec)`: a timestamp from its fields, seconds with a
//! fraction of up to microseconds, as Spark builds it. Fields out of range give an error under ANSI
//! rules (`try_make_timestamp` gives NULL); 60 seconds with no fraction is the next minute.

use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use datafusion::arrow::array::{Array, ArrayRef, AsArray, TimestampMicrosecondArray};
use datafusion::arrow::datatypes::{DataType, Float64Type, Int64Type, TimeUnit};
use datafusion::common::{exec_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, TypeSignature, Volatility};

use super::SparkFunction;

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    let fields = || {
        let mut types = vec![DataType::Int64; 5];
        types.push(DataType::Float64);
        Signature::one_of(vec![TypeSignature::Exact(types)], Volatility::Immutable)
    };
    let returns = |_: &[DataType]| Ok(DataType::Timestamp(TimeUnit::Microsecond, None));
    vec![
        SparkFunction::udf("make_timestamp", fields(), returns, make_timestamp),
        SparkFunction::udf("try_make_timestamp", fields(), returns, try_make_timestamp),
    ]
}

/// Microseconds since the epoch of the fields, or None when they name no time.
fn micros(y: i32, mo: i32, d: i32, h: i32, mi: i32, sec: f64) -> Option<i64> {
    let date = NaiveDate::from_ymd_opt(y, u32::try_from(mo).ok()?, u32::try_from(d).ok()?)?;
    let whole = sec.trunc();
    let fraction_us = ((sec - whole) * 1_000_000.0).round();
    if !(0.0..=60.0).contains(&whole) || (whole == 60.0 && fraction_us != 0.0) {
        return None;
    }
    let time = date.and_hms_opt(u32::try_from(h).ok()?, u32::try_from(mi).ok()?, 0)?;
    let t = time + Duration::seconds(whole as i64) + Duration::microseconds(fraction_us as i64);
    Some(t.and_utc().timestamp_micros())
}

fn build(args: &[ArrayRef], lenient: bool) -> Result<ArrayRef> {
    let ints: Vec<_> = args[..5].iter().map(|a| a.as_primitive::<Int64Type>()).collect();
    let secs = args[5].as_primitive::<Float64Type>();
    let rows = secs.len();
    let at = super::row_of;
    let mut out = Vec::with_capacity(rows);
    for row in 0..rows {
        let mut fields = [0i32; 5];
        let mut null = secs.is_null(at(secs, row));
        for (i, a) in ints.iter().enumerate() {
            let r = at(*a, row);
            null |= a.is_null(r);
            fields[i] = i32::try_from(a.value(r)).unwrap_or(i32::MAX);
        }
        if null {
            out.push(None);
            continue;
        }
        let sec = secs.value(at(secs, row));
        match micros(fields[0], fields[1], fields[2], fields[3], fields[4], sec) {
            Some(t) => out.push(Some(t)),
            None if lenient => out.push(None),
            None => {
                return exec_err!(
                    "[DATETIME_FIELD_OUT_OF_BOUNDS] {}-{}-{} {}:{}:{} is not a valid timestamp; use try_make_timestamp to get NULL instead",
                    fields[0], fields[1], fields[2], fields[3], fields[4], sec
                )
            }
        }
    }
    Ok(Arc::new(TimestampMicrosecondArray::from(out)))
}

fn make_timestamp(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    build(args, false)
}

fn try_make_timestamp(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    build(args, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_make_a_timestamp() {
        assert_eq!(micros(1970, 1, 1, 0, 0, 1.5), Some(1_500_000));
        assert_eq!(micros(2019, 6, 30, 23, 59, 60.0), micros(2019, 7, 1, 0, 0, 0.0));
        assert_eq!(micros(2019, 6, 30, 23, 59, 60.5), None);
        assert_eq!(micros(2019, 13, 1, 0, 0, 0.0), None);
        assert_eq!(micros(2019, 2, 29, 0, 0, 0.0), None);
    }
}
