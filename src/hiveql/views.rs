//! Views: `CREATE [OR REPLACE] VIEW`, `ALTER VIEW ... AS`, `DROP VIEW`, `SHOW VIEWS`. A view is kept
//! in the catalog as its query text, with the column names and types it had when created, and is
//! planned again each time it is used (see [`EngineViewPlanner`]).

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::sync::Arc;

use async_trait::async_trait;
use datafusion::execution::session_state::SessionState;
use datafusion::logical_expr::{LogicalPlan, LogicalPlanBuilder};
use datafusion::sql::parser::Statement as DFStatement;
use datafusion::sql::sqlparser::ast::{ObjectName, Statement, Visit, Visitor};
use hivewire_backend::{BackendError, CommandOutcome, ErrorKind, QueryResult};
use hivewire_catalog::provider::ViewPlanner;
use hivewire_catalog::types::arrow_to_hive;
use hivewire_catalog::{ColumnDef, StorageFormat, TableDef, TableKind};

use super::output::{batch_result, bools, strings};
use super::{parse_one, Flavor};
use crate::engine::errors::from_catalog;
use crate::engine::EngineSession;

/// The property recording which SQL flavour a view's text is written in.
pub const DIALECT_PROPERTY: &str = "hivewire.view.dialect";

fn flavor_name(f: Flavor) -> &'static str {
    match f {
        Flavor::Hive => "hive",
        Flavor::Postgres => "postgres",
    }
}

fn view_flavor(view: &TableDef) -> Flavor {
    match view.properties.get(DIALECT_PROPERTY).map(String::as_str) {
        Some("postgres") => Flavor::Postgres,
        _ => Flavor::Hive,
    }
}

/// Parses a view's text as a query.
pub(crate) fn parse_query(text: &str, flavor: Flavor) -> Result<Statement, BackendError> {
    match parse_one(text, flavor)? {
        q @ Statement::Query(_) => Ok(q),
        other => Err(BackendError::new(ErrorKind::InvalidParameter, format!("a view must be defined by a query, not {other}"))),
    }
}

/// Whether a query reads the relation `db.name` (or `name` in `db`).
fn reads_itself(stmt: &Statement, db: &str, name: &str) -> bool {
    struct Finder<'a>(&'a str, &'a str, bool);
    impl Visitor for Finder<'_> {
        type Break = ();
        fn pre_visit_relation(&mut self, relation: &ObjectName) -> ControlFlow<()> {
            let parts: Vec<String> = relation.0.iter().map(|p| p.to_string().trim_matches('`').to_lowercase()).collect();
            let hit = match parts.as_slice() {
                [t] => t == self.1,
                [d, t] | [_, d, t] => d == self.0 && t == self.1,
                _ => false,
            };
            if hit {
                self.2 = true;
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        }
    }
    let mut f = Finder(db, name, false);
    let _ = stmt.visit(&mut f);
    f.2
}

/// `CREATE [OR REPLACE] VIEW [IF NOT EXISTS] v [(cols)] [COMMENT '...'] AS query`, and
/// `ALTER VIEW v AS query` (`alter`: the view must exist).
#[allow(clippy::too_many_arguments)]
pub async fn create(
    s: &EngineSession,
    name: &ObjectName,
    or_replace: bool,
    if_not_exists: bool,
    alter: bool,
    declared: &[(String, Option<String>)],
    comment: Option<String>,
    query: &str,
) -> Result<QueryResult, BackendError> {
    let (db, v) = s.resolve_table(name)?;
    let store = s.catalog().store();
    if store.get_database(&db).await.map_err(from_catalog)?.is_none() {
        return Err(BackendError::new(ErrorKind::UndefinedSchema, format!("database {db} not found")));
    }
    let existing = store.get_table(&db, &v).await.map_err(from_catalog)?;
    match &existing {
        Some(t) if t.kind != TableKind::View => {
            return Err(BackendError::new(ErrorKind::DuplicateObject, format!("{db}.{v} is a table, not a view")))
        }
        Some(_) if if_not_exists => return Ok(QueryResult::Command(CommandOutcome::tag("CREATE VIEW"))),
        Some(_) if !or_replace && !alter => {
            return Err(BackendError::new(ErrorKind::DuplicateObject, format!("view {db}.{v} already exists")))
        }
        None if alter => return Err(BackendError::new(ErrorKind::UndefinedTable, format!("view not found: {db}.{v}"))),
        _ => {}
    }
    let stmt = parse_query(query, s.flavor)?;
    if reads_itself(&stmt, &db, &v) {
        return Err(BackendError::new(ErrorKind::InvalidParameter, format!("recursive view {db}.{v}: it reads itself")));
    }
    let plan = s.plan_lasting_statement(stmt, query).await?;
    let fields = plan.schema().fields();
    check_declared_columns(declared, fields.len())?;
    let mut columns = Vec::with_capacity(fields.len());
    for (i, f) in fields.iter().enumerate() {
        let (name, comment) = declared.get(i).cloned().unwrap_or_else(|| (f.name().to_lowercase(), None));
        if columns.iter().any(|c: &ColumnDef| c.name == name) {
            return Err(BackendError::new(ErrorKind::DuplicateObject, format!("the view has two columns named {name}")));
        }
        columns.push(ColumnDef { name, hive_type: arrow_to_hive(f.data_type()).map_err(from_catalog)?, comment });
    }
    let mut properties = existing.as_ref().map(|t| t.properties.clone()).unwrap_or_default();
    properties.insert(DIALECT_PROPERTY.into(), flavor_name(s.flavor).into());
    let def = TableDef {
        database: db.clone(),
        name: v.clone(),
        kind: TableKind::View,
        format: StorageFormat::Parquet,
        location: String::new(),
        columns,
        comment: comment.or_else(|| existing.as_ref().and_then(|t| t.comment.clone())),
        properties,
        partition_columns: vec![],
        view_text: Some(query.to_string()),
        created_ms: existing.as_ref().map(|t| t.created_ms).unwrap_or_else(now_ms),
    };
    match existing {
        Some(_) => store.alter_table(&db, &v, def).await.map_err(from_catalog)?,
        None => {
            store.create_table(def, false).await.map_err(from_catalog)?;
        }
    }
    Ok(QueryResult::Command(CommandOutcome::tag(if alter { "ALTER VIEW" } else { "CREATE VIEW" })))
}

/// A view's declared column list, if it has one, names every column its query gives.
pub(crate) fn check_declared_columns(declared: &[(String, Option<String>)], given: usize) -> Result<(), BackendError> {
    if declared.is_empty() || declared.len() == given {
        return Ok(());
    }
    Err(BackendError::new(
        ErrorKind::InvalidParameter,
        format!("the view lists {} columns but its query gives {given}", declared.len()),
    ))
}

fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// `DROP VIEW [IF EXISTS] v`: only views.
pub async fn drop(s: &EngineSession, name: &ObjectName, if_exists: bool) -> Result<QueryResult, BackendError> {
    if super::temp_views::drop(s, name)? {
        return Ok(QueryResult::Command(CommandOutcome::tag("DROP VIEW")));
    }
    let (db, v) = s.resolve_table(name)?;
    let store = s.catalog().store();
    match store.get_table(&db, &v).await.map_err(from_catalog)? {
        Some(t) if t.kind != TableKind::View => {
            return Err(BackendError::new(
                ErrorKind::InvalidParameter,
                format!("{db}.{v} is a table; DROP VIEW drops views, use DROP TABLE"),
            ))
        }
        Some(_) => {
            store.drop_table(&db, &v, true).await.map_err(from_catalog)?;
        }
        None if if_exists => {}
        None => return Err(BackendError::new(ErrorKind::UndefinedTable, format!("view not found: {db}.{v}"))),
    }
    Ok(QueryResult::Command(CommandOutcome::tag("DROP VIEW")))
}

/// `SHOW VIEWS [IN db] [LIKE 'pattern']`: `namespace`, `viewName`, `isTemporary`.
pub async fn show(s: &EngineSession, database: Option<&ObjectName>, pattern: Option<&str>) -> Result<QueryResult, BackendError> {
    let (db, views) = crate::hiveql::show::relation_names(s, database, pattern, |t| t.kind == TableKind::View).await?;
    let n = views.len();
    batch_result(
        crate::hiveql::show::views_schema(),
        vec![strings(vec![db; n]), strings(views), bools(vec![false; n])],
        "SHOW",
    )
}

/// Plans views for the catalog: the view's text, in its database, with its columns' names.
#[derive(Debug)]
pub struct EngineViewPlanner {
    state: SessionState,
}

impl EngineViewPlanner {
    /// A planner working from the engine's template session state.
    pub fn new(state: SessionState) -> Arc<Self> {
        Arc::new(EngineViewPlanner { state })
    }
}

#[async_trait]
impl ViewPlanner for EngineViewPlanner {
    async fn plan_view(&self, view: &TableDef) -> datafusion::error::Result<LogicalPlan> {
        let to_df = |e: BackendError| datafusion::error::DataFusionError::Plan(format!("view {}.{}: {}", view.database, view.name, e.message));
        let text = view.view_text.as_deref().unwrap_or_default();
        let flavor = view_flavor(view);
        let mut stmt = parse_query(text, flavor).map_err(to_df)?;
        if flavor == Flavor::Hive {
            super::prepare_query(&mut stmt, &super::QueryOptions::default()).map_err(to_df)?;
        }
        super::like_escape::rewrite(&mut stmt);
        let mut state = self.state.clone();
        // Names in a view resolve in the view's own database.
        state.config_mut().options_mut().catalog.default_schema = view.database.clone();
        let plan = state.statement_to_plan(DFStatement::Statement(Box::new(stmt))).await?;
        // Analysed, so that its columns have the types the view was created with.
        let plan = state.analyzer().execute_and_check(plan, state.config_options(), |_, _| {})?;
        let fields = plan.schema().columns();
        if fields.len() != view.columns.len() {
            return Err(datafusion::error::DataFusionError::Plan(format!(
                "view {}.{} now gives {} columns where it was created with {}; recreate it",
                view.database,
                view.name,
                fields.len(),
                view.columns.len()
            )));
        }
        let exprs: Vec<datafusion::logical_expr::Expr> = fields
            .into_iter()
            .zip(&view.columns)
            .map(|(c, def)| datafusion::logical_expr::Expr::Column(c).alias(&def.name))
            .collect();
        LogicalPlanBuilder::from(plan).project(exprs)?.build()
    }
}

/// Keys of internal table properties, hidden from SHOW TBLPROPERTIES.
pub fn is_internal_property(key: &str) -> bool {
    key.starts_with("hivewire.") || key.starts_with("spark.sql.sources.")
}

/// Properties as users see them.
pub fn visible_properties(props: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    props.iter().filter(|(k, _)| !is_internal_property(k)).map(|(k, v)| (k.clone(), v.clone())).collect()
}
