//! `x NOT IN (subquery)` inside a filter's OR (`WHERE id = 6 OR dept NOT IN (SELECT d FROM
//! dept)`), or under a NOT (`NOT (a > 5 AND x IN (...))`). DataFusion turns such a subquery into a
//! mark join on `x = d`, whose mark is false where `x` or a `d` is NULL, so the row passes where
//! SQL and Spark leave it out: NOT IN is true only when no value of the subquery equals `x` or
//! might equal it.
//!
//! An analyzer rule, run before the optimizer decorrelates subqueries, first moves each NOT over
//! AND and OR down to the predicates under it (as Spark's optimizer does; the answer is the same),
//! and then writes each NOT IN that is not a whole conjunct of the filter (DataFusion's anti join
//! gets those right) as `NOT EXISTS (SELECT ... WHERE d = x OR (d = x) IS NULL)`, which is true
//! exactly where NOT IN is.

use std::sync::Arc;

use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::common::{DFSchema, ExprSchema, Result};
use datafusion::logical_expr::expr::{Exists, InSubquery};
use datafusion::logical_expr::utils::{conjunction, split_conjunction, split_conjunction_owned};
use datafusion::logical_expr::{BinaryExpr, Expr, Filter, LogicalPlan, LogicalPlanBuilder, Operator, Subquery};
use datafusion::optimizer::AnalyzerRule;

/// The analyzer rule.
#[derive(Debug, Default)]
struct NotInSubqueries;

impl AnalyzerRule for NotInSubqueries {
    fn analyze(&self, plan: LogicalPlan, _config: &ConfigOptions) -> Result<LogicalPlan> {
        plan.transform_up_with_subqueries(rewrite_filter).map(|t| t.data)
    }

    fn name(&self) -> &str {
        "not_in_subqueries"
    }
}

/// The rule, to put before type coercion.
pub(crate) fn rule() -> Arc<dyn AnalyzerRule + Send + Sync> {
    Arc::new(NotInSubqueries)
}

fn rewrite_filter(plan: LogicalPlan) -> Result<Transformed<LogicalPlan>> {
    let LogicalPlan::Filter(filter) = plan else { return Ok(Transformed::no(plan)) };
    if !has_nested_subquery(&filter.predicate) {
        return Ok(Transformed::no(LogicalPlan::Filter(filter)));
    }
    let schema = filter.input.schema().clone();
    let mut changed = false;
    let conjuncts = split_conjunction_owned(push_not_down(filter.predicate.clone(), false))
        .into_iter()
        .map(|c| {
            // A whole conjunct `x NOT IN (...)` is DataFusion's null-aware anti join.
            if matches!(&c, Expr::InSubquery(_)) {
                return Ok(c);
            }
            let rewritten = rewrite_not_ins(c, &schema)?;
            changed |= rewritten.transformed;
            Ok(rewritten.data)
        })
        .collect::<Result<Vec<_>>>()?;
    if !changed {
        return Ok(Transformed::no(LogicalPlan::Filter(filter)));
    }
    let predicate = conjunction(conjuncts).unwrap_or(filter.predicate);
    Ok(Transformed::yes(LogicalPlan::Filter(Filter::try_new(predicate, filter.input)?)))
}

/// Whether the predicate holds an IN or EXISTS subquery below its top level.
fn has_nested_subquery(predicate: &Expr) -> bool {
    split_conjunction(predicate).into_iter().any(|c| {
        let top = matches!(c, Expr::InSubquery(_) | Expr::Exists(_));
        !top && c.exists(|e| Ok(matches!(e, Expr::InSubquery(_)))).unwrap_or(false)
    })
}

/// The predicate with each NOT over AND, OR, NOT, IN and EXISTS moved down to what it negates;
/// `negate` says whether a NOT above is being carried down.
fn push_not_down(e: Expr, negate: bool) -> Expr {
    match e {
        Expr::Not(inner) => push_not_down(*inner, !negate),
        Expr::BinaryExpr(BinaryExpr { left, op: op @ (Operator::And | Operator::Or), right }) => {
            let op = match (negate, op) {
                (false, op) => op,
                (true, Operator::And) => Operator::Or,
                (true, _) => Operator::And,
            };
            Expr::BinaryExpr(BinaryExpr::new(Box::new(push_not_down(*left, negate)), op, Box::new(push_not_down(*right, negate))))
        }
        Expr::InSubquery(InSubquery { expr, subquery, negated }) => Expr::InSubquery(InSubquery::new(expr, subquery, negated != negate)),
        Expr::Exists(Exists { subquery, negated }) => Expr::Exists(Exists::new(subquery, negated != negate)),
        other if negate => Expr::Not(Box::new(other)),
        other => other,
    }
}

/// Each NOT IN reached through AND and OR, written as its NOT EXISTS.
fn rewrite_not_ins(e: Expr, schema: &DFSchema) -> Result<Transformed<Expr>> {
    e.transform_down(|e| match e {
        Expr::BinaryExpr(BinaryExpr { op: Operator::And | Operator::Or, .. }) => Ok(Transformed::no(e)),
        Expr::InSubquery(InSubquery { expr, subquery, negated: true }) => match not_exists(&expr, &subquery, schema)? {
            Some(exists) => Ok(Transformed::new(exists, true, TreeNodeRecursion::Jump)),
            None => Ok(Transformed::new(Expr::InSubquery(InSubquery::new(expr, subquery, true)), false, TreeNodeRecursion::Jump)),
        },
        // Other operators decide on NULLs themselves; what is under them is left as written.
        other => Ok(Transformed::new(other, false, TreeNodeRecursion::Jump)),
    })
}

/// `NOT EXISTS (SELECT d FROM ... WHERE d = x OR (d = x) IS NULL)` for `x NOT IN (SELECT d FROM
/// ...)`; None when `x` is not made of the filter's own columns.
fn not_exists(x: &Expr, subquery: &Subquery, schema: &DFSchema) -> Result<Option<Expr>> {
    let plan = subquery.subquery.as_ref();
    if plan.schema().fields().len() != 1 {
        return Ok(None);
    }
    let mut outer_columns = Vec::new();
    let mut foreign = false;
    let outer = x.clone().transform(|e| match e {
        Expr::Column(c) => match schema.field_from_column(&c) {
            Ok(f) => {
                let reference = Expr::OuterReferenceColumn(Arc::clone(f), c);
                outer_columns.push(reference.clone());
                Ok(Transformed::yes(reference))
            }
            Err(_) => {
                foreign = true;
                Ok(Transformed::no(Expr::Column(c)))
            }
        },
        Expr::OuterReferenceColumn(..) | Expr::ScalarSubquery(_) | Expr::InSubquery(_) | Expr::Exists(_) => {
            foreign = true;
            Ok(Transformed::no(e))
        }
        other => Ok(Transformed::no(other)),
    })?;
    if foreign {
        return Ok(None);
    }
    let value = Expr::Column(datafusion::common::Column::from(plan.schema().qualified_field(0)));
    let equal = value.eq(outer.data);
    let condition = equal.clone().or(equal.is_null());
    let filtered = LogicalPlanBuilder::from(plan.clone()).filter(condition)?.build()?;
    let mut references = subquery.outer_ref_columns.clone();
    references.extend(outer_columns);
    let subquery = Subquery { subquery: Arc::new(filtered), outer_ref_columns: references, spans: subquery.spans.clone() };
    Ok(Some(Expr::Exists(Exists::new(subquery, true))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::logical_expr::{col, lit};

    #[test]
    fn nots_move_down_to_the_predicates() {
        let e = Expr::Not(Box::new(col("a").gt(lit(5)).and(col("b").is_null())));
        assert_eq!(push_not_down(e, false), Expr::Not(Box::new(col("a").gt(lit(5)))).or(Expr::Not(Box::new(col("b").is_null()))));
        let twice = Expr::Not(Box::new(Expr::Not(Box::new(col("a")))));
        assert_eq!(push_not_down(twice, false), col("a"));
    }
}
