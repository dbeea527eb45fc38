//! DataFusion and catalog errors, translated into the one neutral [`BackendError`].
//!
//! Internal errors are logged in full here and shown to the client briefly.

use datafusion::arrow::error::ArrowError;
use datafusion::common::SchemaError;
use datafusion::error::DataFusionError;
use hivewire_backend::{BackendError, ErrorKind};
use hivewire_catalog::CatalogError;

use crate::hiveql::parse::char_offset;

/// Translates a catalog error.
pub fn from_catalog(e: CatalogError) -> BackendError {
    let kind = match &e {
        CatalogError::NotFound { what: "database", .. } => ErrorKind::UndefinedSchema,
        CatalogError::NotFound { .. } => ErrorKind::UndefinedTable,
        CatalogError::AlreadyExists { .. } => ErrorKind::DuplicateObject,
        CatalogError::NotEmpty(_) => ErrorKind::InvalidObjectState,
        CatalogError::Invalid(_) => ErrorKind::InvalidParameter,
        CatalogError::Storage(_) => {
            tracing::error!(error = %e, "catalog storage failure");
            ErrorKind::Io
        }
    };
    let mut err = BackendError::new(kind, e.to_string());
    if let CatalogError::AlreadyExists { what: "database", .. } = e {
        err = err.with_sqlstate("42P06");
    }
    err
}

/// Translates a DataFusion error; `sql` lets a diagnostic's span become a character position.
pub fn from_datafusion(e: &DataFusionError, sql: Option<&str>) -> BackendError {
    let position = e
        .diagnostic()
        .and_then(|d| d.span)
        .zip(sql)
        .and_then(|(span, sql)| char_offset(sql, span.start.line as usize, span.start.column as usize));
    classify(e).with_position(position)
}

fn classify(e: &DataFusionError) -> BackendError {
    match e {
        DataFusionError::Context(_, inner) | DataFusionError::Diagnostic(_, inner) => classify(inner),
        DataFusionError::Shared(inner) => classify(inner),
        DataFusionError::Collection(errs) if !errs.is_empty() => classify(&errs[0]),
        DataFusionError::SQL(p, _) => BackendError::new(ErrorKind::Syntax, format!("syntax error: {p}")),
        DataFusionError::NotImplemented(m) => BackendError::new(ErrorKind::NotSupported, format!("{m} is not supported")),
        DataFusionError::SchemaError(s, _) => match s.as_ref() {
            SchemaError::FieldNotFound { field, .. } => {
                BackendError::new(ErrorKind::UndefinedColumn, format!("column \"{}\" does not exist", field.name()))
            }
            other => BackendError::new(ErrorKind::InvalidParameter, other.to_string()),
        },
        DataFusionError::ArrowError(a, _) => from_arrow(a),
        DataFusionError::ResourcesExhausted(m) => BackendError::new(
            ErrorKind::ResourceExhausted,
            format!("resources exhausted (the query needs more than engine.memory_limit or the spill space allows): {m}"),
        ),
        DataFusionError::External(inner) => match inner.downcast_ref::<CatalogError>() {
            Some(c) => from_catalog(CatalogError::Invalid(c.to_string())).with_sqlstate(sqlstate_of(c)),
            None => match inner.downcast_ref::<BackendError>() {
                Some(b) => b.clone(),
                None => internal(e),
            },
        },
        DataFusionError::ObjectStore(o) => BackendError::new(ErrorKind::Io, format!("storage error: {o}")),
        DataFusionError::IoError(io) => BackendError::new(ErrorKind::Io, format!("I/O error: {io}")),
        DataFusionError::ParquetError(p) => BackendError::new(ErrorKind::Io, format!("Parquet error: {p}")),
        DataFusionError::Plan(m) => from_plan_message(m),
        DataFusionError::Execution(m) => from_execution_message(m),
        DataFusionError::ExecutionJoin(_) | DataFusionError::Internal(_) | DataFusionError::Substrait(_) => internal(e),
        DataFusionError::Configuration(m) => BackendError::new(ErrorKind::InvalidParameter, m.clone()),
        _ => internal(e),
    }
}

fn sqlstate_of(c: &CatalogError) -> &'static str {
    match c {
        CatalogError::NotFound { what: "database", .. } => "3F000",
        CatalogError::NotFound { .. } => "42P01",
        _ => from_catalog(CatalogError::Invalid(String::new())).sqlstate(),
    }
}

fn from_arrow(a: &ArrowError) -> BackendError {
    match a {
        ArrowError::DivideByZero => BackendError::new(ErrorKind::DivisionByZero, "division by zero"),
        ArrowError::CastError(m) | ArrowError::ParseError(m) => {
            BackendError::new(ErrorKind::DataException, m.clone()).with_sqlstate("22P02")
        }
        ArrowError::ArithmeticOverflow(m) => BackendError::new(ErrorKind::DataException, m.clone()).with_sqlstate("22003"),
        ArrowError::ComputeError(m) | ArrowError::InvalidArgumentError(m) => {
            BackendError::new(ErrorKind::DataException, m.clone())
        }
        ArrowError::ExternalError(inner) => match inner.downcast_ref::<DataFusionError>() {
            Some(d) => classify(d),
            None => BackendError::new(ErrorKind::DataException, a.to_string()),
        },
        other => BackendError::new(ErrorKind::DataException, other.to_string()),
    }
}

fn from_plan_message(m: &str) -> BackendError {
    let lower = m.to_lowercase();
    if lower.contains("table '") && lower.contains("not found") || lower.contains("table not found") {
        BackendError::new(ErrorKind::UndefinedTable, undecorate(m))
    } else if lower.contains("invalid function") || lower.contains("unknown function") {
        BackendError::new(ErrorKind::UndefinedFunction, undecorate(m))
    } else if lower.contains("no field named") {
        BackendError::new(ErrorKind::UndefinedColumn, undecorate(m))
    } else if lower.contains("divide by zero") || lower.contains("division by zero") {
        BackendError::new(ErrorKind::DivisionByZero, "division by zero")
    } else if lower.contains("cannot be cast") || lower.contains("cannot cast") || lower.contains("coerc") || lower.contains("type") && lower.contains("mismatch") {
        BackendError::new(ErrorKind::DatatypeMismatch, undecorate(m))
    } else if lower.contains("unsupported") || lower.contains("not supported") {
        BackendError::new(ErrorKind::NotSupported, undecorate(m))
    } else {
        BackendError::new(ErrorKind::InvalidParameter, undecorate(m))
    }
}

fn from_execution_message(m: &str) -> BackendError {
    let lower = m.to_lowercase();
    if lower.contains("divide by zero") || lower.contains("division by zero") {
        BackendError::new(ErrorKind::DivisionByZero, "division by zero")
    } else if lower.contains("overflow") {
        BackendError::new(ErrorKind::DataException, undecorate(m)).with_sqlstate("22003")
    } else if lower.contains("cast") || lower.contains("invalid") || lower.contains("parse") {
        BackendError::new(ErrorKind::DataException, undecorate(m))
    } else {
        BackendError::new(ErrorKind::Io, undecorate(m))
    }
}

/// Strips DataFusion's backtrace and internal prefixes from a message.
fn undecorate(m: &str) -> String {
    m.split("\n\nbacktrace").next().unwrap_or(m).trim().to_string()
}

fn internal(e: &DataFusionError) -> BackendError {
    tracing::error!(error = %e, "internal error");
    let brief = e.to_string();
    let brief = brief.lines().next().unwrap_or("internal error");
    BackendError::new(ErrorKind::Internal, format!("internal error: {brief}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_common_errors() {
        let e = DataFusionError::Plan("table 'hivewire.default.nope' not found".into());
        assert_eq!(from_datafusion(&e, None).sqlstate(), "42P01");
        let e = DataFusionError::ArrowError(Box::new(ArrowError::DivideByZero), None);
        assert_eq!(from_datafusion(&e, None).sqlstate(), "22012");
        let e = DataFusionError::NotImplemented("LATERAL".into());
        assert_eq!(from_datafusion(&e, None).sqlstate(), "0A000");
    }
}
