//! Spark's names for the fields of `arrays_zip(a, b, ...)`: an argument that is a column gives
//! its field the column's name, any other its position from 0 (`arrays_zip(a, array(2))` is an
//! array of `struct<a, 1>`), and the result is NULL where any array is. DataFusion numbers the
//! fields from 1 and zips a NULL array as empty, so the HiveQL front end wraps the call as
//! `hivewire_zip_names(arrays_zip(a, array(2)), 'a', '1', a, array(2))`: the names, then the
//! arrays again.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray, StructArray};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Fields};
use datafusion::common::{exec_err, plan_err, Result, ScalarValue};
use datafusion::logical_expr::{ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

/// The function's name, as the front end writes it.
pub const ZIP_NAMES: &str = "hivewire_zip_names";

#[derive(Debug, PartialEq, Eq, Hash)]
struct ZipNames {
    signature: Signature,
}

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![Arc::new(ScalarUDF::from(ZipNames { signature: Signature::variadic_any(Volatility::Immutable) }))]
}

/// The zipped array's type with its struct's fields named.
fn renamed(t: &DataType, names: &[String]) -> Result<DataType> {
    let DataType::List(item) = t else { return plan_err!("{ZIP_NAMES} renames the fields of an array of structs, not {t}") };
    let DataType::Struct(fields) = item.data_type() else { return plan_err!("{ZIP_NAMES} renames the fields of an array of structs, not {t}") };
    if fields.len() != names.len() {
        return plan_err!("{ZIP_NAMES} has {} names for {} fields", names.len(), fields.len());
    }
    let fields: Fields = fields.iter().zip(names).map(|(f, n)| Arc::new(f.as_ref().clone().with_name(n.as_str()))).collect::<Vec<FieldRef>>().into();
    Ok(DataType::List(Arc::new(item.as_ref().clone().with_data_type(DataType::Struct(fields)))))
}

impl ScalarUDFImpl for ZipNames {
    fn name(&self) -> &str {
        ZIP_NAMES
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        plan_err!("{ZIP_NAMES} takes its type from its names")
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let Some(zipped) = args.arg_fields.first() else { return plan_err!("{ZIP_NAMES} takes a zipped array and names") };
        let count = (args.scalar_arguments.len() - 1) / 2;
        let names = args.scalar_arguments[1..=count]
            .iter()
            .map(|n| match n {
                Some(ScalarValue::Utf8(Some(name))) => Ok(name.clone()),
                _ => plan_err!("{ZIP_NAMES} takes constant names"),
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Arc::new(Field::new(ZIP_NAMES, renamed(zipped.data_type(), &names)?, true)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let DataType::List(item) = args.return_field.data_type().clone() else { return exec_err!("{ZIP_NAMES} returns an array") };
        let DataType::Struct(fields) = item.data_type().clone() else { return exec_err!("{ZIP_NAMES} returns an array of structs") };
        let Some(zipped) = args.args.first() else { return exec_err!("{ZIP_NAMES} takes a zipped array") };
        let scalar = matches!(zipped, ColumnarValue::Scalar(_));
        let zipped = zipped.to_array(args.number_rows)?;
        let list = zipped.as_list::<i32>();
        let items = list.values().as_struct();
        let items = StructArray::try_new(fields, items.columns().to_vec(), items.nulls().cloned())?;
        // NULL where the zip is, or any array zipped is.
        let count = (args.args.len() - 1) / 2;
        let arrays = ColumnarValue::values_to_arrays(&args.args[1 + count..])?;
        let valid: Vec<bool> = (0..list.len())
            .map(|i| list.is_valid(i) && arrays.iter().all(|a| a.is_valid(super::row_of(a.as_ref(), i))))
            .collect();
        let nulls = datafusion::arrow::buffer::NullBuffer::from(valid);
        let out: ArrayRef = Arc::new(ListArray::try_new(item, list.offsets().clone(), Arc::new(items), Some(nulls))?);
        super::columnar(out, scalar)
    }
}
