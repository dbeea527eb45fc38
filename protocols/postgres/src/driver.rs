//! Drives one client connection: TLS/SSL negotiation, then the message loop. It is pgwire's own
//! loop with one change: a frame that cannot be read (see [`crate::frame_guard`]) is answered with a
//! FATAL protocol-violation error (SQLSTATE 08P01) and the reason is logged, before that connection
//! alone is closed. And on shutdown, a connection waiting for its next statement is closed at
//! once with PostgreSQL's 57P01, while one running a statement finishes it first.

use std::net::SocketAddr;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use pgwire::api::{ClientInfo, ErrorHandler, PgWireConnectionState, PgWireServerHandlers};
use pgwire::error::ErrorInfo;
use pgwire::messages::{PgWireBackendMessage, PgWireFrontendMessage};
use pgwire::tokio::server::{negotiate_tls, process_error, process_message};
use tokio::net::TcpStream;
use tokio_util::codec::{Framed, FramedParts};
use tokio_util::sync::CancellationToken;

use crate::frame_guard::FrameGuard;

/// How long a client has to finish startup and authentication.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);

/// Serves one connection until the client leaves, a FATAL error, or a bad frame.
pub async fn serve<H: PgWireServerHandlers>(
    tcp: TcpStream,
    peer: SocketAddr,
    handlers: H,
    max_frame: u64,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    let startup_deadline = tokio::time::sleep(STARTUP_TIMEOUT);
    tokio::pin!(startup_deadline);
    let negotiated = tokio::select! {
        _ = &mut startup_deadline => return Ok(()),
        s = negotiate_tls(tcp, None) => s?,
    };
    let Some(socket) = negotiated else { return Ok(()) };

    // Put the frame guard under the codec; bytes negotiation already buffered are checked too.
    let parts = socket.into_parts();
    let mut guard = FrameGuard::new(parts.io, max_frame, false);
    let early = guard.track(&parts.read_buf);
    let mut new_parts = FramedParts::new(guard, parts.codec);
    new_parts.read_buf = parts.read_buf;
    new_parts.write_buf = parts.write_buf;
    let mut socket = Framed::from_parts(new_parts);
    socket.set_state(PgWireConnectionState::AwaitingStartup);
    if let Err(e) = early {
        return reject(&mut socket, peer, e.to_string()).await;
    }

    let startup = handlers.startup_handler();
    let simple = handlers.simple_query_handler();
    let extended = handlers.extended_query_handler();
    let copy = handlers.copy_handler();
    let cancel = handlers.cancel_handler();
    let errors = handlers.error_handler();
    loop {
        let starting =
            matches!(socket.state(), PgWireConnectionState::AwaitingStartup | PgWireConnectionState::AuthenticationInProgress);
        let next = if starting {
            tokio::select! {
                _ = &mut startup_deadline => return Ok(()),
                m = socket.next() => m,
            }
        } else {
            tokio::select! {
                _ = shutdown.cancelled() => return terminate(&mut socket).await,
                m = socket.next() => m,
            }
        };
        let msg = match next {
            None => return Ok(()),
            Some(Err(e)) => return reject(&mut socket, peer, e.to_string()).await,
            Some(Ok(PgWireFrontendMessage::Terminate(_))) => return Ok(()),
            Some(Ok(m)) => m,
        };
        let extended_flow = match socket.state() {
            PgWireConnectionState::CopyInProgress(extended) => extended,
            _ => msg.is_extended_query(),
        };
        let is_cancel = matches!(msg, PgWireFrontendMessage::CancelRequest(_));
        let outcome =
            process_message(msg, &mut socket, startup.clone(), simple.clone(), extended.clone(), copy.clone(), cancel.clone())
                .await;
        if let Err(mut e) = outcome {
            errors.on_error(&socket, &mut e);
            if e.is_fatal() {
                // As PostgreSQL does: the FATAL error, then the connection closes with no ReadyForQuery.
                let info: ErrorInfo = e.into();
                let _ = socket.send(PgWireBackendMessage::ErrorResponse(info.into())).await;
                let _ = socket.close().await;
                return Ok(());
            }
            process_error(&mut socket, e, extended_flow).await?;
        }
        if is_cancel {
            return Ok(());
        }
    }
}

/// Tells an idle client that the server is shutting down, as PostgreSQL does, and closes.
async fn terminate<S>(
    socket: &mut Framed<FrameGuard<S>, pgwire::tokio::server::PgWireMessageServerCodec<impl Send + Sync>>,
) -> std::io::Result<()>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + Sync + 'static,
{
    let error = ErrorInfo::new("FATAL".into(), "57P01".into(), "terminating connection: the server is shutting down".into());
    let _ = socket.send(PgWireBackendMessage::ErrorResponse(error.into())).await;
    let _ = socket.close().await;
    Ok(())
}

/// Answers a frame that cannot be read with a FATAL 08P01 error, logs why, and ends the connection.
async fn reject<S>(
    socket: &mut Framed<FrameGuard<S>, pgwire::tokio::server::PgWireMessageServerCodec<impl Send + Sync>>,
    peer: SocketAddr,
    reason: String,
) -> std::io::Result<()>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + Sync + 'static,
{
    tracing::warn!(%peer, %reason, "closing postgres connection after a protocol violation");
    let error = ErrorInfo::new("FATAL".into(), "08P01".into(), format!("protocol violation: {reason}"));
    let _ = socket.send(PgWireBackendMessage::ErrorResponse(error.into())).await;
    let _ = socket.close().await;
    Ok(())
}
