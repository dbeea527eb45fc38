//! `INSERT INTO|OVERWRITE [TABLE] t [PARTITION (...)] [(cols)] SELECT ...|VALUES ...`.
//!
//! Rows are matched to the table's columns by position, as in Hive and Spark: the data columns
//! (or the listed ones), then the partition columns the PARTITION clause leaves dynamic, in order.
//! Each is cast to the column's type.

use datafusion::arrow::array::{Array, StringArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Column, ScalarValue};
use datafusion::logical_expr::{cast, lit, Expr as DfExpr, LogicalPlanBuilder};
use datafusion::sql::sqlparser::ast::{BinaryOperator, Expr, Insert, ObjectName, Statement, TableObject};
use hivewire_backend::{BackendError, CancellationToken, CommandOutcome, ErrorKind, QueryResult};
use hivewire_catalog::types::hive_to_arrow;
use hivewire_catalog::{TableDef, TableKind};

use crate::engine::errors::{from_catalog, from_datafusion};
use crate::engine::write::{write, PartitionValue, WriteRequest};
use crate::engine::EngineSession;

/// Runs an INSERT.
pub async fn insert(
    s: &EngineSession,
    mut ins: Insert,
    sql: &str,
    params: Vec<datafusion::arrow::array::ArrayRef>,
    cancel: CancellationToken,
) -> Result<QueryResult, BackendError> {
    let TableObject::TableName(name) = &ins.table else {
        return Err(BackendError::not_supported("INSERT INTO a table function"));
    };
    let table = target_table(s, name).await?;
    super::column_defaults::apply(&mut ins, &table)?;
    let partition = partition_spec(&table, ins.partitioned.as_deref())?;
    check_strict_mode(s, &table, &partition)?;
    let listed = listed_columns(&ins);
    let source = ins.source.ok_or_else(|| BackendError::not_supported("INSERT without a query or VALUES"))?;
    // The query's columns fill the table's by position, so a name may repeat (`SELECT c, c`).
    let mut query = Statement::Query(source);
    super::duplicate_names::rewrite(&mut query);
    let plan = s.plan_with_params(query, sql, &params).await?;
    let plan = align(plan, &table, &partition, &listed)?;
    let rows = write(s, WriteRequest { table, partition, overwrite: ins.overwrite, create: false }, plan, cancel).await?;
    Ok(QueryResult::Command(CommandOutcome::with_rows("INSERT", rows)))
}

/// The columns an INSERT's column list names, lower-cased (none without a list).
pub(crate) fn listed_columns(ins: &Insert) -> Vec<String> {
    ins.columns.iter().map(|c| c.to_string().trim_matches('`').to_lowercase()).collect()
}

/// The table an INSERT writes: it must exist and not be a view.
pub(crate) async fn target_table(s: &EngineSession, name: &ObjectName) -> Result<TableDef, BackendError> {
    let (db, t) = s.resolve_table(name)?;
    let table = s
        .catalog()
        .store()
        .get_table(&db, &t)
        .await
        .map_err(from_catalog)?
        .ok_or_else(|| BackendError::new(ErrorKind::UndefinedTable, format!("table or view not found: {db}.{t}")))?;
    if table.kind == TableKind::View {
        return Err(BackendError::new(ErrorKind::InvalidParameter, format!("{db}.{t} is a view; insert into a table")));
    }
    Ok(table)
}

/// The PARTITION clause as one value per partition column. Columns it does not name are dynamic.
pub(crate) fn partition_spec(table: &TableDef, clause: Option<&[Expr]>) -> Result<Vec<PartitionValue>, BackendError> {
    let bad = |m: String| BackendError::new(ErrorKind::InvalidParameter, m);
    let mut spec = vec![PartitionValue::Dynamic; table.partition_columns.len()];
    let Some(clause) = clause else { return Ok(spec) };
    if !table.is_partitioned() {
        return Err(bad(format!("{}.{} is not partitioned, so a PARTITION clause does not apply", table.database, table.name)));
    }
    for e in clause {
        let (column, value) = match e {
            Expr::BinaryOp { left, op: BinaryOperator::Eq, right } => (ident(left)?, Some(literal_text(right)?)),
            other => (ident(other)?, None),
        };
        let Some(i) = table.partition_columns.iter().position(|c| c.name == column) else {
            return Err(bad(format!(
                "{column} is not a partition column of {}.{} (its partition columns are {})",
                table.database,
                table.name,
                table.partition_columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
            )));
        };
        spec[i] = match value {
            Some(v) => PartitionValue::Static(normalize(&v, &table.partition_columns[i].hive_type)?),
            None => PartitionValue::Dynamic,
        };
    }
    if let Some(first_dynamic) = spec.iter().position(|p| *p == PartitionValue::Dynamic) {
        if spec[first_dynamic..].iter().any(|p| matches!(p, PartitionValue::Static(_))) {
            return Err(bad("a dynamic partition column cannot come before a static one in PARTITION (...)".into()));
        }
    }
    Ok(spec)
}

fn ident(e: &Expr) -> Result<String, BackendError> {
    match e {
        Expr::Identifier(i) => Ok(i.value.to_lowercase()),
        other => Err(BackendError::new(ErrorKind::Syntax, format!("expected a partition column in PARTITION (...), found {other}"))),
    }
}

/// The text of a literal partition value; NULL is the default partition.
fn literal_text(e: &Expr) -> Result<Option<String>, BackendError> {
    super::hive_ddl::literal(e).map_err(|m| BackendError::new(ErrorKind::InvalidParameter, m))
}

/// A static value in the canonical text of its column's type (`h=03` on an INT column is `3`).
pub(crate) fn normalize(value: &Option<String>, hive_type: &str) -> Result<Option<String>, BackendError> {
    let Some(v) = value else { return Ok(None) };
    let dt = hive_to_arrow(hive_type).map_err(from_catalog)?;
    if matches!(dt, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) || v.is_empty() {
        return Ok((!v.is_empty()).then(|| v.clone()));
    }
    let text = StringArray::from(vec![v.as_str()]);
    let opts = datafusion::arrow::compute::CastOptions { safe: false, ..Default::default() };
    let typed = datafusion::arrow::compute::cast_with_options(&text, &dt, &opts)
        .map_err(|_| BackendError::new(ErrorKind::InvalidParameter, format!("partition value '{v}' is not a valid {hive_type}")))?;
    let back = datafusion::arrow::compute::cast(&typed, &DataType::Utf8).map_err(|e| from_datafusion(&e.into(), None))?;
    let back = back.as_any().downcast_ref::<StringArray>().filter(|a| !a.is_null(0)).map(|a| a.value(0).to_string());
    Ok(back.or_else(|| Some(v.clone())))
}

/// Hive's strict dynamic-partition mode: a write to a Hive-format table must fix at least one
/// partition column, unless `hive.exec.dynamic.partition.mode` is `nonstrict`.
fn check_strict_mode(s: &EngineSession, table: &TableDef, spec: &[PartitionValue]) -> Result<(), BackendError> {
    let hive_format = !table.properties.contains_key(crate::hiveql::table::PROVIDER_PROPERTY);
    let strict = crate::hiveql::settings::lookup(s, "hive.exec.dynamic.partition.mode")
        .is_none_or(|m| m.eq_ignore_ascii_case("strict"));
    if hive_format && strict && !spec.is_empty() && spec.iter().all(|p| *p == PartitionValue::Dynamic) {
        return Err(BackendError::new(
            ErrorKind::InvalidParameter,
            "dynamic partition strict mode requires at least one static partition column; \
             to turn this off, SET hive.exec.dynamic.partition.mode=nonstrict",
        ));
    }
    Ok(())
}

/// A value for a CHAR(n) or VARCHAR(n) column, checked and padded as Spark writes it; other
/// columns' values as they are.
fn character_value(value: DfExpr, hive_type: &str) -> DfExpr {
    match hivewire_catalog::types::character_length(hive_type).and_then(|(length, pad)| Some((i64::try_from(length).ok()?, pad))) {
        Some((length, pad)) => crate::engine::spark_functions::char_write::call(value, length, pad),
        None => value,
    }
}

/// Projects the query's columns onto the table's, by position, cast to the columns' types.
fn align(
    plan: datafusion::logical_expr::LogicalPlan,
    table: &TableDef,
    spec: &[PartitionValue],
    listed: &[String],
) -> Result<datafusion::logical_expr::LogicalPlan, BackendError> {
    let source: Vec<Column> = plan.schema().columns();
    let dynamic: Vec<_> = table
        .partition_columns
        .iter()
        .zip(spec)
        .filter(|(_, p)| **p == PartitionValue::Dynamic)
        .map(|(c, _)| c)
        .collect();
    for name in listed {
        let partition = dynamic.iter().any(|c| &c.name == name);
        if !partition && !table.columns.iter().any(|c| &c.name == name) {
            return Err(BackendError::new(ErrorKind::UndefinedColumn, format!("column {name} is not in {}.{}", table.database, table.name)));
        }
    }
    // A column list may name dynamic partition columns too (Spark's form); otherwise they follow
    // the data columns.
    let partitions_listed = dynamic.iter().any(|c| listed.contains(&c.name));
    if partitions_listed && !dynamic.iter().all(|c| listed.contains(&c.name)) {
        return Err(BackendError::new(ErrorKind::InvalidParameter, "a column list that names a partition column must name every dynamic one"));
    }
    let data_targets: Vec<_> = if listed.is_empty() {
        table.columns.iter().collect()
    } else {
        listed.iter().filter_map(|n| table.columns.iter().find(|c| &c.name == n)).collect()
    };
    // Where each data target and each dynamic partition column is among the query's columns.
    let position = |name: &str, fallback: usize| -> usize {
        if partitions_listed {
            listed.iter().position(|n| n == name).unwrap_or(fallback)
        } else {
            fallback
        }
    };
    let expected = data_targets.len() + dynamic.len();
    if source.len() != expected {
        return Err(BackendError::new(
            ErrorKind::InvalidParameter,
            format!(
                "cannot write to {}.{}: the query gives {} columns, but the table takes {} ({} data column(s){})",
                table.database,
                table.name,
                source.len(),
                expected,
                data_targets.len(),
                if dynamic.is_empty() { String::new() } else { format!(" and {} dynamic partition column(s)", dynamic.len()) }
            ),
        ));
    }
    let mut exprs = Vec::with_capacity(table.columns.len() + dynamic.len());
    for c in &table.columns {
        let dt = hive_to_arrow(&c.hive_type).map_err(from_catalog)?;
        let value = match data_targets.iter().position(|t| t.name == c.name) {
            Some(i) => character_value(cast(DfExpr::Column(source[position(&c.name, i)].clone()), dt), &c.hive_type),
            None => lit(ScalarValue::try_from(&dt).map_err(|e| from_datafusion(&e, None))?),
        };
        exprs.push(value.alias(&c.name));
    }
    for (j, c) in dynamic.iter().enumerate() {
        let dt = hive_to_arrow(&c.hive_type).map_err(from_catalog)?;
        exprs.push(cast(DfExpr::Column(source[position(&c.name, data_targets.len() + j)].clone()), dt).alias(&c.name));
    }
    LogicalPlanBuilder::from(plan).project(exprs).and_then(|b| b.build()).map_err(|e| from_datafusion(&e, None))
}
