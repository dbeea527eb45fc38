//! Files that change under hivewire, written by someone else (Spark, a copy, a cleanup): every
//! statement sees the files as they are now, never a listing remembered from an earlier one.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step fails the test

mod common;

use std::sync::Arc;

use common::TestServer;
use datafusion::arrow::array::{ArrayRef, Int64Array, StringArray};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::parquet::arrow::ArrowWriter;

fn write_parquet(path: &std::path::Path, name: &str, column: ArrayRef) {
    let batch = RecordBatch::try_from_iter(vec![(name, column)]).unwrap();
    let mut writer = ArrowWriter::try_new(std::fs::File::create(path).unwrap(), batch.schema(), None).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replaced_files_are_seen_by_the_next_statement() {
    let server = TestServer::start().await;
    let client = server.connect().await;
    let files = tempfile::tempdir().unwrap();
    let dir = files.path().to_string_lossy().into_owned();

    write_parquet(&files.path().join("a.parquet"), "x", Arc::new(Int64Array::from(vec![1, 2, 3])));
    client.batch_execute(&format!("CREATE TABLE first USING parquet LOCATION '{dir}'")).await.unwrap();
    let direct = format!("SELECT count(*) FROM parquet.`{dir}`");
    assert_eq!(client.query_one(&direct, &[]).await.unwrap().get::<_, i64>(0), 3);

    // Another writer replaces the files with ones of another shape.
    std::fs::remove_file(files.path().join("a.parquet")).unwrap();
    write_parquet(&files.path().join("b.parquet"), "y", Arc::new(StringArray::from(vec!["p", "q"])));

    client.batch_execute(&format!("CREATE TABLE second USING parquet LOCATION '{dir}'")).await.unwrap();
    let rows = client.query("SELECT y FROM second ORDER BY y", &[]).await.unwrap();
    assert_eq!(rows.iter().map(|r| r.get::<_, String>(0)).collect::<Vec<_>>(), ["p", "q"]);
    assert_eq!(client.query_one(&direct, &[]).await.unwrap().get::<_, i64>(0), 2);
    server.stop().await;
}
