//! PostgreSQL system functions that psql and drivers call in their catalog queries and that
//! neither DataFusion nor datafusion-pg-catalog provides.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray, Int32Array, StringArray};
use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::common::Result;
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, TypeSignature, Volatility,
};

/// How a function computes its column from its (array) arguments and the row count.
type Body = fn(&[ArrayRef], usize) -> Result<ArrayRef>;

/// A catalog function described by its name, accepted argument counts, result type and body.
#[derive(Debug)]
struct PgFunction {
    name: &'static str,
    signature: Signature,
    returns: DataType,
    body: Body,
}

impl PgFunction {
    fn udf(name: &'static str, signature: Signature, returns: DataType, body: Body) -> ScalarUDF {
        ScalarUDF::from(PgFunction { name, signature, returns, body })
    }
}

// Functions are told apart by name: each name is registered once.
impl PartialEq for PgFunction {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for PgFunction {}

impl std::hash::Hash for PgFunction {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

impl ScalarUDFImpl for PgFunction {
    fn name(&self) -> &str {
        self.name
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(self.returns.clone())
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        Ok(ColumnarValue::Array((self.body)(&arrays, rows)?))
    }
}

/// Any argument types, with one of the given argument counts.
fn any_of(counts: &[usize]) -> Signature {
    Signature::one_of(counts.iter().map(|n| TypeSignature::Any(*n)).collect(), Volatility::Stable)
}

/// Every function here, ready to register.
pub(crate) fn all() -> Vec<ScalarUDF> {
    vec![
        // Every type and function lives in pg_catalog, which is always on the search path.
        PgFunction::udf("pg_type_is_visible", any_of(&[1]), DataType::Boolean, all_true),
        PgFunction::udf("pg_function_is_visible", any_of(&[1]), DataType::Boolean, all_true),
        PgFunction::udf("pg_operator_is_visible", any_of(&[1]), DataType::Boolean, all_true),
        PgFunction::udf("pg_conversion_is_visible", any_of(&[1]), DataType::Boolean, all_true),
        PgFunction::udf("pg_collation_is_visible", any_of(&[1]), DataType::Boolean, all_true),
        PgFunction::udf("pg_opclass_is_visible", any_of(&[1]), DataType::Boolean, all_true),
        // There are no roles yet: every user holds every role.
        PgFunction::udf("pg_has_role", any_of(&[2, 3]), DataType::Boolean, all_true),
        // Comments are kept in the Hive catalog and shown by DESCRIBE; catalog objects seen
        // through pg_catalog carry none.
        PgFunction::udf("obj_description", any_of(&[1, 2]), DataType::Utf8, all_null_text),
        PgFunction::udf("col_description", any_of(&[2]), DataType::Utf8, all_null_text),
        PgFunction::udf("shobj_description", any_of(&[2]), DataType::Utf8, all_null_text),
        // There are no indexes, rules, triggers or user functions to describe.
        PgFunction::udf("pg_get_indexdef", any_of(&[1, 3]), DataType::Utf8, all_null_text),
        PgFunction::udf("pg_get_function_result", any_of(&[1]), DataType::Utf8, all_null_text),
        PgFunction::udf("pg_get_function_arguments", any_of(&[1]), DataType::Utf8, all_null_text),
        // No column is backed by a sequence.
        PgFunction::udf("pg_get_serial_sequence", any_of(&[2]), DataType::Utf8, all_null_text),
        PgFunction::udf("pg_size_pretty", any_of(&[1]), DataType::Utf8, size_pretty),
        // Sizes are not tracked through pg_catalog: data lives in object stores, where measuring
        // it means listing every file.
        PgFunction::udf("pg_database_size", any_of(&[1]), DataType::Int64, all_null_bigint),
        PgFunction::udf("pg_table_size", any_of(&[1]), DataType::Int64, all_null_bigint),
        PgFunction::udf("pg_indexes_size", any_of(&[1]), DataType::Int64, all_null_bigint),
        // The one tablespace is the default one, which has no location of its own.
        PgFunction::udf("pg_tablespace_location", any_of(&[1]), DataType::Utf8, all_null_text),
        PgFunction::udf("to_regtype", any_of(&[1]), DataType::Int32, to_regtype),
    ]
}

fn all_true(_args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    Ok(Arc::new(BooleanArray::from(vec![true; rows])))
}

fn all_null_bigint(_args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    Ok(Arc::new(datafusion::arrow::array::Int64Array::new_null(rows)))
}

fn all_null_text(_args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    Ok(Arc::new(StringArray::new_null(rows)))
}

/// `pg_size_pretty(bigint)`: bytes in the largest unit that keeps at least 10 of them, rounded
/// half away from zero, as PostgreSQL prints it.
fn size_pretty(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let sizes = datafusion::arrow::compute::cast(&args[0], &DataType::Int64)?;
    let sizes = sizes.as_primitive::<Int64Type>();
    let out: StringArray = sizes.iter().map(|s| s.map(pretty_size)).collect();
    Ok(Arc::new(out))
}

/// PostgreSQL's rule: below 10 kB in bytes; otherwise halve-and-round into kB, MB, GB, TB, PB.
pub(crate) fn pretty_size(size: i64) -> String {
    const UNITS: [&str; 5] = ["kB", "MB", "GB", "TB", "PB"];
    const LIMIT: i64 = 10 * 1024;
    if size.abs() < LIMIT {
        return format!("{size} bytes");
    }
    let half_rounded = |v: i64| (v + if v < 0 { -1 } else { 1 }) / 2;
    // One extra bit is kept for rounding.
    let mut value = size >> 9;
    for (i, unit) in UNITS.iter().enumerate() {
        if value.abs() < LIMIT * 2 - 1 || i == UNITS.len() - 1 {
            return format!("{} {unit}", half_rounded(value));
        }
        value >>= 10;
    }
    format!("{size} bytes")
}

/// `to_regtype(name)`: the oid of a built-in PostgreSQL type, or NULL for a type that does not exist
/// here (drivers probe for extension types such as hstore this way).
fn to_regtype(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let names = datafusion::arrow::compute::cast(&args[0], &DataType::Utf8)?;
    let names = names.as_string::<i32>();
    let out: Int32Array =
        (0..names.len()).map(|i| if names.is_null(i) { None } else { type_oid(names.value(i)) }).collect();
    Ok(Arc::new(out))
}

fn type_oid(name: &str) -> Option<i32> {
    let n = name.trim().trim_start_matches("pg_catalog.").to_lowercase();
    Some(match n.as_str() {
        "bool" | "boolean" => 16,
        "bytea" => 17,
        "int8" | "bigint" => 20,
        "int2" | "smallint" => 21,
        "int4" | "integer" | "int" => 23,
        "text" => 25,
        "oid" => 26,
        "json" => 114,
        "float4" | "real" => 700,
        "float8" | "double precision" => 701,
        "varchar" | "character varying" => 1043,
        "date" => 1082,
        "time" | "time without time zone" => 1083,
        "timestamp" | "timestamp without time zone" => 1114,
        "timestamptz" | "timestamp with time zone" => 1184,
        "interval" => 1186,
        "numeric" | "decimal" => 1700,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::pretty_size;

    #[test]
    fn sizes_print_as_postgresql_prints_them() {
        assert_eq!(pretty_size(0), "0 bytes");
        assert_eq!(pretty_size(10239), "10239 bytes");
        assert_eq!(pretty_size(10240), "10 kB");
        assert_eq!(pretty_size(1_000_000), "977 kB");
        assert_eq!(pretty_size(10_485_760), "10 MB");
        assert_eq!(pretty_size(123_456_789_012), "115 GB");
        assert_eq!(pretty_size(-20_480), "-20 kB");
    }
}
