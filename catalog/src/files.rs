//! Listing the data files of a table or partition directory, as Hive and Spark see them: the files
//! directly in the directory, skipping hidden ones (names starting with `.` or `_`, such as staging
//! directories and `_SUCCESS` markers) and empty ones.

use std::sync::Arc;

use datafusion::datasource::listing::ListingTableUrl;
use datafusion::error::{DataFusionError, Result};
use object_store::{ObjectMeta, ObjectStore, ObjectStoreExt};

/// Whether a file name is hidden from readers.
pub fn is_hidden(name: &str) -> bool {
    name.starts_with('.') || name.starts_with('_')
}

/// The data files directly in the directory at `url`. A directory that does not exist has none.
pub async fn list_data_files(store: &Arc<dyn ObjectStore>, url: &str) -> Result<Vec<ObjectMeta>> {
    let parsed = ListingTableUrl::parse(url)?;
    // A LOCATION may name one file.
    if !url.ends_with('/') {
        return match store.head(parsed.prefix()).await {
            Ok(meta) => Ok(vec![meta]),
            Err(object_store::Error::NotFound { .. }) => Ok(vec![]),
            Err(e) => Err(DataFusionError::ObjectStore(Box::new(e))),
        };
    }
    let listing = match store.list_with_delimiter(Some(parsed.prefix())).await {
        Ok(l) => l,
        Err(object_store::Error::NotFound { .. }) => return Ok(vec![]),
        Err(e) => return Err(DataFusionError::ObjectStore(Box::new(e))),
    };
    Ok(listing
        .objects
        .into_iter()
        .filter(|m| m.size > 0 && m.location.filename().is_some_and(|n| !is_hidden(n)))
        .collect())
}

/// The data files under the directory (or the one file) at `url` that Spark reads: those directly
/// in it and in its partition directories (`day=2024-01-01/`), skipping hidden and empty files
/// and anything under a hidden directory (`_temporary/`).
pub async fn list_table_files(store: &Arc<dyn ObjectStore>, url: &str) -> Result<Vec<ObjectMeta>> {
    if !url.ends_with('/') {
        return list_data_files(store, url).await;
    }
    let prefix = ListingTableUrl::parse(url)?.prefix().clone();
    let files = list_all_files(store, url).await?;
    Ok(files
        .into_iter()
        .filter(|m| {
            let parts: Vec<String> = m.location.prefix_match(&prefix).map(|p| p.map(|s| s.as_ref().to_string()).collect()).unwrap_or_default();
            let Some((file, dirs)) = parts.split_last() else { return false };
            m.size > 0 && !is_hidden(file) && dirs.iter().all(|d| d.contains('=') && !is_hidden(d))
        })
        .collect())
}

/// Every file under the directory at `url`, at any depth, hidden ones included.
pub async fn list_all_files(store: &Arc<dyn ObjectStore>, url: &str) -> Result<Vec<ObjectMeta>> {
    use futures::TryStreamExt;
    let parsed = ListingTableUrl::parse(url)?;
    match store.list(Some(parsed.prefix())).try_collect::<Vec<_>>().await {
        Ok(v) => Ok(v),
        Err(object_store::Error::NotFound { .. }) => Ok(vec![]),
        Err(e) => Err(DataFusionError::ObjectStore(Box::new(e))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use object_store::memory::InMemory;
    use object_store::path::Path;
    use object_store::PutPayload;

    #[tokio::test]
    async fn table_files_skip_what_spark_skips() {
        let store: Arc<dyn ObjectStore> = Arc::new(InMemory::new());
        for (name, bytes) in [
            ("t/part-0.parquet", &b"data"[..]),
            ("t/_SUCCESS", &b""[..]),
            ("t/.part-0.parquet.crc", &b"crc"[..]),
            ("t/empty.parquet", &b""[..]),
            ("t/day=1/part-1.parquet", &b"data"[..]),
            ("t/_temporary/0/part-2.parquet", &b"data"[..]),
            ("t/other/part-3.parquet", &b"data"[..]),
        ] {
            store.put(&Path::from(name), PutPayload::from(bytes.to_vec())).await.unwrap();
        }
        let mut names: Vec<String> =
            list_table_files(&store, "memory:///t/").await.unwrap().into_iter().map(|m| m.location.to_string()).collect();
        names.sort();
        assert_eq!(names, vec!["t/day=1/part-1.parquet", "t/part-0.parquet"]);
    }
}
