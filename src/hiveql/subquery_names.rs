//! Spark's names for subquery expressions in result columns: `(x IN (listquery()))`,
//! `exists(dept_id)` and `scalarsubquery(a, b)`, where the arguments are the outer columns the
//! subquery reads. Outer columns are recognised when written qualified by a relation the
//! subquery does not define (`emp.dept_id`); unqualified ones cannot be told apart from the
//! subquery's own columns without the catalog, and are left out.

use std::collections::HashSet;
use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{Expr, Query, TableFactor, Visit, Visitor};

/// Spark's name for a subquery expression, or None when `e` is not one. `print` names the
/// expression an IN subquery tests.
pub fn name(e: &Expr, print: fn(&Expr) -> Option<String>) -> Option<String> {
    Some(match e {
        Expr::InSubquery { expr, negated, .. } => {
            let test = format!("({} IN (listquery()))", print(expr)?);
            if *negated { format!("(NOT {test})") } else { test }
        }
        Expr::Exists { subquery, negated } => {
            let test = format!("exists({})", outer_columns(subquery).join(", "));
            if *negated { format!("(NOT {test})") } else { test }
        }
        Expr::Subquery(q) => format!("scalarsubquery({})", outer_columns(q).join(", ")),
        _ => return None,
    })
}

/// The columns a subquery reads through qualifiers it does not define, in order of appearance.
fn outer_columns(q: &Query) -> Vec<String> {
    struct Relations(HashSet<String>);
    impl Visitor for Relations {
        type Break = ();
        fn pre_visit_table_factor(&mut self, t: &TableFactor) -> ControlFlow<()> {
            match t {
                TableFactor::Table { name, alias, .. } => {
                    if let Some(last) = name.0.last().and_then(|p| p.as_ident()) {
                        self.0.insert(last.value.to_lowercase());
                    }
                    if let Some(a) = alias {
                        self.0.insert(a.name.value.to_lowercase());
                    }
                }
                TableFactor::Derived { alias: Some(a), .. } | TableFactor::TableFunction { alias: Some(a), .. } => {
                    self.0.insert(a.name.value.to_lowercase());
                }
                _ => {}
            }
            ControlFlow::Continue(())
        }
    }
    struct Outer<'a>(&'a HashSet<String>, Vec<String>);
    impl Visitor for Outer<'_> {
        type Break = ();
        fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
            if let Expr::CompoundIdentifier(ids) = e {
                if let [q, c] = ids.as_slice() {
                    if !self.0.contains(&q.value.to_lowercase()) && !self.1.contains(&c.value) {
                        self.1.push(c.value.clone());
                    }
                }
            }
            ControlFlow::Continue(())
        }
    }
    let mut relations = Relations(HashSet::new());
    let _ = q.visit(&mut relations);
    let mut outer = Outer(&relations.0, Vec::new());
    let _ = q.visit(&mut outer);
    outer.1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hiveql::{parse_one, Flavor};
    use datafusion::sql::sqlparser::ast::{SelectItem, SetExpr, Statement};

    fn first_item(sql: &str) -> Expr {
        let Statement::Query(q) = parse_one(sql, Flavor::Hive).unwrap() else { panic!("not a query") };
        let SetExpr::Select(s) = *q.body else { panic!("not a select") };
        match &s.projection[0] {
            SelectItem::UnnamedExpr(e) => e.clone(),
            _ => panic!("aliased"),
        }
    }

    fn ident(e: &Expr) -> Option<String> {
        match e {
            Expr::Identifier(i) => Some(i.value.clone()),
            _ => None,
        }
    }

    #[test]
    fn subqueries_are_named_as_in_spark() {
        assert_eq!(name(&first_item("SELECT x IN (SELECT a FROM t) FROM u"), ident).unwrap(), "(x IN (listquery()))");
        assert_eq!(
            name(&first_item("SELECT EXISTS (SELECT 1 FROM dept WHERE dept.id = emp.dept_id) FROM emp"), ident).unwrap(),
            "exists(dept_id)"
        );
        assert_eq!(name(&first_item("SELECT (SELECT max(a) FROM t) FROM u"), ident).unwrap(), "scalarsubquery()");
    }
}
