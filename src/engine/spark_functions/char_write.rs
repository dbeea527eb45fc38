//! Values written to CHAR(n) and VARCHAR(n) columns, as Spark writes them: a value longer than n
//! characters fails with EXCEED_LIMIT_LENGTH, unless all it has past n is trailing spaces, which
//! are cut; a CHAR value shorter than n is padded with spaces to n characters. INSERT puts this
//! call around each such column's value (`crate::hiveql::insert`).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringBuilder};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{exec_err, Result};
use datafusion::logical_expr::{Expr, ScalarUDF, Signature, Volatility};

use super::{string_result, SparkFunction};

/// The function's name; it is the engine's own, not listed among Spark's.
const FUNCTION: &str = "hivewire_char_write";

/// `value` as written to a CHAR(`length`) column (`pad`) or a VARCHAR(`length`) one.
pub(crate) fn call(value: Expr, length: i64, pad: bool) -> Expr {
    let udf = SparkFunction::udf(
        FUNCTION,
        Signature::exact(vec![DataType::Utf8, DataType::Int64, DataType::Boolean], Volatility::Immutable),
        string_result,
        write,
    );
    let value = datafusion::logical_expr::cast(value, DataType::Utf8);
    ScalarUDF::call(&udf, vec![value, datafusion::logical_expr::lit(length), datafusion::logical_expr::lit(pad)])
}

/// The text as written to a column of `limit` characters, or None where it does not fit.
fn fitted(text: &str, limit: usize, pad: bool) -> Option<String> {
    let chars = text.chars().count();
    let mut out = if chars > limit {
        let (kept, rest) = text.split_at(text.char_indices().nth(limit).map_or(text.len(), |(i, _)| i));
        if rest.chars().any(|c| c != ' ') {
            return None;
        }
        kept.to_string()
    } else {
        text.to_string()
    };
    if pad {
        out.extend(std::iter::repeat_n(' ', limit.saturating_sub(chars.min(limit))));
    }
    Some(out)
}

fn write(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let values = args[0].as_string::<i32>();
    let limit = args[1].as_primitive::<datafusion::arrow::datatypes::Int64Type>();
    let pad = args[2].as_boolean();
    let (Some(limit), Some(pad)) = (limit.iter().flatten().next(), pad.iter().flatten().next()) else {
        return exec_err!("{FUNCTION} takes a length and whether to pad");
    };
    let limit = usize::try_from(limit).unwrap_or(0);
    let mut out = StringBuilder::with_capacity(values.len(), values.len() * limit);
    for value in values.iter() {
        match value {
            None => out.append_null(),
            Some(text) => match fitted(text, limit, pad) {
                Some(written) => out.append_value(written),
                None => return exec_err!("[EXCEED_LIMIT_LENGTH] Exceeds char/varchar type length limitation: {limit}."),
            },
        }
    }
    Ok(Arc::new(out.finish()) as ArrayRef)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chars_are_padded_and_trailing_spaces_past_the_limit_cut() {
        assert_eq!(fitted("N", 3, true).as_deref(), Some("N  "));
        assert_eq!(fitted("Net  ", 3, true).as_deref(), Some("Net"));
        assert_eq!(fitted("Spa  ", 4, false).as_deref(), Some("Spa "));
        assert_eq!(fitted("é", 2, true).as_deref(), Some("é "));
        assert_eq!(fitted("Spark", 3, false), None);
    }
}
