//! One error type for everything a session can report, with its SQLSTATE.
//!
//! Both PostgreSQL's ErrorResponse and HiveServer2's TStatus carry a SQLSTATE, so the mapping from
//! [`ErrorKind`] to SQLSTATE lives here, once, and each protocol only decides how to frame it.

/// What went wrong, independent of any wire protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The statement text does not parse.
    Syntax,
    /// A table or view named in the statement does not exist.
    UndefinedTable,
    /// A column named in the statement does not exist.
    UndefinedColumn,
    /// A function named in the statement does not exist.
    UndefinedFunction,
    /// A database (schema, in PostgreSQL terms) does not exist.
    UndefinedSchema,
    /// The database named when connecting does not exist.
    UndefinedCatalog,
    /// A named object other than a table, column, function or database does not exist (a
    /// partition, a LOAD DATA input path).
    UndefinedObject,
    /// An object to be created exists already.
    DuplicateObject,
    /// The statement is understood but hivewire does not do it.
    NotSupported,
    /// The statement was cancelled by the client or by a timeout.
    Canceled,
    /// A value could not be converted or computed (bad cast, division by zero, overflow...).
    DataException,
    /// Division by zero.
    DivisionByZero,
    /// Types do not fit together (wrong argument types, bad comparison...).
    DatatypeMismatch,
    /// A statement or setting is invalid for another reason that is the user's to fix.
    InvalidParameter,
    /// A statement is semantically invalid (e.g. dropping a non-empty database without CASCADE).
    InvalidObjectState,
    /// The client broke the protocol.
    Protocol,
    /// Authentication failed.
    Authentication,
    /// A query needed more memory than `engine.memory_limit` allows, or more spill space.
    ResourceExhausted,
    /// Reading or writing table data or the catalog failed.
    Io,
    /// Anything else: a bug or an unexpected condition. Logged in full, shown briefly.
    Internal,
}

impl ErrorKind {
    /// The SQLSTATE code for this kind of error.
    pub fn sqlstate(self) -> &'static str {
        match self {
            ErrorKind::Syntax => "42601",
            ErrorKind::UndefinedTable => "42P01",
            ErrorKind::UndefinedColumn => "42703",
            ErrorKind::UndefinedFunction => "42883",
            ErrorKind::UndefinedSchema => "3F000",
            ErrorKind::UndefinedCatalog => "3D000",
            ErrorKind::UndefinedObject => "42704",
            ErrorKind::DuplicateObject => "42P07",
            ErrorKind::NotSupported => "0A000",
            ErrorKind::Canceled => "57014",
            ErrorKind::DataException => "22000",
            ErrorKind::DivisionByZero => "22012",
            ErrorKind::DatatypeMismatch => "42804",
            ErrorKind::InvalidParameter => "22023",
            ErrorKind::InvalidObjectState => "55000",
            ErrorKind::Protocol => "08P01",
            ErrorKind::Authentication => "28P01",
            ErrorKind::ResourceExhausted => "53200",
            ErrorKind::Io => "58030",
            ErrorKind::Internal => "XX000",
        }
    }
}

/// An error reported to a client: a kind, a message, and where in the statement it happened.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{message}")]
pub struct BackendError {
    /// What kind of error this is; decides the SQLSTATE.
    pub kind: ErrorKind,
    /// A message for the person at the client.
    pub message: String,
    /// 1-based character position in the statement text, where known.
    pub position: Option<usize>,
    /// A more specific SQLSTATE than the kind's own (e.g. 22003 for a numeric overflow).
    pub sqlstate_override: Option<&'static str>,
}

impl BackendError {
    /// An error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        BackendError { kind, message: message.into(), position: None, sqlstate_override: None }
    }

    /// Attaches a 1-based character position in the statement text.
    pub fn with_position(mut self, position: Option<usize>) -> Self {
        self.position = position;
        self
    }

    /// Uses a more specific SQLSTATE than the kind's default.
    pub fn with_sqlstate(mut self, sqlstate: &'static str) -> Self {
        self.sqlstate_override = Some(sqlstate);
        self
    }

    /// A "not supported" error that names what is not supported.
    pub fn not_supported(what: impl std::fmt::Display) -> Self {
        BackendError::new(ErrorKind::NotSupported, format!("{what} is not supported"))
    }

    /// The error for a cancelled statement.
    pub fn canceled() -> Self {
        BackendError::new(ErrorKind::Canceled, "canceling statement due to user request")
    }

    /// The SQLSTATE to send.
    pub fn sqlstate(&self) -> &'static str {
        self.sqlstate_override.unwrap_or_else(|| self.kind.sqlstate())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn override_wins_over_kind() {
        let e = BackendError::new(ErrorKind::DataException, "overflow").with_sqlstate("22003");
        assert_eq!(e.sqlstate(), "22003");
        assert_eq!(BackendError::canceled().sqlstate(), "57014");
    }
}
