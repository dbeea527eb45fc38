//! `format_number(x, d)`: a number with thousands separators and exactly `d` decimal places,
//! rounded half to even (`format_number(12332.123456, 4)` is `12,332.1235`), as Java's
//! `DecimalFormat` prints it for Spark. A negative `d` gives NULL. A DOUBLE is rounded from the
//! shortest decimal that prints it, as `DecimalFormat` does. A pattern in place of `d` is not
//! supported.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::common::{exec_err, plan_err, Result, ScalarValue};
use datafusion::logical_expr::{ScalarUDF, Signature, Volatility};

use super::{row_of, SparkFunction};

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![SparkFunction::udf("format_number", Signature::any(2, Volatility::Immutable), result_type, format_number)]
}

fn result_type(args: &[DataType]) -> Result<DataType> {
    match args {
        [x, d] if (x.is_numeric() || x.is_null()) && (d.is_integer() || d.is_null()) => Ok(DataType::Utf8),
        [_, DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8] => {
            plan_err!("format_number with a pattern is not supported; give the number of decimal places")
        }
        [x, d] => plan_err!("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] format_number takes a number and a whole number of places, not {x} and {d}"),
        _ => plan_err!("format_number takes two arguments"),
    }
}

/// The plain decimal digits of a number (`-12.5`), without exponent.
fn plain(v: &ScalarValue) -> Option<String> {
    Some(match v {
        ScalarValue::Float64(Some(x)) => format!("{x}"),
        ScalarValue::Float32(Some(x)) => format!("{x}"),
        ScalarValue::Decimal128(Some(u), _, scale) => {
            let digits = u.unsigned_abs().to_string();
            let scale = usize::try_from(*scale).unwrap_or(0);
            let padded = format!("{digits:0>width$}", width = scale + 1);
            let (int_part, frac) = padded.split_at(padded.len() - scale);
            let sign = if *u < 0 { "-" } else { "" };
            if scale == 0 { format!("{sign}{int_part}") } else { format!("{sign}{int_part}.{frac}") }
        }
        other if !other.is_null() => other.cast_to(&DataType::Int64).ok()?.to_string(),
        _ => return None,
    })
}

/// `text` (plain decimal digits) rounded half to even to `places`, grouped by thousands.
fn formatted(text: &str, places: usize) -> String {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (int_part, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mut all: Vec<u8> = int_part.bytes().chain(frac.bytes().chain(std::iter::repeat(b'0')).take(places)).map(|b| b - b'0').collect();
    let rest = frac.as_bytes().get(places..).unwrap_or(&[]);
    let round_up = match rest.first() {
        Some(b) if *b > b'5' => true,
        Some(b'5') => rest[1..].iter().any(|b| *b != b'0') || all.last().is_some_and(|d| d % 2 == 1),
        _ => false,
    };
    if round_up {
        let mut i = all.len();
        loop {
            if i == 0 {
                all.insert(0, 1);
                break;
            }
            i -= 1;
            if all[i] == 9 {
                all[i] = 0;
            } else {
                all[i] += 1;
                break;
            }
        }
    }
    let split = all.len() - places;
    let (whole, fraction) = all.split_at(split);
    let whole: String = whole.iter().map(|d| char::from(b'0' + d)).collect();
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    // DecimalFormat keeps the sign of a negative number that rounds to zero (`-0.00`).
    let zero = digits.bytes().all(|b| b == b'0' || b == b'.');
    let sign = if negative && !zero { "-" } else { "" };
    if places == 0 {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{}", fraction.iter().map(|d| char::from(b'0' + d)).collect::<String>())
    }
}

fn format_number(args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    let places = cast(&args[1], &DataType::Int64)?;
    let places = places.as_primitive::<Int64Type>();
    let mut out = StringBuilder::new();
    for row in 0..rows {
        let x = ScalarValue::try_from_array(&args[0], row_of(args[0].as_ref(), row))?;
        let p = row_of(places, row);
        if places.is_null(p) || places.value(p) < 0 {
            out.append_null();
            continue;
        }
        let d = usize::try_from(places.value(p)).unwrap_or(0);
        if d > 1000 {
            return exec_err!("format_number takes at most 1000 decimal places");
        }
        match &x {
            ScalarValue::Float64(Some(v)) if !v.is_finite() => out.append_value(if v.is_nan() { "NaN" } else if *v > 0.0 { "∞" } else { "-∞" }),
            _ => out.append_option(plain(&x).map(|t| formatted(&t, d))),
        }
    }
    Ok(Arc::new(out.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_grouped_and_rounded_half_to_even() {
        assert_eq!(formatted("12332.123456", 4), "12,332.1235");
        assert_eq!(formatted("1234567.891", 2), "1,234,567.89");
        assert_eq!(formatted("2.5", 0), "2");
        assert_eq!(formatted("3.5", 0), "4");
        assert_eq!(formatted("999.996", 2), "1,000.00");
        assert_eq!(formatted("-0.001", 2), "-0.00");
        assert_eq!(formatted("0", 1), "0.0");
        assert_eq!(formatted("-1234", 1), "-1,234.0");
        assert_eq!(plain(&ScalarValue::Decimal128(Some(-1205), 5, 3)).unwrap(), "-1.205");
    }
}
