//! `to_json(value [, options])`: a struct, map or array as JSON text, as Spark writes it. A
//! struct's NULL fields are left out (unless `ignoreNullFields` is false); NULL elements and map
//! values are `null`; map keys are text. Doubles are written as Java prints them (`1.0E10`), NaN
//! and the infinities as text (`"NaN"`); dates by `dateFormat` (`yyyy-MM-dd`) and timestamps by
//! `timestampFormat` (`yyyy-MM-dd'T'HH:mm:ss.SSSXXX`, with the session zone's offset), as text;
//! bytes in base64; intervals as their literals.

use std::sync::Arc;

use base64::Engine;
use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float32Type, Float64Type};
use datafusion::common::{exec_err, plan_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, Volatility};
use hivewire_backend::java_numbers::{double_text, float_text};

use super::java_patterns::{pieces, Piece};
use super::SparkFunction;
use crate::hiveql::time_zones::Zone;

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![SparkFunction::udf("to_json", Signature::variadic_any(Volatility::Immutable), return_type, to_json)]
}

fn return_type(args: &[DataType]) -> Result<DataType> {
    match args {
        [DataType::Struct(_) | DataType::Map(..) | DataType::List(_) | DataType::LargeList(_) | DataType::Null, rest @ ..] if rest.len() <= 2 => {
            if let Some(options) = rest.first() {
                super::options_map::check_type("to_json", options)?;
            }
            Ok(DataType::Utf8)
        }
        [other, rest @ ..] if rest.len() <= 2 => plan_err!("[DATATYPE_MISMATCH.INVALID_JSON_SCHEMA] to_json needs a struct, a map or an array, not {other}"),
        _ => plan_err!("[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `to_json` requires [1, 2] parameters but the actual number is {}.", args.len()),
    }
}

/// How values are written: the options read, and the session's zone.
struct Writer {
    dates: Vec<Piece>,
    timestamps: Vec<Piece>,
    ignore_null_fields: bool,
    zone: Zone,
}

impl Writer {
    fn new(options: &[(String, String)], zone: Zone) -> Result<Writer> {
        let option = |name: &str| options.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str());
        Ok(Writer {
            dates: pieces(option("dateFormat").unwrap_or(super::date_format::WRITTEN_DATE))?,
            timestamps: pieces(option("timestampFormat").unwrap_or(super::date_format::WRITTEN_TIMESTAMP))?,
            ignore_null_fields: !option("ignoreNullFields").is_some_and(|v| v.eq_ignore_ascii_case("false")),
            zone,
        })
    }

    /// Writes the value in row `i` of `a` (not NULL) to `out`.
    fn value(&self, a: &ArrayRef, i: usize, out: &mut String) -> Result<()> {
        match a.data_type() {
            DataType::Struct(fields) => {
                let s = a.as_struct();
                out.push('{');
                let mut first = true;
                for (f, column) in fields.iter().zip(s.columns()) {
                    if column.is_null(i) && self.ignore_null_fields {
                        continue;
                    }
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    quoted(f.name(), out);
                    out.push(':');
                    self.nullable(column, i, out)?;
                }
                out.push('}');
            }
            DataType::List(_) | DataType::LargeList(_) => {
                let items = match a.data_type() {
                    DataType::List(_) => a.as_list::<i32>().value(i),
                    _ => a.as_list::<i64>().value(i),
                };
                out.push('[');
                for j in 0..items.len() {
                    if j > 0 {
                        out.push(',');
                    }
                    self.nullable(&items, j, out)?;
                }
                out.push(']');
            }
            DataType::Map(..) => {
                let entries = a.as_map().value(i);
                let keys = super::spark_text::texts(entries.column(0))?;
                out.push('{');
                for (j, key) in keys.iter().enumerate() {
                    if j > 0 {
                        out.push(',');
                    }
                    quoted(key.as_deref().unwrap_or("null"), out);
                    out.push(':');
                    self.nullable(entries.column(1), j, out)?;
                }
                out.push('}');
            }
            DataType::Float64 => number(a.as_primitive::<Float64Type>().value(i), double_text, out),
            DataType::Float32 => number(a.as_primitive::<Float32Type>().value(i), float_text, out),
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Boolean | DataType::Null => {
                let text = super::spark_text::texts(&a.slice(i, 1))?.pop().flatten().unwrap_or_default();
                if matches!(a.data_type(), DataType::Boolean) { out.push_str(&text) } else { quoted(&text, out) }
            }
            DataType::Binary | DataType::LargeBinary | DataType::BinaryView | DataType::FixedSizeBinary(_) => {
                let bytes = cast(&a.slice(i, 1), &DataType::LargeBinary)?;
                quoted(&base64::engine::general_purpose::STANDARD.encode(bytes.as_binary::<i64>().value(0)), out);
            }
            DataType::Date32 | DataType::Timestamp(..) => {
                if let Some((micros, dates)) = super::date_format::wall_clock(&a.slice(i, 1))? {
                    let pattern = if dates { &self.dates } else { &self.timestamps };
                    match micros.first().copied().flatten() {
                        Some(m) => self.time(m, pattern, out)?,
                        None => out.push_str("null"),
                    }
                }
            }
            t if t.is_integer() || matches!(t, DataType::Decimal128(..) | DataType::Decimal256(..)) => {
                out.push_str(&super::spark_text::texts(&a.slice(i, 1))?.pop().flatten().unwrap_or_default());
            }
            // Intervals and the rest: their text, quoted.
            _ => quoted(&super::spark_text::texts(&a.slice(i, 1))?.pop().flatten().unwrap_or_default(), out),
        }
        Ok(())
    }

    fn nullable(&self, a: &ArrayRef, i: usize, out: &mut String) -> Result<()> {
        if a.is_null(i) {
            out.push_str("null");
            Ok(())
        } else {
            self.value(a, i, out)
        }
    }

    fn time(&self, micros: i64, pattern: &[Piece], out: &mut String) -> Result<()> {
        match super::date_format::formatted(pattern, micros, &self.zone)? {
            Some(text) => quoted(&text, out),
            None => out.push_str("null"),
        }
        Ok(())
    }
}

/// A number, or its name in quotes where JSON has none (`"NaN"`, `"Infinity"`).
fn number<T: Copy + Into<f64>>(x: T, text: fn(T) -> String, out: &mut String) {
    let t = text(x);
    if x.into().is_finite() { out.push_str(&t) } else { quoted(&t, out) }
}

/// Text as a JSON string, escaped as JSON escapes it.
fn quoted(text: &str, out: &mut String) {
    match serde_json::to_string(text) {
        Ok(json) => out.push_str(&json),
        Err(_) => out.push_str("null"),
    }
}

fn to_json(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let Some(value) = args.first() else { return exec_err!("to_json takes a struct, a map or an array") };
    let writer = Writer::new(&super::options_map::entries(args.get(1))?, super::zone_argument(args.get(2))?)?;
    let mut out = StringBuilder::new();
    let mut line = String::new();
    for i in 0..value.len() {
        if value.is_null(i) {
            out.append_null();
            continue;
        }
        line.clear();
        writer.value(value, i, &mut line)?;
        out.append_value(&line);
    }
    Ok(Arc::new(out.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{Float64Array, ListArray, StringArray, StructArray};
    use datafusion::arrow::datatypes::{Field, Int32Type};

    fn json(a: ArrayRef) -> Vec<Option<String>> {
        let out = to_json(&[a], 0).unwrap();
        out.as_string::<i32>().iter().map(|s| s.map(str::to_string)).collect()
    }

    #[test]
    fn values_are_written_as_spark_writes_them() {
        let s: ArrayRef = Arc::new(StructArray::from(vec![
            (Arc::new(Field::new("a", DataType::Float64, true)), Arc::new(Float64Array::from(vec![Some(1e10), None, Some(f64::NAN)])) as ArrayRef),
            (Arc::new(Field::new("s", DataType::Utf8, true)), Arc::new(StringArray::from(vec![Some("q\"x"), None, None])) as ArrayRef),
        ]));
        assert_eq!(json(s), vec![Some(r#"{"a":1.0E10,"s":"q\"x"}"#.into()), Some("{}".into()), Some(r#"{"a":"NaN"}"#.into())]);
        let list: ArrayRef = Arc::new(ListArray::from_iter_primitive::<Int32Type, _, _>(vec![Some(vec![Some(1), None]), None]));
        assert_eq!(json(list), vec![Some("[1,null]".into()), None]);
    }
}
