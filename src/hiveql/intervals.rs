//! Interval literals for planning. The parser leaves every HiveQL interval literal in Spark's
//! canonical form (see [`super::interval_literals`]); here each becomes a call that the engine
//! types as Spark does: a year-month interval is Arrow's year-month interval
//! (`hivewire_ym_interval(months, start, end)`), a day-time interval a duration in microseconds
//! (`hivewire_dt_interval(micros, start, end)`). The fields are kept as arguments, as the engine
//! needs them (a date plus a whole-day interval is a date). Window frames take DataFusion's own
//! interval literal, which is what its frame planning reads.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    DataType, Expr, Interval, IntervalFields, Select, Statement, UnaryOperator, VisitMut, VisitorMut, WindowFrame, WindowFrameBound, WindowType,
};

use super::ansi_intervals::{AnsiInterval, Field};
use super::interval_literals::value_of;

/// The engine's constructor of year-month interval literals.
pub const YEAR_MONTH: &str = "hivewire_ym_interval";
/// The engine's constructor of day-time interval literals.
pub const DAY_TIME: &str = "hivewire_dt_interval";
/// The engine's casts to a year-month, a day-time and a calendar interval.
pub const TO_YEAR_MONTH: &str = "hivewire_to_ym_interval";
pub const TO_DAY_TIME: &str = "hivewire_to_dt_interval";
pub const TO_CALENDAR: &str = "hivewire_to_calendar_interval";

/// Spark's name for an interval literal's column: `INTERVAL '1-2' YEAR TO MONTH`.
pub fn spark_name(i: &Interval) -> Option<String> {
    value_of(i).map(|v| v.to_string())
}

/// The call that builds an interval value.
fn constructor(v: &AnsiInterval) -> Expr {
    let (name, amount) = match v {
        AnsiInterval::YearMonth { months, .. } => (YEAR_MONTH, i64::from(*months)),
        AnsiInterval::DayTime { micros, .. } => (DAY_TIME, *micros),
    };
    super::ast::call(name, vec![super::ast::number(amount), super::ast::number(v.start().code()), super::ast::number(v.end().code())])
}

/// The interval as DataFusion's unqualified literal reads it.
fn datafusion_literal(v: &AnsiInterval) -> Expr {
    let text = match v {
        AnsiInterval::YearMonth { months, .. } => format!("{months} months"),
        AnsiInterval::DayTime { micros, .. } => {
            let per_day = 86_400_000_000;
            format!("{} days {} microseconds", micros / per_day, micros % per_day)
        }
    };
    Expr::Interval(Interval {
        value: Box::new(super::ast::text(text)),
        leading_field: None,
        leading_precision: None,
        last_field: None,
        fractional_seconds_precision: None,
    })
}

fn frame_bounds(frame: &mut WindowFrame) {
    let bounds = std::iter::once(&mut frame.start_bound).chain(frame.end_bound.as_mut());
    for b in bounds {
        if let WindowFrameBound::Preceding(Some(e)) | WindowFrameBound::Following(Some(e)) = b {
            if let Expr::Interval(i) = e.as_ref() {
                if let Some(v) = value_of(i) {
                    **e = datafusion_literal(&v);
                }
            }
        }
    }
}

fn numeric(t: &DataType) -> bool {
    let name = t.to_string().to_uppercase();
    ["TINYINT", "SMALLINT", "INT", "BIGINT", "DEC", "NUMERIC", "FLOAT", "DOUBLE", "REAL"].iter().any(|p| name.starts_with(p))
}

/// The interval as a number of its last field's units: months or years, days, hours, minutes,
/// or seconds with their fraction.
fn in_last_units(v: &AnsiInterval) -> Expr {
    let (negative, text) = match *v {
        AnsiInterval::YearMonth { months, end, .. } => {
            let m = i64::from(months);
            (m < 0, if end == Field::Year { (m / 12).unsigned_abs() } else { m.unsigned_abs() }.to_string())
        }
        AnsiInterval::DayTime { micros, end, .. } => {
            let per: u64 = match end {
                Field::Day => 86_400_000_000,
                Field::Hour => 3_600_000_000,
                Field::Minute => 60_000_000,
                _ => 1,
            };
            let n = micros.unsigned_abs();
            let text = if per == 1 {
                let frac = format!("{:06}", n % 1_000_000);
                let frac = frac.trim_end_matches('0');
                if frac.is_empty() { (n / 1_000_000).to_string() } else { format!("{}.{frac}", n / 1_000_000) }
            } else {
                (n / per).to_string()
            };
            (micros < 0, text)
        }
    };
    let n = super::ast::number(text);
    if negative {
        Expr::UnaryOp { op: UnaryOperator::Minus, expr: Box::new(n) }
    } else {
        n
    }
}

fn text_type(t: &DataType) -> bool {
    matches!(t.to_string().to_uppercase().as_str(), "STRING" | "TEXT" | "VARCHAR")
}

/// A cast to an interval type as the engine's cast: the type's fields go as field codes.
fn interval_cast(value: Expr, fields: Option<&IntervalFields>) -> Expr {
    use IntervalFields as I;
    let (name, start, end) = match fields {
        None => return super::ast::call(TO_CALENDAR, vec![value]),
        Some(f) => match f {
            I::Year => (TO_YEAR_MONTH, Field::Year, Field::Year),
            I::Month => (TO_YEAR_MONTH, Field::Month, Field::Month),
            I::YearToMonth => (TO_YEAR_MONTH, Field::Year, Field::Month),
            I::Day => (TO_DAY_TIME, Field::Day, Field::Day),
            I::Hour => (TO_DAY_TIME, Field::Hour, Field::Hour),
            I::Minute => (TO_DAY_TIME, Field::Minute, Field::Minute),
            I::Second => (TO_DAY_TIME, Field::Second, Field::Second),
            I::DayToHour => (TO_DAY_TIME, Field::Day, Field::Hour),
            I::DayToMinute => (TO_DAY_TIME, Field::Day, Field::Minute),
            I::DayToSecond => (TO_DAY_TIME, Field::Day, Field::Second),
            I::HourToMinute => (TO_DAY_TIME, Field::Hour, Field::Minute),
            I::HourToSecond => (TO_DAY_TIME, Field::Hour, Field::Second),
            I::MinuteToSecond => (TO_DAY_TIME, Field::Minute, Field::Second),
        },
    };
    super::ast::call(name, vec![value, super::ast::number(start.code()), super::ast::number(end.code())])
}

/// Turns every interval literal in the statement into the engine's typed constructor.
pub fn rewrite(stmt: &mut Statement) {
    struct Intervals;
    impl VisitorMut for Intervals {
        type Break = ();
        fn pre_visit_select(&mut self, select: &mut Select) -> ControlFlow<()> {
            for w in &mut select.named_window {
                if let datafusion::sql::sqlparser::ast::NamedWindowExpr::WindowSpec(spec) = &mut w.1 {
                    if let Some(frame) = spec.window_frame.as_mut() {
                        frame_bounds(frame);
                    }
                }
            }
            ControlFlow::Continue(())
        }
        fn pre_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
            // A sign before a literal is folded into it: `-INTERVAL '1' DAY` is a literal too.
            if let Expr::UnaryOp { op: op @ (UnaryOperator::Minus | UnaryOperator::Plus), expr } = e {
                if let Expr::Interval(i) = expr.as_ref() {
                    let value = value_of(i).map(|v| if *op == UnaryOperator::Minus { v.negated() } else { Ok(v) });
                    if let Some(Ok(v)) = value {
                        *e = super::interval_literals::canonical(&v);
                    }
                }
            }
            // An interval literal cast to a number counts the units of its last field; cast to
            // text, it is Spark's literal.
            if let Expr::Cast { expr, data_type, .. } = e {
                let value = match expr.as_ref() {
                    Expr::Interval(i) => value_of(i),
                    _ => None,
                };
                match value {
                    Some(v) if numeric(data_type) => **expr = in_last_units(&v),
                    Some(v) if text_type(data_type) => *e = super::ast::text(v.to_string()),
                    _ => {}
                }
            }
            if let Expr::Function(f) = e {
                if let Some(WindowType::WindowSpec(spec)) = f.over.as_mut() {
                    if let Some(frame) = spec.window_frame.as_mut() {
                        frame_bounds(frame);
                    }
                }
            }
            ControlFlow::Continue(())
        }
        fn post_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
            if let Expr::Interval(i) = e {
                if let Some(v) = value_of(i) {
                    *e = constructor(&v);
                }
            }
            if let Expr::Cast { expr, data_type: DataType::Interval { fields, .. }, .. } = e {
                let value = std::mem::replace(expr.as_mut(), Expr::value(datafusion::sql::sqlparser::ast::Value::Null));
                *e = interval_cast(value, fields.as_ref());
            }
            ControlFlow::Continue(())
        }
    }
    let _ = stmt.visit(&mut Intervals);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hiveql::{parse_one, Flavor};

    fn r(sql: &str) -> String {
        let mut stmt = parse_one(sql, Flavor::Hive).unwrap();
        rewrite(&mut stmt);
        stmt.to_string()
    }

    #[test]
    fn literals_become_typed_constructors() {
        assert_eq!(r("SELECT INTERVAL '1-2' YEAR TO MONTH"), "SELECT hivewire_ym_interval(14, 0, 1)");
        assert_eq!(r("SELECT INTERVAL '1' DAY"), "SELECT hivewire_dt_interval(86400000000, 0, 0)");
        assert_eq!(r("SELECT CAST(x AS INTERVAL HOUR TO SECOND)"), "SELECT hivewire_to_dt_interval(x, 1, 3)");
        assert_eq!(r("SELECT CAST(x AS INTERVAL)"), "SELECT hivewire_to_calendar_interval(x)");
        assert_eq!(r("SELECT CAST(INTERVAL 3 day 1 second AS STRING)"), "SELECT 'INTERVAL ''3 00:00:01'' DAY TO SECOND'");
        assert_eq!(
            r("SELECT sum(x) OVER (ORDER BY t RANGE BETWEEN INTERVAL 1 DAY PRECEDING AND CURRENT ROW) FROM v"),
            "SELECT sum(x) OVER (ORDER BY t RANGE BETWEEN INTERVAL '1 days 0 microseconds' PRECEDING AND CURRENT ROW) FROM v"
        );
    }
}
