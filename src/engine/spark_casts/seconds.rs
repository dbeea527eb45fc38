//! Casts between timestamps and numbers count seconds, as Spark's do, where Arrow's count the
//! timestamp's own unit: such a cast becomes a call of
//! [`crate::engine::spark_functions::seconds_cast`], told what a value out of range becomes and
//! the session's zone, in which a timestamp's wall-clock time is an instant.

use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::{lit, Expr};

use crate::engine::spark_functions::seconds_cast::{counts_seconds, udf};

/// A cast between a timestamp and a number, as a call that counts seconds.
pub(super) fn rewrite(call: &super::CastCall<'_>) -> Result<Option<Expr>> {
    if !counts_seconds(call.from, call.to) {
        return Ok(None);
    }
    let target = Expr::Literal(ScalarValue::try_from(call.to)?, None);
    let args = vec![call.input.clone(), target, lit(super::super::spark_functions::seconds_cast::word(call.overflow)), lit(call.zone.name())];
    Ok(Some(Expr::ScalarFunction(ScalarFunction::new_udf(udf(), args))))
}
