//! `months_between(t1, t2 [, roundOff])`: how many months `t1` is after `t2`, as Spark counts
//! them: whole months when both fall on the same day of the month or both on a month's last day,
//! else the whole months plus the remaining time over a 31-day month, rounded to 8 decimal places
//! unless `roundOff` is false. Dates count from midnight; text is read as a timestamp.

use std::sync::Arc;

use chrono::{Datelike, NaiveDateTime, Timelike};
use datafusion::arrow::array::{Array, ArrayRef, AsArray, Float64Builder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, TimeUnit, TimestampMicrosecondType};
use datafusion::common::{plan_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, Volatility};

use super::{row_of, SparkFunction};

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![SparkFunction::udf("months_between", Signature::variadic_any(Volatility::Immutable), result_type, months_between)]
}

fn result_type(args: &[DataType]) -> Result<DataType> {
    match args.len() {
        2 | 3 => Ok(DataType::Float64),
        _ => plan_err!("months_between takes two times and an optional roundOff flag"),
    }
}

fn last_day(t: &NaiveDateTime) -> bool {
    t.date().succ_opt().is_none_or(|next| next.month() != t.month())
}

/// Spark's months between two wall-clock times.
fn between(a: NaiveDateTime, b: NaiveDateTime, round_off: bool) -> f64 {
    let months = (a.year() * 12 + a.month() as i32) - (b.year() * 12 + b.month() as i32);
    if a.day() == b.day() || (last_day(&a) && last_day(&b)) {
        return f64::from(months);
    }
    const DAY: i64 = 86_400;
    let seconds = |t: &NaiveDateTime| i64::from(t.num_seconds_from_midnight());
    let diff_seconds = (i64::from(a.day()) - i64::from(b.day())) * DAY + seconds(&a) - seconds(&b);
    let diff = f64::from(months) + diff_seconds as f64 / (31 * DAY) as f64;
    if round_off { (diff * 1e8 + 0.5).floor() / 1e8 } else { diff }
}

fn months_between(args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    let stamp = DataType::Timestamp(TimeUnit::Microsecond, None);
    let times = [cast(&args[0], &stamp)?, cast(&args[1], &stamp)?];
    let [a, b] = [times[0].as_primitive::<TimestampMicrosecondType>(), times[1].as_primitive::<TimestampMicrosecondType>()];
    let round = args.get(2).map(|r| cast(r, &DataType::Boolean)).transpose()?;
    let round = round.as_ref().map(|r| r.as_boolean());
    let mut out = Float64Builder::with_capacity(rows);
    for row in 0..rows {
        let (i, j) = (row_of(a, row), row_of(b, row));
        let round_off = match round {
            Some(r) if r.is_null(row_of(r, row)) => {
                out.append_null();
                continue;
            }
            Some(r) => r.value(row_of(r, row)),
            None => true,
        };
        let time = |arr: &datafusion::arrow::array::PrimitiveArray<TimestampMicrosecondType>, k: usize| {
            (!arr.is_null(k)).then(|| chrono::DateTime::from_timestamp_micros(arr.value(k)).map(|t| t.naive_utc())).flatten()
        };
        match (time(a, i), time(b, j)) {
            (Some(x), Some(y)) => out.append_value(between(x, y, round_off)),
            _ => out.append_null(),
        }
    }
    Ok(Arc::new(out.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn months_as_spark_counts_them() {
        assert_eq!(between(t("1997-02-28 10:30:00"), t("1996-10-30 00:00:00"), true), 3.94959677);
        assert_eq!(between(t("2024-03-31 00:00:00"), t("2024-02-29 00:00:00"), true), 1.0);
        assert_eq!(between(t("2024-03-15 00:00:00"), t("2024-01-15 12:00:00"), true), 2.0);
    }
}
