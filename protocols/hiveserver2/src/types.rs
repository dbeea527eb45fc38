//! Arrow types as HiveServer2 types: the one place that decides a column's TTypeId, its type
//! qualifiers, and its Hive type name.

use std::collections::BTreeMap;

use arrow::datatypes::DataType;

use crate::tcli_service::{
    TPrimitiveTypeEntry, TTypeDesc, TTypeEntry, TTypeId, TTypeQualifierValue, TTypeQualifiers,
};

/// The HiveServer2 type of an Arrow type. Year-month intervals and durations (day-time intervals)
/// have their interval types, as Spark Thrift Server sends them whatever the client's protocol
/// version (impyla's generated code predates them and cannot read such a column); a calendar
/// interval (months, days and time together) goes as STRING, as Spark sends it.
pub fn type_id(dt: &DataType) -> TTypeId {
    match dt {
        DataType::Boolean => TTypeId::BOOLEAN_TYPE,
        DataType::Int8 | DataType::UInt8 => TTypeId::TINYINT_TYPE,
        DataType::Int16 | DataType::UInt16 => TTypeId::SMALLINT_TYPE,
        DataType::Int32 | DataType::UInt32 => TTypeId::INT_TYPE,
        DataType::Int64 | DataType::UInt64 => TTypeId::BIGINT_TYPE,
        DataType::Float16 | DataType::Float32 => TTypeId::FLOAT_TYPE,
        DataType::Float64 => TTypeId::DOUBLE_TYPE,
        DataType::Decimal32(..) | DataType::Decimal64(..) | DataType::Decimal128(..) | DataType::Decimal256(..) => {
            TTypeId::DECIMAL_TYPE
        }
        DataType::Date32 | DataType::Date64 => TTypeId::DATE_TYPE,
        DataType::Timestamp(_, _) => TTypeId::TIMESTAMP_TYPE,
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView | DataType::FixedSizeBinary(_) => {
            TTypeId::BINARY_TYPE
        }
        DataType::List(_) | DataType::LargeList(_) | DataType::ListView(_) | DataType::FixedSizeList(..) => {
            TTypeId::ARRAY_TYPE
        }
        DataType::Map(..) => TTypeId::MAP_TYPE,
        DataType::Struct(_) => TTypeId::STRUCT_TYPE,
        DataType::Null => TTypeId::NULL_TYPE,
        DataType::Interval(arrow::datatypes::IntervalUnit::YearMonth) => TTypeId::INTERVAL_YEAR_MONTH_TYPE,
        DataType::Duration(_) => TTypeId::INTERVAL_DAY_TIME_TYPE,
        _ => TTypeId::STRING_TYPE,
    }
}

/// The Hive type name, as DESCRIBE and the JDBC metadata print it.
pub fn type_name(dt: &DataType) -> String {
    match dt {
        DataType::Boolean => "boolean".into(),
        DataType::Int8 | DataType::UInt8 => "tinyint".into(),
        DataType::Int16 | DataType::UInt16 => "smallint".into(),
        DataType::Int32 | DataType::UInt32 => "int".into(),
        DataType::Int64 | DataType::UInt64 => "bigint".into(),
        DataType::Float16 | DataType::Float32 => "float".into(),
        DataType::Float64 => "double".into(),
        DataType::Decimal32(p, s) | DataType::Decimal64(p, s) => format!("decimal({p},{s})"),
        DataType::Decimal128(p, s) | DataType::Decimal256(p, s) => format!("decimal({p},{s})"),
        DataType::Date32 | DataType::Date64 => "date".into(),
        DataType::Timestamp(_, _) => "timestamp".into(),
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView | DataType::FixedSizeBinary(_) => "binary".into(),
        DataType::List(f) | DataType::LargeList(f) | DataType::ListView(f) | DataType::FixedSizeList(f, _) => {
            format!("array<{}>", type_name(f.data_type()))
        }
        DataType::Map(f, _) => match f.data_type() {
            DataType::Struct(kv) if kv.len() == 2 => {
                format!("map<{},{}>", type_name(kv[0].data_type()), type_name(kv[1].data_type()))
            }
            _ => "map<string,string>".into(),
        },
        DataType::Struct(fields) => format!(
            "struct<{}>",
            fields.iter().map(|f| format!("{}:{}", f.name(), type_name(f.data_type()))).collect::<Vec<_>>().join(",")
        ),
        DataType::Null => "void".into(),
        DataType::Interval(arrow::datatypes::IntervalUnit::YearMonth) => "interval_year_month".into(),
        DataType::Duration(_) => "interval_day_time".into(),
        _ => "string".into(),
    }
}

/// A field's `VARCHAR(n)` or `CHAR(n)` Hive type, which the catalog records in the field's
/// metadata (Arrow has no such types): the type id and its length.
pub fn character_type(field: &arrow::datatypes::Field) -> Option<(TTypeId, i32, String)> {
    let t = field.metadata().get("hive.type")?.to_lowercase();
    let (id, rest) = if let Some(r) = t.strip_prefix("varchar(") {
        (TTypeId::VARCHAR_TYPE, r)
    } else if let Some(r) = t.strip_prefix("char(") {
        (TTypeId::CHAR_TYPE, r)
    } else {
        return None;
    };
    let n: i32 = rest.trim_end_matches(')').trim().parse().ok()?;
    Some((id, n, t))
}

/// The type descriptor of a result column: VARCHAR and CHAR with their length, DECIMAL with its
/// precision and scale.
pub fn field_type_desc(field: &arrow::datatypes::Field) -> (TTypeDesc, String) {
    match character_type(field) {
        Some((id, n, name)) => {
            let mut q = BTreeMap::new();
            q.insert("characterMaximumLength".to_string(), TTypeQualifierValue::I32Value(n));
            let entry = TPrimitiveTypeEntry::new(id, Some(TTypeQualifiers::new(q)));
            (TTypeDesc::new(vec![TTypeEntry::PrimitiveEntry(entry)]), name)
        }
        None => (type_desc(field.data_type()), type_name(field.data_type())),
    }
}

/// A primitive type descriptor, with DECIMAL's precision and scale.
pub fn type_desc(dt: &DataType) -> TTypeDesc {
    let qualifiers = match dt {
        DataType::Decimal32(p, s) | DataType::Decimal64(p, s) | DataType::Decimal128(p, s) | DataType::Decimal256(p, s) => {
            let mut q = BTreeMap::new();
            q.insert("precision".to_string(), TTypeQualifierValue::I32Value(*p as i32));
            q.insert("scale".to_string(), TTypeQualifierValue::I32Value(*s as i32));
            Some(TTypeQualifiers::new(q))
        }
        _ => None,
    };
    TTypeDesc::new(vec![TTypeEntry::PrimitiveEntry(TPrimitiveTypeEntry::new(type_id(dt), qualifiers))])
}

/// Whether a type's values travel as their text form.
pub fn sent_as_text(dt: &DataType) -> bool {
    type_id(dt) == TTypeId::STRING_TYPE && !matches!(dt, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
        || matches!(
            type_id(dt),
            TTypeId::DECIMAL_TYPE
                | TTypeId::DATE_TYPE
                | TTypeId::TIMESTAMP_TYPE
                | TTypeId::ARRAY_TYPE
                | TTypeId::MAP_TYPE
                | TTypeId::STRUCT_TYPE
                | TTypeId::INTERVAL_YEAR_MONTH_TYPE
                | TTypeId::INTERVAL_DAY_TIME_TYPE
        )
}
