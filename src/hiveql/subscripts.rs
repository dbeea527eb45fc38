//! Subscripts, `xs[0]` and `m['k']`, as Spark reads them: arrays count from 0, where DataFusion
//! counts from 1. The element's type is not known from the text, so each subscript becomes a call
//! that the engine resolves once it is (see the engine's `hivewire_subscript`). Dotted field
//! access (`s.f`, `xs[0].f`) is left to the engine's planner, which finds fields regardless of case.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{AccessExpr, Expr, Statement, Subscript, Value, VisitMut, VisitorMut};

use super::ast::call;

/// The engine function a subscript becomes.
pub use crate::engine::spark_functions::subscript::SUBSCRIPT;
use crate::engine::spark_functions::subscript::{ELEMENT_AT, ELEMENT_AT_ANSI, SUBSCRIPT_ANSI};

/// Whether an expression names a column (or a table's column), whose dotted fields DataFusion
/// resolves itself.
fn named(e: &Expr) -> bool {
    matches!(e, Expr::Identifier(_) | Expr::CompoundIdentifier(_))
}

/// `root` followed by the accesses in `chain`, with every index subscript a call, and every field
/// of a value that is not a column (`STRUCT(a, b).b`, `xs[0].f`) a named field access, which the
/// engine's planner resolves once the value's type is known.
fn resolve(root: Expr, chain: Vec<AccessExpr>, subscript: &str) -> Expr {
    let mut current = root;
    let mut dots: Vec<AccessExpr> = Vec::new();
    for access in chain {
        match access {
            AccessExpr::Dot(Expr::Identifier(field)) if !named_chain(&current, &dots) => {
                dots.push(AccessExpr::Dot(Expr::value(Value::SingleQuotedString(field.value))));
            }
            AccessExpr::Subscript(Subscript::Index { index }) => {
                if !dots.is_empty() {
                    current = Expr::CompoundFieldAccess { root: Box::new(current), access_chain: std::mem::take(&mut dots) };
                }
                current = call(subscript, vec![current, index]);
            }
            other => dots.push(other),
        }
    }
    if dots.is_empty() {
        current
    } else {
        Expr::CompoundFieldAccess { root: Box::new(current), access_chain: dots }
    }
}

/// Whether the accesses so far continue a column's name (`t.s.f`), which DataFusion resolves
/// as one compound identifier.
fn named_chain(current: &Expr, dots: &[AccessExpr]) -> bool {
    named(current) && dots.iter().all(|d| matches!(d, AccessExpr::Dot(Expr::Identifier(_))))
}

/// Rewrites every index subscript, and every field of a value that is not a column, in the
/// statement. Under ANSI rules subscripts and `element_at` take the engine's checked forms, which
/// fail on an index past either end of an array, as Spark does.
pub fn rewrite(stmt: &mut Statement, ansi: bool) {
    struct Subscripts {
        ansi: bool,
    }
    impl VisitorMut for Subscripts {
        type Break = ();
        fn post_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
            if let Expr::Function(f) = e {
                // `try_element_at` is `element_at` without ANSI rules: NULL past either end.
                if f.name.to_string().eq_ignore_ascii_case("try_element_at") {
                    f.name = datafusion::sql::sqlparser::ast::ObjectName::from(vec![datafusion::sql::sqlparser::ast::Ident::new(ELEMENT_AT)]);
                } else if self.ansi && f.name.to_string() == ELEMENT_AT {
                    f.name = datafusion::sql::sqlparser::ast::ObjectName::from(vec![datafusion::sql::sqlparser::ast::Ident::new(ELEMENT_AT_ANSI)]);
                }
                return ControlFlow::Continue(());
            }
            let Expr::CompoundFieldAccess { root, access_chain } = e else { return ControlFlow::Continue(()) };
            let indexed = access_chain.iter().any(|a| matches!(a, AccessExpr::Subscript(Subscript::Index { .. })));
            if !indexed && named(root) {
                return ControlFlow::Continue(());
            }
            let taken = std::mem::replace(e, Expr::value(datafusion::sql::sqlparser::ast::Value::Null));
            if let Expr::CompoundFieldAccess { root, access_chain } = taken {
                *e = resolve(*root, access_chain, if self.ansi { SUBSCRIPT_ANSI } else { SUBSCRIPT });
            }
            ControlFlow::Continue(())
        }
    }
    let _ = stmt.visit(&mut Subscripts { ansi });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(sql: &str) -> String {
        crate::hiveql::rewritten(sql, |s| rewrite(s, false))
    }

    #[test]
    fn subscripts_become_calls() {
        assert_eq!(r("SELECT xs[0], m['k'] FROM t"), "SELECT hivewire_subscript(xs, 0), hivewire_subscript(m, 'k') FROM t");
        assert_eq!(r("SELECT c[0][1] FROM t"), "SELECT hivewire_subscript(hivewire_subscript(c, 0), 1) FROM t");
        assert_eq!(r("SELECT s.f, t.xs[0].f.G FROM t"), "SELECT s.f, hivewire_subscript(t.xs, 0).'f'.'G' FROM t");
        assert_eq!(r("SELECT struct(a AS X).X, t.s.xs[1] FROM t"), "SELECT struct(a AS X).'X', hivewire_subscript(t.s.xs, 1) FROM t");
    }

    #[test]
    fn ansi_rules_check_indexes() {
        let ansi = crate::hiveql::rewritten("SELECT xs[0], hivewire_element_at(xs, 5) FROM t", |s| rewrite(s, true));
        assert_eq!(ansi, "SELECT hivewire_subscript_ansi(xs, 0), hivewire_element_at_ansi(xs, 5) FROM t");
    }
}
