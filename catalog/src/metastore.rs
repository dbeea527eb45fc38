//! The storage boundary of the catalog.
//!
//! One async method per operation, each atomic on its own: an implementation must never leave a
//! half-written entry, even if the process dies mid-call. The embedded default is
//! [`crate::SqliteMetastore`]; a remote store (PostgreSQL, a Hive metastore) implements the same trait.

use async_trait::async_trait;

use crate::error::Result;
use crate::model::{Commit, DatabaseDef, PartitionDef, TableDef};

/// Durable storage for databases and tables. Names passed in are already lower-case.
#[async_trait]
pub trait Metastore: Send + Sync + std::fmt::Debug + 'static {
    /// A number that changes whenever anything in the catalog changes, so that caches can tell
    /// cheaply whether they are stale.
    async fn version(&self) -> Result<u64>;

    /// Creates a database. Returns `false` if it existed and `if_not_exists` was set.
    async fn create_database(&self, db: DatabaseDef, if_not_exists: bool) -> Result<bool>;

    /// Drops a database and, with `cascade`, its tables, which are returned so that the caller can
    /// delete managed data. Returns `None` if it did not exist and `if_exists` was set.
    async fn drop_database(&self, name: &str, if_exists: bool, cascade: bool) -> Result<Option<Vec<TableDef>>>;

    /// One database.
    async fn get_database(&self, name: &str) -> Result<Option<DatabaseDef>>;

    /// Every database, by name.
    async fn list_databases(&self) -> Result<Vec<DatabaseDef>>;

    /// Creates a table. Returns `false` if it existed and `if_not_exists` was set.
    async fn create_table(&self, table: TableDef, if_not_exists: bool) -> Result<bool>;

    /// Drops a table, returning what it was. `None` if it did not exist and `if_exists` was set.
    async fn drop_table(&self, database: &str, name: &str, if_exists: bool) -> Result<Option<TableDef>>;

    /// One table.
    async fn get_table(&self, database: &str, name: &str) -> Result<Option<TableDef>>;

    /// The tables of one database, or of all databases, by database then name.
    async fn list_tables(&self, database: Option<&str>) -> Result<Vec<TableDef>>;

    /// `(database, table)` names of every table: cheaper than [`Metastore::list_tables`].
    async fn list_table_names(&self) -> Result<Vec<(String, String)>>;

    /// Replaces the definition of `database.name` with `table` (which may be renamed or moved to
    /// another database; its partitions follow).
    async fn alter_table(&self, database: &str, name: &str, table: TableDef) -> Result<()>;

    /// The partitions of a table.
    async fn list_partitions(&self, database: &str, table: &str) -> Result<Vec<PartitionDef>>;

    /// Adds partitions to a table, all or none.
    async fn add_partitions(&self, database: &str, table: &str, parts: Vec<PartitionDef>, if_not_exists: bool) -> Result<()>;

    /// Drops partitions (given by their values), all or none, returning what they were.
    async fn drop_partitions(
        &self,
        database: &str,
        table: &str,
        values: Vec<Vec<Option<String>>>,
        if_exists: bool,
    ) -> Result<Vec<PartitionDef>>;

    /// Records a write to publish and applies its catalog changes, in one transaction.
    async fn begin_commit(&self, commit: Commit) -> Result<()>;

    /// Forgets a commit whose files are in place.
    async fn end_commit(&self, id: &str) -> Result<()>;

    /// Commits recorded but not finished (a crash interrupted them).
    async fn pending_commits(&self) -> Result<Vec<Commit>>;
}
