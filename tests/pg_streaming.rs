//! A 10-million-row SELECT streams to a tokio-postgres client with bounded memory: the server never
//! holds the whole result. Client and server share this process, so the peak resident size of the
//! process bounds the server's.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step fails the test

mod common;

use common::TestServer;
use futures::{pin_mut, StreamExt};

const ROWS: i64 = 10_000_000;
/// Materialised, the result would take well over 600 MB (10M rows of two BIGINTs and a ~55-byte
/// string); streamed, the process should grow by far less than this.
const PEAK_GROWTH_LIMIT: u64 = 256 << 20;

fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("field in /proc/self/status")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_million_rows_stream_with_bounded_memory() {
    let server = TestServer::start().await;
    let client = server.connect().await;
    // Warm up: plan once, so one-time allocations do not count as result memory.
    client.query_one("SELECT count(*) FROM generate_series(1, 10)", &[]).await.unwrap();
    // Reset the peak resident size to the current one (Linux), then measure from here.
    std::fs::write("/proc/self/clear_refs", "5").expect("reset VmHWM");
    let baseline = status_kib("VmRSS:") * 1024;

    let sql = format!(
        "SELECT value AS id, value * 2 AS twice, concat('row-', CAST(value AS STRING), '-', repeat('x', 40)) AS label \
         FROM generate_series(1, {ROWS})"
    );
    let stream = client.query_raw(sql.as_str(), Vec::<i64>::new()).await.unwrap();
    pin_mut!(stream);
    let (mut count, mut sum) = (0i64, 0i64);
    while let Some(row) = stream.next().await {
        let row = row.unwrap();
        let id: i64 = row.get(0);
        let twice: i64 = row.get(1);
        assert_eq!(twice, id * 2);
        // Rows may arrive in any order; each one is whole.
        let label: &str = row.get(2);
        assert!(label.starts_with(&format!("row-{id}-x")) && label.len() == format!("row-{id}-").len() + 40, "{label}");
        count += 1;
        sum += id;
    }
    assert_eq!(count, ROWS);
    assert_eq!(sum, ROWS * (ROWS + 1) / 2);

    let peak = status_kib("VmHWM:") * 1024;
    let growth = peak.saturating_sub(baseline);
    eprintln!("10M rows streamed; peak RSS grew by {} MiB over a {} MiB baseline", growth >> 20, baseline >> 20);
    assert!(growth < PEAK_GROWTH_LIMIT, "peak RSS grew by {} MiB while streaming", growth >> 20);
    server.stop().await;
}
