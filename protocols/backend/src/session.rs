//! The traits a protocol front end drives: a [`Backend`] opens [`Session`]s, and a session runs SQL.

use std::collections::BTreeMap;
use std::pin::Pin;

use arrow::array::ArrayRef;
use arrow::datatypes::{DataType, SchemaRef};
use arrow::record_batch::RecordBatch;
use async_trait::async_trait;
use futures::Stream;
use tokio_util::sync::CancellationToken;

use crate::error::BackendError;

/// A stream of result batches. Dropping it stops the query and frees what it holds.
pub type BatchStream = Pin<Box<dyn Stream<Item = Result<RecordBatch, BackendError>> + Send>>;

/// Which wire protocol a session arrived on. It decides the SQL flavour: in HiveQL double quotes
/// delimit strings, in PostgreSQL they delimit identifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProtocolKind {
    /// PostgreSQL v3.
    Postgres,
    /// HiveServer2 Thrift.
    HiveServer2,
}

/// What a client asked for when it opened a session.
#[derive(Debug, Clone)]
pub struct SessionOptions {
    /// The authenticated user.
    pub user: String,
    /// The database to start in: a Hive database, or the catalog's own name, or none for `default`.
    pub database: Option<String>,
    /// Session settings given at connect time (`SET` keys).
    pub settings: BTreeMap<String, String>,
    /// The protocol the session arrived on.
    pub protocol: ProtocolKind,
}

/// How a statement changed the transaction state, for protocols that report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransactionEffect {
    /// The statement began a transaction block.
    Begin,
    /// The statement ended a transaction block (commit or rollback).
    End,
}

/// The outcome of a statement that returns no rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandOutcome {
    /// The command tag, e.g. `CREATE TABLE`, `INSERT`, `SET`.
    pub tag: String,
    /// Rows affected, where the command counts them.
    pub rows: Option<u64>,
    /// Its effect on the transaction state.
    pub transaction: Option<TransactionEffect>,
}

impl CommandOutcome {
    /// An outcome with a tag and nothing else.
    pub fn tag(tag: impl Into<String>) -> Self {
        CommandOutcome { tag: tag.into(), rows: None, transaction: None }
    }

    /// An outcome that affected `rows` rows.
    pub fn with_rows(tag: impl Into<String>, rows: u64) -> Self {
        CommandOutcome { tag: tag.into(), rows: Some(rows), transaction: None }
    }
}

/// What a statement produced.
pub enum QueryResult {
    /// Rows: their schema, then batches as they are computed.
    Rows {
        /// The schema of every batch.
        schema: SchemaRef,
        /// The batches. The query runs as the stream is polled.
        stream: BatchStream,
        /// The tag a protocol reports when the rows end (`SELECT`, `SHOW`...).
        tag: String,
    },
    /// No rows: a command.
    Command(CommandOutcome),
    /// Rows for bulk export (`COPY (query) TO STDOUT`), to be sent in `format`.
    Copy {
        /// The schema of every batch.
        schema: SchemaRef,
        /// The batches.
        stream: BatchStream,
        /// How to encode them.
        format: CopyFormat,
    },
}

/// The encoding of a bulk export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CopyFormat {
    /// Delimited text, PostgreSQL's `text` format (backslash escapes, `\N` for NULL by default).
    Text {
        /// Field separator.
        delimiter: char,
        /// The text written for NULL.
        null: String,
    },
    /// CSV.
    Csv {
        /// Field separator.
        delimiter: char,
        /// The text written for NULL.
        null: String,
        /// Whether a header line comes first.
        header: bool,
        /// Quote character.
        quote: char,
        /// Escape character inside quotes.
        escape: char,
    },
    /// PostgreSQL's binary COPY format.
    Binary,
}

impl std::fmt::Debug for QueryResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            QueryResult::Rows { schema, tag, .. } => {
                f.debug_struct("Rows").field("schema", schema).field("tag", tag).finish()
            }
            QueryResult::Command(c) => f.debug_tuple("Command").field(c).finish(),
            QueryResult::Copy { schema, format, .. } => {
                f.debug_struct("Copy").field("schema", schema).field("format", format).finish()
            }
        }
    }
}

/// What a statement will take and give, found without running it (for prepared statements).
#[derive(Debug, Clone)]
pub struct Description {
    /// The type of each `$n` parameter, in order; `None` where it could not be inferred.
    pub parameters: Vec<Option<DataType>>,
    /// The result schema, or `None` for a statement that returns no rows.
    pub result: Option<SchemaRef>,
}

/// A table as the metadata listings show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableInfo {
    /// The database (schema) holding it.
    pub database: String,
    /// The table's name.
    pub name: String,
    /// `TABLE`, `EXTERNAL TABLE` or `VIEW`.
    pub kind: String,
    /// The table comment, if any.
    pub comment: Option<String>,
}

/// A column as the metadata listings show it.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnInfo {
    /// The column name.
    pub name: String,
    /// Its Arrow type.
    pub data_type: DataType,
    /// Its Hive type name (`int`, `array<string>`, `decimal(10,2)`).
    pub type_name: String,
    /// Whether it may hold NULL.
    pub nullable: bool,
    /// Its comment, if any.
    pub comment: Option<String>,
}

/// Opens sessions. One per server, shared by every protocol listener.
#[async_trait]
pub trait Backend: Send + Sync + 'static {
    /// Opens a session, or refuses it (unknown database: [`crate::ErrorKind::UndefinedCatalog`]).
    async fn open_session(&self, options: SessionOptions) -> Result<Box<dyn Session>, BackendError>;

    /// The name of the catalog that holds every database; PostgreSQL clients see it as the database.
    fn catalog_name(&self) -> &str;

    /// The server version string reported to clients.
    fn server_version(&self) -> &str;

    /// Whether clients must give a password.
    fn requires_password(&self) -> bool;

    /// Checks a user's password; an [`crate::ErrorKind::Authentication`] error if it is wrong.
    fn authenticate(&self, user: &str, password: &str) -> Result<(), BackendError>;
}

/// One client session: its current database, its settings, its statements.
///
/// A session runs one statement at a time; protocol front ends serialise calls per connection.
#[async_trait]
pub trait Session: Send + Sync {
    /// Splits text that may hold several statements into one text per statement. Empty statements
    /// are dropped.
    fn split_statements(&self, sql: &str) -> Result<Vec<String>, BackendError>;

    /// Plans a single statement without running it: parameter types and result schema.
    /// `parameter_hints` gives types the client declared for `$1`, `$2`..., where it did.
    async fn describe(
        &self,
        sql: &str,
        parameter_hints: &[Option<DataType>],
    ) -> Result<Description, BackendError>;

    /// Runs a single statement. `parameters` holds one single-row array per `$n` placeholder.
    /// Cancelling `cancel` stops the statement, including a result stream already handed out.
    async fn execute(
        &self,
        sql: &str,
        parameters: Vec<ArrayRef>,
        cancel: CancellationToken,
    ) -> Result<QueryResult, BackendError>;

    /// Runs a single statement as [`Session::execute`] does, reporting the progress of its stages
    /// into `progress` while it runs. Backends that cannot report progress leave it empty.
    async fn execute_with_progress(
        &self,
        sql: &str,
        parameters: Vec<ArrayRef>,
        cancel: CancellationToken,
        progress: std::sync::Arc<crate::Progress>,
    ) -> Result<QueryResult, BackendError> {
        let _ = progress;
        self.execute(sql, parameters, cancel).await
    }

    /// The current database.
    fn current_database(&self) -> String;

    /// The value of a session setting, if it is set.
    fn setting(&self, key: &str) -> Option<String>;

    /// Databases whose names match `pattern` (SQL LIKE syntax; `None` for all).
    async fn list_databases(&self, pattern: Option<&str>) -> Result<Vec<String>, BackendError>;

    /// Tables in databases matching `database_pattern` whose names match `table_pattern`.
    async fn list_tables(
        &self,
        database_pattern: Option<&str>,
        table_pattern: Option<&str>,
    ) -> Result<Vec<TableInfo>, BackendError>;

    /// The columns of one table.
    async fn list_columns(&self, database: &str, table: &str) -> Result<Vec<ColumnInfo>, BackendError>;
}
