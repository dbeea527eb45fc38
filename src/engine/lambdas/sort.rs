//! `array_sort(xs, (a, b) -> ...)`: the array sorted by a comparator lambda, which answers a
//! negative number, zero or a positive number as `a` goes before, beside or after `b`. The sort
//! is stable, as Java's object sort is; a NULL from the comparator is an error, as in Spark. The
//! HiveQL front end calls it `hivewire_array_sort_by`, since DataFusion's `array_sort` takes no
//! lambda.
//!
//! The comparator is evaluated once over every ordered pair of a row's elements, as one batch, so
//! that the sort only looks its answers up; rows whose pairs would not fit a batch
//! ([`PAIRS_PER_BATCH`]) are compared pair by pair as the sort asks.

use std::cmp::Ordering;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray, UInt32Array};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::compute::{cast, take};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Int64Type};
use datafusion::common::{exec_err, plan_err, DataFusionError, Result};
use datafusion::logical_expr::{
    ColumnarValue, HigherOrderFunctionArgs, HigherOrderReturnFieldArgs, HigherOrderSignature, HigherOrderUDF, HigherOrderUDFImpl,
    LambdaArgument, LambdaParametersProgress, ValueOrLambda, Volatility,
};

use super::{as_list, element_field, evaluate, spans};

/// The name the front end writes `array_sort` with a comparator as.
pub const ARRAY_SORT_BY: &str = "hivewire_array_sort_by";

/// The most element pairs compared in one evaluation of the comparator.
const PAIRS_PER_BATCH: usize = 1 << 22;

pub(super) fn functions() -> Vec<Arc<HigherOrderUDF>> {
    let signature = HigherOrderSignature::exact(vec![ValueOrLambda::Value(()), ValueOrLambda::Lambda(())], Volatility::Immutable);
    vec![Arc::new(HigherOrderUDF::from(SortBy { name: ARRAY_SORT_BY, signature }))]
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct SortBy {
    name: &'static str,
    signature: HigherOrderSignature,
}

impl HigherOrderUDFImpl for SortBy {
    name_and_signature!();

    fn coerce_value_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        Ok(arg_types.to_vec())
    }

    fn lambda_parameters(&self, _step: usize, fields: &[ValueOrLambda<FieldRef, Option<FieldRef>>]) -> Result<LambdaParametersProgress> {
        let Some(ValueOrLambda::Value(list)) = fields.first() else { return plan_err!("array_sort takes an array and a lambda") };
        let element = element_field(list.data_type())?;
        let param = Arc::new(Field::new("", element.data_type().clone(), true));
        Ok(LambdaParametersProgress::Complete(vec![vec![Arc::clone(&param), param]]))
    }

    fn return_field_from_args(&self, args: HigherOrderReturnFieldArgs) -> Result<FieldRef> {
        let (Some(ValueOrLambda::Value(list)), Some(ValueOrLambda::Lambda(out))) = (args.arg_fields.first(), args.arg_fields.get(1)) else {
            return plan_err!("array_sort takes an array and a lambda");
        };
        if !out.data_type().is_integer() && !out.data_type().is_null() {
            return plan_err!("[DATATYPE_MISMATCH.UNEXPECTED_RETURN_TYPE] array_sort's comparator must return an INT, not {}", out.data_type());
        }
        Ok(Arc::new(Field::new("", list.data_type().clone(), true)))
    }

    fn invoke_with_args(&self, args: HigherOrderFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let (Some(ValueOrLambda::Value(list)), Some(ValueOrLambda::Lambda(lambda))) = (args.args.first(), args.args.get(1)) else {
            return plan_err!("array_sort takes an array and a lambda");
        };
        let list = as_list(&list.to_array(rows)?)?;
        let values = list.values();
        let mut order: Vec<u32> = Vec::with_capacity(values.len());
        let mut lengths = Vec::with_capacity(rows);
        for (row, span) in spans(&list).into_iter().enumerate() {
            let Some((start, len)) = span else {
                lengths.push(0);
                continue;
            };
            let sorted = if len.saturating_mul(len) <= PAIRS_PER_BATCH {
                sort_by_table(lambda, values, row, start, len)?
            } else {
                sort_pair_by_pair(lambda, values, row, start, len)?
            };
            order.extend(sorted);
            lengths.push(len);
        }
        let sorted = take(values.as_ref(), &UInt32Array::from(order), None)?;
        let field = Arc::new(Field::new_list_field(sorted.data_type().clone(), true));
        let out = ListArray::try_new(field, OffsetBuffer::from_lengths(lengths), sorted, list.nulls().cloned())?;
        let out: ArrayRef = Arc::new(out);
        Ok(ColumnarValue::Array(cast(&out, list.data_type())?))
    }
}

/// The comparator over the given (left, right) element indices, as signs.
fn compare(lambda: &LambdaArgument, values: &ArrayRef, row: usize, pairs: &[(u32, u32)]) -> Result<Vec<Ordering>> {
    let left = take(values.as_ref(), &UInt32Array::from(pairs.iter().map(|p| p.0).collect::<Vec<_>>()), None)?;
    let right = take(values.as_ref(), &UInt32Array::from(pairs.iter().map(|p| p.1).collect::<Vec<_>>()), None)?;
    let answers = evaluate(lambda, &[left, right], &vec![row as u32; pairs.len()])?;
    let answers = cast(&answers, &DataType::Int64)?;
    let answers = answers.as_primitive::<Int64Type>();
    if answers.null_count() > 0 {
        return exec_err!("[COMPARATOR_RETURNS_NULL] The comparator has returned a NULL for a comparison between two elements of array_sort");
    }
    Ok(answers.values().iter().map(|v| v.cmp(&0)).collect())
}

/// One row's order from every pair's answer, worked out in one evaluation.
fn sort_by_table(lambda: &LambdaArgument, values: &ArrayRef, row: usize, start: usize, len: usize) -> Result<Vec<u32>> {
    let pairs: Vec<(u32, u32)> = (0..len).flat_map(|i| (0..len).map(move |j| ((start + i) as u32, (start + j) as u32))).collect();
    let table = if pairs.is_empty() { Vec::new() } else { compare(lambda, values, row, &pairs)? };
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|a, b| table[a * len + b]);
    Ok(order.into_iter().map(|i| (start + i) as u32).collect())
}

/// One row's order, asking the comparator one pair at a time.
fn sort_pair_by_pair(lambda: &LambdaArgument, values: &ArrayRef, row: usize, start: usize, len: usize) -> Result<Vec<u32>> {
    let mut failure: Option<DataFusionError> = None;
    let mut order: Vec<u32> = (start as u32..(start + len) as u32).collect();
    order.sort_by(|a, b| {
        if failure.is_some() {
            return Ordering::Equal;
        }
        match compare(lambda, values, row, &[(*a, *b)]) {
            Ok(answer) => answer.first().copied().unwrap_or(Ordering::Equal),
            Err(e) => {
                failure = Some(e);
                Ordering::Equal
            }
        }
    });
    match failure {
        Some(e) => Err(e),
        None => Ok(order),
    }
}
