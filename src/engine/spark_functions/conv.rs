//! `conv(num, from_base, to_base)`: a number's digits read in one base and written in another, as
//! Spark converts them: digits are read up to the first that is not one of the base's, as an
//! unsigned 64-bit value (a leading `-` negates it in two's complement); a negative `to_base`
//! writes the value as signed. Bases outside 2 to 36 give NULL; a value past 64 bits is an error.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringArray};
use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::common::{exec_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, TypeSignature, Volatility};

use super::{string_result, SparkFunction};

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    let signature = Signature::one_of(
        vec![TypeSignature::Exact(vec![DataType::Utf8, DataType::Int64, DataType::Int64])],
        Volatility::Immutable,
    );
    vec![SparkFunction::udf("conv", signature, string_result, conv_rows)]
}

/// The converted text, None for a base out of range, or Err on overflow.
fn conv(num: &str, from: i64, to: i64) -> std::result::Result<Option<String>, ()> {
    if !(2..=36).contains(&from) || !(2..=36).contains(&to.abs()) {
        return Ok(None);
    }
    let text = num.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let from = from as u32;
    let mut value: u64 = 0;
    let mut any = false;
    for c in digits.chars() {
        let Some(d) = c.to_digit(from) else { break };
        value = value.checked_mul(u64::from(from)).and_then(|v| v.checked_add(u64::from(d))).ok_or(())?;
        any = true;
    }
    if !any {
        return Ok(Some("0".into()));
    }
    if negative {
        value = value.wrapping_neg();
    }
    let (sign, magnitude) = if to < 0 && (value as i64) < 0 { ("-", (value as i64).unsigned_abs()) } else { ("", value) };
    let base = to.unsigned_abs();
    let mut out = Vec::new();
    let mut m = magnitude;
    loop {
        let d = (m % base) as u32;
        out.push(char::from_digit(d, base as u32).unwrap_or('?').to_ascii_uppercase());
        m /= base;
        if m == 0 {
            break;
        }
    }
    Ok(Some(format!("{sign}{}", out.iter().rev().collect::<String>())))
}

fn conv_rows(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let Some(nums) = args[0].as_any().downcast_ref::<StringArray>() else { return exec_err!("conv expects a string") };
    let (froms, tos) = (args[1].as_primitive::<Int64Type>(), args[2].as_primitive::<Int64Type>());
    let at = super::row_of;
    let len = nums.len().max(froms.len()).max(tos.len());
    let mut out = Vec::with_capacity(len);
    for row in 0..len {
        let (n, f, t) = (at(nums, row), at(froms, row), at(tos, row));
        if nums.is_null(n) || froms.is_null(f) || tos.is_null(t) {
            out.push(None);
            continue;
        }
        match conv(nums.value(n), froms.value(f), tos.value(t)) {
            Ok(v) => out.push(v),
            Err(()) => return exec_err!("[ARITHMETIC_OVERFLOW] conv: '{}' overflows 64 bits", nums.value(n)),
        }
    }
    Ok(Arc::new(StringArray::from(out)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_as_spark_does() {
        assert_eq!(conv("100", 2, 10), Ok(Some("4".into())));
        assert_eq!(conv("-10", 16, -10), Ok(Some("-16".into())));
        assert_eq!(conv("9223372036854775808", 10, 16), Ok(Some("8000000000000000".into())));
        assert_eq!(conv("92233720368547758070", 10, 16), Err(()));
        assert_eq!(conv("ff", 16, 2), Ok(Some("11111111".into())));
        assert_eq!(conv("1", 1, 10), Ok(None));
    }
}
