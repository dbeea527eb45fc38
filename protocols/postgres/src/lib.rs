//! The PostgreSQL v3 wire protocol front end of hivewire, on the `pgwire` crate.
//!
//! It knows sessions, not planning: every statement goes to a [`hivewire_backend::Session`], and
//! what comes back (an Arrow schema and a stream of batches, or a command outcome) is encoded here.
//! Files by concern: [`driver`] (one connection's message loop), [`frame_guard`] (checks incoming
//! frames), [`connection`] (startup, per-connection state, cancel), [`simple`] (simple query
//! protocol), [`extended`] (Parse/Bind/Describe/Execute), [`rows`] (batches to DataRows and COPY
//! data), [`types`] (Arrow to PostgreSQL types), [`encode`] (value encodings), [`params`] (bind
//! parameters), [`error`] (errors to ErrorResponse).

pub mod connection;
pub mod driver;
pub mod encode;
pub mod error;
pub mod execute;
pub mod extended;
pub mod frame_guard;
pub mod params;
pub mod rows;
pub mod simple;
pub mod types;

use std::sync::Arc;
use std::time::Duration;

use hivewire_backend::Backend;
use pgwire::api::PgWireServerHandlers;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

use connection::{CancelRegistry, PgStartup};
use extended::PgExtended;
use simple::PgSimple;

/// Listener settings.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// Connections served at once; more wait until one closes.
    pub max_connections: usize,
    /// The largest frame a client may send, in bytes.
    pub max_message_size: u64,
}

/// The handler set for one connection.
struct Handlers {
    startup: Arc<PgStartup>,
    simple: Arc<PgSimple>,
    extended: Arc<PgExtended>,
    cancel: Arc<CancelRegistry>,
}

impl PgWireServerHandlers for Handlers {
    fn simple_query_handler(&self) -> Arc<impl pgwire::api::query::SimpleQueryHandler> {
        self.simple.clone()
    }
    fn extended_query_handler(&self) -> Arc<impl pgwire::api::query::ExtendedQueryHandler> {
        self.extended.clone()
    }
    fn startup_handler(&self) -> Arc<impl pgwire::api::auth::StartupHandler> {
        self.startup.clone()
    }
    fn cancel_handler(&self) -> Arc<impl pgwire::api::cancel::CancelHandler> {
        self.cancel.clone()
    }
}

/// Serves PostgreSQL clients on `listener` until `shutdown` fires, then waits for open connections
/// to finish their current work (the caller bounds how long).
pub async fn run(listener: TcpListener, backend: Arc<dyn Backend>, options: ServerOptions, shutdown: CancellationToken) {
    let cancel = Arc::new(CancelRegistry::default());
    let startup = Arc::new(PgStartup::new(backend, cancel.clone()));
    let simple = Arc::new(PgSimple);
    let extended = Arc::new(PgExtended::default());
    let permits = Arc::new(Semaphore::new(options.max_connections.max(1)));
    let mut connections = tokio::task::JoinSet::new();
    let mut backoff = Duration::from_millis(5);
    let max_frame = options.max_message_size;
    loop {
        let permit = tokio::select! {
            _ = shutdown.cancelled() => break,
            p = permits.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => break },
        };
        let accepted = tokio::select! {
            _ = shutdown.cancelled() => break,
            a = listener.accept() => a,
        };
        let (socket, peer) = match accepted {
            Ok(a) => {
                backoff = Duration::from_millis(5);
                a
            }
            Err(e) => {
                tracing::warn!(error = %e, "accept failed; backing off");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(1));
                continue;
            }
        };
        let _ = socket.set_nodelay(true);
        let handlers = Handlers { startup: startup.clone(), simple: simple.clone(), extended: extended.clone(), cancel: cancel.clone() };
        let stop = shutdown.clone();
        connections.spawn(async move {
            let _permit = permit;
            if let Err(e) = driver::serve(socket, peer, handlers, max_frame, stop).await {
                tracing::info!(%peer, error = %e, "postgres connection closed with an error");
            }
        });
        // Reap finished connections so the set does not grow without bound.
        while connections.try_join_next().is_some() {}
    }
    drop(listener);
    while connections.join_next().await.is_some() {}
}
