//! Routes the statements of [`super::hive_ddl`] to their handlers, and names their result columns
//! for clients that ask before running (the PostgreSQL extended protocol's Describe).

use datafusion::arrow::datatypes::SchemaRef;
use hivewire_backend::{BackendError, QueryResult};

use super::hive_ddl::HiveStatement as H;
use super::output::string_schema;
use super::{alter, data_ops, describe, describe_function, partitions, settings, show, stats, table_info, views};
use crate::engine::EngineSession;

/// Runs one statement.
pub async fn run(s: &EngineSession, stmt: H) -> Result<QueryResult, BackendError> {
    match stmt {
        H::AddPartitions { table, if_not_exists, partitions: p } => partitions::add(s, &table, if_not_exists, &p).await,
        H::DropPartitions { table, if_exists, partitions: p } => partitions::drop(s, &table, if_exists, &p).await,
        H::RecoverPartitions { table } => partitions::recover(s, &table).await,
        H::SetPartitionLocation { table, partition, location } => partitions::set_location(s, &table, &partition, &location).await,
        H::ShowPartitions { table, partition } => partitions::show(s, &table, partition.as_ref()).await,
        H::RenameTable { table, to } => alter::rename(s, &table, &to).await,
        H::AddColumns { table, columns } => alter::add_columns(s, &table, &columns).await,
        H::ReplaceColumns { table, columns } => alter::replace_columns(s, &table, &columns).await,
        H::ChangeColumn { table, old, new } => alter::change_column(s, &table, &old, &new).await,
        H::AlterColumn { table, column, change } => alter::alter_column(s, &table, &column, &change).await,
        H::SetProperties { table, properties } => alter::set_properties(s, &table, &properties).await,
        H::UnsetProperties { table, if_exists, keys } => alter::unset_properties(s, &table, if_exists, &keys).await,
        H::SetLocation { table, location } => alter::set_location(s, &table, &location).await,
        H::SetSerdeProperties { table, properties } => alter::set_serde_properties(s, &table, &properties).await,
        H::CreateView { name, or_replace, temporary: true, global, if_not_exists, columns, query, .. } => {
            super::temp_views::create(s, &name, global, or_replace, if_not_exists, &columns, &query).await
        }
        H::CreateView { name, or_replace, temporary: false, if_not_exists, columns, comment, query, .. } => {
            views::create(s, &name, or_replace, if_not_exists, false, &columns, comment, &query).await
        }
        H::CreateDatabase { name, if_not_exists, comment, location, properties } => {
            super::database::create(s, &name, if_not_exists, location, comment, properties).await
        }
        H::AlterView { name, query } => views::create(s, &name, false, false, true, &[], None, &query).await,
        H::DropView { name, if_exists } => views::drop(s, &name, if_exists).await,
        H::ShowViews { database, pattern } => views::show(s, database.as_ref(), pattern.as_deref()).await,
        H::Truncate { table, partition } => data_ops::truncate(s, &table, partition.as_ref()).await,
        H::LoadData { local, path, overwrite, table, partition } => {
            data_ops::load(s, local, &path, overwrite, &table, partition.as_ref()).await
        }
        H::ShowCreateTable { table } => table_info::show_create(s, &table).await,
        H::ShowTblProperties { table, key } => table_info::show_properties(s, &table, key.as_deref()).await,
        H::ShowColumns { table, database } => table_info::show_columns(s, &table, database.as_ref()).await,
        H::ShowFunctions { pattern } => show::functions(s, pattern.as_deref()),
        H::ShowCurrentDatabase => show::current_database(s),
        H::Describe { table, extended, partition, column } => describe::table_or_partition(s, &table, extended, partition.as_ref(), column.as_deref()).await,
        H::DescribeDatabase { name, extended } => describe::database(s, &name, extended).await,
        H::DescribeQuery { query } => super::describe_query::query(s, &query).await,
        H::DescribeFunction { name, extended } => describe_function::describe(s, &name, extended),
        H::Analyze { table, partition: _ } => stats::analyze(s, &table).await,
        H::Cache { table, query } => super::cache::cache(s, &table, query.as_deref()).await,
        H::Uncache { table, if_exists } => super::cache::uncache(s, &table, if_exists).await,
        H::Refresh { table } => super::cache::refresh(s, table.as_ref()).await,
        H::ClearCache => super::cache::clear(),
        H::ShowTableExtended { database, pattern } => super::table_extended::show(s, database.as_ref(), &pattern).await,
        H::SparkSet { key: Some(key), value: Some(value), .. } => settings::spark_set(s, &key, &value).await,
        H::SparkSet { key: Some(key), value: None, .. } => settings::spark_show(s, &key),
        H::SparkSet { key: None, verbose: true, .. } => settings::show_all_verbose(s),
        H::SparkSet { key: None, .. } => settings::show_all(s),
        H::Reset { key } => settings::reset(s, key.as_deref()),
        H::Use { name } => super::database::use_database(s, &name).await,
        H::DeclareVariable { name, or_replace, data_type, default } => {
            s.variables().declare(s, &name, or_replace, data_type.as_deref(), default.as_deref()).await
        }
        H::SetVariables { assignments } => s.variables().set(s, &assignments).await,
        H::SetVariableRow { names, query } => s.variables().set_row(s, &names, &query).await,
        H::DropVariable { name, if_exists } => s.variables().drop(&name, if_exists),
        // The session's own loop runs these (`EngineSession::execute_with_progress`).
        H::ExecuteImmediate { .. } => Err(BackendError::new(hivewire_backend::ErrorKind::Internal, "EXECUTE IMMEDIATE reached the statement router")),
    }
}

/// The result columns of a statement that returns rows.
pub fn result_schema(stmt: &H) -> Option<SchemaRef> {
    Some(match stmt {
        H::ShowPartitions { .. } => string_schema(&["partition"]),
        H::ShowViews { .. } => show::views_schema(),
        H::ShowCreateTable { .. } => string_schema(&["createtab_stmt"]),
        H::ShowTblProperties { key: Some(_), .. } => string_schema(&["value"]),
        H::ShowTblProperties { key: None, .. } => string_schema(&["key", "value"]),
        H::ShowColumns { .. } => string_schema(&["col_name"]),
        H::ShowFunctions { .. } => string_schema(&["function"]),
        H::ShowCurrentDatabase => string_schema(&["catalog", "namespace"]),
        H::Describe { column: Some(_), .. } | H::DescribeDatabase { .. } => describe::info_schema(),
        H::Describe { .. } | H::DescribeQuery { .. } => describe::table_schema(),
        H::DescribeFunction { .. } => describe_function::schema(),
        H::SparkSet { verbose: true, .. } => string_schema(&["key", "value", "meaning"]),
        H::SparkSet { key: Some(_), value: None, .. } => string_schema(&["key", "value"]),
        _ => return None,
    })
}
