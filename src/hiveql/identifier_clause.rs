//! Spark's `IDENTIFIER(...)` clause: a name given as constant text, wherever a name may stand
//! (`SELECT IDENTIFIER('c1') FROM t`, `FROM IDENTIFIER('s.' || 'tab')`, `IDENTIFIER('abs')(x)`,
//! `CREATE TABLE IDENTIFIER('t') ...`). Before parsing, each clause whose argument is string
//! literals and STRING session variables joined by `||` is written as the name the text holds.
//! The text must read as a name (parts of letters, digits and `_`, or in backquotes, joined by
//! dots), so that it can never add anything else to the statement; other arguments (a column,
//! a function call) are left as written, and fail as an unknown function.

use datafusion::sql::sqlparser::dialect::Dialect;
use datafusion::sql::sqlparser::tokenizer::{Token, TokenWithSpan};

use super::parse::{apply_edits, span_offset};
use super::variables::Tokens;

/// The text with each constant `IDENTIFIER(...)` written as its name; None when it has none.
/// `variables` are the session's STRING variables, by lower-cased name.
pub fn rewrite(sql: &str, dialect: &dyn Dialect, variables: &[(String, String)]) -> Option<String> {
    if !sql.to_ascii_lowercase().contains("identifier") {
        return None;
    }
    let mut reader = Tokens::read(sql, dialect)?;
    let mut edits = Vec::new();
    let mut i = 0;
    while i < reader.tokens.len() {
        if let Some((name, end)) = clause_at(&mut reader, i, variables) {
            let tokens = &reader.tokens;
            if let (Some(a), Some(b)) = (span_offset(sql, &tokens[i].span.start), span_offset(sql, &tokens[end].span.end)) {
                edits.push((a, b, name));
                i = end + 1;
                continue;
            }
        }
        i += 1;
    }
    apply_edits(sql, edits)
}

/// The name of an `IDENTIFIER('...' || ...)` clause starting at token `i`, with the index of its
/// closing parenthesis.
fn clause_at(reader: &mut Tokens<'_>, i: usize, variables: &[(String, String)]) -> Option<(String, usize)> {
    let tokens = &reader.tokens;
    let is_clause = matches!(&tokens[i].token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("identifier"));
    if !is_clause || tokens.get(i + 1)?.token != Token::LParen || !allowed_after(tokens, i) {
        return None;
    }
    let mut text = String::new();
    let mut j = i + 2;
    loop {
        match &reader.tokens.get(j)?.token {
            Token::SingleQuotedString(s) | Token::DoubleQuotedString(s) => text.push_str(s),
            Token::Word(_) => {
                // A variable: `v`, `session.v` or `system.session.v`.
                reader.at = j;
                let name = reader.name().ok()?;
                text.push_str(&variables.iter().find(|(n, _)| *n == name)?.1);
                j = reader.at - 1;
            }
            _ => return None,
        }
        j += 1;
        let tokens = &reader.tokens;
        match &tokens.get(j)?.token {
            Token::StringConcat => j += 1,
            Token::RParen => break,
            _ => return None,
        }
    }
    // `IDENTIFIER('t').c1` is not a qualifier in Spark.
    if reader.tokens.get(j + 1).is_some_and(|t| t.token == Token::Period) {
        return None;
    }
    is_name(&text).then_some((text, j))
}

/// Whether Spark takes a clause at token `i`, by what comes before it: not a field
/// (`s.IDENTIFIER('a')`), a window name (after OVER or WINDOW), a CTE name (after WITH), a USING
/// column list, or a column of a CREATE TABLE or VIEW list or a CTE's list.
fn allowed_after(tokens: &[TokenWithSpan], i: usize) -> bool {
    let back = |n: usize| i.checked_sub(n).and_then(|k| tokens.get(k)).map(|t| &t.token);
    let word = |t: Option<&Token>, w: &str| matches!(t, Some(Token::Word(x)) if x.quote_style.is_none() && x.value.eq_ignore_ascii_case(w));
    match back(1) {
        Some(Token::Period) => false,
        t if word(t, "over") || word(t, "window") || word(t, "with") => false,
        Some(Token::LParen) => {
            let before = back(2);
            let definition = matches!(before, Some(Token::Word(_))) && (word(back(3), "table") || word(back(3), "view"));
            !(word(before, "using") || matches!(before, Some(Token::RParen)) || definition)
        }
        _ => true,
    }
}

/// Whether text reads as a (possibly qualified) name: parts of letters, digits and `_`, or in
/// backquotes (a backquote inside doubled), joined by dots.
fn is_name(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    loop {
        if chars.get(i) == Some(&'`') {
            i += 1;
            loop {
                match chars.get(i) {
                    None => return false,
                    Some('`') if chars.get(i + 1) == Some(&'`') => i += 2,
                    Some('`') => break,
                    Some(_) => i += 1,
                }
            }
            i += 1;
        } else {
            let start = i;
            while chars.get(i).is_some_and(|c| c.is_alphanumeric() || *c == '_') {
                i += 1;
            }
            if i == start {
                return false;
            }
        }
        match chars.get(i) {
            None => return true,
            Some('.') => i += 1,
            Some(_) => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hiveql::dialect::HiveQlDialect;

    fn r(sql: &str) -> Option<String> {
        rewrite(sql, &HiveQlDialect::default(), &[("v".to_string(), "tab".to_string())])
    }

    #[test]
    fn constant_clauses_become_names() {
        assert_eq!(r("SELECT IDENTIFIER('c' || '1') FROM t").as_deref(), Some("SELECT c1 FROM t"));
        assert_eq!(r("SELECT * FROM identifier('`s`.tab')").as_deref(), Some("SELECT * FROM `s`.tab"));
        assert_eq!(r("SELECT IDENTIFIER('abs')(x), IDENTIFIER('`c 1`')").as_deref(), Some("SELECT abs(x), `c 1`"));
        assert_eq!(r("CREATE TABLE IDENTIFIER('s.' || 'tab')(c1 INT)").as_deref(), Some("CREATE TABLE s.tab(c1 INT)"));
    }

    #[test]
    fn other_text_is_left_alone() {
        assert_eq!(r("SELECT * FROM IDENTIFIER(session.v || '_1')").as_deref(), Some("SELECT * FROM tab_1"));
        assert_eq!(r("SELECT IDENTIFIER(w) FROM t"), None);
        assert_eq!(r("SELECT IDENTIFIER('a; DROP TABLE t') FROM t"), None);
        assert_eq!(r("SELECT 'identifier' FROM t"), None);
        assert_eq!(r("SELECT IDENTIFIER('a b')"), None);
        assert_eq!(r("SELECT IDENTIFIER('t').c1, s.IDENTIFIER('a') FROM t"), None);
        assert_eq!(r("CREATE TABLE tab(IDENTIFIER('c1') INT)"), None);
        assert_eq!(r("SELECT * FROM a JOIN b USING (IDENTIFIER('c1'))"), None);
        assert_eq!(r("SELECT count(IDENTIFIER('c1')) FROM t").as_deref(), Some("SELECT count(c1) FROM t"));
    }
}
