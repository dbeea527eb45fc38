//! `UNPIVOT`: `FROM t UNPIVOT [INCLUDE | EXCLUDE NULLS] (v FOR name IN (c1 [AS a1], c2, ...))` turns
//! columns into rows, one row per column with its name and value; `(v1, v2) FOR name IN ((c1, c2),
//! ...)` unpivots several values at once. Each becomes a `stack` generator over the table, as
//! Spark's plan is: the columns not unpivoted, then the name, then the values; rows whose values
//! are all NULL are left out unless NULLs are included.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{Expr, NullInclusion, Query, SetExpr, Statement, TableFactor, VisitMut, VisitorMut};

/// The SQL of the rewritten relation, or None when the UNPIVOT is not in a form read here.
fn rewritten(factor: &TableFactor) -> Option<String> {
    let TableFactor::Unpivot { table, value, name, columns, null_inclusion, alias } = factor else { return None };
    let values: Vec<&Expr> = match value {
        Expr::Tuple(vs) => vs.iter().collect(),
        Expr::Nested(v) => vec![v.as_ref()],
        v => vec![v],
    };
    let mut unpivoted: Vec<String> = Vec::new();
    let mut stack_args: Vec<String> = vec![columns.len().to_string()];
    for c in columns {
        let parts: Vec<&Expr> = match &c.expr {
            Expr::Tuple(ps) => ps.iter().collect(),
            Expr::Nested(p) => vec![p.as_ref()],
            p => vec![p],
        };
        if parts.len() != values.len() {
            return None;
        }
        let bare = |e: &Expr| match e {
            Expr::Identifier(id) => Some(id.value.clone()),
            Expr::CompoundIdentifier(ids) => ids.last().map(|i| i.value.clone()),
            _ => None,
        };
        let label = match &c.alias {
            Some(a) => a.value.clone(),
            None => parts.iter().map(|p| bare(p)).collect::<Option<Vec<_>>>()?.join("_"),
        };
        stack_args.push(format!("'{}'", label.replace('\'', "''")));
        for p in &parts {
            stack_args.push(p.to_string());
            unpivoted.push(p.to_string());
        }
    }
    let outputs: Vec<String> = std::iter::once(name.to_string()).chain(values.iter().map(|v| v.to_string())).collect();
    let keep_nulls = matches!(null_inclusion, Some(NullInclusion::IncludeNulls));
    let filter = if keep_nulls {
        String::new()
    } else {
        format!(" WHERE NOT ({})", values.iter().map(|v| format!("{v} IS NULL")).collect::<Vec<_>>().join(" AND "))
    };
    let relation_alias = match alias {
        Some(a) => a.to_string(),
        None => super::ast::relation_name(table).map_or_else(|| "hivewire_unpivoted".into(), |i| i.to_string()),
    };
    Some(format!(
        "SELECT * FROM (SELECT * EXCEPT ({}) FROM {table} LATERAL VIEW stack({}) hivewire_unpivot AS {}{filter}) AS {relation_alias}",
        unpivoted.join(", "),
        stack_args.join(", "),
        outputs.join(", ")
    ))
}

/// The derived table in the parsed form of the rewritten relation.
fn derived(sql: &str) -> Option<TableFactor> {
    let Ok(Statement::Query(q)) = super::parse_one(sql, super::Flavor::Hive) else { return None };
    let Query { body, .. } = *q;
    let SetExpr::Select(select) = *body else { return None };
    select.from.into_iter().next().map(|t| t.relation)
}

/// Rewrites every UNPIVOT in the statement.
pub fn rewrite(stmt: &mut Statement) {
    struct Unpivots;
    impl VisitorMut for Unpivots {
        type Break = ();
        fn pre_visit_table_factor(&mut self, factor: &mut TableFactor) -> ControlFlow<()> {
            if let Some(replacement) = rewritten(factor).as_deref().and_then(derived) {
                *factor = replacement;
            }
            ControlFlow::Continue(())
        }
    }
    let _ = stmt.visit(&mut Unpivots);
}

#[cfg(test)]
mod tests {
    #[test]
    fn unpivot_becomes_a_stack_over_the_table() {
        assert_eq!(
            crate::hiveql::rewritten("SELECT * FROM t UNPIVOT (v FOR y IN (a, b AS bee))", super::rewrite),
            "SELECT * FROM (SELECT * EXCEPT (a, b) FROM t LATERAL VIEW stack(2, 'a', a, 'bee', b) hivewire_unpivot AS y, v \
             WHERE NOT (v IS NULL)) AS t"
        );
    }
}
