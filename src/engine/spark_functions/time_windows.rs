//! The windows of Spark's `window(time, duration[, slide[, start]])`: for each row, the windows
//! its time falls in, each a struct of `start` and `end` of the time's type, which the HiveQL
//! front end explodes into the rows Spark makes (hiveql/time_windows.rs). A window starts
//! `start + k * slide` for some whole k and lasts `duration`; Spark counts these on the instants
//! the times are, so a time is read in the session's zone (the last argument) and the window's
//! bounds are written back in it. A NULL time has no window, so the row is dropped, as in Spark;
//! and `window_time(w)` is the last microsecond of a window.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int64Array, ListArray, StructArray, TimestampMicrosecondArray};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Fields, TimeUnit, TimestampMicrosecondType};
use datafusion::common::{exec_err, plan_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, Volatility};

use super::{zone_argument, SparkFunction};

/// The function the front end calls: `hivewire_time_windows(time, duration, slide, start, zone)`,
/// with the three spans in microseconds.
pub const TIME_WINDOWS: &str = "hivewire_time_windows";

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![
        SparkFunction::udf(TIME_WINDOWS, Signature::any(5, Volatility::Immutable), windows_type, windows),
        SparkFunction::udf("window_time", Signature::any(1, Volatility::Immutable), window_time_type, window_time),
    ]
}

/// The timestamp type of a window's bounds: the time's, or a timestamp for a date.
fn bound_type(time: &DataType) -> Result<DataType> {
    match time {
        DataType::Timestamp(_, zone) => Ok(DataType::Timestamp(TimeUnit::Microsecond, zone.clone())),
        DataType::Date32 | DataType::Date64 | DataType::Null => Ok(DataType::Timestamp(TimeUnit::Microsecond, None)),
        other => plan_err!("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] window takes a TIMESTAMP, not {other}"),
    }
}

fn window_fields(bound: &DataType) -> Fields {
    Fields::from(vec![Field::new("start", bound.clone(), true), Field::new("end", bound.clone(), true)])
}

fn windows_type(args: &[DataType]) -> Result<DataType> {
    let fields = window_fields(&bound_type(&args[0])?);
    Ok(DataType::List(Arc::new(Field::new_list_field(DataType::Struct(fields), false))))
}

fn constant(a: &ArrayRef, what: &str) -> Result<i64> {
    let v = cast(a, &DataType::Int64)?;
    let v: &Int64Array = v.as_primitive();
    if v.is_empty() || v.is_null(0) {
        return exec_err!("window's {what} must be a constant");
    }
    Ok(v.value(0))
}

/// The starts of the windows holding `t`, earliest last, as Spark lists them.
pub(crate) fn starts(t: i64, duration: i64, slide: i64, start: i64) -> Vec<i64> {
    let last = t - (t - start).rem_euclid(slide);
    let count = (duration + slide - 1) / slide;
    (0..count).map(|i| last - i * slide).filter(|s| *s <= t && t < s + duration).collect()
}

fn windows(args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    let bound = bound_type(args[0].data_type())?;
    let times = cast(&args[0], &DataType::Timestamp(TimeUnit::Microsecond, None))?;
    let times = times.as_primitive::<TimestampMicrosecondType>();
    let (duration, slide, start) = (constant(&args[1], "duration")?, constant(&args[2], "slide")?, constant(&args[3], "start time")?);
    if duration <= 0 || slide <= 0 {
        return exec_err!("window's duration and slide must be greater than 0");
    }
    let zone = zone_argument(args.get(4))?;
    let (mut starts_out, mut ends_out, mut lengths) = (Vec::new(), Vec::new(), Vec::with_capacity(rows));
    for row in 0..rows {
        let r = super::row_of(times, row);
        if times.is_null(r) {
            lengths.push(0);
            continue;
        }
        let instant = zone.instant_micros(times.value(r));
        let found = starts(instant, duration, slide, start);
        lengths.push(found.len());
        for s in found {
            starts_out.push(zone.wall_micros(s));
            ends_out.push(zone.wall_micros(s + duration));
        }
    }
    let timestamps = |v: Vec<i64>| -> Result<ArrayRef> { Ok(cast(&TimestampMicrosecondArray::from(v), &bound)?) };
    let fields = window_fields(&bound);
    let entries = StructArray::try_new(fields.clone(), vec![timestamps(starts_out)?, timestamps(ends_out)?], None)?;
    let item = Arc::new(Field::new_list_field(DataType::Struct(fields), false));
    Ok(Arc::new(ListArray::try_new(item, OffsetBuffer::from_lengths(lengths), Arc::new(entries), None)?))
}

fn window_time_type(args: &[DataType]) -> Result<DataType> {
    match &args[0] {
        DataType::Struct(fields) if fields.len() == 2 && matches!(fields[1].data_type(), DataType::Timestamp(_, _)) => {
            Ok(fields[1].data_type().clone())
        }
        other => plan_err!("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] window_time takes a window column, not {other}"),
    }
}

fn window_time(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let window = args[0].as_struct();
    let end = window.column(1);
    let micros = cast(end, &DataType::Timestamp(TimeUnit::Microsecond, None))?;
    let last: TimestampMicrosecondArray =
        micros.as_primitive::<TimestampMicrosecondType>().iter().zip(0..).map(|(v, i)| v.filter(|_| window.is_valid(i)).map(|v| v - 1)).collect();
    Ok(cast(&last, end.data_type())?)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: i64 = 60_000_000;

    #[test]
    fn windows_hold_their_times() {
        let t = 3 * MINUTE + 10_000_000;
        assert_eq!(starts(t, 5 * MINUTE, 5 * MINUTE, 0), vec![0]);
        assert_eq!(starts(t, 10 * MINUTE, 5 * MINUTE, 0), vec![0, -5 * MINUTE]);
        assert_eq!(starts(t, 60 * MINUTE, 60 * MINUTE, 15 * MINUTE), vec![-45 * MINUTE]);
        // Before 1970 the windows still hold their times.
        assert_eq!(starts(-100_000_000, 90_000_000, 90_000_000, 0), vec![-180_000_000]);
        // Windows longer than a whole number of slides hold fewer times in their last slide.
        assert_eq!(starts(3 * MINUTE, 7 * MINUTE, 5 * MINUTE, 0), vec![0]);
        assert_eq!(starts(MINUTE, 7 * MINUTE, 5 * MINUTE, 0), vec![0, -5 * MINUTE]);
    }
}
