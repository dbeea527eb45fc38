//! Writes interrupted by a crash: a commit recorded in the catalog but not yet published is
//! finished at the next start, and a staging directory without a commit is removed, leaving the
//! table as it was.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed step fails the test

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use common::TestServer;
use hivewire_catalog::{Commit, FileMove, Metastore, SqliteMetastore};

async fn sum(server: &TestServer, table: &str) -> (i64, i64) {
    let client = server.connect().await;
    let row = client.query_one(&format!("SELECT count(*), coalesce(sum(v), 0) FROM {table}"), &[]).await.unwrap();
    (row.get(0), row.get(1))
}

fn data_files(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    files.sort();
    files
}

fn staging_dirs(dir: &std::path::Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(".hivewire-staging-"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recorded_commit_is_finished_at_start() {
    let server = TestServer::start().await;
    let client = server.connect().await;
    client.batch_execute("CREATE TABLE t (v BIGINT) STORED AS PARQUET; INSERT INTO t VALUES (1), (2)").await.unwrap();
    client.batch_execute("CREATE TABLE src (v BIGINT) STORED AS PARQUET; INSERT INTO src VALUES (10), (20), (30)").await.unwrap();
    drop(client);
    let data = server.stop().await;
    let dir = data.path().join("warehouse/t");
    let old = data_files(&dir);
    assert_eq!(old.len(), 1);

    // The state a crash leaves between recording an INSERT OVERWRITE and moving its files: the new
    // file is staged, the commit is in the catalog.
    let staging = dir.join(".hivewire-staging-crashed");
    std::fs::create_dir_all(&staging).unwrap();
    let staged = staging.join("part-00000-crashed.snappy.parquet");
    std::fs::copy(&data_files(&data.path().join("warehouse/src"))[0], &staged).unwrap();
    let url = |p: &std::path::Path| format!("file://{}", p.display());
    {
        let store = SqliteMetastore::open(&data.path().join("catalog.db"), "unused").unwrap();
        store
            .begin_commit(Commit {
                id: "crashed".into(),
                database: "default".into(),
                table: "t".into(),
                moves: vec![FileMove { from: url(&staged), to: url(&dir.join("part-00000-crashed.snappy.parquet")) }],
                deletes: vec![url(&old[0])],
                cleanup: vec![format!("{}/", url(&staging))],
                add_partitions: vec![],
                drop_partitions: vec![],
                create_table: None,
                set_properties: BTreeMap::new(),
            })
            .await
            .unwrap();
    }

    let server = TestServer::start_in(data).await;
    assert_eq!(sum(&server, "t").await, (3, 60), "the overwrite is seen whole");
    assert!(staging_dirs(&dir).is_empty());
    let store = SqliteMetastore::open(&server.data.path().join("catalog.db"), "unused").unwrap();
    assert!(store.pending_commits().await.unwrap().is_empty());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unrecorded_write_is_dropped_at_start() {
    let server = TestServer::start().await;
    let client = server.connect().await;
    client.batch_execute("CREATE TABLE t (v BIGINT) STORED AS PARQUET; INSERT INTO t VALUES (1), (2)").await.unwrap();
    drop(client);
    let data = server.stop().await;
    let dir = data.path().join("warehouse/t");
    // A crash before the commit: staged files only.
    let staging = dir.join(".hivewire-staging-lost");
    std::fs::create_dir_all(&staging).unwrap();
    std::fs::copy(&data_files(&dir)[0], staging.join("part-00000-lost.snappy.parquet")).unwrap();

    let server = TestServer::start_in(data).await;
    assert_eq!(sum(&server, "t").await, (2, 3), "the table is as it was");
    assert!(staging_dirs(&dir).is_empty(), "the staging directory is removed");
    server.stop().await;
}
