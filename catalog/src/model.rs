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
}

impl TableKind {
    /// The name stored in the catalog and shown by DESCRIBE.
    pub fn as_str(self) -> &'static str {
        match self {
            TableKind::Managed => "MANAGED",
            TableKind::External => "EXTERNAL",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "MANAGED" => Some(TableKind::Managed),
            "EXTERNAL" => Some(TableKind::External),
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
}

impl CsvOptions {
    /// Hive's TEXTFILE defaults: `\001` between fields, `\N` for NULL, no header, no quoting.
    pub fn hive_text() -> Self {
        CsvOptions { delimiter: 1, header: false, quote: None, escape: None, null_value: Some("\\N".into()) }
    }

    /// Spark's `USING csv` defaults: comma, quote `"`, no header unless asked.
    pub fn spark_csv() -> Self {
        CsvOptions { delimiter: b',', header: false, quote: Some(b'"'), escape: None, null_value: None }
    }
}

/// How a table's files are encoded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum StorageFormat {
    /// Apache Parquet.
    Parquet,
    /// Delimited text.
    Csv(CsvOptions),
}

impl StorageFormat {
    /// The short name (`parquet`, `csv`).
    pub fn name(&self) -> &'static str {
        match self {
            StorageFormat::Parquet => "parquet",
            StorageFormat::Csv(_) => "csv",
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
}
