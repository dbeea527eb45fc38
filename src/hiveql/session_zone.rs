//! Where a time meets an instant, the session's zone (`spark.sql.session.timeZone`) decides: epoch
//! seconds become wall-clock times in the zone (`timestamp_seconds`, `from_unixtime`; and
//! `to_timestamp(1)`, a cast, which the engine's cast rule gives the zone), times become epoch
//! seconds from their instant in it (`unix_timestamp`, `unix_seconds`), and the current time is
//! the zone's. Each such call is rewritten here to carry
//! the zone: through `from_utc_timestamp`/`to_utc_timestamp`, or as a last argument to the
//! engine's pattern readers and `date_format`. In UTC nothing changes, so nothing is rewritten.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{Expr, Statement, Value, VisitMut, VisitorMut};

use super::ast::{call, text};
use super::time_zones::Zone;

/// Spark's pattern when a reader is given none.
const DEFAULT_PATTERN: &str = "yyyy-MM-dd HH:mm:ss";

/// The rewritten call, or None when the call does not meet the zone.
fn with_zone(name: &str, mut args: Vec<Expr>, original: &Expr, zone: &str) -> Option<Expr> {
    let zone_text = || text(zone);
    Some(match (name, args.len()) {
        ("timestamp_seconds" | "timestamp_millis" | "timestamp_micros", 1) => call("from_utc_timestamp", vec![original.clone(), zone_text()]),
        ("unix_seconds" | "unix_millis" | "unix_micros", 1) => {
            let time = Expr::Cast {
                kind: datafusion::sql::sqlparser::ast::CastKind::Cast,
                expr: Box::new(args.remove(0)),
                data_type: datafusion::sql::sqlparser::ast::DataType::Timestamp(None, datafusion::sql::sqlparser::ast::TimezoneInfo::None),
                array: false,
                format: None,
            };
            call(name, vec![call("to_utc_timestamp", vec![time, zone_text()])])
        }
        ("from_unixtime", 1 | 2) => {
            if args.len() == 1 {
                args.push(text(DEFAULT_PATTERN));
            }
            args.push(zone_text());
            call(name, args)
        }
        ("to_timestamp" | "try_to_timestamp" | "to_date", 2) | ("unix_timestamp" | "to_unix_timestamp", 1 | 2) => {
            if args.len() == 1 {
                args.push(text(DEFAULT_PATTERN));
            }
            args.push(zone_text());
            call(name, args)
        }
        ("date_format" | "to_char" | "to_varchar", 2) => {
            args.push(zone_text());
            call(name, args)
        }
        // The CSV functions and to_json read and write zoned times; the zone follows the options.
        ("from_csv", 2 | 3) | ("to_csv" | "to_json", 1 | 2) => {
            if args.len() == usize::from(name == "from_csv") + 1 {
                args.push(no_options());
            }
            args.push(zone_text());
            call(name, args)
        }
        ("hash", _) => {
            args.insert(0, zone_text());
            call(crate::engine::spark_functions::HASH_IN_ZONE, args)
        }
        ("current_timestamp" | "now" | "localtimestamp", 0) => call("from_utc_timestamp", vec![call("now", vec![]), zone_text()]),
        ("current_date" | "curdate", 0) => call("to_date", vec![call("from_utc_timestamp", vec![call("now", vec![]), zone_text()])]),
        _ => return None,
    })
}

/// `CAST(NULL AS MAP<STRING, STRING>)`: no options, where a zone follows them.
fn no_options() -> Expr {
    use datafusion::sql::sqlparser::ast::{CastKind, DataType};
    let text = || Box::new(DataType::String(None));
    Expr::Cast {
        kind: CastKind::Cast,
        expr: Box::new(Expr::Value(Value::Null.into())),
        data_type: DataType::Map(text(), text()),
        array: false,
        format: None,
    }
}

/// The calls that name the session's zone in every zone, UTC too: `current_timezone()`, and
/// `convert_timezone(to, t)`, which converts from it.
fn naming_zone(name: &str, args: &mut Vec<Expr>, zone: &str) -> Option<Expr> {
    Some(match (name, args.len()) {
        ("current_timezone", 0) => text(zone),
        ("convert_timezone", 2) => {
            args.insert(0, text(zone));
            call(name, std::mem::take(args))
        }
        _ => return None,
    })
}

/// Gives every call that meets an instant the session's zone, in one walk: the calls that name the
/// zone in every zone, the others only outside UTC (in UTC nothing else changes).
pub fn rewrite(stmt: &mut Statement, zone: Zone) {
    struct Zoned {
        zone: String,
        utc: bool,
    }
    impl VisitorMut for Zoned {
        type Break = ();
        fn post_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
            let Expr::Function(f) = e else { return ControlFlow::Continue(()) };
            let windowed = f.over.is_some();
            let Some((name, mut args)) = super::function_names::plain_call(f) else { return ControlFlow::Continue(()) };
            if let Some(rewritten) = naming_zone(&name, &mut args, &self.zone) {
                *e = rewritten;
            } else if !self.utc && !windowed {
                if let Some(rewritten) = with_zone(&name, args, e, &self.zone) {
                    *e = rewritten;
                }
            }
            ControlFlow::Continue(())
        }
    }
    let _ = stmt.visit(&mut Zoned { zone: zone.name(), utc: zone.is_utc() });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hiveql::{parse_one, Flavor};

    fn r(sql: &str) -> String {
        let mut stmt = parse_one(sql, Flavor::Hive).unwrap();
        rewrite(&mut stmt, Zone::parse("America/Los_Angeles").unwrap());
        stmt.to_string()
    }

    #[test]
    fn calls_meeting_an_instant_carry_the_zone() {
        assert_eq!(r("SELECT timestamp_seconds(1)"), "SELECT from_utc_timestamp(timestamp_seconds(1), 'America/Los_Angeles')");
        assert_eq!(r("SELECT to_timestamp(s)"), "SELECT to_timestamp(s)");
        assert_eq!(r("SELECT unix_seconds(t)"), "SELECT unix_seconds(to_utc_timestamp(CAST(t AS TIMESTAMP), 'America/Los_Angeles'))");
        assert_eq!(r("SELECT unix_timestamp(s)"), "SELECT unix_timestamp(s, 'yyyy-MM-dd HH:mm:ss', 'America/Los_Angeles')");
        assert_eq!(r("SELECT current_timestamp()"), "SELECT from_utc_timestamp(now(), 'America/Los_Angeles')");
        let mut utc = parse_one("SELECT timestamp_seconds(1)", Flavor::Hive).unwrap();
        rewrite(&mut utc, Zone::utc());
        assert_eq!(utc.to_string(), "SELECT timestamp_seconds(1)");
    }
}
