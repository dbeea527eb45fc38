//! The join columns of `a JOIN b USING (k)`. Unqualified, `k` is the left side's `k` in an inner
//! or left join, the right side's in a right join and `coalesce(a.k, b.k)` in a full join, as in
//! Spark and the SQL standard; and `*` lists the join columns first, then the other columns of
//! each side. DataFusion reads `k` as the left side's in a right or full join too (NULL on the rows
//! only the right side has), lists `*` in the tables' order, and finds `k` ambiguous in WHERE, and
//! anywhere once two joins of a chain use it. Before planning, the select list, WHERE, GROUP BY
//! and HAVING of such a join say which `k` they read, and `*` becomes
//! `k, a.* EXCLUDE (k), b.* EXCLUDE (k)`.
//!
//! In a chain of joins, each unqualified join column is read from the side that always holds it
//! (the right side of an inner join, the left side of a left, semi or anti join); `*` keeps
//! DataFusion's order there. NATURAL joins, whose columns are known only once planned, are left as
//! DataFusion reads them.

use datafusion::sql::sqlparser::ast::{
    ExcludeSelectItem, Expr, GroupByExpr, Ident, JoinConstraint, JoinOperator, ObjectName, ObjectNamePart, Select,
    SelectItem, SelectItemQualifiedWildcardKind, Statement, TableWithJoins, WildcardAdditionalOptions,
};

use super::ast::{call, relation_name};

/// Which side's join column an unqualified one reads.
#[derive(Clone, Copy, PartialEq)]
enum Side {
    Left,
    Right,
    /// The first that is not NULL, of a full join.
    Either,
}

/// A USING join of two named relations.
struct UsingJoin {
    left: Ident,
    right: Ident,
    side: Side,
    columns: Vec<Ident>,
}

impl UsingJoin {
    /// What an unqualified join column reads.
    fn value(&self, column: &Ident) -> Expr {
        let side = |t: &Ident| Expr::CompoundIdentifier(vec![t.clone(), column.clone()]);
        match self.side {
            Side::Left => side(&self.left),
            Side::Right => side(&self.right),
            Side::Either => call("coalesce", vec![side(&self.left), side(&self.right)]),
        }
    }

    fn column(&self, name: &Ident) -> Option<&Ident> {
        self.columns.iter().find(|c| c.value.eq_ignore_ascii_case(&name.value))
    }
}

/// The names a USING constraint lists.
fn using_names(constraint: &JoinConstraint) -> Option<Vec<Ident>> {
    let JoinConstraint::Using(names) = constraint else { return None };
    names.iter().map(|n| n.0.last().and_then(ObjectNamePart::as_ident).cloned()).collect()
}

/// The select's USING join, when its FROM is one relation joined to one other.
fn using_join(select: &Select) -> Option<UsingJoin> {
    let [from] = select.from.as_slice() else { return None };
    let [join] = from.joins.as_slice() else { return None };
    let (side, constraint) = match &join.join_operator {
        JoinOperator::Join(c) | JoinOperator::Inner(c) | JoinOperator::Left(c) | JoinOperator::LeftOuter(c) => (Side::Left, c),
        JoinOperator::Right(c) | JoinOperator::RightOuter(c) => (Side::Right, c),
        JoinOperator::FullOuter(c) => (Side::Either, c),
        _ => return None,
    };
    let columns = using_names(constraint)?;
    Some(UsingJoin { left: relation_name(&from.relation)?.clone(), right: relation_name(&join.relation)?.clone(), side, columns })
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

/// The relation whose column an unqualified join column of a chain of joins reads: the right
/// side of an inner join (equal to the left on every row it gives), the left side of a left, semi
/// or anti join (following the left side's own joins). `upto` joins of the chain are looked at;
/// None where they do not say.
fn chain_source(from: &TableWithJoins, upto: usize, column: &Ident) -> Option<Ident> {
    for (i, join) in from.joins[..upto].iter().enumerate().rev() {
        let (inner, constraint) = match &join.join_operator {
            JoinOperator::Join(c) | JoinOperator::Inner(c) => (true, c),
            JoinOperator::Left(c) | JoinOperator::LeftOuter(c) | JoinOperator::Semi(c) | JoinOperator::LeftSemi(c) | JoinOperator::Anti(c) | JoinOperator::LeftAnti(c) => (false, c),
            _ => return None,
        };
        if !using_names(constraint).is_some_and(|names| names.iter().any(|c| c.value.eq_ignore_ascii_case(&column.value))) {
            continue;
        }
        if inner {
            return relation_name(&join.relation).cloned();
        }
        return if i == 0 { relation_name(&from.relation).cloned() } else { chain_source(from, i, column) };
    }
    None
}

/// Qualifies the unqualified join columns of a chain of USING joins, where each is read.
fn qualify_chain(select: &mut Select) {
    let [from] = select.from.as_slice() else { return };
    if from.joins.is_empty() {
        return;
    }
    let qualify = |e: &mut Expr| {
        super::ast::rewrite_outside_subqueries(e, |e| {
            if let Expr::Identifier(id) = e {
                if let Some(relation) = chain_source(from, from.joins.len(), id) {
                    *e = Expr::CompoundIdentifier(vec![relation, id.clone()]);
                }
            }
        })
    };
    for item in select.projection.iter_mut() {
        match item {
            SelectItem::UnnamedExpr(Expr::Identifier(id)) => {
                if let Some(relation) = chain_source(from, from.joins.len(), id) {
                    let column = id.clone();
                    *item = SelectItem::ExprWithAlias { expr: Expr::CompoundIdentifier(vec![relation, column.clone()]), alias: column };
                }
            }
            SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => qualify(e),
            _ => {}
        }
    }
    for e in select.selection.iter_mut().chain(select.having.iter_mut()) {
        qualify(e);
    }
    if let GroupByExpr::Expressions(exprs, _) = &mut select.group_by {
        exprs.iter_mut().for_each(qualify);
    }
}

/// Rewrites the unqualified join columns of every USING join in the statement.
pub fn rewrite(stmt: &mut Statement) {
    super::ast::rewrite_selects(stmt, |select| {
        if using_join(select).is_some() {
            rewrite_select(select);
        } else {
            qualify_chain(select);
        }
    });
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
    fn inner_and_left_joins_read_the_left_side() {
        assert_eq!(r("SELECT v FROM a JOIN b USING (k) WHERE k = 1 AND v > 0"), "SELECT v FROM a JOIN b USING(k) WHERE a.k = 1 AND v > 0");
        assert_eq!(r("SELECT k FROM a x LEFT JOIN b USING (k) WHERE k = 1"), "SELECT x.k AS k FROM a x LEFT JOIN b USING(k) WHERE x.k = 1");
    }

    #[test]
    fn chains_read_the_side_that_always_has_the_column() {
        assert_eq!(
            r("SELECT k, j FROM a LEFT JOIN b USING (k) LEFT JOIN c USING (k, j) WHERE k = 1 AND j = 2"),
            "SELECT a.k AS k, j FROM a LEFT JOIN b USING(k) LEFT JOIN c USING(k, j) WHERE a.k = 1 AND j = 2"
        );
        assert_eq!(
            r("SELECT upper(k) FROM a JOIN b USING (k) JOIN c USING (k) GROUP BY k"),
            "SELECT upper(c.k) FROM a JOIN b USING(k) JOIN c USING(k) GROUP BY c.k"
        );
    }

    #[test]
    fn stars_list_the_join_columns_first() {
        assert_eq!(
            r("SELECT * FROM nt1 FULL JOIN nt2 USING (k)"),
            "SELECT coalesce(nt1.k, nt2.k) AS k, nt1.* EXCLUDE (k), nt2.* EXCLUDE (k) FROM nt1 FULL JOIN nt2 USING(k)"
        );
        assert_eq!(r("SELECT * FROM nt1 JOIN nt2 USING (k)"), "SELECT nt1.k AS k, nt1.* EXCLUDE (k), nt2.* EXCLUDE (k) FROM nt1 JOIN nt2 USING(k)");
    }

    #[test]
    fn other_joins_are_left_alone() {
        for sql in ["SELECT k FROM nt1 FULL JOIN nt2 ON nt1.k = nt2.k", "SELECT k FROM nt1 JOIN nt2 USING(k) FULL JOIN nt3 USING(k)", "SELECT * FROM nt1 NATURAL JOIN nt2"] {
            assert_eq!(r(sql), sql);
        }
    }
}
