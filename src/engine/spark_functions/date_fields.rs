//! The fields of a date or time, as Spark's functions give them: `year`, `quarter`, `month`,
//! `day`/`dayofmonth`, `dayofweek` (1 for Sunday), `weekday` (0 for Monday), `dayofyear`,
//! `weekofyear` (ISO weeks), `hour`, `minute` and `second`. Each takes a date, a timestamp, or text
//! in any of Spark's date and timestamp forms (`'2009-07-30'`, `'1582-10-15 13:10:15'`); text
//! that is neither is NULL. `hivewire_day_count` checks the days of `date_add` and `date_sub`.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, Int32Array};
use datafusion::arrow::datatypes::{DataType, TimeUnit};
use datafusion::common::{plan_err, Result};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, TypeSignature, Volatility};

use super::extract::{times, Part};

/// The functions and the field each reads.
const FIELDS: [(&str, Part); 12] = [
    ("year", Part::Year),
    ("quarter", Part::Quarter),
    ("month", Part::Month),
    ("day", Part::Day),
    ("dayofmonth", Part::Day),
    ("dayofweek", Part::DayOfWeek),
    ("weekday", Part::Weekday),
    ("dayofyear", Part::DayOfYear),
    ("weekofyear", Part::Week),
    ("hour", Part::Hour),
    ("minute", Part::Minute),
    ("second", Part::Second),
];

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    let mut out: Vec<Arc<ScalarUDF>> = FIELDS
        .iter()
        .map(|(name, part)| Arc::new(ScalarUDF::from(DateField { name, part: *part, signature: Signature::user_defined(Volatility::Immutable) })))
        .collect();
    // The days `date_add` and `date_sub` take: an INT or narrower, or text read as one.
    let days = [DataType::Int8, DataType::Int16, DataType::Int32, DataType::Utf8, DataType::Null];
    out.push(super::SparkFunction::udf(
        "hivewire_day_count",
        Signature::one_of(days.into_iter().map(|t| TypeSignature::Exact(vec![t])).collect(), Volatility::Immutable),
        |_| Ok(DataType::Int32),
        day_count,
    ));
    out
}

fn day_count(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let strict = datafusion::arrow::compute::CastOptions { safe: false, ..Default::default() };
    Ok(datafusion::arrow::compute::cast_with_options(&args[0], &DataType::Int32, &strict)?)
}

#[derive(Debug)]
struct DateField {
    name: &'static str,
    part: Part,
    signature: Signature,
}

// Told apart by name: each is registered once.
impl PartialEq for DateField {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for DateField {}

impl std::hash::Hash for DateField {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

impl ScalarUDFImpl for DateField {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match arg_types {
            [DataType::Date32] => Ok(vec![DataType::Date32]),
            [DataType::Timestamp(..) | DataType::Date64] => Ok(vec![DataType::Timestamp(TimeUnit::Microsecond, None)]),
            [_] => Ok(vec![DataType::Utf8]),
            _ => plan_err!("[WRONG_NUM_ARGS] {} takes one argument", self.name),
        }
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Int32)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let scalar = matches!(args.args[0], ColumnarValue::Scalar(_));
        let a = args.args[0].to_array(args.number_rows)?;
        let out: ArrayRef = Arc::new(times(&a)?.iter().map(|t| t.as_ref().map(|t| self.part.whole(t))).collect::<Int32Array>());
        super::columnar(out, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn fields_follow_spark() {
        let t = NaiveDate::from_ymd_opt(2009, 7, 30).and_then(|d| d.and_hms_opt(12, 58, 59)).unwrap();
        let field = |name: &str| FIELDS.iter().find(|(n, _)| *n == name).map(|(_, p)| p.whole(&t)).unwrap();
        assert_eq!((field("year"), field("quarter"), field("month"), field("day")), (2009, 3, 7, 30));
        assert_eq!((field("dayofweek"), field("weekday"), field("dayofyear"), field("weekofyear")), (5, 3, 211, 31));
        assert_eq!((field("hour"), field("minute"), field("second")), (12, 58, 59));
    }
}
