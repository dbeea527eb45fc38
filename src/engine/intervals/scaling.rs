//! An interval times or divided by a number, as Spark computes it: a whole-number factor must
//! not overflow, a fractional result is rounded half away from zero to the interval's unit (a
//! month, or the duration's unit), and dividing by zero is an error. The analyzer rule writes
//! `interval * n`, `n * interval` and `-interval` as `hivewire_interval_multiply`; the division
//! rewrite writes `interval / n` as `hivewire_interval_divide`.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, IntervalMonthDayNanoArray, IntervalYearMonthArray, PrimitiveArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, DurationMicrosecondType, DurationMillisecondType, DurationNanosecondType, DurationSecondType, Float64Type, Int64Type,
    IntervalMonthDayNano, IntervalMonthDayNanoType, IntervalUnit, IntervalYearMonthType, TimeUnit,
};
use datafusion::common::{exec_err, plan_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, Volatility};

use crate::engine::spark_functions::{row_of, SparkFunction};

/// The names the engine writes.
pub(crate) const MULTIPLY: &str = "hivewire_interval_multiply";
pub(crate) const DIVIDE: &str = "hivewire_interval_divide";

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![multiply_udf(), divide_udf()]
}

/// `hivewire_interval_divide(interval, divisor)`.
pub(crate) fn divide_udf() -> Arc<ScalarUDF> {
    SparkFunction::udf(DIVIDE, Signature::any(2, Volatility::Immutable), interval_result, divide)
}

/// `hivewire_interval_multiply(interval, factor)`.
pub(super) fn multiply_udf() -> Arc<ScalarUDF> {
    SparkFunction::udf(MULTIPLY, Signature::any(2, Volatility::Immutable), interval_result, multiply)
}

fn interval_result(args: &[DataType]) -> Result<DataType> {
    match &args[0] {
        t if super::is_interval(t) => Ok(t.clone()),
        t => plan_err!("{t} is not an interval"),
    }
}

/// The factor: whole numbers stay exact, anything else is a double (strings are read as numbers,
/// as Spark casts them).
enum Factor {
    Whole(PrimitiveArray<Int64Type>),
    Fraction(PrimitiveArray<Float64Type>),
}

impl Factor {
    fn of(a: &ArrayRef) -> Result<Factor> {
        Ok(if a.data_type().is_integer() || a.data_type() == &DataType::Null {
            Factor::Whole(cast(a, &DataType::Int64)?.as_primitive::<Int64Type>().clone())
        } else {
            // A string that is not a number is an error, as under Spark's ANSI rules.
            let strict = datafusion::arrow::compute::CastOptions { safe: false, ..Default::default() };
            Factor::Fraction(datafusion::arrow::compute::cast_with_options(a, &DataType::Float64, &strict)?.as_primitive::<Float64Type>().clone())
        })
    }
}

#[derive(Clone, Copy)]
enum Op {
    Times,
    Over,
}

fn overflow<T>() -> Result<T> {
    exec_err!("[INTERVAL_ARITHMETIC_OVERFLOW] Integer overflow while operating with intervals")
}

/// One amount (months, days or a duration's units) scaled by the factor at a row.
fn scale(v: i64, factor: &Factor, row: usize, op: Op) -> Result<Option<i64>> {
    match factor {
        Factor::Whole(f) => {
            let i = row_of(f, row);
            if f.is_null(i) {
                return Ok(None);
            }
            let n = f.value(i);
            match op {
                Op::Times => v.checked_mul(n).map(Some).map_or_else(overflow, Ok),
                Op::Over => {
                    if n == 0 {
                        return exec_err!("[INTERVAL_DIVIDED_BY_ZERO] Division by zero");
                    }
                    let (q, r) = (v.checked_div(n).map_or_else(overflow, Ok)?, v % n);
                    // Half away from zero, as Spark rounds the quotient.
                    let up = (r.unsigned_abs() * 2 >= n.unsigned_abs()) && r != 0;
                    Ok(Some(if up { q + v.signum() * n.signum() } else { q }))
                }
            }
        }
        Factor::Fraction(f) => {
            let i = row_of(f, row);
            if f.is_null(i) {
                return Ok(None);
            }
            let n = f.value(i);
            let x = match op {
                Op::Times => v as f64 * n,
                Op::Over if n == 0.0 => return exec_err!("[INTERVAL_DIVIDED_BY_ZERO] Division by zero"),
                Op::Over => v as f64 / n,
            };
            let x = x.round();
            if !x.is_finite() || x >= i64::MAX as f64 || x < i64::MIN as f64 {
                return overflow();
            }
            Ok(Some(x as i64))
        }
    }
}

fn multiply(args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    apply(args, rows, Op::Times)
}

fn divide(args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    apply(args, rows, Op::Over)
}

fn apply(args: &[ArrayRef], rows: usize, op: Op) -> Result<ArrayRef> {
    let (interval, factor) = (&args[0], Factor::of(&args[1])?);
    let rows = interval.len().max(args[1].len()).max(usize::from(rows > 0));
    let rows_of = |each: &mut dyn FnMut(usize) -> Result<Option<i64>>| -> Result<Vec<Option<i64>>> { (0..rows).map(each).collect() };
    Ok(match interval.data_type() {
        DataType::Interval(IntervalUnit::YearMonth) => {
            let a = interval.as_primitive::<IntervalYearMonthType>();
            let out = rows_of(&mut |row| {
                let i = row_of(a, row);
                if a.is_null(i) {
                    return Ok(None);
                }
                scale(i64::from(a.value(i)), &factor, row, op)
            })?;
            let out: Result<Vec<Option<i32>>> =
                out.into_iter().map(|m| m.map(|m| i32::try_from(m).map_or_else(|_| overflow(), Ok)).transpose()).collect();
            Arc::new(IntervalYearMonthArray::from(out?))
        }
        DataType::Interval(IntervalUnit::MonthDayNano) => {
            let a = interval.as_primitive::<IntervalMonthDayNanoType>();
            let mut out = Vec::with_capacity(rows);
            for row in 0..rows {
                let i = row_of(a, row);
                if a.is_null(i) {
                    out.push(None);
                    continue;
                }
                let v = a.value(i);
                let parts = (scale(i64::from(v.months), &factor, row, op)?, scale(i64::from(v.days), &factor, row, op)?, scale(v.nanoseconds, &factor, row, op)?);
                out.push(match parts {
                    (Some(m), Some(d), Some(n)) => Some(IntervalMonthDayNano::new(
                        i32::try_from(m).map_or_else(|_| overflow(), Ok)?,
                        i32::try_from(d).map_or_else(|_| overflow(), Ok)?,
                        n,
                    )),
                    _ => None,
                });
            }
            Arc::new(IntervalMonthDayNanoArray::from(out))
        }
        DataType::Duration(unit) => {
            let a = cast(interval, &DataType::Int64)?;
            let a = a.as_primitive::<Int64Type>();
            let out = rows_of(&mut |row| {
                let i = row_of(a, row);
                if a.is_null(i) {
                    return Ok(None);
                }
                scale(a.value(i), &factor, row, op)
            })?;
            match unit {
                TimeUnit::Second => Arc::new(PrimitiveArray::<DurationSecondType>::from(out)),
                TimeUnit::Millisecond => Arc::new(PrimitiveArray::<DurationMillisecondType>::from(out)),
                TimeUnit::Microsecond => Arc::new(PrimitiveArray::<DurationMicrosecondType>::from(out)),
                TimeUnit::Nanosecond => Arc::new(PrimitiveArray::<DurationNanosecondType>::from(out)),
            }
        }
        other => return exec_err!("{other} is not an interval"),
    })
}
