//! Result columns that read a field of a struct column are named after the field, as Spark names
//! them (and PostgreSQL, for a composite's field): `SELECT s.userId FROM t` gives a column
//! `userId`, where DataFusion names it `t.s[userId]`. A field of a computed struct keeps
//! DataFusion's name, as Spark keeps the expression's.

use std::collections::HashSet;

use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::{Distinct, Expr, LogicalPlan};

/// The name of DataFusion's field access function.
const GET_FIELD: &str = "get_field";

/// The plan with such columns renamed; unchanged when it has none (or their names are taken).
pub(crate) fn name(plan: LogicalPlan) -> Result<LogicalPlan> {
    let names: Vec<Option<String>> = match outer_expressions(&plan) {
        Some(exprs) if exprs.len() == plan.schema().fields().len() => exprs.iter().map(field).collect(),
        _ => return Ok(plan),
    };
    if names.iter().all(Option::is_none) {
        return Ok(plan);
    }
    let mut taken: HashSet<String> = plan.schema().fields().iter().map(|f| f.name().to_lowercase()).collect();
    super::output_names::renamed(plan, |i, c| {
        let Some(Some(name)) = names.get(i) else { return Ok(None) };
        if !taken.insert(name.to_lowercase()) {
            return Ok(None);
        }
        Ok(Some((c.relation.clone(), name.clone())))
    })
}

/// The expressions of the projection that makes the plan's result, below any ordering, limit
/// or DISTINCT.
fn outer_expressions(plan: &LogicalPlan) -> Option<&[Expr]> {
    match plan {
        LogicalPlan::Projection(p) => Some(&p.expr),
        LogicalPlan::Sort(s) => outer_expressions(&s.input),
        LogicalPlan::Limit(l) => outer_expressions(&l.input),
        LogicalPlan::Distinct(Distinct::All(input)) => outer_expressions(input),
        _ => None,
    }
}

/// The field an unaliased expression reads from a struct column (or a field of one).
fn field(e: &Expr) -> Option<String> {
    let Expr::ScalarFunction(f) = e else { return None };
    if f.func.name() != GET_FIELD || !f.args.first().is_some_and(reads_column) {
        return None;
    }
    match f.args.last() {
        Some(Expr::Literal(ScalarValue::Utf8(Some(name)), _)) if f.args.len() >= 2 => Some(name.clone()),
        _ => None,
    }
}

/// Whether `e` is a column, or a field of one.
fn reads_column(e: &Expr) -> bool {
    match e {
        Expr::Column(_) => true,
        Expr::ScalarFunction(f) if f.func.name() == GET_FIELD => f.args.first().is_some_and(reads_column),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::functions::core::expr_fn::get_field;
    use datafusion::logical_expr::{col, lit};

    #[test]
    fn fields_of_columns_are_named_after_the_field() {
        assert_eq!(field(&get_field(col("s"), "userId")).as_deref(), Some("userId"));
        assert_eq!(field(&get_field(get_field(col("s"), "a"), "B")).as_deref(), Some("B"));
        assert_eq!(field(&get_field(datafusion::functions::core::expr_fn::named_struct(vec![lit("x"), lit(1)]), "x")), None);
        assert_eq!(field(&get_field(col("s"), "a").alias("z")), None);
    }
}
