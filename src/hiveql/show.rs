//! `SHOW DATABASES`, `SHOW TABLES`, `DESCRIBE`, with Spark Thrift Server's output columns.

use datafusion::arrow::datatypes::SchemaRef;
use datafusion::sql::sqlparser::ast::ObjectName;
use hivewire_backend::{BackendError, ErrorKind, QueryResult, Session};

use super::output::{batch_result, bools, string_rows, string_schema, strings};
use super::pattern::hive_matches;
use crate::engine::errors::from_catalog;
use crate::engine::EngineSession;

/// `SHOW DATABASES` result: one column, `namespace`.
pub fn databases_schema() -> SchemaRef {
    string_schema(&["namespace"])
}

/// `SHOW TABLES` result: `namespace`, `tableName`, `isTemporary`.
pub fn tables_schema() -> SchemaRef {
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    std::sync::Arc::new(Schema::new(vec![
        Field::new("namespace", DataType::Utf8, false),
        Field::new("tableName", DataType::Utf8, false),
        Field::new("isTemporary", DataType::Boolean, false),
    ]))
}

/// `DESCRIBE` result: `col_name`, `data_type`, `comment`.
pub fn describe_schema() -> SchemaRef {
    string_schema(&["col_name", "data_type", "comment"])
}

/// `SHOW DATABASES [LIKE 'pattern']`.
pub async fn databases(s: &EngineSession, pattern: Option<&str>) -> Result<QueryResult, BackendError> {
    let dbs = s.catalog().store().list_databases().await.map_err(from_catalog)?;
    let rows = dbs
        .into_iter()
        .filter(|d| pattern.is_none_or(|p| hive_matches(p, &d.name)))
        .map(|d| vec![Some(d.name)])
        .collect();
    string_rows(databases_schema(), rows, "SHOW")
}

/// `SHOW TABLES [IN db] [LIKE 'pattern']`.
pub async fn tables(s: &EngineSession, database: Option<&ObjectName>, pattern: Option<&str>) -> Result<QueryResult, BackendError> {
    let db = match database {
        Some(n) => s.resolve_database(n)?,
        None => s.current_database(),
    };
    if s.catalog().store().get_database(&db).await.map_err(from_catalog)?.is_none() {
        return Err(BackendError::new(ErrorKind::UndefinedSchema, format!("database {db} not found")));
    }
    let names: Vec<String> = s
        .catalog()
        .store()
        .list_tables(Some(&db))
        .await
        .map_err(from_catalog)?
        .into_iter()
        .map(|t| t.name)
        .filter(|n| pattern.is_none_or(|p| hive_matches(p, n)))
        .collect();
    let n = names.len();
    batch_result(tables_schema(), vec![strings(vec![db; n]), strings(names), bools(vec![false; n])], "SHOW")
}

/// `DESCRIBE [TABLE] t`: one row per column.
pub async fn describe(s: &EngineSession, name: &ObjectName) -> Result<QueryResult, BackendError> {
    let (db, table) = s.resolve_table(name)?;
    let def = s
        .catalog()
        .store()
        .get_table(&db, &table)
        .await
        .map_err(from_catalog)?
        .ok_or_else(|| BackendError::new(ErrorKind::UndefinedTable, format!("table or view not found: {db}.{table}")))?;
    let rows = def.columns.into_iter().map(|c| vec![Some(c.name), Some(c.hive_type), c.comment]).collect();
    string_rows(describe_schema(), rows, "DESCRIBE")
}
