//! `reflect(class, method, args...)`, its other name `java_method`, and `try_reflect`: a static
//! Java method's answer as text, from the methods hivewire carries (java_methods.rs). The class
//! and method must be constant strings and the arguments of the types Spark passes to Java
//! (BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, STRING); these are checked when the
//! query is planned, with Spark's error classes. A method that throws fails the query, or gives
//! NULL in `try_reflect`.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type};
use datafusion::common::{exec_err, plan_err, Result, ScalarValue};
use datafusion::logical_expr::{ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use super::java_methods::{find, knows_class, Kind, Value};
use super::row_of;

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    ["reflect", "java_method", "try_reflect"]
        .into_iter()
        .map(|name| Arc::new(ScalarUDF::from(Reflect { name, signature: Signature::variadic_any(Volatility::Volatile) })))
        .collect()
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Reflect {
    name: &'static str,
    signature: Signature,
}

/// The Java type Spark passes a SQL type as.
fn kind(t: &DataType) -> Option<Kind> {
    Some(match t {
        DataType::Boolean => Kind::Boolean,
        DataType::Int8 => Kind::Byte,
        DataType::Int16 => Kind::Short,
        DataType::Int32 => Kind::Int,
        DataType::Int64 => Kind::Long,
        DataType::Float32 => Kind::Float,
        DataType::Float64 => Kind::Double,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => Kind::Text,
        _ => return None,
    })
}

/// A constant string argument.
fn constant_text(v: Option<&ScalarValue>) -> Option<String> {
    match v? {
        ScalarValue::Utf8(Some(s)) | ScalarValue::LargeUtf8(Some(s)) | ScalarValue::Utf8View(Some(s)) => Some(s.clone()),
        _ => None,
    }
}

impl Reflect {
    fn tries(&self) -> bool {
        self.name == "try_reflect"
    }

    /// The parameter types of the call, checked as Spark checks them.
    fn checked_kinds(&self, types: &[DataType]) -> Result<Vec<Kind>> {
        if types.len() < 2 {
            return plan_err!("[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `{}` requires at least 2 parameters but the actual number is {}", self.name, types.len());
        }
        types[2..]
            .iter()
            .enumerate()
            .map(|(i, t)| match kind(t) {
                Some(k) => Ok(k),
                None => plan_err!(
                    "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] parameter {} of `{}` requires BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE or STRING, not {t}",
                    i + 3,
                    self.name
                ),
            })
            .collect()
    }
}

impl ScalarUDFImpl for Reflect {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let types: Vec<DataType> = args.arg_fields.iter().map(|f| f.data_type().clone()).collect();
        let kinds = self.checked_kinds(&types)?;
        let (Some(class), Some(method)) = (constant_text(args.scalar_arguments[0]), constant_text(args.scalar_arguments[1])) else {
            return plan_err!("[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] the class and method of `{}` must be constant strings", self.name);
        };
        if !knows_class(&class) {
            return plan_err!(
                "[DATATYPE_MISMATCH.UNEXPECTED_CLASS_TYPE] class {class} not found: hivewire runs no Java, and `{}` calls only the Java standard-library methods it carries (docs/hiveql.md)",
                self.name
            );
        }
        // Integer literals are still BIGINT here; hivewire narrows the ones that fit to INT later,
        // as Spark types them.
        let narrowed: Vec<Kind> = kinds
            .iter()
            .zip(&args.scalar_arguments[2..])
            .map(|(k, v)| match v {
                Some(ScalarValue::Int64(Some(n))) if i32::try_from(*n).is_ok() => Kind::Int,
                _ => *k,
            })
            .collect();
        if find(&class, &method, &kinds).is_none() && find(&class, &method, &narrowed).is_none() {
            return plan_err!(
                "[DATATYPE_MISMATCH.UNEXPECTED_STATIC_METHOD] cannot find a static method {method} of {class} taking ({}) among those hivewire carries",
                kinds.iter().map(|k| format!("{k:?}").to_lowercase()).collect::<Vec<_>>().join(", ")
            );
        }
        Ok(Arc::new(Field::new(self.name, DataType::Utf8, true)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let types: Vec<DataType> = arrays.iter().map(|a| a.data_type().clone()).collect();
        let kinds = self.checked_kinds(&types)?;
        // Text arguments are read as text once, not row by row.
        let texts: Vec<ArrayRef> = arrays
            .iter()
            .map(|a| if matches!(a.data_type(), DataType::LargeUtf8 | DataType::Utf8View) { cast(a, &DataType::Utf8) } else { Ok(Arc::clone(a)) })
            .collect::<std::result::Result<_, _>>()?;
        let arrays = texts;
        let mut out = StringBuilder::with_capacity(rows, rows * 16);
        for row in 0..rows {
            let (Some(class), Some(method)) = (text_at(&arrays[0], row), text_at(&arrays[1], row)) else {
                return exec_err!("the class and method of `{}` must not be NULL", self.name);
            };
            let Some(body) = find(&class, &method, &kinds) else {
                return exec_err!("[DATATYPE_MISMATCH.UNEXPECTED_STATIC_METHOD] cannot find a static method {method} of {class}");
            };
            let values: Vec<Value> = arrays[2..].iter().map(|a| value_at(a, row)).collect();
            match body(&values) {
                Ok(v) => out.append_option(v.text()),
                Err(_) if self.tries() => out.append_null(),
                Err(thrown) => return exec_err!("[REFLECTION_FAILED] {class}.{method} threw {thrown}"),
            }
        }
        let out: ArrayRef = Arc::new(out.finish());
        super::columnar(out, args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_))) && rows == 1)
    }
}

/// A text argument's value at a row (its array already plain UTF-8).
fn text_at(a: &ArrayRef, row: usize) -> Option<String> {
    let s = a.as_string_opt::<i32>()?;
    let r = row_of(s, row);
    s.is_valid(r).then(|| s.value(r).to_string())
}

/// One row's argument as the Java value passed for it.
fn value_at(a: &ArrayRef, row: usize) -> Value {
    let r = row_of(a.as_ref(), row);
    if a.is_null(r) {
        return Value::Null;
    }
    match a.data_type() {
        DataType::Boolean => Value::Boolean(a.as_boolean().value(r)),
        DataType::Int8 => Value::Byte(a.as_primitive::<Int8Type>().value(r)),
        DataType::Int16 => Value::Short(a.as_primitive::<Int16Type>().value(r)),
        DataType::Int32 => Value::Int(a.as_primitive::<Int32Type>().value(r)),
        DataType::Int64 => Value::Long(a.as_primitive::<Int64Type>().value(r)),
        DataType::Float32 => Value::Float(a.as_primitive::<Float32Type>().value(r)),
        DataType::Float64 => Value::Double(a.as_primitive::<Float64Type>().value(r)),
        _ => text_at(a, row).map_or(Value::Null, Value::Text),
    }
}
