//! Execute for the extended protocol, streaming. pgwire's own Execute gathers every row of a portal
//! into memory before sending the first one; this one feeds rows to the socket as the query makes
//! them, stops at the row limit with PortalSuspended, and keeps the rest of the stream in the portal
//! for the next Execute.

use std::fmt::Debug;

use futures::{Sink, SinkExt, StreamExt};
use pgwire::api::copy::send_copy_out_response;
use pgwire::api::portal::PortalExecutionState;
use pgwire::api::query::{send_execution_response, ExtendedQueryHandler};
use pgwire::api::results::{QueryResponse, Response, Tag};
use pgwire::api::store::{Entry, PortalStore};
use pgwire::api::{ClientInfo, ClientPortalStore, PgWireConnectionState, DEFAULT_NAME};
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::messages::extendedquery::{Execute, PortalSuspended};
use pgwire::messages::response::EmptyQueryResponse;
use pgwire::messages::PgWireBackendMessage;

/// Runs (or resumes) the portal an Execute names.
pub async fn execute<H, C>(handler: &H, client: &mut C, message: Execute) -> PgWireResult<()>
where
    H: ExtendedQueryHandler + ?Sized,
    C: ClientInfo + ClientPortalStore + Sink<PgWireBackendMessage> + Unpin + Send + Sync,
    C::PortalStore: PortalStore<Statement = H::Statement>,
    C::Error: Debug,
    PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
{
    if !matches!(client.state(), PgWireConnectionState::ReadyForQuery) {
        return Err(PgWireError::NotReadyForQuery);
    }
    let mut status = client.transaction_status();
    client.set_state(PgWireConnectionState::QueryInProgress);
    let name = message.name.as_deref().unwrap_or(DEFAULT_NAME);
    let max_rows = message.max_rows.max(0) as usize;
    let portal = match client.portal_store().get_portal(name) {
        Some(Entry::Value(p)) => p,
        Some(Entry::Empty) => {
            client.feed(PgWireBackendMessage::EmptyQueryResponse(EmptyQueryResponse::new())).await?;
            client.set_state(PgWireConnectionState::ReadyForQuery);
            return Ok(());
        }
        None => return Err(PgWireError::PortalNotFound(name.to_owned())),
    };
    let state = portal.state();
    let previous = std::mem::replace(&mut *state.lock().await, PortalExecutionState::Finished);
    let rows = match previous {
        PortalExecutionState::Suspended(response) => Some(response),
        PortalExecutionState::Finished => Some(QueryResponse::new(std::sync::Arc::new(vec![]), futures::stream::empty())),
        PortalExecutionState::Initial => match handler.do_query(client, portal.as_ref(), max_rows).await? {
            Response::Query(response) => Some(response),
            Response::EmptyQuery => {
                client.feed(PgWireBackendMessage::EmptyQueryResponse(EmptyQueryResponse::new())).await?;
                None
            }
            Response::Execution(tag) => {
                send_execution_response(client, tag).await?;
                None
            }
            Response::TransactionStart(tag) => {
                send_execution_response(client, tag).await?;
                status = status.to_in_transaction_state();
                None
            }
            Response::TransactionEnd(tag) => {
                send_execution_response(client, tag).await?;
                status = status.to_idle_state();
                client.portal_store().rm_portal(DEFAULT_NAME);
                None
            }
            Response::Error(e) => return Err(PgWireError::UserError(e)),
            Response::CopyOut(result) => {
                send_copy_out_response(client, result).await?;
                None
            }
            Response::CopyIn(_) | Response::CopyBoth(_) => {
                return Err(PgWireError::UserError(Box::new(pgwire::error::ErrorInfo::new(
                    "ERROR".into(),
                    "0A000".into(),
                    "COPY FROM STDIN is not supported".into(),
                ))))
            }
        },
    };
    if let Some(mut response) = rows {
        let mut sent = 0usize;
        let mut finished = false;
        while max_rows == 0 || sent < max_rows {
            match response.data_rows().next().await {
                Some(row) => {
                    client.feed(PgWireBackendMessage::DataRow(row?)).await?;
                    sent += 1;
                }
                None => {
                    finished = true;
                    break;
                }
            }
        }
        if finished {
            let tag = Tag::new(response.command_tag()).with_rows(sent);
            client.send(PgWireBackendMessage::CommandComplete(tag.into())).await?;
        } else {
            *state.lock().await = PortalExecutionState::Suspended(response);
            client.send(PgWireBackendMessage::PortalSuspended(PortalSuspended::new())).await?;
        }
    }
    if !matches!(client.state(), PgWireConnectionState::CopyInProgress(_)) {
        client.set_state(PgWireConnectionState::ReadyForQuery);
        client.set_transaction_status(status);
    }
    Ok(())
}
