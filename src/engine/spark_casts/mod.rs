//! Casts that Spark makes differently from Arrow, rewritten once the plan's types are known: an
//! analyzer rule, run after type coercion (which inserts some of these casts itself), hands each
//! CAST and TRY_CAST with its input type to the rewrites below, with the session's time zone
//! (each session has its own rule). Each file is one kind of cast.

mod bytes;
mod seconds;
mod structs;
mod text;

use std::sync::{Arc, Mutex};

use datafusion::arrow::datatypes::DataType;
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{DFSchema, Result};
use datafusion::logical_expr::expr_rewriter::NamePreserver;
use datafusion::logical_expr::{Expr, ExprSchemable, LogicalPlan};
use datafusion::optimizer::AnalyzerRule;

use crate::hiveql::time_zones::Zone;

/// What becomes of a value a cast's target cannot hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Overflow {
    /// An error, as an ANSI CAST gives.
    Error,
    /// NULL, as TRY_CAST gives.
    Null,
    /// Wrapped into the target's width, as Java's narrowing casts do (casts without ANSI rules).
    Wrap,
}

/// One cast to rewrite: its input, the input's type, the target type, what a value out of range
/// becomes, and the session's zone (of wall-clock times).
pub(super) struct CastCall<'a> {
    pub input: &'a Expr,
    pub from: &'a DataType,
    pub to: &'a DataType,
    pub overflow: Overflow,
    pub zone: Zone,
    /// Whether text is written Spark's way (HiveQL sessions) rather than Arrow's.
    pub spark_text: bool,
}

impl CastCall<'_> {
    /// Whether a value that does not convert gives NULL rather than an error.
    pub fn lenient(&self) -> bool {
        self.overflow != Overflow::Error
    }
}

/// A rewrite of the casts of one kind: the expression to put in the cast's place, or None when
/// the cast is not of its kind.
type CastRewrite = fn(&CastCall<'_>) -> Result<Option<Expr>>;

/// Every cast rewrite, tried in order.
const REWRITES: [CastRewrite; 4] = [structs::rewrite, seconds::rewrite, bytes::rewrite, text::rewrite];

/// The analyzer rule of one session, which sets the zone before each statement is planned.
#[derive(Debug)]
struct SparkCasts {
    zone: Arc<Mutex<Zone>>,
    spark_text: bool,
}

/// The input, target type and overflow behaviour of a cast, or of the legacy cast function the
/// HiveQL front end writes for casts to whole numbers without ANSI rules.
fn cast_parts<'a>(e: &'a Expr, schema: &DFSchema) -> Option<(&'a Expr, DataType, Overflow)> {
    match e {
        Expr::Cast(c) => Some((c.expr.as_ref(), c.field.data_type().clone(), Overflow::Error)),
        Expr::TryCast(c) => Some((c.expr.as_ref(), c.field.data_type().clone(), Overflow::Null)),
        Expr::ScalarFunction(f) if f.name() == crate::hiveql::spark_types::LEGACY_CAST => match f.args.as_slice() {
            [input, target] => Some((input, target.get_type(schema).ok()?, Overflow::Wrap)),
            _ => None,
        },
        _ => None,
    }
}

fn rewrite(e: Expr, schema: &DFSchema, zone: Zone, spark_text: bool) -> Result<Transformed<Expr>> {
    e.transform_up(|e| {
        let Some((input, to, overflow)) = cast_parts(&e, schema) else { return Ok(Transformed::no(e)) };
        let Ok(from) = input.get_type(schema) else { return Ok(Transformed::no(e)) };
        let call = CastCall { input, from: &from, to: &to, overflow, zone, spark_text };
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
        let zone = self.zone.lock().map_or_else(|_| Zone::utc(), |z| *z);
        plan.transform_up_with_subqueries(|node| {
            let mut schema = DFSchema::empty();
            for input in node.inputs() {
                schema.merge(input.schema());
            }
            let names = NamePreserver::new(&node);
            node.map_expressions(|e| {
                let saved = names.save(&e);
                Ok(rewrite(e, &schema, zone, self.spark_text)?.update_data(|e| saved.restore(e)))
            })
        })
        .map(|t| t.data)
    }

    fn name(&self) -> &str {
        "spark_casts"
    }
}

/// A session's rule, to put after type coercion, reading the zone the session keeps in `zone`;
/// `spark_text` where casts to text write values Spark's way (HiveQL sessions).
pub(crate) fn rule(zone: Arc<Mutex<Zone>>, spark_text: bool) -> Arc<dyn AnalyzerRule + Send + Sync> {
    Arc::new(SparkCasts { zone, spark_text })
}
