//! `locate(substr, str [, pos])` and the function form of `position`: the 1-based place of
//! `substr` in `str` at or after character `pos` (1 by default), 0 when it is not there or `pos`
//! is below 1, as Spark (and Hive) give it. A NULL `pos` gives 0; a NULL text gives NULL.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int32Builder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::common::{plan_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, Volatility};

use super::{row_of, SparkFunction};

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![SparkFunction::udf("locate", Signature::variadic_any(Volatility::Immutable), result_type, locate)]
}

fn result_type(args: &[DataType]) -> Result<DataType> {
    match args.len() {
        2 | 3 => Ok(DataType::Int32),
        _ => plan_err!("locate takes a substring, a string and an optional start position"),
    }
}

/// The 1-based character position of `needle` in `haystack` from character `start`, or 0.
fn position(needle: &str, haystack: &str, start: i64) -> i32 {
    if start < 1 {
        return 0;
    }
    // The byte where character `start` begins; the end of the text counts as a place too.
    let skip = usize::try_from(start - 1).unwrap_or(usize::MAX);
    let Some(from) = haystack.char_indices().map(|(i, _)| i).chain(std::iter::once(haystack.len())).nth(skip) else {
        return 0;
    };
    match haystack[from..].find(needle) {
        Some(i) => i32::try_from(haystack[..from + i].chars().count() + 1).unwrap_or(0),
        None => 0,
    }
}

fn locate(args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    let needle = cast(&args[0], &DataType::Utf8)?;
    let haystack = cast(&args[1], &DataType::Utf8)?;
    let (needle, haystack) = (needle.as_string::<i32>(), haystack.as_string::<i32>());
    let start = args.get(2).map(|s| cast(s, &DataType::Int64)).transpose()?;
    let start = start.as_ref().map(|s| s.as_primitive::<Int64Type>());
    let mut out = Int32Builder::with_capacity(rows);
    for row in 0..rows {
        let s = match start {
            Some(s) if s.is_null(row_of(s, row)) => {
                out.append_value(0);
                continue;
            }
            Some(s) => s.value(row_of(s, row)),
            None => 1,
        };
        let (n, h) = (row_of(needle, row), row_of(haystack, row));
        if needle.is_null(n) || haystack.is_null(h) {
            out.append_null();
        } else {
            out.append_value(position(needle.value(n), haystack.value(h), s));
        }
    }
    Ok(Arc::new(out.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_from_one() {
        assert_eq!(position("l", "hello", 1), 3);
        assert_eq!(position("l", "hello", 4), 4);
        assert_eq!(position("z", "hello", 1), 0);
        assert_eq!(position("l", "hello", 0), 0);
        assert_eq!(position("", "abc", 4), 4);
        assert_eq!(position("é", "aéb", 1), 2);
    }
}
