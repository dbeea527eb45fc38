//! Spark's session variables: `DECLARE VARIABLE`, `SET VARIABLE`, `DROP TEMPORARY VARIABLE`, and
//! references to them in any statement (`SELECT var1`, `WHERE c = session.var1`). Each HiveQL
//! session keeps its own. A variable holds one value of its declared type; its DEFAULT expression
//! is kept, for `SET VARIABLE v = DEFAULT`. Values are computed by running a query through the
//! session (`SELECT CAST((expr) AS type)`), so that expressions read and convert as in any query.
//! A reference is a name the planner does not find among the columns: columns come first, as in
//! Spark ([`references`]).

pub(crate) mod references;

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use datafusion::arrow::datatypes::DataType;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::common::ScalarValue;
use hivewire_backend::{BackendError, CommandOutcome, ErrorKind, QueryResult};

use super::EngineSession;

/// One variable.
#[derive(Debug, Clone)]
pub(crate) struct Variable {
    pub data_type: DataType,
    pub value: ScalarValue,
    /// The DEFAULT expression as written (`NULL` when none was given).
    default: String,
    /// The type as assignments cast to it: as declared, else the DEFAULT's; None for NULL's.
    type_text: Option<String>,
}

#[cfg(test)]
impl Variable {
    /// A variable holding `value`, typed as it is.
    pub(crate) fn test(value: ScalarValue) -> Self {
        Variable { data_type: value.data_type(), value, default: "NULL".into(), type_text: None }
    }
}

/// A session's variables, by lower-cased name.
#[derive(Debug, Clone, Default)]
pub(crate) struct SessionVariables {
    values: Arc<RwLock<HashMap<String, Variable>>>,
}

fn not_found(name: &str) -> BackendError {
    BackendError::new(ErrorKind::UndefinedObject, format!("[VARIABLE_NOT_FOUND] the variable `system.session.{name}` cannot be found"))
        .with_sqlstate("42883")
}

fn done() -> Result<QueryResult, BackendError> {
    Ok(QueryResult::Command(CommandOutcome::tag("SET")))
}

/// The one row of a query's answer as values; NULLs where it has none, an error past one.
pub(crate) fn single_row(batches: &[RecordBatch], width: usize) -> Result<Vec<ScalarValue>, BackendError> {
    let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
    if rows > 1 {
        return Err(BackendError::new(ErrorKind::DataException, "[ROW_SUBQUERY_TOO_MANY_ROWS] the query assigned to the variables returns more than one row")
            .with_sqlstate("21000"));
    }
    let Some(batch) = batches.iter().find(|b| b.num_rows() == 1) else {
        let schema = batches.first().map(|b| b.schema());
        return Ok((0..width)
            .map(|i| schema.as_ref().and_then(|s| ScalarValue::try_from(s.field(i).data_type()).ok()).unwrap_or(ScalarValue::Null))
            .collect());
    };
    batch
        .columns()
        .iter()
        .map(|c| ScalarValue::try_from_array(c.as_ref(), 0).map_err(|e| super::errors::from_datafusion(&e, None)))
        .collect()
}

/// Whether an expression holds a subquery (a variable's DEFAULT may not).
fn has_subquery(expr: &str) -> bool {
    use datafusion::sql::sqlparser::ast::{Expr, Visit, Visitor};
    struct Subqueries;
    impl Visitor for Subqueries {
        type Break = ();
        fn pre_visit_expr(&mut self, e: &Expr) -> std::ops::ControlFlow<()> {
            match e {
                Expr::Subquery(_) | Expr::Exists { .. } | Expr::InSubquery { .. } => std::ops::ControlFlow::Break(()),
                _ => std::ops::ControlFlow::Continue(()),
            }
        }
    }
    crate::hiveql::parse::parse_one(&format!("SELECT {expr}"), crate::hiveql::Flavor::Hive).is_ok_and(|stmt| stmt.visit(&mut Subqueries).is_break())
}

/// `(expr)` as a value of the type written `type_text`, or of its own type.
fn typed(expr: &str, type_text: Option<&str>) -> String {
    match type_text {
        Some(t) => format!("CAST(({expr}) AS {t})"),
        None => format!("({expr})"),
    }
}

impl SessionVariables {
    /// A variable, by lower-cased name.
    pub(crate) fn get(&self, name: &str) -> Option<Variable> {
        self.values.read().ok()?.get(name).cloned()
    }

    /// The STRING variables' texts, by name (for `IDENTIFIER(v)`).
    pub(crate) fn texts(&self) -> Vec<(String, String)> {
        let Ok(values) = self.values.read() else { return Vec::new() };
        values
            .iter()
            .filter_map(|(name, v)| v.value.try_as_str().flatten().map(|t| (name.clone(), t.to_string())))
            .collect()
    }

    /// Whether any variable is declared.
    pub(crate) fn is_empty(&self) -> bool {
        self.values.read().map_or(true, |v| v.is_empty())
    }

    pub(crate) fn put(&self, name: &str, variable: Variable) {
        if let Ok(mut values) = self.values.write() {
            values.insert(name.to_string(), variable);
        }
    }

    /// `DECLARE [OR REPLACE] VARIABLE name [type] [DEFAULT expr]`.
    pub(crate) async fn declare(
        &self,
        s: &EngineSession,
        name: &str,
        or_replace: bool,
        type_text: Option<&str>,
        default: Option<&str>,
    ) -> Result<QueryResult, BackendError> {
        if !or_replace && self.get(name).is_some() {
            return Err(BackendError::new(
                ErrorKind::DuplicateObject,
                format!("[VARIABLE_ALREADY_EXISTS] the variable `system.session.{name}` already exists; use DECLARE OR REPLACE to replace it"),
            )
            .with_sqlstate("42723"));
        }
        let default = default.unwrap_or("NULL").to_string();
        if has_subquery(&default) {
            return Err(BackendError::new(
                ErrorKind::InvalidParameter,
                format!("[INVALID_DEFAULT_VALUE.SUBQUERY_EXPRESSION] the DEFAULT of variable `{name}` holds a subquery: {default}"),
            )
            .with_sqlstate("42623"));
        }
        let batches = s.query_rows(&format!("SELECT {}", typed(&default, type_text))).await?;
        let data_type = batches.first().map(|b| b.schema().field(0).data_type().clone()).unwrap_or(DataType::Null);
        let value = single_row(&batches, 1)?.remove(0);
        // The type as a later assignment casts to it: as declared, else the DEFAULT's (none for NULL).
        let type_text = match type_text {
            Some(t) => Some(t.to_string()),
            None if data_type == DataType::Null => None,
            None => hivewire_catalog::types::arrow_to_hive(&data_type).ok(),
        };
        self.put(name, Variable { data_type, value, default, type_text });
        Ok(QueryResult::Command(CommandOutcome::tag("DECLARE")))
    }

    /// The variables `names` as declared, in order; an error for an unknown or repeated one.
    fn targets(&self, names: &[&str]) -> Result<Vec<Variable>, BackendError> {
        for (i, name) in names.iter().enumerate() {
            if names[..i].contains(name) {
                return Err(BackendError::new(
                    ErrorKind::InvalidParameter,
                    format!("[DUPLICATE_ASSIGNMENTS] the variable `{name}` is assigned more than once"),
                )
                .with_sqlstate("42701"));
            }
        }
        names.iter().map(|n| self.get(n).ok_or_else(|| not_found(n))).collect()
    }

    /// Stores computed values in their variables, keeping each variable's type.
    fn store(&self, names: &[&str], targets: Vec<Variable>, values: Vec<ScalarValue>) -> Result<(), BackendError> {
        for ((name, mut variable), value) in names.iter().zip(targets).zip(values) {
            variable.value = if value.data_type() == variable.data_type || variable.data_type == DataType::Null {
                value
            } else {
                value.cast_to(&variable.data_type).map_err(|e| super::errors::from_datafusion(&e, None))?
            };
            self.put(name, variable);
        }
        Ok(())
    }

    /// `SET VARIABLE a = expr, b = DEFAULT, ...`: every expression is computed before any is
    /// stored, so that each reads the values from before the statement.
    pub(crate) async fn set(&self, s: &EngineSession, assignments: &[(String, Option<String>)]) -> Result<QueryResult, BackendError> {
        let names: Vec<&str> = assignments.iter().map(|(n, _)| n.as_str()).collect();
        let targets = self.targets(&names)?;
        let items: Vec<String> = assignments
            .iter()
            .zip(&targets)
            .map(|((_, expr), variable)| typed(expr.as_deref().unwrap_or(&variable.default), variable.type_text.as_deref()))
            .collect();
        let batches = s.query_rows(&format!("SELECT {}", items.join(", "))).await?;
        let values = single_row(&batches, items.len())?;
        self.store(&names, targets, values)?;
        done()
    }

    /// `SET VARIABLE (a, b) = (query)`: the query gives at most one row, of one column per
    /// variable; no row sets them to NULL.
    pub(crate) async fn set_row(&self, s: &EngineSession, names: &[String], query: &str) -> Result<QueryResult, BackendError> {
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let targets = self.targets(&names)?;
        let columns: Vec<String> = (0..names.len()).map(|i| format!("c{i}")).collect();
        let items: Vec<String> = targets.iter().zip(&columns).map(|(v, c)| typed(&format!("__row.{c}"), v.type_text.as_deref())).collect();
        let sql = format!("SELECT {} FROM ({query}) AS __row({})", items.join(", "), columns.join(", "));
        let batches = s.query_rows(&sql).await.map_err(|e| {
            if e.message.contains("__row") {
                BackendError::new(
                    ErrorKind::InvalidParameter,
                    format!("[ASSIGNMENT_ARITY_MISMATCH] the query must give one column for each of the {} variables assigned", names.len()),
                )
                .with_sqlstate("42802")
            } else {
                e
            }
        })?;
        let values = single_row(&batches, names.len())?;
        self.store(&names, targets, values)?;
        done()
    }

    /// Stores values in the variables `names`, cast to their types (`EXECUTE IMMEDIATE ... INTO`).
    pub(crate) fn assign(&self, names: &[&str], values: Vec<ScalarValue>) -> Result<(), BackendError> {
        let targets = self.targets(names)?;
        self.store(names, targets, values)
    }

    /// `DROP TEMPORARY VARIABLE [IF EXISTS] name`.
    pub(crate) fn drop(&self, name: &str, if_exists: bool) -> Result<QueryResult, BackendError> {
        let removed = self.values.write().ok().and_then(|mut v| v.remove(name));
        if removed.is_none() && !if_exists {
            return Err(not_found(name));
        }
        Ok(QueryResult::Command(CommandOutcome::tag("DROP VARIABLE")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::Int32Array;
    use datafusion::arrow::datatypes::{Field, Schema};

    fn batch(values: Vec<Option<i32>>) -> RecordBatch {
        let schema = Arc::new(Schema::new(vec![Field::new("c", DataType::Int32, true)]));
        RecordBatch::try_new(schema, vec![Arc::new(Int32Array::from(values))]).unwrap()
    }

    #[test]
    fn a_query_assigns_one_row_or_nulls() {
        assert_eq!(single_row(&[batch(vec![Some(7)])], 1).unwrap(), vec![ScalarValue::Int32(Some(7))]);
        assert_eq!(single_row(&[batch(vec![])], 1).unwrap(), vec![ScalarValue::Int32(None)]);
        assert!(single_row(&[batch(vec![Some(1), Some(2)])], 1).is_err());
    }

    #[test]
    fn defaults_may_not_hold_subqueries() {
        assert!(has_subquery("(SELECT c1 FROM t)"));
        assert!(has_subquery("1 + (SELECT 2)"));
        assert!(!has_subquery("1 + rand(5)"));
    }

    #[test]
    fn drops_unknown_variables_only_if_asked() {
        let v = SessionVariables::default();
        assert!(v.drop("x", false).is_err());
        assert!(v.drop("x", true).is_ok());
        v.put("x", Variable { data_type: DataType::Int32, value: ScalarValue::Int32(Some(1)), default: "1".into(), type_text: None });
        assert!(!v.is_empty());
        assert!(v.drop("x", false).is_ok());
        assert!(v.is_empty());
    }
}
