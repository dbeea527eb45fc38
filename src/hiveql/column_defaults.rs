//! Column DEFAULT values, as Spark 4 has them: `CREATE TABLE t (a INT DEFAULT 42, ...)`. An INSERT
//! whose column list leaves a column out writes its default (NULL without one), and `DEFAULT` in
//! a VALUES row or a select list stands for the column's default. Each default is kept, as the
//! query wrote it, in the table's properties under a hidden key, and is evaluated at each insert
//! (so `DEFAULT current_timestamp()` is the time of the insert). DESCRIBE EXTENDED lists the
//! defaults and SHOW CREATE TABLE writes them.

use std::collections::BTreeMap;

use datafusion::sql::sqlparser::ast::{ColumnOption, Expr, Ident, Insert, Query, SelectItem, SetExpr};
use hivewire_backend::{BackendError, ErrorKind};
use hivewire_catalog::TableDef;

/// The property key prefix of a column's default.
const KEY: &str = "hivewire.default.";

/// Takes the DEFAULT options out of a CREATE TABLE's columns: (column, default text) pairs.
pub fn take(columns: &mut [datafusion::sql::sqlparser::ast::ColumnDef]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for c in columns {
        c.options.retain(|o| match &o.option {
            ColumnOption::Default(e) => {
                out.push((c.name.value.to_lowercase(), e.to_string()));
                false
            }
            _ => true,
        });
    }
    out
}

/// Keeps the defaults in a table's properties.
pub fn store(defaults: &[(String, String)], properties: &mut BTreeMap<String, String>) {
    for (column, text) in defaults {
        properties.insert(format!("{KEY}{column}"), text.clone());
    }
}

/// Forgets a column's default (`ALTER COLUMN c DROP DEFAULT`).
pub fn forget(column: &str, properties: &mut BTreeMap<String, String>) {
    properties.remove(&format!("{KEY}{column}"));
}

/// A column's default, as written.
pub fn of(table: &TableDef, column: &str) -> Option<String> {
    table.properties.get(&format!("{KEY}{column}")).cloned()
}

/// The default of a column as an expression: its own, else NULL.
fn default_expr(table: &TableDef, column: &str) -> Result<Expr, BackendError> {
    let Some(text) = of(table, column) else { return Ok(Expr::value(datafusion::sql::sqlparser::ast::Value::Null)) };
    let dialect = super::dialect::HiveQlDialect::default();
    datafusion::sql::sqlparser::parser::Parser::new(&dialect)
        .try_with_sql(&text)
        .and_then(|mut p| p.parse_expr())
        .map_err(|e| BackendError::new(ErrorKind::InvalidParameter, format!("the default of column {column} does not parse: {e}")))
}

/// Whether an expression is the `DEFAULT` keyword.
fn is_default(e: &Expr) -> bool {
    matches!(e, Expr::Identifier(i) if i.quote_style.is_none() && i.value.eq_ignore_ascii_case("default"))
}

/// Writes the defaults into an INSERT: `DEFAULT` in VALUES rows and select lists becomes the
/// column's default, and columns a column list leaves out are added with theirs (where any column
/// has a default; otherwise they stay NULL as before).
pub fn apply(ins: &mut Insert, table: &TableDef) -> Result<(), BackendError> {
    let listed = super::insert::listed_columns(ins);
    let targets: Vec<String> = if listed.is_empty() { table.columns.iter().map(|c| c.name.clone()).collect() } else { listed.clone() };
    let Some(source) = ins.source.as_mut() else { return Ok(()) };
    replace_keywords(source, &targets, table)?;
    if listed.is_empty() {
        return Ok(());
    }
    let missing: Vec<String> =
        table.columns.iter().filter(|c| !listed.contains(&c.name) && of(table, &c.name).is_some()).map(|c| c.name.clone()).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let extra: Vec<Expr> = missing.iter().map(|c| default_expr(table, c)).collect::<Result<_, _>>()?;
    match source.body.as_mut() {
        SetExpr::Values(values) => values.rows.iter_mut().for_each(|row| row.extend(extra.iter().cloned())),
        _ => {
            // Any other query: its rows, with the defaults beside them.
            let inner = Query::clone(source);
            let Some(mut outer) = super::ast::query_over("*", inner, "__hivewire_insert_rows") else {
                return Err(BackendError::new(ErrorKind::Internal, "the INSERT's query could not take its defaults"));
            };
            if let SetExpr::Select(select) = outer.body.as_mut() {
                select.projection.extend(extra.into_iter().map(SelectItem::UnnamedExpr));
            }
            **source = outer;
        }
    }
    ins.columns.extend(missing.into_iter().map(|c| datafusion::sql::sqlparser::ast::ObjectName::from(vec![Ident::new(c)])));
    Ok(())
}

/// `DEFAULT` in the rows of VALUES, or in the select list of a plain SELECT, by position.
fn replace_keywords(source: &mut Query, targets: &[String], table: &TableDef) -> Result<(), BackendError> {
    let replace = |e: &mut Expr, i: usize| -> Result<(), BackendError> {
        if is_default(e) {
            let column = targets.get(i).ok_or_else(|| BackendError::new(ErrorKind::InvalidParameter, "DEFAULT past the table's columns"))?;
            *e = default_expr(table, column)?;
        }
        Ok(())
    };
    match source.body.as_mut() {
        SetExpr::Values(values) => {
            for row in &mut values.rows {
                for (i, e) in row.iter_mut().enumerate() {
                    replace(e, i)?;
                }
            }
        }
        SetExpr::Select(select) => {
            for (i, item) in select.projection.iter_mut().enumerate() {
                if let SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } = item {
                    replace(e, i)?;
                }
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hiveql::{parse_one, Flavor};
    use datafusion::sql::sqlparser::ast::Statement;
    use hivewire_catalog::{ColumnDef, StorageFormat, TableKind};

    fn table() -> TableDef {
        let column = |name: &str| ColumnDef { name: name.into(), hive_type: "int".into(), comment: None };
        let mut properties = BTreeMap::new();
        store(&[("a".into(), "42".into())], &mut properties);
        TableDef {
            database: "default".into(),
            name: "t".into(),
            kind: TableKind::Managed,
            format: StorageFormat::Parquet,
            location: "file:///tmp/t/".into(),
            columns: vec![column("a"), column("b")],
            comment: None,
            properties,
            partition_columns: vec![],
            view_text: None,
            created_ms: 0,
        }
    }

    fn applied(sql: &str) -> String {
        let Statement::Insert(mut ins) = parse_one(sql, Flavor::Hive).unwrap() else { panic!("not an insert") };
        apply(&mut ins, &table()).unwrap();
        Statement::Insert(ins).to_string()
    }

    #[test]
    fn defaults_fill_left_out_columns_and_the_keyword() {
        assert_eq!(applied("INSERT INTO t (b) VALUES (1)"), "INSERT INTO t (b, a) VALUES (1, 42)");
        assert_eq!(applied("INSERT INTO t VALUES (DEFAULT, DEFAULT)"), "INSERT INTO t VALUES (42, NULL)");
        assert!(applied("INSERT INTO t (b) SELECT 1").contains("SELECT *, 42 FROM (SELECT 1) AS __hivewire_insert_rows"));
    }
}
