//! The metadata calls (GetCatalogs, GetSchemas, GetTables, GetTableTypes, GetColumns, GetTypeInfo,
//! GetFunctions, GetPrimaryKeys, GetCrossReference), answered from the catalog with the result
//! columns of JDBC's DatabaseMetaData. Name patterns come JDBC-style (`%`, `_`) or regex-style
//! (`.*`, as impyla sends them); both are read.

use std::sync::Arc;

use arrow::array::{ArrayRef, Int16Array, Int32Array, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use hivewire_backend::{BackendError, ErrorKind, QueryResult, Session};

/// A pattern as the backend's LIKE patterns read it; `None` matches everything.
pub fn like_pattern(p: Option<&str>) -> Option<String> {
    let p = p?.trim();
    if p.is_empty() || p == "*" || p == ".*" || p == "%" {
        return None;
    }
    Some(p.replace(".*", "%").replace('*', "%"))
}

fn text(name: &str) -> Field {
    Field::new(name, DataType::Utf8, true)
}
fn int(name: &str) -> Field {
    Field::new(name, DataType::Int32, true)
}
fn small(name: &str) -> Field {
    Field::new(name, DataType::Int16, true)
}

fn batch(fields: Vec<Field>, columns: Vec<ArrayRef>) -> Result<(SchemaRef, Vec<RecordBatch>), BackendError> {
    let schema = Arc::new(Schema::new(fields));
    let b = RecordBatch::try_new(schema.clone(), columns).map_err(|e| BackendError::new(ErrorKind::Internal, e.to_string()))?;
    Ok((schema, vec![b]))
}

fn strings(v: Vec<Option<String>>) -> ArrayRef {
    Arc::new(StringArray::from(v))
}
fn ints(v: Vec<Option<i32>>) -> ArrayRef {
    Arc::new(Int32Array::from(v))
}
fn smalls(v: Vec<Option<i16>>) -> ArrayRef {
    Arc::new(Int16Array::from(v))
}
fn nulls_s(n: usize) -> ArrayRef {
    strings(vec![None; n])
}

/// GetCatalogs: `TABLE_CAT`. Databases are not grouped in catalogs, as in Hive and Spark.
pub fn catalogs() -> Result<(SchemaRef, Vec<RecordBatch>), BackendError> {
    batch(vec![text("TABLE_CAT")], vec![strings(vec![])])
}

/// GetSchemas: `TABLE_SCHEM`, `TABLE_CATALOG`.
pub async fn schemas(s: &dyn Session, pattern: Option<&str>) -> Result<(SchemaRef, Vec<RecordBatch>), BackendError> {
    let dbs = s.list_databases(like_pattern(pattern).as_deref()).await?;
    let n = dbs.len();
    batch(vec![text("TABLE_SCHEM"), text("TABLE_CATALOG")], vec![strings(dbs.into_iter().map(Some).collect()), strings(vec![Some(String::new()); n])])
}

/// GetTableTypes: `TABLE_TYPE`.
pub fn table_types() -> Result<(SchemaRef, Vec<RecordBatch>), BackendError> {
    batch(vec![text("TABLE_TYPE")], vec![strings(vec![Some("TABLE".into()), Some("VIEW".into())])])
}

/// GetTables: the ten JDBC columns; managed and external tables are `TABLE`.
pub async fn tables(
    s: &dyn Session,
    schema: Option<&str>,
    table: Option<&str>,
    types: Option<&[String]>,
) -> Result<(SchemaRef, Vec<RecordBatch>), BackendError> {
    let list = s.list_tables(like_pattern(schema).as_deref(), like_pattern(table).as_deref()).await?;
    let rows: Vec<_> = list
        .into_iter()
        .map(|t| {
            let kind = if t.kind == "VIEW" { "VIEW" } else { "TABLE" };
            (t, kind)
        })
        .filter(|(_, kind)| types.is_none_or(|ts| ts.is_empty() || ts.iter().any(|x| x.eq_ignore_ascii_case(kind))))
        .collect();
    let n = rows.len();
    batch(
        ["TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE", "REMARKS", "TYPE_CAT", "TYPE_SCHEM", "TYPE_NAME", "SELF_REFERENCING_COL_NAME", "REF_GENERATION"]
            .iter()
            .map(|n| text(n))
            .collect(),
        vec![
            strings(vec![Some(String::new()); n]),
            strings(rows.iter().map(|(t, _)| Some(t.database.clone())).collect()),
            strings(rows.iter().map(|(t, _)| Some(t.name.clone())).collect()),
            strings(rows.iter().map(|(_, k)| Some(k.to_string())).collect()),
            strings(rows.iter().map(|(t, _)| Some(t.comment.clone().unwrap_or_default())).collect()),
            nulls_s(n),
            nulls_s(n),
            nulls_s(n),
            nulls_s(n),
            nulls_s(n),
        ],
    )
}

/// java.sql.Types for an Arrow type.
pub fn jdbc_type(dt: &DataType) -> i32 {
    match dt {
        DataType::Boolean => 16,
        DataType::Int8 => -6,
        DataType::Int16 => 5,
        DataType::Int32 => 4,
        DataType::Int64 => -5,
        DataType::Float32 => 6,
        DataType::Float64 => 8,
        DataType::Decimal128(..) | DataType::Decimal256(..) => 3,
        DataType::Date32 | DataType::Date64 => 91,
        DataType::Timestamp(..) => 93,
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView => -2,
        DataType::List(_) | DataType::LargeList(_) => 2003,
        DataType::Struct(_) => 2002,
        DataType::Map(..) => 2000,
        DataType::Null => 0,
        _ => 12,
    }
}

fn column_size(dt: &DataType) -> Option<i32> {
    Some(match dt {
        DataType::Boolean => 1,
        DataType::Int8 => 3,
        DataType::Int16 => 5,
        DataType::Int32 => 10,
        DataType::Int64 => 19,
        DataType::Float32 => 7,
        DataType::Float64 => 15,
        DataType::Decimal128(p, _) | DataType::Decimal256(p, _) => *p as i32,
        DataType::Date32 => 10,
        DataType::Timestamp(..) => 29,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => i32::MAX,
        _ => return None,
    })
}

/// GetColumns: the 23 JDBC columns.
pub async fn columns(
    s: &dyn Session,
    schema: Option<&str>,
    table: Option<&str>,
    column: Option<&str>,
) -> Result<(SchemaRef, Vec<RecordBatch>), BackendError> {
    let col_pattern = like_pattern(column);
    let mut rows = Vec::new();
    for t in s.list_tables(like_pattern(schema).as_deref(), like_pattern(table).as_deref()).await? {
        for (i, c) in s.list_columns(&t.database, &t.name).await?.into_iter().enumerate() {
            if col_pattern.as_deref().is_none_or(|p| like(p, &c.name)) {
                rows.push((t.database.clone(), t.name.clone(), i as i32 + 1, c));
            }
        }
    }
    let n = rows.len();
    let fields = vec![
        text("TABLE_CAT"), text("TABLE_SCHEM"), text("TABLE_NAME"), text("COLUMN_NAME"), int("DATA_TYPE"), text("TYPE_NAME"),
        int("COLUMN_SIZE"), small("BUFFER_LENGTH"), int("DECIMAL_DIGITS"), int("NUM_PREC_RADIX"), int("NULLABLE"), text("REMARKS"),
        text("COLUMN_DEF"), int("SQL_DATA_TYPE"), int("SQL_DATETIME_SUB"), int("CHAR_OCTET_LENGTH"), int("ORDINAL_POSITION"),
        text("IS_NULLABLE"), text("SCOPE_CATALOG"), text("SCOPE_SCHEMA"), text("SCOPE_TABLE"), small("SOURCE_DATA_TYPE"),
        text("IS_AUTO_INCREMENT"),
    ];
    let digits = |dt: &DataType| match dt {
        DataType::Decimal128(_, s) | DataType::Decimal256(_, s) => Some(*s as i32),
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 => Some(0),
        DataType::Timestamp(..) => Some(6),
        _ => None,
    };
    let radix = |dt: &DataType| if dt.is_numeric() { Some(10) } else { None };
    batch(
        fields,
        vec![
            strings(vec![Some(String::new()); n]),
            strings(rows.iter().map(|r| Some(r.0.clone())).collect()),
            strings(rows.iter().map(|r| Some(r.1.clone())).collect()),
            strings(rows.iter().map(|r| Some(r.3.name.clone())).collect()),
            ints(rows.iter().map(|r| Some(character_length(&r.3.type_name).map(|(t, _)| t).unwrap_or_else(|| jdbc_type(&r.3.data_type)))).collect()),
            strings(rows.iter().map(|r| Some(r.3.type_name.to_uppercase())).collect()),
            ints(rows.iter().map(|r| character_length(&r.3.type_name).map(|(_, n)| n).or_else(|| column_size(&r.3.data_type))).collect()),
            smalls(vec![None; n]),
            ints(rows.iter().map(|r| digits(&r.3.data_type)).collect()),
            ints(rows.iter().map(|r| radix(&r.3.data_type)).collect()),
            ints(rows.iter().map(|r| Some(if r.3.nullable { 1 } else { 0 })).collect()),
            strings(rows.iter().map(|r| Some(r.3.comment.clone().unwrap_or_default())).collect()),
            nulls_s(n),
            ints(vec![None; n]),
            ints(vec![None; n]),
            ints(vec![None; n]),
            ints(rows.iter().map(|r| Some(r.2)).collect()),
            strings(rows.iter().map(|r| Some(if r.3.nullable { "YES".into() } else { "NO".into() })).collect()),
            nulls_s(n),
            nulls_s(n),
            nulls_s(n),
            smalls(vec![None; n]),
            strings(vec![Some("NO".into()); n]),
        ],
    )
}

/// The JDBC type and length of a `varchar(n)` (12) or `char(n)` (1) Hive type name.
fn character_length(type_name: &str) -> Option<(i32, i32)> {
    let t = type_name.to_lowercase();
    let (jdbc, rest) = match (t.strip_prefix("varchar("), t.strip_prefix("char(")) {
        (Some(r), _) => (12, r.to_string()),
        (_, Some(r)) => (1, r.to_string()),
        _ => return None,
    };
    Some((jdbc, rest.trim_end_matches(')').trim().parse().ok()?))
}

/// SQL LIKE with `%` and `_`, case-insensitive.
fn like(pattern: &str, s: &str) -> bool {
    fn go(p: &[char], s: &[char]) -> bool {
        match p.split_first() {
            None => s.is_empty(),
            Some(('%', rest)) => (0..=s.len()).any(|i| go(rest, &s[i..])),
            Some(('_', rest)) => !s.is_empty() && go(rest, &s[1..]),
            Some((c, rest)) => s.first().is_some_and(|x| x.eq_ignore_ascii_case(c)) && go(rest, &s[1..]),
        }
    }
    go(&pattern.chars().collect::<Vec<_>>(), &s.chars().collect::<Vec<_>>())
}

/// GetTypeInfo: the 18 JDBC columns, one row per Hive type.
pub fn type_info() -> Result<(SchemaRef, Vec<RecordBatch>), BackendError> {
    let types: &[(&str, i32, Option<i32>, bool)] = &[
        ("VOID", 0, None, false),
        ("BOOLEAN", 16, None, false),
        ("TINYINT", -6, Some(3), true),
        ("SMALLINT", 5, Some(5), true),
        ("INT", 4, Some(10), true),
        ("BIGINT", -5, Some(19), true),
        ("FLOAT", 6, Some(7), true),
        ("DOUBLE", 8, Some(15), true),
        ("STRING", 12, None, false),
        ("CHAR", 1, None, false),
        ("VARCHAR", 12, None, false),
        ("DATE", 91, None, false),
        ("TIMESTAMP", 93, None, false),
        ("BINARY", -2, None, false),
        ("DECIMAL", 3, Some(38), true),
        ("ARRAY", 2003, None, false),
        ("MAP", 2000, None, false),
        ("STRUCT", 2002, None, false),
    ];
    let n = types.len();
    let fields = vec![
        text("TYPE_NAME"), int("DATA_TYPE"), int("PRECISION"), text("LITERAL_PREFIX"), text("LITERAL_SUFFIX"), text("CREATE_PARAMS"),
        small("NULLABLE"), Field::new("CASE_SENSITIVE", DataType::Boolean, true), small("SEARCHABLE"),
        Field::new("UNSIGNED_ATTRIBUTE", DataType::Boolean, true), Field::new("FIXED_PREC_SCALE", DataType::Boolean, true),
        Field::new("AUTO_INCREMENT", DataType::Boolean, true), text("LOCAL_TYPE_NAME"), small("MINIMUM_SCALE"), small("MAXIMUM_SCALE"),
        int("SQL_DATA_TYPE"), int("SQL_DATETIME_SUB"), int("NUM_PREC_RADIX"),
    ];
    let bools = |v: Vec<Option<bool>>| Arc::new(arrow::array::BooleanArray::from(v)) as ArrayRef;
    batch(
        fields,
        vec![
            strings(types.iter().map(|t| Some(t.0.to_string())).collect()),
            ints(types.iter().map(|t| Some(t.1)).collect()),
            ints(types.iter().map(|t| t.2).collect()),
            nulls_s(n),
            nulls_s(n),
            nulls_s(n),
            smalls(vec![Some(1); n]),
            bools(types.iter().map(|t| Some(t.1 == 12 || t.1 == 1)).collect()),
            smalls(vec![Some(3); n]),
            bools(types.iter().map(|t| Some(!t.3)).collect()),
            bools(vec![Some(false); n]),
            bools(vec![Some(false); n]),
            nulls_s(n),
            smalls(vec![Some(0); n]),
            smalls(vec![Some(0); n]),
            ints(vec![None; n]),
            ints(vec![None; n]),
            ints(types.iter().map(|t| if t.3 { Some(10) } else { None }).collect()),
        ],
    )
}

/// GetFunctions: `FUNCTION_CAT`, `FUNCTION_SCHEM`, `FUNCTION_NAME`, `REMARKS`, `FUNCTION_TYPE`,
/// `SPECIFIC_NAME`, from the session's SHOW FUNCTIONS.
pub async fn functions(s: &dyn Session, pattern: Option<&str>) -> Result<(SchemaRef, Vec<RecordBatch>), BackendError> {
    let sql = match like_pattern(pattern) {
        Some(p) => format!("SHOW FUNCTIONS LIKE '{}'", p.replace('%', "*").replace('\'', "")),
        None => "SHOW FUNCTIONS".to_string(),
    };
    let mut names = Vec::new();
    if let QueryResult::Rows { mut stream, .. } = s.execute(&sql, vec![], Default::default()).await? {
        use futures::StreamExt;
        while let Some(b) = stream.next().await {
            let b = b?;
            if let Some(col) = b.column(0).as_any().downcast_ref::<StringArray>() {
                names.extend(col.iter().flatten().map(str::to_string));
            }
        }
    }
    let n = names.len();
    batch(
        vec![text("FUNCTION_CAT"), text("FUNCTION_SCHEM"), text("FUNCTION_NAME"), text("REMARKS"), int("FUNCTION_TYPE"), text("SPECIFIC_NAME")],
        vec![
            nulls_s(n),
            nulls_s(n),
            strings(names.iter().cloned().map(Some).collect()),
            strings(vec![Some(String::new()); n]),
            ints(vec![Some(1); n]),
            strings(names.into_iter().map(Some).collect()),
        ],
    )
}

/// GetPrimaryKeys: the six JDBC columns; tables have no primary keys.
pub fn primary_keys() -> Result<(SchemaRef, Vec<RecordBatch>), BackendError> {
    let names = ["TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "KEQ_SEQ", "PK_NAME"];
    let fields: Vec<Field> = names.iter().map(|n| if *n == "KEQ_SEQ" { int(n) } else { text(n) }).collect();
    let cols = fields.iter().map(|f| arrow::array::new_empty_array(f.data_type())).collect();
    batch(fields, cols)
}

/// GetCrossReference: the fourteen JDBC columns; tables have no foreign keys.
pub fn cross_reference() -> Result<(SchemaRef, Vec<RecordBatch>), BackendError> {
    let names = [
        "PKTABLE_CAT", "PKTABLE_SCHEM", "PKTABLE_NAME", "PKCOLUMN_NAME", "FKTABLE_CAT", "FKTABLE_SCHEM", "FKTABLE_NAME",
        "FKCOLUMN_NAME", "KEQ_SEQ", "UPDATE_RULE", "DELETE_RULE", "FK_NAME", "PK_NAME", "DEFERRABILITY",
    ];
    let fields: Vec<Field> =
        names.iter().map(|n| if ["KEQ_SEQ", "UPDATE_RULE", "DELETE_RULE", "DEFERRABILITY"].contains(n) { int(n) } else { text(n) }).collect();
    let cols = fields.iter().map(|f| arrow::array::new_empty_array(f.data_type())).collect();
    batch(fields, cols)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_in_both_styles() {
        assert_eq!(like_pattern(Some(".*")), None);
        assert_eq!(like_pattern(Some("sales.*")), Some("sales%".into()));
        assert_eq!(like_pattern(Some("sa_es%")), Some("sa_es%".into()));
        assert!(like("ord%", "ORDERS"));
        assert!(!like("ord_", "orders"));
    }
}
