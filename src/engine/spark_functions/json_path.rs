//! `get_json_object(json, path)`: the part of a JSON document a path picks, as Spark gives it. The
//! path starts at `$` and goes down by `.name`, `['name']`, `[index]` and `[*]` (every element of
//! an array). A string is given without its quotes; anything else as compact JSON, keys in
//! document order and fractions as Java prints doubles (`1.0E10`). A path through `[*]` gives the
//! one match, or an array of several. Invalid JSON or path, a missing part, or a JSON `null` give NULL.

use std::fmt::Write as _;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ScalarUDF, Signature, Volatility};
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{row_of, string_result, SparkFunction};

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![SparkFunction::udf("get_json_object", Signature::any(2, Volatility::Immutable), string_result, get_json_object)]
}

/// A JSON value with its object keys in document order.
#[derive(Debug, Clone, PartialEq)]
enum Json {
    Null,
    Bool(bool),
    Whole(String),
    Fraction(f64),
    Text(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Json;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_unit<E>(self) -> std::result::Result<Json, E> {
                Ok(Json::Null)
            }
            fn visit_bool<E>(self, b: bool) -> std::result::Result<Json, E> {
                Ok(Json::Bool(b))
            }
            fn visit_i64<E>(self, n: i64) -> std::result::Result<Json, E> {
                Ok(Json::Whole(n.to_string()))
            }
            fn visit_u64<E>(self, n: u64) -> std::result::Result<Json, E> {
                Ok(Json::Whole(n.to_string()))
            }
            fn visit_f64<E>(self, n: f64) -> std::result::Result<Json, E> {
                Ok(Json::Fraction(n))
            }
            fn visit_str<E>(self, s: &str) -> std::result::Result<Json, E> {
                Ok(Json::Text(s.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Json, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Json::Array(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Json, A::Error> {
                let mut entries = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Json>()? {
                    entries.push((k, v));
                }
                Ok(Json::Object(entries))
            }
        }
        d.deserialize_any(V)
    }
}

impl Json {
    fn write(&self, out: &mut String) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Whole(n) => out.push_str(n),
            Json::Fraction(x) => out.push_str(&crate::hiveql::java_numbers::double_text(*x)),
            Json::Text(s) => out.push_str(&serde_json::to_string(s).unwrap_or_default()),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Json::Object(entries) => {
                out.push('{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    let _ = write!(out, "{}:", serde_json::to_string(k).unwrap_or_default());
                    v.write(out);
                }
                out.push('}');
            }
        }
    }

    /// The answer for this value: a string without quotes, NULL for null, else JSON text.
    fn answer(&self) -> Option<String> {
        match self {
            Json::Null => None,
            Json::Text(s) => Some(s.clone()),
            other => {
                let mut out = String::new();
                other.write(&mut out);
                Some(out)
            }
        }
    }
}

/// One step of a path.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
    Every,
}

/// The steps of a path, or None when it is not one Spark reads.
fn parse_path(path: &str) -> Option<Vec<Step>> {
    let mut rest = path.strip_prefix('$')?;
    let mut steps = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            let key = &after[..end];
            if key.is_empty() {
                return None;
            }
            if key == "*" {
                return None;
            }
            steps.push(Step::Key(key.to_string()));
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix("['") {
            let end = after.find("']")?;
            steps.push(Step::Key(after[..end].to_string()));
            rest = &after[end + 2..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let end = after.find(']')?;
            let inside = after[..end].trim();
            steps.push(if inside == "*" { Step::Every } else { Step::Index(inside.parse().ok()?) });
            rest = &after[end + 1..];
        } else {
            return None;
        }
    }
    Some(steps)
}

/// The values the steps reach from `value`.
fn follow<'a>(value: &'a Json, steps: &[Step], out: &mut Vec<&'a Json>) {
    let Some((step, rest)) = steps.split_first() else {
        out.push(value);
        return;
    };
    match (step, value) {
        (Step::Key(k), Json::Object(entries)) => {
            if let Some((_, v)) = entries.iter().find(|(key, _)| key == k) {
                follow(v, rest, out);
            }
        }
        (Step::Index(i), Json::Array(items)) => {
            if let Some(v) = items.get(*i) {
                follow(v, rest, out);
            }
        }
        (Step::Every, Json::Array(items)) => items.iter().for_each(|v| follow(v, rest, out)),
        _ => {}
    }
}

/// The answer for one document and path.
fn pick(json: &str, path: &str) -> Option<String> {
    let steps = parse_path(path)?;
    let doc: Json = serde_json::from_str(json).ok()?;
    let mut found = Vec::new();
    follow(&doc, &steps, &mut found);
    if !steps.contains(&Step::Every) {
        return found.first()?.answer();
    }
    match found.as_slice() {
        [] => None,
        [one] => one.answer(),
        many => Json::Array(many.iter().map(|v| (*v).clone()).collect()).answer(),
    }
}

fn get_json_object(args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    let json = cast(&args[0], &DataType::Utf8)?;
    let path = cast(&args[1], &DataType::Utf8)?;
    let (json, path) = (json.as_string::<i32>(), path.as_string::<i32>());
    let mut out = StringBuilder::new();
    for row in 0..rows {
        let (j, p) = (row_of(json, row), row_of(path, row));
        let answer = (json.is_valid(j) && path.is_valid(p)).then(|| pick(json.value(j), path.value(p))).flatten();
        out.append_option(answer);
    }
    Ok(Arc::new(out.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_pick_values_as_spark_prints_them() {
        let doc = r#"{"store": {"fruit": [{"weight": 8, "type": "apple"}, {"weight": 9, "type": "pear"}], "b": 1e10, "n": null}}"#;
        assert_eq!(pick(doc, "$.store.fruit[0].type").as_deref(), Some("apple"));
        assert_eq!(pick(doc, "$.store.fruit[1]").as_deref(), Some(r#"{"weight":9,"type":"pear"}"#));
        assert_eq!(pick(doc, "$['store']['b']").as_deref(), Some("1.0E10"));
        assert_eq!(pick(doc, "$.store.fruit[*].weight").as_deref(), Some("[8,9]"));
        assert_eq!(pick(doc, "$.store.n"), None);
        assert_eq!(pick(doc, "$.store.missing"), None);
        assert_eq!(pick("not json", "$.a"), None);
        assert_eq!(pick(doc, "store"), None);
        assert_eq!(pick(r#"[{"a": 1}]"#, "$[*].a").as_deref(), Some("1"));
    }
}
