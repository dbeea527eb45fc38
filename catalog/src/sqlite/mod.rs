//! The embedded metastore: one SQLite file in the data directory.
//!
//! Every operation runs in one SQLite transaction on a blocking thread, so a crash leaves either the
//! old entry or the new one. The file's schema is versioned; [`migrations`] brings an older file up to
//! date when it is opened.

mod migrations;

use std::path::Path;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::error::{CatalogError, Result};
use crate::metastore::Metastore;
use crate::model::{ColumnDef, DatabaseDef, StorageFormat, TableDef, TableKind};

pub use migrations::SCHEMA_VERSION;

/// A metastore in a SQLite file.
#[derive(Debug, Clone)]
pub struct SqliteMetastore {
    conn: Arc<Mutex<Connection>>,
}

impl SqliteMetastore {
    /// Opens (creating if needed) the catalog file at `path` and migrates it to the current schema.
    /// `default_location` is where the `default` database keeps its managed tables.
    pub fn open(path: &Path, default_location: &str) -> Result<Self> {
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrations::migrate(&mut conn)?;
        let store = SqliteMetastore { conn: Arc::new(Mutex::new(conn)) };
        store.with_tx(|tx| {
            tx.execute(
                "INSERT OR IGNORE INTO databases (name, comment, location, properties) VALUES ('default', 'Default Hive database', ?1, '{}')",
                params![default_location],
            )?;
            Ok(())
        })?;
        Ok(store)
    }

    /// Runs `f` in one transaction, bumping the catalog version if it wrote anything.
    fn with_tx<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.conn.lock().map_err(|_| CatalogError::Storage("catalog lock poisoned".into()))?;
        let tx = conn.transaction()?;
        let out = f(&tx)?;
        if tx.changes() > 0 {
            tx.execute("UPDATE catalog_meta SET value = value + 1 WHERE key = 'version'", [])?;
        }
        tx.commit()?;
        Ok(out)
    }

    /// Runs a closure on the connection on a blocking thread.
    async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&SqliteMetastore) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || f(&this))
            .await
            .map_err(|e| CatalogError::Storage(format!("catalog task failed: {e}")))?
    }
}

fn read_database(row: &rusqlite::Row<'_>) -> rusqlite::Result<(String, Option<String>, String, String)> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
}

fn to_database((name, comment, location, props): (String, Option<String>, String, String)) -> Result<DatabaseDef> {
    Ok(DatabaseDef { name, comment, location, properties: serde_json::from_str(&props)? })
}

const TABLE_COLUMNS: &str = "database, name, kind, format, location, comment, properties";

type TableRow = (String, String, String, String, String, Option<String>, String);

fn read_table(row: &rusqlite::Row<'_>) -> rusqlite::Result<TableRow> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?, row.get(5)?, row.get(6)?))
}

fn load_columns(tx: &Connection, database: &str, table: &str) -> Result<Vec<ColumnDef>> {
    let mut stmt = tx.prepare_cached(
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
    let (database, name, kind, format, location, comment, props) = row;
    let kind = TableKind::parse(&kind).ok_or_else(|| CatalogError::Storage(format!("unknown table kind {kind}")))?;
    let format: StorageFormat = serde_json::from_str(&format)?;
    let columns = load_columns(conn, &database, &name)?;
    Ok(TableDef { database, name, kind, format, location, columns, comment, properties: serde_json::from_str(&props)? })
}

fn tables_where(conn: &Connection, filter: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<TableDef>> {
    let sql = format!("SELECT {TABLE_COLUMNS} FROM tables {filter} ORDER BY database, name");
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(args, read_table)?.collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(|r| to_table(conn, r)).collect()
}

#[async_trait]
impl Metastore for SqliteMetastore {
    async fn version(&self) -> Result<u64> {
        self.run(|s| {
            let conn = s.conn.lock().map_err(|_| CatalogError::Storage("catalog lock poisoned".into()))?;
            let v: i64 = conn.query_row("SELECT value FROM catalog_meta WHERE key = 'version'", [], |r| r.get(0))?;
            Ok(v as u64)
        })
        .await
    }

    async fn create_database(&self, db: DatabaseDef, if_not_exists: bool) -> Result<bool> {
        self.run(move |s| {
            s.with_tx(|tx| {
                let exists: bool = tx
                    .query_row("SELECT 1 FROM databases WHERE name = ?1", params![db.name], |_| Ok(true))
                    .optional()?
                    .unwrap_or(false);
                if exists {
                    return if if_not_exists {
                        Ok(false)
                    } else {
                        Err(CatalogError::AlreadyExists { what: "database", name: db.name.clone() })
                    };
                }
                tx.execute(
                    "INSERT INTO databases (name, comment, location, properties) VALUES (?1, ?2, ?3, ?4)",
                    params![db.name, db.comment, db.location, serde_json::to_string(&db.properties)?],
                )?;
                Ok(true)
            })
        })
        .await
    }

    async fn drop_database(&self, name: &str, if_exists: bool, cascade: bool) -> Result<Option<Vec<TableDef>>> {
        let name = name.to_owned();
        self.run(move |s| {
            s.with_tx(|tx| {
                let exists = tx
                    .query_row("SELECT 1 FROM databases WHERE name = ?1", params![name], |_| Ok(()))
                    .optional()?
                    .is_some();
                if !exists {
                    return if if_exists { Ok(None) } else { Err(CatalogError::NotFound { what: "database", name }) };
                }
                if name == "default" {
                    return Err(CatalogError::Invalid("the default database cannot be dropped".into()));
                }
                let tables = tables_where(tx, "WHERE database = ?1", &[&name])?;
                if !tables.is_empty() && !cascade {
                    return Err(CatalogError::NotEmpty(name));
                }
                tx.execute("DELETE FROM columns WHERE database = ?1", params![name])?;
                tx.execute("DELETE FROM tables WHERE database = ?1", params![name])?;
                tx.execute("DELETE FROM databases WHERE name = ?1", params![name])?;
                Ok(Some(tables))
            })
        })
        .await
    }

    async fn get_database(&self, name: &str) -> Result<Option<DatabaseDef>> {
        let name = name.to_owned();
        self.run(move |s| {
            let conn = s.conn.lock().map_err(|_| CatalogError::Storage("catalog lock poisoned".into()))?;
            let row = conn
                .query_row(
                    "SELECT name, comment, location, properties FROM databases WHERE name = ?1",
                    params![name],
                    read_database,
                )
                .optional()?;
            row.map(to_database).transpose()
        })
        .await
    }

    async fn list_databases(&self) -> Result<Vec<DatabaseDef>> {
        self.run(|s| {
            let conn = s.conn.lock().map_err(|_| CatalogError::Storage("catalog lock poisoned".into()))?;
            let mut stmt = conn.prepare_cached("SELECT name, comment, location, properties FROM databases ORDER BY name")?;
            let rows = stmt.query_map([], read_database)?.collect::<rusqlite::Result<Vec<_>>>()?;
            rows.into_iter().map(to_database).collect()
        })
        .await
    }

    async fn create_table(&self, table: TableDef, if_not_exists: bool) -> Result<bool> {
        self.run(move |s| {
            s.with_tx(|tx| {
                let db_exists = tx
                    .query_row("SELECT 1 FROM databases WHERE name = ?1", params![table.database], |_| Ok(()))
                    .optional()?
                    .is_some();
                if !db_exists {
                    return Err(CatalogError::NotFound { what: "database", name: table.database.clone() });
                }
                let exists = tx
                    .query_row(
                        "SELECT 1 FROM tables WHERE database = ?1 AND name = ?2",
                        params![table.database, table.name],
                        |_| Ok(()),
                    )
                    .optional()?
                    .is_some();
                if exists {
                    return if if_not_exists {
                        Ok(false)
                    } else {
                        Err(CatalogError::AlreadyExists {
                            what: "table",
                            name: format!("{}.{}", table.database, table.name),
                        })
                    };
                }
                tx.execute(
                    &format!("INSERT INTO tables ({TABLE_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
                    params![
                        table.database,
                        table.name,
                        table.kind.as_str(),
                        serde_json::to_string(&table.format)?,
                        table.location,
                        table.comment,
                        serde_json::to_string(&table.properties)?
                    ],
                )?;
                for (i, c) in table.columns.iter().enumerate() {
                    tx.execute(
                        "INSERT INTO columns (database, table_name, position, name, type, comment) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        params![table.database, table.name, i as i64, c.name, c.hive_type, c.comment],
                    )?;
                }
                Ok(true)
            })
        })
        .await
    }

    async fn drop_table(&self, database: &str, name: &str, if_exists: bool) -> Result<Option<TableDef>> {
        let (database, name) = (database.to_owned(), name.to_owned());
        self.run(move |s| {
            s.with_tx(|tx| {
                let found = tables_where(tx, "WHERE database = ?1 AND name = ?2", &[&database, &name])?.pop();
                let Some(table) = found else {
                    return if if_exists {
                        Ok(None)
                    } else {
                        Err(CatalogError::NotFound { what: "table", name: format!("{database}.{name}") })
                    };
                };
                tx.execute("DELETE FROM columns WHERE database = ?1 AND table_name = ?2", params![database, name])?;
                tx.execute("DELETE FROM tables WHERE database = ?1 AND name = ?2", params![database, name])?;
                Ok(Some(table))
            })
        })
        .await
    }

    async fn get_table(&self, database: &str, name: &str) -> Result<Option<TableDef>> {
        let (database, name) = (database.to_owned(), name.to_owned());
        self.run(move |s| {
            let conn = s.conn.lock().map_err(|_| CatalogError::Storage("catalog lock poisoned".into()))?;
            Ok(tables_where(&conn, "WHERE database = ?1 AND name = ?2", &[&database, &name])?.pop())
        })
        .await
    }

    async fn list_tables(&self, database: Option<&str>) -> Result<Vec<TableDef>> {
        let database = database.map(str::to_owned);
        self.run(move |s| {
            let conn = s.conn.lock().map_err(|_| CatalogError::Storage("catalog lock poisoned".into()))?;
            match database {
                Some(db) => tables_where(&conn, "WHERE database = ?1", &[&db]),
                None => tables_where(&conn, "", &[]),
            }
        })
        .await
    }

    async fn list_table_names(&self) -> Result<Vec<(String, String)>> {
        self.run(|s| {
            let conn = s.conn.lock().map_err(|_| CatalogError::Storage("catalog lock poisoned".into()))?;
            let mut stmt = conn.prepare_cached("SELECT database, name FROM tables ORDER BY database, name")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
    }
}

#[cfg(test)]
mod tests;
