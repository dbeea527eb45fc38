//! `SET datafusion.*` over PostgreSQL: the engine option changes how the session's next statements
//! run, bad keys and values are refused with their SQLSTATEs, and RESET puts back the server's value.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step fails the test

mod common;

use common::TestServer;
use tokio_postgres::error::SqlState;
use tokio_postgres::SimpleQueryMessage;

/// The `output_batches` figure of the range scan in an EXPLAIN ANALYZE of `SELECT * FROM range(10)`.
async fn range_batches(client: &tokio_postgres::Client) -> u64 {
    let rows = client.simple_query("EXPLAIN ANALYZE SELECT * FROM range(10)").await.unwrap();
    let text: String = rows
        .iter()
        .filter_map(|m| match m {
            SimpleQueryMessage::Row(r) => r.get(1).map(str::to_string),
            _ => None,
        })
        .collect();
    let at = text.find("output_batches=").expect("EXPLAIN ANALYZE reports output_batches");
    text[at + "output_batches=".len()..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().unwrap()
}

async fn show(client: &tokio_postgres::Client, key: &str) -> String {
    client.query_one(&format!("SHOW {key}"), &[]).await.unwrap().get::<_, String>(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn datafusion_options_apply_to_the_session_and_reset_restores_them() {
    let server = TestServer::start().await;
    let client = server.connect().await;
    assert_eq!(show(&client, "datafusion.execution.batch_size").await, "8192");
    assert_eq!(range_batches(&client).await, 1);

    client.batch_execute("SET datafusion.execution.batch_size = 3").await.unwrap();
    assert_eq!(show(&client, "datafusion.execution.batch_size").await, "3");
    assert_eq!(range_batches(&client).await, 4, "ten rows in batches of three");

    // Another session keeps the server's value.
    let other = server.connect().await;
    assert_eq!(range_batches(&other).await, 1);

    client.batch_execute("RESET datafusion.execution.batch_size").await.unwrap();
    assert_eq!(show(&client, "datafusion.execution.batch_size").await, "8192");
    assert_eq!(range_batches(&client).await, 1);

    // PostgreSQL's form sets it too.
    client.batch_execute("SET datafusion.execution.batch_size TO 5").await.unwrap();
    assert_eq!(range_batches(&client).await, 2);

    client.batch_execute("SET datafusion.execution.parquet.pushdown_filters = true").await.unwrap();
    assert_eq!(show(&client, "datafusion.execution.parquet.pushdown_filters").await, "true");
    client.batch_execute("RESET ALL").await.unwrap();
    assert_eq!(show(&client, "datafusion.execution.parquet.pushdown_filters").await, "false");
    assert_eq!(range_batches(&client).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_datafusion_options_are_refused_and_change_nothing() {
    let server = TestServer::start().await;
    let client = server.connect().await;

    let e = client.batch_execute("SET datafusion.execution.batch_size = 'many'").await.unwrap_err();
    assert_eq!(e.code(), Some(&SqlState::INVALID_PARAMETER_VALUE), "{e:?}");
    assert!(e.as_db_error().unwrap().message().contains("datafusion.execution.batch_size"), "{e:?}");

    let e = client.batch_execute("SET datafusion.execution.no_such_option = 1").await.unwrap_err();
    assert_eq!(e.code(), Some(&SqlState::UNDEFINED_OBJECT), "{e:?}");

    // The session goes on with its options as they were.
    assert_eq!(show(&client, "datafusion.execution.batch_size").await, "8192");
    assert_eq!(range_batches(&client).await, 1);
}
