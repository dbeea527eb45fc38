//! A session function whose answer Spark gives differently in one respect: the wrapper keeps the
//! function's signature, coercions and work, and an [`Adjustment`] changes its result type or its
//! answer (`round`'s DECIMAL scale, `array_contains`'s NULLs).

use std::fmt::Debug;
use std::hash::Hash;
use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, FieldRef};
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature};

/// What a wrapper changes about the function it wraps.
pub(crate) trait Adjustment: Debug + Send + Sync + PartialEq + Eq + Hash + 'static {
    /// The name the wrapper goes by; the wrapped function's when None.
    fn name(&self) -> Option<&'static str> {
        None
    }
    /// The result field, from the wrapped function's.
    fn return_field(&self, inner: &ScalarUDF, args: ReturnFieldArgs) -> Result<FieldRef> {
        inner.return_field_from_args(args)
    }
    /// The answer, from the wrapped function's work.
    fn invoke(&self, inner: &ScalarUDF, args: ScalarFunctionArgs) -> Result<ColumnarValue>;
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct Adjusted<A> {
    inner: Arc<ScalarUDF>,
    adjustment: A,
}

/// `inner` with the adjustment.
pub(crate) fn adjust<A: Adjustment>(inner: Arc<ScalarUDF>, adjustment: A) -> ScalarUDF {
    ScalarUDF::from(Adjusted { inner, adjustment })
}

impl<A: Adjustment> ScalarUDFImpl for Adjusted<A> {
    fn name(&self) -> &str {
        self.adjustment.name().unwrap_or_else(|| self.inner.name())
    }

    fn aliases(&self) -> &[String] {
        match self.adjustment.name() {
            Some(_) => &[],
            None => self.inner.aliases(),
        }
    }

    fn signature(&self) -> &Signature {
        self.inner.signature()
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        super::coerced_by(&self.inner, arg_types)
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        self.inner.return_type(arg_types)
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        self.adjustment.return_field(&self.inner, args)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        self.adjustment.invoke(&self.inner, args)
    }
}
