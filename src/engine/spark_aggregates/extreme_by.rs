//! `max_by(x, ord)` and `min_by(x, ord)`: the value of `x` on the row whose `ord` is the largest
//! (smallest). Rows whose `ord` is NULL are skipped; `x` may be NULL and is then the answer. On a
//! tie the first row seen wins, as in Spark. The answer has `x`'s type; no rows give NULL.

use std::cmp::Ordering;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{exec_err, plan_err, Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDFImpl, Signature, Volatility};

/// Which end of the ordering wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum End {
    Max,
    Min,
}

/// The aggregate.
#[derive(Debug, PartialEq, Eq, Hash)]
pub(super) struct ExtremeBy {
    end: End,
    signature: Signature,
}

impl ExtremeBy {
    pub(super) fn new(end: End) -> Self {
        ExtremeBy { end, signature: Signature::any(2, Volatility::Immutable) }
    }
}

impl AggregateUDFImpl for ExtremeBy {
    fn name(&self) -> &str {
        match self.end {
            End::Max => "max_by",
            End::Min => "min_by",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        match arg_types {
            [x, _] => Ok(x.clone()),
            _ => plan_err!("{} takes a value and an ordering", self.name()),
        }
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let [x, ord] = args.expr_fields else { return plan_err!("{} takes a value and an ordering", self.name()) };
        Ok(Box::new(Extreme {
            end: self.end,
            value: ScalarValue::try_from(x.data_type())?,
            ord: ScalarValue::try_from(ord.data_type())?,
        }))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let [x, ord] = args.input_fields else { return plan_err!("{} takes a value and an ordering", self.name()) };
        Ok(vec![
            Arc::new(Field::new(format!("{}[value]", args.name), x.data_type().clone(), true)),
            Arc::new(Field::new(format!("{}[ord]", args.name), ord.data_type().clone(), true)),
        ])
    }
}

/// The winning row so far: its value and its ordering (NULL before any row).
#[derive(Debug)]
struct Extreme {
    end: End,
    value: ScalarValue,
    ord: ScalarValue,
}

impl Extreme {
    /// Whether `candidate` beats the ordering held.
    fn beats(&self, candidate: &ScalarValue) -> bool {
        if self.ord.is_null() {
            return true;
        }
        let wanted = if self.end == End::Max { Ordering::Greater } else { Ordering::Less };
        candidate.partial_cmp(&self.ord) == Some(wanted)
    }

    fn offer(&mut self, values: &ArrayRef, ords: &ArrayRef) -> Result<()> {
        for row in 0..ords.len() {
            if ords.is_null(row) {
                continue;
            }
            let ord = ScalarValue::try_from_array(ords, row)?;
            if self.beats(&ord) {
                self.value = ScalarValue::try_from_array(values, row)?;
                self.ord = ord;
            }
        }
        Ok(())
    }
}

impl Accumulator for Extreme {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let [x, ord] = values else { return exec_err!("max_by and min_by take two arguments") };
        self.offer(x, ord)
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        self.update_batch(states)
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![self.value.clone(), self.ord.clone()])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(self.value.clone())
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.value.size() + self.ord.size()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{Int32Array, StringArray};

    fn run(end: End, xs: Vec<Option<&str>>, ords: Vec<Option<i32>>) -> ScalarValue {
        let mut acc = Extreme { end, value: ScalarValue::Utf8(None), ord: ScalarValue::Int32(None) };
        let xs: ArrayRef = Arc::new(StringArray::from(xs));
        let ords: ArrayRef = Arc::new(Int32Array::from(ords));
        acc.update_batch(&[xs, ords]).unwrap();
        acc.evaluate().unwrap()
    }

    #[test]
    fn the_value_at_the_extreme_ordering_first_on_ties() {
        let xs = vec![Some("a"), Some("b"), Some("c"), None];
        let ords = vec![Some(3), Some(9), Some(9), None];
        assert_eq!(run(End::Max, xs.clone(), ords.clone()), ScalarValue::from("b"));
        assert_eq!(run(End::Min, xs, ords), ScalarValue::from("a"));
        assert_eq!(run(End::Max, vec![None, Some("x")], vec![Some(2), Some(1)]), ScalarValue::Utf8(None));
        assert_eq!(run(End::Max, vec![Some("x")], vec![None]), ScalarValue::Utf8(None));
    }
}
