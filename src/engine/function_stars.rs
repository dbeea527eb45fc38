//! A star among a function's arguments: `hash(*)`, `concat_ws(',', *)`, `to_json(struct(*))`,
//! `coalesce(t.*)`. Spark spreads it into the columns of the select's FROM clause (of `t` alone
//! for `t.*`), in order, and names the column after them: `hash(c1, c2)`. DataFusion keeps the
//! star as an argument and cannot run it. Which columns the FROM clause gives is known only once
//! it is planned, so a select with such a star is probed (`SELECT * FROM ...`, under the
//! statement's WITH), and each star becomes the columns, qualified by their relation.
//! [`crate::hiveql::spark_names`] marks the stars in the names it gives; the marks become the
//! column names here. `count(*)` is left alone, and a star whose select does not plan alone stays,
//! for DataFusion to refuse.

use std::ops::ControlFlow;

use datafusion::execution::SessionState;
use datafusion::sql::parser::Statement as DFStatement;
use datafusion::sql::sqlparser::ast::{
    Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments, Ident, Query, Select, SelectItem, Statement, VisitMut, VisitorMut,
};

use crate::engine::spark_functions::struct_star::STRUCT_SPREAD;
use crate::hiveql::spark_names::{STAR_END, STAR_START};

/// At most this many selects have their stars spread in one statement.
const MOST: usize = 16;

/// A column of the probed FROM clause: its relation's name, if any, and its own.
struct FromColumn {
    relation: Option<String>,
    name: String,
}

/// The relation a star argument reads from (None for `*`), or None when the argument is no star.
fn star(arg: &FunctionArg) -> Option<Option<String>> {
    match arg {
        FunctionArg::Unnamed(FunctionArgExpr::Wildcard) => Some(None),
        FunctionArg::Unnamed(FunctionArgExpr::QualifiedWildcard(name)) => Some(Some(name.0.last()?.as_ident()?.value.clone())),
        FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Wildcard(_))) => Some(None),
        FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::QualifiedWildcard(name, _))) => Some(Some(name.0.last()?.as_ident()?.value.clone())),
        _ => None,
    }
}

fn star_arguments(f: &Function) -> bool {
    let name = match f.name.0.as_slice() {
        [part] => part.as_ident().map_or("", |i| i.value.as_str()),
        _ => "",
    };
    if name.eq_ignore_ascii_case("count") {
        return false;
    }
    let FunctionArguments::List(list) = &f.args else { return false };
    if name == STRUCT_SPREAD {
        return list.args.chunks(2).any(|pair| spread_relation(pair).is_some());
    }
    list.args.iter().any(|a| star(a).is_some())
}

/// `struct(t.*)`, which [`crate::hiveql::structs`] writes as a spread of `t` in the engine's
/// struct call (a NULL name, then `t`): `t`, which may name a relation of the FROM clause rather
/// than a struct column.
fn spread_relation(pair: &[FunctionArg]) -> Option<&Ident> {
    match pair {
        [FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(v))), FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Identifier(t)))]
            if v.value == datafusion::sql::sqlparser::ast::Value::Null =>
        {
            Some(t)
        }
        _ => None,
    }
}

/// A column of the FROM clause as an argument.
fn column_expr(c: &FromColumn) -> Expr {
    let name = Ident::with_quote('`', c.name.clone());
    match &c.relation {
        Some(r) => Expr::CompoundIdentifier(vec![Ident::with_quote('`', r.clone()), name]),
        None => Expr::Identifier(name),
    }
}

/// The engine's struct call with each spread of a relation of the FROM clause made that
/// relation's columns, named after them.
fn spread_struct(args: Vec<FunctionArg>, columns: &[FromColumn]) -> Vec<FunctionArg> {
    let mut out = Vec::with_capacity(args.len());
    for pair in args.chunks(2) {
        let relation = spread_relation(pair).map(|t| t.value.clone());
        let read = relation.as_ref().map(|r| columns_of(columns, &Some(r.clone()))).unwrap_or_default();
        let names_a_column = relation.as_ref().is_some_and(|r| columns.iter().any(|c| c.name.eq_ignore_ascii_case(r)));
        if read.is_empty() || names_a_column {
            out.extend(pair.iter().cloned());
            continue;
        }
        for c in read {
            out.push(FunctionArg::Unnamed(FunctionArgExpr::Expr(crate::hiveql::ast::text(c.name.clone()))));
            out.push(FunctionArg::Unnamed(FunctionArgExpr::Expr(column_expr(c))));
        }
    }
    out
}

/// The select's own expressions (its items, WHERE and HAVING), outside its subqueries.
fn own_expressions(select: &mut Select) -> impl Iterator<Item = &mut Expr> {
    let items = select.projection.iter_mut().filter_map(|item| match item {
        SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => Some(e),
        _ => None,
    });
    items.chain(select.selection.iter_mut()).chain(select.having.iter_mut())
}

/// Whether the select's own expressions have a star argument.
fn select_has_star(select: &Select) -> bool {
    let items = select.projection.iter().filter_map(|item| match item {
        SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => Some(e),
        _ => None,
    });
    items.chain(select.selection.iter()).chain(select.having.iter()).any(has_star)
}

/// Whether an expression has a star argument outside its subqueries.
fn has_star(e: &Expr) -> bool {
    crate::hiveql::ast::any_outside_subqueries(e, |e| matches!(e, Expr::Function(f) if star_arguments(f)))
}

/// The first select with a star argument: its order among the statement's selects, and its probe.
fn first_select(stmt: &Statement) -> Option<(usize, Query)> {
    crate::hiveql::ast::find_select(stmt, |select, with| {
        if select.from.is_empty() || !select_has_star(select) {
            return None;
        }
        crate::hiveql::ast::star_query(select.from.clone(), with)
    })
}

/// The columns a star reads.
fn columns_of<'a>(columns: &'a [FromColumn], relation: &Option<String>) -> Vec<&'a FromColumn> {
    columns.iter().filter(|c| relation.as_ref().is_none_or(|r| c.relation.as_ref().is_some_and(|own| own.eq_ignore_ascii_case(r)))).collect()
}

/// The star arguments of one select's own calls, spread into `columns`.
fn spread_calls(e: &mut Expr, columns: &[FromColumn]) {
    crate::hiveql::ast::rewrite_outside_subqueries(e, |e| {
        let Expr::Function(f) = e else { return };
        if !star_arguments(f) {
            return;
        }
        let spreads_structs = matches!(f.name.0.as_slice(), [part] if part.as_ident().is_some_and(|i| i.value == STRUCT_SPREAD));
        let FunctionArguments::List(list) = &mut f.args else { return };
        if spreads_structs {
            list.args = spread_struct(std::mem::take(&mut list.args), columns);
            return;
        }
        let mut args = Vec::with_capacity(list.args.len() + columns.len());
        for arg in std::mem::take(&mut list.args) {
            match star(&arg) {
                Some(relation) => args.extend(columns_of(columns, &relation).into_iter().map(|c| FunctionArg::Unnamed(FunctionArgExpr::Expr(column_expr(c))))),
                None => args.push(arg),
            }
        }
        list.args = args;
    });
}

/// A name [`crate::hiveql::spark_names`] gave with its stars marked, with the columns in their
/// place.
fn spread_name(name: &str, columns: &[FromColumn]) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(start) = rest.find(STAR_START) {
        out.push_str(&rest[..start]);
        let after = &rest[start + STAR_START.len_utf8()..];
        let Some(end) = after.find(STAR_END) else {
            out.push_str(&rest[start..]);
            return out;
        };
        let marked = &after[..end];
        let relation = marked.strip_suffix(".*").map(str::to_string);
        let names: Vec<&str> = columns_of(columns, &relation).iter().map(|c| c.name.as_str()).collect();
        // A struct column's `s.*` reads no relation, and keeps its name.
        out.push_str(&if names.is_empty() { marked.to_string() } else { names.join(", ") });
        rest = &after[end + STAR_END.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// Spreads the stars of the select at `at`.
fn spread(stmt: &mut Statement, at: usize, columns: &[FromColumn]) {
    crate::hiveql::ast::change_select_at(stmt, at, |select| {
        for item in select.projection.iter_mut() {
            if let SelectItem::ExprWithAlias { alias, .. } = item {
                if alias.value.contains(STAR_START) {
                    alias.value = spread_name(&alias.value, columns);
                }
            }
        }
        for e in own_expressions(select) {
            spread_calls(e, columns);
        }
    });
}

/// The columns a probe plans to, or None where it does not plan.
async fn probe(state: &SessionState, query: Query) -> Option<Vec<FromColumn>> {
    let plan = state.statement_to_plan(DFStatement::Statement(Box::new(Statement::Query(Box::new(query))))).await.ok()?;
    Some(
        plan.schema()
            .iter()
            .map(|(qualifier, field)| FromColumn { relation: qualifier.map(|q| q.table().to_string()), name: field.name().clone() })
            .collect(),
    )
}

/// Spreads the statement's star arguments; true when any was (the caller then writes the
/// `struct(...)` calls among them as Spark names their fields).
pub(super) async fn expand(ctx: &datafusion::prelude::SessionContext, stmt: &mut Statement) -> bool {
    // The session's state is copied only for a statement that has such a star.
    let mut state: Option<SessionState> = None;
    let mut changed = false;
    for _ in 0..MOST {
        let Some((at, query)) = first_select(stmt) else { break };
        let state = state.get_or_insert_with(|| ctx.state());
        let Some(columns) = probe(state, query).await else { break };
        spread(stmt, at, &columns);
        changed = true;
    }
    unmark_names(stmt);
    changed
}

/// Takes the marks off the names of stars no probe spread, which keep the star as written.
fn unmark_names(stmt: &mut Statement) {
    struct Unmark;
    impl VisitorMut for Unmark {
        type Break = ();
        fn pre_visit_select(&mut self, select: &mut Select) -> ControlFlow<()> {
            for item in select.projection.iter_mut() {
                if let SelectItem::ExprWithAlias { alias, .. } = item {
                    if alias.value.contains([STAR_START, STAR_END]) {
                        alias.value = alias.value.replace([STAR_START, STAR_END], "");
                    }
                }
            }
            ControlFlow::Continue(())
        }
    }
    let _ = stmt.visit(&mut Unmark);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hiveql::{parse_one, Flavor};

    fn column(relation: Option<&str>, name: &str) -> FromColumn {
        FromColumn { relation: relation.map(str::to_string), name: name.to_string() }
    }

    #[test]
    fn stars_become_the_columns_they_read() {
        let mut stmt = parse_one("SELECT hash(*), coalesce(b.*), count(*) FROM a JOIN b ON true WHERE greatest(*) > 1", Flavor::Hive).unwrap();
        let (at, probe) = first_select(&stmt).unwrap();
        assert_eq!(probe.to_string(), "SELECT * FROM a JOIN b ON true");
        spread(&mut stmt, at, &[column(Some("a"), "x"), column(Some("b"), "Y")]);
        assert_eq!(
            stmt.to_string(),
            "SELECT hash(`a`.`x`, `b`.`Y`), coalesce(`b`.`Y`), count(*) FROM a JOIN b ON true WHERE greatest(`a`.`x`, `b`.`Y`) > 1"
        );
    }

    #[test]
    fn marked_names_list_the_columns() {
        let columns = [column(Some("t"), "c1"), column(None, "c2")];
        let name = format!("concat_ws(,, {STAR_START}*{STAR_END}) + {STAR_START}t.*{STAR_END}");
        assert_eq!(spread_name(&name, &columns), "concat_ws(,, c1, c2) + c1");
        assert_eq!(spread_name(&format!("struct({STAR_START}s.*{STAR_END})"), &columns), "struct(s.*)");
    }

    #[test]
    fn selects_without_stars_and_subqueries_stars_are_apart() {
        let stmt = parse_one("SELECT count(*), x FROM a WHERE x IN (SELECT hash(*) FROM b)", Flavor::Hive).unwrap();
        let (at, probe) = first_select(&stmt).unwrap();
        assert_eq!((at, probe.to_string()), (1, "SELECT * FROM b".to_string()));
    }
}
