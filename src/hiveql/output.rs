//! Small result sets that the front end builds itself (SHOW, DESCRIBE, SET).

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, BooleanArray, RecordBatch, StringArray};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use futures::stream;
use hivewire_backend::{BackendError, ErrorKind, QueryResult};

/// A schema of nullable string columns with these names.
pub fn string_schema(names: &[&str]) -> SchemaRef {
    Arc::new(Schema::new(names.iter().map(|n| Field::new(*n, DataType::Utf8, true)).collect::<Vec<_>>()))
}

/// A result of string columns, one `Vec` per row.
pub fn string_rows(schema: SchemaRef, rows: Vec<Vec<Option<String>>>, tag: &str) -> Result<QueryResult, BackendError> {
    let columns: Vec<ArrayRef> = (0..schema.fields().len())
        .map(|i| {
            let col: Vec<Option<&str>> = rows.iter().map(|r| r.get(i).and_then(|v| v.as_deref())).collect();
            Arc::new(StringArray::from(col)) as ArrayRef
        })
        .collect();
    batch_result(schema, columns, tag)
}

/// A result from ready-made columns.
pub fn batch_result(schema: SchemaRef, columns: Vec<ArrayRef>, tag: &str) -> Result<QueryResult, BackendError> {
    let batch = RecordBatch::try_new(schema.clone(), columns)
        .map_err(|e| BackendError::new(ErrorKind::Internal, format!("building result: {e}")))?;
    Ok(QueryResult::Rows { schema, stream: Box::pin(stream::iter(vec![Ok(batch)])), tag: tag.to_string() })
}

/// A boolean column.
pub fn bools(values: Vec<bool>) -> ArrayRef {
    Arc::new(BooleanArray::from(values))
}

/// A string column.
pub fn strings(values: Vec<String>) -> ArrayRef {
    Arc::new(StringArray::from(values))
}
