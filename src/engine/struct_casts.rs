//! Casts between structs whose fields are named differently: Spark matches the fields by position
//! (`CAST(named_struct('a', 1, 'b', 'x') AS STRUCT<A: BIGINT, B: STRING>)`, or the cast type
//! coercion inserts to give a VALUES column or an IN list one struct type); Arrow casts structs
//! only between fields of the same names. An analyzer rule, run after type coercion, writes such
//! a cast field by field: `named_struct('A', CAST(get_field(s, 'a') AS BIGINT), ...)`, NULL where
//! `s` is NULL.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Fields};
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{DFSchema, Result, ScalarValue};
use datafusion::functions::core::expr_fn::{get_field, named_struct};
use datafusion::logical_expr::expr_rewriter::NamePreserver;
use datafusion::logical_expr::{lit, when, Cast, Expr, ExprSchemable, LogicalPlan, TryCast};
use datafusion::optimizer::AnalyzerRule;

/// The analyzer rule.
#[derive(Debug, Default)]
pub(crate) struct StructCastsByPosition;

/// Whether a cast from `from` to `to` must be written field by field: both structs, as many
/// fields, some name different.
fn by_position(from: &DataType, to: &DataType) -> Option<(Fields, Fields)> {
    match (from, to) {
        (DataType::Struct(a), DataType::Struct(b))
            if a.len() == b.len() && a.iter().zip(b.iter()).any(|(x, y)| x.name() != y.name()) =>
        {
            Some((a.clone(), b.clone()))
        }
        _ => None,
    }
}

/// `s` cast to the struct `to` field by field; `try_` casts each field with TRY_CAST.
fn field_by_field(s: Expr, from: &Fields, to: &Fields, try_: bool) -> Result<Expr> {
    let mut args = Vec::with_capacity(to.len() * 2);
    for (source, target) in from.iter().zip(to.iter()) {
        let value = get_field(s.clone(), source.name().as_str());
        let value = if try_ {
            Expr::TryCast(TryCast::new(Box::new(value), target.data_type().clone()))
        } else {
            Expr::Cast(Cast::new(Box::new(value), target.data_type().clone()))
        };
        args.push(lit(target.name().as_str()));
        args.push(value);
    }
    let null = Expr::Literal(ScalarValue::try_from(DataType::Struct(to.clone()))?, None);
    when(s.is_null(), null).otherwise(named_struct(args))
}

fn rewrite(e: Expr, schema: &DFSchema) -> Result<Transformed<Expr>> {
    e.transform_up(|e| {
        let (inner, to, try_) = match &e {
            Expr::Cast(c) => (c.expr.as_ref(), c.field.data_type(), false),
            Expr::TryCast(c) => (c.expr.as_ref(), c.field.data_type(), true),
            _ => return Ok(Transformed::no(e)),
        };
        let Ok(from) = inner.get_type(schema) else { return Ok(Transformed::no(e)) };
        match by_position(&from, to) {
            Some((from, to)) => Ok(Transformed::yes(field_by_field(inner.clone(), &from, &to, try_)?)),
            None => Ok(Transformed::no(e)),
        }
    })
}

impl AnalyzerRule for StructCastsByPosition {
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
        "struct_casts_by_position"
    }
}

/// The rule, to put after type coercion.
pub(crate) fn rule() -> Arc<dyn AnalyzerRule + Send + Sync> {
    Arc::new(StructCastsByPosition)
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::datatypes::Field;

    #[test]
    fn only_differently_named_structs_of_one_width_are_cast_by_position() {
        let s = |names: &[&str]| DataType::Struct(names.iter().map(|n| Field::new(*n, DataType::Int32, true)).collect());
        assert!(by_position(&s(&["c0", "c1"]), &s(&["col1", "col2"])).is_some());
        assert!(by_position(&s(&["a", "b"]), &s(&["a", "b"])).is_none());
        assert!(by_position(&s(&["a"]), &s(&["a", "b"])).is_none());
        assert!(by_position(&DataType::Int32, &s(&["a"])).is_none());
    }
}
