//! Functions whose answer is the session's state, as Spark gives it in HiveQL sessions:
//! `current_database()` / `current_schema()` name the current database, `current_user()` the user,
//! `current_catalog()` Spark's one catalog, and `version()` is Spark's version string. They become
//! literals when a statement is planned, once its select items have their names
//! (`current_schema()` for `current_database()`).
//!
//! Spark also reads `current_user`, `user` and `session_user` written without parentheses as
//! `current_user()` where no column has the name; hivewire does so in a SELECT without a FROM
//! clause, where no column can have it.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{Expr, Function, FunctionArguments, Query, SetExpr, Statement, Value, VisitMut, VisitorMut};

/// The Spark release whose behaviour hivewire follows, as `version()` reports it.
pub const SPARK_VERSION: &str = "4.3.0";

/// The session functions' names.
pub const NAMES: &[&str] =
    &["current_user", "user", "session_user", "current_database", "current_schema", "current_namespace", "current_catalog", "version"];

/// Replaces the session functions with the session's values. Select items are named first
/// (`hiveql::spark_names`), so that they keep Spark's names for these calls.
pub fn inline(stmt: &mut Statement, database: &str, user: &str) {
    let _ = stmt.visit(&mut Inliner { database: Some(database), user });
}

/// The name of a session function called with no arguments.
fn session_function(f: &Function) -> Option<String> {
    let no_args = match &f.args {
        FunctionArguments::None => true,
        FunctionArguments::List(l) => l.args.is_empty(),
        FunctionArguments::Subquery(_) => false,
    };
    if !no_args || f.name.0.len() != 1 {
        return None;
    }
    let name = f.name.to_string().to_lowercase();
    NAMES.contains(&name.as_str()).then_some(name)
}

/// Writes the bare user names of FROM-less SELECTs as `current_user()` calls, before select items
/// are named, so that they are named `current_user()` as in Spark.
pub fn bare_calls(stmt: &mut Statement) {
    let _ = stmt.visit(&mut BareCalls { from_less: Vec::new() });
}

/// Tracks, for the query being visited, whether it is a SELECT without FROM.
struct BareCalls {
    from_less: Vec<bool>,
}

impl VisitorMut for BareCalls {
    type Break = ();

    fn pre_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        self.from_less.push(matches!(query.body.as_ref(), SetExpr::Select(s) if s.from.is_empty()));
        ControlFlow::Continue(())
    }

    fn post_visit_query(&mut self, _query: &mut Query) -> ControlFlow<()> {
        self.from_less.pop();
        ControlFlow::Continue(())
    }

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        let Expr::Identifier(id) = expr else { return ControlFlow::Continue(()) };
        let bare_user = id.quote_style.is_none() && ["current_user", "user", "session_user"].iter().any(|n| id.value.eq_ignore_ascii_case(n));
        if bare_user && self.from_less.last() == Some(&true) {
            *expr = super::ast::call("current_user", vec![]);
        }
        ControlFlow::Continue(())
    }
}

/// Replaces only the user functions (`current_user`, `session_user`, `user`): what PostgreSQL
/// sessions need, since their other session functions answer in PostgreSQL's own terms.
pub fn inline_user(stmt: &mut Statement, user: &str) {
    let _ = stmt.visit(&mut Inliner { database: None, user });
}

struct Inliner<'a> {
    database: Option<&'a str>,
    user: &'a str,
}

impl VisitorMut for Inliner<'_> {
    type Break = ();

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        let Expr::Function(f) = expr else { return ControlFlow::Continue(()) };
        let Some(name) = session_function(f) else { return ControlFlow::Continue(()) };
        let value = match name.as_str() {
            "current_user" | "user" | "session_user" => self.user.to_string(),
            _ if self.database.is_none() => return ControlFlow::Continue(()),
            "current_database" | "current_schema" | "current_namespace" => self.database.unwrap_or_default().to_string(),
            "current_catalog" => "spark_catalog".to_string(),
            "version" => format!("{SPARK_VERSION} hivewire-{}", env!("CARGO_PKG_VERSION")),
            _ => return ControlFlow::Continue(()),
        };
        *expr = Expr::value(Value::SingleQuotedString(value));
        ControlFlow::Continue(())
    }
}
