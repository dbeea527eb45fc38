//! hivewire: a HiveQL query server on Apache DataFusion that speaks the PostgreSQL and HiveServer2
//! wire protocols.
//!
//! Layout:
//! - [`config`]: layered configuration (defaults, TOML file, environment).
//! - [`engine`]: DataFusion sessions over the persistent catalog; implements the protocol-neutral
//!   `Backend` trait from `hivewire-backend`.
//! - [`hiveql`]: the HiveQL front end: parsing in two flavours, and the statements DataFusion's
//!   planner does not know (Hive DDL, SHOW, DESCRIBE, USE, SET).
//! - [`server`]: binds the listeners, hands each to its protocol crate, and shuts down gracefully.
//!
//! The catalog lives in the `hivewire-catalog` crate, the protocols in `protocols/`.

pub mod config;
pub mod engine;
pub mod hiveql;
pub mod server;
