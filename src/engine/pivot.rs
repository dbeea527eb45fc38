//! Spark's PIVOT: `FROM t PIVOT (agg [AS a], ... FOR col IN (v [AS n], ...))` groups `t` by its
//! columns that neither the aggregates nor the pivot column read, and makes one column for each
//! value and aggregate: the aggregate over the rows whose pivot column is the value. Columns are
//! named as Spark names them: the value (`dotNET`, `2012`, or its alias), followed by `_` and the
//! aggregate's alias or text when there are several aggregates. Aliases are identifiers, folded
//! to lower case unless quoted, so that the outer query can name the columns.

use std::collections::HashSet;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{not_impl_err, plan_err, Column, DFSchema, Result};
use datafusion::logical_expr::planner::{PlannedRelation, RelationPlanner, RelationPlannerContext, RelationPlanning};
use datafusion::logical_expr::utils::{conjunction, find_aggregate_exprs};
use datafusion::logical_expr::{binary_expr, Expr, ExprSchemable, LogicalPlanBuilder, Operator};
use datafusion::sql::sqlparser::ast::{self, PivotValueSource, TableFactor};

/// Plans PIVOT relations.
#[derive(Debug, Default)]
pub(crate) struct PivotRelations;

/// One output column: its name and expression over the grouped rows.
struct Pivoted {
    name: String,
    expr: Expr,
}

impl RelationPlanner for PivotRelations {
    fn plan_relation(&self, relation: TableFactor, context: &mut dyn RelationPlannerContext) -> Result<RelationPlanning> {
        let TableFactor::Pivot { table, aggregate_functions, value_column, value_source, default_on_null, alias } = relation else {
            return Ok(RelationPlanning::Original(Box::new(relation)));
        };
        let PivotValueSource::List(values) = value_source else {
            return not_impl_err!("PIVOT over ANY or a subquery (Spark takes a list of values)");
        };
        if default_on_null.is_some() {
            return not_impl_err!("PIVOT with DEFAULT ON NULL");
        }
        let input = context.plan(*table)?;
        let schema = input.schema().as_ref().clone();
        let pivot_columns = value_column.into_iter().map(|c| context.sql_to_expr(c, &schema)).collect::<Result<Vec<_>>>()?;
        for c in &pivot_columns {
            // Maps have no equality in Spark, so it refuses them as pivot columns.
            if matches!(c.get_type(&schema)?, DataType::Map(_, _)) {
                return plan_err!("[DATATYPE_MISMATCH.INVALID_MAP_KEY_TYPE] a map cannot be a pivot column: {c}");
            }
        }
        let aggregates = aggregate_functions
            .into_iter()
            .map(|a| {
                let name = match a.alias.clone() {
                    Some(alias) => context.normalize_ident(alias),
                    None => aggregate_text(&a.expr),
                };
                let expr = context.sql_to_expr(a.expr, &schema)?;
                if find_aggregate_exprs([&expr]).is_empty() {
                    return plan_err!("[PIVOT_AFTER_GROUP_BY] PIVOT takes aggregate expressions, and {name} is not one");
                }
                Ok((name, expr))
            })
            .collect::<Result<Vec<_>>>()?;
        let read: HashSet<Column> = pivot_columns.iter().chain(aggregates.iter().map(|(_, e)| e)).flat_map(|e| e.column_refs()).cloned().collect();
        let group: Vec<Expr> = schema.columns().into_iter().filter(|c| !read.contains(c)).map(Expr::Column).collect();
        let mut pivoted = Vec::new();
        for value in values {
            let value_name = match value.alias.clone() {
                Some(a) => context.normalize_ident(a),
                None => value_text(&value.expr),
            };
            let parts = match value.expr {
                ast::Expr::Tuple(parts) if pivot_columns.len() > 1 => parts,
                single => vec![single],
            };
            if parts.len() != pivot_columns.len() {
                return plan_err!("[PIVOT_VALUE_DATA_TYPE_MISMATCH] a PIVOT value has {} parts for {} pivot columns", parts.len(), pivot_columns.len());
            }
            let empty = DFSchema::empty();
            let tests = pivot_columns
                .iter()
                .zip(parts)
                .map(|(column, part)| Ok(binary_expr(column.clone(), Operator::IsNotDistinctFrom, context.sql_to_expr(part, &empty)?)))
                .collect::<Result<Vec<_>>>()?;
            let Some(test) = conjunction(tests) else { return plan_err!("PIVOT needs a pivot column") };
            for (aggregate_name, aggregate) in &aggregates {
                let name = if aggregates.len() == 1 { value_name.clone() } else { format!("{value_name}_{aggregate_name}") };
                pivoted.push(Pivoted { name, expr: only_where(aggregate.clone(), &test)? });
            }
        }
        let aggregate_calls = find_aggregate_exprs(pivoted.iter().map(|p| &p.expr));
        let outputs = pivoted.into_iter().map(|p| Ok(over_aggregate_columns(p.expr)?.alias(p.name))).collect::<Result<Vec<_>>>()?;
        let plan = LogicalPlanBuilder::from(input)
            .aggregate(group.clone(), aggregate_calls)?
            .project(group.into_iter().chain(outputs))?
            .build()?;
        Ok(RelationPlanning::Planned(Box::new(PlannedRelation::new(plan, alias))))
    }
}

/// Each aggregate call in `e` restricted to the rows that pass `test`.
fn only_where(e: Expr, test: &Expr) -> Result<Expr> {
    e.transform(|e| match e {
        Expr::AggregateFunction(mut f) => {
            let filter = match f.params.filter.take() {
                Some(existing) => existing.and(test.clone()),
                None => test.clone(),
            };
            f.params.filter = Some(Box::new(filter));
            Ok(Transformed::new(Expr::AggregateFunction(f), true, datafusion::common::tree_node::TreeNodeRecursion::Jump))
        }
        other => Ok(Transformed::no(other)),
    })
    .map(|t| t.data)
}

/// `e` reading the aggregate's output columns in place of its aggregate calls.
fn over_aggregate_columns(e: Expr) -> Result<Expr> {
    e.transform(|e| match e {
        Expr::AggregateFunction(_) => {
            let column = Column::from_name(e.schema_name().to_string());
            Ok(Transformed::new(Expr::Column(column), true, datafusion::common::tree_node::TreeNodeRecursion::Jump))
        }
        other => Ok(Transformed::no(other)),
    })
    .map(|t| t.data)
}

/// An unaliased aggregate's part of a column name: its text as Spark prints it.
fn aggregate_text(e: &ast::Expr) -> String {
    crate::hiveql::spark_names::spark_name(e).unwrap_or_else(|| e.to_string())
}

/// A value's part of a column name: `dotNET` for `'dotNET'`, `{dotNET, 2012}` for a tuple.
fn value_text(e: &ast::Expr) -> String {
    match e {
        ast::Expr::Tuple(parts) => format!("{{{}}}", parts.iter().map(value_text).collect::<Vec<_>>().join(", ")),
        other => crate::hiveql::spark_names::spark_name(other).unwrap_or_else(|| other.to_string()),
    }
}
