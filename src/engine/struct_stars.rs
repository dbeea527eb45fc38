//! `SELECT s.* FROM t` where `s` is a struct column, not a table: Spark spreads the struct's
//! fields into columns named after them (`SELECT j.* FROM (SELECT from_json(...) AS j FROM t)`).
//! DataFusion reads `s.*` only as the columns of a table `s`. Which one it is, and the struct's
//! fields, are known only from the select's FROM clause, so a select whose `x.*` names no table
//! of its FROM is probed: the same select with `x` as its only item is planned (under the
//! statement's WITH), and where `x` is a struct its `x.*` becomes `x.f1 AS f1, x.f2 AS f2, ...`.
//! Anything else is left for DataFusion to plan or refuse as before.

use datafusion::arrow::datatypes::DataType;
use datafusion::execution::SessionState;
use datafusion::sql::parser::Statement as DFStatement;
use datafusion::sql::sqlparser::ast::{
    Expr, Ident, Query, Select, SelectItem, SelectItemQualifiedWildcardKind, Statement, TableFactor,
};

/// At most this many struct stars are spread in one statement.
const MOST: usize = 64;

/// The names a select's FROM clause gives its tables, lower-cased: those of
/// [`crate::hiveql::ast::from_relation_names`], and the aliases of table functions, UNNEST and
/// nested joins, which name no table there.
fn table_names(select: &Select) -> Vec<String> {
    let mut names: Vec<String> = crate::hiveql::ast::from_relation_names(&select.from).into_iter().collect();
    let factors = select.from.iter().flat_map(|t| std::iter::once(&t.relation).chain(t.joins.iter().map(|j| &j.relation)));
    for factor in factors {
        if let TableFactor::TableFunction { alias: Some(a), .. }
        | TableFactor::Function { alias: Some(a), .. }
        | TableFactor::UNNEST { alias: Some(a), .. }
        | TableFactor::NestedJoin { alias: Some(a), .. } = factor
        {
            names.push(a.name.value.to_lowercase());
        }
    }
    names
}

/// The struct an item `x.*` would spread: `x`'s name parts, where `x` names no table of the select.
fn struct_star(select: &Select, item: &SelectItem) -> Option<Vec<Ident>> {
    let SelectItem::QualifiedWildcard(SelectItemQualifiedWildcardKind::ObjectName(name), _) = item else { return None };
    let parts: Vec<Ident> = name.0.iter().map(|p| p.as_ident().cloned()).collect::<Option<_>>()?;
    let tables = table_names(select);
    let names_a_table = |i: &Ident| tables.contains(&i.value.to_lowercase());
    match parts.as_slice() {
        [column] if !names_a_table(column) => Some(parts),
        [table, column] if names_a_table(table) && !names_a_table(column) => Some(parts),
        _ => None,
    }
}

fn as_expr(parts: &[Ident]) -> Expr {
    match parts {
        [one] => Expr::Identifier(one.clone()),
        more => Expr::CompoundIdentifier(more.to_vec()),
    }
}

/// The first select of the statement with a struct star: a probe query planning the struct alone,
/// and the star's place (the select's order among the statement's selects, the item's index).
fn first_star(stmt: &Statement) -> Option<(Query, usize, usize)> {
    let (at, (probe, index)) = crate::hiveql::ast::find_select(stmt, |select, with| {
        let (index, parts) = select.projection.iter().enumerate().find_map(|(i, item)| struct_star(select, item).map(|p| (i, p)))?;
        let mut probe_select = select.clone();
        probe_select.projection = vec![SelectItem::UnnamedExpr(as_expr(&parts))];
        let mut probe = crate::hiveql::ast::query_of(probe_select)?;
        probe.with = with.cloned();
        Some((probe, index))
    })?;
    Some((probe, at, index))
}

/// Puts the struct's fields in place of the star at (select `at`, item `index`).
fn spread(stmt: &mut Statement, at: usize, index: usize, fields: &[String]) {
    crate::hiveql::ast::change_select_at(stmt, at, |select| {
        let Some(parts) = select.projection.get(index).and_then(|item| struct_star(select, item)) else { return };
        let items = fields.iter().map(|f| {
            let mut path = parts.clone();
            path.push(Ident::with_quote('`', f));
            SelectItem::ExprWithAlias { expr: Expr::CompoundIdentifier(path), alias: Ident::with_quote('`', f) }
        });
        select.projection.splice(index..=index, items);
    });
}

/// Spreads the statement's struct stars; a star whose probe does not plan, or is no struct, stays.
pub(super) async fn expand(ctx: &datafusion::prelude::SessionContext, stmt: &mut Statement) {
    // The session's state is copied only for a statement that has such a star.
    let mut state: Option<SessionState> = None;
    for _ in 0..MOST {
        let Some((probe, at, index)) = first_star(stmt) else { return };
        let state = state.get_or_insert_with(|| ctx.state());
        let planned = state.statement_to_plan(DFStatement::Statement(Box::new(Statement::Query(Box::new(probe))))).await;
        let probed = planned.ok().and_then(|p| p.schema().fields().first().map(|f| f.data_type().clone()));
        let fields: Vec<String> = match probed {
            Some(DataType::Struct(fields)) => fields.iter().map(|f| f.name().clone()).collect(),
            _ => return,
        };
        spread(stmt, at, index, &fields);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hiveql::{parse_one, Flavor};

    #[test]
    fn stars_of_columns_are_found_and_spread() {
        let mut stmt = parse_one("SELECT t.*, j.*, id FROM (SELECT from_json(s, 'a INT') AS j FROM src) t", Flavor::Hive).unwrap();
        let (probe, at, index) = first_star(&stmt).unwrap();
        assert_eq!((at, index), (0, 1));
        assert_eq!(probe.to_string(), "SELECT j FROM (SELECT from_json(s, 'a INT') AS j FROM src) t");
        spread(&mut stmt, at, index, &["a".to_string(), "b".to_string()]);
        assert_eq!(stmt.to_string(), "SELECT t.*, j.`a` AS `a`, j.`b` AS `b`, id FROM (SELECT from_json(s, 'a INT') AS j FROM src) t");
    }
}
