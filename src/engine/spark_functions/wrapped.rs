//! A session function taught one more family of argument types: Spark applies some string
//! functions to BINARY values and some numeric ones to intervals, where DataFusion's take only
//! their own types. The wrapper keeps the function's name; for the argument types its extension
//! claims the extension answers, and for every other the wrapped function answers as before.

use std::fmt::Debug;
use std::hash::Hash;
use std::sync::Arc;

use datafusion::arrow::array::ArrayRef;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

/// What a wrapper adds to a function: the argument types it answers for, and how.
pub(crate) trait Extension: Debug + Send + Sync + PartialEq + Eq + Hash + 'static {
    /// Whether arguments of these types are the extension's to answer.
    fn claims(&self, types: &[DataType]) -> bool;
    /// The types the claimed arguments are coerced to.
    fn coerce(&self, types: &[DataType]) -> Vec<DataType>;
    /// The result type for claimed arguments.
    fn returns(&self, types: &[DataType]) -> Result<DataType>;
    /// The result for claimed arguments, as arrays.
    fn run(&self, args: &[ArrayRef], rows: usize) -> Result<ArrayRef>;
}

/// A value Spark casts to text implicitly: a number, boolean, date, timestamp or bytes.
fn atomic(t: &DataType) -> bool {
    t.is_numeric() || matches!(t, DataType::Boolean | DataType::Date32 | DataType::Timestamp(_, _) | DataType::Binary | DataType::BinaryView)
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Wrapped<E> {
    inner: Arc<ScalarUDF>,
    extension: E,
    signature: Signature,
}

/// `inner` with the extension, under inner's name.
pub(crate) fn wrap<E: Extension>(inner: Arc<ScalarUDF>, extension: E) -> ScalarUDF {
    ScalarUDF::from(Wrapped { inner, extension, signature: Signature::user_defined(Volatility::Immutable) })
}

impl<E: Extension> ScalarUDFImpl for Wrapped<E> {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn aliases(&self) -> &[String] {
        self.inner.aliases()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        if self.extension.claims(arg_types) {
            return Ok(self.extension.coerce(arg_types));
        }
        match super::coerced_by(&self.inner, arg_types) {
            Ok(types) => Ok(types),
            // Spark reads the numbers, booleans, dates and bytes given to a string function as text
            // (`contains(12, '1')`); the function's own error stands where that does not help.
            Err(e) => {
                let as_text: Vec<DataType> = arg_types.iter().map(|t| if atomic(t) { DataType::Utf8 } else { t.clone() }).collect();
                if as_text.as_slice() == arg_types {
                    return Err(e);
                }
                super::coerced_by(&self.inner, &as_text).map_err(|_| e)
            }
        }
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        if self.extension.claims(arg_types) {
            return self.extension.returns(arg_types);
        }
        self.inner.return_type(arg_types)
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let types: Vec<DataType> = args.arg_fields.iter().map(|f| f.data_type().clone()).collect();
        if !self.extension.claims(&types) {
            return self.inner.return_field_from_args(args);
        }
        Ok(Arc::new(Field::new(self.name(), self.extension.returns(&types)?, true)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let types: Vec<DataType> = args.arg_fields.iter().map(|f| f.data_type().clone()).collect();
        if !self.extension.claims(&types) {
            return self.inner.invoke_with_args(args);
        }
        let rows = args.number_rows;
        let scalar = args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)));
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        super::columnar(self.extension.run(&arrays, rows)?, scalar)
    }
}
