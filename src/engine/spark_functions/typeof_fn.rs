//! `typeof(x)`: the Spark name of an expression's type (`int`, `decimal(3,1)`, `array<string>`,
//! `void` for an untyped NULL), as the catalog writes column types.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, StringArray};
use datafusion::arrow::datatypes::{DataType, IntervalUnit};
use datafusion::common::Result;
use datafusion::logical_expr::{ScalarUDF, Signature, Volatility};

use super::{string_result, SparkFunction};

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![SparkFunction::udf("typeof", Signature::any(1, Volatility::Immutable), string_result, type_of)]
}

fn spark_name(t: &DataType) -> String {
    match t {
        DataType::Null => "void".into(),
        DataType::List(f) | DataType::LargeList(f) => format!("array<{}>", spark_name(f.data_type())),
        DataType::Interval(IntervalUnit::YearMonth) => "interval year to month".into(),
        DataType::Interval(IntervalUnit::MonthDayNano) => "interval".into(),
        DataType::Interval(_) | DataType::Duration(_) => "interval day to second".into(),
        other => hivewire_catalog::types::arrow_to_hive(other).unwrap_or_else(|_| other.to_string().to_lowercase()),
    }
}

fn type_of(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let name = spark_name(args[0].data_type());
    Ok(Arc::new(StringArray::from(vec![name; args[0].len()])))
}
