//! The case a column's name was written in, kept through planning. DataFusion folds unquoted
//! names to lower case; Spark keeps a column's name as its definition wrote it, so that
//! `SELECT id FROM v`, over a view made with `... AS T(ID, ST)` or `SELECT 1 AS ID`, gives a
//! column `ID`. Each alias the query writes with capitals (in a select list, a relation's or a
//! CTE's column list) marks the column it names with its spelling, as Arrow field metadata; the
//! mark follows the column through views, subqueries, joins and grouping, and the HiveServer2
//! front end names result columns by it (see `output_names::restore`).

use std::collections::{BTreeMap, HashMap};
use std::ops::ControlFlow;

use datafusion::arrow::datatypes::Field;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::logical_expr::expr::{Alias, FieldMetadata};
use datafusion::logical_expr::{Expr, LogicalPlan, Projection};
use datafusion::sql::sqlparser::ast::{Ident, Query, SelectItem, SetExpr, Statement, TableFactor, Visit, Visitor};

/// The metadata key of a column's spelling.
const SPELLED: &str = "hivewire.spelled";

/// The spelling a field carries, when it is its name's.
pub(crate) fn spelled(field: &Field) -> Option<&str> {
    field.metadata().get(SPELLED).map(String::as_str).filter(|s| s.to_lowercase() == *field.name())
}

/// The unquoted names with capitals the statement gives columns, by their folded form.
pub(crate) fn collect(stmt: &Statement) -> HashMap<String, String> {
    struct Names(HashMap<String, String>);
    impl Names {
        fn add(&mut self, ident: &Ident) {
            if ident.quote_style.is_none() && ident.value.chars().any(char::is_uppercase) {
                self.0.entry(ident.value.to_lowercase()).or_insert_with(|| ident.value.clone());
            }
        }
        fn body(&mut self, body: &SetExpr) {
            match body {
                SetExpr::Select(s) => {
                    for item in &s.projection {
                        if let SelectItem::ExprWithAlias { alias, .. } = item {
                            self.add(alias);
                        }
                    }
                }
                SetExpr::SetOperation { left, .. } => self.body(left),
                SetExpr::Query(q) => self.body(&q.body),
                _ => {}
            }
        }
    }
    impl Visitor for Names {
        type Break = ();
        fn pre_visit_query(&mut self, q: &Query) -> ControlFlow<()> {
            self.body(&q.body);
            for cte in q.with.iter().flat_map(|w| &w.cte_tables) {
                for c in &cte.alias.columns {
                    self.add(&c.name);
                }
            }
            ControlFlow::Continue(())
        }
        fn pre_visit_table_factor(&mut self, t: &TableFactor) -> ControlFlow<()> {
            let alias = match t {
                TableFactor::Derived { alias: Some(a), .. } | TableFactor::Table { alias: Some(a), .. } => a,
                _ => return ControlFlow::Continue(()),
            };
            for c in &alias.columns {
                self.add(&c.name);
            }
            ControlFlow::Continue(())
        }
    }
    let mut names = Names(HashMap::new());
    let _ = stmt.visit(&mut names);
    names.0
}

/// The plan with the columns its projections name by those aliases marked with their spelling;
/// the plan as it was when there are none, or marking fails (the names are only cosmetic).
pub(crate) fn annotate(plan: LogicalPlan, names: &HashMap<String, String>) -> LogicalPlan {
    if names.is_empty() || matches!(plan, LogicalPlan::Dml(_) | LogicalPlan::Ddl(_)) {
        return plan;
    }
    let marked = plan.clone().transform_up(|node| {
        let node = match node {
            LogicalPlan::Projection(p) => {
                let expr = p.expr.into_iter().map(|e| mark(e, names)).collect();
                LogicalPlan::Projection(Projection::try_new(expr, p.input)?)
            }
            // A union's schema is derived from its inputs again (recomputing keeps it as it was).
            LogicalPlan::Union(u) => LogicalPlan::Union(datafusion::logical_expr::Union::try_new_with_loose_types(u.inputs)?),
            // The marks of the inputs reach this node's schema.
            other => other.recompute_schema()?,
        };
        Ok(Transformed::yes(node))
    });
    match marked {
        Ok(marked) => marked.data,
        Err(e) => {
            tracing::debug!(error = %e, "column spellings not kept");
            plan
        }
    }
}

/// An alias among `names` marked with its spelling.
fn mark(e: Expr, names: &HashMap<String, String>) -> Expr {
    match e {
        Expr::Alias(a) if names.contains_key(&a.name) => {
            let mut metadata = a.metadata.as_ref().map(|m| m.inner().clone()).unwrap_or_else(BTreeMap::new);
            metadata.insert(SPELLED.to_string(), names[&a.name].clone());
            Expr::Alias(Alias { metadata: Some(FieldMetadata::new(metadata)), ..a })
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hiveql::{parse_one, Flavor};

    #[test]
    fn written_names_with_capitals_are_collected_at_any_depth() {
        let stmt = parse_one(
            "WITH c(Big) AS (SELECT 1) SELECT x AS Total, y AS low FROM (SELECT 1 AS Inner) AS t(ID, st), c",
            Flavor::Hive,
        )
        .unwrap();
        let names = collect(&stmt);
        let mut got: Vec<&str> = names.values().map(String::as_str).collect();
        got.sort();
        assert_eq!(got, ["Big", "ID", "Inner", "Total"]);
    }

    #[test]
    fn a_spelling_counts_only_for_its_own_name() {
        let with = |name: &str, spelled: &str| {
            Field::new(name, datafusion::arrow::datatypes::DataType::Int32, true)
                .with_metadata([(SPELLED.to_string(), spelled.to_string())].into())
        };
        assert_eq!(spelled(&with("id", "ID")), Some("ID"));
        assert_eq!(spelled(&with("x", "ID")), None);
    }
}
