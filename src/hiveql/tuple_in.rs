//! `(a, b) IN (SELECT x, y ...)` and `(a, b) NOT IN (...)`: a row of values tested against the
//! rows of a subquery. DataFusion takes only one column, so the test is written as an EXISTS over
//! the subquery with its columns named by position: IN holds when some row equals the values in
//! every column; NOT IN holds when every row differs in some column, so a row that compares as
//! unknown (a NULL on either side) makes NOT IN fail, as in SQL's three-valued logic.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{BinaryOperator, Expr, Ident, Query, SetExpr, Statement, VisitMut, VisitorMut};

/// The name of the subquery's rows and of its columns.
const ROWS: &str = "hivewire_in_rows";

fn column(i: usize) -> String {
    format!("hivewire_in_c{}", i + 1)
}

/// `EXISTS (SELECT 1 FROM (subquery) AS rows(c1, c2...) WHERE condition)`, or None when the
/// template does not parse (it always does).
fn exists(subquery: Query, width: usize, condition: Expr, negated: bool) -> Option<Expr> {
    let columns: Vec<String> = (0..width).map(column).collect();
    let mut query = super::ast::query_over("1", subquery, &format!("{ROWS} ({})", columns.join(", ")))?;
    let SetExpr::Select(select) = query.body.as_mut() else { return None };
    select.selection = Some(condition);
    Some(Expr::Exists { subquery: Box::new(query), negated })
}

/// The EXISTS form of a tuple IN, or None for another expression.
fn rewritten(e: &Expr) -> Option<Expr> {
    let Expr::InSubquery { expr, subquery, negated } = e else { return None };
    let Expr::Tuple(values) = expr.as_ref() else { return None };
    let equal = |i: usize, v: &Expr| Expr::BinaryOp {
        left: Box::new(Expr::CompoundIdentifier(vec![Ident::new(ROWS), Ident::new(column(i))])),
        op: BinaryOperator::Eq,
        right: Box::new(v.clone()),
    };
    let all_equal = values
        .iter()
        .enumerate()
        .map(|(i, v)| equal(i, v))
        .reduce(|a, b| Expr::BinaryOp { left: Box::new(a), op: BinaryOperator::And, right: Box::new(b) })?;
    if *negated {
        // A row not known to differ in some column defeats NOT IN.
        let not_differing = Expr::IsNotFalse(Box::new(Expr::Nested(Box::new(all_equal))));
        exists(subquery.as_ref().clone(), values.len(), not_differing, true)
    } else {
        exists(subquery.as_ref().clone(), values.len(), all_equal, false)
    }
}

/// Rewrites every `(a, b) [NOT] IN (subquery)` in the statement.
pub fn rewrite(stmt: &mut Statement) {
    struct TupleIn;
    impl VisitorMut for TupleIn {
        type Break = ();
        fn post_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
            if let Some(r) = rewritten(e) {
                *e = r;
            }
            ControlFlow::Continue(())
        }
    }
    let _ = stmt.visit(&mut TupleIn);
}

#[cfg(test)]
mod tests {
    #[test]
    fn tuples_in_subqueries_become_exists() {
        assert_eq!(
            crate::hiveql::rewritten("SELECT * FROM m WHERE (a, b) NOT IN (SELECT * FROM s)", super::rewrite),
            "SELECT * FROM m WHERE NOT EXISTS (SELECT 1 FROM (SELECT * FROM s) AS hivewire_in_rows (hivewire_in_c1, hivewire_in_c2) \
             WHERE (hivewire_in_rows.hivewire_in_c1 = a AND hivewire_in_rows.hivewire_in_c2 = b) IS NOT FALSE)"
        );
    }
}
