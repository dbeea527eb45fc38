//! Result batches as DataRow messages and COPY data, encoded as the batches arrive.

use std::sync::Arc;

use arrow::array::RecordBatch;
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

use arrow::array::Array as _;

/// The COPY data stream of a result: header (binary signature or CSV header line), rows, trailer.
pub fn copy_stream(
    schema: arrow::datatypes::SchemaRef,
    batches: BatchStream,
    format: CopyFormat,
) -> impl Stream<Item = PgWireResult<CopyData>> + Send {
    let format_kind = if format == CopyFormat::Binary { FormatKind::Binary } else { FormatKind::Other };
    let header: Vec<PgWireResult<CopyData>> = match &format {
        CopyFormat::Binary => {
            let mut b = BytesMut::new();
            b.put_slice(b"PGCOPY\n\xff\r\n\0");
            b.put_i32(0);
            b.put_i32(0);
            vec![Ok(CopyData::new(b.freeze()))]
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
            vec![Ok(CopyData::new(line.into_bytes().into()))]
        }
        _ => vec![],
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
    // Clients parse each CopyData as whole rows, so the binary signature travels with the first
    // message rather than alone.
    let all = stream::iter(header).chain(body).chain(stream::iter(trailer));
    let binary = matches!(format_kind, FormatKind::Binary);
    all.scan(None::<BytesMut>, move |pending, item| {
        let out = match item {
            Ok(data) if binary && pending.is_none() && data.data.starts_with(b"PGCOPY") => {
                *pending = Some(BytesMut::from(&data.data[..]));
                Some(None)
            }
            Ok(data) => match pending.take() {
                Some(mut head) if !head.is_empty() => {
                    head.put_slice(&data.data);
                    *pending = Some(BytesMut::new());
                    Some(Some(Ok(CopyData::new(head.freeze()))))
                }
                other => {
                    *pending = other;
                    Some(Some(Ok(data)))
                }
            },
            Err(e) => Some(Some(Err(e))),
        };
        futures::future::ready(out)
    })
    .filter_map(futures::future::ready)
}

enum FormatKind {
    Binary,
    Other,
}
