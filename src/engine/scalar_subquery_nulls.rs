//! A scalar subquery is NULL when it returns no row, whatever its column: `SELECT (SELECT 1 WHERE
//! false)`, `(SELECT c FROM VALUES (1) t(c) WHERE c > 5)`. DataFusion types the subquery's value
//! as its column, which may say it holds no NULLs, and the query then fails on the NULL it gets.
//! An analyzer rule reads the column of each uncorrelated scalar subquery whose column is not
//! nullable through `hivewire_nullable(x)`, which is `x` typed as nullable.

use std::sync::Arc;

use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{Column, Result};
use datafusion::logical_expr::{Expr, LogicalPlan, LogicalPlanBuilder, ScalarUDF, Subquery, Volatility};
use datafusion::optimizer::AnalyzerRule;

/// The function's name.
const NULLABLE: &str = "hivewire_nullable";

fn udf() -> Arc<ScalarUDF> {
    super::spark_functions::identity_udf(NULLABLE, Volatility::Immutable)
}

/// The analyzer rule.
#[derive(Debug, Default)]
struct ScalarSubqueryNulls;

impl AnalyzerRule for ScalarSubqueryNulls {
    fn analyze(&self, plan: LogicalPlan, _config: &ConfigOptions) -> Result<LogicalPlan> {
        plan.transform_up_with_subqueries(|node| node.map_expressions(|e| e.transform_up(nullable_subquery))).map(|t| t.data)
    }

    fn name(&self) -> &str {
        "scalar_subquery_nulls"
    }
}

/// The rule.
pub(crate) fn rule() -> Arc<dyn AnalyzerRule + Send + Sync> {
    Arc::new(ScalarSubqueryNulls)
}

fn nullable_subquery(e: Expr) -> Result<Transformed<Expr>> {
    let Expr::ScalarSubquery(subquery) = &e else { return Ok(Transformed::no(e)) };
    let schema = subquery.subquery.schema();
    if !subquery.outer_ref_columns.is_empty() || schema.fields().len() != 1 || schema.field(0).is_nullable() {
        return Ok(Transformed::no(e));
    }
    let (qualifier, field) = schema.qualified_field(0);
    let column = Expr::Column(Column::new(qualifier.cloned(), field.name()));
    let read = udf().call(vec![column]).alias(field.name());
    let plan = LogicalPlanBuilder::from(subquery.subquery.as_ref().clone()).project(vec![read])?.build()?;
    let Expr::ScalarSubquery(subquery) = e else { return Ok(Transformed::no(e)) };
    Ok(Transformed::yes(Expr::ScalarSubquery(Subquery { subquery: Arc::new(plan), ..subquery })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::logical_expr::{lit, ExprSchemable};

    #[test]
    fn subqueries_of_columns_without_nulls_become_nullable() {
        let inner = LogicalPlanBuilder::empty(false).project(vec![lit(1).alias("c")]).unwrap().build().unwrap();
        assert!(!inner.schema().field(0).is_nullable());
        let e = Expr::ScalarSubquery(Subquery { subquery: Arc::new(inner), outer_ref_columns: vec![], spans: Default::default() });
        let out = nullable_subquery(e).unwrap();
        assert!(out.transformed);
        let schema = datafusion::common::DFSchema::empty();
        assert!(out.data.nullable(&schema).unwrap());
    }
}
