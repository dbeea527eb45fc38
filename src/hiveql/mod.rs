//! The HiveQL front end: parses statement text, decides who runs each statement, and runs the
//! statements that DataFusion's planner does not know (Hive DDL, SHOW, DESCRIBE, USE, settings).
//!
//! [`parse`] turns text into sqlparser statements in the session's flavour, [`classify`] turns a
//! statement into an [`Action`], and the session routes each action to the module that owns its
//! statement family. Queries and INSERTs go to DataFusion unchanged.

pub mod alter;
pub mod ansi_intervals;
pub mod ast;
pub mod bang_not;
pub mod buckets;
pub mod cache;
pub mod classify;
pub mod column_defaults;
pub mod complex_types;
pub mod cte_scopes;
pub mod data_ops;
pub mod database;
pub mod datetime_literals;
pub mod describe;
pub mod describe_function;
pub mod describe_query;
pub mod dialect;
pub mod division;
pub mod duplicate_names;
pub mod engine_options;
pub mod execute_immediate;
pub mod from_first;
pub mod function_names;
pub mod generators;
pub mod group_by;
pub mod grouping_ids;
pub mod having;
pub mod hive_ddl;
pub mod hive_exec;
pub mod identifier_clause;
pub mod inline_values;
pub mod insert;
pub mod interval_literals;
pub mod intervals;
pub use hivewire_backend::java_numbers;
pub mod joins;
pub mod lambda_fields;
pub mod like_escape;
pub mod like_quantifiers;
pub mod literal_suffixes;
pub mod named_windows;
pub mod number_literals;
mod null_sizes;
mod sort_by;
pub mod one_row_subqueries;
pub mod refusals;
pub mod rounding;
pub mod order_by_all;
pub mod outer_aggregates;
pub mod output;
pub mod parse;
pub mod partitions;
pub mod pattern;
pub mod session_functions;
pub mod settings;
pub mod session_zone;
pub mod set_operations;
pub mod show;
pub mod spark_names;
pub mod spark_options;
pub mod spark_types;
pub mod stats;
pub mod string_escapes;
pub mod structs;
pub mod subquery_names;
pub mod subscripts;
pub mod table_extended;
pub mod table_functions;
pub mod table_info;
pub mod temp_views;
pub mod time_windows;
pub mod time_zones;
pub mod tuple_in;
pub mod unpivot;
pub mod using_joins;
pub mod variable_substitution;
pub mod variables;
pub mod views;
pub mod window_names;
pub mod table;

pub use classify::{classify, Action};

/// The rewrites every HiveQL query gets before DataFusion plans it, whoever plans it (a session or
/// the catalog expanding a view): Spark's table functions, result names, type spellings and structs.
/// Names come before the rewrites that change how an expression is written.
pub fn prepare_query(stmt: &mut datafusion::sql::sqlparser::ast::Statement, options: &QueryOptions) -> Result<(), hivewire_backend::BackendError> {
    let ctes = options.ctes;
    cte_scopes::rewrite(stmt, ctes)?;
    table_functions::rewrite(stmt);
    unpivot::rewrite(stmt);
    time_windows::rewrite(stmt, options.zone)?;
    generators::rewrite(stmt)?;
    datetime_literals::normalize(stmt, options.zone);
    named_windows::rewrite(stmt);
    refusals::check(stmt)?;
    session_functions::bare_calls(stmt);
    spark_names::apply(stmt);
    like_quantifiers::rewrite(stmt);
    lambda_fields::rewrite(stmt);
    outer_aggregates::rewrite(stmt);
    if !options.legacy_count_bug {
        one_row_subqueries::rewrite(stmt);
    }
    using_joins::rewrite(stmt);
    session_zone::rewrite(stmt, options.zone);
    spark_types::rewrite(stmt, options.ansi);
    number_literals::rewrite(stmt)?;
    structs::rewrite(stmt);
    null_sizes::rewrite(stmt, options.ansi);
    rounding::rewrite(stmt, options.ansi);
    function_names::rewrite(stmt);
    joins::rewrite(stmt)?;
    group_by::rewrite(stmt);
    having::rewrite(stmt);
    grouping_ids::rewrite(stmt);
    subscripts::rewrite(stmt, options.ansi);
    tuple_in::rewrite(stmt);
    order_by_all::rewrite(stmt);
    sort_by::rewrite(stmt);
    set_operations::rewrite(stmt);
    intervals::rewrite(stmt);
    division::rewrite(stmt, options.ansi, options.precision_loss);
    Ok(())
}

/// The session settings the HiveQL rewrites follow.
#[derive(Debug, Clone, Copy)]
pub struct QueryOptions {
    /// `spark.sql.legacy.ctePrecedencePolicy`.
    pub ctes: cte_scopes::Policy,
    /// `spark.sql.ansi.enabled`: errors rather than NULLs for a zero divisor.
    pub ansi: bool,
    /// `spark.sql.session.timeZone`: the zone of wall-clock times.
    pub zone: time_zones::Zone,
    /// `spark.sql.decimalOperations.allowPrecisionLoss`: DECIMAL division loses scale, not range.
    pub precision_loss: bool,
    /// [`one_row_subqueries::LEGACY_SETTING`]: EXISTS and IN over one-row subqueries answer as
    /// Spark's legacy decorrelation did, without the rewrite that gets them right.
    pub legacy_count_bug: bool,
}

impl Default for QueryOptions {
    /// Spark's defaults.
    fn default() -> Self {
        QueryOptions { ctes: cte_scopes::Policy::Corrected, ansi: true, zone: time_zones::Zone::utc(), precision_loss: true, legacy_count_bug: false }
    }
}
pub use parse::{parse_action, parse_action_with, parse_one, split_statements, Flavor, TextOptions};

/// A HiveQL statement's text after an AST rewrite, for the rewrites' tests.
#[cfg(test)]
pub(crate) fn rewritten(sql: &str, rewrite: fn(&mut datafusion::sql::sqlparser::ast::Statement)) -> String {
    let mut stmt = parse_one(sql, Flavor::Hive).expect("test statement parses");
    rewrite(&mut stmt);
    stmt.to_string()
}
