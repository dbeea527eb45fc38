//! The template DataFusion session state every session starts from.

use std::sync::Arc;

use datafusion::catalog::CatalogProvider;
use datafusion::execution::memory_pool::FairSpillPool;
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::execution::session_state::{SessionState, SessionStateBuilder};
use datafusion::prelude::{SessionConfig, SessionContext};
use datafusion_pg_catalog::pg_catalog::context::EmptyContextProvider;
use datafusion_spark::SessionStateBuilderSpark;
use hivewire_catalog::HiveCatalogProvider;

use super::EngineError;
use crate::config::{parse_size, EngineConfig};

/// Builds the state: Spark functions over DataFusion's, our catalog as the only catalog, pg_catalog
/// inside it, information_schema on, and one runtime (memory pool, object stores) for all sessions.
pub(crate) fn template_state(
    config: &EngineConfig,
    catalog_name: &str,
    catalog: HiveCatalogProvider,
) -> Result<SessionState, EngineError> {
    let df = |e: datafusion::error::DataFusionError| EngineError::DataFusion(e.to_string());
    let partitions = if config.target_partitions == 0 {
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
    } else {
        config.target_partitions
    };
    let mut session_config = SessionConfig::new()
        .with_default_catalog_and_schema(catalog_name, "default")
        .with_create_default_catalog_and_schema(false)
        .with_information_schema(true)
        .with_target_partitions(partitions)
        .with_batch_size(config.batch_size);
    // Identifiers are case-insensitive in HiveQL; DataFusion folds unquoted ones to lower case.
    session_config.options_mut().sql_parser.enable_ident_normalization = true;
    // TIMESTAMP WITH TIME ZONE values are UTC instants, as the PostgreSQL front end reports them.
    session_config.options_mut().execution.time_zone = Some("+00:00".to_string());

    let mut runtime = RuntimeEnvBuilder::new();
    let limit = parse_size(&config.memory_limit).map_err(EngineError::DataFusion)?;
    if limit > 0 {
        runtime = runtime.with_memory_pool(Arc::new(FairSpillPool::new(limit as usize)));
    }
    let runtime = runtime.build_arc().map_err(df)?;

    let state = SessionStateBuilder::new()
        .with_config(session_config)
        .with_runtime_env(runtime)
        .with_default_features()
        .with_spark_features()
        .build();
    let ctx = SessionContext::new_with_state(state);
    let provider: Arc<dyn CatalogProvider> = Arc::new(catalog);
    ctx.register_catalog(catalog_name, provider);
    datafusion_pg_catalog::setup_pg_catalog(&ctx, catalog_name, EmptyContextProvider).map_err(|e| df(*e))?;
    ctx.register_udf(version_udf());
    ctx.register_udf(to_regtype_udf());
    Ok(ctx.state())
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

/// `to_regtype(name)`: the oid of a built-in PostgreSQL type, or NULL for a type that does not exist
/// here (drivers probe for extension types such as hstore this way).
fn to_regtype_udf() -> datafusion::logical_expr::ScalarUDF {
    use datafusion::arrow::array::{Array, AsArray, Int32Array};
    use datafusion::arrow::datatypes::DataType;
    use datafusion::logical_expr::{create_udf, ColumnarValue, Volatility};
    fn oid(name: &str) -> Option<i32> {
        let n = name.trim().trim_start_matches("pg_catalog.").to_lowercase();
        Some(match n.as_str() {
            "bool" | "boolean" => 16,
            "bytea" => 17,
            "int8" | "bigint" => 20,
            "int2" | "smallint" => 21,
            "int4" | "integer" | "int" => 23,
            "text" => 25,
            "oid" => 26,
            "json" => 114,
            "float4" | "real" => 700,
            "float8" | "double precision" => 701,
            "varchar" | "character varying" => 1043,
            "date" => 1082,
            "time" | "time without time zone" => 1083,
            "timestamp" | "timestamp without time zone" => 1114,
            "timestamptz" | "timestamp with time zone" => 1184,
            "interval" => 1186,
            "numeric" | "decimal" => 1700,
            _ => return None,
        })
    }
    create_udf(
        "to_regtype",
        vec![DataType::Utf8],
        DataType::Int32,
        Volatility::Stable,
        std::sync::Arc::new(|args: &[ColumnarValue]| {
            let arrays = ColumnarValue::values_to_arrays(args)?;
            let names = datafusion::arrow::compute::cast(&arrays[0], &DataType::Utf8)?;
            let names = names.as_string::<i32>();
            let out: Int32Array = (0..names.len()).map(|i| if names.is_null(i) { None } else { oid(names.value(i)) }).collect();
            Ok(ColumnarValue::Array(std::sync::Arc::new(out)))
        }),
    )
}
