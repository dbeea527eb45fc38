//! `try_add`, `try_subtract` and `try_multiply`: `+`, `-` and `*` that give NULL where the result
//! does not fit its type, as Spark's `try_` functions do. Whole numbers keep the wider type (text
//! counts as BIGINT), a DECIMAL takes Spark's result precision and scale, and doubles are as they
//! are. Dates and intervals, which Spark also takes here, are written by the HiveQL front end as
//! the operator itself when they are literals.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Float64Array, Int64Array};
use datafusion::arrow::compute::{cast, cast_with_options, CastOptions};
use datafusion::arrow::datatypes::{DataType, Float64Type, Int64Type};
use datafusion::common::{exec_err, plan_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, Volatility};

use super::decimal_arith::{self, DecimalOp, Rules};
use super::{row_of, SparkFunction};

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    let any = || Signature::any(2, Volatility::Immutable);
    vec![
        SparkFunction::udf("hivewire_try_add", any(), |t| result_type(t, Op::Add), |a, r| apply(a, r, Op::Add, false)),
        SparkFunction::udf("hivewire_try_subtract", any(), |t| result_type(t, Op::Sub), |a, r| apply(a, r, Op::Sub, false)),
        SparkFunction::udf("hivewire_try_multiply", any(), |t| result_type(t, Op::Mul), |a, r| apply(a, r, Op::Mul, false)),
        checked("hivewire_checked_add"),
        checked("hivewire_checked_subtract"),
        checked("hivewire_checked_multiply"),
    ]
}

/// `+`, `-` or `*` of whole numbers that fails on overflow, as Spark's operators do under ANSI
/// rules; the HiveQL front end's expression planner writes them.
pub(crate) fn checked(name: &str) -> Arc<ScalarUDF> {
    let any = || Signature::any(2, Volatility::Immutable);
    match name {
        "hivewire_checked_subtract" => SparkFunction::udf("hivewire_checked_subtract", any(), |t| result_type(t, Op::Sub), |a, r| apply(a, r, Op::Sub, true)),
        "hivewire_checked_multiply" => SparkFunction::udf("hivewire_checked_multiply", any(), |t| result_type(t, Op::Mul), |a, r| apply(a, r, Op::Mul, true)),
        _ => SparkFunction::udf("hivewire_checked_add", any(), |t| result_type(t, Op::Add), |a, r| apply(a, r, Op::Add, true)),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Op {
    Add,
    Sub,
    Mul,
}

impl Op {
    fn decimal(self) -> DecimalOp {
        match self {
            Op::Add => DecimalOp::Add,
            Op::Sub => DecimalOp::Sub,
            Op::Mul => DecimalOp::Mul,
        }
    }
}

/// Text and NULL beside a decimal count as BIGINT here.
fn decimal_operand(t: &DataType) -> DataType {
    match t {
        DataType::Utf8 | DataType::Null => DataType::Int64,
        other => other.clone(),
    }
}

/// DECIMAL operands give NULL where the result does not fit, with Spark's result types.
const DECIMAL_RULES: Rules = Rules { ansi: false, precision_loss: true };

fn whole(t: &DataType) -> bool {
    t.is_integer() || matches!(t, DataType::Null | DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

fn result_type(args: &[DataType], op: Op) -> Result<DataType> {
    let (l, r) = (&args[0], &args[1]);
    if whole(l) && whole(r) {
        let rank = |t: &DataType| match t {
            DataType::Int8 => 1,
            DataType::Int16 => 2,
            DataType::Int32 => 3,
            DataType::Null => 0,
            _ => 4,
        };
        return Ok(match rank(l).max(rank(r)) {
            0 | 3 => DataType::Int32,
            1 => DataType::Int8,
            2 => DataType::Int16,
            _ => DataType::Int64,
        });
    }
    let (dl, dr) = (decimal_operand(l), decimal_operand(r));
    if decimal_arith::applies(&dl, &dr) {
        return decimal_arith::result_type(&[dl, dr], op.decimal(), DECIMAL_RULES.precision_loss);
    }
    if l.is_numeric() && r.is_numeric() {
        return Ok(DataType::Float64);
    }
    plan_err!("[DATATYPE_MISMATCH] a try_ arithmetic function takes numbers here, not {l} and {r}")
}

fn apply(args: &[ArrayRef], rows: usize, op: Op, fail: bool) -> Result<ArrayRef> {
    let out_type = result_type(&[args[0].data_type().clone(), args[1].data_type().clone()], op)?;
    let rows = args[0].len().max(args[1].len()).max(rows.min(1));
    let strict = CastOptions { safe: false, ..Default::default() };
    match &out_type {
        DataType::Decimal128(..) => {
            let operands = [
                cast_with_options(&args[0], &decimal_operand(args[0].data_type()), &strict)?,
                cast_with_options(&args[1], &decimal_operand(args[1].data_type()), &strict)?,
            ];
            decimal_arith::apply(&operands, rows, op.decimal(), DECIMAL_RULES)
        }
        DataType::Float64 => {
            let (a, b) = (cast(&args[0], &DataType::Float64)?, cast(&args[1], &DataType::Float64)?);
            let (a, b) = (a.as_primitive::<Float64Type>(), b.as_primitive::<Float64Type>());
            let out: Float64Array = (0..rows)
                .map(|i| {
                    let (x, y) = (row_of(a, i), row_of(b, i));
                    (a.is_valid(x) && b.is_valid(y)).then(|| match op {
                        Op::Add => a.value(x) + b.value(y),
                        Op::Sub => a.value(x) - b.value(y),
                        Op::Mul => a.value(x) * b.value(y),
                    })
                })
                .collect();
            Ok(Arc::new(out))
        }
        whole_type => {
            let (a, b) = (cast_with_options(&args[0], &DataType::Int64, &strict)?, cast_with_options(&args[1], &DataType::Int64, &strict)?);
            let (a, b) = (a.as_primitive::<Int64Type>(), b.as_primitive::<Int64Type>());
            let overflowed = |i: usize| {
                let (x, y) = (row_of(a, i), row_of(b, i));
                a.is_valid(x) && b.is_valid(y)
            };
            let out: Int64Array = (0..rows)
                .map(|i| {
                    let (x, y) = (row_of(a, i), row_of(b, i));
                    if a.is_null(x) || b.is_null(y) {
                        return None;
                    }
                    let v = match op {
                        Op::Add => a.value(x).checked_add(b.value(y)),
                        Op::Sub => a.value(x).checked_sub(b.value(y)),
                        Op::Mul => a.value(x).checked_mul(b.value(y)),
                    }?;
                    let fits = match whole_type {
                        DataType::Int8 => i8::try_from(v).is_ok(),
                        DataType::Int16 => i16::try_from(v).is_ok(),
                        DataType::Int32 => i32::try_from(v).is_ok(),
                        _ => true,
                    };
                    fits.then_some(v)
                })
                .collect();
            if fail {
                if let Some(i) = (0..rows).find(|&i| out.is_null(i) && overflowed(i)) {
                    let (x, y) = (a.value(row_of(a, i)), b.value(row_of(b, i)));
                    let sign = match op {
                        Op::Add => "+",
                        Op::Sub => "-",
                        Op::Mul => "*",
                    };
                    return exec_err!("[ARITHMETIC_OVERFLOW] integer overflow: {x} {sign} {y} does not fit {whole_type}. Use try_add, try_subtract or try_multiply to tolerate overflow and return NULL instead");
                }
            }
            Ok(cast(&(Arc::new(out) as ArrayRef), whole_type)?)
        }
    }
}
