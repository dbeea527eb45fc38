//! Casts that Spark makes differently from Arrow, rewritten once the plan's types are known: an
//! analyzer rule, run after type coercion (which inserts some of these casts itself), hands each
//! CAST and TRY_CAST with its input type to the rewrites below. Each file is one kind of cast.

mod seconds;
mod structs;

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{DFSchema, Result};
use datafusion::logical_expr::expr_rewriter::NamePreserver;
use datafusion::logical_expr::{Expr, ExprSchemable, LogicalPlan};
use datafusion::optimizer::AnalyzerRule;

/// One cast to rewrite: its input, the input's type, the target type, and whether it is a
/// TRY_CAST (NULL where the value does not convert) rather than a CAST (an error).
pub(super) struct CastCall<'a> {
    pub input: &'a Expr,
    pub from: &'a DataType,
    pub to: &'a DataType,
    pub try_: bool,
}

/// A rewrite of the casts of one kind: the expression to put in the cast's place, or None when
/// the cast is not of its kind.
type CastRewrite = fn(&CastCall<'_>) -> Result<Option<Expr>>;

/// Every cast rewrite, tried in order.
const REWRITES: [CastRewrite; 2] = [structs::rewrite, seconds::rewrite];

/// The analyzer rule.
#[derive(Debug, Default)]
struct SparkCasts;

fn rewrite(e: Expr, schema: &DFSchema) -> Result<Transformed<Expr>> {
    e.transform_up(|e| {
        let (input, to, try_) = match &e {
            Expr::Cast(c) => (c.expr.as_ref(), c.field.data_type(), false),
            Expr::TryCast(c) => (c.expr.as_ref(), c.field.data_type(), true),
            _ => return Ok(Transformed::no(e)),
        };
        let Ok(from) = input.get_type(schema) else { return Ok(Transformed::no(e)) };
        let call = CastCall { input, from: &from, to, try_ };
        for rewrite in REWRITES {
            if let Some(replacement) = rewrite(&call)? {
                return Ok(Transformed::yes(replacement));
            }
        }
        Ok(Transformed::no(e))
    })
}

impl AnalyzerRule for SparkCasts {
    fn analyze(&self, plan: LogicalPlan, _config: &ConfigOptions) -> Result<LogicalPlan> {
        plan.transform_up_with_subqueries(|node| {
            let mut schema = DFSchema::empty();
            for input in node.inputs() {
                schema.merge(input.schema());
            }
            let names = NamePreserver::new(&node);
            node.map_expressions(|e| {
                let saved = names.save(&e);
                Ok(rewrite(e, &schema)?.update_data(|e| saved.restore(e)))
            })
        })
        .map(|t| t.data)
    }

    fn name(&self) -> &str {
        "spark_casts"
    }
}

/// The rule, to put after type coercion.
pub(crate) fn rule() -> Arc<dyn AnalyzerRule + Send + Sync> {
    Arc::new(SparkCasts)
}
