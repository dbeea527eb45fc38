//! Casts of whole numbers to BINARY: without ANSI rules Spark writes the number's big-endian
//! two's-complement bytes in its own width (`CAST(123 AS BINARY)` is `0000007B`); under ANSI rules
//! it refuses the cast. Arrow writes the bytes little-endian.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray, BinaryArray};
use datafusion::arrow::datatypes::{DataType, Int16Type, Int32Type, Int64Type, Int8Type};
use datafusion::common::{plan_err, Result};
use datafusion::logical_expr::{Expr, ScalarUDF, Signature, Volatility};

use super::Overflow;
use crate::engine::spark_functions::SparkFunction;

fn whole(t: &DataType) -> bool {
    matches!(t, DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64)
}

/// A whole number's cast to BINARY, as a call writing its bytes.
pub(super) fn rewrite(call: &super::CastCall<'_>) -> Result<Option<Expr>> {
    if !whole(call.from) || !matches!(call.to, DataType::Binary | DataType::LargeBinary | DataType::BinaryView) {
        return Ok(None);
    }
    if call.overflow == Overflow::Error {
        return plan_err!(
            "[DATATYPE_MISMATCH.CAST_WITH_CONF_SUGGESTION] cannot cast {} to BINARY with ANSI rules; set spark.sql.ansi.enabled to false to allow it",
            call.from
        );
    }
    Ok(Some(udf().call(vec![call.input.clone()])))
}

fn udf() -> Arc<ScalarUDF> {
    SparkFunction::udf("hivewire_whole_number_bytes", Signature::any(1, Volatility::Immutable), |_| Ok(DataType::Binary), big_endian)
}

fn big_endian(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let a = &args[0];
    let out: BinaryArray = match a.data_type() {
        DataType::Int8 => a.as_primitive::<Int8Type>().iter().map(|v| v.map(|v| v.to_be_bytes().to_vec())).collect(),
        DataType::Int16 => a.as_primitive::<Int16Type>().iter().map(|v| v.map(|v| v.to_be_bytes().to_vec())).collect(),
        DataType::Int32 => a.as_primitive::<Int32Type>().iter().map(|v| v.map(|v| v.to_be_bytes().to_vec())).collect(),
        DataType::Int64 => a.as_primitive::<Int64Type>().iter().map(|v| v.map(|v| v.to_be_bytes().to_vec())).collect(),
        other => return plan_err!("a whole number was expected, not {other}"),
    };
    Ok(Arc::new(out))
}
