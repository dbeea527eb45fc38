//! The logical lateral node: a correlated `LATERAL` subquery joined to its input by running it
//! for each input row. DataFusion decorrelates some lateral joins; the rest reach the physical
//! planner with outer references it cannot plan, and become this node.

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::common::{not_impl_err, Column, DFSchemaRef, Result, TableReference};
use datafusion::logical_expr::logical_plan::build_join_schema;
use datafusion::logical_expr::utils::conjunction;
use datafusion::logical_expr::{binary_expr, Expr, Filter, Join, JoinType, LogicalPlan, Operator, UserDefinedLogicalNodeCore};

/// An input and, for each of its rows, the rows of a subquery that reads the row's columns.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct LateralNode {
    pub input: LogicalPlan,
    /// The joined side, its outer references naming the input's columns, the join condition
    /// folded in as a filter.
    pub subquery: Arc<LogicalPlan>,
    /// The outer columns it reads.
    pub outer_refs: Vec<Column>,
    /// Whether an input row without subquery rows is kept, padded with NULLs.
    pub keep_unmatched: bool,
    schema: DFSchemaRef,
}

/// Whether the plan is a join whose right side reads the left side's columns.
pub(super) fn is_lateral(plan: &LogicalPlan) -> bool {
    matches!(plan, LogicalPlan::Join(j) if is_lateral_join(j))
}

/// Whether the join's right side reads the left side's columns.
pub(super) fn is_lateral_join(j: &Join) -> bool {
    !outer_refs(&j.right).is_empty()
}

/// The lateral join as a lateral node, which keeps the join's schema.
pub(super) fn from_join(j: Join) -> Result<LateralNode> {
    let keep_unmatched = match j.join_type {
        JoinType::Inner => false,
        JoinType::Left => true,
        other => return not_impl_err!("{other} JOIN LATERAL"),
    };
    let left_schema = Arc::clone(j.left.schema());
    let pairs = j.on.into_iter().map(|(l, r)| binary_expr(l, Operator::Eq, r));
    let condition = conjunction(pairs.chain(j.filter));
    // A lateral subquery's outer columns include those of lateral joins nested in it, which
    // name relations of its own; the rest are this join's.
    let inner = relations_in(&j.right);
    let mut refs = outer_refs(&j.right);
    refs.retain(|c| c.relation.as_ref().is_none_or(|r| !inner.contains(r)));
    let mut subquery = unwrap_subqueries(Arc::unwrap_or_clone(j.right))?;
    if let Some(condition) = condition {
        let right_schema = Arc::clone(subquery.schema());
        let condition = condition
            .transform(|e| match e {
                Expr::Column(c) if !right_schema.has_column(&c) && left_schema.has_column(&c) => {
                    let (_, field) = left_schema.qualified_field_from_column(&c)?;
                    let field = Arc::clone(field);
                    if !refs.contains(&c) {
                        refs.push(c.clone());
                    }
                    Ok(Transformed::yes(Expr::OuterReferenceColumn(field, c)))
                }
                other => Ok(Transformed::no(other)),
            })?
            .data;
        subquery = LogicalPlan::Filter(Filter::try_new(condition, Arc::new(subquery))?);
    }
    LateralNode::try_new(Arc::unwrap_or_clone(j.left), Arc::new(subquery), refs, keep_unmatched)
}

impl LateralNode {
    fn try_new(input: LogicalPlan, subquery: Arc<LogicalPlan>, outer_refs: Vec<Column>, keep_unmatched: bool) -> Result<Self> {
        let join_type = if keep_unmatched { JoinType::Left } else { JoinType::Inner };
        let schema = Arc::new(build_join_schema(input.schema(), subquery.schema(), &join_type)?);
        Ok(LateralNode { input, subquery, outer_refs, keep_unmatched, schema })
    }
}

/// The outer columns its lateral subqueries read.
fn outer_refs(plan: &LogicalPlan) -> Vec<Column> {
    let mut found = Vec::new();
    let _ = plan.apply(|node| {
        if let LogicalPlan::Subquery(s) = node {
            for e in &s.outer_ref_columns {
                if let Expr::OuterReferenceColumn(_, c) = e {
                    if !found.contains(c) {
                        found.push(c.clone());
                    }
                }
            }
        }
        Ok(TreeNodeRecursion::Continue)
    });
    found
}

/// The names of the relations a plan defines.
fn relations_in(plan: &LogicalPlan) -> Vec<TableReference> {
    let mut names = Vec::new();
    let _ = plan.apply(|node| {
        match node {
            LogicalPlan::SubqueryAlias(a) => names.push(a.alias.clone()),
            LogicalPlan::TableScan(t) => names.push(t.table_name.clone()),
            _ => {}
        }
        Ok(TreeNodeRecursion::Continue)
    });
    names
}

/// The plan with its lateral subquery wrappers replaced by the queries they wrap.
fn unwrap_subqueries(plan: LogicalPlan) -> Result<LogicalPlan> {
    plan.transform_up(|node| match node {
        LogicalPlan::Subquery(s) => Ok(Transformed::yes(Arc::unwrap_or_clone(s.subquery))),
        other => Ok(Transformed::no(other)),
    })
    .map(|t| t.data)
}

// Nodes are ordered by their schemas' column names alone; the optimizer only needs some order.
impl PartialOrd for LateralNode {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        let names = |n: &Self| n.schema.field_names();
        names(self).partial_cmp(&names(other))
    }
}

impl UserDefinedLogicalNodeCore for LateralNode {
    fn name(&self) -> &str {
        "Lateral"
    }

    fn inputs(&self) -> Vec<&LogicalPlan> {
        vec![&self.input]
    }

    fn schema(&self) -> &DFSchemaRef {
        &self.schema
    }

    fn expressions(&self) -> Vec<Expr> {
        vec![]
    }

    fn fmt_for_explain(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let kind = if self.keep_unmatched { "left" } else { "inner" };
        write!(f, "Lateral: {kind} (subquery per row)")
    }

    fn with_exprs_and_inputs(&self, _exprs: Vec<Expr>, mut inputs: Vec<LogicalPlan>) -> Result<Self> {
        let input = inputs.pop().unwrap_or_else(|| self.input.clone());
        LateralNode::try_new(input, Arc::clone(&self.subquery), self.outer_refs.clone(), self.keep_unmatched)
    }

    fn necessary_children_exprs(&self, _output_columns: &[usize]) -> Option<Vec<Vec<usize>>> {
        // The input's columns are all kept: the node's schema is fixed.
        None
    }
}
