//! DISTINCT where Spark refuses it: in a window (`count(DISTINCT x) OVER (...)`, which Spark does
//! not support) and in `mode`, whose answer DISTINCT would make meaningless. DataFusion would
//! answer both, so they are refused before planning, with Spark's error class.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{DuplicateTreatment, Expr, FunctionArguments, Statement, Visit, Visitor};
use hivewire_backend::{BackendError, ErrorKind};

/// Fails on the first call that takes DISTINCT where Spark refuses it.
pub fn check(stmt: &Statement) -> Result<(), BackendError> {
    struct Distincts;
    impl Visitor for Distincts {
        type Break = BackendError;
        fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<BackendError> {
            let Expr::Function(f) = e else { return ControlFlow::Continue(()) };
            let distinct = matches!(&f.args, FunctionArguments::List(l) if l.duplicate_treatment == Some(DuplicateTreatment::Distinct));
            if !distinct {
                return ControlFlow::Continue(());
            }
            if f.over.is_some() {
                return ControlFlow::Break(BackendError::new(
                    ErrorKind::NotSupported,
                    format!("[DISTINCT_WINDOW_FUNCTION_UNSUPPORTED] Distinct window functions are not supported: {e}"),
                ));
            }
            if f.name.to_string().eq_ignore_ascii_case("mode") {
                return ControlFlow::Break(BackendError::new(ErrorKind::DatatypeMismatch, format!("[INVALID_DISTINCT] mode does not take DISTINCT: {e}")));
            }
            ControlFlow::Continue(())
        }
    }
    match stmt.visit(&mut Distincts) {
        ControlFlow::Break(e) => Err(e),
        ControlFlow::Continue(()) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hiveql::{parse_one, Flavor};

    fn checked(sql: &str) -> Result<(), BackendError> {
        check(&parse_one(sql, Flavor::Hive).expect("parses"))
    }

    #[test]
    fn distinct_is_refused_in_windows_and_mode_only() {
        assert!(checked("SELECT count(DISTINCT x) OVER (PARTITION BY k) FROM t").unwrap_err().message.contains("DISTINCT_WINDOW"));
        assert!(checked("SELECT mode(DISTINCT x) FROM t").is_err());
        assert!(checked("SELECT count(DISTINCT x), sum(x) OVER () FROM t").is_ok());
    }
}
