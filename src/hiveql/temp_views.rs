//! Temporary views: `CREATE [OR REPLACE] TEMPORARY VIEW v [(cols)] AS query`, which live only as
//! long as the session that made them, and `CREATE GLOBAL TEMPORARY VIEW v`, which every session
//! of the server reads as `global_temp.v` until the server stops, as in Spark.
//!
//! Each session has its own catalog list holding the shared catalogs and one more, private to the
//! session, whose single schema holds the session's temporary views as DataFusion views. Before a
//! statement is planned, every one-part table name that names a temporary view (and no CTE of the
//! statement) is pointed at that schema, so a temporary view hides a table of the same name in
//! the current database, as in Spark.

use std::collections::HashSet;
use std::ops::ControlFlow;
use std::sync::Arc;

use datafusion::catalog::{CatalogProvider, CatalogProviderList, MemoryCatalogProvider, MemoryCatalogProviderList, MemorySchemaProvider, SchemaProvider};
use datafusion::datasource::ViewTable;
use datafusion::execution::session_state::{SessionState, SessionStateBuilder};
use datafusion::logical_expr::{Expr, LogicalPlanBuilder};
use datafusion::sql::sqlparser::ast::{Ident, ObjectName, ObjectNamePart, Query, Statement, TableAlias, TableFactor, VisitMut, VisitorMut, Visit, Visitor};
use hivewire_backend::{BackendError, CommandOutcome, ErrorKind, QueryResult};

use crate::engine::errors::from_datafusion;
use crate::engine::EngineSession;

/// The catalog, private to each session, that holds its temporary views.
pub const TEMP_CATALOG: &str = "hivewire_session";
/// Its one schema.
pub const TEMP_SCHEMA: &str = "temporary";
/// The catalog every session shares for global temporary views (its one schema is also
/// [`TEMP_SCHEMA`]).
pub const GLOBAL_CATALOG: &str = "hivewire_global";
/// The database name global temporary views are read under, as in Spark.
pub const GLOBAL_DATABASE: &str = "global_temp";

/// The server's global temporary views.
static GLOBAL_VIEWS: std::sync::LazyLock<Arc<MemorySchemaProvider>> = std::sync::LazyLock::new(|| Arc::new(MemorySchemaProvider::new()));

/// The names of the global temporary views, lower-cased.
pub fn global_names() -> Vec<String> {
    let mut names = GLOBAL_VIEWS.table_names();
    names.sort();
    names
}

/// A session's state with its own catalog list: the template's catalogs, and an empty schema for
/// temporary views. Returns the state and that schema.
pub fn session_state(template: SessionState) -> (SessionState, Arc<MemorySchemaProvider>) {
    let list = MemoryCatalogProviderList::new();
    let shared = template.catalog_list();
    for name in shared.catalog_names() {
        if let Some(catalog) = shared.catalog(&name) {
            list.register_catalog(name, catalog);
        }
    }
    let schema = Arc::new(MemorySchemaProvider::new());
    let catalog = MemoryCatalogProvider::new();
    // A fresh in-memory catalog has no schema of this name, so registering cannot fail or replace.
    let _ = catalog.register_schema(TEMP_SCHEMA, schema.clone());
    list.register_catalog(TEMP_CATALOG.to_string(), Arc::new(catalog));
    let global = MemoryCatalogProvider::new();
    let _ = global.register_schema(TEMP_SCHEMA, GLOBAL_VIEWS.clone());
    list.register_catalog(GLOBAL_CATALOG.to_string(), Arc::new(global));
    let functions = Functions::of(&template);
    let mut state = SessionStateBuilder::new_from_existing(template).with_catalog_list(Arc::new(list)).build();
    functions.restore(&mut state);
    (state, schema)
}

/// The template's functions by the names they are registered under. A state rebuilt from another
/// registers each function again under its name and aliases, in hash order; where two functions
/// share a name (DataFusion's `avg` and datafusion-spark's), or one's alias is another's name
/// (DataFusion's `to_char` is also `date_format`, which hivewire replaces), the winner would
/// change from process to process. Registering again, aliases first, then functions with aliases,
/// then the rest, and finally any name still held by another function, gives every name the
/// function the template gave it.
struct Functions {
    scalar: Vec<(String, Arc<datafusion::logical_expr::ScalarUDF>)>,
    aggregate: Vec<(String, Arc<datafusion::logical_expr::AggregateUDF>)>,
    window: Vec<(String, Arc<datafusion::logical_expr::WindowUDF>)>,
}

/// The registration order: names reached by an alias first, then functions that have aliases
/// (registering them spreads their aliases), then the rest.
fn ordered<T>(map: &std::collections::HashMap<String, Arc<T>>, name: impl Fn(&T) -> &str, has_aliases: impl Fn(&T) -> bool) -> Vec<(String, Arc<T>)> {
    let mut v: Vec<(String, Arc<T>)> = map.iter().map(|(k, f)| (k.clone(), Arc::clone(f))).collect();
    v.sort_by_key(|(k, f)| (k.as_str() == name(f), !has_aliases(f), k.clone()));
    v
}

impl Functions {
    fn of(state: &SessionState) -> Self {
        Functions {
            scalar: ordered(state.scalar_functions(), |f| f.name(), |f| !f.aliases().is_empty()),
            aggregate: ordered(state.aggregate_functions(), |f| f.name(), |f| !f.aliases().is_empty()),
            window: ordered(state.window_functions(), |f| f.name(), |f| !f.aliases().is_empty()),
        }
    }

    fn restore(self, state: &mut SessionState) {
        use datafusion::execution::FunctionRegistry;
        // Registering replaces; the replaced function is not needed.
        for (_, f) in &self.scalar {
            let _ = state.register_udf(Arc::clone(f));
        }
        for (_, f) in &self.aggregate {
            let _ = state.register_udaf(Arc::clone(f));
        }
        for (_, f) in &self.window {
            let _ = state.register_udwf(Arc::clone(f));
        }
        // A name another function's alias took back: its own function again.
        for _ in 0..3 {
            let lost: Vec<_> = self
                .scalar
                .iter()
                .filter(|(k, f)| k.as_str() == f.name() && !state.scalar_functions().get(k).is_some_and(|g| Arc::ptr_eq(g, f)))
                .map(|(_, f)| Arc::clone(f))
                .collect();
            if lost.is_empty() {
                break;
            }
            for f in lost {
                let _ = state.register_udf(f);
            }
        }
    }
}

/// The name of the temporary view a table name refers to, if it is a one-part name.
fn one_part(name: &ObjectName) -> Option<String> {
    match name.0.as_slice() {
        [ObjectNamePart::Identifier(i)] => Some(i.value.to_lowercase()),
        _ => None,
    }
}

/// The global temporary view a `global_temp.v` name refers to.
fn global_part(name: &ObjectName) -> Option<String> {
    match name.0.as_slice() {
        [ObjectNamePart::Identifier(db), ObjectNamePart::Identifier(v)] if db.value.eq_ignore_ascii_case(GLOBAL_DATABASE) => {
            Some(v.value.to_lowercase())
        }
        _ => None,
    }
}

/// Points one-part names of temporary views at the session's temporary schema, and
/// `global_temp.v` at the global one, keeping the name the query wrote as the relation's alias so
/// that `v.col` still resolves.
pub fn resolve(stmt: &mut Statement, views: &HashSet<String>) {
    if views.is_empty() && GLOBAL_VIEWS.table_names().is_empty() {
        return;
    }
    let ctes = cte_names(stmt);
    struct Resolver<'a> {
        views: &'a HashSet<String>,
        ctes: &'a HashSet<String>,
    }
    impl VisitorMut for Resolver<'_> {
        type Break = ();
        fn pre_visit_table_factor(&mut self, factor: &mut TableFactor) -> ControlFlow<()> {
            let TableFactor::Table { name, alias, args: None, .. } = factor else { return ControlFlow::Continue(()) };
            let target = match (global_part(name), one_part(name)) {
                (Some(view), _) => Some((GLOBAL_CATALOG, view)),
                (None, Some(view)) if self.views.contains(&view) && !self.ctes.contains(&view) => Some((TEMP_CATALOG, view)),
                _ => None,
            };
            if let Some((catalog, view)) = target {
                let written = name.0.last().and_then(|p| p.as_ident()).cloned().unwrap_or_else(|| Ident::new(view.clone()));
                *name = ObjectName::from(vec![Ident::with_quote('"', catalog), Ident::with_quote('"', TEMP_SCHEMA), Ident::with_quote('"', view)]);
                if alias.is_none() {
                    *alias = Some(TableAlias { explicit: true, name: written, columns: vec![], at: None });
                }
            }
            ControlFlow::Continue(())
        }
    }
    let _ = stmt.visit(&mut Resolver { views, ctes: &ctes });
}

/// Every CTE name the statement defines, lower-cased.
fn cte_names(stmt: &Statement) -> HashSet<String> {
    struct Ctes(HashSet<String>);
    impl Visitor for Ctes {
        type Break = ();
        fn pre_visit_query(&mut self, query: &Query) -> ControlFlow<()> {
            if let Some(with) = &query.with {
                for cte in &with.cte_tables {
                    self.0.insert(cte.alias.name.value.to_lowercase());
                }
            }
            ControlFlow::Continue(())
        }
    }
    let mut c = Ctes(HashSet::new());
    let _ = stmt.visit(&mut c);
    c.0
}

/// `CREATE [OR REPLACE] TEMPORARY VIEW v [(cols)] AS query`.
#[allow(clippy::too_many_arguments)]
pub async fn create(
    s: &EngineSession,
    name: &ObjectName,
    global: bool,
    or_replace: bool,
    if_not_exists: bool,
    declared: &[(String, Option<String>)],
    query: &str,
) -> Result<QueryResult, BackendError> {
    let named = if global { one_part(name).or_else(|| global_part(name)) } else { one_part(name) };
    let view = named.ok_or_else(|| {
        BackendError::new(ErrorKind::InvalidParameter, format!("a temporary view's name has one part, not {name}"))
    })?;
    let views: Arc<MemorySchemaProvider> = if global { GLOBAL_VIEWS.clone() } else { s.temp_views.clone() };
    if views.table_exist(&view) {
        if if_not_exists {
            return Ok(QueryResult::Command(CommandOutcome::tag("CREATE VIEW")));
        }
        if !or_replace {
            return Err(BackendError::new(
                ErrorKind::DuplicateObject,
                format!("temporary view {view} already exists; use CREATE OR REPLACE TEMPORARY VIEW"),
            ));
        }
    }
    let stmt = super::views::parse_query(query, s.flavor)?;
    let plan = s.plan_statement(stmt, query).await?;
    let columns = plan.schema().columns();
    super::views::check_declared_columns(declared, columns.len())?;
    let exprs: Vec<Expr> = columns
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            // Only renamed columns get an alias: `t.x AS x` would keep DataFusion from reading
            // struct fields at the scan (see the engine's leaf_pushdown).
            match declared.get(i) {
                Some((n, _)) if *n != c.name => Expr::Column(c).alias(n.clone()),
                _ => Expr::Column(c),
            }
        })
        .collect();
    let plan = LogicalPlanBuilder::from(plan).project(exprs).and_then(|b| b.build()).map_err(|e| from_datafusion(&e, Some(query)))?;
    let table = Arc::new(ViewTable::new(plan, Some(query.to_string())));
    views.deregister_table(&view).map_err(|e| from_datafusion(&e, None))?;
    views.register_table(view, table).map_err(|e| from_datafusion(&e, None))?;
    Ok(QueryResult::Command(CommandOutcome::tag("CREATE VIEW")))
}

/// Drops the temporary view a one-part name names, or the global one `global_temp.v` names; false
/// when there is none.
pub fn drop(s: &EngineSession, name: &ObjectName) -> Result<bool, BackendError> {
    if let Some(view) = global_part(name) {
        return Ok(GLOBAL_VIEWS.deregister_table(&view).map_err(|e| from_datafusion(&e, None))?.is_some());
    }
    let Some(view) = one_part(name) else { return Ok(false) };
    Ok(s.temp_views.deregister_table(&view).map_err(|e| from_datafusion(&e, None))?.is_some())
}

/// The session's temporary view names, lower-cased.
pub fn names(s: &EngineSession) -> HashSet<String> {
    s.temp_views.table_names().into_iter().collect()
}
