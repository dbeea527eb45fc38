//! `a NATURAL JOIN b` as the USING join it stands for, `a JOIN b USING (k, ...)` over the columns
//! both sides have, in the left side's order. DataFusion plans NATURAL joins itself, but then finds
//! `k` ambiguous in WHERE and in chains of joins, and lists `*` in the tables' order where Spark
//! and PostgreSQL list the join columns first. As USING joins they get what
//! [`crate::hiveql::using_joins`] gives those. The shared columns are known only from the two
//! sides' schemas, so each side is planned alone (`SELECT * FROM side`, under the statement's
//! WITH); a join whose sides do not plan alone is left as written.

use datafusion::execution::SessionState;
use datafusion::sql::parser::Statement as DFStatement;
use datafusion::sql::sqlparser::ast::{
    Expr, Ident, JoinConstraint, JoinOperator, ObjectName, Query, Statement, TableWithJoins, Value,
};

use crate::hiveql::joins::constraint_mut;

/// At most this many NATURAL joins are resolved in one statement.
const MOST: usize = 16;

/// Where a NATURAL join is: the select's order among the statement's selects, the FROM item and
/// the join's index in it.
type Place = (usize, usize, usize);

fn is_natural(op: &JoinOperator) -> bool {
    matches!(crate::hiveql::joins::constraint(op), Some(JoinConstraint::Natural))
}

/// The first NATURAL join of the statement: its place, and the probes of its two sides.
fn first_natural(stmt: &Statement) -> Option<(Place, Query, Query)> {
    let (at, ((f, j), left, right)) = crate::hiveql::ast::find_select(stmt, |select, with| {
        select.from.iter().enumerate().find_map(|(f, from)| {
            let j = from.joins.iter().position(|join| is_natural(&join.join_operator))?;
            let left = TableWithJoins { relation: from.relation.clone(), joins: from.joins[..j].to_vec() };
            let right = TableWithJoins { relation: from.joins[j].relation.clone(), joins: vec![] };
            Some(((f, j), crate::hiveql::ast::star_query(vec![left], with)?, crate::hiveql::ast::star_query(vec![right], with)?))
        })
    })?;
    Some(((at, f, j), left, right))
}

/// Puts `constraint` in place of the NATURAL join at `place`.
fn replace(stmt: &mut Statement, place: Place, constraint: JoinConstraint) {
    crate::hiveql::ast::change_select_at(stmt, place.0, |select| {
        let join = select.from.get_mut(place.1).and_then(|f| f.joins.get_mut(place.2));
        if let Some(slot) = join.and_then(|j| constraint_mut(&mut j.join_operator)) {
            *slot = constraint;
        }
    });
}

/// The USING constraint for sides with these columns: the left side's names the right side has
/// too, in the left side's order; with none, the join keeps every pair of rows.
fn shared(left: &[String], right: &[String]) -> JoinConstraint {
    let mut names: Vec<&String> = Vec::new();
    for name in left {
        if right.iter().any(|r| r.eq_ignore_ascii_case(name)) && !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            names.push(name);
        }
    }
    if names.is_empty() {
        return JoinConstraint::On(Expr::value(Value::Boolean(true)));
    }
    JoinConstraint::Using(names.into_iter().map(|n| ObjectName::from(vec![Ident::with_quote('`', n.clone())])).collect())
}

/// The column names a probe plans to, or None where it does not plan.
async fn columns(state: &SessionState, probe: Query) -> Option<Vec<String>> {
    let plan = state.statement_to_plan(DFStatement::Statement(Box::new(Statement::Query(Box::new(probe))))).await.ok()?;
    Some(plan.schema().fields().iter().map(|f| f.name().clone()).collect())
}

/// Writes the statement's NATURAL joins as USING joins; true when any was.
pub(super) async fn resolve(ctx: &datafusion::prelude::SessionContext, stmt: &mut Statement) -> bool {
    // The session's state is copied only for a statement that has a NATURAL join.
    let mut state: Option<SessionState> = None;
    let mut changed = false;
    for _ in 0..MOST {
        let Some((place, left, right)) = first_natural(stmt) else { break };
        let state = state.get_or_insert_with(|| ctx.state());
        let (Some(left), Some(right)) = (columns(state, left).await, columns(state, right).await) else { break };
        replace(stmt, place, shared(&left, &right));
        changed = true;
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hiveql::{parse_one, Flavor};

    #[test]
    fn natural_joins_are_found_with_both_sides() {
        let stmt = parse_one("WITH c AS (SELECT 1 k) SELECT * FROM a JOIN b USING (k) NATURAL JOIN c WHERE x = 1", Flavor::Hive).unwrap();
        let (place, left, right) = first_natural(&stmt).unwrap();
        assert_eq!(place, (1, 0, 1));
        assert_eq!(left.to_string(), "WITH c AS (SELECT 1 AS k) SELECT * FROM a JOIN b USING(k)");
        assert_eq!(right.to_string(), "WITH c AS (SELECT 1 AS k) SELECT * FROM c");
    }

    #[test]
    fn the_shared_columns_follow_the_left_side() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let mut stmt = parse_one("SELECT * FROM a NATURAL LEFT JOIN b", Flavor::Hive).unwrap();
        replace(&mut stmt, (0, 0, 0), shared(&names(&["z", "k", "v"]), &names(&["K", "z", "w"])));
        assert_eq!(stmt.to_string(), "SELECT * FROM a LEFT JOIN b USING(`z`, `k`)");
        assert_eq!(shared(&names(&["a"]), &names(&["b"])), JoinConstraint::On(Expr::value(Value::Boolean(true))));
    }
}
