//! Result columns that share a name. Spark answers `SELECT a, a FROM t` and `SELECT 1 AS x, 2 AS x`
//! with two columns of one name; DataFusion refuses a projection whose names repeat. Before
//! planning a query for a client, the second and later items of a name in the outermost select
//! are given the name with [`DUPLICATE`] and a number after it; the engine gives the columns their
//! shared name back in the result (see the engine's `output_names`).

use std::collections::HashMap;

use datafusion::sql::sqlparser::ast::{Expr, Ident, SelectItem, SetExpr, Statement};

/// Separates a repeated name from the number that tells it apart.
pub const DUPLICATE: char = '\u{E001}';

/// Renames the repeated names of the outermost select's items.
pub fn rewrite(stmt: &mut Statement) {
    let Statement::Query(q) = stmt else { return };
    let mut body = q.body.as_mut();
    while let SetExpr::SetOperation { left, .. } = body {
        body = left.as_mut();
    }
    let SetExpr::Select(select) = body else { return };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for item in &mut select.projection {
        let (expr, name) = match item {
            SelectItem::ExprWithAlias { expr, alias } => (expr.clone(), alias.value.clone()),
            SelectItem::UnnamedExpr(e) => match name_of(e) {
                Some(n) => (e.clone(), n),
                None => continue,
            },
            _ => continue,
        };
        let count = seen.entry(name.to_lowercase()).or_insert(0);
        *count += 1;
        if *count > 1 {
            *item = SelectItem::ExprWithAlias { expr, alias: Ident::with_quote('`', format!("{name}{DUPLICATE}{count}")) };
        }
    }
}

/// The name a client sees for an unaliased item, where it is known from the text.
fn name_of(e: &Expr) -> Option<String> {
    match e {
        Expr::Identifier(i) => Some(i.value.clone()),
        Expr::CompoundIdentifier(ids) => ids.last().map(|i| i.value.clone()),
        other => super::spark_names::spark_name(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hiveql::{parse_one, Flavor};

    #[test]
    fn later_items_of_a_name_are_told_apart() {
        let mut stmt = parse_one("SELECT a, t.a, 1 AS x, 2 AS X, count(*), count(*) FROM t", Flavor::Hive).unwrap();
        rewrite(&mut stmt);
        let d = DUPLICATE;
        assert_eq!(stmt.to_string(), format!("SELECT a, t.a AS `a{d}2`, 1 AS x, 2 AS `X{d}2`, count(*), count(*) AS `count(1){d}2` FROM t"));
    }
}
