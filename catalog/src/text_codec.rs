//! Nested values in Hive text files: `ARRAY`, `MAP` and `STRUCT` columns written with Hive's
//! separators (`\002` between items and struct fields, `\003` between a map key and its value,
//! `\004` and on for deeper levels), and read back from that form.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringArray};
use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::common::{Result, ScalarValue};

/// Whether values of this type are written with nesting separators.
pub fn is_nested(dt: &DataType) -> bool {
    matches!(dt, DataType::List(_) | DataType::LargeList(_) | DataType::Map(_, _) | DataType::Struct(_))
}

/// One column of nested values as Hive text; NULLs stay NULL.
pub fn encode(array: &ArrayRef, seps: &[u8], null: &str) -> Result<ArrayRef> {
    let out: StringArray = (0..array.len())
        .map(|i| if array.is_null(i) { Ok(None) } else { encode_value(array, i, 0, seps, null).map(Some) })
        .collect::<Result<_>>()?;
    Ok(Arc::new(out))
}

fn sep(seps: &[u8], level: usize) -> char {
    seps.get(level).copied().unwrap_or(b'\x08') as char
}

fn encode_value(array: &ArrayRef, i: usize, level: usize, seps: &[u8], null: &str) -> Result<String> {
    if array.is_null(i) {
        return Ok(null.to_string());
    }
    match array.data_type() {
        DataType::List(_) => {
            let items = array.as_list::<i32>().value(i);
            join(&items, level, seps, null)
        }
        DataType::LargeList(_) => {
            let items = array.as_list::<i64>().value(i);
            join(&items, level, seps, null)
        }
        DataType::Map(_, _) => {
            let entries = array.as_map().value(i);
            let (keys, values) = (entries.column(0), entries.column(1));
            let mut parts = Vec::with_capacity(entries.len());
            for j in 0..entries.len() {
                let k = encode_value(keys, j, level + 2, seps, null)?;
                let v = encode_value(values, j, level + 2, seps, null)?;
                parts.push(format!("{k}{}{v}", sep(seps, level + 1)));
            }
            Ok(parts.join(&sep(seps, level).to_string()))
        }
        DataType::Struct(_) => {
            let s = array.as_struct();
            let parts = s
                .columns()
                .iter()
                .map(|c| encode_value(c, i, level + 1, seps, null))
                .collect::<Result<Vec<_>>>()?;
            Ok(parts.join(&sep(seps, level).to_string()))
        }
        _ => {
            let text = datafusion::arrow::compute::cast(&array.slice(i, 1), &DataType::Utf8)?;
            Ok(text.as_string::<i32>().value(0).to_string())
        }
    }
}

fn join(items: &ArrayRef, level: usize, seps: &[u8], null: &str) -> Result<String> {
    let parts = (0..items.len()).map(|j| encode_value(items, j, level + 1, seps, null)).collect::<Result<Vec<_>>>()?;
    Ok(parts.join(&sep(seps, level).to_string()))
}

/// A column of Hive text into nested values of `target`. A part that does not parse as its type
/// is NULL, as in Hive.
pub fn decode(text: &StringArray, target: &DataType, seps: &[u8], null: Option<&str>) -> Result<ArrayRef> {
    let values = (0..text.len())
        .map(|i| {
            if text.is_null(i) {
                ScalarValue::try_from(target)
            } else {
                decode_value(text.value(i), target, 0, seps, null)
            }
        })
        .collect::<Result<Vec<_>>>()?;
    if values.is_empty() {
        return Ok(datafusion::arrow::array::new_empty_array(target));
    }
    // Built values name their list items `item`; the column's type may name them otherwise.
    let array = ScalarValue::iter_to_array(values)?;
    if array.data_type() == target {
        return Ok(array);
    }
    Ok(datafusion::arrow::compute::cast(&array, target)?)
}

fn decode_value(text: &str, dt: &DataType, level: usize, seps: &[u8], null: Option<&str>) -> Result<ScalarValue> {
    if null == Some(text) {
        return ScalarValue::try_from(dt);
    }
    match dt {
        DataType::List(f) => {
            let items = split(text, sep(seps, level))
                .map(|p| decode_value(p, f.data_type(), level + 1, seps, null))
                .collect::<Result<Vec<_>>>()?;
            Ok(ScalarValue::List(ScalarValue::new_list_nullable(&items, f.data_type())))
        }
        DataType::Map(entries, sorted) => {
            let DataType::Struct(kv) = entries.data_type() else { return ScalarValue::try_from(dt) };
            let (kf, vf): (&FieldRef, &FieldRef) = (&kv[0], &kv[1]);
            let mut keys = Vec::new();
            let mut vals = Vec::new();
            for entry in split(text, sep(seps, level)) {
                let (k, v) = entry.split_once(sep(seps, level + 1)).unwrap_or((entry, ""));
                keys.push(decode_value(k, kf.data_type(), level + 2, seps, null)?);
                vals.push(decode_value(v, vf.data_type(), level + 2, seps, null)?);
            }
            let keys = typed(keys, kf.data_type())?;
            let vals = typed(vals, vf.data_type())?;
            let struct_array = datafusion::arrow::array::StructArray::try_new(kv.clone(), vec![keys, vals], None)?;
            let offsets = datafusion::arrow::buffer::OffsetBuffer::from_lengths([struct_array.len()]);
            let map = datafusion::arrow::array::MapArray::try_new(entries.clone(), offsets, struct_array, None, *sorted)?;
            Ok(ScalarValue::Map(Arc::new(map)))
        }
        DataType::Struct(fields) => {
            let mut parts = split(text, sep(seps, level));
            let mut columns: Vec<ArrayRef> = Vec::with_capacity(fields.len());
            for f in fields.iter() {
                let v = decode_value(parts.next().unwrap_or(""), f.data_type(), level + 1, seps, null)?;
                columns.push(typed(vec![v], f.data_type())?);
            }
            let s = datafusion::arrow::array::StructArray::try_new(fields.clone(), columns, None)?;
            Ok(ScalarValue::Struct(Arc::new(s)))
        }
        other => {
            let t = ScalarValue::Utf8(Some(text.to_string()));
            Ok(t.cast_to(other).unwrap_or(ScalarValue::try_from(other)?))
        }
    }
}

/// Values as an array of exactly `dt` (built lists name their items `item`; `dt` may not).
fn typed(values: Vec<ScalarValue>, dt: &DataType) -> Result<ArrayRef> {
    if values.is_empty() {
        return Ok(datafusion::arrow::array::new_empty_array(dt));
    }
    let array = ScalarValue::iter_to_array(values)?;
    if array.data_type() == dt {
        return Ok(array);
    }
    Ok(datafusion::arrow::compute::cast(&array, dt)?)
}

/// Splits on a separator; an empty text has no parts.
fn split(text: &str, sep: char) -> Box<dyn Iterator<Item = &str> + '_> {
    if text.is_empty() {
        Box::new(std::iter::empty())
    } else {
        Box::new(text.split(sep))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::datatypes::{Field, Fields};

    #[test]
    fn nested_values_round_trip() {
        let seps = [2u8, 3, 4, 5];
        let list = DataType::List(Arc::new(Field::new_list_field(DataType::Int32, true)));
        let st = DataType::Struct(Fields::from(vec![Field::new("a", DataType::Int32, true), Field::new("b", list.clone(), true)]));
        let text = StringArray::from(vec![Some("1\u{2}7\u{3}8"), None, Some("\\N\u{2}")]);
        let decoded = decode(&text, &st, &seps, Some("\\N")).unwrap();
        assert_eq!(decoded.len(), 3);
        assert!(decoded.is_null(1));
        let again = encode(&decoded, &seps, "\\N").unwrap();
        let again = again.as_string::<i32>();
        assert_eq!(again.value(0), "1\u{2}7\u{3}8");
        assert!(again.is_null(1));
        assert_eq!(again.value(2), "\\N\u{2}");
    }
}

/// The reading side as a function the scan applies: Hive text to a nested column type.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct DecodeNested {
    target: DataType,
    seps: Vec<u8>,
    null: Option<String>,
    signature: datafusion::logical_expr::Signature,
}

impl DecodeNested {
    /// Decodes into `target` with these separators and NULL marker.
    pub fn udf(target: DataType, seps: Vec<u8>, null: Option<String>) -> datafusion::logical_expr::ScalarUDF {
        let signature =
            datafusion::logical_expr::Signature::exact(vec![DataType::Utf8], datafusion::logical_expr::Volatility::Immutable);
        datafusion::logical_expr::ScalarUDF::from(DecodeNested { target, seps, null, signature })
    }
}

impl datafusion::logical_expr::ScalarUDFImpl for DecodeNested {
    fn name(&self) -> &str {
        "hive_text_decode"
    }
    fn signature(&self) -> &datafusion::logical_expr::Signature {
        &self.signature
    }
    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(self.target.clone())
    }
    fn invoke_with_args(
        &self,
        args: datafusion::logical_expr::ScalarFunctionArgs,
    ) -> Result<datafusion::logical_expr::ColumnarValue> {
        let arrays = datafusion::logical_expr::ColumnarValue::values_to_arrays(&args.args)?;
        let text = arrays[0].as_string::<i32>();
        Ok(datafusion::logical_expr::ColumnarValue::Array(decode(text, &self.target, &self.seps, self.null.as_deref())?))
    }
}
