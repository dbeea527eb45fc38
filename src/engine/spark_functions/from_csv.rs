//! `from_csv(text, schema [, options])`: one line of CSV read into a struct, as Spark reads it.
//! The schema is Spark's column list (`a INT, b STRING`) or a struct type, and must be a
//! constant. Fields are split at the separator, outside quotes; a quoted field may hold the
//! separator and escaped quotes (`\"`), and a field whose quotes do not close before the next
//! separator is read as written. Each field is read as its column's type, the way Spark's CSV
//! reader reads it: whole numbers without spaces, Java's doubles (`NaN`, `Infinity`), `true` or
//! `false`, dates and timestamps by `dateFormat`/`timestampFormat` or Spark's ISO forms. A field
//! that does not read is NULL (PERMISSIVE, where a `_corrupt_record` string column, if the schema
//! has one, gets the line), or an error under `mode` FAILFAST. Missing fields are NULL and extra
//! ones are dropped. The tokenizer and the field readers serve `schema_of_csv` too.

use std::sync::Arc;

use datafusion::arrow::array::{new_null_array, Array, ArrayRef, AsArray, StructArray};
use datafusion::arrow::buffer::NullBuffer;
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Fields, TimeUnit};
use datafusion::common::{exec_err, plan_err, Result, ScalarValue};
use datafusion::logical_expr::{ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use super::csv_options::{self, CsvOptions};
use super::java_patterns::pieces;
use crate::hiveql::time_zones::Zone;

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![Arc::new(ScalarUDF::from(FromCsv { signature: Signature::variadic_any(Volatility::Immutable) }))]
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct FromCsv {
    signature: Signature,
}

/// One field of a line: its text, and whether it was quoted.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Token {
    pub text: String,
    pub quoted: bool,
}

/// Whether a character is white space to the CSV reader (any control character or space).
fn blank(c: char) -> bool {
    c <= ' '
}

/// The fields of one line.
pub(super) fn tokens(line: &str, o: &CsvOptions) -> Vec<Token> {
    let chars: Vec<char> = line.chars().collect();
    let sep: Vec<char> = o.sep.chars().collect();
    let n = chars.len();
    let at_sep = |i: usize| chars[i..].starts_with(&sep);
    let next_sep = |from: usize| (from..n).find(|&k| at_sep(k)).unwrap_or(n);
    let (leading, trailing) = (o.ignore_leading.unwrap_or(false), o.ignore_trailing.unwrap_or(false));
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        let start = i;
        if leading {
            while i < n && blank(chars[i]) && !at_sep(i) {
                i += 1;
            }
        }
        if i < n && Some(chars[i]) == o.quote {
            let quote = chars[i];
            let (mut text, mut j, mut closed) = (String::new(), i + 1, None);
            while j < n {
                let c = chars[j];
                let next = chars.get(j + 1).copied();
                if c == o.escape && c != quote && (next == Some(quote) || next == Some(o.escape)) {
                    text.extend(next);
                    j += 2;
                } else if c == quote && o.escape == quote && next == Some(quote) {
                    text.push(quote);
                    j += 2;
                } else if c == quote {
                    closed = Some(j);
                    break;
                } else {
                    text.push(c);
                    j += 1;
                }
            }
            match closed {
                Some(j) => {
                    let mut k = j + 1;
                    while k < n && blank(chars[k]) && !at_sep(k) {
                        k += 1;
                    }
                    if k >= n || at_sep(k) {
                        out.push(Token { text, quoted: true });
                        i = k;
                    } else {
                        // A quote that does not close the field: the field is read as written.
                        let end = next_sep(start);
                        out.push(Token { text: chars[start..end].iter().collect(), quoted: false });
                        i = end;
                    }
                }
                None => {
                    out.push(Token { text, quoted: true });
                    i = n;
                }
            }
        } else {
            let end = next_sep(i);
            let mut text: String = chars[i..end].iter().collect();
            if trailing {
                text.truncate(text.trim_end_matches(blank).len());
            }
            out.push(Token { text, quoted: false });
            i = end;
        }
        if i < n && at_sep(i) {
            i += sep.len();
        } else {
            break;
        }
    }
    out
}

/// A whole number as Java reads it: an optional sign and digits, nothing else.
fn whole<T: std::str::FromStr>(text: &str) -> Option<T> {
    if text.starts_with('+') && text[1..].starts_with(['+', '-']) {
        return None;
    }
    text.parse().ok()
}

/// A double as Java's `Double.parseDouble` reads it (spaces around it allowed, `NaN`,
/// `Infinity`, a `d` or `f` suffix), or as the options spell NaN and the infinities.
pub(super) fn double(text: &str, o: &CsvOptions) -> Option<f64> {
    if text == o.nan_value {
        return Some(f64::NAN);
    }
    if text == o.positive_inf {
        return Some(f64::INFINITY);
    }
    if text == o.negative_inf {
        return Some(f64::NEG_INFINITY);
    }
    super::java_methods::java_double(text)
}

/// Spark's ISO forms of a timestamp, tried in turn where no `timestampFormat` is given.
const TIMESTAMP_FORMS: [&str; 3] = ["yyyy-MM-dd'T'HH:mm[:ss][.SSSSSS][XXX]", "yyyy-MM-dd HH:mm[:ss][.SSSSSS][XXX]", "yyyy-MM-dd[XXX]"];

/// A timestamp's wall-clock time in `zone`, read by the option's pattern or Spark's ISO forms.
pub(super) fn timestamp(text: &str, o: &CsvOptions, zone: &Zone) -> Result<Option<i64>> {
    if let Some(pattern) = &o.timestamp_format {
        return super::datetime_parse::wall_time(&pieces(pattern)?, text, zone);
    }
    for form in TIMESTAMP_FORMS {
        if let Some(t) = super::datetime_parse::wall_time(&pieces(form)?, text, zone)? {
            return Ok(Some(t));
        }
    }
    Ok(None)
}

/// A date's day number, read by the option's pattern or as `yyyy-MM-dd`.
pub(super) fn date(text: &str, o: &CsvOptions, zone: &Zone) -> Result<Option<i32>> {
    let pattern = o.date_format.as_deref().unwrap_or("yyyy-M-d");
    let micros = super::datetime_parse::wall_time(&pieces(pattern)?, text, zone)?;
    Ok(micros.and_then(|m| i32::try_from(m.div_euclid(86_400_000_000)).ok()))
}

/// A field's text read as a value of `t`; None when it does not read.
fn value(text: &str, t: &DataType, o: &CsvOptions, zone: &Zone) -> Result<Option<ScalarValue>> {
    Ok(match t {
        DataType::Utf8 => Some(ScalarValue::Utf8(Some(text.to_string()))),
        DataType::Int8 => whole::<i8>(text).map(|v| ScalarValue::Int8(Some(v))),
        DataType::Int16 => whole::<i16>(text).map(|v| ScalarValue::Int16(Some(v))),
        DataType::Int32 => whole::<i32>(text).map(|v| ScalarValue::Int32(Some(v))),
        DataType::Int64 => whole::<i64>(text).map(|v| ScalarValue::Int64(Some(v))),
        DataType::Float64 => double(text, o).map(|v| ScalarValue::Float64(Some(v))),
        DataType::Float32 => double(text, o).map(|v| ScalarValue::Float32(Some(v as f32))),
        DataType::Boolean => match text.to_ascii_lowercase().as_str() {
            "true" => Some(ScalarValue::Boolean(Some(true))),
            "false" => Some(ScalarValue::Boolean(Some(false))),
            _ => None,
        },
        DataType::Decimal128(..) => ScalarValue::Utf8(Some(text.trim_matches(blank).to_string())).cast_to(t).ok().filter(|v| !v.is_null()),
        DataType::Date32 => date(text, o, zone)?.map(|d| ScalarValue::Date32(Some(d))),
        DataType::Timestamp(TimeUnit::Microsecond, None) => timestamp(text, o, zone)?.map(|m| ScalarValue::TimestampMicrosecond(Some(m), None)),
        other => return exec_err!("[UNSUPPORTED_DATATYPE] CSV does not support the type {other}"),
    })
}

/// Whether CSV can hold a column of this type.
fn supported(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Utf8
            | DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::Float32
            | DataType::Float64
            | DataType::Boolean
            | DataType::Decimal128(..)
            | DataType::Date32
            | DataType::Timestamp(TimeUnit::Microsecond, None)
    )
}

/// The struct type a schema argument names.
fn schema_of(scalar: Option<&ScalarValue>) -> Result<Fields> {
    let text = match scalar.map(|s| s.cast_to(&DataType::Utf8)) {
        Some(Ok(ScalarValue::Utf8(Some(text)))) => text,
        _ => return plan_err!("[INVALID_SCHEMA.NON_STRING_LITERAL] from_csv's schema must be a constant string"),
    };
    match super::from_json::schema_type(&text).map_err(|e| datafusion::common::DataFusionError::Plan(e.to_string().replace("from_json", "from_csv")))? {
        DataType::Struct(fields) => {
            if let Some(f) = fields.iter().find(|f| !supported(f.data_type())) {
                return plan_err!("[UNSUPPORTED_DATATYPE] CSV does not support the type {} of column {}", f.data_type(), f.name());
            }
            Ok(fields)
        }
        other => plan_err!("[INVALID_SCHEMA.NON_STRUCT_TYPE] from_csv's schema '{text}' must be a struct, not {other}"),
    }
}

/// One line read into the fields' values; an error under FAILFAST when a field does not read.
fn read_line(line: &str, fields: &Fields, o: &CsvOptions, zone: &Zone) -> Result<Vec<ScalarValue>> {
    let mut tokens = tokens(line, o).into_iter();
    let mut out = Vec::with_capacity(fields.len());
    let mut malformed = false;
    let corrupt = fields.iter().position(|f| f.name() == &o.corrupt_column && f.data_type() == &DataType::Utf8);
    for (k, f) in fields.iter().enumerate() {
        if Some(k) == corrupt {
            out.push(ScalarValue::Utf8(None));
            continue;
        }
        let read = match tokens.next() {
            Some(token) if token.text == o.null_value => None,
            Some(token) => {
                let v = value(&token.text, f.data_type(), o, zone)?;
                malformed |= v.is_none();
                v
            }
            None => None,
        };
        out.push(read.map_or_else(|| ScalarValue::try_from(f.data_type()), Ok)?);
    }
    if malformed && o.failfast {
        let record: Vec<String> = out.iter().map(|v| if v.is_null() { "null".into() } else { v.to_string() }).collect();
        return exec_err!(
            "[MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION] Malformed records are detected in record parsing: [{}]. Parse Mode: FAILFAST. To process malformed records as null result, try setting the option 'mode' as 'PERMISSIVE'.",
            record.join(",")
        );
    }
    if let (true, Some(k)) = (malformed, corrupt) {
        out[k] = ScalarValue::Utf8(Some(line.to_string()));
    }
    Ok(out)
}

impl ScalarUDFImpl for FromCsv {
    fn name(&self) -> &str {
        "from_csv"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        plan_err!("from_csv takes its type from its schema")
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let n = args.arg_fields.len();
        if !(2..=4).contains(&n) {
            return plan_err!("[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `from_csv` requires [2, 3] parameters but the actual number is {n}.");
        }
        if let Some(options) = args.arg_fields.get(2) {
            super::options_map::check_type("from_csv", options.data_type())?;
        }
        let fields = schema_of(args.scalar_arguments.get(1).copied().flatten())?;
        Ok(Arc::new(Field::new("from_csv", DataType::Struct(fields), true)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let DataType::Struct(fields) = args.return_field.data_type().clone() else { return exec_err!("from_csv returns a struct") };
        let scalar = args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)));
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let zone = super::zone_argument(arrays.get(3))?;
        let Some(text) = arrays.first() else { return exec_err!("from_csv takes a line of CSV") };
        let text = cast(text, &DataType::Utf8)?;
        let text = text.as_string::<i32>();
        let rows = if scalar { 1 } else { args.number_rows };
        let mut columns: Vec<Vec<ScalarValue>> = vec![Vec::with_capacity(rows); fields.len()];
        let mut valid = Vec::with_capacity(rows);
        // The options are a constant map, as Spark requires.
        let o = csv_options::read("from_csv", arrays.get(2))?;
        for row in 0..rows {
            let at = super::row_of(text, row);
            let values = if text.is_null(at) {
                valid.push(false);
                fields.iter().map(|f| ScalarValue::try_from(f.data_type())).collect::<Result<Vec<_>>>()?
            } else {
                valid.push(true);
                read_line(text.value(at), &fields, &o, &zone)?
            };
            for (column, v) in columns.iter_mut().zip(values) {
                column.push(v);
            }
        }
        let columns = columns
            .into_iter()
            .zip(fields.iter())
            .map(|(values, f)| if values.is_empty() { Ok(new_null_array(f.data_type(), 0)) } else { ScalarValue::iter_to_array(values) })
            .collect::<Result<Vec<ArrayRef>>>()?;
        let out: ArrayRef = Arc::new(StructArray::try_new(fields, columns, Some(NullBuffer::from(valid)))?);
        super::columnar(out, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(line: &str, o: &CsvOptions) -> Vec<String> {
        tokens(line, o).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn lines_split_outside_quotes() {
        let o = CsvOptions::default();
        assert_eq!(texts("1, 3.14", &o), vec!["1", " 3.14"]);
        assert_eq!(texts(r#""a,b",c"#, &o), vec!["a,b", "c"]);
        assert_eq!(texts(r#""a\"b",c"#, &o), vec![r#"a"b"#, "c"]);
        assert_eq!(texts(r#""a""b",c"#, &o), vec![r#""a""b""#, "c"]);
        assert_eq!(texts(",", &o), vec!["", ""]);
        assert_eq!(texts("", &o), vec![""]);
    }

    #[test]
    fn fields_read_as_spark_reads_them() {
        let (o, z) = (CsvOptions::default(), Zone::utc());
        assert_eq!(value(" 1", &DataType::Int32, &o, &z).unwrap(), None);
        assert_eq!(value(" 2.5", &DataType::Float64, &o, &z).unwrap(), Some(ScalarValue::Float64(Some(2.5))));
        assert_eq!(value("1.0", &DataType::Int32, &o, &z).unwrap(), None);
        assert!(double("-Inf", &o).is_some_and(|d| d == f64::NEG_INFINITY));
        assert_eq!(value("2020-01-02", &DataType::Date32, &o, &z).unwrap(), Some(ScalarValue::Date32(Some(18263))));
        let t = value("2020-01-02T03:04:05.123Z", &DataType::Timestamp(TimeUnit::Microsecond, None), &o, &z).unwrap();
        assert_eq!(t, Some(ScalarValue::TimestampMicrosecond(Some(1_577_934_245_123_000), None)));
    }

    #[test]
    fn a_bad_field_is_null_or_fails_the_line() {
        let fields = Fields::from(vec![Field::new("a", DataType::Int32, true), Field::new("_corrupt_record", DataType::Utf8, true)]);
        let mut o = CsvOptions::default();
        let values = read_line("x,1", &fields, &o, &Zone::utc()).unwrap();
        assert_eq!(values, vec![ScalarValue::Int32(None), ScalarValue::Utf8(Some("x,1".into()))]);
        o.failfast = true;
        assert!(read_line("x,1", &fields, &o, &Zone::utc()).is_err());
    }
}
