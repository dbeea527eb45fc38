//! Spark's `struct(...)`: `struct(a, b AS y, 1)` builds a struct whose fields are named after the
//! columns given (`a`), the aliases written (`y`), or else `col1`, `col2`... by position.
//! sqlparser reads no `AS` inside a call and DataFusion names the fields `c0`, `c1`, so the dialect
//! parses the aliases (as [`Expr::Named`] arguments) and, before planning, the call becomes
//! `named_struct` with Spark's field names.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Statement,
    VisitMut, VisitorMut,
};
use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::parser::{Parser, ParserError};
use datafusion::sql::sqlparser::tokenizer::Token;

/// Parses `struct(expr [AS name], ...)` for the dialect; None (consuming nothing) when the next
/// tokens are not such a call.
pub fn parse(parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
    let is_struct = matches!(&parser.peek_token().token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("struct"));
    if !is_struct || parser.peek_nth_token(1).token != Token::LParen || matches!(parser.peek_nth_token(2).token, Token::Mul | Token::RParen) {
        return None;
    }
    parser.next_token();
    parser.next_token();
    Some(parse_fields(parser))
}

fn parse_fields(parser: &mut Parser) -> Result<Expr, ParserError> {
    let mut args = Vec::new();
    loop {
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

/// The fields of a `struct(...)` call: each one's name and value.
fn fields(e: &Expr) -> Option<Vec<(String, Expr)>> {
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
            Expr::Named { expr, name } => (name.value.clone(), expr.as_ref().clone()),
            Expr::Identifier(id) => (id.value.clone(), x.clone()),
            Expr::CompoundIdentifier(ids) => (ids.last()?.value.clone(), x.clone()),
            other => (format!("col{}", i + 1), other.clone()),
        });
    }
    Some(out)
}

/// Makes every `struct(...)` call with expression arguments a `named_struct` with Spark's names.
pub fn rewrite(stmt: &mut Statement) {
    struct Structs;
    impl VisitorMut for Structs {
        type Break = ();
        fn post_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
            if let Some(fields) = fields(e) {
                let args = fields.into_iter().flat_map(|(name, value)| [super::ast::text(name), value]).collect();
                *e = super::ast::call("named_struct", args);
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
    fn other_calls_are_left_alone() {
        assert_eq!(r("SELECT struct(*), struct() FROM t"), "SELECT struct(*), struct() FROM t");
        assert!(crate::hiveql::parse_one("SELECT struct(a AS) FROM t", crate::hiveql::Flavor::Hive).is_err());
    }
}
