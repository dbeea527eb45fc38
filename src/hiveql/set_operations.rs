//! `MINUS` is Spark's other spelling of `EXCEPT` (`SELECT ... MINUS ALL SELECT ...`); DataFusion
//! plans only `EXCEPT`, so the spelling is changed before planning.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{Query, SetExpr, SetOperator, Statement, VisitMut, VisitorMut};

fn except_for_minus(body: &mut SetExpr) {
    if let SetExpr::SetOperation { op, left, right, .. } = body {
        if *op == SetOperator::Minus {
            *op = SetOperator::Except;
        }
        except_for_minus(left);
        except_for_minus(right);
    }
}

/// Writes every `MINUS` in the statement as `EXCEPT`.
pub fn rewrite(stmt: &mut Statement) {
    struct Minus;
    impl VisitorMut for Minus {
        type Break = ();
        fn pre_visit_query(&mut self, q: &mut Query) -> ControlFlow<()> {
            except_for_minus(&mut q.body);
            ControlFlow::Continue(())
        }
    }
    let _ = stmt.visit(&mut Minus);
}

#[cfg(test)]
mod tests {
    #[test]
    fn minus_is_except() {
        assert_eq!(
            crate::hiveql::rewritten("SELECT a FROM t MINUS ALL SELECT a FROM u MINUS SELECT 1", super::rewrite),
            "SELECT a FROM t EXCEPT ALL SELECT a FROM u EXCEPT SELECT 1"
        );
    }
}
