//! String functions given numbers, booleans, dates or timestamps: Spark reads such arguments as
//! text (`length(12345)` is 5, `substr(order_date, 1, 7)` is `2020-01`, `10 RLIKE '^1'` is true),
//! where DataFusion's functions take strings only. Each wraps the session's function with no
//! extension of its own, so that the wrapper's fallback ([`super::wrapped`]) casts such arguments
//! to text, as Spark writes them, wherever the function refuses them.

use std::sync::Arc;

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{exec_err, Result};
use datafusion::logical_expr::ScalarUDF;

use super::wrapped::{wrap, Extension};

/// The functions wrapped here, by the names DataFusion registers them under (`ucase`, `instr`,
/// `rlike` and the like are aliases of these). Spark refuses numbers in `soundex` and in the hash
/// and base64 functions, which take bytes; those are left alone.
pub(crate) const WRAPPED: [&str; 25] = [
    "ascii",
    "bit_length",
    "btrim",
    "ltrim",
    "rtrim",
    "character_length",
    "initcap",
    "left",
    "right",
    "levenshtein",
    "lower",
    "upper",
    "octet_length",
    "overlay",
    "repeat",
    "replace",
    "reverse",
    "split_part",
    "strpos",
    "substr",
    "substring",
    "substr_index",
    "translate",
    "regexp_like",
    "find_in_set",
];

/// The string function `inner`, reading its atomic arguments as text.
pub(crate) fn text_aware(inner: Arc<ScalarUDF>) -> ScalarUDF {
    wrap(inner, AsText)
}

/// No extension: every argument type is the wrapped function's, read as text where it refuses it.
#[derive(Debug, PartialEq, Eq, Hash)]
struct AsText;

impl Extension for AsText {
    fn claims(&self, _types: &[DataType]) -> bool {
        false
    }

    fn coerce(&self, types: &[DataType]) -> Vec<DataType> {
        types.to_vec()
    }

    fn returns(&self, _types: &[DataType]) -> Result<DataType> {
        exec_err!("a text-argument wrapper claims no argument types")
    }

    fn run(&self, _args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
        exec_err!("a text-argument wrapper claims no argument types")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coerced(inner: Arc<ScalarUDF>, types: &[DataType]) -> Vec<DataType> {
        text_aware(inner).inner().coerce_types(types).unwrap()
    }

    #[test]
    fn atomic_arguments_are_read_as_text_where_the_function_refuses_them() {
        use datafusion::functions::{string, unicode};
        assert_eq!(coerced(string::upper(), &[DataType::Int64]), vec![DataType::Utf8]);
        let length = coerced(unicode::character_length(), &[DataType::Date32]);
        assert!(matches!(length.as_slice(), [DataType::Utf8 | DataType::Utf8View]), "{length:?}");
        // A count stays a number.
        assert_eq!(coerced(string::repeat(), &[DataType::Int64, DataType::Int64]), vec![DataType::Utf8, DataType::Int64]);
        // Text is left as it is.
        assert_eq!(coerced(string::upper(), &[DataType::Utf8View]), vec![DataType::Utf8View]);
    }
}
