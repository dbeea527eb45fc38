//! The operand types of operators where Spark's rules differ from DataFusion's, in HiveQL
//! sessions (comparisons are typed as they are planned, by the session's expression planner,
//! since DataFusion types a comparison as soon as it is planned): LIKE and ILIKE read numbers, dates and booleans as text (`id LIKE '1%'`); a BOOLEAN
//! compared with text reads the text as a BOOLEAN (`flag = 'true'`), and without ANSI rules a
//! BOOLEAN compared with a number is that number (1 or 0); and arithmetic of a FLOAT with a
//! DECIMAL, or under ANSI rules with a whole number, is done in DOUBLE.

use datafusion::arrow::datatypes::DataType;
use datafusion::common::DFSchema;
use datafusion::logical_expr::{cast, try_cast, Expr, ExprSchemable, Operator};

use super::lattice::{is_text, SparkRules};

/// A type Spark writes as text where text is expected.
fn writable(t: &DataType) -> bool {
    t.is_numeric() || matches!(t, DataType::Boolean | DataType::Date32 | DataType::Timestamp(..))
}

fn cast_in_place(e: &mut Expr, to: DataType) {
    *e = cast(std::mem::take(e), to);
}

/// The operands of a LIKE or ILIKE, cast to text where they are not; true when any changed.
pub(super) fn like_as_text(operands: [&mut Expr; 2], schema: &DFSchema) -> bool {
    let mut changed = false;
    for e in operands {
        if e.get_type(schema).is_ok_and(|t| writable(&t)) {
            cast_in_place(e, DataType::Utf8);
            changed = true;
        }
    }
    changed
}

/// A comparison of a BOOLEAN with text or (without ANSI rules) a number, the other side cast to
/// BOOLEAN or the BOOLEAN to the number; true when it cast. `types` are the sides' types, which
/// the caller (the session's expression planner) has at hand.
pub(crate) fn compare_booleans(left: &mut Expr, right: &mut Expr, types: (&DataType, &DataType), rules: SparkRules) -> bool {
    let (boolean, other, other_type) = match types {
        (DataType::Boolean, t) if *t != DataType::Boolean => (left, right, t.clone()),
        (t, DataType::Boolean) if *t != DataType::Boolean => (right, left, t.clone()),
        _ => return false,
    };
    if is_text(&other_type) {
        // Text that is no BOOLEAN is an error under ANSI rules and NULL without them.
        let text = std::mem::take(other);
        *other = if rules.ansi { cast(text, DataType::Boolean) } else { try_cast(text, DataType::Boolean) };
        return true;
    }
    if !rules.ansi && other_type.is_numeric() {
        cast_in_place(boolean, other_type);
        return true;
    }
    false
}

fn is_arithmetic(op: &Operator) -> bool {
    matches!(op, Operator::Plus | Operator::Minus | Operator::Multiply | Operator::Divide | Operator::Modulo)
}

/// Arithmetic (or `pmod`) of a FLOAT with a DECIMAL, or under ANSI rules with a whole number, in
/// DOUBLE; true when it cast.
pub(super) fn float_arithmetic(op: Option<&Operator>, left: &mut Expr, right: &mut Expr, schema: &DFSchema, rules: SparkRules) -> bool {
    if op.is_some_and(|op| !is_arithmetic(op)) {
        return false;
    }
    let (Ok(l), Ok(r)) = (left.get_type(schema), right.get_type(schema)) else { return false };
    let widens = |float: &DataType, other: &DataType| {
        matches!(float, DataType::Float32 | DataType::Float64)
            && (matches!(other, DataType::Decimal128(..)) || rules.ansi && *float == DataType::Float32 && other.is_integer())
    };
    if !(widens(&l, &r) || widens(&r, &l)) {
        return false;
    }
    for (e, t) in [(left, l), (right, r)] {
        if t != DataType::Float64 {
            cast_in_place(e, DataType::Float64);
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::datatypes::{Field, Schema};
    use datafusion::logical_expr::{col, lit};

    fn schema() -> DFSchema {
        DFSchema::try_from(Schema::new(vec![
            Field::new("b", DataType::Boolean, true),
            Field::new("f", DataType::Float32, true),
            Field::new("i", DataType::Int32, true),
            Field::new("m", DataType::Decimal128(5, 2), true),
        ]))
        .unwrap()
    }

    const ANSI: SparkRules = SparkRules { ansi: true, text: true };
    const LEGACY: SparkRules = SparkRules { ansi: false, text: true };

    #[test]
    fn like_reads_numbers_as_text() {
        let s = schema();
        let (mut x, mut p) = (col("i"), lit("1%"));
        assert!(like_as_text([&mut x, &mut p], &s));
        assert_eq!(x.get_type(&s).unwrap(), DataType::Utf8);
        assert!(matches!(p, Expr::Literal(..)));
    }

    #[test]
    fn booleans_compare_with_text_and_numbers() {
        let s = schema();
        let text = (&DataType::Boolean, &DataType::Utf8);
        let (mut l, mut r) = (col("b"), lit("true"));
        assert!(compare_booleans(&mut l, &mut r, text, ANSI));
        assert!(matches!(r, Expr::Cast(_)));
        let (mut l, mut r) = (col("b"), lit("true"));
        assert!(compare_booleans(&mut l, &mut r, text, LEGACY));
        assert!(matches!(r, Expr::TryCast(_)));
        let number = (&DataType::Int32, &DataType::Boolean);
        let (mut l, mut r) = (col("i"), col("b"));
        assert!(!compare_booleans(&mut l, &mut r, number, ANSI));
        assert!(compare_booleans(&mut l, &mut r, number, LEGACY));
        assert_eq!(r.get_type(&s).unwrap(), DataType::Int32);
    }

    #[test]
    fn floats_beside_decimals_and_whole_numbers_are_doubles() {
        let s = schema();
        let (mut l, mut r) = (col("f"), col("m"));
        assert!(float_arithmetic(Some(&Operator::Plus), &mut l, &mut r, &s, LEGACY));
        assert_eq!(l.get_type(&s).unwrap(), DataType::Float64);
        let (mut l, mut r) = (col("f"), col("i"));
        assert!(!float_arithmetic(Some(&Operator::Plus), &mut l, &mut r, &s, LEGACY));
        assert!(float_arithmetic(Some(&Operator::Multiply), &mut l, &mut r, &s, ANSI));
        assert!(!float_arithmetic(Some(&Operator::Eq), &mut l, &mut r, &s, ANSI));
    }
}
