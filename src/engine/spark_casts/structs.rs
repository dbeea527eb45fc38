//! Casts between structs whose fields are named differently: Spark matches the fields by position
//! (`CAST(named_struct('a', 1, 'b', 'x') AS STRUCT<A: BIGINT, B: STRING>)`, or the cast type
//! coercion inserts to give a VALUES column or an IN list one struct type); Arrow casts structs
//! only between fields of the same names. Such a cast is written field by field:
//! `named_struct('A', CAST(get_field(s, 'a') AS BIGINT), ...)`, NULL where `s` is NULL.

use datafusion::arrow::datatypes::{DataType, Fields};
use datafusion::common::{Result, ScalarValue};
use datafusion::functions::core::expr_fn::{get_field, named_struct};
use datafusion::logical_expr::{lit, when, Cast, Expr, TryCast};

/// Whether a cast from `from` to `to` must be written field by field: both structs, as many
/// fields, some name different.
fn by_position(from: &DataType, to: &DataType) -> Option<(Fields, Fields)> {
    match (from, to) {
        (DataType::Struct(a), DataType::Struct(b))
            if a.len() == b.len() && a.iter().zip(b.iter()).any(|(x, y)| x.name() != y.name()) =>
        {
            Some((a.clone(), b.clone()))
        }
        _ => None,
    }
}

/// `s` cast to the struct `to` field by field; `try_` casts each field with TRY_CAST.
fn field_by_field(s: Expr, from: &Fields, to: &Fields, try_: bool) -> Result<Expr> {
    let mut args = Vec::with_capacity(to.len() * 2);
    for (source, target) in from.iter().zip(to.iter()) {
        let value = get_field(s.clone(), source.name().as_str());
        let value = if try_ {
            Expr::TryCast(TryCast::new(Box::new(value), target.data_type().clone()))
        } else {
            Expr::Cast(Cast::new(Box::new(value), target.data_type().clone()))
        };
        args.push(lit(target.name().as_str()));
        args.push(value);
    }
    let null = Expr::Literal(ScalarValue::try_from(DataType::Struct(to.clone()))?, None);
    when(s.is_null(), null).otherwise(named_struct(args))
}

/// A cast between differently named structs of one width, written field by field.
pub(super) fn rewrite(call: &super::CastCall<'_>) -> Result<Option<Expr>> {
    match by_position(call.from, call.to) {
        Some((from, to)) => Ok(Some(field_by_field(call.input.clone(), &from, &to, call.lenient())?)),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::datatypes::Field;

    #[test]
    fn only_differently_named_structs_of_one_width_are_cast_by_position() {
        let s = |names: &[&str]| DataType::Struct(names.iter().map(|n| Field::new(*n, DataType::Int32, true)).collect());
        assert!(by_position(&s(&["c0", "c1"]), &s(&["col1", "col2"])).is_some());
        assert!(by_position(&s(&["a", "b"]), &s(&["a", "b"])).is_none());
        assert!(by_position(&s(&["a"]), &s(&["a", "b"])).is_none());
        assert!(by_position(&DataType::Int32, &s(&["a"])).is_none());
    }
}
