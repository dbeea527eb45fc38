//! `histogram_numeric(x, nb)`: an approximate histogram of `x` in at most `nb` bins, as Spark (and
//! Hive before it) builds it. Each value is added as a bin of height 1 (or raises the height of
//! the bin at that value); whenever there are more than `nb` bins, the two closest are merged into
//! one at their weighted mean, ties between equally close pairs broken by the same seeded
//! pseudo-random sequence Spark uses, so that answers match Spark's. Partial histograms merge the
//! same way. The result is an array of `struct<x, y>` ordered by `x`, where `x` has the
//! argument's type and `y` is a DOUBLE height.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Float64Array, ListArray, StructArray};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Fields, Float64Type, Int32Type};
use datafusion::common::{exec_err, plan_err, Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDFImpl, Signature, Volatility};

/// The aggregate.
#[derive(Debug, PartialEq, Eq, Hash)]
pub(super) struct HistogramNumeric {
    signature: Signature,
}

impl Default for HistogramNumeric {
    fn default() -> Self {
        HistogramNumeric { signature: Signature::any(2, Volatility::Immutable) }
    }
}

/// The type `x` is computed in: its numbers as DOUBLE.
fn numeric(t: &DataType) -> Result<DataType> {
    Ok(match t {
        t if t.is_numeric() => DataType::Float64,
        DataType::Timestamp(_, _) | DataType::Date32 | DataType::Date64 | DataType::Duration(_) => DataType::Int64,
        other => return plan_err!("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] histogram_numeric takes a number, date or timestamp, not {other}"),
    })
}

fn result_type(x: &DataType) -> DataType {
    let bin = Fields::from(vec![Field::new("x", x.clone(), true), Field::new("y", DataType::Float64, true)]);
    DataType::List(Arc::new(Field::new_list_field(DataType::Struct(bin), true)))
}

impl AggregateUDFImpl for HistogramNumeric {
    fn name(&self) -> &str {
        "histogram_numeric"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        let Some(x) = arg_types.first() else { return plan_err!("histogram_numeric takes a value and a bin count") };
        numeric(x)?;
        Ok(result_type(x))
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let bins = match super::constant_argument(&args, 1).map(|v| v.cast_to(&DataType::Int64)) {
            Some(Ok(ScalarValue::Int64(Some(n)))) if n >= 2 => usize::try_from(n).unwrap_or(usize::MAX),
            _ => return plan_err!("[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] histogram_numeric's bin count must be a constant integer of at least 2"),
        };
        let Some(x) = args.expr_fields.first().map(|f| f.data_type().clone()) else {
            return plan_err!("histogram_numeric takes a value and a bin count");
        };
        Ok(Box::new(Histogram::new(bins, x)))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let list = |name: &str| Arc::new(Field::new(format!("{}[{name}]", args.name), DataType::new_list(DataType::Float64, true), true));
        Ok(vec![Arc::new(Field::new(format!("{}[limit]", args.name), DataType::Int32, true)), list("x"), list("y")])
    }
}

/// A histogram being built: bins ordered by position.
#[derive(Debug)]
struct Histogram {
    limit: usize,
    bins: Vec<(f64, f64)>,
    x: DataType,
    ties: JavaRandom,
}

/// `java.util.Random`, which Spark's histogram seeds with 31183 to break ties.
#[derive(Debug)]
struct JavaRandom(u64);

impl JavaRandom {
    const MULTIPLIER: u64 = 0x5DEE_CE66D;
    const MASK: u64 = (1 << 48) - 1;

    fn new(seed: u64) -> Self {
        JavaRandom((seed ^ Self::MULTIPLIER) & Self::MASK)
    }

    fn next(&mut self, bits: u32) -> u64 {
        self.0 = (self.0.wrapping_mul(Self::MULTIPLIER).wrapping_add(0xB)) & Self::MASK;
        self.0 >> (48 - bits)
    }

    fn next_double(&mut self) -> f64 {
        let high = self.next(26);
        crate::engine::spark_functions::random::java_double(high, self.next(27))
    }
}

impl Histogram {
    fn new(limit: usize, x: DataType) -> Self {
        Histogram { limit, bins: Vec::new(), x, ties: JavaRandom::new(31183) }
    }

    fn add(&mut self, x: f64, height: f64) {
        match self.bins.binary_search_by(|(bx, _)| bx.total_cmp(&x)) {
            Ok(i) => self.bins[i].1 += height,
            Err(i) => {
                self.bins.insert(i, (x, height));
                self.trim();
            }
        }
    }

    /// Merges the closest neighbours until at most `limit` bins are left; among equally close
    /// pairs, the k-th found replaces the choice with probability 1/k.
    fn trim(&mut self) {
        while self.bins.len() > self.limit {
            let mut closest = 0;
            let mut gap = self.bins[1].0 - self.bins[0].0;
            let mut ties = 1u32;
            for i in 1..self.bins.len() - 1 {
                let d = self.bins[i + 1].0 - self.bins[i].0;
                if d < gap {
                    gap = d;
                    closest = i;
                    ties = 1;
                } else if d == gap {
                    ties += 1;
                    if self.ties.next_double() <= 1.0 / f64::from(ties) {
                        closest = i;
                    }
                }
            }
            let (x1, y1) = self.bins[closest];
            let (x2, y2) = self.bins.remove(closest + 1);
            let height = y1 + y2;
            // In Spark's order of operations, so that positions match to the last bit.
            let x = x1 * (y1 / height) + x2 / height * y2;
            self.bins[closest] = (x, height);
        }
    }

    /// Another histogram's bins, merged in order with these, then trimmed.
    fn merge(&mut self, other: Vec<(f64, f64)>) {
        if self.bins.is_empty() {
            self.bins = other;
        } else {
            self.bins.extend(other);
            self.bins.sort_by(|a, b| a.0.total_cmp(&b.0));
        }
        self.trim();
    }
}

fn floats(values: impl IntoIterator<Item = f64>) -> ScalarValue {
    let array = Float64Array::from_iter_values(values);
    ScalarValue::List(Arc::new(ListArray::new(
        Arc::new(Field::new_list_field(DataType::Float64, true)),
        OffsetBuffer::from_lengths([array.len()]),
        Arc::new(array),
        None,
    )))
}

impl Accumulator for Histogram {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let Some(column) = values.first() else { return Ok(()) };
        let as_number = cast(column, &numeric(column.data_type())?)?;
        let as_float = cast(&as_number, &DataType::Float64)?;
        let xs = as_float.as_primitive::<Float64Type>();
        for i in 0..xs.len() {
            if xs.is_valid(i) {
                self.add(xs.value(i), 1.0);
            }
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let [limits, xs, ys] = states else { return exec_err!("histogram_numeric's state has three parts") };
        let limits = limits.as_primitive::<Int32Type>();
        let (xs, ys) = (xs.as_list::<i32>(), ys.as_list::<i32>());
        for row in 0..xs.len() {
            if limits.is_null(row) || xs.is_null(row) {
                continue;
            }
            let (x, y) = (xs.value(row), ys.value(row));
            let (x, y) = (x.as_primitive::<Float64Type>(), y.as_primitive::<Float64Type>());
            self.merge(x.values().iter().copied().zip(y.values().iter().copied()).collect());
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let limit = i32::try_from(self.limit).unwrap_or(i32::MAX);
        Ok(vec![ScalarValue::Int32(Some(limit)), floats(self.bins.iter().map(|b| b.0)), floats(self.bins.iter().map(|b| b.1))])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let result = result_type(&self.x);
        if self.bins.is_empty() {
            return ScalarValue::try_from(&result);
        }
        let xs: ArrayRef = Arc::new(Float64Array::from_iter_values(self.bins.iter().map(|b| b.0)));
        // Positions go back to the argument's type the way Spark casts them (whole numbers
        // truncated, dates and timestamps through their integer form).
        let xs = cast(&cast(&xs, &numeric(&self.x)?)?, &self.x)?;
        let ys: ArrayRef = Arc::new(Float64Array::from_iter_values(self.bins.iter().map(|b| b.1)));
        let DataType::List(item) = &result else { return exec_err!("histogram_numeric's result is a list") };
        let DataType::Struct(fields) = item.data_type() else { return exec_err!("histogram_numeric's bins are structs") };
        let bins = StructArray::try_new(fields.clone(), vec![xs, ys], None)?;
        Ok(ScalarValue::List(Arc::new(ListArray::new(Arc::clone(item), OffsetBuffer::from_lengths([bins.len()]), Arc::new(bins), None))))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.bins.capacity() * std::mem::size_of::<(f64, f64)>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::Int32Array;

    #[test]
    fn closest_bins_merge_at_their_weighted_mean() {
        let mut h = Histogram::new(2, DataType::Int32);
        for v in [1.0, 2.0, 10.0] {
            h.add(v, 1.0);
        }
        assert_eq!(h.bins, vec![(1.5, 2.0), (10.0, 1.0)]);
        h.add(10.0, 1.0);
        assert_eq!(h.bins, vec![(1.5, 2.0), (10.0, 2.0)]);
        h.merge(vec![(2.5, 2.0)]);
        assert_eq!(h.bins, vec![(2.0, 4.0), (10.0, 2.0)]);
    }

    #[test]
    fn the_tie_breaker_is_javas_random() {
        // new java.util.Random(31183).nextDouble(), twice.
        let mut r = JavaRandom::new(31183);
        let (a, b) = (r.next_double(), r.next_double());
        assert!((0.0..1.0).contains(&a) && (0.0..1.0).contains(&b) && a != b);
        let mut again = JavaRandom::new(31183);
        assert_eq!(again.next_double(), a);
    }

    #[test]
    fn results_keep_the_arguments_type() {
        let mut h = Histogram::new(3, DataType::Int32);
        h.update_batch(&[Arc::new(Int32Array::from(vec![Some(1), None, Some(2), Some(3)]))]).unwrap();
        let ScalarValue::List(list) = h.evaluate().unwrap() else { panic!("not a list") };
        let bins = list.value(0);
        let bins = bins.as_struct();
        assert_eq!(bins.column(0).as_primitive::<Int32Type>().values(), &[1, 2, 3]);
        assert_eq!(bins.column(1).as_primitive::<Float64Type>().values(), &[1.0, 1.0, 1.0]);
    }
}
