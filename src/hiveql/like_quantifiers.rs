//! `x [NOT] LIKE|ILIKE ANY|SOME|ALL (p1, p2, ...)`: Spark's quantified LIKE. DataFusion plans
//! no quantified LIKE, so each one becomes the chain of single LIKEs it stands for, joined by OR
//! for ANY and SOME and by AND for ALL. SQL's three-valued OR and AND give Spark's answers: a
//! NULL pattern makes the result NULL only when no other pattern decides it.
//!
//! sqlparser reads `LIKE ANY (...)` as a LIKE marked `any` over a tuple, and `LIKE ALL (...)` and
//! `LIKE SOME (...)` as a LIKE of a call to `all` or `some`; [`quantified`] recognises all three.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    BinaryOperator, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Statement, Value, VisitMut, VisitorMut,
};

/// A quantified LIKE, read from the statement.
pub struct Quantified<'a> {
    /// ALL rather than ANY or SOME.
    pub all: bool,
    /// `NOT LIKE`: each single LIKE is negated.
    pub negated: bool,
    /// ILIKE rather than LIKE.
    pub ilike: bool,
    /// The value matched.
    pub expr: &'a Expr,
    /// The patterns, in order.
    pub patterns: Vec<&'a Expr>,
}

impl Quantified<'_> {
    /// Whether every pattern is a text literal: Spark then keeps one `likeany`-style expression,
    /// and names it so, where it otherwise expands the chain itself.
    pub fn literal_patterns(&self) -> bool {
        self.patterns.iter().all(|p| matches!(p, Expr::Value(v) if matches!(v.value, Value::SingleQuotedString(_) | Value::DoubleQuotedString(_))))
    }

    /// The chain of single LIKEs this stands for: `(x LIKE p1 OR x LIKE p2) OR ...`.
    pub fn expand(&self) -> Expr {
        let single = |pattern: &Expr| {
            let (expr, pattern) = (Box::new(self.expr.clone()), Box::new(pattern.clone()));
            let like = if self.ilike {
                Expr::ILike { negated: false, any: false, expr, pattern, escape_char: None }
            } else {
                Expr::Like { negated: false, any: false, expr, pattern, escape_char: None }
            };
            if self.negated { Expr::UnaryOp { op: datafusion::sql::sqlparser::ast::UnaryOperator::Not, expr: Box::new(like) } } else { like }
        };
        let op = if self.all { BinaryOperator::And } else { BinaryOperator::Or };
        let mut patterns = self.patterns.iter();
        let first = patterns.next().map(|p| single(p)).unwrap_or(Expr::value(Value::Null));
        patterns.fold(first, |left, p| Expr::BinaryOp { left: Box::new(left), op: op.clone(), right: Box::new(single(p)) })
    }
}

/// The quantified LIKE `e` is, if it is one.
pub fn quantified(e: &Expr) -> Option<Quantified<'_>> {
    let (negated, any, expr, pattern, ilike) = match e {
        Expr::Like { negated, any, expr, pattern, escape_char: None } => (*negated, *any, expr, pattern, false),
        Expr::ILike { negated, any, expr, pattern, escape_char: None } => (*negated, *any, expr, pattern, true),
        _ => return None,
    };
    let (all, patterns) = if any {
        match pattern.as_ref() {
            Expr::Tuple(items) => (false, items.iter().collect()),
            Expr::Nested(item) => (false, vec![item.as_ref()]),
            _ => return None,
        }
    } else {
        let Expr::Function(f) = pattern.as_ref() else { return None };
        let [name] = f.name.0.as_slice() else { return None };
        let all = match name.as_ident()?.value.to_ascii_lowercase().as_str() {
            "all" => true,
            "some" | "any" => false,
            _ => return None,
        };
        let FunctionArguments::List(list) = &f.args else { return None };
        if list.duplicate_treatment.is_some() || !list.clauses.is_empty() || f.filter.is_some() || f.over.is_some() || !f.within_group.is_empty() {
            return None;
        }
        let patterns = list
            .args
            .iter()
            .map(|a| match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(p)) => Some(p),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?;
        (all, patterns)
    };
    if patterns.is_empty() {
        return None;
    }
    Some(Quantified { all, negated, ilike, expr, patterns })
}

/// Expands every quantified LIKE in the statement.
pub fn rewrite(stmt: &mut Statement) {
    let _ = stmt.visit(&mut Expander);
}

struct Expander;

impl VisitorMut for Expander {
    type Break = ();

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if let Some(chain) = quantified(expr).map(|q| q.expand()) {
            *expr = Expr::Nested(Box::new(chain));
        }
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expanded(sql: &str) -> String {
        crate::hiveql::rewritten(sql, rewrite)
    }

    #[test]
    fn any_and_some_become_or_chains() {
        assert_eq!(expanded("SELECT a LIKE ANY ('x%', '%y', b)"), "SELECT (a LIKE 'x%' OR a LIKE '%y' OR a LIKE b)");
        assert_eq!(expanded("SELECT a LIKE SOME ('x%')"), "SELECT (a LIKE 'x%')");
        assert_eq!(expanded("SELECT a LIKE ANY ('x%')"), "SELECT (a LIKE 'x%')");
    }

    #[test]
    fn all_becomes_an_and_chain_and_not_negates_each_like() {
        assert_eq!(expanded("SELECT a NOT LIKE ALL ('x%', NULL)"), "SELECT (NOT a LIKE 'x%' AND NOT a LIKE NULL)");
        assert_eq!(expanded("SELECT a NOT ILIKE ANY ('x%', 'y')"), "SELECT (NOT a ILIKE 'x%' OR NOT a ILIKE 'y')");
    }

    #[test]
    fn plain_likes_and_other_calls_are_left_alone() {
        assert_eq!(expanded("SELECT a LIKE 'x%', a LIKE upper('x')"), "SELECT a LIKE 'x%', a LIKE upper('x')");
    }

    #[test]
    fn literal_patterns_are_told_apart() {
        let stmt = crate::hiveql::parse_one("SELECT a LIKE ALL ('x', 'y'), a LIKE ALL ('x', NULL)", crate::hiveql::Flavor::Hive).expect("parses");
        let Statement::Query(q) = stmt else { panic!("query") };
        let datafusion::sql::sqlparser::ast::SetExpr::Select(s) = q.body.as_ref() else { panic!("select") };
        let literal: Vec<bool> = s
            .projection
            .iter()
            .map(|i| match i {
                datafusion::sql::sqlparser::ast::SelectItem::UnnamedExpr(e) => quantified(e).expect("quantified").literal_patterns(),
                _ => panic!("unnamed"),
            })
            .collect();
        assert_eq!(literal, vec![true, false]);
    }
}
