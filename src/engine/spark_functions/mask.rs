//! `mask(s [, upper [, lower [, digit [, other]]]])`: hides a string's characters, as Spark does:
//! upper-case letters become `X`, lower-case `x`, digits `n`, and other characters stay, unless
//! the call names other replacements. A NULL replacement keeps that class of characters as is.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, StringArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{exec_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, TypeSignature, Volatility};

use super::{string_result, SparkFunction};

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    let strings = |n: usize| TypeSignature::Exact(vec![DataType::Utf8; n]);
    let signature = Signature::one_of((1..=5).map(strings).collect(), Volatility::Immutable);
    vec![SparkFunction::udf("mask", signature, string_result, mask)]
}

/// The replacement character for one class in one row: the default when the argument is absent,
/// None (keep the character) when it is NULL.
fn replacement(args: &[ArrayRef], i: usize, row: usize, default: Option<char>) -> Result<Option<char>> {
    let Some(a) = args.get(i) else { return Ok(default) };
    let a = strings(a)?;
    let row = if a.len() == 1 { 0 } else { row };
    if a.is_null(row) {
        return Ok(None);
    }
    let mut chars = a.value(row).chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(Some(c)),
        _ => exec_err!("mask: a replacement must be a single character, not '{}'", a.value(row)),
    }
}

fn strings(a: &ArrayRef) -> Result<&StringArray> {
    match a.as_any().downcast_ref::<StringArray>() {
        Some(s) => Ok(s),
        None => exec_err!("mask expects strings, not {}", a.data_type()),
    }
}

fn mask(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let input = strings(&args[0])?;
    let mut out = Vec::with_capacity(input.len());
    for row in 0..input.len() {
        if input.is_null(row) {
            out.push(None);
            continue;
        }
        let upper = replacement(args, 1, row, Some('X'))?;
        let lower = replacement(args, 2, row, Some('x'))?;
        let digit = replacement(args, 3, row, Some('n'))?;
        let other = replacement(args, 4, row, None)?;
        let masked: String = input
            .value(row)
            .chars()
            .map(|c| {
                let with = if c.is_uppercase() {
                    upper
                } else if c.is_lowercase() {
                    lower
                } else if c.is_ascii_digit() {
                    digit
                } else {
                    other
                };
                with.unwrap_or(c)
            })
            .collect();
        out.push(Some(masked));
    }
    Ok(Arc::new(StringArray::from(out)))
}
