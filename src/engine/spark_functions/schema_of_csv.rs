//! `schema_of_csv(text [, options])`: the struct Spark infers for one line of CSV, in Spark's SQL
//! form (`STRUCT<_c0: INT, _c1: STRING>`). Each field takes the first of INT, BIGINT, DECIMAL
//! (whole numbers past 64 bits), DOUBLE, DATE, TIMESTAMP and BOOLEAN that reads it, else STRING;
//! an empty field is STRING. The text must be a constant.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{exec_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, Volatility};

use super::csv_options::{self, CsvOptions};
use super::from_csv::{date, double, timestamp, tokens};
use super::SparkFunction;
use crate::hiveql::time_zones::Zone;

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![SparkFunction::udf("schema_of_csv", Signature::variadic_any(Volatility::Immutable), |_| Ok(DataType::Utf8), schema_of_csv)]
}

/// The type Spark infers for one field.
fn infer(text: &str, o: &CsvOptions) -> Result<String> {
    if text.is_empty() || text == o.null_value {
        return Ok("STRING".into());
    }
    if text.parse::<i32>().is_ok() {
        return Ok("INT".into());
    }
    if text.parse::<i64>().is_ok() {
        return Ok("BIGINT".into());
    }
    let digits = text.trim_start_matches(['+', '-']);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        let precision = digits.trim_start_matches('0').len().max(1);
        return Ok(if precision <= 38 { format!("DECIMAL({precision},0)") } else { "DOUBLE".into() });
    }
    if double(text, o).is_some() {
        return Ok("DOUBLE".into());
    }
    let zone = Zone::utc();
    if date(text, o, &zone)?.is_some() {
        return Ok("DATE".into());
    }
    if timestamp(text, o, &zone)?.is_some() {
        return Ok("TIMESTAMP".into());
    }
    if text.eq_ignore_ascii_case("true") || text.eq_ignore_ascii_case("false") {
        return Ok("BOOLEAN".into());
    }
    Ok("STRING".into())
}

/// The schema's text for a line under the options.
fn of_line(line: &str, o: &CsvOptions) -> Result<String> {
    let fields = tokens(line, o)
        .into_iter()
        .enumerate()
        .map(|(k, token)| Ok(format!("_c{k}: {}", infer(&token.text, o)?)))
        .collect::<Result<Vec<_>>>()?;
    Ok(format!("STRUCT<{}>", fields.join(", ")))
}

/// The schema Spark infers for a line under the named options, for the front end to work out
/// `schema_of_csv` of a literal where `from_csv` needs a literal schema.
pub(crate) fn infer_schema(line: &str, options: &[(String, String)]) -> Option<String> {
    of_line(line, &csv_options::from_pairs("schema_of_csv", options).ok()?).ok()
}

fn schema_of_csv(args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    let Some(text) = args.first() else { return exec_err!("schema_of_csv takes a line of CSV") };
    let text = datafusion::arrow::compute::cast(text, &DataType::Utf8)?;
    let text = text.as_string::<i32>();
    if text.len() != 1 || text.is_null(0) {
        return exec_err!("[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] schema_of_csv takes a constant line of CSV, not NULL or a column");
    }
    if text.value(0).is_empty() {
        return exec_err!("[DATATYPE_MISMATCH.UNEXPECTED_NULL] schema_of_csv takes a line with at least one field, not ''");
    }
    let o = csv_options::read("schema_of_csv", args.get(1))?;
    let schema = of_line(text.value(0), &o)?;
    Ok(Arc::new(StringArray::from(vec![schema.as_str(); rows.max(1)])))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_take_sparks_types() {
        let o = CsvOptions::default();
        assert_eq!(
            of_line("1,abc,2.5,true,2020-01-01,2020-01-01 10:00:00,99999999999,1e10,,NaN", &o).unwrap(),
            "STRUCT<_c0: INT, _c1: STRING, _c2: DOUBLE, _c3: BOOLEAN, _c4: DATE, _c5: TIMESTAMP, _c6: BIGINT, _c7: DOUBLE, _c8: STRING, _c9: DOUBLE>"
        );
        assert_eq!(of_line("1.50,12345678901234567890123", &o).unwrap(), "STRUCT<_c0: DOUBLE, _c1: DECIMAL(23,0)>");
        assert_eq!(infer_schema("1|abc", &[("delimiter".into(), "|".into())]).unwrap(), "STRUCT<_c0: INT, _c1: STRING>");
    }
}
