//! `INTERVAL '3 year 1 month'`: Spark reads an interval whose units are inside the string, with no
//! qualifier after it, and lets the string begin with the word `interval` and hold tabs. The Hive
//! dialect requires a qualifier, so such a literal is parsed here, and its text is put in the
//! form DataFusion reads. Text Spark refuses is left to the parser, which refuses it too.

use datafusion::sql::sqlparser::ast::{Expr, Interval, Value};
use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::parser::{Parser, ParserError};
use datafusion::sql::sqlparser::tokenizer::Token;

/// The unit words that make a qualifier after the string.
const UNITS: [&str; 20] = [
    "YEAR", "YEARS", "MONTH", "MONTHS", "WEEK", "WEEKS", "DAY", "DAYS", "HOUR", "HOURS", "MINUTE", "MINUTES", "SECOND", "SECONDS",
    "MILLISECOND", "MILLISECONDS", "MICROSECOND", "MICROSECONDS", "NANOSECOND", "NANOSECONDS",
];

/// An `INTERVAL 'text'` with no qualifier after it, when that is what comes next.
pub fn parse(parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
    let Token::Word(w) = parser.peek_nth_token(0).token else { return None };
    if w.keyword != Keyword::INTERVAL {
        return None;
    }
    let Token::SingleQuotedString(text) = parser.peek_nth_token(1).token else { return None };
    if let Token::Word(unit) = parser.peek_nth_token(2).token {
        if UNITS.contains(&unit.value.to_uppercase().as_str()) {
            return None;
        }
    }
    let text = normalized(&text);
    if !well_formed(&text) {
        return None;
    }
    parser.next_token();
    parser.next_token();
    Some(Ok(Expr::Interval(Interval {
        value: Box::new(Expr::value(Value::SingleQuotedString(text))),
        leading_field: None,
        leading_precision: None,
        last_field: None,
        fractional_seconds_precision: None,
    })))
}

/// Whether the text is numbers each followed by a unit, without mixing year-month units with
/// day-time ones (Spark refuses `'1'`, `'1 day 1'` and `'1 month 1 day'` without a qualifier).
fn well_formed(text: &str) -> bool {
    let words: Vec<&str> = text.split(' ').collect();
    if words.is_empty() || !words.len().is_multiple_of(2) {
        return false;
    }
    let (mut year_month, mut day_time) = (false, false);
    for pair in words.chunks(2) {
        let unit = pair[1].to_uppercase();
        if pair[0].parse::<f64>().is_err() || !UNITS.contains(&unit.as_str()) {
            return false;
        }
        if unit.starts_with("YEAR") || unit.starts_with("MONTH") {
            year_month = true;
        } else {
            day_time = true;
        }
    }
    !(year_month && day_time)
}

/// The text with its whitespace made single spaces and a leading `interval` word dropped.
fn normalized(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let words = match words.first() {
        Some(first) if first.eq_ignore_ascii_case("interval") => &words[1..],
        _ => &words[..],
    };
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use crate::hiveql::{parse_one, Flavor};

    #[test]
    fn unqualified_interval_strings_parse() {
        let sql = |s: &str| parse_one(s, Flavor::Hive).unwrap().to_string();
        assert_eq!(sql("SELECT INTERVAL '3 year 1 month'"), "SELECT INTERVAL '3 year 1 month'");
        assert_eq!(sql("SELECT interval 'interval\t1\tday' * 2"), "SELECT INTERVAL '1 day' * 2");
        assert_eq!(sql("SELECT INTERVAL '1' DAY"), "SELECT INTERVAL '1' DAY");
        assert_eq!(sql("SELECT -interval '-1 year 1 month'"), "SELECT -INTERVAL '-1 year 1 month'");
        for refused in ["SELECT interval '1'", "SELECT interval '1 day 1'", "SELECT interval '1 month 1 day'"] {
            assert!(parse_one(refused, Flavor::Hive).is_err(), "{refused}");
        }
    }
}
