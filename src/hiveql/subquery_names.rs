//! Spark's names for subquery expressions in result columns: `(x IN (listquery(c)))`,
//! `exists(dept_id)` and `scalarsubquery(a, b)`, where the arguments are the outer columns the
//! subquery reads, once for each place it reads them. Which columns are outer is only known once
//! the query is planned (an unqualified name may be the subquery's own column or an outer one),
//! so the name given here holds [`OUTER_COLUMNS`] where the list goes, and the engine fills it in
//! from the plan.

use datafusion::sql::sqlparser::ast::Expr;

/// Stands in a column name for the outer columns of one subquery, in the order the subqueries
/// appear in the expression.
pub const OUTER_COLUMNS: char = '\u{E000}';

/// Spark's name for a subquery expression, or None when `e` is not one. `print` names the
/// expression an IN subquery tests.
pub fn name(e: &Expr, print: fn(&Expr) -> Option<String>) -> Option<String> {
    Some(match e {
        Expr::InSubquery { expr, negated, .. } => {
            let test = format!("({} IN (listquery({OUTER_COLUMNS})))", print(expr)?);
            if *negated { format!("(NOT {test})") } else { test }
        }
        Expr::Exists { negated, .. } => {
            let test = format!("exists({OUTER_COLUMNS})");
            if *negated { format!("(NOT {test})") } else { test }
        }
        Expr::Subquery(_) => format!("scalarsubquery({OUTER_COLUMNS})"),
        _ => return None,
    })
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
    fn subqueries_are_named_with_a_place_for_their_outer_columns() {
        let m = OUTER_COLUMNS;
        assert_eq!(name(&first_item("SELECT x IN (SELECT a FROM t) FROM u"), ident).unwrap(), format!("(x IN (listquery({m})))"));
        assert_eq!(name(&first_item("SELECT NOT EXISTS (SELECT 1 FROM dept) FROM emp"), ident).unwrap(), format!("(NOT exists({m}))"));
        assert_eq!(
            name(&first_item("SELECT EXISTS (SELECT 1 FROM dept WHERE dept.id = emp.dept_id) FROM emp"), ident).unwrap(),
            format!("exists({m})")
        );
        assert_eq!(name(&first_item("SELECT (SELECT max(a) FROM t) FROM u"), ident).unwrap(), format!("scalarsubquery({m})"));
    }
}
