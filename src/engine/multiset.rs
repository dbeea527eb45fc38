//! `EXCEPT ALL` and `INTERSECT ALL` as SQL defines them, over multisets: a row that appears m times
//! on the left and n times on the right appears max(m - n, 0) times in `EXCEPT ALL` and min(m, n)
//! times in `INTERSECT ALL`. DataFusion plans both as an anti or semi join on every column, which
//! drops every copy of a row found on the right, or keeps every copy of one found there. Each copy
//! of a row is numbered within its side here (`row_number()` over all the columns) and the number
//! joins too, so that the k-th copy on the left meets only the k-th copy on the right.

use std::sync::Arc;

use datafusion::common::tree_node::Transformed;
use datafusion::common::{Column, NullEquality, Result};
use datafusion::functions_window::expr_fn::row_number;
use datafusion::logical_expr::{ExprFunctionExt, JoinType, LogicalPlan, LogicalPlanBuilder};
use datafusion::prelude::Expr;

const LEFT_COPY: &str = "__hivewire_left_copy";
const RIGHT_COPY: &str = "__hivewire_right_copy";

/// Rewrites every `EXCEPT ALL` and `INTERSECT ALL` join of the plan.
pub(crate) fn rewrite(plan: LogicalPlan) -> Result<LogicalPlan> {
    plan.transform_up_with_subqueries(|p| match set_join(&p) {
        Some(join_type) => numbered(p, join_type).map(Transformed::yes),
        None => Ok(Transformed::no(p)),
    })
    .map(|t| t.data)
}

/// The join type of a join that DataFusion plans for `EXCEPT ALL` (anti) or `INTERSECT ALL`
/// (semi): every column of the left side equal, NULLs alike, to the same column of the right, and
/// a left side that is not made distinct (as it is for `EXCEPT` and `INTERSECT`).
fn set_join(plan: &LogicalPlan) -> Option<JoinType> {
    let LogicalPlan::Join(j) = plan else { return None };
    let (left, right) = (j.left.schema(), j.right.schema());
    let all_columns = j.on.len() == left.fields().len()
        && j.on.len() == right.fields().len()
        && j.on.iter().enumerate().all(|(i, (l, r))| {
            matches!((l, r), (Expr::Column(lc), Expr::Column(rc))
                if lc.name == *left.field(i).name() && rc.name == *right.field(i).name())
        });
    let set_like = matches!(j.join_type, JoinType::LeftAnti | JoinType::LeftSemi)
        && j.null_equality == NullEquality::NullEqualsNull
        && j.filter.is_none()
        && !j.null_aware
        && all_columns
        && !matches!(j.left.as_ref(), LogicalPlan::Distinct(_));
    set_like.then_some(j.join_type)
}

/// The side with each copy of a row numbered.
fn with_copies(side: LogicalPlan, name: &str) -> Result<(LogicalPlan, Vec<Expr>)> {
    let columns: Vec<Expr> = side.schema().columns().into_iter().map(Expr::Column).collect();
    let number = row_number().partition_by(columns.clone()).build()?.alias(name);
    let plan = LogicalPlanBuilder::from(side).window(vec![number])?.build()?;
    Ok((plan, columns))
}

fn numbered(plan: LogicalPlan, join_type: JoinType) -> Result<LogicalPlan> {
    let LogicalPlan::Join(j) = plan else { return Ok(plan) };
    let (left, left_columns) = with_copies(Arc::unwrap_or_clone(j.left), LEFT_COPY)?;
    let (right, _) = with_copies(Arc::unwrap_or_clone(j.right), RIGHT_COPY)?;
    let mut left_keys: Vec<Column> = j.on.iter().filter_map(|(l, _)| if let Expr::Column(c) = l { Some(c.clone()) } else { None }).collect();
    let mut right_keys: Vec<Column> = j.on.iter().filter_map(|(_, r)| if let Expr::Column(c) = r { Some(c.clone()) } else { None }).collect();
    left_keys.push(Column::from_name(LEFT_COPY));
    right_keys.push(Column::from_name(RIGHT_COPY));
    LogicalPlanBuilder::from(left)
        .join_detailed(right, join_type, (left_keys, right_keys), None, NullEquality::NullEqualsNull)?
        .project(left_columns)?
        .build()
}
