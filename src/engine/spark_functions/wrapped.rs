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
            // Counts and positions stay numbers where the function takes them so (`repeat(1, 2)`):
            // the first argument alone is tried as text first, then every one.
            Err(e) => {
                let text_where = |read: &dyn Fn(usize, &DataType) -> bool| -> Vec<DataType> {
                    arg_types.iter().enumerate().map(|(i, t)| if atomic(t) && read(i, t) { DataType::Utf8 } else { t.clone() }).collect()
                };
                let candidates = [text_where(&|i, _| i == 0), text_where(&|_, _| true)];
                candidates
                    .iter()
                    .filter(|c| c.as_slice() != arg_types)
                    .find_map(|c| super::coerced_by(&self.inner, c).ok())
                    .ok_or(e)
            }
        }
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        if self.extension.claims(arg_types) {
            return self.extension.returns(arg_types);
        }
        self.inner.return_type(arg_types)
    }

    fn documentation(&self) -> Option<&datafusion::logical_expr::Documentation> {
        self.inner.documentation()
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
