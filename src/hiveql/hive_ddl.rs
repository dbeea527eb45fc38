//! Hive and Spark statements that sqlparser does not parse (or parses only in part): partition
//! management, views, table alterations, the SHOW and DESCRIBE variants, TRUNCATE, LOAD DATA, MSCK
//! and ANALYZE. They are read here with sqlparser's own parser primitives, so that identifiers,
//! literals and types are read exactly as in every other statement. A statement that does not
//! start like one of these is left to sqlparser.

use std::collections::BTreeMap;

use datafusion::sql::sqlparser::ast::{ColumnDef as SqlColumnDef, ColumnOption, Expr, ObjectName};
use datafusion::sql::sqlparser::dialect::Dialect;
use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::parser::{Parser, ParserError};
use datafusion::sql::sqlparser::tokenizer::Token;
use hivewire_backend::{BackendError, ErrorKind};

/// A partition spec as written: each column, with its value if one is given (`Some(None)` is NULL).
pub type Spec = Vec<(String, Option<Option<String>>)>;

/// One of the statements this module reads.
#[derive(Debug, Clone)]
pub enum HiveStatement {
    /// `ALTER TABLE t ADD [IF NOT EXISTS] PARTITION (...) [LOCATION '...'] ...`
    AddPartitions { table: ObjectName, if_not_exists: bool, partitions: Vec<(Spec, Option<String>)> },
    /// `ALTER TABLE t DROP [IF EXISTS] PARTITION (...), ...`
    DropPartitions { table: ObjectName, if_exists: bool, partitions: Vec<Spec> },
    /// `MSCK REPAIR TABLE t` / `ALTER TABLE t RECOVER PARTITIONS`
    RecoverPartitions { table: ObjectName },
    /// `ALTER TABLE t PARTITION (...) SET LOCATION '...'`
    SetPartitionLocation { table: ObjectName, partition: Spec, location: String },
    /// `ALTER TABLE t RENAME TO u`
    RenameTable { table: ObjectName, to: ObjectName },
    /// `ALTER TABLE t ADD COLUMNS (...)`
    AddColumns { table: ObjectName, columns: Vec<SqlColumnDef> },
    /// `ALTER TABLE t REPLACE COLUMNS (...)`
    ReplaceColumns { table: ObjectName, columns: Vec<SqlColumnDef> },
    /// `ALTER TABLE t CHANGE [COLUMN] old new type [COMMENT '...']`
    ChangeColumn { table: ObjectName, old: String, new: SqlColumnDef },
    /// `ALTER TABLE t ALTER|CHANGE [COLUMN] c [TYPE type] [COMMENT '...'] [SET DEFAULT e | DROP DEFAULT]`
    AlterColumn { table: ObjectName, column: String, change: ColumnChange },
    /// `ALTER TABLE|VIEW t SET TBLPROPERTIES (...)`
    SetProperties { table: ObjectName, properties: BTreeMap<String, String> },
    /// `ALTER TABLE|VIEW t UNSET TBLPROPERTIES [IF EXISTS] (...)`
    UnsetProperties { table: ObjectName, if_exists: bool, keys: Vec<String> },
    /// `ALTER TABLE t SET LOCATION '...'`
    SetLocation { table: ObjectName, location: String },
    /// `ALTER TABLE t SET SERDEPROPERTIES (...)`
    SetSerdeProperties { table: ObjectName, properties: BTreeMap<String, String> },
    /// `CREATE [OR REPLACE] VIEW [IF NOT EXISTS] v [(cols)] [COMMENT '...'] AS query`
    CreateView {
        name: ObjectName,
        or_replace: bool,
        /// `TEMPORARY`: the view lives as long as the session.
        temporary: bool,
        /// `GLOBAL TEMPORARY`: every session reads it as `global_temp.v`, until the server stops.
        global: bool,
        if_not_exists: bool,
        columns: Vec<(String, Option<String>)>,
        comment: Option<String>,
        query: String,
    },
    /// `CREATE DATABASE|SCHEMA [IF NOT EXISTS] db [COMMENT '...'] [LOCATION '...'] [WITH DBPROPERTIES (...)]`
    CreateDatabase {
        name: ObjectName,
        if_not_exists: bool,
        comment: Option<String>,
        location: Option<String>,
        properties: BTreeMap<String, String>,
    },
    /// `ALTER VIEW v AS query`
    AlterView { name: ObjectName, query: String },
    /// `DROP VIEW [IF EXISTS] v`
    DropView { name: ObjectName, if_exists: bool },
    /// `TRUNCATE TABLE t [PARTITION (...)]`
    Truncate { table: ObjectName, partition: Option<Spec> },
    /// `LOAD DATA [LOCAL] INPATH '...' [OVERWRITE] INTO TABLE t [PARTITION (...)]`
    LoadData { local: bool, path: String, overwrite: bool, table: ObjectName, partition: Option<Spec> },
    /// `SHOW PARTITIONS t [PARTITION (...)]`
    ShowPartitions { table: ObjectName, partition: Option<Spec> },
    /// `SHOW VIEWS [IN|FROM db] [[LIKE] 'pattern']`
    ShowViews { database: Option<ObjectName>, pattern: Option<String> },
    /// `SHOW CREATE TABLE t [AS SERDE]`
    ShowCreateTable { table: ObjectName },
    /// `SHOW TBLPROPERTIES t [('key')]`
    ShowTblProperties { table: ObjectName, key: Option<String> },
    /// `SHOW COLUMNS (IN|FROM) t [(IN|FROM) db]`
    ShowColumns { table: ObjectName, database: Option<ObjectName> },
    /// `SHOW [USER|SYSTEM|ALL] FUNCTIONS [[LIKE] 'pattern']`
    ShowFunctions { pattern: Option<String> },
    /// `SHOW CURRENT DATABASE|NAMESPACE`
    ShowCurrentDatabase,
    /// `DESCRIBE [TABLE] [EXTENDED|FORMATTED] t [PARTITION (...)] [col]`
    Describe { table: ObjectName, extended: bool, partition: Option<Spec>, column: Option<String> },
    /// `DESCRIBE QUERY query`
    DescribeQuery { query: String },
    /// `DESCRIBE DATABASE|SCHEMA [EXTENDED] db`
    DescribeDatabase { name: ObjectName, extended: bool },
    /// `DESCRIBE FUNCTION [EXTENDED] f`
    DescribeFunction { name: String, extended: bool },
    /// Spark's `SET key=value` (the value is the rest of the text), `SET key` and `SET -v`.
    SparkSet { key: Option<String>, value: Option<String>, verbose: bool },
    /// `RESET [key]`
    Reset { key: Option<String> },
    /// `ANALYZE TABLE t [PARTITION (...)] COMPUTE STATISTICS [NOSCAN | FOR COLUMNS ...]`
    Analyze { table: ObjectName, partition: Option<Spec> },
    /// `CACHE [LAZY] TABLE t [OPTIONS (...)] [[AS] query]`
    Cache { table: ObjectName, query: Option<String> },
    /// `UNCACHE TABLE [IF EXISTS] t`
    Uncache { table: ObjectName, if_exists: bool },
    /// `REFRESH TABLE t`, `REFRESH 'path'`, `REFRESH FUNCTION f`
    Refresh { table: Option<ObjectName> },
    /// `CLEAR CACHE`
    ClearCache,
    /// `SHOW TABLE EXTENDED [IN|FROM db] LIKE 'pattern'`
    ShowTableExtended { database: Option<ObjectName>, pattern: String },
    /// `USE SCHEMA|DATABASE|NAMESPACE db` (sqlparser reads only `USE db` in HiveQL).
    Use { name: ObjectName },
    /// `DECLARE [OR REPLACE] [VARIABLE] name [type] [DEFAULT expr]` ([`super::variables`]); the
    /// type and expression as written.
    DeclareVariable { name: String, or_replace: bool, data_type: Option<String>, default: Option<String> },
    /// `SET VARIABLE name = expr, ...`; None for `DEFAULT`.
    SetVariables { assignments: Vec<(String, Option<String>)> },
    /// `SET VARIABLE (a, b) = (query)`
    SetVariableRow { names: Vec<String>, query: String },
    /// `DROP TEMPORARY VARIABLE [IF EXISTS] name`
    DropVariable { name: String, if_exists: bool },
    /// `EXECUTE IMMEDIATE sql [INTO v, ...] [USING expr [AS name], ...]` ([`super::execute_immediate`]);
    /// the statement and the values as written.
    ExecuteImmediate { statement: String, into: Vec<String>, using: super::execute_immediate::UsingValues },
}

/// Reads `sql` if it is one of these statements; `Ok(None)` leaves it to sqlparser.
pub fn parse(sql: &str, dialect: &dyn Dialect) -> Result<Option<HiveStatement>, BackendError> {
    if let Some(stmt) = spark_set(sql) {
        return Ok(Some(stmt));
    }
    let mut p = match Parser::new(dialect).try_with_sql(sql) {
        Ok(p) => p,
        Err(_) => return Ok(None),
    };
    let result = statement(&mut p, sql);
    match result {
        Ok(Some(stmt)) => {
            let _ = p.consume_token(&Token::SemiColon);
            if p.peek_token().token != Token::EOF {
                let found = p.peek_token();
                return Err(error(sql, ParserError::ParserError(format!("Expected: end of statement, found: {}", found.token)), Some(&found)));
            }
            Ok(Some(stmt))
        }
        Ok(None) => Ok(None),
        Err((e, at)) => Err(error(sql, e, at.as_ref())),
    }
}

/// Spark's SET and RESET forms, read from the text: a value runs to the end of the statement and
/// may hold any characters (`SET spark.sql.session.timeZone=America/Los_Angeles`). PostgreSQL's
/// forms (`SET x TO y`, `SET TIME ZONE ...`, `SET SESSION ...`) are left to sqlparser.
fn spark_set(sql: &str) -> Option<HiveStatement> {
    let text = sql.trim().trim_end_matches(';').trim();
    let (head, rest) = text.split_at(text.find(char::is_whitespace).unwrap_or(text.len()));
    let rest = rest.trim();
    if head.eq_ignore_ascii_case("reset") {
        let key = (!rest.is_empty() && !rest.eq_ignore_ascii_case("all")).then(|| rest.trim_matches('`').to_string());
        let plain = key.as_deref().is_none_or(|k| k.chars().all(|c| c.is_alphanumeric() || "._-".contains(c)));
        return plain.then_some(HiveStatement::Reset { key });
    }
    if !head.eq_ignore_ascii_case("set") {
        return None;
    }
    if rest.eq_ignore_ascii_case("-v") {
        return Some(HiveStatement::SparkSet { key: None, value: None, verbose: true });
    }
    let is_key = |k: &str| !k.is_empty() && k.chars().all(|c| c.is_alphanumeric() || "._-:".contains(c));
    match rest.split_once('=') {
        Some((k, v)) => {
            let k = k.trim().trim_matches('`');
            let v = v.trim();
            // `SET hivevar:x = ...` keeps its text as written, quotes included, for `${x}`.
            let v = if k.starts_with("hivevar:") {
                v
            } else {
                let v = v.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')).unwrap_or(v);
                v.strip_prefix('"').and_then(|x| x.strip_suffix('"')).unwrap_or(v)
            };
            // Keys with a dot or a colon are Spark's and Hive's; PostgreSQL's own `SET x = y` stays
            // with sqlparser.
            (is_key(k) && (k.contains('.') || k.contains(':'))).then(|| HiveStatement::SparkSet { key: Some(k.to_string()), value: Some(v.to_string()), verbose: false })
        }
        None => {
            let k = rest.trim_matches('`');
            (is_key(k) && !k.contains(' ')).then(|| HiveStatement::SparkSet { key: Some(k.to_string()), value: None, verbose: false })
        }
    }
}

type Failure = (ParserError, Option<datafusion::sql::sqlparser::tokenizer::TokenWithSpan>);
type Res<T> = Result<T, Failure>;

fn error(sql: &str, e: ParserError, at: Option<&datafusion::sql::sqlparser::tokenizer::TokenWithSpan>) -> BackendError {
    let msg = match e {
        ParserError::ParserError(m) | ParserError::TokenizerError(m) => m,
        ParserError::RecursionLimitExceeded => "statement nests too deeply".into(),
    };
    let msg = match msg.find(" at Line: ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    };
    let position =
        at.and_then(|t| super::parse::char_offset(sql, t.span.start.line as usize, t.span.start.column as usize));
    BackendError::new(ErrorKind::Syntax, format!("syntax error: {msg}")).with_position(position)
}

/// Wraps a sqlparser error with the token it stopped at.
fn at<T>(r: Result<T, ParserError>, p: &Parser<'_>) -> Res<T> {
    r.map_err(|e| (e, Some(p.peek_token())))
}

fn fail<T>(p: &Parser<'_>, expected: &str) -> Res<T> {
    let found = p.peek_token();
    Err((ParserError::ParserError(format!("Expected: {expected}, found: {}", found.token)), Some(found)))
}

/// Consumes a word that is not a sqlparser keyword (RECOVER, ...), case-insensitively.
fn word(p: &mut Parser<'_>, w: &str) -> bool {
    if matches!(&p.peek_token().token, Token::Word(x) if x.value.eq_ignore_ascii_case(w) && x.quote_style.is_none()) {
        p.next_token();
        true
    } else {
        false
    }
}

fn statement(p: &mut Parser<'_>, sql: &str) -> Res<Option<HiveStatement>> {
    if p.parse_keywords(&[Keyword::ALTER, Keyword::TABLE]) {
        return alter_table(p).map(Some);
    }
    if p.parse_keywords(&[Keyword::ALTER, Keyword::VIEW]) {
        return alter_view(p, sql).map(Some);
    }
    if p.parse_keywords(&[Keyword::SHOW, Keyword::TABLE, Keyword::EXTENDED]) {
        let database = if p.parse_one_of_keywords(&[Keyword::IN, Keyword::FROM]).is_some() {
            Some(at(p.parse_object_name(false), p)?)
        } else {
            None
        };
        at(p.expect_keyword(Keyword::LIKE), p)?;
        let pattern = at(p.parse_literal_string(), p)?;
        if p.parse_keyword(Keyword::PARTITION) {
            return Err((ParserError::ParserError("SHOW TABLE EXTENDED ... PARTITION is not supported".into()), Some(p.peek_token())));
        }
        return Ok(Some(HiveStatement::ShowTableExtended { database, pattern }));
    }
    if let Some(stmt) = cache_statement(p, sql)? {
        return Ok(Some(stmt));
    }
    if p.parse_keyword(Keyword::MSCK) {
        let _ = word(p, "repair");
        at(p.expect_keyword(Keyword::TABLE), p)?;
        let table = at(p.parse_object_name(false), p)?;
        // `ADD|DROP|SYNC PARTITIONS` options: discovering new directories is what is done.
        if p.parse_one_of_keywords(&[Keyword::ADD, Keyword::DROP]).is_some() || word(p, "sync") {
            at(p.expect_keyword(Keyword::PARTITIONS), p)?;
        }
        return Ok(Some(HiveStatement::RecoverPartitions { table }));
    }
    if p.parse_keyword(Keyword::TRUNCATE) {
        let _ = p.parse_keyword(Keyword::TABLE);
        let table = at(p.parse_object_name(false), p)?;
        let partition = optional_spec(p)?;
        return Ok(Some(HiveStatement::Truncate { table, partition }));
    }
    if p.parse_keywords(&[Keyword::LOAD, Keyword::DATA]) {
        let local = p.parse_keyword(Keyword::LOCAL);
        at(p.expect_keyword(Keyword::INPATH), p)?;
        let path = at(p.parse_literal_string(), p)?;
        let overwrite = p.parse_keyword(Keyword::OVERWRITE);
        at(p.expect_keyword(Keyword::INTO), p)?;
        at(p.expect_keyword(Keyword::TABLE), p)?;
        let table = at(p.parse_object_name(false), p)?;
        let partition = optional_spec(p)?;
        return Ok(Some(HiveStatement::LoadData { local, path, overwrite, table, partition }));
    }
    if p.peek_keyword(Keyword::CREATE) {
        return create_view(p, sql);
    }
    if p.parse_keywords(&[Keyword::DROP, Keyword::VIEW]) {
        let if_exists = p.parse_keywords(&[Keyword::IF, Keyword::EXISTS]);
        let name = at(p.parse_object_name(false), p)?;
        return Ok(Some(HiveStatement::DropView { name, if_exists }));
    }
    if p.parse_keyword(Keyword::SHOW) {
        return show(p);
    }
    if p.peek_keyword(Keyword::USE) {
        let start = p.index();
        p.next_token();
        if p.parse_one_of_keywords(&[Keyword::SCHEMA, Keyword::DATABASE]).is_some() || word(p, "namespace") {
            let name = at(p.parse_object_name(false), p)?;
            return Ok(Some(HiveStatement::Use { name }));
        }
        // `USE db` is sqlparser's.
        while p.index() > start {
            p.prev_token();
        }
    }
    if p.parse_one_of_keywords(&[Keyword::DESCRIBE, Keyword::DESC]).is_some() {
        return describe(p, sql).map(Some);
    }
    if p.parse_keywords(&[Keyword::ANALYZE, Keyword::TABLE]) {
        let table = at(p.parse_object_name(false), p)?;
        let partition = optional_spec(p)?;
        at(p.expect_keyword(Keyword::COMPUTE), p)?;
        at(p.expect_keyword(Keyword::STATISTICS), p)?;
        // NOSCAN, FOR COLUMNS ..., FOR ALL COLUMNS: statistics are always recomputed in full.
        while p.peek_token().token != Token::EOF && p.peek_token().token != Token::SemiColon {
            p.next_token();
        }
        return Ok(Some(HiveStatement::Analyze { table, partition }));
    }
    Ok(None)
}

fn alter_table(p: &mut Parser<'_>) -> Res<HiveStatement> {
    let table = at(p.parse_object_name(false), p)?;
    if p.parse_keyword(Keyword::ADD) {
        if p.parse_keyword(Keyword::COLUMNS) || p.parse_keyword(Keyword::COLUMN) {
            // `ADD COLUMNS (c INT, ...)`, or Spark's `ADD COLUMN c INT, ...` without parentheses.
            let columns = if p.peek_token().token == Token::LParen {
                column_list(p)?
            } else {
                let mut columns = vec![at(p.parse_column_def(), p)?];
                while p.consume_token(&Token::Comma) {
                    columns.push(at(p.parse_column_def(), p)?);
                }
                columns
            };
            return Ok(HiveStatement::AddColumns { table, columns });
        }
        let if_not_exists = p.parse_keywords(&[Keyword::IF, Keyword::NOT, Keyword::EXISTS]);
        let mut partitions = Vec::new();
        while p.parse_keyword(Keyword::PARTITION) {
            let spec = spec_body(p)?;
            let location = if p.parse_keyword(Keyword::LOCATION) { Some(at(p.parse_literal_string(), p)?) } else { None };
            partitions.push((spec, location));
        }
        if partitions.is_empty() {
            return fail(p, "PARTITION or COLUMNS after ADD");
        }
        return Ok(HiveStatement::AddPartitions { table, if_not_exists, partitions });
    }
    if p.parse_keyword(Keyword::DROP) {
        let if_exists = p.parse_keywords(&[Keyword::IF, Keyword::EXISTS]);
        let mut partitions = Vec::new();
        loop {
            at(p.expect_keyword(Keyword::PARTITION), p)?;
            partitions.push(spec_body(p)?);
            if !p.consume_token(&Token::Comma) {
                break;
            }
        }
        // PURGE: files are deleted in any case for managed tables.
        let _ = word(p, "purge");
        return Ok(HiveStatement::DropPartitions { table, if_exists, partitions });
    }
    if word(p, "recover") {
        at(p.expect_keyword(Keyword::PARTITIONS), p)?;
        return Ok(HiveStatement::RecoverPartitions { table });
    }
    if p.parse_keyword(Keyword::PARTITION) {
        let partition = spec_body(p)?;
        at(p.expect_keyword(Keyword::SET), p)?;
        at(p.expect_keyword(Keyword::LOCATION), p)?;
        let location = at(p.parse_literal_string(), p)?;
        return Ok(HiveStatement::SetPartitionLocation { table, partition, location });
    }
    if p.parse_keywords(&[Keyword::RENAME, Keyword::TO]) {
        let to = at(p.parse_object_name(false), p)?;
        return Ok(HiveStatement::RenameTable { table, to });
    }
    if p.parse_keywords(&[Keyword::REPLACE, Keyword::COLUMNS]) {
        let columns = column_list(p)?;
        return Ok(HiveStatement::ReplaceColumns { table, columns });
    }
    if p.parse_keyword(Keyword::ALTER) || (p.peek_keyword(Keyword::CHANGE) && column_change_follows(p)) {
        let _ = p.parse_keyword(Keyword::CHANGE);
        let _ = p.parse_keyword(Keyword::COLUMN);
        let column = at(p.parse_identifier(), p)?.value.to_lowercase();
        let change = column_change(p)?;
        return Ok(HiveStatement::AlterColumn { table, column, change });
    }
    if p.parse_keyword(Keyword::CHANGE) {
        let _ = p.parse_keyword(Keyword::COLUMN);
        let old = at(p.parse_identifier(), p)?.value.to_lowercase();
        let new = at(p.parse_column_def(), p)?;
        // FIRST / AFTER col: column order changes are not supported.
        if p.parse_keyword(Keyword::FIRST) || p.parse_keyword(Keyword::AFTER) {
            return fail(p, "end of statement (FIRST and AFTER are not supported)");
        }
        return Ok(HiveStatement::ChangeColumn { table, old, new });
    }
    if p.parse_keywords(&[Keyword::SET, Keyword::TBLPROPERTIES]) {
        let properties = properties(p)?;
        return Ok(HiveStatement::SetProperties { table, properties });
    }
    if p.parse_keywords(&[Keyword::UNSET, Keyword::TBLPROPERTIES]) {
        let if_exists = p.parse_keywords(&[Keyword::IF, Keyword::EXISTS]);
        at(p.expect_token(&Token::LParen), p)?;
        let keys = at(p.parse_comma_separated(|p| p.parse_literal_string()), p)?;
        at(p.expect_token(&Token::RParen), p)?;
        return Ok(HiveStatement::UnsetProperties { table, if_exists, keys });
    }
    if p.parse_keywords(&[Keyword::SET, Keyword::LOCATION]) {
        let location = at(p.parse_literal_string(), p)?;
        return Ok(HiveStatement::SetLocation { table, location });
    }
    if p.parse_keywords(&[Keyword::SET, Keyword::SERDEPROPERTIES]) {
        let properties = properties(p)?;
        return Ok(HiveStatement::SetSerdeProperties { table, properties });
    }
    fail(
        p,
        "ADD, DROP, RECOVER PARTITIONS, PARTITION, RENAME TO, REPLACE COLUMNS, CHANGE, ALTER COLUMN, SET TBLPROPERTIES, \
         UNSET TBLPROPERTIES, SET LOCATION or SET SERDEPROPERTIES after ALTER TABLE",
    )
}

fn alter_view(p: &mut Parser<'_>, sql: &str) -> Res<HiveStatement> {
    let name = at(p.parse_object_name(false), p)?;
    if p.parse_keywords(&[Keyword::SET, Keyword::TBLPROPERTIES]) {
        let properties = properties(p)?;
        return Ok(HiveStatement::SetProperties { table: name, properties });
    }
    if p.parse_keywords(&[Keyword::UNSET, Keyword::TBLPROPERTIES]) {
        let if_exists = p.parse_keywords(&[Keyword::IF, Keyword::EXISTS]);
        at(p.expect_token(&Token::LParen), p)?;
        let keys = at(p.parse_comma_separated(|p| p.parse_literal_string()), p)?;
        at(p.expect_token(&Token::RParen), p)?;
        return Ok(HiveStatement::UnsetProperties { table: name, if_exists, keys });
    }
    if p.parse_keywords(&[Keyword::RENAME, Keyword::TO]) {
        let to = at(p.parse_object_name(false), p)?;
        return Ok(HiveStatement::RenameTable { table: name, to });
    }
    at(p.expect_keyword(Keyword::AS), p)?;
    let query = rest_of_statement(p, sql)?;
    Ok(HiveStatement::AlterView { name, query })
}

fn create_view(p: &mut Parser<'_>, sql: &str) -> Res<Option<HiveStatement>> {
    let start = p.index();
    p.next_token(); // CREATE
    if p.parse_one_of_keywords(&[Keyword::DATABASE, Keyword::SCHEMA]).is_some() {
        return create_database(p).map(Some);
    }
    let or_replace = p.parse_keywords(&[Keyword::OR, Keyword::REPLACE]);
    // Temporary views live only in their session, as in Spark.
    let global = p.parse_keyword(Keyword::GLOBAL);
    let temporary = p.parse_one_of_keywords(&[Keyword::TEMPORARY, Keyword::TEMP]).is_some();
    if global && !temporary {
        return Err((ParserError::ParserError("expected TEMPORARY after GLOBAL".into()), Some(p.peek_token())));
    }
    if !p.parse_keyword(Keyword::VIEW) {
        // Not a view: leave the statement to sqlparser.
        while p.index() > start {
            p.prev_token();
        }
        return Ok(None);
    }
    let if_not_exists = p.parse_keywords(&[Keyword::IF, Keyword::NOT, Keyword::EXISTS]);
    let name = at(p.parse_object_name(false), p)?;
    let mut columns = Vec::new();
    if p.consume_token(&Token::LParen) {
        loop {
            let col = at(p.parse_identifier(), p)?.value.to_lowercase();
            let comment = if p.parse_keyword(Keyword::COMMENT) { Some(at(p.parse_literal_string(), p)?) } else { None };
            columns.push((col, comment));
            if !p.consume_token(&Token::Comma) {
                break;
            }
        }
        at(p.expect_token(&Token::RParen), p)?;
    }
    let mut comment = None;
    loop {
        if p.parse_keyword(Keyword::COMMENT) {
            comment = Some(at(p.parse_literal_string(), p)?);
        } else if p.parse_keyword(Keyword::TBLPROPERTIES) {
            properties(p)?;
        } else {
            break;
        }
    }
    at(p.expect_keyword(Keyword::AS), p)?;
    let query = rest_of_statement(p, sql)?;
    Ok(Some(HiveStatement::CreateView { name, or_replace, temporary, global, if_not_exists, columns, comment, query }))
}

/// Spark's cache statements: CACHE, UNCACHE, REFRESH and CLEAR CACHE.
fn cache_statement(p: &mut Parser<'_>, sql: &str) -> Res<Option<HiveStatement>> {
    if p.parse_keyword(Keyword::CACHE) {
        let _ = word(p, "lazy");
        at(p.expect_keyword(Keyword::TABLE), p)?;
        let table = at(p.parse_object_name(false), p)?;
        if word(p, "options") {
            properties(p)?;
        }
        let _ = p.parse_keyword(Keyword::AS);
        let query = (p.peek_token().token != Token::EOF && p.peek_token().token != Token::SemiColon)
            .then(|| rest_of_statement(p, sql))
            .transpose()?;
        return Ok(Some(HiveStatement::Cache { table, query }));
    }
    if word(p, "uncache") {
        at(p.expect_keyword(Keyword::TABLE), p)?;
        let if_exists = p.parse_keywords(&[Keyword::IF, Keyword::EXISTS]);
        let table = at(p.parse_object_name(false), p)?;
        return Ok(Some(HiveStatement::Uncache { table, if_exists }));
    }
    if word(p, "refresh") {
        if p.parse_keyword(Keyword::TABLE) {
            let table = at(p.parse_object_name(false), p)?;
            return Ok(Some(HiveStatement::Refresh { table: Some(table) }));
        }
        // `REFRESH 'path'`, `REFRESH FUNCTION f`, or a bare table name.
        if p.parse_keyword(Keyword::FUNCTION) {
            at(p.parse_object_name(false), p)?;
            return Ok(Some(HiveStatement::Refresh { table: None }));
        }
        if matches!(p.peek_token().token, Token::SingleQuotedString(_) | Token::DoubleQuotedString(_)) {
            p.next_token();
            return Ok(Some(HiveStatement::Refresh { table: None }));
        }
        let table = at(p.parse_object_name(false), p)?;
        return Ok(Some(HiveStatement::Refresh { table: Some(table) }));
    }
    if word(p, "clear") {
        at(p.expect_keyword(Keyword::CACHE), p)?;
        return Ok(Some(HiveStatement::ClearCache));
    }
    Ok(None)
}

fn create_database(p: &mut Parser<'_>) -> Res<HiveStatement> {
    let if_not_exists = p.parse_keywords(&[Keyword::IF, Keyword::NOT, Keyword::EXISTS]);
    let name = at(p.parse_object_name(false), p)?;
    let (mut comment, mut location, mut properties) = (None, None, BTreeMap::new());
    loop {
        if p.parse_keyword(Keyword::COMMENT) {
            comment = Some(at(p.parse_literal_string(), p)?);
        } else if p.parse_keyword(Keyword::LOCATION) {
            location = Some(at(p.parse_literal_string(), p)?);
        } else if p.parse_keyword(Keyword::WITH) {
            if !word(p, "dbproperties") && !word(p, "properties") {
                return fail(p, "DBPROPERTIES after WITH");
            }
            properties = self::properties(p)?;
        } else {
            break;
        }
    }
    Ok(HiveStatement::CreateDatabase { name, if_not_exists, comment, location, properties })
}

/// The statement text from the next token on, without a trailing semicolon.
fn rest_of_statement(p: &mut Parser<'_>, sql: &str) -> Res<String> {
    let next = p.peek_token();
    if next.token == Token::EOF {
        return fail(p, "a query");
    }
    let from = super::parse::span_offset(sql, &next.span.start).unwrap_or(0);
    while p.peek_token().token != Token::EOF {
        p.next_token();
    }
    Ok(sql[from..].trim().trim_end_matches(';').trim().to_string())
}

fn show(p: &mut Parser<'_>) -> Res<Option<HiveStatement>> {
    if p.parse_keyword(Keyword::PARTITIONS) {
        let table = at(p.parse_object_name(false), p)?;
        let partition = optional_spec(p)?;
        return Ok(Some(HiveStatement::ShowPartitions { table, partition }));
    }
    if p.parse_keyword(Keyword::VIEWS) {
        let database =
            if p.parse_one_of_keywords(&[Keyword::IN, Keyword::FROM]).is_some() { Some(at(p.parse_object_name(false), p)?) } else { None };
        let pattern = show_pattern(p)?;
        return Ok(Some(HiveStatement::ShowViews { database, pattern }));
    }
    if p.parse_keywords(&[Keyword::CREATE, Keyword::TABLE]) {
        let table = at(p.parse_object_name(false), p)?;
        if p.parse_keyword(Keyword::AS) {
            let _ = word(p, "serde");
        }
        return Ok(Some(HiveStatement::ShowCreateTable { table }));
    }
    if p.parse_keyword(Keyword::TBLPROPERTIES) {
        let table = at(p.parse_object_name(false), p)?;
        let key = if p.consume_token(&Token::LParen) {
            let k = at(p.parse_literal_string(), p)?;
            at(p.expect_token(&Token::RParen), p)?;
            Some(k)
        } else {
            None
        };
        return Ok(Some(HiveStatement::ShowTblProperties { table, key }));
    }
    if p.parse_keyword(Keyword::COLUMNS) {
        if p.parse_one_of_keywords(&[Keyword::IN, Keyword::FROM]).is_none() {
            return fail(p, "IN or FROM");
        }
        let table = at(p.parse_object_name(false), p)?;
        let database =
            if p.parse_one_of_keywords(&[Keyword::IN, Keyword::FROM]).is_some() { Some(at(p.parse_object_name(false), p)?) } else { None };
        return Ok(Some(HiveStatement::ShowColumns { table, database }));
    }
    let _ = p.parse_one_of_keywords(&[Keyword::USER, Keyword::SYSTEM, Keyword::ALL]);
    if p.parse_keyword(Keyword::FUNCTIONS) {
        let pattern = show_pattern(p)?;
        return Ok(Some(HiveStatement::ShowFunctions { pattern }));
    }
    if p.parse_keyword(Keyword::CURRENT) {
        if p.parse_one_of_keywords(&[Keyword::DATABASE, Keyword::SCHEMA]).is_some() || word(p, "namespace") {
            return Ok(Some(HiveStatement::ShowCurrentDatabase));
        }
        return fail(p, "DATABASE or NAMESPACE");
    }
    // Leave the rest (SHOW TABLES, SHOW DATABASES, SHOW <setting>) to sqlparser.
    Ok(None)
}

fn show_pattern(p: &mut Parser<'_>) -> Res<Option<String>> {
    let _ = p.parse_keyword(Keyword::LIKE);
    match p.peek_token().token {
        Token::SingleQuotedString(_) | Token::DoubleQuotedString(_) => Ok(Some(at(p.parse_literal_string(), p)?)),
        _ => Ok(None),
    }
}

fn describe(p: &mut Parser<'_>, sql: &str) -> Res<HiveStatement> {
    // `DESC QUERY query`; `DESC query` alone describes a table named query. Spark also reads a
    // query right after DESC (`DESC SELECT ...`), but PyHive asks `DESCRIBE <text>` to learn
    // whether pandas' `read_sql(text)` names a table, and must be told no for a query.
    let query_word = matches!(&p.peek_token().token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case("query"))
        && !matches!(p.peek_nth_token(1).token, Token::EOF | Token::SemiColon | Token::Period);
    if query_word {
        p.next_token();
        let query = rest_of_statement(p, sql)?;
        return Ok(HiveStatement::DescribeQuery { query });
    }
    if p.parse_keyword(Keyword::FUNCTION) {
        let extended = p.parse_keyword(Keyword::EXTENDED);
        let name = match p.peek_token().token {
            Token::SingleQuotedString(_) | Token::DoubleQuotedString(_) => at(p.parse_literal_string(), p)?,
            _ => at(p.parse_object_name(false), p)?.to_string().replace('`', ""),
        };
        return Ok(HiveStatement::DescribeFunction { name, extended });
    }
    if p.parse_one_of_keywords(&[Keyword::DATABASE, Keyword::SCHEMA]).is_some() || word(p, "namespace") {
        let extended = p.parse_keyword(Keyword::EXTENDED);
        let name = at(p.parse_object_name(false), p)?;
        return Ok(HiveStatement::DescribeDatabase { name, extended });
    }
    let _ = p.parse_keyword(Keyword::TABLE);
    let extended = p.parse_one_of_keywords(&[Keyword::EXTENDED, Keyword::FORMATTED]).is_some();
    let table = at(p.parse_object_name(false), p)?;
    let partition = optional_spec(p)?;
    let column = match p.peek_token().token {
        Token::Word(_) => Some(at(p.parse_identifier(), p)?.value.to_lowercase()),
        _ => None,
    };
    Ok(HiveStatement::Describe { table, extended, partition, column })
}

fn optional_spec(p: &mut Parser<'_>) -> Res<Option<Spec>> {
    if p.parse_keyword(Keyword::PARTITION) {
        Ok(Some(spec_body(p)?))
    } else {
        Ok(None)
    }
}

/// `(col [= value], ...)`.
fn spec_body(p: &mut Parser<'_>) -> Res<Spec> {
    at(p.expect_token(&Token::LParen), p)?;
    let mut spec = Vec::new();
    loop {
        let col = at(p.parse_identifier(), p)?.value.to_lowercase();
        let value = if p.consume_token(&Token::Eq) {
            let e = at(p.parse_expr(), p)?;
            Some(literal(&e).map_err(|m| (ParserError::ParserError(m), Some(p.peek_token())))?)
        } else {
            None
        };
        spec.push((col, value));
        if !p.consume_token(&Token::Comma) {
            break;
        }
    }
    at(p.expect_token(&Token::RParen), p)?;
    Ok(spec)
}

/// The text of a literal partition value; NULL is `None`.
pub fn literal(e: &Expr) -> Result<Option<String>, String> {
    use datafusion::sql::sqlparser::ast::{UnaryOperator, Value};
    match e {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => Ok(Some(s.clone())),
            Value::Number(n, _) => Ok(Some(n.clone())),
            Value::Boolean(b) => Ok(Some(b.to_string())),
            Value::Null => Ok(None),
            other => Err(format!("unsupported partition value {other}")),
        },
        Expr::UnaryOp { op: UnaryOperator::Minus, expr } => Ok(literal(expr)?.map(|t| format!("-{t}"))),
        Expr::TypedString(t) => literal(&Expr::Value(t.value.clone())),
        other => Err(format!("a partition value must be a literal, not {other}")),
    }
}

fn column_list(p: &mut Parser<'_>) -> Res<Vec<SqlColumnDef>> {
    at(p.expect_token(&Token::LParen), p)?;
    let cols = at(p.parse_comma_separated(|p| p.parse_column_def()), p)?;
    at(p.expect_token(&Token::RParen), p)?;
    Ok(cols)
}

fn properties(p: &mut Parser<'_>) -> Res<BTreeMap<String, String>> {
    at(p.expect_token(&Token::LParen), p)?;
    let mut out = BTreeMap::new();
    loop {
        let key = match p.peek_token().token {
            Token::SingleQuotedString(_) | Token::DoubleQuotedString(_) => at(p.parse_literal_string(), p)?,
            _ => {
                let mut parts = vec![at(p.parse_identifier(), p)?.value];
                while p.consume_token(&Token::Period) {
                    parts.push(at(p.parse_identifier(), p)?.value);
                }
                parts.join(".")
            }
        };
        let _ = p.consume_token(&Token::Eq);
        let value = at(p.parse_expr(), p)?;
        let value = literal(&value).map_err(|m| (ParserError::ParserError(m), Some(p.peek_token())))?.unwrap_or_default();
        out.insert(key, value);
        if !p.consume_token(&Token::Comma) {
            break;
        }
    }
    at(p.expect_token(&Token::RParen), p)?;
    Ok(out)
}

/// The comment of a column definition, if any.
pub fn column_comment(c: &SqlColumnDef) -> Option<String> {
    c.options.iter().find_map(|o| match &o.option {
        ColumnOption::Comment(text) => Some(text.clone()),
        _ => None,
    })
}

/// What `ALTER COLUMN` changes of a column.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ColumnChange {
    pub data_type: Option<datafusion::sql::sqlparser::ast::DataType>,
    pub comment: Option<String>,
    /// `SET DEFAULT e` (Some(Some)) or `DROP DEFAULT` (Some(None)).
    pub default: Option<Option<String>>,
}

/// Whether `CHANGE [COLUMN] c` is Spark's form (`c COMMENT ...`, `c TYPE ...`), not Hive's
/// (`old new type`): the word after the column is a change, not a new name.
fn column_change_follows(p: &Parser) -> bool {
    let mut n = 1;
    if matches!(&p.peek_nth_token(n).token, Token::Word(w) if w.keyword == Keyword::COLUMN) {
        n += 1;
    }
    matches!(&p.peek_nth_token(n + 1).token, Token::Word(w) if matches!(w.keyword, Keyword::COMMENT | Keyword::TYPE | Keyword::SET | Keyword::DROP))
        || matches!(&p.peek_nth_token(n + 1).token, Token::EOF | Token::SemiColon)
}

/// The changes after `ALTER COLUMN c`.
fn column_change(p: &mut Parser) -> Res<ColumnChange> {
    let mut change = ColumnChange::default();
    loop {
        if p.parse_keyword(Keyword::TYPE) {
            change.data_type = Some(at(p.parse_data_type(), p)?);
        } else if p.parse_keyword(Keyword::COMMENT) {
            change.comment = Some(at(p.parse_literal_string(), p)?);
        } else if p.parse_keywords(&[Keyword::SET, Keyword::DEFAULT]) {
            change.default = Some(Some(at(p.parse_expr(), p)?.to_string()));
        } else if p.parse_keywords(&[Keyword::DROP, Keyword::DEFAULT]) {
            change.default = Some(None);
        } else {
            break;
        }
    }
    if change == ColumnChange::default() {
        return fail(p, "TYPE, COMMENT, SET DEFAULT or DROP DEFAULT after ALTER COLUMN");
    }
    Ok(change)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hiveql::dialect::HiveQlDialect;

    fn read(sql: &str) -> HiveStatement {
        parse(sql, &HiveQlDialect::default()).unwrap().unwrap()
    }

    #[test]
    fn reads_partition_statements() {
        match read("ALTER TABLE db.t ADD IF NOT EXISTS PARTITION (dt='x', h=1) LOCATION '/l' PARTITION (dt='y', h=2)") {
            HiveStatement::AddPartitions { if_not_exists, partitions, .. } => {
                assert!(if_not_exists);
                assert_eq!(partitions.len(), 2);
                assert_eq!(partitions[0].1.as_deref(), Some("/l"));
                assert_eq!(partitions[1].0[1], ("h".to_string(), Some(Some("2".to_string()))));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(read("MSCK REPAIR TABLE t"), HiveStatement::RecoverPartitions { .. }));
        assert!(matches!(read("alter table t recover partitions"), HiveStatement::RecoverPartitions { .. }));
        assert!(matches!(read("SHOW PARTITIONS t PARTITION (dt='x')"), HiveStatement::ShowPartitions { partition: Some(_), .. }));
    }

    #[test]
    fn reads_views_with_their_query_text() {
        match read("CREATE OR REPLACE VIEW v (a COMMENT 'x', b) AS SELECT 1, 2;") {
            HiveStatement::CreateView { or_replace, columns, query, .. } => {
                assert!(or_replace);
                assert_eq!(columns.len(), 2);
                assert_eq!(query, "SELECT 1, 2");
            }
            other => panic!("{other:?}"),
        }
        assert!(parse("CREATE TABLE t (a INT)", &HiveQlDialect::default()).unwrap().is_none());
        assert!(parse("SHOW TABLES", &HiveQlDialect::default()).unwrap().is_none());
    }

    #[test]
    fn reports_positions() {
        let e = parse("ALTER TABLE t FROB", &HiveQlDialect::default()).unwrap_err();
        assert_eq!(e.position, Some(15));
    }
}
