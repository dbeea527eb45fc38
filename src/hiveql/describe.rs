//! `DESCRIBE [EXTENDED|FORMATTED] t [col]` and `DESCRIBE DATABASE [EXTENDED] db`, laid out as Spark
//! Thrift Server lays them out, so that tools parsing the output (PyHive's SQLAlchemy dialect,
//! dbt-spark) understand it.

use datafusion::arrow::datatypes::SchemaRef;
use datafusion::sql::sqlparser::ast::ObjectName;
use hivewire_backend::{BackendError, ErrorKind, QueryResult};
use hivewire_catalog::{StorageFormat, TableDef, TableKind};

use super::hive_ddl::Spec;
use super::output::{string_rows, string_schema};
use super::table::PROVIDER_PROPERTY;
use super::views::visible_properties;
use crate::engine::errors::from_catalog;
use crate::engine::EngineSession;

/// `DESCRIBE t`: `col_name`, `data_type`, `comment`.
pub fn table_schema() -> SchemaRef {
    string_schema(&["col_name", "data_type", "comment"])
}

/// `DESCRIBE t col` and `DESCRIBE DATABASE`: `info_name`, `info_value`.
pub fn info_schema() -> SchemaRef {
    string_schema(&["info_name", "info_value"])
}

type Row = Vec<Option<String>>;

fn row(a: &str, b: &str, c: Option<&str>) -> Row {
    vec![Some(a.to_string()), Some(b.to_string()), c.map(str::to_string)]
}

/// The table `name`, or a "not found" error.
pub(crate) async fn lookup(s: &EngineSession, name: &ObjectName) -> Result<TableDef, BackendError> {
    let (db, t) = s.resolve_table(name)?;
    s.catalog()
        .store()
        .get_table(&db, &t)
        .await
        .map_err(from_catalog)?
        .ok_or_else(|| BackendError::new(ErrorKind::UndefinedTable, format!("table or view not found: {db}.{t}")))
}

/// `DESCRIBE [EXTENDED|FORMATTED] t [col]`.
pub async fn table(s: &EngineSession, name: &ObjectName, extended: bool, column: Option<&str>) -> Result<QueryResult, BackendError> {
    table_or_partition(s, name, extended, None, column).await
}

/// `DESCRIBE [EXTENDED] t [PARTITION (...)] [col]`: with a partition, which must name every
/// partition column and exist, the table's columns and (EXTENDED) the partition's details.
pub async fn table_or_partition(
    s: &EngineSession,
    name: &ObjectName,
    extended: bool,
    partition: Option<&Spec>,
    column: Option<&str>,
) -> Result<QueryResult, BackendError> {
    // A temporary view, named by one part, comes before a table of the same name, as in queries.
    if let ([part], None) = (name.0.as_slice(), column) {
        let view = part.to_string().trim_matches('`').to_lowercase();
        if super::temp_views::names(s).contains(&view) {
            if partition.is_some() {
                return Err(BackendError::new(ErrorKind::InvalidParameter, format!("DESCRIBE ... PARTITION is not allowed on the temporary view {view}")));
            }
            return super::describe_query::temporary_view(s, &view).await;
        }
    }
    let def = lookup(s, name).await?;
    let partition_rows = match partition {
        Some(spec) => Some(partition_details(s, &def, spec).await?),
        None => None,
    };
    if let Some(col) = column {
        let c = def.all_columns().find(|c| c.name == col).ok_or_else(|| {
            BackendError::new(ErrorKind::UndefinedColumn, format!("column {col} not found in {}.{}", def.database, def.name))
        })?;
        let rows = vec![
            vec![Some("col_name".into()), Some(c.name.clone())],
            vec![Some("data_type".into()), Some(c.hive_type.clone())],
            vec![Some("comment".into()), Some(c.comment.clone().unwrap_or_else(|| "NULL".into()))],
        ];
        return string_rows(info_schema(), rows, "DESCRIBE");
    }
    let mut rows: Vec<Row> = def.all_columns().map(|c| row(&c.name, &c.hive_type, c.comment.as_deref())).collect();
    if def.is_partitioned() {
        rows.push(row("# Partition Information", "", Some("")));
        rows.push(row("# col_name", "data_type", Some("comment")));
        rows.extend(def.partition_columns.iter().map(|c| row(&c.name, &c.hive_type, c.comment.as_deref())));
    }
    if let Some(details) = partition_rows {
        if extended {
            rows.push(row("", "", Some("")));
            rows.push(row("# Detailed Partition Information", "", Some("")));
            rows.extend(details.iter().map(|(k, v)| row(k, v, Some(""))));
        }
        return string_rows(table_schema(), rows, "DESCRIBE");
    }
    if extended {
        rows.push(row("", "", Some("")));
        rows.push(row("# Detailed Table Information", "", Some("")));
        for (k, v) in details(&def) {
            rows.push(row(&k, &v, Some("")));
        }
        let defaults: Vec<_> =
            def.columns.iter().filter_map(|c| super::column_defaults::of(&def, &c.name).map(|d| (c, d))).collect();
        if !defaults.is_empty() {
            rows.push(row("", "", Some("")));
            rows.push(row("# Column Default Values", "", Some("")));
            rows.extend(defaults.iter().map(|(c, d)| row(&c.name, &c.hive_type, Some(d))));
        }
    }
    string_rows(table_schema(), rows, "DESCRIBE")
}

/// The "# Detailed Partition Information" of an existing partition of `def`.
async fn partition_details(s: &EngineSession, def: &TableDef, spec: &Spec) -> Result<Vec<(String, String)>, BackendError> {
    if def.kind == TableKind::View {
        return Err(BackendError::new(ErrorKind::InvalidParameter, format!("DESCRIBE ... PARTITION is not allowed on the view {}.{}", def.database, def.name)));
    }
    let values = super::partitions::full_spec(def, spec)?;
    let partitions = s.catalog().store().list_partitions(&def.database, &def.name).await.map_err(from_catalog)?;
    let Some(found) = partitions.into_iter().find(|p| p.values == values) else {
        return Err(BackendError::new(ErrorKind::UndefinedObject, format!("[PARTITIONS_NOT_FOUND] the partition ({}) of {}.{} does not exist", super::partitions::describe_spec(spec), def.database, def.name)));
    };
    let shown: Vec<String> = def
        .partition_columns
        .iter()
        .zip(&found.values)
        .map(|(c, v)| format!("{}={}", c.name, v.as_deref().unwrap_or(hivewire_catalog::partition::DEFAULT_PARTITION)))
        .collect();
    Ok(vec![
        ("Database".into(), def.database.clone()),
        ("Table".into(), def.name.clone()),
        ("Partition Values".into(), format!("[{}]", shown.join(", "))),
        ("Location".into(), found.location.clone()),
        ("Created Time".into(), format_time(found.created_ms)),
        ("Last Access".into(), "UNKNOWN".into()),
    ])
}

fn format_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.format("%a %b %d %H:%M:%S UTC %Y").to_string())
        .unwrap_or_else(|| "UNKNOWN".into())
}

/// The "# Detailed Table Information" block.
pub(super) fn details(def: &TableDef) -> Vec<(String, String)> {
    let mut out = vec![
        ("Catalog".to_string(), "spark_catalog".to_string()),
        ("Database".into(), def.database.clone()),
        ("Table".into(), def.name.clone()),
        ("Created Time".into(), format_time(def.created_ms)),
        ("Last Access".into(), "UNKNOWN".into()),
        ("Created By".into(), format!("hivewire {}", env!("CARGO_PKG_VERSION"))),
        ("Type".into(), def.kind.as_str().to_string()),
    ];
    if def.kind == TableKind::View {
        out.push(("View Text".into(), def.view_text.clone().unwrap_or_default()));
        out.push(("View Original Text".into(), def.view_text.clone().unwrap_or_default()));
    } else {
        let provider = def.properties.get(PROVIDER_PROPERTY).cloned().unwrap_or_else(|| "hive".into());
        out.push(("Provider".into(), provider));
        if let Some(spec) = super::buckets::stored(&def.properties) {
            out.extend(super::buckets::describe_rows(&spec));
        }
    }
    if let Some(c) = &def.comment {
        out.push(("Comment".into(), c.clone()));
    }
    let props = visible_properties(&def.properties);
    if !props.is_empty() {
        let list: Vec<String> = props.iter().map(|(k, v)| format!("{k}={v}")).collect();
        out.push(("Table Properties".into(), format!("[{}]", list.join(", "))));
    }
    if let (Some(rows), Some(bytes)) = (def.properties.get("numRows"), def.properties.get("totalSize")) {
        out.push(("Statistics".into(), format!("{bytes} bytes, {rows} rows")));
    }
    if def.kind != TableKind::View {
        out.push(("Location".into(), def.location.clone()));
        let (serde, input, output) = match &def.format {
            StorageFormat::Parquet => (
                "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
                "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
            ),
            StorageFormat::Csv(_) => (
                "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
                "org.apache.hadoop.mapred.TextInputFormat",
                "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
            ),
            StorageFormat::Json => (
                "org.apache.hadoop.hive.serde2.JsonSerDe",
                "org.apache.hadoop.mapred.TextInputFormat",
                "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
            ),
        };
        out.push(("Serde Library".into(), serde.into()));
        out.push(("InputFormat".into(), input.into()));
        out.push(("OutputFormat".into(), output.into()));
        if let StorageFormat::Csv(o) = &def.format {
            let mut storage = vec![format!("field.delim={}", printable(o.delimiter))];
            if let Some(n) = &o.null_value {
                storage.push(format!("serialization.null.format={n}"));
            }
            if o.header {
                storage.push("header=true".into());
            }
            out.push(("Storage Properties".into(), format!("[{}]", storage.join(", "))));
        }
        if def.is_partitioned() {
            out.push(("Partition Provider".into(), "Catalog".into()));
        }
    }
    out
}

/// A delimiter byte as Hive prints it: itself, or an octal escape for control characters.
pub(crate) fn printable(b: u8) -> String {
    if b.is_ascii_graphic() || b == b' ' {
        (b as char).to_string()
    } else {
        format!("\\{b:03o}")
    }
}

/// `DESCRIBE DATABASE [EXTENDED] db`.
pub async fn database(s: &EngineSession, name: &ObjectName, extended: bool) -> Result<QueryResult, BackendError> {
    let db_name = s.resolve_database(name)?;
    let db = s
        .catalog()
        .store()
        .get_database(&db_name)
        .await
        .map_err(from_catalog)?
        .ok_or_else(|| BackendError::new(ErrorKind::UndefinedSchema, format!("database {db_name} not found")))?;
    let mut rows = vec![
        vec![Some("Catalog Name".into()), Some("spark_catalog".into())],
        vec![Some("Namespace Name".into()), Some(db.name.clone())],
        vec![Some("Comment".into()), Some(db.comment.clone().unwrap_or_default())],
        vec![Some("Location".into()), Some(db.location.clone())],
        vec![Some("Owner".into()), Some(s.user.clone())],
    ];
    if extended {
        let props: Vec<String> = db.properties.iter().map(|(k, v)| format!("({k},{v})")).collect();
        rows.push(vec![Some("Properties".into()), Some(format!("({})", props.join(", ")))]);
    }
    string_rows(info_schema(), rows, "DESCRIBE")
}
