//! DataFusion's view of the catalog: Hive databases as schemas, Hive tables as listing tables.
//!
//! DataFusion asks for schema and table names synchronously, but the [`Metastore`] is async (it may be
//! remote). So the provider keeps a cache of names, and [`HiveCatalogProvider::refresh`] brings it up to
//! date before each statement is planned; the catalog's version counter makes that a single cheap read
//! when nothing changed. Table definitions themselves are always read fresh from the store.
//!
//! Schemas that are not Hive databases (the PostgreSQL `pg_catalog`) can be registered alongside; they
//! live in memory only.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, RwLock};

use async_trait::async_trait;
use datafusion::catalog::{CatalogProvider, SchemaProvider, TableProvider};
use datafusion::error::{DataFusionError, Result};

use crate::error::CatalogError;
use crate::metastore::Metastore;
use crate::model::{TableDef, TableKind};
use crate::table::HiveTable;

/// Plans a view's stored query. Planning needs a session, which the catalog does not have, so the
/// engine installs one of these.
#[async_trait]
pub trait ViewPlanner: Send + Sync + std::fmt::Debug {
    /// The logical plan of the view `view`, with its column names applied.
    async fn plan_view(&self, view: &TableDef) -> Result<datafusion::logical_expr::LogicalPlan>;
}

#[derive(Debug, Default)]
struct NameCache {
    version: Option<u64>,
    databases: BTreeMap<String, BTreeSet<String>>,
}

#[derive(Debug)]
struct Inner {
    store: Arc<dyn Metastore>,
    names: RwLock<NameCache>,
    extra: RwLock<HashMap<String, Arc<dyn SchemaProvider>>>,
    views: RwLock<Option<Arc<dyn ViewPlanner>>>,
    runtime: RwLock<Option<Arc<datafusion::execution::runtime_env::RuntimeEnv>>>,
}

/// The one DataFusion catalog holding every Hive database.
#[derive(Debug, Clone)]
pub struct HiveCatalogProvider {
    inner: Arc<Inner>,
}

fn to_df(e: CatalogError) -> DataFusionError {
    DataFusionError::External(Box::new(e))
}

impl HiveCatalogProvider {
    /// A provider over `store`. Call [`HiveCatalogProvider::refresh`] before first use.
    pub fn new(store: Arc<dyn Metastore>) -> Self {
        HiveCatalogProvider {
            inner: Arc::new(Inner { store, names: RwLock::default(), extra: RwLock::default(), views: RwLock::default(), runtime: RwLock::default() }),
        }
    }

    /// Installs the runtime (object stores) that direct file reads (`parquet.\`/path\``) use.
    pub fn set_runtime(&self, runtime: Arc<datafusion::execution::runtime_env::RuntimeEnv>) {
        if let Ok(mut r) = self.inner.runtime.write() {
            *r = Some(runtime);
        }
    }

    /// Installs what plans views.
    pub fn set_view_planner(&self, planner: Arc<dyn ViewPlanner>) {
        if let Ok(mut v) = self.inner.views.write() {
            *v = Some(planner);
        }
    }

    /// The DataFusion table for a catalog entry: files, or a view's plan.
    pub async fn table_provider(&self, def: TableDef) -> Result<Arc<dyn TableProvider>> {
        if def.kind == TableKind::View {
            let planner = self.inner.views.read().ok().and_then(|v| v.clone()).ok_or_else(|| {
                DataFusionError::Internal("views cannot be planned: no view planner installed".into())
            })?;
            let plan = planner.plan_view(&def).await?;
            return Ok(Arc::new(datafusion::catalog::view::ViewTable::new(plan, def.view_text.clone())));
        }
        Ok(Arc::new(HiveTable::try_new(def, self.inner.store.clone())?))
    }

    /// The store behind this provider.
    pub fn store(&self) -> &Arc<dyn Metastore> {
        &self.inner.store
    }

    /// Reloads the cached names if the catalog changed since the last refresh.
    pub async fn refresh(&self) -> std::result::Result<(), CatalogError> {
        let version = self.inner.store.version().await?;
        let current = self.inner.names.read().map(|n| n.version).unwrap_or(None);
        if current == Some(version) {
            return Ok(());
        }
        let mut databases: BTreeMap<String, BTreeSet<String>> = self
            .inner
            .store
            .list_databases()
            .await?
            .into_iter()
            .map(|d| (d.name, BTreeSet::new()))
            .collect();
        for (db, table) in self.inner.store.list_table_names().await? {
            databases.entry(db).or_default().insert(table);
        }
        if let Ok(mut names) = self.inner.names.write() {
            *names = NameCache { version: Some(version), databases };
        }
        Ok(())
    }

    /// Whether a Hive database of that name is known (as of the last refresh).
    pub fn has_database(&self, name: &str) -> bool {
        self.inner.names.read().map(|n| n.databases.contains_key(name)).unwrap_or(false)
    }

    fn table_names_of(&self, db: &str) -> Vec<String> {
        self.inner
            .names
            .read()
            .map(|n| n.databases.get(db).map(|t| t.iter().cloned().collect()).unwrap_or_default())
            .unwrap_or_default()
    }
}

impl CatalogProvider for HiveCatalogProvider {
    fn schema_names(&self) -> Vec<String> {
        let mut names: Vec<String> =
            self.inner.names.read().map(|n| n.databases.keys().cloned().collect()).unwrap_or_default();
        if let Ok(extra) = self.inner.extra.read() {
            names.extend(extra.keys().cloned());
        }
        names
    }

    fn schema(&self, name: &str) -> Option<Arc<dyn SchemaProvider>> {
        if let Some(s) = self.inner.extra.read().ok().and_then(|e| e.get(name).cloned()) {
            return Some(s);
        }
        let lower = name.to_lowercase();
        if self.has_database(&lower) {
            return Some(Arc::new(HiveSchemaProvider { catalog: self.clone(), database: lower }));
        }
        // `parquet.\`/path\``: a database of that name would take precedence.
        let runtime = self.inner.runtime.read().ok().and_then(|r| r.clone())?;
        crate::direct::FileSchema::new(&lower, runtime, self.inner.store.clone()).map(|s| Arc::new(s) as Arc<dyn SchemaProvider>)
    }

    fn register_schema(&self, name: &str, schema: Arc<dyn SchemaProvider>) -> Result<Option<Arc<dyn SchemaProvider>>> {
        let mut extra = self
            .inner
            .extra
            .write()
            .map_err(|_| DataFusionError::Internal("catalog lock poisoned".into()))?;
        Ok(extra.insert(name.to_string(), schema))
    }
}

/// One Hive database, seen as a DataFusion schema.
#[derive(Debug)]
pub struct HiveSchemaProvider {
    catalog: HiveCatalogProvider,
    database: String,
}

#[async_trait]
impl SchemaProvider for HiveSchemaProvider {
    fn table_names(&self) -> Vec<String> {
        self.catalog.table_names_of(&self.database)
    }

    async fn table(&self, name: &str) -> Result<Option<Arc<dyn TableProvider>>> {
        let def = self.catalog.inner.store.get_table(&self.database, &name.to_lowercase()).await.map_err(to_df)?;
        match def {
            Some(d) => Ok(Some(self.catalog.table_provider(d).await?)),
            None => Ok(None),
        }
    }

    fn table_exist(&self, name: &str) -> bool {
        self.table_names_of_contains(name)
    }
}

impl HiveSchemaProvider {
    fn table_names_of_contains(&self, name: &str) -> bool {
        let lower = name.to_lowercase();
        self.catalog
            .inner
            .names
            .read()
            .map(|n| n.databases.get(&self.database).is_some_and(|t| t.contains(&lower)))
            .unwrap_or(false)
    }
}
