//! Statement text to sqlparser ASTs, with error positions.

use datafusion::sql::sqlparser::ast::Statement;
use datafusion::sql::sqlparser::dialect::Dialect;
use datafusion::sql::sqlparser::parser::{Parser, ParserError};
use datafusion::sql::sqlparser::tokenizer::{Token, Tokenizer};
use hivewire_backend::{BackendError, ErrorKind};

use super::dialect::{HiveQlDialect, PgHiveDialect};

/// The SQL flavour of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// HiveQL: `"..."` is a string.
    Hive,
    /// PostgreSQL: `"..."` is an identifier. HiveQL that does not parse as PostgreSQL is tried as
    /// HiveQL before an error is reported.
    Postgres,
}

fn dialect(flavor: Flavor) -> Box<dyn Dialect> {
    match flavor {
        Flavor::Hive => Box::new(HiveQlDialect::default()),
        Flavor::Postgres => Box::new(PgHiveDialect::default()),
    }
}

/// The session settings the text passes before parsing follow.
#[derive(Debug, Clone, Default)]
pub struct TextOptions {
    /// [`super::bang_not::LEGACY_SETTING`]: `!` stands for a predicate's NOT (`x ! IN (1)`).
    pub legacy_bang_not: bool,
    /// The session's STRING variables (lower-cased name, text), which `IDENTIFIER(...)` reads.
    pub text_variables: Vec<(String, String)>,
}

/// Parses one statement under Spark's default settings; see [`parse_action_with`].
pub fn parse_action(sql: &str, flavor: Flavor) -> Result<super::Action, BackendError> {
    parse_action_with(sql, flavor, TextOptions::default())
}

/// Parses one statement and decides who runs it: the Hive statements sqlparser does not know are
/// read by [`super::hive_ddl`], the rest by sqlparser and [`super::classify`].
pub fn parse_action_with(sql: &str, flavor: Flavor, options: TextOptions) -> Result<super::Action, BackendError> {
    let d = dialect(flavor);
    if flavor == Flavor::Hive {
        if let Some(stmt) = super::variables::parse(sql, d.as_ref())? {
            return Ok(super::Action::Hive(Box::new(stmt)));
        }
        if let Some(stmt) = super::execute_immediate::parse(sql, d.as_ref())? {
            return Ok(super::Action::Hive(Box::new(stmt)));
        }
    }
    let wrapped = super::inline_values::wrap(sql, d.as_ref(), flavor == Flavor::Hive);
    let sql = wrapped.as_deref().unwrap_or(sql);
    let spelled = match flavor {
        Flavor::Hive => spark_spellings(sql, d.as_ref(), options),
        Flavor::Postgres => None,
    };
    let sql = spelled.as_deref().unwrap_or(sql);
    let masked = super::complex_types::mask(sql, d.as_ref());
    let text = masked.as_ref().map(|m| m.sql.as_str()).unwrap_or(sql);
    if let Some(mut stmt) = super::hive_ddl::parse(text, d.as_ref())? {
        if let Some(m) = &masked {
            m.restore_hive(&mut stmt);
        }
        return Ok(super::Action::Hive(Box::new(stmt)));
    }
    let mut stmt = parse_one(text, flavor)?;
    if let Some(m) = &masked {
        m.restore(&mut stmt);
    }
    super::classify(stmt)
}

/// The text with Spark's spellings that sqlparser reads otherwise written as it reads them:
/// typed literals, string escapes, `IDENTIFIER('name')` and `!` as NOT. None when it has none.
fn spark_spellings(sql: &str, d: &dyn Dialect, options: TextOptions) -> Option<String> {
    let mut text = std::borrow::Cow::Borrowed(sql);
    if let Some(t) = super::literal_suffixes::rewrite(&text, d) {
        text = t.into();
    }
    if let Some(t) = super::string_escapes::rewrite(&text, d) {
        text = t.into();
    }
    if let Some(t) = super::identifier_clause::rewrite(&text, d, &options.text_variables) {
        text = t.into();
    }
    if let Some(t) = super::bang_not::rewrite(&text, d, options.legacy_bang_not) {
        text = t.into();
    }
    match text {
        std::borrow::Cow::Owned(t) => Some(t),
        std::borrow::Cow::Borrowed(_) => None,
    }
}

/// Parses text holding exactly one statement.
pub fn parse_one(sql: &str, flavor: Flavor) -> Result<Statement, BackendError> {
    let extracted = super::spark_options::extract(sql, dialect(flavor).as_ref())?;
    let Some(extracted) = extracted else { return parse_plain(sql, flavor) };
    let mut stmt = parse_plain(&extracted.sql, flavor)?;
    super::spark_options::attach(&mut stmt, extracted, dialect(flavor).as_ref())?;
    Ok(stmt)
}

fn parse_plain(sql: &str, flavor: Flavor) -> Result<Statement, BackendError> {
    let mut statements = match parse_with(sql, flavor) {
        // PostgreSQL reads `INSERT INTO t PARTITION (dt, h)` as a table alias and a column list;
        // that is Hive's partition clause.
        Ok(s) if flavor == Flavor::Postgres && s.iter().any(partition_read_as_alias) => {
            parse_with(sql, Flavor::Hive).map_err(|e| syntax_error(sql, e))?
        }
        Ok(s) => s,
        Err(first) if flavor == Flavor::Postgres => match parse_with(sql, Flavor::Hive) {
            Ok(s) => s,
            Err(_) => return Err(syntax_error(sql, first)),
        },
        Err(e) => return Err(syntax_error(sql, e)),
    };
    match statements.len() {
        1 => Ok(insert_with_ctes(statements.remove(0))),
        0 => Err(BackendError::new(ErrorKind::Syntax, "empty statement")),
        n => Err(BackendError::new(
            ErrorKind::Syntax,
            format!("expected one statement, found {n}; send them one at a time"),
        )),
    }
}

/// `WITH s AS (...) INSERT INTO t SELECT ... FROM s`: the common table expressions belong to the
/// INSERT's query, where planning looks for them.
fn insert_with_ctes(stmt: Statement) -> Statement {
    use datafusion::sql::sqlparser::ast::SetExpr;
    let Statement::Query(query) = &stmt else { return stmt };
    let (Some(with), SetExpr::Insert(Statement::Insert(insert))) = (&query.with, query.body.as_ref()) else { return stmt };
    let mut insert = insert.clone();
    match insert.source.as_mut() {
        Some(source) if source.with.is_none() => {
            source.with = Some(with.clone());
            Statement::Insert(insert)
        }
        _ => stmt,
    }
}

fn parse_with(sql: &str, flavor: Flavor) -> Result<Vec<Statement>, ParserError> {
    let d = dialect(flavor);
    Parser::new(d.as_ref()).try_with_sql(sql)?.parse_statements()
}

/// Splits text into its statements' texts, at semicolons outside quotes and comments. Empty
/// statements are dropped.
pub fn split_statements(sql: &str, flavor: Flavor) -> Result<Vec<String>, BackendError> {
    let d = dialect(flavor);
    let tokens = Tokenizer::new(d.as_ref(), sql)
        .tokenize_with_location()
        .map_err(|e| {
            let pos = char_offset(sql, e.location.line as usize, e.location.column as usize);
            BackendError::new(ErrorKind::Syntax, format!("syntax error: {}", e.message)).with_position(pos)
        })?;
    let mut out = Vec::new();
    let mut start_byte = 0usize;
    let mut has_content = false;
    for t in &tokens {
        match &t.token {
            Token::SemiColon => {
                let end = byte_offset(sql, t.span.start.line as usize, t.span.start.column as usize).unwrap_or(sql.len());
                if has_content {
                    out.push(sql[start_byte..end].trim().to_string());
                }
                start_byte = (end + 1).min(sql.len());
                has_content = false;
            }
            Token::Whitespace(_) => {}
            _ => has_content = true,
        }
    }
    if has_content {
        out.push(sql[start_byte..].trim().to_string());
    }
    Ok(out)
}

/// The byte offset of 1-based (line, column) in `sql`, where column counts characters.
fn byte_offset(sql: &str, line: usize, column: usize) -> Option<usize> {
    let mut cur_line = 1;
    let mut cur_col = 1;
    for (i, c) in sql.char_indices() {
        if cur_line == line && cur_col == column {
            return Some(i);
        }
        if c == '\n' {
            cur_line += 1;
            cur_col = 1;
        } else {
            cur_col += 1;
        }
    }
    (cur_line == line && cur_col == column).then_some(sql.len())
}

fn partition_read_as_alias(s: &Statement) -> bool {
    matches!(s, Statement::Insert(i) if i.table_alias.as_ref().is_some_and(|a| a.alias.value.eq_ignore_ascii_case("partition")))
}

/// `sql` with each `(from, to, text)` edit made (byte ranges, in order, not overlapping); None
/// when there are none, so that a text pass that found nothing costs no copy.
pub(crate) fn apply_edits(sql: &str, edits: Vec<(usize, usize, String)>) -> Option<String> {
    if edits.is_empty() {
        return None;
    }
    let mut out = sql.to_string();
    for (from, to, text) in edits.into_iter().rev() {
        out.replace_range(from..to, &text);
    }
    Some(out)
}

/// The byte offset of a token location in `sql`.
pub(crate) fn span_offset(sql: &str, at: &datafusion::sql::sqlparser::tokenizer::Location) -> Option<usize> {
    byte_offset(sql, at.line as usize, at.column as usize)
}

/// The 1-based character offset of 1-based (line, column), as PostgreSQL reports positions.
pub fn char_offset(sql: &str, line: usize, column: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    byte_offset(sql, line, column).map(|b| sql[..b].chars().count() + 1)
}

/// A syntax error with the position sqlparser names in its message (`at Line: l, Column: c`).
fn syntax_error(sql: &str, e: ParserError) -> BackendError {
    let msg = match &e {
        ParserError::ParserError(m) | ParserError::TokenizerError(m) => m.clone(),
        ParserError::RecursionLimitExceeded => "statement nests too deeply".to_string(),
    };
    let position = position_in_message(&msg).and_then(|(l, c)| char_offset(sql, l, c));
    let clean = match msg.find(" at Line: ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    };
    let position = position.or_else(|| (clean.contains("found: EOF")).then(|| sql.chars().count() + 1));
    BackendError::new(ErrorKind::Syntax, format!("syntax error: {clean}")).with_position(position)
}

fn position_in_message(msg: &str) -> Option<(usize, usize)> {
    let i = msg.rfind("Line: ")?;
    let rest = &msg[i + 6..];
    let (line, rest) = rest.split_once(", Column: ")?;
    let col: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    Some((line.trim().parse().ok()?, col.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_outside_quotes_and_comments() {
        let parts = split_statements("select ';'; -- x;\n select 2;;  ", Flavor::Postgres).unwrap();
        assert_eq!(parts, vec!["select ';'", "-- x;\n select 2"]);
        assert!(split_statements(" ; ;", Flavor::Hive).unwrap().is_empty());
    }

    #[test]
    fn syntax_errors_carry_a_position() {
        let e = parse_one("SELECT 1 FROM", Flavor::Postgres).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Syntax);
        assert!(e.position.is_some());
        let e = parse_one("SELEC 1", Flavor::Hive).unwrap_err();
        assert_eq!(e.position, Some(1));
    }

    #[test]
    fn flavours_differ_on_double_quotes() {
        let s = parse_one("SELECT \"a\"", Flavor::Hive).unwrap().to_string();
        assert!(s.contains("\"a\""));
        assert!(parse_one("SELECT `a b` FROM `t`", Flavor::Postgres).is_ok());
        assert!(parse_one("SELECT _c0 FROM t", Flavor::Hive).is_ok());
    }
}
