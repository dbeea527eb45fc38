//! `x[i]` and `element_at(x, i)` as Spark reads them. A subscript numbers an array's elements from
//! 0 (NULL past either end); `element_at` from 1, and from the end when negative. Both look a map's
//! value up by key. The HiveQL front end writes them as `hivewire_subscript(x, i)` and
//! `hivewire_element_at(x, i)`; once the planner knows `x`'s type, the call simplifies to
//! DataFusion's own element access. A struct's field is read by its name as a subscript
//! (`s['price']`), regardless of case as Spark reads field names.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{exec_err, plan_err, Result, ScalarValue};
use datafusion::logical_expr::simplify::{ExprSimplifyResult, SimplifyContext};
use datafusion::logical_expr::{
    lit, when, ColumnarValue, Expr, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

/// The functions' names, as the front end writes them.
pub const SUBSCRIPT: &str = "hivewire_subscript";
pub const ELEMENT_AT: &str = "hivewire_element_at";
/// Their forms under ANSI rules, where an index past either end of an array is an error.
pub const SUBSCRIPT_ANSI: &str = "hivewire_subscript_ansi";
pub const ELEMENT_AT_ANSI: &str = "hivewire_element_at_ansi";
/// The check the ANSI forms (and element_at's index 0) simplify to; see [`checked_index`].
const CHECKED_INDEX: &str = "hivewire_checked_index";

#[derive(Debug, PartialEq, Eq, Hash)]
struct Subscript {
    name: &'static str,
    signature: Signature,
}

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    [SUBSCRIPT, ELEMENT_AT, SUBSCRIPT_ANSI, ELEMENT_AT_ANSI]
        .into_iter()
        .map(|name| Arc::new(ScalarUDF::from(Subscript { name, signature: Signature::any(2, Volatility::Immutable) })))
        .chain(std::iter::once(checked_index_udf()))
        .collect()
}

fn element_type(container: &DataType) -> Result<DataType> {
    match container {
        DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _) => Ok(f.data_type().clone()),
        DataType::Map(entries, _) => match entries.data_type() {
            DataType::Struct(kv) if kv.len() == 2 => Ok(kv[1].data_type().clone()),
            other => plan_err!("malformed map entries {other}"),
        },
        DataType::Null => Ok(DataType::Null),
        other => plan_err!("[DATATYPE_MISMATCH] a subscript needs an array or a map, not {other}"),
    }
}

/// The field of a struct that a subscript's constant names.
fn struct_field<'a>(container: &'a DataType, key: Option<&ScalarValue>) -> Result<&'a datafusion::arrow::datatypes::Field> {
    let name = match key {
        Some(ScalarValue::Utf8(Some(n)) | ScalarValue::LargeUtf8(Some(n)) | ScalarValue::Utf8View(Some(n))) => n,
        _ => return plan_err!("[DATATYPE_MISMATCH] a struct's field must be named by a constant string"),
    };
    match crate::engine::struct_fields::resolve(container, name) {
        Some(f) => Ok(f),
        None => plan_err!("[FIELD_NOT_FOUND] No such struct field `{name}` in {container}"),
    }
}

fn call(name: &str, args: Vec<Expr>) -> Result<Expr> {
    let f = match name {
        "array_element" => datafusion::functions_nested::extract::array_element_udf(),
        _ => datafusion::functions_nested::map_extract::map_extract_udf(),
    };
    Ok(f.call(args))
}

impl ScalarUDFImpl for Subscript {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        element_type(&args[0])
    }

    fn return_field_from_args(&self, args: datafusion::logical_expr::ReturnFieldArgs) -> Result<datafusion::arrow::datatypes::FieldRef> {
        let container = args.arg_fields[0].data_type();
        let t = match container {
            DataType::Struct(_) => struct_field(container, args.scalar_arguments.get(1).copied().flatten())?.data_type().clone(),
            other => element_type(other)?,
        };
        Ok(Arc::new(datafusion::arrow::datatypes::Field::new(self.name, t, true)))
    }

    fn simplify(&self, mut args: Vec<Expr>, info: &SimplifyContext) -> Result<ExprSimplifyResult> {
        let index = args.remove(1);
        let container = args.remove(0);
        let replaced = match info.get_data_type(&container)? {
            t @ DataType::Struct(_) => {
                let name = match &index {
                    Expr::Literal(v, _) => struct_field(&t, Some(v))?.name().clone(),
                    _ => return plan_err!("[DATATYPE_MISMATCH] a struct's field must be named by a constant"),
                };
                datafusion::functions::core::expr_fn::get_field(container, name)
            }
            DataType::Map(..) => call("array_element", vec![call("map_extract", vec![container, index])?, lit(1i64)])?,
            DataType::Null => lit(ScalarValue::Null),
            // DataFusion's array_element counts from 1, and from the end when negative: as
            // element_at does. Index 0 is an error in both modes, as in Spark.
            _ if self.name == ELEMENT_AT || self.name == ELEMENT_AT_ANSI => {
                let mode = if self.name == ELEMENT_AT { Mode::ElementAt } else { Mode::ElementAtAnsi };
                call("array_element", vec![container.clone(), checked_index(container, index, mode)])?
            }
            _ if self.name == SUBSCRIPT_ANSI => call("array_element", vec![container.clone(), checked_index(container, index, Mode::Subscript)])?,
            _ => {
                let index = Expr::Cast(datafusion::logical_expr::Cast::new(Box::new(index), DataType::Int64));
                let one_based = when(index.clone().lt(lit(0i64)), lit(ScalarValue::Int64(None))).otherwise(index + lit(1i64))?;
                call("array_element", vec![container, one_based])?
            }
        };
        Ok(ExprSimplifyResult::Simplified(replaced))
    }

    fn invoke_with_args(&self, _args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        exec_err!("{} is rewritten before it runs", self.name)
    }
}

/// Which index rules [`checked_index`] applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `x[i]` under ANSI rules: from 0, and an index outside the array is an error.
    Subscript,
    /// `element_at` without ANSI rules: from 1 (or -1 from the end); 0 is an error, an index past
    /// either end gives NULL.
    ElementAt,
    /// `element_at` under ANSI rules: also an index past either end is an error.
    ElementAtAnsi,
}

impl Mode {
    fn code(self) -> i64 {
        match self {
            Mode::Subscript => 0,
            Mode::ElementAt => 1,
            Mode::ElementAtAnsi => 2,
        }
    }

    fn from_code(code: i64) -> Option<Mode> {
        [Mode::Subscript, Mode::ElementAt, Mode::ElementAtAnsi].into_iter().find(|m| m.code() == code)
    }
}

/// `hivewire_checked_index(array, i, mode)`: the 1-based index array_element takes for `i`, or an
/// error where Spark raises one.
fn checked_index(container: Expr, index: Expr, mode: Mode) -> Expr {
    let index = Expr::Cast(datafusion::logical_expr::Cast::new(Box::new(index), DataType::Int64));
    checked_index_udf().call(vec![container, index, lit(mode.code())])
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct CheckedIndex {
    signature: Signature,
}

fn checked_index_udf() -> Arc<ScalarUDF> {
    // Volatile, so that a constant out-of-range index fails when the query runs, not when it is
    // planned (as in Spark), and so that the error is never folded away.
    Arc::new(ScalarUDF::from(CheckedIndex { signature: Signature::any(3, Volatility::Volatile) }))
}

/// Each row's array length, or None for a NULL array.
fn lengths(array: &datafusion::arrow::array::ArrayRef) -> Result<Vec<Option<i64>>> {
    use datafusion::arrow::array::{Array, AsArray};
    let valid = |i: usize| array.is_valid(i);
    Ok(match array.data_type() {
        DataType::List(_) => {
            let l = array.as_list::<i32>();
            (0..l.len()).map(|i| valid(i).then(|| i64::from(l.value_length(i)))).collect()
        }
        DataType::LargeList(_) => {
            let l = array.as_list::<i64>();
            (0..l.len()).map(|i| valid(i).then(|| l.value_length(i))).collect()
        }
        DataType::FixedSizeList(_, n) => (0..array.len()).map(|i| valid(i).then_some(i64::from(*n))).collect(),
        DataType::Null => vec![None; array.len()],
        other => return exec_err!("{CHECKED_INDEX} needs an array, not {other}"),
    })
}

/// The 1-based index for `i`, or the error Spark raises for it.
fn check(i: i64, length: i64, mode: Mode) -> Result<Option<i64>> {
    let error = |class: &str, hint: &str| {
        Err(datafusion::error::DataFusionError::External(Box::new(
            hivewire_backend::BackendError::new(
                hivewire_backend::ErrorKind::DataException,
                format!("[{class}] The index {i} is out of bounds: the array has {length} elements. {hint}"),
            )
            .with_sqlstate("22003"),
        )))
    };
    match mode {
        Mode::Subscript if (0..length).contains(&i) => Ok(Some(i + 1)),
        Mode::Subscript => error("INVALID_ARRAY_INDEX", "get() gives NULL for such an index instead."),
        _ if i == 0 => Err(datafusion::error::DataFusionError::External(Box::new(
            hivewire_backend::BackendError::new(
                hivewire_backend::ErrorKind::DataException,
                "[INVALID_INDEX_OF_ZERO] element_at counts from 1, or from -1 at the end: the index 0 is invalid.",
            )
            .with_sqlstate("22003"),
        ))),
        Mode::ElementAtAnsi if i.unsigned_abs() > length.unsigned_abs() => {
            error("INVALID_ARRAY_INDEX_IN_ELEMENT_AT", "try_element_at() gives NULL for such an index instead.")
        }
        _ => Ok(Some(i)),
    }
}

impl ScalarUDFImpl for CheckedIndex {
    fn name(&self) -> &str {
        CHECKED_INDEX
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Int64)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        use datafusion::arrow::array::{Array, AsArray, Int64Array};
        use datafusion::arrow::datatypes::Int64Type;
        let rows = args.number_rows;
        let [container, index, mode] = args.args.as_slice() else { return exec_err!("{CHECKED_INDEX} takes three arguments") };
        let Some(mode) = (match mode {
            ColumnarValue::Scalar(ScalarValue::Int64(Some(code))) => Mode::from_code(*code),
            _ => None,
        }) else {
            return exec_err!("{CHECKED_INDEX} takes a constant mode");
        };
        let lengths = lengths(&container.to_array(rows)?)?;
        let index = index.to_array(rows)?;
        let index = datafusion::arrow::compute::cast(&index, &DataType::Int64)?;
        let index = index.as_primitive::<Int64Type>();
        let out = (0..rows)
            .map(|row| match (lengths[row], index.is_valid(row)) {
                (Some(length), true) => check(index.value(row), length, mode),
                _ => Ok(None),
            })
            .collect::<Result<Int64Array>>()?;
        Ok(ColumnarValue::Array(Arc::new(out)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_past_either_end_fail_only_where_spark_fails() {
        assert_eq!(check(0, 3, Mode::Subscript).unwrap(), Some(1));
        assert!(check(3, 3, Mode::Subscript).unwrap_err().to_string().contains("INVALID_ARRAY_INDEX"));
        assert!(check(-1, 3, Mode::Subscript).is_err());
        assert_eq!(check(-3, 3, Mode::ElementAtAnsi).unwrap(), Some(-3));
        assert!(check(5, 3, Mode::ElementAtAnsi).unwrap_err().to_string().contains("INVALID_ARRAY_INDEX_IN_ELEMENT_AT"));
        assert_eq!(check(5, 3, Mode::ElementAt).unwrap(), Some(5));
        assert!(check(0, 3, Mode::ElementAt).unwrap_err().to_string().contains("INVALID_INDEX_OF_ZERO"));
    }
}
