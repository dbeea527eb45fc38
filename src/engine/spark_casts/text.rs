//! Casts to text of the types whose text Spark writes otherwise than Arrow (doubles,
//! timestamps, arrays, maps and structs) become calls of
//! [`crate::engine::spark_functions::spark_text`], in HiveQL sessions. Type coercion inserts
//! such casts too (`concat('x', 1.5D)`), and they follow the same rule. PostgreSQL sessions keep
//! Arrow's text, which is closer to PostgreSQL's.

use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::{cast, Expr};

use crate::engine::spark_functions::spark_text::{differs_from_arrow, udf};

/// A cast of such a value to text, as a call that writes it Spark's way.
pub(super) fn rewrite(call: &super::CastCall<'_>) -> Result<Option<Expr>> {
    let to_text = matches!(call.to, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View);
    if !call.spark_text || !to_text || !differs_from_arrow(call.from) {
        return Ok(None);
    }
    let text = Expr::ScalarFunction(ScalarFunction::new_udf(udf(), vec![call.input.clone()]));
    Ok(Some(if *call.to == DataType::Utf8 { text } else { cast(text, call.to.clone()) }))
}
