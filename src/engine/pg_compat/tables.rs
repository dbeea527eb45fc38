//! Columns of PostgreSQL's system tables that psql and drivers read, but that datafusion-pg-catalog
//! leaves out or types as text. The pg_catalog schema is wrapped, and the affected tables are
//! served as views that add the missing columns (empty) and give vector columns their array types.

use std::sync::Arc;

use async_trait::async_trait;
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::catalog::view::ViewTable;
use datafusion::catalog::{SchemaProvider, TableProvider};
use datafusion::common::{DataFusionError, Result, ScalarValue};
use datafusion::datasource::provider_as_source;
use datafusion::functions::expr_fn::{btrim, nullif};
use datafusion::functions_nested::expr_fn::string_to_array;
use datafusion::logical_expr::{cast, col, lit, Expr, LogicalPlanBuilder};

/// How one column of a system table is completed.
#[derive(Clone, Copy)]
enum Fix {
    /// The column is absent, or present with a type clients cannot use; serve it empty with the
    /// PostgreSQL type.
    Empty(&'static str, ElemType),
    /// The column holds a vector as text (`1 2`, or `[1, 2]`); serve it as an array.
    Vector(&'static str, ElemType),
}

/// The element type of an array column.
#[derive(Clone, Copy)]
enum ElemType {
    Text,
    Int16,
    Int32,
}

impl ElemType {
    fn list(self) -> DataType {
        let elem = match self {
            ElemType::Text => DataType::Utf8,
            ElemType::Int16 => DataType::Int16,
            ElemType::Int32 => DataType::Int32,
        };
        DataType::List(Arc::new(Field::new_list_field(elem, true)))
    }
}

/// The fixes each table needs.
fn fixes(table: &str) -> &'static [Fix] {
    use ElemType::*;
    use Fix::*;
    match table {
        // Access privileges (aclitem[]) and storage options (text[]); hivewire keeps neither.
        "pg_class" => &[Empty("relacl", Text), Empty("reloptions", Text)],
        "pg_namespace" => &[Empty("nspacl", Text)],
        "pg_attribute" => &[Empty("attacl", Text), Empty("attoptions", Text)],
        "pg_index" => &[
            Vector("indkey", Int16),
            Vector("indcollation", Int32),
            Vector("indclass", Int32),
            Vector("indoption", Int16),
        ],
        "pg_constraint" => &[Vector("conkey", Int16), Vector("confkey", Int16)],
        _ => &[],
    }
}

/// The expression that serves a fixed column.
fn fixed_column(fix: Fix) -> Result<(String, Expr)> {
    match fix {
        Fix::Empty(name, elem) => {
            let null = ScalarValue::try_from(&elem.list())?;
            Ok((name.to_string(), lit(null).alias(name)))
        }
        Fix::Vector(name, elem) => {
            // `1 2` (int2vector) and `[1, 2]` (array) both become their elements, split on
            // spaces after the brackets and commas are taken away.
            let text = btrim(vec![col(name), lit("[]")]);
            let text = datafusion::functions::expr_fn::replace(text, lit(","), lit(""));
            let parts = string_to_array(nullif(text, lit("")), lit(" "), lit(ScalarValue::Utf8(None)));
            Ok((name.to_string(), cast(parts, elem.list()).alias(name)))
        }
    }
}

/// The pg_catalog schema with its tables completed.
#[derive(Debug)]
pub(crate) struct CompletedPgCatalog {
    inner: Arc<dyn SchemaProvider>,
}

impl CompletedPgCatalog {
    pub(crate) fn new(inner: Arc<dyn SchemaProvider>) -> Self {
        CompletedPgCatalog { inner }
    }
}

#[async_trait]
impl SchemaProvider for CompletedPgCatalog {
    fn table_names(&self) -> Vec<String> {
        self.inner.table_names()
    }

    async fn table(&self, name: &str) -> Result<Option<Arc<dyn TableProvider>>, DataFusionError> {
        let Some(table) = self.inner.table(name).await? else { return Ok(None) };
        let fixes = fixes(name);
        if fixes.is_empty() {
            return Ok(Some(table));
        }
        let mut replaced: Vec<(String, Expr)> = fixes.iter().map(|f| fixed_column(*f)).collect::<Result<_>>()?;
        let mut projection = Vec::new();
        for field in table.schema().fields() {
            match replaced.iter().position(|(n, _)| n == field.name()) {
                Some(i) => projection.push(replaced.remove(i).1),
                None => projection.push(col(field.name().as_str())),
            }
        }
        // Columns the table lacks altogether go last.
        projection.extend(replaced.into_iter().map(|(_, e)| e));
        let plan = LogicalPlanBuilder::scan(name, provider_as_source(table), None)?.project(projection)?.build()?;
        Ok(Some(Arc::new(ViewTable::new(plan, None))))
    }

    fn table_exist(&self, name: &str) -> bool {
        self.inner.table_exist(name)
    }
}
