//! The two SQL flavours hivewire accepts.
//!
//! HiveQL (HiveServer2 sessions) reads `"..."` as a string literal, like Hive and Spark; PostgreSQL
//! sessions read it as an identifier, as drivers expect. Both take backtick identifiers, so the same
//! HiveQL works over either protocol. Each flavour reports the type id of the sqlparser dialect it
//! extends, so that the parser's dialect-specific grammar (Hive's `LATERAL VIEW`, `STORED AS`, ...
//! and PostgreSQL's operators) stays switched on.

use std::any::TypeId;

use datafusion::sql::sqlparser::ast::{BinaryOperator, Expr, Statement};
use datafusion::sql::sqlparser::dialect::{Dialect, HiveDialect, PostgreSqlDialect, Precedence};
use datafusion::sql::sqlparser::tokenizer::Token;
use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::parser::{Parser, ParserError};

/// HiveQL as Spark SQL writes it.
#[derive(Debug, Default)]
pub struct HiveQlDialect {
    hive: HiveDialect,
}

impl Dialect for HiveQlDialect {
    fn dialect(&self) -> TypeId {
        TypeId::of::<HiveDialect>()
    }
    fn is_delimited_identifier_start(&self, ch: char) -> bool {
        ch == '`'
    }
    fn is_identifier_start(&self, ch: char) -> bool {
        ch.is_ascii_alphabetic() || ch == '_' || ch == '$' || !ch.is_ascii() && ch.is_alphabetic()
    }
    fn is_identifier_part(&self, ch: char) -> bool {
        ch.is_ascii_alphanumeric() || ch == '_' || ch == '$' || !ch.is_ascii() && ch.is_alphanumeric()
    }
    fn supports_filter_during_aggregation(&self) -> bool {
        self.hive.supports_filter_during_aggregation()
    }
    fn supports_numeric_prefix(&self) -> bool {
        self.hive.supports_numeric_prefix()
    }
    fn require_interval_qualifier(&self) -> bool {
        self.hive.require_interval_qualifier()
    }
    fn supports_bang_not_operator(&self) -> bool {
        self.hive.supports_bang_not_operator()
    }
    fn supports_load_data(&self) -> bool {
        self.hive.supports_load_data()
    }
    fn supports_table_sample_before_alias(&self) -> bool {
        self.hive.supports_table_sample_before_alias()
    }
    fn supports_group_by_with_modifier(&self) -> bool {
        self.hive.supports_group_by_with_modifier()
    }
    fn supports_from_first_insert(&self) -> bool {
        self.hive.supports_from_first_insert()
    }
    fn supports_create_table_using(&self) -> bool {
        true
    }
    fn supports_string_literal_backslash_escape(&self) -> bool {
        true
    }
    /// `'a\%'` keeps its backslash, so that LIKE reads an escaped wildcard, as in Spark.
    fn ignores_wildcard_escapes(&self) -> bool {
        true
    }
    /// `'a' 'b'` is `'ab'`.
    fn supports_string_literal_concatenation(&self) -> bool {
        true
    }
    fn supports_select_wildcard_except(&self) -> bool {
        true
    }
    /// `transform(xs, x -> x + 1)` and the other higher-order functions.
    fn supports_lambda_functions(&self) -> bool {
        true
    }
    /// `CAST(x AS LONG)`.
    fn supports_long_type_as_bigint(&self) -> bool {
        true
    }
    /// `CAST(x AS STRUCT<a: INT, b: STRING>)`; the engine's type planner makes it a struct type
    /// with the fields' names as written. (`struct(...)` calls are the dialect's own, see
    /// [`super::structs`].)
    fn supports_struct_literal(&self) -> bool {
        true
    }
    /// `CAST(x AS MAP<STRING, INT>)`.
    fn supports_map_literal_with_angle_brackets(&self) -> bool {
        true
    }
    /// `CAST(x AS INTERVAL YEAR TO MONTH)`.
    fn supports_interval_options(&self) -> bool {
        true
    }
    /// `SELECT explode(m) AS (k, v)`.
    fn supports_select_item_multi_column_alias(&self) -> bool {
        true
    }
    /// `WITH t (SELECT ...)`.
    fn supports_cte_without_as(&self) -> bool {
        true
    }
    /// `struct(a AS x, b AS y)`, `exists(xs, x -> ...)`, interval literals and `timestamp_ltz'...'`.
    fn parse_prefix(&self, parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
        super::structs::parse(parser)
            .or_else(|| super::function_names::parse_exists_call(parser))
            .or_else(|| super::function_names::parse_extract(parser))
            .or_else(|| super::interval_literals::parse(parser))
            .or_else(|| super::datetime_literals::parse(parser))
    }
    /// Hive's FROM-first queries (`FROM t SELECT a`).
    fn parse_statement(&self, parser: &mut Parser) -> Option<Result<Statement, ParserError>> {
        super::from_first::parse(parser)
    }
    /// `ORDER BY ALL`.
    fn supports_order_by_all(&self) -> bool {
        true
    }
    /// `GROUP BY CUBE (a, b)`, `ROLLUP (...)` and `GROUPING SETS (...)`.
    fn supports_group_by_expr(&self) -> bool {
        true
    }
    /// `WINDOW w2 AS w1`: a window defined as another.
    fn supports_window_clause_named_window_reference(&self) -> bool {
        true
    }
    /// `a DIV b`: integer division, binding as tightly as `*` and `/`.
    fn parse_infix(&self, parser: &mut Parser, expr: &Expr, _precedence: u8) -> Option<Result<Expr, ParserError>> {
        if !parser.parse_keyword(Keyword::DIV) {
            return None;
        }
        let right = match parser.parse_subexpr(self.prec_value(Precedence::MulDivModOp)) {
            Ok(e) => e,
            Err(e) => return Some(Err(e)),
        };
        Some(Ok(Expr::BinaryOp { left: Box::new(expr.clone()), op: BinaryOperator::MyIntegerDivide, right: Box::new(right) }))
    }
    fn get_next_precedence(&self, parser: &Parser) -> Option<Result<u8, ParserError>> {
        match parser.peek_token().token {
            Token::Word(w) if w.keyword == Keyword::DIV => Some(Ok(self.prec_value(Precedence::MulDivModOp))),
            _ => None,
        }
    }
}

/// PostgreSQL as drivers send it, plus backtick identifiers and Spark's `USING format` for HiveQL DDL.
#[derive(Debug, Default)]
pub struct PgHiveDialect {
    pg: PostgreSqlDialect,
}

impl Dialect for PgHiveDialect {
    fn dialect(&self) -> TypeId {
        TypeId::of::<PostgreSqlDialect>()
    }
    fn identifier_quote_style(&self, identifier: &str) -> Option<char> {
        self.pg.identifier_quote_style(identifier)
    }
    fn is_delimited_identifier_start(&self, ch: char) -> bool {
        ch == '"' || ch == '`'
    }
    fn is_identifier_start(&self, ch: char) -> bool {
        self.pg.is_identifier_start(ch)
    }
    fn is_identifier_part(&self, ch: char) -> bool {
        self.pg.is_identifier_part(ch)
    }
    fn supports_unicode_string_literal(&self) -> bool {
        self.pg.supports_unicode_string_literal()
    }
    fn is_reserved_for_identifier(&self, kw: Keyword) -> bool {
        self.pg.is_reserved_for_identifier(kw)
    }
    fn is_custom_operator_part(&self, ch: char) -> bool {
        self.pg.is_custom_operator_part(ch)
    }
    fn get_next_precedence(&self, parser: &Parser) -> Option<Result<u8, ParserError>> {
        self.pg.get_next_precedence(parser)
    }
    fn supports_filter_during_aggregation(&self) -> bool {
        self.pg.supports_filter_during_aggregation()
    }
    fn supports_group_by_expr(&self) -> bool {
        self.pg.supports_group_by_expr()
    }
    fn prec_value(&self, prec: Precedence) -> u8 {
        self.pg.prec_value(prec)
    }
    fn allow_extract_custom(&self) -> bool {
        self.pg.allow_extract_custom()
    }
    fn allow_extract_single_quotes(&self) -> bool {
        self.pg.allow_extract_single_quotes()
    }
    fn supports_create_index_with_clause(&self) -> bool {
        self.pg.supports_create_index_with_clause()
    }
    fn supports_explain_with_utility_options(&self) -> bool {
        self.pg.supports_explain_with_utility_options()
    }
    fn supports_listen_notify(&self) -> bool {
        self.pg.supports_listen_notify()
    }
    fn supports_factorial_operator(&self) -> bool {
        self.pg.supports_factorial_operator()
    }
    fn supports_bitwise_shift_operators(&self) -> bool {
        self.pg.supports_bitwise_shift_operators()
    }
    fn supports_comment_on(&self) -> bool {
        self.pg.supports_comment_on()
    }
    fn supports_load_extension(&self) -> bool {
        self.pg.supports_load_extension()
    }
    fn supports_named_fn_args_with_colon_operator(&self) -> bool {
        self.pg.supports_named_fn_args_with_colon_operator()
    }
    fn supports_named_fn_args_with_expr_name(&self) -> bool {
        self.pg.supports_named_fn_args_with_expr_name()
    }
    fn supports_empty_projections(&self) -> bool {
        self.pg.supports_empty_projections()
    }
    fn supports_nested_comments(&self) -> bool {
        self.pg.supports_nested_comments()
    }
    fn supports_string_escape_constant(&self) -> bool {
        self.pg.supports_string_escape_constant()
    }
    fn supports_numeric_literal_underscores(&self) -> bool {
        self.pg.supports_numeric_literal_underscores()
    }
    fn supports_array_typedef_with_brackets(&self) -> bool {
        self.pg.supports_array_typedef_with_brackets()
    }
    fn supports_geometric_types(&self) -> bool {
        self.pg.supports_geometric_types()
    }
    fn supports_set_names(&self) -> bool {
        self.pg.supports_set_names()
    }
    fn supports_alter_column_type_using(&self) -> bool {
        self.pg.supports_alter_column_type_using()
    }
    fn supports_notnull_operator(&self) -> bool {
        self.pg.supports_notnull_operator()
    }
    fn supports_interval_options(&self) -> bool {
        self.pg.supports_interval_options()
    }
    fn supports_insert_table_alias(&self) -> bool {
        self.pg.supports_insert_table_alias()
    }
    fn supports_create_table_like_parenthesized(&self) -> bool {
        self.pg.supports_create_table_like_parenthesized()
    }
    fn supports_select_wildcard_with_alias(&self) -> bool {
        self.pg.supports_select_wildcard_with_alias()
    }
    fn supports_comma_separated_trim(&self) -> bool {
        self.pg.supports_comma_separated_trim()
    }
    fn supports_xml_expressions(&self) -> bool {
        self.pg.supports_xml_expressions()
    }
    fn supports_comment_optimizer_hint(&self) -> bool {
        self.pg.supports_comment_optimizer_hint()
    }
    fn supports_create_table_using(&self) -> bool {
        true
    }
}
