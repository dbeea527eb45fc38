//! Joins Spark writes without a condition: `a LEFT JOIN b`, `a FULL OUTER JOIN b`, and semi and
//! anti joins, are joins on TRUE in Spark (every pair of rows matches). DataFusion requires the
//! condition, so it is written out before planning.
//!
//! A derived table without an alias is named too: DataFusion leaves its columns unqualified, and
//! refuses a join where such a column has the name of a qualified one on the other side
//! (`t1 JOIN LATERAL (SELECT c2 FROM t2 UNION ALL ...)`), which Spark accepts.

use std::ops::ControlFlow;

use hivewire_backend::BackendError;
use datafusion::sql::sqlparser::ast::{Expr, Ident, Join, JoinConstraint, JoinOperator, Statement, TableAlias, TableFactor, TableWithJoins, Value, VisitMut, VisitorMut};

/// The constraint of the kinds of join that take one, by reference or mutable reference.
macro_rules! join_constraint {
    ($op:expr) => {
        match $op {
            JoinOperator::Join(c)
            | JoinOperator::Inner(c)
            | JoinOperator::Left(c)
            | JoinOperator::LeftOuter(c)
            | JoinOperator::Right(c)
            | JoinOperator::RightOuter(c)
            | JoinOperator::FullOuter(c)
            | JoinOperator::Semi(c)
            | JoinOperator::LeftSemi(c)
            | JoinOperator::RightSemi(c)
            | JoinOperator::Anti(c)
            | JoinOperator::LeftAnti(c)
            | JoinOperator::RightAnti(c) => Some(c),
            _ => None,
        }
    };
}

/// The constraint of a join, for the kinds of join that take one.
pub fn constraint(op: &JoinOperator) -> Option<&JoinConstraint> {
    join_constraint!(op)
}

/// The constraint of a join, to change it; see [`constraint`].
pub fn constraint_mut(op: &mut JoinOperator) -> Option<&mut JoinConstraint> {
    join_constraint!(op)
}

/// The constraint of an outer, semi or anti join, if it has none.
fn missing_constraint(op: &mut JoinOperator) -> Option<&mut JoinConstraint> {
    if matches!(op, JoinOperator::Join(_) | JoinOperator::Inner(_)) {
        return None;
    }
    constraint_mut(op).filter(|c| matches!(c, JoinConstraint::None))
}

/// Gives every outer, semi and anti join without a condition the condition TRUE.
pub fn rewrite(stmt: &mut Statement) -> Result<(), BackendError> {
    struct Joins(usize);
    impl VisitorMut for Joins {
        type Break = BackendError;
        fn post_visit_query(&mut self, q: &mut datafusion::sql::sqlparser::ast::Query) -> ControlFlow<BackendError> {
            match visit_froms(&mut q.body, &mut self.0) {
                Ok(()) => ControlFlow::Continue(()),
                Err(e) => ControlFlow::Break(e),
            }
        }
    }
    match stmt.visit(&mut Joins(0)) {
        ControlFlow::Break(e) => Err(e),
        ControlFlow::Continue(()) => Ok(()),
    }
}

/// Spark refuses NATURAL and USING with a lateral relation.
fn natural_or_using_lateral(j: &Join) -> Option<BackendError> {
    let lateral = matches!(j.relation, TableFactor::Derived { lateral: true, .. } | TableFactor::Function { lateral: true, .. });
    let constraint = match &j.join_operator {
        JoinOperator::Join(c) | JoinOperator::Inner(c) | JoinOperator::Left(c) | JoinOperator::LeftOuter(c) => c,
        _ => return None,
    };
    let kind = match constraint {
        JoinConstraint::Natural => "NATURAL",
        JoinConstraint::Using(_) => "USING",
        _ => return None,
    };
    lateral.then(|| BackendError::not_supported(format!("[UNSUPPORTED_FEATURE.LATERAL_JOIN_{kind}] a LATERAL relation in a {kind} join")))
}

fn visit_froms(body: &mut datafusion::sql::sqlparser::ast::SetExpr, derived: &mut usize) -> Result<(), BackendError> {
    use datafusion::sql::sqlparser::ast::SetExpr;
    match body {
        SetExpr::Select(s) => {
            let several = s.from.len() > 1 || s.from.iter().any(|t| !t.joins.is_empty());
            for t in &mut s.from {
                if let Some(e) = t.joins.iter().find_map(natural_or_using_lateral) {
                    return Err(e);
                }
                fill(t);
                if several {
                    name_derived(&mut t.relation, derived);
                    t.joins.iter_mut().for_each(|j| name_derived(&mut j.relation, derived));
                }
            }
        }
        SetExpr::SetOperation { left, right, .. } => {
            visit_froms(left, derived)?;
            visit_froms(right, derived)?;
        }
        _ => {}
    }
    Ok(())
}

fn fill(t: &mut TableWithJoins) {
    for j in &mut t.joins {
        if let Some(c) = missing_constraint(&mut j.join_operator) {
            *c = JoinConstraint::On(Expr::value(Value::Boolean(true)));
        }
    }
}

/// Names a derived table that has no alias.
fn name_derived(relation: &mut TableFactor, count: &mut usize) {
    if let TableFactor::Derived { alias: alias @ None, .. } = relation {
        *count += 1;
        *alias = Some(TableAlias { explicit: true, name: Ident::new(format!("__hivewire_derived{count}")), columns: Vec::new(), at: None });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outer_joins_without_a_condition_join_on_true() {
        assert_eq!(crate::hiveql::rewritten("SELECT * FROM a LEFT JOIN b", |s| rewrite(s).unwrap()), "SELECT * FROM a LEFT JOIN b ON true");
        assert_eq!(
            crate::hiveql::rewritten("SELECT * FROM a FULL OUTER JOIN b ON a.x = b.x JOIN c", |s| rewrite(s).unwrap()),
            "SELECT * FROM a FULL JOIN b ON a.x = b.x JOIN c"
        );
    }
}
