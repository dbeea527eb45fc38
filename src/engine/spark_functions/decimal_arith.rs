//! DECIMAL arithmetic with Spark's result types. `+`, `-`, `*`, `/` and `%` of decimals (and of a
//! decimal with a whole number) have the precision and scale Spark gives them; when that precision
//! passes 38 digits the scale gives way, down to six digits, instead of the result overflowing
//! (`10.300000000000000000 * 3.0000000000000000000` is 30.9000000000000000000000000000000000).
//! The exact result is computed in 256 bits and rounded half away from zero to the result's
//! scale; one that still does not fit is an error under ANSI rules and NULL without them. Where
//! Spark's type holds the exact sum, difference or product (no precision given way), it is
//! computed in 128 bits with Arrow's vectorised kernels instead, as it can neither overflow nor
//! need rounding. The
//! HiveQL front end's expression planner writes such operators as `hivewire_decimal_*` calls.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Decimal128Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{i256, DataType, Decimal128Type};
use datafusion::common::{exec_err, plan_err, Result, ScalarValue};
use datafusion::logical_expr::{ColumnarValue, Expr, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use super::row_of;

/// The DECIMAL that holds exactly a whole number's digits, as Spark types a whole-number literal
/// beside a decimal (`a * 10` multiplies by a DECIMAL(2,0), `a / 3` divides by a DECIMAL(1,0)).
pub(crate) fn literal_decimal_type(v: &ScalarValue) -> Option<DataType> {
    let whole = match v {
        ScalarValue::Int64(Some(v)) => *v,
        ScalarValue::Int32(Some(v)) => i64::from(*v),
        ScalarValue::Int16(Some(v)) => i64::from(*v),
        ScalarValue::Int8(Some(v)) => i64::from(*v),
        _ => return None,
    };
    let digits = whole.unsigned_abs().checked_ilog10().map_or(1, |d| d + 1) as u8;
    Some(DataType::Decimal128(digits.max(1), 0))
}

/// A whole-number literal cast to [`literal_decimal_type`]; any other expression as it is.
pub(crate) fn literal_as_decimal(e: Expr) -> Expr {
    match &e {
        Expr::Literal(v, _) => match literal_decimal_type(v) {
            Some(t) => datafusion::logical_expr::cast(e, t),
            None => e,
        },
        _ => e,
    }
}

/// A DECIMAL operator.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) enum DecimalOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

impl DecimalOp {
    fn word(self) -> &'static str {
        match self {
            DecimalOp::Add => "add",
            DecimalOp::Sub => "subtract",
            DecimalOp::Mul => "multiply",
            DecimalOp::Div => "divide",
            DecimalOp::Rem => "remainder",
        }
    }
}

const OPS: [DecimalOp; 5] = [DecimalOp::Add, DecimalOp::Sub, DecimalOp::Mul, DecimalOp::Div, DecimalOp::Rem];

/// How a DECIMAL operation treats overflow and precision.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) struct Rules {
    /// `spark.sql.ansi.enabled`: overflow is an error rather than NULL.
    pub ansi: bool,
    /// `spark.sql.decimalOperations.allowPrecisionLoss`: a result wider than 38 digits loses scale
    /// rather than being cut to 38 digits of precision.
    pub precision_loss: bool,
}

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    let mut out = Vec::new();
    for op in OPS {
        for ansi in [true, false] {
            for precision_loss in [true, false] {
                out.push(decimal_udf(op, Rules { ansi, precision_loss }));
            }
        }
    }
    out
}

/// The function for an operator under the rules.
pub(crate) fn decimal_udf(op: DecimalOp, rules: Rules) -> Arc<ScalarUDF> {
    let name = format!(
        "hivewire_decimal_{}{}{}",
        op.word(),
        if rules.ansi { "" } else { "_or_null" },
        if rules.precision_loss { "" } else { "_exact" }
    );
    Arc::new(ScalarUDF::from(DecimalArith { name, op, rules, signature: Signature::any(2, Volatility::Immutable) }))
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct DecimalArith {
    name: String,
    op: DecimalOp,
    rules: Rules,
    signature: Signature,
}

impl ScalarUDFImpl for DecimalArith {
    fn name(&self) -> &str {
        &self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        result_type(args, self.op, self.rules.precision_loss)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let scalar = args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)));
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        super::columnar(apply(&arrays, rows, self.op, self.rules)?, scalar)
    }
}

/// Whether two operand types make DECIMAL arithmetic: a decimal, with a decimal or a whole number.
pub(crate) fn applies(l: &DataType, r: &DataType) -> bool {
    (matches!(l, DataType::Decimal128(..)) || matches!(r, DataType::Decimal128(..))) && decimal_of(l).is_some() && decimal_of(r).is_some()
}

/// The precision and scale of a decimal operand, a whole number taken as the decimal that holds
/// it.
pub(crate) fn decimal_of(t: &DataType) -> Option<(i32, i32)> {
    Some(match t {
        DataType::Decimal128(p, s) => (i32::from(*p), i32::from(*s)),
        DataType::Int8 => (3, 0),
        DataType::Int16 => (5, 0),
        DataType::Int32 => (10, 0),
        DataType::Int64 => (20, 0),
        DataType::Null => (1, 0),
        _ => return None,
    })
}

/// Spark's result type for the operator, with its precision capped at 38.
pub(crate) fn result_type(args: &[DataType], op: DecimalOp, precision_loss: bool) -> Result<DataType> {
    let (Some((p1, s1)), Some((p2, s2))) = (decimal_of(&args[0]), decimal_of(&args[1])) else {
        return plan_err!("decimal arithmetic takes decimals and whole numbers, not {} and {}", args[0], args[1]);
    };
    let (p, s) = match op {
        DecimalOp::Add | DecimalOp::Sub => {
            let s = s1.max(s2);
            ((p1 - s1).max(p2 - s2) + s + 1, s)
        }
        DecimalOp::Mul => (p1 + p2 + 1, s1 + s2),
        DecimalOp::Div => {
            let s = 6.max(s1 + p2 + 1);
            (p1 - s1 + s2 + s, s)
        }
        DecimalOp::Rem => {
            let s = s1.max(s2);
            ((p1 - s1).min(p2 - s2) + s, s)
        }
    };
    let (p, s) = match (p > 38, precision_loss) {
        (true, true) => (38, (38 - (p - s)).max(s.min(6))),
        (true, false) => (38, s.min(38)),
        (false, _) => (p, s),
    };
    Ok(DataType::Decimal128(p.max(1) as u8, s as i8))
}

fn ten(n: i32) -> Option<i256> {
    i256::from_i128(10).checked_pow(u32::try_from(n).ok()?)
}

/// Digits moved from one scale to another, rounding half away from zero.
fn rescale(v: i256, from: i32, to: i32) -> Option<i256> {
    if to >= from {
        return v.checked_mul(ten(to - from)?);
    }
    divide_rounded(v, ten(from - to)?)
}

/// `a / b` rounded half away from zero.
fn divide_rounded(a: i256, b: i256) -> Option<i256> {
    let (q, r) = (a.checked_div(b)?, a.checked_rem(b)?);
    let twice = r.checked_abs()?.checked_mul(i256::from_i128(2))?;
    if twice >= b.checked_abs()? && r != i256::ZERO {
        let step = if a.is_negative() != b.is_negative() { i256::MINUS_ONE } else { i256::ONE };
        return q.checked_add(step);
    }
    Some(q)
}

pub(crate) fn apply(args: &[ArrayRef], rows: usize, op: DecimalOp, rules: Rules) -> Result<ArrayRef> {
    let ansi = rules.ansi;
    let types = [args[0].data_type().clone(), args[1].data_type().clone()];
    let DataType::Decimal128(p, s) = result_type(&types, op, rules.precision_loss)? else { return plan_err!("decimal arithmetic makes a decimal") };
    let (Some((pa, sa)), Some((pb, sb))) = (decimal_of(&types[0]), decimal_of(&types[1])) else {
        return plan_err!("decimal arithmetic takes decimals and whole numbers");
    };
    let a = cast(&args[0], &DataType::Decimal128(pa.clamp(1, 38) as u8, sa as i8))?;
    let b = cast(&args[1], &DataType::Decimal128(pb.clamp(1, 38) as u8, sb as i8))?;
    let (a, b) = (a.as_primitive::<Decimal128Type>(), b.as_primitive::<Decimal128Type>());
    if let Some(exact) = exact(a, b, op, ((pa, sa), (pb, sb)), (p, s))? {
        return Ok(exact);
    }
    let (scale, limit) = (i32::from(s), ten(i32::from(p)));
    let rows = a.len().max(b.len()).max(rows.min(1));
    let mut out: Vec<Option<i128>> = Vec::with_capacity(rows);
    for i in 0..rows {
        let (x, y) = (row_of(a, i), row_of(b, i));
        if a.is_null(x) || b.is_null(y) {
            out.push(None);
            continue;
        }
        let (x, y) = (i256::from_i128(a.value(x)), i256::from_i128(b.value(y)));
        if matches!(op, DecimalOp::Div | DecimalOp::Rem) && y == i256::ZERO {
            if ansi {
                return exec_err!("[DIVIDE_BY_ZERO] Division by zero. Use try_divide to tolerate a zero divisor and return NULL instead");
            }
            out.push(None);
            continue;
        }
        let common = sa.max(sb);
        let value = match op {
            DecimalOp::Add | DecimalOp::Sub => rescale(x, sa, common).zip(rescale(y, sb, common)).and_then(|(x, y)| {
                let sum = if op == DecimalOp::Add { x.checked_add(y) } else { x.checked_sub(y) };
                sum.and_then(|v| rescale(v, common, scale))
            }),
            DecimalOp::Mul => x.checked_mul(y).and_then(|v| rescale(v, sa + sb, scale)),
            // x / y at the result scale: x * 10^(scale + sb - sa) / y.
            DecimalOp::Div => {
                let shift = scale + sb - sa;
                let numerator = if shift >= 0 { ten(shift).and_then(|t| x.checked_mul(t)) } else { ten(-shift).and_then(|t| x.checked_div(t)) };
                numerator.and_then(|n| divide_rounded(n, y))
            }
            DecimalOp::Rem => rescale(x, sa, common).zip(rescale(y, sb, common)).and_then(|(x, y)| x.checked_rem(y)).and_then(|v| rescale(v, common, scale)),
        };
        let fits = value.zip(limit).and_then(|(v, l)| (v.checked_abs()? < l).then_some(v)).and_then(|v| v.to_i128());
        match fits {
            Some(v) => out.push(Some(v)),
            None if ansi => {
                return exec_err!("[NUMERIC_VALUE_OUT_OF_RANGE] the result does not fit DECIMAL({p},{s}); set spark.sql.ansi.enabled to false to get NULL instead");
            }
            None => out.push(None),
        }
    }
    Ok(Arc::new(Decimal128Array::from(out).with_precision_and_scale(p, s)?))
}

/// The sum, difference or product in 128 bits, when Spark's type for it was not cut to 38 digits:
/// then its scale is the operands' (the larger one, or their sum for a product), so nothing is
/// rounded, and its precision, at most 38, bounds the magnitude, so nothing overflows. None for
/// the other cases.
type Operand = (i32, i32);
fn exact(a: &Decimal128Array, b: &Decimal128Array, op: DecimalOp, ((pa, sa), (pb, sb)): (Operand, Operand), (p, s): (u8, i8)) -> Result<Option<ArrayRef>> {
    use datafusion::arrow::compute::kernels::arity::{binary, unary};
    let s32 = i32::from(s);
    let uncut = match op {
        DecimalOp::Mul => pa + pb < 38 && s32 == sa + sb,
        DecimalOp::Add | DecimalOp::Sub => (pa - sa).max(pb - sb) + sa.max(sb) < 38 && s32 == sa.max(sb),
        DecimalOp::Div | DecimalOp::Rem => false,
    };
    if !uncut {
        return Ok(None);
    }
    let factor = |from: i32| u32::try_from(s32 - from).ok().and_then(|e| 10i128.checked_pow(e));
    let (Some(fa), Some(fb)) = (factor(sa), factor(sb)) else { return Ok(None) };
    let f = move |x: i128, y: i128| match op {
        DecimalOp::Add => x * fa + y * fb,
        DecimalOp::Sub => x * fa - y * fb,
        _ => x * y,
    };
    let out: Decimal128Array = match (a.len(), b.len()) {
        (n, m) if n == m => binary(a, b, f)?,
        (1, _) if a.is_valid(0) => {
            let x = a.value(0);
            unary(b, |y| f(x, y))
        }
        (_, 1) if b.is_valid(0) => {
            let y = b.value(0);
            unary(a, |x| f(x, y))
        }
        // A NULL scalar operand: every row is NULL, which the general path gives.
        _ => return Ok(None),
    };
    Ok(Some(Arc::new(out.with_precision_and_scale(p, s)?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_types_follow_spark() {
        let d = |p, s| DataType::Decimal128(p, s);
        assert_eq!(result_type(&[d(20, 18), d(19, 18)], DecimalOp::Mul, true).unwrap(), d(38, 34));
        assert_eq!(result_type(&[d(20, 18), d(19, 18)], DecimalOp::Mul, false).unwrap(), d(38, 36));
        assert_eq!(result_type(&[d(3, 1), d(3, 1)], DecimalOp::Div, true).unwrap(), d(9, 6));
        assert_eq!(result_type(&[d(38, 0), d(38, 0)], DecimalOp::Mul, true).unwrap(), d(38, 0));
        assert_eq!(result_type(&[DataType::Int32, d(1, 0)], DecimalOp::Add, true).unwrap(), d(11, 0));
    }

    #[test]
    fn the_exact_path_agrees_with_the_general_one() {
        let rules = Rules { ansi: true, precision_loss: true };
        let a: ArrayRef = Arc::new(Decimal128Array::from(vec![Some(12345), None, Some(-99999), Some(1)]).with_precision_and_scale(15, 2).unwrap());
        let b: ArrayRef = Arc::new(Decimal128Array::from(vec![Some(7), Some(3), Some(-12), None]).with_precision_and_scale(3, 1).unwrap());
        for op in [DecimalOp::Add, DecimalOp::Sub, DecimalOp::Mul] {
            let fast = apply(&[Arc::clone(&a), Arc::clone(&b)], 4, op, rules).unwrap();
            let (x, y) = (a.as_primitive::<Decimal128Type>(), b.as_primitive::<Decimal128Type>());
            let DataType::Decimal128(p, s) = result_type(&[a.data_type().clone(), b.data_type().clone()], op, true).unwrap() else { panic!() };
            assert!(exact(x, y, op, ((15, 2), (3, 1)), (p, s)).unwrap().is_some());
            // The general path, forced: the same values.
            let general: Vec<Option<i128>> = (0..4)
                .map(|i| {
                    if x.is_null(i) || y.is_null(i) {
                        return None;
                    }
                    let (u, v) = (i256::from_i128(x.value(i)), i256::from_i128(y.value(i)));
                    let v10 = v.checked_mul(i256::from_i128(10)).unwrap();
                    let r = match op {
                        DecimalOp::Add => u.checked_add(v10),
                        DecimalOp::Sub => u.checked_sub(v10),
                        _ => u.checked_mul(v),
                    };
                    r.and_then(|r| r.to_i128())
                })
                .collect();
            assert_eq!(fast.as_primitive::<Decimal128Type>().iter().collect::<Vec<_>>(), general, "{op:?}");
        }
        // A product of two 38-digit numbers is cut to 38 digits: the general path.
        let big = Decimal128Array::from(vec![Some(1)]).with_precision_and_scale(38, 0).unwrap();
        assert!(exact(&big, &big, DecimalOp::Mul, ((38, 0), (38, 0)), (38, 0)).unwrap().is_none());
    }

    #[test]
    fn values_round_half_away_from_zero() {
        assert_eq!(divide_rounded(i256::from_i128(5), i256::from_i128(2)), Some(i256::from_i128(3)));
        assert_eq!(divide_rounded(i256::from_i128(-5), i256::from_i128(2)), Some(i256::from_i128(-3)));
        assert_eq!(rescale(i256::from_i128(1_2345), 4, 2), Some(i256::from_i128(123)));
    }
}
