//! The common type of values put together: CASE branches, `coalesce`, `array`, IN lists, UNION
//! inputs. DataFusion's rules differ from Spark's ([`lattice`]); in HiveQL sessions an analyzer
//! rule, run before type coercion, casts the operands to Spark's common type, so that coercion
//! finds them alike. In every session a DECIMAL beside a FLOAT or DOUBLE is a DOUBLE, as in Spark
//! and PostgreSQL: `coalesce(double_col, 0.0)`, `x IN (1.5, 2.0)`, `VALUES (1.5D), (0.5)`, where
//! DataFusion's DECIMAL(30,15) prints `1.500000000000000` and cannot hold NaN or doubles past
//! 10^15; and a DECIMAL compared with text is compared as DOUBLE, as Spark compares them.
//! HiveQL sessions also take Spark's operand types for LIKE and FLOAT arithmetic ([`operators`])
//! and pad CHAR values in comparisons ([`char_padding`]).

mod char_padding;
pub(crate) mod lattice;
pub(crate) mod operators;
pub(crate) mod session_rules;

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{plan_err, DFSchema, Result};
use datafusion::logical_expr::expr::{Case, InList};
use datafusion::logical_expr::expr_rewriter::NamePreserver;
use datafusion::logical_expr::{cast, Between, BinaryExpr, Expr, ExprSchemable, LogicalPlan, LogicalPlanBuilder, Operator, Union};
use datafusion::optimizer::AnalyzerRule;

use lattice::{Common, SparkRules};

/// The analyzer rule.
#[derive(Debug, Default)]
struct CommonTypes;

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
fn widen_decimals(exprs: &mut [&mut Expr], schema: &DFSchema) -> bool {
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

/// Casts `exprs`, values put together by `what` (`casewhen`, `coalesce`), to their common type:
/// Spark's under `spark`, else a DECIMAL beside floats becomes a DOUBLE. True when any changed.
fn unify(exprs: &mut [&mut Expr], schema: &DFSchema, spark: Option<SparkRules>, what: &str) -> Result<bool> {
    let Some(rules) = spark else { return Ok(widen_decimals(exprs, schema)) };
    let Ok(types) = exprs.iter().map(|e| e.get_type(schema)).collect::<Result<Vec<DataType>>>() else { return Ok(false) };
    match lattice::common_type(&types, rules) {
        Common::Type(target) => {
            let mut changed = false;
            for (e, t) in exprs.iter_mut().zip(&types) {
                if lattice::needs_cast(t, &target) {
                    **e = cast_value(std::mem::take(&mut **e), t, &target);
                    changed = true;
                }
            }
            Ok(changed)
        }
        Common::Unjudged => Ok(widen_decimals(exprs, schema)),
        Common::Mismatch => {
            let names: Vec<String> = types.iter().filter(|t| !t.is_null()).map(|t| format!("\"{}\"", lattice::type_name(t))).collect();
            plan_err!("[DATATYPE_MISMATCH.DATA_DIFF_TYPES] Input to `{what}` should all be the same type, but it's [{}]", names.join(", "))
        }
    }
}

/// `e` cast to `target`. A constant that does not convert is cast when the query runs, so that it
/// fails only where a row takes it, as in Spark (`CASE WHEN ok THEN n ELSE 'n/a' END`).
fn cast_value(e: Expr, from: &DataType, target: &DataType) -> Expr {
    let fails_when_planned = match &e {
        Expr::Literal(v, _) => v.cast_to(target).is_err(),
        // A constant expression is folded too; whether it converts is known only then.
        other => lattice::is_text(from) && !lattice::is_text(target) && !other.any_column_refs() && !other.is_volatile(),
    };
    if fails_when_planned { cast(crate::engine::spark_functions::deferred::deferred(e), target.clone()) } else { cast(e, target.clone()) }
}

/// A DECIMAL compared with text is compared as DOUBLE, both sides cast, as in Spark: `1.5 =
/// '1.51'` is false and `'1.5' > 0.5` true, where casting the text to the DECIMAL's own type
/// would round it or overflow. True when it cast them.
fn compare_text_as_double(left: &mut Expr, right: &mut Expr, schema: &DFSchema) -> bool {
    let (Ok(l), Ok(r)) = (left.get_type(schema), right.get_type(schema)) else { return false };
    if !(is_decimal(&l) && lattice::is_text(&r) || lattice::is_text(&l) && is_decimal(&r)) {
        return false;
    }
    for e in [left, right] {
        *e = cast(std::mem::take(e), DataType::Float64);
    }
    true
}

/// What a function's arguments are to one another.
enum Role {
    /// All are values of one result (`coalesce`, `array`), with Spark's name of the function.
    Values(&'static str),
    /// All but the first are the branches of `if`.
    Branches,
    /// `pmod`, arithmetic.
    Modulo,
    /// All take one type without text taking part, as Spark refuses text beside numbers there
    /// (`greatest`, `least`), or are compared (`nullif`).
    Compared(&'static str),
}

fn role(name: &str) -> Option<Role> {
    Some(match name {
        "coalesce" | "nvl" | "ifnull" => Role::Values("coalesce"),
        "make_array" | "array" => Role::Values("array"),
        "if" => Role::Branches,
        "pmod" => Role::Modulo,
        "greatest" => Role::Compared("greatest"),
        "least" => Role::Compared("least"),
        "nullif" => Role::Compared("nullif"),
        _ => return None,
    })
}

fn is_comparison(op: &Operator) -> bool {
    matches!(
        op,
        Operator::Eq | Operator::NotEq | Operator::Lt | Operator::LtEq | Operator::Gt | Operator::GtEq | Operator::IsDistinctFrom | Operator::IsNotDistinctFrom
    )
}

/// One expression whose operands take a common type, cast to it.
fn widen_expr(mut e: Expr, schema: &DFSchema, spark: Option<SparkRules>) -> Result<Transformed<Expr>> {
    let changed = match &mut e {
        Expr::BinaryExpr(BinaryExpr { left, op, right }) if is_comparison(op) => {
            let padded = spark.is_some() && char_padding::compare(left, right, schema);
            padded || widen_decimals(&mut [left.as_mut(), right.as_mut()], schema) || compare_text_as_double(left, right, schema)
        }
        Expr::BinaryExpr(BinaryExpr { left, op, right }) => spark.is_some_and(|rules| operators::float_arithmetic(Some(op), left, right, schema, rules)),
        Expr::Like(like) if spark.is_some() => operators::like_as_text([like.expr.as_mut(), like.pattern.as_mut()], schema),
        Expr::Between(Between { expr, low, high, .. }) => widen_decimals(&mut [expr.as_mut(), low.as_mut(), high.as_mut()], schema),
        Expr::InList(InList { expr, list, .. }) => {
            let padded = spark.is_some() && char_padding::in_list(expr, list, schema);
            let mut all: Vec<&mut Expr> = vec![expr.as_mut()];
            all.extend(list.iter_mut());
            unify(&mut all, schema, spark, "in")? || padded
        }
        Expr::Case(Case { expr, when_then_expr, else_expr }) => {
            let mut results: Vec<&mut Expr> = Vec::new();
            let mut tests: Vec<&mut Expr> = Vec::new();
            for (when, then) in when_then_expr.iter_mut() {
                tests.push(when.as_mut());
                results.push(then.as_mut());
            }
            results.extend(else_expr.as_deref_mut());
            let results_changed = unify(&mut results, schema, spark, "casewhen")?;
            // `CASE x WHEN 0.5 ...` compares the operand with each WHEN value.
            let tests_changed = match expr.as_deref_mut() {
                Some(operand) => {
                    tests.insert(0, operand);
                    widen_decimals(&mut tests, schema)
                }
                None => false,
            };
            results_changed || tests_changed
        }
        Expr::ScalarFunction(f) => match role(f.name()) {
            Some(Role::Values(what)) => unify(&mut f.args.iter_mut().collect::<Vec<_>>(), schema, spark, what)?,
            Some(Role::Branches) => unify(&mut f.args.iter_mut().skip(1).collect::<Vec<_>>(), schema, spark, "if")?,
            Some(Role::Modulo) => match (spark, f.args.as_mut_slice()) {
                (Some(rules), [a, n]) => operators::float_arithmetic(None, a, n, schema, rules),
                _ => false,
            },
            Some(Role::Compared(what)) => {
                let rules = spark.map(|r| SparkRules { text: false, ..r });
                unify(&mut f.args.iter_mut().collect::<Vec<_>>(), schema, rules, what)?
            }
            None => false,
        },
        _ => false,
    };
    Ok(if changed { Transformed::yes(e) } else { Transformed::no(e) })
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
        changed |= widen_decimals(&mut cells, &empty);
    }
    if !changed {
        return Ok(Transformed::no(LogicalPlan::Values(values)));
    }
    Ok(Transformed::yes(super::literals::values_again(&values, rows)?))
}

/// The type a union column's inputs are cast to, if any: Spark's common type under `spark`, else
/// DOUBLE where floats mix with decimals.
fn union_column_type(types: &[DataType], spark: Option<SparkRules>, column: &str) -> Result<Option<DataType>> {
    let mixed = || mixes(&types.iter().cloned().map(Some).collect::<Vec<_>>()).then_some(DataType::Float64);
    let Some(rules) = spark else { return Ok(mixed()) };
    match lattice::common_type(types, rules) {
        Common::Type(t) => Ok(Some(t)),
        Common::Unjudged => Ok(mixed()),
        Common::Mismatch => {
            let names: Vec<String> = types.iter().map(|t| format!("\"{}\"", lattice::type_name(t))).collect();
            plan_err!("[INCOMPATIBLE_COLUMN_TYPE] UNION can only be performed on inputs with compatible column types; column `{column}` has the types [{}]", names.join(", "))
        }
    }
}

/// A union whose columns differ in type across its inputs, where the common type is not
/// DataFusion's: the inputs are projected to it.
fn widen_union(union: Union, spark: Option<SparkRules>) -> Result<Transformed<LogicalPlan>> {
    let mut targets = Vec::with_capacity(union.schema.fields().len());
    for (column, field) in union.schema.fields().iter().enumerate() {
        let types: Vec<DataType> = union.inputs.iter().filter_map(|i| i.schema().fields().get(column).map(|f| f.data_type().clone())).collect();
        targets.push(union_column_type(&types, spark, field.name())?);
    }
    let casts = |input: &LogicalPlan| input.schema().fields().iter().zip(&targets).any(|(f, t)| t.as_ref().is_some_and(|t| lattice::needs_cast(f.data_type(), t)));
    if !union.inputs.iter().any(|i| casts(i)) {
        return Ok(Transformed::no(LogicalPlan::Union(union)));
    }
    let inputs = union
        .inputs
        .iter()
        .map(|input| {
            if !casts(input) {
                return Ok(Arc::clone(input));
            }
            let schema = input.schema();
            let columns = schema
                .columns()
                .into_iter()
                .zip(schema.fields())
                .zip(&targets)
                .map(|((c, f), target)| {
                    let column = Expr::Column(c);
                    match target {
                        Some(t) if lattice::needs_cast(f.data_type(), t) => cast(column, t.clone()).alias(f.name()),
                        _ => column,
                    }
                })
                .collect::<Vec<_>>();
            Ok(Arc::new(LogicalPlanBuilder::from(input.as_ref().clone()).project(columns)?.build()?))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Transformed::yes(LogicalPlan::Union(Union::try_new_with_loose_types(inputs)?)))
}

fn widen_node(plan: LogicalPlan, spark: Option<SparkRules>) -> Result<Transformed<LogicalPlan>> {
    match plan {
        LogicalPlan::Values(values) => widen_values(values),
        LogicalPlan::Union(union) => widen_union(union, spark),
        other => {
            let mut schema = DFSchema::empty();
            for input in other.inputs() {
                schema.merge(input.schema());
            }
            let names = NamePreserver::new(&other);
            let mapped = other.map_expressions(|e| {
                let saved = names.save(&e);
                Ok(e.transform_up(|e| widen_expr(e, &schema, spark))?.update_data(|e| saved.restore(e)))
            })?;
            if mapped.transformed { Ok(Transformed::yes(mapped.data.recompute_schema()?)) } else { Ok(mapped) }
        }
    }
}

impl AnalyzerRule for CommonTypes {
    fn analyze(&self, plan: LogicalPlan, config: &ConfigOptions) -> Result<LogicalPlan> {
        // Written values take the types of the columns they fill.
        if matches!(plan, LogicalPlan::Dml(_)) {
            return Ok(plan);
        }
        let spark = session_rules::ValueTyping::spark_rules(config);
        plan.transform_up_with_subqueries(|node| widen_node(node, spark)).map(|t| t.data)
    }

    fn name(&self) -> &str {
        "common_types"
    }
}

/// The rule, to put before type coercion.
pub(crate) fn rule() -> Arc<dyn AnalyzerRule + Send + Sync> {
    Arc::new(CommonTypes)
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
        let e = widen_expr(datafusion::functions::core::expr_fn::coalesce(vec![col("x"), col("d")]), &s, None).unwrap();
        assert!(e.transformed);
        assert_eq!(e.data.get_type(&s).unwrap(), DataType::Float64);
        let cmp = widen_expr(col("x").eq(lit(ScalarValue::Decimal128(Some(15), 2, 1))), &s, None).unwrap();
        assert!(cmp.transformed);
    }

    #[test]
    fn decimals_compared_with_text_compare_as_doubles() {
        let s = schema();
        let cmp = widen_expr(lit("1.51").gt(col("d")), &s, None).unwrap();
        assert!(cmp.transformed);
        let Expr::BinaryExpr(b) = &cmp.data else { panic!("comparison") };
        assert_eq!(b.left.get_type(&s).unwrap(), DataType::Float64);
        assert_eq!(b.right.get_type(&s).unwrap(), DataType::Float64);
        assert!(!widen_expr(lit("1").eq(lit(1i32)), &s, None).unwrap().transformed);
    }

    #[test]
    fn decimals_alone_or_beside_integers_stay() {
        let s = schema();
        assert!(!widen_expr(col("d").eq(lit(1i32)), &s, None).unwrap().transformed);
        assert!(!widen_expr(col("x").eq(lit(1i32)), &s, None).unwrap().transformed);
    }

    #[test]
    fn spark_rules_cast_branches_to_sparks_common_type() {
        let s = schema();
        let ansi = Some(SparkRules { ansi: true, text: true });
        let legacy = Some(SparkRules { ansi: false, text: true });
        let case = || Expr::Case(Case::new(None, vec![(Box::new(lit(true)), Box::new(lit(1i32)))], Some(Box::new(lit("2")))));
        assert_eq!(widen_expr(case(), &s, ansi).unwrap().data.get_type(&s).unwrap(), DataType::Int64);
        assert_eq!(widen_expr(case(), &s, legacy).unwrap().data.get_type(&s).unwrap(), DataType::Utf8);
        // Without Spark's rules only a DECIMAL beside floats changes.
        assert!(!widen_expr(case(), &s, None).unwrap().transformed);
        let mismatch = Expr::Case(Case::new(None, vec![(Box::new(lit(true)), Box::new(lit(1i32)))], Some(Box::new(lit(false)))));
        assert!(widen_expr(mismatch, &s, ansi).unwrap_err().to_string().contains("DATA_DIFF_TYPES"));
    }

    #[test]
    fn constants_that_do_not_convert_are_cast_when_the_query_runs() {
        let deferred = cast_value(lit("n/a"), &DataType::Utf8, &DataType::Int64);
        let Expr::Cast(c) = &deferred else { panic!("a cast") };
        assert!(matches!(c.expr.as_ref(), Expr::ScalarFunction(f) if f.name() == "hivewire_deferred"));
        let folded = cast_value(lit("7"), &DataType::Utf8, &DataType::Int64);
        let Expr::Cast(c) = &folded else { panic!("a cast") };
        assert!(matches!(c.expr.as_ref(), Expr::Literal(..)));
    }
}
