//! `map_concat(m1, m2, ...)`: the entries of every map in one map, in order. A key found in two
//! maps is an error (`DUPLICATED_MAP_KEY`), as under Spark's default `spark.sql.mapKeyDedupPolicy`;
//! a NULL map makes the result NULL.

use std::collections::HashSet;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, MapArray, StructArray};
use datafusion::arrow::buffer::{NullBuffer, OffsetBuffer};
use datafusion::arrow::compute::interleave;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{exec_err, plan_err, Result, ScalarValue};
use datafusion::logical_expr::{ScalarUDF, Signature, Volatility};

use super::{row_of, SparkFunction};

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![SparkFunction::udf("map_concat", Signature::variadic_any(Volatility::Immutable), result_type, map_concat)]
}

/// A map's key and value types.
fn parts(t: &DataType) -> Option<(DataType, DataType)> {
    let DataType::Map(field, _) = t else { return None };
    let DataType::Struct(fields) = field.data_type() else { return None };
    Some((fields.first()?.data_type().clone(), fields.get(1)?.data_type().clone()))
}

/// The map type every argument is cast to: the widest key and value types among them.
fn result_type(args: &[DataType]) -> Result<DataType> {
    let mut key = DataType::Null;
    let mut value = DataType::Null;
    for a in args.iter().filter(|a| !a.is_null()) {
        let Some((k, v)) = parts(a) else { return plan_err!("[DATATYPE_MISMATCH.MAP_CONCAT_DIFF_TYPES] map_concat takes maps, not {a}") };
        let wider = |held: &DataType, next: &DataType| datafusion::logical_expr::type_coercion::binary::comparison_coercion(held, next);
        key = wider(&key, &k).ok_or_else(|| datafusion::common::DataFusionError::Plan(format!("[DATATYPE_MISMATCH.DATA_DIFF_TYPES] map_concat's keys {key} and {k} differ")))?;
        value = wider(&value, &v).ok_or_else(|| datafusion::common::DataFusionError::Plan(format!("[DATATYPE_MISMATCH.DATA_DIFF_TYPES] map_concat's values {value} and {v} differ")))?;
    }
    if key.is_null() && args.iter().all(|a| a.is_null()) {
        return plan_err!("map_concat takes maps");
    }
    Ok(DataType::Map(
        Arc::new(datafusion::arrow::datatypes::Field::new(
            "entries",
            DataType::Struct(vec![datafusion::arrow::datatypes::Field::new("key", key, false), datafusion::arrow::datatypes::Field::new("value", value, true)].into()),
            false,
        )),
        false,
    ))
}

fn map_concat(args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    let target = result_type(&args.iter().map(|a| a.data_type().clone()).collect::<Vec<_>>())?;
    let DataType::Map(field, sorted) = target.clone() else { return exec_err!("map_concat takes maps") };
    if args.iter().any(|a| a.data_type().is_null()) {
        return Ok(datafusion::arrow::array::new_null_array(&target, rows));
    }
    let cast_args = args.iter().map(|a| datafusion::arrow::compute::cast(a, &target)).collect::<std::result::Result<Vec<_>, _>>()?;
    let maps: Vec<&MapArray> = cast_args.iter().map(|a| a.as_map()).collect();
    let keys: Vec<&dyn Array> = maps.iter().map(|m| m.keys().as_ref()).collect();
    let values: Vec<&dyn Array> = maps.iter().map(|m| m.values().as_ref()).collect();
    let mut picks = Vec::new();
    let mut offsets = vec![0i32];
    let mut valid = Vec::with_capacity(rows);
    for row in 0..rows {
        let present = maps.iter().all(|m| m.is_valid(row_of(*m, row)));
        valid.push(present);
        if present {
            let mut seen = HashSet::new();
            for (i, m) in maps.iter().enumerate() {
                let r = row_of(*m, row);
                let (start, end) = (m.value_offsets()[r], m.value_offsets()[r + 1]);
                for k in start..end {
                    let k = usize::try_from(k).unwrap_or(0);
                    let key = ScalarValue::try_from_array(m.keys(), k)?;
                    if !seen.insert(key.clone()) {
                        return exec_err!("[DUPLICATED_MAP_KEY] Duplicate map key {key} was found; set spark.sql.mapKeyDedupPolicy to LAST_WIN to keep the last");
                    }
                    picks.push((i, k));
                }
            }
        }
        offsets.push(i32::try_from(picks.len()).unwrap_or(i32::MAX));
    }
    let DataType::Struct(entry_fields) = field.data_type() else { return exec_err!("a map's entries are a struct") };
    let entries = StructArray::try_new(entry_fields.clone(), vec![interleave(&keys, &picks)?, interleave(&values, &picks)?], None)?;
    let map = MapArray::try_new(field, OffsetBuffer::new(offsets.into()), entries, Some(NullBuffer::from(valid)), sorted)?;
    Ok(Arc::new(map))
}
