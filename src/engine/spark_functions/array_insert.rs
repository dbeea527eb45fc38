//! `array_insert(xs, pos, v)`: `xs` with `v` inserted at the 1-based position `pos`, as Spark 3.5
//! and later insert: a negative position counts from the end (-1 appends), a position past either
//! end pads with NULLs, and position 0 is an error.

use std::sync::Arc;

use datafusion::arrow::array::{make_array, Array, ArrayRef, AsArray, ListArray, MutableArrayData};
use datafusion::arrow::buffer::{NullBuffer, OffsetBuffer};
use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::common::{exec_err, plan_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, Volatility};

use super::SparkFunction;

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![SparkFunction::udf("array_insert", Signature::any(3, Volatility::Immutable), result_type, array_insert)]
}

fn result_type(args: &[DataType]) -> Result<DataType> {
    match &args[0] {
        t @ DataType::List(_) => Ok(t.clone()),
        DataType::Null => Ok(DataType::Null),
        other => plan_err!("[DATATYPE_MISMATCH] array_insert needs an array, not {other}"),
    }
}

/// Where the value goes in a list of `n` elements, 0-based; negative means before the first with
/// that many NULLs between.
fn index(pos: i64, n: i64) -> i64 {
    if pos > 0 {
        pos - 1
    } else {
        n + pos + 1
    }
}

fn array_insert(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let DataType::List(field) = args[0].data_type() else { return Ok(args[0].clone()) };
    let lists = args[0].as_list::<i32>();
    let positions = datafusion::arrow::compute::cast(&args[1], &DataType::Int64)?;
    let positions = positions.as_primitive::<Int64Type>();
    let values = datafusion::arrow::compute::cast(&args[2], field.data_type())?;
    let at = super::row_of;
    let rows = lists.len().max(positions.len()).max(values.len());
    let (items, value_data) = (lists.values().to_data(), values.to_data());
    let mut out = MutableArrayData::new(vec![&items, &value_data], true, rows);
    let mut offsets = vec![0i32];
    let mut valid = Vec::with_capacity(rows);
    let mut length = 0i64;
    for row in 0..rows {
        let (l, p, v) = (at(lists, row), at(positions, row), at(values.as_ref(), row));
        if lists.is_null(l) || positions.is_null(p) {
            valid.push(false);
            offsets.push(i32::try_from(length).unwrap_or(i32::MAX));
            continue;
        }
        let pos = positions.value(p);
        if pos == 0 {
            return exec_err!("[INVALID_INDEX_OF_ZERO] array_insert: the position must not be 0; positions count from 1");
        }
        let (start, end) = (lists.value_offsets()[l] as usize, lists.value_offsets()[l + 1] as usize);
        let n = (end - start) as i64;
        let i = index(pos, n);
        if i < 0 {
            out.try_extend(1, v, v + 1)?;
            out.try_extend_nulls(i.unsigned_abs() as usize)?;
            out.try_extend(0, start, end)?;
        } else if i >= n {
            out.try_extend(0, start, end)?;
            out.try_extend_nulls((i - n) as usize)?;
            out.try_extend(1, v, v + 1)?;
        } else {
            out.try_extend(0, start, start + i as usize)?;
            out.try_extend(1, v, v + 1)?;
            out.try_extend(0, start + i as usize, end)?;
        }
        length = i64::try_from(out.len()).unwrap_or(i64::MAX);
        valid.push(true);
        offsets.push(i32::try_from(length).unwrap_or(i32::MAX));
    }
    let values = make_array(out.freeze());
    let list = ListArray::try_new(field.clone(), OffsetBuffer::new(offsets.into()), values, Some(NullBuffer::from(valid)))?;
    Ok(Arc::new(list))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_from_one_and_from_the_end() {
        assert_eq!(index(3, 3), 2);
        assert_eq!(index(-1, 3), 3);
        assert_eq!(index(-2, 3), 2);
        assert_eq!(index(-5, 4), 0);
        assert_eq!(index(-6, 4), -1);
        assert_eq!(index(6, 4), 5);
    }
}
