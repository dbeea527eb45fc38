//! `ceil(x, d)` and `floor(x, d)`: `x` rounded up or down to `d` decimal places (to tens,
//! hundreds... for a negative `d`), as Spark computes them: a DECIMAL of the type `round(x, d)`
//! gives, computed exactly. A whole number counts as the DECIMAL that holds it, a FLOAT as
//! DECIMAL(14,7) and a DOUBLE as DECIMAL(30,15), as Spark casts them. The HiveQL front end writes
//! the two-argument forms as `hivewire_ceil_floor(x, d, 'ceil'|'floor')`; `d` must be a constant
//! whole number.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray, Decimal128Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{exec_err, plan_err, Result, ScalarValue};
use datafusion::logical_expr::{ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

/// The function's name, as the front end writes it.
pub const CEIL_FLOOR: &str = "hivewire_ceil_floor";

#[derive(Debug, PartialEq, Eq, Hash)]
struct CeilFloor {
    signature: Signature,
}

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![Arc::new(ScalarUDF::from(CeilFloor { signature: Signature::any(3, Volatility::Immutable) }))]
}

/// The DECIMAL a number counts as: a whole number's as in DECIMAL arithmetic, a float's as Spark
/// casts it.
fn as_decimal(t: &DataType) -> Option<(u8, i8)> {
    let (p, s) = match t {
        DataType::Float32 => (14, 7),
        DataType::Float64 => (30, 15),
        DataType::Null => return None,
        other => super::decimal_arith::decimal_of(other)?,
    };
    Some((u8::try_from(p).ok()?, i8::try_from(s).ok()?))
}

/// The constant places argument.
fn places(value: Option<&ScalarValue>) -> Result<i64> {
    match value.map(|v| v.cast_to(&DataType::Int64)) {
        Some(Ok(ScalarValue::Int64(Some(d)))) => Ok(d),
        _ => plan_err!("[NON_FOLDABLE_ARGUMENT] ceil and floor take the places as a constant whole number"),
    }
}

/// An unscaled DECIMAL value at `scale` rounded up (`up`) or down to `places`, at `to` places.
fn round_unscaled(v: i128, scale: i8, places: i64, to: i8, up: bool) -> Option<i128> {
    let drop = i64::from(scale) - places;
    let q = if drop > 0 {
        let factor = 10i128.checked_pow(u32::try_from(drop).ok()?)?;
        let floor = v.div_euclid(factor);
        if up && v.rem_euclid(factor) != 0 { floor + 1 } else { floor }
    } else {
        v
    };
    // `q` counts units of 10^-min(scale, places); bring it to `to` places.
    let at = i64::from(scale).min(places);
    let shift = i64::from(to) - at;
    if shift >= 0 {
        q.checked_mul(10i128.checked_pow(u32::try_from(shift).ok()?)?)
    } else {
        Some(q / 10i128.checked_pow(u32::try_from(-shift).ok()?)?)
    }
}

impl ScalarUDFImpl for CeilFloor {
    fn name(&self) -> &str {
        CEIL_FLOOR
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        plan_err!("{CEIL_FLOOR} is typed from its arguments")
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let d = places(args.scalar_arguments.get(1).copied().flatten())?;
        let input = args.arg_fields.first().map(|f| f.data_type().clone()).unwrap_or(DataType::Null);
        let out = match as_decimal(&input) {
            Some((p, s)) => super::round_scale::rounded_type(p, s, d),
            None if input.is_null() => super::round_scale::rounded_type(30, 15, d),
            None => return plan_err!("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] ceil and floor take a number, not {input}"),
        };
        Ok(Arc::new(Field::new(CEIL_FLOOR, out, true)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)));
        let up = matches!(args.args.get(2), Some(ColumnarValue::Scalar(ScalarValue::Utf8(Some(m)))) if m == "ceil");
        let d = match args.args.get(1) {
            Some(ColumnarValue::Scalar(v)) => places(Some(v))?,
            _ => return exec_err!("[NON_FOLDABLE_ARGUMENT] ceil and floor take the places as a constant whole number"),
        };
        let input = args.args[0].to_array(args.number_rows)?;
        let DataType::Decimal128(p, to) = args.return_field.data_type() else {
            return exec_err!("{CEIL_FLOOR} gives a DECIMAL");
        };
        let (ip, is) = as_decimal(input.data_type()).unwrap_or((30, 15));
        let decimals = cast(&input, &DataType::Decimal128(ip, is))?;
        let decimals = decimals.as_primitive::<datafusion::arrow::datatypes::Decimal128Type>();
        let values: Decimal128Array = decimals.iter().map(|v| v.and_then(|v| round_unscaled(v, is, d, *to, up))).collect();
        let out: ArrayRef = Arc::new(values.with_precision_and_scale(*p, *to)?);
        super::columnar(out, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_exactly_up_and_down() {
        // 2.5 (scale 1) to 0 places.
        assert_eq!(round_unscaled(25, 1, 0, 0, true), Some(3));
        assert_eq!(round_unscaled(-25, 1, 0, 0, true), Some(-2));
        assert_eq!(round_unscaled(-25, 1, 0, 0, false), Some(-3));
        // -0.35 (scale 2) to 1 place: -0.3 up, -0.4 down.
        assert_eq!(round_unscaled(-35, 2, 1, 1, true), Some(-3));
        assert_eq!(round_unscaled(-35, 2, 1, 1, false), Some(-4));
        // -35 to tens: -30 up, -40 down; 3.14115 to thousands: 1000 up, 0 down.
        assert_eq!(round_unscaled(-35, 0, -1, 0, true), Some(-30));
        assert_eq!(round_unscaled(-35, 0, -1, 0, false), Some(-40));
        assert_eq!(round_unscaled(314115, 5, -3, 0, true), Some(1000));
        assert_eq!(round_unscaled(314115, 5, -3, 0, false), Some(0));
        // More places than the value has change nothing.
        assert_eq!(round_unscaled(25, 1, 3, 1, true), Some(25));
    }

    #[test]
    fn types_follow_round() {
        use super::super::round_scale::rounded_type;
        assert_eq!(rounded_type(2, 1, 0), DataType::Decimal128(2, 0));
        assert_eq!(rounded_type(2, 2, 1), DataType::Decimal128(2, 1));
        assert_eq!(rounded_type(10, 0, -1), DataType::Decimal128(11, 0));
        assert_eq!(rounded_type(6, 5, -3), DataType::Decimal128(4, 0));
    }
}
