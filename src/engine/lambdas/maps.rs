//! `transform_keys(m, (k, v) -> ...)` and `transform_values(m, (k, v) -> ...)`: a map with its keys,
//! or its values, replaced by the lambda's results for each entry; and `map_filter(m, (k, v) ->
//! ...)`, the entries for which the lambda is true.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, MapArray, StructArray};
use datafusion::arrow::compute::take;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Fields};
use datafusion::common::{plan_err, Result};
use datafusion::logical_expr::{
    ColumnarValue, HigherOrderFunctionArgs, HigherOrderReturnFieldArgs, HigherOrderSignature, HigherOrderUDF, HigherOrderUDFImpl,
    LambdaParametersProgress, ValueOrLambda, Volatility,
};

use super::evaluate;

pub(super) fn functions() -> Vec<Arc<HigherOrderUDF>> {
    ["transform_keys", "transform_values", "map_filter"]
        .into_iter()
        .map(|name| {
            let signature = HigherOrderSignature::exact(vec![ValueOrLambda::Value(()), ValueOrLambda::Lambda(())], Volatility::Immutable);
            Arc::new(HigherOrderUDF::from(MapTransform { name, signature }))
        })
        .collect()
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct MapTransform {
    name: &'static str,
    signature: HigherOrderSignature,
}

/// The map's entry field and its key and value fields.
fn entry_fields(t: &DataType) -> Result<(FieldRef, FieldRef, FieldRef, bool)> {
    match t {
        DataType::Map(entries, sorted) => match entries.data_type() {
            DataType::Struct(kv) if kv.len() == 2 => Ok((Arc::clone(entries), Arc::clone(&kv[0]), Arc::clone(&kv[1]), *sorted)),
            other => plan_err!("malformed map entries {other}"),
        },
        other => plan_err!("a map was expected, not {other}"),
    }
}

impl MapTransform {
    fn keys(&self) -> bool {
        self.name == "transform_keys"
    }

    fn filters(&self) -> bool {
        self.name == "map_filter"
    }

    /// The map type with the keys or the values of the lambda's type.
    fn result_type(&self, map: &DataType, out: &DataType) -> Result<DataType> {
        let (entries, key, value, sorted) = entry_fields(map)?;
        let (key, value) = if self.keys() {
            (Arc::new(Field::new(key.name(), out.clone(), false)), value)
        } else {
            (key, Arc::new(Field::new(value.name(), out.clone(), true)))
        };
        let entries = Arc::new(Field::new(entries.name(), DataType::Struct(Fields::from(vec![key, value])), false));
        Ok(DataType::Map(entries, sorted))
    }
}

impl HigherOrderUDFImpl for MapTransform {
    name_and_signature!();

    fn coerce_value_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        Ok(arg_types.to_vec())
    }

    fn lambda_parameters(&self, _step: usize, fields: &[ValueOrLambda<FieldRef, Option<FieldRef>>]) -> Result<LambdaParametersProgress> {
        let Some(ValueOrLambda::Value(map)) = fields.first() else { return plan_err!("{} takes a map and a lambda", self.name) };
        let (_, key, value, _) = entry_fields(map.data_type())?;
        Ok(LambdaParametersProgress::Complete(vec![vec![key, value]]))
    }

    fn return_field_from_args(&self, args: HigherOrderReturnFieldArgs) -> Result<FieldRef> {
        let (Some(ValueOrLambda::Value(map)), Some(ValueOrLambda::Lambda(out))) = (args.arg_fields.first(), args.arg_fields.get(1)) else {
            return plan_err!("{} takes a map and a lambda", self.name);
        };
        if self.filters() {
            return Ok(Arc::new(Field::new("", map.data_type().clone(), true)));
        }
        Ok(Arc::new(Field::new("", self.result_type(map.data_type(), out.data_type())?, true)))
    }

    fn invoke_with_args(&self, args: HigherOrderFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let (Some(ValueOrLambda::Value(map)), Some(ValueOrLambda::Lambda(lambda))) = (args.args.first(), args.args.get(1)) else {
            return plan_err!("{} takes a map and a lambda", self.name);
        };
        let map = map.to_array(rows)?;
        let map = map.as_map();
        let offsets = map.value_offsets();
        let (first, last) = (offsets[0] as usize, offsets[map.len()] as usize);
        let (keys, values) = (map.keys().slice(first, last - first), map.values().slice(first, last - first));
        let mut element_rows = Vec::with_capacity(last - first);
        for row in 0..map.len() {
            element_rows.extend(std::iter::repeat_n(row as u32, (offsets[row + 1] - offsets[row]) as usize));
        }
        let out = evaluate(lambda, &[Arc::clone(&keys), Arc::clone(&values)], &element_rows)?;
        if self.filters() {
            return filtered(map, &keys, &values, &out);
        }
        if self.keys() && out.null_count() > 0 {
            return datafusion::common::exec_err!("[NULL_MAP_KEY] a map key cannot be NULL");
        }
        let (keys, values): (ArrayRef, ArrayRef) = if self.keys() { (out, values) } else { (keys, out) };
        let DataType::Map(entries, sorted) = self.result_type(map.data_type(), if self.keys() { keys.data_type() } else { values.data_type() })? else {
            return plan_err!("{} makes a map", self.name);
        };
        let DataType::Struct(fields) = entries.data_type() else { return plan_err!("malformed map entries") };
        let rebased: Vec<i32> = offsets.iter().map(|o| o - offsets[0]).collect();
        let struct_array = StructArray::try_new(fields.clone(), vec![keys, values], None)?;
        let out = MapArray::try_new(entries, datafusion::arrow::buffer::OffsetBuffer::new(rebased.into()), struct_array, map.nulls().cloned(), sorted)?;
        Ok(ColumnarValue::Array(Arc::new(out)))
    }
}

/// The map with only the entries the predicate holds true for (NULL drops an entry too).
fn filtered(map: &MapArray, keys: &ArrayRef, values: &ArrayRef, keep: &ArrayRef) -> Result<ColumnarValue> {
    let Some(keep) = keep.as_any().downcast_ref::<datafusion::arrow::array::BooleanArray>() else {
        return plan_err!("map_filter takes a lambda that is true or false");
    };
    let offsets = map.value_offsets();
    let (mut lengths, mut picks) = (Vec::with_capacity(map.len()), Vec::new());
    for row in 0..map.len() {
        let (from, to) = ((offsets[row] - offsets[0]) as usize, (offsets[row + 1] - offsets[0]) as usize);
        let before = picks.len();
        picks.extend((from..to).filter(|&i| keep.is_valid(i) && keep.value(i)).map(|i| i as u32));
        lengths.push(picks.len() - before);
    }
    let picks = datafusion::arrow::array::UInt32Array::from(picks);
    let (keys, values) = (take(keys.as_ref(), &picks, None)?, take(values.as_ref(), &picks, None)?);
    let DataType::Map(entries, sorted) = map.data_type() else { return plan_err!("map_filter takes a map") };
    let DataType::Struct(fields) = entries.data_type() else { return plan_err!("malformed map entries") };
    let entries_array = StructArray::try_new(fields.clone(), vec![keys, values], None)?;
    let out = MapArray::try_new(
        Arc::clone(entries),
        datafusion::arrow::buffer::OffsetBuffer::from_lengths(lengths),
        entries_array,
        map.nulls().cloned(),
        *sorted,
    )?;
    Ok(ColumnarValue::Array(Arc::new(out)))
}
