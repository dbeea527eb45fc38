//! Publishing a write: the catalog records the commit (with its catalog changes) in one transaction,
//! then the staged files are moved into place, replaced files deleted, and the record removed. A
//! record left by a crash is finished at start-up, so readers see a write whole or not at all.

use std::sync::Arc;

use datafusion::datasource::listing::ListingTableUrl;
use datafusion::execution::runtime_env::RuntimeEnv;
use hivewire_backend::{BackendError, ErrorKind};
use hivewire_catalog::files::list_all_files;
use hivewire_catalog::{Commit, Metastore};
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt};

use crate::engine::errors::{from_catalog, from_datafusion};

/// The store holding `url`, and the path of `url` in it.
pub(crate) fn locate(runtime: &RuntimeEnv, url: &str) -> Result<(Arc<dyn ObjectStore>, Path), BackendError> {
    let parsed = ListingTableUrl::parse(url).map_err(|e| from_datafusion(&e, None))?;
    let store = runtime.object_store(parsed.object_store()).map_err(|e| from_datafusion(&e, None))?;
    Ok((store, parsed.prefix().clone()))
}

/// `scheme://authority/` of a URL, to turn store paths back into URLs.
pub(crate) fn url_root(url: &str) -> String {
    match url.find("://") {
        Some(i) => {
            let rest = &url[i + 3..];
            let end = rest.find('/').map(|j| i + 3 + j + 1).unwrap_or(url.len());
            url[..end].to_string()
        }
        None => String::new(),
    }
}

fn io(what: &str, url: &str, e: object_store::Error) -> BackendError {
    BackendError::new(ErrorKind::Io, format!("{what} {url}: {e}"))
}

/// Records `commit` in the catalog, then publishes its files.
pub(crate) async fn commit(store: &Arc<dyn Metastore>, runtime: &RuntimeEnv, commit: Commit) -> Result<(), BackendError> {
    store.begin_commit(commit.clone()).await.map_err(from_catalog)?;
    publish(runtime, &commit).await?;
    store.end_commit(&commit.id).await.map_err(from_catalog)?;
    cleanup(runtime, &commit.cleanup).await;
    Ok(())
}

/// Moves and deletes the commit's files. Safe to repeat: a file already moved or deleted is skipped.
async fn publish(runtime: &RuntimeEnv, commit: &Commit) -> Result<(), BackendError> {
    for url in &commit.deletes {
        let (store, path) = locate(runtime, url)?;
        match store.delete(&path).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
            Err(e) => return Err(io("cannot delete", url, e)),
        }
    }
    for m in &commit.moves {
        let (store, from) = locate(runtime, &m.from)?;
        let (_, to) = locate(runtime, &m.to)?;
        match store.rename(&from, &to).await {
            Ok(()) => {}
            // Moved before a crash: the source is gone and the target is there.
            Err(object_store::Error::NotFound { .. }) if store.head(&to).await.is_ok() => {}
            Err(e) => return Err(io("cannot move", &m.from, e)),
        }
    }
    Ok(())
}

/// Removes staging directories, best effort: they are hidden from readers in any case.
pub(crate) async fn cleanup(runtime: &RuntimeEnv, dirs: &[String]) {
    for dir in dirs {
        let Ok((store, _)) = locate(runtime, dir) else { continue };
        if let Ok(files) = list_all_files(&store, dir).await {
            for f in files {
                let _ = store.delete(&f.location).await;
            }
        }
        if let Some(local) = dir.strip_prefix("file://") {
            let _ = std::fs::remove_dir_all(local);
        }
    }
}

/// Removes staging directories that writes abandoned (a crash before their commit) from local
/// tables. Run at start-up, after [`recover`].
pub(crate) async fn sweep_staging(store: &Arc<dyn Metastore>, runtime: &RuntimeEnv) {
    let Ok(tables) = store.list_tables(None).await else { return };
    let mut stale = Vec::new();
    for t in tables {
        let Some(dir) = t.location.strip_prefix("file://").filter(|d| d.ends_with('/')) else { continue };
        let Ok(entries) = std::fs::read_dir(dir) else { continue };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if name.starts_with(".hivewire-staging-") {
                stale.push(format!("{}{name}/", t.location));
            }
        }
    }
    if !stale.is_empty() {
        tracing::info!(count = stale.len(), "removing staging directories left by unfinished writes");
        cleanup(runtime, &stale).await;
    }
}

/// Finishes the commits a crash interrupted. Run at start-up, before any session opens.
pub(crate) async fn recover(store: &Arc<dyn Metastore>, runtime: &RuntimeEnv) -> Result<usize, BackendError> {
    let pending = store.pending_commits().await.map_err(from_catalog)?;
    for c in &pending {
        tracing::warn!(id = %c.id, table = %format!("{}.{}", c.database, c.table), "finishing a write interrupted by a crash");
        publish(runtime, c).await?;
        store.end_commit(&c.id).await.map_err(from_catalog)?;
        cleanup(runtime, &c.cleanup).await;
    }
    Ok(pending.len())
}
