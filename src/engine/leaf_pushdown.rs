//! DataFusion's `push_down_leaf_projections` moves struct field reads (`s.f`) toward the scans,
//! so that Parquet reads only the fields asked for. Merging into a projection that renames a
//! column to its own name (`t.id AS id`, as `SELECT t.id AS id ...` plans) it adds `t.id` beside
//! `id` and fails with "Schema contains qualified field name t.id and unqualified field name id
//! which would be ambiguous", failing the whole query. This wrapper keeps the rule where it works
//! and leaves the plan as it was where it fails: the query runs, reading whole structs.

use std::sync::Arc;

use datafusion::common::tree_node::Transformed;
use datafusion::common::Result;
use datafusion::logical_expr::LogicalPlan;
use datafusion::optimizer::optimizer::ApplyOrder;
use datafusion::optimizer::{OptimizerConfig, OptimizerRule};

/// The name of the rule this module wraps.
const RULE: &str = "push_down_leaf_projections";

/// The rule, whose failures leave the plan unchanged.
#[derive(Debug)]
struct Tolerant(Arc<dyn OptimizerRule + Send + Sync>);

impl OptimizerRule for Tolerant {
    fn name(&self) -> &str {
        self.0.name()
    }

    fn apply_order(&self) -> Option<ApplyOrder> {
        self.0.apply_order()
    }

    #[allow(deprecated)]
    fn supports_rewrite(&self) -> bool {
        self.0.supports_rewrite()
    }

    fn rewrite(&self, plan: LogicalPlan, config: &dyn OptimizerConfig) -> Result<Transformed<LogicalPlan>> {
        let original = plan.clone();
        match self.0.rewrite(plan, config) {
            Ok(rewritten) => Ok(rewritten),
            Err(e) => {
                tracing::debug!(error = %e, "struct field pushdown skipped");
                Ok(Transformed::no(original))
            }
        }
    }
}

/// DataFusion's optimizer rules, with the leaf pushdown made tolerant.
pub(crate) fn optimizer_rules() -> Vec<Arc<dyn OptimizerRule + Send + Sync>> {
    datafusion::optimizer::Optimizer::new()
        .rules
        .into_iter()
        .map(|rule| if rule.name() == RULE { Arc::new(Tolerant(rule)) as Arc<dyn OptimizerRule + Send + Sync> } else { rule })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wrapped_rule_is_among_the_defaults() {
        let rules = optimizer_rules();
        assert_eq!(rules.len(), datafusion::optimizer::Optimizer::new().rules.len());
        assert!(rules.iter().any(|r| r.name() == RULE));
    }
}
