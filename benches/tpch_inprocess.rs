//! DataFusion in-process, with hivewire's own `[engine]` session settings and no wire at all: the
//! benchmark's limit for what hivewire's protocols and sessions may cost.
//!
//! The harness (`benches/harness/`) starts it with a directory holding one directory of Parquet
//! files per table, then sends one JSON request per line on stdin, `{"sql": "..."}`. Each answer is
//! one JSON line on stdout: `{"ms": <elapsed>, "rows": [[text, ...], ...]}` or `{"error": "..."}`.

use std::io::{BufRead, Write};
use std::time::Instant;

use datafusion::arrow::record_batch::RecordBatch;
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::execution::session_state::SessionStateBuilder;
use datafusion::prelude::{ParquetReadOptions, SessionContext};
use datafusion_spark::SessionStateBuilderSpark;
use futures::StreamExt;
use hivewire::config::EngineConfig;

/// The allocator the server uses (src/main.rs), so that the comparison is of the wire alone.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

type Error = Box<dyn std::error::Error + Send + Sync>;

fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let dir = args.next().ok_or("usage: tpch_inprocess <parquet dir> [memory_limit]")?;
    // The same `[engine]` settings hivewire's server gets from the harness.
    let mut engine = EngineConfig::default();
    if let Some(limit) = args.next() {
        engine.memory_limit = limit;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(serve(&dir, &engine))
}

async fn serve(dir: &str, engine: &EngineConfig) -> Result<(), Error> {
    let mut runtime = RuntimeEnvBuilder::new();
    if let Some(pool) = hivewire::engine::memory_pool(engine)? {
        runtime = runtime.with_memory_pool(pool);
    }
    let state = SessionStateBuilder::new()
        .with_config(hivewire::engine::session_config(engine))
        .with_runtime_env(runtime.build_arc()?)
        .with_default_features()
        .with_spark_features()
        .build();
    let ctx = SessionContext::new_with_state(state);
    // One table per directory of Parquet files, named after it.
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            let name = path.file_name().and_then(|s| s.to_str()).ok_or("bad directory name")?.to_string();
            ctx.register_parquet(&name, format!("{}/", path.to_string_lossy()), ParquetReadOptions::default()).await?;
        }
    }
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let request: serde_json::Value = serde_json::from_str(&line?)?;
        let sql = request.get("sql").and_then(|s| s.as_str()).ok_or("a request needs \"sql\"")?;
        let answer = match run(&ctx, sql).await {
            Ok((ms, rows)) => serde_json::json!({ "ms": ms, "rows": rows }),
            Err(e) => serde_json::json!({ "error": e.to_string() }),
        };
        writeln!(out, "{answer}")?;
        out.flush()?;
    }
    Ok(())
}

/// Runs one query to its last row; the time covers planning and execution, as a client sees it.
async fn run(ctx: &SessionContext, sql: &str) -> Result<(f64, Vec<Vec<String>>), Error> {
    let start = Instant::now();
    let mut stream = ctx.sql(sql).await?.execute_stream().await?;
    let mut batches = vec![];
    while let Some(batch) = stream.next().await {
        batches.push(batch?);
    }
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    Ok((ms, text_rows(&batches)?))
}

fn text_rows(batches: &[RecordBatch]) -> Result<Vec<Vec<String>>, Error> {
    let options = FormatOptions::default().with_null("NULL");
    let mut rows = vec![];
    for batch in batches {
        let formatters =
            batch.columns().iter().map(|c| ArrayFormatter::try_new(c.as_ref(), &options)).collect::<Result<Vec<_>, _>>()?;
        for r in 0..batch.num_rows() {
            rows.push(formatters.iter().map(|f| f.value(r).to_string()).collect());
        }
    }
    Ok(rows)
}
