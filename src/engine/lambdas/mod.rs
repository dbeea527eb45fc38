//! Spark's higher-order functions that DataFusion lacks: `zip_with`, `map_zip_with`,
//! `transform_keys`, `transform_values`, `transform` with the element's index,
//! `aggregate`/`reduce` and `array_sort` with a comparator. Each lays the elements of its arrays
//! or maps out as columns, evaluates the lambda over them once (the lambda's captured columns
//! repeated for each element of their row), and builds the result.

/// The trait methods every function here shares: the name and signature it holds.
macro_rules! name_and_signature {
    () => {
        fn name(&self) -> &str {
            self.name
        }

        fn signature(&self) -> &HigherOrderSignature {
            &self.signature
        }
    };
}

mod fold;
mod map_zip;
mod maps;
mod sort;
mod zip;

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray, UInt32Array};
use datafusion::arrow::compute::{cast, take_arrays};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{plan_err, Result};
use datafusion::logical_expr::{HigherOrderUDF, LambdaArgument};

pub(crate) use sort::ARRAY_SORT_BY;

/// Every function here, ready to register.
pub(crate) fn functions() -> Vec<Arc<HigherOrderUDF>> {
    let mut out = zip::functions();
    out.extend(maps::functions());
    out.extend(map_zip::functions());
    out.extend(sort::functions());
    out.extend(fold::functions());
    out
}

/// The lambda evaluated once over the parameter columns; `rows` gives, for each element, the row
/// whose captured columns it sees.
fn evaluate(lambda: &LambdaArgument, params: &[ArrayRef], rows: &[u32]) -> Result<ArrayRef> {
    let closures: Vec<Box<dyn Fn() -> Result<ArrayRef>>> = params
        .iter()
        .map(|p| {
            let p = Arc::clone(p);
            Box::new(move || Ok(Arc::clone(&p))) as Box<dyn Fn() -> Result<ArrayRef>>
        })
        .collect();
    let refs: Vec<&dyn Fn() -> Result<ArrayRef>> = closures.iter().map(|c| c.as_ref()).collect();
    let indices = UInt32Array::from(rows.to_vec());
    lambda.evaluate(&refs, |captures| Ok(take_arrays(captures, &indices, None)?))?.into_array(rows.len())
}

/// An array argument as a `List` (not large, not a view), or a NULL column of one.
fn as_list(a: &ArrayRef) -> Result<ListArray> {
    match a.data_type() {
        DataType::List(_) => Ok(a.as_list::<i32>().clone()),
        DataType::LargeList(f) | DataType::FixedSizeList(f, _) | DataType::ListView(f) | DataType::LargeListView(f) => {
            Ok(cast(a, &DataType::List(Arc::clone(f)))?.as_list::<i32>().clone())
        }
        DataType::Null => Ok(ListArray::new_null(Arc::new(Field::new_list_field(DataType::Null, true)), a.len())),
        other => plan_err!("an array was expected, not {other}"),
    }
}

/// The element field of an array type.
fn element_field(t: &DataType) -> Result<FieldRef> {
    match t {
        DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _) | DataType::ListView(f) | DataType::LargeListView(f) => {
            Ok(Arc::clone(f))
        }
        DataType::Null => Ok(Arc::new(Field::new_list_field(DataType::Null, true))),
        other => plan_err!("an array was expected, not {other}"),
    }
}

/// The (start, length) of each row's list, and whether the row is NULL.
fn spans(list: &ListArray) -> Vec<Option<(usize, usize)>> {
    let offsets = list.value_offsets();
    (0..list.len())
        .map(|i| list.is_valid(i).then(|| (offsets[i] as usize, (offsets[i + 1] - offsets[i]) as usize)))
        .collect()
}
