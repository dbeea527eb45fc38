use super::*;
use crate::model::{ColumnDef, StorageFormat, TableKind};
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
