//! `extract(field FROM x)` and `date_part('field', x)` as Spark computes them, over dates,
//! timestamps, text read as a timestamp, and intervals. The field has Spark's spellings (`year`,
//! `y`, `yrs`; `mon`; `dow`, `dow_iso`; `doy`; `week`; `h`, `hr`; `m`, `mins`; `s`, `secs`...).
//! Seconds carry their fraction (DECIMAL(8,6)); the parts of an interval are those of its own
//! type (a year-month interval has years and months, a day-time one days to seconds). The HiveQL
//! front end writes both forms as `hivewire_extract('field', x)`.

use std::sync::Arc;

use chrono::{Datelike, NaiveDateTime, Timelike};
use datafusion::arrow::array::{Array, ArrayRef, AsArray, Decimal128Array, Int32Array, Int8Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Int64Type, IntervalUnit, IntervalYearMonthType, TimeUnit, TimestampMicrosecondType};
use datafusion::common::{exec_err, plan_err, Result, ScalarValue};
use datafusion::logical_expr::{ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};
use datafusion::arrow::datatypes::{Field, FieldRef};

use crate::hiveql::datetime_literals::parse_timestamp;

use crate::hiveql::function_names::EXTRACT;

/// A field Spark extracts (and `weekday`, which only its own function reads).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Part {
    Year,
    YearOfWeek,
    Quarter,
    Month,
    Week,
    Day,
    DayOfWeek,
    DayOfWeekIso,
    Weekday,
    DayOfYear,
    Hour,
    Minute,
    Second,
}

impl Part {
    fn of(name: &str) -> Option<Part> {
        Some(match name.to_ascii_lowercase().as_str() {
            "year" | "y" | "years" | "yr" | "yrs" => Part::Year,
            "yearofweek" => Part::YearOfWeek,
            "quarter" | "qtr" => Part::Quarter,
            "month" | "mon" | "mons" | "months" => Part::Month,
            "week" | "w" | "weeks" => Part::Week,
            "day" | "d" | "days" => Part::Day,
            "dayofweek" | "dow" => Part::DayOfWeek,
            "dayofweek_iso" | "dow_iso" => Part::DayOfWeekIso,
            "doy" => Part::DayOfYear,
            "hour" | "h" | "hours" | "hr" | "hrs" => Part::Hour,
            "minute" | "m" | "min" | "mins" | "minutes" => Part::Minute,
            "second" | "s" | "sec" | "seconds" | "secs" => Part::Second,
            _ => return None,
        })
    }

    /// The part of a time as a whole number (whole seconds for seconds).
    pub(super) fn whole(self, t: &NaiveDateTime) -> i32 {
        match self {
            Part::Second => t.second() as i32,
            other => other.of_time(t) as i32,
        }
    }

    /// The part of a time, as microseconds for seconds and a whole number otherwise.
    fn of_time(self, t: &NaiveDateTime) -> i64 {
        i64::from(match self {
            Part::Year => t.year(),
            Part::YearOfWeek => t.iso_week().year(),
            Part::Quarter => (t.month0() / 3 + 1) as i32,
            Part::Month => t.month() as i32,
            Part::Week => t.iso_week().week() as i32,
            Part::Day => t.day() as i32,
            Part::DayOfWeek => t.weekday().num_days_from_sunday() as i32 + 1,
            Part::DayOfWeekIso => t.weekday().number_from_monday() as i32,
            Part::Weekday => t.weekday().num_days_from_monday() as i32,
            Part::DayOfYear => t.ordinal() as i32,
            Part::Hour => t.hour() as i32,
            Part::Minute => t.minute() as i32,
            Part::Second => return i64::from(t.second()) * 1_000_000 + i64::from(t.nanosecond() / 1000),
        })
    }
}

/// The times of a column of dates, timestamps, or text in Spark's date and timestamp forms (NULL
/// where the text is neither).
pub(super) fn times(value: &ArrayRef) -> Result<Vec<Option<NaiveDateTime>>> {
    Ok(match value.data_type() {
        DataType::Date32 | DataType::Date64 | DataType::Timestamp(..) => {
            let t = cast(value, &DataType::Timestamp(TimeUnit::Microsecond, None))?;
            t.as_primitive::<TimestampMicrosecondType>()
                .iter()
                .map(|m| m.and_then(chrono::DateTime::from_timestamp_micros).map(|d| d.naive_utc()))
                .collect()
        }
        DataType::Null => vec![None; value.len()],
        _ => {
            let text = cast(value, &DataType::Utf8)?;
            text.as_string::<i32>().iter().map(|s| s.and_then(parse_timestamp).map(|(t, _)| t)).collect()
        }
    })
}

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![Arc::new(ScalarUDF::from(Extract { signature: Signature::any(2, Volatility::Immutable) }))]
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Extract {
    signature: Signature,
}

/// The field named by the first (constant) argument.
fn part_of(arg: Option<&ScalarValue>) -> Result<Part> {
    match arg {
        Some(ScalarValue::Utf8(Some(name)) | ScalarValue::LargeUtf8(Some(name)) | ScalarValue::Utf8View(Some(name))) => match Part::of(name) {
            Some(p) => Ok(p),
            None => plan_err!("[INVALID_EXTRACT_FIELD] Cannot extract {name}: it is not a field Spark extracts"),
        },
        _ => plan_err!("the field to extract must be a constant"),
    }
}

/// The result type of a part of a value of this type.
fn result_type(part: Part, value: &DataType) -> Result<DataType> {
    let interval = |allowed: &[Part], small: bool| {
        if !allowed.contains(&part) {
            return plan_err!("[INVALID_EXTRACT_FIELD] Cannot extract {part:?} from {value}");
        }
        Ok(match part {
            Part::Second => DataType::Decimal128(8, 6),
            Part::Year | Part::Day => DataType::Int32,
            _ if small => DataType::Int8,
            _ => DataType::Int32,
        })
    };
    match value {
        DataType::Interval(IntervalUnit::YearMonth) => interval(&[Part::Year, Part::Month], true),
        DataType::Duration(_) => interval(&[Part::Day, Part::Hour, Part::Minute, Part::Second], true),
        DataType::Interval(_) => interval(&[Part::Year, Part::Month, Part::Day, Part::Hour, Part::Minute, Part::Second], true),
        _ if part == Part::Second => Ok(DataType::Decimal128(8, 6)),
        _ => Ok(DataType::Int32),
    }
}

impl ScalarUDFImpl for Extract {
    fn name(&self) -> &str {
        EXTRACT
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        plan_err!("{EXTRACT} is typed from its arguments")
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let part = part_of(args.scalar_arguments.first().copied().flatten())?;
        let value = args.arg_fields.get(1).map(|f| f.data_type().clone()).unwrap_or(DataType::Null);
        Ok(Arc::new(Field::new(EXTRACT, result_type(part, &value)?, true)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let part = match &args.args[0] {
            ColumnarValue::Scalar(s) => part_of(Some(s))?,
            ColumnarValue::Array(_) => return exec_err!("the field to extract must be a constant"),
        };
        let scalar = matches!(args.args[1], ColumnarValue::Scalar(_));
        let value = args.args[1].to_array(args.number_rows)?;
        let out_type = args.return_field.data_type().clone();
        let parts: Vec<Option<i64>> = match value.data_type() {
            DataType::Interval(IntervalUnit::YearMonth) => value
                .as_primitive::<IntervalYearMonthType>()
                .iter()
                .map(|m| m.map(|m| if part == Part::Year { i64::from(m / 12) } else { i64::from(m % 12) }))
                .collect(),
            DataType::Duration(_) => {
                let micros = cast(&value, &DataType::Duration(TimeUnit::Microsecond))?;
                let micros = cast(&micros, &DataType::Int64)?;
                micros
                    .as_primitive::<Int64Type>()
                    .iter()
                    .map(|m| {
                        m.map(|m| match part {
                            Part::Day => m / 86_400_000_000,
                            Part::Hour => m / 3_600_000_000 % 24,
                            Part::Minute => m / 60_000_000 % 60,
                            _ => m % 60_000_000,
                        })
                    })
                    .collect()
            }
            _ => times(&value)?.iter().map(|t| t.as_ref().map(|t| part.of_time(t))).collect(),
        };
        let out: ArrayRef = match out_type {
            DataType::Decimal128(p, s) => Arc::new(Decimal128Array::from(parts.iter().map(|v| v.map(i128::from)).collect::<Vec<_>>()).with_precision_and_scale(p, s)?),
            DataType::Int8 => Arc::new(parts.iter().map(|v| v.map(|v| v as i8)).collect::<Int8Array>()),
            _ => Arc::new(parts.iter().map(|v| v.map(|v| v as i32)).collect::<Int32Array>()),
        };
        super::columnar(out, scalar)
    }
}
