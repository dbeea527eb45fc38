//! `array_contains(xs, v)` with Spark's three-valued answer: true when `v` is an element, NULL
//! when it is not but some element is NULL (the NULL might have been `v`), false otherwise, and
//! NULL for a NULL `v`. DataFusion's `array_has`, which Spark's name otherwise reaches, answers
//! false where Spark answers NULL. `array_has` is wrapped ([`super::adjusted`]) and its answer
//! corrected.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF};

use super::columnar;

/// The adjustment: Spark's NULLs.
#[derive(Debug, PartialEq, Eq, Hash)]
struct ThreeValued;

/// Spark's `array_contains` over DataFusion's `array_has` (`inner`).
pub(crate) fn spark_array_contains(inner: Arc<ScalarUDF>) -> ScalarUDF {
    super::adjusted::adjust(inner, ThreeValued)
}

/// Whether the list at `row` holds a NULL element.
fn holds_null(list: &ArrayRef, row: usize) -> bool {
    let items = match list.data_type() {
        DataType::List(_) => list.as_list::<i32>().value(row),
        DataType::LargeList(_) => list.as_list::<i64>().value(row),
        DataType::FixedSizeList(..) => list.as_fixed_size_list().value(row),
        _ => return false,
    };
    items.null_count() > 0
}

impl super::adjusted::Adjustment for ThreeValued {
    fn name(&self) -> Option<&'static str> {
        Some("array_contains")
    }

    fn invoke(&self, inner: &ScalarUDF, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let scalar = args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)));
        let inputs = ColumnarValue::values_to_arrays(&args.args)?;
        let found = inner.invoke_with_args(args)?.into_array(rows)?;
        let found = found.as_boolean();
        let (lists, values) = (&inputs[0], &inputs[1]);
        let at = |a: &ArrayRef, row: usize| if a.len() == 1 { 0 } else { row };
        let answer: BooleanArray = (0..rows)
            .map(|row| {
                let (l, v) = (at(lists, row), at(values, row));
                if lists.is_null(l) || values.is_null(v) || found.is_null(row) {
                    return None;
                }
                match found.value(row) {
                    true => Some(true),
                    false if holds_null(lists, l) => None,
                    false => Some(false),
                }
            })
            .collect();
        columnar(Arc::new(answer), scalar)
    }
}
