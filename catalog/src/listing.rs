//! Builds the DataFusion table that reads and writes a catalog table's files.

use std::sync::Arc;

use datafusion::arrow::datatypes::{Field, Schema, SchemaRef};
use datafusion::catalog::TableProvider;
use datafusion::datasource::file_format::csv::CsvFormat;
use datafusion::datasource::file_format::parquet::ParquetFormat;
use datafusion::datasource::file_format::FileFormat;
use datafusion::datasource::listing::{ListingOptions, ListingTable, ListingTableConfig, ListingTableUrl};
use datafusion::error::Result;

use crate::model::{StorageFormat, TableDef};
use crate::types::hive_to_arrow;

/// The Arrow schema of a table, from its Hive column types.
pub fn table_schema(table: &TableDef) -> Result<SchemaRef> {
    let fields = table
        .columns
        .iter()
        .map(|c| {
            let dt = hive_to_arrow(&c.hive_type)
                .map_err(|e| datafusion::error::DataFusionError::Plan(e.to_string()))?;
            Ok(Field::new(&c.name, dt, true))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Arc::new(Schema::new(fields)))
}

/// The DataFusion file format and listing options for a storage format.
pub fn listing_options(format: &StorageFormat) -> ListingOptions {
    match format {
        StorageFormat::Parquet => {
            ListingOptions::new(Arc::new(ParquetFormat::default())).with_file_extension(".parquet")
        }
        StorageFormat::Csv(o) => {
            let mut csv = CsvFormat::default().with_has_header(o.header).with_delimiter(o.delimiter).with_escape(o.escape);
            if let Some(q) = o.quote {
                csv = csv.with_quote(q);
            }
            if let Some(null) = &o.null_value {
                csv = csv.with_null_regex(Some(format!("^{}$", regex_escape(null))));
            }
            let csv: Arc<dyn FileFormat> = Arc::new(csv);
            // Hive text files often have no extension at all, so every file in the directory is read.
            ListingOptions::new(csv).with_file_extension("")
        }
    }
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

/// A listing table over the table's location, with the catalog's schema.
pub fn listing_table(table: &TableDef) -> Result<Arc<dyn TableProvider>> {
    let url = ListingTableUrl::parse(&table.location)?;
    let config = ListingTableConfig::new(url)
        .with_listing_options(listing_options(&table.format))
        .with_schema(table_schema(table)?);
    Ok(Arc::new(ListingTable::try_new(config)?))
}

#[cfg(test)]
mod tests {
    use super::regex_escape;

    #[test]
    fn escapes_hive_null_marker() {
        assert_eq!(regex_escape("\\N"), "\\\\N");
        assert_eq!(regex_escape("n/a"), "n/a");
    }
}
