//! `abs` and `signum` of an interval, as Spark takes them: `abs(INTERVAL '-10' YEAR)` is
//! `INTERVAL '10' YEAR` (an error for the smallest interval, which has no opposite), and `signum`
//! of an interval is -1.0, 0.0 or 1.0. Each wraps the session's numeric function, which answers
//! for every other type.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Float64Array, Int64Array, IntervalYearMonthArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Int64Type, IntervalUnit, IntervalYearMonthType};
use datafusion::common::{exec_err, Result};
use datafusion::logical_expr::ScalarUDF;

use crate::engine::spark_functions::wrapped::{wrap, Extension};

/// The names of the functions wrapped here.
pub(crate) const WRAPPED: [&str; 2] = ["abs", "signum"];

/// The numeric function `inner`, taught intervals; None for another function.
pub(crate) fn interval_aware(inner: Arc<ScalarUDF>) -> Option<ScalarUDF> {
    let absolute = match inner.name() {
        "abs" => true,
        "signum" => false,
        _ => return None,
    };
    Some(wrap(inner, IntervalSign { absolute }))
}

/// `abs` (absolute) or `signum` of an interval.
#[derive(Debug, PartialEq, Eq, Hash)]
struct IntervalSign {
    absolute: bool,
}

impl Extension for IntervalSign {
    fn claims(&self, types: &[DataType]) -> bool {
        matches!(types, [t] if super::is_interval(t) && !matches!(t, DataType::Interval(IntervalUnit::MonthDayNano)))
    }

    fn coerce(&self, types: &[DataType]) -> Vec<DataType> {
        types.to_vec()
    }

    fn returns(&self, types: &[DataType]) -> Result<DataType> {
        Ok(if self.absolute { types[0].clone() } else { DataType::Float64 })
    }

    fn run(&self, args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
        if self.absolute {
            absolute(&args[0])
        } else {
            sign(&args[0])
        }
    }
}

/// The amounts of an interval column (months or the duration's units) as numbers.
fn amounts(a: &ArrayRef) -> Result<Vec<Option<i64>>> {
    Ok(match a.data_type() {
        DataType::Interval(IntervalUnit::YearMonth) => a.as_primitive::<IntervalYearMonthType>().iter().map(|v| v.map(i64::from)).collect(),
        _ => cast(a, &DataType::Int64)?.as_primitive::<Int64Type>().iter().collect(),
    })
}

fn absolute(a: &ArrayRef) -> Result<ArrayRef> {
    let mut out = Vec::with_capacity(a.len());
    for v in amounts(a)? {
        out.push(match v {
            Some(v) => match v.checked_abs() {
                Some(v) => Some(v),
                None => return exec_err!("[ARITHMETIC_OVERFLOW] the interval has no absolute value"),
            },
            None => None,
        });
    }
    Ok(match a.data_type() {
        DataType::Interval(IntervalUnit::YearMonth) => {
            let months: Result<Vec<Option<i32>>> = out
                .into_iter()
                .map(|v| v.map(|v| i32::try_from(v).or_else(|_| exec_err!("[ARITHMETIC_OVERFLOW] the interval has no absolute value"))).transpose())
                .collect();
            Arc::new(IntervalYearMonthArray::from(months?))
        }
        t => cast(&(Arc::new(Int64Array::from(out)) as ArrayRef), t)?,
    })
}

fn sign(a: &ArrayRef) -> Result<ArrayRef> {
    Ok(Arc::new(amounts(a)?.into_iter().map(|v| v.map(|v| v.signum() as f64)).collect::<Float64Array>()))
}
