//! The HiveServer2 Thrift front end of hivewire, for beeline and Hive JDBC, PyHive, impyla and ODBC
//! drivers.
//!
//! Like the PostgreSQL front end, it knows sessions, not planning: statements go to a
//! [`hivewire_backend::Session`]. Files by concern: [`tcli_service`] (code generated from the IDL),
//! [`wire`] (Thrift messages in bytes).

#[allow(clippy::all, clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
#[rustfmt::skip]
pub mod tcli_service;
pub mod metadata;
pub mod operation;
pub mod rowset;
pub mod service;
pub mod status;
pub mod types;
pub mod wire;
pub mod connection;

use std::sync::Arc;

use hivewire_backend::Backend;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// Listener settings.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// The largest message a client may send, in bytes.
    pub max_message_size: usize,
}

/// Serves HiveServer2 clients on `listener` (binary transport) until `shutdown` fires.
pub async fn run(listener: TcpListener, backend: Arc<dyn Backend>, options: ServerOptions, shutdown: CancellationToken) {
    let service = service::Service::new(backend);
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let accepted = tokio::select! {
            _ = shutdown.cancelled() => break,
            a = listener.accept() => a,
        };
        match accepted {
            Ok((socket, peer)) => {
                let _ = socket.set_nodelay(true);
                let service = service.clone();
                let max = options.max_message_size;
                connections.spawn(async move { connection::serve(socket, peer, service, max).await });
            }
            Err(e) => {
                tracing::warn!(error = %e, "accept failed");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
        }
        while connections.try_join_next().is_some() {}
    }
    connections.abort_all();
}
