//! Options given to Spark's CSV and JSON functions as `map('key', 'value', ...)`: the map's type
//! is checked when the call is planned, as Spark checks it, and its entries are read as text.

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{plan_err, Result};

/// Checks the type of a function's options argument: a map of strings, as Spark requires.
pub(super) fn check_type(function: &str, t: &DataType) -> Result<()> {
    match t {
        DataType::Null => Ok(()),
        DataType::Map(entries, _) => match entries.data_type() {
            DataType::Struct(kv) if kv.iter().all(|f| matches!(f.data_type(), DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null)) => Ok(()),
            _ => plan_err!("[INVALID_OPTIONS.NON_STRING_TYPE] {function}'s options must be a map of strings to strings, not {t}"),
        },
        _ => plan_err!("[INVALID_OPTIONS.NON_MAP_FUNCTION] {function}'s options must be given with map(), not {t}"),
    }
}

/// The (key, value) entries of the options map, in the first row (the map is a constant); none
/// where there is no map or it is NULL.
pub(super) fn entries(options: Option<&ArrayRef>) -> Result<Vec<(String, String)>> {
    let Some(map) = options else { return Ok(vec![]) };
    let DataType::Map(..) = map.data_type() else { return Ok(vec![]) };
    let map = map.as_map();
    if map.is_empty() || map.is_null(0) {
        return Ok(vec![]);
    }
    let (keys, values) = (cast(map.keys(), &DataType::Utf8)?, cast(map.values(), &DataType::Utf8)?);
    let (keys, values) = (keys.as_string::<i32>(), values.as_string::<i32>());
    let offsets = map.value_offsets();
    Ok((offsets[0] as usize..offsets[1] as usize)
        .filter(|&i| keys.is_valid(i) && values.is_valid(i))
        .map(|i| (keys.value(i).to_string(), values.value(i).to_string()))
        .collect())
}
