//! Spark's ANSI interval types in the engine. A year-month interval is Arrow's year-month
//! interval and a day-time interval an Arrow duration, so that DataFusion adds them to dates and
//! timestamps, compares, sums and averages them as it does its own. What Spark does beyond that is
//! here: the typed literal constructors the HiveQL front end writes, `make_ym_interval` and
//! `make_dt_interval`, casts to intervals, an interval times or divided by a number, and the date arithmetic whose
//! results Spark types as intervals (`date - date` is an interval of days).

mod casts;
mod constructors;
mod planner;
mod scaling;
mod sign;

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, IntervalUnit};
use datafusion::logical_expr::ScalarUDF;

pub(crate) use casts::calendar as calendar_interval;
pub(crate) use planner::SparkIntervalArithmetic;
pub(crate) use scaling::divide_udf;
pub(crate) use sign::{interval_aware, WRAPPED};

/// Every interval function, ready to register.
pub(crate) fn functions() -> Vec<Arc<ScalarUDF>> {
    let mut out = constructors::functions();
    out.extend(casts::functions());
    out.extend(scaling::functions());
    out
}

/// Whether a type is one of Spark's interval types (or Spark's calendar interval).
pub(crate) fn is_interval(t: &DataType) -> bool {
    matches!(t, DataType::Interval(IntervalUnit::YearMonth | IntervalUnit::MonthDayNano) | DataType::Duration(_))
}
