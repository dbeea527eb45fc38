//! The extended query protocol: Parse plans a statement to learn its parameter and result types,
//! Bind decodes parameters, Execute runs it (see [`crate::execute`], which streams rows and
//! handles row limits and PortalSuspended).

use std::fmt::Debug;
use std::sync::Arc;

use arrow::datatypes::{DataType, SchemaRef};
use async_trait::async_trait;
use futures::Sink;
use hivewire_backend::{BackendError, QueryResult};
use pgwire::api::portal::{Format, Portal};
use pgwire::api::query::ExtendedQueryHandler;
use pgwire::api::results::{DescribePortalResponse, DescribeStatementResponse, FieldInfo, QueryResponse, Response};
use pgwire::api::stmt::{QueryParser, StoredStatement};
use pgwire::api::store::PortalStore;
use pgwire::api::{ClientInfo, ClientPortalStore, Type};
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::messages::PgWireBackendMessage;

use crate::connection::conn_state;
use crate::error::pg_error;
use crate::params::decode;
use crate::rows::data_rows;
use crate::simple::{command_tag, copy_response};
use crate::types::{arrow_type, field_infos, pg_type};

/// A parsed statement: its text and what describing it found.
#[derive(Debug, Clone)]
pub struct Prepared {
    sql: String,
    /// Arrow type of each parameter, where known.
    params: Vec<Option<DataType>>,
    /// The result schema, or the error describing it gave (reported at Describe, retried at Execute).
    result: Result<Option<SchemaRef>, BackendError>,
}

/// Plans statements at Parse time.
#[derive(Debug, Default)]
pub struct PgParser;

#[async_trait]
impl QueryParser for PgParser {
    type Statement = Arc<Prepared>;

    async fn parse_sql<C>(&self, client: &C, sql: &str, types: &[Option<Type>]) -> PgWireResult<Option<Self::Statement>>
    where
        C: ClientInfo + Unpin + Send + Sync,
    {
        let conn = conn_state(client)?;
        let hints: Vec<Option<DataType>> = types.iter().map(|t| t.as_ref().and_then(arrow_type)).collect();
        let described = conn.session.describe(sql, &hints).await;
        let (params, result) = match described {
            Ok(d) => (d.parameters, Ok(d.result)),
            Err(e) if e.kind == hivewire_backend::ErrorKind::Syntax => return Err(pg_error(&e)),
            Err(e) => (hints, Err(e)),
        };
        Ok(Some(Arc::new(Prepared { sql: sql.to_string(), params, result })))
    }

    fn get_parameter_types(&self, stmt: &Self::Statement) -> PgWireResult<Vec<Type>> {
        Ok(stmt.params.iter().map(|p| p.as_ref().map(pg_type).unwrap_or(Type::UNKNOWN)).collect())
    }

    fn get_result_schema(&self, stmt: &Self::Statement, format: Option<&Format>) -> PgWireResult<Vec<FieldInfo>> {
        match &stmt.result {
            Ok(Some(schema)) => Ok(field_infos(schema.fields(), format.unwrap_or(&Format::UnifiedText))),
            Ok(None) => Ok(vec![]),
            Err(e) => Err(pg_error(e)),
        }
    }
}

/// The extended query handler.
#[derive(Debug, Default)]
pub struct PgExtended {
    parser: Arc<PgParser>,
}

/// Decodes a portal's parameters into Arrow arrays.
fn bind_parameters(portal: &Portal<Arc<Prepared>>) -> Result<Vec<arrow::array::ArrayRef>, BackendError> {
    let stmt = &portal.statement.statement;
    portal
        .parameters
        .iter()
        .enumerate()
        .map(|(i, bytes)| {
            let client_type = portal.statement.parameter_types.get(i).cloned().flatten();
            let dt = client_type
                .as_ref()
                .and_then(arrow_type)
                .or_else(|| stmt.params.get(i).cloned().flatten())
                .unwrap_or(DataType::Utf8);
            decode(bytes.as_deref(), &dt, portal.parameter_format.is_binary(i))
        })
        .collect()
}

#[async_trait]
impl ExtendedQueryHandler for PgExtended {
    type Statement = Arc<Prepared>;
    type QueryParser = PgParser;

    fn query_parser(&self) -> Arc<Self::QueryParser> {
        self.parser.clone()
    }

    async fn on_execute<C>(&self, client: &mut C, message: pgwire::messages::extendedquery::Execute) -> PgWireResult<()>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Self::Statement>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        crate::execute::execute(self, client, message).await
    }

    async fn do_describe_statement<C>(&self, _client: &mut C, target: &StoredStatement<Self::Statement>) -> PgWireResult<DescribeStatementResponse>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Self::Statement>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let stmt = &target.statement;
        let params = (0..stmt.params.len().max(target.parameter_types.len()))
            .map(|i| {
                target
                    .parameter_types
                    .get(i)
                    .cloned()
                    .flatten()
                    .or_else(|| stmt.params.get(i).cloned().flatten().map(|d| pg_type(&d)))
                    .unwrap_or(Type::UNKNOWN)
            })
            .collect();
        let fields = self.parser.get_result_schema(stmt, None)?;
        Ok(DescribeStatementResponse::new(params, fields))
    }

    async fn do_describe_portal<C>(&self, _client: &mut C, target: &Portal<Self::Statement>) -> PgWireResult<DescribePortalResponse>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Self::Statement>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let fields = self.parser.get_result_schema(&target.statement.statement, Some(&target.result_column_format))?;
        Ok(DescribePortalResponse::new(fields))
    }

    async fn do_query<C>(&self, client: &mut C, portal: &Portal<Self::Statement>, _max_rows: usize) -> PgWireResult<Response>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore<Statement = Self::Statement>,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let conn = conn_state(client)?;
        let params = bind_parameters(portal).map_err(|e| pg_error(&e))?;
        let cancel = conn.start_statement();
        let result = conn.session.execute(&portal.statement.statement.sql, params, cancel).await.map_err(|e| pg_error(&e))?;
        Ok(match result {
            QueryResult::Rows { schema, stream, tag } => {
                let fields = field_infos(schema.fields(), &portal.result_column_format);
                let formats = Arc::new(fields.iter().map(|f| f.format()).collect::<Vec<_>>());
                let mut resp = QueryResponse::new(Arc::new(fields), data_rows(stream, formats));
                resp.set_command_tag(&tag);
                Response::Query(resp)
            }
            QueryResult::Command(c) => match c.transaction {
                Some(hivewire_backend::TransactionEffect::Begin) => Response::TransactionStart(command_tag(&c)),
                Some(hivewire_backend::TransactionEffect::End) => Response::TransactionEnd(command_tag(&c)),
                None => Response::Execution(command_tag(&c)),
            },
            QueryResult::Copy { schema, stream, format } => Response::CopyOut(copy_response(schema, stream, format)),
        })
    }
}
