//! The common type of a DECIMAL and a FLOAT or DOUBLE is DOUBLE, in Spark as in PostgreSQL:
//! `coalesce(double_col, 0.0)`, `CASE ... THEN x ELSE 0.25 END`, `x IN (1.5, 2.0)`,
//! `greatest(x, 0.5)`, `array(1.5D, 0.5)`, `VALUES (1.5D), (0.5)` and
//! `SELECT 1.5D UNION ALL SELECT 0.5` are DOUBLE. DataFusion's common type of the two is
//! DECIMAL(30,15), which prints `1.500000000000000` and cannot hold NaN or doubles past 10^15.
//! An analyzer rule, run before type coercion, casts the DECIMAL operands of such mixes to DOUBLE,
//! so that coercion finds DOUBLE. Arithmetic needs nothing: DataFusion's `x + 0.5` is DOUBLE.
//! A DECIMAL compared with text is compared as DOUBLE too, as Spark compares them.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{DFSchema, Result};
use datafusion::logical_expr::expr::{Case, InList};
use datafusion::logical_expr::expr_rewriter::NamePreserver;
use datafusion::logical_expr::{cast, Between, BinaryExpr, Expr, ExprSchemable, LogicalPlan, LogicalPlanBuilder, Operator, Union};
use datafusion::optimizer::AnalyzerRule;

/// The analyzer rule.
#[derive(Debug, Default)]
struct FloatOverDecimal;

/// Whether a type is a floating-point number.
fn is_float(t: &DataType) -> bool {
    matches!(t, DataType::Float16 | DataType::Float32 | DataType::Float64)
}

fn is_decimal(t: &DataType) -> bool {
    matches!(t, DataType::Decimal32(..) | DataType::Decimal64(..) | DataType::Decimal128(..) | DataType::Decimal256(..))
}

/// Whether values of these types, put together, mix floats with decimals.
fn mixes(types: &[Option<DataType>]) -> bool {
    types.iter().flatten().any(is_float) && types.iter().flatten().any(is_decimal)
}

/// Casts the decimals among `exprs` to DOUBLE where they mix with floats; true when any changed.
fn widen(exprs: &mut [&mut Expr], schema: &DFSchema) -> bool {
    let types: Vec<Option<DataType>> = exprs.iter().map(|e| e.get_type(schema).ok()).collect();
    if !mixes(&types) {
        return false;
    }
    for (e, t) in exprs.iter_mut().zip(&types) {
        if t.as_ref().is_some_and(is_decimal) {
            **e = cast(std::mem::take(&mut **e), DataType::Float64);
        }
    }
    true
}

/// A DECIMAL compared with text is compared as DOUBLE, both sides cast, as in Spark: `1.5 =
/// '1.51'` is false and `'1.5' > 0.5` true, where casting the text to the DECIMAL's own type
/// would round it or overflow. True when it cast them.
fn compare_text_as_double(left: &mut Expr, right: &mut Expr, schema: &DFSchema) -> bool {
    let is_text = |t: &DataType| matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View);
    let (Ok(l), Ok(r)) = (left.get_type(schema), right.get_type(schema)) else { return false };
    if !(is_decimal(&l) && is_text(&r) || is_text(&l) && is_decimal(&r)) {
        return false;
    }
    for e in [left, right] {
        *e = cast(std::mem::take(e), DataType::Float64);
    }
    true
}

/// Functions whose arguments, all of them, take one common type.
const UNIFYING: &[&str] = &["coalesce", "nvl", "ifnull", "greatest", "least", "make_array", "array", "nullif"];

fn is_comparison(op: &Operator) -> bool {
    matches!(
        op,
        Operator::Eq | Operator::NotEq | Operator::Lt | Operator::LtEq | Operator::Gt | Operator::GtEq | Operator::IsDistinctFrom | Operator::IsNotDistinctFrom
    )
}

/// One expression whose operands take a common type, with its decimals cast where they mix with
/// floats.
fn widen_expr(mut e: Expr, schema: &DFSchema) -> Transformed<Expr> {
    let changed = match &mut e {
        Expr::BinaryExpr(BinaryExpr { left, op, right }) if is_comparison(op) => {
            widen(&mut [left.as_mut(), right.as_mut()], schema) || compare_text_as_double(left, right, schema)
        }
        Expr::Between(Between { expr, low, high, .. }) => widen(&mut [expr.as_mut(), low.as_mut(), high.as_mut()], schema),
        Expr::InList(InList { expr, list, .. }) => {
            let mut all: Vec<&mut Expr> = vec![expr.as_mut()];
            all.extend(list.iter_mut());
            widen(&mut all, schema)
        }
        Expr::Case(Case { expr, when_then_expr, else_expr }) => {
            let mut results: Vec<&mut Expr> = Vec::new();
            let mut tests: Vec<&mut Expr> = Vec::new();
            for (when, then) in when_then_expr.iter_mut() {
                tests.push(when.as_mut());
                results.push(then.as_mut());
            }
            results.extend(else_expr.as_deref_mut());
            let results_changed = widen(&mut results, schema);
            // `CASE x WHEN 0.5 ...` compares the operand with each WHEN value.
            let tests_changed = match expr.as_deref_mut() {
                Some(operand) => {
                    tests.insert(0, operand);
                    widen(&mut tests, schema)
                }
                None => false,
            };
            results_changed || tests_changed
        }
        Expr::ScalarFunction(f) if UNIFYING.contains(&f.name()) => widen(&mut f.args.iter_mut().collect::<Vec<_>>(), schema),
        Expr::ScalarFunction(f) if f.name() == "if" => widen(&mut f.args.iter_mut().skip(1).collect::<Vec<_>>(), schema),
        _ => false,
    };
    if changed { Transformed::yes(e) } else { Transformed::no(e) }
}

/// A VALUES list whose columns mix floats with decimals, typed again with DOUBLE there. The
/// planner cast each row to DataFusion's common type; those casts are taken off first.
fn widen_values(values: datafusion::logical_expr::Values) -> Result<Transformed<LogicalPlan>> {
    let empty = DFSchema::empty();
    let column_types: Vec<DataType> = values.schema.fields().iter().map(|f| f.data_type().clone()).collect();
    let mut rows: Vec<Vec<Expr>> = values
        .values
        .iter()
        .map(|row| {
            row.iter()
                .zip(&column_types)
                .map(|(e, t)| match e {
                    Expr::Cast(c) if c.field.data_type() == t && is_decimal(t) => c.expr.as_ref().clone(),
                    other => other.clone(),
                })
                .collect()
        })
        .collect();
    let mut changed = false;
    for column in 0..column_types.len() {
        let mut cells: Vec<&mut Expr> = rows.iter_mut().filter_map(|row| row.get_mut(column)).collect();
        changed |= widen(&mut cells, &empty);
    }
    if !changed {
        return Ok(Transformed::no(LogicalPlan::Values(values)));
    }
    Ok(Transformed::yes(super::literals::values_again(&values, rows)?))
}

/// A union whose columns mix floats with decimals across its inputs: the decimal inputs are
/// projected to DOUBLE.
fn widen_union(union: Union) -> Result<Transformed<LogicalPlan>> {
    let width = union.schema.fields().len();
    let column_types = |column: usize| -> Vec<Option<DataType>> {
        union.inputs.iter().map(|i| i.schema().fields().get(column).map(|f| f.data_type().clone())).collect()
    };
    let mixed: Vec<bool> = (0..width).map(|c| mixes(&column_types(c))).collect();
    if !mixed.contains(&true) {
        return Ok(Transformed::no(LogicalPlan::Union(union)));
    }
    let inputs = union
        .inputs
        .iter()
        .map(|input| {
            let schema = input.schema();
            let columns = schema
                .columns()
                .into_iter()
                .zip(schema.fields())
                .zip(&mixed)
                .map(|((c, f), mixed)| {
                    let name = f.name().clone();
                    let column = Expr::Column(c);
                    if *mixed && is_decimal(f.data_type()) { cast(column, DataType::Float64).alias(name) } else { column }
                })
                .collect::<Vec<_>>();
            Ok(Arc::new(LogicalPlanBuilder::from(input.as_ref().clone()).project(columns)?.build()?))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Transformed::yes(LogicalPlan::Union(Union::try_new_with_loose_types(inputs)?)))
}

fn widen_node(plan: LogicalPlan) -> Result<Transformed<LogicalPlan>> {
    match plan {
        LogicalPlan::Values(values) => widen_values(values),
        LogicalPlan::Union(union) => widen_union(union),
        other => {
            let mut schema = DFSchema::empty();
            for input in other.inputs() {
                schema.merge(input.schema());
            }
            let names = NamePreserver::new(&other);
            let mapped = other.map_expressions(|e| {
                let saved = names.save(&e);
                Ok(e.transform_up(|e| Ok(widen_expr(e, &schema)))?.update_data(|e| saved.restore(e)))
            })?;
            if mapped.transformed { Ok(Transformed::yes(mapped.data.recompute_schema()?)) } else { Ok(mapped) }
        }
    }
}

impl AnalyzerRule for FloatOverDecimal {
    fn analyze(&self, plan: LogicalPlan, _config: &ConfigOptions) -> Result<LogicalPlan> {
        // Written values take the types of the columns they fill.
        if matches!(plan, LogicalPlan::Dml(_)) {
            return Ok(plan);
        }
        plan.transform_up_with_subqueries(widen_node).map(|t| t.data)
    }

    fn name(&self) -> &str {
        "float_over_decimal"
    }
}

/// The rule, to put before type coercion.
pub(crate) fn rule() -> Arc<dyn AnalyzerRule + Send + Sync> {
    Arc::new(FloatOverDecimal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::logical_expr::{col, lit};
    use datafusion::common::ScalarValue;
    use datafusion::arrow::datatypes::{Field, Schema};

    fn schema() -> DFSchema {
        DFSchema::try_from(Schema::new(vec![Field::new("x", DataType::Float64, true), Field::new("d", DataType::Decimal128(5, 2), true)])).unwrap()
    }

    #[test]
    fn decimals_beside_floats_become_doubles() {
        let s = schema();
        let e = widen_expr(datafusion::functions::core::expr_fn::coalesce(vec![col("x"), col("d")]), &s);
        assert!(e.transformed);
        assert_eq!(e.data.get_type(&s).unwrap(), DataType::Float64);
        let cmp = widen_expr(col("x").eq(lit(ScalarValue::Decimal128(Some(15), 2, 1))), &s);
        assert!(cmp.transformed);
    }

    #[test]
    fn decimals_compared_with_text_compare_as_doubles() {
        let s = schema();
        let cmp = widen_expr(lit("1.51").gt(col("d")), &s);
        assert!(cmp.transformed);
        let Expr::BinaryExpr(b) = &cmp.data else { panic!("comparison") };
        assert_eq!(b.left.get_type(&s).unwrap(), DataType::Float64);
        assert_eq!(b.right.get_type(&s).unwrap(), DataType::Float64);
        assert!(!widen_expr(lit("1").eq(lit(1i32)), &s).transformed);
    }

    #[test]
    fn decimals_alone_or_beside_integers_stay() {
        let s = schema();
        assert!(!widen_expr(col("d").eq(lit(1i32)), &s).transformed);
        assert!(!widen_expr(col("x").eq(lit(1i32)), &s).transformed);
    }
}
