//! Spark's JSON functions that DataFusion lacks: `json_object_keys(s)` (an object's top-level keys,
//! in document order) and `json_array_length(s)` (an array's length). Text that is not valid JSON,
//! or not of the kind asked about, gives NULL. (`to_json` has a file of its own.)

use std::fmt;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, Int32Array, ListBuilder, StringArray, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{exec_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, TypeSignature, Volatility};
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};

use super::SparkFunction;

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    let text = || Signature::one_of(vec![TypeSignature::Exact(vec![DataType::Utf8])], Volatility::Immutable);
    vec![
        SparkFunction::udf("json_object_keys", text(), string_list, object_keys),
        SparkFunction::udf("json_array_length", text(), |_| Ok(DataType::Int32), array_length),
    ]
}

fn string_list(_: &[DataType]) -> Result<DataType> {
    Ok(DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true))))
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
