//! The values `listagg` concatenates: text and bytes as they are, other simple values (numbers,
//! dates) as text, as Spark casts them; arrays, maps and structs are refused, as Spark refuses
//! them, where DataFusion's `string_agg` would print them. The HiveQL front end wraps each
//! `listagg` value in this function.

use std::sync::Arc;

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{plan_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, Volatility};

use super::SparkFunction;

/// The function's name.
pub(crate) const LISTAGG_VALUE: &str = "hivewire_listagg_value";

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![SparkFunction::udf(LISTAGG_VALUE, Signature::any(1, Volatility::Immutable), value_type, listed)]
}

fn value_type(args: &[DataType]) -> Result<DataType> {
    match args {
        [t @ (DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Binary | DataType::LargeBinary | DataType::BinaryView)] => Ok(t.clone()),
        [t] if t.is_nested() => plan_err!("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] listagg takes STRING or BINARY values, not {t}"),
        [_] => Ok(DataType::Utf8),
        _ => plan_err!("listagg takes one value"),
    }
}

fn listed(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let target = value_type(&[args[0].data_type().clone()])?;
    if &target == args[0].data_type() {
        return Ok(Arc::clone(&args[0]));
    }
    Ok(datafusion::arrow::compute::cast(&args[0], &target)?)
}
