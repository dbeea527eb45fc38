//! Result column names in the case the query wrote them. DataFusion folds unquoted identifiers to
//! lower case, aliases too, so `SELECT count(*) AS Total` would name its column `total`; Spark
//! Thrift Server keeps `Total`. Over HiveServer2, the result columns named by an alias of the
//! outermost select get the alias's spelling back. PostgreSQL folds them as DataFusion does, so
//! its clients keep the folded names. Columns the front end told apart because their names repeat
//! (`hiveql::duplicate_names`) get their shared name back, each under a qualifier of its own.
//! Columns whose definition spelled them with capitals get that spelling (`spelled_names`).

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::common::{Column, Result, TableReference};
use datafusion::logical_expr::{Expr, LogicalPlan, Projection};
use datafusion::sql::sqlparser::ast::{SelectItem, SetExpr, Statement};

use crate::hiveql::duplicate_names::DUPLICATE;

/// The outermost select's unquoted aliases that are not all lower case, by their folded name.
pub(crate) fn written_aliases(stmt: &Statement) -> HashMap<String, String> {
    let Statement::Query(q) = stmt else { return HashMap::new() };
    let mut body = q.body.as_ref();
    while let SetExpr::SetOperation { left, .. } = body {
        body = left.as_ref();
    }
    let SetExpr::Select(select) = body else { return HashMap::new() };
    select
        .projection
        .iter()
        .filter_map(|item| match item {
            SelectItem::ExprWithAlias { alias, .. } if alias.quote_style.is_none() && alias.value.chars().any(char::is_uppercase) => {
                Some((alias.value.to_lowercase(), alias.value.clone()))
            }
            _ => None,
        })
        .collect()
}

/// The plan with the columns named by those aliases, or marked with a spelling
/// (`spelled_names`), renamed to it; unchanged when none is.
pub(crate) fn restore(plan: LogicalPlan, written: &HashMap<String, String>) -> Result<LogicalPlan> {
    if matches!(plan, LogicalPlan::Dml(_) | LogicalPlan::Ddl(_)) {
        return Ok(plan);
    }
    let schema = Arc::clone(plan.schema());
    let spellings: Vec<Option<String>> = schema
        .fields()
        .iter()
        .map(|f| written.get(f.name()).cloned().or_else(|| super::spelled_names::spelled(f).map(String::from)))
        .collect();
    let shared = |name: &str| name.split(DUPLICATE).next().unwrap_or(name).to_string();
    let repeated: Vec<String> =
        schema.fields().iter().filter(|f| f.name().contains(DUPLICATE)).map(|f| shared(f.name()).to_lowercase()).collect();
    if spellings.iter().all(Option::is_none) && repeated.is_empty() {
        return Ok(plan);
    }
    renamed(plan, |i, c| {
        let name = shared(&c.name);
        let spelling = spellings.get(i).cloned().flatten();
        if repeated.contains(&name.to_lowercase()) {
            // A told-apart name was written as it is; the first of a name may have been folded.
            let spelled = if c.name.contains(DUPLICATE) { name } else { spelling.unwrap_or(name) };
            // A qualifier of its own, so that the repeated names do not clash.
            return Ok(Some((Some(TableReference::bare(format!("__hivewire_column{i}"))), spelled)));
        }
        Ok(spelling.map(|spelled| (c.relation.clone(), spelled)))
    })
}

/// The plan under a projection that renames the result columns `rename` gives a qualifier and
/// name for; unchanged when it renames none.
pub(crate) fn renamed(
    plan: LogicalPlan,
    mut rename: impl FnMut(usize, &Column) -> Result<Option<(Option<TableReference>, String)>>,
) -> Result<LogicalPlan> {
    let mut any = false;
    let columns = plan
        .schema()
        .columns()
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            Ok(match rename(i, &c)? {
                Some((qualifier, name)) => {
                    any = true;
                    Expr::Column(c).alias_qualified(qualifier, name)
                }
                None => Expr::Column(c),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    if !any {
        return Ok(plan);
    }
    Ok(LogicalPlan::Projection(Projection::try_new(columns, Arc::new(plan))?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hiveql::{parse_one, Flavor};

    #[test]
    fn only_unquoted_mixed_case_aliases_of_the_outer_select_are_kept() {
        let stmt = parse_one("SELECT a AS Total, b AS low, c AS `Quoted`, (SELECT 1 AS Inner) FROM t", Flavor::Hive).unwrap();
        let written = written_aliases(&stmt);
        assert_eq!(written.len(), 1);
        assert_eq!(written.get("total").map(String::as_str), Some("Total"));
    }
}
