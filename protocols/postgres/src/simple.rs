//! The simple query protocol: one Query message, possibly several statements, each answered in turn;
//! the first error ends the message.

use std::fmt::Debug;
use std::sync::Arc;

use async_trait::async_trait;
use futures::{Sink, SinkExt, StreamExt};
use hivewire_backend::{BackendError, CommandOutcome, QueryResult, TransactionEffect};
use pgwire::api::copy::send_copy_out_response;
use pgwire::api::query::SimpleQueryHandler;
use pgwire::api::results::{CopyResponse, FieldFormat, Response, Tag};
use pgwire::api::portal::Format;
use pgwire::api::store::PortalStore;
use pgwire::api::{ClientInfo, ClientPortalStore, PgWireConnectionState};
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::messages::response::{EmptyQueryResponse, ReadyForQuery, TransactionStatus};
use pgwire::messages::simplequery::Query;
use pgwire::messages::PgWireBackendMessage;

use crate::connection::{conn_state, ConnState};
use crate::error::error_info;
use crate::rows::{copy_stream, data_rows};
use crate::types::field_infos;

/// The simple query handler.
pub struct PgSimple;

/// The CommandComplete tag of a command outcome.
pub fn command_tag(c: &CommandOutcome) -> Tag {
    let tag = Tag::new(&c.tag);
    match (c.tag.as_str(), c.rows) {
        ("INSERT", Some(n)) => tag.with_oid(0).with_rows(n as usize),
        (_, Some(n)) => tag.with_rows(n as usize),
        _ => tag,
    }
}

/// The next transaction status after a statement with this effect.
pub fn next_status(status: TransactionStatus, effect: Option<TransactionEffect>) -> TransactionStatus {
    match effect {
        Some(TransactionEffect::Begin) => status.to_in_transaction_state(),
        Some(TransactionEffect::End) => status.to_idle_state(),
        None => status,
    }
}

/// The COPY OUT response for a copy result.
pub fn copy_response(schema: arrow::datatypes::SchemaRef, stream: hivewire_backend::BatchStream, format: hivewire_backend::CopyFormat) -> CopyResponse {
    let binary = format == hivewire_backend::CopyFormat::Binary;
    let columns = schema.fields().len();
    CopyResponse::new(if binary { 1 } else { 0 }, columns, copy_stream(schema, stream, format))
}

async fn run_statement<C>(client: &mut C, conn: &ConnState, sql: &str) -> Result<Option<TransactionEffect>, PgWireError>
where
    C: ClientInfo + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
    C::Error: Debug,
    PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
{
    let cancel = conn.start_statement();
    let result = conn
        .session
        .execute(sql, vec![], cancel)
        .await
        .map_err(|e| PgWireError::UserError(Box::new(error_info(&e))))?;
    match result {
        QueryResult::Rows { schema, stream, tag } => {
            let fields = field_infos(schema.fields(), &Format::UnifiedText);
            let row_desc = pgwire::messages::data::RowDescription::new(fields.iter().map(Into::into).collect());
            client.feed(PgWireBackendMessage::RowDescription(row_desc)).await?;
            let formats = Arc::new(vec![FieldFormat::Text; fields.len()]);
            let mut rows = Box::pin(data_rows(stream, formats));
            let mut count = 0usize;
            while let Some(row) = rows.next().await {
                client.feed(PgWireBackendMessage::DataRow(row?)).await?;
                count += 1;
            }
            let tag = Tag::new(&tag).with_rows(count);
            client.feed(PgWireBackendMessage::CommandComplete(tag.into())).await?;
            Ok(None)
        }
        QueryResult::Command(c) => {
            client.feed(PgWireBackendMessage::CommandComplete(command_tag(&c).into())).await?;
            Ok(c.transaction)
        }
        QueryResult::Copy { schema, stream, format } => {
            send_copy_out_response(client, copy_response(schema, stream, format)).await?;
            Ok(None)
        }
    }
}

#[async_trait]
impl SimpleQueryHandler for PgSimple {
    async fn on_query<C>(&self, client: &mut C, query: Query) -> PgWireResult<()>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let conn = conn_state(client)?;
        client.set_state(PgWireConnectionState::QueryInProgress);
        let mut status = client.transaction_status();
        match conn.session.split_statements(&query.query) {
            Ok(statements) if statements.is_empty() => {
                client.feed(PgWireBackendMessage::EmptyQueryResponse(EmptyQueryResponse::new())).await?;
            }
            Ok(statements) => {
                for sql in &statements {
                    match run_statement(client, &conn, sql).await {
                        Ok(effect) => status = next_status(status, effect),
                        Err(PgWireError::UserError(info)) => {
                            client.feed(PgWireBackendMessage::ErrorResponse((*info).into())).await?;
                            status = status.to_error_state();
                            break;
                        }
                        Err(e) => return Err(e),
                    }
                }
            }
            Err(e) => {
                client.feed(PgWireBackendMessage::ErrorResponse(error_info(&e).into())).await?;
                status = status.to_error_state();
            }
        }
        client.set_state(PgWireConnectionState::ReadyForQuery);
        client.set_transaction_status(status);
        client.send(PgWireBackendMessage::ReadyForQuery(ReadyForQuery::new(status))).await?;
        Ok(())
    }

    async fn do_query<C>(&self, _client: &mut C, _query: &str) -> PgWireResult<Vec<Response>>
    where
        C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
        C::PortalStore: PortalStore,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        // on_query does all the work; this is never reached.
        Err(crate::error::pg_error(&BackendError::new(hivewire_backend::ErrorKind::Internal, "unexpected simple query path")))
    }
}
