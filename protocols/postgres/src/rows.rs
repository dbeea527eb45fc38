//! Result batches as DataRow messages and COPY data, encoded as the batches arrive.

use std::sync::Arc;

use arrow::array::{Array as _, RecordBatch};
use bytes::{BufMut, BytesMut};
use futures::{stream, Stream, StreamExt};
use hivewire_backend::{BackendError, BatchStream, CopyFormat};
use pgwire::api::results::FieldFormat;
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::messages::copy::CopyData;
use pgwire::messages::data::DataRow;

use crate::encode::{write_field, write_text};
use crate::error::pg_error;

fn encode_error(e: String) -> PgWireError {
    pg_error(&BackendError::new(hivewire_backend::ErrorKind::DataException, e))
}

/// Encodes one batch into DataRows.
pub fn batch_rows(batch: &RecordBatch, formats: &[FieldFormat]) -> PgWireResult<Vec<DataRow>> {
    let cols = batch.columns();
    let mut rows = Vec::with_capacity(batch.num_rows());
    let mut buf = BytesMut::with_capacity(64 * cols.len());
    for r in 0..batch.num_rows() {
        for (i, c) in cols.iter().enumerate() {
            write_field(c, r, crate::types::is_binary(formats, i), &mut buf).map_err(encode_error)?;
        }
        rows.push(DataRow::new(buf.split(), cols.len() as i16));
    }
    Ok(rows)
}

/// The DataRow stream of a result: batches are encoded one at a time as they are computed.
pub fn data_rows(batches: BatchStream, formats: Arc<Vec<FieldFormat>>) -> impl Stream<Item = PgWireResult<DataRow>> + Send {
    batches.flat_map(move |b| {
        let rows: Vec<PgWireResult<DataRow>> = match b {
            Ok(batch) => match batch_rows(&batch, &formats) {
                Ok(rows) => rows.into_iter().map(Ok).collect(),
                Err(e) => vec![Err(e)],
            },
            Err(e) => vec![Err(pg_error(&e))],
        };
        stream::iter(rows)
    })
}

fn text_copy_value(s: &str, delimiter: char, out: &mut String) {
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' if delimiter == '\t' => out.push_str("\\t"),
            c if c == delimiter => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
}

fn csv_copy_value(s: &str, delimiter: char, quote: char, escape: char, null: &str, out: &mut String) {
    let needs = s.is_empty() && null.is_empty()
        || s == null
        || s.chars().any(|c| c == delimiter || c == quote || c == '\n' || c == '\r')
        || s.starts_with(' ')
        || s.ends_with(' ');
    if !needs {
        out.push_str(s);
        return;
    }
    out.push(quote);
    for c in s.chars() {
        if c == quote || c == escape {
            out.push(escape);
        }
        out.push(c);
    }
    out.push(quote);
}

/// One COPY data message per row, in the given format.
fn copy_batch(batch: &RecordBatch, format: &CopyFormat) -> PgWireResult<Vec<CopyData>> {
    let cols = batch.columns();
    let mut out = Vec::with_capacity(batch.num_rows());
    for r in 0..batch.num_rows() {
        match format {
            CopyFormat::Binary => {
                let mut buf = BytesMut::new();
                buf.put_i16(cols.len() as i16);
                for c in cols {
                    write_field(c, r, true, &mut buf).map_err(encode_error)?;
                }
                out.push(CopyData::new(buf.freeze()));
            }
            CopyFormat::Text { delimiter, null } | CopyFormat::Csv { delimiter, null, .. } => {
                let mut line = String::new();
                for (i, c) in cols.iter().enumerate() {
                    if i > 0 {
                        line.push(*delimiter);
                    }
                    if c.is_null(r) {
                        line.push_str(null);
                        continue;
                    }
                    let mut v = String::new();
                    write_text(c, r, &mut v).map_err(encode_error)?;
                    match format {
                        CopyFormat::Csv { quote, escape, .. } => csv_copy_value(&v, *delimiter, *quote, *escape, null, &mut line),
                        _ => text_copy_value(&v, *delimiter, &mut line),
                    }
                }
                line.push('\n');
                out.push(CopyData::new(line.into_bytes().into()));
            }
        }
    }
    Ok(out)
}

/// The COPY data stream of a result: header (binary signature or CSV header line), rows, trailer.
pub fn copy_stream(
    schema: arrow::datatypes::SchemaRef,
    batches: BatchStream,
    format: CopyFormat,
) -> impl Stream<Item = PgWireResult<CopyData>> + Send {
    let header: Option<bytes::Bytes> = match &format {
        CopyFormat::Binary => {
            let mut b = BytesMut::new();
            b.put_slice(b"PGCOPY\n\xff\r\n\0");
            b.put_i32(0);
            b.put_i32(0);
            Some(b.freeze())
        }
        CopyFormat::Csv { header: true, delimiter, quote, escape, null } => {
            let mut line = String::new();
            for (i, f) in schema.fields().iter().enumerate() {
                if i > 0 {
                    line.push(*delimiter);
                }
                csv_copy_value(f.name(), *delimiter, *quote, *escape, null, &mut line);
            }
            line.push('\n');
            Some(line.into_bytes().into())
        }
        _ => None,
    };
    let trailer: Vec<PgWireResult<CopyData>> = match &format {
        CopyFormat::Binary => vec![Ok(CopyData::new(bytes::Bytes::from_static(&[0xff, 0xff])))],
        _ => vec![],
    };
    let body = batches.flat_map(move |b| {
        let items: Vec<PgWireResult<CopyData>> = match b.map_err(|e| pg_error(&e)).and_then(|batch| copy_batch(&batch, &format)) {
            Ok(v) => v.into_iter().map(Ok).collect(),
            Err(e) => vec![Err(e)],
        };
        stream::iter(items)
    });
    // Clients parse each CopyData as whole rows, so the header travels in front of the first
    // message; with no messages at all it is sent alone at the end.
    body.chain(stream::iter(trailer))
        .map(Some)
        .chain(stream::once(futures::future::ready(None)))
        .scan(header, |pending, item| {
            let out = match item {
                Some(Ok(data)) => Some(Ok(match pending.take() {
                    Some(head) => {
                        let mut joined = BytesMut::from(&head[..]);
                        joined.put_slice(&data.data);
                        CopyData::new(joined.freeze())
                    }
                    None => data,
                })),
                Some(Err(e)) => Some(Err(e)),
                None => pending.take().map(|head| Ok(CopyData::new(head))),
            };
            futures::future::ready(Some(out))
        })
        .filter_map(futures::future::ready)
}
