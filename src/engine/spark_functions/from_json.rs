//! `from_json(json, schema)`: a JSON string read into a value of the given type, as Spark reads
//! it. The schema is a type (`struct<a:int,b:string>`, `array<int>`, `map<string,int>`) or Spark's
//! column list (`a INT, b STRING`), and must be a constant. Text that is not JSON, or does not fit
//! the type, gives NULL (Spark's default PERMISSIVE mode); a single object read as an array of
//! structs is an array of one. Options (a third argument) are not supported.

use std::sync::Arc;

use datafusion::arrow::array::{new_null_array, Array, ArrayRef, AsArray};
use datafusion::arrow::compute::{cast, concat};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Schema};
use datafusion::arrow::json::ReaderBuilder;
use datafusion::common::{exec_err, not_impl_err, plan_err, Result, ScalarValue};
use datafusion::logical_expr::{ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};
use hivewire_catalog::types::hive_to_arrow;

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![Arc::new(ScalarUDF::from(FromJson { signature: Signature::variadic_any(Volatility::Immutable) }))]
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct FromJson {
    signature: Signature,
}

/// The type a schema string names.
pub(super) fn schema_type(text: &str) -> Result<DataType> {
    let trimmed = text.trim();
    let lower = trimmed.to_ascii_lowercase();
    let type_text = if lower.starts_with("struct<") || lower.starts_with("array<") || lower.starts_with("map<") {
        trimmed.to_string()
    } else {
        // `a INT, b STRING`: the columns of a struct.
        let columns = split_top(trimmed)
            .into_iter()
            .map(|c| {
                let c = c.trim();
                let (name, t) = c.split_once(char::is_whitespace).unwrap_or((c, ""));
                format!("{}:{}", name.trim_matches('`'), t.trim())
            })
            .collect::<Vec<_>>();
        format!("struct<{}>", columns.join(","))
    };
    hive_to_arrow(&type_text).or_else(|e| plan_err!("[PARSE_SYNTAX_ERROR] from_json's schema '{text}' is not a type: {e}"))
}

/// Splits at commas outside `<>` and `()`.
fn split_top(text: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0i32, 0);
    for (i, c) in text.char_indices() {
        match c {
            '<' | '(' => depth += 1,
            '>' | ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn schema_of(scalar: Option<&ScalarValue>) -> Result<DataType> {
    match scalar.map(|s| s.cast_to(&DataType::Utf8)) {
        Some(Ok(ScalarValue::Utf8(Some(text)))) => schema_type(&text),
        _ => plan_err!("[INVALID_SCHEMA.NON_STRING_LITERAL] from_json's schema must be a constant string"),
    }
}

/// One JSON text read as a value of `t`, in a one-row array; None when it does not fit.
fn read(text: &str, t: &DataType) -> Option<ArrayRef> {
    let trimmed = text.trim();
    let body = match t {
        DataType::List(item) if trimmed.starts_with('{') && matches!(item.data_type(), DataType::Struct(_)) => format!("[{trimmed}]"),
        _ => trimmed.to_string(),
    };
    let schema = Arc::new(Schema::new(vec![Field::new("v", t.clone(), true)]));
    let mut decoder = ReaderBuilder::new(schema).with_strict_mode(false).build_decoder().ok()?;
    let wrapped = format!("{{\"v\": {body}}}");
    let consumed = decoder.decode(wrapped.as_bytes()).ok()?;
    if consumed != wrapped.len() {
        return None;
    }
    let batch = decoder.flush().ok()??;
    (batch.num_rows() == 1).then(|| Arc::clone(batch.column(0)))
}

impl ScalarUDFImpl for FromJson {
    fn name(&self) -> &str {
        "from_json"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        plan_err!("from_json takes its type from its schema")
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        match args.arg_fields.len() {
            2 => Ok(Arc::new(Field::new("from_json", schema_of(args.scalar_arguments.get(1).copied().flatten())?, true))),
            3 => not_impl_err!("from_json options"),
            n => plan_err!("[WRONG_NUM_ARGS] from_json takes a JSON string and a schema, not {n} arguments"),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let t = args.return_field.data_type().clone();
        let Some(input) = args.args.first() else { return exec_err!("from_json takes a JSON string") };
        let scalar = matches!(input, ColumnarValue::Scalar(_));
        let input = cast(&input.to_array(args.number_rows)?, &DataType::Utf8)?;
        let input = input.as_string::<i32>();
        let null = new_null_array(&t, 1);
        let rows: Vec<ArrayRef> = (0..input.len())
            .map(|i| if input.is_null(i) { None } else { read(input.value(i), &t) })
            .map(|r| r.unwrap_or_else(|| Arc::clone(&null)))
            .collect();
        let parts: Vec<&dyn Array> = rows.iter().map(|r| r.as_ref()).collect();
        let out = if parts.is_empty() { new_null_array(&t, 0) } else { concat(&parts)? };
        super::columnar(out, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_are_types_or_column_lists() {
        assert_eq!(schema_type("a INT, b map<string, int>").unwrap(), schema_type("struct<a:int,b:map<string,int>>").unwrap());
        assert!(matches!(schema_type("array<int>").unwrap(), DataType::List(_)));
        assert!(schema_type("a InvalidType").is_err());
    }

    #[test]
    fn json_is_read_into_the_type_or_null() {
        let t = schema_type("a INT").unwrap();
        assert!(read(r#"{"a": 1}"#, &t).is_some());
        assert!(read(r#"{"a" 1}"#, &t).is_none());
        let arrays = schema_type("array<struct<a:int>>").unwrap();
        assert_eq!(read(r#"{"a": 1}"#, &arrays).unwrap().as_list::<i32>().value(0).len(), 1);
    }
}
