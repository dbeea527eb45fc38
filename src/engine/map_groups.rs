//! GROUP BY over maps (or arrays and structs holding maps) groups equal maps together, whatever
//! the order of their entries, as Spark does: `map(1, 2, 2, 3)` and `map(2, 3, 1, 2)` are one
//! group. DataFusion compares maps entry by entry in their stored order, so an analyzer rule, run
//! last, puts each such grouping key through `hivewire_canonical_map`, which sorts every map's
//! entries by key. (HiveServer2 prints a map's entries sorted anyway, as Spark Thrift Server does.)

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray, MapArray, StructArray, UInt32Array};
use datafusion::arrow::compute::take;
use datafusion::arrow::datatypes::DataType;
use datafusion::arrow::row::{RowConverter, SortField};
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::Transformed;
use datafusion::common::{exec_err, Result};
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::expr_rewriter::NamePreserver;
use datafusion::logical_expr::{Aggregate, Expr, ExprSchemable, LogicalPlan, ScalarUDF, Signature, Volatility};
use datafusion::optimizer::AnalyzerRule;

use super::spark_functions::SparkFunction;

/// The function's name.
const CANONICAL_MAP: &str = "hivewire_canonical_map";

fn udf() -> Arc<ScalarUDF> {
    SparkFunction::udf(CANONICAL_MAP, Signature::any(1, Volatility::Immutable), |t| Ok(t[0].clone()), canonical_map)
}

/// Whether a type is or holds a map.
fn holds_map(t: &DataType) -> bool {
    match t {
        DataType::Map(..) => true,
        DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _) => holds_map(f.data_type()),
        DataType::Struct(fields) => fields.iter().any(|f| holds_map(f.data_type())),
        _ => false,
    }
}

/// The values with every map's entries sorted by key, nested maps first.
fn canonical(a: &ArrayRef) -> Result<ArrayRef> {
    Ok(match a.data_type() {
        DataType::Map(field, sorted) => {
            let map = a.as_map();
            let entries = map.entries();
            let keys = canonical(entries.column(0))?;
            let values = canonical(entries.column(1))?;
            // Each map's entries in key order, as indices into the entries.
            let converter = RowConverter::new(vec![SortField::new(keys.data_type().clone())])?;
            let rows = converter.convert_columns(&[Arc::clone(&keys)])?;
            let offsets = map.value_offsets();
            let mut order: Vec<u32> = Vec::with_capacity(keys.len());
            for w in offsets.windows(2) {
                let (start, end) = (w[0] as usize, w[1] as usize);
                let mut range: Vec<usize> = (start..end).collect();
                range.sort_by(|x, y| rows.row(*x).cmp(&rows.row(*y)));
                order.extend(range.into_iter().map(|i| i as u32));
            }
            let order = UInt32Array::from(order);
            let fields = match field.data_type() {
                DataType::Struct(fields) => fields.clone(),
                other => return exec_err!("{CANONICAL_MAP}: map entries of type {other}"),
            };
            let entries = StructArray::try_new(fields, vec![take(&keys, &order, None)?, take(&values, &order, None)?], entries.nulls().cloned())?;
            Arc::new(MapArray::try_new(Arc::clone(field), map.offsets().clone(), entries, map.nulls().cloned(), *sorted)?)
        }
        DataType::List(field) => {
            let list = a.as_list::<i32>();
            Arc::new(ListArray::try_new(Arc::clone(field), list.offsets().clone(), canonical(list.values())?, list.nulls().cloned())?)
        }
        DataType::Struct(fields) => {
            let s = a.as_struct();
            let columns = s.columns().iter().map(canonical).collect::<Result<Vec<_>>>()?;
            Arc::new(StructArray::try_new(fields.clone(), columns, s.nulls().cloned())?)
        }
        _ => Arc::clone(a),
    })
}

fn canonical_map(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    match args {
        [a] => canonical(a),
        _ => exec_err!("{CANONICAL_MAP} takes one value"),
    }
}

/// The analyzer rule.
#[derive(Debug, Default)]
struct MapGroups;

fn canonical_groups(plan: LogicalPlan) -> Result<Transformed<LogicalPlan>> {
    let LogicalPlan::Aggregate(agg) = plan else { return Ok(Transformed::no(plan)) };
    let schema = agg.input.schema();
    let keyed_by_maps = agg.group_expr.iter().any(|e| e.get_type(schema).is_ok_and(|t| holds_map(&t)));
    if !keyed_by_maps {
        return Ok(Transformed::no(LogicalPlan::Aggregate(agg)));
    }
    let names = NamePreserver::new_for_projection();
    let group_expr = agg
        .group_expr
        .iter()
        .map(|e| match e.get_type(schema) {
            Ok(t) if holds_map(&t) && !matches!(e, Expr::GroupingSet(_)) => {
                let saved = names.save(e);
                saved.restore(Expr::ScalarFunction(ScalarFunction::new_udf(udf(), vec![e.clone()])))
            }
            _ => e.clone(),
        })
        .collect();
    let rebuilt = Aggregate::try_new(Arc::clone(&agg.input), group_expr, agg.aggr_expr.clone())?;
    Ok(Transformed::yes(LogicalPlan::Aggregate(rebuilt)))
}

impl AnalyzerRule for MapGroups {
    fn analyze(&self, plan: LogicalPlan, _config: &ConfigOptions) -> Result<LogicalPlan> {
        plan.transform_up_with_subqueries(canonical_groups).map(|t| t.data)
    }

    fn name(&self) -> &str {
        "map_groups"
    }
}

/// The rule, to put after DataFusion's analyzer rules.
pub(crate) fn rule() -> Arc<dyn AnalyzerRule + Send + Sync> {
    Arc::new(MapGroups)
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{Int32Array, MapBuilder, Int32Builder};

    #[test]
    fn map_entries_sort_by_key() {
        let mut b = MapBuilder::new(None, Int32Builder::new(), Int32Builder::new());
        b.keys().append_value(2);
        b.values().append_value(3);
        b.keys().append_value(1);
        b.values().append_value(2);
        b.append(true).unwrap();
        let a: ArrayRef = Arc::new(b.finish());
        let sorted = canonical(&a).unwrap();
        let keys = sorted.as_map().keys().as_any().downcast_ref::<Int32Array>().unwrap().values().to_vec();
        assert_eq!(keys, vec![1, 2]);
    }
}
