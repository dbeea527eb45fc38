//! DataFusion's projection pushdown renumbers the columns of the expressions it moves, and with
//! them the variables of a lambda (`transform(xs, x -> x * x)`), which number the lambda's own
//! arguments: the moved lambda then reads the wrong column and fails. Until DataFusion tells the
//! two apart, a plan that holds a lambda keeps its projections where the planner put them; every
//! other plan is optimised as before.

use std::sync::Arc;

use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{TreeNode, TreeNodeRecursion};
use datafusion::common::Result;
use datafusion::physical_expr::expressions::LambdaExpr;
use datafusion::physical_optimizer::PhysicalOptimizerRule;
use datafusion::physical_expr::PhysicalExpr;
use datafusion::physical_plan::filter::FilterExec;
use datafusion::physical_plan::projection::ProjectionExec;
use datafusion::physical_plan::ExecutionPlan;

/// A physical optimizer rule that is skipped for plans with lambdas.
#[derive(Debug)]
pub(crate) struct UnlessLambdas {
    inner: Arc<dyn PhysicalOptimizerRule + Send + Sync>,
}

/// The session's physical optimizer rules, with projection pushdown kept off plans with lambdas.
pub(crate) fn physical_rules() -> Vec<Arc<dyn PhysicalOptimizerRule + Send + Sync>> {
    datafusion::physical_optimizer::optimizer::PhysicalOptimizer::new()
        .rules
        .into_iter()
        .map(|rule| -> Arc<dyn PhysicalOptimizerRule + Send + Sync> {
            if rule.name() == "ProjectionPushdown" {
                Arc::new(UnlessLambdas { inner: rule })
            } else {
                rule
            }
        })
        .collect()
}

/// The expressions of a plan node that can hold a lambda: projections and filters.
fn node_expressions(node: &dyn ExecutionPlan) -> Vec<Arc<dyn PhysicalExpr>> {
    if let Some(p) = node.downcast_ref::<ProjectionExec>() {
        return p.expr().iter().map(|e| Arc::clone(&e.expr)).collect();
    }
    if let Some(f) = node.downcast_ref::<FilterExec>() {
        return vec![Arc::clone(f.predicate())];
    }
    Vec::new()
}

/// Whether any projection or filter of the plan holds a lambda.
fn has_lambda(plan: &Arc<dyn ExecutionPlan>) -> bool {
    let mut found = false;
    let _ = plan.apply(|node| {
        for e in node_expressions(node.as_ref()) {
            let _ = e.apply(|x| {
                found |= x.is::<LambdaExpr>();
                Ok(if found { TreeNodeRecursion::Stop } else { TreeNodeRecursion::Continue })
            });
        }
        Ok(if found { TreeNodeRecursion::Stop } else { TreeNodeRecursion::Continue })
    });
    found
}

impl PhysicalOptimizerRule for UnlessLambdas {
    fn optimize(&self, plan: Arc<dyn ExecutionPlan>, config: &ConfigOptions) -> Result<Arc<dyn ExecutionPlan>> {
        if has_lambda(&plan) {
            return Ok(plan);
        }
        self.inner.optimize(plan, config)
    }

    fn name(&self) -> &str {
        self.inner.name()
    }

    fn schema_check(&self) -> bool {
        self.inner.schema_check()
    }
}
