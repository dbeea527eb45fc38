//! `x IN (subquery)` as a value, in a select list or an aggregate (`SELECT a, a IN (SELECT ...)`):
//! Spark computes it with an existence join, so it is true or false, never NULL. It is false where
//! SQL's answer is unknown (`x` NULL, or no match among values holding a NULL), and `x NOT IN
//! (...)` is false there too. An analyzer rule for HiveQL sessions writes each such IN, and each
//! NOT over one, as `(...) IS TRUE`. Filters are left alone: there an unknown answer drops the row
//! as false does.

use std::sync::Arc;

use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::common::Result;
use datafusion::logical_expr::expr_rewriter::NamePreserver;
use datafusion::logical_expr::{Expr, LogicalPlan};
use datafusion::optimizer::AnalyzerRule;

use super::common_types::session_rules::ValueTyping;

/// The analyzer rule.
#[derive(Debug, Default)]
struct InSubqueryValues;

impl AnalyzerRule for InSubqueryValues {
    fn analyze(&self, plan: LogicalPlan, config: &ConfigOptions) -> Result<LogicalPlan> {
        if ValueTyping::spark_rules(config).is_none() {
            return Ok(plan);
        }
        plan.transform_up_with_subqueries(two_valued).map(|t| t.data)
    }

    fn name(&self) -> &str {
        "in_subquery_values"
    }
}

/// The rule, to put before the rules that plan subqueries.
pub(crate) fn rule() -> Arc<dyn AnalyzerRule + Send + Sync> {
    Arc::new(InSubqueryValues)
}

fn two_valued(plan: LogicalPlan) -> Result<Transformed<LogicalPlan>> {
    if !matches!(plan, LogicalPlan::Projection(_) | LogicalPlan::Aggregate(_)) {
        return Ok(Transformed::no(plan));
    }
    let names = NamePreserver::new(&plan);
    plan.map_expressions(|e| {
        let saved = names.save(&e);
        Ok(as_true_or_false(e)?.update_data(|e| saved.restore(e)))
    })
}

/// Each IN subquery (or NOT over one) in `e`, as `(...) IS TRUE`.
fn as_true_or_false(e: Expr) -> Result<Transformed<Expr>> {
    e.transform_down(|e| {
        let is_in = |e: &Expr| matches!(e, Expr::InSubquery(_));
        let whole = match &e {
            Expr::Not(inner) => is_in(inner),
            other => is_in(other),
        };
        if whole {
            Ok(Transformed::new(Expr::IsTrue(Box::new(e)), true, TreeNodeRecursion::Jump))
        } else {
            Ok(Transformed::no(e))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::logical_expr::{col, in_subquery, lit, table_scan};
    use datafusion::arrow::datatypes::{DataType, Field, Schema};

    fn subquery() -> Arc<LogicalPlan> {
        let schema = Schema::new(vec![Field::new("c", DataType::Int32, true)]);
        Arc::new(table_scan(Some("t"), &schema, None).unwrap().build().unwrap())
    }

    #[test]
    fn ins_and_nots_over_them_become_is_true() {
        let e = in_subquery(col("a"), subquery());
        let Expr::IsTrue(inner) = as_true_or_false(e.clone()).unwrap().data else { panic!("IS TRUE") };
        assert_eq!(*inner, e);
        let negated = Expr::Not(Box::new(e.clone()));
        let Expr::IsTrue(inner) = as_true_or_false(negated.clone()).unwrap().data else { panic!("IS TRUE") };
        assert_eq!(*inner, negated);
        assert!(!as_true_or_false(col("a").eq(lit(1))).unwrap().transformed);
    }
}
