//! Running a lateral node: each input row joined to the rows its subquery gives for the row's
//! values, the subquery run once for each distinct set of values.

use std::fmt;
use std::sync::Arc;

use datafusion::arrow::array::{new_null_array, Array, ArrayRef, RecordBatch, UInt32Array};
use datafusion::arrow::compute::{cast, interleave, take};
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::Session;
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::common::{exec_err, Result};
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::physical_plan::execution_plan::{ChildrenPropertiesMode, ReplaceChildrenOptions};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{DisplayAs, DisplayFormatType, ExecutionPlan, PlanProperties};
use futures::StreamExt;

use super::lateral::LateralNode;
use super::per_row::PerRow;

/// The lateral operator.
#[derive(Debug)]
pub(crate) struct LateralExec {
    input: Arc<dyn ExecutionPlan>,
    join: Arc<Joiner>,
    properties: Arc<PlanProperties>,
}

/// The per-row work, shared by the partitions of one lateral join.
#[derive(Debug)]
struct Joiner {
    subquery: PerRow,
    keep_unmatched: bool,
    schema: SchemaRef,
}

impl LateralExec {
    /// Plans a lateral node over its planned input.
    pub(crate) fn plan(node: &LateralNode, input: Arc<dyn ExecutionPlan>, session: &dyn Session) -> Result<Arc<dyn ExecutionPlan>> {
        let subquery = PerRow::try_new(Arc::clone(&node.subquery), &node.outer_refs, node.input.schema(), session)?;
        let schema: SchemaRef = Arc::new(datafusion::logical_expr::UserDefinedLogicalNodeCore::schema(node).as_arrow().clone());
        let join = Joiner { subquery, keep_unmatched: node.keep_unmatched, schema };
        Ok(Arc::new(Self::new(input, Arc::new(join))))
    }

    fn new(input: Arc<dyn ExecutionPlan>, join: Arc<Joiner>) -> Self {
        let properties = crate::engine::row_operators::properties(&input, Arc::clone(&join.schema));
        LateralExec { input, join, properties }
    }
}

impl Joiner {
    /// The input batch's rows, each repeated for its subquery rows, those rows' columns after.
    async fn join(&self, batch: RecordBatch) -> Result<RecordBatch> {
        let left_width = batch.num_columns();
        let right_fields = &self.schema.fields()[left_width..];
        // Each source holds the right side's columns; the first is one row of NULLs.
        let mut sources: Vec<Vec<ArrayRef>> = vec![right_fields.iter().map(|f| new_null_array(f.data_type(), 1)).collect()];
        let mut answers: Vec<Arc<RecordBatch>> = Vec::new();
        let mut left_rows: Vec<u32> = Vec::new();
        let mut right_rows: Vec<(usize, usize)> = Vec::new();
        for row in 0..batch.num_rows() {
            let rows = self.subquery.rows(self.subquery.key(&batch, row)?).await?;
            let row_index = u32::try_from(row).map_err(|e| datafusion::error::DataFusionError::External(Box::new(e)))?;
            if rows.num_rows() == 0 {
                if self.keep_unmatched {
                    left_rows.push(row_index);
                    right_rows.push((0, 0));
                }
                continue;
            }
            let source = match answers.iter().position(|a| Arc::ptr_eq(a, &rows)) {
                Some(i) => i + 1,
                None => {
                    sources.push(columns_as(&rows, right_fields)?);
                    answers.push(Arc::clone(&rows));
                    answers.len()
                }
            };
            for r in 0..rows.num_rows() {
                left_rows.push(row_index);
                right_rows.push((source, r));
            }
        }
        let indices = UInt32Array::from(left_rows);
        let mut columns = batch.columns().iter().map(|c| take(c.as_ref(), &indices, None)).collect::<Result<Vec<_>, _>>()?;
        for i in 0..right_fields.len() {
            let arrays: Vec<&dyn Array> = sources.iter().map(|s| s[i].as_ref()).collect();
            columns.push(interleave(&arrays, &right_rows)?);
        }
        Ok(RecordBatch::try_new(Arc::clone(&self.schema), columns)?)
    }
}

/// A subquery answer's columns, cast to the types the join's schema gives them.
fn columns_as(rows: &RecordBatch, fields: &[datafusion::arrow::datatypes::FieldRef]) -> Result<Vec<ArrayRef>> {
    if rows.num_columns() != fields.len() {
        return exec_err!("a lateral subquery gave {} columns where {} were planned", rows.num_columns(), fields.len());
    }
    rows.columns()
        .iter()
        .zip(fields)
        .map(|(c, f)| if c.data_type() == f.data_type() { Ok(Arc::clone(c)) } else { Ok(cast(c, f.data_type())?) })
        .collect()
}

impl DisplayAs for LateralExec {
    fn fmt_as(&self, _t: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        let kind = if self.join.keep_unmatched { "left" } else { "inner" };
        write!(f, "LateralExec: {kind} (subquery per row)")
    }
}

impl ExecutionPlan for LateralExec {
    fn name(&self) -> &str {
        "LateralExec"
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
        _f: &mut dyn FnMut(&Arc<dyn datafusion::physical_expr::PhysicalExpr>) -> Result<TreeNodeRecursion>,
    ) -> Result<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }

    fn replace_children(
        self: Arc<Self>,
        children: Vec<Arc<dyn ExecutionPlan>>,
        _options: ReplaceChildrenOptions,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let child = crate::engine::row_operators::only_child(children, "LateralExec")?;
        Ok(Arc::new(LateralExec::new(child, Arc::clone(&self.join))))
    }

    fn with_new_children(self: Arc<Self>, children: Vec<Arc<dyn ExecutionPlan>>) -> Result<Arc<dyn ExecutionPlan>> {
        self.replace_children(children, ReplaceChildrenOptions::new(ChildrenPropertiesMode::Recompute))
    }

    fn execute(&self, partition: usize, context: Arc<TaskContext>) -> Result<SendableRecordBatchStream> {
        let input = self.input.execute(partition, context)?;
        let join = Arc::clone(&self.join);
        let out = input.then(move |batch| {
            let join = Arc::clone(&join);
            async move { join.join(batch?).await }
        });
        Ok(Box::pin(RecordBatchStreamAdapter::new(Arc::clone(&self.join.schema), out)))
    }
}
