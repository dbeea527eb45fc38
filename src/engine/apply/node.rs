//! The logical apply node: its input's rows, with one more column holding a subquery's value for
//! each row.

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{Column, DFSchema, DFSchemaRef, Result};
use datafusion::logical_expr::{Expr, LogicalPlan, Subquery, UserDefinedLogicalNodeCore};

/// What the added column holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum ApplyKind {
    /// The subquery's single value, NULL when it has no rows.
    Scalar,
    /// Whether the subquery has rows.
    Exists,
    /// `expr IN (subquery)`, with SQL's NULL semantics.
    In(Box<Expr>),
}

/// An input and the subquery evaluated for each of its rows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct ApplyNode {
    pub input: LogicalPlan,
    /// The subquery, whose outer references name the input's columns.
    pub subquery: Arc<LogicalPlan>,
    /// The outer columns it reads.
    pub outer_refs: Vec<Column>,
    pub kind: ApplyKind,
    /// The added column's name.
    pub column: String,
    schema: DFSchemaRef,
}

impl ApplyNode {
    pub(crate) fn try_new(input: LogicalPlan, subquery: Subquery, kind: ApplyKind, column: String) -> Result<Self> {
        let outer_refs = subquery
            .outer_ref_columns
            .iter()
            .filter_map(|e| match e {
                Expr::OuterReferenceColumn(_, c) => Some(c.clone()),
                _ => None,
            })
            .collect();
        let subquery = subquery.subquery;
        let data_type = match &kind {
            ApplyKind::Scalar => subquery.schema().field(0).data_type().clone(),
            ApplyKind::Exists | ApplyKind::In(_) => DataType::Boolean,
        };
        let schema = with_column(&input, Field::new(&column, data_type, true))?;
        Ok(ApplyNode { input, subquery, outer_refs, kind, column, schema })
    }
}

/// The input's schema with the added column after its own.
fn with_column(input: &LogicalPlan, added: Field) -> Result<DFSchemaRef> {
    let added = DFSchema::from_unqualified_fields(vec![added].into(), Default::default())?;
    Ok(Arc::new(input.schema().join(&added)?))
}

// Nodes are ordered by their column name alone; the optimizer only needs some order.
impl PartialOrd for ApplyNode {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        self.column.partial_cmp(&other.column)
    }
}

impl UserDefinedLogicalNodeCore for ApplyNode {
    fn name(&self) -> &str {
        "Apply"
    }

    fn inputs(&self) -> Vec<&LogicalPlan> {
        vec![&self.input]
    }

    fn schema(&self) -> &DFSchemaRef {
        &self.schema
    }

    fn expressions(&self) -> Vec<Expr> {
        match &self.kind {
            ApplyKind::In(e) => vec![e.as_ref().clone()],
            ApplyKind::Scalar | ApplyKind::Exists => vec![],
        }
    }

    fn fmt_for_explain(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let kind = match &self.kind {
            ApplyKind::Scalar => "scalar".to_string(),
            ApplyKind::Exists => "exists".to_string(),
            ApplyKind::In(e) => format!("{e} IN"),
        };
        write!(f, "Apply: {} = {kind} (per row)", self.column)
    }

    fn with_exprs_and_inputs(&self, mut exprs: Vec<Expr>, mut inputs: Vec<LogicalPlan>) -> Result<Self> {
        let input = inputs.pop().unwrap_or_else(|| self.input.clone());
        let kind = match (&self.kind, exprs.pop()) {
            (ApplyKind::In(_), Some(e)) => ApplyKind::In(Box::new(e)),
            (kind, _) => kind.clone(),
        };
        let schema = with_column(&input, self.schema.field(self.schema.fields().len() - 1).as_ref().clone())?;
        Ok(ApplyNode { input, subquery: self.subquery.clone(), outer_refs: self.outer_refs.clone(), kind, column: self.column.clone(), schema })
    }
}
