//! Spark aggregate functions that neither DataFusion nor datafusion-spark provides, with Spark's
//! semantics, registered in every session under Spark's names.

mod extreme_by;
mod histogram_numeric;
mod mode;
mod moments;
mod percentiles;

use std::sync::Arc;

use datafusion::common::ScalarValue;
use datafusion::logical_expr::function::AccumulatorArgs;
use datafusion::logical_expr::AggregateUDF;
use datafusion::physical_expr::expressions::Literal;

/// The value of argument `i` when the query gave a constant there.
fn constant_argument(args: &AccumulatorArgs, i: usize) -> Option<ScalarValue> {
    args.exprs.get(i).and_then(|e| e.downcast_ref::<Literal>()).map(|l| l.value().clone())
}

/// Every aggregate this module provides.
pub(crate) fn all() -> Vec<Arc<AggregateUDF>> {
    vec![
        Arc::new(AggregateUDF::from(histogram_numeric::HistogramNumeric::default())),
        Arc::new(AggregateUDF::from(moments::CentralMoments::new(moments::Statistic::Skewness))),
        Arc::new(AggregateUDF::from(moments::CentralMoments::new(moments::Statistic::Kurtosis))),
        Arc::new(AggregateUDF::from(extreme_by::ExtremeBy::new(extreme_by::End::Max))),
        Arc::new(AggregateUDF::from(extreme_by::ExtremeBy::new(extreme_by::End::Min))),
        Arc::new(AggregateUDF::from(percentiles::Percentile::new(percentiles::Kind::Exact))),
        Arc::new(AggregateUDF::from(percentiles::Percentile::new(percentiles::Kind::Approx))),
        Arc::new(AggregateUDF::from(percentiles::Percentile::new(percentiles::Kind::Discrete))),
        Arc::new(AggregateUDF::from(mode::Mode::default())),
    ]
}
