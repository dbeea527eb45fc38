//! File formats of catalog tables, and the Arrow schemas of their files.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::datasource::file_format::csv::CsvFormat;
use datafusion::datasource::file_format::json::JsonFormat;
use datafusion::datasource::file_format::parquet::ParquetFormat;
use datafusion::datasource::file_format::FileFormat;
use datafusion::error::Result;

use crate::model::{ColumnDef, StorageFormat, TableDef};
use crate::types::hive_to_arrow;

/// The Arrow field metadata key holding a column's Hive type where Arrow cannot say it.
pub const HIVE_TYPE_KEY: &str = "hive.type";

/// Arrow fields for catalog columns.
pub fn fields(columns: &[ColumnDef]) -> Result<Vec<Field>> {
    columns
        .iter()
        .map(|c| {
            let dt = hive_to_arrow(&c.hive_type).map_err(|e| datafusion::error::DataFusionError::Plan(e.to_string()))?;
            let field = Field::new(&c.name, dt, true);
            // Arrow has no VARCHAR(n) or CHAR(n); the Hive type rides along for the protocols.
            if c.hive_type.starts_with("varchar") || c.hive_type.starts_with("char") {
                return Ok(field.with_metadata([(HIVE_TYPE_KEY.to_string(), c.hive_type.clone())].into_iter().collect()));
            }
            Ok(field)
        })
        .collect()
}

/// The schema of the table's files: its data columns.
pub fn file_schema(table: &TableDef) -> Result<SchemaRef> {
    Ok(Arc::new(Schema::new(fields(&table.columns)?)))
}

/// The schema a scan reads the table's files with. Parquet strings are read as Arrow's view type,
/// as DataFusion's own Parquet tables read them: decoding into views skips a copy, and a scan
/// that produced plain strings would spend its time converting views back (TPC-H q19 spent a
/// fifth of its CPU there). Binaries stay plain: some Spark functions (`hex`) take no BinaryView.
/// Other formats keep plain strings, as their readers make them.
pub fn scan_file_schema(table: &TableDef) -> Result<SchemaRef> {
    if table.format != StorageFormat::Parquet {
        return file_schema(table);
    }
    Ok(Arc::new(Schema::new(fields(&table.columns)?.into_iter().map(as_view).collect::<Vec<_>>())))
}

/// A top-level string field as a string view; other fields as they are.
fn as_view(field: Field) -> Field {
    match field.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 => field.with_data_type(DataType::Utf8View),
        _ => field,
    }
}

/// The DataFusion reader for a storage format.
pub fn file_format(format: &StorageFormat) -> Arc<dyn FileFormat> {
    match format {
        StorageFormat::Parquet => Arc::new(ParquetFormat::default()),
        StorageFormat::Json => Arc::new(JsonFormat::default()),
        StorageFormat::Csv(o) => {
            // Without a quote character (Hive text), quotes are data: NUL stands in as one that
            // never occurs.
            let mut csv = CsvFormat::default()
                .with_has_header(o.header)
                .with_delimiter(o.delimiter)
                .with_escape(o.escape)
                .with_quote(o.quote.unwrap_or(0));
            if let Some(null) = &o.null_value {
                csv = csv.with_null_regex(Some(format!("^{}$", regex_escape(null))));
            }
            Arc::new(csv)
        }
    }
}

/// The reader for a table scan: as [`file_format`], with the session's Parquet options
/// (`SET datafusion.execution.parquet.*`: filter pushdown, metadata size hint, and the like).
pub fn scan_format(format: &StorageFormat, state: &dyn datafusion::catalog::Session) -> Arc<dyn FileFormat> {
    match format {
        StorageFormat::Parquet => Arc::new(ParquetFormat::default().with_options(state.default_table_options().parquet)),
        other => file_format(other),
    }
}

/// The schema of the data files at a location, inferred from the files Spark would read there
/// ([`crate::files::list_table_files`]): a directory Spark wrote holds `_SUCCESS` and `.crc` files
/// too, which are not data.
pub async fn infer_schema(state: &dyn datafusion::catalog::Session, format: &StorageFormat, location: &str) -> Result<SchemaRef> {
    let url = datafusion::datasource::listing::ListingTableUrl::parse(location)?;
    let store = state.runtime_env().object_store(&url)?;
    let files = crate::files::list_table_files(&store, location).await?;
    if files.is_empty() {
        return Ok(Arc::new(Schema::empty()));
    }
    file_format(format).infer_schema(state, &store, &files).await
}

fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::model::{ColumnDef, TableKind};

    fn table(format: StorageFormat) -> TableDef {
        let column = |name: &str, hive_type: &str| ColumnDef { name: name.into(), hive_type: hive_type.into(), comment: None };
        TableDef {
            database: "default".into(),
            name: "t".into(),
            kind: TableKind::Managed,
            format,
            location: "file:///tmp/t/".into(),
            columns: vec![column("s", "string"), column("v", "varchar(4)"), column("b", "binary"), column("a", "array<string>")],
            comment: None,
            properties: BTreeMap::new(),
            partition_columns: vec![],
            view_text: None,
            created_ms: 0,
        }
    }

    #[test]
    fn parquet_scans_read_top_level_strings_as_views() {
        let schema = scan_file_schema(&table(StorageFormat::Parquet)).expect("schema");
        let types: Vec<&DataType> = schema.fields().iter().map(|f| f.data_type()).collect();
        assert_eq!(types[0], &DataType::Utf8View);
        assert_eq!(types[1], &DataType::Utf8View);
        assert_eq!(schema.field(1).metadata().get(HIVE_TYPE_KEY).map(String::as_str), Some("varchar(4)"));
        assert_eq!(types[2], &DataType::Binary);
        assert!(matches!(types[3], DataType::List(f) if f.data_type() == &DataType::Utf8));
        // Writes keep plain strings.
        assert_eq!(file_schema(&table(StorageFormat::Parquet)).expect("schema").field(0).data_type(), &DataType::Utf8);
    }

    #[test]
    fn text_scans_read_plain_strings() {
        let schema = scan_file_schema(&table(StorageFormat::Json)).expect("schema");
        assert_eq!(schema.field(0).data_type(), &DataType::Utf8);
    }

    #[test]
    fn escapes_hive_null_marker() {
        assert_eq!(regex_escape("\\N"), "\\\\N");
        assert_eq!(regex_escape("n/a"), "n/a");
    }
}
