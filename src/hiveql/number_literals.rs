//! Number literals past BIGINT. In Spark a whole number too large for a BIGINT is a DECIMAL with
//! as many digits (`9223372036854775808` is DECIMAL(19,0)), and a number of more than 38 digits
//! is refused. DataFusion reads whole numbers up to 2^64 as an unsigned BIGINT, which no client
//! column type holds, and reads longer numbers as it can; so before planning such literals
//! become casts to their DECIMAL, and the overlong ones fail. This runs after
//! [`super::spark_names`], so the column keeps the number as its name.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{CastKind, DataType, ExactNumberInfo, Expr, Statement, UnaryOperator, Value, VisitMut, VisitorMut};
use hivewire_backend::{BackendError, ErrorKind};

/// The most digits a Spark DECIMAL holds.
const MAX_DIGITS: usize = 38;

/// Makes whole-number literals past BIGINT decimals, and fails on numbers past 38 digits.
pub fn rewrite(stmt: &mut Statement) -> Result<(), BackendError> {
    match stmt.visit(&mut Literals) {
        ControlFlow::Break(e) => Err(e),
        ControlFlow::Continue(()) => Ok(()),
    }
}

struct Literals;

impl VisitorMut for Literals {
    type Break = BackendError;

    // `-9223372036854775808` is BIGINT's least value, one number rather than a negated decimal.
    fn pre_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<BackendError> {
        if let Expr::UnaryOp { op: UnaryOperator::Minus, expr } = e {
            if let Expr::Value(v) = expr.as_ref() {
                if let Value::Number(n, long) = &v.value {
                    let negative = format!("-{n}");
                    if whole(n) && n.parse::<i64>().is_err() && negative.parse::<i64>().is_ok() {
                        *e = Expr::value(Value::Number(negative, *long));
                    }
                }
            }
        }
        ControlFlow::Continue(())
    }

    fn post_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<BackendError> {
        let Expr::Value(v) = e else { return ControlFlow::Continue(()) };
        let Value::Number(n, _) = &v.value else { return ControlFlow::Continue(()) };
        if n.contains(['e', 'E']) || n.starts_with('-') {
            return ControlFlow::Continue(());
        }
        let (whole_part, fraction) = n.split_once('.').unwrap_or((n, ""));
        let digits = whole_part.trim_start_matches('0').len() + fraction.len();
        if digits.max(fraction.len()) > MAX_DIGITS {
            return ControlFlow::Break(
                BackendError::new(
                    ErrorKind::DataException,
                    format!("[NUMERIC_OUT_OF_SUPPORTED_RANGE] The value {n} cannot be interpreted as a numeric since it has more than {MAX_DIGITS} digits."),
                )
                .with_sqlstate("22003"),
            );
        }
        if fraction.is_empty() && n.parse::<i64>().is_err() {
            let data_type = DataType::Decimal(ExactNumberInfo::PrecisionAndScale(digits as u64, 0));
            let literal = std::mem::replace(e, Expr::value(Value::Null));
            *e = Expr::Cast { kind: CastKind::Cast, expr: Box::new(literal), data_type, array: false, format: None };
        }
        ControlFlow::Continue(())
    }
}

/// Whether a number is written as digits only.
fn whole(n: &str) -> bool {
    !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(sql: &str) -> Result<String, BackendError> {
        let mut stmt = crate::hiveql::parse_one(sql, crate::hiveql::Flavor::Hive).expect("parses");
        rewrite(&mut stmt)?;
        Ok(stmt.to_string())
    }

    #[test]
    fn whole_numbers_past_bigint_are_decimals() {
        assert_eq!(rewritten("SELECT 9223372036854775808, 1").expect("rewrites"), "SELECT CAST(9223372036854775808 AS DECIMAL(19,0)), 1");
        assert_eq!(rewritten("SELECT -9223372036854775808").expect("rewrites"), "SELECT -9223372036854775808");
        assert_eq!(
            rewritten("SELECT -9223372036854775809").expect("rewrites"),
            "SELECT -CAST(9223372036854775809 AS DECIMAL(19,0))"
        );
        assert_eq!(rewritten("SELECT 1.5, 1e40").expect("rewrites"), "SELECT 1.5, 1e40");
    }

    #[test]
    fn numbers_past_38_digits_are_refused() {
        let e = rewritten("SELECT 1234567890123456789012345678901234567890").expect_err("refused");
        assert!(e.message.contains("NUMERIC_OUT_OF_SUPPORTED_RANGE"), "{}", e.message);
        assert!(rewritten("SELECT 1234567890123456789012345678901234567890.0").is_err());
        assert!(rewritten("SELECT 12345678901234567890123456789012345678").is_ok());
    }
}
