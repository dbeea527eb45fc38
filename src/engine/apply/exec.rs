//! Running an apply node: for each input row, the subquery with the row's outer values bound in,
//! its answer cached per distinct set of values.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use datafusion::arrow::array::{new_empty_array, ArrayRef, RecordBatch};
use datafusion::arrow::datatypes::{DataType, SchemaRef};
use datafusion::catalog::Session;
use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::common::{exec_err, Column, DFSchema, Result, ScalarValue};
use datafusion::execution::session_state::SessionState;
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::logical_expr::expr_rewriter::NamePreserver;
use datafusion::logical_expr::physical_planning_context::PhysicalPlanningContext;
use datafusion::logical_expr::expr::{Exists, InSubquery};
use datafusion::logical_expr::{Expr, LogicalPlan, Subquery};
use datafusion::physical_expr::{EquivalenceProperties, PhysicalExpr};
use datafusion::physical_plan::execution_plan::{Boundedness, ChildrenPropertiesMode, EmissionType, ReplaceChildrenOptions};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{collect, DisplayAs, DisplayFormatType, ExecutionPlan, Partitioning, PlanProperties};
use datafusion::physical_planner::PhysicalPlanner;
use futures::StreamExt;

use super::node::{ApplyKind, ApplyNode};

/// How the added column is computed from the subquery's answer.
#[derive(Debug)]
enum Kind {
    Scalar(DataType),
    Exists,
    In(Arc<dyn PhysicalExpr>),
}

/// What the subquery gave for one set of outer values: its row count and first column.
#[derive(Debug, Clone)]
struct Answer {
    rows: usize,
    values: Vec<ScalarValue>,
}

/// The per-row work, shared by the partitions of one apply.
struct Evaluator {
    subquery: Arc<LogicalPlan>,
    kind: Kind,
    /// The outer columns the subquery reads, and where each is in the input.
    outer: Vec<(Column, usize)>,
    state: SessionState,
    cache: Mutex<HashMap<Vec<ScalarValue>, Answer>>,
}

impl fmt::Debug for Evaluator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Evaluator").field("kind", &self.kind).field("outer", &self.outer).finish()
    }
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
        let Some(state) = session.as_any().downcast_ref::<SessionState>() else {
            return exec_err!("a subquery evaluated per row needs a full session");
        };
        let input_schema = node.input.schema();
        // The optimizer can move a subquery above an operator that renames its outer columns
        // without renaming its references; such a plan is refused here, and planned again with
        // the subquery kept from the optimizer (see `create_physical_plan`).
        if let Some(lost) = node.outer_refs.iter().find(|c| input_schema.maybe_index_of_column(c).is_none()) {
            return datafusion::common::plan_err!("the subquery's outer reference {lost} is not among its input's columns");
        }
        let kind = match &node.kind {
            ApplyKind::Scalar => Kind::Scalar(node.subquery.schema().field(0).data_type().clone()),
            ApplyKind::Exists => Kind::Exists,
            ApplyKind::In(e) => Kind::In(planner.create_physical_expr(e, input_schema, session, planning_ctx)?),
        };
        let evaluator = Evaluator {
            outer: outer_columns(&node.subquery, input_schema),
            subquery: node.subquery.clone(),
            kind,
            state: state.clone(),
            cache: Mutex::new(HashMap::new()),
        };
        let schema: SchemaRef = Arc::new(datafusion::logical_expr::UserDefinedLogicalNodeCore::schema(node).as_arrow().clone());
        Ok(Arc::new(Self::new(input, Arc::new(evaluator), node.column.clone(), schema)))
    }

    fn new(input: Arc<dyn ExecutionPlan>, evaluator: Arc<Evaluator>, column: String, schema: SchemaRef) -> Self {
        let partitions = input.properties().output_partitioning().partition_count();
        let properties = PlanProperties::new(
            EquivalenceProperties::new(schema.clone()),
            Partitioning::UnknownPartitioning(partitions),
            EmissionType::Incremental,
            Boundedness::Bounded,
        );
        ApplyExec { input, evaluator, column, schema, properties: Arc::new(properties) }
    }
}

/// The outer columns a subquery (or a subquery nested in it) reads that the input holds.
fn outer_columns(subquery: &LogicalPlan, input: &DFSchema) -> Vec<(Column, usize)> {
    let mut found: Vec<(Column, usize)> = Vec::new();
    let _ = subquery.apply_with_subqueries(|node| {
        node.apply_expressions(|e| {
            e.apply(|e| {
                if let Expr::OuterReferenceColumn(_, c) = e {
                    if let Some(i) = input.maybe_index_of_column(c) {
                        if !found.iter().any(|(seen, _)| seen == c) {
                            found.push((c.clone(), i));
                        }
                    }
                }
                Ok(TreeNodeRecursion::Continue)
            })
        })
    });
    found
}

/// The subquery with the outer columns replaced by one row's values. Output names stay as
/// planned, so the plan's schemas still hold.
fn bind(plan: &LogicalPlan, outer: &[(Column, usize)], values: &[ScalarValue]) -> Result<LogicalPlan> {
    plan.clone()
        .transform_up_with_subqueries(|node| {
            let names = NamePreserver::new(&node);
            node.map_expressions(|e| {
                let saved = names.save(&e);
                let bound = e.transform(|e| match e {
                    Expr::OuterReferenceColumn(field, col) => match outer.iter().position(|(c, _)| *c == col) {
                        Some(i) => Ok(Transformed::yes(Expr::Literal(values[i].cast_to(field.data_type())?, None))),
                        None => Ok(Transformed::no(Expr::OuterReferenceColumn(field, col))),
                    },
                    // A nested subquery no longer reads the columns bound here from outside.
                    Expr::ScalarSubquery(s) => Ok(Transformed::yes(Expr::ScalarSubquery(unlist(s, outer)))),
                    Expr::Exists(Exists { subquery, negated }) => {
                        Ok(Transformed::yes(Expr::Exists(Exists { subquery: unlist(subquery, outer), negated })))
                    }
                    Expr::InSubquery(InSubquery { expr, subquery, negated }) => {
                        Ok(Transformed::yes(Expr::InSubquery(InSubquery { expr, subquery: unlist(subquery, outer), negated })))
                    }
                    other => Ok(Transformed::no(other)),
                })?;
                Ok(bound.update_data(|e| saved.restore(e)))
            })
        })
        .map(|t| t.data)
}

/// The subquery without the bound columns among its outer references.
fn unlist(mut s: Subquery, bound: &[(Column, usize)]) -> Subquery {
    s.outer_ref_columns.retain(|e| !matches!(e, Expr::OuterReferenceColumn(_, c) if bound.iter().any(|(b, _)| b == c)));
    s
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

impl Evaluator {
    /// The subquery's answer for one set of outer values.
    async fn answer(&self, key: Vec<ScalarValue>) -> Result<Answer> {
        if let Some(hit) = self.cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return Ok(hit);
        }
        let bound = bind(&self.subquery, &self.outer, &key)?;
        let physical = super::create_physical_plan(&self.state, &bound).await?;
        let batches = collect(physical, self.state.task_ctx()).await?;
        let mut answer = Answer { rows: 0, values: Vec::new() };
        for b in &batches {
            answer.rows += b.num_rows();
            if b.num_columns() > 0 {
                for row in 0..b.num_rows() {
                    answer.values.push(ScalarValue::try_from_array(b.column(0), row)?);
                }
            }
        }
        if let Ok(mut cache) = self.cache.lock() {
            cache.insert(key, answer.clone());
        }
        Ok(answer)
    }

    /// The batch with the subquery's value for each row added.
    async fn extend(&self, batch: RecordBatch, schema: SchemaRef) -> Result<RecordBatch> {
        let probes: Option<ArrayRef> = match &self.kind {
            Kind::In(e) => Some(e.evaluate(&batch)?.into_array(batch.num_rows())?),
            _ => None,
        };
        let mut out = Vec::with_capacity(batch.num_rows());
        for row in 0..batch.num_rows() {
            let key = self
                .outer
                .iter()
                .map(|(_, i)| ScalarValue::try_from_array(batch.column(*i), row))
                .collect::<Result<Vec<_>>>()?;
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

    fn maintains_input_order(&self) -> Vec<bool> {
        vec![true]
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
        mut children: Vec<Arc<dyn ExecutionPlan>>,
        _options: ReplaceChildrenOptions,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        if children.len() != 1 {
            return exec_err!("ApplyExec has one input");
        }
        Ok(Arc::new(ApplyExec::new(children.swap_remove(0), self.evaluator.clone(), self.column.clone(), self.schema.clone())))
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
