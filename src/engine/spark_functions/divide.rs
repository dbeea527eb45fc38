//! Division as Spark divides. `a / b` of two integers is a DOUBLE (`3 / 2` is 1.5), as is that of
//! any numbers but decimals (`CAST(1 AS FLOAT) / 3`); decimals take Spark's DECIMAL division, a
//! whole-number literal beside one counting as the DECIMAL of its digits; `a DIV b` is the whole
//! quotient as a BIGINT, truncated toward zero. A zero divisor is an error under ANSI rules and NULL without them; the HiveQL front end
//! guards the divisor (unless it is a number other than zero) with `hivewire_checked_divisor` or
//! `nullif` accordingly, and writes the
//! operators as `hivewire_divide` and `hivewire_int_divide`, which simplify to DataFusion's
//! arithmetic once the operand types are known (an interval divided by a number goes to the
//! engine's interval division).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{exec_err, Result, ScalarValue};
use datafusion::logical_expr::simplify::{ExprSimplifyResult, SimplifyContext};
use datafusion::logical_expr::type_coercion::binary::BinaryTypeCoercer;
use datafusion::logical_expr::{
    cast, ColumnarValue, Expr, Operator, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

use super::SparkFunction;

/// The names the front end writes.
pub const DIVIDE: &str = "hivewire_divide";
/// Division whose DECIMAL result keeps its range (`spark.sql.decimalOperations.allowPrecisionLoss`
/// false), and the forms of both whose DECIMAL overflow is NULL (without ANSI rules).
pub const DIVIDE_EXACT: &str = "hivewire_divide_exact";
pub const DIVIDE_OR_NULL: &str = "hivewire_divide_or_null";
pub const DIVIDE_EXACT_OR_NULL: &str = "hivewire_divide_exact_or_null";
pub const INT_DIVIDE: &str = "hivewire_int_divide";
pub const CHECKED_DIVISOR: &str = "hivewire_checked_divisor";

#[derive(Debug, PartialEq, Eq, Hash)]
struct Division {
    name: &'static str,
    signature: Signature,
}

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    let mut out: Vec<Arc<ScalarUDF>> = [DIVIDE, DIVIDE_EXACT, DIVIDE_OR_NULL, DIVIDE_EXACT_OR_NULL, INT_DIVIDE]
        .into_iter()
        .map(|name| Arc::new(ScalarUDF::from(Division { name, signature: Signature::any(2, Volatility::Immutable) })))
        .collect();
    out.push(SparkFunction::udf(CHECKED_DIVISOR, Signature::any(1, Volatility::Immutable), |t| Ok(t[0].clone()), checked_divisor));
    out
}

/// Text, which divides as the DOUBLE it holds, as Spark casts it.
fn text(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

fn integer(t: &DataType) -> bool {
    t.is_integer() || matches!(t, DataType::Null)
}

/// The divisor itself, or the DIVIDE_BY_ZERO error when any row is zero.
fn checked_divisor(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let a = &args[0];
    for i in 0..a.len() {
        if !a.is_null(i) {
            let v = ScalarValue::try_from_array(a, i)?;
            // A divisor with no zero of its own (a string) is checked where it is divided.
            let Ok(zero) = ScalarValue::new_zero(a.data_type()) else { return Ok(a.clone()) };
            if v == zero {
                return exec_err!("[DIVIDE_BY_ZERO] Division by zero. Use try_divide to tolerate a zero divisor and return NULL instead");
            }
        }
    }
    Ok(a.clone())
}

impl Division {
    /// The DECIMAL rules the division's name carries.
    fn decimal_rules(&self) -> super::decimal_arith::Rules {
        super::decimal_arith::Rules {
            ansi: !self.name.ends_with("_or_null"),
            precision_loss: !self.name.contains("_exact"),
        }
    }
}

impl ScalarUDFImpl for Division {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        if self.name == INT_DIVIDE {
            return Ok(DataType::Int64);
        }
        if crate::engine::intervals::is_interval(&args[0]) {
            return Ok(args[0].clone());
        }
        if self.name != INT_DIVIDE && super::decimal_arith::applies(&args[0], &args[1]) {
            return super::decimal_arith::result_type(args, super::decimal_arith::DecimalOp::Div, self.decimal_rules().precision_loss);
        }
        match (&args[0], &args[1]) {
            (l, r) if integer(l) && integer(r) => Ok(DataType::Float64),
            (l, r) if text(l) && text(r) => {
                datafusion::common::plan_err!("[DATATYPE_MISMATCH.BINARY_OP_WRONG_TYPE] '/' does not divide text by text ({l} / {r})")
            }
            (l, r) if text(l) || text(r) => Ok(DataType::Float64),
            (l, r) if l.is_numeric() && r.is_numeric() => Ok(DataType::Float64),
            (l, r) => BinaryTypeCoercer::new(l, &Operator::Divide, r).get_result_type(),
        }
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let mut types: Vec<DataType> = args.arg_fields.iter().map(|f| f.data_type().clone()).collect();
        // A written whole-number literal beside a decimal divides as the DECIMAL of its digits.
        if types.len() == 2 && self.name != INT_DIVIDE && super::decimal_arith::applies(&types[0], &types[1]) {
            for (t, field) in types.iter_mut().zip(args.arg_fields) {
                if let Some(digits) = super::whole_literal::digits_type(field) {
                    *t = digits;
                }
            }
        }
        Ok(Arc::new(Field::new(self.name, self.return_type(&types)?, true)))
    }

    fn simplify(&self, mut args: Vec<Expr>, info: &SimplifyContext) -> Result<ExprSimplifyResult> {
        let (right, right_written) = super::whole_literal::unmarked(args.remove(1));
        let (left, left_written) = super::whole_literal::unmarked(args.remove(0));
        // Text is read as a DOUBLE: NULL where it is not a number without ANSI rules.
        let lenient = matches!(self.name, DIVIDE_OR_NULL | DIVIDE_EXACT_OR_NULL);
        let as_number = |e: Expr, t: DataType| -> (Expr, DataType) {
            match (text(&t), lenient) {
                (true, true) => (Expr::TryCast(datafusion::logical_expr::TryCast::new(Box::new(e), DataType::Float64)), DataType::Float64),
                (true, false) => (cast(e, DataType::Float64), DataType::Float64),
                (false, _) => (e, t),
            }
        };
        let (l, r) = (info.get_data_type(&left)?, info.get_data_type(&right)?);
        let (left, l) = as_number(left, l);
        let (right, r) = as_number(right, r);
        if self.name != INT_DIVIDE && crate::engine::intervals::is_interval(&l) {
            // An interval divided by zero is an error without ANSI rules too, as in Spark.
            let divided = datafusion::logical_expr::expr::ScalarFunction::new_udf(crate::engine::intervals::divide_udf(), vec![left, right]);
            return Ok(ExprSimplifyResult::Simplified(Expr::ScalarFunction(divided)));
        }
        // Without ANSI rules a zero divisor gives NULL.
        let right = if lenient && !right_written {
            let zero = ScalarValue::new_zero(&r).unwrap_or(ScalarValue::Int64(Some(0)));
            datafusion::functions::core::expr_fn::nullif(right, Expr::Literal(zero, None))
        } else {
            right
        };
        if self.name != INT_DIVIDE && super::decimal_arith::applies(&l, &r) {
            // A written whole-number literal divides as the DECIMAL of its digits (`x / 3` by a
            // DECIMAL(1,0)).
            let digits = |e: Expr, written: bool| if written { super::decimal_arith::literal_as_decimal(e) } else { e };
            let (left, right) = (digits(left, left_written), digits(right, right_written));
            let f = super::decimal_arith::decimal_udf(super::decimal_arith::DecimalOp::Div, self.decimal_rules());
            return Ok(ExprSimplifyResult::Simplified(Expr::ScalarFunction(datafusion::logical_expr::expr::ScalarFunction::new_udf(f, vec![left, right]))));
        }
        let both_integers = integer(&l) && integer(&r);
        // Types are coerced already where the planner saw the operator; here it is written out.
        let coerced = |left: Expr, right: Expr| -> Result<Expr> {
            let (lt, rt) = BinaryTypeCoercer::new(&l, &Operator::Divide, &r).get_input_types()?;
            Ok(cast(left, lt) / cast(right, rt))
        };
        let replaced = match (self.name, both_integers) {
            (INT_DIVIDE, true) => cast(left, DataType::Int64) / cast(right, DataType::Int64),
            (INT_DIVIDE, false) => cast(coerced(left, right)?, DataType::Int64),
            // Numbers that are not decimals divide as DOUBLEs (`CAST(1 AS FLOAT) / 3` too).
            (_, true) => cast(left, DataType::Float64) / cast(right, DataType::Float64),
            (_, false) if l.is_numeric() && r.is_numeric() => cast(left, DataType::Float64) / cast(right, DataType::Float64),
            (_, false) => coerced(left, right)?,
        };
        Ok(ExprSimplifyResult::Simplified(replaced))
    }

    fn invoke_with_args(&self, _args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        exec_err!("{} is rewritten before it runs", self.name)
    }
}
