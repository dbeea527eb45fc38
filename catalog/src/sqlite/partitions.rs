//! Partitions in the SQLite catalog, keyed by their path spec (`dt=x/h=1`).

use rusqlite::{params, Connection};

use crate::error::{CatalogError, Result};
use crate::model::{PartitionDef, TableDef};
use crate::partition::{describe, spec_path};

fn columns(table: &TableDef) -> Vec<&str> {
    table.partition_columns.iter().map(|c| c.name.as_str()).collect()
}

/// The partitions of a table, by spec.
pub(super) fn list(conn: &Connection, database: &str, table: &str) -> Result<Vec<PartitionDef>> {
    let mut stmt = conn.prepare_cached(
        "SELECT vals, location, created_ms FROM partitions WHERE database = ?1 AND table_name = ?2 ORDER BY spec",
    )?;
    let rows = stmt
        .query_map(params![database, table], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(vals, location, created_ms)| Ok(PartitionDef { values: serde_json::from_str(&vals)?, location, created_ms }))
        .collect()
}

/// Adds partitions. An existing one is an error unless `if_not_exists`, when it is left as it is.
pub(super) fn add(conn: &Connection, table: &TableDef, parts: &[PartitionDef], if_not_exists: bool) -> Result<()> {
    let cols = columns(table);
    for p in parts {
        if p.values.len() != cols.len() {
            return Err(CatalogError::Invalid(format!(
                "a partition of {}.{} needs values for {} columns ({}), not {}",
                table.database,
                table.name,
                cols.len(),
                cols.join(", "),
                p.values.len()
            )));
        }
        let spec = spec_path(&cols, &p.values);
        let inserted = conn.execute(
            "INSERT OR IGNORE INTO partitions (database, table_name, spec, vals, location, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![table.database, table.name, spec, serde_json::to_string(&p.values)?, p.location, p.created_ms],
        )?;
        if inserted == 0 && !if_not_exists {
            return Err(CatalogError::AlreadyExists {
                what: "partition",
                name: format!("{}.{} ({})", table.database, table.name, describe(&cols, &p.values)),
            });
        }
    }
    Ok(())
}

/// Drops partitions, returning what they were. A missing one is an error unless `if_exists`.
pub(super) fn drop(
    conn: &Connection,
    table: &TableDef,
    values: &[Vec<Option<String>>],
    if_exists: bool,
) -> Result<Vec<PartitionDef>> {
    let cols = columns(table);
    let existing = list(conn, &table.database, &table.name)?;
    let mut dropped = Vec::new();
    for v in values {
        let spec = spec_path(&cols, v);
        match existing.iter().find(|p| &p.values == v) {
            Some(p) => {
                conn.execute(
                    "DELETE FROM partitions WHERE database = ?1 AND table_name = ?2 AND spec = ?3",
                    params![table.database, table.name, spec],
                )?;
                dropped.push(p.clone());
            }
            None if if_exists => {}
            None => {
                return Err(CatalogError::NotFound {
                    what: "partition",
                    name: format!("{}.{} ({})", table.database, table.name, describe(&cols, v)),
                })
            }
        }
    }
    Ok(dropped)
}
