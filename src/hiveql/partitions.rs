//! Partition management: `ALTER TABLE ... ADD|DROP PARTITION`, `... PARTITION (...) SET LOCATION`,
//! `MSCK REPAIR TABLE` / `ALTER TABLE ... RECOVER PARTITIONS`, and `SHOW PARTITIONS`.

use std::collections::BTreeSet;

use datafusion::sql::sqlparser::ast::ObjectName;
use hivewire_backend::{BackendError, CommandOutcome, ErrorKind, QueryResult};
use hivewire_catalog::files::{is_hidden, list_all_files};
use hivewire_catalog::partition::{parse_spec_path, spec_path};
use hivewire_catalog::{PartitionDef, TableDef, TableKind};

use super::hive_ddl::Spec;
use super::insert::{normalize, target_table};
use super::output::{string_rows, string_schema};
use super::table::normalize_location;
use crate::engine::errors::{from_catalog, from_datafusion};
use crate::engine::write::commit::locate;
use crate::engine::EngineSession;

fn invalid(m: String) -> BackendError {
    BackendError::new(ErrorKind::InvalidParameter, m)
}

fn partitioned_table(table: &TableDef) -> Result<(), BackendError> {
    if table.is_partitioned() {
        Ok(())
    } else {
        Err(invalid(format!("{}.{} is not partitioned", table.database, table.name)))
    }
}

/// A spec naming every partition column with a value, as values in column order.
pub(crate) fn full_spec(table: &TableDef, spec: &Spec) -> Result<Vec<Option<String>>, BackendError> {
    partitioned_table(table)?;
    let partial = partial_spec(table, spec)?;
    if partial.iter().any(Option::is_none) || spec.len() != table.partition_columns.len() {
        let cols: Vec<&str> = table.partition_columns.iter().map(|c| c.name.as_str()).collect();
        return Err(invalid(format!("the partition spec must give a value for each partition column ({})", cols.join(", "))));
    }
    Ok(partial.into_iter().map(Option::flatten).collect())
}

/// A spec that may leave columns out: `None` for a column it does not fix.
pub(crate) fn partial_spec(table: &TableDef, spec: &Spec) -> Result<Vec<Option<Option<String>>>, BackendError> {
    partitioned_table(table)?;
    let mut out = vec![None; table.partition_columns.len()];
    for (col, value) in spec {
        let Some(i) = table.partition_columns.iter().position(|c| &c.name == col) else {
            return Err(invalid(format!("{col} is not a partition column of {}.{}", table.database, table.name)));
        };
        let Some(value) = value else {
            return Err(invalid(format!("partition column {col} needs a value here")));
        };
        out[i] = Some(normalize(value, &table.partition_columns[i].hive_type)?);
    }
    Ok(out)
}

/// Whether a partition's values match a partial spec.
pub(crate) fn matches(values: &[Option<String>], spec: &[Option<Option<String>>]) -> bool {
    values.iter().zip(spec).all(|(v, s)| s.as_ref().is_none_or(|s| s == v))
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

fn columns(table: &TableDef) -> Vec<&str> {
    table.partition_columns.iter().map(|c| c.name.as_str()).collect()
}

/// `ALTER TABLE t ADD [IF NOT EXISTS] PARTITION (...) [LOCATION '...'] ...`
pub async fn add(
    s: &EngineSession,
    name: &ObjectName,
    if_not_exists: bool,
    partitions: &[(Spec, Option<String>)],
) -> Result<QueryResult, BackendError> {
    let table = target_table(s, name).await?;
    let mut defs = Vec::with_capacity(partitions.len());
    for (spec, location) in partitions {
        let values = full_spec(&table, spec)?;
        let location = match location {
            Some(l) => normalize_location(l)?,
            None => format!("{}{}/", table.location, spec_path(&columns(&table), &values)),
        };
        if !location.ends_with('/') {
            return Err(invalid(format!("a partition LOCATION must be a directory, not the file {location}")));
        }
        defs.push(PartitionDef { values, location, created_ms: now_ms() });
    }
    for d in &defs {
        if let Some(dir) = d.location.strip_prefix("file://") {
            std::fs::create_dir_all(dir)
                .map_err(|e| BackendError::new(ErrorKind::Io, format!("partition LOCATION {} is not usable: {e}", d.location)))?;
        }
    }
    s.catalog().store().add_partitions(&table.database, &table.name, defs, if_not_exists).await.map_err(from_catalog)?;
    Ok(QueryResult::Command(CommandOutcome::tag("ALTER TABLE")))
}

/// `ALTER TABLE t DROP [IF EXISTS] PARTITION (...), ...`: a managed table's partition directories
/// under its location are deleted with them.
pub async fn drop(s: &EngineSession, name: &ObjectName, if_exists: bool, specs: &[Spec]) -> Result<QueryResult, BackendError> {
    let table = target_table(s, name).await?;
    let existing = s.catalog().store().list_partitions(&table.database, &table.name).await.map_err(from_catalog)?;
    // A partial spec drops every partition it matches, as in Hive.
    let mut values = Vec::new();
    for spec in specs {
        let partial = partial_spec(&table, spec)?;
        let found: Vec<_> = existing.iter().filter(|p| matches(&p.values, &partial)).map(|p| p.values.clone()).collect();
        if found.is_empty() && !if_exists {
            return Err(BackendError::new(
                ErrorKind::UndefinedObject,
                format!("partition not found in {}.{}: {}", table.database, table.name, describe_spec(spec)),
            ));
        }
        values.extend(found);
    }
    let dropped =
        s.catalog().store().drop_partitions(&table.database, &table.name, values, true).await.map_err(from_catalog)?;
    if table.kind == TableKind::Managed {
        for p in dropped {
            if let Some(dir) = p.location.strip_prefix("file://").filter(|_| p.location.starts_with(&table.location)) {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    }
    Ok(QueryResult::Command(CommandOutcome::tag("ALTER TABLE")))
}

pub(crate) fn describe_spec(spec: &Spec) -> String {
    spec.iter()
        .map(|(c, v)| match v {
            Some(Some(v)) => format!("{c}={v}"),
            Some(None) => format!("{c}=NULL"),
            None => c.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `ALTER TABLE t PARTITION (...) SET LOCATION '...'`
pub async fn set_location(s: &EngineSession, name: &ObjectName, spec: &Spec, location: &str) -> Result<QueryResult, BackendError> {
    let table = target_table(s, name).await?;
    let values = full_spec(&table, spec)?;
    let location = normalize_location(location)?;
    let store = s.catalog().store();
    let existing = store.list_partitions(&table.database, &table.name).await.map_err(from_catalog)?;
    let Some(mut part) = existing.into_iter().find(|p| p.values == values) else {
        return Err(BackendError::new(ErrorKind::UndefinedObject, format!("partition not found: {}", describe_spec(spec))));
    };
    part.location = location;
    store.drop_partitions(&table.database, &table.name, vec![values], false).await.map_err(from_catalog)?;
    store.add_partitions(&table.database, &table.name, vec![part], false).await.map_err(from_catalog)?;
    Ok(QueryResult::Command(CommandOutcome::tag("ALTER TABLE")))
}

/// `MSCK REPAIR TABLE t`: directories `col=value/...` under the table's location that the catalog
/// does not know become partitions.
pub async fn recover(s: &EngineSession, name: &ObjectName) -> Result<QueryResult, BackendError> {
    let table = target_table(s, name).await?;
    partitioned_table(&table)?;
    let cols = columns(&table);
    let (store, root) = locate(&s.ctx.runtime_env(), &table.location)?;
    let files = list_all_files(&store, &table.location).await.map_err(|e| from_datafusion(&e, None))?;
    let mut found = BTreeSet::new();
    for f in files {
        let rel: Vec<&str> = f.location.as_ref().strip_prefix(root.as_ref()).unwrap_or("").trim_start_matches('/').split('/').collect();
        if rel.len() != cols.len() + 1 || rel.iter().any(|part| is_hidden(part)) {
            continue;
        }
        if let Some(values) = parse_spec_path(&cols, &rel[..cols.len()].join("/")) {
            found.insert((values, rel[..cols.len()].join("/")));
        }
    }
    let existing = s.catalog().store().list_partitions(&table.database, &table.name).await.map_err(from_catalog)?;
    let new: Vec<PartitionDef> = found
        .into_iter()
        .filter(|(v, _)| !existing.iter().any(|p| &p.values == v))
        .map(|(values, rel)| PartitionDef { values, location: format!("{}{rel}/", table.location), created_ms: now_ms() })
        .collect();
    let n = new.len();
    s.catalog().store().add_partitions(&table.database, &table.name, new, true).await.map_err(from_catalog)?;
    tracing::info!(table = %format!("{}.{}", table.database, table.name), added = n, "recovered partitions");
    Ok(QueryResult::Command(CommandOutcome::tag("MSCK")))
}

/// `SHOW PARTITIONS t [PARTITION (...)]`: one column, `partition`, with `col=value/...` names.
pub async fn show(s: &EngineSession, name: &ObjectName, spec: Option<&Spec>) -> Result<QueryResult, BackendError> {
    let table = super::describe::lookup(s, name).await?;
    partitioned_table(&table)?;
    let (db, t) = (table.database.clone(), table.name.clone());
    let filter = match spec {
        Some(spec) => partial_spec(&table, spec)?,
        None => vec![None; table.partition_columns.len()],
    };
    let cols = columns(&table);
    let parts = s.catalog().store().list_partitions(&db, &t).await.map_err(from_catalog)?;
    let mut names: Vec<String> =
        parts.iter().filter(|p| matches(&p.values, &filter)).map(|p| spec_path(&cols, &p.values)).collect();
    names.sort();
    string_rows(string_schema(&["partition"]), names.into_iter().map(|n| vec![Some(n)]).collect(), "SHOW")
}
