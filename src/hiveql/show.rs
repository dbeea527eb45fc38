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

/// `SHOW TABLES [IN db] [LIKE 'pattern']`: the database's tables and views, then the session's
/// temporary views (in no database), as Spark lists them; `IN global_temp` lists the global
/// temporary views.
pub async fn tables(s: &EngineSession, database: Option<&ObjectName>, pattern: Option<&str>) -> Result<QueryResult, BackendError> {
    let global = database.is_some_and(|d| d.to_string().eq_ignore_ascii_case(super::temp_views::GLOBAL_DATABASE));
    let matching = |names: Vec<String>| -> Vec<String> { names.into_iter().filter(|n| pattern.is_none_or(|p| hive_matches(p, n))).collect() };
    let (db, mut names) = if global {
        (super::temp_views::GLOBAL_DATABASE.to_string(), matching(super::temp_views::global_names()))
    } else {
        relation_names(s, database, pattern, |_| true).await?
    };
    let mut namespaces = vec![db; names.len()];
    let mut temporary = vec![global; names.len()];
    let mut local = matching(super::temp_views::names(s).into_iter().collect());
    local.sort();
    namespaces.extend(std::iter::repeat_n(String::new(), local.len()));
    temporary.extend(std::iter::repeat_n(true, local.len()));
    names.extend(local);
    batch_result(tables_schema(), vec![strings(namespaces), strings(names), bools(temporary)], "SHOW")
}

/// The names of the relations of a database (the current one by default) that `keep` accepts and
/// that match a Hive pattern.
pub(crate) async fn relation_names(
    s: &EngineSession,
    database: Option<&ObjectName>,
    pattern: Option<&str>,
    keep: impl Fn(&hivewire_catalog::TableDef) -> bool,
) -> Result<(String, Vec<String>), BackendError> {
    let db = match database {
        Some(n) => s.resolve_database(n)?,
        None => s.current_database(),
    };
    if s.catalog().store().get_database(&db).await.map_err(from_catalog)?.is_none() {
        return Err(BackendError::new(ErrorKind::UndefinedSchema, format!("database {db} not found")));
    }
    let names = s
        .catalog()
        .store()
        .list_tables(Some(&db))
        .await
        .map_err(from_catalog)?
        .into_iter()
        .filter(|t| keep(t))
        .map(|t| t.name)
        .filter(|n| pattern.is_none_or(|p| hive_matches(p, n)))
        .collect();
    Ok((db, names))
}

/// `SHOW VIEWS` result: `namespace`, `viewName`, `isTemporary`.
pub fn views_schema() -> SchemaRef {
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    std::sync::Arc::new(Schema::new(vec![
        Field::new("namespace", DataType::Utf8, false),
        Field::new("viewName", DataType::Utf8, false),
        Field::new("isTemporary", DataType::Boolean, false),
    ]))
}

/// Functions the engine registers for the front end's own rewrites, which users do not call: these
/// and every name that begins with `hivewire_`.
const INTERNAL_FUNCTIONS: &[&str] = &[super::like_escape::FUNCTION, "spark_encode", "spark_decode"];

/// The operators and keywords that Spark lists among its functions, all of which HiveQL sessions
/// take.
const OPERATORS: &[&str] = &[
    "!", "!=", "%", "&", "*", "+", "-", "/", "<", "<<", "<=", "<=>", "<>", "=", "==", ">", ">=", ">>", ">>>", "^", "|", "||", "~",
    "and", "or", "not", "between", "case", "when", "in", "cast", "extract", "grouping_id",
    // Written by the front end as a lateral view (hiveql/time_windows.rs).
    "window",
];

/// `SHOW FUNCTIONS [LIKE 'pattern']`: one column, `function`, sorted: the engine's functions, the
/// Spark names the front end rewrites to them, the session functions, and Spark's operators.
pub fn functions(s: &EngineSession, pattern: Option<&str>) -> Result<QueryResult, BackendError> {
    let state = s.ctx.state();
    let spark_names = super::function_names::SPARK_NAMES.iter().chain(super::spark_types::CAST_FUNCTIONS).map(|n| n.to_string());
    let mut names: Vec<String> = state
        .scalar_functions()
        .keys()
        .chain(state.aggregate_functions().keys())
        .chain(state.window_functions().keys())
        .chain(state.higher_order_functions().keys())
        .filter(|n| !n.starts_with("hivewire_") && !INTERNAL_FUNCTIONS.contains(&n.as_str()))
        .cloned()
        .chain(spark_names)
        .chain(crate::engine::generate::GENERATOR_NAMES.iter().map(|n| n.to_string()))
        .chain(super::session_functions::NAMES.iter().chain(OPERATORS).map(|n| n.to_string()))
        .filter(|n| pattern.is_none_or(|p| hive_matches(p, n)))
        .collect();
    names.sort();
    names.dedup();
    string_rows(string_schema(&["function"]), names.into_iter().map(|n| vec![Some(n)]).collect(), "SHOW")
}

/// `SHOW CURRENT NAMESPACE`: `catalog`, `namespace`.
pub fn current_database(s: &EngineSession) -> Result<QueryResult, BackendError> {
    string_rows(
        string_schema(&["catalog", "namespace"]),
        vec![vec![Some("spark_catalog".into()), Some(s.current_database())]],
        "SHOW",
    )
}
