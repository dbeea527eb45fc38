//! What the catalog records: databases, tables, columns and storage formats.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A Hive database. PostgreSQL clients see it as a schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatabaseDef {
    /// Lower-case name.
    pub name: String,
    /// Free-text comment.
    pub comment: Option<String>,
    /// Where its managed tables live.
    pub location: String,
    /// `WITH DBPROPERTIES`.
    pub properties: BTreeMap<String, String>,
}

/// Whether hivewire owns a table's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TableKind {
    /// Data lives under the warehouse; dropping the table deletes it.
    Managed,
    /// Data lives at a LOCATION the user gave; dropping the table never touches it.
    External,
    /// A stored query, planned when it is used.
    View,
}

impl TableKind {
    /// The name stored in the catalog and shown by DESCRIBE.
    pub fn as_str(self) -> &'static str {
        match self {
            TableKind::Managed => "MANAGED",
            TableKind::External => "EXTERNAL",
            TableKind::View => "VIEW",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "MANAGED" => Some(TableKind::Managed),
            "EXTERNAL" => Some(TableKind::External),
            "VIEW" => Some(TableKind::View),
            _ => None,
        }
    }
}

/// Options of a delimited text (CSV / Hive TEXTFILE) table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvOptions {
    /// Field separator.
    pub delimiter: u8,
    /// Whether the first line of each file is a header.
    pub header: bool,
    /// Quote character, if values may be quoted.
    pub quote: Option<u8>,
    /// Escape character, if any.
    pub escape: Option<u8>,
    /// The text that stands for NULL.
    pub null_value: Option<String>,
    /// Between the items of an array or map, and the fields of a struct (Hive: `\002`).
    #[serde(default)]
    pub collection_delimiter: Option<u8>,
    /// Between a map entry's key and value (Hive: `\003`).
    #[serde(default)]
    pub map_key_delimiter: Option<u8>,
}

impl CsvOptions {
    /// The separators of nested values, outermost first, as Hive's text SerDe uses them: the
    /// collection separator, then the map key separator, then `\004` to `\010` for deeper levels.
    pub fn nesting_separators(&self) -> Vec<u8> {
        let mut seps = vec![self.collection_delimiter.unwrap_or(2), self.map_key_delimiter.unwrap_or(3)];
        seps.extend(4u8..=8);
        seps
    }

    /// Hive's TEXTFILE defaults: `\001` between fields, `\N` for NULL, no header, no quoting.
    pub fn hive_text() -> Self {
        CsvOptions {
            delimiter: 1,
            header: false,
            quote: None,
            escape: None,
            null_value: Some("\\N".into()),
            collection_delimiter: None,
            map_key_delimiter: None,
        }
    }

    /// Spark's `USING csv` defaults: comma, quote `"`, no header unless asked.
    pub fn spark_csv() -> Self {
        CsvOptions {
            delimiter: b',',
            header: false,
            quote: Some(b'"'),
            escape: None,
            null_value: None,
            collection_delimiter: None,
            map_key_delimiter: None,
        }
    }
}

/// How a table's files are encoded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StorageFormat {
    /// Apache Parquet.
    Parquet,
    /// Delimited text.
    Csv(CsvOptions),
    /// JSON lines: one object per line.
    Json,
}

impl StorageFormat {
    /// The short name (`parquet`, `csv`).
    pub fn name(&self) -> &'static str {
        match self {
            StorageFormat::Parquet => "parquet",
            StorageFormat::Csv(_) => "csv",
            StorageFormat::Json => "json",
        }
    }
}

/// A column: its name, its Hive type name, and a comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnDef {
    /// Lower-case name.
    pub name: String,
    /// Hive type name in canonical lower-case form, e.g. `decimal(10,2)`, `array<string>`.
    pub hive_type: String,
    /// Column comment.
    pub comment: Option<String>,
}

/// A table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableDef {
    /// Lower-case database name.
    pub database: String,
    /// Lower-case table name.
    pub name: String,
    /// Managed or external.
    pub kind: TableKind,
    /// File format and its options.
    pub format: StorageFormat,
    /// Where the files are: a URL (`file:///...`, `s3://...`) ending in `/` for a directory.
    pub location: String,
    /// Columns, in order.
    pub columns: Vec<ColumnDef>,
    /// Table comment.
    pub comment: Option<String>,
    /// `TBLPROPERTIES`.
    pub properties: BTreeMap<String, String>,
    /// `PARTITIONED BY` columns, in order; they follow the data columns in the table's schema.
    #[serde(default)]
    pub partition_columns: Vec<ColumnDef>,
    /// A view's query text.
    #[serde(default)]
    pub view_text: Option<String>,
    /// When it was created, in milliseconds since the Unix epoch.
    #[serde(default)]
    pub created_ms: i64,
}

impl TableDef {
    /// Whether the table is partitioned.
    pub fn is_partitioned(&self) -> bool {
        !self.partition_columns.is_empty()
    }

    /// Data columns, then partition columns: the columns a query sees.
    pub fn all_columns(&self) -> impl Iterator<Item = &ColumnDef> {
        self.columns.iter().chain(self.partition_columns.iter())
    }
}

/// One partition of a partitioned table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionDef {
    /// One value per partition column, as text; `None` is Hive's default (NULL) partition.
    pub values: Vec<Option<String>>,
    /// Its directory URL, ending in `/`.
    pub location: String,
    /// When it was added, in milliseconds since the Unix epoch.
    pub created_ms: i64,
}

/// A file to move when a write is published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileMove {
    /// Where the file was written (a staging URL).
    pub from: String,
    /// Where readers will find it.
    pub to: String,
}

/// A write being published. The catalog records it, together with its catalog changes, in one
/// transaction; the files are then moved and deleted, and the record removed. A record still present
/// at start-up is a publication a crash interrupted, and is finished then: so a write is seen whole
/// or not at all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Commit {
    /// Unique id of the write.
    pub id: String,
    /// The table written.
    pub database: String,
    /// The table written.
    pub table: String,
    /// Files to move from staging to their place.
    pub moves: Vec<FileMove>,
    /// Files to delete (what an overwrite replaces).
    pub deletes: Vec<String>,
    /// Staging directories to remove once done.
    pub cleanup: Vec<String>,
    /// Partitions the write creates.
    pub add_partitions: Vec<PartitionDef>,
    /// Partitions the write replaces wholly and leaves without data (an overwrite under Spark's
    /// static partition overwrite mode), by their values.
    #[serde(default)]
    pub drop_partitions: Vec<Vec<Option<String>>>,
    /// The table the write creates (CREATE TABLE ... AS SELECT).
    pub create_table: Option<TableDef>,
    /// Table properties to set (statistics).
    pub set_properties: BTreeMap<String, String>,
}
