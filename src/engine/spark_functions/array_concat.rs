//! `concat` of arrays: Spark's `concat` joins arrays as it joins strings (`concat(array(1),
//! array(2, 3))` is `[1,2,3]`), and is NULL when any array is. DataFusion's `concat` takes text
//! only; this extension of it answers when every argument is an array.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray, UInt32Array};
use datafusion::arrow::buffer::{NullBuffer, OffsetBuffer};
use datafusion::arrow::compute::{cast, concat, take};
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{plan_err, Result};
use datafusion::logical_expr::ScalarUDF;

use super::wrapped::{wrap, Extension};

/// `concat`, taught arrays; None for another function.
pub(crate) fn array_aware(inner: Arc<ScalarUDF>) -> Option<ScalarUDF> {
    (inner.name() == "concat").then(|| wrap(inner, ArrayConcat))
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct ArrayConcat;

/// The element type the arrays share or widen to, or None when an argument is not an array (or
/// their elements have no common type).
fn element_type(types: &[DataType]) -> Option<DataType> {
    let mut element: Option<DataType> = None;
    for t in types {
        match t {
            DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _) => match &element {
                None | Some(DataType::Null) => element = Some(f.data_type().clone()),
                Some(e) if e == f.data_type() || f.data_type() == &DataType::Null => {}
                // Elements of different types take the type both widen to (INT and BIGINT: BIGINT).
                Some(e) => element = Some(datafusion::logical_expr::type_coercion::binary::type_union_resolution(&[e.clone(), f.data_type().clone()])?),
            },
            DataType::Null => {}
            _ => return None,
        }
    }
    element
}

impl Extension for ArrayConcat {
    fn claims(&self, types: &[DataType]) -> bool {
        !types.is_empty() && element_type(types).is_some()
    }

    fn coerce(&self, types: &[DataType]) -> Vec<DataType> {
        let element = element_type(types).unwrap_or(DataType::Null);
        vec![DataType::new_list(element, true); types.len()]
    }

    fn returns(&self, types: &[DataType]) -> Result<DataType> {
        match element_type(types) {
            Some(e) => Ok(DataType::new_list(e, true)),
            None => plan_err!("concat takes arrays or strings"),
        }
    }

    fn run(&self, args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        let rows = args.iter().map(|a| a.len()).max().unwrap_or(rows).max(1);
        let element = element_type(&args.iter().map(|a| a.data_type().clone()).collect::<Vec<_>>()).unwrap_or(DataType::Null);
        let lists: Vec<ListArray> =
            args.iter().map(|a| cast(a, &DataType::new_list(element.clone(), true)).map(|a| a.as_list::<i32>().clone())).collect::<std::result::Result<_, _>>()?;
        // All the elements side by side, each list's from where its values begin.
        let values: Vec<&dyn Array> = lists.iter().map(|l| l.values().as_ref()).collect();
        let joined = concat(&values)?;
        let bases: Vec<usize> = lists.iter().scan(0usize, |at, l| {
            let base = *at;
            *at += l.values().len();
            Some(base)
        }).collect();
        let (mut picks, mut lengths, mut valid) = (Vec::new(), Vec::with_capacity(rows), Vec::with_capacity(rows));
        for row in 0..rows {
            let at = |l: &ListArray| if l.len() == 1 { 0 } else { row };
            if lists.iter().any(|l| l.is_null(at(l))) {
                lengths.push(0);
                valid.push(false);
                continue;
            }
            let mut n = 0;
            for (l, base) in lists.iter().zip(&bases) {
                let offsets = l.value_offsets();
                let i = at(l);
                for k in offsets[i]..offsets[i + 1] {
                    picks.push((base + k as usize) as u32);
                    n += 1;
                }
            }
            lengths.push(n);
            valid.push(true);
        }
        let values = take(joined.as_ref(), &UInt32Array::from(picks), None)?;
        let field = Arc::new(Field::new_list_field(element, true));
        Ok(Arc::new(ListArray::try_new(field, OffsetBuffer::from_lengths(lengths), values, Some(NullBuffer::from(valid)))?))
    }
}
