//! `percentile(x, p [, frequency])`, `percentile_approx(x, p [, accuracy])` and its other name
//! `approx_percentile`. `p` is a constant fraction or an array of them (giving an array).
//!
//! - `percentile` is exact: the values are sorted and the position `(n - 1) * p` is read between
//!   its two neighbours by linear interpolation, as DOUBLE; a frequency counts a row that many
//!   times.
//! - `percentile_approx` answers one of the values themselves, in their own type (numbers, dates,
//!   timestamps): the one at rank `ceil(p * n)`, and the smallest or largest when `p` is within
//!   `1 / accuracy` of 0 or 1. That is the answer Spark's quantile summary gives while it still
//!   holds every value; Spark's summary compresses beyond that and may answer a nearby value,
//!   within its stated error.
//!
//! Both keep every value until the end (their memory grows with the group). NULLs are skipped; no
//! rows give NULL.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int64Array, ListArray};
use datafusion::arrow::compute::{cast, concat, sort_to_indices, take};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Float64Type, Int64Type};
use datafusion::common::{exec_err, plan_err, Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDFImpl, Signature, Volatility};

/// Exact (interpolated) or approximate (a value of the group).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Kind {
    Exact,
    Approx,
    /// `percentile_disc(p) WITHIN GROUP (ORDER BY x [DESC])`, which the HiveQL front end writes as
    /// `percentile_disc(x, p, descending)`: the value at rank `ceil(p * n)` in that order, as DOUBLE.
    Discrete,
}

/// The aggregate.
#[derive(Debug, PartialEq, Eq, Hash)]
pub(super) struct Percentile {
    kind: Kind,
    signature: Signature,
    aliases: Vec<String>,
}

impl Percentile {
    pub(super) fn new(kind: Kind) -> Self {
        let aliases = if kind == Kind::Approx { vec!["approx_percentile".to_string()] } else { vec![] };
        Percentile { kind, signature: Signature::variadic_any(Volatility::Immutable), aliases }
    }
}

/// The default `accuracy` of `percentile_approx`.
const DEFAULT_ACCURACY: f64 = 10_000.0;

fn value_type_ok(kind: Kind, t: &DataType) -> bool {
    match kind {
        Kind::Exact | Kind::Discrete => t.is_numeric() || t.is_null(),
        Kind::Approx => t.is_numeric() || t.is_null() || matches!(t, DataType::Date32 | DataType::Timestamp(..)),
    }
}

impl AggregateUDFImpl for Percentile {
    fn name(&self) -> &str {
        match self.kind {
            Kind::Exact => "percentile",
            Kind::Approx => "percentile_approx",
            Kind::Discrete => "percentile_disc",
        }
    }

    fn aliases(&self) -> &[String] {
        &self.aliases
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        let (x, p) = match arg_types {
            [x, p] | [x, p, _] => (x, p),
            _ => return plan_err!("{} takes a value, a percentage and an optional third argument", self.name()),
        };
        if !value_type_ok(self.kind, x) {
            return plan_err!("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] {} does not take {x}", self.name());
        }
        let one = match (self.kind, x) {
            (Kind::Exact | Kind::Discrete, _) | (Kind::Approx, DataType::Null) => DataType::Float64,
            (Kind::Approx, x) => x.clone(),
        };
        Ok(if matches!(p, DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(..)) { DataType::new_list(one, true) } else { one })
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let constant = |i: usize| super::constant_argument(&args, i);
        let Some(p) = constant(1) else { return plan_err!("[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] {}'s percentage must be a constant", self.name()) };
        let (percentages, many) = fractions(&p, self.name())?;
        let accuracy = match (self.kind, constant(2)) {
            (Kind::Approx, Some(a)) => match a.cast_to(&DataType::Float64)? {
                ScalarValue::Float64(Some(a)) if a > 0.0 && a <= f64::from(i32::MAX) => a,
                _ => return plan_err!("[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] percentile_approx's accuracy must be a positive constant integer"),
            },
            (Kind::Approx, None) if args.exprs.len() > 2 => return plan_err!("percentile_approx's accuracy must be a constant"),
            // Exactly the value at the rank: no error allowed at either end.
            (Kind::Discrete, _) => f64::INFINITY,
            _ => DEFAULT_ACCURACY,
        };
        let descending = self.kind == Kind::Discrete && matches!(constant(2), Some(ScalarValue::Boolean(Some(true))));
        let value_type = args.expr_fields.first().map(|f| f.data_type().clone()).unwrap_or(DataType::Null);
        Ok(Box::new(Values {
            kind: self.kind,
            percentages,
            many,
            accuracy,
            descending,
            result_type: args.return_field.data_type().clone(),
            value_type,
            values: Vec::new(),
            weights: Vec::new(),
        }))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let value_type = args.input_fields.first().map(|f| f.data_type().clone()).unwrap_or(DataType::Null);
        Ok(vec![
            Arc::new(Field::new(format!("{}[values]", args.name), DataType::new_list(value_type, true), true)),
            Arc::new(Field::new(format!("{}[weights]", args.name), DataType::new_list(DataType::Int64, true), true)),
        ])
    }
}

/// The percentages of a constant: one fraction, or an array of them (`many`).
fn fractions(p: &ScalarValue, name: &str) -> Result<(Vec<f64>, bool)> {
    let (items, many) = match p {
        ScalarValue::List(list) if list.len() == 1 => (cast(&list.value(0), &DataType::Float64)?, true),
        other => (other.to_array()?, false),
    };
    let items = cast(&items, &DataType::Float64)?;
    let mut out = Vec::with_capacity(items.len());
    for f in items.as_primitive::<Float64Type>().iter() {
        match f {
            Some(f) if (0.0..=1.0).contains(&f) => out.push(f),
            _ => return plan_err!("[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] {name}'s percentage must be between 0.0 and 1.0, not {p}"),
        }
    }
    Ok((out, many))
}

/// The group's values (without NULLs) and, for `percentile`, each one's frequency.
#[derive(Debug)]
struct Values {
    kind: Kind,
    percentages: Vec<f64>,
    many: bool,
    accuracy: f64,
    /// Whether the values are ranked largest first.
    descending: bool,
    result_type: DataType,
    value_type: DataType,
    values: Vec<ArrayRef>,
    weights: Vec<ArrayRef>,
}

impl Values {
    fn add(&mut self, values: &ArrayRef, weights: Option<&ArrayRef>) -> Result<()> {
        let weights: ArrayRef = match weights {
            Some(w) => cast(w, &DataType::Int64)?,
            None => Arc::new(Int64Array::from(vec![1; values.len()])),
        };
        let w = weights.as_primitive::<Int64Type>();
        if let Some(negative) = w.iter().flatten().find(|w| *w < 0) {
            return exec_err!("[INVALID_PARAMETER_VALUE] percentile's frequency must not be negative, not {negative}");
        }
        let keep: datafusion::arrow::array::BooleanArray =
            (0..values.len()).map(|i| Some(values.is_valid(i) && w.is_valid(i) && w.value(i) > 0)).collect();
        self.values.push(datafusion::arrow::compute::filter(values, &keep)?);
        self.weights.push(datafusion::arrow::compute::filter(&weights, &keep)?);
        Ok(())
    }

    fn gathered(&self) -> Result<(ArrayRef, ArrayRef)> {
        let empty_values = datafusion::arrow::array::new_empty_array(&self.value_type);
        let values: Vec<&dyn Array> = self.values.iter().map(|a| a.as_ref()).collect();
        let weights: Vec<&dyn Array> = self.weights.iter().map(|a| a.as_ref()).collect();
        if values.is_empty() {
            return Ok((empty_values, Arc::new(Int64Array::from(Vec::<i64>::new()))));
        }
        Ok((concat(&values)?, concat(&weights)?))
    }

    fn answers(&self, sorted: &ArrayRef, weights: &[i64]) -> Result<Vec<ScalarValue>> {
        let total: i64 = weights.iter().sum();
        // Each value's cumulative count: the expanded position k falls on the first value whose
        // cumulative count exceeds k.
        let mut cumulative = Vec::with_capacity(weights.len());
        let mut running = 0i64;
        for w in weights {
            running += w;
            cumulative.push(running);
        }
        let at = |k: i64| cumulative.partition_point(|c| *c <= k).min(cumulative.len() - 1);
        self.percentages
            .iter()
            .map(|p| match self.kind {
                Kind::Approx | Kind::Discrete => {
                    let error = 1.0 / self.accuracy;
                    let k = if *p <= error {
                        0
                    } else if *p >= 1.0 - error {
                        total - 1
                    } else {
                        ((p * total as f64).ceil() as i64 - 1).clamp(0, total - 1)
                    };
                    ScalarValue::try_from_array(sorted, at(k))
                }
                Kind::Exact => {
                    let doubles = cast(sorted, &DataType::Float64)?;
                    let doubles = doubles.as_primitive::<Float64Type>();
                    let position = (total - 1) as f64 * p;
                    let (lower, higher) = (position.floor() as i64, position.ceil() as i64);
                    let (low, high) = (doubles.value(at(lower)), doubles.value(at(higher)));
                    let v = if lower == higher || low == high {
                        low
                    } else {
                        (higher as f64 - position) * low + (position - lower as f64) * high
                    };
                    Ok(ScalarValue::Float64(Some(v)))
                }
            })
            .collect()
    }
}

impl Accumulator for Values {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let Some(x) = values.first() else { return exec_err!("percentile takes a value") };
        let weights = if self.kind == Kind::Exact { values.get(2) } else { None };
        self.add(x, weights)
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let [values, weights] = states else { return exec_err!("percentile's state has two parts") };
        let (values, weights): (&ListArray, &ListArray) = (values.as_list(), weights.as_list());
        for row in 0..values.len() {
            if values.is_valid(row) {
                self.values.push(values.value(row));
                self.weights.push(weights.value(row));
            }
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let (values, weights) = self.gathered()?;
        self.values = vec![values.clone()];
        self.weights = vec![weights.clone()];
        Ok(vec![
            ScalarValue::List(Arc::new(datafusion::common::utils::SingleRowListArrayBuilder::new(values).build_list_array())),
            ScalarValue::List(Arc::new(datafusion::common::utils::SingleRowListArrayBuilder::new(weights).build_list_array())),
        ])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let (values, weights) = self.gathered()?;
        if values.is_empty() {
            return ScalarValue::try_from(&self.result_type);
        }
        let options = datafusion::arrow::compute::SortOptions { descending: self.descending, nulls_first: false };
        let order = sort_to_indices(&values, Some(options), None)?;
        let sorted = take(&values, &order, None)?;
        let weights = take(&weights, &order, None)?;
        let weights: Vec<i64> = weights.as_primitive::<Int64Type>().values().to_vec();
        let mut answers = self.answers(&sorted, &weights)?;
        let one_type = match &self.result_type {
            DataType::List(f) => f.data_type().clone(),
            other => other.clone(),
        };
        if self.many {
            let items = answers.iter().map(|a| a.cast_to(&one_type)).collect::<Result<Vec<_>>>()?;
            return Ok(ScalarValue::List(ScalarValue::new_list_nullable(&items, &one_type)));
        }
        answers.pop().map_or_else(|| ScalarValue::try_from(&self.result_type), |a| a.cast_to(&one_type))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self)
            + self.values.iter().map(|a| a.get_array_memory_size()).sum::<usize>()
            + self.weights.iter().map(|a| a.get_array_memory_size()).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::Int32Array;

    fn run(kind: Kind, percentages: Vec<f64>, xs: Vec<Option<i32>>, weights: Option<Vec<i64>>) -> ScalarValue {
        let result_type = if kind == Kind::Exact { DataType::Float64 } else { DataType::Int32 };
        let mut acc = Values {
            kind,
            percentages,
            many: false,
            accuracy: DEFAULT_ACCURACY,
            descending: false,
            result_type,
            value_type: DataType::Int32,
            values: vec![],
            weights: vec![],
        };
        let xs: ArrayRef = Arc::new(Int32Array::from(xs));
        let weights = weights.map(|w| Arc::new(Int64Array::from(w)) as ArrayRef);
        acc.add(&xs, weights.as_ref()).unwrap();
        acc.evaluate().unwrap()
    }

    #[test]
    fn exact_percentiles_interpolate() {
        let xs = vec![Some(4), Some(1), None, Some(3), Some(2)];
        assert_eq!(run(Kind::Exact, vec![0.5], xs.clone(), None), ScalarValue::Float64(Some(2.5)));
        assert_eq!(run(Kind::Exact, vec![0.25], xs.clone(), None), ScalarValue::Float64(Some(1.75)));
        assert_eq!(run(Kind::Exact, vec![1.0], xs, None), ScalarValue::Float64(Some(4.0)));
        // 1 counted three times: 1, 1, 1, 5.
        assert_eq!(run(Kind::Exact, vec![0.5], vec![Some(1), Some(5)], Some(vec![3, 1])), ScalarValue::Float64(Some(1.0)));
        assert_eq!(run(Kind::Exact, vec![0.5], vec![], None), ScalarValue::Float64(None));
    }

    #[test]
    fn approximate_percentiles_answer_a_value_of_the_group() {
        let xs = vec![Some(4), Some(1), Some(3), Some(2)];
        assert_eq!(run(Kind::Approx, vec![0.5], xs.clone(), None), ScalarValue::Int32(Some(2)));
        assert_eq!(run(Kind::Approx, vec![0.0], xs.clone(), None), ScalarValue::Int32(Some(1)));
        assert_eq!(run(Kind::Approx, vec![0.51], xs.clone(), None), ScalarValue::Int32(Some(3)));
        assert_eq!(run(Kind::Approx, vec![1.0], xs, None), ScalarValue::Int32(Some(4)));
    }

    #[test]
    fn percentages_are_fractions() {
        assert!(fractions(&ScalarValue::Float64(Some(1.5)), "percentile").is_err());
        let list = ScalarValue::List(ScalarValue::new_list_nullable(&[ScalarValue::from(0.25), ScalarValue::from(0.75)], &DataType::Float64));
        assert_eq!(fractions(&list, "percentile").unwrap(), (vec![0.25, 0.75], true));
    }
}
