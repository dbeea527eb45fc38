//! Spark aggregate functions that neither DataFusion nor datafusion-spark provides, with Spark's
//! semantics, registered in every session under Spark's names.

mod histogram_numeric;
mod moments;

use std::sync::Arc;

use datafusion::logical_expr::AggregateUDF;

/// Every aggregate this module provides.
pub(crate) fn all() -> Vec<Arc<AggregateUDF>> {
    vec![
        Arc::new(AggregateUDF::from(histogram_numeric::HistogramNumeric::default())),
        Arc::new(AggregateUDF::from(moments::CentralMoments::new(moments::Statistic::Skewness))),
        Arc::new(AggregateUDF::from(moments::CentralMoments::new(moments::Statistic::Kurtosis))),
    ]
}
