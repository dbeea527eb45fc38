//! The journal of writes being published (see [`crate::model::Commit`]).

use rusqlite::{params, Connection};

use super::{partitions, tables};
use crate::error::{CatalogError, Result};
use crate::model::Commit;

/// Records a commit and applies its catalog changes, in the caller's transaction.
pub(super) fn begin(conn: &Connection, commit: &Commit) -> Result<()> {
    if let Some(table) = &commit.create_table {
        tables::create(conn, table, false)?;
    }
    if !commit.add_partitions.is_empty() || !commit.drop_partitions.is_empty() {
        let table = tables::get(conn, &commit.database, &commit.table)?.ok_or_else(|| CatalogError::NotFound {
            what: "table",
            name: format!("{}.{}", commit.database, commit.table),
        })?;
        partitions::drop(conn, &table, &commit.drop_partitions, true)?;
        partitions::add(conn, &table, &commit.add_partitions, true)?;
    }
    tables::set_properties(conn, &commit.database, &commit.table, &commit.set_properties)?;
    conn.execute("INSERT INTO commits (id, body) VALUES (?1, ?2)", params![commit.id, serde_json::to_string(commit)?])?;
    Ok(())
}

/// Forgets a finished commit.
pub(super) fn end(conn: &Connection, id: &str) -> Result<()> {
    conn.execute("DELETE FROM commits WHERE id = ?1", params![id])?;
    Ok(())
}

/// Commits recorded but not finished.
pub(super) fn pending(conn: &Connection) -> Result<Vec<Commit>> {
    let mut stmt = conn.prepare_cached("SELECT body FROM commits ORDER BY rowid")?;
    let bodies = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    bodies.iter().map(|b| Ok(serde_json::from_str(b)?)).collect()
}
