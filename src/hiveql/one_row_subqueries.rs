//! Subqueries that aggregate without GROUP BY or HAVING (`SELECT count(*) FROM t2 WHERE t2.c1 =
//! t1.c1`) return exactly one row, whatever the outer row: `count(*)` over no rows is 0. DataFusion
//! decorrelates EXISTS and IN over them into joins that lose the outer rows no inner row matches
//! (the "count bug"): `EXISTS (SELECT count(*) ...)` is false there and `c IN (SELECT count(*) + 1
//! ...)` never sees the 1. Spark answers as the SQL says. Before planning:
//! - `EXISTS (such a subquery)` is TRUE, and `NOT EXISTS` FALSE;
//! - `x IN (such a subquery)` is `x = (subquery)`, and `x NOT IN` is `NOT (x = (subquery))`: over
//!   one row these agree, NULLs included, and DataFusion computes a scalar subquery's aggregates
//!   over no rows as it should.
//!
//! With [`LEGACY_SETTING`] true, as in Spark, the subqueries are left to the legacy decorrelation
//! and its answers.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    visit_expressions, BinaryOperator, Expr, GroupByExpr, Query, SelectItem, SetExpr, Statement, UnaryOperator, Value, VisitMut,
    VisitorMut,
};

use super::subquery_names::OUTER_COLUMNS;

/// Spark's setting that keeps the legacy (incorrect) answers.
pub const LEGACY_SETTING: &str = "spark.sql.optimizer.decorrelateExistsSubqueryLegacyIncorrectCountHandling.enabled";

/// Whether the query returns exactly one row: a select of aggregates with no GROUP BY or HAVING,
/// no LIMIT or OFFSET.
fn one_row(q: &Query) -> bool {
    let SetExpr::Select(s) = q.body.as_ref() else { return false };
    let grouped = !matches!(&s.group_by, GroupByExpr::Expressions(e, m) if e.is_empty() && m.is_empty());
    if grouped || s.having.is_some() || q.limit_clause.is_some() || q.fetch.is_some() || s.distinct.is_some() {
        return false;
    }
    !s.projection.is_empty()
        && s.projection.iter().all(|item| match item {
            SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => aggregates(e),
            _ => false,
        })
}

/// Whether an expression computes an aggregate (outside any subquery of its own).
fn aggregates(e: &Expr) -> bool {
    super::ast::any_outside_subqueries(e, super::outer_aggregates::is_aggregate)
}

/// The outer columns a subquery reads, as Spark lists them in its names: each qualified column
/// whose qualifier is none of the subquery's relations.
fn outer_columns(q: &Query) -> String {
    let own = super::ast::query_relation_names(q);
    let mut columns = Vec::new();
    let _ = visit_expressions(q, |e| {
        if let Expr::CompoundIdentifier(ids) = e {
            if let [qualifier, column] = ids.as_slice() {
                if !own.contains(&qualifier.value.to_lowercase()) {
                    columns.push(column.value.clone());
                }
            }
        }
        ControlFlow::<()>::Continue(())
    });
    columns.join(", ")
}

/// The expression that replaces a subquery test.
fn replacement(e: &Expr) -> Option<Expr> {
    match e {
        Expr::Exists { subquery, negated } if one_row(subquery) => Some(Expr::value(Value::Boolean(!negated))),
        Expr::InSubquery { expr, subquery, negated } if one_row(subquery) && subquery_width(subquery) == 1 => {
            let equal = Expr::BinaryOp {
                left: expr.clone(),
                op: BinaryOperator::Eq,
                right: Box::new(Expr::Subquery(subquery.clone())),
            };
            let test = if *negated {
                Expr::UnaryOp { op: UnaryOperator::Not, expr: Box::new(Expr::Nested(Box::new(equal))) }
            } else {
                equal
            };
            Some(Expr::Nested(Box::new(test)))
        }
        _ => None,
    }
}

fn subquery_width(q: &Query) -> usize {
    match q.body.as_ref() {
        SetExpr::Select(s) => s.projection.len(),
        _ => 0,
    }
}

/// Rewrites every EXISTS and IN over a one-row subquery in the statement.
pub fn rewrite(stmt: &mut Statement) {
    struct OneRow;
    impl VisitorMut for OneRow {
        type Break = ();
        fn pre_visit_select(&mut self, select: &mut datafusion::sql::sqlparser::ast::Select) -> ControlFlow<()> {
            // A result column named after an EXISTS that becomes a constant keeps Spark's name,
            // its outer columns filled in here, as no subquery is left to find them in.
            for item in &mut select.projection {
                let SelectItem::ExprWithAlias { expr: Expr::Exists { subquery, .. }, alias } = item else { continue };
                if one_row(subquery) && alias.value.matches(OUTER_COLUMNS).count() == 1 {
                    alias.value = alias.value.replace(OUTER_COLUMNS, &outer_columns(subquery));
                }
            }
            ControlFlow::Continue(())
        }
        fn post_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
            if let Some(replaced) = replacement(e) {
                *e = replaced;
            }
            ControlFlow::Continue(())
        }
    }
    let _ = stmt.visit(&mut OneRow);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(sql: &str) -> String {
        crate::hiveql::rewritten(sql, rewrite)
    }

    #[test]
    fn exists_over_one_row_is_true() {
        assert_eq!(
            r("SELECT * FROM t1 WHERE EXISTS (SELECT count(*) FROM t2 WHERE t2.c1 = t1.c1) AND NOT EXISTS (SELECT max(a) + 1 FROM t2)"),
            "SELECT * FROM t1 WHERE true AND false"
        );
    }

    #[test]
    fn in_over_one_row_is_equality() {
        assert_eq!(
            r("SELECT * FROM t1 WHERE c1 IN (SELECT count(*) + 1 FROM t2 WHERE t2.c1 = t1.c1)"),
            "SELECT * FROM t1 WHERE (c1 = (SELECT count(*) + 1 FROM t2 WHERE t2.c1 = t1.c1))"
        );
        assert_eq!(r("SELECT c1 NOT IN (SELECT sum(a) FROM t2) FROM t1"), "SELECT (NOT (c1 = (SELECT sum(a) FROM t2))) FROM t1");
    }

    #[test]
    fn subqueries_of_any_number_of_rows_are_left_alone() {
        for sql in [
            "SELECT * FROM t1 WHERE EXISTS (SELECT count(*) FROM t2 GROUP BY a)",
            "SELECT * FROM t1 WHERE EXISTS (SELECT 1 FROM t2 WHERE t2.c1 = t1.c1 HAVING count(*) = 0)",
            "SELECT * FROM t1 WHERE EXISTS (SELECT a FROM t2)",
            "SELECT * FROM t1 WHERE EXISTS (SELECT count(*) FROM t2 LIMIT 0)",
            "SELECT * FROM t1 WHERE c1 IN (SELECT count(*) OVER () FROM t2)",
        ] {
            assert_eq!(r(sql), sql);
        }
    }

    #[test]
    fn a_named_exists_keeps_its_outer_columns() {
        let m = OUTER_COLUMNS;
        let sql = format!("SELECT EXISTS (SELECT count(*) FROM t2 WHERE t2.c1 = t1.c1) AS `exists({m})` FROM t1");
        assert_eq!(r(&sql), "SELECT true AS `exists(c1)` FROM t1");
    }
}
