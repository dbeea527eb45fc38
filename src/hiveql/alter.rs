//! `ALTER TABLE`: rename (a managed table's directory moves with it), column changes, table
//! properties, location and the delimiters of text tables.

use std::collections::BTreeMap;

use datafusion::sql::sqlparser::ast::{ColumnDef as SqlColumnDef, ObjectName};
use hivewire_backend::{BackendError, CommandOutcome, ErrorKind, QueryResult};
use hivewire_catalog::types::canonical_hive_type;
use hivewire_catalog::{ColumnDef, StorageFormat, TableDef, TableKind};

use super::describe::lookup;
use super::hive_ddl::column_comment;
use super::table::normalize_location;
use crate::engine::errors::from_catalog;
use crate::engine::EngineSession;

fn done() -> Result<QueryResult, BackendError> {
    Ok(QueryResult::Command(CommandOutcome::tag("ALTER TABLE")))
}

fn invalid(m: String) -> BackendError {
    BackendError::new(ErrorKind::InvalidParameter, m)
}

async fn save(s: &EngineSession, old: &TableDef, new: TableDef) -> Result<(), BackendError> {
    s.catalog().store().alter_table(&old.database, &old.name, new).await.map_err(from_catalog)
}

fn not_a_view(def: &TableDef, what: &str) -> Result<(), BackendError> {
    if def.kind == TableKind::View {
        return Err(invalid(format!("{}.{} is a view; {what} applies to tables", def.database, def.name)));
    }
    Ok(())
}

fn to_column(c: &SqlColumnDef) -> Result<ColumnDef, BackendError> {
    Ok(ColumnDef {
        name: c.name.value.to_lowercase(),
        hive_type: canonical_hive_type(&c.data_type.to_string()).map_err(from_catalog)?,
        comment: column_comment(c),
    })
}

/// `ALTER TABLE|VIEW t RENAME TO u`.
pub async fn rename(s: &EngineSession, name: &ObjectName, to: &ObjectName) -> Result<QueryResult, BackendError> {
    let old = lookup(s, name).await?;
    let (db, new_name) = s.resolve_table(to)?;
    // Spark renames within the table's database when the new name is unqualified.
    let db = if to.0.len() == 1 { old.database.clone() } else { db };
    let store = s.catalog().store();
    let target_db = store
        .get_database(&db)
        .await
        .map_err(from_catalog)?
        .ok_or_else(|| BackendError::new(ErrorKind::UndefinedSchema, format!("database {db} not found")))?;
    if store.get_table(&db, &new_name).await.map_err(from_catalog)?.is_some() {
        return Err(BackendError::new(ErrorKind::DuplicateObject, format!("table {db}.{new_name} already exists")));
    }
    let mut new = old.clone();
    new.database = db;
    new.name = new_name.clone();
    let moved = if old.kind == TableKind::Managed {
        new.location = format!("{}{new_name}/", target_db.location);
        match (old.location.strip_prefix("file://"), new.location.strip_prefix("file://")) {
            (Some(from), Some(to)) if std::path::Path::new(from).exists() => {
                if std::path::Path::new(to).exists() {
                    return Err(invalid(format!("cannot rename: the directory {to} already exists")));
                }
                std::fs::rename(from, to).map_err(|e| BackendError::new(ErrorKind::Io, format!("cannot move {from} to {to}: {e}")))?;
                Some((from.to_string(), to.to_string()))
            }
            (Some(_), Some(_)) => None,
            _ => return Err(BackendError::not_supported("renaming a managed table outside the local warehouse")),
        }
    } else {
        None
    };
    if let Err(e) = save(s, &old, new).await {
        if let Some((from, to)) = moved {
            let _ = std::fs::rename(to, from);
        }
        return Err(e);
    }
    done()
}

/// `ALTER TABLE t ADD COLUMNS (...)`: new data columns after the existing ones.
pub async fn add_columns(s: &EngineSession, name: &ObjectName, cols: &[SqlColumnDef]) -> Result<QueryResult, BackendError> {
    let old = lookup(s, name).await?;
    not_a_view(&old, "ADD COLUMNS")?;
    // Spark reads a new column's default in the rows written before it was added; hivewire's
    // files have no such value, so it refuses rather than read NULL there.
    if cols.iter().any(|c| c.options.iter().any(|o| matches!(o.option, datafusion::sql::sqlparser::ast::ColumnOption::Default(_)))) {
        return Err(BackendError::not_supported("ADD COLUMNS with a DEFAULT value; add the column, then insert with the value"));
    }
    let mut new = old.clone();
    for c in cols {
        let c = to_column(c)?;
        if new.all_columns().any(|x| x.name == c.name) {
            return Err(BackendError::new(ErrorKind::DuplicateObject, format!("column {} already exists in {}.{}", c.name, old.database, old.name)));
        }
        new.columns.push(c);
    }
    save(s, &old, new).await?;
    done()
}

/// `ALTER TABLE t REPLACE COLUMNS (...)`: the data columns become these.
pub async fn replace_columns(s: &EngineSession, name: &ObjectName, cols: &[SqlColumnDef]) -> Result<QueryResult, BackendError> {
    let old = lookup(s, name).await?;
    not_a_view(&old, "REPLACE COLUMNS")?;
    let mut new = old.clone();
    new.columns = Vec::with_capacity(cols.len());
    for c in cols {
        let c = to_column(c)?;
        if new.columns.iter().chain(&old.partition_columns).any(|x| x.name == c.name) {
            return Err(BackendError::new(ErrorKind::DuplicateObject, format!("column {} is listed twice", c.name)));
        }
        new.columns.push(c);
    }
    if new.columns.is_empty() {
        return Err(invalid("a table needs at least one column".into()));
    }
    save(s, &old, new).await?;
    done()
}

/// `ALTER TABLE t CHANGE [COLUMN] old new type [COMMENT '...']`.
pub async fn change_column(s: &EngineSession, name: &ObjectName, old_name: &str, col: &SqlColumnDef) -> Result<QueryResult, BackendError> {
    let old = lookup(s, name).await?;
    not_a_view(&old, "CHANGE COLUMN")?;
    let mut new = old.clone();
    let c = to_column(col)?;
    let Some(i) = new.columns.iter().position(|x| x.name == old_name) else {
        if old.partition_columns.iter().any(|p| p.name == old_name) {
            return Err(invalid(format!("{old_name} is a partition column; it cannot be changed")));
        }
        return Err(BackendError::new(ErrorKind::UndefinedColumn, format!("column {old_name} not found in {}.{}", old.database, old.name)));
    };
    if c.name != old_name && new.all_columns().any(|x| x.name == c.name) {
        return Err(BackendError::new(ErrorKind::DuplicateObject, format!("column {} already exists", c.name)));
    }
    new.columns[i] = c;
    save(s, &old, new).await?;
    done()
}

/// `ALTER TABLE t ALTER COLUMN c ...`: a new comment or default; a TYPE change only to the type
/// the column has, since the table's files keep their types (as Spark allows for such tables).
pub async fn alter_column(
    s: &EngineSession,
    name: &ObjectName,
    column: &str,
    change: &super::hive_ddl::ColumnChange,
) -> Result<QueryResult, BackendError> {
    let old = lookup(s, name).await?;
    not_a_view(&old, "ALTER COLUMN")?;
    let mut new = old.clone();
    let Some(c) = new.columns.iter_mut().chain(new.partition_columns.iter_mut()).find(|x| x.name == column) else {
        return Err(BackendError::new(ErrorKind::UndefinedColumn, format!("column {column} not found in {}.{}", old.database, old.name)));
    };
    if let Some(t) = &change.data_type {
        let wanted = hivewire_catalog::types::canonical_hive_type(&t.to_string()).map_err(from_catalog)?;
        if wanted != c.hive_type {
            return Err(BackendError::not_supported(format!(
                "ALTER COLUMN {column} TYPE {wanted}: the column is {}, and its files keep that type",
                c.hive_type
            )));
        }
    }
    if let Some(comment) = &change.comment {
        c.comment = Some(comment.clone());
    }
    match &change.default {
        Some(Some(text)) => super::column_defaults::store(&[(column.to_string(), text.clone())], &mut new.properties),
        Some(None) => super::column_defaults::forget(column, &mut new.properties),
        None => {}
    }
    save(s, &old, new).await?;
    done()
}

/// `ALTER TABLE|VIEW t SET TBLPROPERTIES (...)`.
pub async fn set_properties(s: &EngineSession, name: &ObjectName, props: &BTreeMap<String, String>) -> Result<QueryResult, BackendError> {
    let old = lookup(s, name).await?;
    let mut new = old.clone();
    if let Some(c) = props.get("comment") {
        new.comment = Some(c.clone());
    }
    if let Some(codec) = props.get("parquet.compression") {
        if !["snappy", "zstd", "gzip", "lz4", "uncompressed", "none"].contains(&codec.to_lowercase().as_str()) {
            return Err(invalid(format!("unknown parquet.compression '{codec}'; use snappy, zstd, gzip, lz4 or uncompressed")));
        }
    }
    new.properties.extend(props.iter().filter(|(k, _)| k.as_str() != "comment").map(|(k, v)| (k.clone(), v.clone())));
    save(s, &old, new).await?;
    done()
}

/// `ALTER TABLE|VIEW t UNSET TBLPROPERTIES [IF EXISTS] (...)`.
pub async fn unset_properties(s: &EngineSession, name: &ObjectName, if_exists: bool, keys: &[String]) -> Result<QueryResult, BackendError> {
    let old = lookup(s, name).await?;
    let mut new = old.clone();
    for k in keys {
        if k == "comment" {
            new.comment = None;
            continue;
        }
        if new.properties.remove(k).is_none() && !if_exists {
            return Err(invalid(format!("attempted to unset the property '{k}', which {}.{} does not have", old.database, old.name)));
        }
    }
    save(s, &old, new).await?;
    done()
}

/// `ALTER TABLE t SET LOCATION '...'`: the table reads (and writes) there from now on; its files
/// are not moved.
pub async fn set_location(s: &EngineSession, name: &ObjectName, location: &str) -> Result<QueryResult, BackendError> {
    let old = lookup(s, name).await?;
    not_a_view(&old, "SET LOCATION")?;
    let mut new = old.clone();
    new.location = normalize_location(location)?;
    save(s, &old, new).await?;
    done()
}

/// `ALTER TABLE t SET SERDEPROPERTIES (...)`: the delimiters and NULL marker of a text table.
pub async fn set_serde_properties(s: &EngineSession, name: &ObjectName, props: &BTreeMap<String, String>) -> Result<QueryResult, BackendError> {
    let old = lookup(s, name).await?;
    let mut new = old.clone();
    let StorageFormat::Csv(o) = &mut new.format else {
        return Err(invalid(format!("{}.{} is not a text table; SERDEPROPERTIES set delimiters of text tables", old.database, old.name)));
    };
    for (k, v) in props {
        match k.as_str() {
            "field.delim" | "separatorChar" | "sep" => o.delimiter = super::table::delimiter_char(v)?,
            "escape.delim" | "escapeChar" => o.escape = Some(super::table::delimiter_char(v)?),
            "quoteChar" | "quote" => o.quote = Some(super::table::delimiter_char(v)?),
            "serialization.null.format" => o.null_value = Some(v.clone()),
            "header" | "skip.header.line.count" => o.header = v == "true" || v == "1",
            "serialization.format" | "line.delim" => {}
            other => return Err(BackendError::not_supported(format!("the serde property '{other}'"))),
        }
    }
    save(s, &old, new).await?;
    done()
}
