//! The DataFusion table over a catalog table's files.
//!
//! A partitioned table's partitions come from the catalog, not from listing directories: a filter
//! on partition columns is evaluated against the recorded partition values, and only the surviving
//! partitions' directories are listed. No file of a pruned partition is ever opened, and partitions
//! may live anywhere (`ALTER TABLE ... ADD PARTITION ... LOCATION`).

use std::sync::Arc;

use async_trait::async_trait;
use datafusion::arrow::array::{Array, ArrayRef, BooleanArray, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::catalog::{Session, TableProvider};
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::stats::Precision;
use datafusion::common::{Column, DFSchema, ScalarValue, Statistics, TableReference};
use datafusion::datasource::file_format::FileFormat;
use datafusion::datasource::listing::{ListingTableUrl, PartitionedFile};
use datafusion::datasource::physical_plan::{FileGroup, FileScanConfigBuilder};
use datafusion::datasource::table_schema::TableSchemaBuilder;
use datafusion::error::{DataFusionError, Result};
use datafusion::execution::cache::cache_manager::CachedFileMetadata;
use datafusion::execution::cache::{SchemaFingerprint, TableScopedPath};
use datafusion::logical_expr::{Expr, TableProviderFilterPushDown, TableType};
use datafusion::physical_plan::empty::EmptyExec;
use datafusion::physical_plan::projection::{ProjectionExec, ProjectionExpr};
use datafusion::physical_plan::ExecutionPlan;
use datafusion_datasource::compute_all_files_statistics;
use futures::stream::{self, StreamExt};
use object_store::ObjectStore;

use crate::files::list_data_files;
use crate::listing::{fields, scan_file_schema, scan_format};
use crate::metastore::Metastore;
use crate::model::{StorageFormat, TableDef};

/// A catalog table, readable by DataFusion.
#[derive(Debug)]
pub struct HiveTable {
    def: TableDef,
    store: Arc<dyn Metastore>,
    schema: SchemaRef,
    file_schema: SchemaRef,
    /// Identifies `file_schema` in DataFusion's file statistics cache.
    fingerprint: Arc<SchemaFingerprint>,
    partition_fields: Vec<FieldRef>,
}

impl HiveTable {
    /// The table `def`, whose partitions are read from `store`.
    pub fn try_new(def: TableDef, store: Arc<dyn Metastore>) -> Result<Self> {
        let file_schema = scan_file_schema(&def)?;
        let partition_fields: Vec<FieldRef> = fields(&def.partition_columns)?.into_iter().map(Arc::new).collect();
        let schema = Arc::new(Schema::new(
            file_schema.fields().iter().cloned().chain(partition_fields.iter().cloned()).collect::<Vec<_>>(),
        ));
        let fingerprint = Arc::new(SchemaFingerprint::from_schema(&file_schema));
        Ok(HiveTable { def, store, schema, file_schema, fingerprint, partition_fields })
    }

    /// The catalog definition.
    pub fn def(&self) -> &TableDef {
        &self.def
    }

    fn stat(&self, key: &str) -> Option<u64> {
        self.def.properties.get(key).and_then(|v| v.parse().ok())
    }

    /// Statistics for a scan of `bytes` of the table's files: the size, and a row count scaled
    /// from the table's recorded `numRows` and `totalSize` (written on INSERT and by ANALYZE).
    fn scan_statistics(&self, bytes: u64) -> Statistics {
        let mut stats = Statistics::new_unknown(&self.schema);
        stats.total_byte_size = Precision::Inexact(bytes as usize);
        if let (Some(rows), Some(total)) = (self.stat("numRows"), self.stat("totalSize")) {
            // Inexact even at full size: files may have changed outside hivewire since.
            let scaled = if total == 0 { rows } else { (rows as u128 * bytes as u128 / total as u128) as u64 };
            stats.num_rows = Precision::Inexact(scaled as usize);
        }
        stats
    }

    /// Each file with its statistics, read from its footer once and then kept in DataFusion's
    /// file statistics cache until the file's size or modification time changes. A file whose
    /// footer cannot be read keeps unknown statistics: the scan itself reports the error.
    async fn with_file_statistics(
        &self,
        state: &dyn Session,
        store: &Arc<dyn ObjectStore>,
        format: &dyn FileFormat,
        files: Vec<PartitionedFile>,
    ) -> Vec<PartitionedFile> {
        let cache = state.runtime_env().cache_manager.get_file_statistic_cache();
        let concurrency = state.config_options().execution.meta_fetch_concurrency.get();
        let table = TableReference::partial(self.def.database.as_str(), self.def.name.as_str());
        stream::iter(files)
            .map(|file| {
                let cache = cache.clone();
                let key = TableScopedPath { table: Some(table.clone()), path: file.object_meta.location.clone() };
                async move {
                    let meta = &file.object_meta;
                    if let Some(hit) = cache.as_ref().and_then(|c| c.get(&key)) {
                        if hit.is_valid_for(meta, &self.fingerprint) {
                            return file.with_statistics(hit.statistics.clone());
                        }
                    }
                    match format.infer_stats(state, store, self.file_schema.clone(), meta).await {
                        Ok(stats) => {
                            let stats = Arc::new(stats);
                            if let Some(c) = &cache {
                                c.put(&key, CachedFileMetadata::new(meta.clone(), self.fingerprint.clone(), stats.clone(), None));
                            }
                            file.with_statistics(stats)
                        }
                        Err(e) => {
                            tracing::debug!(file = %meta.location, error = %e, "no statistics for file");
                            file
                        }
                    }
                }
            })
            .buffered(concurrency)
            .collect()
            .await
    }

    fn is_partition_filter(&self, e: &Expr) -> bool {
        let cols = e.column_refs();
        !cols.is_empty() && cols.iter().all(|c| self.def.partition_columns.iter().any(|p| p.name == c.name))
    }

    /// The directories to read, each with its partition values, after pruning by `filters`.
    async fn directories(&self, state: &dyn Session, filters: &[Expr]) -> Result<Vec<(String, Vec<ScalarValue>)>> {
        if !self.def.is_partitioned() {
            return Ok(vec![(self.def.location.clone(), vec![])]);
        }
        let parts = self
            .store
            .list_partitions(&self.def.database, &self.def.name)
            .await
            .map_err(|e| DataFusionError::External(Box::new(e)))?;
        if parts.is_empty() {
            return Ok(vec![]);
        }
        // One row per partition, one typed column per partition column.
        let mut columns: Vec<ArrayRef> = Vec::with_capacity(self.partition_fields.len());
        for (i, f) in self.partition_fields.iter().enumerate() {
            let text: StringArray = parts.iter().map(|p| p.values.get(i).cloned().flatten()).collect();
            columns.push(datafusion::arrow::compute::cast(&text, f.data_type())?);
        }
        let part_schema = Arc::new(Schema::new(self.partition_fields.clone()));
        let batch = RecordBatch::try_new(part_schema.clone(), columns)?;
        let mut keep = BooleanArray::from(vec![true; parts.len()]);
        let df_schema = DFSchema::try_from(part_schema)?;
        for filter in filters.iter().filter(|f| self.is_partition_filter(f)) {
            let unqualified = filter
                .clone()
                .transform(|e| match e {
                    Expr::Column(c) => Ok(Transformed::yes(Expr::Column(Column::new_unqualified(c.name)))),
                    other => Ok(Transformed::no(other)),
                })?
                .data;
            let physical = state.create_physical_expr(unqualified, &df_schema)?;
            let result = physical.evaluate(&batch)?.into_array(batch.num_rows())?;
            let mask = result
                .as_any()
                .downcast_ref::<BooleanArray>()
                .ok_or_else(|| DataFusionError::Internal("a partition filter is not boolean".into()))?;
            keep = datafusion::arrow::compute::and_kleene(&keep, mask)?;
        }
        let mut out = Vec::new();
        for (row, part) in parts.iter().enumerate() {
            if keep.is_valid(row) && keep.value(row) {
                let values = batch
                    .columns()
                    .iter()
                    .map(|c| ScalarValue::try_from_array(c, row))
                    .collect::<Result<Vec<_>>>()?;
                out.push((part.location.clone(), values));
            }
        }
        Ok(out)
    }
}

#[async_trait]
impl TableProvider for HiveTable {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn table_type(&self) -> TableType {
        TableType::Base
    }

    fn statistics(&self) -> Option<Statistics> {
        let bytes = self.stat("totalSize")?;
        Some(self.scan_statistics(bytes))
    }

    fn supports_filters_pushdown(&self, filters: &[&Expr]) -> Result<Vec<TableProviderFilterPushDown>> {
        Ok(filters
            .iter()
            .map(|f| {
                if self.is_partition_filter(f) {
                    TableProviderFilterPushDown::Exact
                } else {
                    TableProviderFilterPushDown::Inexact
                }
            })
            .collect())
    }

    async fn scan(
        &self,
        state: &dyn Session,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let store_url = ListingTableUrl::parse(&self.def.location)?.object_store();
        let store = state.runtime_env().object_store(&store_url)?;
        let mut files = Vec::new();
        for (dir, values) in self.directories(state, filters).await? {
            if ListingTableUrl::parse(&dir)?.object_store() != store_url {
                return Err(DataFusionError::NotImplemented(format!(
                    "partition at {dir} is in another store than its table at {}",
                    self.def.location
                )));
            }
            for meta in list_data_files(&store, &dir).await? {
                files.push(PartitionedFile::new_from_meta(meta).with_partition_values(values.clone()));
            }
        }
        let projected = match projection {
            Some(p) => Arc::new(self.schema.project(p)?),
            None => self.schema.clone(),
        };
        if files.is_empty() {
            return Ok(Arc::new(EmptyExec::new(projected)));
        }
        let bytes = files.iter().map(|f| f.object_meta.size).sum();
        let format = scan_format(&self.def.format, state);
        // Parquet footers give row counts and column bounds, which the planner needs to order
        // joins and estimate filters; the catalog's recorded numRows is the fallback.
        let collect = state.config().collect_statistics() && self.def.format == StorageFormat::Parquet;
        let files = if collect { self.with_file_statistics(state, &store, format.as_ref(), files).await } else { files };
        let groups = split_groups(files, state.config().target_partitions());
        let (groups, statistics) = if collect {
            let (groups, stats) = compute_all_files_statistics(groups, self.schema.clone(), true, false)?;
            let stats = if stats.num_rows.get_value().is_some() { stats } else { self.scan_statistics(bytes) };
            (groups, stats)
        } else {
            (groups, self.scan_statistics(bytes))
        };
        // Text files are read as text and converted after: see `text_columns`.
        let text = matches!(self.def.format, StorageFormat::Csv(_));
        let read_schema = if text { all_text(&self.file_schema) } else { self.file_schema.clone() };
        let source = format.file_source(
            TableSchemaBuilder::from(&read_schema)
                .with_table_partition_cols(
                    self.partition_fields
                        .iter()
                        .map(|f| Arc::new(Field::new(f.name(), f.data_type().clone(), true)))
                        .collect::<Vec<FieldRef>>(),
                )
                .build(),
        );
        let config = FileScanConfigBuilder::new(store_url, source)
            .with_file_groups(groups)
            .with_statistics(statistics)
            .with_projection_indices(projection.cloned())?
            .with_limit(limit)
            .build();
        let plan = format.create_physical_plan(state, config).await?;
        if text {
            return self.text_columns(state, plan, &projected);
        }
        if self.def.format == StorageFormat::Parquet {
            if let Some(zone) = crate::instants::SessionZone::of(state.config_options()) {
                return self.zoned_columns(state, plan, &zone);
            }
        }
        Ok(plan)
    }
}

impl HiveTable {
    /// The scan with its timestamp columns, instants in the files, shown in the session's zone
    /// (see [`crate::instants`]); other columns pass through.
    fn zoned_columns(&self, state: &dyn Session, input: Arc<dyn ExecutionPlan>, zone: &str) -> Result<Arc<dyn ExecutionPlan>> {
        let schema = input.schema();
        if !schema.fields().iter().any(|f| crate::instants::is_instant(f.data_type())) {
            return Ok(input);
        }
        let input_schema = DFSchema::try_from(schema.clone())?;
        let mut exprs = Vec::with_capacity(schema.fields().len());
        for field in schema.fields() {
            let column = Expr::Column(Column::new_unqualified(field.name()));
            let value = match field.data_type() {
                DataType::Timestamp(unit, None) => datafusion::logical_expr::cast(
                    crate::instants::wall_clock(column, *unit, zone),
                    field.data_type().clone(),
                ),
                _ => column,
            };
            exprs.push(ProjectionExpr { expr: state.create_physical_expr(value, &input_schema)?, alias: field.name().clone() });
        }
        Ok(Arc::new(ProjectionExec::try_new(exprs, input)?))
    }
}

/// The schema with every field as nullable text.
fn all_text(schema: &SchemaRef) -> SchemaRef {
    Arc::new(Schema::new(
        schema.fields().iter().map(|f| Field::new(f.name(), DataType::Utf8, true)).collect::<Vec<_>>(),
    ))
}

impl HiveTable {
    /// Turns text fields into their columns' values as Hive's text SerDe does: the table's NULL
    /// marker (`\N` by default) is NULL, and a value that does not parse as the column's type is
    /// NULL too (an empty INT field, say).
    fn text_columns(&self, state: &dyn Session, input: Arc<dyn ExecutionPlan>, projected: &SchemaRef) -> Result<Arc<dyn ExecutionPlan>> {
        use datafusion::logical_expr::{lit, try_cast};
        let (marker, seps) = match &self.def.format {
            StorageFormat::Csv(o) => (o.null_value.clone(), o.nesting_separators()),
            _ => (None, vec![]),
        };
        let input_schema = DFSchema::try_from(input.schema())?;
        let mut exprs = Vec::with_capacity(projected.fields().len());
        for (i, target) in projected.fields().iter().enumerate() {
            let field = input.schema().field(i).clone();
            let column = Expr::Column(Column::new_unqualified(field.name()));
            let value = if field.data_type() == &DataType::Utf8 && self.file_schema.field_with_name(target.name()).is_ok() {
                let v = match &marker {
                    Some(m) => datafusion::functions::expr_fn::nullif(column, lit(m.clone())),
                    None => column,
                };
                if target.data_type() == &DataType::Utf8 {
                    v
                } else if crate::text_codec::is_nested(target.data_type()) {
                    let udf = crate::text_codec::DecodeNested::udf(target.data_type().clone(), seps.clone(), marker.clone());
                    Expr::ScalarFunction(datafusion::logical_expr::expr::ScalarFunction::new_udf(Arc::new(udf), vec![v]))
                } else {
                    try_cast(v, target.data_type().clone())
                }
            } else {
                column
            };
            let physical = state.create_physical_expr(value, &input_schema)?;
            exprs.push(ProjectionExpr { expr: physical, alias: target.name().clone() });
        }
        Ok(Arc::new(ProjectionExec::try_new(exprs, input)?))
    }
}

/// Spreads files over `n` groups, largest first onto the lightest group.
fn split_groups(mut files: Vec<PartitionedFile>, n: usize) -> Vec<FileGroup> {
    let n = n.max(1).min(files.len());
    files.sort_by_key(|f| std::cmp::Reverse(f.object_meta.size));
    let mut groups: Vec<(u64, Vec<PartitionedFile>)> = (0..n).map(|_| (0, Vec::new())).collect();
    for f in files {
        if let Some(g) = groups.iter_mut().min_by_key(|g| g.0) {
            g.0 += f.object_meta.size;
            g.1.push(f);
        }
    }
    groups.into_iter().map(|(_, f)| FileGroup::new(f)).collect()
}
