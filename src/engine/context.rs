//! The template DataFusion session state every session starts from.

use std::sync::Arc;

use datafusion::catalog::CatalogProvider;
use datafusion::execution::cache::cache_manager::CacheManagerConfig;
use datafusion::execution::disk_manager::{DiskManagerBuilder, DiskManagerMode};
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::execution::session_state::{SessionState, SessionStateBuilder};
use datafusion::prelude::{SessionConfig, SessionContext};
use datafusion_spark::SessionStateBuilderSpark;
use hivewire_catalog::HiveCatalogProvider;

use super::EngineError;
use crate::config::{Config, EngineConfig};

/// Builds the state: Spark functions over DataFusion's, our catalog as the only catalog, pg_catalog
/// inside it, information_schema on, and one runtime (memory pool, object stores) for all sessions.
pub(crate) fn template_state(config: &Config, catalog: HiveCatalogProvider) -> Result<SessionState, EngineError> {
    let catalog_name = config.server.catalog_name.as_str();
    let stores = super::stores::Stores::new(config.object_store.clone());
    let config: &EngineConfig = &config.engine;
    let df = |e: datafusion::error::DataFusionError| EngineError::DataFusion(e.to_string());
    let session_config = session_config(config)
        .with_default_catalog_and_schema(catalog_name, "default")
        .with_create_default_catalog_and_schema(false)
        .with_information_schema(true);

    // No cache of directory listings: files come and go under other writers (Spark, MSCK, a
    // user's copy) and every statement must see them. Footers and statistics stay cached, checked
    // against each file's size and modification time.
    let caches = CacheManagerConfig::default().with_list_files_cache_limit(0);
    let mut runtime =
        RuntimeEnvBuilder::new().with_object_store_registry(Arc::new(stores)).with_cache_manager(caches);
    if !config.spill_dir.is_empty() {
        let dir = std::path::PathBuf::from(&config.spill_dir);
        std::fs::create_dir_all(&dir).map_err(|source| EngineError::DataDir { path: dir.clone(), source })?;
        runtime = runtime.with_disk_manager_builder(DiskManagerBuilder::default().with_mode(DiskManagerMode::Directories(vec![dir])));
    }
    if let Some(pool) = super::memory::memory_pool(config).map_err(EngineError::DataFusion)? {
        runtime = runtime.with_memory_pool(pool);
    }
    let runtime = runtime.build_arc().map_err(df)?;

    let mut builder = SessionStateBuilder::new()
        .with_config(session_config)
        .with_runtime_env(runtime)
        .with_default_features()
        .with_spark_features()
        .with_analyzer_rules(analyzer_rules())
        .with_optimizer_rules(super::leaf_pushdown::optimizer_rules())
        .with_physical_optimizer_rules(super::lambda_safe::physical_rules())
        .with_query_planner(Arc::new(super::apply::ApplyQueryPlanner))
        .with_relation_planners(vec![Arc::new(super::generate::GeneratorRelations), Arc::new(super::pivot::PivotRelations)]);
    // Struct fields are found regardless of case before DataFusion looks them up exactly.
    builder.expr_planners().get_or_insert_with(Vec::new).insert(0, Arc::new(super::struct_fields::StructFieldNames));
    let state = builder.build();
    let ctx = SessionContext::new_with_state(state);
    // DataFusion's avg over datafusion-spark's: it keeps a DECIMAL's type (avg of DECIMAL(p,s) is
    // DECIMAL(p+4,s+4), as in Spark) and takes DISTINCT, where datafusion-spark's gives DOUBLE.
    ctx.register_udaf(datafusion::functions_aggregate::average::avg_udaf().as_ref().clone());
    let provider: Arc<dyn CatalogProvider> = Arc::new(catalog);
    ctx.register_catalog(catalog_name, provider);
    super::pg_compat::install(&ctx, catalog_name).map_err(df)?;
    // Spark's STRUCT<...> and MAP<...> types, in front of pg_catalog's type planner.
    let with_types = super::complex_types::install(ctx.state());
    *ctx.state_ref().write() = with_types;
    ctx.register_udf(version_udf());
    ctx.register_udf(crate::hiveql::like_escape::udf());
    for f in super::spark_functions::all() {
        ctx.register_udf(f.as_ref().clone());
    }
    for name in super::spark_functions::binary_strings::WRAPPED {
        if let Some(wrapped) = ctx.state().scalar_functions().get(name).cloned().and_then(super::spark_functions::binary_strings::binary_aware) {
            ctx.register_udf(wrapped);
        }
    }
    for name in super::spark_functions::text_arguments::WRAPPED {
        if let Some(inner) = ctx.state().scalar_functions().get(name).cloned() {
            ctx.register_udf(super::spark_functions::text_arguments::text_aware(inner));
        }
    }
    let existing = ctx.state().scalar_functions().clone();
    for f in super::spark_functions::datetime_parse::functions(|name| existing.get(name).cloned()) {
        ctx.register_udf(f);
    }
    for f in super::intervals::functions() {
        ctx.register_udf(f.as_ref().clone());
    }
    if let Some(wrapped) = ctx.state().scalar_functions().get("concat").cloned().and_then(super::spark_functions::array_concat::array_aware) {
        ctx.register_udf(wrapped);
    }
    // Spark's three-valued array_contains, over DataFusion's array_has.
    if let Some(inner) = ctx.state().scalar_functions().get("array_has").cloned() {
        ctx.register_udf(super::spark_functions::array_contains::spark_array_contains(inner));
    }
    // Spark's DECIMAL result types for rounding, over the rounding functions registered above.
    for name in super::spark_functions::round_scale::WRAPPED {
        if let Some(inner) = ctx.state().scalar_functions().get(name).cloned() {
            ctx.register_udf(super::spark_functions::round_scale::spark_scaled(inner));
        }
    }
    for name in super::intervals::WRAPPED {
        if let Some(wrapped) = ctx.state().scalar_functions().get(name).cloned().and_then(super::intervals::interval_aware) {
            ctx.register_udf(wrapped);
        }
    }
    for f in super::lambdas::functions() {
        ctx.register_higher_order_function(f);
    }
    for f in super::spark_aggregates::all() {
        ctx.register_udaf(f.as_ref().clone());
    }
    Ok(ctx.state())
}

/// The execution settings every session gets from `[engine]`. Public so that benchmarks can run
/// DataFusion in-process with exactly these settings.
pub fn session_config(config: &EngineConfig) -> SessionConfig {
    let partitions = if config.target_partitions == 0 {
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    } else {
        config.target_partitions
    };
    let mut session_config = SessionConfig::new().with_target_partitions(partitions).with_batch_size(config.batch_size);
    // Identifiers are case-insensitive in HiveQL; DataFusion folds unquoted ones to lower case.
    session_config.options_mut().sql_parser.enable_ident_normalization = true;
    // A number with a fraction is a DECIMAL, as in Spark and PostgreSQL: `2.5` is DECIMAL(2,1).
    session_config.options_mut().sql_parser.parse_float_as_decimal = true;
    // TIMESTAMP WITH TIME ZONE values are UTC instants, as the PostgreSQL front end reports them.
    session_config.options_mut().execution.time_zone = Some("+00:00".to_string());
    // The session's zone, in which scans show Parquet timestamps, and the rules its values are
    // typed by; each session sets its own.
    session_config
        .with_option_extension(hivewire_catalog::instants::SessionZone::default())
        .with_option_extension(super::common_types::session_rules::ValueTyping::default())
}

/// Updates one of a session's option extensions (its zone, its typing rules) before a statement:
/// `same` says whether it already holds what is wanted, in which case only the read lock is
/// taken; otherwise `update` writes it.
pub(crate) fn update_extension<T: datafusion::common::config::ConfigExtension>(
    ctx: &SessionContext,
    same: impl Fn(&T) -> bool,
    update: impl FnOnce(&mut T),
) {
    let state = ctx.state_ref();
    if state.read().config_options().extensions.get::<T>().is_some_and(same) {
        return;
    }
    let mut state = state.write();
    if let Some(current) = state.config_mut().options_mut().extensions.get_mut::<T>() {
        update(current);
    }
}

/// The settings a session of one SQL flavour starts from, over the server's: HiveQL sorts NULLs
/// first in ascending order (last in descending), as Spark does, where PostgreSQL sorts them as
/// the largest values.
pub(crate) fn apply_flavor(options: &mut datafusion::config::ConfigOptions, flavor: crate::hiveql::Flavor) {
    if flavor == crate::hiveql::Flavor::Hive {
        options.sql_parser.default_null_ordering = "nulls_min".to_string();
    }
}

/// DataFusion's analyzer rules, after our own that must see the plan before type coercion, and
/// before the one that needs the coerced types of grouping keys. Each session adds its own cast
/// rule after them ([`super::spark_casts`]).
fn analyzer_rules() -> Vec<Arc<dyn datafusion::optimizer::AnalyzerRule + Send + Sync>> {
    let mut rules = datafusion::optimizer::Analyzer::new().rules;
    rules.insert(0, super::literals::rule());
    rules.insert(1, super::common_types::rule());
    rules.insert(2, super::not_in_subqueries::rule());
    rules.insert(3, super::in_subquery_values::rule());
    rules.insert(4, super::scalar_subquery_nulls::rule());
    rules.push(super::map_groups::rule());
    rules
}

/// `version()` in PostgreSQL's form, which drivers parse (`PostgreSQL 15.0 ...`).
fn version_udf() -> datafusion::logical_expr::ScalarUDF {
    use datafusion::arrow::datatypes::DataType;
    use datafusion::logical_expr::{create_udf, ColumnarValue, Volatility};
    use datafusion::scalar::ScalarValue;
    let text = format!(
        "PostgreSQL {} on {}-linux, compiled by rustc (hivewire {}, Apache DataFusion 55)",
        super::PG_SERVER_VERSION.split(' ').next().unwrap_or("15.0"),
        std::env::consts::ARCH,
        env!("CARGO_PKG_VERSION")
    );
    create_udf(
        "version",
        vec![],
        DataType::Utf8,
        Volatility::Immutable,
        std::sync::Arc::new(move |_args: &[ColumnarValue]| Ok(ColumnarValue::Scalar(ScalarValue::Utf8(Some(text.clone()))))),
    )
}
