//! A metastore in PostgreSQL, for several hivewire servers sharing one catalog.
//!
//! The tables mirror the embedded SQLite catalog's (prefixed `hw_`). Every write runs in one
//! transaction that first bumps the change counter: that row lock orders concurrent writers, from
//! this server or another, so checks and writes never interleave, and readers see a write whole.

mod migrations;

use std::collections::BTreeMap;

use async_trait::async_trait;
use tokio::sync::Mutex;
use tokio_postgres::{Client, GenericClient, NoTls, Row};

use crate::error::{CatalogError, Result};
use crate::metastore::Metastore;
use crate::model::{ColumnDef, Commit, DatabaseDef, PartitionDef, StorageFormat, TableDef, TableKind};
use crate::partition::{describe, spec_path};

pub use migrations::SCHEMA_VERSION;

pub(crate) fn pg_error(e: tokio_postgres::Error) -> CatalogError {
    match e.as_db_error() {
        Some(db) => CatalogError::Storage(format!("{} ({})", db.message(), db.code().code())),
        None => CatalogError::Storage(e.to_string()),
    }
}

/// A metastore in a PostgreSQL database.
#[derive(Debug)]
pub struct PostgresMetastore {
    url: String,
    client: Mutex<Client>,
}

async fn connect(url: &str) -> Result<Client> {
    let (client, connection) = tokio_postgres::connect(url, NoTls).await.map_err(pg_error)?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::warn!(error = %e, "catalog database connection closed");
        }
    });
    Ok(client)
}

impl PostgresMetastore {
    /// Connects to `url` (`postgresql://user:password@host:port/database`, or key=value form),
    /// migrates the schema, and makes sure `default` exists with its tables at `default_location`.
    pub async fn open(url: &str, default_location: &str) -> Result<Self> {
        let (store, _) = Self::open_migrating(url, default_location).await?;
        Ok(store)
    }

    /// Like [`PostgresMetastore::open`], also returning the schema version found before migrating.
    pub async fn open_migrating(url: &str, default_location: &str) -> Result<(Self, i64)> {
        let mut client = connect(url).await?;
        let before = migrations::migrate(&mut client).await?;
        client
            .execute(
                "INSERT INTO hw_databases (name, comment, location, properties) VALUES ('default', 'Default Hive database', $1, '{}') ON CONFLICT DO NOTHING",
                &[&default_location],
            )
            .await
            .map_err(pg_error)?;
        Ok((PostgresMetastore { url: url.to_string(), client: Mutex::new(client) }, before))
    }

    /// The client, reconnected if the connection dropped.
    async fn client(&self) -> Result<tokio::sync::MutexGuard<'_, Client>> {
        let mut guard = self.client.lock().await;
        if guard.is_closed() {
            *guard = connect(&self.url).await?;
        }
        Ok(guard)
    }
}

/// Runs `f` in one transaction that first takes the catalog's write lock (the change counter).
macro_rules! write_tx {
    ($self:ident, |$tx:ident| $body:block) => {{
        let mut client = $self.client().await?;
        let $tx = client.transaction().await.map_err(pg_error)?;
        $tx.execute("UPDATE hw_meta SET value = value + 1 WHERE key = 'version'", &[]).await.map_err(pg_error)?;
        let out = async { let r: Result<_> = $body; r }.await?;
        $tx.commit().await.map_err(pg_error)?;
        Ok(out)
    }};
}

const TABLE_COLUMNS: &str =
    "database, name, kind, format, location, comment, properties, partition_columns, view_text, created_ms";

async fn load_columns(c: &impl GenericClient, database: &str, table: &str) -> Result<Vec<ColumnDef>> {
    let rows = c
        .query(
            "SELECT name, type, comment FROM hw_columns WHERE database = $1 AND table_name = $2 ORDER BY position",
            &[&database, &table],
        )
        .await
        .map_err(pg_error)?;
    Ok(rows.iter().map(|r| ColumnDef { name: r.get(0), hive_type: r.get(1), comment: r.get(2) }).collect())
}

async fn to_table(c: &impl GenericClient, r: &Row) -> Result<TableDef> {
    let database: String = r.get(0);
    let name: String = r.get(1);
    let kind: String = r.get(2);
    let format: String = r.get(3);
    let properties: String = r.get(6);
    let partition_columns: String = r.get(7);
    Ok(TableDef {
        columns: load_columns(c, &database, &name).await?,
        kind: TableKind::parse(&kind).ok_or_else(|| CatalogError::Storage(format!("unknown table kind {kind}")))?,
        format: serde_json::from_str::<StorageFormat>(&format)?,
        location: r.get(4),
        comment: r.get(5),
        properties: serde_json::from_str(&properties)?,
        partition_columns: serde_json::from_str(&partition_columns)?,
        view_text: r.get(8),
        created_ms: r.get(9),
        database,
        name,
    })
}

async fn tables_where(
    c: &impl GenericClient,
    filter: &str,
    args: &[&(dyn tokio_postgres::types::ToSql + Sync)],
) -> Result<Vec<TableDef>> {
    let rows = c
        .query(&format!("SELECT {TABLE_COLUMNS} FROM hw_tables {filter} ORDER BY database, name"), args)
        .await
        .map_err(pg_error)?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        out.push(to_table(c, r).await?);
    }
    Ok(out)
}

async fn get_table(c: &impl GenericClient, database: &str, name: &str) -> Result<Option<TableDef>> {
    Ok(tables_where(c, "WHERE database = $1 AND name = $2", &[&database, &name]).await?.pop())
}

async fn insert_table(c: &impl GenericClient, t: &TableDef) -> Result<()> {
    c.execute(
        &format!("INSERT INTO hw_tables ({TABLE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"),
        &[
            &t.database,
            &t.name,
            &t.kind.as_str(),
            &serde_json::to_string(&t.format)?,
            &t.location,
            &t.comment,
            &serde_json::to_string(&t.properties)?,
            &serde_json::to_string(&t.partition_columns)?,
            &t.view_text,
            &t.created_ms,
        ],
    )
    .await
    .map_err(pg_error)?;
    for (i, col) in t.columns.iter().enumerate() {
        c.execute(
            "INSERT INTO hw_columns (database, table_name, position, name, type, comment) VALUES ($1, $2, $3, $4, $5, $6)",
            &[&t.database, &t.name, &(i as i32), &col.name, &col.hive_type, &col.comment],
        )
        .await
        .map_err(pg_error)?;
    }
    Ok(())
}

async fn delete_table(c: &impl GenericClient, database: &str, name: &str) -> Result<()> {
    for sql in [
        "DELETE FROM hw_partitions WHERE database = $1 AND table_name = $2",
        "DELETE FROM hw_columns WHERE database = $1 AND table_name = $2",
        "DELETE FROM hw_tables WHERE database = $1 AND name = $2",
    ] {
        c.execute(sql, &[&database, &name]).await.map_err(pg_error)?;
    }
    Ok(())
}

async fn create_table(c: &impl GenericClient, t: &TableDef, if_not_exists: bool) -> Result<bool> {
    let db = c.query_opt("SELECT 1 FROM hw_databases WHERE name = $1", &[&t.database]).await.map_err(pg_error)?;
    if db.is_none() {
        return Err(CatalogError::NotFound { what: "database", name: t.database.clone() });
    }
    if get_table(c, &t.database, &t.name).await?.is_some() {
        return if if_not_exists {
            Ok(false)
        } else {
            Err(CatalogError::AlreadyExists { what: "table", name: format!("{}.{}", t.database, t.name) })
        };
    }
    insert_table(c, t).await?;
    Ok(true)
}

async fn list_partitions(c: &impl GenericClient, database: &str, table: &str) -> Result<Vec<PartitionDef>> {
    let rows = c
        .query(
            "SELECT vals, location, created_ms FROM hw_partitions WHERE database = $1 AND table_name = $2 ORDER BY spec",
            &[&database, &table],
        )
        .await
        .map_err(pg_error)?;
    rows.iter()
        .map(|r| {
            let vals: String = r.get(0);
            Ok(PartitionDef { values: serde_json::from_str(&vals)?, location: r.get(1), created_ms: r.get(2) })
        })
        .collect()
}

fn part_columns(t: &TableDef) -> Vec<&str> {
    t.partition_columns.iter().map(|c| c.name.as_str()).collect()
}

/// Removes partitions by their values; a missing one is an error unless `if_exists`.
async fn drop_partitions(c: &impl GenericClient, t: &TableDef, values: &[Vec<Option<String>>], if_exists: bool) -> Result<Vec<PartitionDef>> {
    let (database, table) = (t.database.as_str(), t.name.as_str());
    let cols = part_columns(t);
    let existing = list_partitions(c, database, table).await?;
    let mut dropped = Vec::new();
    for v in values {
        match existing.iter().find(|p| &p.values == v) {
            Some(p) => {
                c.execute(
                    "DELETE FROM hw_partitions WHERE database = $1 AND table_name = $2 AND spec = $3",
                    &[&database, &table, &spec_path(&cols, v)],
                )
                .await
                .map_err(pg_error)?;
                dropped.push(p.clone());
            }
            None if if_exists => {}
            None => return Err(CatalogError::NotFound { what: "partition", name: format!("{database}.{table} ({})", describe(&cols, v)) }),
        }
    }
    Ok(dropped)
}

async fn add_partitions(c: &impl GenericClient, t: &TableDef, parts: &[PartitionDef], if_not_exists: bool) -> Result<()> {
    let cols = part_columns(t);
    for p in parts {
        if p.values.len() != cols.len() {
            return Err(CatalogError::Invalid(format!(
                "a partition of {}.{} needs values for {} columns, not {}",
                t.database,
                t.name,
                cols.len(),
                p.values.len()
            )));
        }
        let n = c
            .execute(
                "INSERT INTO hw_partitions (database, table_name, spec, vals, location, created_ms) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                &[&t.database, &t.name, &spec_path(&cols, &p.values), &serde_json::to_string(&p.values)?, &p.location, &p.created_ms],
            )
            .await
            .map_err(pg_error)?;
        if n == 0 && !if_not_exists {
            return Err(CatalogError::AlreadyExists {
                what: "partition",
                name: format!("{}.{} ({})", t.database, t.name, describe(&cols, &p.values)),
            });
        }
    }
    Ok(())
}

async fn set_properties(c: &impl GenericClient, database: &str, name: &str, props: &BTreeMap<String, String>) -> Result<()> {
    if props.is_empty() {
        return Ok(());
    }
    let mut t = get_table(c, database, name)
        .await?
        .ok_or_else(|| CatalogError::NotFound { what: "table", name: format!("{database}.{name}") })?;
    t.properties.extend(props.clone());
    c.execute(
        "UPDATE hw_tables SET properties = $3 WHERE database = $1 AND name = $2",
        &[&database, &name, &serde_json::to_string(&t.properties)?],
    )
    .await
    .map_err(pg_error)?;
    Ok(())
}

fn table_missing(database: &str, name: &str) -> CatalogError {
    CatalogError::NotFound { what: "table", name: format!("{database}.{name}") }
}

#[async_trait]
impl Metastore for PostgresMetastore {
    async fn version(&self) -> Result<u64> {
        let c = self.client().await?;
        let v: i64 = c.query_one("SELECT value FROM hw_meta WHERE key = 'version'", &[]).await.map_err(pg_error)?.get(0);
        Ok(v as u64)
    }

    async fn create_database(&self, db: DatabaseDef, if_not_exists: bool) -> Result<bool> {
        write_tx!(self, |tx| {
            let n = tx
                .execute(
                    "INSERT INTO hw_databases (name, comment, location, properties) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                    &[&db.name, &db.comment, &db.location, &serde_json::to_string(&db.properties)?],
                )
                .await
                .map_err(pg_error)?;
            match (n, if_not_exists) {
                (1, _) => Ok(true),
                (_, true) => Ok(false),
                _ => Err(CatalogError::AlreadyExists { what: "database", name: db.name.clone() }),
            }
        })
    }

    async fn drop_database(&self, name: &str, if_exists: bool, cascade: bool) -> Result<Option<Vec<TableDef>>> {
        write_tx!(self, |tx| {
            if tx.query_opt("SELECT 1 FROM hw_databases WHERE name = $1", &[&name]).await.map_err(pg_error)?.is_none() {
                return if if_exists { Ok(None) } else { Err(CatalogError::NotFound { what: "database", name: name.to_string() }) };
            }
            if name == "default" {
                return Err(CatalogError::Invalid("the default database cannot be dropped".into()));
            }
            let tables = tables_where(&tx, "WHERE database = $1", &[&name]).await?;
            if !tables.is_empty() && !cascade {
                return Err(CatalogError::NotEmpty(name.to_string()));
            }
            for t in &tables {
                delete_table(&tx, &t.database, &t.name).await?;
            }
            tx.execute("DELETE FROM hw_databases WHERE name = $1", &[&name]).await.map_err(pg_error)?;
            Ok(Some(tables))
        })
    }

    async fn get_database(&self, name: &str) -> Result<Option<DatabaseDef>> {
        let c = self.client().await?;
        let row = c
            .query_opt("SELECT name, comment, location, properties FROM hw_databases WHERE name = $1", &[&name])
            .await
            .map_err(pg_error)?;
        row.map(|r| {
            let props: String = r.get(3);
            Ok(DatabaseDef { name: r.get(0), comment: r.get(1), location: r.get(2), properties: serde_json::from_str(&props)? })
        })
        .transpose()
    }

    async fn list_databases(&self) -> Result<Vec<DatabaseDef>> {
        let c = self.client().await?;
        let rows =
            c.query("SELECT name, comment, location, properties FROM hw_databases ORDER BY name", &[]).await.map_err(pg_error)?;
        rows.iter()
            .map(|r| {
                let props: String = r.get(3);
                Ok(DatabaseDef { name: r.get(0), comment: r.get(1), location: r.get(2), properties: serde_json::from_str(&props)? })
            })
            .collect()
    }

    async fn create_table(&self, table: TableDef, if_not_exists: bool) -> Result<bool> {
        write_tx!(self, |tx| { create_table(&tx, &table, if_not_exists).await })
    }

    async fn drop_table(&self, database: &str, name: &str, if_exists: bool) -> Result<Option<TableDef>> {
        write_tx!(self, |tx| {
            let Some(t) = get_table(&tx, database, name).await? else {
                return if if_exists { Ok(None) } else { Err(table_missing(database, name)) };
            };
            delete_table(&tx, database, name).await?;
            Ok(Some(t))
        })
    }

    async fn get_table(&self, database: &str, name: &str) -> Result<Option<TableDef>> {
        let c = self.client().await?;
        get_table(&*c, database, name).await
    }

    async fn list_tables(&self, database: Option<&str>) -> Result<Vec<TableDef>> {
        let c = self.client().await?;
        match database {
            Some(db) => tables_where(&*c, "WHERE database = $1", &[&db]).await,
            None => tables_where(&*c, "", &[]).await,
        }
    }

    async fn list_table_names(&self) -> Result<Vec<(String, String)>> {
        let c = self.client().await?;
        let rows = c.query("SELECT database, name FROM hw_tables ORDER BY database, name", &[]).await.map_err(pg_error)?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    async fn alter_table(&self, database: &str, name: &str, table: TableDef) -> Result<()> {
        write_tx!(self, |tx| {
            let old = get_table(&tx, database, name).await?.ok_or_else(|| table_missing(database, name))?;
            let renamed = (database, name) != (table.database.as_str(), table.name.as_str());
            if renamed && get_table(&tx, &table.database, &table.name).await?.is_some() {
                return Err(CatalogError::AlreadyExists { what: "table", name: format!("{}.{}", table.database, table.name) });
            }
            let parts = tx
                .query(
                    "SELECT spec, vals, location, created_ms FROM hw_partitions WHERE database = $1 AND table_name = $2",
                    &[&database, &name],
                )
                .await
                .map_err(pg_error)?;
            delete_table(&tx, database, name).await?;
            insert_table(&tx, &table).await?;
            for p in &parts {
                let mut location: String = p.get(2);
                if renamed && !old.location.is_empty() && old.location != table.location {
                    if let Some(rest) = location.strip_prefix(&old.location) {
                        location = format!("{}{rest}", table.location);
                    }
                }
                let (spec, vals, created): (String, String, i64) = (p.get(0), p.get(1), p.get(3));
                tx.execute(
                    "INSERT INTO hw_partitions (database, table_name, spec, vals, location, created_ms) VALUES ($1, $2, $3, $4, $5, $6)",
                    &[&table.database, &table.name, &spec, &vals, &location, &created],
                )
                .await
                .map_err(pg_error)?;
            }
            Ok(())
        })
    }

    async fn list_partitions(&self, database: &str, table: &str) -> Result<Vec<PartitionDef>> {
        let c = self.client().await?;
        list_partitions(&*c, database, table).await
    }

    async fn add_partitions(&self, database: &str, table: &str, parts: Vec<PartitionDef>, if_not_exists: bool) -> Result<()> {
        write_tx!(self, |tx| {
            let t = get_table(&tx, database, table).await?.ok_or_else(|| table_missing(database, table))?;
            add_partitions(&tx, &t, &parts, if_not_exists).await
        })
    }

    async fn drop_partitions(
        &self,
        database: &str,
        table: &str,
        values: Vec<Vec<Option<String>>>,
        if_exists: bool,
    ) -> Result<Vec<PartitionDef>> {
        write_tx!(self, |tx| {
            let t = get_table(&tx, database, table).await?.ok_or_else(|| table_missing(database, table))?;
            drop_partitions(&tx, &t, &values, if_exists).await
        })
    }

    async fn begin_commit(&self, commit: Commit) -> Result<()> {
        write_tx!(self, |tx| {
            if let Some(t) = &commit.create_table {
                create_table(&tx, t, false).await?;
            }
            if !commit.add_partitions.is_empty() || !commit.drop_partitions.is_empty() {
                let t = get_table(&tx, &commit.database, &commit.table)
                    .await?
                    .ok_or_else(|| table_missing(&commit.database, &commit.table))?;
                drop_partitions(&tx, &t, &commit.drop_partitions, true).await?;
                add_partitions(&tx, &t, &commit.add_partitions, true).await?;
            }
            set_properties(&tx, &commit.database, &commit.table, &commit.set_properties).await?;
            tx.execute("INSERT INTO hw_commits (id, body) VALUES ($1, $2)", &[&commit.id, &serde_json::to_string(&commit)?])
                .await
                .map_err(pg_error)?;
            Ok(())
        })
    }

    async fn end_commit(&self, id: &str) -> Result<()> {
        write_tx!(self, |tx| {
            tx.execute("DELETE FROM hw_commits WHERE id = $1", &[&id]).await.map_err(pg_error)?;
            Ok(())
        })
    }

    async fn pending_commits(&self) -> Result<Vec<Commit>> {
        let c = self.client().await?;
        let rows = c.query("SELECT body FROM hw_commits ORDER BY seq", &[]).await.map_err(pg_error)?;
        rows.iter()
            .map(|r| {
                let body: String = r.get(0);
                Ok(serde_json::from_str(&body)?)
            })
            .collect()
    }
}
