//! What `uniform` and `randstr` make of Spark's generator, and the types they answer in.
//!
//! `uniform(min, max, seed)` is Spark's `min + (max - min) * rand(seed)` computed in doubles and
//! cast to the bounds' type: whole-number bounds give the wider of their types, a DOUBLE or FLOAT
//! bound gives that type, and DECIMAL bounds their wider DECIMAL. `randstr(length, seed)` picks
//! each character from the generator's next int, as Spark does: 0-9, a-z and A-Z. Both take
//! constant arguments only.

use std::sync::Arc;

use datafusion::arrow::array::{new_null_array, ArrayRef, Float64Array, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{exec_err, plan_err, Result, ScalarValue};
use datafusion::logical_expr::Expr;

use super::random::XorShift;

/// What one generator draws for each row.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Draw {
    Double,
    Gaussian,
    /// `uniform`: NULL bounds give NULL rows.
    Between { low: Option<f64>, high: Option<f64>, returns: DataType },
    Text { length: usize },
}

impl Draw {
    pub(super) fn returns(&self) -> DataType {
        match self {
            Draw::Double | Draw::Gaussian => DataType::Float64,
            Draw::Between { returns, .. } => returns.clone(),
            Draw::Text { .. } => DataType::Utf8,
        }
    }

    /// The next `rows` values.
    pub(super) fn column(&self, generator: &mut XorShift, rows: usize) -> Result<ArrayRef> {
        Ok(match self {
            Draw::Double => Arc::new((0..rows).map(|_| Some(generator.next_double())).collect::<Float64Array>()),
            Draw::Gaussian => Arc::new((0..rows).map(|_| Some(generator.next_gaussian())).collect::<Float64Array>()),
            Draw::Between { low: Some(low), high: Some(high), returns } => {
                let doubles: Float64Array = (0..rows).map(|_| Some(low + (high - low) * generator.next_double())).collect();
                cast(&doubles, returns)?
            }
            Draw::Between { returns, .. } => new_null_array(returns, rows),
            Draw::Text { length } => Arc::new((0..rows).map(|_| Some(text(generator, *length))).collect::<StringArray>()),
        })
    }
}

/// One `randstr` value.
fn text(generator: &mut XorShift, length: usize) -> String {
    (0..length)
        .map(|_| {
            // Java's remainder keeps the dividend's sign; its absolute value is the pick.
            let pick = (generator.next_int() % 62).unsigned_abs() as u8;
            match pick {
                0..=9 => char::from(b'0' + pick),
                10..=35 => char::from(b'a' + pick - 10),
                _ => char::from(b'A' + pick - 36),
            }
        })
        .collect()
}

/// A constant argument's value.
fn constant<'a>(name: &str, what: &str, arg: &'a Expr) -> Result<&'a ScalarValue> {
    match arg {
        Expr::Literal(v, _) => Ok(v),
        _ => plan_err!("[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] {name}'s {what} must be a constant"),
    }
}

/// `uniform`'s draw from its bounds.
pub(super) fn between(name: &str, min: &Expr, max: &Expr) -> Result<Draw> {
    let (min, max) = (constant(name, "min", min)?, constant(name, "max", max)?);
    let returns = between_type(name, &min.data_type(), &max.data_type())?;
    let double = |v: &ScalarValue| -> Result<Option<f64>> {
        match v.cast_to(&DataType::Float64)? {
            ScalarValue::Float64(d) => Ok(d),
            _ => Ok(None),
        }
    };
    Ok(Draw::Between { low: double(min)?, high: double(max)?, returns })
}

/// `uniform`'s type from its bounds' types.
pub(super) fn between_type(name: &str, min: &DataType, max: &DataType) -> Result<DataType> {
    use DataType::*;
    for t in [min, max] {
        if !matches!(t, Null | Int8 | Int16 | Int32 | Int64 | Float32 | Float64 | Decimal128(_, _)) {
            return plan_err!("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] {name}'s bounds must be numbers, not {t}");
        }
    }
    let whole = |t: &DataType| match t {
        Int8 => Some(1),
        Int16 => Some(2),
        Int32 => Some(3),
        Int64 => Some(4),
        _ => None,
    };
    Ok(match (min, max) {
        // An untyped NULL bound makes the answer a DOUBLE NULL.
        (Null, _) | (_, Null) => Float64,
        (a, b) if whole(a).is_some() && whole(b).is_some() => if whole(a) >= whole(b) { a.clone() } else { b.clone() },
        (Float64, _) | (_, Float64) => Float64,
        (Float32, _) | (_, Float32) => Float32,
        (Decimal128(p1, s1), Decimal128(p2, s2)) => {
            let scale = (*s1).max(*s2);
            let digits = (i16::from(*p1) - i16::from(*s1)).max(i16::from(*p2) - i16::from(*s2));
            let precision = (digits + i16::from(scale)).min(38) as u8;
            Decimal128(precision, scale)
        }
        (d @ Decimal128(_, _), _) | (_, d @ Decimal128(_, _)) => d.clone(),
        _ => Float64,
    })
}

/// `randstr`'s draw from its length: a constant number, NULL reading as 0.
pub(super) fn text_draw(name: &str, length: &Expr) -> Result<Draw> {
    let value = constant(name, "length", length)?;
    if !value.data_type().is_numeric() && !value.is_null() {
        return plan_err!("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] {name}'s length must be a number, not {}", value.data_type());
    }
    let length = match value.cast_to(&DataType::Int64)? {
        ScalarValue::Int64(Some(n)) => n,
        _ => 0,
    };
    match usize::try_from(length) {
        Ok(length) => Ok(Draw::Text { length }),
        Err(_) => exec_err!("[INVALID_PARAMETER_VALUE.LENGTH] The value of parameter(s) `length` in `{name}` is invalid: length must be greater than or equal to 0, but got {length}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(v: ScalarValue) -> Expr {
        Expr::Literal(v, None)
    }

    #[test]
    fn draws_sparks_strings() {
        let mut generator = XorShift::new(0);
        assert_eq!(text(&mut generator, 10), "ceV0PXaR2I");
        assert_eq!(text(&mut generator, 10), "lBhHi56d0u");
        assert_eq!(text(&mut XorShift::new(-1), 1), "S");
    }

    #[test]
    fn draws_between_the_bounds_in_their_type() {
        let draw = between("uniform", &lit(ScalarValue::Int32(Some(10))), &lit(ScalarValue::Int32(Some(20)))).unwrap();
        let column = draw.column(&mut XorShift::new(0), 3).unwrap();
        let values: Vec<_> = column.as_any().downcast_ref::<datafusion::arrow::array::Int32Array>().unwrap().values().to_vec();
        // Spark's rows of one partition: 10 + 10 * rand(0), truncated.
        assert_eq!(values, vec![17, 15, 10]);
    }

    #[test]
    fn types_follow_spark() {
        use DataType::*;
        assert_eq!(between_type("u", &Int32, &Int64).unwrap(), Int64);
        assert_eq!(between_type("u", &Int8, &Int8).unwrap(), Int8);
        assert_eq!(between_type("u", &Int32, &Float32).unwrap(), Float32);
        assert_eq!(between_type("u", &Decimal128(5, 1), &Decimal128(10, 3)).unwrap(), Decimal128(10, 3));
        assert_eq!(between_type("u", &Decimal128(5, 1), &Int64).unwrap(), Decimal128(5, 1));
        assert_eq!(between_type("u", &Null, &Null).unwrap(), Float64);
        assert_eq!(between_type("u", &Null, &Int32).unwrap(), Float64);
        assert!(between_type("u", &Utf8, &Int32).is_err());
    }

    #[test]
    fn lengths_are_constant_numbers() {
        assert_eq!(text_draw("randstr", &lit(ScalarValue::Float64(Some(1.0)))).unwrap(), Draw::Text { length: 1 });
        assert_eq!(text_draw("randstr", &lit(ScalarValue::Null)).unwrap(), Draw::Text { length: 0 });
        assert!(text_draw("randstr", &lit(ScalarValue::Int32(Some(-1)))).is_err());
        assert!(text_draw("randstr", &datafusion::logical_expr::col("x")).is_err());
    }
}
