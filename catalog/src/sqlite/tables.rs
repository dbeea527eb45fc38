//! Tables in the SQLite catalog: rows of `tables`, their `columns`, read and written inside the
//! caller's transaction.

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{CatalogError, Result};
use crate::model::{ColumnDef, StorageFormat, TableDef, TableKind};

const TABLE_COLUMNS: &str =
    "database, name, kind, format, location, comment, properties, partition_columns, view_text, created_ms";

struct TableRow {
    database: String,
    name: String,
    kind: String,
    format: String,
    location: String,
    comment: Option<String>,
    properties: String,
    partition_columns: String,
    view_text: Option<String>,
    created_ms: i64,
}

fn read_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<TableRow> {
    Ok(TableRow {
        database: row.get(0)?,
        name: row.get(1)?,
        kind: row.get(2)?,
        format: row.get(3)?,
        location: row.get(4)?,
        comment: row.get(5)?,
        properties: row.get(6)?,
        partition_columns: row.get(7)?,
        view_text: row.get(8)?,
        created_ms: row.get(9)?,
    })
}

fn load_columns(conn: &Connection, database: &str, table: &str) -> Result<Vec<ColumnDef>> {
    let mut stmt = conn.prepare_cached(
        "SELECT name, type, comment FROM columns WHERE database = ?1 AND table_name = ?2 ORDER BY position",
    )?;
    let cols = stmt
        .query_map(params![database, table], |r| {
            Ok(ColumnDef { name: r.get(0)?, hive_type: r.get(1)?, comment: r.get(2)? })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(cols)
}

fn to_table(conn: &Connection, row: TableRow) -> Result<TableDef> {
    let kind = TableKind::parse(&row.kind).ok_or_else(|| CatalogError::Storage(format!("unknown table kind {}", row.kind)))?;
    let format: StorageFormat = serde_json::from_str(&row.format)?;
    let columns = load_columns(conn, &row.database, &row.name)?;
    Ok(TableDef {
        columns,
        kind,
        format,
        properties: serde_json::from_str(&row.properties)?,
        partition_columns: serde_json::from_str(&row.partition_columns)?,
        database: row.database,
        name: row.name,
        location: row.location,
        comment: row.comment,
        view_text: row.view_text,
        created_ms: row.created_ms,
    })
}

/// Tables matching a `WHERE` clause over `tables`, by database then name.
pub(super) fn tables_where(conn: &Connection, filter: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<TableDef>> {
    let sql = format!("SELECT {TABLE_COLUMNS} FROM tables {filter} ORDER BY database, name");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(args, read_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(|r| to_table(conn, r)).collect()
}

/// One table.
pub(super) fn get(conn: &Connection, database: &str, name: &str) -> Result<Option<TableDef>> {
    Ok(tables_where(conn, "WHERE database = ?1 AND name = ?2", &[&database, &name])?.pop())
}

/// Whether a table exists.
pub(super) fn exists(conn: &Connection, database: &str, name: &str) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM tables WHERE database = ?1 AND name = ?2", params![database, name], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Inserts a table; the caller has checked that its database exists and its name is free.
pub(super) fn insert(conn: &Connection, table: &TableDef) -> Result<()> {
    conn.execute(
        &format!("INSERT INTO tables ({TABLE_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
        params![
            table.database,
            table.name,
            table.kind.as_str(),
            serde_json::to_string(&table.format)?,
            table.location,
            table.comment,
            serde_json::to_string(&table.properties)?,
            serde_json::to_string(&table.partition_columns)?,
            table.view_text,
            table.created_ms,
        ],
    )?;
    insert_columns(conn, table)
}

fn insert_columns(conn: &Connection, table: &TableDef) -> Result<()> {
    for (i, c) in table.columns.iter().enumerate() {
        conn.execute(
            "INSERT INTO columns (database, table_name, position, name, type, comment) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![table.database, table.name, i as i64, c.name, c.hive_type, c.comment],
        )?;
    }
    Ok(())
}

/// Creates a table, checking its database and name.
pub(super) fn create(conn: &Connection, table: &TableDef, if_not_exists: bool) -> Result<bool> {
    let db_exists = conn
        .query_row("SELECT 1 FROM databases WHERE name = ?1", params![table.database], |_| Ok(()))
        .optional()?
        .is_some();
    if !db_exists {
        return Err(CatalogError::NotFound { what: "database", name: table.database.clone() });
    }
    if exists(conn, &table.database, &table.name)? {
        return if if_not_exists {
            Ok(false)
        } else {
            Err(CatalogError::AlreadyExists { what: "table", name: format!("{}.{}", table.database, table.name) })
        };
    }
    insert(conn, table)?;
    Ok(true)
}

/// Deletes a table with its columns and partitions.
pub(super) fn delete(conn: &Connection, database: &str, name: &str) -> Result<()> {
    conn.execute("DELETE FROM partitions WHERE database = ?1 AND table_name = ?2", params![database, name])?;
    conn.execute("DELETE FROM columns WHERE database = ?1 AND table_name = ?2", params![database, name])?;
    conn.execute("DELETE FROM tables WHERE database = ?1 AND name = ?2", params![database, name])?;
    Ok(())
}

/// Replaces the table `database.name` with `table`, which may carry a new name or database; its
/// partitions follow it.
pub(super) fn replace(conn: &Connection, database: &str, name: &str, table: &TableDef) -> Result<()> {
    if !exists(conn, database, name)? {
        return Err(CatalogError::NotFound { what: "table", name: format!("{database}.{name}") });
    }
    let renamed = (database, name) != (table.database.as_str(), table.name.as_str());
    if renamed && exists(conn, &table.database, &table.name)? {
        return Err(CatalogError::AlreadyExists { what: "table", name: format!("{}.{}", table.database, table.name) });
    }
    // Partitions are re-keyed after the new table row exists.
    let mut stmt = conn.prepare_cached(
        "SELECT spec, vals, location, created_ms FROM partitions WHERE database = ?1 AND table_name = ?2",
    )?;
    let parts = stmt
        .query_map(params![database, name], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, i64>(3)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let old_location = get(conn, database, name)?.map(|t| t.location).unwrap_or_default();
    delete(conn, database, name)?;
    insert(conn, table)?;
    for (spec, vals, location, created) in parts {
        // A renamed managed table's directory moved; partitions inside it move along.
        let location = match location.strip_prefix(&old_location) {
            Some(rest) if renamed && !old_location.is_empty() && old_location != table.location => {
                format!("{}{rest}", table.location)
            }
            _ => location,
        };
        conn.execute(
            "INSERT INTO partitions (database, table_name, spec, vals, location, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![table.database, table.name, spec, vals, location, created],
        )?;
    }
    Ok(())
}

/// Merges properties into a table's.
pub(super) fn set_properties(
    conn: &Connection,
    database: &str,
    name: &str,
    props: &std::collections::BTreeMap<String, String>,
) -> Result<()> {
    if props.is_empty() {
        return Ok(());
    }
    let Some(mut table) = get(conn, database, name)? else {
        return Err(CatalogError::NotFound { what: "table", name: format!("{database}.{name}") });
    };
    table.properties.extend(props.clone());
    conn.execute(
        "UPDATE tables SET properties = ?3 WHERE database = ?1 AND name = ?2",
        params![database, name, serde_json::to_string(&table.properties)?],
    )?;
    Ok(())
}
