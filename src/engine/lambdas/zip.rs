//! `zip_with(xs, ys, (x, y) -> ...)`: the lambda over the elements of two arrays side by side, the
//! shorter padded with NULLs (NULL when either array is); and `transform(xs, (x, i) -> ...)`, with
//! each element's 0-based index, which the HiveQL front end writes as `hivewire_transform_indexed`
//! (DataFusion's `array_transform` takes only the element).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, Int32Array, ListArray, UInt32Array};
use datafusion::arrow::buffer::{NullBuffer, OffsetBuffer};
use datafusion::arrow::compute::take;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{plan_err, Result};
use datafusion::logical_expr::{
    ColumnarValue, HigherOrderFunctionArgs, HigherOrderReturnFieldArgs, HigherOrderSignature, HigherOrderUDF, HigherOrderUDFImpl,
    LambdaParametersProgress, ValueOrLambda, Volatility,
};

use super::{as_list, element_field, evaluate, spans};

use crate::hiveql::function_names::TRANSFORM_INDEXED;

pub(super) fn functions() -> Vec<Arc<HigherOrderUDF>> {
    let value = || ValueOrLambda::Value(());
    let lambda = || ValueOrLambda::Lambda(());
    vec![
        Arc::new(HigherOrderUDF::from(Zip {
            name: "zip_with",
            signature: HigherOrderSignature::exact(vec![value(), value(), lambda()], Volatility::Immutable),
        })),
        Arc::new(HigherOrderUDF::from(Zip {
            name: TRANSFORM_INDEXED,
            signature: HigherOrderSignature::exact(vec![value(), lambda()], Volatility::Immutable),
        })),
    ]
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Zip {
    name: &'static str,
    signature: HigherOrderSignature,
}

impl Zip {
    fn indexed(&self) -> bool {
        self.name == TRANSFORM_INDEXED
    }
}

impl HigherOrderUDFImpl for Zip {
    name_and_signature!();

    fn coerce_value_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        Ok(arg_types.to_vec())
    }

    fn lambda_parameters(&self, _step: usize, fields: &[ValueOrLambda<FieldRef, Option<FieldRef>>]) -> Result<LambdaParametersProgress> {
        let lists: Vec<&FieldRef> = fields.iter().filter_map(|f| if let ValueOrLambda::Value(v) = f { Some(v) } else { None }).collect();
        let mut params: Vec<FieldRef> = Vec::with_capacity(2);
        for list in &lists {
            let element = element_field(list.data_type())?;
            params.push(Arc::new(Field::new("", element.data_type().clone(), true)));
        }
        if self.indexed() {
            params.push(Arc::new(Field::new("", DataType::Int32, false)));
        }
        Ok(LambdaParametersProgress::Complete(vec![params]))
    }

    fn return_field_from_args(&self, args: HigherOrderReturnFieldArgs) -> Result<FieldRef> {
        let Some(ValueOrLambda::Lambda(out)) = args.arg_fields.last() else {
            return plan_err!("{} takes arrays and a lambda", self.name);
        };
        let element = Arc::new(Field::new_list_field(out.data_type().clone(), true));
        Ok(Arc::new(Field::new("", DataType::List(element), true)))
    }

    fn invoke_with_args(&self, args: HigherOrderFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let mut lists = Vec::new();
        let mut lambda = None;
        for a in &args.args {
            match a {
                ValueOrLambda::Value(v) => lists.push(as_list(&v.to_array(rows)?)?),
                ValueOrLambda::Lambda(l) => lambda = Some(l),
            }
        }
        let Some(lambda) = lambda else { return plan_err!("{} takes a lambda", self.name) };
        let spans: Vec<Vec<Option<(usize, usize)>>> = lists.iter().map(spans).collect();
        // Each output element: its row, and where each input's element is (None past its end).
        let (mut element_rows, mut lengths) = (Vec::new(), Vec::with_capacity(rows));
        let mut picks: Vec<Vec<Option<u32>>> = vec![Vec::new(); lists.len()];
        let mut indices = Vec::new();
        let mut valid = Vec::with_capacity(rows);
        for row in 0..rows {
            let row_spans: Vec<Option<(usize, usize)>> = spans.iter().map(|s| s.get(row).copied().flatten()).collect();
            if row_spans.iter().any(Option::is_none) {
                lengths.push(0);
                valid.push(false);
                continue;
            }
            let n = row_spans.iter().map(|s| s.map_or(0, |(_, len)| len)).max().unwrap_or(0);
            for i in 0..n {
                element_rows.push(row as u32);
                indices.push(i as i32);
                for (k, s) in row_spans.iter().enumerate() {
                    picks[k].push(s.and_then(|(start, len)| (i < len).then(|| (start + i) as u32)));
                }
            }
            lengths.push(n);
            valid.push(true);
        }
        let mut params: Vec<ArrayRef> = Vec::with_capacity(lists.len() + 1);
        for (list, pick) in lists.iter().zip(&picks) {
            params.push(take(list.values().as_ref(), &UInt32Array::from(pick.clone()), None)?);
        }
        if self.indexed() {
            params.push(Arc::new(Int32Array::from(indices)));
        }
        let values = evaluate(lambda, &params, &element_rows)?;
        let field = Arc::new(Field::new_list_field(values.data_type().clone(), true));
        let out = ListArray::try_new(field, OffsetBuffer::from_lengths(lengths), values, Some(NullBuffer::from(valid)))?;
        Ok(ColumnarValue::Array(Arc::new(out)))
    }
}
