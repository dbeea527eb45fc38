//! Versioned schema of a catalog kept in PostgreSQL. Each step runs in its own transaction, under an
//! advisory lock so that servers starting together do not race, and records the version reached.

use tokio_postgres::Client;

use super::pg_error;
use crate::error::{CatalogError, Result};

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = 2;

/// Any fixed number, shared by every hivewire server using the database.
const LOCK_KEY: i64 = 0x6869_7665_7769_7265;

const STEPS: &[&str] = &[
    // 1: databases, tables, columns, and the change counter.
    "CREATE TABLE hw_meta (key TEXT PRIMARY KEY, value BIGINT NOT NULL);
     INSERT INTO hw_meta (key, value) VALUES ('version', 0), ('schema_version', 0);
     CREATE TABLE hw_databases (
        name TEXT PRIMARY KEY,
        comment TEXT,
        location TEXT NOT NULL,
        properties TEXT NOT NULL
     );
     CREATE TABLE hw_tables (
        database TEXT NOT NULL REFERENCES hw_databases(name),
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        format TEXT NOT NULL,
        location TEXT NOT NULL,
        comment TEXT,
        properties TEXT NOT NULL,
        PRIMARY KEY (database, name)
     );
     CREATE TABLE hw_columns (
        database TEXT NOT NULL,
        table_name TEXT NOT NULL,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        comment TEXT,
        PRIMARY KEY (database, table_name, position),
        FOREIGN KEY (database, table_name) REFERENCES hw_tables(database, name) DEFERRABLE INITIALLY DEFERRED
     );",
    // 2: partitioned tables, views, creation times, partitions, and the journal of writes.
    "ALTER TABLE hw_tables ADD COLUMN partition_columns TEXT NOT NULL DEFAULT '[]';
     ALTER TABLE hw_tables ADD COLUMN view_text TEXT;
     ALTER TABLE hw_tables ADD COLUMN created_ms BIGINT NOT NULL DEFAULT 0;
     CREATE TABLE hw_partitions (
        database TEXT NOT NULL,
        table_name TEXT NOT NULL,
        spec TEXT NOT NULL,
        vals TEXT NOT NULL,
        location TEXT NOT NULL,
        created_ms BIGINT NOT NULL,
        PRIMARY KEY (database, table_name, spec),
        FOREIGN KEY (database, table_name) REFERENCES hw_tables(database, name) DEFERRABLE INITIALLY DEFERRED
     );
     CREATE TABLE hw_commits (id TEXT PRIMARY KEY, seq BIGSERIAL, body TEXT NOT NULL);",
];

/// Brings the catalog up to [`SCHEMA_VERSION`]; refuses one written by a newer build. Returns the
/// version it was at.
pub async fn migrate(client: &mut Client) -> Result<i64> {
    client.execute("SELECT pg_advisory_lock($1)", &[&LOCK_KEY]).await.map_err(pg_error)?;
    let result = steps(client).await;
    let _ = client.execute("SELECT pg_advisory_unlock($1)", &[&LOCK_KEY]).await;
    result
}

async fn steps(client: &mut Client) -> Result<i64> {
    let exists: bool = client
        .query_one("SELECT to_regclass('hw_meta') IS NOT NULL", &[])
        .await
        .map_err(pg_error)?
        .get(0);
    let current: i64 = if exists {
        client.query_one("SELECT value FROM hw_meta WHERE key = 'schema_version'", &[]).await.map_err(pg_error)?.get(0)
    } else {
        0
    };
    if current > SCHEMA_VERSION {
        return Err(CatalogError::Storage(format!(
            "the catalog has schema version {current}, newer than this build's {SCHEMA_VERSION}; upgrade hivewire"
        )));
    }
    for (i, step) in STEPS.iter().enumerate().skip(current as usize) {
        let tx = client.transaction().await.map_err(pg_error)?;
        tx.batch_execute(step).await.map_err(pg_error)?;
        tx.execute("UPDATE hw_meta SET value = $1 WHERE key = 'schema_version'", &[&((i + 1) as i64)])
            .await
            .map_err(pg_error)?;
        tx.commit().await.map_err(pg_error)?;
        tracing::info!(version = i + 1, "catalog schema migrated");
    }
    Ok(current)
}
