//! `TRUNCATE TABLE` and `LOAD DATA`: file-level changes to a table, published through the same
//! commit journal as INSERT, so that they too are all-or-nothing.

use datafusion::sql::sqlparser::ast::ObjectName;
use hivewire_backend::{BackendError, CommandOutcome, ErrorKind, QueryResult};
use object_store::ObjectStoreExt;
use hivewire_catalog::files::list_data_files;
use hivewire_catalog::partition::spec_path;
use hivewire_catalog::{Commit, FileMove, PartitionDef, TableDef, TableKind};

use super::hive_ddl::Spec;
use super::insert::target_table;
use super::partitions::{full_spec, matches, partial_spec};
use super::table::normalize_location;
use crate::engine::errors::{from_catalog, from_datafusion};
use crate::engine::write::commit::{self, locate};
use crate::engine::EngineSession;

fn new_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

/// The data files directly in a directory, as URLs.
async fn data_file_urls(s: &EngineSession, dir: &str) -> Result<Vec<String>, BackendError> {
    let (store, _) = locate(&s.ctx.runtime_env(), dir)?;
    let files = list_data_files(&store, dir).await.map_err(|e| from_datafusion(&e, None))?;
    let root = commit::url_root(dir);
    Ok(files.into_iter().map(|f| format!("{root}{}", f.location)).collect())
}

fn empty_commit(table: &TableDef) -> Commit {
    Commit {
        id: new_id(),
        database: table.database.clone(),
        table: table.name.clone(),
        moves: vec![],
        deletes: vec![],
        cleanup: vec![],
        add_partitions: vec![],
        drop_partitions: vec![],
        create_table: None,
        set_properties: Default::default(),
    }
}

/// `TRUNCATE TABLE t [PARTITION (...)]`: deletes the data files of the table or of the matching
/// partitions. External tables are refused, as in Spark.
pub async fn truncate(s: &EngineSession, name: &ObjectName, spec: Option<&Spec>) -> Result<QueryResult, BackendError> {
    let table = target_table(s, name).await?;
    if table.kind == TableKind::External {
        return Err(BackendError::new(
            ErrorKind::InvalidParameter,
            format!("TRUNCATE TABLE is not allowed on the external table {}.{}", table.database, table.name),
        ));
    }
    let dirs: Vec<String> = if table.is_partitioned() {
        let filter = match spec {
            Some(spec) => partial_spec(&table, spec)?,
            None => vec![None; table.partition_columns.len()],
        };
        let parts = s.catalog().store().list_partitions(&table.database, &table.name).await.map_err(from_catalog)?;
        parts.into_iter().filter(|p| matches(&p.values, &filter)).map(|p| p.location).collect()
    } else {
        if spec.is_some() {
            return Err(BackendError::new(ErrorKind::InvalidParameter, format!("{}.{} is not partitioned", table.database, table.name)));
        }
        vec![table.location.clone()]
    };
    let mut c = empty_commit(&table);
    for dir in dirs {
        c.deletes.extend(data_file_urls(s, &dir).await?);
    }
    commit::commit(s.catalog().store(), &s.ctx.runtime_env(), c).await?;
    Ok(QueryResult::Command(CommandOutcome::tag("TRUNCATE TABLE")))
}

/// `LOAD DATA [LOCAL] INPATH 'path' [OVERWRITE] INTO TABLE t [PARTITION (...)]`: LOCAL copies the
/// file (or the files of the directory), otherwise they are moved. The files must already be in the
/// table's format.
pub async fn load(
    s: &EngineSession,
    local: bool,
    path: &str,
    overwrite: bool,
    name: &ObjectName,
    spec: Option<&Spec>,
) -> Result<QueryResult, BackendError> {
    let table = target_table(s, name).await?;
    let runtime = s.ctx.runtime_env();
    let (target_dir, new_partition) = if table.is_partitioned() {
        let spec = spec.ok_or_else(|| {
            BackendError::new(ErrorKind::InvalidParameter, "LOAD DATA into a partitioned table needs PARTITION (...) with every value")
        })?;
        let values = full_spec(&table, spec)?;
        let existing = s.catalog().store().list_partitions(&table.database, &table.name).await.map_err(from_catalog)?;
        match existing.into_iter().find(|p| p.values == values) {
            Some(p) => (p.location, None),
            None => {
                let cols: Vec<&str> = table.partition_columns.iter().map(|c| c.name.as_str()).collect();
                let dir = format!("{}{}/", table.location, spec_path(&cols, &values));
                let created = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_millis() as i64)
                    .unwrap_or(0);
                (dir.clone(), Some(PartitionDef { values, location: dir, created_ms: created }))
            }
        }
    } else {
        if spec.is_some() {
            return Err(BackendError::new(ErrorKind::InvalidParameter, format!("{}.{} is not partitioned", table.database, table.name)));
        }
        (table.location.clone(), None)
    };
    let source = normalize_location(path)?;
    let sources = if source.ends_with('/') { data_file_urls(s, &source).await? } else { vec![source.clone()] };
    if sources.is_empty() || (!source.ends_with('/') && data_file_urls(s, &source).await?.is_empty()) {
        return Err(BackendError::new(ErrorKind::UndefinedObject, format!("LOAD DATA input path does not exist: {path}")));
    }
    let mut c = empty_commit(&table);
    if overwrite {
        c.deletes = data_file_urls(s, &target_dir).await?;
    }
    let existing_names: Vec<String> =
        data_file_urls(s, &target_dir).await?.iter().filter_map(|u| u.rsplit('/').next().map(str::to_string)).collect();
    let staging = format!("{}.hivewire-staging-{}/", table.location, c.id);
    for (i, src) in sources.iter().enumerate() {
        let file = src.rsplit('/').next().unwrap_or("data");
        let mut target_name = file.to_string();
        let mut n = 1;
        while !overwrite && existing_names.contains(&target_name) {
            target_name = format!("{file}_copy_{n}");
            n += 1;
        }
        let from = if local {
            // Copies go to staging first, so that the commit only ever moves files.
            let staged = format!("{staging}{i:05}-{target_name}");
            let (store, from_path) = locate(&runtime, src)?;
            let (_, to_path) = locate(&runtime, &staged)?;
            store
                .copy(&from_path, &to_path)
                .await
                .map_err(|e| BackendError::new(ErrorKind::Io, format!("cannot copy {src}: {e}")))?;
            staged
        } else {
            src.clone()
        };
        c.moves.push(FileMove { from, to: format!("{target_dir}{target_name}") });
    }
    if local {
        c.cleanup.push(staging);
    }
    c.add_partitions.extend(new_partition);
    if let Some(dir) = target_dir.strip_prefix("file://") {
        let _ = std::fs::create_dir_all(dir);
    }
    commit::commit(s.catalog().store(), &runtime, c).await?;
    Ok(QueryResult::Command(CommandOutcome::tag("LOAD")))
}
