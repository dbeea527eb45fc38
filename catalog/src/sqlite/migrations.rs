//! Versioned schema of the SQLite catalog file. Each step runs in its own transaction and records
//! the version it reaches, so an interrupted upgrade resumes where it stopped.

use rusqlite::Connection;

use crate::error::{CatalogError, Result};

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 2;

pub(super) const STEPS: &[&str] = &[
    // 1: databases, tables, columns, and the change counter.
    "CREATE TABLE catalog_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
     INSERT INTO catalog_meta (key, value) VALUES ('version', 0);
     CREATE TABLE databases (
        name TEXT PRIMARY KEY,
        comment TEXT,
        location TEXT NOT NULL,
        properties TEXT NOT NULL
     );
     CREATE TABLE tables (
        database TEXT NOT NULL REFERENCES databases(name),
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        format TEXT NOT NULL,
        location TEXT NOT NULL,
        comment TEXT,
        properties TEXT NOT NULL,
        PRIMARY KEY (database, name)
     );
     CREATE TABLE columns (
        database TEXT NOT NULL,
        table_name TEXT NOT NULL,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        comment TEXT,
        PRIMARY KEY (database, table_name, position),
        FOREIGN KEY (database, table_name) REFERENCES tables(database, name)
     );",
    // 2: partitioned tables, views, creation times, partitions, and the journal of writes being
    // published.
    "ALTER TABLE tables ADD COLUMN partition_columns TEXT NOT NULL DEFAULT '[]';
     ALTER TABLE tables ADD COLUMN view_text TEXT;
     ALTER TABLE tables ADD COLUMN created_ms INTEGER NOT NULL DEFAULT 0;
     CREATE TABLE partitions (
        database TEXT NOT NULL,
        table_name TEXT NOT NULL,
        spec TEXT NOT NULL,
        vals TEXT NOT NULL,
        location TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        PRIMARY KEY (database, table_name, spec),
        FOREIGN KEY (database, table_name) REFERENCES tables(database, name)
     );
     CREATE TABLE commits (id TEXT PRIMARY KEY, body TEXT NOT NULL);",
];

/// Brings the file at `conn` up to [`SCHEMA_VERSION`]; refuses a file written by a newer build.
/// Returns the version it was at.
pub fn migrate(conn: &mut Connection) -> Result<i64> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(CatalogError::Storage(format!(
            "the catalog file has schema version {current}, newer than this build's {SCHEMA_VERSION}; upgrade hivewire"
        )));
    }
    for (i, step) in STEPS.iter().enumerate().skip(current as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(step)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
        tracing::info!(version = i + 1, "catalog schema migrated");
    }
    Ok(current)
}
