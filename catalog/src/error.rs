//! Errors from the catalog: what is missing, what exists already, what is invalid, what failed.

/// An error from a catalog operation.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// The named object does not exist.
    #[error("{what} not found: {name}")]
    NotFound {
        /// "database" or "table".
        what: &'static str,
        /// Its name.
        name: String,
    },
    /// An object with that name exists already.
    #[error("{what} {name} already exists")]
    AlreadyExists {
        /// "database" or "table".
        what: &'static str,
        /// Its name.
        name: String,
    },
    /// The database still holds tables and the drop was not CASCADE.
    #[error("database {0} is not empty; use DROP DATABASE {0} CASCADE")]
    NotEmpty(String),
    /// The request is invalid (a bad type name, a bad option).
    #[error("{0}")]
    Invalid(String),
    /// The store itself failed.
    #[error("catalog storage error: {0}")]
    Storage(String),
}

impl From<rusqlite::Error> for CatalogError {
    fn from(e: rusqlite::Error) -> Self {
        CatalogError::Storage(e.to_string())
    }
}

impl From<serde_json::Error> for CatalogError {
    fn from(e: serde_json::Error) -> Self {
        CatalogError::Storage(format!("corrupt catalog entry: {e}"))
    }
}

/// Result of a catalog operation.
pub type Result<T> = std::result::Result<T, CatalogError>;
