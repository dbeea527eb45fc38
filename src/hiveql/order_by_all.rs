//! `ORDER BY ALL`: Spark orders by every select item, left to right, unless a select item is
//! named `all`, which is then the one ordered by. DataFusion plans it only over plain columns, so
//! it becomes ordinals (`ORDER BY 1, 2, ...`), which cover any expression; a select list with a
//! `*` is left to DataFusion.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, Ident, OrderByExpr, OrderByKind, Query, SelectItem, SetExpr, Statement, VisitMut, VisitorMut,
};

/// Whether a select item is, or is named, `all`.
fn named_all(item: &SelectItem) -> bool {
    match item {
        SelectItem::ExprWithAlias { alias, .. } => alias.value.eq_ignore_ascii_case("all"),
        SelectItem::UnnamedExpr(Expr::Identifier(i)) => i.value.eq_ignore_ascii_case("all"),
        SelectItem::UnnamedExpr(Expr::CompoundIdentifier(ids)) => ids.last().is_some_and(|i| i.value.eq_ignore_ascii_case("all")),
        _ => false,
    }
}

/// Rewrites every `ORDER BY ALL` whose select list this module can number.
pub fn rewrite(stmt: &mut Statement) {
    struct All;
    impl VisitorMut for All {
        type Break = ();
        fn post_visit_query(&mut self, q: &mut Query) -> ControlFlow<()> {
            let (Some(order_by), SetExpr::Select(select)) = (&mut q.order_by, q.body.as_ref()) else { return ControlFlow::Continue(()) };
            let OrderByKind::All(options) = &order_by.kind else { return ControlFlow::Continue(()) };
            let options = *options;
            let exprs: Vec<Expr> = if select.projection.iter().any(named_all) {
                vec![Expr::Identifier(Ident::new("all"))]
            } else if select.projection.iter().any(|i| matches!(i, SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..))) {
                return ControlFlow::Continue(());
            } else {
                (1..=select.projection.len()).map(super::ast::number).collect()
            };
            order_by.kind = OrderByKind::Expressions(
                exprs.into_iter().map(|expr| OrderByExpr { expr, options, with_fill: None }).collect(),
            );
            ControlFlow::Continue(())
        }
    }
    let _ = stmt.visit(&mut All);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(sql: &str) -> String {
        crate::hiveql::rewritten(sql, rewrite)
    }

    #[test]
    fn order_by_all_numbers_the_select_items() {
        assert_eq!(r("SELECT a, b + 1 FROM t ORDER BY ALL DESC"), "SELECT a, b + 1 FROM t ORDER BY 1 DESC, 2 DESC");
        assert_eq!(r("SELECT a AS all, b FROM t ORDER BY ALL"), "SELECT a AS all, b FROM t ORDER BY all");
        assert_eq!(r("SELECT * FROM t ORDER BY ALL"), "SELECT * FROM t ORDER BY ALL");
    }
}
