//! Hive's GROUP BY modifiers: `GROUP BY a, b WITH ROLLUP`, `WITH CUBE`, and
//! `GROUP BY a, b GROUPING SETS ((a), (b))`. sqlparser reads them as modifiers that DataFusion
//! ignores; before planning they become the standard forms `ROLLUP (a, b)`, `CUBE (a, b)` and
//! `GROUPING SETS (...)`. Select-list positions inside them (`CUBE (1, 2)`, `GROUPING SETS ((1),
//! (b))`) become the expressions at those positions, as DataFusion resolves them only in a plain
//! GROUP BY. ROLLUP and CUBE over composite elements (`ROLLUP(a, (b, c))`) or inside GROUPING SETS
//! become the grouping sets they stand for.


use datafusion::sql::sqlparser::ast::{
    Expr, GroupByExpr, GroupByWithModifier, Ident, SelectItem, Statement, Value,
};

/// The GROUP BY with its modifier applied, or None when it has none this module knows.
fn standard(exprs: &[Expr], modifiers: &[GroupByWithModifier]) -> Option<Vec<Expr>> {
    let singletons = || exprs.iter().map(|e| vec![e.clone()]).collect();
    match modifiers {
        [GroupByWithModifier::Rollup] => Some(vec![Expr::Rollup(singletons())]),
        [GroupByWithModifier::Cube] => Some(vec![Expr::Cube(singletons())]),
        [GroupByWithModifier::GroupingSets(sets)] => Some(vec![sets.clone()]),
        _ => None,
    }
}

/// The select item at a 1-based position, for a number inside a grouping construct.
fn positional(e: &Expr, items: &[SelectItem]) -> Option<Expr> {
    let Expr::Value(v) = e else { return None };
    let Value::Number(n, _) = &v.value else { return None };
    let i: usize = n.parse().ok()?;
    match items.get(i.checked_sub(1)?)? {
        SelectItem::UnnamedExpr(x) | SelectItem::ExprWithAlias { expr: x, .. } => Some(x.clone()),
        _ => None,
    }
}

/// Positions inside ROLLUP, CUBE and GROUPING SETS replaced by the select items they name.
fn resolve_positions(exprs: &mut [Expr], items: &[SelectItem]) {
    for e in exprs.iter_mut() {
        if let Expr::Rollup(sets) | Expr::Cube(sets) | Expr::GroupingSets(sets) = e {
            for x in sets.iter_mut().flatten() {
                if let Some(item) = positional(x, items) {
                    *x = item;
                }
            }
        }
    }
}

/// The grouping sets a ROLLUP or CUBE element list stands for: a ROLLUP's prefixes, longest
/// first, or a CUBE's subsets. Each element may be several expressions (`(a, b)`).
fn expand(elements: &[Vec<Expr>], cube: bool) -> Vec<Vec<Expr>> {
    if !cube {
        return (0..=elements.len()).rev().map(|n| elements[..n].concat()).collect();
    }
    let n = elements.len().min(16);
    let mut sets = Vec::with_capacity(1 << n);
    for mask in (0..1u32 << n).rev() {
        sets.push(elements[..n].iter().enumerate().filter(|(i, _)| mask & (1 << (n - 1 - i)) != 0).flat_map(|(_, e)| e.clone()).collect());
    }
    sets
}

/// The elements of a `rollup(...)` or `cube(...)` written inside GROUPING SETS, where sqlparser
/// reads it as a call: each argument, a tuple standing for several expressions.
fn called_construct(e: &Expr) -> Option<(Vec<Vec<Expr>>, bool)> {
    let Expr::Function(f) = e else { return None };
    let cube = match f.name.to_string().to_ascii_lowercase().as_str() {
        "rollup" => false,
        "cube" => true,
        _ => return None,
    };
    let datafusion::sql::sqlparser::ast::FunctionArguments::List(list) = &f.args else { return None };
    let elements = list
        .args
        .iter()
        .map(|a| match a {
            datafusion::sql::sqlparser::ast::FunctionArg::Unnamed(datafusion::sql::sqlparser::ast::FunctionArgExpr::Expr(Expr::Tuple(xs))) => Some(xs.clone()),
            datafusion::sql::sqlparser::ast::FunctionArg::Unnamed(datafusion::sql::sqlparser::ast::FunctionArgExpr::Expr(x)) => Some(vec![x.clone()]),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    Some((elements, cube))
}

/// ROLLUP and CUBE over composite elements (`ROLLUP(a, (b, c))`), and ROLLUP and CUBE inside
/// GROUPING SETS, as the plain GROUPING SETS they stand for, which DataFusion plans.
fn flatten_constructs(exprs: &mut [Expr]) {
    // An empty element (`ROLLUP(a, ())`) is refused, as Spark refuses it.
    let composite = |elements: &[Vec<Expr>]| elements.iter().any(|x| x.len() > 1) && elements.iter().all(|x| !x.is_empty());
    for e in exprs.iter_mut() {
        let flat = match &*e {
            Expr::Rollup(elements) if composite(elements) => expand(elements, false),
            Expr::Cube(elements) if composite(elements) => expand(elements, true),
            Expr::GroupingSets(sets) if sets.iter().flatten().any(|x| called_construct(x).is_some()) => {
                let construct = |set: &[Expr]| match set {
                    [one] => called_construct(one),
                    _ => None,
                };
                sets.iter()
                    .flat_map(|set| match construct(set) {
                        Some((elements, cube)) => expand(&elements, cube),
                        None => vec![set.clone()],
                    })
                    .collect()
            }
            _ => continue,
        };
        *e = Expr::GroupingSets(flat);
    }
}

/// In Hive's `GROUP BY a, b GROUPING SETS ((a))`, `b` is a grouping column that no set keeps: it is
/// NULL in every row. A select item that is such a column becomes a NULL of its type (an
/// aggregate over no rows of it), as DataFusion groups only by the columns of the sets.
fn null_outside_sets(items: &mut [SelectItem], group_by: &[Expr], sets: &Expr) {
    let Expr::GroupingSets(sets) = sets else { return };
    let in_sets: Vec<String> = sets.iter().flatten().map(|e| e.to_string().to_lowercase()).collect();
    let outside: Vec<String> =
        group_by.iter().map(|e| e.to_string().to_lowercase()).filter(|e| !in_sets.contains(e)).collect();
    for item in items.iter_mut() {
        let (expr, alias) = match item {
            SelectItem::UnnamedExpr(e) => (e.clone(), None),
            SelectItem::ExprWithAlias { expr, alias } => (expr.clone(), Some(alias.clone())),
            _ => continue,
        };
        if !outside.contains(&expr.to_string().to_lowercase()) {
            continue;
        }
        let alias = alias.unwrap_or_else(|| match &expr {
            Expr::Identifier(id) => id.clone(),
            Expr::CompoundIdentifier(ids) => ids.last().cloned().unwrap_or_else(|| Ident::new(expr.to_string())),
            other => Ident::new(other.to_string()),
        });
        let never = super::ast::case_when(Expr::value(Value::Boolean(false)), expr, None);
        *item = SelectItem::ExprWithAlias { expr: super::ast::call("max", vec![never]), alias };
    }
}

/// Rewrites every GROUP BY modifier in the statement.
pub fn rewrite(stmt: &mut Statement) {
    super::ast::rewrite_selects(stmt, |select| {
        if let GroupByExpr::Expressions(exprs, modifiers) = &select.group_by {
            if let [GroupByWithModifier::GroupingSets(sets)] = modifiers.as_slice() {
                null_outside_sets(&mut select.projection, exprs, sets);
            }
            if let Some(exprs) = standard(exprs, modifiers) {
                select.group_by = GroupByExpr::Expressions(exprs, vec![]);
            }
        }
        if let GroupByExpr::Expressions(exprs, _) = &mut select.group_by {
            flatten_constructs(exprs);
            resolve_positions(exprs, &select.projection);
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
    fn modifiers_become_standard_grouping() {
        assert_eq!(r("SELECT a, b FROM t GROUP BY a, b WITH ROLLUP"), "SELECT a, b FROM t GROUP BY ROLLUP (a, b)");
        assert_eq!(r("SELECT a FROM t GROUP BY a + 1, b WITH CUBE"), "SELECT a FROM t GROUP BY CUBE (a + 1, b)");
        assert_eq!(
            r("SELECT a FROM t GROUP BY a, b GROUPING SETS ((a), (b))"),
            "SELECT a FROM t GROUP BY GROUPING SETS ((a), (b))"
        );
    }

    #[test]
    fn positions_inside_grouping_constructs_name_select_items() {
        assert_eq!(r("SELECT a, b + 1 AS c FROM t GROUP BY CUBE (1, 2)"), "SELECT a, b + 1 AS c FROM t GROUP BY CUBE (a, b + 1)");
        assert_eq!(r("SELECT a, b FROM t GROUP BY 1, 2 WITH ROLLUP"), "SELECT a, b FROM t GROUP BY ROLLUP (a, b)");
        assert_eq!(
            r("SELECT a, b FROM t GROUP BY a, 2 GROUPING SETS ((1), (b), (a, 2))"),
            "SELECT a, b FROM t GROUP BY GROUPING SETS ((a), (b), (a, b))"
        );
    }

    #[test]
    fn composite_and_nested_constructs_become_grouping_sets() {
        assert_eq!(r("SELECT 1 FROM t GROUP BY ROLLUP(a, (b, c))"), "SELECT 1 FROM t GROUP BY GROUPING SETS ((a, b, c), (a), ())");
        assert_eq!(r("SELECT 1 FROM t GROUP BY CUBE((a, b), c)"), "SELECT 1 FROM t GROUP BY GROUPING SETS ((a, b, c), (a, b), (c), ())");
        assert_eq!(
            r("SELECT 1 FROM t GROUP BY a, GROUPING SETS(ROLLUP(a, b), (b))"),
            "SELECT 1 FROM t GROUP BY a, GROUPING SETS ((a, b), (a), (), (b))"
        );
        assert_eq!(r("SELECT 1 FROM t GROUP BY ROLLUP(a, b)"), "SELECT 1 FROM t GROUP BY ROLLUP (a, b)");
    }

    #[test]
    fn columns_no_set_keeps_are_null() {
        assert_eq!(
            r("SELECT a, b, count(d) FROM t GROUP BY a, b GROUPING SETS ((a))"),
            "SELECT a, max(CASE WHEN false THEN b END) AS b, count(d) FROM t GROUP BY GROUPING SETS ((a))"
        );
    }
}
