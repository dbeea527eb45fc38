//! Spark's JSON functions that DataFusion lacks: `json_object_keys(s)` (an object's top-level keys,
//! in document order), `json_array_length(s)` (an array's length), and `to_json(v)` (a struct, map
//! or array as JSON text, NULL fields left out, as Spark writes it). Text that is not valid JSON, or
//! not of the kind asked about, gives NULL.

use std::fmt;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, Int32Array, ListBuilder, RecordBatch, StringArray, StringBuilder, StructArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::arrow::json::LineDelimitedWriter;
use datafusion::common::{exec_err, plan_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, TypeSignature, Volatility};
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};

use super::{string_result, SparkFunction};

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    let text = || Signature::one_of(vec![TypeSignature::Exact(vec![DataType::Utf8])], Volatility::Immutable);
    vec![
        SparkFunction::udf("json_object_keys", text(), string_list, object_keys),
        SparkFunction::udf("json_array_length", text(), |_| Ok(DataType::Int32), array_length),
        SparkFunction::udf("to_json", Signature::any(1, Volatility::Immutable), to_json_type, to_json),
    ]
}

fn string_list(_: &[DataType]) -> Result<DataType> {
    Ok(DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true))))
}

fn to_json_type(args: &[DataType]) -> Result<DataType> {
    match args.first() {
        Some(DataType::Struct(_) | DataType::Map(..) | DataType::List(_) | DataType::LargeList(_) | DataType::Null) => string_result(args),
        Some(other) => plan_err!("[DATATYPE_MISMATCH] to_json needs a struct, a map or an array, not {other}"),
        None => plan_err!("to_json takes one argument"),
    }
}

fn strings(a: &ArrayRef) -> Result<&StringArray> {
    match a.as_any().downcast_ref::<StringArray>() {
        Some(s) => Ok(s),
        None => exec_err!("expected a string, not {}", a.data_type()),
    }
}

/// The keys of a JSON object, in the order written; None when the text is not an object.
fn keys_of(text: &str) -> Option<Vec<String>> {
    struct Keys;
    impl<'de> Visitor<'de> for Keys {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Vec<String>, A::Error> {
            let mut keys = Vec::new();
            while let Some(k) = map.next_key::<String>()? {
                map.next_value::<IgnoredAny>()?;
                keys.push(k);
            }
            Ok(keys)
        }
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let keys = (&mut de).deserialize_map(Keys).ok()?;
    de.end().ok()?;
    Some(keys)
}

fn object_keys(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let input = strings(&args[0])?;
    let mut out = ListBuilder::new(StringBuilder::new());
    for row in 0..input.len() {
        match (!input.is_null(row)).then(|| keys_of(input.value(row))).flatten() {
            Some(keys) => {
                for k in keys {
                    out.values().append_value(k);
                }
                out.append(true);
            }
            None => out.append_null(),
        }
    }
    Ok(Arc::new(out.finish()))
}

fn array_length(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let input = strings(&args[0])?;
    let lengths: Int32Array = (0..input.len())
        .map(|row| {
            if input.is_null(row) {
                return None;
            }
            match serde_json::from_str::<serde_json::Value>(input.value(row)) {
                Ok(serde_json::Value::Array(items)) => i32::try_from(items.len()).ok(),
                _ => None,
            }
        })
        .collect();
    Ok(Arc::new(lengths))
}

/// Each row of a batch as a JSON object's text.
fn lines(batch: &RecordBatch) -> Result<Vec<String>> {
    let mut buf = Vec::new();
    {
        let mut writer = LineDelimitedWriter::new(&mut buf);
        writer.write(batch)?;
        writer.finish()?;
    }
    let text = String::from_utf8(buf).map_err(|e| datafusion::error::DataFusionError::Execution(e.to_string()))?;
    Ok(text.lines().map(str::to_string).collect())
}

fn to_json(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let value = &args[0];
    let texts: Vec<String> = match value.data_type() {
        DataType::Null => vec![],
        DataType::Struct(_) => {
            let Some(s) = value.as_any().downcast_ref::<StructArray>() else { return exec_err!("malformed struct") };
            lines(&RecordBatch::from(s.clone()))?
        }
        _ => {
            // One column named `v`: each line is `{"v":...}`, and the value is what follows.
            let schema = Arc::new(Schema::new(vec![Field::new("v", value.data_type().clone(), true)]));
            let batch = RecordBatch::try_new(schema, vec![value.clone()])?;
            lines(&batch)?.into_iter().map(|l| l.strip_prefix("{\"v\":").and_then(|r| r.strip_suffix('}')).unwrap_or("").to_string()).collect()
        }
    };
    let out: StringArray = (0..value.len())
        .map(|row| if value.is_null(row) { None } else { texts.get(row).cloned() })
        .collect();
    Ok(Arc::new(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_come_in_document_order() {
        assert_eq!(keys_of(r#"{"b": 1, "a": {"c": 2}}"#), Some(vec!["b".to_string(), "a".to_string()]));
        assert_eq!(keys_of("[1, 2]"), None);
        assert_eq!(keys_of("{\"a\": 1"), None);
        assert_eq!(keys_of("{}"), Some(vec![]));
    }
}
