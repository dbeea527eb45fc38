//! A Rust HiveServer2 client, built from the same IDL, against an in-process hivewire: protocol
//! versions, asynchronous execution, query timeouts, cancel, fetching past the end, unknown handles.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step fails the test

use std::time::{Duration, Instant};

use hivewire::config::Config;
use hivewire_hiveserver2::tcli_service::*;
use thrift::protocol::{TBinaryInputProtocol, TBinaryOutputProtocol};
use thrift::transport::{ReadHalf, TBufferedReadTransport, TBufferedWriteTransport, TIoChannel, TTcpChannel, WriteHalf};

type Client = TCLIServiceSyncClient<
    TBinaryInputProtocol<TBufferedReadTransport<ReadHalf<TTcpChannel>>>,
    TBinaryOutputProtocol<TBufferedWriteTransport<WriteHalf<TTcpChannel>>>,
>;

fn client(addr: std::net::SocketAddr) -> Client {
    let mut channel = TTcpChannel::new();
    channel.open(addr.to_string()).unwrap();
    let (r, w) = channel.split().unwrap();
    TCLIServiceSyncClient::new(
        TBinaryInputProtocol::new(TBufferedReadTransport::new(r), true),
        TBinaryOutputProtocol::new(TBufferedWriteTransport::new(w), true),
    )
}

async fn server() -> (hivewire::server::RunningServer, tempfile::TempDir) {
    server_with(|_| {}).await
}

async fn server_with(adjust: impl FnOnce(&mut Config)) -> (hivewire::server::RunningServer, tempfile::TempDir) {
    let data = tempfile::tempdir().unwrap();
    let mut config = Config::default();
    adjust(&mut config);
    config.server.data_dir = data.path().to_path_buf();
    config.postgres.enabled = false;
    config.hiveserver2.listen = "127.0.0.1:0".into();
    config.hiveserver2.http_listen = "127.0.0.1:0".into();
    (hivewire::server::start(&config).await.unwrap(), data)
}

fn open(c: &mut Client, version: TProtocolVersion) -> (TSessionHandle, TProtocolVersion) {
    let resp = c.open_session(TOpenSessionReq::new(version, "tester".to_string(), "x".to_string(), None)).unwrap();
    assert_eq!(resp.status.status_code, TStatusCode::SUCCESS_STATUS);
    assert!(resp.configuration.is_some(), "a configuration map is always sent");
    (resp.session_handle.unwrap(), resp.server_protocol_version)
}

fn execute(c: &mut Client, s: &TSessionHandle, sql: &str, run_async: bool, timeout: i64) -> TExecuteStatementResp {
    c.execute_statement(TExecuteStatementReq::new(s.clone(), sql.to_string(), None, run_async, timeout)).unwrap()
}

fn wait_for(c: &mut Client, op: &TOperationHandle, done: impl Fn(TOperationState) -> bool) -> TGetOperationStatusResp {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let st = c.get_operation_status(TGetOperationStatusReq::new(op.clone(), None)).unwrap();
        if st.operation_state.is_some_and(&done) || Instant::now() > deadline {
            return st;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn versions_timeouts_cancel_and_handles() {
    let (running, _data) = server().await;
    let addr = running.hiveserver2_addr.unwrap();
    tokio::task::spawn_blocking(move || {
        let mut c = client(addr);
        // min(client, server): V6 stays V6; a newer client gets V10.
        assert_eq!(open(&mut c, TProtocolVersion::HIVE_CLI_SERVICE_PROTOCOL_V6).1, TProtocolVersion::HIVE_CLI_SERVICE_PROTOCOL_V6);
        let (s, v) = open(&mut c, TProtocolVersion::HIVE_CLI_SERVICE_PROTOCOL_V11);
        assert_eq!(v, TProtocolVersion::HIVE_CLI_SERVICE_PROTOCOL_V10);

        // A query past its timeout is stopped and reported TIMEDOUT.
        let slow = "SELECT count(*) FROM generate_series(1, 100000000000)";
        let r = execute(&mut c, &s, slow, true, 1);
        let op = r.operation_handle.unwrap();
        let fetch = c.fetch_results(TFetchResultsReq::new(op.clone(), TFetchOrientation::FETCH_NEXT, 100, None)).unwrap();
        assert_eq!(fetch.status.status_code, TStatusCode::ERROR_STATUS, "the fetch is stopped by the timeout");
        let st = wait_for(&mut c, &op, |s| s == TOperationState::TIMEDOUT_STATE);
        assert_eq!(st.operation_state, Some(TOperationState::TIMEDOUT_STATE));

        // CancelOperation stops a running query.
        let r = execute(&mut c, &s, slow, true, 0);
        let op = r.operation_handle.unwrap();
        let cancel = c.cancel_operation(TCancelOperationReq::new(op.clone())).unwrap();
        assert_eq!(cancel.status.status_code, TStatusCode::SUCCESS_STATUS);
        let st = wait_for(&mut c, &op, |s| s == TOperationState::CANCELED_STATE);
        assert_eq!(st.operation_state, Some(TOperationState::CANCELED_STATE));

        // After the end, FETCH_NEXT keeps returning an empty row set.
        let r = execute(&mut c, &s, "SELECT 1 AS a", false, 0);
        let op = r.operation_handle.unwrap();
        assert!(op.has_result_set);
        let meta = c.get_result_set_metadata(TGetResultSetMetadataReq::new(op.clone())).unwrap();
        assert_eq!(meta.schema.unwrap().columns[0].column_name, "a");
        let mut rows = 0;
        for _ in 0..3 {
            let f = c.fetch_results(TFetchResultsReq::new(op.clone(), TFetchOrientation::FETCH_NEXT, 10, None)).unwrap();
            assert_eq!(f.status.status_code, TStatusCode::SUCCESS_STATUS);
            if let Some(TColumn::I32Val(col)) = f.results.and_then(|r| r.columns).and_then(|mut c| c.pop()) {
                rows += col.values.len();
            }
        }
        assert_eq!(rows, 1);
        c.close_operation(TCloseOperationReq::new(op.clone())).unwrap();

        // Unknown handles get INVALID_HANDLE, and the connection goes on.
        let st = c.get_operation_status(TGetOperationStatusReq::new(op, None)).unwrap();
        assert_eq!(st.status.status_code, TStatusCode::INVALID_HANDLE_STATUS);
        let bogus = TSessionHandle::new(THandleIdentifier::new(vec![0; 16], vec![0; 16]));
        let r = execute(&mut c, &bogus, "SELECT 1", false, 0);
        assert_eq!(r.status.status_code, TStatusCode::INVALID_HANDLE_STATUS);
        let r = execute(&mut c, &s, "SELECT 2", false, 0);
        assert_eq!(r.status.status_code, TStatusCode::SUCCESS_STATUS);
        c.close_session(TCloseSessionReq::new(s)).unwrap();
    })
    .await
    .unwrap();
    running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn old_protocols_get_rows_and_fetch_first_starts_again() {
    let (running, _data) = server().await;
    let addr = running.hiveserver2_addr.unwrap();
    tokio::task::spawn_blocking(move || {
        let mut c = client(addr);
        // V5 and older: row-based row sets, NULL as an unset value.
        let (s, v) = open(&mut c, TProtocolVersion::HIVE_CLI_SERVICE_PROTOCOL_V5);
        assert_eq!(v, TProtocolVersion::HIVE_CLI_SERVICE_PROTOCOL_V5);
        let op = execute(&mut c, &s, "SELECT 7 AS a, CAST(NULL AS STRING) AS b", false, 0).operation_handle.unwrap();
        let f = c.fetch_results(TFetchResultsReq::new(op, TFetchOrientation::FETCH_NEXT, 10, None)).unwrap();
        let rows = f.results.unwrap().rows;
        assert_eq!(rows.len(), 1);
        assert!(matches!(&rows[0].col_vals[0], TColumnValue::I32Val(v) if v.value == Some(7)));
        assert!(matches!(&rows[0].col_vals[1], TColumnValue::StringVal(v) if v.value.is_none()));

        // FETCH_FIRST after reading runs the query again from its first row.
        let (s, _) = open(&mut c, TProtocolVersion::HIVE_CLI_SERVICE_PROTOCOL_V10);
        let op = execute(&mut c, &s, "SELECT value FROM generate_series(1, 5) ORDER BY value", false, 0).operation_handle.unwrap();
        let first = |c: &mut Client, orientation| {
            let f = c.fetch_results(TFetchResultsReq::new(op.clone(), orientation, 2, None)).unwrap();
            match f.results.and_then(|r| r.columns).and_then(|mut c| c.pop()) {
                Some(TColumn::I64Val(col)) => col.values,
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(first(&mut c, TFetchOrientation::FETCH_NEXT), vec![1, 2]);
        assert_eq!(first(&mut c, TFetchOrientation::FETCH_NEXT), vec![3, 4]);
        assert_eq!(first(&mut c, TFetchOrientation::FETCH_FIRST), vec![1, 2]);
    })
    .await
    .unwrap();
    running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_sessions_and_operations_are_closed() {
    let (running, _data) = server_with(|c| {
        c.hiveserver2.idle_session_timeout_secs = 1;
        c.hiveserver2.idle_operation_timeout_secs = 1;
    })
    .await;
    let addr = running.hiveserver2_addr.unwrap();
    tokio::task::spawn_blocking(move || {
        let mut c = client(addr);
        let (s, _) = open(&mut c, TProtocolVersion::HIVE_CLI_SERVICE_PROTOCOL_V10);
        let op = execute(&mut c, &s, "SELECT 1", false, 0).operation_handle.unwrap();
        // Idle past both timeouts (the reaper runs every quarter of the shortest).
        std::thread::sleep(Duration::from_millis(1800));
        let st = c.get_operation_status(TGetOperationStatusReq::new(op, None)).unwrap();
        assert_eq!(st.status.status_code, TStatusCode::INVALID_HANDLE_STATUS);
        let r = execute(&mut c, &s, "SELECT 1", false, 0);
        assert_eq!(r.status.status_code, TStatusCode::INVALID_HANDLE_STATUS);
    })
    .await
    .unwrap();
    running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conf_overlay_applies_to_one_statement_and_open_session_settings_stay() {
    let (running, _data) = server().await;
    let addr = running.hiveserver2_addr.unwrap();
    tokio::task::spawn_blocking(move || {
        let mut c = client(addr);
        let conf: std::collections::BTreeMap<String, String> = [
            ("use:database".to_string(), "default".to_string()),
            ("set:hiveconf:my.conf".to_string(), "from-open".to_string()),
        ]
        .into_iter()
        .collect();
        let s = c
            .open_session(TOpenSessionReq::new(TProtocolVersion::HIVE_CLI_SERVICE_PROTOCOL_V10, "t".to_string(), "x".to_string(), conf))
            .unwrap()
            .session_handle
            .unwrap();
        let value = |c: &mut Client, key: &str, overlay: Option<(&str, &str)>| {
            let overlay = overlay.map(|(k, v)| [(k.to_string(), v.to_string())].into_iter().collect());
            let op = c
                .execute_statement(TExecuteStatementReq::new(s.clone(), format!("SET {key}"), overlay, false, 0))
                .unwrap()
                .operation_handle
                .unwrap();
            let f = c.fetch_results(TFetchResultsReq::new(op, TFetchOrientation::FETCH_NEXT, 10, None)).unwrap();
            match f.results.and_then(|r| r.columns).map(|mut c| c.remove(1)) {
                Some(TColumn::StringVal(v)) => v.values[0].clone(),
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(value(&mut c, "my.conf", None), "from-open");
        assert_eq!(value(&mut c, "my.conf", Some(("my.conf", "from-overlay"))), "from-overlay");
        assert_eq!(value(&mut c, "my.conf", None), "from-open", "the overlay lasts one statement");

        // DataFusion's own options, one with a value and one that sessions start without.
        let batch = "datafusion.execution.batch_size";
        assert_eq!(value(&mut c, batch, Some((batch, "5"))), "5");
        assert_eq!(value(&mut c, batch, None), "8192");
        let fpp = "datafusion.execution.parquet.bloom_filter_fpp";
        assert_eq!(value(&mut c, fpp, None), "");
        assert_eq!(value(&mut c, fpp, Some((fpp, "0.1"))), "0.1");
        assert_eq!(value(&mut c, fpp, None), "", "an option that was unset is unset again");
    })
    .await
    .unwrap();
    running.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn result_metadata_describes_varchar_char_and_decimal() {
    let (running, _data) = server().await;
    let addr = running.hiveserver2_addr.unwrap();
    tokio::task::spawn_blocking(move || {
        let mut c = client(addr);
        let (s, _) = open(&mut c, TProtocolVersion::HIVE_CLI_SERVICE_PROTOCOL_V10);
        for sql in [
            "CREATE TABLE typed (v VARCHAR(10), c CHAR(3), d DECIMAL(7,2)) STORED AS PARQUET",
            "INSERT INTO typed VALUES ('abc', 'xy', 1.5)",
        ] {
            assert_eq!(execute(&mut c, &s, sql, false, 0).status.status_code, TStatusCode::SUCCESS_STATUS, "{sql}");
        }
        let op = execute(&mut c, &s, "SELECT v, c, d FROM typed", false, 0).operation_handle.unwrap();
        let cols = c.get_result_set_metadata(TGetResultSetMetadataReq::new(op)).unwrap().schema.unwrap().columns;
        // Each column's type with its length, precision and scale qualifiers.
        type Described = (TTypeId, Option<i32>, Option<i32>, Option<i32>);
        let described: Vec<Described> = cols
            .iter()
            .map(|col| match &col.type_desc.types[0] {
                TTypeEntry::PrimitiveEntry(p) => {
                    let q = |k: &str| {
                        p.type_qualifiers.as_ref().and_then(|q| match q.qualifiers.get(k) {
                            Some(TTypeQualifierValue::I32Value(v)) => Some(*v),
                            _ => None,
                        })
                    };
                    (p.type_, q("characterMaximumLength"), q("precision"), q("scale"))
                }
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            described,
            vec![
                (TTypeId::VARCHAR_TYPE, Some(10), None, None),
                (TTypeId::CHAR_TYPE, Some(3), None, None),
                (TTypeId::DECIMAL_TYPE, None, Some(7), Some(2)),
            ]
        );
    })
    .await
    .unwrap();
    running.shutdown().await;
}

/// The log lines (fetchType 1) an operation has so far.
fn log_lines(c: &mut Client, op: &TOperationHandle) -> Vec<String> {
    let f = c.fetch_results(TFetchResultsReq::new(op.clone(), TFetchOrientation::FETCH_NEXT, 1000, 1)).unwrap();
    match f.results.and_then(|r| r.columns).and_then(|mut c| c.pop()) {
        Some(TColumn::StringVal(col)) => col.values,
        _ => vec![],
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_updates_show_each_stage() {
    let (running, _data) = server_with(|c| c.engine.target_partitions = 4).await;
    let addr = running.hiveserver2_addr.unwrap();
    tokio::task::spawn_blocking(move || {
        let mut c = client(addr);
        let (s, _) = open(&mut c, TProtocolVersion::HIVE_CLI_SERVICE_PROTOCOL_V10);
        let progress = |c: &mut Client, op: &TOperationHandle| {
            c.get_operation_status(TGetOperationStatusReq::new(op.clone(), true)).unwrap()
        };

        // While a long aggregate runs, its stages are reported with their tasks.
        let slow = "SELECT v % 7 AS k, count(*) AS n FROM generate_series(1, 100000000000) AS t(v) GROUP BY v % 7";
        let op = execute(&mut c, &s, slow, true, 0).operation_handle.unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        let update = loop {
            let st = progress(&mut c, &op);
            assert_eq!(st.operation_state, Some(TOperationState::RUNNING_STATE));
            let u = st.progress_update_response.expect("a progress update when asked for");
            if u.rows.iter().any(|r| r[2] == "RUNNING") || Instant::now() > deadline {
                break u;
            }
        };
        assert_eq!(update.header_names.len(), 9, "beeline formats nine columns");
        assert_eq!(update.header_names[0], "STAGES");
        assert!(update.rows.len() >= 3, "scan, partial and final aggregate: {:?}", update.rows);
        assert!(update.rows.iter().all(|r| r.len() == 9));
        assert!(update.rows.iter().any(|r| r[2] == "RUNNING"), "{:?}", update.rows);
        assert_eq!(update.rows[1][3], "4", "the partial aggregate runs as 4 tasks: {:?}", update.rows);
        assert_eq!(update.status, TJobExecutionStatus::IN_PROGRESS);
        assert!(update.progressed_percentage.0 < 1.0);
        assert!(update.footer_summary.starts_with("STAGES: "));
        c.cancel_operation(TCancelOperationReq::new(op.clone())).unwrap();
        wait_for(&mut c, &op, |s| s == TOperationState::CANCELED_STATE);

        // A finished query, once read to its end, has every stage done; its log names the stages.
        let quick = "SELECT v % 7 AS k, count(*) AS n FROM generate_series(1, 100000) AS t(v) GROUP BY v % 7 ORDER BY k";
        let op = execute(&mut c, &s, quick, false, 0).operation_handle.unwrap();
        let mut rows = 0;
        loop {
            let f = c.fetch_results(TFetchResultsReq::new(op.clone(), TFetchOrientation::FETCH_NEXT, 100, None)).unwrap();
            let n = match f.results.and_then(|r| r.columns).and_then(|mut c| c.pop()) {
                Some(TColumn::I64Val(col)) => col.values.len(),
                other => panic!("unexpected column {other:?}"),
            };
            if n == 0 {
                break;
            }
            rows += n;
        }
        assert_eq!(rows, 7);
        let u = progress(&mut c, &op).progress_update_response.unwrap();
        assert_eq!(u.status, TJobExecutionStatus::COMPLETE);
        assert_eq!(u.progressed_percentage.0, 1.0);
        assert!(u.rows.iter().all(|r| r[2] == "SUCCEEDED" && r[3] == r[4]), "{:?}", u.rows);
        let log = log_lines(&mut c, &op);
        assert!(log.iter().any(|l| l.contains("Stage-1: ") && l.contains(" task")), "{log:?}");

        // A statement that fails while running reports its SQLSTATE, code, message and end time.
        let op = execute(&mut c, &s, "SELECT CAST('x' AS INT) FROM generate_series(1, 10)", true, 0).operation_handle.unwrap();
        let st = wait_for(&mut c, &op, |s| s == TOperationState::ERROR_STATE);
        assert_eq!(st.operation_state, Some(TOperationState::ERROR_STATE));
        assert_eq!(st.error_code, Some(0));
        assert!(st.sql_state.is_some_and(|s| s.len() == 5));
        assert!(st.error_message.is_some_and(|m| !m.is_empty()));
        assert!(st.operation_completed.unwrap() >= st.operation_started.unwrap());
        c.close_session(TCloseSessionReq::new(s)).unwrap();
    })
    .await
    .unwrap();
    running.shutdown().await;
}
