//! The DECIMAL type of `round(x, d)` and `bround(x, d)` as Spark gives it: the scale becomes
//! `min(scale, d)` (0 for a negative `d`) and the precision keeps the whole digits plus one for a
//! carry, so `round(CAST(12.3456 AS DECIMAL(10,4)), 2)` is `12.35` as DECIMAL(9,2), not
//! `12.3500`. The rounding function is wrapped ([`super::adjusted`]) and its DECIMAL result cast
//! to that type; other types pass through.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::{ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF};

/// The functions wrapped.
pub(crate) const WRAPPED: [&str; 2] = ["round", "bround"];

/// The adjustment: Spark's DECIMAL result type.
#[derive(Debug, PartialEq, Eq, Hash)]
struct RoundScale;

/// `inner` with Spark's DECIMAL result type.
pub(crate) fn spark_scaled(inner: Arc<ScalarUDF>) -> ScalarUDF {
    super::adjusted::adjust(inner, RoundScale)
}

/// Spark's result type for rounding DECIMAL(p, s) to `d` places.
pub(super) fn rounded_type(precision: u8, scale: i8, places: i64) -> DataType {
    let whole = i64::from(precision) - i64::from(scale) + 1;
    if places < 0 {
        let p = whole.max(1 - places).min(38);
        return DataType::Decimal128(u8::try_from(p).unwrap_or(38), 0);
    }
    let s = i64::from(scale).min(places);
    DataType::Decimal128(u8::try_from((whole + s).min(38)).unwrap_or(38), i8::try_from(s).unwrap_or(0))
}

/// The places a call rounds to, when it is a constant (0 when not given).
fn places(args: &ReturnFieldArgs) -> Option<i64> {
    match args.scalar_arguments.get(1) {
        None => Some(0),
        Some(Some(v)) => match v.cast_to(&DataType::Int64).ok()? {
            ScalarValue::Int64(Some(d)) => Some(d),
            _ => None,
        },
        Some(None) => None,
    }
}

impl super::adjusted::Adjustment for RoundScale {
    fn return_field(&self, inner: &ScalarUDF, args: ReturnFieldArgs) -> Result<FieldRef> {
        if let (Some(DataType::Decimal128(p, s)), Some(d)) = (args.arg_fields.first().map(|f| f.data_type()), places(&args)) {
            return Ok(Arc::new(Field::new(inner.name(), rounded_type(*p, *s, d), true)));
        }
        inner.return_field_from_args(args)
    }

    fn invoke(&self, inner: &ScalarUDF, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let target = args.return_field.data_type().clone();
        let types: Vec<DataType> = args.arg_fields.iter().map(|f| f.data_type().clone()).collect();
        let inner_type = inner.return_type(&types)?;
        if inner_type == target {
            return inner.invoke_with_args(args);
        }
        let inner_args = ScalarFunctionArgs { return_field: Arc::new(Field::new(inner.name(), inner_type, true)), ..args };
        inner.invoke_with_args(inner_args)?.cast_to(&target, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_types_as_spark_rounds_them() {
        assert_eq!(rounded_type(10, 4, 2), DataType::Decimal128(9, 2));
        assert_eq!(rounded_type(2, 1, 0), DataType::Decimal128(2, 0));
        assert_eq!(rounded_type(5, 4, 2), DataType::Decimal128(4, 2));
        assert_eq!(rounded_type(5, 1, -2), DataType::Decimal128(5, 0));
        assert_eq!(rounded_type(3, 1, 5), DataType::Decimal128(4, 1));
    }
}
