//! `hivewire_deferred(x)`: `x` itself, evaluated only when the query runs. The planner folds a
//! cast of a constant when it plans the query and fails there when the constant does not
//! convert; Spark fails only where a row needs the value. A constant cast to a common type
//! (`CASE WHEN ok THEN n ELSE 'n/a' END` under ANSI rules) is deferred through this function, so
//! that CASE and `coalesce`, which evaluate a branch only for the rows that take it, fail only
//! then.

use std::sync::Arc;

use datafusion::logical_expr::{Expr, ScalarUDF, Volatility};

/// The function's name.
const DEFERRED: &str = "hivewire_deferred";

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![udf()]
}

fn udf() -> Arc<ScalarUDF> {
    // Volatile, so that the planner never evaluates it.
    super::identity_udf(DEFERRED, Volatility::Volatile)
}

/// `x`, evaluated only when the query runs.
pub(crate) fn deferred(x: Expr) -> Expr {
    udf().call(vec![x])
}
