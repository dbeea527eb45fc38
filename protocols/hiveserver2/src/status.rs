//! TStatus values: success, and errors with their SQLSTATE and message. The SQLSTATE comes from the
//! backend's one mapping; the error message carries the position when known.

use hivewire_backend::BackendError;

use crate::tcli_service::{TStatus, TStatusCode};

/// SUCCESS.
pub fn ok() -> TStatus {
    TStatus::new(TStatusCode::SUCCESS_STATUS, None, None, None, None)
}

/// ERROR for a backend error.
pub fn error(e: &BackendError) -> TStatus {
    TStatus::new(TStatusCode::ERROR_STATUS, None, e.sqlstate().to_string(), 0, message(e))
}

/// An error's message as clients see it, with the position in the statement when known.
pub fn message(e: &BackendError) -> String {
    match e.position {
        Some(p) => format!("{} (at position {p})", e.message),
        None => e.message.clone(),
    }
}

/// ERROR with a message of our own (a request the protocol does not allow).
pub fn refused(sqlstate: &str, message: impl Into<String>) -> TStatus {
    TStatus::new(TStatusCode::ERROR_STATUS, None, sqlstate.to_string(), 0, message.into())
}

/// INVALID_HANDLE: the session or operation does not exist (any more).
pub fn invalid_handle(what: &str) -> TStatus {
    TStatus::new(TStatusCode::INVALID_HANDLE_STATUS, None, "HY000".to_string(), 0, format!("invalid {what} handle"))
}
