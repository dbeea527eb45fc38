//! Whole numbers rounded to tens, hundreds, ... under ANSI rules: `round(-128Y, -1)` is -130,
//! which a TINYINT cannot hold, so Spark fails with ARITHMETIC_OVERFLOW where without ANSI rules it
//! wraps. The HiveQL front end wraps such calls (a negative constant number of places, ANSI
//! rules) as `hivewire_checked_round(round(x, d), x, d, 'HALF_UP'|'HALF_EVEN')`: the answer is the
//! rounding's, once the exact rounded value is known to fit the type.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::common::{exec_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, Volatility};

use super::{row_of, SparkFunction};

/// The function's name, which the front end writes.
pub const CHECKED_ROUND: &str = "hivewire_checked_round";

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![SparkFunction::udf(CHECKED_ROUND, Signature::any(4, Volatility::Immutable), |t| Ok(t[0].clone()), checked)]
}

/// The range of a whole-number type.
fn range(t: &DataType) -> Option<(i128, i128)> {
    Some(match t {
        DataType::Int8 => (i128::from(i8::MIN), i128::from(i8::MAX)),
        DataType::Int16 => (i128::from(i16::MIN), i128::from(i16::MAX)),
        DataType::Int32 => (i128::from(i32::MIN), i128::from(i32::MAX)),
        DataType::Int64 => (i128::from(i64::MIN), i128::from(i64::MAX)),
        _ => return None,
    })
}

/// `v` rounded to a multiple of `unit`, ties away from zero or to even.
fn rounded(v: i128, unit: i128, half_even: bool) -> i128 {
    let (q, r) = (v / unit, v % unit);
    let twice = r.abs() * 2;
    let away = twice > unit || (twice == unit && (!half_even || q % 2 != 0));
    (if away { q + v.signum() } else { q }) * unit
}

fn checked(args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    let (answer, x) = (&args[0], &args[1]);
    let Some((low, high)) = range(x.data_type()) else { return Ok(Arc::clone(answer)) };
    let values = cast(x, &DataType::Int64)?;
    let values = values.as_primitive::<Int64Type>();
    let places = cast(&args[2], &DataType::Int64)?;
    let places = places.as_primitive::<Int64Type>();
    let mode = cast(&args[3], &DataType::Utf8)?;
    let half_even = mode.as_string::<i32>().iter().next().flatten() == Some("HALF_EVEN");
    for row in 0..rows {
        let (i, p) = (row_of(values, row), row_of(places, row));
        if values.is_null(i) || places.is_null(p) || places.value(p) >= 0 {
            continue;
        }
        let Some(unit) = u32::try_from(-places.value(p)).ok().and_then(|e| 10i128.checked_pow(e)) else { continue };
        let exact = rounded(i128::from(values.value(i)), unit, half_even);
        if exact < low || exact > high {
            return exec_err!("[ARITHMETIC_OVERFLOW] Overflow in rounding {} to {} places. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error", values.value(i), places.value(p));
        }
    }
    Ok(Arc::clone(answer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_whole_numbers_both_ways() {
        assert_eq!(rounded(-128, 10, false), -130);
        assert_eq!(rounded(125, 10, true), 120);
        assert_eq!(rounded(135, 10, true), 140);
        assert_eq!(rounded(125, 10, false), 130);
    }
}
