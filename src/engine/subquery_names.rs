//! Fills in the outer columns of Spark's names for subquery expressions. The HiveQL front end
//! names `(SELECT max(b) FROM t WHERE t.a = u.a)` `scalarsubquery(<marker>)`; once the query is
//! planned, the subquery's outer references are known, and the result column is renamed
//! `scalarsubquery(a)`, listing each outer column once for each place the subquery reads it, in
//! the order Spark lists them.

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::common::tree_node::{TreeNode, TreeNodeRecursion};
use datafusion::common::Result;
use datafusion::logical_expr::{Expr, LogicalPlan, Projection, Subquery};

use crate::hiveql::subquery_names::OUTER_COLUMNS;

/// The plan with its result columns' subquery names completed; unchanged when none needs it.
pub(crate) fn fill(plan: LogicalPlan) -> Result<LogicalPlan> {
    let schema = Arc::clone(plan.schema());
    if !schema.fields().iter().any(|f| f.name().contains(OUTER_COLUMNS)) {
        return Ok(plan);
    }
    let named = named_expressions(&plan)?;
    let columns = schema
        .columns()
        .into_iter()
        .map(|c| {
            let name = c.name.clone();
            let column = Expr::Column(c);
            if !name.contains(OUTER_COLUMNS) {
                return Ok(column);
            }
            let lists = match named.get(&name) {
                Some(e) => outer_column_lists(e)?,
                None => Vec::new(),
            };
            Ok(column.alias(complete(&name, &lists)))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(LogicalPlan::Projection(Projection::try_new(columns, Arc::new(plan))?))
}

/// The aliased expressions of every projection in the plan, by name, the outermost first.
fn named_expressions(plan: &LogicalPlan) -> Result<HashMap<String, Expr>> {
    let mut named = HashMap::new();
    plan.apply_with_subqueries(|node| {
        if let LogicalPlan::Projection(p) = node {
            for e in &p.expr {
                if let Expr::Alias(a) = e {
                    if a.name.contains(OUTER_COLUMNS) {
                        named.entry(a.name.clone()).or_insert_with(|| a.expr.as_ref().clone());
                    }
                }
            }
        }
        Ok(TreeNodeRecursion::Continue)
    })?;
    Ok(named)
}

/// For each subquery in `e`, in order, the outer columns it reads as Spark lists them.
fn outer_column_lists(e: &Expr) -> Result<Vec<String>> {
    let mut lists = Vec::new();
    e.apply(|e| match e {
        Expr::ScalarSubquery(s) | Expr::Exists(datafusion::logical_expr::expr::Exists { subquery: s, .. }) => {
            lists.push(outer_columns(s)?.join(", "));
            Ok(TreeNodeRecursion::Jump)
        }
        Expr::InSubquery(i) => {
            lists.push(outer_columns(&i.subquery)?.join(", "));
            Ok(TreeNodeRecursion::Jump)
        }
        _ => Ok(TreeNodeRecursion::Continue),
    })?;
    Ok(lists)
}

/// The outer columns a subquery reads, visiting its operators from the top and each operator's
/// expressions in order, once per reference (as Spark does); nested subqueries' own outer
/// references are not its.
fn outer_columns(s: &Subquery) -> Result<Vec<String>> {
    let mut names = Vec::new();
    s.subquery.apply(|node| {
        node.apply_expressions(|e| {
            e.apply(|e| {
                if let Expr::OuterReferenceColumn(_, c) = e {
                    names.push(c.name.clone());
                }
                Ok(TreeNodeRecursion::Continue)
            })
        })
    })?;
    Ok(names)
}

/// `name` with each marker replaced by the next list; markers past the lists become empty.
fn complete(name: &str, lists: &[String]) -> String {
    let mut lists = lists.iter();
    name.split(OUTER_COLUMNS)
        .enumerate()
        .fold(String::new(), |mut text, (i, part)| {
            if i > 0 {
                text.push_str(lists.next().map(String::as_str).unwrap_or(""));
            }
            text.push_str(part);
            text
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_take_the_lists_in_order() {
        let m = OUTER_COLUMNS;
        assert_eq!(complete(&format!("(exists({m}) AND (x IN (listquery({m}))))"), &["a, b".into(), "c".into()]), "(exists(a, b) AND (x IN (listquery(c))))");
        assert_eq!(complete(&format!("scalarsubquery({m})"), &[]), "scalarsubquery()");
    }
}
