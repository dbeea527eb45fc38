//! References to session variables. The planner is tried first: where it finds no column named
//! as a declared variable (`var1`, `session.var1`, `system.session.var1`), the name is written as
//! `hivewire_variable('var1')`, the session's function that answers the variable's value in its
//! type, and the statement is planned again. So a column of that name always wins, as in Spark,
//! and the value is a constant the optimizer folds.

use std::ops::ControlFlow;
use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{plan_err, Column, DataFusionError, Result, SchemaError, ScalarValue};
use datafusion::logical_expr::{ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};
use datafusion::sql::sqlparser::ast::{Expr, Ident, Select, SelectItem, Statement, Visit, VisitMut, Visitor, VisitorMut};

use super::SessionVariables;

/// The function's name.
pub(crate) const VARIABLE: &str = "hivewire_variable";

/// `hivewire_variable('name')`: the value of one of a session's variables.
#[derive(Debug)]
struct VariableValue {
    variables: SessionVariables,
    signature: Signature,
}

impl PartialEq for VariableValue {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.variables.values, &other.variables.values)
    }
}

impl Eq for VariableValue {}

impl std::hash::Hash for VariableValue {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        VARIABLE.hash(state);
    }
}

impl VariableValue {
    /// The variable named by the call's constant argument.
    fn variable(&self, name: Option<&ScalarValue>) -> Result<super::Variable> {
        let Some(ScalarValue::Utf8(Some(name))) = name else { return plan_err!("{VARIABLE} takes a variable's name") };
        match self.variables.get(name) {
            Some(v) => Ok(v),
            None => plan_err!("[VARIABLE_NOT_FOUND] the variable `system.session.{name}` cannot be found"),
        }
    }
}

impl ScalarUDFImpl for VariableValue {
    fn name(&self) -> &str {
        VARIABLE
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        plan_err!("{VARIABLE} is typed from its argument")
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let variable = self.variable(args.scalar_arguments.first().copied().flatten())?;
        Ok(Arc::new(Field::new(VARIABLE, variable.data_type, true)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let name = match args.args.first() {
            Some(ColumnarValue::Scalar(s)) => Some(s.clone()),
            _ => None,
        };
        let variable = self.variable(name.as_ref())?;
        Ok(ColumnarValue::Scalar(variable.value))
    }
}

/// The session's variable function, to register on its context.
pub(crate) fn udf(variables: &SessionVariables) -> ScalarUDF {
    ScalarUDF::from(VariableValue { variables: variables.clone(), signature: Signature::exact(vec![DataType::Utf8], Volatility::Stable) })
}

/// The columns the planner did not find, if that is why it failed (it may report several).
fn missing_columns<'a>(e: &'a DataFusionError, out: &mut Vec<&'a Column>) {
    match e {
        DataFusionError::SchemaError(s, _) => {
            if let SchemaError::FieldNotFound { field, .. } = s.as_ref() {
                out.push(field);
            }
        }
        DataFusionError::Context(_, inner) | DataFusionError::Diagnostic(_, inner) => missing_columns(inner, out),
        DataFusionError::Shared(inner) => missing_columns(inner, out),
        DataFusionError::Collection(errors) => errors.iter().for_each(|e| missing_columns(e, out)),
        _ => {}
    }
}

/// A declared variable a planning error failed to find as a column, with the name parts as
/// written (`["session", "var1"]`) and the variable's value, or None.
pub(crate) fn unresolved(e: &DataFusionError, variables: &SessionVariables) -> Option<(Vec<String>, String, ScalarValue)> {
    let mut columns = Vec::new();
    missing_columns(e, &mut columns);
    columns.into_iter().find_map(|column| {
        let mut parts: Vec<String> = column.relation.as_ref().map(|r| r.to_vec()).unwrap_or_default();
        parts.push(column.name.clone());
        let name = crate::hiveql::variables::qualified_name(&parts).ok()?;
        variables.get(&name).map(|v| (parts, name, v.value))
    })
}

/// What a reference to variable `name` is written as: the text itself for a STRING (functions
/// such as `from_json` take their schema only as a constant string), else the call that reads it.
fn reference(name: &str, value: &ScalarValue) -> Expr {
    match value.try_as_str() {
        Some(Some(text)) => crate::hiveql::ast::text(text),
        _ => crate::hiveql::ast::call(VARIABLE, vec![crate::hiveql::ast::text(name)]),
    }
}

/// Whether `e` is the reference `parts` (case-insensitively).
fn refers(e: &Expr, parts: &[String]) -> bool {
    let same = |ids: &[Ident]| ids.len() == parts.len() && ids.iter().zip(parts).all(|(i, p)| i.value.eq_ignore_ascii_case(p));
    match e {
        Expr::Identifier(id) => same(std::slice::from_ref(id)),
        Expr::CompoundIdentifier(ids) => same(ids),
        _ => false,
    }
}

/// Writes each reference `parts` in the statement as the call reading variable `name`; a select
/// item that is just the reference keeps its name (`SELECT var1` names its column `var1`).
/// True when any was written.
pub(crate) fn substitute(stmt: &mut Statement, parts: &[String], name: &str, value: &ScalarValue) -> bool {
    struct Refs<'a> {
        parts: &'a [String],
        name: &'a str,
        value: &'a ScalarValue,
        found: bool,
    }
    impl VisitorMut for Refs<'_> {
        type Break = ();
        fn pre_visit_select(&mut self, select: &mut Select) -> ControlFlow<()> {
            for item in &mut select.projection {
                if let SelectItem::UnnamedExpr(e) = item {
                    if refers(e, self.parts) {
                        let alias = Ident::new(self.parts.last().map_or(self.name, String::as_str));
                        *item = SelectItem::ExprWithAlias { expr: e.clone(), alias };
                    }
                }
            }
            ControlFlow::Continue(())
        }
        fn post_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
            if refers(e, self.parts) {
                *e = reference(self.name, self.value);
                self.found = true;
            }
            ControlFlow::Continue(())
        }
    }
    let mut refs = Refs { parts, name, value, found: false };
    let _ = VisitMut::visit(stmt, &mut refs);
    refs.found
}

/// Every reference in the statement that names a declared variable, as written, with the
/// variable's name and value (each once).
pub(crate) fn declared_references(stmt: &Statement, variables: &SessionVariables) -> Vec<(Vec<String>, String, ScalarValue)> {
    struct Names<'a> {
        variables: &'a SessionVariables,
        found: Vec<(Vec<String>, String, ScalarValue)>,
    }
    impl Visitor for Names<'_> {
        type Break = ();
        fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
            let parts: Vec<String> = match e {
                Expr::Identifier(id) => vec![id.value.clone()],
                Expr::CompoundIdentifier(ids) => ids.iter().map(|i| i.value.clone()).collect(),
                _ => return ControlFlow::Continue(()),
            };
            let Ok(name) = crate::hiveql::variables::qualified_name(&parts) else { return ControlFlow::Continue(()) };
            if let Some(v) = self.variables.get(&name) {
                if !self.found.iter().any(|(p, _, _)| *p == parts) {
                    self.found.push((parts, name, v.value));
                }
            }
            ControlFlow::Continue(())
        }
    }
    let mut names = Names { variables, found: Vec::new() };
    let _ = Visit::visit(stmt, &mut names);
    names.found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variables() -> SessionVariables {
        let v = SessionVariables::default();
        v.put("n", super::super::Variable::test(ScalarValue::Int32(Some(7))));
        v.put("s", super::super::Variable::test(ScalarValue::Utf8(Some("a INT".into()))));
        v
    }

    fn parse(sql: &str) -> Statement {
        crate::hiveql::parse::parse_one(sql, crate::hiveql::Flavor::Hive).unwrap()
    }

    #[test]
    fn references_become_the_value_and_keep_their_name() {
        let mut stmt = parse("SELECT n, x + session.n FROM t WHERE s = 'a'");
        let found = declared_references(&stmt, &variables());
        assert_eq!(found.len(), 3);
        for (parts, name, value) in found {
            assert!(substitute(&mut stmt, &parts, &name, &value));
        }
        assert_eq!(
            stmt.to_string(),
            "SELECT hivewire_variable('n') AS n, x + hivewire_variable('n') FROM t WHERE 'a INT' = 'a'"
        );
    }

    #[test]
    fn only_missing_columns_that_name_variables_are_references() {
        let missing = |relation: Option<&str>, name: &str| {
            DataFusionError::SchemaError(
                Box::new(SchemaError::FieldNotFound { field: Box::new(Column::new(relation, name)), valid_fields: vec![] }),
                Box::new(None),
            )
        };
        let v = variables();
        assert_eq!(unresolved(&missing(None, "n"), &v).map(|(p, n, _)| (p, n)), Some((vec!["n".to_string()], "n".to_string())));
        assert!(unresolved(&missing(Some("session"), "n"), &v).is_some());
        assert!(unresolved(&missing(Some("other"), "n"), &v).is_none());
        assert!(unresolved(&missing(None, "m"), &v).is_none());
    }
}
