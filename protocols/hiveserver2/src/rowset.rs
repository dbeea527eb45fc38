//! Record batches as HiveServer2 columnar row sets (protocol V6 and later): one TColumn per column,
//! with a least-significant-bit-first null bitmap, and Hive's text forms for timestamps, dates,
//! decimals and complex values (`[1,2]`, `{"k":1}`, `{"a":1,"b":"x"}`).

use arrow::array::{Array, ArrayRef, AsArray, RecordBatch};
use arrow::datatypes::{DataType, Int16Type, Int32Type, Int64Type, Int8Type};
use thrift::OrderedFloat;
use hivewire_backend::java_numbers::{double_text, float_text};

use crate::tcli_service::{
    TBinaryColumn, TBoolColumn, TBoolValue, TByteColumn, TByteValue, TColumn, TColumnValue, TDoubleColumn, TDoubleValue,
    TI16Column, TI16Value, TI32Column, TI32Value, TI64Column, TI64Value, TRow, TRowSet, TStringColumn, TStringValue,
};
use crate::types::sent_as_text;

/// The null bitmap of an array: bit `i % 8` of byte `i / 8` set for a NULL row. Empty when no row is NULL.
pub fn null_bitmap(a: &dyn Array) -> Vec<u8> {
    // Logical nulls: a NULL-typed column is all NULL without a physical bitmap.
    let Some(nulls) = a.logical_nulls().filter(|n| n.null_count() > 0) else { return vec![] };
    let mut bits = vec![0u8; a.len().div_ceil(8)];
    for i in 0..a.len() {
        if nulls.is_null(i) {
            bits[i / 8] |= 1 << (i % 8);
        }
    }
    bits
}

/// An empty columnar row set with no columns, or with the given ones.
pub fn row_set(start: i64, columns: Vec<TColumn>) -> TRowSet {
    let count = columns.len() as i32;
    TRowSet::new(start, vec![], columns, None, count)
}

/// A row-based row set, for clients on protocol versions before V6: each value in its own
/// TColumnValue, NULL as an unset value.
pub fn row_based(start: i64, batch: &RecordBatch) -> TRowSet {
    let rows = (0..batch.num_rows())
        .map(|i| TRow::new(batch.columns().iter().map(|a| cell(a, i)).collect::<Vec<_>>()))
        .collect();
    TRowSet::new(start, rows, None, None, None)
}

fn cell(a: &ArrayRef, i: usize) -> TColumnValue {
    let null = a.logical_nulls().is_some_and(|n| n.is_null(i));
    if sent_as_text(a.data_type()) {
        return TColumnValue::StringVal(TStringValue::new((!null).then(|| text(a, i))));
    }
    match a.data_type() {
        DataType::Boolean => TColumnValue::BoolVal(TBoolValue::new((!null).then(|| a.as_boolean().value(i)))),
        DataType::Int8 => TColumnValue::ByteVal(TByteValue::new((!null).then(|| a.as_primitive::<Int8Type>().value(i)))),
        DataType::Int16 => TColumnValue::I16Val(TI16Value::new((!null).then(|| a.as_primitive::<Int16Type>().value(i)))),
        DataType::Int32 => TColumnValue::I32Val(TI32Value::new((!null).then(|| a.as_primitive::<Int32Type>().value(i)))),
        DataType::Int64 => TColumnValue::I64Val(TI64Value::new((!null).then(|| a.as_primitive::<Int64Type>().value(i)))),
        DataType::Float32 | DataType::Float64 => {
            let v = (!null)
                .then(|| arrow::compute::cast(&a.slice(i, 1), &DataType::Float64).ok())
                .flatten()
                .map(|d| OrderedFloat(d.as_primitive::<arrow::datatypes::Float64Type>().value(0)));
            TColumnValue::DoubleVal(TDoubleValue::new(v))
        }
        _ => TColumnValue::StringVal(TStringValue::new((!null).then(|| text(a, i)))),
    }
}

/// The columns of a batch.
pub fn columns(batch: &RecordBatch) -> Vec<TColumn> {
    batch.columns().iter().map(column).collect()
}

/// Empty columns of the right kinds for a schema (a fetch past the end).
pub fn empty_columns(schema: &arrow::datatypes::Schema) -> Vec<TColumn> {
    schema.fields().iter().map(|f| column(&arrow::array::new_empty_array(f.data_type()))).collect()
}

fn column(a: &ArrayRef) -> TColumn {
    let nulls = null_bitmap(a.as_ref());
    let dt = a.data_type();
    if sent_as_text(dt) {
        let values = (0..a.len()).map(|i| if a.is_null(i) { String::new() } else { text(a, i) }).collect();
        return TColumn::StringVal(TStringColumn::new(values, nulls));
    }
    match dt {
        DataType::Boolean => {
            let b = a.as_boolean();
            TColumn::BoolVal(TBoolColumn::new((0..b.len()).map(|i| b.is_valid(i) && b.value(i)).collect(), nulls))
        }
        DataType::Int8 => TColumn::ByteVal(TByteColumn::new(a.as_primitive::<Int8Type>().values().to_vec(), nulls)),
        DataType::Int16 => TColumn::I16Val(TI16Column::new(a.as_primitive::<Int16Type>().values().to_vec(), nulls)),
        DataType::Int32 => TColumn::I32Val(TI32Column::new(a.as_primitive::<Int32Type>().values().to_vec(), nulls)),
        DataType::Int64 => TColumn::I64Val(TI64Column::new(a.as_primitive::<Int64Type>().values().to_vec(), nulls)),
        DataType::UInt8 | DataType::UInt16 | DataType::UInt32 | DataType::UInt64 => {
            let wide = arrow::compute::cast(a, &DataType::Int64).unwrap_or_else(|_| a.clone());
            match wide.data_type() {
                DataType::Int64 => TColumn::I64Val(TI64Column::new(wide.as_primitive::<Int64Type>().values().to_vec(), nulls)),
                _ => strings(a, nulls),
            }
        }
        DataType::Float16 | DataType::Float32 | DataType::Float64 => {
            let d = arrow::compute::cast(a, &DataType::Float64).unwrap_or_else(|_| a.clone());
            match d.data_type() {
                DataType::Float64 => {
                    let v = d.as_primitive::<arrow::datatypes::Float64Type>();
                    TColumn::DoubleVal(TDoubleColumn::new(v.values().iter().map(|x| OrderedFloat(*x)).collect(), nulls))
                }
                _ => strings(a, nulls),
            }
        }
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView | DataType::FixedSizeBinary(_) => {
            let b = arrow::compute::cast(a, &DataType::Binary).unwrap_or_else(|_| a.clone());
            match b.data_type() {
                DataType::Binary => {
                    let b = b.as_binary::<i32>();
                    TColumn::BinaryVal(TBinaryColumn::new(
                        (0..b.len()).map(|i| if b.is_null(i) { vec![] } else { b.value(i).to_vec() }).collect(),
                        nulls,
                    ))
                }
                _ => strings(a, nulls),
            }
        }
        _ => strings(a, nulls),
    }
}

fn strings(a: &ArrayRef, nulls: Vec<u8>) -> TColumn {
    let values = (0..a.len()).map(|i| if a.is_null(i) { String::new() } else { text(a, i) }).collect();
    TColumn::StringVal(TStringColumn::new(values, nulls))
}

/// One value in Hive's text form.
pub fn text(a: &ArrayRef, i: usize) -> String {
    match a.data_type() {
        DataType::Utf8 => a.as_string::<i32>().value(i).to_string(),
        DataType::LargeUtf8 => a.as_string::<i64>().value(i).to_string(),
        DataType::Utf8View => a.as_string_view().value(i).to_string(),
        DataType::Timestamp(_, _) => timestamp_text(a, i),
        DataType::List(_) | DataType::LargeList(_) | DataType::Map(..) | DataType::Struct(_) => nested(a, i),
        DataType::Interval(_) | DataType::Duration(_) => crate::intervals::text(a, i).unwrap_or_default(),
        // Inside arrays, maps and structs (top-level floats are sent as doubles).
        DataType::Float64 => double_text(a.as_primitive::<arrow::datatypes::Float64Type>().value(i)),
        DataType::Float32 => float_text(a.as_primitive::<arrow::datatypes::Float32Type>().value(i)),
        _ => arrow::util::display::array_value_to_string(a, i).unwrap_or_default(),
    }
}

/// `2024-01-02 03:04:05.123`: a space, and fractional seconds without trailing zeros.
fn timestamp_text(a: &ArrayRef, i: usize) -> String {
    let s = arrow::util::display::array_value_to_string(a, i).unwrap_or_default();
    let s = s.replacen('T', " ", 1);
    let s = s.trim_end_matches('Z').to_string();
    match s.split_once('.') {
        Some((whole, frac)) => {
            let frac = frac.trim_end_matches('0');
            if frac.is_empty() { whole.to_string() } else { format!("{whole}.{frac}") }
        }
        None => s,
    }
}

/// A complex value as Spark Thrift Server prints it: JSON-like, strings quoted inside; dates and
/// timestamps inside are printed as at the top level, without quotes; doubles as Java prints
/// them (`1.0E10`); a map's entries in the order of their text.
fn nested(a: &ArrayRef, i: usize) -> String {
    if a.is_null(i) {
        return "null".into();
    }
    match a.data_type() {
        DataType::List(_) => {
            let items = a.as_list::<i32>().value(i);
            format!("[{}]", (0..items.len()).map(|j| inner(&items, j)).collect::<Vec<_>>().join(","))
        }
        DataType::LargeList(_) => {
            let items = a.as_list::<i64>().value(i);
            format!("[{}]", (0..items.len()).map(|j| inner(&items, j)).collect::<Vec<_>>().join(","))
        }
        DataType::Map(..) => {
            let entries = a.as_map().value(i);
            let (k, v) = (entries.column(0), entries.column(1));
            // Spark Thrift Server sorts a map's entries by their text.
            let mut parts: Vec<String> = (0..entries.len()).map(|j| format!("{}:{}", inner(k, j), inner(v, j))).collect();
            parts.sort();
            format!("{{{}}}", parts.join(","))
        }
        DataType::Struct(fields) => {
            let s = a.as_struct();
            let parts: Vec<String> =
                fields.iter().zip(s.columns()).map(|(f, c)| format!("\"{}\":{}", f.name(), inner(c, i))).collect();
            format!("{{{}}}", parts.join(","))
        }
        _ => text(a, i),
    }
}

fn inner(a: &ArrayRef, i: usize) -> String {
    if a.is_null(i) {
        return "null".into();
    }
    match a.data_type() {
        // Quoted as they are, without escapes, as Spark Thrift Server prints them.
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => format!("\"{}\"", text(a, i)),
        _ => text(a, i),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn null_bitmap_is_lsb_first() {
        let a = arrow::array::Int32Array::from(vec![Some(1), None, Some(3), None, None, Some(6), Some(7), Some(8), None]);
        assert_eq!(null_bitmap(&a), vec![0x1A, 0x01]);
        let none = arrow::array::Int32Array::from(vec![1, 2]);
        assert!(null_bitmap(&none).is_empty());
    }

    #[test]
    fn complex_values_print_like_spark() {
        let list: ArrayRef = Arc::new(arrow::array::ListArray::from_iter_primitive::<Int32Type, _, _>(vec![Some(vec![
            Some(1),
            None,
        ])]));
        assert_eq!(text(&list, 0), "[1,null]");
        let ts: ArrayRef = Arc::new(arrow::array::TimestampMicrosecondArray::from(vec![1_709_210_096_500_000]));
        assert_eq!(text(&ts, 0), "2024-02-29 12:34:56.5");
        let dates: ArrayRef = Arc::new(arrow::array::ListArray::from_iter_primitive::<arrow::datatypes::Date32Type, _, _>(vec![Some(vec![Some(0)])]));
        assert_eq!(text(&dates, 0), "[1970-01-01]");
        let doubles: ArrayRef = Arc::new(arrow::array::ListArray::from_iter_primitive::<arrow::datatypes::Float64Type, _, _>(vec![Some(vec![Some(1e10), Some(0.5)])]));
        assert_eq!(text(&doubles, 0), "[1.0E10,0.5]");
    }
}
