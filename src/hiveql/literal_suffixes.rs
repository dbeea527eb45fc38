//! Spark's typed numeric literals: `1L` (BIGINT), `1S` (SMALLINT), `1Y` (TINYINT), `1.5D`
//! (DOUBLE), `1.5F` (FLOAT) and `1.50BD` (DECIMAL(3,2)). The text is rewritten to casts before
//! parsing, since sqlparser reads `1L` as an identifier and `1.5D` as a number with an alias.

use datafusion::sql::sqlparser::dialect::Dialect;
use datafusion::sql::sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};

use super::parse::span_offset;

/// The SQL type a suffix gives a number, or None when it is not a suffix.
fn typed(number: &str, suffix: &str) -> Option<String> {
    let integral = !number.contains(['.', 'e', 'E']);
    Some(match suffix.to_ascii_uppercase().as_str() {
        "L" if integral => "BIGINT".into(),
        "S" if integral => "SMALLINT".into(),
        "Y" if integral => "TINYINT".into(),
        "D" => "DOUBLE".into(),
        "F" => "FLOAT".into(),
        "BD" if !number.contains(['e', 'E']) => {
            let (whole, frac) = number.split_once('.').unwrap_or((number, ""));
            let whole = whole.trim_start_matches('0');
            let scale = frac.len();
            let precision = (whole.len() + scale).max(1).max(scale);
            format!("DECIMAL({precision},{scale})")
        }
        _ => return None,
    })
}

/// Splits `123L` into ("123", "L") and `1.5D` into ("1.5", "D") when the word is a number and a
/// suffix (the tokenizer reads both as words).
fn split_word(word: &str) -> Option<(&str, &str)> {
    let at = word.find(|c: char| !c.is_ascii_digit() && c != '.')?;
    let (number, suffix) = word.split_at(at);
    let valid = number.chars().any(|c| c.is_ascii_digit()) && number.matches('.').count() <= 1;
    valid.then_some((number, suffix))
}

/// The text with typed literals written as casts; None when it has none.
pub fn rewrite(sql: &str, dialect: &dyn Dialect) -> Option<String> {
    // Every typed literal has a digit right before a letter; most statements have none, and are
    // not tokenized again.
    if !sql.as_bytes().windows(2).any(|w| w[0].is_ascii_digit() && w[1].is_ascii_alphabetic()) {
        return None;
    }
    let tokens: Vec<TokenWithSpan> = Tokenizer::new(dialect, sql).tokenize_with_location().ok()?;
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        match &t.token {
            Token::Word(w) if w.quote_style.is_none() => {
                if let Some(ty) = split_word(&w.value).and_then(|(n, s)| typed(n, s).map(|ty| (n, ty))) {
                    if let (Some(a), Some(b)) = (span_offset(sql, &t.span.start), span_offset(sql, &t.span.end)) {
                        edits.push((a, b, format!("CAST({} AS {})", ty.0, ty.1)));
                    }
                }
            }
            Token::Number(n, _) => {
                if let Some(next) = tokens.get(i + 1) {
                    if let Token::Word(w) = &next.token {
                        if w.quote_style.is_none() && next.span.start == t.span.end {
                            if let Some(ty) = typed(n, &w.value) {
                                if let (Some(a), Some(b)) = (span_offset(sql, &t.span.start), span_offset(sql, &next.span.end)) {
                                    edits.push((a, b, format!("CAST({n} AS {ty})")));
                                    i += 1;
                                }
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    if edits.is_empty() {
        return None;
    }
    let mut out = sql.to_string();
    for (a, b, text) in edits.into_iter().rev() {
        out.replace_range(a..b, &text);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hiveql::dialect::HiveQlDialect;

    fn r(sql: &str) -> Option<String> {
        rewrite(sql, &HiveQlDialect::default())
    }

    #[test]
    fn typed_literals_become_casts() {
        assert_eq!(r("SELECT 1L, 2s, 3Y").unwrap(), "SELECT CAST(1 AS BIGINT), CAST(2 AS SMALLINT), CAST(3 AS TINYINT)");
        assert_eq!(r("SELECT 1.5D + 2F").unwrap(), "SELECT CAST(1.5 AS DOUBLE) + CAST(2 AS FLOAT)");
        assert_eq!(r("SELECT 10.50BD").unwrap(), "SELECT CAST(10.50 AS DECIMAL(4,2))");
        assert_eq!(r("SELECT 0.5bd").unwrap(), "SELECT CAST(0.5 AS DECIMAL(1,1))");
    }

    #[test]
    fn other_text_is_left_alone() {
        assert_eq!(r("SELECT 1 L, 'x1L', `1L`, a1l FROM t"), None);
        assert_eq!(r("SELECT 1.5 d FROM t"), None);
    }
}
