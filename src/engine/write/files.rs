//! Writing record batches as data files in a table's format: Parquet (compression from the table's
//! `parquet.compression` property, snappy by default), delimited text with the table's separator and
//! NULL marker, and JSON lines. Files go straight to the object store, streamed in parts.

use std::sync::Arc;

use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::parquet::arrow::AsyncArrowWriter;
use datafusion::parquet::basic::{Compression, GzipLevel, ZstdLevel};
use datafusion::parquet::file::properties::WriterProperties;
use hivewire_backend::{BackendError, ErrorKind};
use hivewire_catalog::{CsvOptions, StorageFormat, TableDef};
use object_store::buffered::BufWriter;
use object_store::path::Path;
use object_store::ObjectStore;
use tokio::io::AsyncWriteExt;

/// How one table's files are encoded.
#[derive(Debug, Clone)]
pub(crate) enum Encoding {
    Parquet(Compression),
    Text(CsvOptions),
    Json,
}

impl Encoding {
    /// The encoding a table asks for.
    pub(crate) fn of(table: &TableDef) -> Result<Self, BackendError> {
        Ok(match &table.format {
            StorageFormat::Parquet => Encoding::Parquet(parquet_compression(table)?),
            StorageFormat::Csv(o) => Encoding::Text(o.clone()),
            StorageFormat::Json => Encoding::Json,
        })
    }

    /// The file name suffix Spark uses for this encoding.
    pub(crate) fn suffix(&self) -> &'static str {
        match self {
            Encoding::Parquet(Compression::SNAPPY) => ".snappy.parquet",
            Encoding::Parquet(Compression::ZSTD(_)) => ".zstd.parquet",
            Encoding::Parquet(Compression::GZIP(_)) => ".gz.parquet",
            Encoding::Parquet(_) => ".parquet",
            Encoding::Text(o) if o.header || o.quote.is_some() => ".csv",
            Encoding::Text(_) => "",
            Encoding::Json => ".json",
        }
    }
}

/// `TBLPROPERTIES ('parquet.compression'='zstd')`; snappy when unset.
fn parquet_compression(table: &TableDef) -> Result<Compression, BackendError> {
    let name = table
        .properties
        .get("parquet.compression")
        .or_else(|| table.properties.get("compression"))
        .map(|s| s.to_lowercase())
        .unwrap_or_else(|| "snappy".into());
    Ok(match name.as_str() {
        "snappy" => Compression::SNAPPY,
        "zstd" => Compression::ZSTD(ZstdLevel::default()),
        "gzip" => Compression::GZIP(GzipLevel::default()),
        "lz4" => Compression::LZ4_RAW,
        "uncompressed" | "none" => Compression::UNCOMPRESSED,
        other => {
            return Err(BackendError::new(
                ErrorKind::InvalidParameter,
                format!("unknown parquet.compression '{other}'; use snappy, zstd, gzip, lz4 or uncompressed"),
            ))
        }
    })
}

/// One data file being written.
pub(crate) enum FileWriter {
    Parquet(Box<AsyncArrowWriter<BufWriter>>),
    Text { out: BufWriter, options: CsvOptions, header_pending: bool },
    Json { out: BufWriter },
}

fn io_error(e: impl std::fmt::Display) -> BackendError {
    BackendError::new(ErrorKind::Io, format!("writing a data file failed: {e}"))
}

impl FileWriter {
    /// Starts a file at `path` in `store`.
    pub(crate) fn create(
        store: Arc<dyn ObjectStore>,
        path: Path,
        schema: SchemaRef,
        encoding: &Encoding,
    ) -> Result<Self, BackendError> {
        Ok(match encoding {
            Encoding::Parquet(compression) => {
                let props = WriterProperties::builder().set_compression(*compression).build();
                let w = AsyncArrowWriter::try_new(BufWriter::new(store, path), schema, Some(props))
                    .map_err(io_error)?;
                FileWriter::Parquet(Box::new(w))
            }
            Encoding::Text(options) => {
                FileWriter::Text { out: BufWriter::new(store, path), options: options.clone(), header_pending: options.header }
            }
            Encoding::Json => FileWriter::Json { out: BufWriter::new(store, path) },
        })
    }

    /// Appends a batch.
    pub(crate) async fn write(&mut self, batch: &RecordBatch) -> Result<(), BackendError> {
        match self {
            FileWriter::Parquet(w) => w.write(batch).await.map_err(io_error),
            FileWriter::Text { out, options, header_pending } => {
                let bytes = encode_text(batch, options, *header_pending)?;
                *header_pending = false;
                out.write_all(&bytes).await.map_err(io_error)
            }
            FileWriter::Json { out } => {
                let mut buf = Vec::new();
                {
                    let mut w = datafusion::arrow::json::LineDelimitedWriter::new(&mut buf);
                    w.write(batch).map_err(io_error)?;
                    w.finish().map_err(io_error)?;
                }
                out.write_all(&buf).await.map_err(io_error)
            }
        }
    }

    /// Finishes the file, making it complete in the store.
    pub(crate) async fn finish(self) -> Result<(), BackendError> {
        match self {
            FileWriter::Parquet(w) => w.close().await.map(|_| ()).map_err(io_error),
            FileWriter::Text { mut out, .. } | FileWriter::Json { mut out } => out.shutdown().await.map_err(io_error),
        }
    }

    /// Abandons the file (a failed or cancelled write).
    pub(crate) async fn abort(self) {
        match self {
            FileWriter::Parquet(w) => drop(w),
            FileWriter::Text { mut out, .. } | FileWriter::Json { mut out } => {
                let _ = out.abort().await;
            }
        }
    }
}

/// Arrays, maps and structs become text with Hive's nesting separators.
fn nested_as_text(batch: &RecordBatch, options: &CsvOptions) -> Result<RecordBatch, BackendError> {
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    use hivewire_catalog::text_codec::{encode, is_nested};
    if !batch.schema().fields().iter().any(|f| is_nested(f.data_type())) {
        return Ok(batch.clone());
    }
    let seps = options.nesting_separators();
    let null = options.null_value.clone().unwrap_or_default();
    let mut fields = Vec::with_capacity(batch.num_columns());
    let mut columns = Vec::with_capacity(batch.num_columns());
    for (f, c) in batch.schema().fields().iter().zip(batch.columns()) {
        if is_nested(f.data_type()) {
            columns.push(encode(c, &seps, &null).map_err(io_error)?);
            fields.push(Field::new(f.name(), DataType::Utf8, true));
        } else {
            columns.push(c.clone());
            fields.push(f.as_ref().clone());
        }
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).map_err(io_error)
}

/// A batch as delimited text: the table's separator and NULL marker, Hive's timestamp form, and
/// quoting only where the table has a quote character.
fn encode_text(batch: &RecordBatch, options: &CsvOptions, header: bool) -> Result<Vec<u8>, BackendError> {
    use datafusion::arrow::csv::{QuoteStyle, WriterBuilder};
    let batch = &nested_as_text(batch, options)?;
    let mut builder = WriterBuilder::new()
        .with_header(header)
        .with_delimiter(options.delimiter)
        .with_null(options.null_value.clone().unwrap_or_default())
        .with_date_format("%Y-%m-%d".into())
        .with_timestamp_format("%Y-%m-%d %H:%M:%S%.f".into())
        .with_timestamp_tz_format("%Y-%m-%d %H:%M:%S%.f%:z".into());
    builder = match options.quote {
        Some(q) => builder.with_quote(q),
        None => builder.with_quote_style(QuoteStyle::Never),
    };
    if let Some(e) = options.escape {
        builder = builder.with_escape(e);
    }
    let mut buf = Vec::new();
    {
        let mut w = builder.build(&mut buf);
        w.write(batch).map_err(|e| match e {
            datafusion::arrow::error::ArrowError::CsvError(m) if m.contains("not supported") => {
                BackendError::not_supported(format!("writing this column type to a text table: {m}"))
            }
            other => io_error(other),
        })?;
    }
    Ok(buf)
}
