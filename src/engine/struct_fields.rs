//! Struct fields named without regard to case, as Spark names them: `s.userId`, `s.USERID` and
//! `s.userid` all read the field `userId`. DataFusion folds unquoted identifiers to lower case and
//! then looks the field up exactly, so camelCase fields (common in Parquet data) could be reached
//! only quoted. This expression planner sees each field access with the value's type and writes
//! the field's own name into the `get_field` call; a name no field has is left for DataFusion to
//! report.

use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{Column, DFSchema, Result, ScalarValue, TableReference};
use datafusion::functions::core::expr_fn::get_field;
use datafusion::logical_expr::expr::GetFieldAccess;
use datafusion::logical_expr::planner::{ExprPlanner, PlannerResult, RawFieldAccessExpr};
use datafusion::logical_expr::{Expr, ExprSchemable};

/// The planner; it runs before DataFusion's own field access planner.
#[derive(Debug, Default)]
pub(crate) struct StructFieldNames;

/// The field of `parent` that `name` means: the one so named, else the only one named so
/// regardless of case. None when `parent` is not a struct or no single field matches.
pub(crate) fn resolve<'a>(parent: &'a DataType, name: &str) -> Option<&'a Field> {
    let DataType::Struct(fields) = parent else { return None };
    if let Some(exact) = fields.iter().find(|f| f.name() == name) {
        return Some(exact);
    }
    let mut matching = fields.iter().filter(|f| f.name().eq_ignore_ascii_case(name));
    match (matching.next(), matching.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

impl ExprPlanner for StructFieldNames {
    fn plan_compound_identifier(
        &self,
        field: &Field,
        qualifier: Option<&TableReference>,
        nested_names: &[String],
    ) -> Result<PlannerResult<Vec<Expr>>> {
        let mut expr = Expr::Column(Column::from((qualifier, field)));
        let mut current = Some(field.data_type().clone());
        for name in nested_names {
            let found = current.as_ref().and_then(|t| resolve(t, name));
            let spelled = found.map_or_else(|| name.clone(), |f| f.name().clone());
            current = found.map(|f| f.data_type().clone());
            expr = get_field(expr, spelled);
        }
        Ok(PlannerResult::Planned(expr))
    }

    fn plan_field_access(&self, access: RawFieldAccessExpr, schema: &DFSchema) -> Result<PlannerResult<RawFieldAccessExpr>> {
        let GetFieldAccess::NamedStructField { name: ScalarValue::Utf8(Some(name)) } = &access.field_access else {
            return Ok(PlannerResult::Original(access));
        };
        let Ok(parent) = access.expr.get_type(schema) else { return Ok(PlannerResult::Original(access)) };
        let Some(field) = resolve(&parent, name) else { return Ok(PlannerResult::Original(access)) };
        let spelled = field.name().clone();
        Ok(PlannerResult::Planned(get_field(access.expr, spelled)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::datatypes::Fields;

    #[test]
    fn fields_match_exactly_first_then_regardless_of_case() {
        let t = DataType::Struct(Fields::from(vec![
            Field::new("userId", DataType::Int32, true),
            Field::new("a", DataType::Int32, true),
            Field::new("A", DataType::Int32, true),
        ]));
        assert_eq!(resolve(&t, "userid").map(|f| f.name().as_str()), Some("userId"));
        assert_eq!(resolve(&t, "A").map(|f| f.name().as_str()), Some("A"));
        assert_eq!(resolve(&t, "a").map(|f| f.name().as_str()), Some("a"));
        assert!(resolve(&t, "nope").is_none());
        assert!(resolve(&DataType::Int32, "a").is_none());
    }

    #[test]
    fn nested_names_take_the_fields_spelling() {
        let inner = DataType::Struct(Fields::from(vec![Field::new("Inner", DataType::Utf8, true)]));
        let s = Field::new("s", DataType::Struct(Fields::from(vec![Field::new("Outer", inner, true)])), true);
        let PlannerResult::Planned(expr) =
            StructFieldNames.plan_compound_identifier(&s, None, &["outer".to_string(), "inner".to_string()]).unwrap()
        else {
            panic!("not planned")
        };
        assert_eq!(expr.to_string(), "get_field(get_field(s, Utf8(\"Outer\")), Utf8(\"Inner\"))");
    }
}
