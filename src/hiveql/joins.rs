//! Joins Spark writes without a condition: `a LEFT JOIN b`, `a FULL OUTER JOIN b`, and semi and
//! anti joins, are joins on TRUE in Spark (every pair of rows matches). DataFusion requires the
//! condition, so it is written out before planning.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{Expr, JoinConstraint, JoinOperator, Statement, TableWithJoins, Value, VisitMut, VisitorMut};

/// The constraint of a join that needs one, if it has none.
fn missing_constraint(op: &mut JoinOperator) -> Option<&mut JoinConstraint> {
    let c = match op {
        JoinOperator::Left(c)
        | JoinOperator::LeftOuter(c)
        | JoinOperator::Right(c)
        | JoinOperator::RightOuter(c)
        | JoinOperator::FullOuter(c)
        | JoinOperator::Semi(c)
        | JoinOperator::LeftSemi(c)
        | JoinOperator::RightSemi(c)
        | JoinOperator::Anti(c)
        | JoinOperator::LeftAnti(c)
        | JoinOperator::RightAnti(c) => c,
        _ => return None,
    };
    matches!(c, JoinConstraint::None).then_some(c)
}

/// Gives every outer, semi and anti join without a condition the condition TRUE.
pub fn rewrite(stmt: &mut Statement) {
    struct Joins;
    impl VisitorMut for Joins {
        type Break = ();
        fn post_visit_query(&mut self, q: &mut datafusion::sql::sqlparser::ast::Query) -> ControlFlow<()> {
            visit_froms(&mut q.body);
            ControlFlow::Continue(())
        }
    }
    let _ = stmt.visit(&mut Joins);
}

fn visit_froms(body: &mut datafusion::sql::sqlparser::ast::SetExpr) {
    use datafusion::sql::sqlparser::ast::SetExpr;
    match body {
        SetExpr::Select(s) => s.from.iter_mut().for_each(fill),
        SetExpr::SetOperation { left, right, .. } => {
            visit_froms(left);
            visit_froms(right);
        }
        _ => {}
    }
}

fn fill(t: &mut TableWithJoins) {
    for j in &mut t.joins {
        if let Some(c) = missing_constraint(&mut j.join_operator) {
            *c = JoinConstraint::On(Expr::value(Value::Boolean(true)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outer_joins_without_a_condition_join_on_true() {
        assert_eq!(crate::hiveql::rewritten("SELECT * FROM a LEFT JOIN b", rewrite), "SELECT * FROM a LEFT JOIN b ON true");
        assert_eq!(
            crate::hiveql::rewritten("SELECT * FROM a FULL OUTER JOIN b ON a.x = b.x JOIN c", rewrite),
            "SELECT * FROM a FULL JOIN b ON a.x = b.x JOIN c"
        );
    }
}
