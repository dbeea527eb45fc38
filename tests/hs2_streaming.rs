//! A 10-million-row result fetched over HiveServer2 in pieces with bounded memory: rows are pulled
//! from the running query only as FetchResults asks for them. Client and server share this process,
//! so the process's peak resident size bounds the server's.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step fails the test

use hivewire::config::Config;
use hivewire_hiveserver2::tcli_service::*;
use thrift::protocol::{TBinaryInputProtocol, TBinaryOutputProtocol};
use thrift::transport::{TBufferedReadTransport, TBufferedWriteTransport, TIoChannel, TTcpChannel};

const ROWS: i64 = 10_000_000;
/// Materialised, the result would take over 400 MB; streamed, the process grows far less.
const PEAK_GROWTH_LIMIT: u64 = 256 << 20;

fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status.lines().find_map(|l| l.strip_prefix(field)).and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_million_rows_are_fetched_with_bounded_memory() {
    let data = tempfile::tempdir().unwrap();
    let mut config = Config::default();
    config.server.data_dir = data.path().to_path_buf();
    config.postgres.enabled = false;
    config.hiveserver2.listen = "127.0.0.1:0".into();
    config.hiveserver2.http_listen = "127.0.0.1:0".into();
    let running = hivewire::server::start(&config).await.unwrap();
    let addr = running.hiveserver2_addr.unwrap();
    tokio::task::spawn_blocking(move || {
        let mut channel = TTcpChannel::new();
        channel.open(addr.to_string()).unwrap();
        let (r, w) = channel.split().unwrap();
        let mut c = TCLIServiceSyncClient::new(
            TBinaryInputProtocol::new(TBufferedReadTransport::new(r), true),
            TBinaryOutputProtocol::new(TBufferedWriteTransport::new(w), true),
        );
        let s = c
            .open_session(TOpenSessionReq::new(TProtocolVersion::HIVE_CLI_SERVICE_PROTOCOL_V10, None, None, None))
            .unwrap()
            .session_handle
            .unwrap();
        std::fs::write("/proc/self/clear_refs", "5").unwrap();
        let baseline = status_kib("VmRSS:") * 1024;
        let sql = format!("SELECT value AS id, concat('row-', CAST(value AS STRING)) AS label FROM generate_series(1, {ROWS})");
        let op = c
            .execute_statement(TExecuteStatementReq::new(s, sql, None, true, None))
            .unwrap()
            .operation_handle
            .unwrap();
        let (mut count, mut sum) = (0i64, 0i64);
        loop {
            let f = c.fetch_results(TFetchResultsReq::new(op.clone(), TFetchOrientation::FETCH_NEXT, 50_000, None)).unwrap();
            assert_eq!(f.status.status_code, TStatusCode::SUCCESS_STATUS);
            let cols = f.results.and_then(|r| r.columns).unwrap_or_default();
            let Some(TColumn::I64Val(ids)) = cols.first() else { panic!("{cols:?}") };
            if ids.values.is_empty() {
                break;
            }
            count += ids.values.len() as i64;
            sum += ids.values.iter().sum::<i64>();
        }
        assert_eq!((count, sum), (ROWS, ROWS * (ROWS + 1) / 2));
        let growth = (status_kib("VmHWM:") * 1024).saturating_sub(baseline);
        eprintln!("10M rows fetched over HiveServer2; peak RSS grew by {} MiB", growth >> 20);
        assert!(growth < PEAK_GROWTH_LIMIT, "peak RSS grew by {} MiB", growth >> 20);
    })
    .await
    .unwrap();
    running.shutdown().await;
}
