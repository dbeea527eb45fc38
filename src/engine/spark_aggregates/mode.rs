//! `mode(x [, deterministic])`: the most frequent value of a group, NULLs skipped. Where several
//! values are as frequent, the smallest is given (what Spark gives with `deterministic` true;
//! without it Spark's choice among them depends on its hash table). The HiveQL front end writes
//! `mode() WITHIN GROUP (ORDER BY x DESC)` as `mode(x, true, true)`: the largest of them. The answer has `x`'s type; a
//! group without values gives NULL.

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int64Array, ListArray};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Int64Type};
use datafusion::common::{exec_err, plan_err, Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDFImpl, Signature, Volatility};

/// The aggregate.
#[derive(Debug, PartialEq, Eq, Hash)]
pub(super) struct Mode {
    signature: Signature,
}

impl Default for Mode {
    fn default() -> Self {
        Mode { signature: Signature::variadic_any(Volatility::Immutable) }
    }
}

impl AggregateUDFImpl for Mode {
    fn name(&self) -> &str {
        "mode"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        match arg_types {
            [x] | [x, DataType::Boolean] | [x, DataType::Boolean, DataType::Boolean] => Ok(x.clone()),
            _ => plan_err!("mode takes a value and an optional BOOLEAN deterministic flag"),
        }
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        if args.is_distinct {
            return plan_err!("[INVALID_DISTINCT] mode does not take DISTINCT");
        }
        if args.exprs.len() > 1 && super::constant_argument(&args, 1).is_none() {
            return plan_err!("[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] mode's deterministic flag must be a constant");
        }
        let largest = matches!(super::constant_argument(&args, 2), Some(ScalarValue::Boolean(Some(true))));
        Ok(Box::new(Counts { value_type: args.return_field.data_type().clone(), largest, counts: HashMap::new() }))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let value_type = args.input_fields.first().map(|f| f.data_type().clone()).unwrap_or(DataType::Null);
        Ok(vec![
            Arc::new(Field::new(format!("{}[values]", args.name), DataType::new_list(value_type, true), true)),
            Arc::new(Field::new(format!("{}[counts]", args.name), DataType::new_list(DataType::Int64, true), true)),
        ])
    }
}

/// How often each value was seen.
#[derive(Debug)]
struct Counts {
    value_type: DataType,
    /// Whether the largest of equally frequent values wins, rather than the smallest.
    largest: bool,
    counts: HashMap<ScalarValue, i64>,
}

impl Counts {
    fn add(&mut self, values: &ArrayRef, counts: Option<&Int64Array>) -> Result<()> {
        for row in 0..values.len() {
            if values.is_null(row) {
                continue;
            }
            let n = counts.map_or(1, |c| c.value(row));
            *self.counts.entry(ScalarValue::try_from_array(values, row)?).or_insert(0) += n;
        }
        Ok(())
    }
}

impl Accumulator for Counts {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let Some(x) = values.first() else { return exec_err!("mode takes a value") };
        self.add(x, None)
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let [values, counts] = states else { return exec_err!("mode's state has two parts") };
        let (values, counts): (&ListArray, &ListArray) = (values.as_list(), counts.as_list());
        for row in 0..values.len() {
            if values.is_valid(row) {
                let n = counts.value(row);
                self.add(&values.value(row), Some(n.as_primitive::<Int64Type>()))?;
            }
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let values: Vec<ScalarValue> = self.counts.keys().cloned().collect();
        let counts: Vec<ScalarValue> = values.iter().map(|v| ScalarValue::Int64(self.counts.get(v).copied())).collect();
        Ok(vec![
            ScalarValue::List(ScalarValue::new_list_nullable(&values, &self.value_type)),
            ScalarValue::List(ScalarValue::new_list_nullable(&counts, &DataType::Int64)),
        ])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let by_value = |a: &ScalarValue, b: &ScalarValue| {
            let order = a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal);
            if self.largest { order } else { order.reverse() }
        };
        let best = self.counts.iter().max_by(|(a, n), (b, m)| n.cmp(m).then_with(|| by_value(a, b)));
        match best {
            Some((v, _)) => Ok(v.clone()),
            None => ScalarValue::try_from(&self.value_type),
        }
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.counts.keys().map(|k| k.size() + 8).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::Int32Array;

    #[test]
    fn the_most_frequent_value_and_the_smallest_on_ties() {
        let mut acc = Counts { value_type: DataType::Int32, largest: false, counts: HashMap::new() };
        let xs: ArrayRef = Arc::new(Int32Array::from(vec![Some(5), Some(3), None, Some(5), Some(3), Some(9)]));
        acc.update_batch(&[xs]).unwrap();
        assert_eq!(acc.evaluate().unwrap(), ScalarValue::Int32(Some(3)));
        let mut empty = Counts { value_type: DataType::Int32, largest: false, counts: HashMap::new() };
        assert_eq!(empty.evaluate().unwrap(), ScalarValue::Int32(None));
    }
}
