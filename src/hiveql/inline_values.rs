//! Spark's inline tables without parentheses: `FROM VALUES (1, 'a'), (2, 'b') AS t(x, y)`.
//!
//! sqlparser reads `VALUES` in a FROM clause only inside parentheses, so the text is rewritten
//! before parsing: `FROM (VALUES (1, 'a'), (2, 'b')) AS t(x, y)`. Spark names the columns of an
//! inline table without a column list `col1`, `col2`, ...; the rewrite writes that list out, so
//! the names match Spark's rather than DataFusion's `column1`.

use datafusion::sql::sqlparser::dialect::Dialect;
use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};

use super::parse::span_offset;

/// Words that end an inline table where an alias could stand.
const CLAUSE_WORDS: &[Keyword] = &[
    Keyword::WHERE, Keyword::GROUP, Keyword::ORDER, Keyword::HAVING, Keyword::LIMIT, Keyword::JOIN,
    Keyword::INNER, Keyword::LEFT, Keyword::RIGHT, Keyword::FULL, Keyword::CROSS, Keyword::NATURAL,
    Keyword::ON, Keyword::UNION, Keyword::EXCEPT, Keyword::INTERSECT, Keyword::WINDOW, Keyword::LATERAL,
    Keyword::SORT, Keyword::CLUSTER, Keyword::DISTRIBUTE, Keyword::USING, Keyword::MINUS, Keyword::PIVOT,
    Keyword::UNPIVOT, Keyword::TABLESAMPLE, Keyword::OFFSET, Keyword::ANTI, Keyword::SEMI,
];

/// The text with every parenthesis-free inline table in a FROM or JOIN wrapped; None when there
/// is none (or the text does not tokenize, which the parser will then report). In HiveQL (`hive`),
/// a query that is only a VALUES list, with or without an alias, is made a SELECT from it, so that
/// its columns get Spark's names and its alias is read.
pub fn wrap(sql: &str, dialect: &dyn Dialect, hive: bool) -> Option<String> {
    if !sql.to_ascii_lowercase().contains("values") {
        return None;
    }
    let tokens = Tokenizer::new(dialect, sql).tokenize_with_location().ok()?;
    let sig: Vec<&TokenWithSpan> =
        tokens.iter().filter(|t| !matches!(t.token, Token::Whitespace(_) | Token::EOF)).collect();
    let mut edits: Vec<(usize, String)> = Vec::new();
    for k in 0..sig.len() {
        if !is_word(sig[k], Keyword::VALUES) {
            continue;
        }
        let in_from = k > 0 && (is_word(sig[k - 1], Keyword::FROM) || is_word(sig[k - 1], Keyword::JOIN));
        // A query that is only VALUES: the whole statement, or a view's or table's `AS VALUES`.
        let standalone = hive && (k == 0 || is_word(sig[k - 1], Keyword::AS));
        if !in_from && !standalone {
            continue;
        }
        if let Some(mut e) = wrap_one(sql, &sig, k) {
            if standalone {
                e.push((start(sql, sig[k])?, "SELECT * FROM ".to_string()));
            }
            edits.append(&mut e);
        }
    }
    if edits.is_empty() {
        return None;
    }
    // Insertions at one offset are made in list order, each before the one made earlier there.
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = sql.to_string();
    for (at, text) in edits {
        out.insert_str(at, &text);
    }
    Some(out)
}

fn is_word(t: &TokenWithSpan, k: Keyword) -> bool {
    matches!(&t.token, Token::Word(w) if w.keyword == k && w.quote_style.is_none())
}

fn start(sql: &str, t: &TokenWithSpan) -> Option<usize> {
    span_offset(sql, &t.span.start)
}

fn end(sql: &str, t: &TokenWithSpan) -> Option<usize> {
    span_offset(sql, &t.span.end)
}

/// The insertions for the inline table whose VALUES is `sig[k]`.
fn wrap_one(sql: &str, sig: &[&TokenWithSpan], k: usize) -> Option<Vec<(usize, String)>> {
    let mut j = k + 1;
    let mut columns = None;
    // sqlparser reads only parenthesised rows, so bare one-value rows get their parentheses.
    let mut row_parens = Vec::new();
    loop {
        let t = sig.get(j)?;
        if t.token == Token::LParen {
            let (close, n) = matching_paren(sig, j)?;
            columns.get_or_insert(n);
            j = close + 1;
        } else {
            // A row of one bare value: `VALUES 1, 2` or `VALUES -1.5, 'a'`.
            let row_start = start(sql, t)?;
            if matches!(t.token, Token::Minus | Token::Plus) {
                j += 1;
            }
            let v = sig.get(j)?;
            let literal = matches!(
                &v.token,
                Token::Number(..) | Token::SingleQuotedString(_) | Token::DoubleQuotedString(_)
            ) || is_word(v, Keyword::NULL) || is_word(v, Keyword::TRUE) || is_word(v, Keyword::FALSE);
            if !literal {
                return None;
            }
            columns.get_or_insert(1);
            row_parens.extend([(row_start, "(".to_string()), (end(sql, v)?, ")".to_string())]);
            j += 1;
        }
        if sig.get(j).is_some_and(|t| t.token == Token::Comma) {
            j += 1;
            continue;
        }
        break;
    }
    let columns = columns?;
    let rows_end = end(sql, sig[j - 1])?;
    let mut edits = vec![(start(sql, sig[k])?, "(".to_string())];
    edits.append(&mut row_parens);
    let names = (1..=columns).map(|i| format!("col{i}")).collect::<Vec<_>>().join(", ");
    let explicit_as = sig.get(j).is_some_and(|t| is_word(t, Keyword::AS));
    let alias_at = if explicit_as { j + 1 } else { j };
    let alias = sig.get(alias_at).filter(|t| match &t.token {
        Token::Word(w) => explicit_as || w.quote_style.is_some() || !CLAUSE_WORDS.contains(&w.keyword),
        _ => false,
    });
    match alias {
        Some(_) if sig.get(alias_at + 1).is_some_and(|t| t.token == Token::LParen) => edits.push((rows_end, ")".into())),
        Some(a) => edits.extend([(rows_end, ")".into()), (end(sql, a)?, format!("({names})"))]),
        None => edits.push((rows_end, format!(") AS inline_table({names})"))),
    }
    Some(edits)
}

/// The index of the parenthesis closing the one at `open`, and how many top-level items it holds.
fn matching_paren(sig: &[&TokenWithSpan], open: usize) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut items = 1;
    for (i, t) in sig.iter().enumerate().skip(open) {
        match t.token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth -= 1;
                if depth == 0 {
                    return Some((i, items));
                }
            }
            Token::Comma if depth == 1 => items += 1,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hiveql::dialect::HiveQlDialect;

    fn w(sql: &str) -> Option<String> {
        wrap(sql, &HiveQlDialect::default(), true)
    }

    #[test]
    fn wraps_inline_tables_and_names_their_columns_as_spark_does() {
        assert_eq!(
            w("SELECT * FROM VALUES (1, 2), (3, 4) AS t(a, b)").unwrap(),
            "SELECT * FROM (VALUES (1, 2), (3, 4)) AS t(a, b)"
        );
        assert_eq!(w("SELECT * FROM VALUES (1, 'x') t").unwrap(), "SELECT * FROM (VALUES (1, 'x')) t(col1, col2)");
        assert_eq!(
            w("select a from values (1), (2) where a > 1").unwrap(),
            "select a from (values (1), (2)) AS inline_table(col1) where a > 1"
        );
        assert_eq!(w("SELECT * FROM VALUES 1, -2 AS t(a)").unwrap(), "SELECT * FROM (VALUES (1), (-2)) AS t(a)");
        assert_eq!(
            w("SELECT * FROM t JOIN VALUES (1, (2 + 3)) AS v(a, b) ON t.a = v.a").unwrap(),
            "SELECT * FROM t JOIN (VALUES (1, (2 + 3))) AS v(a, b) ON t.a = v.a"
        );
    }

    #[test]
    fn queries_that_are_only_values_become_selects() {
        assert_eq!(
            w("CREATE VIEW v AS VALUES (1, 'a'), (2, 'b') tbl(c1, c2)").unwrap(),
            "CREATE VIEW v AS SELECT * FROM (VALUES (1, 'a'), (2, 'b')) tbl(c1, c2)"
        );
        assert_eq!(w("VALUES (1), (2)").unwrap(), "SELECT * FROM (VALUES (1), (2)) AS inline_table(col1)");
        assert_eq!(wrap("VALUES (1)", &HiveQlDialect::default(), false), None);
    }

    #[test]
    fn leaves_other_values_alone() {
        assert_eq!(w("INSERT INTO t VALUES (1, 2)"), None);
        assert_eq!(w("SELECT * FROM (VALUES (1)) t"), None);
        assert_eq!(w("SELECT 'values'"), None);
    }
}
