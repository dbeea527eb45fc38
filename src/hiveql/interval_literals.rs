//! Interval literals in every form Spark reads: `INTERVAL '1-2' YEAR TO MONTH`, `INTERVAL -'1' DAY`,
//! `INTERVAL 3 week 8 millisecond`, `INTERVAL '30' year '25' month` and `INTERVAL '3 year 1 month'`.
//! Each is parsed here into its ANSI value ([`AnsiInterval`]) and put back into the statement in
//! one canonical form, Spark's own (`INTERVAL '21 00:00:00.008' DAY TO SECOND`), so that names
//! and later rewrites see one spelling. What Spark refuses (year-month units mixed with day-time
//! ones, a string that does not match its qualifier) is refused here, with Spark's reason.

use datafusion::sql::sqlparser::ast::{DateTimeField, Expr, Interval, Value};
use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::parser::{Parser, ParserError};
use datafusion::sql::sqlparser::tokenizer::Token;

use super::ansi_intervals::{AnsiInterval, Field};

/// The unit words of an interval literal.
const UNITS: [&str; 20] = [
    "YEAR", "YEARS", "MONTH", "MONTHS", "WEEK", "WEEKS", "DAY", "DAYS", "HOUR", "HOURS", "MINUTE", "MINUTES", "SECOND", "SECONDS",
    "MILLISECOND", "MILLISECONDS", "MICROSECOND", "MICROSECONDS", "NANOSECOND", "NANOSECONDS",
];

/// A value token of an interval literal: a string or a number, and whether it is a string.
fn value_at(parser: &Parser, n: usize) -> Option<(String, bool)> {
    match parser.peek_nth_token(n).token {
        Token::SingleQuotedString(s) | Token::DoubleQuotedString(s) => Some((s, true)),
        Token::Number(s, _) => Some((s, false)),
        _ => None,
    }
}

fn unit_at(parser: &Parser, n: usize) -> Option<String> {
    match parser.peek_nth_token(n).token {
        Token::Word(w) if UNITS.contains(&w.value.to_uppercase().as_str()) => Some(w.value),
        _ => None,
    }
}

/// A signed value at token n: (tokens it takes, negated, text, quoted).
fn signed_value_at(parser: &Parser, n: usize) -> Option<(usize, bool, String, bool)> {
    let (skip, negated) = match parser.peek_nth_token(n).token {
        Token::Minus => (1, true),
        Token::Plus => (1, false),
        _ => (0, false),
    };
    let (text, quoted) = value_at(parser, n + skip)?;
    Some((skip + 1, negated, text, quoted))
}

/// An interval literal, when one comes next.
pub fn parse(parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
    let Token::Word(w) = parser.peek_nth_token(0).token else { return None };
    if w.keyword != Keyword::INTERVAL {
        return None;
    }
    let (taken, negated, text, quoted) = signed_value_at(parser, 1)?;
    let mut at = 1 + taken;
    let value = match unit_at(parser, at) {
        // No unit after the string: the units are inside it.
        None if quoted => {
            unit_string(&text).and_then(|v| if negated { v.negated() } else { Ok(v) })
        }
        None => return None,
        Some(unit) => {
            let to_unit = match (parser.peek_nth_token(at + 1).token, unit_at(parser, at + 2)) {
                (Token::Word(t), Some(last)) if t.keyword == Keyword::TO => Some(last),
                _ => None,
            };
            match to_unit {
                Some(last) => {
                    at += 3;
                    qualified(&signed(&text, negated), &unit, &last)
                }
                None => {
                    let mut parts = vec![(signed(&text, negated), unit)];
                    at += 1;
                    let mut valid = !(quoted && text.chars().any(char::is_alphabetic));
                    // Further value-unit pairs; a unit word alone after them is an alias.
                    while let Some((taken, negated, text, quoted)) = signed_value_at(parser, at) {
                        let Some(unit) = unit_at(parser, at + taken) else { break };
                        valid &= !(quoted && text.chars().any(char::is_alphabetic));
                        parts.push((signed(&text, negated), unit));
                        at += taken + 1;
                    }
                    if valid {
                        AnsiInterval::from_units(&parts)
                    } else {
                        Err("an interval value may not hold units when units follow it".into())
                    }
                }
            }
        }
    };
    let literal: String = (0..at).map(|i| parser.peek_nth_token(i).token.to_string()).collect::<Vec<_>>().join(" ");
    for _ in 0..at {
        parser.next_token();
    }
    Some(match value {
        Ok(v) => Ok(canonical(&v)),
        Err(reason) => Err(ParserError::ParserError(format!("Cannot parse the interval literal {literal}: {reason}"))),
    })
}

/// The canonical literal of an interval: its Spark text and qualifier.
pub fn canonical(v: &AnsiInterval) -> Expr {
    let field = |f: Field| match f {
        Field::Year => DateTimeField::Year,
        Field::Month => DateTimeField::Month,
        Field::Day => DateTimeField::Day,
        Field::Hour => DateTimeField::Hour,
        Field::Minute => DateTimeField::Minute,
        Field::Second => DateTimeField::Second,
    };
    Expr::Interval(Interval {
        value: Box::new(Expr::value(Value::SingleQuotedString(v.body()))),
        leading_field: Some(field(v.start())),
        leading_precision: None,
        last_field: (v.end() != v.start()).then(|| field(v.end())),
        fractional_seconds_precision: None,
    })
}

/// The value of a canonical literal (or of any literal whose text matches its qualifier).
pub fn value_of(i: &Interval) -> Option<AnsiInterval> {
    let Expr::Value(v) = i.value.as_ref() else { return None };
    let (Value::SingleQuotedString(text) | Value::DoubleQuotedString(text)) = &v.value else { return None };
    let start = Field::from_word(&i.leading_field.as_ref()?.to_string())?;
    let end = match &i.last_field {
        Some(f) => Field::from_word(&f.to_string())?,
        None => start,
    };
    AnsiInterval::from_qualified(text, start, end).ok()
}

/// A value with a sign before it: `-'-1'` is `1`.
fn signed(text: &str, negated: bool) -> String {
    match (negated, text.trim_start().strip_prefix('-')) {
        (false, _) => text.to_string(),
        (true, Some(positive)) => positive.to_string(),
        (true, None) => format!("-{text}"),
    }
}

fn qualified(text: &str, leading: &str, last: &str) -> Result<AnsiInterval, String> {
    let start = Field::from_word(leading).ok_or_else(|| format!("{leading} cannot begin an interval qualifier"))?;
    let end = Field::from_word(last).ok_or_else(|| format!("{last} cannot end an interval qualifier"))?;
    AnsiInterval::from_qualified(text, start, end)
}

/// `'3 year 1 month'`, `'interval 1 day'`: words split by any whitespace, a leading `interval`
/// word dropped, each number followed by its unit.
fn unit_string(text: &str) -> Result<AnsiInterval, String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let words = match words.first() {
        Some(first) if first.eq_ignore_ascii_case("interval") => &words[1..],
        _ => &words[..],
    };
    if words.is_empty() || !words.len().is_multiple_of(2) {
        return Err(format!("'{text}' is not a list of values with their units"));
    }
    let parts: Vec<(String, String)> = words.chunks(2).map(|p| (p[0].to_string(), p[1].to_string())).collect();
    AnsiInterval::from_units(&parts)
}

#[cfg(test)]
mod tests {
    use crate::hiveql::{parse_one, Flavor};

    fn sql(s: &str) -> String {
        parse_one(s, Flavor::Hive).unwrap().to_string()
    }

    #[test]
    fn every_form_becomes_the_canonical_literal() {
        assert_eq!(sql("SELECT INTERVAL '3 year 1 month'"), "SELECT INTERVAL '3-1' YEAR TO MONTH");
        assert_eq!(sql("SELECT interval 'interval\t1\tday' * 2"), "SELECT INTERVAL '1' DAY * 2");
        assert_eq!(sql("SELECT INTERVAL '1' DAY"), "SELECT INTERVAL '1' DAY");
        assert_eq!(sql("SELECT -interval '-1 year 1 month'"), "SELECT -INTERVAL '-0-11' YEAR TO MONTH");
        assert_eq!(sql("SELECT interval 2 years 4 months"), "SELECT INTERVAL '2-4' YEAR TO MONTH");
        assert_eq!(sql("SELECT interval -'-1' year"), "SELECT INTERVAL '1' YEAR");
        assert_eq!(sql("SELECT interval - '1 2:3:4.001' day to second"), "SELECT INTERVAL '-1 02:03:04.001' DAY TO SECOND");
        assert_eq!(sql("SELECT interval '30' year '25' month"), "SELECT INTERVAL '32-1' YEAR TO MONTH");
        assert_eq!(sql("SELECT interval 30 day day"), "SELECT INTERVAL '30' DAY AS day");
        assert_eq!(sql("SELECT interval 1 day + interval 2 hours"), "SELECT INTERVAL '1' DAY + INTERVAL '02' HOUR");
    }

    #[test]
    fn what_spark_refuses_is_refused() {
        for refused in [
            "SELECT interval '1'",
            "SELECT interval '1 day 1'",
            "SELECT interval '1 month 1 day'",
            "SELECT interval 1 year 2 day",
            "SELECT interval '1 day 2' hour",
            "SELECT interval '1 24' day to hour",
        ] {
            assert!(parse_one(refused, Flavor::Hive).is_err(), "{refused}");
        }
    }
}
