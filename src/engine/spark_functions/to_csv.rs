//! `to_csv(struct [, options])`: a struct's values as one line of CSV, as Spark writes it.
//! Values are written as Spark casts them to text (`1.0E10`, `[1, 2]`), dates by `dateFormat`
//! (`yyyy-MM-dd`) and timestamps by `timestampFormat` (`yyyy-MM-dd'T'HH:mm:ss.SSSXXX`, with the
//! session zone's offset). Spaces around a value are dropped; an empty text is written `""`; a
//! value holding the separator, a quote or a line break is quoted, with quotes and escapes inside
//! escaped (`"x\"y"`); NULL is `nullValue` (empty). A NULL struct gives NULL.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringBuilder};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{exec_err, plan_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, Volatility};

use super::csv_options::{self, CsvOptions};
use super::java_patterns::pieces;
use super::spark_text::texts;
use super::SparkFunction;
use crate::hiveql::time_zones::Zone;

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![SparkFunction::udf("to_csv", Signature::variadic_any(Volatility::Immutable), return_type, to_csv)]
}

fn return_type(args: &[DataType]) -> Result<DataType> {
    match args {
        [DataType::Struct(_) | DataType::Null, rest @ ..] if rest.len() <= 2 => {
            if let Some(options) = rest.first() {
                super::options_map::check_type("to_csv", options)?;
            }
            Ok(DataType::Utf8)
        }
        [other, rest @ ..] if rest.len() <= 2 => plan_err!("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] to_csv takes a struct, not {other}"),
        _ => plan_err!("[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `to_csv` requires [1, 2] parameters but the actual number is {}.", args.len()),
    }
}

/// One column's values as the text written for them, before quoting; None for NULL.
fn column_texts(column: &ArrayRef, o: &CsvOptions, zone: &Zone) -> Result<Vec<Option<String>>> {
    use super::date_format::{formatted, wall_clock, WRITTEN_DATE, WRITTEN_TIMESTAMP};
    let Some((micros, dates)) = wall_clock(column)? else { return texts(column) };
    let pattern = if dates { o.date_format.as_deref().unwrap_or(WRITTEN_DATE) } else { o.timestamp_format.as_deref().unwrap_or(WRITTEN_TIMESTAMP) };
    let parts = pieces(pattern)?;
    micros.into_iter().map(|m| Ok(m.map(|m| formatted(&parts, m, zone)).transpose()?.flatten())).collect()
}

/// A value as written in the line: trimmed, and quoted where it must be.
fn field(text: &str, o: &CsvOptions) -> String {
    let mut text = text;
    if o.ignore_leading.unwrap_or(true) {
        text = text.trim_start_matches(|c: char| c <= ' ');
    }
    if o.ignore_trailing.unwrap_or(true) {
        text = text.trim_end_matches(|c: char| c <= ' ');
    }
    let Some(quote) = o.quote else { return text.to_string() };
    let special = text.contains(o.sep.as_str()) || text.contains(quote) || text.contains(['\n', '\r']);
    if !(o.quote_all || special || text.is_empty()) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for c in text.chars() {
        if c == quote || (c == o.escape && o.escape != '\u{0}') {
            out.push(o.escape);
        }
        out.push(c);
    }
    out.push(quote);
    out
}

fn to_csv(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let Some(value) = args.first() else { return exec_err!("to_csv takes a struct") };
    let zone = super::zone_argument(args.get(2))?;
    let mut out = StringBuilder::new();
    let DataType::Struct(_) = value.data_type() else {
        (0..value.len()).for_each(|_| out.append_null());
        return Ok(Arc::new(out.finish()));
    };
    let value = value.as_struct();
    // The options are a constant map, as Spark requires.
    let o = csv_options::read("to_csv", args.get(1))?;
    let columns = value.columns().iter().map(|c| column_texts(c, &o, &zone)).collect::<Result<Vec<_>>>()?;
    for row in 0..value.len() {
        if value.is_null(row) {
            out.append_null();
            continue;
        }
        let line: Vec<String> = columns.iter().map(|c| c[row].as_deref().map_or_else(|| o.null_value.clone(), |t| field(t, &o))).collect();
        out.append_value(line.join(&o.sep));
    }
    Ok(Arc::new(out.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_quoted_where_they_must_be() {
        let o = CsvOptions::default();
        assert_eq!(field(" x ", &o), "x");
        assert_eq!(field("", &o), "\"\"");
        assert_eq!(field("x,y", &o), "\"x,y\"");
        assert_eq!(field("q\"r", &o), "\"q\\\"r\"");
        assert_eq!(field("a\\b", &o), "a\\b");
        assert_eq!(field("a\\\"b", &o), "\"a\\\\\\\"b\"");
        assert_eq!(field("x", &CsvOptions { quote_all: true, ..CsvOptions::default() }), "\"x\"");
    }
}
