//! Intervals in Spark Thrift Server's text forms: year-month intervals as `1-2` (`-0-11`),
//! day-time intervals as `1 02:03:04.000000000`, and intervals with months and days or time
//! together (Spark's calendar intervals) as `1 years 2 months 3 days 4 hours 5 minutes 6.5 seconds`.
//! Year-month intervals are Arrow's year-month intervals, day-time intervals are durations, and
//! Arrow's month-day-nanosecond intervals are Spark's calendar intervals.

use arrow::array::{Array, ArrayRef, AsArray};
use arrow::datatypes::{
    DataType, DurationMicrosecondType, DurationMillisecondType, DurationNanosecondType, DurationSecondType, IntervalDayTimeType,
    IntervalMonthDayNanoType, IntervalUnit, IntervalYearMonthType, TimeUnit,
};

const NANOS_PER_DAY: i128 = 86_400_000_000_000;

/// `[-]y-m`.
fn year_month(months: i64) -> String {
    let sign = if months < 0 { "-" } else { "" };
    let m = months.unsigned_abs();
    format!("{sign}{}-{}", m / 12, m % 12)
}

/// `[-]d hh:mm:ss.nnnnnnnnn`.
fn day_time(nanos: i128) -> String {
    let sign = if nanos < 0 { "-" } else { "" };
    let n = nanos.unsigned_abs();
    let per_day = NANOS_PER_DAY.unsigned_abs();
    let (days, rest) = (n / per_day, n % per_day);
    let (secs, frac) = (rest / 1_000_000_000, rest % 1_000_000_000);
    format!("{sign}{days} {:02}:{:02}:{:02}.{frac:09}", secs / 3600, secs / 60 % 60, secs % 60)
}

/// Spark's calendar interval text: each non-zero unit, seconds with their fraction.
fn calendar(months: i32, days: i32, nanos: i64) -> String {
    let mut parts = Vec::new();
    let (years, months) = (months / 12, months % 12);
    let units = [(i64::from(years), "years"), (i64::from(months), "months"), (i64::from(days), "days")];
    parts.extend(units.iter().filter(|(v, _)| *v != 0).map(|(v, u)| format!("{v} {u}")));
    let (hours, rest) = (nanos / 3_600_000_000_000, nanos % 3_600_000_000_000);
    let (minutes, rest) = (rest / 60_000_000_000, rest % 60_000_000_000);
    if hours != 0 {
        parts.push(format!("{hours} hours"));
    }
    if minutes != 0 {
        parts.push(format!("{minutes} minutes"));
    }
    if rest != 0 {
        let micros = rest / 1000;
        let (whole, frac) = (micros / 1_000_000, (micros % 1_000_000).abs());
        let sign = if micros < 0 && whole == 0 { "-" } else { "" };
        let frac = format!("{frac:06}");
        let frac = frac.trim_end_matches('0');
        let text = if frac.is_empty() { format!("{sign}{whole}") } else { format!("{sign}{whole}.{frac}") };
        parts.push(format!("{text} seconds"));
    }
    if parts.is_empty() {
        return "0 seconds".into();
    }
    parts.join(" ")
}

/// The text of an interval or duration value, or None for other types.
pub fn text(a: &ArrayRef, i: usize) -> Option<String> {
    Some(match a.data_type() {
        DataType::Interval(IntervalUnit::YearMonth) => year_month(i64::from(a.as_primitive::<IntervalYearMonthType>().value(i))),
        DataType::Interval(IntervalUnit::DayTime) => {
            let v = a.as_primitive::<IntervalDayTimeType>().value(i);
            day_time(i128::from(v.days) * NANOS_PER_DAY + i128::from(v.milliseconds) * 1_000_000)
        }
        DataType::Interval(IntervalUnit::MonthDayNano) => {
            let v = a.as_primitive::<IntervalMonthDayNanoType>().value(i);
            calendar(v.months, v.days, v.nanoseconds)
        }
        DataType::Duration(unit) => {
            let nanos = match unit {
                TimeUnit::Second => i128::from(a.as_primitive::<DurationSecondType>().value(i)) * 1_000_000_000,
                TimeUnit::Millisecond => i128::from(a.as_primitive::<DurationMillisecondType>().value(i)) * 1_000_000,
                TimeUnit::Microsecond => i128::from(a.as_primitive::<DurationMicrosecondType>().value(i)) * 1000,
                TimeUnit::Nanosecond => i128::from(a.as_primitive::<DurationNanosecondType>().value(i)),
            };
            day_time(nanos)
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_print_like_spark() {
        assert_eq!(year_month(14), "1-2");
        assert_eq!(year_month(-11), "-0-11");
        assert_eq!(day_time(-23 * 3_600_000_000_000), "-0 23:00:00.000000000");
        assert_eq!(day_time(NANOS_PER_DAY + 3_723_005_006_000), "1 01:02:03.005006000");
        assert_eq!(calendar(14, 25, 18_367_008_009_000), "1 years 2 months 25 days 5 hours 6 minutes 7.008009 seconds");
        assert_eq!(calendar(12, 0, 0), "1 years");
    }
}
