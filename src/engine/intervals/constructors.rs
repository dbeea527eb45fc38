//! The typed interval constructors: `hivewire_ym_interval(months, start, end)` and
//! `hivewire_dt_interval(micros, start, end)`, which the HiveQL front end writes for interval
//! literals and which fold to constants; and Spark's `make_ym_interval(years, months)` and
//! `make_dt_interval(days, hours, mins, secs)`.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, DurationMicrosecondArray, IntervalYearMonthArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Int32Type, Int64Type, IntervalUnit, TimeUnit};
use datafusion::common::{exec_err, plan_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, TypeSignature, Volatility};

use crate::engine::spark_functions::{row_of, SparkFunction};
use crate::hiveql::intervals::{DAY_TIME, YEAR_MONTH};

const MICROS_PER_SECOND: i64 = 1_000_000;

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    let literal = || Signature::exact(vec![DataType::Int64, DataType::Int64, DataType::Int64], Volatility::Immutable);
    let any = || Signature::one_of(vec![TypeSignature::Nullary, TypeSignature::VariadicAny], Volatility::Immutable);
    vec![
        SparkFunction::udf(YEAR_MONTH, literal(), |_| Ok(DataType::Interval(IntervalUnit::YearMonth)), year_month_literal),
        SparkFunction::udf(DAY_TIME, literal(), |_| Ok(DataType::Duration(TimeUnit::Microsecond)), day_time_literal),
        SparkFunction::udf("make_ym_interval", any(), |t| at_most(t, 2, DataType::Interval(IntervalUnit::YearMonth)), make_ym_interval),
        SparkFunction::udf("make_dt_interval", any(), |t| at_most(t, 4, DataType::Duration(TimeUnit::Microsecond)), make_dt_interval),
    ]
}

/// The result type, when there are at most `n` arguments.
fn at_most(args: &[DataType], n: usize, result: DataType) -> Result<DataType> {
    if args.len() > n {
        return plan_err!("the function takes at most {n} arguments, not {}", args.len());
    }
    Ok(result)
}

fn year_month_literal(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let months = args[0].as_primitive::<Int64Type>();
    let out: Result<IntervalYearMonthArray> = months
        .iter()
        .map(|m| m.map(|m| i32::try_from(m).or_else(|_| exec_err!("[INTERVAL_ARITHMETIC_OVERFLOW] year-month interval overflow: {m} months"))).transpose())
        .collect();
    Ok(Arc::new(out?))
}

fn day_time_literal(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    Ok(Arc::new(DurationMicrosecondArray::from(args[0].as_primitive::<Int64Type>().iter().collect::<Vec<_>>())))
}

/// `make_ym_interval(years, months)`: missing arguments are zero.
fn make_ym_interval(args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    let args: Vec<ArrayRef> = args.iter().map(|a| cast(a, &DataType::Int32)).collect::<std::result::Result<_, _>>()?;
    let rows = args.iter().map(|a| a.len()).max().unwrap_or(rows).max(1);
    let mut out = Vec::with_capacity(rows);
    for row in 0..rows {
        let mut months = Some(0i64);
        for (a, per) in args.iter().zip([12i64, 1]) {
            let a = a.as_primitive::<Int32Type>();
            let i = row_of(a, row);
            months = match (months, a.is_null(i)) {
                (Some(m), false) => Some(m + i64::from(a.value(i)) * per),
                _ => None,
            };
        }
        out.push(match months {
            Some(m) => Some(i32::try_from(m).or_else(|_| exec_err!("[ARITHMETIC_OVERFLOW] integer overflow in make_ym_interval"))?),
            None => None,
        });
    }
    Ok(Arc::new(IntervalYearMonthArray::from(out)))
}

/// `make_dt_interval(days, hours, mins, secs)`: missing arguments are zero; seconds carry
/// microseconds.
fn make_dt_interval(args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    let types = [DataType::Int32, DataType::Int32, DataType::Int32, DataType::Decimal128(18, 6)];
    let args: Vec<ArrayRef> = args.iter().zip(&types).map(|(a, t)| cast(a, t)).collect::<std::result::Result<_, _>>()?;
    let rows = args.iter().map(|a| a.len()).max().unwrap_or(rows).max(1);
    let per = [86_400 * MICROS_PER_SECOND, 3_600 * MICROS_PER_SECOND, 60 * MICROS_PER_SECOND];
    let mut out = Vec::with_capacity(rows);
    for row in 0..rows {
        let mut micros = Some(0i64);
        for (k, a) in args.iter().enumerate() {
            let i = row_of(a.as_ref(), row);
            if a.is_null(i) {
                micros = None;
                continue;
            }
            let part = if k < 3 {
                i64::from(a.as_primitive::<Int32Type>().value(i)).checked_mul(per[k])
            } else {
                // DECIMAL(18, 6) seconds are microseconds already.
                i64::try_from(a.as_primitive::<datafusion::arrow::datatypes::Decimal128Type>().value(i)).ok()
            };
            micros = match (micros, part) {
                (Some(m), Some(p)) => match m.checked_add(p) {
                    Some(v) => Some(v),
                    None => return exec_err!("[ARITHMETIC_OVERFLOW] long overflow in make_dt_interval"),
                },
                (None, _) => None,
                (_, None) => return exec_err!("[ARITHMETIC_OVERFLOW] long overflow in make_dt_interval"),
            };
        }
        out.push(micros);
    }
    Ok(Arc::new(DurationMicrosecondArray::from(out)))
}
