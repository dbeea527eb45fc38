//! Casts between timestamps and numbers, which Spark counts in seconds since the epoch:
//! `CAST(TIMESTAMP '2020-01-01 00:00:00.5' AS DOUBLE)` is 1.5778368005E9, as BIGINT it is the
//! whole seconds (rounded down), and `CAST(1577836800 AS TIMESTAMP)` is 2020-01-01 00:00:00 UTC.
//! A timestamp is a wall-clock time in the session's zone, so the seconds are those of its instant
//! there. Arrow counts in the timestamp's own unit, so these casts are made here. What a value the
//! target cannot hold becomes depends on the cast: an error (ANSI CAST), NULL (TRY_CAST) or, for
//! whole numbers without ANSI rules, the value wrapped as Java wraps it.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Decimal128Array, Float64Array, Int64Array, TimestampMicrosecondArray};
use datafusion::arrow::compute::{cast, cast_with_options, CastOptions};
use datafusion::arrow::datatypes::{DataType, Decimal128Type, Float64Type, Int64Type, TimeUnit};
use datafusion::common::{exec_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, Volatility};

use super::SparkFunction;
use crate::engine::spark_casts::Overflow;
use crate::hiveql::time_zones::Zone;

/// The function the cast rewrite calls: `hivewire_seconds_cast(x, CAST(NULL AS t), 'error', zone)`.
pub(crate) const SECONDS_CAST: &str = "hivewire_seconds_cast";

const MICROS: i64 = 1_000_000;

/// The word the cast rewrite passes for an overflow behaviour.
pub(crate) fn word(overflow: Overflow) -> &'static str {
    match overflow {
        Overflow::Error => "error",
        Overflow::Null => "null",
        Overflow::Wrap => "wrap",
    }
}

fn from_word(text: &str) -> Option<Overflow> {
    [Overflow::Error, Overflow::Null, Overflow::Wrap].into_iter().find(|o| word(*o) == text)
}

/// Whether a cast from `from` to `to` counts seconds: a timestamp to a number, or a number to a
/// timestamp.
pub(crate) fn counts_seconds(from: &DataType, to: &DataType) -> bool {
    let numeric = |t: &DataType| t.is_integer() || t.is_floating() || matches!(t, DataType::Decimal128(..));
    match (from, to) {
        (DataType::Timestamp(..), t) => numeric(t),
        (f, DataType::Timestamp(..)) => numeric(f),
        _ => false,
    }
}

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![udf()]
}

/// The cast function, for the rewrite to call.
pub(crate) fn udf() -> Arc<ScalarUDF> {
    SparkFunction::udf(SECONDS_CAST, Signature::any(4, Volatility::Immutable), |t| Ok(t[1].clone()), seconds_cast)
}

fn seconds_cast(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let text = |a: &ArrayRef| -> Result<Option<String>> {
        let a = cast(a, &DataType::Utf8)?;
        let a = a.as_string::<i32>();
        Ok((!a.is_empty() && a.is_valid(0)).then(|| a.value(0).to_string()))
    };
    let Some(overflow) = text(&args[2])?.as_deref().and_then(from_word) else {
        return exec_err!("{SECONDS_CAST} takes 'error', 'null' or 'wrap'");
    };
    convert(&args[0], args[1].data_type(), overflow, super::zone_argument(args.get(3))?)
}

/// `value` cast to `target`, counting seconds of instants in `zone`.
pub(crate) fn convert(value: &ArrayRef, target: &DataType, overflow: Overflow, zone: Zone) -> Result<ArrayRef> {
    let utc = zone.is_utc();
    match value.data_type() {
        DataType::Timestamp(_, tz) => {
            let micros = cast(value, &DataType::Timestamp(TimeUnit::Microsecond, tz.clone()))?;
            let micros = cast(&micros, &DataType::Int64)?;
            let micros = micros.as_primitive::<Int64Type>();
            let instants: Int64Array = if utc || tz.is_some() { micros.clone() } else { micros.unary(|m| zone.instant_micros(m)) };
            from_micros(&instants, target, overflow)
        }
        _ => {
            let micros = to_micros(value, overflow)?;
            let instant_target = matches!(target, DataType::Timestamp(_, Some(_)));
            let wall = if utc || instant_target { micros } else { micros.unary(|m| zone.wall_micros(m)) };
            Ok(cast(&(Arc::new(wall) as ArrayRef), target)?)
        }
    }
}

/// Microseconds since the epoch as `target`: seconds for a number.
fn from_micros(micros: &Int64Array, target: &DataType, overflow: Overflow) -> Result<ArrayRef> {
    let options = CastOptions { safe: overflow != Overflow::Error, ..Default::default() };
    let out: ArrayRef = match target {
        t if t.is_floating() => {
            let seconds: Float64Array = micros.unary(|m| m as f64 / MICROS as f64);
            return Ok(cast(&(Arc::new(seconds) as ArrayRef), t)?);
        }
        DataType::Decimal128(..) => {
            let exact: Decimal128Array = micros.unary::<_, Decimal128Type>(i128::from);
            let exact = exact.with_precision_and_scale(38, 6)?;
            return Ok(cast_with_options(&(Arc::new(exact) as ArrayRef), target, &options)?);
        }
        t => {
            let seconds: Int64Array = micros.unary(|m| m.div_euclid(MICROS));
            narrowed(&seconds, t, overflow)?
        }
    };
    Ok(out)
}

/// Whole seconds as the integer type `target`.
fn narrowed(seconds: &Int64Array, target: &DataType, overflow: Overflow) -> Result<ArrayRef> {
    let (low, high) = match target {
        DataType::Int8 => (i64::from(i8::MIN), i64::from(i8::MAX)),
        DataType::Int16 => (i64::from(i16::MIN), i64::from(i16::MAX)),
        DataType::Int32 => (i64::from(i32::MIN), i64::from(i32::MAX)),
        _ => (i64::MIN, i64::MAX),
    };
    let fitted: Int64Array = match overflow {
        Overflow::Error => {
            if let Some(v) = seconds.iter().flatten().find(|v| *v < low || *v > high) {
                return exec_err!(
                    "[CAST_OVERFLOW] The value {v} of the type \"TIMESTAMP\" cannot be cast to \"{}\" due to an overflow. \
                     Use `try_cast` to tolerate overflow and return NULL instead.",
                    hivewire_catalog::types::arrow_to_hive(target).unwrap_or_default().to_uppercase()
                );
            }
            seconds.clone()
        }
        Overflow::Null => seconds.iter().map(|v| v.filter(|v| (low..=high).contains(v))).collect(),
        Overflow::Wrap => seconds.unary(|v| match target {
            DataType::Int8 => i64::from(v as i8),
            DataType::Int16 => i64::from(v as i16),
            DataType::Int32 => i64::from(v as i32),
            _ => v,
        }),
    };
    Ok(cast(&(Arc::new(fitted) as ArrayRef), target)?)
}

/// A number of seconds as microseconds since the epoch. A fraction below a microsecond is cut
/// off; NaN, an infinity or a count past the timestamp range is an error or NULL.
fn to_micros(value: &ArrayRef, overflow: Overflow) -> Result<TimestampMicrosecondArray> {
    let out_of_range = |shown: String| -> Result<Option<i64>> {
        if overflow == Overflow::Error {
            return exec_err!("[CAST_OVERFLOW] The value {shown} cannot be cast to \"TIMESTAMP\" due to an overflow.");
        }
        Ok(None)
    };
    let micros: Vec<Option<i64>> = match value.data_type() {
        t if t.is_integer() => {
            let v = cast(value, &DataType::Int64)?;
            v.as_primitive::<Int64Type>()
                .iter()
                .map(|s| match s {
                    Some(s) => s.checked_mul(MICROS).map_or_else(|| out_of_range(s.to_string()), |m| Ok(Some(m))),
                    None => Ok(None),
                })
                .collect::<Result<_>>()?
        }
        DataType::Decimal128(_, scale) => {
            let divisor = 10i128.pow(u32::try_from(*scale).unwrap_or(0));
            value
                .as_primitive::<Decimal128Type>()
                .iter()
                .map(|d| match d {
                    Some(d) => match d.checked_mul(i128::from(MICROS)).map(|m| m / divisor).and_then(|m| i64::try_from(m).ok()) {
                        Some(m) => Ok(Some(m)),
                        None => out_of_range(d.to_string()),
                    },
                    None => Ok(None),
                })
                .collect::<Result<_>>()?
        }
        _ => {
            let v = cast(value, &DataType::Float64)?;
            v.as_primitive::<Float64Type>()
                .iter()
                .map(|s| match s {
                    Some(s) if s.is_finite() => {
                        let m = (s * MICROS as f64).trunc();
                        if m >= i64::MIN as f64 && m < i64::MAX as f64 { Ok(Some(m as i64)) } else { out_of_range(s.to_string()) }
                    }
                    Some(s) => out_of_range(s.to_string()),
                    None => Ok(None),
                })
                .collect::<Result<_>>()?
        }
    };
    Ok(TimestampMicrosecondArray::from(micros))
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{Float64Array as F, Int32Array};

    fn ts(micros: Vec<Option<i64>>) -> ArrayRef {
        Arc::new(TimestampMicrosecondArray::from(micros))
    }

    #[test]
    fn timestamps_become_seconds() {
        let t = ts(vec![Some(1_577_836_800_500_000), Some(-1), None]);
        let d = convert(&t, &DataType::Float64, Overflow::Error, Zone::utc()).unwrap();
        assert_eq!(d.as_primitive::<Float64Type>().value(0), 1_577_836_800.5);
        let l = convert(&t, &DataType::Int64, Overflow::Error, Zone::utc()).unwrap();
        let l = l.as_primitive::<Int64Type>();
        assert_eq!((l.value(0), l.value(1), l.is_null(2)), (1_577_836_800, -1, true));
    }

    #[test]
    fn narrow_targets_fail_wrap_or_null_by_the_cast() {
        let t = ts(vec![Some(3_000_000_000 * MICROS)]);
        assert!(convert(&t, &DataType::Int32, Overflow::Error, Zone::utc()).is_err());
        assert!(convert(&t, &DataType::Int32, Overflow::Null, Zone::utc()).unwrap().is_null(0));
        let wrapped = convert(&t, &DataType::Int32, Overflow::Wrap, Zone::utc()).unwrap();
        assert_eq!(wrapped.as_primitive::<datafusion::arrow::datatypes::Int32Type>().value(0), 3_000_000_000i64 as i32);
    }

    #[test]
    fn wall_clock_times_are_instants_in_the_zone() {
        let la = Zone::parse("America/Los_Angeles").unwrap();
        let t = ts(vec![Some(0)]);
        let s = convert(&t, &DataType::Int64, Overflow::Error, la).unwrap();
        assert_eq!(s.as_primitive::<Int64Type>().value(0), 8 * 3600);
        let n: ArrayRef = Arc::new(Int64Array::from(vec![0]));
        let back = convert(&n, &DataType::Timestamp(TimeUnit::Microsecond, None), Overflow::Error, la).unwrap();
        assert_eq!(back.as_primitive::<datafusion::arrow::datatypes::TimestampMicrosecondType>().value(0), -8 * 3600 * MICROS);
    }

    #[test]
    fn numbers_become_timestamps_in_seconds() {
        let target = DataType::Timestamp(TimeUnit::Microsecond, None);
        let n: ArrayRef = Arc::new(Int32Array::from(vec![1_577_836_800]));
        let t = convert(&n, &target, Overflow::Error, Zone::utc()).unwrap();
        assert_eq!(t.as_primitive::<datafusion::arrow::datatypes::TimestampMicrosecondType>().value(0), 1_577_836_800 * MICROS);
        let f: ArrayRef = Arc::new(F::from(vec![1.5, f64::NAN]));
        assert!(convert(&f, &target, Overflow::Error, Zone::utc()).is_err());
        let t = convert(&f, &target, Overflow::Null, Zone::utc()).unwrap();
        assert_eq!((t.as_primitive::<datafusion::arrow::datatypes::TimestampMicrosecondType>().value(0), t.is_null(1)), (1_500_000, true));
    }
}
