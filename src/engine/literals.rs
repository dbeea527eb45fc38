//! Integer literals take the narrowest of INT and BIGINT that holds them, as in Spark and
//! PostgreSQL: `SELECT 1` is an INT column (PostgreSQL int4), `SELECT 3000000000` a BIGINT.
//! DataFusion types every integer literal BIGINT, so an analyzer rule, run before type coercion,
//! narrows the ones that fit. An empty `array()` likewise loses DataFusion's BIGINT elements.

use std::sync::Arc;

use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::expr_rewriter::NamePreserver;
use datafusion::logical_expr::{Expr, LogicalPlan, LogicalPlanBuilder};
use datafusion::optimizer::AnalyzerRule;

/// The analyzer rule.
#[derive(Debug, Default)]
pub(crate) struct NarrowIntegerLiterals;

impl AnalyzerRule for NarrowIntegerLiterals {
    fn analyze(&self, plan: LogicalPlan, _config: &ConfigOptions) -> Result<LogicalPlan> {
        // Written values take the types of the columns they fill, whatever their literals' types;
        // INSERT's planner has typed them for their columns already.
        if matches!(plan, LogicalPlan::Dml(_)) {
            return Ok(plan);
        }
        plan.transform_up_with_subqueries(narrow_node).map(|t| t.data)
    }

    fn name(&self) -> &str {
        "narrow_integer_literals"
    }
}

fn narrow_node(plan: LogicalPlan) -> Result<Transformed<LogicalPlan>> {
    match plan {
        // LIMIT and OFFSET counts stay BIGINT, as DataFusion expects them.
        LogicalPlan::Limit(_) => Ok(Transformed::no(plan)),
        // A VALUES list's schema is derived from its rows, so it is rebuilt.
        LogicalPlan::Values(values) => {
            let mut changed = false;
            let mut rows = Vec::with_capacity(values.values.len());
            for row in values.values.iter() {
                let mut out = Vec::with_capacity(row.len());
                for e in row {
                    // The planner typed a NULL among integers (or arrays of them) as a NULL of
                    // their unnarrowed type; it takes the column's type again once the rows are
                    // rebuilt. Likewise a cast the query wrote, which the planner cast again to
                    // the unnarrowed type of the other rows (`CAST(NULL AS INT)` beside `2`).
                    let e = match e {
                        Expr::Literal(v, meta) if v.is_null() => Expr::Literal(ScalarValue::Null, meta.clone()),
                        Expr::Cast(outer) if matches!(outer.expr.as_ref(), Expr::Cast(_)) => {
                            changed = true;
                            outer.expr.as_ref().clone()
                        }
                        // And an array, map or struct built in a row, which the planner cast to
                        // the unnarrowed type of the other rows.
                        Expr::Cast(outer) if built_value(&outer.expr) => {
                            changed = true;
                            outer.expr.as_ref().clone()
                        }
                        other => other.clone(),
                    };
                    let t = narrow_expr(e)?;
                    changed |= t.transformed;
                    out.push(t.data);
                }
                rows.push(out);
            }
            if !changed {
                return Ok(Transformed::no(LogicalPlan::Values(values)));
            }
            Ok(Transformed::yes(values_again(&values, rows)?))
        }
        // A union's columns take their types from its inputs again (DataFusion keeps a union's
        // schema when recomputing it), so that `SELECT 1 UNION ALL SELECT 2` is INT; type
        // coercion then widens inputs that differ.
        LogicalPlan::Union(u) => Ok(Transformed::yes(LogicalPlan::Union(datafusion::logical_expr::Union::try_new_with_loose_types(u.inputs)?))),
        // Output names stay as planned (narrowing must not rename `count(1)`); the node's schema
        // follows its narrowed expressions and any child that changed type.
        other => {
            let names = NamePreserver::new(&other);
            let mapped = other.map_expressions(|e| {
                let saved = names.save(&e);
                Ok(narrow_expr(e)?.update_data(|e| saved.restore(e)))
            })?;
            Ok(Transformed::yes(mapped.data.recompute_schema()?))
        }
    }
}

/// A VALUES list typed again from new rows, keeping the column names the planner gave `old`.
pub(super) fn values_again(old: &datafusion::logical_expr::Values, rows: Vec<Vec<Expr>>) -> Result<LogicalPlan> {
    let names: Vec<String> = old.schema.fields().iter().map(|f| f.name().clone()).collect();
    let rebuilt = LogicalPlanBuilder::values(rows)?.build()?;
    if rebuilt.schema().fields().iter().map(|f| f.name()).eq(names.iter()) {
        return Ok(rebuilt);
    }
    let columns: Vec<Expr> = rebuilt.schema().columns().into_iter().zip(&names).map(|(c, n)| Expr::Column(c).alias(n)).collect();
    LogicalPlanBuilder::from(rebuilt).project(columns)?.build()
}

fn narrow_expr(e: Expr) -> Result<Transformed<Expr>> {
    e.transform_down(|e| match e {
        // A lambda's parameters were typed from its arrays' elements when it was planned; the
        // arrays keep their types so that the parameters still match them.
        Expr::HigherOrderFunction(_) => Ok(Transformed::new(e, false, TreeNodeRecursion::Jump)),
        // `array()` has no element type, as in Spark, so that it takes the type of the arrays
        // beside it (DataFusion gives it BIGINT elements).
        // The planner casts it to the type of the other rows of a VALUES list, which are narrowed.
        Expr::Cast(c) if empty_array(&c.expr) => Ok(Transformed::yes(untyped_empty_list())),
        e if empty_array(&e) => Ok(Transformed::yes(untyped_empty_list())),
        Expr::Literal(ScalarValue::Int64(Some(v)), meta) => match i32::try_from(v) {
            Ok(small) => Ok(Transformed::yes(Expr::Literal(ScalarValue::Int32(Some(small)), meta))),
            Err(_) => Ok(Transformed::no(Expr::Literal(ScalarValue::Int64(Some(v)), meta))),
        },
        other => Ok(Transformed::no(other)),
    })
}

/// An array, map or struct built by a call (`array(1, 2)`, `map('a', 1)`, `named_struct(...)`).
fn built_value(e: &Expr) -> bool {
    matches!(e, Expr::ScalarFunction(f) if matches!(f.func.name(), "array" | "make_array" | "map" | "map_from_arrays" | "named_struct" | "struct"))
}

/// `array()` or `make_array()` with no elements.
fn empty_array(e: &Expr) -> bool {
    matches!(e, Expr::ScalarFunction(f) if matches!(f.func.name(), "array" | "make_array") && f.args.is_empty())
}

fn untyped_empty_list() -> Expr {
    Expr::Literal(ScalarValue::List(ScalarValue::new_list_nullable(&[], &DataType::Null)), None)
}

/// The rule, ready to put first among the analyzer rules.
pub(crate) fn rule() -> Arc<dyn AnalyzerRule + Send + Sync> {
    Arc::new(NarrowIntegerLiterals)
}
