//! Hive's GROUP BY modifiers: `GROUP BY a, b WITH ROLLUP`, `WITH CUBE`, and
//! `GROUP BY a, b GROUPING SETS ((a), (b))`. sqlparser reads them as modifiers that DataFusion
//! ignores; before planning they become the standard forms `ROLLUP (a, b)`, `CUBE (a, b)` and
//! `GROUPING SETS (...)`.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{Expr, GroupByExpr, GroupByWithModifier, Select, Statement, VisitMut, VisitorMut};

/// The GROUP BY with its modifier applied, or None when it has none this module knows.
fn standard(exprs: &[Expr], modifiers: &[GroupByWithModifier]) -> Option<Vec<Expr>> {
    let singletons = || exprs.iter().map(|e| vec![e.clone()]).collect();
    match modifiers {
        [GroupByWithModifier::Rollup] => Some(vec![Expr::Rollup(singletons())]),
        [GroupByWithModifier::Cube] => Some(vec![Expr::Cube(singletons())]),
        [GroupByWithModifier::GroupingSets(sets)] => Some(vec![sets.clone()]),
        _ => None,
    }
}

/// Rewrites every GROUP BY modifier in the statement.
pub fn rewrite(stmt: &mut Statement) {
    struct Groups;
    impl VisitorMut for Groups {
        type Break = ();
        fn post_visit_select(&mut self, select: &mut Select) -> ControlFlow<()> {
            if let GroupByExpr::Expressions(exprs, modifiers) = &select.group_by {
                if let Some(exprs) = standard(exprs, modifiers) {
                    select.group_by = GroupByExpr::Expressions(exprs, vec![]);
                }
            }
            ControlFlow::Continue(())
        }
    }
    let _ = stmt.visit(&mut Groups);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(sql: &str) -> String {
        crate::hiveql::rewritten(sql, rewrite)
    }

    #[test]
    fn modifiers_become_standard_grouping() {
        assert_eq!(r("SELECT a, b FROM t GROUP BY a, b WITH ROLLUP"), "SELECT a, b FROM t GROUP BY ROLLUP (a, b)");
        assert_eq!(r("SELECT a FROM t GROUP BY a + 1, b WITH CUBE"), "SELECT a FROM t GROUP BY CUBE (a + 1, b)");
        assert_eq!(
            r("SELECT a FROM t GROUP BY a, b GROUPING SETS ((a), (b))"),
            "SELECT a FROM t GROUP BY GROUPING SETS ((a), (b))"
        );
    }
}
