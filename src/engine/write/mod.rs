//! Writing rows into a catalog table: INSERT INTO / OVERWRITE, CREATE TABLE AS SELECT, with static
//! and dynamic partitions. Files are written under a hidden staging directory of the table and
//! published by a catalog commit ([`commit`]); a failed or cancelled write leaves nothing visible.

pub(crate) mod commit;
pub(crate) mod files;

use std::collections::{BTreeMap, HashMap};

use datafusion::arrow::array::{Array, ArrayRef, AsArray, UInt32Array};
use datafusion::arrow::datatypes::{DataType, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::logical_expr::LogicalPlan;
use futures::StreamExt;
use hivewire_backend::{BackendError, CancellationToken};
use hivewire_catalog::files::list_data_files;
use hivewire_catalog::listing::file_schema;
use hivewire_catalog::partition::spec_path;
use hivewire_catalog::{Commit, FileMove, PartitionDef, StorageFormat, TableDef};
use object_store::ObjectStoreExt;

use self::files::{Encoding, FileWriter};
use super::errors::{from_catalog, from_datafusion};
use super::session::EngineSession;
use super::stream::cancellable;

/// A partition column's value in a write: given in the statement, or taken from each row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PartitionValue {
    /// `PARTITION (dt='x')`; `None` is the default (NULL) partition.
    Static(Option<String>),
    /// `PARTITION (dt)`, or no PARTITION clause: the value comes from the row.
    Dynamic,
}

/// What to write and how.
#[derive(Debug, Clone)]
pub(crate) struct WriteRequest {
    /// The table; for CREATE TABLE AS SELECT, the table to create.
    pub table: TableDef,
    /// One entry per partition column.
    pub partition: Vec<PartitionValue>,
    /// Replace the rows of the partitions written (or of the whole unpartitioned table).
    pub overwrite: bool,
    /// Create the table in the same commit (CTAS).
    pub create: bool,
}

/// A file being written for one partition.
struct OpenFile {
    writer: FileWriter,
    staged: String,
    target_dir: String,
    name: String,
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// Writes the rows of `input` (data columns, then the dynamic partition columns, typed as the table
/// declares them) and publishes them. Returns the number of rows written.
pub(crate) async fn write(
    session: &EngineSession,
    request: WriteRequest,
    input: LogicalPlan,
    cancel: CancellationToken,
) -> Result<u64, BackendError> {
    let table = &request.table;
    if !table.location.ends_with('/') {
        return Err(BackendError::new(
            hivewire_backend::ErrorKind::InvalidParameter,
            format!("{}.{} reads the single file {}; it cannot be written to", table.database, table.name, table.location),
        ));
    }
    let runtime = session.ctx.runtime_env();
    let id = uuid::Uuid::new_v4().simple().to_string();
    let staging = format!("{}.hivewire-staging-{id}/", table.location);
    let encoding = Encoding::of(table)?;
    let data_schema = file_schema(table).map_err(|e| from_datafusion(&e, None))?;
    let data_width = data_schema.fields().len();
    let dynamic: Vec<usize> =
        request.partition.iter().enumerate().filter(|(_, p)| **p == PartitionValue::Dynamic).map(|(i, _)| i).collect();

    let existing: Vec<PartitionDef> = if table.is_partitioned() && !request.create {
        session.catalog().store().list_partitions(&table.database, &table.name).await.map_err(from_catalog)?
    } else {
        vec![]
    };
    let columns: Vec<&str> = table.partition_columns.iter().map(|c| c.name.as_str()).collect();

    let input = stored_instants(session, table, input, data_width).map_err(|e| from_datafusion(&e, None))?;
    let df = session.ctx.execute_logical_plan(input).await.map_err(|e| from_datafusion(&e, None))?;
    let stream = df.execute_stream().await.map_err(|e| from_datafusion(&e, None))?;
    let mut stream = cancellable(stream, cancel);

    let mut open: HashMap<Vec<Option<String>>, OpenFile> = HashMap::new();
    let mut rows = 0u64;
    let mut failure = None;
    while let Some(next) = stream.next().await {
        let batch = match next {
            Ok(b) => b,
            Err(e) => {
                failure = Some(e);
                break;
            }
        };
        let groups = match split(&batch, data_width, dynamic.len()) {
            Ok(g) => g,
            Err(e) => {
                failure = Some(from_datafusion(&e, None));
                break;
            }
        };
        for (dyn_values, part) in groups {
            let values = full_values(&request.partition, &dyn_values);
            let key = values.clone();
            if !open.contains_key(&key) {
                let rel = if table.is_partitioned() { format!("{}/", spec_path(&columns, &values)) } else { String::new() };
                let target_dir = existing
                    .iter()
                    .find(|p| p.values == values)
                    .map(|p| p.location.clone())
                    .unwrap_or_else(|| format!("{}{rel}", table.location));
                let name = format!("part-{:05}-{id}{}", open.len(), encoding.suffix());
                let staged = format!("{staging}{rel}{name}");
                let (store, path) = commit::locate(&runtime, &staged)?;
                let writer = FileWriter::create(store, path, data_schema.clone(), &encoding)?;
                open.insert(key.clone(), OpenFile { writer, staged, target_dir, name });
            }
            let Some(file) = open.get_mut(&key) else { continue };
            let part = match RecordBatch::try_new(data_schema.clone(), part.columns()[..data_width].to_vec()) {
                Ok(p) => p,
                Err(e) => {
                    failure = Some(from_datafusion(&e.into(), None));
                    break;
                }
            };
            rows += part.num_rows() as u64;
            if let Err(e) = file.writer.write(&part).await {
                abort(open, &runtime, &staging).await;
                return Err(e);
            }
        }
        if failure.is_some() {
            break;
        }
    }
    if let Some(e) = failure {
        abort(open, &runtime, &staging).await;
        return Err(e);
    }

    // A fully static partition is created (and, with OVERWRITE, emptied) even when no row arrives.
    if table.is_partitioned() && dynamic.is_empty() && open.is_empty() {
        let values = full_values(&request.partition, &[]);
        let target_dir = existing
            .iter()
            .find(|p| p.values == values)
            .map(|p| p.location.clone())
            .unwrap_or_else(|| format!("{}{}/", table.location, spec_path(&columns, &values)));
        return finish(session, &request, &id, &staging, vec![(values, target_dir)], vec![], &existing, rows).await;
    }

    let mut written = Vec::new();
    let mut moves = Vec::new();
    let mut opened: Vec<(Vec<Option<String>>, OpenFile)> = open.into_iter().collect();
    while let Some((values, file)) = opened.pop() {
        if let Err(e) = file.writer.finish().await {
            for (_, f) in opened {
                f.writer.abort().await;
            }
            commit::cleanup(&runtime, std::slice::from_ref(&staging)).await;
            return Err(e);
        }
        moves.push(FileMove { from: file.staged, to: format!("{}{}", file.target_dir, file.name) });
        written.push((values, file.target_dir));
    }
    finish(session, &request, &id, &staging, written, moves, &existing, rows).await
}

/// The rows to write with their timestamps, wall-clock times in the session's zone, as the UTC
/// instants a Parquet file holds (`hivewire_catalog::instants`); text files keep them as written.
fn stored_instants(session: &EngineSession, table: &TableDef, input: LogicalPlan, data_width: usize) -> datafusion::error::Result<LogicalPlan> {
    // The zone the session's scans show Parquet timestamps in (none over PostgreSQL).
    let zone = hivewire_catalog::instants::SessionZone::of(session.ctx.state_ref().read().config_options());
    let Some(zone) = zone.filter(|_| table.format == StorageFormat::Parquet) else { return Ok(input) };
    let schema = input.schema().clone();
    if !schema.fields().iter().take(data_width).any(|f| hivewire_catalog::instants::is_instant(f.data_type())) {
        return Ok(input);
    }
    let to_utc = datafusion::execution::FunctionRegistry::udf(&session.ctx, "to_utc_timestamp")?;
    let exprs = schema
        .columns()
        .into_iter()
        .zip(schema.fields())
        .enumerate()
        .map(|(i, (column, field))| {
            let value = datafusion::logical_expr::Expr::Column(column);
            if i < data_width && hivewire_catalog::instants::is_instant(field.data_type()) {
                let utc = to_utc.call(vec![value, datafusion::logical_expr::lit(zone.clone())]);
                datafusion::logical_expr::cast(utc, field.data_type().clone()).alias(field.name())
            } else {
                value
            }
        })
        .collect::<Vec<_>>();
    datafusion::logical_expr::LogicalPlanBuilder::from(input).project(exprs)?.build()
}

/// Builds and runs the commit of a finished write.
#[allow(clippy::too_many_arguments)]
async fn finish(
    session: &EngineSession,
    request: &WriteRequest,
    id: &str,
    staging: &str,
    written: Vec<(Vec<Option<String>>, String)>,
    moves: Vec<FileMove>,
    existing: &[PartitionDef],
    rows: u64,
) -> Result<u64, BackendError> {
    let table = &request.table;
    let runtime = session.ctx.runtime_env();
    let mut deletes = Vec::new();
    let mut new_bytes = 0u64;
    for m in &moves {
        let (store, path) = commit::locate(&runtime, &m.from)?;
        new_bytes += store.head(&path).await.map(|h| h.size).unwrap_or(0);
    }
    // Under Spark's static partition overwrite mode, an overwrite of a data source table replaces
    // every partition its PARTITION clause matches, written to or not.
    let replaced: Vec<&PartitionDef> = if request.overwrite && !request.create && static_overwrite(session, table) {
        existing.iter().filter(|p| matches_static(&request.partition, &p.values)).collect()
    } else {
        vec![]
    };
    let drop_partitions: Vec<Vec<Option<String>>> =
        replaced.iter().filter(|p| !written.iter().any(|(values, _)| values == &p.values)).map(|p| p.values.clone()).collect();
    if request.overwrite && !request.create {
        let dirs: Vec<String> = if table.is_partitioned() {
            let mut dirs: Vec<String> = written.iter().map(|(_, dir)| dir.clone()).collect();
            for p in &replaced {
                if !dirs.contains(&p.location) {
                    dirs.push(p.location.clone());
                }
            }
            dirs
        } else {
            vec![table.location.clone()]
        };
        for dir in dirs {
            let (store, _) = commit::locate(&runtime, &dir)?;
            for f in list_data_files(&store, &dir).await.map_err(|e| from_datafusion(&e, None))? {
                deletes.push(format!("{}{}", commit::url_root(&dir), f.location));
            }
        }
    }
    let moves_len = moves.len() as u64;
    let created = now_ms();
    let add_partitions = written
        .iter()
        .filter(|(values, _)| table.is_partitioned() && !existing.iter().any(|p| &p.values == values))
        .map(|(values, dir)| PartitionDef { values: values.clone(), location: dir.clone(), created_ms: created })
        .collect();
    let commit = Commit {
        id: id.to_string(),
        database: table.database.clone(),
        table: table.name.clone(),
        moves,
        deletes,
        cleanup: vec![staging.to_string()],
        add_partitions,
        drop_partitions,
        create_table: request.create.then(|| table.clone()),
        set_properties: statistics(request, rows, moves_len, new_bytes),
    };
    if let Err(e) = commit::commit(session.catalog().store(), &runtime, commit).await {
        commit::cleanup(&runtime, &[staging.to_string()]).await;
        return Err(e);
    }
    Ok(rows)
}

/// Whether an overwrite replaces every partition its PARTITION clause matches: Spark's default
/// for data source tables (`spark.sql.sources.partitionOverwriteMode=static`). Hive tables, and
/// the `dynamic` mode, replace only the partitions written.
fn static_overwrite(session: &EngineSession, table: &hivewire_catalog::TableDef) -> bool {
    let data_source = table.properties.contains_key(crate::hiveql::table::PROVIDER_PROPERTY);
    let mode = crate::hiveql::settings::lookup(session, "spark.sql.sources.partitionOverwriteMode");
    table.is_partitioned() && data_source && !mode.is_some_and(|m| m.trim().eq_ignore_ascii_case("dynamic"))
}

/// Whether partition values agree with a PARTITION clause's static values.
fn matches_static(spec: &[PartitionValue], values: &[Option<String>]) -> bool {
    spec.iter().zip(values).all(|(s, v)| match s {
        PartitionValue::Static(fixed) => fixed == v,
        PartitionValue::Dynamic => true,
    })
}

/// Hive's table statistics after a write, where they can be known exactly: for a new or wholly
/// overwritten table, and for an append to a table whose statistics are known. An overwrite of
/// some partitions leaves them as they were until `ANALYZE TABLE`.
fn statistics(request: &WriteRequest, rows: u64, files: u64, bytes: u64) -> BTreeMap<String, String> {
    let table = &request.table;
    let get = |k: &str| table.properties.get(k).and_then(|v| v.parse::<u64>().ok());
    let mut out = BTreeMap::new();
    let replaced = request.create || (request.overwrite && !table.is_partitioned());
    if replaced {
        out.insert("numRows".into(), rows.to_string());
        out.insert("numFiles".into(), files.to_string());
        out.insert("totalSize".into(), bytes.to_string());
    } else if !request.overwrite {
        if let (Some(r), Some(f), Some(b)) = (get("numRows"), get("numFiles"), get("totalSize")) {
            out.insert("numRows".into(), (r + rows).to_string());
            out.insert("numFiles".into(), (f + files).to_string());
            out.insert("totalSize".into(), (b + bytes).to_string());
        }
    }
    out
}

/// Abandons every open file and the staging directory.
async fn abort(open: HashMap<Vec<Option<String>>, OpenFile>, runtime: &datafusion::execution::runtime_env::RuntimeEnv, staging: &str) {
    for (_, f) in open {
        f.writer.abort().await;
    }
    commit::cleanup(runtime, &[staging.to_string()]).await;
}

/// Merges static values with one row's dynamic values, in partition column order.
fn full_values(spec: &[PartitionValue], dynamic: &[Option<String>]) -> Vec<Option<String>> {
    let mut d = dynamic.iter();
    spec.iter()
        .map(|p| match p {
            PartitionValue::Static(v) => v.clone(),
            PartitionValue::Dynamic => d.next().cloned().flatten(),
        })
        .collect()
}

/// Splits a batch by the values of its trailing `n_dynamic` columns (after `data_width` data
/// columns). An empty string counts as NULL, as in Hive.
fn split(
    batch: &RecordBatch,
    data_width: usize,
    n_dynamic: usize,
) -> datafusion::error::Result<Vec<(Vec<Option<String>>, RecordBatch)>> {
    if n_dynamic == 0 {
        return Ok(vec![(vec![], batch.clone())]);
    }
    let texts: Vec<ArrayRef> = (0..n_dynamic)
        .map(|i| datafusion::arrow::compute::cast(batch.column(data_width + i), &DataType::Utf8))
        .collect::<Result<_, _>>()?;
    let mut groups: Vec<(Vec<Option<String>>, Vec<u32>)> = Vec::new();
    let mut index: HashMap<Vec<Option<String>>, usize> = HashMap::new();
    for row in 0..batch.num_rows() {
        let key: Vec<Option<String>> = texts
            .iter()
            .map(|a| {
                let s = a.as_string::<i32>();
                (!s.is_null(row) && !s.value(row).is_empty()).then(|| s.value(row).to_string())
            })
            .collect();
        let slot = *index.entry(key.clone()).or_insert_with(|| {
            groups.push((key, Vec::new()));
            groups.len() - 1
        });
        groups[slot].1.push(row as u32);
    }
    let schema: SchemaRef = batch.schema();
    groups
        .into_iter()
        .map(|(key, rows)| {
            let idx = UInt32Array::from(rows);
            let cols = batch
                .columns()
                .iter()
                .map(|c| datafusion::arrow::compute::take(c.as_ref(), &idx, None))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((key, RecordBatch::try_new(schema.clone(), cols)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::commit::url_root as store_root;
    use super::{full_values, PartitionValue};

    #[test]
    fn merges_static_and_dynamic_values() {
        let spec = [PartitionValue::Static(Some("x".into())), PartitionValue::Dynamic];
        assert_eq!(full_values(&spec, &[Some("3".into())]), vec![Some("x".into()), Some("3".into())]);
    }

    #[test]
    fn store_roots() {
        assert_eq!(store_root("file:///data/t/"), "file:///");
        assert_eq!(store_root("s3://bucket/a/b/"), "s3://bucket/");
    }
}
