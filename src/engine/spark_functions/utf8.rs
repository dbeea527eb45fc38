//! `validate_utf8(x)` and `try_validate_utf8(x)`: text whose bytes are valid UTF-8 comes back as
//! it is; bytes that are not are an error, or NULL from the `try_` form. Text in Arrow is always
//! valid UTF-8; bytes are checked.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{exec_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, Volatility};

use super::{string_result, SparkFunction};

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![
        SparkFunction::udf("validate_utf8", Signature::any(1, Volatility::Immutable), string_result, |a, _| validate(&a[0], false)),
        SparkFunction::udf("try_validate_utf8", Signature::any(1, Volatility::Immutable), string_result, |a, _| validate(&a[0], true)),
    ]
}

fn validate(a: &ArrayRef, lenient: bool) -> Result<ArrayRef> {
    if !matches!(a.data_type(), DataType::Binary | DataType::LargeBinary | DataType::BinaryView | DataType::FixedSizeBinary(_)) {
        return Ok(cast(a, &DataType::Utf8)?);
    }
    let bytes = cast(a, &DataType::Binary)?;
    let bytes = bytes.as_binary::<i32>();
    let mut out = Vec::with_capacity(bytes.len());
    for b in bytes.iter() {
        out.push(match b.map(std::str::from_utf8) {
            None => None,
            Some(Ok(s)) => Some(s.to_string()),
            Some(Err(_)) if lenient => None,
            Some(Err(_)) => return exec_err!("[INVALID_UTF8_STRING] the bytes are not valid UTF-8; try_validate_utf8 gives NULL instead"),
        });
    }
    Ok(Arc::new(StringArray::from(out)))
}
