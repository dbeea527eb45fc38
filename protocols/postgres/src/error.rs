//! [`BackendError`] as a PostgreSQL ErrorResponse: the one place this protocol frames errors.

use hivewire_backend::{BackendError, ErrorKind};
use pgwire::error::{ErrorInfo, PgWireError};

/// The ErrorResponse fields for an error.
pub fn error_info(e: &BackendError) -> ErrorInfo {
    let severity = if e.kind == ErrorKind::UndefinedCatalog || e.kind == ErrorKind::Authentication { "FATAL" } else { "ERROR" };
    let mut info = ErrorInfo::new(severity.to_string(), e.sqlstate().to_string(), e.message.clone());
    info.position = e.position.map(|p| p.to_string());
    info
}

/// The error as pgwire's error type, for returning from handlers.
pub fn pg_error(e: &BackendError) -> PgWireError {
    PgWireError::UserError(Box::new(error_info(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carries_code_and_position() {
        let e = BackendError::new(ErrorKind::Syntax, "syntax error").with_position(Some(8));
        let info = error_info(&e);
        assert_eq!(info.code, "42601");
        assert_eq!(info.position.as_deref(), Some("8"));
        assert_eq!(info.severity, "ERROR");
    }
}
