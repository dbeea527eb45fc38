//! Aggregates of the outer query inside a subquery of HAVING:
//! `SELECT d, count(*) FROM emp GROUP BY d HAVING EXISTS (SELECT 1 FROM bonus WHERE amt < min(emp.salary))`.
//! Spark computes `min(emp.salary)` for each group of the outer query and hands it to the
//! subquery as a correlated value. DataFusion plans the call inside the subquery, where it is an
//! aggregate in a WHERE clause, and refuses it.
//!
//! The select is split in two. The inner one is the original with those HAVING conditions taken
//! out and each outer value they use (the outer aggregates and the outer columns) added as a
//! hidden column. The outer one keeps the original columns of the inner one's rows that meet the
//! conditions, which now read the hidden columns.

use std::collections::HashSet;
use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    visit_expressions, BinaryOperator, Expr, ExcludeSelectItem, Ident, ObjectName, Query, Select, SelectItem, SetExpr, Statement,
    VisitMut, VisitorMut,
};

/// The inner select's name in the outer one.
const INNER: &str = "__hivewire_having";

/// The name of the `i`th hidden column.
fn hidden(i: usize) -> String {
    format!("__hivewire_outer{i}")
}

/// Spark's aggregate functions, by the names a query calls them.
const AGGREGATES: &[&str] = &[
    "count", "sum", "min", "max", "avg", "mean", "first", "last", "first_value", "last_value", "collect_list",
    "collect_set", "array_agg", "stddev", "stddev_samp", "stddev_pop", "std", "variance", "var_samp", "var_pop",
    "count_if", "bool_and", "bool_or", "every", "any", "some", "max_by", "min_by", "percentile", "percentile_approx",
    "approx_percentile", "median", "mode", "approx_count_distinct", "corr", "covar_samp", "covar_pop", "bit_and",
    "bit_or", "bit_xor", "product", "kurtosis", "skewness", "regr_count", "regr_slope", "regr_intercept", "regr_r2",
    "listagg", "string_agg",
];

/// Whether `e` calls an aggregate function (not as a window function).
pub(super) fn is_aggregate(e: &Expr) -> bool {
    let Expr::Function(f) = e else { return false };
    f.over.is_none()
        && matches!(f.name.0.as_slice(), [p] if p.as_ident().is_some_and(|i| AGGREGATES.contains(&i.value.to_lowercase().as_str())))
}

/// Walks a HAVING condition, finding (or hoisting) the outer values its subqueries use.
struct Outer<'a> {
    /// The names of the outer select's relations.
    outer: &'a HashSet<String>,
    /// The names of the relations of each enclosing subquery, innermost last.
    shadows: Vec<HashSet<String>>,
    /// Whether to replace outer values (else only note that some subquery uses an aggregate).
    hoist: bool,
    /// Whether a subquery uses an outer aggregate.
    found: bool,
    /// The hidden columns' values, in order.
    hidden: Vec<Expr>,
}

impl Outer<'_> {
    /// Whether `qualifier` names an outer relation that no enclosing subquery's relation hides.
    fn is_outer(&self, qualifier: &Ident) -> bool {
        let q = qualifier.value.to_lowercase();
        self.outer.contains(&q) && !self.shadows.iter().any(|s| s.contains(&q))
    }

    /// Whether every column `e` reads is an outer one, and it reads some.
    fn reads_only_outer(&self, e: &Expr) -> bool {
        let mut outer = 0;
        let mut other = 0;
        let _ = visit_expressions(e, |c| {
            match c {
                Expr::CompoundIdentifier(ids) if ids.len() >= 2 && self.is_outer(&ids[0]) => outer += 1,
                Expr::Identifier(_) | Expr::CompoundIdentifier(_) => other += 1,
                _ => {}
            }
            ControlFlow::<()>::Continue(())
        });
        outer > 0 && other == 0
    }

    /// The hidden column holding `e`, added if new.
    fn column(&mut self, e: &Expr) -> Expr {
        let text = e.to_string();
        let i = self.hidden.iter().position(|h| h.to_string() == text).unwrap_or_else(|| {
            self.hidden.push(e.clone());
            self.hidden.len() - 1
        });
        Expr::CompoundIdentifier(vec![Ident::new(INNER), Ident::new(hidden(i))])
    }
}

impl VisitorMut for Outer<'_> {
    type Break = ();

    fn pre_visit_query(&mut self, q: &mut Query) -> ControlFlow<()> {
        self.shadows.push(super::ast::query_relation_names(q));
        ControlFlow::Continue(())
    }

    fn post_visit_query(&mut self, _: &mut Query) -> ControlFlow<()> {
        self.shadows.pop();
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
        let in_subquery = !self.shadows.is_empty();
        let outer_value = if in_subquery {
            (is_aggregate(e) && self.reads_only_outer(e))
                || matches!(e, Expr::CompoundIdentifier(ids) if ids.len() >= 2 && self.is_outer(&ids[0]))
        } else {
            is_aggregate(e) || matches!(e, Expr::Identifier(_) | Expr::CompoundIdentifier(_))
        };
        if in_subquery && is_aggregate(e) && outer_value {
            self.found = true;
        }
        if self.hoist && outer_value {
            *e = self.column(e);
        }
        ControlFlow::Continue(())
    }
}

/// The conjuncts of a condition.
fn conjuncts(e: Expr, out: &mut Vec<Expr>) {
    match e {
        Expr::BinaryOp { left, op: BinaryOperator::And, right } => {
            conjuncts(*left, out);
            conjuncts(*right, out);
        }
        Expr::Nested(inner) if matches!(inner.as_ref(), Expr::BinaryOp { op: BinaryOperator::And, .. }) => conjuncts(*inner, out),
        other => out.push(other),
    }
}

fn all(conditions: Vec<Expr>) -> Option<Expr> {
    conditions.into_iter().reduce(|a, b| Expr::BinaryOp { left: Box::new(a), op: BinaryOperator::And, right: Box::new(b) })
}

/// The select split in two, or None when no subquery of its HAVING uses an outer aggregate.
fn split(select: &Select) -> Option<Select> {
    let outer = super::ast::from_relation_names(&select.from);
    if outer.is_empty() {
        return None;
    }
    let mut parts = Vec::new();
    conjuncts(select.having.clone()?, &mut parts);
    let walker = |hoist| Outer { outer: &outer, shadows: Vec::new(), hoist, found: false, hidden: Vec::new() };
    let (mut moved, kept): (Vec<Expr>, Vec<Expr>) = parts.into_iter().partition(|c| {
        let mut w = walker(false);
        let _ = VisitMut::visit(&mut c.clone(), &mut w);
        w.found
    });
    if moved.is_empty() {
        return None;
    }
    let mut hoisting = walker(true);
    for c in &mut moved {
        let _ = c.visit(&mut hoisting);
    }

    let names: Vec<Ident> = (0..hoisting.hidden.len()).map(|i| Ident::new(hidden(i))).collect();
    let mut inner = select.clone();
    inner.having = all(kept);
    inner.distinct = None;
    for (value, alias) in hoisting.hidden.into_iter().zip(names.iter().cloned()) {
        inner.projection.push(SelectItem::ExprWithAlias { expr: value, alias });
    }

    let mut query = super::ast::query_over("*", super::ast::query_of(inner)?, INNER)?;
    let SetExpr::Select(outer_select) = query.body.as_mut() else { return None };
    if let Some(SelectItem::Wildcard(options)) = outer_select.projection.first_mut() {
        options.opt_exclude = Some(ExcludeSelectItem::Multiple(names.into_iter().map(|n| ObjectName::from(vec![n])).collect()));
    }
    outer_select.selection = all(moved);
    outer_select.distinct = select.distinct.clone();
    Some(outer_select.as_ref().clone())
}

/// Splits every select whose HAVING has a subquery using an outer aggregate.
pub fn rewrite(stmt: &mut Statement) {
    super::ast::rewrite_selects(stmt, |select| {
        if let Some(split) = split(select) {
            *select = split;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(sql: &str) -> String {
        crate::hiveql::rewritten(sql, rewrite)
    }

    #[test]
    fn outer_aggregates_become_columns_of_an_inner_select() {
        assert_eq!(
            r("SELECT d, count(*) FROM emp GROUP BY d HAVING count(*) > 1 AND EXISTS (SELECT 1 FROM bonus WHERE amt < min(emp.salary) AND emp.d = bonus.d)"),
            "SELECT * EXCLUDE (__hivewire_outer0, __hivewire_outer1) FROM (SELECT d, count(*), min(emp.salary) AS __hivewire_outer0, \
             emp.d AS __hivewire_outer1 FROM emp GROUP BY d HAVING count(*) > 1) AS __hivewire_having \
             WHERE EXISTS (SELECT 1 FROM bonus WHERE amt < __hivewire_having.__hivewire_outer0 AND __hivewire_having.__hivewire_outer1 = bonus.d)"
        );
    }

    #[test]
    fn values_outside_the_subquery_are_hoisted_too() {
        assert_eq!(
            r("SELECT d FROM emp e GROUP BY d HAVING count(*) > 2 OR EXISTS (SELECT 1 FROM b WHERE x > max(e.s))"),
            "SELECT * EXCLUDE (__hivewire_outer0, __hivewire_outer1) FROM (SELECT d, count(*) AS __hivewire_outer0, \
             max(e.s) AS __hivewire_outer1 FROM emp e GROUP BY d) AS __hivewire_having \
             WHERE __hivewire_having.__hivewire_outer0 > 2 OR EXISTS (SELECT 1 FROM b WHERE x > __hivewire_having.__hivewire_outer1)"
        );
    }

    #[test]
    fn subqueries_own_aggregates_and_shadowed_names_are_left_alone() {
        for sql in [
            "SELECT d FROM emp GROUP BY d HAVING EXISTS (SELECT 1 FROM bonus GROUP BY x HAVING min(bonus.amt) > 1)",
            "SELECT d FROM emp GROUP BY d HAVING EXISTS (SELECT 1 FROM emp WHERE x < min(emp.salary))",
            "SELECT d FROM emp GROUP BY d HAVING d IN (SELECT d FROM bonus)",
        ] {
            assert_eq!(r(sql), sql);
        }
    }
}
