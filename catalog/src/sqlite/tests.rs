use super::*;
use crate::model::{ColumnDef, Commit, PartitionDef, StorageFormat, TableKind};
use std::collections::BTreeMap;

use crate::model::CsvOptions;

fn table(db: &str, name: &str) -> TableDef {
    TableDef {
        database: db.into(),
        name: name.into(),
        kind: TableKind::Managed,
        format: StorageFormat::Csv(CsvOptions::spark_csv()),
        location: format!("file:///tmp/{db}/{name}/"),
        columns: vec![
            ColumnDef { name: "a".into(), hive_type: "int".into(), comment: None },
            ColumnDef { name: "b".into(), hive_type: "array<string>".into(), comment: Some("c".into()) },
        ],
        comment: None,
        properties: BTreeMap::new(),
        partition_columns: vec![],
        view_text: None,
        created_ms: 0,
    }
}

#[tokio::test]
async fn entries_survive_reopening_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("catalog.db");
    {
        let store = SqliteMetastore::open(&path, "file:///w/").unwrap();
        let v0 = store.version().await.unwrap();
        let db = DatabaseDef { name: "sales".into(), comment: None, location: "file:///w/sales.db/".into(), properties: BTreeMap::new() };
        assert!(store.create_database(db.clone(), false).await.unwrap());
        assert!(!store.create_database(db.clone(), true).await.unwrap());
        assert!(matches!(store.create_database(db, false).await, Err(CatalogError::AlreadyExists { .. })));
        assert!(store.create_table(table("sales", "orders"), false).await.unwrap());
        assert!(store.version().await.unwrap() > v0);
    }
    let store = SqliteMetastore::open(&path, "file:///w/").unwrap();
    let names: Vec<_> = store.list_databases().await.unwrap().into_iter().map(|d| d.name).collect();
    assert_eq!(names, vec!["default", "sales"]);
    assert_eq!(store.get_table("sales", "orders").await.unwrap(), Some(table("sales", "orders")));
}

#[tokio::test]
async fn drop_database_needs_cascade_when_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteMetastore::open(&dir.path().join("c.db"), "file:///w/").unwrap();
    let db = DatabaseDef { name: "x".into(), comment: None, location: "file:///w/x.db/".into(), properties: BTreeMap::new() };
    store.create_database(db, false).await.unwrap();
    store.create_table(table("x", "t"), false).await.unwrap();
    assert!(matches!(store.drop_database("x", false, false).await, Err(CatalogError::NotEmpty(_))));
    let dropped = store.drop_database("x", false, true).await.unwrap().unwrap();
    assert_eq!(dropped.len(), 1);
    assert_eq!(store.get_table("x", "t").await.unwrap(), None);
    assert!(store.drop_database("x", true, false).await.unwrap().is_none());
    assert!(store.drop_database("default", false, true).await.is_err());
}

#[tokio::test]
async fn table_in_missing_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteMetastore::open(&dir.path().join("c.db"), "file:///w/").unwrap();
    assert!(matches!(store.create_table(table("nope", "t"), false).await, Err(CatalogError::NotFound { .. })));
    assert_eq!(store.drop_table("default", "t", true).await.unwrap(), None);
}

#[tokio::test]
async fn a_version_1_catalog_is_migrated_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("catalog.db");
    {
        // A catalog as the first release wrote it: schema version 1, one table.
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(super::migrations::STEPS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute("INSERT INTO databases (name, comment, location, properties) VALUES ('sales', NULL, 'file:///w/sales.db/', '{}')", [])
            .unwrap();
        conn.execute(
            "INSERT INTO tables (database, name, kind, format, location, comment, properties) VALUES ('sales', 'orders', 'MANAGED', '\"Parquet\"', 'file:///w/sales.db/orders/', NULL, '{\"k\":\"v\"}')",
            [],
        )
        .unwrap();
        conn.execute("INSERT INTO columns (database, table_name, position, name, type, comment) VALUES ('sales', 'orders', 0, 'id', 'bigint', NULL)", [])
            .unwrap();
    }
    let (store, before) = SqliteMetastore::open_migrating(&path, "file:///w/").unwrap();
    assert_eq!(before, 1);
    let t = store.get_table("sales", "orders").await.unwrap().unwrap();
    assert_eq!(t.columns.len(), 1);
    assert_eq!(t.properties.get("k").map(String::as_str), Some("v"));
    assert!(t.partition_columns.is_empty() && t.view_text.is_none());
    assert!(store.list_partitions("sales", "orders").await.unwrap().is_empty());
    // Opening again finds nothing to do.
    drop(store);
    let (_, again) = SqliteMetastore::open_migrating(&path, "file:///w/").unwrap();
    assert_eq!(again, SCHEMA_VERSION);
}

#[tokio::test]
async fn partitions_and_commits_are_transactional() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteMetastore::open(&dir.path().join("c.db"), "file:///w/").unwrap();
    let mut t = table("default", "p");
    t.partition_columns = vec![ColumnDef { name: "dt".into(), hive_type: "string".into(), comment: None }];
    store.create_table(t, false).await.unwrap();
    let part = |v: &str| PartitionDef { values: vec![Some(v.into())], location: format!("file:///w/p/dt={v}/"), created_ms: 0 };
    store.add_partitions("default", "p", vec![part("a")], false).await.unwrap();
    // A batch with one existing partition fails as a whole.
    assert!(store.add_partitions("default", "p", vec![part("b"), part("a")], false).await.is_err());
    assert_eq!(store.list_partitions("default", "p").await.unwrap().len(), 1);
    let commit = Commit {
        id: "c1".into(),
        database: "default".into(),
        table: "p".into(),
        moves: vec![],
        deletes: vec![],
        cleanup: vec![],
        add_partitions: vec![part("c")],
        // An overwrite that leaves partition a without data drops it in the same commit.
        drop_partitions: vec![vec![Some("a".into())]],
        create_table: None,
        set_properties: [("numRows".to_string(), "3".to_string())].into_iter().collect(),
    };
    store.begin_commit(commit.clone()).await.unwrap();
    assert_eq!(store.pending_commits().await.unwrap(), vec![commit]);
    let left: Vec<_> = store.list_partitions("default", "p").await.unwrap().into_iter().map(|p| p.values).collect();
    assert_eq!(left, vec![vec![Some("c".to_string())]]);
    store.end_commit("c1").await.unwrap();
    assert!(store.pending_commits().await.unwrap().is_empty());
    let dropped = store.drop_partitions("default", "p", vec![vec![Some("c".into())]], false).await.unwrap();
    assert_eq!(dropped.len(), 1);
}
