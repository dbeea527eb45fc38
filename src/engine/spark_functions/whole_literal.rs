//! A whole-number literal as the query wrote it, where division needs to know it was one: Spark
//! divides a decimal by the literal `3` as by a DECIMAL(1,0), the digits it has, but by
//! `CAST(3 AS INT)` as by a DECIMAL(10,0), the digits an INT may have. DataFusion folds the cast
//! into a literal before division is typed, so the HiveQL front end marks the written literals of
//! a division with `hivewire_whole_literal(3)`: the marker's field carries the DECIMAL of the
//! literal's digits in its metadata, which division's result type reads, and division's
//! simplification takes the marker off. The marker is volatile so that nothing folds it first.

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{exec_err, plan_err, Result};
use datafusion::logical_expr::{ColumnarValue, Expr, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

/// The marker's name, which the HiveQL front end writes.
pub const WHOLE_LITERAL: &str = "hivewire_whole_literal";

/// The metadata key of the DECIMAL type of the literal's digits (`Decimal128(1, 0)`).
const DIGITS_KEY: &str = "hivewire.whole_literal_digits";

#[derive(Debug, PartialEq, Eq, Hash)]
struct WholeLiteral {
    signature: Signature,
}

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![Arc::new(ScalarUDF::from(WholeLiteral { signature: Signature::any(1, Volatility::Volatile) }))]
}

/// The DECIMAL of a marked literal's digits, from its field; None for any other field.
pub(crate) fn digits_type(field: &Field) -> Option<DataType> {
    let precision: u8 = field.metadata().get(DIGITS_KEY)?.parse().ok()?;
    Some(DataType::Decimal128(precision, 0))
}

/// The literal inside a marker, and whether there was one.
pub(crate) fn unmarked(e: Expr) -> (Expr, bool) {
    match e {
        Expr::ScalarFunction(mut f) if f.name() == WHOLE_LITERAL && f.args.len() == 1 => (f.args.remove(0), true),
        other => (other, false),
    }
}

impl ScalarUDFImpl for WholeLiteral {
    fn name(&self) -> &str {
        WHOLE_LITERAL
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        match args.first() {
            Some(t) => Ok(t.clone()),
            None => plan_err!("{WHOLE_LITERAL} marks one literal"),
        }
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let Some(field) = args.arg_fields.first() else { return plan_err!("{WHOLE_LITERAL} marks one literal") };
        let mut out = Field::new(WHOLE_LITERAL, field.data_type().clone(), field.is_nullable());
        let digits = args.scalar_arguments.first().copied().flatten().and_then(super::decimal_arith::literal_decimal_type);
        if let Some(DataType::Decimal128(precision, _)) = digits {
            out = out.with_metadata(HashMap::from([(DIGITS_KEY.to_string(), precision.to_string())]));
        }
        Ok(Arc::new(out))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        match args.args.into_iter().next() {
            Some(value) => Ok(value),
            None => exec_err!("{WHOLE_LITERAL} marks one literal"),
        }
    }
}
