//! Spark's typed numeric literals: `1L` (BIGINT), `1S` (SMALLINT), `1Y` (TINYINT), `1.5D`
//! (DOUBLE), `1.5F` (FLOAT) and `1.50BD` (DECIMAL(3,2)). sqlparser reads `1L` as an identifier and
//! `1.5D` as a number with an alias, so before parsing the text is rewritten to a marker call,
//! `hivewire_typed_literal(1, 'BIGINT')`: [`super::spark_names`] names its column after the number
//! alone, as Spark does, and [`super::spark_types`] then makes it a cast.

use datafusion::sql::sqlparser::dialect::Dialect;
use datafusion::sql::sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};

use super::parse::{apply_edits, span_offset};

/// The marker function a typed literal is written as until it is planned.
pub const TYPED_LITERAL: &str = "hivewire_typed_literal";

/// The cast a suffix makes of a number, or None when it is not a suffix.
fn typed(number: &str, suffix: &str) -> Option<String> {
    let integral = !number.contains(['.', 'e', 'E']);
    let mut number = number.to_string();
    let ty = match suffix.to_ascii_uppercase().as_str() {
        "L" if integral => "BIGINT".into(),
        "S" if integral => "SMALLINT".into(),
        "Y" if integral => "TINYINT".into(),
        "D" => "DOUBLE".into(),
        "F" => "FLOAT".into(),
        "BD" => {
            number = plain_decimal(&number)?;
            let (whole, frac) = number.split_once('.').unwrap_or((&number, ""));
            let whole = whole.trim_start_matches('0');
            let scale = frac.len();
            let precision = (whole.len() + scale).max(1).max(scale);
            format!("DECIMAL({precision},{scale})")
        }
        _ => return None,
    };
    Some(format!("{TYPED_LITERAL}({number}, '{ty}')"))
}

/// A decimal number written without an exponent: `20E2` is `2000`, `1.5e-2` is `0.015`.
fn plain_decimal(number: &str) -> Option<String> {
    let Some((mantissa, exponent)) = number.split_once(['e', 'E']) else { return Some(number.to_string()) };
    let exponent: i64 = exponent.parse().ok()?;
    let (whole, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{whole}{frac}");
    let point = i64::try_from(whole.len()).ok()? + exponent;
    if !(-1000..=1000).contains(&point) || digits.is_empty() {
        return None;
    }
    let len = i64::try_from(digits.len()).ok()?;
    let text = if point <= 0 {
        format!("0.{}{digits}", "0".repeat(usize::try_from(-point).ok()?))
    } else if point >= len {
        format!("{digits}{}", "0".repeat(usize::try_from(point - len).ok()?))
    } else {
        let at = usize::try_from(point).ok()?;
        format!("{}.{}", &digits[..at], &digits[at..])
    };
    Some(text)
}

/// Splits `123L` into ("123", "L") and `1.5D` into ("1.5", "D") when the word is a number and a
/// suffix (the tokenizer reads both as words).
fn split_word(word: &str) -> Option<(&str, &str)> {
    let at = word.find(|c: char| !c.is_ascii_digit() && c != '.')?;
    let (number, suffix) = word.split_at(at);
    let valid = number.chars().any(|c| c.is_ascii_digit()) && number.matches('.').count() <= 1;
    valid.then_some((number, suffix))
}

/// Whether the number at `i` is followed, without a space, by a word (its suffix).
fn suffixed(tokens: &[TokenWithSpan], i: usize) -> bool {
    tokens.get(i + 1).is_some_and(|next| matches!(&next.token, Token::Word(w) if w.quote_style.is_none()) && next.span.start == tokens[i].span.end)
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
                if let Some(cast) = split_word(&w.value).and_then(|(n, s)| typed(n, s)) {
                    if let (Some(a), Some(b)) = (span_offset(sql, &t.span.start), span_offset(sql, &t.span.end)) {
                        edits.push((a, b, cast));
                    }
                }
            }
            // A number in scientific notation is a DOUBLE in Spark, where others with a
            // fraction are DECIMAL.
            Token::Number(n, _) if n.contains(['e', 'E']) && !suffixed(&tokens, i) => {
                if let (Some(a), Some(b)) = (span_offset(sql, &t.span.start), span_offset(sql, &t.span.end)) {
                    edits.push((a, b, format!("{TYPED_LITERAL}({n}, 'DOUBLE')")));
                }
            }
            Token::Number(n, _) => {
                if let Some(next) = tokens.get(i + 1) {
                    if let Token::Word(w) = &next.token {
                        if w.quote_style.is_none() && next.span.start == t.span.end {
                            if let Some(cast) = typed(n, &w.value) {
                                if let (Some(a), Some(b)) = (span_offset(sql, &t.span.start), span_offset(sql, &next.span.end)) {
                                    edits.push((a, b, cast));
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
    apply_edits(sql, edits)
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
        let t = |n: &str, ty: &str| format!("{TYPED_LITERAL}({n}, '{ty}')");
        assert_eq!(r("SELECT 1L, 2s").unwrap(), format!("SELECT {}, {}", t("1", "BIGINT"), t("2", "SMALLINT")));
        assert_eq!(r("SELECT 1.5D + 2F").unwrap(), format!("SELECT {} + {}", t("1.5", "DOUBLE"), t("2", "FLOAT")));
        assert_eq!(r("SELECT 10.50BD, 0.5bd").unwrap(), format!("SELECT {}, {}", t("10.50", "DECIMAL(4,2)"), t("0.5", "DECIMAL(1,1)")));
        assert_eq!(r("SELECT 20E2BD, 3Y").unwrap(), format!("SELECT {}, {}", t("2000", "DECIMAL(4,0)"), t("3", "TINYINT")));
        assert_eq!(r("SELECT 1e3, 1.5E-2").unwrap(), format!("SELECT {}, {}", t("1e3", "DOUBLE"), t("1.5E-2", "DOUBLE")));
    }

    #[test]
    fn other_text_is_left_alone() {
        assert_eq!(r("SELECT 1 L, 'x1L', `1L`, a1l FROM t"), None);
        assert_eq!(r("SELECT 1.5 d FROM t"), None);
    }
}
