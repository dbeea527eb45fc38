//! Spark's `EXECUTE IMMEDIATE sql [INTO v1, ...] [USING expr [AS name], ...]`, read from the
//! text: the statement (a string literal, a STRING variable or an expression giving one), the
//! variables a query's row goes into, and the values of the statement's `?` or `:name` markers.
//! The engine runs it ([`crate::engine::execute_immediate`]).

use datafusion::sql::sqlparser::dialect::Dialect;
use datafusion::sql::sqlparser::tokenizer::Token;
use hivewire_backend::BackendError;

use super::hive_ddl::HiveStatement;
use super::variables::{end, syntax, Tokens};

/// The USING values as written, each with its `AS name`.
pub type UsingValues = Vec<(String, Option<String>)>;

fn is_word(t: &Token, w: &str) -> bool {
    matches!(t, Token::Word(x) if x.quote_style.is_none() && x.value.eq_ignore_ascii_case(w))
}

/// Whether a token starts a clause: INTO or USING.
fn is_clause(t: &Token) -> bool {
    is_word(t, "into") || is_word(t, "using")
}

/// Reads `sql` if it is an EXECUTE IMMEDIATE; `Ok(None)` leaves it to the other readers.
pub fn parse(sql: &str, dialect: &dyn Dialect) -> Result<Option<HiveStatement>, BackendError> {
    let head = sql.trim_start();
    if !(head.len() >= 7 && head[..7].eq_ignore_ascii_case("execute")) {
        return Ok(None);
    }
    let Some(mut t) = Tokens::read(sql, dialect) else { return Ok(None) };
    if !(t.word("execute") && t.word("immediate")) {
        return Ok(None);
    }
    // The statement, then INTO and USING at the top level, in either order.
    let start = t.at;
    t.at = t.find(is_clause);
    let statement = t.text(start, t.at);
    if statement.is_empty() {
        return Err(syntax("EXECUTE IMMEDIATE needs the statement to run".into()));
    }
    let mut into = Vec::new();
    let mut using = Vec::new();
    while !t.at_end() {
        if t.word("into") {
            into = vec![t.name()?];
            while t.token(&Token::Comma) {
                into.push(t.name()?);
            }
        } else if t.word("using") {
            using = values(&mut t)?;
        } else {
            return Err(syntax(format!("Expected: INTO, USING or the end of the statement, found: {}", t.peek())));
        }
    }
    end(&t, HiveStatement::ExecuteImmediate { statement, into, using }).map(Some)
}

/// The values after USING, each with its `AS name`; a list in parentheses is the same list.
fn values(t: &mut Tokens<'_>) -> Result<UsingValues, BackendError> {
    let stop = t.find(is_clause);
    let mut last = stop;
    if t.peek() == &Token::LParen && stop > t.at && t.tokens[stop - 1].token == Token::RParen {
        t.at += 1;
        last = stop - 1;
    }
    let mut out = Vec::new();
    loop {
        let start = t.at;
        let item_end = t.find(|tok| *tok == Token::Comma).min(last);
        if start >= item_end {
            return Err(syntax("USING needs a value".into()));
        }
        // `expr AS name`
        let item = &t.tokens[start..item_end];
        let named = item.len() >= 3 && is_word(&item[item.len() - 2].token, "as");
        let (expr_end, name) = match (named, item.last().map(|x| &x.token)) {
            (true, Some(Token::Word(w))) => (item_end - 2, Some(w.value.to_lowercase())),
            _ => (item_end, None),
        };
        out.push((t.text(start, expr_end), name));
        t.at = item_end;
        if item_end == last || !t.token(&Token::Comma) {
            break;
        }
    }
    t.at = stop;
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
