//! What PostgreSQL clients expect of the server beyond plain SQL: the pg_catalog tables and the
//! system functions their metadata queries use. datafusion-pg-catalog provides most of it; this
//! module fills the gaps psql and the common drivers hit.

mod functions;
mod rewrites;
mod tables;

pub(crate) use rewrites::{inline_current_setting, rewrite_catalog_query};

use std::sync::Arc;

use datafusion::error::Result;
use datafusion::prelude::SessionContext;
use datafusion_pg_catalog::pg_catalog::context::EmptyContextProvider;

/// Sets up pg_catalog in `catalog_name` and registers the PostgreSQL system functions.
pub(crate) fn install(ctx: &SessionContext, catalog_name: &str) -> Result<()> {
    datafusion_pg_catalog::setup_pg_catalog(ctx, catalog_name, EmptyContextProvider).map_err(|e| *e)?;
    if let Some(catalog) = ctx.catalog(catalog_name) {
        if let Some(schema) = catalog.schema("pg_catalog") {
            catalog.register_schema("pg_catalog", Arc::new(tables::CompletedPgCatalog::new(schema)))?;
        }
    }
    for udf in functions::all() {
        ctx.register_udf(udf);
    }
    Ok(())
}
