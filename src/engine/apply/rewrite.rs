//! Finds the subqueries the physical planner cannot plan, in filters, projections, aggregates and
//! join conditions, and puts an apply node under their operator for each.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::common::{Column, Result};
use datafusion::logical_expr::expr::{Exists, InSubquery};
use datafusion::logical_expr::expr_rewriter::NamePreserver;
use datafusion::logical_expr::utils::{conjunction, split_conjunction_owned};
use datafusion::logical_expr::{Aggregate, Expr, Extension, Filter, Join, LogicalPlan, Projection};

use super::node::{ApplyKind, ApplyNode};

/// Names the added columns apart, even across nested queries.
static NEXT_COLUMN: AtomicUsize = AtomicUsize::new(0);

/// Which subqueries become apply nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scope {
    /// Those the physical planner refuses: any EXISTS or IN subquery the optimizer left, and
    /// correlated scalar subqueries (it plans uncorrelated ones itself).
    Unplannable,
    /// Every subquery: for a plan the optimizer could not decorrelate correctly, planned again
    /// before the optimizer sees its subqueries.
    All,
}

/// The plan with the subqueries in `scope`, in filters and projections, computed by apply nodes.
pub(super) fn subqueries_to_apply(plan: LogicalPlan, scope: Scope) -> Result<LogicalPlan> {
    plan.transform_up(|node| match node {
        LogicalPlan::Filter(f) if in_scope(&f.predicate, scope) => filter(f, scope).map(Transformed::yes),
        LogicalPlan::Projection(p) if p.expr.iter().any(|e| in_scope(e, scope)) => projection(p, scope).map(Transformed::yes),
        LogicalPlan::Aggregate(a) if a.group_expr.iter().chain(&a.aggr_expr).any(|e| in_scope(e, scope)) => {
            aggregate(a, scope).map(Transformed::yes)
        }
        LogicalPlan::Join(j) if super::lateral::is_lateral_join(&j) => {
            let node = super::lateral::from_join(j)?;
            Ok(Transformed::yes(LogicalPlan::Extension(Extension { node: Arc::new(node) })))
        }
        LogicalPlan::Join(j) if j.filter.as_ref().is_some_and(|f| in_scope(f, scope)) => join(j, scope).map(Transformed::yes),
        other => Ok(Transformed::no(other)),
    })
    .map(|t| t.data)
}

/// Whether an expression holds a subquery.
pub(super) fn has_subquery(e: &Expr) -> bool {
    in_scope(e, Scope::All)
}

fn in_scope(e: &Expr, scope: Scope) -> bool {
    e.exists(|e| Ok(taken_in(e, scope))).unwrap_or(false)
}

fn taken_in(e: &Expr, scope: Scope) -> bool {
    match e {
        Expr::Exists(_) | Expr::InSubquery(_) => true,
        Expr::ScalarSubquery(s) => scope == Scope::All || !s.outer_ref_columns.is_empty(),
        _ => false,
    }
}

/// Replaces each subquery in scope in `e` with the column of an apply node stacked on `input`.
fn lift(e: Expr, input: &mut Option<LogicalPlan>, scope: Scope) -> Result<Expr> {
    e.transform_down(|e| {
        if !taken_in(&e, scope) {
            return Ok(Transformed::no(e));
        }
        let (subquery, kind, negated) = match e {
            Expr::ScalarSubquery(s) => (s, ApplyKind::Scalar, false),
            Expr::Exists(Exists { subquery, negated }) => (subquery, ApplyKind::Exists, negated),
            Expr::InSubquery(InSubquery { expr, subquery, negated }) => (subquery, ApplyKind::In(expr), negated),
            other => return Ok(Transformed::no(other)),
        };
        let below = input.take().ok_or_else(taken)?;
        let name = format!("__hivewire_subquery_{}", NEXT_COLUMN.fetch_add(1, Ordering::Relaxed));
        let node = ApplyNode::try_new(below, subquery, kind, name.clone())?;
        *input = Some(LogicalPlan::Extension(Extension { node: Arc::new(node) }));
        let column = Expr::Column(Column::from_name(name));
        let value = if negated { Expr::Not(Box::new(column)) } else { column };
        Ok(Transformed::new(value, true, TreeNodeRecursion::Jump))
    })
    .map(|t| t.data)
}

fn taken() -> datafusion::error::DataFusionError {
    datafusion::error::DataFusionError::Internal("apply: the input was taken".into())
}

/// A filter over apply nodes, projected back to the filter's own columns.
fn filter(f: Filter, scope: Scope) -> Result<LogicalPlan> {
    let columns: Vec<Expr> = f.input.schema().columns().into_iter().map(Expr::Column).collect();
    let mut input = Some(Arc::unwrap_or_clone(f.input));
    let predicate = lift(f.predicate, &mut input, scope)?;
    let filtered = Filter::try_new(predicate, Arc::new(input.ok_or_else(taken)?))?;
    Ok(LogicalPlan::Projection(Projection::try_new(columns, Arc::new(LogicalPlan::Filter(filtered)))?))
}

/// `lift` over expressions that keep the names they had.
fn lift_named(exprs: Vec<Expr>, input: &mut Option<LogicalPlan>, scope: Scope) -> Result<Vec<Expr>> {
    let names = NamePreserver::new_for_projection();
    exprs
        .into_iter()
        .map(|e| {
            let saved = names.save(&e);
            Ok(saved.restore(lift(e, input, scope)?))
        })
        .collect()
}

/// A projection over apply nodes, its columns named as before.
fn projection(p: Projection, scope: Scope) -> Result<LogicalPlan> {
    let mut input = Some(Arc::unwrap_or_clone(p.input));
    let exprs = lift_named(p.expr, &mut input, scope)?;
    Ok(LogicalPlan::Projection(Projection::try_new(exprs, Arc::new(input.ok_or_else(taken)?))?))
}

/// An aggregate whose arguments, filters or groups hold subqueries: they are computed for each
/// input row, below it.
fn aggregate(a: Aggregate, scope: Scope) -> Result<LogicalPlan> {
    let mut input = Some(Arc::unwrap_or_clone(a.input));
    let group = lift_named(a.group_expr, &mut input, scope)?;
    let aggr = lift_named(a.aggr_expr, &mut input, scope)?;
    Ok(LogicalPlan::Aggregate(Aggregate::try_new(Arc::new(input.ok_or_else(taken)?), group, aggr)?))
}

/// A join whose condition holds subqueries. Each subquery, which may read one side's columns, is
/// computed on that side, below the join, so that outer joins keep their meaning.
fn join(mut j: Join, scope: Scope) -> Result<LogicalPlan> {
    let columns: Vec<Expr> = j.schema.columns().into_iter().map(Expr::Column).collect();
    let Some(condition) = j.filter.take() else {
        return Ok(LogicalPlan::Join(j));
    };
    let mut left = Some(Arc::unwrap_or_clone(j.left));
    let mut right = Some(Arc::unwrap_or_clone(j.right));
    let mut kept = Vec::new();
    for part in split_conjunction_owned(condition) {
        if !in_scope(&part, scope) {
            kept.push(part);
            continue;
        }
        match lift_sided(part, &mut left, &mut right, scope)? {
            Some(lifted) => kept.push(lifted),
            // As in Spark, which refuses it.
            None => return datafusion::common::not_impl_err!("a subquery in a join condition that reads columns of both sides"),
        }
    }
    let joined = Join::try_new(
        Arc::new(left.ok_or_else(taken)?),
        Arc::new(right.ok_or_else(taken)?),
        j.on,
        conjunction(kept),
        j.join_type,
        j.join_constraint,
        j.null_equality,
        j.null_aware,
    )?;
    Ok(LogicalPlan::Projection(Projection::try_new(columns, Arc::new(LogicalPlan::Join(joined)))?))
}

/// `lift` for a join condition: each subquery goes to the side whose columns it reads. `None`
/// when some subquery reads both sides (nothing is lifted then).
fn lift_sided(e: Expr, left: &mut Option<LogicalPlan>, right: &mut Option<LogicalPlan>, scope: Scope) -> Result<Option<Expr>> {
    let (Some(l), Some(r)) = (left.as_ref(), right.as_ref()) else {
        return Err(taken());
    };
    let mut sides = Vec::new();
    e.apply(|e| {
        if taken_in(e, scope) {
            let reads = reads_of(e);
            sides.push(if reads.iter().all(|c| l.schema().has_column(c)) {
                Some(true)
            } else if reads.iter().all(|c| r.schema().has_column(c)) {
                Some(false)
            } else {
                None
            });
            return Ok(TreeNodeRecursion::Jump);
        }
        Ok(TreeNodeRecursion::Continue)
    })?;
    if sides.iter().any(Option::is_none) {
        return Ok(None);
    }
    let mut sides = sides.into_iter().flatten();
    e.transform_down(|e| {
        if !taken_in(&e, scope) {
            return Ok(Transformed::no(e));
        }
        let side = if sides.next().unwrap_or(true) { &mut *left } else { &mut *right };
        Ok(Transformed::new(lift(e, side, scope)?, true, TreeNodeRecursion::Jump))
    })
    .map(|t| Some(t.data))
}

/// The outer columns a subquery expression reads: its outer references and, for IN, the columns
/// of the tested expression.
fn reads_of(e: &Expr) -> Vec<Column> {
    let (subquery, probe) = match e {
        Expr::ScalarSubquery(s) => (s, None),
        Expr::Exists(Exists { subquery, .. }) => (subquery, None),
        Expr::InSubquery(InSubquery { expr, subquery, .. }) => (subquery, Some(expr)),
        _ => return Vec::new(),
    };
    let outer = subquery.outer_ref_columns.iter().filter_map(|e| match e {
        Expr::OuterReferenceColumn(_, c) => Some(c.clone()),
        _ => None,
    });
    outer.chain(probe.into_iter().flat_map(|p| p.column_refs().into_iter().cloned())).collect()
}
