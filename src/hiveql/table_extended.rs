//! `SHOW TABLE EXTENDED [IN db] LIKE 'pattern'`: Spark's listing of tables with everything known
//! about each, which tools such as dbt-spark read to tell tables from views and to learn columns.
//! One row per matching table or view of the database, then per matching temporary view:
//! `namespace`, `tableName`, `isTemporary` and `information`, the text Spark writes
//! (`Type: VIEW`, `Provider: parquet`, ..., then `Schema: root` with a line per column in Spark's
//! tree form, `|-- a: integer (nullable = true)`).

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::catalog::SchemaProvider;
use datafusion::sql::sqlparser::ast::ObjectName;
use hivewire_backend::{BackendError, QueryResult};
use hivewire_catalog::types::hive_to_arrow;
use hivewire_catalog::TableDef;

use super::output::{batch_result, bools, strings};
use super::pattern::hive_matches;
use crate::engine::errors::from_catalog;
use crate::engine::EngineSession;

fn schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("namespace", DataType::Utf8, false),
        Field::new("tableName", DataType::Utf8, false),
        Field::new("isTemporary", DataType::Boolean, false),
        Field::new("information", DataType::Utf8, false),
    ]))
}

/// Runs the statement.
pub async fn show(s: &EngineSession, database: Option<&ObjectName>, pattern: &str) -> Result<QueryResult, BackendError> {
    let (db, names) = super::show::relation_names(s, database, Some(pattern), |_| true).await?;
    let (mut namespaces, mut tables, mut temporary, mut information) = (vec![], vec![], vec![], vec![]);
    for name in names {
        let Some(def) = s.catalog().store().get_table(&db, &name).await.map_err(from_catalog)? else { continue };
        namespaces.push(db.clone());
        information.push(table_information(&def)?);
        tables.push(name);
        temporary.push(false);
    }
    let mut views: Vec<String> = s.temp_views.table_names().into_iter().filter(|n| hive_matches(pattern, n)).collect();
    views.sort();
    for name in views {
        let Ok(Some(view)) = s.temp_views.table(&name).await else { continue };
        let text = view.get_table_definition().unwrap_or_default().to_string();
        let fields: Vec<(String, DataType, bool)> =
            view.schema().fields().iter().map(|f| (f.name().clone(), f.data_type().clone(), f.is_nullable())).collect();
        namespaces.push(String::new());
        information.push(format!("Table: {name}\nType: VIEW\nView Text: {text}\nSchema: {}\n", tree(&fields)));
        tables.push(name);
        temporary.push(true);
    }
    batch_result(schema(), vec![strings(namespaces), strings(tables), bools(temporary), strings(information)], "SHOW")
}

/// The information of a catalog table or view: DESCRIBE FORMATTED's details, its partition
/// columns, and its schema.
fn table_information(def: &TableDef) -> Result<String, BackendError> {
    let mut out = String::new();
    for (k, v) in super::describe::details(def) {
        out.push_str(&format!("{k}: {v}\n"));
    }
    if def.is_partitioned() {
        let names: Vec<String> = def.partition_columns.iter().map(|c| format!("`{}`", c.name)).collect();
        out.push_str(&format!("Partition Columns: [{}]\n", names.join(", ")));
    }
    let mut fields = Vec::new();
    for c in def.columns.iter().chain(&def.partition_columns) {
        fields.push((c.name.clone(), hive_to_arrow(&c.hive_type).map_err(from_catalog)?, true));
    }
    out.push_str(&format!("Schema: {}\n", tree(&fields)));
    Ok(out)
}

/// Spark's `treeString` of a schema.
fn tree(fields: &[(String, DataType, bool)]) -> String {
    let mut out = String::from("root\n");
    for (name, t, nullable) in fields {
        field_lines(&mut out, 1, name, t, &format!("nullable = {nullable}"));
    }
    out
}

fn field_lines(out: &mut String, depth: usize, name: &str, t: &DataType, nullability: &str) {
    let prefix = " |   ".repeat(depth - 1);
    let suffix = if nullability.is_empty() { String::new() } else { format!(" ({nullability})") };
    out.push_str(&format!("{prefix} |-- {name}: {}{suffix}\n", type_name(t)));
    match t {
        DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _) => {
            field_lines(out, depth + 1, "element", f.data_type(), &format!("containsNull = {}", f.is_nullable()));
        }
        DataType::Map(entries, _) => {
            if let DataType::Struct(kv) = entries.data_type() {
                if let [k, v] = kv.iter().as_slice() {
                    field_lines(out, depth + 1, "key", k.data_type(), "");
                    field_lines(out, depth + 1, "value", v.data_type(), &format!("valueContainsNull = {}", v.is_nullable()));
                }
            }
        }
        DataType::Struct(children) => {
            for f in children {
                field_lines(out, depth + 1, f.name(), f.data_type(), &format!("nullable = {}", f.is_nullable()));
            }
        }
        _ => {}
    }
}

/// Spark's name of a type in a tree.
fn type_name(t: &DataType) -> String {
    match t {
        DataType::Boolean => "boolean".into(),
        DataType::Int8 => "byte".into(),
        DataType::Int16 => "short".into(),
        DataType::Int32 => "integer".into(),
        DataType::Int64 => "long".into(),
        DataType::Float32 => "float".into(),
        DataType::Float64 => "double".into(),
        DataType::Decimal128(p, s) => format!("decimal({p},{s})"),
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => "string".into(),
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView => "binary".into(),
        DataType::Date32 | DataType::Date64 => "date".into(),
        DataType::Timestamp(_, _) => "timestamp".into(),
        DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(_, _) => "array".into(),
        DataType::Map(_, _) => "map".into(),
        DataType::Struct(_) => "struct".into(),
        DataType::Null => "void".into(),
        other => other.to_string().to_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trees_are_sparks() {
        let arr = DataType::List(Arc::new(Field::new_list_field(DataType::Int32, true)));
        let st = DataType::Struct(vec![Field::new("x", DataType::Float64, true)].into());
        let t = tree(&[("a".into(), DataType::Int32, true), ("arr".into(), arr, true), ("st".into(), st, true)]);
        assert_eq!(
            t,
            "root\n |-- a: integer (nullable = true)\n |-- arr: array (nullable = true)\n |    |-- element: integer (containsNull = true)\n |-- st: struct (nullable = true)\n |    |-- x: double (nullable = true)\n"
        );
    }
}
