//! Spark's generators (`explode`, `posexplode`, `inline`, `stack`, `json_tuple` and their
//! `_outer` forms) as relations. The HiveQL front end writes `LATERAL VIEW` and generators in a
//! select list as lateral joins to a generator call; here a generator call in FROM is planned as a
//! [`node::GenerateNode`] over one empty row, and a lateral join to one is planned again as the
//! generate node over the join's left side, so that rows are generated a batch at a time, as
//! Spark's `Generate` does, rather than by running a subquery per row.

mod exec;
pub(crate) mod node;
pub(crate) use node::NAMES as GENERATOR_NAMES;

use std::sync::Arc;

use async_trait::async_trait;
use datafusion::catalog::Session;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{plan_err, DFSchema, Result, ScalarValue, TableReference};
use datafusion::logical_expr::logical_plan::{Extension, Filter, Join, JoinType, LogicalPlanBuilder};
use datafusion::logical_expr::physical_planning_context::PhysicalPlanningContext;
use datafusion::logical_expr::planner::{PlannedRelation, RelationPlanner, RelationPlannerContext, RelationPlanning};
use datafusion::logical_expr::utils::conjunction;
use datafusion::logical_expr::{binary_expr, Expr, LogicalPlan, Operator, UserDefinedLogicalNode};
use datafusion::physical_plan::ExecutionPlan;
use datafusion::physical_planner::{ExtensionPlanner, PhysicalPlanner};
use datafusion::sql::sqlparser::ast::{FunctionArg, FunctionArgExpr, TableFactor};

use node::{GenerateNode, Generator};

/// Plans `explode(...) AS t(a, b)` and the other generator calls in FROM.
#[derive(Debug, Default)]
pub(crate) struct GeneratorRelations;

impl RelationPlanner for GeneratorRelations {
    fn plan_relation(&self, relation: TableFactor, context: &mut dyn RelationPlannerContext) -> Result<RelationPlanning> {
        let generator = match &relation {
            TableFactor::Function { name, .. } | TableFactor::Table { name, args: Some(_), .. } => {
                name.0.last().and_then(|p| p.as_ident()).and_then(|i| Generator::from_name(&i.value))
            }
            _ => None,
        };
        let Some(generator) = generator else {
            return Ok(RelationPlanning::Original(Box::new(relation)));
        };
        let (args, alias) = match relation {
            TableFactor::Function { args, alias, .. } => (args, alias),
            TableFactor::Table { args: Some(a), alias, .. } => (a.args, alias),
            other => return Ok(RelationPlanning::Original(Box::new(other))),
        };
        let empty = DFSchema::empty();
        let args = args
            .into_iter()
            .map(|a| match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => context.sql_to_expr(e, &empty),
                other => plan_err!("a generator takes plain arguments, not {other}"),
            })
            .collect::<Result<Vec<_>>>()?;
        let (names, qualifier) = match alias {
            Some(a) => (
                a.columns.into_iter().map(|c| context.normalize_ident(c.name)).collect(),
                Some(TableReference::bare(context.normalize_ident(a.name))),
            ),
            None => (Vec::new(), None),
        };
        let one_row = LogicalPlanBuilder::empty(true).build()?;
        let node = GenerateNode::try_new(one_row, generator, args, names, qualifier)?;
        let plan = LogicalPlan::Extension(Extension { node: Arc::new(node) });
        Ok(RelationPlanning::Planned(Box::new(PlannedRelation::new(plan, None))))
    }
}

/// The plan with each lateral join to a generator over one row made a generator over the join's
/// left side. A LEFT join whose condition is not always true is left for per-row evaluation.
pub(crate) fn rebase_lateral_generators(plan: LogicalPlan) -> Result<LogicalPlan> {
    plan.transform_up_with_subqueries(|node| match node {
        LogicalPlan::Join(j) if lateral_generator(&j).is_some() => rebase(j),
        other => Ok(Transformed::no(other)),
    })
    .map(|t| t.data)
}

/// The generate node a lateral join's right side is, when it runs over one empty row.
fn lateral_generator(j: &Join) -> Option<&GenerateNode> {
    let LogicalPlan::Subquery(s) = j.right.as_ref() else { return None };
    let LogicalPlan::Extension(e) = s.subquery.as_ref() else { return None };
    let g = e.node.as_any().downcast_ref::<GenerateNode>()?;
    matches!(&g.input, LogicalPlan::EmptyRelation(r) if r.produce_one_row && r.schema.fields().is_empty()).then_some(g)
}

fn rebase(j: Join) -> Result<Transformed<LogicalPlan>> {
    let Some(g) = lateral_generator(&j).cloned() else { return Ok(Transformed::no(LogicalPlan::Join(j))) };
    let pairs = j.on.iter().map(|(l, r)| binary_expr(l.clone(), Operator::Eq, r.clone()));
    let condition = conjunction(pairs.chain(j.filter.clone())).filter(|c| !matches!(c, Expr::Literal(ScalarValue::Boolean(Some(true)), _)));
    let generator = match (j.join_type, &condition) {
        (JoinType::Inner, _) => g.generator,
        (JoinType::Left, None) => g.generator.outer(),
        _ => return Ok(Transformed::no(LogicalPlan::Join(j))),
    };
    let left_schema = Arc::clone(j.left.schema());
    let mut reads_left_only = true;
    let args = g
        .args
        .iter()
        .map(|a| {
            a.clone()
                .transform(|e| match e {
                    Expr::OuterReferenceColumn(_, c) => {
                        reads_left_only &= left_schema.has_column(&c);
                        Ok(Transformed::yes(Expr::Column(c)))
                    }
                    other => Ok(Transformed::no(other)),
                })
                .map(|t| t.data)
        })
        .collect::<Result<Vec<_>>>()?;
    if !reads_left_only {
        return Ok(Transformed::no(LogicalPlan::Join(j)));
    }
    let names = g.generated_fields().iter().map(|f| f.name().clone()).collect();
    let node = GenerateNode::try_new(Arc::unwrap_or_clone(j.left), generator, args, names, g.qualifier.clone())?;
    let mut plan = LogicalPlan::Extension(Extension { node: Arc::new(node) });
    if let Some(condition) = condition {
        plan = LogicalPlan::Filter(Filter::try_new(condition, Arc::new(plan))?);
    }
    Ok(Transformed::yes(plan))
}

/// Plans generate nodes as [`exec::GenerateExec`].
pub(crate) struct GeneratePlanner;

#[async_trait]
impl ExtensionPlanner for GeneratePlanner {
    async fn plan_extension(
        &self,
        planner: &dyn PhysicalPlanner,
        node: &dyn UserDefinedLogicalNode,
        _logical_inputs: &[&LogicalPlan],
        physical_inputs: &[Arc<dyn ExecutionPlan>],
        session: &dyn Session,
        planning_ctx: &PhysicalPlanningContext,
    ) -> Result<Option<Arc<dyn ExecutionPlan>>> {
        let Some(g) = node.as_any().downcast_ref::<GenerateNode>() else { return Ok(None) };
        let [input] = physical_inputs else { return Ok(None) };
        let input_schema = g.input.schema();
        let args = g
            .args
            .iter()
            .map(|a| planner.create_physical_expr(a, input_schema, session, planning_ctx))
            .collect::<Result<Vec<_>>>()?;
        let stack_rows = if g.generator == Generator::Stack { node::stack_rows(&g.args)? } else { 0 };
        let schema = Arc::new(datafusion::logical_expr::UserDefinedLogicalNodeCore::schema(g).as_arrow().clone());
        Ok(Some(Arc::new(exec::GenerateExec::new(Arc::clone(input), g.generator, args, stack_rows, g.generated_fields(), schema))))
    }
}
