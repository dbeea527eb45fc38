//! `log1p(x)`: the natural logarithm of `1 + x`, exact for small `x`; NULL where `x` is -1 or
//! less, as Spark gives it.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray, Float64Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::common::Result;
use datafusion::logical_expr::{ScalarUDF, Signature, Volatility};

use super::SparkFunction;

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    let returns = |_: &[DataType]| Ok(DataType::Float64);
    vec![SparkFunction::udf("log1p", Signature::any(1, Volatility::Immutable), returns, log1p)]
}

fn log1p(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let x = cast(&args[0], &DataType::Float64)?;
    let out: Float64Array = x.as_primitive::<Float64Type>().iter().map(|v| v.filter(|v| *v > -1.0).map(f64::ln_1p)).collect();
    Ok(Arc::new(out))
}
