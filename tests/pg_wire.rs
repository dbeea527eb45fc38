//! tokio-postgres against an in-process hivewire: types in binary and text, errors and their
//! SQLSTATEs, cancel, restart durability and protocol violations.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step fails the test

mod common;

use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime};
use common::TestServer;
use rust_decimal::Decimal;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_postgres::error::SqlState;
use tokio_postgres::SimpleQueryMessage;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_results_decode_into_rust_types() {
    let server = TestServer::start().await;
    let client = server.connect().await;
    let row = client
        .query_one(
            "SELECT CAST(1 AS SMALLINT) AS a, 2 AS b, CAST(3 AS BIGINT) AS c, CAST(1.5 AS REAL) AS d, \
             CAST(2.25 AS DOUBLE) AS e, true AS f, 'text' AS g, CAST(12.34 AS DECIMAL(10,2)) AS h, \
             DATE '2024-02-29' AS i, TIMESTAMP '2024-02-29 12:34:56.789' AS j, X'00ff' AS k",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<_, i16>("a"), 1);
    // Integer literals are INT (int4) when they fit, as in Spark and PostgreSQL.
    assert_eq!(row.get::<_, i32>("b"), 2);
    assert_eq!(row.get::<_, i64>("c"), 3);
    assert_eq!(row.get::<_, f32>("d"), 1.5);
    assert_eq!(row.get::<_, f64>("e"), 2.25);
    assert!(row.get::<_, bool>("f"));
    assert_eq!(row.get::<_, &str>("g"), "text");
    assert_eq!(row.get::<_, Decimal>("h"), Decimal::new(1234, 2));
    assert_eq!(row.get::<_, NaiveDate>("i"), NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
    let ts = NaiveDateTime::parse_from_str("2024-02-29 12:34:56.789", "%Y-%m-%d %H:%M:%S%.3f").unwrap();
    assert_eq!(row.get::<_, NaiveDateTime>("j"), ts);
    assert_eq!(row.get::<_, Vec<u8>>("k"), vec![0u8, 255]);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parameters_take_inferred_types_and_nulls_round_trip() {
    let server = TestServer::start().await;
    let client = server.connect().await;
    let stmt = client.prepare("SELECT $1::BIGINT + 1, upper($2::TEXT), $3::DOUBLE * 2").await.unwrap();
    let row = client.query_one(&stmt, &[&41i64, &"abc", &1.25f64]).await.unwrap();
    assert_eq!(row.get::<_, i64>(0), 42);
    assert_eq!(row.get::<_, String>(1), "ABC");
    assert_eq!(row.get::<_, f64>(2), 2.5);
    let row = client.query_one("SELECT CAST(NULL AS INT) AS n", &[]).await.unwrap();
    assert_eq!(row.get::<_, Option<i32>>("n"), None);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simple_query_runs_several_statements_and_reports_tags() {
    let server = TestServer::start().await;
    let client = server.connect().await;
    let messages = client
        .simple_query(
            "CREATE TABLE t (id INT, label STRING) STORED AS PARQUET; \
             INSERT INTO t VALUES (1, 'one'), (2, 'two'); SELECT label FROM t ORDER BY id",
        )
        .await
        .unwrap();
    let rows: Vec<String> = messages
        .iter()
        .filter_map(|m| match m {
            SimpleQueryMessage::Row(r) => r.get(0).map(str::to_string),
            _ => None,
        })
        .collect();
    assert_eq!(rows, ["one", "two"]);
    let counts: Vec<u64> = messages
        .iter()
        .filter_map(|m| match m {
            SimpleQueryMessage::CommandComplete(n) => Some(*n),
            _ => None,
        })
        .collect();
    assert_eq!(counts, [0, 2, 2]);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_carry_sqlstates_and_positions_and_the_session_survives() {
    let server = TestServer::start().await;
    let client = server.connect().await;
    let cases = [
        ("SELEC 1", SqlState::SYNTAX_ERROR),
        ("SELECT * FROM no_such_table", SqlState::UNDEFINED_TABLE),
        ("SELECT no_such_column FROM (SELECT 1 AS a) s", SqlState::UNDEFINED_COLUMN),
        ("SELECT CAST('x' AS INT)", SqlState::INVALID_TEXT_REPRESENTATION),
    ];
    for (sql, state) in cases {
        let err = client.simple_query(sql).await.expect_err(sql);
        let db = err.as_db_error().unwrap_or_else(|| panic!("{sql}: {err}"));
        assert_eq!(db.code(), &state, "{sql}: {}", db.message());
        // The session is still usable after each error.
        let ok = client.query_one("SELECT 1", &[]).await.unwrap();
        assert_eq!(ok.get::<_, i32>(0), 1);
    }
    let err = client.simple_query("SELECT 1 FROM").await.unwrap_err();
    assert!(err.as_db_error().and_then(|e| e.position()).is_some(), "a syntax error has a position");
    let err = client.simple_query("CREATE INDEX i ON t (id)").await.unwrap_err();
    assert_eq!(err.as_db_error().map(|e| e.code()), Some(&SqlState::FEATURE_NOT_SUPPORTED));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_stops_a_running_query_with_57014() {
    let server = TestServer::start().await;
    let client = server.connect().await;
    let token = client.cancel_token();
    let canceller = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        token.cancel_query(tokio_postgres::NoTls).await
    });
    let err = client
        .simple_query("SELECT count(*) FROM generate_series(1, 2000000000) a")
        .await
        .expect_err("the query is cancelled");
    assert_eq!(err.as_db_error().map(|e| e.code()), Some(&SqlState::QUERY_CANCELED), "{err}");
    canceller.await.unwrap().unwrap();
    let ok = client.query_one("SELECT 2", &[]).await.unwrap();
    assert_eq!(ok.get::<_, i32>(0), 2);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tables_and_rows_survive_a_restart() {
    let server = TestServer::start().await;
    let client = server.connect().await;
    client
        .batch_execute(
            "CREATE DATABASE kept; CREATE TABLE kept.t (id BIGINT, v STRING) STORED AS PARQUET; \
             INSERT INTO kept.t VALUES (7, 'seven')",
        )
        .await
        .unwrap();
    drop(client);
    let data = server.stop().await;
    let server = TestServer::start_in(data).await;
    let client = server.connect().await;
    let row = client.query_one("SELECT id, v FROM kept.t", &[]).await.unwrap();
    assert_eq!((row.get::<_, i64>(0), row.get::<_, String>(1)), (7, "seven".to_string()));
    server.stop().await;
}

/// Startup for a raw connection, up to ReadyForQuery.
async fn raw_session(server: &TestServer) -> tokio::net::TcpStream {
    let mut s = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let mut body = 196608i32.to_be_bytes().to_vec();
    body.extend_from_slice(b"user\0raw\0database\0hivewire\0\0");
    let mut msg = ((body.len() + 4) as i32).to_be_bytes().to_vec();
    msg.extend(body);
    s.write_all(&msg).await.unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !seen.windows(6).any(|w| w == b"Z\0\0\0\x05I") {
        let n = s.read(&mut buf).await.unwrap();
        assert!(n > 0, "server closed during startup");
        seen.extend_from_slice(&buf[..n]);
    }
    s
}

/// Everything the server sends until it closes the connection.
async fn read_to_close(s: &mut tokio::net::TcpStream) -> Vec<u8> {
    let mut out = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), s.read_to_end(&mut out))
        .await
        .expect("the server closes the connection")
        .unwrap();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_frames_close_only_their_connection_with_08p01() {
    let server = TestServer::start().await;
    let bystander = server.connect().await;
    let bad_frames: [&[u8]; 3] = [
        b"y\0\0\0\x04",          // unknown message type
        b"Q\0\0\0\x02",          // length below the header's own size
        b"Q\x7f\xff\xff\xffxyz", // over the message size limit
    ];
    for frame in bad_frames {
        let mut s = raw_session(&server).await;
        s.write_all(frame).await.unwrap();
        let reply = read_to_close(&mut s).await;
        assert_eq!(reply.first(), Some(&b'E'), "an ErrorResponse comes first: {reply:?}");
        let text = String::from_utf8_lossy(&reply);
        assert!(text.contains("C08P01") && text.contains("FATAL"), "{text}");
        // Other sessions are untouched, and new ones are accepted.
        assert_eq!(bystander.query_one("SELECT 3", &[]).await.unwrap().get::<_, i32>(0), 3);
        let fresh = server.connect().await;
        assert_eq!(fresh.query_one("SELECT 4", &[]).await.unwrap().get::<_, i32>(0), 4);
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_portal_is_read_in_pieces_with_portal_suspended() {
    let server = TestServer::start().await;
    let mut client = server.connect().await;
    let tx = client.transaction().await.unwrap();
    let stmt = tx.prepare("SELECT value FROM generate_series(1, 10) ORDER BY value").await.unwrap();
    let portal = tx.bind(&stmt, &[]).await.unwrap();
    let mut seen = Vec::new();
    let mut pieces = 0;
    loop {
        let rows = tx.query_portal(&portal, 4).await.unwrap();
        pieces += 1;
        seen.extend(rows.iter().map(|r| r.get::<_, i64>(0)));
        if rows.len() < 4 {
            break;
        }
    }
    assert_eq!(seen, (1..=10).collect::<Vec<i64>>());
    assert_eq!(pieces, 3);
    tx.commit().await.unwrap();
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn integer_literals_are_int_when_they_fit_as_in_spark_and_postgresql() {
    use tokio_postgres::types::Type;
    let server = TestServer::start().await;
    let client = server.connect().await;
    let stmt = client
        .prepare("SELECT 1 AS small, 3000000000 AS big, 1 + 1 AS sum, count(*) AS n FROM (VALUES (1), (2)) v(x)")
        .await
        .unwrap();
    let types: Vec<Type> = stmt.columns().iter().map(|c| c.type_().clone()).collect();
    assert_eq!(types, [Type::INT4, Type::INT8, Type::INT4, Type::INT8]);
    let row = client.query_one(&stmt, &[]).await.unwrap();
    assert_eq!((row.get::<_, i32>(0), row.get::<_, i64>(1), row.get::<_, i32>(2)), (1, 3_000_000_000, 2));
    server.stop().await;
}
