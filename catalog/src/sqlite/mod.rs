//! The embedded metastore: one SQLite file in the data directory.
//!
//! Every operation runs in one SQLite transaction on a blocking thread, so a crash leaves either the
//! old entry or the new one. The file's schema is versioned; [`migrations`] brings an older file up to
//! date when it is opened.

mod commits;
mod migrations;
mod partitions;
mod tables;

use std::path::Path;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::error::{CatalogError, Result};
use crate::metastore::Metastore;
use crate::model::{Commit, DatabaseDef, PartitionDef, TableDef};

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
        Ok(Self::open_migrating(path, default_location)?.0)
    }

    /// Like [`SqliteMetastore::open`], also returning the schema version found before migrating.
    pub fn open_migrating(path: &Path, default_location: &str) -> Result<(Self, i64)> {
        let mut conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let before = migrations::migrate(&mut conn)?;
        let store = SqliteMetastore { conn: Arc::new(Mutex::new(conn)) };
        store.with_tx(|tx| {
            tx.execute(
                "INSERT OR IGNORE INTO databases (name, comment, location, properties) VALUES ('default', 'Default Hive database', ?1, '{}')",
                params![default_location],
            )?;
            Ok(())
        })?;
        Ok((store, before))
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

fn lock(s: &SqliteMetastore) -> Result<std::sync::MutexGuard<'_, Connection>> {
    s.conn.lock().map_err(|_| CatalogError::Storage("catalog lock poisoned".into()))
}

fn table_of(conn: &Connection, database: &str, name: &str) -> Result<TableDef> {
    tables::get(conn, database, name)?
        .ok_or_else(|| CatalogError::NotFound { what: "table", name: format!("{database}.{name}") })
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
                let tables = tables::tables_where(tx, "WHERE database = ?1", &[&name])?;
                if !tables.is_empty() && !cascade {
                    return Err(CatalogError::NotEmpty(name));
                }
                tx.execute("DELETE FROM partitions WHERE database = ?1", params![name])?;
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
        self.run(move |s| s.with_tx(|tx| tables::create(tx, &table, if_not_exists))).await
    }

    async fn drop_table(&self, database: &str, name: &str, if_exists: bool) -> Result<Option<TableDef>> {
        let (database, name) = (database.to_owned(), name.to_owned());
        self.run(move |s| {
            s.with_tx(|tx| {
                let Some(table) = tables::get(tx, &database, &name)? else {
                    return if if_exists {
                        Ok(None)
                    } else {
                        Err(CatalogError::NotFound { what: "table", name: format!("{database}.{name}") })
                    };
                };
                tables::delete(tx, &database, &name)?;
                Ok(Some(table))
            })
        })
        .await
    }

    async fn get_table(&self, database: &str, name: &str) -> Result<Option<TableDef>> {
        let (database, name) = (database.to_owned(), name.to_owned());
        self.run(move |s| tables::get(&*lock(s)?, &database, &name)).await
    }

    async fn list_tables(&self, database: Option<&str>) -> Result<Vec<TableDef>> {
        let database = database.map(str::to_owned);
        self.run(move |s| {
            let conn = lock(s)?;
            match database {
                Some(db) => tables::tables_where(&conn, "WHERE database = ?1", &[&db]),
                None => tables::tables_where(&conn, "", &[]),
            }
        })
        .await
    }

    async fn list_table_names(&self) -> Result<Vec<(String, String)>> {
        self.run(|s| {
            let conn = lock(s)?;
            let mut stmt = conn.prepare_cached("SELECT database, name FROM tables ORDER BY database, name")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .await
    }

    async fn alter_table(&self, database: &str, name: &str, table: TableDef) -> Result<()> {
        let (database, name) = (database.to_owned(), name.to_owned());
        self.run(move |s| s.with_tx(|tx| tables::replace(tx, &database, &name, &table))).await
    }

    async fn list_partitions(&self, database: &str, table: &str) -> Result<Vec<PartitionDef>> {
        let (database, table) = (database.to_owned(), table.to_owned());
        self.run(move |s| partitions::list(&*lock(s)?, &database, &table)).await
    }

    async fn add_partitions(&self, database: &str, table: &str, parts: Vec<PartitionDef>, if_not_exists: bool) -> Result<()> {
        let (database, table) = (database.to_owned(), table.to_owned());
        self.run(move |s| {
            s.with_tx(|tx| {
                let def = table_of(tx, &database, &table)?;
                partitions::add(tx, &def, &parts, if_not_exists)
            })
        })
        .await
    }

    async fn drop_partitions(
        &self,
        database: &str,
        table: &str,
        values: Vec<Vec<Option<String>>>,
        if_exists: bool,
    ) -> Result<Vec<PartitionDef>> {
        let (database, table) = (database.to_owned(), table.to_owned());
        self.run(move |s| {
            s.with_tx(|tx| {
                let def = table_of(tx, &database, &table)?;
                partitions::drop(tx, &def, &values, if_exists)
            })
        })
        .await
    }

    async fn begin_commit(&self, commit: Commit) -> Result<()> {
        self.run(move |s| s.with_tx(|tx| commits::begin(tx, &commit))).await
    }

    async fn end_commit(&self, id: &str) -> Result<()> {
        let id = id.to_owned();
        self.run(move |s| s.with_tx(|tx| commits::end(tx, &id))).await
    }

    async fn pending_commits(&self) -> Result<Vec<Commit>> {
        self.run(|s| commits::pending(&*lock(s)?)).await
    }
}

#[cfg(test)]
mod tests;
