//! Values as text the way Spark's `CAST(x AS STRING)` writes them, where Arrow's cast writes
//! them otherwise or not at all: doubles as Java prints them (`1.0E10`, `1.0E-5`), timestamps
//! with a space and no trailing zeros (`2020-01-01 00:00:00.5`), arrays as `[1, null]`, maps as
//! `{k -> v}`, structs as `{1, x}` (their values only), intervals as their literals
//! (`INTERVAL '1-2' YEAR TO MONTH`) and bytes read as UTF-8. The cast rule
//! (`engine::spark_casts::text`) puts `hivewire_spark_text(x)` in place of such casts; `to_csv`
//! writes its fields with it too.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Float32Type, Float64Type, IntervalUnit, IntervalYearMonthType, TimeUnit, TimestampMicrosecondType};
use datafusion::common::{exec_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, Volatility};
use hivewire_backend::java_numbers::{double_text, float_text};

use super::SparkFunction;
use crate::hiveql::ansi_intervals::{AnsiInterval, Field};

/// The function's name.
pub(crate) const NAME: &str = "hivewire_spark_text";

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![udf()]
}

/// The function, for the cast rule to call.
pub(crate) fn udf() -> Arc<ScalarUDF> {
    SparkFunction::udf(NAME, Signature::any(1, Volatility::Immutable), |_| Ok(DataType::Utf8), spark_text)
}

/// Whether Arrow's cast of this type to text differs from Spark's.
pub(crate) fn differs_from_arrow(t: &DataType) -> bool {
    matches!(
        t,
        DataType::Float16
            | DataType::Float32
            | DataType::Float64
            | DataType::Timestamp(..)
            | DataType::List(_)
            | DataType::LargeList(_)
            | DataType::FixedSizeList(..)
            | DataType::Map(..)
            | DataType::Struct(_)
    )
}

fn spark_text(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let [a] = args else { return exec_err!("{NAME} takes one value") };
    Ok(Arc::new(StringArray::from(texts(a)?)))
}

/// Each value's text, None where it is NULL.
pub(crate) fn texts(a: &ArrayRef) -> Result<Vec<Option<String>>> {
    let valid = |i: usize| a.is_valid(i);
    let each = |f: &dyn Fn(usize) -> String| (0..a.len()).map(|i| valid(i).then(|| f(i))).collect::<Vec<_>>();
    Ok(match a.data_type() {
        DataType::Float64 => each(&|i| double_text(a.as_primitive::<Float64Type>().value(i))),
        DataType::Float32 => each(&|i| float_text(a.as_primitive::<Float32Type>().value(i))),
        DataType::Float16 => texts(&cast(a, &DataType::Float32)?)?,
        DataType::Timestamp(TimeUnit::Microsecond, None) => {
            let micros = a.as_primitive::<TimestampMicrosecondType>();
            each(&|i| timestamp_text(micros.value(i)))
        }
        // Another unit or a zone: the wall-clock time in the zone, in microseconds.
        DataType::Timestamp(..) => texts(&cast(a, &DataType::Timestamp(TimeUnit::Microsecond, None))?)?,
        DataType::List(_) => {
            let list = a.as_list::<i32>();
            let items = texts(list.values())?;
            let offsets: Vec<usize> = list.value_offsets().iter().map(|o| *o as usize).collect();
            each(&|i| bracketed('[', &items[offsets[i]..offsets[i + 1]], ']'))
        }
        DataType::LargeList(_) => {
            let list = a.as_list::<i64>();
            let items = texts(list.values())?;
            let offsets: Vec<usize> = list.value_offsets().iter().map(|o| *o as usize).collect();
            each(&|i| bracketed('[', &items[offsets[i]..offsets[i + 1]], ']'))
        }
        DataType::FixedSizeList(_, n) => {
            let list = a.as_fixed_size_list();
            let items = texts(list.values())?;
            let n = *n as usize;
            each(&|i| bracketed('[', &items[i * n..(i + 1) * n], ']'))
        }
        DataType::Map(..) => {
            let map = a.as_map();
            let (keys, values) = (texts(map.keys())?, texts(map.values())?);
            let offsets: Vec<usize> = map.value_offsets().iter().map(|o| *o as usize).collect();
            let entries: Vec<Option<String>> = keys
                .iter()
                .zip(&values)
                .map(|(k, v)| Some(format!("{} -> {}", k.as_deref().unwrap_or("null"), v.as_deref().unwrap_or("null"))))
                .collect();
            each(&|i| bracketed('{', &entries[offsets[i]..offsets[i + 1]], '}'))
        }
        DataType::Struct(_) => {
            let fields = a.as_struct().columns().iter().map(texts).collect::<Result<Vec<_>>>()?;
            each(&|i| bracketed('{', &fields.iter().map(|f| f[i].clone()).collect::<Vec<_>>(), '}'))
        }
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView | DataType::FixedSizeBinary(_) => {
            let bytes = cast(a, &DataType::LargeBinary)?;
            let bytes = bytes.as_binary::<i64>();
            each(&|i| String::from_utf8_lossy(bytes.value(i)).into_owned())
        }
        DataType::Interval(IntervalUnit::YearMonth) => {
            let months = a.as_primitive::<IntervalYearMonthType>();
            each(&|i| AnsiInterval::YearMonth { months: months.value(i), start: Field::Year, end: Field::Month }.to_string())
        }
        DataType::Duration(_) => {
            let micros = cast(a, &DataType::Duration(TimeUnit::Microsecond))?;
            let micros = micros.as_primitive::<datafusion::arrow::datatypes::DurationMicrosecondType>();
            each(&|i| AnsiInterval::DayTime { micros: micros.value(i), start: Field::Day, end: Field::Second }.to_string())
        }
        // Text, numbers, booleans, dates and decimals: Arrow's text is Spark's.
        _ => {
            let text = cast(a, &DataType::Utf8)?;
            let text = text.as_string::<i32>();
            each(&|i| text.value(i).to_string())
        }
    })
}

/// Items between brackets, separated by `, `, a NULL item written `null`.
fn bracketed(open: char, items: &[Option<String>], close: char) -> String {
    let mut out = String::from(open);
    for (k, item) in items.iter().enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        out.push_str(item.as_deref().unwrap_or("null"));
    }
    out.push(close);
    out
}

/// `2020-01-01 00:00:00.5`: the fraction of a second without trailing zeros, none when whole.
pub(crate) fn timestamp_text(micros: i64) -> String {
    let Some(t) = chrono::DateTime::from_timestamp_micros(micros) else { return micros.to_string() };
    let whole = t.naive_utc().format("%Y-%m-%d %H:%M:%S").to_string();
    let fraction = micros.rem_euclid(1_000_000);
    if fraction == 0 {
        return whole;
    }
    let digits = format!("{fraction:06}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{Float64Array, Int32Array, ListArray, StructArray, TimestampMicrosecondArray};
    use datafusion::arrow::datatypes::{Field as ArrowField, Int32Type};

    #[test]
    fn values_are_written_as_spark_casts_them() {
        let doubles: ArrayRef = Arc::new(Float64Array::from(vec![Some(1e10), None, Some(0.5)]));
        assert_eq!(texts(&doubles).unwrap(), vec![Some("1.0E10".into()), None, Some("0.5".into())]);
        let ts: ArrayRef = Arc::new(TimestampMicrosecondArray::from(vec![1_577_836_800_500_000, -1]));
        assert_eq!(texts(&ts).unwrap(), vec![Some("2020-01-01 00:00:00.5".into()), Some("1969-12-31 23:59:59.999999".into())]);
    }

    #[test]
    fn nested_values_show_nulls() {
        let list: ArrayRef = Arc::new(ListArray::from_iter_primitive::<Int32Type, _, _>(vec![Some(vec![Some(1), None]), None]));
        assert_eq!(texts(&list).unwrap(), vec![Some("[1, null]".into()), None]);
        let s: ArrayRef = Arc::new(StructArray::from(vec![(
            Arc::new(ArrowField::new("a", DataType::Int32, true)),
            Arc::new(Int32Array::from(vec![Some(1), None])) as ArrayRef,
        )]));
        assert_eq!(texts(&s).unwrap(), vec![Some("{1}".into()), Some("{null}".into())]);
    }
}
