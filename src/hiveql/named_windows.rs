//! Named windows resolved into the calls that use them. DataFusion replaces `OVER w` with the
//! window `w` defines, but it ignores the name in `OVER (w)` and `OVER (w ORDER BY x)`, so those
//! calls ran over the whole input; and a window defined through another (`WINDOW w2 AS w1`) was
//! never found. Each reference here becomes the window it names, with whatever the reference adds
//! (an ORDER BY or a frame) laid over it, as PostgreSQL and the SQL standard merge them.

use datafusion::sql::sqlparser::ast::{Expr, Ident, NamedWindowDefinition, NamedWindowExpr, Select, SelectItem, Statement, WindowSpec, WindowType};

/// How many windows deep a chain of names may go before it is taken as a cycle.
const MAX_CHAIN: usize = 32;

/// Resolves every window reference in each SELECT against that SELECT's WINDOW clause. A name the
/// clause does not define is left for the planner, which reports it.
pub fn rewrite(stmt: &mut Statement) {
    super::ast::rewrite_selects(stmt, |select| {
        if select.named_window.is_empty() {
            return;
        }
        let windows = select.named_window.clone();
        for_each_expr(select, |e| resolve_call(e, &windows));
    });
}

/// Calls `f` on the expressions of a SELECT that may hold window functions.
fn for_each_expr(select: &mut Select, mut f: impl FnMut(&mut Expr)) {
    for item in &mut select.projection {
        if let SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } = item {
            super::ast::rewrite_outside_subqueries(e, &mut f);
        }
    }
    if let Some(e) = select.qualify.as_mut() {
        super::ast::rewrite_outside_subqueries(e, &mut f);
    }
}

fn resolve_call(e: &mut Expr, windows: &[NamedWindowDefinition]) {
    let Expr::Function(f) = e else { return };
    let resolved = match &f.over {
        Some(WindowType::NamedWindow(name)) => named(name, windows, 0),
        Some(WindowType::WindowSpec(spec)) if spec.window_name.is_some() => merged(spec, windows, 0),
        _ => return,
    };
    if let Some(spec) = resolved {
        f.over = Some(WindowType::WindowSpec(spec));
    }
}

/// The window `name` defines, with every name inside it resolved.
fn named(name: &Ident, windows: &[NamedWindowDefinition], depth: usize) -> Option<WindowSpec> {
    if depth > MAX_CHAIN {
        return None;
    }
    let key = name.value.to_lowercase();
    let NamedWindowDefinition(_, definition) = windows.iter().find(|w| w.0.value.to_lowercase() == key)?;
    match definition {
        NamedWindowExpr::NamedWindow(other) => named(other, windows, depth + 1),
        NamedWindowExpr::WindowSpec(spec) if spec.window_name.is_some() => merged(spec, windows, depth + 1),
        NamedWindowExpr::WindowSpec(spec) => Some(spec.clone()),
    }
}

/// `(w ORDER BY x ...)`: the window `w` names, with the reference's own clauses in place of its.
fn merged(spec: &WindowSpec, windows: &[NamedWindowDefinition], depth: usize) -> Option<WindowSpec> {
    let base = named(spec.window_name.as_ref()?, windows, depth + 1)?;
    Some(WindowSpec {
        window_name: None,
        partition_by: if spec.partition_by.is_empty() { base.partition_by } else { spec.partition_by.clone() },
        order_by: if spec.order_by.is_empty() { base.order_by } else { spec.order_by.clone() },
        window_frame: spec.window_frame.clone().or(base.window_frame),
    })
}

#[cfg(test)]
mod tests {
    use super::super::rewritten;

    fn named(sql: &str) -> String {
        rewritten(sql, super::rewrite)
    }

    #[test]
    fn parenthesised_names_take_the_window_they_name() {
        let sql = named("SELECT sum(v) OVER (w) FROM t WINDOW w AS (PARTITION BY k ORDER BY v)");
        assert!(sql.starts_with("SELECT sum(v) OVER (PARTITION BY k ORDER BY v) FROM t"), "{sql}");
    }

    #[test]
    fn a_reference_adds_its_order_and_frame() {
        let sql = named("SELECT sum(v) OVER (w ORDER BY v ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t WINDOW w AS (PARTITION BY k)");
        assert!(sql.starts_with("SELECT sum(v) OVER (PARTITION BY k ORDER BY v ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t"), "{sql}");
    }

    #[test]
    fn chains_of_names_are_followed() {
        let sql = named("SELECT sum(v) OVER w2 FROM t WINDOW w1 AS (PARTITION BY k), w2 AS w1");
        assert!(sql.starts_with("SELECT sum(v) OVER (PARTITION BY k) FROM t"), "{sql}");
    }

    #[test]
    fn cycles_and_unknown_names_are_left_for_the_planner() {
        let sql = named("SELECT sum(v) OVER w1, sum(v) OVER x FROM t WINDOW w1 AS w2, w2 AS w1");
        assert!(sql.starts_with("SELECT sum(v) OVER w1, sum(v) OVER x FROM t"), "{sql}");
    }
}
