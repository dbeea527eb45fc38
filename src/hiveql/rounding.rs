//! `round(x, d)` and `bround(x, d)` to a negative constant number of places under ANSI rules are
//! checked for overflow (engine/spark_functions/checked_round.rs): Spark fails where the rounded
//! whole number does not fit its type, and wraps it without ANSI rules.

use datafusion::sql::sqlparser::ast::{Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Statement, UnaryOperator, Value, VisitMut, VisitorMut};

use crate::engine::spark_functions::checked_round::CHECKED_ROUND;

/// Wraps the calls that may overflow, under ANSI rules.
pub fn rewrite(stmt: &mut Statement, ansi: bool) {
    if !ansi {
        return;
    }
    struct Rounds;
    impl VisitorMut for Rounds {
        type Break = ();
        fn post_visit_expr(&mut self, e: &mut Expr) -> std::ops::ControlFlow<()> {
            let Expr::Function(f) = e else { return std::ops::ControlFlow::Continue(()) };
            let name = f.name.to_string().to_lowercase();
            let mode = match name.as_str() {
                "round" => "HALF_UP",
                "bround" => "HALF_EVEN",
                _ => return std::ops::ControlFlow::Continue(()),
            };
            let FunctionArguments::List(list) = &f.args else { return std::ops::ControlFlow::Continue(()) };
            let [FunctionArg::Unnamed(FunctionArgExpr::Expr(x)), FunctionArg::Unnamed(FunctionArgExpr::Expr(d))] = list.args.as_slice() else {
                return std::ops::ControlFlow::Continue(());
            };
            let negative = matches!(d, Expr::UnaryOp { op: UnaryOperator::Minus, expr } if matches!(expr.as_ref(), Expr::Value(v) if matches!(v.value, Value::Number(..))))
                || matches!(d, Expr::Value(v) if matches!(&v.value, Value::Number(n, _) if n.starts_with('-')));
            if negative {
                let (x, d) = (x.clone(), d.clone());
                *e = super::ast::call(CHECKED_ROUND, vec![e.clone(), x, d, super::ast::text(mode)]);
            }
            std::ops::ControlFlow::Continue(())
        }
    }
    let _ = stmt.visit(&mut Rounds);
}
