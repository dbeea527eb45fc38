//! Spark's session variable statements, read from the text: `DECLARE [OR REPLACE] [VARIABLE|VAR]
//! name [type] [DEFAULT|= expr]`, `SET VAR|VARIABLE name = expr [, ...]` (an expression may be
//! `DEFAULT`), `SET VAR|VARIABLE (a, b) = (query)` and `DROP TEMPORARY VARIABLE|VAR [IF EXISTS]
//! name`. A name may be qualified as `session.name` or `system.session.name`. Types and
//! expressions are kept as written; the engine plans them as any query's
//! ([`crate::engine::session_variables`]).

use datafusion::sql::sqlparser::dialect::Dialect;
use datafusion::sql::sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};
use hivewire_backend::{BackendError, ErrorKind};

use super::hive_ddl::HiveStatement;
use super::parse::span_offset;

/// A statement's tokens without whitespace and comments, with the text, read from the front
/// (also by [`super::execute_immediate`]).
pub(super) struct Tokens<'a> {
    sql: &'a str,
    pub(super) tokens: Vec<TokenWithSpan>,
    /// The next token to read.
    pub(super) at: usize,
}

impl<'a> Tokens<'a> {
    /// The tokens of `sql`, or None where it does not tokenize (the parser then reports it).
    pub(super) fn read(sql: &'a str, dialect: &dyn Dialect) -> Option<Self> {
        let tokens = Tokenizer::new(dialect, sql).tokenize_with_location().ok()?;
        Some(Tokens { sql, tokens: tokens.into_iter().filter(|t| !matches!(t.token, Token::Whitespace(_))).collect(), at: 0 })
    }

    pub(super) fn peek(&self) -> &Token {
        self.tokens.get(self.at).map_or(&Token::EOF, |t| &t.token)
    }

    pub(super) fn word(&mut self, w: &str) -> bool {
        if matches!(self.peek(), Token::Word(x) if x.quote_style.is_none() && x.value.eq_ignore_ascii_case(w)) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    pub(super) fn token(&mut self, t: &Token) -> bool {
        if self.peek() == t {
            self.at += 1;
            true
        } else {
            false
        }
    }

    /// The byte offset where token `i` starts (the text's end past the last).
    fn offset(&self, i: usize) -> usize {
        self.tokens.get(i).and_then(|t| span_offset(self.sql, &t.span.start)).unwrap_or(self.sql.len())
    }

    /// The text from token `from` up to token `to`, trimmed.
    pub(super) fn text(&self, from: usize, to: usize) -> String {
        self.sql[self.offset(from)..self.offset(to).max(self.offset(from))].trim().trim_end_matches(';').trim().to_string()
    }

    pub(super) fn at_end(&self) -> bool {
        matches!(self.peek(), Token::EOF | Token::SemiColon)
    }

    /// The index of the next token at this nesting depth that `stop` accepts, or the end.
    pub(super) fn find(&self, stop: impl Fn(&Token) -> bool) -> usize {
        let mut depth = 0i32;
        for i in self.at..self.tokens.len() {
            let t = &self.tokens[i].token;
            match t {
                Token::LParen | Token::LBracket | Token::LBrace => depth += 1,
                Token::RParen | Token::RBracket | Token::RBrace => depth -= 1,
                Token::SemiColon if depth == 0 => return i,
                _ if depth == 0 && stop(t) => return i,
                _ => {}
            }
        }
        self.tokens.len()
    }

    /// A variable's name, its qualifiers checked: `v`, `session.v` or `system.session.v`.
    pub(super) fn name(&mut self) -> Result<String, BackendError> {
        let mut parts = Vec::new();
        loop {
            match self.peek() {
                Token::Word(w) => parts.push(w.value.clone()),
                other => return Err(syntax(format!("Expected: a variable name, found: {other}"))),
            }
            self.at += 1;
            if !self.token(&Token::Period) {
                break;
            }
        }
        qualified_name(&parts)
    }
}

/// The variable a name refers to, or an error when its qualifiers are not Spark's.
pub fn qualified_name(parts: &[String]) -> Result<String, BackendError> {
    let lower: Vec<String> = parts.iter().map(|p| p.to_lowercase()).collect();
    match lower.as_slice() {
        [name] => Ok(name.clone()),
        [session, name] if session == "session" => Ok(name.clone()),
        [system, session, name] if system == "system" && session == "session" => Ok(name.clone()),
        _ => Err(BackendError::new(
            ErrorKind::UndefinedObject,
            format!("[UNRESOLVED_VARIABLE] cannot resolve the variable `{}`: a session variable is `name`, `session.name` or `system.session.name`", parts.join(".")),
        )
        .with_sqlstate("42883")),
    }
}

pub(super) fn syntax(message: String) -> BackendError {
    BackendError::new(ErrorKind::Syntax, format!("syntax error: {message}"))
}

/// Reads `sql` if it is a session variable statement; `Ok(None)` leaves it to the other readers.
pub fn parse(sql: &str, dialect: &dyn Dialect) -> Result<Option<HiveStatement>, BackendError> {
    let head = sql.trim_start();
    let starts = |w: &str| head.len() >= w.len() && head[..w.len()].eq_ignore_ascii_case(w);
    if !(starts("declare") || starts("set") || starts("drop")) {
        return Ok(None);
    }
    let Some(mut t) = Tokens::read(sql, dialect) else { return Ok(None) };
    if t.word("declare") {
        return declare(&mut t).map(Some);
    }
    if t.word("set") && (t.word("variable") || t.word("var")) {
        return set(&mut t).map(Some);
    }
    if t.word("drop") && t.word("temporary") && (t.word("variable") || t.word("var")) {
        let if_exists = t.word("if") && t.word("exists");
        let name = t.name()?;
        return end(&t, HiveStatement::DropVariable { name, if_exists }).map(Some);
    }
    Ok(None)
}

pub(super) fn end(t: &Tokens<'_>, stmt: HiveStatement) -> Result<HiveStatement, BackendError> {
    if t.at_end() { Ok(stmt) } else { Err(syntax(format!("Expected: end of statement, found: {}", t.peek()))) }
}

fn declare(t: &mut Tokens<'_>) -> Result<HiveStatement, BackendError> {
    let or_replace = t.word("or") && t.word("replace");
    // VARIABLE (or VAR) is the keyword only when a name follows it: `DECLARE var = 1` declares `var`.
    let keyword = matches!(t.peek(), Token::Word(w) if w.quote_style.is_none() && (w.value.eq_ignore_ascii_case("variable") || w.value.eq_ignore_ascii_case("var")));
    if keyword && matches!(t.tokens.get(t.at + 1).map(|n| &n.token), Some(Token::Word(_))) {
        t.at += 1;
    }
    let name = t.name()?;
    let type_start = t.at;
    let type_end = t.find(|tok| matches!(tok, Token::Eq) || matches!(tok, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("default")));
    let data_type = (type_end > type_start).then(|| t.text(type_start, type_end));
    t.at = type_end;
    let default = if t.token(&Token::Eq) || t.word("default") {
        let start = t.at;
        let stop = t.find(|_| false);
        t.at = stop;
        Some(t.text(start, stop)).filter(|e| !e.is_empty())
    } else {
        None
    };
    if data_type.is_none() && default.is_none() {
        return Err(BackendError::new(
            ErrorKind::Syntax,
            format!("[INVALID_VARIABLE_DECLARATION] the variable `{name}` needs a type or a DEFAULT expression"),
        ));
    }
    end(t, HiveStatement::DeclareVariable { name, or_replace, data_type, default })
}

fn set(t: &mut Tokens<'_>) -> Result<HiveStatement, BackendError> {
    if t.token(&Token::LParen) {
        let mut names = Vec::new();
        while !t.token(&Token::RParen) {
            names.push(t.name()?);
            if !t.token(&Token::Comma) && t.peek() != &Token::RParen {
                return Err(syntax(format!("Expected: , or ), found: {}", t.peek())));
            }
        }
        if names.is_empty() {
            return Err(syntax("SET VARIABLE () names no variable".into()));
        }
        if !t.token(&Token::Eq) {
            return Err(syntax(format!("Expected: =, found: {}", t.peek())));
        }
        let start = t.at;
        let stop = t.find(|_| false);
        let query = t.text(start, stop);
        let query = query.strip_prefix('(').and_then(|q| q.strip_suffix(')')).map(str::trim).unwrap_or(&query).to_string();
        t.at = stop;
        return end(t, HiveStatement::SetVariableRow { names, query });
    }
    let mut assignments = Vec::new();
    loop {
        let name = t.name()?;
        if !t.token(&Token::Eq) {
            return Err(syntax(format!("Expected: =, found: {}", t.peek())));
        }
        let start = t.at;
        let stop = t.find(|tok| matches!(tok, Token::Comma));
        let value = t.text(start, stop);
        if value.is_empty() {
            return Err(syntax(format!("SET VARIABLE {name} = needs a value")));
        }
        t.at = stop;
        let value = (!value.eq_ignore_ascii_case("default")).then_some(value);
        assignments.push((name, value));
        if !t.token(&Token::Comma) {
            break;
        }
    }
    end(t, HiveStatement::SetVariables { assignments })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hiveql::dialect::HiveQlDialect;

    fn read(sql: &str) -> HiveStatement {
        parse(sql, &HiveQlDialect::default()).unwrap().unwrap()
    }

    #[test]
    fn reads_declarations() {
        let HiveStatement::DeclareVariable { name, or_replace, data_type, default } = read("DECLARE OR REPLACE VARIABLE system.session.V1 MAP<string, double> DEFAULT map('a', 1.5);") else {
            panic!("a declaration")
        };
        assert_eq!((name.as_str(), or_replace), ("v1", true));
        assert_eq!(data_type.as_deref(), Some("MAP<string, double>"));
        assert_eq!(default.as_deref(), Some("map('a', 1.5)"));
        let HiveStatement::DeclareVariable { data_type, default, .. } = read("DECLARE v = 'x'") else { panic!("a declaration") };
        assert_eq!((data_type, default.as_deref()), (None, Some("'x'")));
        let HiveStatement::DeclareVariable { name, .. } = read("DECLARE var = 'x'") else { panic!("a declaration") };
        assert_eq!(name, "var");
        assert!(parse("DECLARE v", &HiveQlDialect::default()).is_err());
        assert!(parse("DECLARE builtin.v INT", &HiveQlDialect::default()).is_err());
    }

    #[test]
    fn reads_assignments_and_drops() {
        let HiveStatement::SetVariables { assignments } = read("SET VAR a = 1, session.b = coalesce(x, 2), c = DEFAULT") else { panic!("assignments") };
        assert_eq!(assignments, vec![("a".into(), Some("1".into())), ("b".into(), Some("coalesce(x, 2)".into())), ("c".into(), None)]);
        let HiveStatement::SetVariableRow { names, query } = read("SET VARIABLE (a, b) = (SELECT 1, 2)") else { panic!("a row") };
        assert_eq!((names, query.as_str()), (vec!["a".to_string(), "b".to_string()], "SELECT 1, 2"));
        assert!(matches!(read("DROP TEMPORARY VARIABLE IF EXISTS v"), HiveStatement::DropVariable { if_exists: true, .. }));
        assert!(parse("SET spark.sql.ansi.enabled = true", &HiveQlDialect::default()).unwrap().is_none());
        assert!(parse("DROP TABLE t", &HiveQlDialect::default()).unwrap().is_none());
    }
}
