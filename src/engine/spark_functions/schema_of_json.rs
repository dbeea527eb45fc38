//! `schema_of_json(json [, options])`: the type Spark infers for a JSON text, in Spark's SQL form
//! (`STRUCT<c1: BIGINT, c2: ARRAY<BIGINT>>`). Whole numbers are BIGINT (DECIMAL past 64 bits),
//! other numbers DOUBLE, objects structs with their fields in name order, arrays of the type their
//! elements share (STRING where they share none, as where one is text), and a JSON null STRING.
//! The options `primitivesAsString`, `prefersDecimal` (numbers with a fraction as the DECIMAL that
//! holds them) and `allowNumericLeadingZeros` are read, as Spark reads them. The text must be a
//! constant.

use std::collections::BTreeMap;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{exec_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, Volatility};
use serde_json::Value;

use super::SparkFunction;

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![SparkFunction::udf("schema_of_json", Signature::variadic_any(Volatility::Immutable), |_| Ok(DataType::Utf8), schema_of_json)]
}

/// An inferred type.
#[derive(Debug, Clone, PartialEq)]
enum Inferred {
    Null,
    Boolean,
    Long,
    Double,
    Decimal(u32, u32),
    Text,
    Array(Box<Inferred>),
    Struct(BTreeMap<String, Inferred>),
}

/// The options Spark's inference reads.
#[derive(Debug, Default, Clone, Copy)]
struct Options {
    primitives_as_string: bool,
    prefers_decimal: bool,
    leading_zeros: bool,
}

fn infer(v: &Value, o: Options) -> Inferred {
    match v {
        Value::Null => Inferred::Null,
        _ if o.primitives_as_string && !matches!(v, Value::Array(_) | Value::Object(_)) => Inferred::Text,
        Value::Bool(_) => Inferred::Boolean,
        Value::String(_) => Inferred::Text,
        Value::Number(n) if n.is_i64() => Inferred::Long,
        Value::Number(n) if n.is_u64() => Inferred::Decimal(20, 0),
        Value::Number(n) => match (o.prefers_decimal, n.as_f64().and_then(|f| decimal_of(&f.to_string()))) {
            (true, Some((p, s))) => Inferred::Decimal(p, s),
            _ => Inferred::Double,
        },
        Value::Array(items) => Inferred::Array(Box::new(items.iter().map(|i| infer(i, o)).fold(Inferred::Null, merge))),
        Value::Object(fields) => Inferred::Struct(fields.iter().map(|(k, v)| (k.clone(), infer(v, o))).collect()),
    }
}

/// The precision and scale of a plain decimal number's text, if it fits 38 digits.
fn decimal_of(text: &str) -> Option<(u32, u32)> {
    if text.contains(['e', 'E']) {
        return None;
    }
    let digits = text.trim_start_matches('-');
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let whole = whole.trim_start_matches('0');
    let scale = fraction.len() as u32;
    let precision = (whole.len() as u32 + scale).max(scale).max(1);
    (precision <= 38).then_some((precision, scale))
}

/// The type two inferred types share, as Spark's JSON inference merges them.
fn merge(a: Inferred, b: Inferred) -> Inferred {
    use Inferred::*;
    match (a, b) {
        (Null, t) | (t, Null) => t,
        (a, b) if a == b => a,
        (Long, Double) | (Double, Long) => Double,
        (Decimal(..), Double) | (Double, Decimal(..)) => Double,
        (Long, Decimal(p, s)) | (Decimal(p, s), Long) => widen((20, 0), (p, s)),
        (Decimal(p1, s1), Decimal(p2, s2)) => widen((p1, s1), (p2, s2)),
        (Array(x), Array(y)) => Array(Box::new(merge(*x, *y))),
        (Struct(mut x), Struct(y)) => {
            for (k, t) in y {
                let merged = match x.remove(&k) {
                    Some(old) => merge(old, t),
                    None => t,
                };
                x.insert(k, merged);
            }
            Struct(x)
        }
        _ => Text,
    }
}

/// The decimal holding both, or DOUBLE past 38 digits.
fn widen((p1, s1): (u32, u32), (p2, s2): (u32, u32)) -> Inferred {
    let s = s1.max(s2);
    let p = (p1 - s1).max(p2 - s2) + s;
    if p > 38 { Inferred::Double } else { Inferred::Decimal(p, s) }
}

/// Spark's SQL text for the type; a field name that is not a plain identifier is quoted.
fn sql(t: &Inferred) -> String {
    match t {
        Inferred::Null | Inferred::Text => "STRING".into(),
        Inferred::Boolean => "BOOLEAN".into(),
        Inferred::Long => "BIGINT".into(),
        Inferred::Double => "DOUBLE".into(),
        Inferred::Decimal(p, s) => format!("DECIMAL({p},{s})"),
        Inferred::Array(e) => format!("ARRAY<{}>", sql(e)),
        Inferred::Struct(fields) => {
            let fields: Vec<String> = fields
                .iter()
                .map(|(name, t)| {
                    let plain = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                    let name = if plain { name.clone() } else { format!("`{}`", name.replace('`', "``")) };
                    format!("{name}: {}", sql(t))
                })
                .collect();
            format!("STRUCT<{}>", fields.join(", "))
        }
    }
}

/// JSON text with leading zeros of numbers removed (`01` is 1), outside strings.
fn without_leading_zeros(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if in_string {
            out.push(c);
            (escaped, in_string) = (c == '\\' && !escaped, c != '"' || escaped);
            continue;
        }
        let starts_number = i == 0 || !(chars[i - 1].is_ascii_digit() || chars[i - 1] == '.');
        let more_digits = chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if c == '0' && starts_number && more_digits {
            continue;
        }
        in_string = c == '"';
        out.push(c);
    }
    out
}

/// The options map's settings.
fn options(args: &[ArrayRef]) -> Result<Options> {
    let mut o = Options::default();
    let Some(map) = args.get(1) else { return Ok(o) };
    let DataType::Map(..) = map.data_type() else { return exec_err!("schema_of_json's options must be a map of strings") };
    let map = map.as_map();
    if map.is_empty() || map.is_null(0) {
        return Ok(o);
    }
    let (keys, values) = (map.keys(), map.values());
    let text = |a: &ArrayRef, i: usize| datafusion::arrow::compute::cast(&a.slice(i, 1), &DataType::Utf8).ok().map(|s| s.as_string::<i32>().value(0).to_string());
    for i in map.value_offsets()[0] as usize..map.value_offsets()[1] as usize {
        let on = text(values, i).is_some_and(|v| v.eq_ignore_ascii_case("true"));
        if let Some(key) = text(keys, i) {
            o.set(&key, on);
        }
    }
    Ok(o)
}

/// The schema Spark infers for a JSON text under the named options (`primitivesAsString`...),
/// for the front end to work out `schema_of_json` of a literal where a literal schema is needed.
pub(crate) fn infer_schema(json: &str, options: &[(String, String)]) -> String {
    let mut o = Options::default();
    for (key, value) in options {
        o.set(key, value.eq_ignore_ascii_case("true"));
    }
    of_text(json, o)
}

/// The schema's text for a JSON text.
fn of_text(json: &str, o: Options) -> String {
    let text = if o.leading_zeros { without_leading_zeros(json) } else { json.to_string() };
    // Text that is not JSON infers as a struct of no fields, as Spark's permissive reading does.
    let inferred = serde_json::from_str::<Value>(&text).map(|v| infer(&v, o)).unwrap_or(Inferred::Struct(BTreeMap::new()));
    sql(&inferred)
}

impl Options {
    fn set(&mut self, key: &str, on: bool) {
        match key {
            "primitivesAsString" => self.primitives_as_string = on,
            "prefersDecimal" => self.prefers_decimal = on,
            "allowNumericLeadingZeros" => self.leading_zeros = on,
            _ => {}
        }
    }
}

fn schema_of_json(args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    let Some(json) = args.first() else { return exec_err!("schema_of_json takes a JSON text") };
    let json = datafusion::arrow::compute::cast(json, &DataType::Utf8)?;
    let json = json.as_string::<i32>();
    if json.len() != 1 || json.is_null(0) {
        return exec_err!("[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] schema_of_json takes a constant JSON text, not NULL or a column");
    }
    let schema = of_text(json.value(0), options(args)?);
    Ok(Arc::new(StringArray::from(vec![schema.as_str(); rows.max(1)])))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(text: &str, o: Options) -> String {
        sql(&infer(&serde_json::from_str(text).unwrap(), o))
    }

    #[test]
    fn infers_sparks_types() {
        let o = Options::default();
        assert_eq!(schema(r#"{"c2":[1], "c1":0}"#, o), "STRUCT<c1: BIGINT, c2: ARRAY<BIGINT>>");
        assert_eq!(schema(r#"{"a":[1, 2.5], "b":[1, "x"], "c":null, "d e":true}"#, o), "STRUCT<a: ARRAY<DOUBLE>, b: ARRAY<STRING>, c: STRING, `d e`: BOOLEAN>");
        assert_eq!(schema(r#"[{"a":1}, {"b":"x"}]"#, o), "ARRAY<STRUCT<a: BIGINT, b: STRING>>");
        assert_eq!(schema(r#"{"c1":1}"#, Options { primitives_as_string: true, ..o }), "STRUCT<c1: STRING>");
        assert_eq!(schema(r#"{"c2":0.1}"#, Options { prefers_decimal: true, ..o }), "STRUCT<c2: DECIMAL(1,1)>");
    }

    #[test]
    fn leading_zeros_go_only_from_numbers() {
        assert_eq!(without_leading_zeros(r#"{"c1":01, "s":"007", "c2":0.1, "c3":100}"#), r#"{"c1":1, "s":"007", "c2":0.1, "c3":100}"#);
    }
}
