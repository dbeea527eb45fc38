//! Running a subquery once for each distinct set of outer values: the values are bound into
//! its plan as literals, and each answer is kept for the rows that share those values.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::compute::concat_batches;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::Session;
use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::common::{exec_err, Column, DFSchema, Result, ScalarValue};
use datafusion::execution::session_state::SessionState;
use datafusion::logical_expr::expr::{Exists, InSubquery};
use datafusion::logical_expr::expr_rewriter::NamePreserver;
use datafusion::logical_expr::{Expr, LogicalPlan, Subquery};
use datafusion::physical_plan::collect;

/// A subquery and the input columns its outer references read.
pub(super) struct PerRow {
    subquery: Arc<LogicalPlan>,
    /// The outer columns the subquery reads, and where each is in the input.
    outer: Vec<(Column, usize)>,
    state: SessionState,
    cache: Mutex<HashMap<Vec<ScalarValue>, Arc<RecordBatch>>>,
}

impl fmt::Debug for PerRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PerRow").field("outer", &self.outer).finish()
    }
}

impl PerRow {
    /// The runner for `subquery` over rows of `input`. Refused when an outer reference names no
    /// input column: the optimizer can move a subquery above an operator that renames its outer
    /// columns without renaming its references, and such a plan is planned again with the
    /// subquery kept from the optimizer (see `create_physical_plan`).
    pub(super) fn try_new(subquery: Arc<LogicalPlan>, outer_refs: &[Column], input: &DFSchema, session: &dyn Session) -> Result<Self> {
        let Some(state) = session.as_any().downcast_ref::<SessionState>() else {
            return exec_err!("a subquery evaluated per row needs a full session");
        };
        if let Some(lost) = outer_refs.iter().find(|c| input.maybe_index_of_column(c).is_none()) {
            return datafusion::common::plan_err!("the subquery's outer reference {lost} is not among its input's columns");
        }
        Ok(PerRow { outer: outer_columns(&subquery, input), subquery, state: state.clone(), cache: Mutex::new(HashMap::new()) })
    }

    /// The outer values of one input row.
    pub(super) fn key(&self, batch: &RecordBatch, row: usize) -> Result<Vec<ScalarValue>> {
        self.outer.iter().map(|(_, i)| ScalarValue::try_from_array(batch.column(*i), row)).collect()
    }

    /// The subquery's rows for one set of outer values, in one batch.
    pub(super) async fn rows(&self, key: Vec<ScalarValue>) -> Result<Arc<RecordBatch>> {
        if let Some(hit) = self.cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return Ok(hit);
        }
        let bound = bind(&self.subquery, &self.outer, &key)?;
        let physical = super::create_physical_plan(&self.state, &bound).await?;
        let schema: SchemaRef = physical.schema();
        let batches = collect(physical, self.state.task_ctx()).await?;
        let rows = Arc::new(concat_batches(&schema, &batches)?);
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(key, Arc::clone(&rows));
        }
        Ok(rows)
    }
}

/// The outer columns a subquery (or a subquery nested in it) reads that the input holds.
fn outer_columns(subquery: &LogicalPlan, input: &DFSchema) -> Vec<(Column, usize)> {
    let mut found: Vec<(Column, usize)> = Vec::new();
    let _ = subquery.apply_with_subqueries(|node| {
        node.apply_expressions(|e| {
            e.apply(|e| {
                if let Expr::OuterReferenceColumn(_, c) = e {
                    if let Some(i) = input.maybe_index_of_column(c) {
                        if !found.iter().any(|(seen, _)| seen == c) {
                            found.push((c.clone(), i));
                        }
                    }
                }
                Ok(TreeNodeRecursion::Continue)
            })
        })
    });
    found
}

/// The subquery with the outer columns replaced by one row's values. Output names stay as
/// planned, so the plan's schemas still hold.
fn bind(plan: &LogicalPlan, outer: &[(Column, usize)], values: &[ScalarValue]) -> Result<LogicalPlan> {
    plan.clone()
        .transform_up_with_subqueries(|node| {
            let names = NamePreserver::new(&node);
            node.map_expressions(|e| {
                let saved = names.save(&e);
                let bound = e.transform(|e| match e {
                    Expr::OuterReferenceColumn(field, col) => match outer.iter().position(|(c, _)| *c == col) {
                        Some(i) => Ok(Transformed::yes(Expr::Literal(values[i].cast_to(field.data_type())?, None))),
                        None => Ok(Transformed::no(Expr::OuterReferenceColumn(field, col))),
                    },
                    // A nested subquery no longer reads the columns bound here from outside.
                    Expr::ScalarSubquery(s) => Ok(Transformed::yes(Expr::ScalarSubquery(unlist(s, outer)))),
                    Expr::Exists(Exists { subquery, negated }) => {
                        Ok(Transformed::yes(Expr::Exists(Exists { subquery: unlist(subquery, outer), negated })))
                    }
                    Expr::InSubquery(InSubquery { expr, subquery, negated }) => {
                        Ok(Transformed::yes(Expr::InSubquery(InSubquery { expr, subquery: unlist(subquery, outer), negated })))
                    }
                    other => Ok(Transformed::no(other)),
                })?;
                Ok(bound.update_data(|e| saved.restore(e)))
            })
        })
        .map(|t| t.data)
}

/// The subquery without the bound columns among its outer references.
fn unlist(mut s: Subquery, bound: &[(Column, usize)]) -> Subquery {
    s.outer_ref_columns.retain(|e| !matches!(e, Expr::OuterReferenceColumn(_, c) if bound.iter().any(|(b, _)| b == c)));
    s
}
