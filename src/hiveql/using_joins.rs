//! The join columns of `a RIGHT|FULL JOIN b USING (k)`. Unqualified, `k` is the right side's `k`
//! in a right join and `coalesce(a.k, b.k)` in a full join, as in Spark and the SQL standard; and
//! `*` lists the join columns first, then the other columns of each side. DataFusion reads `k` as
//! the left side's, which is NULL on the rows only the right side has. Before planning, the select
//! list, WHERE, GROUP BY and HAVING of such a join say so explicitly, and `*` becomes
//! `k, a.* EXCLUDE (k), b.* EXCLUDE (k)`.
//!
//! Joins whose left side is itself a join, and NATURAL joins (whose columns are known only once
//! planned), are left as DataFusion reads them.


use datafusion::sql::sqlparser::ast::{
    ExcludeSelectItem, Expr, GroupByExpr, Ident, JoinConstraint, JoinOperator, ObjectName, ObjectNamePart, Select,
    SelectItem, SelectItemQualifiedWildcardKind, Statement, WildcardAdditionalOptions,
};

use super::ast::{call, relation_name};

/// A right or full join with USING, of two named relations.
struct UsingJoin {
    left: Ident,
    right: Ident,
    full: bool,
    columns: Vec<Ident>,
}

impl UsingJoin {
    /// What an unqualified join column reads.
    fn value(&self, column: &Ident) -> Expr {
        let side = |t: &Ident| Expr::CompoundIdentifier(vec![t.clone(), column.clone()]);
        if self.full {
            call("coalesce", vec![side(&self.left), side(&self.right)])
        } else {
            side(&self.right)
        }
    }

    fn column(&self, name: &Ident) -> Option<&Ident> {
        self.columns.iter().find(|c| c.value.eq_ignore_ascii_case(&name.value))
    }
}

/// The select's join of that kind, when its FROM is one relation joined to one other.
fn using_join(select: &Select) -> Option<UsingJoin> {
    let [from] = select.from.as_slice() else { return None };
    let [join] = from.joins.as_slice() else { return None };
    let (full, constraint) = match &join.join_operator {
        JoinOperator::Right(c) | JoinOperator::RightOuter(c) => (false, c),
        JoinOperator::FullOuter(c) => (true, c),
        _ => return None,
    };
    let JoinConstraint::Using(names) = constraint else { return None };
    let columns = names.iter().map(|n| n.0.last().and_then(ObjectNamePart::as_ident).cloned()).collect::<Option<Vec<_>>>()?;
    Some(UsingJoin { left: relation_name(&from.relation)?.clone(), right: relation_name(&join.relation)?.clone(), full, columns })
}

/// Replaces the unqualified join columns an expression reads, outside its subqueries.
fn replace(e: &mut Expr, join: &UsingJoin) {
    super::ast::rewrite_outside_subqueries(e, |e| {
        if let Expr::Identifier(id) = e {
            if let Some(column) = join.column(id) {
                *e = join.value(column);
            }
        }
    });
}

/// `t.* EXCLUDE (k, ...)`.
fn all_but(table: &Ident, columns: &[Ident]) -> SelectItem {
    let excluded = columns.iter().map(|c| ObjectName::from(vec![c.clone()])).collect();
    SelectItem::QualifiedWildcard(
        SelectItemQualifiedWildcardKind::ObjectName(ObjectName::from(vec![table.clone()])),
        WildcardAdditionalOptions { opt_exclude: Some(ExcludeSelectItem::Multiple(excluded)), ..Default::default() },
    )
}

fn rewrite_select(select: &mut Select) {
    let Some(join) = using_join(select) else { return };
    let mut items = Vec::with_capacity(select.projection.len());
    for item in std::mem::take(&mut select.projection) {
        match item {
            SelectItem::Wildcard(options) if options == WildcardAdditionalOptions::default() => {
                items.extend(join.columns.iter().map(|c| SelectItem::ExprWithAlias { expr: join.value(c), alias: c.clone() }));
                items.push(all_but(&join.left, &join.columns));
                items.push(all_but(&join.right, &join.columns));
            }
            SelectItem::UnnamedExpr(Expr::Identifier(id)) if join.column(&id).is_some() => {
                let expr = join.value(&id);
                items.push(SelectItem::ExprWithAlias { expr, alias: id });
            }
            SelectItem::UnnamedExpr(mut expr) => {
                replace(&mut expr, &join);
                items.push(SelectItem::UnnamedExpr(expr));
            }
            SelectItem::ExprWithAlias { mut expr, alias } => {
                replace(&mut expr, &join);
                items.push(SelectItem::ExprWithAlias { expr, alias });
            }
            other => items.push(other),
        }
    }
    select.projection = items;
    for e in select.selection.iter_mut().chain(select.having.iter_mut()) {
        replace(e, &join);
    }
    if let GroupByExpr::Expressions(exprs, _) = &mut select.group_by {
        for e in exprs {
            replace(e, &join);
        }
    }
}

/// Rewrites every right and full USING join's unqualified columns in the statement.
pub fn rewrite(stmt: &mut Statement) {
    super::ast::rewrite_selects(stmt, rewrite_select);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(sql: &str) -> String {
        crate::hiveql::rewritten(sql, rewrite)
    }

    #[test]
    fn full_joins_coalesce_and_right_joins_read_the_right_side() {
        assert_eq!(
            r("SELECT k, nt1.k, upper(k) AS u FROM nt1 FULL OUTER JOIN nt2 USING (k) WHERE k > 'a' GROUP BY k"),
            "SELECT coalesce(nt1.k, nt2.k) AS k, nt1.k, upper(coalesce(nt1.k, nt2.k)) AS u FROM nt1 FULL JOIN nt2 USING(k) \
             WHERE coalesce(nt1.k, nt2.k) > 'a' GROUP BY coalesce(nt1.k, nt2.k)"
        );
        assert_eq!(r("SELECT k FROM nt1 a RIGHT JOIN nt2 b USING (k)"), "SELECT b.k AS k FROM nt1 a RIGHT JOIN nt2 b USING(k)");
    }

    #[test]
    fn stars_list_the_join_columns_first() {
        assert_eq!(
            r("SELECT * FROM nt1 FULL JOIN nt2 USING (k)"),
            "SELECT coalesce(nt1.k, nt2.k) AS k, nt1.* EXCLUDE (k), nt2.* EXCLUDE (k) FROM nt1 FULL JOIN nt2 USING(k)"
        );
    }

    #[test]
    fn other_joins_are_left_alone() {
        for sql in [
            "SELECT k FROM nt1 LEFT JOIN nt2 USING(k)",
            "SELECT k FROM nt1 FULL JOIN nt2 ON nt1.k = nt2.k",
            "SELECT k FROM nt1 JOIN nt2 USING(k) FULL JOIN nt3 USING(k)",
        ] {
            assert_eq!(r(sql), sql);
        }
    }
}
