//! `/` and `DIV` as Spark means them (see the engine's `hivewire_divide`): each becomes a call the
//! engine resolves by the operands' types, with the divisor guarded as the session's ANSI setting
//! says: an error for a zero divisor under ANSI rules, NULL without them (for `/`, the engine's
//! function puts the guard on itself, as an interval divided by zero is an error regardless).

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{BinaryOperator, Expr, Statement, Value, VisitMut, VisitorMut};

use super::ast::{call, number};

/// Rewrites every division in the statement.
pub fn rewrite(stmt: &mut Statement, ansi: bool, precision_loss: bool) {
    struct Divisions {
        ansi: bool,
        precision_loss: bool,
    }
    impl VisitorMut for Divisions {
        type Break = ();
        fn post_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
            let Expr::BinaryOp { op: op @ (BinaryOperator::Divide | BinaryOperator::MyIntegerDivide), .. } = e else {
                return ControlFlow::Continue(());
            };
            // The name carries the DECIMAL rules: `_exact` keeps the range rather than the scale,
            // `_or_null` gives NULL on overflow.
            let function = match (*op == BinaryOperator::Divide, self.precision_loss, self.ansi) {
                (true, true, true) => "hivewire_divide",
                (true, false, true) => "hivewire_divide_exact",
                (true, true, false) => "hivewire_divide_or_null",
                (true, false, false) => "hivewire_divide_exact_or_null",
                (false, _, _) => "hivewire_int_divide",
            };
            let plain_divide = *op == BinaryOperator::Divide;
            let taken = std::mem::replace(e, Expr::value(Value::Null));
            if let Expr::BinaryOp { left, right, .. } = taken {
                // Without ANSI rules `/` guards its divisor itself, once it knows the operands'
                // types (an interval divided by zero is an error in every mode).
                // A number other than zero needs no guard. Written whole numbers are marked, as
                // the engine types them by their digits beside a decimal.
                let divisor = if nonzero_number(&right) {
                    marked(*right)
                } else if self.ansi {
                    call("hivewire_checked_divisor", vec![*right])
                } else if plain_divide {
                    *right
                } else {
                    call("nullif", vec![*right, number(0)])
                };
                *e = call(function, vec![marked(*left), divisor]);
            }
            ControlFlow::Continue(())
        }
    }
    let _ = stmt.visit(&mut Divisions { ansi, precision_loss });
}

/// A whole-number literal (signed or not) inside the engine's marker of written literals; any
/// other expression as it is.
pub(crate) fn marked(e: Expr) -> Expr {
    let whole = |e: &Expr| matches!(e, Expr::Value(v) if matches!(&v.value, Value::Number(n, false) if n.bytes().all(|b| b.is_ascii_digit())));
    let signed = matches!(&e, Expr::UnaryOp { op: datafusion::sql::sqlparser::ast::UnaryOperator::Minus, expr } if whole(expr));
    if whole(&e) || signed {
        call(crate::engine::spark_functions::WHOLE_LITERAL, vec![e])
    } else {
        e
    }
}

/// A number literal other than zero, signed or not.
pub(crate) fn nonzero_number(e: &Expr) -> bool {
    match e {
        Expr::Value(v) => matches!(&v.value, Value::Number(n, _) if n.parse::<f64>().is_ok_and(|x| x != 0.0)),
        Expr::UnaryOp { op: datafusion::sql::sqlparser::ast::UnaryOperator::Minus, expr } => nonzero_number(expr),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn divisions_become_calls_with_a_guarded_divisor() {
        assert_eq!(
            crate::hiveql::rewritten("SELECT a / b, a DIV 2 FROM t", |s| rewrite(s, true, true)),
            "SELECT hivewire_divide(a, hivewire_checked_divisor(b)), hivewire_int_divide(a, hivewire_whole_literal(2)) FROM t"
        );
        assert_eq!(crate::hiveql::rewritten("SELECT a / b FROM t", |s| rewrite(s, false, true)), "SELECT hivewire_divide_or_null(a, b) FROM t");
    }
}
