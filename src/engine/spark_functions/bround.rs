//! `bround(x [, d])`: rounds to `d` decimal places (0 by default) with HALF_EVEN ("banker's")
//! rounding, as Spark does: `bround(2.5)` is 2, `bround(25, -1)` is 20. Integers keep their type;
//! a decimal keeps its scale (Spark's becomes `min(scale, d)`) with one more digit of precision;
//! floating-point values are rounded as the shortest decimal that prints them, as Spark rounds
//! `BigDecimal(double)`.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Decimal128Array, PrimitiveArray};
use datafusion::arrow::datatypes::{
    ArrowPrimitiveType, DataType, Decimal128Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type,
};
use datafusion::common::{exec_err, plan_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, TypeSignature, Volatility};

use super::SparkFunction;

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    let signature = Signature::one_of(vec![TypeSignature::Any(1), TypeSignature::Any(2)], Volatility::Immutable);
    vec![SparkFunction::udf("bround", signature, result_type, bround)]
}

fn result_type(args: &[DataType]) -> Result<DataType> {
    match args.first() {
        Some(DataType::Decimal128(p, s)) => {
            // The scale is only known from a constant, which the body checks; the type keeps the
            // input's precision and scale, wide enough for a carry into a new digit.
            Ok(DataType::Decimal128((*p + 1).min(38), *s))
        }
        Some(t @ (DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 | DataType::Float32 | DataType::Float64)) => {
            Ok(t.clone())
        }
        Some(DataType::Null) => Ok(DataType::Float64),
        Some(DataType::UInt8 | DataType::UInt16 | DataType::UInt32) => Ok(DataType::Int64),
        Some(DataType::Decimal32(..) | DataType::Decimal64(..) | DataType::Decimal256(..)) => plan_err!("bround: decimal of this width is not supported"),
        Some(other) => plan_err!("bround expects a number, not {other}"),
        None => plan_err!("bround expects one or two arguments"),
    }
}

/// The number of decimal places, which must be the same for every row.
fn places(args: &[ArrayRef]) -> Result<Option<i32>> {
    let Some(d) = args.get(1) else { return Ok(Some(0)) };
    let d = datafusion::arrow::compute::cast(d, &DataType::Int32)?;
    let d = d.as_primitive::<Int32Type>();
    if d.null_count() == d.len() {
        return Ok(None);
    }
    let first = d.value(0);
    if d.iter().any(|v| v.is_some_and(|v| v != first)) {
        return exec_err!("bround: the number of decimal places must be a constant");
    }
    Ok(Some(first))
}

fn bround(args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    let x = &args[0];
    let Some(d) = places(args)? else {
        return Ok(datafusion::arrow::array::new_null_array(&result_type(&[x.data_type().clone()])?, rows.max(x.len())));
    };
    Ok(match x.data_type() {
        DataType::Int8 => integers::<Int8Type>(x, d)?,
        DataType::Int16 => integers::<Int16Type>(x, d)?,
        DataType::Int32 => integers::<Int32Type>(x, d)?,
        DataType::Int64 => integers::<Int64Type>(x, d)?,
        DataType::UInt8 | DataType::UInt16 | DataType::UInt32 => {
            integers::<Int64Type>(&datafusion::arrow::compute::cast(x, &DataType::Int64)?, d)?
        }
        DataType::Float32 => {
            let a = x.as_primitive::<Float32Type>();
            Arc::new(a.unary::<_, Float32Type>(|v| round_float(f64::from(v), d) as f32))
        }
        DataType::Float64 => Arc::new(x.as_primitive::<Float64Type>().unary::<_, Float64Type>(|v| round_float(v, d))),
        DataType::Null => Arc::new(PrimitiveArray::<Float64Type>::new_null(x.len())),
        DataType::Decimal128(p, s) => decimals(x.as_primitive::<Decimal128Type>(), *p, *s, d)?,
        other => return exec_err!("bround expects a number, not {other}"),
    })
}

/// `v` wrapped into a signed whole number of `bytes` bytes.
fn wrapped(v: i128, bytes: usize) -> i128 {
    let shift = 128 - 8 * bytes as u32;
    (v << shift) >> shift
}

/// HALF_EVEN division of `v` by `unit` (a power of ten), times `unit`.
fn round_half_even_i128(v: i128, unit: i128) -> Option<i128> {
    let q = v / unit;
    let r = v % unit;
    let twice = r.abs().checked_mul(2)?;
    let away = twice > unit || (twice == unit && q % 2 != 0);
    let q = if away { q + v.signum() } else { q };
    q.checked_mul(unit)
}

fn integers<T>(x: &ArrayRef, d: i32) -> Result<ArrayRef>
where
    T: ArrowPrimitiveType,
    T::Native: TryFrom<i128> + Into<i128>,
{
    let a = x.as_primitive::<T>();
    if d >= 0 {
        return Ok(Arc::new(a.clone()));
    }
    let unit = match 10i128.checked_pow(d.unsigned_abs()) {
        Some(u) if d > -39 => u,
        _ => return Ok(Arc::new(a.unary::<_, T>(|_| T::default_value()))),
    };
    let rounded: Result<PrimitiveArray<T>> = a
        .iter()
        .map(|v| match v {
            None => Ok(None),
            // A result past the type wraps, as Java's narrowing does (without ANSI rules; under
            // them the front end checks first, engine/spark_functions/checked_round.rs).
            Some(v) => round_half_even_i128(v.into(), unit)
                .and_then(|r| T::Native::try_from(wrapped(r, std::mem::size_of::<T::Native>())).ok())
                .map(Some)
                .ok_or_else(|| datafusion::error::DataFusionError::Execution("[ARITHMETIC_OVERFLOW] bround overflowed its type".into())),
        })
        .collect();
    Ok(Arc::new(rounded?))
}

fn decimals(a: &PrimitiveArray<Decimal128Type>, p: u8, s: i8, d: i32) -> Result<ArrayRef> {
    let out_precision = (p + 1).min(38);
    let drop = i32::from(s) - d;
    let rounded: Decimal128Array = if drop <= 0 {
        a.clone()
    } else {
        let unit = 10i128.checked_pow(drop.unsigned_abs()).unwrap_or(i128::MAX);
        a.unary(|v| round_half_even_i128(v, unit).unwrap_or(0))
    };
    Ok(Arc::new(rounded.with_precision_and_scale(out_precision, s)?))
}

/// Rounds a double as its shortest decimal text, HALF_EVEN, to `d` places.
fn round_float(v: f64, d: i32) -> f64 {
    if !v.is_finite() {
        return v;
    }
    // Digits and exponent of the shortest representation: v = 0.DIGITS * 10^point.
    let text = format!("{:e}", v.abs());
    let Some((mantissa, exp)) = text.split_once('e') else { return v };
    let Ok(exp) = exp.parse::<i32>() else { return v };
    let digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).map(|b| b - b'0').collect();
    let point = exp + 1;
    // Keep the digits before position point + d.
    let keep = point + d;
    if keep < 0 {
        return 0.0_f64.copysign(v);
    }
    let keep = keep as usize;
    if keep >= digits.len() {
        return v;
    }
    let mut kept: Vec<u8> = digits[..keep].to_vec();
    let rest = &digits[keep..];
    let first = rest[0];
    let tail_nonzero = rest[1..].iter().any(|&x| x != 0);
    let last_odd = kept.last().is_some_and(|x| x % 2 == 1);
    let up = first > 5 || (first == 5 && (tail_nonzero || last_odd));
    if up {
        // Add one at the last kept position, carrying.
        let mut i = kept.len();
        loop {
            if i == 0 {
                kept.insert(0, 1);
                return rebuild(&kept, point + 1, v);
            }
            i -= 1;
            if kept[i] == 9 {
                kept[i] = 0;
            } else {
                kept[i] += 1;
                break;
            }
        }
    }
    if kept.is_empty() {
        return 0.0_f64.copysign(v);
    }
    rebuild(&kept, point, v)
}

/// The double of sign(v) * 0.DIGITS * 10^point.
fn rebuild(digits: &[u8], point: i32, v: f64) -> f64 {
    let text: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
    let exp = point - digits.len() as i32;
    let parsed: f64 = format!("{text}e{exp}").parse().unwrap_or(f64::NAN);
    parsed.copysign(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_round_half_to_even() {
        assert_eq!(round_float(2.5, 0), 2.0);
        assert_eq!(round_float(3.5, 0), 4.0);
        assert_eq!(round_float(-2.5, 0), -2.0);
        assert_eq!(round_float(1.005, 2), 1.0);
        assert_eq!(round_float(0.125, 2), 0.12);
        assert_eq!(round_float(9.99, 1), 10.0);
        assert_eq!(round_float(1234.5, -2), 1200.0);
        assert_eq!(round_float(0.001, 1), 0.0);
    }

    #[test]
    fn integers_round_half_to_even() {
        assert_eq!(round_half_even_i128(25, 10), Some(20));
        assert_eq!(round_half_even_i128(35, 10), Some(40));
        assert_eq!(round_half_even_i128(-25, 10), Some(-20));
        assert_eq!(round_half_even_i128(525, 100), Some(500));
        assert_eq!(round_half_even_i128(550, 100), Some(600));
    }
}
