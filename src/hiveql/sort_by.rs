//! Hive's `SORT BY`, `DISTRIBUTE BY` and `CLUSTER BY`. `DISTRIBUTE BY x` spreads rows over
//! partitions by `x`, `SORT BY x` sorts the rows within each partition, and `CLUSTER BY x` is both.
//! A result read through one connection is one stream, so here a partition is the whole result:
//! `SORT BY` and `CLUSTER BY` of a query's own select sort the result (as its ORDER BY, which they
//! cannot be written beside), and `DISTRIBUTE BY` changes nothing. Inside a set operation, where
//! there is no result of the select's own to sort, they are dropped, as Spark's partitions there
//! carry no order to the outer query either.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{OrderBy, OrderByExpr, OrderByKind, OrderByOptions, Query, Select, SetExpr, Statement, VisitMut, VisitorMut};

/// The select's sort, from `SORT BY` or `CLUSTER BY`, with the three clauses taken off it.
fn take_sort(select: &mut Select) -> Vec<OrderByExpr> {
    let mut sort = std::mem::take(&mut select.sort_by);
    let ascending = OrderByOptions { asc: None, nulls_first: None };
    sort.extend(std::mem::take(&mut select.cluster_by).into_iter().map(|expr| OrderByExpr { expr, options: ascending, with_fill: None }));
    select.distribute_by.clear();
    sort
}

/// Rewrites the clauses of every select in the statement.
pub fn rewrite(stmt: &mut Statement) {
    struct Sorts;
    impl VisitorMut for Sorts {
        type Break = ();
        fn post_visit_query(&mut self, q: &mut Query) -> ControlFlow<()> {
            if let SetExpr::Select(select) = q.body.as_mut() {
                let sort = take_sort(select);
                if !sort.is_empty() && q.order_by.is_none() {
                    q.order_by = Some(OrderBy { kind: OrderByKind::Expressions(sort), interpolate: None });
                }
            }
            ControlFlow::Continue(())
        }
    }
    let _ = stmt.visit(&mut Sorts);
    // Whatever is left is inside set operations: drop it.
    super::ast::rewrite_selects(stmt, |select| {
        take_sort(select);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(sql: &str) -> String {
        crate::hiveql::rewritten(sql, rewrite)
    }

    #[test]
    fn sort_and_cluster_by_sort_the_result() {
        assert_eq!(r("SELECT a FROM t SORT BY a DESC"), "SELECT a FROM t ORDER BY a DESC");
        assert_eq!(r("SELECT a FROM t CLUSTER BY a, b"), "SELECT a FROM t ORDER BY a, b");
        assert_eq!(r("SELECT a FROM t DISTRIBUTE BY a SORT BY b LIMIT 2"), "SELECT a FROM t ORDER BY b LIMIT 2");
        assert_eq!(r("SELECT a FROM t DISTRIBUTE BY a"), "SELECT a FROM t");
        assert_eq!(r("SELECT a FROM (SELECT a FROM t SORT BY a) s"), "SELECT a FROM (SELECT a FROM t ORDER BY a) s");
        assert_eq!(r("SELECT a FROM t SORT BY a UNION ALL SELECT b FROM u"), "SELECT a FROM t UNION ALL SELECT b FROM u");
    }
}
