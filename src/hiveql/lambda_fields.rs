//! Struct fields of lambda variables: `transform(xs, x -> x.price * x.qty)`. DataFusion reads
//! `x.price` as column `price` of a table `x` and finds none, since `x` is a lambda's variable;
//! written as a subscript, `x['price']`, it is a field access, which the engine plans (regardless
//! of case, as Spark reads field names).

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{visit_expressions_mut, AccessExpr, Expr, Ident, Statement, Subscript, VisitMut, VisitorMut};

/// Rewrites the field reads of lambda variables in the statement.
pub fn rewrite(stmt: &mut Statement) {
    struct Lambdas;
    impl VisitorMut for Lambdas {
        type Break = ();
        fn pre_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
            if let Expr::Lambda(l) = e {
                let params: Vec<String> = l.params.iter().map(|p| p.name.value.to_lowercase()).collect();
                let _ = visit_expressions_mut(l.body.as_mut(), |x| {
                    if let Expr::CompoundIdentifier(ids) = x {
                        if ids.len() > 1 && params.contains(&ids[0].value.to_lowercase()) {
                            *x = field_reads(ids);
                        }
                    }
                    ControlFlow::<()>::Continue(())
                });
            }
            ControlFlow::Continue(())
        }
    }
    let _ = stmt.visit(&mut Lambdas);
}

/// `x.a.b` as `x['a']['b']`.
fn field_reads(ids: &[Ident]) -> Expr {
    let access_chain = ids[1..]
        .iter()
        .map(|f| AccessExpr::Subscript(Subscript::Index { index: super::ast::text(f.value.clone()) }))
        .collect();
    Expr::CompoundFieldAccess { root: Box::new(Expr::Identifier(ids[0].clone())), access_chain }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hiveql::{parse_one, Flavor};

    #[test]
    fn lambda_variables_fields_become_subscripts() {
        let mut stmt = parse_one("SELECT transform(xs, x -> x.a.b + y.c) FROM t", Flavor::Hive).unwrap();
        rewrite(&mut stmt);
        assert_eq!(stmt.to_string(), "SELECT transform(xs, x -> x['a']['b'] + y.c) FROM t");
    }
}
