//! Interval literals with a `TO` qualifier, as Spark writes them: `INTERVAL '1-2' YEAR TO MONTH`,
//! `INTERVAL '1 02:03:04.5' DAY TO SECOND`, `INTERVAL '-10:30' HOUR TO MINUTE`. DataFusion plans
//! only single-unit qualifiers, so each is rewritten to the same interval spelled out in units
//! (`'1 years 2 months'`), with the sign of the text, or of a `-` before it, on every part.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{DateTimeField, Expr, Interval, Statement, UnaryOperator, Value, VisitMut, VisitorMut};

/// The fields of a qualifier, from its leading to its last field, as the names of the units.
fn fields(leading: &DateTimeField, last: &DateTimeField) -> Option<&'static [&'static str]> {
    use DateTimeField as F;
    Some(match (leading, last) {
        (F::Year | F::Years, F::Month | F::Months) => &["years", "months"],
        (F::Day | F::Days, F::Hour | F::Hours) => &["days", "hours"],
        (F::Day | F::Days, F::Minute | F::Minutes) => &["days", "hours", "minutes"],
        (F::Day | F::Days, F::Second | F::Seconds) => &["days", "hours", "minutes", "seconds"],
        (F::Hour | F::Hours, F::Minute | F::Minutes) => &["hours", "minutes"],
        (F::Hour | F::Hours, F::Second | F::Seconds) => &["hours", "minutes", "seconds"],
        (F::Minute | F::Minutes, F::Second | F::Seconds) => &["minutes", "seconds"],
        _ => return None,
    })
}

/// The text of a qualified interval in units, or None when it does not match its qualifier.
fn spelled(text: &str, units: &[&str], negated: bool) -> Option<String> {
    let text = text.trim_matches(' ');
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let negative = negative != negated;
    // Year-month parts are split by '-', day from time by a space, time parts by ':'.
    let parts: Vec<&str> = if units[0] == "years" {
        body.split('-').collect()
    } else if units[0] == "days" {
        let (day, time) = match body.split_once(' ') {
            Some((d, t)) => (d, Some(t)),
            None => (body, None),
        };
        std::iter::once(day).chain(time.into_iter().flat_map(|t| t.split(':'))).collect()
    } else {
        body.split(':').collect()
    };
    if parts.len() != units.len() {
        return None;
    }
    let mut out = Vec::with_capacity(parts.len());
    for (i, (part, unit)) in parts.iter().zip(units).enumerate() {
        let valid = !part.is_empty()
            && part.chars().all(|c| c.is_ascii_digit() || (*unit == "seconds" && c == '.'))
            && part.matches('.').count() <= 1;
        if !valid {
            return None;
        }
        // Fields after the leading one stay within their unit, as Spark checks; the leading
        // field stays within Spark's range for its interval type.
        let whole: f64 = part.parse().ok()?;
        let limit = match (i, *unit) {
            (0, "years") => 178_956_970.0,
            (0, "days") => 106_751_991.0,
            (0, _) => f64::MAX,
            (_, "months") => 11.0,
            (_, "hours") => 23.0,
            (_, _) => 59.999_999,
        };
        if whole > limit {
            return None;
        }
        let sign = if negative { "-" } else { "" };
        out.push(format!("{sign}{part} {unit}"));
    }
    Some(out.join(" "))
}

/// The literal text and whether a `-` stands before it.
pub fn literal_text(value: &Expr) -> Option<(String, bool)> {
    match value {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => Some((s.clone(), false)),
            Value::Number(n, _) => Some((n.clone(), false)),
            _ => None,
        },
        Expr::UnaryOp { op: UnaryOperator::Minus, expr } => literal_text(expr).map(|(s, neg)| (s, !neg)),
        Expr::UnaryOp { op: UnaryOperator::Plus, expr } => literal_text(expr),
        Expr::Nested(inner) => literal_text(inner),
        _ => None,
    }
}

/// Spark's name for an interval literal's column: `INTERVAL '1-2' YEAR TO MONTH`.
pub fn spark_name(i: &Interval) -> Option<String> {
    let (text, negated) = literal_text(&i.value)?;
    let text = match (negated, text.strip_prefix('-')) {
        (false, _) => text,
        (true, Some(positive)) => positive.to_string(),
        (true, None) => format!("-{text}"),
    };
    let unit = |f: &DateTimeField| f.to_string().to_uppercase().trim_end_matches('S').to_string();
    let qualifier = match (&i.leading_field, &i.last_field) {
        (Some(l), Some(t)) => format!(" {} TO {}", unit(l), unit(t)),
        (Some(l), None) => format!(" {}", unit(l)),
        _ => String::new(),
    };
    Some(format!("INTERVAL '{text}'{qualifier}"))
}

/// Whether an expression is a year-month interval literal (Some(true)), a day-time one
/// (Some(false)), or neither.
fn year_month(e: &Expr) -> Option<bool> {
    match e {
        Expr::Interval(i) => Some(matches!(i.leading_field, Some(DateTimeField::Year | DateTimeField::Years | DateTimeField::Month | DateTimeField::Months))),
        Expr::Nested(inner) | Expr::UnaryOp { expr: inner, .. } => year_month(inner),
        _ => None,
    }
}

/// Spells out every qualified interval literal in the statement. A sum or difference of a
/// year-month and a day-time literal is left as written: Spark refuses it, and so does planning.
pub fn rewrite(stmt: &mut Statement) {
    struct Intervals {
        refused: Vec<*const Expr>,
    }
    impl VisitorMut for Intervals {
        type Break = ();
        fn pre_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
            if let Expr::BinaryOp { left, right, .. } = e {
                if let (Some(l), Some(r)) = (year_month(left), year_month(right)) {
                    if l != r {
                        self.refused.extend([left.as_ref() as *const Expr, right.as_ref() as *const Expr]);
                    }
                }
            }
            ControlFlow::Continue(())
        }
        fn post_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
            if self.refused.contains(&(e as *const Expr)) {
                return ControlFlow::Continue(());
            }
            let Expr::Interval(Interval { value, leading_field: Some(leading), last_field: Some(last), .. }) = e else {
                return ControlFlow::Continue(());
            };
            let Some(units) = fields(leading, last) else { return ControlFlow::Continue(()) };
            let Some((text, negated)) = literal_text(value) else { return ControlFlow::Continue(()) };
            if let Some(spelled) = spelled(&text, units, negated) {
                *e = Expr::Interval(Interval {
                    value: Box::new(super::ast::text(spelled)),
                    leading_field: None,
                    leading_precision: None,
                    last_field: None,
                    fractional_seconds_precision: None,
                });
            }
            ControlFlow::Continue(())
        }
    }
    let _ = stmt.visit(&mut Intervals { refused: Vec::new() });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(sql: &str) -> String {
        crate::hiveql::rewritten(sql, rewrite)
    }

    #[test]
    fn qualified_intervals_are_spelled_out() {
        assert_eq!(r("SELECT INTERVAL '1-2' YEAR TO MONTH"), "SELECT INTERVAL '1 years 2 months'");
        assert_eq!(r("SELECT INTERVAL '-1 2:03:04.5' DAY TO SECOND"), "SELECT INTERVAL '-1 days -2 hours -03 minutes -04.5 seconds'");
        assert_eq!(r("SELECT INTERVAL -'10:30' HOUR TO MINUTE"), "SELECT INTERVAL '-10 hours -30 minutes'");
        assert_eq!(r("SELECT INTERVAL '1' DAY"), "SELECT INTERVAL '1' DAY");
        assert_eq!(r("SELECT INTERVAL '1 24' DAY TO HOUR"), "SELECT INTERVAL '1 24' DAY TO HOUR");
        assert_eq!(
            r("SELECT INTERVAL '2-2' YEAR TO MONTH + INTERVAL '3' DAY"),
            "SELECT INTERVAL '2-2' YEAR TO MONTH + INTERVAL '3' DAY"
        );
    }
}
