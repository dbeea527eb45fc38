//! Fills in the outer columns of Spark's names for subquery expressions. The HiveQL front end
//! names `(SELECT max(b) FROM t WHERE t.a = u.a)` `scalarsubquery(<marker>)`; once the query is
//! planned, the subquery's outer references are known, and the result column is renamed
//! `scalarsubquery(a)`, listing each outer column once for each place the subquery reads it, in
//! the order Spark lists them. A lateral subquery's bare outer column, which DataFusion names
//! `outer_ref(t.c)`, is named `c`, as Spark names it.

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::common::Result;
use datafusion::logical_expr::{Expr, LogicalPlan, Subquery};

use crate::hiveql::subquery_names::OUTER_COLUMNS;

/// The plan with its result columns' subquery names completed; unchanged when none needs it.
pub(crate) fn fill(plan: LogicalPlan) -> Result<LogicalPlan> {
    let schema = Arc::clone(plan.schema());
    if !schema.fields().iter().any(|f| f.name().contains(OUTER_COLUMNS) || outer_column_name(f.name()).is_some()) {
        return Ok(plan);
    }
    let named = named_expressions(&plan)?;
    let aggregates = aggregate_expressions(&plan)?;
    // Renamed columns keep their qualifier, so that `t.c` and a renamed `c` stay apart.
    super::output_names::renamed(plan, |_, c| {
        if let Some(outer) = outer_column_name(&c.name) {
            return Ok(Some((c.relation.clone(), outer.to_string())));
        }
        if !c.name.contains(OUTER_COLUMNS) {
            return Ok(None);
        }
        let lists = match named.get(&c.name) {
            Some(e) => outer_column_lists(&with_aggregates(e.clone(), &aggregates)?)?,
            None => Vec::new(),
        };
        Ok(Some((c.relation.clone(), complete(&c.name, &lists))))
    })
}

/// A lateral subquery's bare outer column, which DataFusion names `outer_ref(t.c)` and Spark `c`.
fn outer_column_name(name: &str) -> Option<&str> {
    let inner = name.strip_prefix("outer_ref(")?.strip_suffix(')')?;
    Some(inner.rsplit('.').next().unwrap_or(inner))
}

/// The aliased expressions of every projection and aggregate in the plan, by name, the outermost
/// first.
fn named_expressions(plan: &LogicalPlan) -> Result<HashMap<String, Expr>> {
    let mut named = HashMap::new();
    plan.apply_with_subqueries(|node| {
        let exprs: Vec<&Expr> = match node {
            LogicalPlan::Projection(p) => p.expr.iter().collect(),
            LogicalPlan::Aggregate(a) => a.group_expr.iter().chain(&a.aggr_expr).collect(),
            _ => Vec::new(),
        };
        for e in exprs {
            if let Expr::Alias(a) = e {
                if a.name.contains(OUTER_COLUMNS) {
                    named.entry(a.name.clone()).or_insert_with(|| a.expr.as_ref().clone());
                }
            }
        }
        Ok(TreeNodeRecursion::Continue)
    })?;
    Ok(named)
}

/// Each aggregate's expressions by the name of the column it makes.
fn aggregate_expressions(plan: &LogicalPlan) -> Result<HashMap<String, Expr>> {
    let mut found = HashMap::new();
    plan.apply_with_subqueries(|node| {
        if let LogicalPlan::Aggregate(a) = node {
            for e in a.group_expr.iter().chain(&a.aggr_expr) {
                found.entry(e.schema_name().to_string()).or_insert_with(|| e.clone());
            }
        }
        Ok(TreeNodeRecursion::Continue)
    })?;
    Ok(found)
}

/// `e` with the columns an aggregate makes replaced by the aggregate expressions (a select item
/// over an aggregate reads its column).
fn with_aggregates(e: Expr, aggregates: &HashMap<String, Expr>) -> Result<Expr> {
    e.transform(|e| match e {
        Expr::Column(c) => match aggregates.get(&c.name) {
            Some(a) => Ok(Transformed::yes(a.clone())),
            None => Ok(Transformed::no(Expr::Column(c))),
        },
        other => Ok(Transformed::no(other)),
    })
    .map(|t| t.data)
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
