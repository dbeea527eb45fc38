//! Spark's time windows, `window(time, duration[, slide[, start]])`, in a select list, GROUP BY
//! or HAVING. Spark turns the call into a column named `window` that the select's rows are
//! expanded over: one row per window the time falls in (one for tumbling windows, several for
//! sliding ones), none when the time is NULL. hivewire writes exactly that: the select gets a
//! `LATERAL VIEW explode(hivewire_time_windows(time, duration, slide, start, zone)) AS window`,
//! and each `window(...)` call becomes the column `window`, so `GROUP BY window(ts, '10 minutes')`
//! and `SELECT window.start` work as in Spark.
//!
//! The spans are constant text (`'10 minutes'`, `'1 hour 30 minutes'`) or whole microseconds;
//! months and years are refused, as are two different windows in one select, as in Spark.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    visit_expressions_mut, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, GroupByExpr, Ident, LateralView, ObjectName, Select,
    Statement, UnaryOperator, Value, VisitMut, VisitorMut,
};
use hivewire_backend::{BackendError, ErrorKind};

use super::time_zones::Zone;
use crate::engine::spark_functions::time_windows::TIME_WINDOWS;

/// The column the windows are.
const COLUMN: &str = "window";
/// The lateral view's name.
const VIEW: &str = "__hivewire_time_window";

/// Rewrites the time windows of every select in the statement.
pub fn rewrite(stmt: &mut Statement, zone: Zone) -> Result<(), BackendError> {
    struct Rewriter {
        zone: Zone,
    }
    impl VisitorMut for Rewriter {
        type Break = BackendError;
        // After the selects inside this one, so that their windows are theirs.
        fn post_visit_select(&mut self, select: &mut Select) -> ControlFlow<BackendError> {
            match rewrite_select(select, &self.zone) {
                Ok(()) => ControlFlow::Continue(()),
                Err(e) => ControlFlow::Break(e),
            }
        }
    }
    match stmt.visit(&mut Rewriter { zone }) {
        ControlFlow::Break(e) => Err(e),
        ControlFlow::Continue(()) => Ok(()),
    }
}

fn mismatch(message: String) -> BackendError {
    BackendError::new(ErrorKind::DatatypeMismatch, message)
}

/// The arguments of a `window(...)` call (two to four, no OVER), if `e` is one.
fn window_call(e: &Expr) -> Option<Vec<Expr>> {
    let Expr::Function(f) = e else { return None };
    let named_window = f.name.0.len() == 1 && f.name.0[0].as_ident().is_some_and(|i| i.value.eq_ignore_ascii_case("window"));
    if !named_window || f.over.is_some() {
        return None;
    }
    let FunctionArguments::List(list) = &f.args else { return None };
    let args: Vec<Expr> = list
        .args
        .iter()
        .filter_map(|a| match a {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(x)) => Some(x.clone()),
            _ => None,
        })
        .collect();
    (args.len() == list.args.len() && (2..=4).contains(&args.len())).then_some(args)
}

/// Every place of the select that may hold a window: its items, GROUP BY and HAVING.
fn window_places(select: &mut Select, mut each: impl FnMut(&mut Expr)) {
    let mut visit = |e: &mut Expr| {
        let _ = visit_expressions_mut(e, |x| {
            each(x);
            ControlFlow::<()>::Continue(())
        });
    };
    for item in &mut select.projection {
        match item {
            datafusion::sql::sqlparser::ast::SelectItem::UnnamedExpr(e) | datafusion::sql::sqlparser::ast::SelectItem::ExprWithAlias { expr: e, .. } => {
                visit(e)
            }
            _ => {}
        }
    }
    if let GroupByExpr::Expressions(exprs, _) = &mut select.group_by {
        exprs.iter_mut().for_each(&mut visit);
    }
    if let Some(h) = &mut select.having {
        visit(h);
    }
}

fn rewrite_select(select: &mut Select, zone: &Zone) -> Result<(), BackendError> {
    let mut calls: Vec<Vec<Expr>> = Vec::new();
    window_places(select, |e| {
        if let Some(args) = window_call(e) {
            if !calls.contains(&args) {
                calls.push(args);
            }
        }
    });
    let Some(args) = calls.first().cloned() else { return Ok(()) };
    if calls.len() > 1 {
        return Err(BackendError::not_supported(
            "Multiple time/session window expressions would result in a cartesian product of rows, therefore they are currently not supported",
        ));
    }
    if select.from.is_empty() {
        return Err(mismatch("window needs the rows of a FROM clause".into()));
    }
    let duration = span(&args[1], "window duration")?;
    let slide = match args.get(2) {
        Some(e) => span(e, "slide duration")?,
        None => duration,
    };
    let start = match args.get(3) {
        Some(e) => span_allowing_negative(e)?,
        None => 0,
    };
    if duration <= 0 {
        return Err(mismatch(format!("The window duration ({duration}) must be greater than 0")));
    }
    if slide <= 0 {
        return Err(mismatch(format!("The slide duration ({slide}) must be greater than 0")));
    }
    if slide > duration {
        return Err(mismatch(format!("The slide duration ({slide}) must be less than or equal to the windowDuration ({duration})")));
    }
    if start.abs() >= slide {
        return Err(mismatch(format!("The absolute value of start time ({start}) must be less than the slideDuration ({slide})")));
    }
    let number = |v: i64| Expr::value(Value::Number(v.to_string(), false));
    let windows = super::ast::call(
        TIME_WINDOWS,
        vec![args[0].clone(), number(duration), number(slide), number(start), super::ast::text(zone.name())],
    );
    select.lateral_views.push(LateralView {
        lateral_view: super::ast::call("explode", vec![windows]),
        lateral_view_name: ObjectName::from(vec![Ident::new(VIEW)]),
        lateral_col_alias: vec![Ident::new(COLUMN)],
        outer: false,
    });
    window_places(select, |e| {
        if window_call(e).is_some() {
            *e = Expr::Identifier(Ident::new(COLUMN));
        }
    });
    Ok(())
}

/// A span in microseconds: whole microseconds, or text such as `'10 minutes'`.
fn span(e: &Expr, what: &str) -> Result<i64, BackendError> {
    let literal_error = || mismatch("The duration and time inputs to window must be an integer, long or string literal".into());
    let Expr::Value(v) = e else { return Err(literal_error()) };
    match &v.value {
        Value::Number(n, _) => n.parse::<i64>().map_err(|_| literal_error()),
        Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => text_span(s, what),
        _ => Err(literal_error()),
    }
}

/// A start time, which may be negative (`-5 minutes`, or a negated number).
fn span_allowing_negative(e: &Expr) -> Result<i64, BackendError> {
    match e {
        Expr::UnaryOp { op: UnaryOperator::Minus, expr } => Ok(-span(expr, "start time")?),
        other => span(other, "start time"),
    }
}

fn text_span(s: &str, what: &str) -> Result<i64, BackendError> {
    let Some(interval) = crate::engine::intervals::calendar_interval(s) else {
        return Err(mismatch(format!("The {what} '{s}' is not a valid interval")));
    };
    if interval.months != 0 {
        return Err(mismatch(format!("Intervals greater than a month is not supported ({s})")));
    }
    Ok(i64::from(interval.days) * 86_400_000_000 + interval.nanoseconds / 1000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hiveql::{parse_one, Flavor};

    fn rewritten(sql: &str) -> Result<String, BackendError> {
        let mut stmt = parse_one(sql, Flavor::Hive).unwrap();
        rewrite(&mut stmt, Zone::utc())?;
        Ok(stmt.to_string())
    }

    #[test]
    fn windows_become_a_lateral_column() {
        let sql = rewritten("SELECT window(ts, '5 minutes'), count(*) FROM t GROUP BY window(ts, '5 minutes')").unwrap();
        assert!(sql.contains("LATERAL VIEW explode(hivewire_time_windows(ts, 300000000, 300000000, 0, 'UTC')) __hivewire_time_window AS window"), "{sql}");
        assert!(sql.starts_with("SELECT window, count(*)"), "{sql}");
        assert!(sql.ends_with("GROUP BY window"), "{sql}");
    }

    #[test]
    fn spans_are_checked_as_spark_checks_them() {
        assert!(rewritten("SELECT window(ts, '1 month') FROM t").is_err());
        assert!(rewritten("SELECT window(ts, '5 minutes', '10 minutes') FROM t").is_err());
        assert!(rewritten("SELECT window(ts, '5 minutes'), window(ts, '10 minutes') FROM t").is_err());
        assert!(rewritten("SELECT window(ts, interval 5 minutes) FROM t").is_err());
        assert!(rewritten("SELECT window(ts, '1 hour', '1 hour', '-15 minutes') FROM t").is_ok());
    }
}
