//! `skewness(x)` and `kurtosis(x)`: the population skewness and excess kurtosis of a column of
//! numbers, as DOUBLE. Each partial aggregate keeps the count, the mean and the second to fourth
//! central moments, updated one value at a time and combined with the pairwise formulas, so that
//! the answer does not depend on how the rows were split. NULLs are skipped; no rows, or no spread
//! (all values equal), give NULL, as Spark gives with its default statistics settings.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Float64Type};
use datafusion::common::{exec_err, plan_err, Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDFImpl, Signature, Volatility};

/// Which moment statistic.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Statistic {
    #[default]
    Skewness,
    Kurtosis,
}

/// The aggregate.
#[derive(Debug, PartialEq, Eq, Hash)]
pub(super) struct CentralMoments {
    statistic: Statistic,
    signature: Signature,
}

impl CentralMoments {
    pub(super) fn new(statistic: Statistic) -> Self {
        CentralMoments { statistic, signature: Signature::any(1, Volatility::Immutable) }
    }
}

impl AggregateUDFImpl for CentralMoments {
    fn name(&self) -> &str {
        match self.statistic {
            Statistic::Skewness => "skewness",
            Statistic::Kurtosis => "kurtosis",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        match arg_types {
            [t] if t.is_numeric() || t.is_null() => Ok(DataType::Float64),
            [other] => plan_err!("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] {} takes a number, not {other}", self.name()),
            _ => plan_err!("{} takes one argument", self.name()),
        }
    }

    fn accumulator(&self, _args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(Moments { statistic: self.statistic, ..Moments::default() }))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(["n", "avg", "m2", "m3", "m4"]
            .into_iter()
            .map(|part| Arc::new(Field::new(format!("{}[{part}]", args.name), DataType::Float64, false)))
            .collect())
    }
}

/// The running count, mean and central moments (sums of powers of the deviations).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Moments {
    statistic: Statistic,
    n: f64,
    avg: f64,
    m2: f64,
    m3: f64,
    m4: f64,
}

impl Moments {
    fn add(&mut self, x: f64) {
        self.n += 1.0;
        let delta = x - self.avg;
        let delta_n = delta / self.n;
        self.avg += delta_n;
        let m2 = self.m2 + delta * (delta - delta_n);
        let (delta2, delta_n2) = (delta * delta, delta_n * delta_n);
        let m3 = self.m3 - 3.0 * delta_n * m2 + delta * (delta2 - delta_n2);
        let m4 = self.m4 - 4.0 * delta_n * m3 - 6.0 * delta_n2 * m2 + delta * (delta * delta2 - delta_n * delta_n2);
        (self.m2, self.m3, self.m4) = (m2, m3, m4);
    }

    fn merge(&mut self, o: &Moments) {
        let (n1, n2) = (self.n, o.n);
        let n = n1 + n2;
        if n == 0.0 {
            return;
        }
        let delta = o.avg - self.avg;
        let delta_n = delta / n;
        let m2 = self.m2 + o.m2 + delta * delta_n * n1 * n2;
        let m3 = self.m3 + o.m3 + delta_n * delta_n * delta * n1 * n2 * (n1 - n2) + 3.0 * delta_n * (n1 * o.m2 - n2 * self.m2);
        let m4 = self.m4
            + o.m4
            + delta_n * delta_n * delta_n * delta * n1 * n2 * (n1 * n1 - n1 * n2 + n2 * n2)
            + 6.0 * delta_n * delta_n * (n1 * n1 * o.m2 + n2 * n2 * self.m2)
            + 4.0 * delta_n * (n1 * o.m3 - n2 * self.m3);
        self.avg += delta_n * n2;
        (self.n, self.m2, self.m3, self.m4) = (n, m2, m3, m4);
    }

    fn value(&self) -> Option<f64> {
        if self.n == 0.0 || self.m2 == 0.0 {
            return None;
        }
        Some(match self.statistic {
            Statistic::Skewness => self.n.sqrt() * self.m3 / (self.m2 * self.m2 * self.m2).sqrt(),
            Statistic::Kurtosis => self.n * self.m4 / (self.m2 * self.m2) - 3.0,
        })
    }
}

fn doubles(array: &ArrayRef) -> Result<ArrayRef> {
    Ok(cast(array, &DataType::Float64)?)
}

impl Accumulator for Moments {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let Some(values) = values.first() else { return exec_err!("the moments take one argument") };
        let values = doubles(values)?;
        for x in values.as_primitive::<Float64Type>().iter().flatten() {
            self.add(x);
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let [n, avg, m2, m3, m4] = states else { return exec_err!("the moments' state has five parts") };
        let parts: Vec<ArrayRef> = [n, avg, m2, m3, m4].into_iter().map(doubles).collect::<Result<_>>()?;
        let column = |i: usize| parts[i].as_primitive::<Float64Type>();
        for row in 0..n.len() {
            let other = Moments {
                statistic: self.statistic,
                n: column(0).value(row),
                avg: column(1).value(row),
                m2: column(2).value(row),
                m3: column(3).value(row),
                m4: column(4).value(row),
            };
            self.merge(&other);
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok([self.n, self.avg, self.m2, self.m3, self.m4].into_iter().map(|v| ScalarValue::Float64(Some(v))).collect())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Float64(self.value()))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(statistic: Statistic, xs: &[f64]) -> Moments {
        let mut m = Moments { statistic, ..Moments::default() };
        xs.iter().for_each(|x| m.add(*x));
        m
    }

    #[test]
    fn population_skewness_and_excess_kurtosis() {
        let xs = [1.0, 2.0, 3.0, 10.0];
        // Deviations from the mean 4: -3, -2, -1, 6; m2 = 50, m3 = 180, m4 = 1394.
        let skew = of(Statistic::Skewness, &xs).value().unwrap();
        assert!((skew - 2.0 * 180.0 / 50f64.powf(1.5)).abs() < 1e-12, "{skew}");
        let kurt = of(Statistic::Kurtosis, &xs).value().unwrap();
        assert!((kurt - (4.0 * 1394.0 / 2500.0 - 3.0)).abs() < 1e-12, "{kurt}");
        assert_eq!(of(Statistic::Kurtosis, &[5.0, 5.0]).value(), None);
        assert_eq!(of(Statistic::Skewness, &[]).value(), None);
    }

    #[test]
    fn merged_parts_agree_with_one_pass() {
        let xs = [1.0, 7.5, -2.0, 3.25, 10.0, 0.5, 4.0];
        let whole = of(Statistic::Kurtosis, &xs);
        let mut left = of(Statistic::Kurtosis, &xs[..3]);
        left.merge(&of(Statistic::Kurtosis, &xs[3..]));
        assert!((left.value().unwrap() - whole.value().unwrap()).abs() < 1e-9);
        assert!((left.m3 - whole.m3).abs() < 1e-9);
    }
}
