//! `raise_error(message)` and `assert_true(condition [, message])`: a query fails on purpose with
//! the given text (`USER_RAISED_EXCEPTION`). `assert_true` gives NULL where its condition holds and
//! fails where it is false or NULL, with the message (the HiveQL front end passes Spark's
//! `'(a > b)' is not true!` when the query gives none).

use std::sync::Arc;

use datafusion::arrow::array::{new_null_array, Array, ArrayRef, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{exec_err, plan_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, Volatility};

use super::{row_of, SparkFunction};

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![
        SparkFunction::udf("raise_error", Signature::any(1, Volatility::Volatile), |_| Ok(DataType::Null), raise_error),
        SparkFunction::udf("assert_true", Signature::variadic_any(Volatility::Volatile), assert_type, assert_true),
    ]
}

fn assert_type(args: &[DataType]) -> Result<DataType> {
    match args {
        [DataType::Boolean | DataType::Null] | [DataType::Boolean | DataType::Null, _] => Ok(DataType::Null),
        [other, ..] if args.len() <= 2 => plan_err!("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] assert_true takes a BOOLEAN condition, not {other}"),
        _ => plan_err!("assert_true takes a condition and an optional message"),
    }
}

/// The text of row `row` of `a`, or `"null"` for a NULL.
fn text_at(a: &ArrayRef, row: usize) -> Result<String> {
    let t = cast(a, &DataType::Utf8)?;
    let t = t.as_string::<i32>();
    let i = row_of(t, row);
    Ok(if t.is_null(i) { "null".into() } else { t.value(i).to_string() })
}

fn raise_error(args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    if rows == 0 {
        return Ok(new_null_array(&DataType::Null, 0));
    }
    exec_err!("[USER_RAISED_EXCEPTION] {}", text_at(&args[0], 0)?)
}

fn assert_true(args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    let condition = cast(&args[0], &DataType::Boolean)?;
    let condition = condition.as_boolean();
    for row in 0..rows {
        let i = row_of(condition, row);
        if condition.is_null(i) || !condition.value(i) {
            let message = match args.get(1) {
                Some(m) => text_at(m, row)?,
                None => "'condition' is not true!".to_string(),
            };
            return exec_err!("[USER_RAISED_EXCEPTION] {message}");
        }
    }
    Ok(new_null_array(&DataType::Null, rows))
}
