//! Casts to whole numbers without ANSI rules (`spark.sql.ansi.enabled=false`), as Spark makes
//! them: text is read as a decimal number and truncated (`'1.23'` is 1, `'-4.56'` is -4), text that
//! is not a number or does not fit is NULL, and a wider whole number wraps into a narrower type
//! (`2147483648L` as INT is -2147483648), as Java's casts do. (A timestamp's seconds are counted by
//! the cast rule in `engine::spark_casts`, which takes such calls over.) Every other cast is DataFusion's
//! TRY_CAST. The HiveQL front end writes such a cast as `hivewire_legacy_cast(x, CAST(NULL AS t))`:
//! the typed NULL carries the target type.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int64Array};
use datafusion::arrow::compute::{cast, cast_with_options, CastOptions};
use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::common::Result;
use datafusion::logical_expr::{ScalarUDF, Signature, Volatility};

use super::SparkFunction;
use crate::hiveql::spark_types::LEGACY_CAST;


pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![SparkFunction::udf(LEGACY_CAST, Signature::any(2, Volatility::Immutable), |t| Ok(t[1].clone()), legacy_cast)]
}

/// A whole number read from text: its integer part, when it has one that fits 64 bits.
fn whole(text: &str) -> Option<i64> {
    let t = text.trim();
    if let Ok(v) = t.parse::<i64>() {
        return Some(v);
    }
    let (int_part, frac) = t.split_once('.')?;
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match int_part {
        "" | "+" => Some(0),
        "-" => Some(0),
        i => i.parse::<i64>().ok(),
    }
}

/// The value wrapped into the target's width, as a Java narrowing cast does.
fn wrapped(v: i64, target: &DataType) -> i64 {
    match target {
        DataType::Int8 => i64::from(v as i8),
        DataType::Int16 => i64::from(v as i16),
        DataType::Int32 => i64::from(v as i32),
        _ => v,
    }
}

fn legacy_cast(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let (value, target) = (&args[0], args[1].data_type());
    let safe = CastOptions { safe: true, ..Default::default() };
    if !target.is_integer() {
        return Ok(cast_with_options(value, target, &safe)?);
    }
    let wide: Int64Array = match value.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            let text = cast(value, &DataType::Utf8)?;
            // Text that does not fit the target is NULL rather than wrapped.
            let fits = |v: &i64| wrapped(*v, target) == *v;
            text.as_string::<i32>().iter().map(|t| t.and_then(whole).filter(fits)).collect()
        }
        t if t.is_integer() => {
            let v = cast(value, &DataType::Int64)?;
            v.as_primitive::<Int64Type>().iter().map(|v| v.map(|v| wrapped(v, target))).collect()
        }
        _ => return Ok(cast_with_options(value, target, &safe)?),
    };
    Ok(cast_with_options(&(Arc::new(wide) as ArrayRef), target, &safe)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_truncates_and_wide_numbers_wrap() {
        assert_eq!(whole(" 1.23 "), Some(1));
        assert_eq!(whole("-4.56"), Some(-4));
        assert_eq!(whole("1e3"), None);
        assert_eq!(wrapped(2_147_483_648, &DataType::Int32), -2_147_483_648);
    }
}
