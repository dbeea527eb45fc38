//! `sequence(start, stop [, step])`: the array from `start` to `stop` inclusive, by `step`. Whole
//! numbers step by 1 (or -1 when `stop` is smaller) unless told; dates and timestamps step by a
//! day unless given an interval (a year-month interval steps by months, keeping the day of the
//! month as far as the month allows; a day-time interval by its length, whole days for dates). A
//! step of zero, or one that leads away from `stop`, is an error, as in Spark; so is an array
//! longer than an array can be.

use std::sync::Arc;

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime};
use datafusion::arrow::array::{ArrayRef, Date32Builder, Int64Builder, ListBuilder, TimestampMicrosecondBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, TimeUnit};
use datafusion::common::{exec_err, plan_err, Result, ScalarValue};
use datafusion::logical_expr::{ScalarUDF, Signature, Volatility};

use super::{row_of, SparkFunction};

/// Spark's largest array.
const MAX_LENGTH: i64 = i32::MAX as i64 - 15;

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![SparkFunction::udf("sequence", Signature::variadic_any(Volatility::Immutable), result_type, sequence)]
}

/// The element type of the sequence over these start and stop types.
fn element_type(start: &DataType, stop: &DataType) -> Result<DataType> {
    let width = |t: &DataType| match t {
        DataType::Int8 => 1,
        DataType::Int16 => 2,
        DataType::Int32 | DataType::Null => 4,
        _ => 8,
    };
    Ok(match (start, stop) {
        (a, b) if (a.is_integer() || a.is_null()) && (b.is_integer() || b.is_null()) => match width(a).max(width(b)) {
            1 => DataType::Int8,
            2 => DataType::Int16,
            4 => DataType::Int32,
            _ => DataType::Int64,
        },
        (DataType::Date32, DataType::Date32) => DataType::Date32,
        (DataType::Timestamp(..) | DataType::Date32, DataType::Timestamp(..) | DataType::Date32) => DataType::Timestamp(TimeUnit::Microsecond, None),
        (a, b) => return plan_err!("[DATATYPE_MISMATCH.SEQUENCE_WRONG_INPUT_TYPES] sequence takes whole numbers, dates or timestamps, not {a} and {b}"),
    })
}

fn result_type(args: &[DataType]) -> Result<DataType> {
    match args {
        [start, stop] | [start, stop, _] => Ok(DataType::new_list(element_type(start, stop)?, true)),
        _ => plan_err!("sequence takes a start, a stop and an optional step"),
    }
}

/// A step through time: months, then days and microseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
struct TimeStep {
    months: i32,
    days: i32,
    micros: i64,
}

impl TimeStep {
    fn of(step: &ScalarValue) -> Result<Self> {
        Ok(match step {
            ScalarValue::IntervalYearMonth(Some(m)) => TimeStep { months: *m, days: 0, micros: 0 },
            ScalarValue::IntervalMonthDayNano(Some(v)) => TimeStep { months: v.months, days: v.days, micros: v.nanoseconds / 1000 },
            ScalarValue::IntervalDayTime(Some(v)) => TimeStep { months: 0, days: v.days, micros: i64::from(v.milliseconds) * 1000 },
            ScalarValue::DurationMicrosecond(Some(us)) => TimeStep { months: 0, days: 0, micros: *us },
            other => return exec_err!("[DATATYPE_MISMATCH.SEQUENCE_WRONG_INPUT_TYPES] sequence steps through time by an interval, not {other}"),
        })
    }

    fn apply(&self, t: NaiveDateTime, times: i32) -> Option<NaiveDateTime> {
        let months = self.months.checked_mul(times)?;
        let moved = if months >= 0 { t.checked_add_months(Months::new(months.unsigned_abs()))? } else { t.checked_sub_months(Months::new(months.unsigned_abs()))? };
        let days = i64::from(self.days) * i64::from(times);
        moved.checked_add_signed(chrono::Duration::days(days))?.checked_add_signed(chrono::Duration::microseconds(self.micros.checked_mul(i64::from(times))?))
    }

    fn forward(&self) -> bool {
        self.months > 0 || (self.months == 0 && (self.days > 0 || (self.days == 0 && self.micros > 0)))
    }

    fn is_zero(&self) -> bool {
        self.months == 0 && self.days == 0 && self.micros == 0
    }
}

fn boundaries_error<T>(start: impl std::fmt::Display, stop: impl std::fmt::Display, step: impl std::fmt::Display) -> Result<T> {
    exec_err!("[INVALID_SEQUENCE_BOUNDARIES] Illegal sequence boundaries: {start} to {stop} by {step}")
}

/// The whole numbers from `start` to `stop` by `step`.
fn whole_numbers(start: i64, stop: i64, step: Option<i64>) -> Result<Vec<i64>> {
    let step = step.unwrap_or(if start <= stop { 1 } else { -1 });
    // In 128 bits: the distance between two BIGINTs may not fit 64.
    let distance = i128::from(stop) - i128::from(start);
    if (step == 0 && start != stop) || distance.signum() * i128::from(step.signum()) < 0 {
        return boundaries_error(start, stop, step);
    }
    if start == stop {
        return Ok(vec![start]);
    }
    let length = distance / i128::from(step) + 1;
    if length > i128::from(MAX_LENGTH) {
        return exec_err!("[COLLECTION_SIZE_LIMIT_EXCEEDED] sequence would have {length} elements, more than {MAX_LENGTH}");
    }
    Ok((0..length as i64).map(|i| start + i * step).collect())
}

/// The times from `start` to `stop` by `step`.
fn times(start: NaiveDateTime, stop: NaiveDateTime, step: TimeStep, shown: &str) -> Result<Vec<NaiveDateTime>> {
    if start == stop {
        return Ok(vec![start]);
    }
    if step.is_zero() || (stop > start) != step.forward() {
        return boundaries_error(start, stop, shown);
    }
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(t) = step.apply(start, i) {
        if (step.forward() && t > stop) || (!step.forward() && t < stop) {
            break;
        }
        out.push(t);
        i += 1;
        if i64::from(i) > MAX_LENGTH {
            return exec_err!("[COLLECTION_SIZE_LIMIT_EXCEEDED] sequence would have more than {MAX_LENGTH} elements");
        }
    }
    Ok(out)
}

fn to_time(v: &ScalarValue) -> Option<NaiveDateTime> {
    match v {
        ScalarValue::Date32(Some(d)) => NaiveDate::from_num_days_from_ce_opt(d + 719_163)?.and_hms_opt(0, 0, 0),
        ScalarValue::TimestampMicrosecond(Some(us), _) => chrono::DateTime::from_timestamp_micros(*us).map(|t| t.naive_utc()),
        _ => None,
    }
}

/// One row's sequence of dates (`dates`) or timestamps; None when an argument is NULL.
fn time_row(value: &dyn Fn(usize, usize) -> Result<ScalarValue>, stepped: bool, row: usize, dates: bool) -> Result<Option<Vec<NaiveDateTime>>> {
    let step = if stepped { value(2, row)? } else { ScalarValue::DurationMicrosecond(Some(86_400_000_000)) };
    let (Some(start), Some(stop)) = (to_time(&value(0, row)?), to_time(&value(1, row)?)) else { return Ok(None) };
    if step.is_null() {
        return Ok(None);
    }
    let shown = step.to_string();
    let mut step = TimeStep::of(&step)?;
    if dates {
        if step.micros % 86_400_000_000 != 0 {
            return exec_err!("[DATATYPE_MISMATCH.SEQUENCE_WRONG_INPUT_TYPES] a sequence of dates steps by whole days or months");
        }
        step = TimeStep { days: step.days + i32::try_from(step.micros / 86_400_000_000).unwrap_or(i32::MAX), micros: 0, ..step };
    }
    times(start, stop, step, &shown).map(Some)
}

fn sequence(args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    let element = element_type(args[0].data_type(), args[1].data_type())?;
    let value = |i: usize, row: usize| -> Result<ScalarValue> {
        let a = &args[i];
        let a = match (&element, a.data_type()) {
            (DataType::Timestamp(..), DataType::Date32 | DataType::Timestamp(..)) => cast(a, &element)?,
            (e, _) if e.is_integer() => cast(a, &DataType::Int64)?,
            _ => Arc::clone(a),
        };
        ScalarValue::try_from_array(&a, row_of(a.as_ref(), row))
    };
    match &element {
        e if e.is_integer() => {
            let mut out = ListBuilder::new(Int64Builder::new());
            for row in 0..rows {
                let (start, stop) = (value(0, row)?, value(1, row)?);
                let step = if args.len() > 2 { Some(value(2, row)?) } else { None };
                let (ScalarValue::Int64(Some(start)), ScalarValue::Int64(Some(stop))) = (start, stop) else {
                    out.append_null();
                    continue;
                };
                let step = match step {
                    Some(ScalarValue::Int64(Some(s))) => Some(s),
                    Some(_) => {
                        out.append_null();
                        continue;
                    }
                    None => None,
                };
                out.append_value(whole_numbers(start, stop, step)?.into_iter().map(Some));
            }
            Ok(cast(&(Arc::new(out.finish()) as ArrayRef), &DataType::new_list(element, true))?)
        }
        DataType::Date32 => {
            let mut out = ListBuilder::new(Date32Builder::new());
            for row in 0..rows {
                match time_row(&value, args.len() > 2, row, true)? {
                    Some(days) => out.append_value(days.into_iter().map(|t| Some(t.date().num_days_from_ce() - 719_163))),
                    None => out.append_null(),
                }
            }
            Ok(Arc::new(out.finish()))
        }
        _ => {
            let mut out = ListBuilder::new(TimestampMicrosecondBuilder::new()).with_field(Arc::new(Field::new_list_field(element.clone(), true)));
            for row in 0..rows {
                match time_row(&value, args.len() > 2, row, false)? {
                    Some(stamps) => out.append_value(stamps.into_iter().map(|t| Some(t.and_utc().timestamp_micros()))),
                    None => out.append_null(),
                }
            }
            Ok(Arc::new(out.finish()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_step_toward_the_stop() {
        assert_eq!(whole_numbers(1, 5, None).unwrap(), vec![1, 2, 3, 4, 5]);
        assert_eq!(whole_numbers(5, 1, None).unwrap(), vec![5, 4, 3, 2, 1]);
        assert_eq!(whole_numbers(1, 6, Some(2)).unwrap(), vec![1, 3, 5]);
        assert_eq!(whole_numbers(3, 3, Some(0)).unwrap(), vec![3]);
        assert!(whole_numbers(1, 5, Some(-1)).is_err());
        assert!(whole_numbers(1, 5, Some(0)).is_err());
        assert!(whole_numbers(i64::MIN, i64::MAX, None).is_err());
        assert!(whole_numbers(i64::MAX, i64::MIN, Some(1)).is_err());
    }

    #[test]
    fn months_keep_the_day_as_far_as_the_month_allows() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(0, 0, 0).unwrap();
        let step = TimeStep { months: 1, days: 0, micros: 0 };
        let got = times(day(2024, 1, 31), day(2024, 4, 30), step, "1 month").unwrap();
        assert_eq!(got, vec![day(2024, 1, 31), day(2024, 2, 29), day(2024, 3, 31), day(2024, 4, 30)]);
    }
}
