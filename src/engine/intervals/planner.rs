//! The expression planner that gives date and interval arithmetic Spark's types, in HiveQL
//! sessions. It sees each operator as it is planned, with its operands' types, before DataFusion
//! would refuse these forms or type them otherwise:
//! - `date - date` is an interval of days; `date - 'yyyy-mm-dd'` reads the string as a date, and
//!   `timestamp - '...'` reads it as a timestamp;
//! - `date ± day-time interval` is a timestamp, or a date when the interval is a literal of whole
//!   days (`date - INTERVAL '2' DAY`);
//! - `date ± NULL` is a date and `NULL - date` an interval;
//! - `interval * n` and `n * interval` scale the interval (see [`super::scaling`]);
//! - under ANSI rules, `+`, `-` and `*` of whole numbers fail on overflow.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, TimeUnit};
use datafusion::common::{DFSchema, Result, ScalarValue};
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::planner::{ExprPlanner, PlannerResult, RawBinaryExpr};
use datafusion::logical_expr::{cast, BinaryExpr, Expr, ExprSchemable, Operator};
use datafusion::sql::sqlparser::ast::BinaryOperator as SqlOperator;

use super::is_interval;
use crate::hiveql::intervals::DAY_TIME;

/// The planner; HiveQL sessions have it, PostgreSQL sessions do not.
#[derive(Debug, Default)]
pub(crate) struct SparkIntervalArithmetic {
    /// The session's `spark.sql.ansi.enabled`: whole-number overflow is an error under it.
    ansi: Arc<AtomicBool>,
    /// The session's `spark.sql.decimalOperations.allowPrecisionLoss`.
    precision_loss: Arc<AtomicBool>,
}

impl SparkIntervalArithmetic {
    pub(crate) fn new(ansi: Arc<AtomicBool>, precision_loss: Arc<AtomicBool>) -> Self {
        SparkIntervalArithmetic { ansi, precision_loss }
    }

    fn decimal_rules(&self) -> crate::engine::spark_functions::decimal_arith::Rules {
        crate::engine::spark_functions::decimal_arith::Rules {
            ansi: self.ansi.load(Ordering::Relaxed),
            precision_loss: self.precision_loss.load(Ordering::Relaxed),
        }
    }
}

impl ExprPlanner for SparkIntervalArithmetic {
    fn plan_binary_op(&self, expr: RawBinaryExpr, schema: &DFSchema) -> Result<PlannerResult<RawBinaryExpr>> {
        use crate::engine::spark_functions::decimal_arith::{applies, decimal_udf, literal_as_decimal, DecimalOp};
        // The operator as DataFusion's, and as a DECIMAL operation where it is one.
        let (op, decimal_op) = match expr.op {
            SqlOperator::Plus => (Operator::Plus, Some(DecimalOp::Add)),
            SqlOperator::Minus => (Operator::Minus, Some(DecimalOp::Sub)),
            SqlOperator::Multiply => (Operator::Multiply, Some(DecimalOp::Mul)),
            SqlOperator::Modulo => (Operator::Modulo, Some(DecimalOp::Rem)),
            SqlOperator::Eq => (Operator::Eq, None),
            SqlOperator::NotEq => (Operator::NotEq, None),
            SqlOperator::Lt => (Operator::Lt, None),
            SqlOperator::LtEq => (Operator::LtEq, None),
            SqlOperator::Gt => (Operator::Gt, None),
            SqlOperator::GtEq => (Operator::GtEq, None),
            SqlOperator::Spaceship => (Operator::IsNotDistinctFrom, None),
            _ => return Ok(PlannerResult::Original(expr)),
        };
        let (Ok(mut lt), Ok(mut rt)) = (expr.left.get_type(schema), expr.right.get_type(schema)) else {
            return Ok(PlannerResult::Original(expr));
        };
        // Text beside a number in arithmetic is read as a number: a BIGINT beside a whole number
        // under ANSI rules, else a DOUBLE (NULL where it is not one, without ANSI rules).
        let mut expr = expr;
        let ansi = self.ansi.load(Ordering::Relaxed);
        // A BOOLEAN compared with text or a number, as Spark compares them.
        let rules = crate::engine::common_types::lattice::SparkRules { ansi, text: true };
        if decimal_op.is_none() && crate::engine::common_types::operators::compare_booleans(&mut expr.left, &mut expr.right, (&lt, &rt), rules) {
            return Ok(PlannerResult::Original(expr));
        }
        if decimal_op.is_some() {
            if let Some(target) = text_operand_type(&lt, &rt, ansi) {
                let as_number = |e: Expr| if ansi { cast(e, target.clone()) } else { Expr::TryCast(datafusion::logical_expr::TryCast::new(Box::new(e), target.clone())) };
                expr.left = as_number(expr.left);
                expr.right = as_number(expr.right);
                (lt, rt) = (target.clone(), target);
            }
        }
        // DECIMAL arithmetic takes Spark's result types (see spark_functions::decimal_arith).
        if let (Some(decimal_op), true) = (decimal_op, applies(&lt, &rt)) {
            let f = decimal_udf(decimal_op, self.decimal_rules());
            let (left, right) = (literal_as_decimal(expr.left), literal_as_decimal(expr.right));
            return Ok(PlannerResult::Planned(Expr::ScalarFunction(ScalarFunction::new_udf(f, vec![left, right]))));
        }
        if op == Operator::Modulo {
            return Ok(PlannerResult::Original(expr));
        }
        // Under ANSI rules, whole-number arithmetic that overflows is an error, as in Spark.
        let whole = |t: &DataType| t.is_integer();
        if self.ansi.load(Ordering::Relaxed) && whole(&lt) && whole(&rt) {
            let name = match op {
                Operator::Plus => "hivewire_checked_add",
                Operator::Minus => "hivewire_checked_subtract",
                Operator::Multiply => "hivewire_checked_multiply",
                _ => return Ok(PlannerResult::Original(expr)),
            };
            return Ok(PlannerResult::Planned(Expr::ScalarFunction(ScalarFunction::new_udf(
                crate::engine::spark_functions::checked_arithmetic(name),
                vec![expr.left, expr.right],
            ))));
        }
        match planned(expr.left.clone(), op, expr.right.clone(), &lt, &rt) {
            Some(e) => Ok(PlannerResult::Planned(e?)),
            None => Ok(PlannerResult::Original(expr)),
        }
    }
}

/// The type text and a number take together in arithmetic, as Spark reads the text; None unless
/// exactly one side is text and the other a number.
fn text_operand_type(lt: &DataType, rt: &DataType, ansi: bool) -> Option<DataType> {
    let text = |t: &DataType| matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View);
    let number = match (text(lt), text(rt)) {
        (true, false) => rt,
        (false, true) => lt,
        _ => return None,
    };
    if !number.is_numeric() {
        return None;
    }
    Some(if ansi && number.is_integer() { DataType::Int64 } else { DataType::Float64 })
}

/// Whether an expression is a day-time interval literal of whole days (`INTERVAL '2' DAY`).
fn whole_days_literal(e: &Expr) -> bool {
    match e {
        Expr::ScalarFunction(f) if f.func.name() == DAY_TIME => {
            matches!(f.args.get(2), Some(Expr::Literal(ScalarValue::Int64(Some(0)) | ScalarValue::Int32(Some(0)), _)))
        }
        _ => false,
    }
}

fn timestamp() -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, None)
}

/// Spark's form of `left op right`, or None where DataFusion's own is Spark's.
fn planned(l: Expr, op: Operator, r: Expr, lt: &DataType, rt: &DataType) -> Option<Result<Expr>> {
    let scaled = |interval: Expr, factor: Expr| Expr::ScalarFunction(ScalarFunction::new_udf(super::scaling::multiply_udf(), vec![interval, factor]));
    let numeric = |t: &DataType| t.is_numeric() || matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null);
    let binary = |l: Expr, r: Expr| Expr::BinaryExpr(BinaryExpr::new(Box::new(l), op, Box::new(r)));
    let year_month = |t: &DataType| matches!(t, DataType::Interval(datafusion::arrow::datatypes::IntervalUnit::YearMonth));
    Some(Ok(match (op, lt, rt) {
        // Spark keeps the two interval types apart.
        (_, a, b)
            if (year_month(a) && matches!(b, DataType::Duration(_))) || (year_month(b) && matches!(a, DataType::Duration(_))) =>
        {
            return Some(Err(datafusion::common::DataFusionError::Plan(format!(
                "[DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES] a year-month interval and a day-time interval cannot be added, subtracted or compared ({lt} {op} {rt})"
            ))));
        }
        (Operator::Multiply, i, n) if is_interval(i) && numeric(n) => scaled(l, r),
        (Operator::Multiply, n, i) if is_interval(i) && numeric(n) => scaled(r, l),
        // A date and a day-time interval.
        (Operator::Plus | Operator::Minus, DataType::Date32, DataType::Duration(_)) if whole_days_literal(&r) => {
            cast(binary(cast(l, timestamp()), r), DataType::Date32)
        }
        (Operator::Plus | Operator::Minus, DataType::Date32, DataType::Duration(_)) => binary(cast(l, timestamp()), r),
        (Operator::Plus, DataType::Duration(_), DataType::Date32) if whole_days_literal(&l) => cast(binary(cast(r, timestamp()), l), DataType::Date32),
        (Operator::Plus, DataType::Duration(_), DataType::Date32) => binary(cast(r, timestamp()), l),
        // A date plus or minus an unknown number of days.
        (Operator::Plus | Operator::Minus, DataType::Date32, DataType::Null) => binary(l, cast(r, DataType::Int32)),
        (Operator::Plus, DataType::Null, DataType::Date32) => binary(cast(l, DataType::Int32), r),
        // Dates and timestamps apart.
        (Operator::Minus, DataType::Date32, DataType::Date32 | DataType::Utf8) => binary(cast(l, timestamp()), cast(cast(r, DataType::Date32), timestamp())),
        (Operator::Minus, DataType::Utf8 | DataType::Null, DataType::Date32) => binary(cast(cast(l, DataType::Date32), timestamp()), cast(r, timestamp())),
        (Operator::Minus, DataType::Timestamp(..), DataType::Utf8 | DataType::Null) => binary(l, cast(r, lt.clone())),
        (Operator::Minus, DataType::Utf8 | DataType::Null, DataType::Timestamp(..)) => binary(cast(l, rt.clone()), r),
        _ => return None,
    }))
}

