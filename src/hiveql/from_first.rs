//! Hive's FROM-first queries: `FROM src SELECT a, b WHERE ...`, the same query as `SELECT a, b
//! FROM src WHERE ...`. The dialect reads the FROM clause, then the query after it, and puts the
//! clause in the query's SELECT. Hive's multi-insert form (`FROM src INSERT ... INSERT ...`) is
//! refused as not supported.

use datafusion::sql::sqlparser::ast::{SetExpr, Statement};
use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::parser::{Parser, ParserError};
use datafusion::sql::sqlparser::tokenizer::Token;

/// A FROM-first query, when one comes next.
pub fn parse(parser: &mut Parser) -> Option<Result<Statement, ParserError>> {
    match parser.peek_token().token {
        Token::Word(w) if w.keyword == Keyword::FROM => {}
        _ => return None,
    }
    parser.next_token();
    Some(read(parser))
}

fn read(parser: &mut Parser) -> Result<Statement, ParserError> {
    let from = parser.parse_comma_separated(Parser::parse_table_and_joins)?;
    match parser.peek_token().token {
        Token::Word(w) if w.keyword == Keyword::SELECT => {}
        Token::Word(w) if w.keyword == Keyword::INSERT => {
            return Err(ParserError::ParserError("FROM ... INSERT (Hive's multi-insert) is not supported".into()));
        }
        other => return Err(ParserError::ParserError(format!("Expected: SELECT after the FROM clause, found: {other}"))),
    }
    let mut query = parser.parse_query()?;
    match query.body.as_mut() {
        SetExpr::Select(select) if select.from.is_empty() => select.from = from,
        _ => return Err(ParserError::ParserError("FROM ... SELECT takes one SELECT without its own FROM clause".into())),
    }
    Ok(Statement::Query(query))
}

#[cfg(test)]
mod tests {
    use crate::hiveql::{parse_one, Flavor};

    #[test]
    fn from_first_queries_are_select_queries() {
        let sql = |s: &str| parse_one(s, Flavor::Hive).unwrap().to_string();
        assert_eq!(sql("FROM (SELECT * FROM t WHERE k = 1) AS s SELECT *"), "SELECT * FROM (SELECT * FROM t WHERE k = 1) AS s");
        assert_eq!(sql("FROM t SELECT a WHERE a > 1 ORDER BY a"), "SELECT a FROM t WHERE a > 1 ORDER BY a");
        assert!(parse_one("FROM t INSERT INTO u SELECT a", Flavor::Hive).is_err());
    }
}
