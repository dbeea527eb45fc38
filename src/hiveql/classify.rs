//! Decides who runs a statement: DataFusion's planner, or one of the front end's own handlers.

use datafusion::sql::sqlparser::ast::{
    CopyLegacyCsvOption, CopyLegacyOption, CopyOption, CopySource, CopyTarget, CreateTable, DescribeAlias,
    Expr, Ident, ObjectName, ObjectType, Query, Set, ShowStatementFilter, ShowStatementFilterPosition,
    ShowStatementOptions, Statement, Use, Value,
};
use hivewire_backend::{BackendError, CopyFormat};

/// What to do with one statement.
#[derive(Debug)]
pub enum Action {
    /// Plan and run with DataFusion (queries, INSERT, EXPLAIN).
    Sql(Box<Statement>),
    /// `CREATE DATABASE|SCHEMA`.
    CreateDatabase {
        /// Name.
        name: ObjectName,
        /// `IF NOT EXISTS`.
        if_not_exists: bool,
        /// `LOCATION`.
        location: Option<String>,
        /// `COMMENT`.
        comment: Option<String>,
    },
    /// `DROP DATABASE|SCHEMA`.
    DropDatabase {
        /// Names.
        names: Vec<ObjectName>,
        /// `IF EXISTS`.
        if_exists: bool,
        /// `CASCADE`.
        cascade: bool,
    },
    /// `USE db`.
    Use(ObjectName),
    /// `SHOW DATABASES|SCHEMAS [LIKE 'p']`.
    ShowDatabases(Option<String>),
    /// `SHOW TABLES [IN db] [LIKE 'p']`.
    ShowTables {
        /// `IN db`.
        database: Option<ObjectName>,
        /// The pattern.
        pattern: Option<String>,
    },
    /// `DESCRIBE t`.
    Describe(ObjectName),
    /// `CREATE [EXTERNAL] TABLE [AS SELECT]`.
    CreateTable(Box<CreateTable>),
    /// A Hive statement sqlparser does not read (partitions, views, ALTER TABLE, SHOW/DESCRIBE forms).
    Hive(Box<super::hive_ddl::HiveStatement>),
    /// `INSERT INTO|OVERWRITE`.
    Insert(Box<datafusion::sql::sqlparser::ast::Insert>),
    /// `DROP TABLE`.
    DropTable {
        /// Names.
        names: Vec<ObjectName>,
        /// `IF EXISTS`.
        if_exists: bool,
    },
    /// `SET k = v`.
    Set {
        /// Key.
        key: String,
        /// Value text.
        value: String,
    },
    /// `SET` with no key, or `SHOW ALL`: every setting.
    ShowAllSettings,
    /// `SHOW k` (PostgreSQL).
    ShowSetting(String),
    /// `RESET k` / `RESET ALL` / `DISCARD ALL`.
    Reset(Option<String>),
    /// `BEGIN` / `START TRANSACTION`.
    Begin,
    /// `COMMIT` / `END`.
    Commit,
    /// `ROLLBACK` / `ABORT`.
    Rollback,
    /// `SAVEPOINT`, `RELEASE SAVEPOINT`, `ROLLBACK TO SAVEPOINT`: accepted inside a transaction block.
    /// Every statement commits on its own, so there is nothing to roll back to.
    Savepoint(&'static str),
    /// `COPY (query) TO STDOUT`.
    Copy {
        /// The query.
        query: Box<Query>,
        /// The output encoding.
        format: CopyFormat,
    },
}

/// Classifies a parsed statement.
pub fn classify(statement: Statement) -> Result<Action, BackendError> {
    Ok(match statement {
        Statement::Query(_) | Statement::Explain { .. } => Action::Sql(Box::new(statement)),
        Statement::Insert(ins) => Action::Insert(Box::new(ins)),
        Statement::CreateDatabase { db_name, if_not_exists, location, comment, .. } => {
            Action::CreateDatabase { name: db_name, if_not_exists, location, comment }
        }
        Statement::CreateSchema { schema_name, if_not_exists, .. } => {
            let name = schema_name_object(&schema_name)?;
            Action::CreateDatabase { name, if_not_exists, location: None, comment: None }
        }
        Statement::Drop { object_type: ObjectType::Schema | ObjectType::Database, if_exists, names, cascade, .. } => {
            Action::DropDatabase { names, if_exists, cascade }
        }
        Statement::Drop { object_type: ObjectType::Table, if_exists, names, .. } => Action::DropTable { names, if_exists },
        Statement::Use(u) => match u {
            Use::Object(n) | Use::Database(n) | Use::Schema(n) => Action::Use(n),
            Use::Default => Action::Use(ObjectName::from(vec![datafusion::sql::sqlparser::ast::Ident::new("default")])),
            other => return Err(BackendError::not_supported(format!("USE {other}"))),
        },
        Statement::ShowDatabases { show_options, .. } | Statement::ShowSchemas { show_options, .. } => {
            Action::ShowDatabases(filter_pattern(&show_options)?)
        }
        Statement::ShowTables { show_options, .. } => {
            let database = show_options.show_in.as_ref().and_then(|i| i.parent_name.clone());
            Action::ShowTables { database, pattern: filter_pattern(&show_options)? }
        }
        Statement::ExplainTable { describe_alias: DescribeAlias::Describe | DescribeAlias::Desc, hive_format: None, table_name, .. } => {
            Action::Describe(table_name)
        }
        Statement::CreateTable(ct) => Action::CreateTable(Box::new(ct)),
        Statement::Set(set) => classify_set(set)?,
        Statement::ShowVariable { variable } => {
            let name = show_variable_name(&variable);
            if name.eq_ignore_ascii_case("all") {
                Action::ShowAllSettings
            } else {
                Action::ShowSetting(name)
            }
        }
        Statement::StartTransaction { .. } => Action::Begin,
        Statement::Commit { .. } => Action::Commit,
        Statement::Rollback { savepoint: None, .. } => Action::Rollback,
        Statement::Rollback { savepoint: Some(_), .. } => Action::Savepoint("ROLLBACK"),
        Statement::Savepoint { .. } => Action::Savepoint("SAVEPOINT"),
        Statement::ReleaseSavepoint { .. } => Action::Savepoint("RELEASE"),
        // Named SQL-level prepared statements are not kept, so there is nothing to deallocate.
        Statement::Deallocate { .. } => Action::Savepoint("DEALLOCATE"),
        Statement::Discard { .. } => Action::Reset(None),
        Statement::Copy { source: CopySource::Query(query), to: true, target: CopyTarget::Stdout, options, legacy_options, .. } => {
            Action::Copy { query, format: copy_format(&options, &legacy_options)? }
        }
        Statement::Copy { .. } => return Err(BackendError::not_supported("COPY other than COPY (query) TO STDOUT")),
        other => return Err(BackendError::not_supported(statement_kind(&other))),
    })
}

/// A short name for a statement, for "not supported" messages.
fn statement_kind(s: &Statement) -> String {
    let text = s.to_string();
    let words: Vec<&str> = text.split_whitespace().take(3).collect();
    let kind = words
        .iter()
        .take_while(|w| w.chars().all(|c| c.is_ascii_alphabetic()) && w.chars().any(|c| c.is_ascii_uppercase()))
        .cloned()
        .collect::<Vec<_>>()
        .join(" ");
    if kind.is_empty() {
        "this statement".to_string()
    } else {
        format!("the statement {kind}")
    }
}

fn schema_name_object(s: &datafusion::sql::sqlparser::ast::SchemaName) -> Result<ObjectName, BackendError> {
    use datafusion::sql::sqlparser::ast::SchemaName;
    match s {
        SchemaName::Simple(n) | SchemaName::NamedAuthorization(n, _) => Ok(n.clone()),
        SchemaName::UnnamedAuthorization(_) => Err(BackendError::not_supported("CREATE SCHEMA AUTHORIZATION")),
    }
}

fn filter_pattern(options: &ShowStatementOptions) -> Result<Option<String>, BackendError> {
    match &options.filter_position {
        None => Ok(None),
        Some(ShowStatementFilterPosition::Infix(f) | ShowStatementFilterPosition::Suffix(f)) => match f {
            ShowStatementFilter::Like(p) | ShowStatementFilter::ILike(p) | ShowStatementFilter::NoKeyword(p) => {
                Ok(Some(p.clone()))
            }
            ShowStatementFilter::Where(_) => Err(BackendError::not_supported("SHOW ... WHERE")),
        },
    }
}

/// The text of a SET value: strings unquoted, identifiers and numbers as written.
pub fn value_text(e: &Expr) -> String {
    match e {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => s.clone(),
            other => other.to_string(),
        },
        Expr::Identifier(i) => i.value.clone(),
        other => other.to_string(),
    }
}

/// The name `SHOW` asks for. sqlparser hands over its words without the dots between them, so
/// PostgreSQL's few names of several words (`SHOW TRANSACTION ISOLATION LEVEL`) are joined by
/// spaces and every other name by dots (`SHOW datafusion.execution.batch_size`).
fn show_variable_name(words: &[Ident]) -> String {
    const SPACED: [&str; 3] = ["transaction isolation level", "time zone", "session authorization"];
    let spaced = words.iter().map(|i| i.value.as_str()).collect::<Vec<_>>().join(" ");
    if SPACED.contains(&spaced.to_lowercase().as_str()) {
        spaced
    } else {
        words.iter().map(|i| i.value.as_str()).collect::<Vec<_>>().join(".")
    }
}

fn classify_set(set: Set) -> Result<Action, BackendError> {
    Ok(match set {
        Set::SingleAssignment { variable, values, .. } => {
            let key = variable.0.iter().map(|p| p.to_string().trim_matches('"').to_string()).collect::<Vec<_>>().join(".");
            let value = values.iter().map(value_text).collect::<Vec<_>>().join(", ");
            Action::Set { key, value }
        }
        Set::SetTimeZone { value, .. } => Action::Set { key: "timezone".into(), value: value_text(&value) },
        Set::SetNames { charset_name, .. } => Action::Set { key: "client_encoding".into(), value: charset_name.to_string() },
        Set::SetTransaction { .. } => Action::Set { key: "transaction_isolation".into(), value: "read committed".into() },
        other => return Err(BackendError::not_supported(format!("SET {other}"))),
    })
}

fn copy_format(options: &[CopyOption], legacy: &[CopyLegacyOption]) -> Result<CopyFormat, BackendError> {
    let mut kind = "text".to_string();
    let (mut delimiter, mut null, mut header, mut quote, mut escape) = (None, None, false, '"', None);
    for o in options {
        match o {
            CopyOption::Format(f) => kind = f.value.to_lowercase(),
            CopyOption::Delimiter(c) => delimiter = Some(*c),
            CopyOption::Null(s) => null = Some(s.clone()),
            CopyOption::Header(h) => header = *h,
            CopyOption::Quote(c) => quote = *c,
            CopyOption::Escape(c) => escape = Some(*c),
            other => return Err(BackendError::not_supported(format!("COPY option {other}"))),
        }
    }
    for o in legacy {
        match o {
            CopyLegacyOption::Binary => kind = "binary".into(),
            CopyLegacyOption::Delimiter(c) => delimiter = Some(*c),
            CopyLegacyOption::Null(s) => null = Some(s.clone()),
            CopyLegacyOption::Csv(csv) => {
                kind = "csv".into();
                for c in csv {
                    match c {
                        CopyLegacyCsvOption::Header => header = true,
                        CopyLegacyCsvOption::Quote(q) => quote = *q,
                        CopyLegacyCsvOption::Escape(e) => escape = Some(*e),
                        other => return Err(BackendError::not_supported(format!("COPY option {other}"))),
                    }
                }
            }
            other => return Err(BackendError::not_supported(format!("COPY option {other}"))),
        }
    }
    Ok(match kind.as_str() {
        "text" => CopyFormat::Text { delimiter: delimiter.unwrap_or('\t'), null: null.unwrap_or_else(|| "\\N".into()) },
        "csv" => CopyFormat::Csv {
            delimiter: delimiter.unwrap_or(','),
            null: null.unwrap_or_default(),
            header,
            quote,
            escape: escape.unwrap_or(quote),
        },
        "binary" => CopyFormat::Binary,
        other => return Err(BackendError::not_supported(format!("COPY format {other}"))),
    })
}
