//! `map_zip_with(m1, m2, (k, v1, v2) -> ...)`: one map over the keys of both, each key's value the
//! lambda over the key and its value in each map (NULL where a map lacks the key). The keys come
//! in the first map's order, then the second's new ones, as in Spark. The two maps' keys are
//! widened to one type, numbers with numbers, as Spark widens them; keys of unrelated types (text
//! beside numbers or dates) are refused. NULL when either map is.

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, MapArray, StructArray, UInt32Array};
use datafusion::arrow::buffer::{NullBuffer, OffsetBuffer};
use datafusion::arrow::compute::{concat, take};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Fields};
use datafusion::arrow::row::{RowConverter, SortField};
use datafusion::common::{plan_err, Result};
use datafusion::logical_expr::type_coercion::binary::comparison_coercion;
use datafusion::logical_expr::{
    ColumnarValue, HigherOrderFunctionArgs, HigherOrderReturnFieldArgs, HigherOrderSignature, HigherOrderUDF, HigherOrderUDFImpl,
    LambdaParametersProgress, ValueOrLambda, Volatility,
};

use super::evaluate;

pub(super) fn functions() -> Vec<Arc<HigherOrderUDF>> {
    let signature = HigherOrderSignature::exact(
        vec![ValueOrLambda::Value(()), ValueOrLambda::Value(()), ValueOrLambda::Lambda(())],
        Volatility::Immutable,
    );
    vec![Arc::new(HigherOrderUDF::from(MapZip { name: "map_zip_with", signature }))]
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct MapZip {
    name: &'static str,
    signature: HigherOrderSignature,
}

/// A map type's key and value fields.
fn key_value(t: &DataType) -> Result<(FieldRef, FieldRef)> {
    match t {
        DataType::Map(entries, _) => match entries.data_type() {
            DataType::Struct(kv) if kv.len() == 2 => Ok((Arc::clone(&kv[0]), Arc::clone(&kv[1]))),
            other => plan_err!("malformed map entries {other}"),
        },
        other => plan_err!("map_zip_with takes two maps, not {other}"),
    }
}

fn textual(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

/// The one key type of both maps.
fn common_key(a: &DataType, b: &DataType) -> Result<DataType> {
    if a == b {
        return Ok(a.clone());
    }
    let temporal = |t: &DataType| t.is_temporal();
    if textual(a) != textual(b) || temporal(a) != temporal(b) {
        return plan_err!("[DATATYPE_MISMATCH.MAP_ZIP_WITH_DIFF_TYPES] map_zip_with takes maps with keys of one type, not {a} and {b}");
    }
    match comparison_coercion(a, b) {
        Some(t) => Ok(t),
        None => plan_err!("[DATATYPE_MISMATCH.MAP_ZIP_WITH_DIFF_TYPES] map_zip_with takes maps with keys of one type, not {a} and {b}"),
    }
}

fn map_type(key: &DataType, value: &DataType) -> DataType {
    let fields = Fields::from(vec![Field::new("key", key.clone(), false), Field::new("value", value.clone(), true)]);
    DataType::Map(Arc::new(Field::new("entries", DataType::Struct(fields), false)), false)
}

impl HigherOrderUDFImpl for MapZip {
    name_and_signature!();

    fn coerce_value_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        let [a, b] = arg_types else { return plan_err!("map_zip_with takes two maps and a lambda") };
        let ((ka, va), (kb, vb)) = (key_value(a)?, key_value(b)?);
        let key = common_key(ka.data_type(), kb.data_type())?;
        Ok(vec![map_type(&key, va.data_type()), map_type(&key, vb.data_type())])
    }

    fn lambda_parameters(&self, _step: usize, fields: &[ValueOrLambda<FieldRef, Option<FieldRef>>]) -> Result<LambdaParametersProgress> {
        let (Some(ValueOrLambda::Value(a)), Some(ValueOrLambda::Value(b))) = (fields.first(), fields.get(1)) else {
            return plan_err!("map_zip_with takes two maps and a lambda");
        };
        let ((key, va), (_, vb)) = (key_value(a.data_type())?, key_value(b.data_type())?);
        let nullable = |f: &FieldRef| Arc::new(Field::new(f.name(), f.data_type().clone(), true));
        Ok(LambdaParametersProgress::Complete(vec![vec![key, nullable(&va), nullable(&vb)]]))
    }

    fn return_field_from_args(&self, args: HigherOrderReturnFieldArgs) -> Result<FieldRef> {
        let (Some(ValueOrLambda::Value(a)), Some(ValueOrLambda::Lambda(out))) = (args.arg_fields.first(), args.arg_fields.get(2)) else {
            return plan_err!("map_zip_with takes two maps and a lambda");
        };
        let (key, _) = key_value(a.data_type())?;
        Ok(Arc::new(Field::new("", map_type(key.data_type(), out.data_type()), true)))
    }

    fn invoke_with_args(&self, args: HigherOrderFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let (Some(ValueOrLambda::Value(a)), Some(ValueOrLambda::Value(b)), Some(ValueOrLambda::Lambda(lambda))) =
            (args.args.first(), args.args.get(1), args.args.get(2))
        else {
            return plan_err!("map_zip_with takes two maps and a lambda");
        };
        let (a, b) = (a.to_array(rows)?, b.to_array(rows)?);
        let (a, b) = (a.as_map(), b.as_map());
        let zipped = Zipped::of(a, b)?;
        let keys = take(concat(&[a.keys().as_ref(), b.keys().as_ref()])?.as_ref(), &UInt32Array::from(zipped.keys), None)?;
        let first = take(a.values().as_ref(), &UInt32Array::from(zipped.first), None)?;
        let second = take(b.values().as_ref(), &UInt32Array::from(zipped.second), None)?;
        let values = evaluate(lambda, &[Arc::clone(&keys), first, second], &zipped.rows)?;
        let fields = Fields::from(vec![Field::new("key", keys.data_type().clone(), false), Field::new("value", values.data_type().clone(), true)]);
        let entries = StructArray::try_new(fields.clone(), vec![keys, values], None)?;
        let entry_field = Arc::new(Field::new("entries", DataType::Struct(fields), false));
        let out = MapArray::try_new(entry_field, OffsetBuffer::from_lengths(zipped.lengths), entries, Some(NullBuffer::from(zipped.valid)), false)?;
        Ok(ColumnarValue::Array(Arc::new(out)))
    }
}

/// Where each output entry's key and values come from.
struct Zipped {
    /// Into the first map's keys followed by the second's.
    keys: Vec<u32>,
    first: Vec<Option<u32>>,
    second: Vec<Option<u32>>,
    /// The row each entry belongs to.
    rows: Vec<u32>,
    lengths: Vec<usize>,
    valid: Vec<bool>,
}

impl Zipped {
    fn of(a: &MapArray, b: &MapArray) -> Result<Self> {
        let converter = RowConverter::new(vec![SortField::new(a.keys().data_type().clone())])?;
        let (ka, kb) = (converter.convert_columns(&[Arc::clone(a.keys())])?, converter.convert_columns(&[Arc::clone(b.keys())])?);
        let second_base = a.keys().len() as u32;
        let mut z = Zipped { keys: Vec::new(), first: Vec::new(), second: Vec::new(), rows: Vec::new(), lengths: Vec::new(), valid: Vec::new() };
        let (oa, ob) = (a.value_offsets(), b.value_offsets());
        for row in 0..a.len() {
            if a.is_null(row) || b.is_null(row) {
                z.lengths.push(0);
                z.valid.push(false);
                continue;
            }
            let in_second: HashMap<&[u8], u32> = (ob[row] as u32..ob[row + 1] as u32).map(|j| (kb.row(j as usize).data(), j)).collect();
            let before = z.keys.len();
            let mut seen = std::collections::HashSet::new();
            for i in oa[row] as u32..oa[row + 1] as u32 {
                let key = ka.row(i as usize).data();
                seen.insert(key);
                z.keys.push(i);
                z.first.push(Some(i));
                z.second.push(in_second.get(key).copied());
            }
            for j in ob[row] as u32..ob[row + 1] as u32 {
                if !seen.contains(kb.row(j as usize).data()) {
                    z.keys.push(second_base + j);
                    z.first.push(None);
                    z.second.push(Some(j));
                }
            }
            z.rows.extend(std::iter::repeat_n(row as u32, z.keys.len() - before));
            z.lengths.push(z.keys.len() - before);
            z.valid.push(true);
        }
        Ok(z)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_widen_within_their_family() {
        assert_eq!(common_key(&DataType::Int16, &DataType::Int32).unwrap(), DataType::Int32);
        assert!(common_key(&DataType::Utf8, &DataType::Int32).is_err());
        assert!(common_key(&DataType::Utf8, &DataType::Date32).is_err());
    }
}
