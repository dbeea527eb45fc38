//! Spark's complex types in expressions: `CAST(x AS STRUCT<userId: INT, tags: ARRAY<STRING>>)`,
//! `CAST(m AS MAP<STRING, BIGINT>)`. DataFusion plans no MAP type and folds a struct's field names
//! to lower case, where Spark keeps them as written. This type planner gives such types (and
//! arrays of them) the Arrow types the catalog gives the same Hive type names, so that a cast and
//! a table column of one type agree.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::execution::session_state::{SessionState, SessionStateBuilder};
use datafusion::common::{plan_datafusion_err, Result};
use datafusion::logical_expr::planner::TypePlanner;
use datafusion::sql::sqlparser::ast::{ArrayElemTypeDef, DataType as SqlType};
use hivewire_catalog::types::hive_to_arrow;

/// The type planner, in front of the one the state had (pg_catalog's, for its OID types).
#[derive(Debug, Default)]
pub(crate) struct SparkComplexTypes {
    then: Option<Arc<dyn TypePlanner>>,
}

/// The state with the type planner in front of its own.
pub(crate) fn install(state: SessionState) -> SessionState {
    let mut builder = SessionStateBuilder::new_from_existing(state);
    let then = builder.type_planner().take();
    builder.with_type_planner(Arc::new(SparkComplexTypes { then })).build()
}

/// Whether the type is, or holds, a struct or a map.
fn complex(t: &SqlType) -> bool {
    match t {
        SqlType::Struct(..) | SqlType::Map(..) => true,
        SqlType::Array(ArrayElemTypeDef::AngleBracket(inner) | ArrayElemTypeDef::SquareBracket(inner, _)) => complex(inner),
        _ => false,
    }
}

/// The Hive type name of a SQL type, as the catalog's type parser reads it.
fn hive_name(t: &SqlType) -> String {
    match t {
        SqlType::Struct(fields, _) => {
            let fields: Vec<String> = fields
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let name = f.field_name.as_ref().map_or_else(|| format!("col{}", i + 1), |n| n.value.clone());
                    format!("`{}`:{}", name.replace('`', ""), hive_name(&f.field_type))
                })
                .collect();
            format!("struct<{}>", fields.join(","))
        }
        SqlType::Map(k, v) => format!("map<{},{}>", hive_name(k), hive_name(v)),
        SqlType::Array(ArrayElemTypeDef::AngleBracket(inner) | ArrayElemTypeDef::SquareBracket(inner, _)) => {
            format!("array<{}>", hive_name(inner))
        }
        SqlType::Timestamp(..) => "timestamp".to_string(),
        other => other.to_string(),
    }
}

impl TypePlanner for SparkComplexTypes {
    fn plan_type_field(&self, sql_type: &SqlType) -> Result<Option<FieldRef>> {
        if !complex(sql_type) {
            return match &self.then {
                Some(then) => then.plan_type_field(sql_type),
                None => Ok(None),
            };
        }
        let name = hive_name(sql_type);
        let t: DataType = hive_to_arrow(&name).map_err(|e| plan_datafusion_err!("[UNSUPPORTED_DATATYPE] {name}: {e}"))?;
        Ok(Some(Arc::new(datafusion::arrow::datatypes::Field::new("", t, true))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::sql::sqlparser::ast::Expr;

    fn planned(sql_type: &str) -> Option<DataType> {
        let cast = format!("CAST(x AS {sql_type})");
        let stmt = crate::hiveql::parse_one(&format!("SELECT {cast}"), crate::hiveql::Flavor::Hive).unwrap();
        let text = stmt.to_string();
        let mut found = None;
        let _ = datafusion::sql::sqlparser::ast::visit_expressions(&stmt, |e| {
            if let Expr::Cast { data_type, .. } = e {
                found = Some(data_type.clone());
            }
            std::ops::ControlFlow::<()>::Continue(())
        });
        let t = found.unwrap_or_else(|| panic!("no cast in {text}"));
        SparkComplexTypes::default().plan_type_field(&t).unwrap().map(|f| f.data_type().clone())
    }

    #[test]
    fn structs_keep_field_names_and_maps_are_maps() {
        let t = planned("STRUCT<userId: INT, tags: ARRAY<STRING>, m: MAP<STRING, BIGINT>>").unwrap();
        assert_eq!(t, hive_to_arrow("struct<userId:int,tags:array<string>,m:map<string,bigint>>").unwrap());
        assert_eq!(planned("MAP<STRING, INT>"), Some(hive_to_arrow("map<string,int>").unwrap()));
        assert_eq!(planned("ARRAY<STRUCT<a INT>>"), Some(hive_to_arrow("array<struct<a:int>>").unwrap()));
        assert_eq!(planned("ARRAY<INT>"), None);
        assert_eq!(planned("INT"), None);
    }
}
