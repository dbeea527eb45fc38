//! Spark's `struct(...)`: `struct(a, b AS y, 1)` builds a struct whose fields are named after the
//! columns given (`a`), the aliases written (`y`), or else `col1`, `col2`... by position.
//! sqlparser reads no `AS` inside a call and DataFusion names the fields `c0`, `c1`, so the dialect
//! parses the aliases (as [`Expr::Named`] arguments) and, before planning, the call becomes
//! `named_struct` with Spark's field names. `s.*` among the fields spreads the struct `s`'s
//! fields, whose names only the engine knows.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Statement, Value,
    VisitMut, VisitorMut,
};
use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::parser::{Parser, ParserError};
use datafusion::sql::sqlparser::tokenizer::Token;

use crate::engine::spark_functions::struct_star::STRUCT_SPREAD;

/// Parses `struct(expr [AS name], ...)` for the dialect; None (consuming nothing) when the next
/// tokens are not such a call.
pub fn parse(parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
    let is_struct = matches!(&parser.peek_token().token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("struct"));
    if !is_struct || parser.peek_nth_token(1).token != Token::LParen {
        return None;
    }
    let name = parser.next_token();
    if matches!(parser.peek_nth_token(1).token, Token::Mul | Token::RParen) {
        // `struct(*)` and `struct()`: plain calls (the dialect reads `STRUCT<...>` types, so
        // sqlparser would otherwise take them for typed struct literals).
        let Token::Word(w) = name.token else { return None };
        let ident = datafusion::sql::sqlparser::ast::Ident::new(w.value);
        return Some(parser.parse_function(datafusion::sql::sqlparser::ast::ObjectName::from(vec![ident])));
    }
    parser.next_token();
    Some(parse_fields(parser))
}

fn parse_fields(parser: &mut Parser) -> Result<Expr, ParserError> {
    let mut args = Vec::new();
    loop {
        if let Some(spread) = parse_spread(parser)? {
            args.push(spread);
            if !parser.consume_token(&Token::Comma) {
                break;
            }
            continue;
        }
        let expr = parser.parse_expr()?;
        let expr = if parser.parse_keyword(Keyword::AS) {
            Expr::Named { expr: Box::new(expr), name: parser.parse_identifier()? }
        } else {
            expr
        };
        args.push(expr);
        if !parser.consume_token(&Token::Comma) {
            break;
        }
    }
    parser.expect_token(&Token::RParen)?;
    Ok(super::ast::call("struct", args))
}

/// `s.*` (or `t.s.*`) among a struct's fields, the fields of `s` to spread; None, consuming
/// nothing, when the next tokens are not that.
fn parse_spread(parser: &mut Parser) -> Result<Option<Expr>, ParserError> {
    let mut n = 0;
    while matches!(parser.peek_nth_token(n).token, Token::Word(_)) && parser.peek_nth_token(n + 1).token == Token::Period {
        n += 2;
        if parser.peek_nth_token(n).token == Token::Mul {
            let mut parts = Vec::new();
            for _ in 0..n / 2 {
                parts.push(parser.parse_identifier()?);
                parser.expect_token(&Token::Period)?;
            }
            let star = parser.next_token();
            let name = datafusion::sql::sqlparser::ast::ObjectName::from(parts);
            return Ok(Some(Expr::QualifiedWildcard(name, datafusion::sql::sqlparser::ast::helpers::attached_token::AttachedToken(star))));
        }
    }
    Ok(None)
}

/// The fields of a `struct(...)` call: each one's name and value, with no name for a struct whose
/// fields are spread (`s.*`).
fn fields(e: &Expr) -> Option<Vec<(Option<String>, Expr)>> {
    let Expr::Function(f) = e else { return None };
    let is_struct = f.over.is_none() && matches!(f.name.0.as_slice(), [p] if p.as_ident().is_some_and(|i| i.value.eq_ignore_ascii_case("struct")));
    let FunctionArguments::List(list) = &f.args else { return None };
    if !is_struct || list.args.is_empty() {
        return None;
    }
    let mut out = Vec::with_capacity(list.args.len());
    for (i, a) in list.args.iter().enumerate() {
        let FunctionArg::Unnamed(FunctionArgExpr::Expr(x)) = a else { return None };
        out.push(match x {
            Expr::Named { expr, name } => (Some(name.value.clone()), expr.as_ref().clone()),
            Expr::Identifier(id) => (Some(id.value.clone()), x.clone()),
            Expr::CompoundIdentifier(ids) => (Some(ids.last()?.value.clone()), x.clone()),
            Expr::QualifiedWildcard(prefix, _) => {
                let mut ids: Vec<_> = prefix.0.iter().map(|p| p.as_ident().cloned()).collect::<Option<_>>()?;
                let value = if ids.len() == 1 { Expr::Identifier(ids.remove(0)) } else { Expr::CompoundIdentifier(ids) };
                (None, value)
            }
            other => (Some(format!("col{}", i + 1)), other.clone()),
        });
    }
    Some(out)
}

/// Makes every `struct(...)` call with expression arguments a `named_struct` with Spark's names,
/// or, where it spreads a struct's fields (`s.*`), the engine's [`STRUCT_SPREAD`].
pub fn rewrite(stmt: &mut Statement) {
    struct Structs;
    impl VisitorMut for Structs {
        type Break = ();
        fn post_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
            if let Some(fields) = fields(e) {
                let spreads = fields.iter().any(|(name, _)| name.is_none());
                let name = |n: Option<String>| n.map_or_else(|| Expr::value(Value::Null), super::ast::text);
                let args = fields.into_iter().flat_map(|(n, value)| [name(n), value]).collect();
                *e = super::ast::call(if spreads { STRUCT_SPREAD } else { "named_struct" }, args);
            }
            ControlFlow::Continue(())
        }
    }
    let _ = stmt.visit(&mut Structs);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(sql: &str) -> String {
        crate::hiveql::rewritten(sql, rewrite)
    }

    #[test]
    fn struct_fields_are_named_as_in_spark() {
        assert_eq!(
            r("SELECT struct(a, t.b, 1 AS x, 'y') FROM t"),
            "SELECT named_struct('a', a, 'b', t.b, 'x', 1, 'col4', 'y') FROM t"
        );
        assert_eq!(r("SELECT STRUCT(c AS `A b`) FROM t"), "SELECT named_struct('A b', c) FROM t");
    }

    #[test]
    fn spread_structs_are_left_to_the_engine() {
        assert_eq!(
            r("SELECT struct(st.*, CAST(id AS STRING) AS e), STRUCT(t.st.*) FROM t"),
            "SELECT hivewire_struct(NULL, st, 'e', CAST(id AS STRING)), hivewire_struct(NULL, t.st) FROM t"
        );
    }

    #[test]
    fn other_calls_are_left_alone() {
        assert_eq!(r("SELECT struct(*), struct() FROM t"), "SELECT struct(*), struct() FROM t");
        assert!(crate::hiveql::parse_one("SELECT struct(a AS) FROM t", crate::hiveql::Flavor::Hive).is_err());
    }
}
