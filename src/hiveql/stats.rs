//! Table statistics: `ANALYZE TABLE t COMPUTE STATISTICS` records the row count, file count and
//! total size as Hive does (`numRows`, `numFiles`, `totalSize` table properties); DataFusion's
//! planner reads them back through the table provider to order joins.

use datafusion::arrow::array::Int64Array;
use datafusion::sql::sqlparser::ast::ObjectName;
use futures::StreamExt;
use hivewire_backend::{BackendError, CommandOutcome, ErrorKind, QueryResult};
use hivewire_catalog::files::list_data_files;
use hivewire_catalog::TableKind;

use super::describe::lookup;
use crate::engine::errors::{from_catalog, from_datafusion};
use crate::engine::write::commit::locate;
use crate::engine::EngineSession;

/// `ANALYZE TABLE t [PARTITION (...)] COMPUTE STATISTICS`: whole-table statistics.
pub async fn analyze(s: &EngineSession, name: &ObjectName) -> Result<QueryResult, BackendError> {
    let def = lookup(s, name).await?;
    if def.kind == TableKind::View {
        return Err(BackendError::new(ErrorKind::InvalidParameter, format!("{}.{} is a view; ANALYZE applies to tables", def.database, def.name)));
    }
    let dirs: Vec<String> = if def.is_partitioned() {
        s.catalog().store().list_partitions(&def.database, &def.name).await.map_err(from_catalog)?.into_iter().map(|p| p.location).collect()
    } else {
        vec![def.location.clone()]
    };
    let (mut files, mut bytes) = (0u64, 0u64);
    for dir in dirs {
        let (store, _) = locate(&s.ctx.runtime_env(), &dir)?;
        for f in list_data_files(&store, &dir).await.map_err(|e| from_datafusion(&e, None))? {
            files += 1;
            bytes += f.size;
        }
    }
    let sql = format!("SELECT count(*) FROM `{}`.`{}`", def.database, def.name);
    let df = s.ctx.sql(&sql).await.map_err(|e| from_datafusion(&e, None))?;
    let mut stream = df.execute_stream().await.map_err(|e| from_datafusion(&e, None))?;
    let mut rows = 0i64;
    while let Some(batch) = stream.next().await {
        let batch = batch.map_err(|e| from_datafusion(&e, None))?;
        if let Some(c) = batch.columns().first().and_then(|c| c.as_any().downcast_ref::<Int64Array>()) {
            rows += c.iter().flatten().sum::<i64>();
        }
    }
    let mut new = def.clone();
    new.properties.insert("numRows".into(), rows.to_string());
    new.properties.insert("numFiles".into(), files.to_string());
    new.properties.insert("totalSize".into(), bytes.to_string());
    s.catalog().store().alter_table(&def.database, &def.name, new).await.map_err(from_catalog)?;
    Ok(QueryResult::Command(CommandOutcome::tag("ANALYZE")))
}
