//! Subqueries that DataFusion cannot turn into joins, run row by row.
//!
//! DataFusion decorrelates the subqueries it can (`IN`, `EXISTS` and scalar subqueries in simple
//! positions) into joins; the rest reach the physical planner, which refuses them. Spark runs
//! those too: a correlated subquery with a LIMIT, under a set operation, in a select item that
//! references an outer column without a FROM, and so on. Before physical planning, each such
//! subquery in a filter or a projection becomes an [`node::ApplyNode`] that adds its value as a
//! column, and [`exec::ApplyExec`] computes that column by running the subquery for each distinct
//! set of outer values, with the values bound in. That is slower than a join, but gives Spark's
//! answer where a join cannot be planned. Correlated `LATERAL` subqueries that DataFusion cannot
//! decorrelate are run the same way, by [`lateral_exec::LateralExec`].

mod exec;
mod lateral;
mod lateral_exec;
mod node;
mod per_row;
mod rewrite;

use std::sync::Arc;

use async_trait::async_trait;
use datafusion::catalog::Session;
use datafusion::common::tree_node::TreeNode;
use datafusion::common::Result;
use datafusion::execution::session_state::SessionState;
use datafusion::execution::context::QueryPlanner;
use datafusion::logical_expr::physical_planning_context::PhysicalPlanningContext;
use datafusion::logical_expr::{LogicalPlan, UserDefinedLogicalNode};
use datafusion::physical_plan::ExecutionPlan;
use datafusion::physical_planner::{DefaultPhysicalPlanner, ExtensionPlanner, PhysicalPlanner};

/// The query planner: DataFusion's, after the remaining subqueries are made apply nodes.
#[derive(Debug, Default)]
pub(crate) struct ApplyQueryPlanner;

#[async_trait]
impl QueryPlanner for ApplyQueryPlanner {
    async fn create_physical_plan(&self, logical_plan: &LogicalPlan, session: &dyn Session) -> Result<Arc<dyn ExecutionPlan>> {
        let plan = rewrite::subqueries_to_apply(logical_plan.clone(), rewrite::Scope::Unplannable)?;
        let planner = DefaultPhysicalPlanner::with_extension_planners(vec![Arc::new(ApplyPlanner), Arc::new(super::generate::GeneratePlanner)]);
        planner.create_physical_plan(&plan, session).await
    }
}

/// Plans a query for execution. Where DataFusion's decorrelation leaves a plan it cannot run (an
/// outer reference outside any subquery, say), the query is planned again with every subquery in
/// an apply node, out of the optimizer's reach; if that fails too, the first error stands.
pub(crate) async fn create_physical_plan(state: &SessionState, plan: &LogicalPlan) -> Result<Arc<dyn ExecutionPlan>> {
    let first = match state.create_physical_plan(plan).await {
        Ok(physical) => return Ok(physical),
        Err(e) => e,
    };
    let has_subqueries = plan
        .exists(|node| Ok(lateral::is_lateral(node) || node.expressions().iter().any(rewrite::has_subquery)))
        .unwrap_or(false);
    if !has_subqueries {
        return Err(first);
    }
    let per_row = match rewrite::subqueries_to_apply(plan.clone(), rewrite::Scope::All) {
        Ok(p) => p,
        Err(e) => {
            tracing::debug!(error = %e, "subqueries could not be planned per row");
            return Err(first);
        }
    };
    state.create_physical_plan(&per_row).await.map_err(|e| {
        tracing::debug!(error = %e, "the query with subqueries planned per row failed too");
        first
    })
}

/// Plans apply nodes as [`exec::ApplyExec`].
struct ApplyPlanner;

#[async_trait]
impl ExtensionPlanner for ApplyPlanner {
    async fn plan_extension(
        &self,
        planner: &dyn PhysicalPlanner,
        node: &dyn UserDefinedLogicalNode,
        _logical_inputs: &[&LogicalPlan],
        physical_inputs: &[Arc<dyn ExecutionPlan>],
        session: &dyn Session,
        planning_ctx: &PhysicalPlanningContext,
    ) -> Result<Option<Arc<dyn ExecutionPlan>>> {
        let [input] = physical_inputs else { return Ok(None) };
        if let Some(apply) = node.as_any().downcast_ref::<node::ApplyNode>() {
            return Ok(Some(exec::ApplyExec::plan(apply, input.clone(), planner, session, planning_ctx)?));
        }
        if let Some(lateral) = node.as_any().downcast_ref::<lateral::LateralNode>() {
            return Ok(Some(lateral_exec::LateralExec::plan(lateral, input.clone(), session)?));
        }
        Ok(None)
    }
}
