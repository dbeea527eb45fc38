//! `struct(s.*, x AS e)`: Spark spreads the fields of the struct `s` among the new struct's
//! fields. The names of those fields are known only once `s`'s type is, so the HiveQL front end
//! writes the call as `hivewire_struct(name, value, ...)`, in pairs as `named_struct` takes them,
//! with a NULL name where the value is a struct to spread.

use std::sync::Arc;

use datafusion::arrow::array::{make_array, Array, ArrayRef, StructArray};
use datafusion::arrow::buffer::NullBuffer;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Fields};
use datafusion::common::{exec_err, plan_err, Result, ScalarValue};
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

/// The function's name, as the front end writes it.
pub const STRUCT_SPREAD: &str = "hivewire_struct";

#[derive(Debug, PartialEq, Eq, Hash)]
struct StructSpread {
    signature: Signature,
}

pub(super) fn udf() -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::from(StructSpread { signature: Signature::variadic_any(Volatility::Immutable) }))
}

/// One argument pair: a named field, or a struct whose fields are spread.
enum Part<'a> {
    Named(String),
    Spread(&'a Fields),
}

/// The pairs' parts, from the names written and the values' types.
fn parts<'a>(names: &[Option<&ScalarValue>], types: &'a [FieldRef]) -> Result<Vec<Part<'a>>> {
    if !names.len().is_multiple_of(2) || names.is_empty() {
        return plan_err!("{STRUCT_SPREAD} takes names and values in pairs");
    }
    (0..names.len() / 2)
        .map(|i| match (names[2 * i], types[2 * i + 1].data_type()) {
            (Some(ScalarValue::Utf8(Some(name))), _) => Ok(Part::Named(name.clone())),
            (Some(ScalarValue::Utf8(None) | ScalarValue::Null), DataType::Struct(fields)) => Ok(Part::Spread(fields)),
            (Some(ScalarValue::Utf8(None) | ScalarValue::Null), other) => {
                plan_err!("[INVALID_USAGE_OF_STAR_OR_REGEX] only a struct's fields can be spread with .*, not those of {other}")
            }
            _ => plan_err!("{STRUCT_SPREAD} takes literal field names"),
        })
        .collect()
}

/// The result's fields: each named value, and each spread struct's fields (nullable when the
/// struct is, since its NULL rows give NULL fields).
fn fields(parts: &[Part], types: &[FieldRef]) -> Fields {
    let mut out: Vec<FieldRef> = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let value = &types[2 * i + 1];
        match part {
            Part::Named(name) => out.push(Arc::new(Field::new(name, value.data_type().clone(), value.is_nullable()))),
            Part::Spread(inner) => out.extend(inner.iter().map(|f| {
                Arc::new(f.as_ref().clone().with_nullable(f.is_nullable() || value.is_nullable())) as FieldRef
            })),
        }
    }
    Fields::from(out)
}

/// A field of a struct column with the struct's NULL rows made NULL in it too.
fn spread_column(parent: &StructArray, column: &ArrayRef) -> Result<ArrayRef> {
    let Some(nulls) = NullBuffer::union(parent.nulls(), column.nulls()) else { return Ok(Arc::clone(column)) };
    let data = column.to_data().into_builder().nulls(Some(nulls)).build()?;
    Ok(make_array(data))
}

impl ScalarUDFImpl for StructSpread {
    fn name(&self) -> &str {
        STRUCT_SPREAD
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        plan_err!("{STRUCT_SPREAD}'s type follows from its field names")
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let parts = parts(args.scalar_arguments, args.arg_fields)?;
        Ok(Arc::new(Field::new(self.name(), DataType::Struct(fields(&parts, args.arg_fields)), false)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let DataType::Struct(out_fields) = args.return_field.data_type() else {
            return exec_err!("{STRUCT_SPREAD} must return a struct");
        };
        let rows = args.number_rows;
        let mut columns: Vec<ArrayRef> = Vec::with_capacity(out_fields.len());
        for pair in args.args.chunks(2) {
            let [name, value] = pair else { return exec_err!("{STRUCT_SPREAD} takes names and values in pairs") };
            let value = value.to_array(rows)?;
            match name {
                ColumnarValue::Scalar(ScalarValue::Utf8(Some(_))) => columns.push(value),
                _ => {
                    let Some(parent) = value.as_any().downcast_ref::<StructArray>() else {
                        return exec_err!("{STRUCT_SPREAD} spreads only structs, not {}", value.data_type());
                    };
                    for column in parent.columns() {
                        columns.push(spread_column(parent, column)?);
                    }
                }
            }
        }
        Ok(ColumnarValue::Array(Arc::new(StructArray::try_new(out_fields.clone(), columns, None)?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{Int32Array, StringArray};
    use datafusion::config::ConfigOptions;

    #[test]
    fn spreads_a_structs_fields_among_named_ones() {
        let inner = Fields::from(vec![Field::new("C", DataType::Utf8, true), Field::new("D", DataType::Int32, true)]);
        let st = StructArray::try_new(
            inner.clone(),
            vec![Arc::new(StringArray::from(vec!["a", "b"])), Arc::new(Int32Array::from(vec![1, 2]))],
            Some(NullBuffer::from(vec![true, false])),
        )
        .unwrap();
        let types: Vec<FieldRef> = vec![
            Arc::new(Field::new("n", DataType::Null, true)),
            Arc::new(Field::new("st", DataType::Struct(inner), true)),
            Arc::new(Field::new("n", DataType::Utf8, false)),
            Arc::new(Field::new("e", DataType::Int32, false)),
        ];
        let names = [ScalarValue::Null, ScalarValue::Null, ScalarValue::from("E"), ScalarValue::Null];
        let scalars: Vec<Option<&ScalarValue>> = vec![Some(&names[0]), None, Some(&names[2]), None];
        let f = StructSpread { signature: Signature::variadic_any(Volatility::Immutable) };
        let ret = f.return_field_from_args(ReturnFieldArgs { arg_fields: &types, scalar_arguments: &scalars }).unwrap();
        let DataType::Struct(out) = ret.data_type() else { panic!("not a struct") };
        assert_eq!(out.iter().map(|f| f.name().as_str()).collect::<Vec<_>>(), ["C", "D", "E"]);
        let result = f
            .invoke_with_args(ScalarFunctionArgs {
                args: vec![
                    ColumnarValue::Scalar(ScalarValue::Null),
                    ColumnarValue::Array(Arc::new(st)),
                    ColumnarValue::Scalar(ScalarValue::from("E")),
                    ColumnarValue::Array(Arc::new(Int32Array::from(vec![7, 8]))),
                ],
                arg_fields: types.clone(),
                number_rows: 2,
                return_field: ret,
                config_options: Arc::new(ConfigOptions::default()),
            })
            .unwrap()
            .to_array(2)
            .unwrap();
        let result = result.as_any().downcast_ref::<StructArray>().unwrap();
        // The spread struct's NULL row gives NULL fields; the named field keeps its value.
        assert!(result.column(0).is_null(1) && result.column(1).is_null(1));
        assert_eq!(result.column(2).as_any().downcast_ref::<Int32Array>().unwrap().value(1), 8);
    }

    #[test]
    fn only_structs_spread() {
        let types: Vec<FieldRef> = vec![Arc::new(Field::new("n", DataType::Null, true)), Arc::new(Field::new("x", DataType::Int32, true))];
        let null = ScalarValue::Null;
        let err = parts(&[Some(&null), None], &types).err().unwrap();
        assert!(err.to_string().contains("only a struct's fields"));
    }
}
