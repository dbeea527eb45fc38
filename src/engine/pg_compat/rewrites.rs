//! Rewrites that make the catalog queries of psql and drivers plannable by DataFusion, applied
//! only to statements that read pg_catalog.
//!
//! - Correlated scalar subqueries. psql and SQLAlchemy look up one row per outer row with them
//!   (`(SELECT c.collname FROM pg_collation c WHERE c.oid = a.attcollation)`). DataFusion plans a
//!   correlated scalar subquery only when it is aggregated; catalog lookups are by key and find
//!   at most one row, so the selected value is wrapped in `first_value(...)`.
//! - `generate_subscripts(arr, 1)`, which DataFusion lacks, becomes
//!   `unnest(generate_series(1, cardinality(arr)))`; beside `unnest(arr)` in the same select list
//!   it yields each element's subscript, as in PostgreSQL.
//!
//! And, for any PostgreSQL statement, `current_setting('name')` becomes the session's value of the
//! setting, since settings live in the session rather than in DataFusion's config.

use std::ops::ControlFlow;

use crate::hiveql::ast::call;

use datafusion::sql::sqlparser::ast::{
    Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments, GroupByExpr, Query, SelectItem, SetExpr, Statement,
    Value, VisitMut, VisitorMut,
};

/// Aggregates that already make a subquery return one row.
const AGGREGATES: &[&str] = &[
    "count", "sum", "min", "max", "avg", "array_agg", "string_agg", "bool_and", "bool_or", "every", "first_value",
    "last_value", "json_agg", "jsonb_agg",
];

/// Applies both rewrites to a catalog query.
pub(crate) fn rewrite_catalog_query(stmt: &mut Statement) {
    let _ = stmt.visit(&mut CatalogRewriter);
}

struct CatalogRewriter;

impl VisitorMut for CatalogRewriter {
    type Break = ();

    fn pre_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        match expr {
            Expr::Subquery(query) => wrap(query),
            Expr::Function(f) if function_name(f).as_deref() == Some("generate_subscripts") => {
                if let Some(array) = first_argument(f) {
                    let length = call("cardinality", vec![array]);
                    let series = call("generate_series", vec![Expr::value(Value::Number("1".into(), false)), length]);
                    *expr = call("unnest", vec![series]);
                }
            }
            _ => {}
        }
        ControlFlow::Continue(())
    }
}

/// Replaces `current_setting('name')` (and `current_setting('name', missing_ok)`) with the value
/// `lookup` gives, or NULL for a setting that has none.
pub(crate) fn inline_current_setting(stmt: &mut Statement, lookup: &dyn Fn(&str) -> Option<String>) {
    let _ = stmt.visit(&mut SettingInliner { lookup });
}

struct SettingInliner<'a> {
    lookup: &'a dyn Fn(&str) -> Option<String>,
}

impl VisitorMut for SettingInliner<'_> {
    type Break = ();

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if let Expr::Function(f) = expr {
            if function_name(f).as_deref() == Some("current_setting") {
                let name = match first_argument(f) {
                    Some(Expr::Value(v)) => match v.value {
                        Value::SingleQuotedString(s) => Some(s),
                        _ => None,
                    },
                    _ => None,
                };
                if let Some(name) = name {
                    *expr = match (self.lookup)(&name) {
                        Some(value) => Expr::value(Value::SingleQuotedString(value)),
                        None => Expr::Cast {
                            kind: datafusion::sql::sqlparser::ast::CastKind::Cast,
                            expr: Box::new(Expr::value(Value::Null)),
                            data_type: datafusion::sql::sqlparser::ast::DataType::Text,
                            array: false,
                            format: None,
                        },
                    };
                }
            }
        }
        ControlFlow::Continue(())
    }
}

fn function_name(f: &Function) -> Option<String> {
    f.name.0.last().and_then(|p| p.as_ident()).map(|i| i.value.to_lowercase())
}

fn first_argument(f: &Function) -> Option<Expr> {
    match &f.args {
        FunctionArguments::List(list) => match list.args.first() {
            Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(e))) => Some(e.clone()),
            _ => None,
        },
        _ => None,
    }
}

fn wrap(query: &mut Query) {
    let SetExpr::Select(select) = query.body.as_mut() else { return };
    let grouped = !matches!(&select.group_by, GroupByExpr::Expressions(e, _) if e.is_empty());
    if grouped || select.projection.len() != 1 || select.from.is_empty() {
        return;
    }
    let item = match &mut select.projection[0] {
        SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => e,
        _ => return,
    };
    if is_aggregate(item) {
        return;
    }
    let value = std::mem::replace(item, Expr::value(Value::Null));
    *item = call("first_value", vec![value]);
}

fn is_aggregate(expr: &Expr) -> bool {
    match expr {
        Expr::Function(f) if f.over.is_none() => function_name(f).is_some_and(|n| AGGREGATES.contains(&n.as_str())),
        Expr::Nested(inner) => is_aggregate(inner),
        _ => false,
    }
}
