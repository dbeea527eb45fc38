//! `CREATE DATABASE`, `DROP DATABASE`, `USE`.

use std::collections::BTreeMap;

use datafusion::sql::sqlparser::ast::ObjectName;
use hivewire_backend::{BackendError, CommandOutcome, ErrorKind, QueryResult, Session};
use hivewire_catalog::DatabaseDef;

use super::table::{delete_managed_data, normalize_location};
use crate::engine::errors::from_catalog;
use crate::engine::{dir_url, EngineSession};

/// `CREATE DATABASE [IF NOT EXISTS] db [COMMENT c] [LOCATION l] [WITH DBPROPERTIES (...)]`: records it and creates its directory.
pub async fn create(
    s: &EngineSession,
    name: &ObjectName,
    if_not_exists: bool,
    location: Option<String>,
    comment: Option<String>,
    properties: BTreeMap<String, String>,
) -> Result<QueryResult, BackendError> {
    let name = s.resolve_database(name)?;
    let location = match location {
        Some(l) => normalize_location(&l)?,
        None => dir_url(&s.shared.warehouse.join(format!("{name}.db"))),
    };
    if let Some(path) = location.strip_prefix("file://") {
        std::fs::create_dir_all(path).map_err(|e| {
            BackendError::new(ErrorKind::Io, format!("cannot create the directory of database {name} at {path}: {e}"))
        })?;
    }
    let def = DatabaseDef { name, comment, location, properties };
    s.catalog().store().create_database(def, if_not_exists).await.map_err(from_catalog)?;
    Ok(QueryResult::Command(CommandOutcome::tag("CREATE DATABASE")))
}

/// `DROP DATABASE [IF EXISTS] db [CASCADE]`: removes it, and with CASCADE its tables and their
/// managed data.
pub async fn drop(s: &EngineSession, names: &[ObjectName], if_exists: bool, cascade: bool) -> Result<QueryResult, BackendError> {
    for name in names {
        let name = s.resolve_database(name)?;
        let db = s.catalog().store().get_database(&name).await.map_err(from_catalog)?;
        let dropped = s.catalog().store().drop_database(&name, if_exists, cascade).await.map_err(from_catalog)?;
        if let Some(tables) = dropped {
            for t in &tables {
                delete_managed_data(t);
            }
            if let Some(db) = db {
                let managed_dir = dir_url(&s.shared.warehouse.join(format!("{name}.db")));
                if db.location == managed_dir {
                    if let Some(path) = managed_dir.strip_prefix("file://") {
                        if let Err(e) = std::fs::remove_dir_all(path) {
                            tracing::warn!(database = %name, error = %e, "could not remove database directory");
                        }
                    }
                }
            }
            if s.current_database() == name {
                s.set_database("default");
            }
        }
    }
    Ok(QueryResult::Command(CommandOutcome::tag("DROP DATABASE")))
}

/// `USE db`.
pub async fn use_database(s: &EngineSession, name: &ObjectName) -> Result<QueryResult, BackendError> {
    let name = s.resolve_database(name)?;
    if s.catalog().store().get_database(&name).await.map_err(from_catalog)?.is_none() {
        return Err(BackendError::new(ErrorKind::UndefinedSchema, format!("database {name} not found")));
    }
    s.set_database(&name);
    Ok(QueryResult::Command(CommandOutcome::tag("USE")))
}
