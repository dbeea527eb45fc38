//! What a row knows of where it was read: `spark_partition_id()` and the input split of
//! `input_file_block_start()` / `input_file_block_length()`. hivewire answers as one partition
//! that reads no Hadoop split: partition 0, and -1 for the split's start and length, which is what
//! Spark gives where no split is known.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, Int32Array, Int64Array};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ScalarUDF, Signature, Volatility};

use super::SparkFunction;

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    let nullary = || Signature::nullary(Volatility::Stable);
    vec![
        SparkFunction::udf("spark_partition_id", nullary(), |_| Ok(DataType::Int32), partition_id),
        SparkFunction::udf("input_file_block_start", nullary(), |_| Ok(DataType::Int64), unknown_split),
        SparkFunction::udf("input_file_block_length", nullary(), |_| Ok(DataType::Int64), unknown_split),
    ]
}

fn partition_id(_args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    Ok(Arc::new(Int32Array::from(vec![0; rows])))
}

fn unknown_split(_args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    Ok(Arc::new(Int64Array::from(vec![-1; rows])))
}
