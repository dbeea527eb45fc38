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
