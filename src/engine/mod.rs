//! The engine: DataFusion sessions over the persistent catalog, behind the protocol-neutral
//! [`hivewire_backend::Backend`] trait.
//!
//! One [`Engine`] per server holds the catalog and a template DataFusion session state (functions,
//! pg_catalog, runtime and memory pool). Each client session clones the template, so opening a session
//! costs no function registration, and all sessions share one memory pool and one catalog.

mod apply;
mod auth;
mod complex_types;
mod context;
pub(crate) mod execute_immediate;
mod field_names;
pub(crate) mod common_types;
mod function_stars;
mod in_subquery_values;
pub(crate) mod generate;
pub(crate) mod intervals;
mod lambda_safe;
mod leaf_pushdown;
pub(crate) mod lambdas;
mod literals;
mod map_groups;
mod multiset;
mod natural_joins;
mod not_in_subqueries;
pub mod memory;
mod output_names;
mod pg_compat;
mod pivot;
mod progress;
mod row_operators;
mod scalar_subquery_nulls;
pub mod errors;
pub use context::session_config;
pub(crate) use context::apply_flavor;
pub use memory::memory_pool;
mod session;
pub(crate) mod session_variables;
mod spark_aggregates;
pub(crate) mod spark_functions;
pub(crate) mod spelled_names;
mod stores;
mod spark_casts;
mod struct_fields;
mod struct_stars;
mod stream;
mod subquery_names;
pub(crate) mod write;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use async_trait::async_trait;
use datafusion::execution::session_state::SessionState;
use hivewire_backend::{Backend, BackendError, ErrorKind, ProtocolKind, Session, SessionOptions};
use hivewire_catalog::{HiveCatalogProvider, Metastore, SqliteMetastore};

use crate::config::Config;
use crate::hiveql::Flavor;
pub use session::EngineSession;

/// The PostgreSQL version hivewire reports, so that drivers enable the features of PostgreSQL 15.
pub const PG_SERVER_VERSION: &str = "15.0 (hivewire 0.1.0)";

/// Why the engine could not start.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The data directory could not be prepared.
    #[error("cannot use data directory {path}: {source}")]
    DataDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The catalog could not be opened.
    #[error("cannot open the catalog: {0}")]
    Catalog(#[from] hivewire_catalog::CatalogError),
    /// DataFusion could not be set up.
    #[error("cannot set up the query engine: {0}")]
    DataFusion(String),
    /// The configuration is not usable.
    #[error("invalid config: {0}")]
    Config(String),
    /// A write interrupted by a crash could not be finished.
    #[error("cannot finish an interrupted write: {0}")]
    Recovery(String),
}

/// State shared by every session.
#[derive(Debug)]
pub(crate) struct Shared {
    pub catalog: HiveCatalogProvider,
    pub template: SessionState,
    pub catalog_name: String,
    pub warehouse: PathBuf,
    /// `[auth] users`: empty means no passwords.
    pub users: auth::Users,
    /// `[engine] time_zone`: HiveQL sessions' zone until they set their own.
    pub default_zone: crate::hiveql::time_zones::Zone,
}

/// The query engine. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Engine {
    shared: Arc<Shared>,
}

/// Opens (and migrates) the configured metastore. Returns it, the warehouse directory, and the
/// schema version the catalog had before.
pub async fn open_metastore(config: &Config) -> Result<(Arc<dyn Metastore>, PathBuf, i64), EngineError> {
    let data_dir = absolute(&config.server.data_dir);
    let warehouse = data_dir.join("warehouse");
    std::fs::create_dir_all(&warehouse).map_err(|source| EngineError::DataDir { path: warehouse.clone(), source })?;
    let default_location = dir_url(&warehouse);
    Ok(match config.catalog.backend.as_str() {
        "sqlite" => {
            let (store, before) = SqliteMetastore::open_migrating(&data_dir.join("catalog.db"), &default_location)?;
            (Arc::new(store) as Arc<dyn Metastore>, warehouse, before)
        }
        "postgres" | "postgresql" => {
            if config.catalog.url.is_empty() {
                return Err(EngineError::Config("catalog.backend = \"postgres\" needs catalog.url".into()));
            }
            let (store, before) =
                hivewire_catalog::PostgresMetastore::open_migrating(&config.catalog.url, &default_location).await?;
            (Arc::new(store) as Arc<dyn Metastore>, warehouse, before)
        }
        other => return Err(EngineError::Config(format!("catalog.backend must be sqlite or postgres, not {other:?}"))),
    })
}

impl Engine {
    /// Opens the catalog in the configured data directory and builds the session template.
    pub async fn open(config: &Config) -> Result<Engine, EngineError> {
        let (store, warehouse, _) = open_metastore(config).await?;
        let catalog = HiveCatalogProvider::new(store);
        catalog.refresh().await?;
        let template = context::template_state(config, catalog.clone())?;
        // Writes a crash interrupted are finished before anyone reads.
        let finished = write::commit::recover(catalog.store(), template.runtime_env())
            .await
            .map_err(|e| EngineError::Recovery(e.message))?;
        if finished > 0 {
            tracing::warn!(writes = finished, "finished writes interrupted by a crash");
        }
        write::commit::sweep_staging(catalog.store(), template.runtime_env()).await;
        catalog.set_runtime(template.runtime_env().clone());
        catalog.set_view_planner(crate::hiveql::views::EngineViewPlanner::new(template.clone()));
        Ok(Engine {
            shared: Arc::new(Shared {
                catalog,
                template,
                catalog_name: config.server.catalog_name.clone(),
                warehouse,
                users: auth::Users::new(config.auth.users.clone()),
                default_zone: crate::hiveql::time_zones::Zone::parse(&config.engine.time_zone).unwrap_or_else(crate::hiveql::time_zones::Zone::utc),
            }),
        })
    }

    /// Opens a session directly, for in-process use and tests.
    pub async fn session(&self, options: SessionOptions) -> Result<EngineSession, BackendError> {
        self.shared.catalog.refresh().await.map_err(errors::from_catalog)?;
        let database = match options.database.as_deref().map(str::to_lowercase) {
            None => "default".to_string(),
            Some(db) if db.is_empty() || db == self.shared.catalog_name || db == "postgres" => "default".to_string(),
            Some(db) if self.shared.catalog.has_database(&db) => db,
            Some(db) => {
                return Err(BackendError::new(ErrorKind::UndefinedCatalog, format!("database \"{db}\" does not exist")))
            }
        };
        let flavor = match options.protocol {
            ProtocolKind::Postgres => Flavor::Postgres,
            ProtocolKind::HiveServer2 => Flavor::Hive,
        };
        Ok(EngineSession::new(self.shared.clone(), flavor, options.user, database, options.settings))
    }
}

#[async_trait]
impl Backend for Engine {
    async fn open_session(&self, options: SessionOptions) -> Result<Box<dyn Session>, BackendError> {
        Ok(Box::new(self.session(options).await?))
    }

    fn catalog_name(&self) -> &str {
        &self.shared.catalog_name
    }

    fn server_version(&self) -> &str {
        PG_SERVER_VERSION
    }

    fn requires_password(&self) -> bool {
        self.shared.users.required()
    }

    fn authenticate(&self, user: &str, password: &str) -> Result<(), BackendError> {
        self.shared.users.check(user, password)
    }
}

/// `path` made absolute against the working directory.
pub(crate) fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_path_buf())
    }
}

/// A `file://` URL for a local directory, ending in `/`.
pub(crate) fn dir_url(path: &Path) -> String {
    let s = path.to_string_lossy();
    let s = s.trim_end_matches('/');
    format!("file://{s}/")
}
