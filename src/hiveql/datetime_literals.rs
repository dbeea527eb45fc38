//! Date and timestamp literals as Spark reads them. A timestamp literal may end with its own zone
//! (`TIMESTAMP '2018-11-17 13:33:33.123Z'`, `...Asia/Shanghai`, `...UTC+08:00`); it is the
//! wall-clock time of that instant in the session's zone, and Spark names the column after that
//! time. Spark also reads partial forms (`'2019-10-15'` as a timestamp, `'2019-1-2'`), and dates
//! with trailing text (`DATE '2019-01-01\t'`). Each literal is written here in its canonical form
//! before result names are given, and `timestamp_ltz'...'` and `timestamp_ntz'...'` are read as
//! typed literals.

use std::ops::ControlFlow;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use datafusion::sql::sqlparser::ast::{DataType, Expr, Statement, TimezoneInfo, TypedString, Value, VisitMut, VisitorMut};
use datafusion::sql::sqlparser::parser::{Parser, ParserError};
use datafusion::sql::sqlparser::tokenizer::Token;

use super::time_zones::Zone;

/// `timestamp_ltz'...'` and `timestamp_ntz'...'`, when one comes next.
pub fn parse(parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
    let Token::Word(w) = parser.peek_nth_token(0).token else { return None };
    let data_type = match w.value.to_ascii_lowercase().as_str() {
        "timestamp_ltz" => DataType::Timestamp(None, TimezoneInfo::None),
        "timestamp_ntz" => DataType::TimestampNtz(None),
        _ => return None,
    };
    let value = match parser.peek_nth_token(1).token {
        Token::SingleQuotedString(s) | Token::DoubleQuotedString(s) => s,
        _ => return None,
    };
    parser.next_token();
    parser.next_token();
    Some(Ok(Expr::TypedString(TypedString { data_type, value: Value::SingleQuotedString(value).into(), uses_odbc_syntax: false })))
}

/// A date's year, month and day from Spark's forms: `yyyy`, `yyyy-[m]m`, `yyyy-[m]m-[d]d`, and
/// the rest after the day (a time, or anything after a space or `T`), as text. Only a full date
/// may have a rest.
fn date_part(t: &str) -> Option<(NaiveDate, &str)> {
    let digits = |s: &str, min: usize, max: usize| -> Option<(u32, usize)> {
        let n = s.bytes().take_while(u8::is_ascii_digit).count();
        if n < min || n > max {
            return None;
        }
        Some((s[..n].parse().ok()?, n))
    };
    let (year, n) = digits(t, 4, 7)?;
    let mut rest = &t[n..];
    let (mut month, mut day, mut full) = (1, 1, false);
    if let Some(r) = rest.strip_prefix('-') {
        let (m, n) = digits(r, 1, 2)?;
        month = m;
        rest = &r[n..];
        if let Some(r) = rest.strip_prefix('-') {
            let (d, n) = digits(r, 1, 2)?;
            day = d;
            rest = &r[n..];
            full = true;
        }
    }
    if !rest.is_empty() && !full {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    Some((date, rest))
}

/// A timestamp and the zone it names, from Spark's forms: a date part, then optionally a space or
/// `T`, `[h]h:[m]m[:[s]s[.fraction]]`, and a zone.
pub fn parse_timestamp(text: &str) -> Option<(NaiveDateTime, Option<Zone>)> {
    let t = text.trim();
    let (date, rest) = date_part(t)?;
    if rest.is_empty() {
        return Some((date.and_time(NaiveTime::MIN), None));
    }
    let rest = rest.strip_prefix(' ').or_else(|| rest.strip_prefix('T'))?;
    let mut fields = [0u32; 3];
    let mut at = rest;
    for (i, field) in fields.iter_mut().enumerate() {
        if i > 0 {
            match at.strip_prefix(':') {
                Some(r) => at = r,
                None if i == 2 => break,
                None => return None,
            }
        }
        let n = at.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 || n > 2 {
            return None;
        }
        *field = at[..n].parse().ok()?;
        at = &at[n..];
    }
    let mut micros = 0u32;
    if let Some(r) = at.strip_prefix('.') {
        let n = r.bytes().take_while(u8::is_ascii_digit).count();
        // Digits beyond a microsecond are dropped.
        let kept: String = r[..n].chars().chain(std::iter::repeat('0')).take(6).collect();
        micros = kept.parse().ok()?;
        at = &r[n..];
    }
    let time = NaiveTime::from_hms_micro_opt(fields[0], fields[1], fields[2], micros)?;
    let zone_text = at.trim();
    let zone = if zone_text.is_empty() { None } else { Some(Zone::parse(zone_text)?) };
    Some((date.and_time(time), zone))
}

/// A timestamp as Spark prints it: `yyyy-MM-dd HH:mm:ss`, with the fraction to the last non-zero
/// digit.
pub fn timestamp_text(t: &NaiveDateTime) -> String {
    let base = t.format("%Y-%m-%d %H:%M:%S").to_string();
    let micros = t.and_utc().timestamp_subsec_micros();
    if micros == 0 {
        return base;
    }
    let frac = format!("{micros:06}");
    format!("{base}.{}", frac.trim_end_matches('0'))
}

/// The canonical text of a timestamp literal in the session's zone, or None when Spark's forms
/// do not read it (it is left to the planner, which refuses it).
fn canonical_timestamp(text: &str, zone: Zone, keep_zone: bool) -> Option<String> {
    let (local, own) = parse_timestamp(text)?;
    let local = match (own, keep_zone) {
        (Some(own), false) => zone.from_utc(own.to_utc(local)),
        _ => local,
    };
    (local.and_utc().timestamp() >= -62_135_596_800).then(|| timestamp_text(&local))
}

fn canonical_date(text: &str) -> Option<String> {
    let (date, rest) = date_part(text.trim())?;
    if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('T')) {
        return None;
    }
    Some(date.format("%Y-%m-%d").to_string())
}

/// Writes every date and timestamp literal in its canonical form, in the session's zone.
pub fn normalize(stmt: &mut Statement, zone: Zone) {
    struct Literals {
        zone: Zone,
    }
    impl VisitorMut for Literals {
        type Break = ();
        fn post_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
            let Expr::TypedString(ts) = e else { return ControlFlow::Continue(()) };
            let (Value::SingleQuotedString(text) | Value::DoubleQuotedString(text)) = &ts.value.value else {
                return ControlFlow::Continue(());
            };
            let canonical = match &ts.data_type {
                DataType::Date => canonical_date(text),
                DataType::Timestamp(_, TimezoneInfo::None) => canonical_timestamp(text, self.zone, false),
                // A timestamp without a time zone keeps its wall-clock time.
                DataType::TimestampNtz(_) => canonical_timestamp(text, self.zone, true),
                _ => None,
            };
            if let Some(c) = canonical {
                ts.value = Value::SingleQuotedString(c).into();
            }
            ControlFlow::Continue(())
        }
    }
    let _ = stmt.visit(&mut Literals { zone });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hiveql::{parse_one, Flavor};

    fn r(sql: &str, zone: &str) -> String {
        let mut stmt = parse_one(sql, Flavor::Hive).unwrap();
        normalize(&mut stmt, Zone::parse(zone).unwrap());
        stmt.to_string()
    }

    #[test]
    fn literals_take_the_session_zone() {
        let la = "America/Los_Angeles";
        assert_eq!(r("SELECT TIMESTAMP '2018-11-17 13:33:33.123Z'", la), "SELECT TIMESTAMP '2018-11-17 05:33:33.123'");
        assert_eq!(r("SELECT TIMESTAMP '2020-01-01 01:33:33.123Asia/Shanghai'", la), "SELECT TIMESTAMP '2019-12-31 09:33:33.123'");
        assert_eq!(r("SELECT TIMESTAMP '1582-06-01 11:33:33.123UTC+080000'", la), "SELECT TIMESTAMP '1582-05-31 19:40:35.123'");
        assert_eq!(r("SELECT TIMESTAMP '2019-10-15'", la), "SELECT TIMESTAMP '2019-10-15 00:00:00'");
        assert_eq!(r("SELECT timestamp_ltz'2011-11-11 12:12:12'", "UTC"), "SELECT TIMESTAMP '2011-11-11 12:12:12'");
        assert_eq!(r("SELECT timestamp_ntz'2011-11-11 12:12:12Z'", la), "SELECT TIMESTAMP_NTZ '2011-11-11 12:12:12'");
        assert_eq!(r("SELECT DATE '2019-01-01\t'", la), "SELECT DATE '2019-01-01'");
        assert_eq!(r("SELECT DATE '2019-1-2'", la), "SELECT DATE '2019-01-02'");
        assert_eq!(r("SELECT DATE '1999 Jan 08'", la), "SELECT DATE '1999 Jan 08'");
    }
}
