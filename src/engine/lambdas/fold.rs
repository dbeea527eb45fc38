//! `aggregate(xs, zero, (acc, x) -> ..., [acc -> ...])`, also called `reduce`: the merge lambda
//! folds each array's elements into an accumulator that starts at `zero`, and the optional finish
//! lambda maps the result. The accumulator has the merge lambda's type, to which `zero` is cast; a
//! NULL array gives NULL. The elements at one position of every array are folded at once.

use std::sync::Arc;

use datafusion::arrow::array::{new_null_array, Array, ArrayRef, UInt32Array};
use datafusion::arrow::compute::{cast, interleave, take};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{plan_err, Result};
use datafusion::logical_expr::{
    ColumnarValue, HigherOrderFunctionArgs, HigherOrderReturnFieldArgs, HigherOrderSignature, HigherOrderTypeSignature, HigherOrderUDF,
    HigherOrderUDFImpl, LambdaParametersProgress, ValueOrLambda, Volatility,
};

use super::{as_list, element_field, evaluate, spans};

pub(super) fn functions() -> Vec<Arc<HigherOrderUDF>> {
    ["aggregate", "reduce"]
        .into_iter()
        .map(|name| {
            // Three or four arguments; coerce_value_types checks their kinds.
            let signature = HigherOrderSignature::new(HigherOrderTypeSignature::UserDefined, Volatility::Immutable);
            Arc::new(HigherOrderUDF::from(Fold { name, signature }))
        })
        .collect()
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Fold {
    name: &'static str,
    signature: HigherOrderSignature,
}

impl HigherOrderUDFImpl for Fold {
    name_and_signature!();

    fn coerce_value_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        if arg_types.len() != 2 {
            return plan_err!("{} takes an array and a start value, then a merge lambda and an optional finish lambda", self.name);
        }
        Ok(arg_types.to_vec())
    }

    fn lambda_parameters(&self, _step: usize, fields: &[ValueOrLambda<FieldRef, Option<FieldRef>>]) -> Result<LambdaParametersProgress> {
        let (Some(ValueOrLambda::Value(list)), Some(ValueOrLambda::Value(zero))) = (fields.first(), fields.get(1)) else {
            return plan_err!("{} takes an array, a start value and lambdas", self.name);
        };
        let element = element_field(list.data_type())?;
        let element = Arc::new(Field::new("", element.data_type().clone(), true));
        let finish = fields.len() == 4;
        // The accumulator is the merge lambda's result once it is known, the start value before.
        match fields.get(2) {
            Some(ValueOrLambda::Lambda(Some(merged))) | Some(ValueOrLambda::Value(merged)) => {
                let acc = Arc::new(Field::new("", merged.data_type().clone(), true));
                let mut params = vec![vec![Arc::clone(&acc), element]];
                if finish {
                    params.push(vec![acc]);
                }
                Ok(LambdaParametersProgress::Complete(params))
            }
            _ => {
                let acc = Arc::new(Field::new("", zero.data_type().clone(), true));
                let mut params = vec![Some(vec![acc, element])];
                if finish {
                    params.push(None);
                }
                Ok(LambdaParametersProgress::Partial(params))
            }
        }
    }

    fn coerce_values_for_lambdas(&self, fields: &[ValueOrLambda<DataType, DataType>]) -> Result<Option<Vec<DataType>>> {
        match (fields.first(), fields.get(2)) {
            (Some(ValueOrLambda::Value(list)), Some(ValueOrLambda::Lambda(merged))) => Ok(Some(vec![list.clone(), merged.clone()])),
            _ => Ok(None),
        }
    }

    fn return_field_from_args(&self, args: HigherOrderReturnFieldArgs) -> Result<FieldRef> {
        let Some(ValueOrLambda::Lambda(out)) = args.arg_fields.last() else {
            return plan_err!("{} takes lambdas", self.name);
        };
        Ok(Arc::new(Field::new("", out.data_type().clone(), true)))
    }

    fn invoke_with_args(&self, args: HigherOrderFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let (Some(ValueOrLambda::Value(list)), Some(ValueOrLambda::Value(zero)), Some(ValueOrLambda::Lambda(merge))) =
            (args.args.first(), args.args.get(1), args.args.get(2))
        else {
            return plan_err!("{} takes an array, a start value and a merge lambda", self.name);
        };
        let list = as_list(&list.to_array(rows)?)?;
        let spans = spans(&list);
        let mut acc = zero.to_array(rows)?;
        let longest = spans.iter().map(|s| s.map_or(0, |(_, n)| n)).max().unwrap_or(0);
        for k in 0..longest {
            let active: Vec<u32> = (0..rows).filter(|&r| spans[r].is_some_and(|(_, n)| n > k)).map(|r| r as u32).collect();
            let at: Vec<u32> = active.iter().filter_map(|&r| spans[r as usize].map(|(start, _)| (start + k) as u32)).collect();
            let x = take(list.values().as_ref(), &UInt32Array::from(at), None)?;
            let before = take(acc.as_ref(), &UInt32Array::from(active.clone()), None)?;
            let merged = evaluate(merge, &[before, x], &active)?;
            let merged = if merged.data_type() == acc.data_type() { merged } else { cast(&merged, acc.data_type())? };
            // The rows folded at this position take their new accumulator; the rest keep theirs.
            let mut from = vec![(0usize, 0usize); rows];
            for (r, slot) in from.iter_mut().enumerate() {
                *slot = (0, r);
            }
            for (i, &r) in active.iter().enumerate() {
                from[r as usize] = (1, i);
            }
            acc = interleave(&[acc.as_ref(), merged.as_ref()], &from)?;
        }
        // A NULL array folds to NULL.
        let nulls = new_null_array(acc.data_type(), 1);
        let from: Vec<(usize, usize)> = (0..rows).map(|r| if spans[r].is_some() { (0, r) } else { (1, 0) }).collect();
        let acc = interleave(&[acc.as_ref(), nulls.as_ref()], &from)?;
        let out: ArrayRef = match args.args.get(3) {
            Some(ValueOrLambda::Lambda(finish)) => {
                let all: Vec<u32> = (0..rows as u32).collect();
                evaluate(finish, &[acc], &all)?
            }
            _ => acc,
        };
        Ok(ColumnarValue::Array(out))
    }
}
