//! Spark SQL functions that neither DataFusion nor datafusion-spark provides, with Spark's
//! semantics: each file holds one function family. They are registered in every session's state,
//! under Spark's names, so that HiveQL calls them as Spark users write them.

mod adjusted;
mod aes;
pub(crate) mod array_concat;
pub(crate) mod array_contains;
mod assertions;
pub(crate) mod ceil_floor_scale;
pub(crate) mod deferred;
pub(crate) mod text_arguments;
mod array_insert;
mod base32;
mod binary;
pub(crate) mod binary_strings;
mod bround;
mod charsets;
pub(crate) mod checked_round;
mod conv;
mod date_fields;
pub(crate) mod decimal_arith;
mod date_format;
pub(crate) mod datetime_parse;
mod datetime;
mod divide;
mod extract;
mod csv_options;
mod from_csv;
mod from_json;
mod hmac;
mod jaro_winkler;
mod java_methods;
mod java_patterns;
mod json;
mod json_path;
mod legacy_cast;
mod listagg_value;
pub(crate) use listagg_value::LISTAGG_VALUE;
mod locate;
mod format_number;
mod months_between;
mod options_map;
mod partition_info;
mod map_concat;
mod log1p;
mod mask;
mod murmur3;
pub(crate) use murmur3::HASH_IN_ZONE;
pub(crate) mod random;
mod random_draws;
mod reflect;
mod regexp;
pub(crate) mod round_scale;
pub(crate) use regexp::REGEXP_REPLACE;
pub(crate) mod schema_of_csv;
pub(crate) mod schema_of_json;
pub(crate) mod spark_text;
pub(crate) mod seconds_cast;
mod sentences;
mod sequence;
pub(crate) mod struct_star;
pub(crate) mod subscript;
mod timestamp_units;
pub(crate) mod time_windows;
mod to_csv;
mod to_json;
mod to_number;
mod try_arithmetic;
pub(crate) use try_arithmetic::checked as checked_arithmetic;
mod typeof_fn;
mod number_format;
pub(crate) mod char_write;
mod utf8;
mod whole_literal;
mod zip_names;
pub use zip_names::ZIP_NAMES;
pub use whole_literal::WHOLE_LITERAL;
pub(crate) mod wrapped;

use std::sync::Arc;

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature};

/// How a function computes its column from its arguments (as arrays) and the row count.
type Body = fn(&[ArrayRef], usize) -> Result<ArrayRef>;
/// A function's result type from its argument types.
type Returns = fn(&[DataType]) -> Result<DataType>;

/// A Spark function described by its name, signature, result type and body.
#[derive(Debug)]
pub(crate) struct SparkFunction {
    name: &'static str,
    signature: Signature,
    returns: Returns,
    body: Body,
}

impl SparkFunction {
    pub(crate) fn udf(name: &'static str, signature: Signature, returns: Returns, body: Body) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::from(SparkFunction { name, signature, returns, body }))
    }
}

// Functions are told apart by name: each name is registered once.
impl PartialEq for SparkFunction {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for SparkFunction {}

impl std::hash::Hash for SparkFunction {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

impl ScalarUDFImpl for SparkFunction {
    fn name(&self) -> &str {
        self.name
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        (self.returns)(args)
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let scalar = args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)));
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        columnar((self.body)(&arrays, rows)?, scalar)
    }
}

/// A function under `name` that gives its one argument as it is: a marker around an expression
/// that the planner must treat as the call it is ([`deferred`],
/// [`crate::engine::scalar_subquery_nulls`]).
pub(crate) fn identity_udf(name: &'static str, volatility: datafusion::logical_expr::Volatility) -> Arc<ScalarUDF> {
    SparkFunction::udf(name, Signature::any(1, volatility), |args: &[DataType]| Ok(args[0].clone()), |args: &[ArrayRef], _rows| Ok(Arc::clone(&args[0])))
}

/// A function's answer: a constant when all its arguments were (DataFusion can fold it), else the
/// column.
pub(crate) fn columnar(out: ArrayRef, scalar: bool) -> Result<ColumnarValue> {
    if scalar && out.len() == 1 {
        return Ok(ColumnarValue::Scalar(datafusion::scalar::ScalarValue::try_from_array(&out, 0)?));
    }
    Ok(ColumnarValue::Array(out))
}

/// The row of an argument to read for `row`: a constant argument has one.
pub(crate) fn row_of(a: &dyn datafusion::arrow::array::Array, row: usize) -> usize {
    if a.len() == 1 { 0 } else { row }
}

/// The types `inner` coerces these argument types to, for a function that wraps it.
pub(crate) fn coerced_by(inner: &ScalarUDF, arg_types: &[DataType]) -> Result<Vec<DataType>> {
    let fields: Vec<_> = arg_types.iter().map(|t| Arc::new(datafusion::arrow::datatypes::Field::new("", t.clone(), true))).collect();
    Ok(datafusion::logical_expr::type_coercion::functions::fields_with_udf(&fields, inner)?.iter().map(|f| f.data_type().clone()).collect())
}

/// The session's zone that the HiveQL front end passes to a datetime function as a trailing
/// argument; UTC without one.
fn zone_argument(arg: Option<&ArrayRef>) -> Result<crate::hiveql::time_zones::Zone> {
    use datafusion::arrow::array::{Array, AsArray};
    match arg {
        Some(z) if !z.is_empty() && z.is_valid(0) => {
            let z = datafusion::arrow::compute::cast(z, &DataType::Utf8)?;
            let name = z.as_string::<i32>().value(0).to_string();
            crate::hiveql::time_zones::Zone::parse(&name)
                .map_or_else(|| datafusion::common::exec_err!("[INVALID_TIMEZONE] '{name}' is not a time zone"), Ok)
        }
        _ => Ok(crate::hiveql::time_zones::Zone::utc()),
    }
}

/// A fixed result type.
fn string_result(_: &[DataType]) -> Result<DataType> {
    Ok(DataType::Utf8)
}

/// Every function here, ready to register.
pub(crate) fn all() -> Vec<Arc<ScalarUDF>> {
    let mut out = Vec::new();
    out.extend(aes::functions());
    out.extend(array_insert::functions());
    out.extend(assertions::functions());
    out.extend(bround::functions());
    out.extend(base32::functions());
    out.extend(binary::functions());
    out.extend(charsets::functions());
    out.extend(checked_round::functions());
    out.extend(conv::functions());
    out.extend(date_fields::functions());
    out.extend(decimal_arith::functions());
    out.extend(date_format::functions());
    out.extend(datetime::functions());
    out.extend(divide::functions());
    out.extend(extract::functions());
    out.extend(from_csv::functions());
    out.extend(from_json::functions());
    out.extend(hmac::functions());
    out.extend(jaro_winkler::functions());
    out.extend(json::functions());
    out.extend(json_path::functions());
    out.extend(deferred::functions());
    out.extend(ceil_floor_scale::functions());
    out.extend(legacy_cast::functions());
    out.extend(listagg_value::functions());
    out.extend(locate::functions());
    out.extend(format_number::functions());
    out.extend(months_between::functions());
    out.extend(map_concat::functions());
    out.extend(log1p::functions());
    out.extend(mask::functions());
    out.extend(murmur3::functions());
    out.extend(partition_info::functions());
    out.extend(random::functions());
    out.extend(reflect::functions());
    out.extend(regexp::functions());
    out.extend(schema_of_csv::functions());
    out.extend(schema_of_json::functions());
    out.extend(spark_text::functions());
    out.extend(seconds_cast::functions());
    out.extend(sentences::functions());
    out.extend(sequence::functions());
    out.extend(typeof_fn::functions());
    out.extend(subscript::functions());
    out.push(struct_star::udf());
    out.extend(timestamp_units::functions());
    out.extend(time_windows::functions());
    out.extend(to_csv::functions());
    out.extend(to_json::functions());
    out.extend(whole_literal::functions());
    out.extend(zip_names::functions());
    out.extend(to_number::functions());
    out.extend(try_arithmetic::functions());
    out.extend(utf8::functions());
    out
}
