//! Stage-by-stage progress of a running query. The physical plan is cut into stages where rows are
//! exchanged between partitions (repartitions, merges), as Spark cuts its jobs into stages at
//! shuffles; each stage's top operator is wrapped in a [`ProgressExec`] that counts its tasks (one
//! per partition) as they start and finish, and the rows they produce.

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::error::Result;
use datafusion::execution::{RecordBatchStream, SendableRecordBatchStream, TaskContext};
use datafusion::physical_expr::PhysicalExpr;
use datafusion::physical_plan::execution_plan::{ChildrenPropertiesMode, ReplaceChildrenOptions};
use datafusion::physical_plan::{DisplayAs, DisplayFormatType, ExecutionPlan, PlanProperties};
use futures::Stream;
use hivewire_backend::{Progress, Stage};

/// Operators that exchange rows between partitions: their inputs end one stage.
const EXCHANGES: &[&str] = &["RepartitionExec", "CoalescePartitionsExec", "SortPreservingMergeExec"];

/// The plan with every stage's top wrapped, its stages registered in `progress` in the order they
/// start (inputs first).
pub fn instrument(plan: Arc<dyn ExecutionPlan>, progress: &Progress) -> Result<Arc<dyn ExecutionPlan>> {
    // EXPLAIN [ANALYZE] prints the plan: it stays as planned.
    if matches!(plan.name(), "AnalyzeExec" | "ExplainExec") {
        return Ok(plan);
    }
    let mut next = 1;
    wrap_stage(plan, progress, &mut next)
}

/// Wraps the stage whose top is `plan`, after the stages below it.
fn wrap_stage(plan: Arc<dyn ExecutionPlan>, progress: &Progress, next: &mut usize) -> Result<Arc<dyn ExecutionPlan>> {
    let plan = wrap_inputs(plan, progress, next)?;
    let stage = progress.add_stage(format!("Stage-{next}"), describe(&plan), plan.properties().output_partitioning().partition_count());
    *next += 1;
    Ok(Arc::new(ProgressExec::new(plan, stage)))
}

/// Goes down one stage: the inputs of exchanges start new stages.
fn wrap_inputs(plan: Arc<dyn ExecutionPlan>, progress: &Progress, next: &mut usize) -> Result<Arc<dyn ExecutionPlan>> {
    if plan.children().is_empty() {
        return Ok(plan);
    }
    let exchange = EXCHANGES.contains(&plan.name());
    let children = plan
        .children()
        .into_iter()
        .map(|c| if exchange { wrap_stage(c.clone(), progress, next) } else { wrap_inputs(c.clone(), progress, next) })
        .collect::<Result<Vec<_>>>()?;
    plan.replace_children(children, ReplaceChildrenOptions::new(ChildrenPropertiesMode::Keep))
}

/// What a stage does, for the log: its operators from the top down to the exchange or scan that
/// feeds it, at most three.
fn describe(plan: &Arc<dyn ExecutionPlan>) -> String {
    let mut names: Vec<String> = vec![];
    let mut node = plan.clone();
    while !EXCHANGES.contains(&node.name()) || names.is_empty() {
        let name = match node.name().trim_end_matches("Exec") {
            "DataSource" | "LazyMemory" | "Memory" => "Scan",
            n => n,
        };
        if !matches!(name, "Projection" | "CoalesceBatches" | "Cooperative" | "Progress") && names.len() < 3 {
            names.push(name.to_string());
        }
        let children = node.children();
        if children.len() != 1 || EXCHANGES.contains(&node.name()) {
            if children.len() > 1 {
                names.push(format!("{} inputs", children.len()));
            }
            break;
        }
        let child = children[0].clone();
        node = child;
    }
    names.join(" <- ")
}

/// A stage's top operator, counting the stage's tasks and rows as they run.
#[derive(Debug)]
pub struct ProgressExec {
    input: Arc<dyn ExecutionPlan>,
    stage: Arc<Stage>,
}

impl ProgressExec {
    fn new(input: Arc<dyn ExecutionPlan>, stage: Arc<Stage>) -> Self {
        ProgressExec { input, stage }
    }
}

impl DisplayAs for ProgressExec {
    fn fmt_as(&self, _t: DisplayFormatType, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProgressExec")
    }
}

impl ExecutionPlan for ProgressExec {
    fn name(&self) -> &str {
        "ProgressExec"
    }

    fn downcast_delegate(&self) -> Option<&dyn ExecutionPlan> {
        Some(self.input.as_ref())
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        self.input.properties()
    }

    fn maintains_input_order(&self) -> Vec<bool> {
        vec![true]
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![&self.input]
    }

    fn apply_expressions(
        &self,
        _f: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> Result<TreeNodeRecursion>,
    ) -> Result<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }

    fn replace_children(
        self: Arc<Self>,
        mut children: Vec<Arc<dyn ExecutionPlan>>,
        _options: ReplaceChildrenOptions,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        if children.len() != 1 {
            return Err(datafusion::error::DataFusionError::Internal("ProgressExec has one input".into()));
        }
        Ok(Arc::new(ProgressExec::new(children.swap_remove(0), self.stage.clone())))
    }

    fn with_new_children(self: Arc<Self>, children: Vec<Arc<dyn ExecutionPlan>>) -> Result<Arc<dyn ExecutionPlan>> {
        self.replace_children(children, ReplaceChildrenOptions::new(ChildrenPropertiesMode::Recompute))
    }

    fn execute(&self, partition: usize, context: Arc<TaskContext>) -> Result<SendableRecordBatchStream> {
        let inner = self.input.execute(partition, context)?;
        self.stage.task_started();
        Ok(Box::pin(Counted { inner, stage: self.stage.clone(), done: false }))
    }
}

/// One task's stream: counts its rows, and reports when it ends.
struct Counted {
    inner: SendableRecordBatchStream,
    stage: Arc<Stage>,
    done: bool,
}

impl Counted {
    fn finish(&mut self, ok: bool) {
        if !self.done {
            self.done = true;
            self.stage.task_finished(ok);
        }
    }
}

impl Stream for Counted {
    type Item = Result<RecordBatch>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let polled = self.inner.as_mut().poll_next(cx);
        match &polled {
            Poll::Ready(Some(Ok(batch))) => self.stage.add_rows(batch.num_rows()),
            Poll::Ready(Some(Err(_))) => self.finish(false),
            Poll::Ready(None) => self.finish(true),
            Poll::Pending => {}
        }
        polled
    }
}

impl RecordBatchStream for Counted {
    fn schema(&self) -> SchemaRef {
        self.inner.schema()
    }
}

impl Drop for Counted {
    /// A task dropped before its end (a LIMIT met, a cancelled query) is done, not failed.
    fn drop(&mut self) {
        self.finish(true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::prelude::SessionContext;
    use futures::StreamExt;

    #[tokio::test]
    async fn stages_are_counted_to_the_end() {
        let ctx = SessionContext::new();
        ctx.sql("SET datafusion.execution.target_partitions = 4").await.unwrap();
        let df = ctx
            .sql("SELECT v % 7 AS k, count(*) AS n FROM generate_series(1, 100000) AS t(v) GROUP BY v % 7 ORDER BY k")
            .await
            .unwrap();
        let plan = df.create_physical_plan().await.unwrap();
        let progress = Progress::default();
        let plan = instrument(plan, &progress).unwrap();
        let before = progress.snapshot();
        assert!(before.len() >= 2, "an aggregate with a repartition has several stages: {before:?}");
        assert!(before.iter().all(|s| s.completed == 0 && s.rows == 0));
        let mut stream = datafusion::physical_plan::execute_stream(plan, ctx.task_ctx()).unwrap();
        let mut rows = 0;
        while let Some(b) = stream.next().await {
            rows += b.unwrap().num_rows();
        }
        assert_eq!(rows, 7);
        let after = progress.snapshot();
        for s in &after {
            assert_eq!(s.completed, s.tasks, "{s:?}");
            assert_eq!(s.running, 0);
        }
        assert_eq!(after.last().unwrap().rows, 7);
        assert_eq!(after.first().unwrap().name, "Stage-1");
        assert!(!after.first().unwrap().detail.is_empty());
    }
}
