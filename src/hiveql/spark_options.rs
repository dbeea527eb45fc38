//! Spark's data source clauses that sqlparser does not read: `CREATE TABLE t USING csv OPTIONS
//! (header 'true', sep ';')`, `USING parquet PARTITIONED BY (dt, h)` after USING, with the
//! partition columns named (columns of the table) or typed (`(dt STRING)`, columns added last),
//! a bucket spec after USING (`CLUSTERED BY (a) INTO 4 BUCKETS`, hiveql/buckets.rs), a COMMENT
//! after USING (in Spark's clauses, which may come in any order), and TBLPROPERTIES, whose pairs
//! Spark lets go without `=`.
//!
//! They are read from the tokens and blanked out of the text (with spaces, so that error positions
//! in the rest stay right); after parsing, the options are attached to the statement as its storage
//! properties (where Spark keeps them in a Hive metastore too) and the partition columns as its
//! PARTITIONED BY list.

use datafusion::sql::sqlparser::ast::{Expr, HiveFormat, Ident, SqlOption, Statement, Value};
use datafusion::sql::sqlparser::dialect::Dialect;
use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};
use hivewire_backend::{BackendError, ErrorKind};

/// The statement text with the clauses blanked, and what they held.
pub struct Extracted {
    pub sql: String,
    pub options: Vec<(String, String)>,
    pub partition_columns: Vec<PartitionColumn>,
    /// `CLUSTERED BY (...) [SORTED BY (...)] INTO n BUCKETS` after USING.
    pub buckets: Option<datafusion::sql::sqlparser::ast::ClusteredBy>,
    /// `COMMENT 'text'` after USING.
    pub comment: Option<String>,
    /// `TBLPROPERTIES (...)`, whose pairs Spark lets go without `=` (`(owner 'sales')`).
    pub table_properties: Vec<(String, String)>,
}

/// A partition column's name, and its type's text where the clause gives one.
pub type PartitionColumn = (String, Option<String>);

fn is_word(t: &TokenWithSpan, k: Keyword) -> bool {
    matches!(&t.token, Token::Word(w) if w.keyword == k)
}

/// Finds the clauses at the top level of a `CREATE ... TABLE` statement.
pub fn extract(sql: &str, dialect: &dyn Dialect) -> Result<Option<Extracted>, BackendError> {
    let Ok(tokens) = Tokenizer::new(dialect, sql).tokenize_with_location() else { return Ok(None) };
    let tokens: Vec<&TokenWithSpan> = tokens.iter().filter(|t| !matches!(t.token, Token::Whitespace(_))).collect();
    if !tokens.first().is_some_and(|t| is_word(t, Keyword::CREATE)) || !tokens.iter().any(|t| is_word(t, Keyword::TABLE)) {
        return Ok(None);
    }
    let mut depth = 0i32;
    let mut seen_using = false;
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut options = Vec::new();
    let mut partition_columns = Vec::new();
    let mut buckets = None;
    let mut comment = None;
    let mut table_properties = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        match &t.token {
            Token::LParen => depth += 1,
            Token::RParen => depth -= 1,
            // A query after AS may itself say OPTIONS; the clauses come before it.
            Token::Word(w) if depth == 0 && w.keyword == Keyword::AS => break,
            Token::Word(w) if depth == 0 && w.keyword == Keyword::USING => seen_using = true,
            Token::Word(w) if depth == 0 && w.value.eq_ignore_ascii_case("options") && next_is(&tokens, i + 1, &Token::LParen) => {
                let (pairs, end) = read_pairs(sql, &tokens, i + 2)?;
                options.extend(pairs);
                ranges.push((i, end));
                i = end + 1;
                continue;
            }
            Token::Word(w) if depth == 0 && w.keyword == Keyword::TBLPROPERTIES && next_is(&tokens, i + 1, &Token::LParen) => {
                let (pairs, end) = read_pairs(sql, &tokens, i + 2)?;
                table_properties.extend(pairs);
                ranges.push((i, end));
                i = end + 1;
                continue;
            }
            Token::Word(w) if depth == 0 && seen_using && w.keyword == Keyword::COMMENT => {
                if let Some(Token::SingleQuotedString(text) | Token::DoubleQuotedString(text)) = tokens.get(i + 1).map(|t| &t.token) {
                    comment = Some(text.clone());
                    ranges.push((i, i + 1));
                    i += 2;
                    continue;
                }
            }
            Token::Word(w) if depth == 0 && seen_using && w.keyword == Keyword::CLUSTERED => {
                if let Some((spec, end)) = super::buckets::read_clause(&tokens, i) {
                    buckets = Some(spec);
                    ranges.push((i, end));
                    i = end + 1;
                    continue;
                }
            }
            Token::Word(w)
                if depth == 0
                    && seen_using
                    && w.keyword == Keyword::PARTITIONED
                    && tokens.get(i + 1).is_some_and(|n| is_word(n, Keyword::BY))
                    && next_is(&tokens, i + 2, &Token::LParen) =>
            {
                if let Some((names, end)) = read_columns(sql, &tokens, i + 3) {
                    partition_columns.extend(names);
                    ranges.push((i, end));
                    i = end + 1;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    if ranges.is_empty() {
        return Ok(None);
    }
    let mut out = sql.to_string();
    // Back to front, so that earlier byte offsets stay valid.
    for (start, end) in ranges.into_iter().rev() {
        let from = super::parse::span_offset(sql, &tokens[start].span.start).unwrap_or(0);
        let to = super::parse::span_offset(sql, &tokens[end].span.end).unwrap_or(sql.len());
        let blanked: String = sql[from..to].chars().map(|c| if c == '\n' { '\n' } else { ' ' }).collect();
        out.replace_range(from..to, &blanked);
    }
    Ok(Some(Extracted { sql: out, options, partition_columns, buckets, comment, table_properties }))
}

fn next_is(tokens: &[&TokenWithSpan], i: usize, t: &Token) -> bool {
    tokens.get(i).is_some_and(|n| &n.token == t)
}

/// Reads `name [type][, name [type]]* )` from `i`: each column's name and its type's text, if
/// any, and the index of the closing parenthesis; `None` where the list is not of that form.
fn read_columns(sql: &str, tokens: &[&TokenWithSpan], mut i: usize) -> Option<(Vec<PartitionColumn>, usize)> {
    let mut columns = Vec::new();
    loop {
        let name = match tokens.get(i).map(|t| &t.token) {
            Some(Token::Word(w)) => w.value.to_lowercase(),
            _ => return None,
        };
        i += 1;
        // The type runs to the next comma or closing parenthesis outside its own brackets.
        let start = i;
        let mut depth = 0i32;
        while let Some(t) = tokens.get(i) {
            match &t.token {
                Token::LParen | Token::Lt => depth += 1,
                Token::Gt => depth -= 1,
                Token::ShiftRight => depth -= 2,
                Token::RParen if depth > 0 => depth -= 1,
                Token::Comma | Token::RParen if depth == 0 => break,
                _ => {}
            }
            i += 1;
        }
        let type_text = (i > start).then(|| {
            let from = super::parse::span_offset(sql, &tokens[start].span.start).unwrap_or(0);
            let to = super::parse::span_offset(sql, &tokens[i - 1].span.end).unwrap_or(sql.len());
            sql[from..to].to_string()
        });
        columns.push((name, type_text));
        match tokens.get(i).map(|t| &t.token) {
            Some(Token::Comma) => i += 1,
            Some(Token::RParen) => return Some((columns, i)),
            _ => return None,
        }
    }
}

/// Reads `key value[, key value]* )` from `i`: keys are identifiers (dotted) or strings, an `=`
/// between key and value is optional, values are strings, numbers or true/false. Returns the pairs
/// and the index of the closing parenthesis.
fn read_pairs(
    sql: &str,
    tokens: &[&TokenWithSpan],
    mut i: usize,
) -> Result<(Vec<(String, String)>, usize), BackendError> {
    let err = |at: usize, what: &str| {
        let position = tokens
            .get(at.min(tokens.len().saturating_sub(1)))
            .and_then(|t| super::parse::char_offset(sql, t.span.start.line as usize, t.span.start.column as usize));
        BackendError::new(ErrorKind::Syntax, format!("syntax error in OPTIONS: {what}")).with_position(position)
    };
    let mut pairs = Vec::new();
    if tokens.get(i).is_some_and(|t| t.token == Token::RParen) {
        return Ok((pairs, i));
    }
    loop {
        let mut key = String::new();
        loop {
            match tokens.get(i).map(|t| &t.token) {
                Some(Token::Word(w)) => key.push_str(&w.value),
                Some(Token::SingleQuotedString(s)) | Some(Token::DoubleQuotedString(s)) => key.push_str(s),
                _ => return Err(err(i, "expected an option name")),
            }
            i += 1;
            if tokens.get(i).is_some_and(|t| t.token == Token::Period) {
                key.push('.');
                i += 1;
            } else {
                break;
            }
        }
        if tokens.get(i).is_some_and(|t| t.token == Token::Eq) {
            i += 1;
        }
        let value = match tokens.get(i).map(|t| &t.token) {
            Some(Token::SingleQuotedString(s)) | Some(Token::DoubleQuotedString(s)) => s.clone(),
            Some(Token::Number(n, _)) => n.clone(),
            Some(Token::Word(w)) if matches!(w.keyword, Keyword::TRUE | Keyword::FALSE) => w.value.to_lowercase(),
            _ => return Err(err(i, &format!("expected a value for option '{key}'"))),
        };
        pairs.push((key, value));
        i += 1;
        match tokens.get(i).map(|t| &t.token) {
            Some(Token::Comma) => i += 1,
            Some(Token::RParen) => return Ok((pairs, i)),
            _ => return Err(err(i, "expected ',' or ')'")),
        }
    }
}

/// Attaches what was read to a parsed CREATE TABLE: options as storage properties, partition
/// columns as its PARTITIONED BY list (untyped where the clause named them only).
pub fn attach(stmt: &mut Statement, extracted: Extracted, dialect: &dyn Dialect) -> Result<(), BackendError> {
    let Statement::CreateTable(ct) = stmt else { return Ok(()) };
    if extracted.buckets.is_some() {
        ct.clustered_by = extracted.buckets;
    }
    if let Some(text) = extracted.comment {
        ct.comment = Some(datafusion::sql::sqlparser::ast::CommentDef::WithoutEq(text));
    }
    if !extracted.partition_columns.is_empty() {
        let columns = extracted
            .partition_columns
            .into_iter()
            .map(|(n, type_text)| {
                let data_type = match type_text {
                    Some(text) => datafusion::sql::sqlparser::parser::Parser::new(dialect)
                        .try_with_sql(&text)
                        .and_then(|mut p| p.parse_data_type())
                        .map_err(|e| BackendError::new(ErrorKind::Syntax, format!("partition column {n}: {e}")))?,
                    None => datafusion::sql::sqlparser::ast::DataType::Unspecified,
                };
                Ok(datafusion::sql::sqlparser::ast::ColumnDef { name: Ident::new(n), data_type, options: vec![] })
            })
            .collect::<Result<Vec<_>, BackendError>>()?;
        ct.hive_distribution = datafusion::sql::sqlparser::ast::HiveDistributionStyle::PARTITIONED { columns };
    }
    let key_values = |pairs: Vec<(String, String)>| -> Vec<SqlOption> {
        pairs.into_iter().map(|(k, v)| SqlOption::KeyValue { key: Ident::new(k), value: Expr::value(Value::SingleQuotedString(v)) }).collect()
    };
    if !extracted.table_properties.is_empty() {
        ct.table_options = datafusion::sql::sqlparser::ast::CreateTableOptions::TableProperties(key_values(extracted.table_properties));
    }
    let props = key_values(extracted.options);
    let formats = ct.hive_formats.get_or_insert_with(HiveFormat::default);
    formats.serde_properties.get_or_insert_with(Vec::new).extend(props);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hiveql::dialect::HiveQlDialect;

    #[test]
    fn partition_columns_may_be_typed() {
        let sql = "CREATE TABLE t (a INT) USING parquet PARTITIONED BY (dt STRING, amount DECIMAL(10, 2), m MAP<STRING, INT>)";
        let e = extract(sql, &HiveQlDialect::default()).unwrap().unwrap();
        let types: Vec<PartitionColumn> = e.partition_columns;
        assert_eq!(
            types,
            vec![
                ("dt".into(), Some("STRING".into())),
                ("amount".into(), Some("DECIMAL(10, 2)".into())),
                ("m".into(), Some("MAP<STRING, INT>".into()))
            ]
        );
        let named = extract("CREATE TABLE t (a INT, dt STRING) USING parquet PARTITIONED BY (dt)", &HiveQlDialect::default()).unwrap().unwrap();
        assert_eq!(named.partition_columns, vec![("dt".to_string(), None)]);
    }

    #[test]
    fn reads_and_blanks_the_clause() {
        let sql = "CREATE TABLE t USING csv OPTIONS (header 'true', 'sep' = ';', a.b 1) LOCATION '/x'";
        let e = extract(sql, &HiveQlDialect::default()).unwrap().unwrap();
        assert_eq!(e.sql.len(), sql.len());
        assert_eq!(e.sql.split_whitespace().collect::<Vec<_>>(), ["CREATE", "TABLE", "t", "USING", "csv", "LOCATION", "'/x'"]);
        assert_eq!(
            e.options,
            vec![("header".into(), "true".into()), ("sep".into(), ";".into()), ("a.b".into(), "1".into())]
        );
    }

    #[test]
    fn table_properties_may_go_without_equals() {
        let sql = "CREATE TABLE t (a INT) USING parquet TBLPROPERTIES (t 'test', 'k' = 'v')";
        let e = extract(sql, &HiveQlDialect::default()).unwrap().unwrap();
        assert_eq!(e.table_properties, vec![("t".into(), "test".into()), ("k".into(), "v".into())]);
        assert!(!e.sql.contains("TBLPROPERTIES"));
    }

    #[test]
    fn leaves_other_statements_alone() {
        assert!(extract("SELECT options(1)", &HiveQlDialect::default()).unwrap().is_none());
        assert!(extract("CREATE TABLE t (options INT)", &HiveQlDialect::default()).unwrap().is_none());
    }

    #[test]
    fn reports_a_malformed_clause() {
        assert!(extract("CREATE TABLE t USING csv OPTIONS (header)", &HiveQlDialect::default()).is_err());
    }
}
