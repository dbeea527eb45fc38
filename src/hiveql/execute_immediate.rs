//! Spark's `EXECUTE IMMEDIATE sql [INTO v1, ...] [USING expr [AS name], ...]`, read from the
//! text: the statement (a string literal, a STRING variable or an expression giving one), the
//! variables a query's row goes into, and the values of the statement's `?` or `:name` markers.
//! The engine runs it ([`crate::engine::execute_immediate`]).

use datafusion::sql::sqlparser::dialect::Dialect;
use datafusion::sql::sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};
use hivewire_backend::{BackendError, ErrorKind};

use super::hive_ddl::HiveStatement;
use super::parse::span_offset;

/// The USING values as written, each with its `AS name`.
pub type UsingValues = Vec<(String, Option<String>)>;

fn syntax(message: String) -> BackendError {
    BackendError::new(ErrorKind::Syntax, format!("syntax error: {message}"))
}

fn is_word(t: &Token, w: &str) -> bool {
    matches!(t, Token::Word(x) if x.quote_style.is_none() && x.value.eq_ignore_ascii_case(w))
}

/// Reads `sql` if it is an EXECUTE IMMEDIATE; `Ok(None)` leaves it to the other readers.
pub fn parse(sql: &str, dialect: &dyn Dialect) -> Result<Option<HiveStatement>, BackendError> {
    let head = sql.trim_start();
    if !(head.len() >= 7 && head[..7].eq_ignore_ascii_case("execute")) {
        return Ok(None);
    }
    let Ok(tokens) = Tokenizer::new(dialect, sql).tokenize_with_location() else { return Ok(None) };
    let tokens: Vec<TokenWithSpan> = tokens.into_iter().filter(|t| !matches!(t.token, Token::Whitespace(_) | Token::SemiColon)).collect();
    if !(tokens.len() >= 2 && is_word(&tokens[0].token, "execute") && is_word(&tokens[1].token, "immediate")) {
        return Ok(None);
    }
    // The clauses: the statement, then INTO and USING at the top level, in either order.
    let mut depth = 0i32;
    let mut marks: Vec<(usize, &str)> = Vec::new();
    for (i, t) in tokens.iter().enumerate().skip(2) {
        match &t.token {
            Token::LParen => depth += 1,
            Token::RParen => depth -= 1,
            tok if depth == 0 && is_word(tok, "into") => marks.push((i, "into")),
            tok if depth == 0 && is_word(tok, "using") => marks.push((i, "using")),
            _ => {}
        }
    }
    let offset = |i: usize| tokens.get(i).and_then(|t| span_offset(sql, &t.span.start)).unwrap_or(sql.len());
    let text = |from: usize, to: usize| sql[offset(from)..offset(to).max(offset(from))].trim().trim_end_matches(';').trim().to_string();
    let end = tokens.len();
    let first_clause = marks.first().map_or(end, |(i, _)| *i);
    let statement = text(2, first_clause);
    if statement.is_empty() {
        return Err(syntax("EXECUTE IMMEDIATE needs the statement to run".into()));
    }
    let mut into = Vec::new();
    let mut using = Vec::new();
    for (k, (at, kind)) in marks.iter().enumerate() {
        let stop = marks.get(k + 1).map_or(end, |(i, _)| *i);
        let body = &tokens[at + 1..stop];
        if *kind == "into" {
            into = names(body)?;
        } else {
            using = values(body, &text, at + 1)?;
        }
    }
    Ok(Some(HiveStatement::ExecuteImmediate { statement, into, using }))
}

/// The variables after INTO: names joined by commas, each `v`, `session.v` or `system.session.v`.
fn names(tokens: &[TokenWithSpan]) -> Result<Vec<String>, BackendError> {
    let mut out = Vec::new();
    let mut parts = Vec::new();
    for t in tokens {
        match &t.token {
            Token::Word(w) => parts.push(w.value.clone()),
            Token::Period => {}
            Token::Comma if !parts.is_empty() => out.push(super::variables::qualified_name(&std::mem::take(&mut parts))?),
            other => return Err(syntax(format!("INTO takes variable names, found: {other}"))),
        }
    }
    if parts.is_empty() {
        return Err(syntax("INTO needs a variable".into()));
    }
    out.push(super::variables::qualified_name(&parts)?);
    Ok(out)
}

/// The values after USING, each with its `AS name`; a list in parentheses is the same list.
fn values(tokens: &[TokenWithSpan], text: &dyn Fn(usize, usize) -> String, base: usize) -> Result<UsingValues, BackendError> {
    let (mut from, mut to) = (0, tokens.len());
    if tokens.first().map(|t| &t.token) == Some(&Token::LParen) && tokens.last().map(|t| &t.token) == Some(&Token::RParen) {
        (from, to) = (1, tokens.len() - 1);
    }
    let mut items: Vec<(usize, usize)> = Vec::new();
    let mut depth = 0i32;
    let mut start = from;
    for (i, t) in tokens.iter().enumerate().take(to).skip(from) {
        match t.token {
            Token::LParen => depth += 1,
            Token::RParen => depth -= 1,
            Token::Comma if depth == 0 => {
                items.push((start, i));
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push((start, to));
    let mut out = Vec::new();
    for (a, b) in items {
        if a >= b {
            return Err(syntax("USING needs a value".into()));
        }
        // `expr AS name`
        let item = &tokens[a..b];
        let named = item.len() >= 3 && is_word(&item[item.len() - 2].token, "as");
        let (expr_end, name) = match (named, item.last().map(|t| &t.token)) {
            (true, Some(Token::Word(w))) => (b - 2, Some(w.value.to_lowercase())),
            _ => (b, None),
        };
        out.push((text(base + a, base + expr_end), name));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hiveql::dialect::HiveQlDialect;

    fn read(sql: &str) -> (String, Vec<String>, UsingValues) {
        match parse(sql, &HiveQlDialect::default()).unwrap().unwrap() {
            HiveStatement::ExecuteImmediate { statement, into, using } => (statement, into, using),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn reads_the_clauses() {
        let (statement, into, using) = read("EXECUTE IMMEDIATE 'SELECT ? , :x' INTO a, session.b USING 1 + 1, 'y' AS x;");
        assert_eq!(statement, "'SELECT ? , :x'");
        assert_eq!(into, vec!["a".to_string(), "b".to_string()]);
        assert_eq!(using, vec![("1 + 1".to_string(), None), ("'y'".to_string(), Some("x".to_string()))]);
        let (statement, into, using) = read("EXECUTE IMMEDIATE sql_string USING (a, 'name2')");
        assert_eq!((statement.as_str(), into.len()), ("sql_string", 0));
        assert_eq!(using, vec![("a".to_string(), None), ("'name2'".to_string(), None)]);
        assert!(parse("EXECUTE stmt", &HiveQlDialect::default()).unwrap().is_none());
    }
}
