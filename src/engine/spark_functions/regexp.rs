//! Spark's regular-expression functions that DataFusion lacks: `regexp_extract(s, re [, group])`,
//! `regexp_extract_all(s, re [, group])`, `regexp_substr(s, re)`, `split(s, re [, limit])`, and
//! Spark's `regexp_replace(s, re, rep [, position])` (every match from `position` on, `$1` for a
//! group in `rep`), which the HiveQL front end calls in place of PostgreSQL's (first match only).
//! Patterns are Java's syntax; the common subset that Rust's `regex` shares is accepted, and a
//! pattern outside it (look-around, back-references) is reported as not supported.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListBuilder, StringArray, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Field, Int64Type};
use datafusion::common::{exec_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, TypeSignature, Volatility};
use regex::Regex;

use super::{string_result, SparkFunction};

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    let sig = |with_int: bool| {
        let mut shapes = vec![TypeSignature::Exact(vec![DataType::Utf8, DataType::Utf8])];
        if with_int {
            shapes.push(TypeSignature::Exact(vec![DataType::Utf8, DataType::Utf8, DataType::Int64]));
        }
        Signature::one_of(shapes, Volatility::Immutable)
    };
    vec![
        SparkFunction::udf("regexp_extract", sig(true), string_result, regexp_extract),
        SparkFunction::udf("regexp_extract_all", sig(true), string_list, regexp_extract_all),
        SparkFunction::udf("regexp_substr", sig(false), string_result, regexp_substr),
        SparkFunction::udf("split", sig(true), string_list, split),
        SparkFunction::udf(REGEXP_REPLACE, replace_sig(), string_result, regexp_replace),
    ]
}

/// Spark's `regexp_replace`, under the engine's name.
pub(crate) const REGEXP_REPLACE: &str = "hivewire_regexp_replace";

fn replace_sig() -> Signature {
    let text = DataType::Utf8;
    Signature::one_of(
        vec![
            TypeSignature::Exact(vec![text.clone(), text.clone(), text.clone()]),
            TypeSignature::Exact(vec![text.clone(), text.clone(), text.clone(), DataType::Int64]),
        ],
        Volatility::Immutable,
    )
}

/// A Java replacement string in Rust's form: `$n` (as many digits as name a group) and `${name}`
/// refer to groups, `\x` is `x` itself, and a `$` Rust would read is doubled.
fn rust_replacement(java: &str, groups: usize) -> Result<String> {
    let mut out = String::with_capacity(java.len());
    let mut chars = java.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('$') => out.push_str("$$"),
                Some(x) => out.push(x),
                None => return exec_err!("character to be escaped is missing in the replacement '{java}'"),
            },
            '$' if chars.peek() == Some(&'{') => {
                out.push('$');
                for x in chars.by_ref() {
                    out.push(x);
                    if x == '}' {
                        break;
                    }
                }
            }
            '$' => {
                let mut number = String::new();
                while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                    let longer = format!("{number}{d}");
                    if !number.is_empty() && longer.parse::<usize>().map_or(true, |n| n > groups) {
                        break;
                    }
                    number = longer;
                    chars.next();
                }
                if number.is_empty() {
                    return exec_err!("illegal group reference in the replacement '{java}'");
                }
                if number.parse::<usize>().map_or(true, |n| n > groups) {
                    return exec_err!("no group {number} in the pattern for the replacement '{java}'");
                }
                out.push_str(&format!("${{{number}}}"));
            }
            other => out.push(other),
        }
    }
    Ok(out)
}

fn regexp_replace(args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    let strings: Vec<&StringArray> = args[..3].iter().map(|a| a.as_string::<i32>()).collect();
    let positions = args.get(3).map(|a| a.as_primitive::<Int64Type>());
    let mut out = StringBuilder::new();
    let mut cache: Option<(String, String, Regex, String)> = None;
    for row in 0..rows {
        let at = |a: &dyn Array| if a.len() == 1 { 0 } else { row };
        let [input, pattern, replacement] = [strings[0], strings[1], strings[2]];
        let position = positions.map(|p| (p.is_valid(at(p)), p.value(at(p))));
        if input.is_null(at(input)) || pattern.is_null(at(pattern)) || replacement.is_null(at(replacement)) || position.is_some_and(|(valid, _)| !valid) {
            out.append_null();
            continue;
        }
        let (p, r) = (pattern.value(at(pattern)), replacement.value(at(replacement)));
        let fresh = !matches!(&cache, Some((cp, cr, _, _)) if cp == p && cr == r);
        if fresh {
            let re = compile(p)?;
            let rust = rust_replacement(r, re.captures_len() - 1)?;
            cache = Some((p.to_string(), r.to_string(), re, rust));
        }
        let Some((_, _, re, rust)) = &cache else { return exec_err!("regexp_replace lost its pattern") };
        let position = position.map_or(1, |(_, p)| p);
        if position < 1 {
            return exec_err!("[INVALID_PARAMETER_VALUE.REGEX_POSITION] regexp_replace's position must be at least 1, not {position}");
        }
        let s = input.value(at(input));
        let start = s.char_indices().nth(usize::try_from(position - 1).unwrap_or(usize::MAX)).map_or(s.len(), |(i, _)| i);
        let (kept, searched) = s.split_at(start);
        out.append_value(format!("{kept}{}", re.replace_all(searched, rust.as_str())));
    }
    Ok(Arc::new(out.finish()))
}

fn string_list(_: &[DataType]) -> Result<DataType> {
    Ok(DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true))))
}

/// The arguments of one row: the string, the pattern, and the integer argument (if any).
struct Rows<'a> {
    input: &'a StringArray,
    patterns: &'a StringArray,
    ints: Option<&'a datafusion::arrow::array::PrimitiveArray<Int64Type>>,
    cache: Option<(String, Regex)>,
}

impl<'a> Rows<'a> {
    fn new(args: &'a [ArrayRef]) -> Result<Self> {
        let text = |a: &'a ArrayRef| match a.as_any().downcast_ref::<StringArray>() {
            Some(s) => Ok(s),
            None => exec_err!("expected a string argument, not {}", a.data_type()),
        };
        Ok(Rows { input: text(&args[0])?, patterns: text(&args[1])?, ints: args.get(2).map(|a| a.as_primitive::<Int64Type>()), cache: None })
    }

    fn len(&self) -> usize {
        self.input.len()
    }

    /// The row's string, compiled pattern and integer, or None when any is NULL.
    fn get(&mut self, row: usize, default_int: i32) -> Result<Option<(&'a str, Regex, i32)>> {
        let at = |a: &dyn Array| if a.len() == 1 { 0 } else { row };
        let (input, patterns) = (self.input, self.patterns);
        if input.is_null(row) || patterns.is_null(at(patterns)) {
            return Ok(None);
        }
        let n = match self.ints {
            None => default_int,
            Some(ints) if ints.is_null(at(ints)) => return Ok(None),
            Some(ints) => i32::try_from(ints.value(at(ints))).unwrap_or(i32::MAX),
        };
        let pattern = patterns.value(at(patterns));
        let re = match &self.cache {
            Some((p, re)) if p == pattern => re.clone(),
            _ => {
                let re = compile(pattern)?;
                self.cache = Some((pattern.to_string(), re.clone()));
                re
            }
        };
        Ok(Some((input.value(row), re, n)))
    }
}

fn compile(pattern: &str) -> Result<Regex> {
    match Regex::new(pattern) {
        Ok(re) => Ok(re),
        Err(regex::Error::Syntax(msg)) if msg.contains("look-around") || msg.contains("backreferences") => {
            exec_err!("regular expression '{pattern}': look-around and back-references are not supported")
        }
        Err(e) => exec_err!("[INVALID_PARAMETER_VALUE.PATTERN] invalid regular expression '{pattern}': {e}"),
    }
}

fn check_group(re: &Regex, group: i32) -> Result<usize> {
    let count = re.captures_len() - 1;
    match usize::try_from(group) {
        Ok(g) if g <= count => Ok(g),
        _ => exec_err!("[INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX] the regular expression has {count} groups, but the group index is {group}"),
    }
}

fn regexp_extract(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let mut rows = Rows::new(args)?;
    let mut out = StringBuilder::new();
    for row in 0..rows.len() {
        match rows.get(row, 1)? {
            None => out.append_null(),
            Some((s, re, group)) => {
                let group = check_group(&re, group)?;
                let found = re.captures(s).and_then(|c| c.get(group)).map(|m| m.as_str()).unwrap_or("");
                out.append_value(found);
            }
        }
    }
    Ok(Arc::new(out.finish()))
}

fn regexp_extract_all(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let mut rows = Rows::new(args)?;
    let mut out = ListBuilder::new(StringBuilder::new());
    for row in 0..rows.len() {
        match rows.get(row, 1)? {
            None => out.append_null(),
            Some((s, re, group)) => {
                let group = check_group(&re, group)?;
                for c in re.captures_iter(s) {
                    out.values().append_value(c.get(group).map(|m| m.as_str()).unwrap_or(""));
                }
                out.append(true);
            }
        }
    }
    Ok(Arc::new(out.finish()))
}

fn regexp_substr(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let mut rows = Rows::new(args)?;
    let mut out = StringBuilder::new();
    for row in 0..rows.len() {
        match rows.get(row, 0)? {
            Some((s, re, _)) => out.append_option(re.find(s).map(|m| m.as_str())),
            None => out.append_null(),
        }
    }
    Ok(Arc::new(out.finish()))
}

/// Java's `String.split(regex, limit)` as Spark calls it: a positive limit caps the number of
/// parts (the last holds the rest); otherwise every part is kept, trailing empty ones too. An
/// empty pattern splits between characters.
fn split_one(s: &str, re: &Regex, limit: i32) -> Vec<String> {
    let cap = usize::try_from(limit).ok().filter(|l| *l > 0);
    if re.as_str().is_empty() {
        // Empty text is one empty part, as Java's split gives it.
        if s.is_empty() {
            return vec![String::new()];
        }
        let chars: Vec<String> = s.chars().map(String::from).collect();
        return match cap {
            Some(c) if c < chars.len() => {
                let mut head: Vec<String> = chars[..c - 1].to_vec();
                head.push(chars[c - 1..].concat());
                head
            }
            _ => chars,
        };
    }
    let mut parts = Vec::new();
    let mut start = 0;
    for m in re.find_iter(s) {
        if cap.is_some_and(|c| parts.len() + 1 >= c) {
            break;
        }
        // A zero-width match at the start gives no leading empty part, as in Java.
        if m.end() == 0 {
            continue;
        }
        if m.start() == m.end() && m.start() >= s.len() {
            break;
        }
        parts.push(s[start..m.start()].to_string());
        start = m.end();
    }
    parts.push(s[start..].to_string());
    parts
}

fn split(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let mut rows = Rows::new(args)?;
    let mut out = ListBuilder::new(StringBuilder::new());
    for row in 0..rows.len() {
        match rows.get(row, -1)? {
            None => out.append_null(),
            Some((s, re, limit)) => {
                for part in split_one(s, &re, limit) {
                    out.values().append_value(part);
                }
                out.append(true);
            }
        }
    }
    Ok(Arc::new(out.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn re(p: &str) -> Regex {
        Regex::new(p).unwrap()
    }

    #[test]
    fn split_follows_java() {
        assert_eq!(split_one("oneAtwoBthreeC", &re("[ABC]"), -1), vec!["one", "two", "three", ""]);
        assert_eq!(split_one("oneAtwoBthreeC", &re("[ABC]"), 2), vec!["one", "twoBthreeC"]);
        assert_eq!(split_one("abc", &re(""), -1), vec!["a", "b", "c"]);
        assert_eq!(split_one("abc", &re(""), 2), vec!["a", "bc"]);
        assert_eq!(split_one("", &re(","), -1), vec![""]);
        assert_eq!(split_one("", &re(""), -1), vec![""]);
    }

    #[test]
    fn unsupported_patterns_say_so() {
        let e = compile("(?<=a)b").unwrap_err().to_string();
        assert!(e.contains("not supported"), "{e}");
    }

    #[test]
    fn java_replacements_become_rusts() {
        assert_eq!(rust_replacement("num", 1).unwrap(), "num");
        assert_eq!(rust_replacement("<$1>", 1).unwrap(), "<${1}>");
        assert_eq!(rust_replacement("$12", 1).unwrap(), "${1}2");
        assert_eq!(rust_replacement("\\$", 0).unwrap(), "$$");
        assert!(rust_replacement("$2", 1).is_err());
    }
}
