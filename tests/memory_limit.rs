//! `engine.memory_limit`: a query that needs more memory than the limit spills to disk when its
//! operators can (sorts, aggregations), and otherwise fails with SQLSTATE 53200; either way the
//! server and the session go on.

mod common;

use common::TestServer;

const LIMIT: &str = "24MB";

async fn limited_server(spill: &tempfile::TempDir) -> TestServer {
    let dir = spill.path().to_string_lossy().into_owned();
    TestServer::start_with(move |c| {
        c.engine.memory_limit = LIMIT.into();
        c.engine.spill_dir = dir;
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sort_larger_than_the_limit_spills_and_answers() {
    let spill = tempfile::tempdir().unwrap();
    let server = limited_server(&spill).await;
    let client = server.connect().await;
    // A window over 3 million rows sorts them all in one partition: 24 MB of keys alone.
    let sql = "SELECT count(*), CAST(sum(r) AS BIGINT) FROM \
               (SELECT v, row_number() OVER (ORDER BY v DESC) AS r FROM range(3000000) AS t(v)) x";
    let row = client.query_one(sql, &[]).await.unwrap();
    assert_eq!(row.get::<_, i64>(0), 3_000_000);
    assert_eq!(row.get::<_, i64>(1), 3_000_000 * 3_000_001 / 2);

    // The plan's metrics show the sort spilled.
    let analyzed = client.query(&format!("EXPLAIN ANALYZE {sql}"), &[]).await.unwrap();
    let text: String = analyzed.iter().map(|r| r.get::<_, String>(1)).collect::<Vec<_>>().join("\n");
    let spills: Vec<u64> = text
        .match_indices("spill_count=")
        .filter_map(|(i, m)| text[i + m.len()..].split(|c: char| !c.is_ascii_digit()).next()?.parse().ok())
        .collect();
    assert!(spills.iter().any(|&n| n > 0), "no operator spilled:\n{text}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_join_larger_than_the_limit_fails_with_53200_and_the_session_goes_on() {
    let spill = tempfile::tempdir().unwrap();
    let server = limited_server(&spill).await;
    let client = server.connect().await;
    // A hash join's build side cannot spill: 4 million keys do not fit in 24 MB.
    let err = client
        .query("SELECT count(*) FROM range(4000000) a(x) JOIN range(4000000) b(y) ON x = y", &[])
        .await
        .unwrap_err();
    let db = err.as_db_error().expect("a database error");
    assert_eq!(db.code().code(), "53200", "{db:?}");
    assert!(db.message().contains("engine.memory_limit"), "{}", db.message());
    let one: i32 = client.query_one("SELECT 1", &[]).await.unwrap().get(0);
    assert_eq!(one, 1);
    server.stop().await;
}
