//! The persistent hivewire metastore, and DataFusion catalog providers over it.
//!
//! [`Metastore`] is the storage boundary: one async method per catalog operation, so that the embedded
//! SQLite store and a shared PostgreSQL store can sit behind it alike. [`provider`] turns what it holds
//! into DataFusion's `CatalogProvider` / `SchemaProvider` / `TableProvider`, so that planning sees Hive
//! databases as schemas and Hive tables as listing tables over Parquet or CSV files.

pub mod direct;
pub mod error;
pub mod files;
pub mod instants;
pub mod listing;
pub mod metastore;
pub mod model;
pub mod partition;
pub mod postgres;
pub mod provider;
pub mod sqlite;
pub mod table;
pub mod text_codec;
pub mod types;

pub use error::CatalogError;
pub use metastore::Metastore;
pub use model::{ColumnDef, Commit, CsvOptions, DatabaseDef, FileMove, PartitionDef, StorageFormat, TableDef, TableKind};
pub use provider::HiveCatalogProvider;
pub use postgres::PostgresMetastore;
pub use sqlite::SqliteMetastore;
