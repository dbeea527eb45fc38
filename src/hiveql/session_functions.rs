//! Functions whose answer is the session's state, as Spark gives it in HiveQL sessions:
//! `current_database()` / `current_schema()` name the current database, `current_user()` the user,
//! `current_catalog()` Spark's one catalog, and `version()` is Spark's version string. They become
//! literals when a statement is planned, once its select items have their names
//! (`current_schema()` for `current_database()`).

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{Expr, Function, FunctionArguments, Statement, Value, VisitMut, VisitorMut};

/// The Spark release whose behaviour hivewire follows, as `version()` reports it.
pub const SPARK_VERSION: &str = "4.3.0";

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
    let known = matches!(
        name.as_str(),
        "current_user" | "user" | "session_user" | "current_database" | "current_schema" | "current_namespace" | "current_catalog" | "version"
    );
    known.then_some(name)
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
