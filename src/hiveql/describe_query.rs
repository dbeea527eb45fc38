//! `DESCRIBE QUERY query` (`DESC QUERY SELECT ...`, `DESC QUERY WITH ...`, `DESC QUERY VALUES
//! ...`) and `DESCRIBE` of a temporary view: the columns the query or view gives, as `col_name`,
//! `data_type` (Spark's type names) and `comment` (NULL) rows, laid out as DESCRIBE of a table.

use hivewire_backend::{BackendError, ErrorKind, QueryResult};

use super::describe::table_schema;
use super::output::string_rows;
use crate::engine::EngineSession;

/// The rows describing the columns of a planned query.
async fn columns(s: &EngineSession, query: &str) -> Result<QueryResult, BackendError> {
    let super::Action::Sql(stmt) = super::parse_action_with(query, s.flavor, s.text_options())? else {
        return Err(BackendError::new(ErrorKind::Syntax, format!("DESCRIBE QUERY takes a query, not: {query}")));
    };
    let plan = s.plan_statement(*stmt, query).await?;
    let rows = plan
        .schema()
        .fields()
        .iter()
        .map(|f| {
            let data_type = hivewire_catalog::types::arrow_to_hive(f.data_type()).map_err(crate::engine::errors::from_catalog)?;
            Ok(vec![Some(f.name().clone()), Some(data_type), None])
        })
        .collect::<Result<Vec<_>, BackendError>>()?;
    string_rows(table_schema(), rows, "DESCRIBE")
}

/// `DESCRIBE QUERY query`.
pub async fn query(s: &EngineSession, query: &str) -> Result<QueryResult, BackendError> {
    columns(s, query).await
}

/// `DESCRIBE v` of the session's temporary view `view` (lower-cased).
pub async fn temporary_view(s: &EngineSession, view: &str) -> Result<QueryResult, BackendError> {
    columns(s, &format!("SELECT * FROM `{}`", view.replace('`', "``"))).await
}
