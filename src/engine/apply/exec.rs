//! Running an apply node: for each input row, the subquery with the row's outer values bound in,
//! its answer cached per distinct set of values.

use std::fmt;
use std::sync::Arc;

use datafusion::arrow::array::{new_empty_array, ArrayRef, RecordBatch};
use datafusion::arrow::datatypes::{DataType, SchemaRef};
use datafusion::catalog::Session;
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::common::{exec_err, Result, ScalarValue};
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::logical_expr::physical_planning_context::PhysicalPlanningContext;
use datafusion::physical_expr::PhysicalExpr;
use datafusion::physical_plan::execution_plan::{ChildrenPropertiesMode, ReplaceChildrenOptions};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{DisplayAs, DisplayFormatType, ExecutionPlan, PlanProperties};
use datafusion::physical_planner::PhysicalPlanner;
use futures::StreamExt;

use super::node::{ApplyKind, ApplyNode};
use super::per_row::PerRow;

/// How the added column is computed from the subquery's answer.
#[derive(Debug)]
enum Kind {
    Scalar(DataType),
    Exists,
    In(Arc<dyn PhysicalExpr>),
}

/// The per-row work, shared by the partitions of one apply.
#[derive(Debug)]
struct Evaluator {
    subquery: PerRow,
    kind: Kind,
}

/// The apply operator.
#[derive(Debug)]
pub(crate) struct ApplyExec {
    input: Arc<dyn ExecutionPlan>,
    evaluator: Arc<Evaluator>,
    column: String,
    schema: SchemaRef,
    properties: Arc<PlanProperties>,
}

impl ApplyExec {
    /// Plans an apply node over its planned input.
    pub(crate) fn plan(
        node: &ApplyNode,
        input: Arc<dyn ExecutionPlan>,
        planner: &dyn PhysicalPlanner,
        session: &dyn Session,
        planning_ctx: &PhysicalPlanningContext,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let input_schema = node.input.schema();
        let subquery = PerRow::try_new(node.subquery.clone(), &node.outer_refs, input_schema, session)?;
        let kind = match &node.kind {
            ApplyKind::Scalar => Kind::Scalar(node.subquery.schema().field(0).data_type().clone()),
            ApplyKind::Exists => Kind::Exists,
            ApplyKind::In(e) => Kind::In(planner.create_physical_expr(e, input_schema, session, planning_ctx)?),
        };
        let evaluator = Evaluator { subquery, kind };
        let schema: SchemaRef = Arc::new(datafusion::logical_expr::UserDefinedLogicalNodeCore::schema(node).as_arrow().clone());
        Ok(Arc::new(Self::new(input, Arc::new(evaluator), node.column.clone(), schema)))
    }

    fn new(input: Arc<dyn ExecutionPlan>, evaluator: Arc<Evaluator>, column: String, schema: SchemaRef) -> Self {
        let properties = crate::engine::row_operators::properties(&input, schema.clone());
        ApplyExec { input, evaluator, column, schema, properties }
    }
}

/// `probe IN (values)` with SQL's NULL semantics.
fn in_values(probe: &ScalarValue, values: &[ScalarValue]) -> Result<ScalarValue> {
    if values.is_empty() {
        return Ok(ScalarValue::Boolean(Some(false)));
    }
    if probe.is_null() {
        return Ok(ScalarValue::Boolean(None));
    }
    let mut saw_null = false;
    for v in values {
        if v.is_null() {
            saw_null = true;
            continue;
        }
        let v = if v.data_type() == probe.data_type() { v.clone() } else { v.cast_to(&probe.data_type())? };
        if &v == probe {
            return Ok(ScalarValue::Boolean(Some(true)));
        }
    }
    Ok(ScalarValue::Boolean(if saw_null { None } else { Some(false) }))
}

/// What the subquery gave for one set of outer values: its row count and first column.
struct Answer {
    rows: usize,
    values: Vec<ScalarValue>,
}

impl Evaluator {
    /// The subquery's answer for one set of outer values.
    async fn answer(&self, key: Vec<ScalarValue>) -> Result<Answer> {
        let batch = self.subquery.rows(key).await?;
        let values = match batch.num_columns() {
            0 => Vec::new(),
            _ => (0..batch.num_rows()).map(|row| ScalarValue::try_from_array(batch.column(0), row)).collect::<Result<_>>()?,
        };
        Ok(Answer { rows: batch.num_rows(), values })
    }

    /// The batch with the subquery's value for each row added.
    async fn extend(&self, batch: RecordBatch, schema: SchemaRef) -> Result<RecordBatch> {
        let probes: Option<ArrayRef> = match &self.kind {
            Kind::In(e) => Some(e.evaluate(&batch)?.into_array(batch.num_rows())?),
            _ => None,
        };
        let mut out = Vec::with_capacity(batch.num_rows());
        for row in 0..batch.num_rows() {
            let key = self.subquery.key(&batch, row)?;
            let answer = self.answer(key).await?;
            out.push(match (&self.kind, &probes) {
                (Kind::Scalar(t), _) => match answer.rows {
                    0 => ScalarValue::try_from(t)?,
                    1 => answer.values.first().cloned().map_or_else(|| ScalarValue::try_from(t), Ok)?,
                    _ => {
                        return exec_err!(
                            "[SCALAR_SUBQUERY_TOO_MANY_ROWS] more than one row returned by a subquery used as an expression"
                        )
                    }
                },
                (Kind::Exists, _) => ScalarValue::Boolean(Some(answer.rows > 0)),
                (Kind::In(_), Some(p)) => in_values(&ScalarValue::try_from_array(p, row)?, &answer.values)?,
                (Kind::In(_), None) => ScalarValue::Boolean(None),
            });
        }
        let added_type = schema.field(schema.fields().len() - 1).data_type().clone();
        let added = if out.is_empty() { new_empty_array(&added_type) } else { ScalarValue::iter_to_array(out)? };
        let added = if added.data_type() == &added_type { added } else { datafusion::arrow::compute::cast(&added, &added_type)? };
        let mut columns = batch.columns().to_vec();
        columns.push(added);
        Ok(RecordBatch::try_new(schema, columns)?)
    }
}

impl DisplayAs for ApplyExec {
    fn fmt_as(&self, _t: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "ApplyExec: {} (subquery per row)", self.column)
    }
}

impl ExecutionPlan for ApplyExec {
    fn name(&self) -> &str {
        "ApplyExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    // Rows keep their input order, but the output declares no ordering, so no sort may be
    // placed below this operator to satisfy one above it.
    fn maintains_input_order(&self) -> Vec<bool> {
        vec![false]
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![&self.input]
    }

    fn apply_expressions(
        &self,
        f: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> Result<TreeNodeRecursion>,
    ) -> Result<TreeNodeRecursion> {
        match &self.evaluator.kind {
            Kind::In(e) => f(e),
            Kind::Scalar(_) | Kind::Exists => Ok(TreeNodeRecursion::Continue),
        }
    }

    fn replace_children(
        self: Arc<Self>,
        children: Vec<Arc<dyn ExecutionPlan>>,
        _options: ReplaceChildrenOptions,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let child = crate::engine::row_operators::only_child(children, "ApplyExec")?;
        Ok(Arc::new(ApplyExec::new(child, self.evaluator.clone(), self.column.clone(), self.schema.clone())))
    }

    fn with_new_children(self: Arc<Self>, children: Vec<Arc<dyn ExecutionPlan>>) -> Result<Arc<dyn ExecutionPlan>> {
        self.replace_children(children, ReplaceChildrenOptions::new(ChildrenPropertiesMode::Recompute))
    }

    fn execute(&self, partition: usize, context: Arc<TaskContext>) -> Result<SendableRecordBatchStream> {
        let input = self.input.execute(partition, context)?;
        let evaluator = self.evaluator.clone();
        let schema = self.schema.clone();
        let out = input.then(move |batch| {
            let evaluator = evaluator.clone();
            let schema = schema.clone();
            async move { evaluator.extend(batch?, schema).await }
        });
        Ok(Box::pin(RecordBatchStreamAdapter::new(self.schema.clone(), out)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_follows_sql_null_semantics() {
        let i = |v: i32| ScalarValue::Int32(Some(v));
        let null = ScalarValue::Int32(None);
        assert_eq!(in_values(&i(1), &[i(1), i(2)]).unwrap(), ScalarValue::Boolean(Some(true)));
        assert_eq!(in_values(&i(3), &[i(1), null.clone()]).unwrap(), ScalarValue::Boolean(None));
        assert_eq!(in_values(&null, &[i(1)]).unwrap(), ScalarValue::Boolean(None));
        assert_eq!(in_values(&null, &[]).unwrap(), ScalarValue::Boolean(Some(false)));
        assert_eq!(in_values(&ScalarValue::Int64(Some(2)), &[i(2)]).unwrap(), ScalarValue::Boolean(Some(true)));
    }
}
