//! Spark reads a lone `!` as NOT before an expression (`! flag`, `WHERE !(a > 1)`), and, with
//! `spark.sql.legacy.bangEqualsNot=true`, in the predicates' NOT too: `x ! IN (1, 2)`,
//! `x ! BETWEEN 0 AND 2`, `s ! LIKE 'a%'`, `x IS ! NULL`. DataFusion plans neither form, so before
//! parsing each such `!` is written as `NOT`. Without the setting a `!` after an expression is
//! left as written, and is a syntax error with its position, as Spark refuses it.

use datafusion::sql::sqlparser::dialect::Dialect;
use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};

use super::parse::{apply_edits, span_offset};

/// The setting that lets `!` stand for a predicate's NOT.
pub const LEGACY_SETTING: &str = "spark.sql.legacy.bangEqualsNot";

/// The text with each `!` Spark reads as NOT written so; None when it has none.
pub fn rewrite(sql: &str, dialect: &dyn Dialect, legacy: bool) -> Option<String> {
    if !sql.contains('!') {
        return None;
    }
    let tokens: Vec<TokenWithSpan> = Tokenizer::new(dialect, sql)
        .tokenize_with_location()
        .ok()?
        .into_iter()
        .filter(|t| !matches!(t.token, Token::Whitespace(_)))
        .collect();
    let mut bangs: Vec<(usize, usize, String)> = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if t.token != Token::ExclamationMark {
            continue;
        }
        let after_expression = i > 0 && ends_expression(&tokens[i - 1].token);
        if after_expression && !legacy {
            continue;
        }
        if let (Some(a), Some(b)) = (span_offset(sql, &t.span.start), span_offset(sql, &t.span.end)) {
            bangs.push((a, b, " NOT ".to_string()));
        }
    }
    apply_edits(sql, bangs)
}

/// Whether a token can end an expression (or is the IS of `x IS ! NULL`), so that a `!` after
/// it is a predicate's NOT rather than a prefix NOT.
fn ends_expression(token: &Token) -> bool {
    match token {
        Token::RParen | Token::RBracket | Token::Number(..) | Token::SingleQuotedString(_) | Token::DoubleQuotedString(_) => true,
        Token::Word(w) => w.quote_style.is_some() || matches!(w.keyword, Keyword::NoKeyword | Keyword::IS | Keyword::NULL | Keyword::TRUE | Keyword::FALSE),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hiveql::dialect::HiveQlDialect;

    fn r(sql: &str, legacy: bool) -> Option<String> {
        rewrite(sql, &HiveQlDialect::default(), legacy)
    }

    #[test]
    fn a_bang_before_an_expression_is_not() {
        assert_eq!(r("SELECT !true, a AND !(b)", false).as_deref(), Some("SELECT  NOT true, a AND  NOT (b)"));
    }

    #[test]
    fn a_bang_after_an_expression_is_not_only_under_the_legacy_setting() {
        assert_eq!(r("SELECT 1 ! IN (2), x IS ! NULL", false), None);
        assert_eq!(r("SELECT 1 ! IN (2), x IS ! NULL", true).as_deref(), Some("SELECT 1  NOT  IN (2), x IS  NOT  NULL"));
    }

    #[test]
    fn inequality_and_quoted_bangs_are_left_alone() {
        assert_eq!(r("SELECT a != b, '!', `x!` -- !", true), None);
    }
}
