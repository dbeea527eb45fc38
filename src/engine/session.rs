//! One client session: its DataFusion context (current database, settings) and the route from a
//! statement to whatever runs it.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, LazyLock, Mutex};

use async_trait::async_trait;
use datafusion::arrow::array::{Array, ArrayRef, UInt64Array};
use datafusion::arrow::datatypes::{DataType, SchemaRef};
use datafusion::common::{ParamValues, ScalarValue};
use datafusion::logical_expr::{LogicalPlan, Statement as PlanStatement};
use datafusion::prelude::SessionContext;
use datafusion::sql::parser::Statement as DFStatement;
use datafusion::sql::sqlparser::ast::{self as ast, Ident, ObjectName, Statement};
use datafusion_pg_catalog::sql::PostgresCompatibilityParser;
use futures::StreamExt;
use hivewire_backend::{
    BackendError, CancellationToken, ColumnInfo, CommandOutcome, Description, ErrorKind, Progress, QueryResult, Session,
    TableInfo, TransactionEffect,
};
use hivewire_catalog::types::hive_to_arrow;
use hivewire_catalog::HiveCatalogProvider;

use super::errors::{from_catalog, from_datafusion};
use super::stream::cancellable;
use super::Shared;
use crate::hiveql::pattern::like_matches;
use crate::hiveql::{self, Action, Flavor};

/// Rewrites that let DataFusion plan the pg_catalog queries drivers send (qualified function names,
/// `= ANY(array)`, `::regclass` casts...). Built once: it pre-tokenises its rule set.
static PG_REWRITER: LazyLock<PostgresCompatibilityParser> = LazyLock::new(PostgresCompatibilityParser::new);

/// A session of the hivewire engine.
pub struct EngineSession {
    pub(crate) shared: Arc<Shared>,
    pub(crate) ctx: SessionContext,
    pub(crate) flavor: Flavor,
    pub(crate) user: String,
    pub(crate) settings: Mutex<BTreeMap<String, String>>,
    /// The session's temporary views ([`hiveql::temp_views`]).
    pub(crate) temp_views: Arc<datafusion::catalog::MemorySchemaProvider>,
    /// `spark.sql.ansi.enabled` as the last statement saw it, for the session's expression
    /// planner (integer overflow is an error under ANSI rules).
    ansi: Arc<std::sync::atomic::AtomicBool>,
    /// `spark.sql.decimalOperations.allowPrecisionLoss` likewise, for DECIMAL result types.
    precision_loss: Arc<std::sync::atomic::AtomicBool>,
    /// The session's time zone as the last statement saw it, for the session's cast rule.
    zone: Arc<Mutex<hiveql::time_zones::Zone>>,
    /// The session's variables (`DECLARE VARIABLE`), HiveQL sessions only.
    variables: super::session_variables::SessionVariables,
}

impl EngineSession {
    pub(crate) fn new(
        shared: Arc<Shared>,
        flavor: Flavor,
        user: String,
        database: String,
        settings: BTreeMap<String, String>,
    ) -> Self {
        let mut state = shared.template.clone();
        state.config_mut().options_mut().catalog.default_schema = database;
        super::context::apply_flavor(state.config_mut().options_mut(), flavor);
        let ansi = Arc::new(std::sync::atomic::AtomicBool::new(true));
        let precision_loss = Arc::new(std::sync::atomic::AtomicBool::new(true));
        if flavor == Flavor::Hive {
            // Spark's date and interval arithmetic; the planner is the session's, not the template's.
            let planner = super::intervals::SparkIntervalArithmetic::new(Arc::clone(&ansi), Arc::clone(&precision_loss));
            if let Err(e) = datafusion::execution::FunctionRegistry::register_expr_planner(&mut state, Arc::new(planner)) {
                tracing::warn!(error = %e, "interval arithmetic planner not registered");
            }
        }
        // After type coercion, which inserts some of the casts it rewrites.
        let zone = Arc::new(Mutex::new(shared.default_zone));
        state.add_analyzer_rule(super::spark_casts::rule(Arc::clone(&zone), flavor == Flavor::Hive));
        let (state, temp_views) = hiveql::temp_views::session_state(state);
        let ctx = SessionContext::new_with_state(state);
        let variables = super::session_variables::SessionVariables::default();
        if flavor == Flavor::Hive {
            ctx.register_udf(super::session_variables::references::udf(&variables));
        }
        EngineSession { shared, ctx, flavor, user, settings: Mutex::new(settings), temp_views, ansi, precision_loss, zone, variables }
    }

    /// The session's variables.
    pub(crate) fn variables(&self) -> &super::session_variables::SessionVariables {
        &self.variables
    }

    /// Runs a HiveQL query the engine writes itself (a variable's value) and collects its rows.
    pub(crate) async fn query_rows(&self, sql: &str) -> Result<Vec<datafusion::arrow::record_batch::RecordBatch>, BackendError> {
        let Action::Sql(stmt) = hiveql::parse_action_with(sql, self.flavor, self.text_options())? else {
            return Err(BackendError::new(ErrorKind::InvalidParameter, format!("not a query: {sql}")));
        };
        let result = self.run_sql(*stmt, sql, Vec::new(), CancellationToken::new(), Arc::default()).await?;
        let QueryResult::Rows { mut stream, .. } = result else { return Ok(Vec::new()) };
        let mut batches = Vec::new();
        while let Some(batch) = stream.next().await {
            batches.push(batch?);
        }
        Ok(batches)
    }

    /// The catalog provider.
    pub(crate) fn catalog(&self) -> &HiveCatalogProvider {
        &self.shared.catalog
    }

    /// Makes `db` the current database.
    pub(crate) fn set_database(&self, db: &str) {
        self.ctx.state_ref().write().config_mut().options_mut().catalog.default_schema = db.to_string();
    }

    /// Splits a possibly qualified table name into (database, table), lower-cased.
    pub(crate) fn resolve_table(&self, name: &ObjectName) -> Result<(String, String), BackendError> {
        let parts: Vec<String> = name.0.iter().map(|p| object_part(p).to_lowercase()).collect();
        match parts.as_slice() {
            [t] => Ok((self.current_database(), t.clone())),
            [d, t] => Ok((d.clone(), t.clone())),
            [c, d, t] if *c == self.shared.catalog_name => Ok((d.clone(), t.clone())),
            _ => Err(BackendError::new(ErrorKind::InvalidParameter, format!("invalid table name {name}"))),
        }
    }

    /// A database name from a one-part (or catalog-qualified) name, lower-cased.
    pub(crate) fn resolve_database(&self, name: &ObjectName) -> Result<String, BackendError> {
        let parts: Vec<String> = name.0.iter().map(|p| object_part(p).to_lowercase()).collect();
        match parts.as_slice() {
            [d] => Ok(d.clone()),
            [c, d] if *c == self.shared.catalog_name => Ok(d.clone()),
            _ => Err(BackendError::new(ErrorKind::InvalidParameter, format!("invalid database name {name}"))),
        }
    }

    fn rewrite(&self, stmt: Statement, sql: &str) -> Result<Statement, BackendError> {
        let mut stmt = match self.flavor {
            Flavor::Postgres if mentions_pg_catalog(sql) => {
                // Catalog queries that no rewrite can make plannable are swapped whole for
                // equivalent ones; that table works on the text, so they are parsed again through it.
                let mut stmt = match PG_REWRITER.parse(sql) {
                    Ok(mut parsed) if parsed.len() == 1 => parsed.remove(0),
                    _ => PG_REWRITER.rewrite(stmt),
                };
                super::pg_compat::rewrite_catalog_query(&mut stmt);
                stmt
            }
            Flavor::Postgres => PG_REWRITER.rewrite(stmt),
            Flavor::Hive => {
                let mut stmt = stmt;
                let policy = hiveql::settings::lookup(self, hiveql::cte_scopes::POLICY_SETTING);
                let ansi = self.flag("spark.sql.ansi.enabled", true);
                let zone = self.zone()?;
                if let Ok(mut current) = self.zone.lock() {
                    *current = zone;
                }
                self.show_instants_in(zone);
                self.ansi.store(ansi, std::sync::atomic::Ordering::Relaxed);
                super::common_types::session_rules::set(&self.ctx, true, ansi);
                let precision_loss = self.flag("spark.sql.decimalOperations.allowPrecisionLoss", true);
                self.precision_loss.store(precision_loss, std::sync::atomic::Ordering::Relaxed);
                let legacy_count_bug = self.flag(hiveql::one_row_subqueries::LEGACY_SETTING, false);
                let ctes = hiveql::cte_scopes::Policy::from_setting(policy.as_deref());
                let options = hiveql::QueryOptions { ctes, ansi, zone, precision_loss, legacy_count_bug };
                hiveql::prepare_query(&mut stmt, &options)?;
                // After the select items are named, so that `upper(current_database())` keeps
                // Spark's name for it.
                hiveql::session_functions::inline(&mut stmt, &self.current_database(), &self.user);
                stmt
            }
        };
        if self.flavor == Flavor::Postgres {
            super::pg_compat::inline_current_setting(&mut stmt, &|key| hiveql::settings::lookup(self, key));
            hiveql::session_functions::inline_user(&mut stmt, &self.user);
            // USING joins' columns read as in PostgreSQL (the HiveQL rewrites do this for HiveQL).
            hiveql::using_joins::rewrite(&mut stmt);
        }
        hiveql::like_escape::rewrite(&mut stmt);
        Ok(stmt)
    }

    /// Tells the catalog's scans the session's zone, in which Parquet timestamps (instants) are
    /// shown (`hivewire_catalog::instants`).
    fn show_instants_in(&self, zone: hiveql::time_zones::Zone) {
        use hivewire_catalog::instants::SessionZone;
        let name = if zone.is_utc() { String::new() } else { zone.name() };
        super::context::update_extension::<SessionZone>(&self.ctx, |current| current.name == name, |current| current.name = name.clone());
    }

    /// The settings the text passes before parsing follow.
    pub(crate) fn text_options(&self) -> hiveql::TextOptions {
        hiveql::TextOptions { legacy_bang_not: self.flag(hiveql::bang_not::LEGACY_SETTING, false), text_variables: self.variables.texts() }
    }

    /// A boolean Spark setting: `true` or `false` as set, else `default`.
    fn flag(&self, key: &str, default: bool) -> bool {
        match hiveql::settings::lookup(self, key) {
            Some(v) if v.trim().eq_ignore_ascii_case("true") => true,
            Some(v) if v.trim().eq_ignore_ascii_case("false") => false,
            _ => default,
        }
    }

    /// The session's time zone: `spark.sql.session.timeZone`, or the server's `[engine] time_zone`.
    fn zone(&self) -> Result<hiveql::time_zones::Zone, BackendError> {
        match hiveql::settings::lookup(self, hiveql::time_zones::SETTING) {
            Some(name) => hiveql::time_zones::Zone::parse(&name)
                .ok_or_else(|| BackendError::new(ErrorKind::InvalidParameter, format!("[INVALID_TIMEZONE] '{name}' is not a time zone"))),
            None => Ok(self.shared.default_zone),
        }
    }

    /// The outer select's aliases to give back their case, over HiveServer2 only. Its repeated
    /// names are told apart for planning (see `hiveql::duplicate_names`).
    fn written_aliases(&self, stmt: &mut Statement) -> std::collections::HashMap<String, String> {
        match self.flavor {
            Flavor::Hive => {
                let written = super::output_names::written_aliases(stmt);
                // Repeated names are found among the names of literals in the session's zone.
                if let Ok(zone) = self.zone() {
                    hiveql::datetime_literals::normalize(stmt, zone);
                }
                hiveql::duplicate_names::rewrite(stmt);
                written
            }
            Flavor::Postgres => std::collections::HashMap::new(),
        }
    }

    /// Plans a statement with DataFusion. `hints` types `$1..$n` where known.
    async fn plan(&self, stmt: Statement, sql: &str, hints: &[Option<DataType>]) -> Result<LogicalPlan, BackendError> {
        self.plan_reading(stmt, sql, hints, true).await
    }

    /// Plans a statement; `variables` says whether names may read the session's variables.
    async fn plan_reading(&self, stmt: Statement, sql: &str, hints: &[Option<DataType>], variables: bool) -> Result<LogicalPlan, BackendError> {
        let spelled = match self.flavor {
            Flavor::Hive => super::spelled_names::collect(&stmt),
            Flavor::Postgres => std::collections::HashMap::new(),
        };
        let mut stmt = self.rewrite(stmt, sql)?;
        hiveql::temp_views::resolve(&mut stmt, &hiveql::temp_views::names(self));
        if super::natural_joins::resolve(&self.ctx, &mut stmt).await {
            hiveql::using_joins::rewrite(&mut stmt);
        }
        if self.flavor == Flavor::Hive {
            if super::function_stars::expand(&self.ctx, &mut stmt).await {
                hiveql::structs::rewrite(&mut stmt);
            }
            super::struct_stars::expand(&self.ctx, &mut stmt).await;
        }
        let typed: Vec<ast::DataType> = hints.iter().map_while(|h| h.as_ref().and_then(sql_type)).collect();
        let stmt = if typed.is_empty() {
            stmt
        } else {
            Statement::Prepare { name: Ident::new("hivewire_statement"), data_types: typed, statement: Box::new(stmt) }
        };
        let plan = self.plan_with_variables(stmt, variables).await.map_err(|e| from_datafusion(&e, Some(sql)))?;
        let plan = match plan {
            LogicalPlan::Statement(PlanStatement::Prepare(p)) => Arc::unwrap_or_clone(p.input),
            other => other,
        };
        match &plan {
            LogicalPlan::Ddl(ddl) => Err(BackendError::not_supported(format!("{} here", ddl.name()))),
            LogicalPlan::Statement(s) => Err(BackendError::not_supported(s.name())),
            _ => super::generate::rebase_lateral_generators(plan)
                .and_then(super::multiset::rewrite)
                .and_then(super::subquery_names::fill)
                .and_then(super::field_names::name)
                .map(|plan| super::spelled_names::annotate(plan, &spelled))
                .map_err(|e| from_datafusion(&e, Some(sql))),
        }
    }

    /// Plans a statement with DataFusion; where a name it does not find among the columns is one
    /// of the session's variables, the name is read as the variable and the statement planned
    /// again ([`super::session_variables::references`]).
    async fn plan_with_variables(&self, mut stmt: Statement, variables: bool) -> datafusion::error::Result<LogicalPlan> {
        use super::session_variables::references;
        let state = self.ctx.state();
        // The first error, once every name of a variable has been read as one (a function may
        // fail on a name before the planner looks it up as a column: `from_json(j, schema_var)`).
        let mut first: Option<datafusion::error::DataFusionError> = None;
        // Each round resolves one name; a statement names few variables.
        for _ in 0..32 {
            let retry = (variables && !self.variables.is_empty()).then(|| stmt.clone());
            match state.statement_to_plan(DFStatement::Statement(Box::new(stmt))).await {
                Ok(plan) => return Ok(plan),
                Err(e) => {
                    let Some(mut again) = retry else { return Err(first.unwrap_or(e)) };
                    if let Some((parts, name, value)) = references::unresolved(&e, &self.variables) {
                        if !references::substitute(&mut again, &parts, &name, &value) {
                            return Err(first.unwrap_or(e));
                        }
                    } else {
                        let all = references::declared_references(&again, &self.variables);
                        if first.is_some() || all.is_empty() {
                            return Err(first.unwrap_or(e));
                        }
                        for (parts, name, value) in all {
                            references::substitute(&mut again, &parts, &name, &value);
                        }
                        first = Some(e);
                    }
                    stmt = again;
                }
            }
        }
        datafusion::common::plan_err!("the statement names too many session variables")
    }

    /// Plans a statement for a front-end handler (the query of an INSERT or CTAS).
    /// The plan is analysed, so that its schema is the one its rows will have (integer literals
    /// narrowed, types coerced): a table or view made from it takes that schema.
    pub(crate) async fn plan_statement(&self, stmt: Statement, sql: &str) -> Result<LogicalPlan, BackendError> {
        self.plan_analysed(stmt, sql, true).await
    }

    /// Plans the query of a view kept in the catalog, which outlives the session: its names do
    /// not read the session's variables, as Spark refuses them there.
    pub(crate) async fn plan_lasting_statement(&self, stmt: Statement, sql: &str) -> Result<LogicalPlan, BackendError> {
        self.plan_analysed(stmt, sql, false).await
    }

    async fn plan_analysed(&self, stmt: Statement, sql: &str, variables: bool) -> Result<LogicalPlan, BackendError> {
        let plan = self.plan_reading(stmt, sql, &[], variables).await?;
        let state = self.ctx.state();
        state.analyzer().execute_and_check(plan, state.config_options(), |_, _| {}).map_err(|e| from_datafusion(&e, Some(sql)))
    }

    /// Plans a query and binds its `$n` parameters.
    pub(crate) async fn plan_with_params(&self, stmt: Statement, sql: &str, params: &[ArrayRef]) -> Result<LogicalPlan, BackendError> {
        let hints: Vec<Option<DataType>> = params.iter().map(|a| Some(a.data_type().clone())).collect();
        let plan = self.plan(stmt, sql, &hints).await?;
        if params.is_empty() {
            return Ok(plan);
        }
        let values = params
            .iter()
            .map(|a| ScalarValue::try_from_array(a, 0))
            .collect::<datafusion::error::Result<Vec<_>>>()
            .map_err(|e| from_datafusion(&e, Some(sql)))?;
        plan.with_param_values(ParamValues::from(values)).map_err(|e| from_datafusion(&e, Some(sql)))
    }

    /// The schema a plan's rows will have once analysed, as execution will analyse it; the planned
    /// schema if analysis needs parameter values it does not have yet.
    fn analyzed_schema(&self, plan: &LogicalPlan) -> SchemaRef {
        let state = self.ctx.state();
        match state.analyzer().execute_and_check(plan.clone(), state.config_options(), |_, _| {}) {
            Ok(analyzed) => Arc::new(analyzed.schema().as_arrow().clone()),
            Err(_) => Arc::new(plan.schema().as_arrow().clone()),
        }
    }

    /// Runs a statement that DataFusion plans: a query, an INSERT, an EXPLAIN.
    async fn run_sql(
        &self,
        mut stmt: Statement,
        sql: &str,
        params: Vec<ArrayRef>,
        cancel: CancellationToken,
        progress: Arc<Progress>,
    ) -> Result<QueryResult, BackendError> {
        // An INSERT's parameters take the types of the columns they fill; elsewhere the client's
        // types guide planning where the query alone does not say.
        let hints: Vec<Option<DataType>> = if matches!(stmt, Statement::Insert(_)) {
            vec![]
        } else {
            params.iter().map(|a| Some(a.data_type().clone())).collect()
        };
        let written = self.written_aliases(&mut stmt);
        let plan = self.plan(stmt, sql, &hints).await?;
        let plan = super::output_names::restore(plan, &written).map_err(|e| from_datafusion(&e, Some(sql)))?;
        let plan = if params.is_empty() {
            plan
        } else {
            let planned = parameter_types(&plan, &[]);
            let values = params
                .iter()
                .enumerate()
                .map(|(i, a)| match planned.get(i).cloned().flatten() {
                    Some(dt) if &dt != a.data_type() => datafusion::arrow::compute::cast(a, &dt)
                        .map_err(|e| datafusion::error::DataFusionError::ArrowError(Box::new(e), None)),
                    _ => Ok(a.clone()),
                })
                .map(|a| a.and_then(|a| ScalarValue::try_from_array(&a, 0)))
                .collect::<datafusion::error::Result<Vec<_>>>()
                .map_err(|e| from_datafusion(&e, Some(sql)))?;
            plan.with_param_values(ParamValues::from(values)).map_err(|e| from_datafusion(&e, Some(sql)))?
        };
        let is_insert = matches!(plan, LogicalPlan::Dml(_));
        let df = self.ctx.execute_logical_plan(plan).await.map_err(|e| from_datafusion(&e, Some(sql)))?;
        let task_ctx = Arc::new(df.task_ctx());
        let (state, plan) = df.into_parts();
        let physical = super::apply::create_physical_plan(&state, &plan).await.map_err(|e| from_datafusion(&e, Some(sql)))?;
        let physical = super::progress::instrument(physical, &progress).map_err(|e| from_datafusion(&e, Some(sql)))?;
        let stream = datafusion::physical_plan::execute_stream(physical, task_ctx).map_err(|e| from_datafusion(&e, Some(sql)))?;
        // The executed plan's schema, after analysis (which may narrow types), describes the rows.
        let schema: SchemaRef = stream.schema();
        let mut stream = cancellable(stream, cancel);
        if !is_insert {
            return Ok(QueryResult::Rows { schema, stream, tag: "SELECT".into() });
        }
        let mut rows = 0u64;
        while let Some(batch) = stream.next().await {
            let batch = batch?;
            if let Some(counts) = batch.columns().first().and_then(|c| c.as_any().downcast_ref::<UInt64Array>()) {
                rows += counts.iter().flatten().sum::<u64>();
            }
        }
        Ok(QueryResult::Command(CommandOutcome::with_rows("INSERT", rows)))
    }

    /// Routes an action to the code that runs it.
    async fn route(
        &self,
        action: Action,
        sql: &str,
        params: Vec<ArrayRef>,
        cancel: CancellationToken,
        progress: Arc<Progress>,
    ) -> Result<QueryResult, BackendError> {
        match action {
            Action::Sql(stmt) => self.run_sql(*stmt, sql, params, cancel, progress).await,
            Action::CreateDatabase { name, if_not_exists, location, comment } => {
                hiveql::database::create(self, &name, if_not_exists, location, comment, Default::default()).await
            }
            Action::DropDatabase { names, if_exists, cascade } => {
                hiveql::database::drop(self, &names, if_exists, cascade).await
            }
            Action::Use(name) => hiveql::database::use_database(self, &name).await,
            Action::ShowDatabases(pattern) => hiveql::show::databases(self, pattern.as_deref()).await,
            Action::ShowTables { database, pattern } => {
                hiveql::show::tables(self, database.as_ref(), pattern.as_deref()).await
            }
            Action::Describe(name) => hiveql::describe::table(self, &name, false, None).await,
            Action::Hive(stmt) => hiveql::hive_exec::run(self, *stmt).await,
            Action::CreateTable(ct) => hiveql::table::create(self, *ct, sql, cancel).await,
            Action::Insert(ins) => hiveql::insert::insert(self, *ins, sql, params, cancel).await,
            Action::DropTable { names, if_exists } => hiveql::table::drop(self, &names, if_exists).await,
            Action::Set { key, value } => hiveql::settings::set(self, &key, &value).await,
            Action::ShowSetting(key) => hiveql::settings::show(self, &key),
            Action::ShowAllSettings => hiveql::settings::show_all(self),
            Action::Reset(key) => hiveql::settings::reset(self, key.as_deref()),
            Action::Begin => Ok(transaction("BEGIN", TransactionEffect::Begin)),
            Action::Commit => Ok(transaction("COMMIT", TransactionEffect::End)),
            Action::Rollback => Ok(transaction("ROLLBACK", TransactionEffect::End)),
            Action::Savepoint(tag) => Ok(QueryResult::Command(CommandOutcome::tag(tag))),
            Action::Copy { query, format } => {
                let text = query.to_string();
                match self.run_sql(Statement::Query(query), &text, params, cancel, progress).await? {
                    QueryResult::Rows { schema, stream, .. } => Ok(QueryResult::Copy { schema, stream, format }),
                    other => Ok(other),
                }
            }
        }
    }

    /// The result schema of a front-end action, known without running it.
    fn action_schema(action: &Action) -> Option<SchemaRef> {
        match action {
            Action::ShowDatabases(_) => Some(hiveql::show::databases_schema()),
            Action::ShowTables { .. } => Some(hiveql::show::tables_schema()),
            Action::Describe(_) => Some(hiveql::describe::table_schema()),
            Action::Hive(stmt) => hiveql::hive_exec::result_schema(stmt),
            Action::ShowSetting(key) => Some(hiveql::settings::show_schema(key)),
            Action::ShowAllSettings => Some(hiveql::settings::show_all_schema()),
            _ => None,
        }
    }
}

fn transaction(tag: &str, effect: TransactionEffect) -> QueryResult {
    QueryResult::Command(CommandOutcome { tag: tag.into(), rows: None, transaction: Some(effect) })
}

/// The unquoted text of one part of an object name.
pub(crate) fn object_part(p: &ast::ObjectNamePart) -> String {
    match p.as_ident() {
        Some(i) => i.value.clone(),
        None => p.to_string(),
    }
}

/// The SQL type to declare a parameter of this Arrow type in a PREPARE.
fn sql_type(dt: &DataType) -> Option<ast::DataType> {
    use ast::{DataType as S, ExactNumberInfo, TimezoneInfo};
    Some(match dt {
        DataType::Boolean => S::Boolean,
        DataType::Int16 => S::SmallInt(None),
        DataType::Int32 => S::Int(None),
        DataType::Int64 => S::BigInt(None),
        DataType::Float32 => S::Real,
        DataType::Float64 => S::DoublePrecision,
        DataType::Utf8 => S::Text,
        DataType::Binary => S::Bytea,
        DataType::Date32 => S::Date,
        DataType::Decimal128(p, s) => S::Decimal(ExactNumberInfo::PrecisionAndScale(*p as u64, *s as i64)),
        DataType::Timestamp(_, None) => S::Timestamp(None, TimezoneInfo::None),
        DataType::Timestamp(_, Some(_)) => S::Timestamp(None, TimezoneInfo::WithTimeZone),
        _ => return None,
    })
}

#[async_trait]
impl Session for EngineSession {
    fn split_statements(&self, sql: &str) -> Result<Vec<String>, BackendError> {
        hiveql::split_statements(sql, self.flavor)
    }

    async fn describe(&self, sql: &str, hints: &[Option<DataType>]) -> Result<Description, BackendError> {
        self.catalog().refresh().await.map_err(from_catalog)?;
        let action = hiveql::parse_action_with(sql, self.flavor, self.text_options())?;
        let mut stmt = match action {
            Action::Sql(stmt) => *stmt,
            Action::Insert(ins) => {
                // DataFusion's INSERT planning types `$n` by the columns they fill; the rows
                // themselves are written by the front end's own INSERT.
                let parameters = match self.plan(Statement::Insert(*ins), sql, hints).await {
                    Ok(plan) => parameter_types(&plan, hints),
                    Err(_) => hints.to_vec(),
                };
                return Ok(Description { parameters, result: None });
            }
            Action::Copy { query, .. } => {
                let plan = self.plan(Statement::Query(query), sql, hints).await?;
                return Ok(Description { parameters: parameter_types(&plan, hints), result: None });
            }
            other => return Ok(Description { parameters: vec![], result: Self::action_schema(&other) }),
        };
        let written = self.written_aliases(&mut stmt);
        let plan = self.plan(stmt, sql, hints).await?;
        let plan = super::output_names::restore(plan, &written).map_err(|e| from_datafusion(&e, Some(sql)))?;
        let result = match plan {
            LogicalPlan::Dml(_) => None,
            ref p => Some(self.analyzed_schema(p)),
        };
        Ok(Description { parameters: parameter_types(&plan, hints), result })
    }

    async fn execute(
        &self,
        sql: &str,
        params: Vec<ArrayRef>,
        cancel: CancellationToken,
    ) -> Result<QueryResult, BackendError> {
        self.execute_with_progress(sql, params, cancel, Arc::default()).await
    }

    async fn execute_with_progress(
        &self,
        sql: &str,
        params: Vec<ArrayRef>,
        cancel: CancellationToken,
        progress: Arc<Progress>,
    ) -> Result<QueryResult, BackendError> {
        self.catalog().refresh().await.map_err(from_catalog)?;
        // `${name}` references, in HiveQL sessions unless the setting turns them off.
        let substituted = match self.flavor {
            Flavor::Hive if self.flag(hiveql::variable_substitution::SETTING, true) => {
                hiveql::variable_substitution::substitute(sql, &|key| hiveql::settings::lookup(self, key))
            }
            _ => None,
        };
        let sql = substituted.as_deref().unwrap_or(sql);
        let action = hiveql::parse_action_with(sql, self.flavor, self.text_options())?;
        // EXECUTE IMMEDIATE gives the statement to run in its place.
        let (action, immediate) = match super::execute_immediate::resolve(self, action).await? {
            super::execute_immediate::Resolved::Done(result) => return Ok(result),
            super::execute_immediate::Resolved::Run(action, text) => (action, text),
        };
        let sql = immediate.as_deref().unwrap_or(sql);
        // A bug that panics while a statement is planned fails that statement, not its session.
        use futures::FutureExt;
        match std::panic::AssertUnwindSafe(self.route(action, sql, params, cancel, progress)).catch_unwind().await {
            Ok(result) => result,
            Err(panic) => {
                let message = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_default();
                tracing::error!(sql, panic = %message, "a statement panicked");
                Err(BackendError::new(ErrorKind::Internal, format!("internal error while running the statement: {message}")))
            }
        }
    }

    fn current_database(&self) -> String {
        // Read in place: `ctx.state()` would copy every registered function to read one string.
        self.ctx.state_ref().read().config().options().catalog.default_schema.clone()
    }

    fn setting(&self, key: &str) -> Option<String> {
        hiveql::settings::lookup(self, key)
    }

    async fn list_databases(&self, pattern: Option<&str>) -> Result<Vec<String>, BackendError> {
        let dbs = self.catalog().store().list_databases().await.map_err(from_catalog)?;
        Ok(dbs.into_iter().map(|d| d.name).filter(|n| pattern.is_none_or(|p| like_matches(p, n))).collect())
    }

    async fn list_tables(&self, db_pattern: Option<&str>, table_pattern: Option<&str>) -> Result<Vec<TableInfo>, BackendError> {
        let tables = self.catalog().store().list_tables(None).await.map_err(from_catalog)?;
        Ok(tables
            .into_iter()
            .filter(|t| db_pattern.is_none_or(|p| like_matches(p, &t.database)))
            .filter(|t| table_pattern.is_none_or(|p| like_matches(p, &t.name)))
            .map(|t| TableInfo {
                database: t.database,
                name: t.name,
                kind: match t.kind {
                    hivewire_catalog::TableKind::Managed => "TABLE".into(),
                    hivewire_catalog::TableKind::External => "EXTERNAL TABLE".into(),
                    hivewire_catalog::TableKind::View => "VIEW".into(),
                },
                comment: t.comment,
            })
            .collect())
    }

    async fn list_columns(&self, database: &str, table: &str) -> Result<Vec<ColumnInfo>, BackendError> {
        let def = self
            .catalog()
            .store()
            .get_table(&database.to_lowercase(), &table.to_lowercase())
            .await
            .map_err(from_catalog)?
            .ok_or_else(|| BackendError::new(ErrorKind::UndefinedTable, format!("table {database}.{table} not found")))?;
        def.columns
            .into_iter()
            .chain(def.partition_columns)
            .map(|c| {
                let data_type = hive_to_arrow(&c.hive_type).map_err(from_catalog)?;
                Ok(ColumnInfo { name: c.name, data_type, type_name: c.hive_type, nullable: true, comment: c.comment })
            })
            .collect()
    }
}

/// `$1..$n` types of a plan, in order; client hints win where the plan has none.
fn parameter_types(plan: &LogicalPlan, hints: &[Option<DataType>]) -> Vec<Option<DataType>> {
    let mut found: HashMap<String, Option<DataType>> = plan.get_parameter_types().unwrap_or_default();
    // `$1::BIGINT` gives $1 the type it is cast to, as in PostgreSQL; DataFusion leaves it open.
    for (id, data_type) in cast_placeholders(plan) {
        let slot = found.entry(id).or_insert(None);
        if slot.is_none() {
            *slot = Some(data_type);
        }
    }
    let max = found
        .keys()
        .filter_map(|k| k.strip_prefix('$').and_then(|n| n.parse::<usize>().ok()))
        .max()
        .unwrap_or(0)
        .max(hints.len());
    (1..=max)
        .map(|i| found.get(&format!("${i}")).cloned().flatten().or_else(|| hints.get(i - 1).cloned().flatten()))
        .collect()
}

/// The placeholders that appear directly under a CAST, with the type each is cast to.
fn cast_placeholders(plan: &LogicalPlan) -> Vec<(String, DataType)> {
    use datafusion::common::tree_node::{TreeNode, TreeNodeRecursion};
    use datafusion::logical_expr::{Cast, Expr, TryCast};
    let mut out = Vec::new();
    let _ = plan.apply_with_subqueries(|node| {
        node.apply_expressions(|e| {
            e.apply(|e| {
                if let Expr::Cast(Cast { expr, field }) | Expr::TryCast(TryCast { expr, field }) = e {
                    if let Expr::Placeholder(p) = expr.as_ref() {
                        out.push((p.id.clone(), field.data_type().clone()));
                    }
                }
                Ok(TreeNodeRecursion::Continue)
            })
        })
    });
    out
}

/// Whether a statement reads PostgreSQL's system catalogs, as driver and psql metadata queries do.
fn mentions_pg_catalog(sql: &str) -> bool {
    sql.to_ascii_lowercase().contains("pg_catalog.")
}
