//! The boundary between hivewire's wire protocols and its engine.
//!
//! Protocol crates (PostgreSQL, HiveServer2) depend on this crate and on Arrow only. They never see
//! DataFusion planning: they open a [`Session`] through a [`Backend`], hand it SQL text, and get back an
//! Arrow schema with a stream of record batches, or a command outcome. Errors come back as one neutral
//! [`BackendError`] whose [`ErrorKind`] each protocol maps to its wire form in one place.

pub mod error;
pub mod java_numbers;
pub mod progress;
pub mod session;

pub use error::{BackendError, ErrorKind};
pub use progress::{Progress, Stage, StageSnapshot};
pub use session::{
    Backend, BatchStream, ColumnInfo, CommandOutcome, CopyFormat, Description, ProtocolKind, QueryResult,
    Session, SessionOptions, TableInfo, TransactionEffect,
};
pub use tokio_util::sync::CancellationToken;
