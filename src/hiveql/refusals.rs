//! Calls Spark refuses and DataFusion would answer, refused before planning with Spark's error
//! class: DISTINCT in a window (`count(DISTINCT x) OVER (...)`) or in `mode`, and
//! `percentile_cont`/`percentile_disc` over a window with its own ORDER BY or frame, where Spark
//! takes the whole partition only; `schema_of_json`/`schema_of_csv` of a column, where Spark
//! takes a constant only.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{DuplicateTreatment, Expr, FunctionArguments, Statement, Visit, Visitor, WindowType};
use hivewire_backend::{BackendError, ErrorKind};

/// Fails on the first call Spark refuses. Named windows must be resolved first.
pub fn check(stmt: &Statement) -> Result<(), BackendError> {
    struct Refusals;
    impl Visitor for Refusals {
        type Break = BackendError;
        fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<BackendError> {
            let Expr::Function(f) = e else { return ControlFlow::Continue(()) };
            let ordered_window = matches!(&f.over, Some(WindowType::WindowSpec(w)) if !w.order_by.is_empty() || w.window_frame.is_some());
            let percentile = matches!(f.name.to_string().to_lowercase().as_str(), "percentile_cont" | "percentile_disc");
            if percentile && ordered_window {
                return ControlFlow::Break(BackendError::new(
                    ErrorKind::NotSupported,
                    format!("[INVALID_WINDOW_SPEC_FOR_AGGREGATION_FUNC] Cannot specify ORDER BY or a window frame for {}", f.name),
                ));
            }
            let schema_of = matches!(f.name.to_string().to_lowercase().as_str(), "schema_of_json" | "schema_of_csv");
            if schema_of && matches!(&f.args, FunctionArguments::List(l) if l.args.first().is_some_and(reads_columns)) {
                return ControlFlow::Break(BackendError::new(
                    ErrorKind::DatatypeMismatch,
                    format!("[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] {} takes a constant text, not a column: {e}", f.name),
                ));
            }
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
    match stmt.visit(&mut Refusals) {
        ControlFlow::Break(e) => Err(e),
        ControlFlow::Continue(()) => Ok(()),
    }
}

/// Whether an argument reads a column (holds an identifier).
fn reads_columns(argument: &datafusion::sql::sqlparser::ast::FunctionArg) -> bool {
    struct Columns;
    impl Visitor for Columns {
        type Break = ();
        fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
            if matches!(e, Expr::Identifier(_) | Expr::CompoundIdentifier(_)) { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        }
    }
    argument.visit(&mut Columns).is_break()
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

    #[test]
    fn schemas_are_inferred_from_constants_only() {
        assert!(checked("SELECT schema_of_csv(line) FROM t").unwrap_err().message.contains("NON_FOLDABLE_INPUT"));
        assert!(checked("SELECT schema_of_json('{\"a\": 1}'), schema_of_csv('1,a', map('sep', ','))").is_ok());
    }

    #[test]
    fn ordered_set_aggregates_take_whole_partitions() {
        assert!(checked("SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY x) OVER (PARTITION BY k ORDER BY x) FROM t").is_err());
        assert!(checked("SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY x) OVER (PARTITION BY k) FROM t").is_ok());
    }
}
