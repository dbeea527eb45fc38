//! `SHOW CREATE TABLE`, `SHOW TBLPROPERTIES` and `SHOW COLUMNS`.

use datafusion::sql::sqlparser::ast::ObjectName;
use hivewire_backend::{BackendError, ErrorKind, QueryResult};
use hivewire_catalog::{ColumnDef, StorageFormat, TableDef, TableKind};

use super::describe::{lookup, printable};
use super::output::{string_rows, string_schema};
use super::table::PROVIDER_PROPERTY;
use super::views::visible_properties;
use crate::engine::EngineSession;

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn column_list(cols: &[ColumnDef]) -> String {
    defaulted_column_list(cols, None)
}

/// The column list with each column's DEFAULT, where the table gives one.
fn defaulted_column_list(cols: &[ColumnDef], table: Option<&TableDef>) -> String {
    cols.iter()
        .map(|c| {
            let default = table.and_then(|t| super::column_defaults::of(t, &c.name)).map(|d| format!(" DEFAULT {d}")).unwrap_or_default();
            let comment = c.comment.as_deref().map(|t| format!(" COMMENT {}", quote(t))).unwrap_or_default();
            format!("  `{}` {}{default}{comment}", c.name, c.hive_type.to_uppercase())
        })
        .collect::<Vec<_>>()
        .join(",\n")
}

/// The statement that re-creates a table or view.
pub fn create_statement(def: &TableDef) -> String {
    let name = format!("{}.{}", def.database, def.name);
    if def.kind == TableKind::View {
        let cols = def.columns.iter().map(|c| format!("`{}`", c.name)).collect::<Vec<_>>().join(", ");
        return format!("CREATE VIEW {name} ({cols})\nAS {}", def.view_text.clone().unwrap_or_default());
    }
    let provider = def.properties.get(PROVIDER_PROPERTY);
    let bucket_clause = super::buckets::stored(&def.properties).map(|spec| super::buckets::create_clause(&spec)).unwrap_or_default();
    let external = if def.kind == TableKind::External && provider.is_none() { "EXTERNAL " } else { "" };
    // The table comment goes right after the columns, where both Hive and Spark read it.
    let comment = def.comment.as_deref().map(|c| format!("COMMENT {}\n", quote(c))).unwrap_or_default();
    let mut out = format!("CREATE {external}TABLE {name} (\n{})\n{comment}", defaulted_column_list(&def.columns, Some(def)));
    if let Some(p) = provider {
        out.push_str(&format!("USING {p}\n"));
        if let StorageFormat::Csv(o) = &def.format {
            let mut opts = vec![format!("'header' = '{}'", o.header), format!("'sep' = {}", quote(&printable(o.delimiter)))];
            if let Some(n) = &o.null_value {
                opts.push(format!("'nullValue' = {}", quote(n)));
            }
            out.push_str(&format!("OPTIONS ({})\n", opts.join(", ")));
        }
        if def.is_partitioned() {
            // Spark's form names the partition columns; their types go in the column list.
            out = format!(
                "CREATE TABLE {name} (\n{})\n{comment}USING {p}\n",
                defaulted_column_list(&def.columns.iter().chain(&def.partition_columns).cloned().collect::<Vec<_>>(), Some(def))
            );
            out.push_str(&format!(
                "PARTITIONED BY ({})\n",
                def.partition_columns.iter().map(|c| format!("`{}`", c.name)).collect::<Vec<_>>().join(", ")
            ));
        }
        out.push_str(&bucket_clause);
    } else {
        if def.is_partitioned() {
            out.push_str(&format!("PARTITIONED BY (\n{})\n", column_list(&def.partition_columns)));
        }
        out.push_str(&bucket_clause);
        match &def.format {
            StorageFormat::Parquet => out.push_str("STORED AS PARQUET\n"),
            StorageFormat::Json => out.push_str("STORED AS JSONFILE\n"),
            StorageFormat::Csv(o) => {
                out.push_str(&format!("ROW FORMAT DELIMITED\n  FIELDS TERMINATED BY {}\n", quote(&printable(o.delimiter))));
                if let Some(e) = o.escape {
                    out.push_str(&format!("  ESCAPED BY {}\n", quote(&printable(e))));
                }
                if let Some(n) = &o.null_value {
                    out.push_str(&format!("  NULL DEFINED AS {}\n", quote(n)));
                }
                out.push_str("STORED AS TEXTFILE\n");
            }
        }
    }
    out.push_str(&format!("LOCATION {}\n", quote(&def.location)));
    let props = visible_properties(&def.properties);
    if !props.is_empty() {
        let list: Vec<String> = props.iter().map(|(k, v)| format!("  {} = {}", quote(k), quote(v))).collect();
        out.push_str(&format!("TBLPROPERTIES (\n{})\n", list.join(",\n")));
    }
    out
}

/// `SHOW CREATE TABLE t`: one column, `createtab_stmt`.
pub async fn show_create(s: &EngineSession, name: &ObjectName) -> Result<QueryResult, BackendError> {
    let def = lookup(s, name).await?;
    string_rows(string_schema(&["createtab_stmt"]), vec![vec![Some(create_statement(&def))]], "SHOW")
}

/// `SHOW TBLPROPERTIES t [('key')]`: `key`, `value`; or `value` alone for one key.
pub async fn show_properties(s: &EngineSession, name: &ObjectName, key: Option<&str>) -> Result<QueryResult, BackendError> {
    let def = lookup(s, name).await?;
    let props = visible_properties(&def.properties);
    match key {
        Some(k) => {
            let value = props
                .get(k)
                .cloned()
                .unwrap_or_else(|| format!("Table {}.{} does not have property: {k}", def.database, def.name));
            string_rows(string_schema(&["value"]), vec![vec![Some(value)]], "SHOW")
        }
        None => {
            let rows = props.into_iter().map(|(k, v)| vec![Some(k), Some(v)]).collect();
            string_rows(string_schema(&["key", "value"]), rows, "SHOW")
        }
    }
}

/// `SHOW COLUMNS IN t [IN db]`: one column, `col_name`.
pub async fn show_columns(s: &EngineSession, name: &ObjectName, database: Option<&ObjectName>) -> Result<QueryResult, BackendError> {
    let name = match database {
        Some(db) => {
            if name.0.len() > 1 {
                return Err(BackendError::new(ErrorKind::InvalidParameter, "give the database either in the table name or after IN, not both"));
            }
            ObjectName(db.0.iter().chain(name.0.iter()).cloned().collect())
        }
        None => name.clone(),
    };
    let def = lookup(s, &name).await?;
    let rows = def.all_columns().map(|c| vec![Some(c.name.clone())]).collect();
    string_rows(string_schema(&["col_name"]), rows, "SHOW")
}
