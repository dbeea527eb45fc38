//! `CREATE TABLE` (Hive's `STORED AS` / `ROW FORMAT` / `LOCATION` form and Spark's `USING` form) and
//! `DROP TABLE`.

use std::collections::BTreeMap;
use std::path::Path;

use datafusion::sql::sqlparser::ast::{
    ColumnOption, CreateTable, CreateTableOptions, FileFormat, HiveDelimiter, HiveIOFormat, HiveRowFormat, ObjectName,
    SqlOption,
};
use datafusion::sql::sqlparser::ast::{CreateTableLikeKind, DataType as SqlDataType, HiveDistributionStyle};
use hivewire_backend::{BackendError, CancellationToken, CommandOutcome, ErrorKind, QueryResult};
use hivewire_catalog::types::{arrow_to_hive, canonical_hive_type};
use hivewire_catalog::{ColumnDef, CsvOptions, StorageFormat, TableDef, TableKind};

use super::classify::value_text;
use crate::engine::errors::{from_catalog, from_datafusion};
use crate::engine::write::{write, PartitionValue, WriteRequest};
use crate::engine::{absolute, EngineSession};

/// The table property naming a Spark data source table's format (`USING parquet`), as Spark keeps
/// it in a Hive metastore. Hive-format tables (`STORED AS`) have none.
pub const PROVIDER_PROPERTY: &str = "spark.sql.sources.provider";

/// Runs `CREATE [EXTERNAL] TABLE`, with or without `AS SELECT`.
pub async fn create(s: &EngineSession, mut ct: CreateTable, sql: &str, cancel: CancellationToken) -> Result<QueryResult, BackendError> {
    let defaults = super::column_defaults::take(&mut ct.columns);
    reject_unsupported(&ct)?;
    let (database, name) = s.resolve_table(&ct.name)?;
    let db = s
        .catalog()
        .store()
        .get_database(&database)
        .await
        .map_err(from_catalog)?
        .ok_or_else(|| BackendError::new(ErrorKind::UndefinedSchema, format!("database {database} not found")))?;
    if s.catalog().store().get_table(&database, &name).await.map_err(from_catalog)?.is_some() {
        if ct.if_not_exists {
            return Ok(QueryResult::Command(CommandOutcome::tag(if ct.query.is_some() { "SELECT" } else { "CREATE TABLE" })));
        }
        return Err(BackendError::new(ErrorKind::DuplicateObject, format!("table {database}.{name} already exists")));
    }
    let source = match &ct.like {
        Some(CreateTableLikeKind::Plain(like) | CreateTableLikeKind::Parenthesized(like)) => Some(like_source(s, &like.name).await?),
        None => None,
    };
    // A table made LIKE another keeps the other's format unless it names its own.
    let names_format = ct.file_format.is_some() || ct.hive_formats.as_ref().is_some_and(|h| h.storage.is_some() || h.row_format.is_some());
    let format = match &source {
        Some(source) if !names_format => source.format.clone(),
        _ => storage_format(&ct)?,
    };
    let location = ct.location.clone().or_else(|| ct.hive_formats.as_ref().and_then(|h| h.location.clone()));
    let (kind, location) = match location {
        Some(l) => (TableKind::External, normalize_location(&l)?),
        None if ct.external => {
            return Err(BackendError::new(ErrorKind::InvalidParameter, "CREATE EXTERNAL TABLE needs a LOCATION"))
        }
        None => (TableKind::Managed, format!("{}{name}/", db.location)),
    };
    let mut columns = declared_columns(&ct.columns)?;
    let mut partition_columns = Vec::new();
    if let HiveDistributionStyle::PARTITIONED { columns: parts } = &ct.hive_distribution {
        for p in parts {
            let pname = p.name.value.to_lowercase();
            if matches!(p.data_type, SqlDataType::Unspecified) {
                // Spark's `PARTITIONED BY (dt)`: a column of the list (or of the query) moves last.
                match columns.iter().position(|c| c.name == pname) {
                    Some(i) => partition_columns.push(columns.remove(i)),
                    None if ct.query.is_some() => partition_columns.push(ColumnDef { name: pname, hive_type: String::new(), comment: None }),
                    None => {
                        return Err(BackendError::new(
                            ErrorKind::UndefinedColumn,
                            format!("partition column {pname} is not among the table's columns"),
                        ))
                    }
                }
            } else {
                if columns.iter().any(|c| c.name == pname) {
                    return Err(BackendError::new(
                        ErrorKind::DuplicateObject,
                        format!("partition column {pname} is also listed among the table's columns; list it only in PARTITIONED BY"),
                    ));
                }
                partition_columns.extend(declared_columns(std::slice::from_ref(p))?);
            }
        }
    }
    let comment = ct.comment.as_ref().map(|c| match c {
        datafusion::sql::sqlparser::ast::CommentDef::WithEq(t) | datafusion::sql::sqlparser::ast::CommentDef::WithoutEq(t) => t.clone(),
    });
    let mut properties = table_properties(&ct.table_options);
    if let Some(spec) = super::buckets::from_statement(&ct, &columns, &partition_columns)? {
        super::buckets::store(&spec, &mut properties);
    }
    super::column_defaults::store(&defaults, &mut properties);
    if let Some(HiveIOFormat::Using { format }) = ct.hive_formats.as_ref().and_then(|h| h.storage.as_ref()) {
        properties.insert(PROVIDER_PROPERTY.into(), format.value.to_lowercase());
    }
    // LIKE copies the other table's columns, partition columns and data source.
    if let Some(source) = source {
        columns = source.columns;
        partition_columns = source.partition_columns;
        if let (false, Some(provider)) = (names_format, source.properties.get(PROVIDER_PROPERTY)) {
            properties.insert(PROVIDER_PROPERTY.into(), provider.clone());
        }
    }
    let mut def = TableDef {
        database,
        name,
        kind,
        format,
        location,
        columns: vec![],
        comment,
        properties,
        partition_columns,
        view_text: None,
        created_ms: now_ms(),
    };
    if let Some(query) = ct.query {
        return create_as_select(s, def, columns, *query, sql, cancel).await;
    }
    if columns.is_empty() {
        if def.is_partitioned() {
            return Err(BackendError::new(ErrorKind::InvalidParameter, "a partitioned table needs its columns declared"));
        }
        columns = infer_columns(s, &def.format, &def.location).await?;
        // Spark reads every CSV column as a string unless asked to infer their types.
        let infer_types = data_source_options(&ct).get("inferschema").is_some_and(|v| v.eq_ignore_ascii_case("true"));
        if matches!(def.format, StorageFormat::Csv(_)) && !infer_types {
            for c in &mut columns {
                c.hive_type = "string".into();
            }
        }
    }
    def.columns = columns;
    check_location(s, &def.location).await?;
    if let Some(path) = local_dir(&def.location) {
        std::fs::create_dir_all(path)
            .map_err(|e| BackendError::new(ErrorKind::Io, format!("LOCATION {} is not usable: {e}", def.location)))?;
    }
    s.catalog().store().create_table(def, ct.if_not_exists).await.map_err(from_catalog)?;
    Ok(QueryResult::Command(CommandOutcome::tag("CREATE TABLE")))
}

/// `CREATE TABLE ... AS SELECT`: the columns come from the query (a declared list renames them);
/// the table and its first rows are published in one commit, so a failed query creates nothing.
async fn create_as_select(
    s: &EngineSession,
    mut def: TableDef,
    declared: Vec<ColumnDef>,
    query: datafusion::sql::sqlparser::ast::Query,
    sql: &str,
    cancel: CancellationToken,
) -> Result<QueryResult, BackendError> {
    let plan = s.plan_statement(datafusion::sql::sqlparser::ast::Statement::Query(Box::new(query)), sql).await?;
    let fields: Vec<(String, datafusion::arrow::datatypes::DataType)> =
        plan.schema().fields().iter().map(|f| (f.name().to_lowercase(), f.data_type().clone())).collect();
    if !declared.is_empty() && declared.len() != fields.len() {
        return Err(BackendError::new(
            ErrorKind::InvalidParameter,
            format!("{} columns are declared but the query gives {}", declared.len(), fields.len()),
        ));
    }
    // Each column with the index of the query column it comes from.
    let mut all: Vec<(ColumnDef, usize)> = Vec::with_capacity(fields.len());
    for (i, (fname, dt)) in fields.iter().enumerate() {
        let name = declared.get(i).map(|c| c.name.clone()).unwrap_or_else(|| fname.clone());
        if all.iter().any(|(c, _)| c.name == name) {
            return Err(BackendError::new(ErrorKind::DuplicateObject, format!("the query gives two columns named {name}; alias one")));
        }
        let hive_type = arrow_to_hive(dt).map_err(from_catalog)?;
        all.push((ColumnDef { name, hive_type, comment: declared.get(i).and_then(|c| c.comment.clone()) }, i));
    }
    // Partition columns are taken from the query's columns and go last, in PARTITIONED BY order.
    let mut partition_columns = Vec::new();
    for p in &def.partition_columns {
        let i = all.iter().position(|(c, _)| c.name == p.name).ok_or_else(|| {
            BackendError::new(ErrorKind::UndefinedColumn, format!("partition column {} is not among the query's columns", p.name))
        })?;
        partition_columns.push(all.remove(i));
    }
    let order: Vec<usize> = all.iter().chain(partition_columns.iter()).map(|(_, i)| *i).collect();
    let all: Vec<ColumnDef> = all.into_iter().map(|(c, _)| c).collect();
    let partition_columns: Vec<ColumnDef> = partition_columns.into_iter().map(|(c, _)| c).collect();
    def.columns = all;
    def.partition_columns = partition_columns;
    let source = plan.schema().columns();
    // Each value takes the Arrow type its Hive column reads back as (a query's Utf8View is Utf8).
    let exprs: Vec<datafusion::logical_expr::Expr> = order
        .iter()
        .zip(def.all_columns())
        .map(|(i, c)| {
            let dt = hivewire_catalog::types::hive_to_arrow(&c.hive_type).map_err(from_catalog)?;
            Ok(datafusion::logical_expr::cast(datafusion::logical_expr::Expr::Column(source[*i].clone()), dt).alias(&c.name))
        })
        .collect::<Result<_, BackendError>>()?;
    let plan = datafusion::logical_expr::LogicalPlanBuilder::from(plan)
        .project(exprs)
        .and_then(|b| b.build())
        .map_err(|e| from_datafusion(&e, None))?;
    if let Some(path) = local_dir(&def.location) {
        std::fs::create_dir_all(path)
            .map_err(|e| BackendError::new(ErrorKind::Io, format!("LOCATION {} is not usable: {e}", def.location)))?;
    }
    let partition = vec![PartitionValue::Dynamic; def.partition_columns.len()];
    let rows = write(s, WriteRequest { table: def, partition, overwrite: false, create: true }, plan, cancel).await?;
    Ok(QueryResult::Command(CommandOutcome::with_rows("SELECT", rows)))
}

/// Columns as declared, with canonical Hive type names; a repeated name is an error.
fn declared_columns(cols: &[datafusion::sql::sqlparser::ast::ColumnDef]) -> Result<Vec<ColumnDef>, BackendError> {
    let mut columns = Vec::with_capacity(cols.len());
    for c in cols {
        let col_name = c.name.value.to_lowercase();
        let hive_type = if matches!(c.data_type, SqlDataType::Unspecified) {
            String::new()
        } else {
            canonical_hive_type(&c.data_type.to_string()).map_err(from_catalog)?
        };
        let comment = c.options.iter().find_map(|o| match &o.option {
            ColumnOption::Comment(text) => Some(text.clone()),
            _ => None,
        });
        if columns.iter().any(|x: &ColumnDef| x.name == col_name) {
            return Err(BackendError::new(ErrorKind::DuplicateObject, format!("column {col_name} is listed twice")));
        }
        columns.push(ColumnDef { name: col_name, hive_type, comment });
    }
    Ok(columns)
}

/// Refuses a LOCATION whose store cannot be reached.
async fn check_location(s: &EngineSession, location: &str) -> Result<(), BackendError> {
    if location.starts_with("file://") {
        return Ok(());
    }
    let (store, path) = crate::engine::write::commit::locate(&s.ctx.runtime_env(), location)?;
    // A single file is looked at; a directory is listed.
    if !location.ends_with('/') {
        use object_store::ObjectStoreExt;
        return match store.head(&path).await {
            Ok(_) => Ok(()),
            Err(e) => Err(BackendError::new(ErrorKind::Io, format!("LOCATION {location} is not reachable: {e}"))),
        };
    }
    match store.list_with_delimiter(Some(&path)).await {
        Ok(_) | Err(object_store::Error::NotFound { .. }) => Ok(()),
        Err(e) => Err(BackendError::new(ErrorKind::Io, format!("LOCATION {location} is not reachable: {e}"))),
    }
}

/// The table or view a `CREATE TABLE ... LIKE` copies.
async fn like_source(s: &EngineSession, name: &datafusion::sql::sqlparser::ast::ObjectName) -> Result<TableDef, BackendError> {
    let (database, table) = s.resolve_table(name)?;
    let def = s.catalog().store().get_table(&database, &table).await.map_err(from_catalog)?;
    def.ok_or_else(|| BackendError::new(ErrorKind::UndefinedTable, format!("[TABLE_OR_VIEW_NOT_FOUND] table or view {database}.{table} not found")))
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

fn reject_unsupported(ct: &CreateTable) -> Result<(), BackendError> {
    if ct.partition_by.is_some() {
        return Err(BackendError::not_supported("PARTITION BY expressions; use PARTITIONED BY (columns)"));
    }
    if ct.like.is_some() && (ct.query.is_some() || !ct.columns.is_empty()) {
        return Err(BackendError::new(ErrorKind::Syntax, "CREATE TABLE ... LIKE takes neither columns nor a query"));
    }
    if ct.temporary {
        return Err(BackendError::not_supported("CREATE TEMPORARY TABLE"));
    }
    Ok(())
}

/// The options given in `OPTIONS (...)`, `WITH (...)` or `TBLPROPERTIES (...)`, keys lower-cased.
fn option_map(options: &[SqlOption]) -> BTreeMap<String, String> {
    options
        .iter()
        .filter_map(|o| match o {
            SqlOption::KeyValue { key, value } => Some((key.to_string().trim_matches('\'').to_lowercase(), value_text(value))),
            _ => None,
        })
        .collect()
}

fn table_properties(options: &CreateTableOptions) -> BTreeMap<String, String> {
    match options {
        CreateTableOptions::TableProperties(o) => option_map(o),
        _ => BTreeMap::new(),
    }
}

/// Spark's `OPTIONS (...)`, kept as the storage (serde) properties, merged with any `WITH (...)`.
fn data_source_options(ct: &CreateTable) -> BTreeMap<String, String> {
    let mut out = match &ct.table_options {
        CreateTableOptions::Options(o) | CreateTableOptions::With(o) => option_map(o),
        _ => BTreeMap::new(),
    };
    if let Some(props) = ct.hive_formats.as_ref().and_then(|h| h.serde_properties.as_ref()) {
        out.extend(option_map(props));
    }
    out
}

/// The storage format a CREATE TABLE asks for. Without one, Parquet, as Spark 4 does.
fn storage_format(ct: &CreateTable) -> Result<StorageFormat, BackendError> {
    let hive = ct.hive_formats.as_ref();
    let storage = hive.and_then(|h| h.storage.as_ref());
    let file_format = ct.file_format.or(match storage {
        Some(HiveIOFormat::FileFormat { format }) => Some(*format),
        _ => None,
    });
    let row_format = hive.and_then(|h| h.row_format.as_ref());
    if let Some(HiveRowFormat::SERDE { class }) = row_format {
        return Err(BackendError::not_supported(format!("ROW FORMAT SERDE '{class}'")));
    }
    match (storage, file_format) {
        (Some(HiveIOFormat::Using { format }), _) => using_format(&format.value, &data_source_options(ct)),
        (Some(HiveIOFormat::IOF { .. }), _) => Err(BackendError::not_supported("STORED AS INPUTFORMAT ... OUTPUTFORMAT")),
        (_, Some(FileFormat::PARQUET)) | (_, None) if row_format.is_none() => Ok(StorageFormat::Parquet),
        (_, Some(FileFormat::PARQUET)) => Err(BackendError::new(
            ErrorKind::InvalidParameter,
            "ROW FORMAT DELIMITED applies to TEXTFILE tables, not PARQUET",
        )),
        (_, Some(FileFormat::JSONFILE)) => Ok(StorageFormat::Json),
        (_, Some(FileFormat::TEXTFILE)) | (_, None) => {
            let mut o = CsvOptions::hive_text();
            if let Some(HiveRowFormat::DELIMITED { delimiters }) = row_format {
                for d in delimiters {
                    let ch = delimiter_char(&d.char.value)?;
                    match d.delimiter {
                        HiveDelimiter::FieldsTerminatedBy => o.delimiter = ch,
                        HiveDelimiter::FieldsEscapedBy => o.escape = Some(ch),
                        HiveDelimiter::NullDefinedAs => o.null_value = Some(d.char.value.clone()),
                        HiveDelimiter::CollectionItemsTerminatedBy => o.collection_delimiter = Some(ch),
                        HiveDelimiter::MapKeysTerminatedBy => o.map_key_delimiter = Some(ch),
                        HiveDelimiter::LinesTerminatedBy if ch == b'\n' => {}
                        other => return Err(BackendError::not_supported(format!("ROW FORMAT DELIMITED {other}"))),
                    }
                }
            }
            Ok(StorageFormat::Csv(o))
        }
        (_, Some(other)) => Err(BackendError::not_supported(format!("STORED AS {other}"))),
    }
}

/// A delimiter as Hive writes it: one character, or an escape like `\t`, `\001`, `\u0001`.
pub(crate) fn delimiter_char(text: &str) -> Result<u8, BackendError> {
    let bad = || BackendError::new(ErrorKind::InvalidParameter, format!("delimiter '{text}' must be one byte"));
    let t = text;
    let value: u32 = if let Some(rest) = t.strip_prefix("\\u") {
        u32::from_str_radix(rest, 16).map_err(|_| bad())?
    } else if let Some(rest) = t.strip_prefix('\\') {
        match rest {
            "t" => 9,
            "n" => 10,
            "r" => 13,
            d if !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()) => u32::from_str_radix(d, 8).map_err(|_| bad())?,
            _ => return Err(bad()),
        }
    } else {
        let mut chars = t.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => c as u32,
            _ => return Err(bad()),
        }
    };
    u8::try_from(value).map_err(|_| bad())
}

/// `USING fmt OPTIONS (...)`.
fn using_format(format: &str, options: &BTreeMap<String, String>) -> Result<StorageFormat, BackendError> {
    match format.to_lowercase().as_str() {
        "parquet" => Ok(StorageFormat::Parquet),
        "json" => Ok(StorageFormat::Json),
        "csv" => {
            let mut o = CsvOptions::spark_csv();
            for (k, v) in options {
                match k.as_str() {
                    "header" => o.header = v.eq_ignore_ascii_case("true"),
                    "delimiter" | "sep" => o.delimiter = delimiter_char(v)?,
                    "quote" => o.quote = Some(delimiter_char(v)?),
                    "escape" => o.escape = Some(delimiter_char(v)?),
                    "nullvalue" => o.null_value = Some(v.clone()),
                    "path" | "inferschema" | "encoding" | "charset" => {}
                    other => return Err(BackendError::not_supported(format!("CSV option '{other}'"))),
                }
            }
            Ok(StorageFormat::Csv(o))
        }
        other => Err(BackendError::not_supported(format!("USING {other}"))),
    }
}

/// A LOCATION as a URL: local paths become absolute `file://` URLs; directories end in `/`.
pub fn normalize_location(location: &str) -> Result<String, BackendError> {
    if location.contains("://") {
        let url = if location.ends_with('/') || Path::new(location).extension().is_some() {
            location.to_string()
        } else {
            format!("{location}/")
        };
        return Ok(url);
    }
    let raw = location.strip_prefix("file:").unwrap_or(location);
    let path = absolute(Path::new(raw));
    if path.is_file() {
        return Ok(format!("file://{}", path.display()));
    }
    Ok(crate::engine::dir_url(&path))
}

fn local_dir(location: &str) -> Option<&str> {
    location.strip_prefix("file://").filter(|p| p.ends_with('/'))
}

/// Columns of a table declared without them, from the files at its location.
async fn infer_columns(s: &EngineSession, format: &StorageFormat, location: &str) -> Result<Vec<ColumnDef>, BackendError> {
    let state = s.ctx.state();
    let schema = hivewire_catalog::listing::infer_schema(&state, format, location).await.map_err(|e| {
        BackendError::new(ErrorKind::InvalidParameter, format!("cannot infer the columns of the files at {location}: {}", from_datafusion(&e, None).message))
    })?;
    if schema.fields().is_empty() {
        return Err(BackendError::new(
            ErrorKind::InvalidParameter,
            format!("no columns given and no data files at {location} to infer them from"),
        ));
    }
    schema
        .fields()
        .iter()
        .map(|f| {
            Ok(ColumnDef { name: f.name().to_lowercase(), hive_type: arrow_to_hive(f.data_type()).map_err(from_catalog)?, comment: None })
        })
        .collect()
}

/// `DROP TABLE [IF EXISTS] t`: the catalog entry, then a managed table's files.
pub async fn drop(s: &EngineSession, names: &[ObjectName], if_exists: bool) -> Result<QueryResult, BackendError> {
    for name in names {
        // A temporary view hides a table of the same name, for DROP TABLE too (as in Spark).
        if super::temp_views::drop(s, name)? {
            continue;
        }
        let (db, table) = s.resolve_table(name)?;
        let existing = s.catalog().store().get_table(&db, &table).await.map_err(from_catalog)?;
        if existing.is_some_and(|t| t.kind == TableKind::View) {
            return Err(BackendError::new(
                ErrorKind::InvalidParameter,
                format!("{db}.{table} is a view; DROP TABLE drops tables, use DROP VIEW"),
            ));
        }
        if let Some(def) = s.catalog().store().drop_table(&db, &table, if_exists).await.map_err(from_catalog)? {
            delete_managed_data(&def);
        }
    }
    Ok(QueryResult::Command(CommandOutcome::tag("DROP TABLE")))
}

/// Deletes a managed table's local directory; external data is never touched.
pub fn delete_managed_data(def: &TableDef) {
    if def.kind != TableKind::Managed {
        return;
    }
    if let Some(path) = local_dir(&def.location) {
        if let Err(e) = std::fs::remove_dir_all(path) {
            if e.kind() != std::io::ErrorKind::NotFound {
                tracing::warn!(table = %def.name, error = %e, "could not delete managed table data");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters_in_hive_spelling() {
        assert_eq!(delimiter_char(",").unwrap(), b',');
        assert_eq!(delimiter_char("\\t").unwrap(), b'\t');
        assert_eq!(delimiter_char("\\001").unwrap(), 1);
        assert_eq!(delimiter_char("\\u0001").unwrap(), 1);
        assert!(delimiter_char("ab").is_err());
    }
}
