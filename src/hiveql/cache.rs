//! Spark's cache statements. hivewire keeps no in-memory copies of tables: every query reads the
//! table's files (through the operating system's page cache), and no listing or metadata is
//! cached between statements, so what the statements ask for already holds. Each still checks
//! what it names, as Spark does: `CACHE TABLE t`, `UNCACHE TABLE t` and `REFRESH TABLE t` fail for
//! a table or view that does not exist (`UNCACHE TABLE IF EXISTS` does not), and `CACHE TABLE v
//! AS query` creates the temporary view `v` over the query, as in Spark. `CLEAR CACHE` and
//! `REFRESH 'path'` have nothing to do.

use datafusion::sql::sqlparser::ast::ObjectName;
use hivewire_backend::{BackendError, CommandOutcome, QueryResult};

use crate::engine::EngineSession;

/// Fails unless the name is a table or view the session can read.
async fn check_exists(s: &EngineSession, table: &ObjectName) -> Result<(), BackendError> {
    let sql = format!("SELECT * FROM {table} LIMIT 0");
    let stmt = super::parse_one(&sql, super::Flavor::Hive)?;
    s.plan_statement(stmt, &sql).await.map(|_| ())
}

fn done(tag: &str) -> Result<QueryResult, BackendError> {
    Ok(QueryResult::Command(CommandOutcome::tag(tag)))
}

/// `CACHE [LAZY] TABLE t [[AS] query]`.
pub async fn cache(s: &EngineSession, table: &ObjectName, query: Option<&str>) -> Result<QueryResult, BackendError> {
    match query {
        Some(q) => super::temp_views::create(s, table, false, true, false, &[], q).await,
        None => {
            check_exists(s, table).await?;
            done("CACHE TABLE")
        }
    }
}

/// `UNCACHE TABLE [IF EXISTS] t`.
pub async fn uncache(s: &EngineSession, table: &ObjectName, if_exists: bool) -> Result<QueryResult, BackendError> {
    if !if_exists {
        check_exists(s, table).await?;
    }
    done("UNCACHE TABLE")
}

/// `REFRESH TABLE t`, `REFRESH 'path'`, `REFRESH FUNCTION f`.
pub async fn refresh(s: &EngineSession, table: Option<&ObjectName>) -> Result<QueryResult, BackendError> {
    if let Some(t) = table {
        check_exists(s, t).await?;
    }
    done("REFRESH")
}

/// `CLEAR CACHE`.
pub fn clear() -> Result<QueryResult, BackendError> {
    done("CLEAR CACHE")
}
