//! Spark's grouping ids. `grouping_id(a, b)` is the bit mask of the grouping columns a row is
//! aggregated across (the first column the highest bit), a BIGINT; `grouping__id` is that mask over
//! every grouping column, as Hive writes it; `grouping(a)` is a TINYINT. DataFusion's `grouping`
//! takes several columns and gives the same mask as an INT, so each becomes a cast of it.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    CastKind, DataType, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, GroupByExpr, Ident, Query, SelectItem, SetExpr, Statement,
    VisitMut, VisitorMut,
};

use super::ast::call;

/// Rewrites the grouping ids of every grouped select, in its items, HAVING and ORDER BY.
pub fn rewrite(stmt: &mut Statement) {
    struct Ids;
    impl VisitorMut for Ids {
        type Break = ();
        fn post_visit_query(&mut self, q: &mut Query) -> ControlFlow<()> {
            let SetExpr::Select(select) = q.body.as_mut() else { return ControlFlow::Continue(()) };
            // Spark knows grouping ids only with grouping sets, CUBE or ROLLUP.
            let columns = grouping_columns(&select.group_by);
            if columns.is_empty() || !has_grouping_sets(&select.group_by) {
                return ControlFlow::Continue(());
            }
            for item in &mut select.projection {
                if let SelectItem::UnnamedExpr(Expr::Identifier(i)) = item {
                    if i.value.eq_ignore_ascii_case("grouping__id") {
                        *item = SelectItem::ExprWithAlias { expr: Expr::Identifier(i.clone()), alias: Ident::with_quote('`', "grouping__id") };
                    }
                }
                if let SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } = item {
                    replace(e, &columns);
                }
            }
            if let Some(having) = &mut select.having {
                replace(having, &columns);
            }
            if let Some(order) = &mut q.order_by {
                if let datafusion::sql::sqlparser::ast::OrderByKind::Expressions(keys) = &mut order.kind {
                    keys.iter_mut().for_each(|k| replace(&mut k.expr, &columns));
                }
            }
            ControlFlow::Continue(())
        }
    }
    let _ = stmt.visit(&mut Ids);
}

fn has_grouping_sets(group_by: &GroupByExpr) -> bool {
    matches!(group_by, GroupByExpr::Expressions(exprs, _) if exprs.iter().any(|e| matches!(e, Expr::Cube(_) | Expr::Rollup(_) | Expr::GroupingSets(_))))
}

/// The grouping columns, each once, in the order they first appear.
fn grouping_columns(group_by: &GroupByExpr) -> Vec<Expr> {
    let GroupByExpr::Expressions(exprs, _) = group_by else { return Vec::new() };
    let mut out: Vec<Expr> = Vec::new();
    let mut add = |e: &Expr| {
        if !out.iter().any(|o| o.to_string().eq_ignore_ascii_case(&e.to_string())) {
            out.push(e.clone());
        }
    };
    for e in exprs {
        match e {
            Expr::Cube(sets) | Expr::Rollup(sets) | Expr::GroupingSets(sets) => sets.iter().flatten().for_each(&mut add),
            Expr::Tuple(parts) => parts.iter().for_each(&mut add),
            other => add(other),
        }
    }
    out
}

fn cast(e: Expr, data_type: DataType) -> Expr {
    Expr::Cast { kind: CastKind::Cast, expr: Box::new(e), data_type, array: false, format: None }
}

fn plain_args(args: &FunctionArguments) -> Option<Vec<Expr>> {
    match args {
        FunctionArguments::None => Some(Vec::new()),
        FunctionArguments::List(list) => list
            .args
            .iter()
            .map(|a| match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Some(e.clone()),
                _ => None,
            })
            .collect(),
        FunctionArguments::Subquery(_) => None,
    }
}

/// `e` with its grouping ids written as DataFusion's `grouping`.
fn replace(e: &mut Expr, columns: &[Expr]) {
    let _ = datafusion::sql::sqlparser::ast::visit_expressions_mut(e, |e| {
        let replacement = match e {
            Expr::Identifier(i) if i.value.eq_ignore_ascii_case("grouping__id") => {
                Some(cast(call("grouping", columns.to_vec()), DataType::BigInt(None)))
            }
            Expr::Function(f) if f.over.is_none() && f.name.0.len() == 1 => {
                let name = f.name.to_string().to_ascii_lowercase();
                match (name.as_str(), plain_args(&f.args)) {
                    ("grouping_id", Some(args)) => {
                        let args = if args.is_empty() { columns.to_vec() } else { args };
                        Some(cast(call("grouping", args), DataType::BigInt(None)))
                    }
                    ("grouping", Some(args)) if args.len() == 1 => Some(cast(call("grouping", args), DataType::TinyInt(None))),
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some(r) = replacement {
            *e = r;
        }
        ControlFlow::<()>::Continue(())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(sql: &str) -> String {
        crate::hiveql::rewritten(sql, rewrite)
    }

    #[test]
    fn grouping_ids_become_casts_of_grouping() {
        assert_eq!(
            r("SELECT a, grouping__id, grouping_id(a, b), grouping(a) FROM t GROUP BY CUBE (a, b) ORDER BY grouping__id"),
            "SELECT a, CAST(grouping(a, b) AS BIGINT) AS `grouping__id`, CAST(grouping(a, b) AS BIGINT), CAST(grouping(a) AS TINYINT) FROM t GROUP BY CUBE (a, b) ORDER BY CAST(grouping(a, b) AS BIGINT)"
        );
        assert_eq!(r("SELECT grouping(a) FROM t"), "SELECT grouping(a) FROM t");
        assert_eq!(r("SELECT grouping_id(a) FROM t GROUP BY a"), "SELECT grouping_id(a) FROM t GROUP BY a");
    }
}
