//! Reading files directly, without a catalog entry: `SELECT * FROM parquet.\`/data/x.parquet\``
//! (also `csv.` and `json.`), as in Spark. The "schema" is the format and the "table" is a path or
//! URL; columns are inferred from the files (CSV columns are `_c0`, `_c1`, ... strings, as in Spark).

use std::sync::Arc;

use async_trait::async_trait;
use datafusion::arrow::datatypes::DataType;
use datafusion::catalog::{SchemaProvider, TableProvider};
use datafusion::error::{DataFusionError, Result};
use datafusion::execution::runtime_env::RuntimeEnv;
use datafusion::execution::session_state::SessionStateBuilder;

use crate::metastore::Metastore;
use crate::model::{ColumnDef, CsvOptions, StorageFormat, TableDef, TableKind};
use crate::table::HiveTable;
use crate::types::arrow_to_hive;

/// The pseudo-schemas that read files directly.
pub const FORMATS: &[&str] = &["parquet", "csv", "json"];

/// One of [`FORMATS`].
#[derive(Debug)]
pub struct FileSchema {
    format: StorageFormat,
    runtime: Arc<RuntimeEnv>,
    store: Arc<dyn Metastore>,
}

impl FileSchema {
    /// The schema for `format` (`parquet`, `csv`, `json`), if it is one.
    pub fn new(format: &str, runtime: Arc<RuntimeEnv>, store: Arc<dyn Metastore>) -> Option<Self> {
        let format = match format {
            "parquet" => StorageFormat::Parquet,
            "json" => StorageFormat::Json,
            "csv" => StorageFormat::Csv(CsvOptions::spark_csv()),
            _ => return None,
        };
        Some(FileSchema { format, runtime, store })
    }
}

/// A path or URL as a location URL: directories end in `/`.
fn location(path: &str) -> String {
    if path.contains("://") {
        return path.to_string();
    }
    let p = std::path::Path::new(path);
    let abs = if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir().map(|d| d.join(p)).unwrap_or_else(|_| p.to_path_buf()) };
    let s = abs.to_string_lossy().to_string();
    if abs.is_dir() {
        format!("file://{}/", s.trim_end_matches('/'))
    } else {
        format!("file://{s}")
    }
}

#[async_trait]
impl SchemaProvider for FileSchema {
    fn table_names(&self) -> Vec<String> {
        vec![]
    }

    async fn table(&self, name: &str) -> Result<Option<Arc<dyn TableProvider>>> {
        let location = location(name);
        let state = SessionStateBuilder::new().with_runtime_env(self.runtime.clone()).build();
        let schema = crate::listing::infer_schema(&state, &self.format, &location).await?;
        if schema.fields().is_empty() {
            return Err(DataFusionError::Plan(format!("no {} files at {name}", self.format.name())));
        }
        let is_csv = matches!(self.format, StorageFormat::Csv(_));
        let columns = schema
            .fields()
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let (name, dt) = if is_csv { (format!("_c{i}"), DataType::Utf8) } else { (f.name().clone(), f.data_type().clone()) };
                let hive_type = arrow_to_hive(&dt).map_err(|e| DataFusionError::Plan(e.to_string()))?;
                Ok(ColumnDef { name, hive_type, comment: None })
            })
            .collect::<Result<Vec<_>>>()?;
        let def = TableDef {
            database: self.format.name().to_string(),
            name: name.to_string(),
            kind: TableKind::External,
            format: self.format.clone(),
            location,
            columns,
            comment: None,
            properties: Default::default(),
            partition_columns: vec![],
            view_text: None,
            created_ms: 0,
        };
        Ok(Some(Arc::new(HiveTable::try_new(def, self.store.clone())?)))
    }

    fn table_exist(&self, _name: &str) -> bool {
        true
    }
}
