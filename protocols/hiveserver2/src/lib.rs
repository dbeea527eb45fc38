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
pub mod progress;
pub mod rowset;
pub mod service;
pub mod status;
pub mod types;
pub mod wire;
pub mod connection;
pub mod http;
pub mod intervals;

use std::sync::Arc;

use hivewire_backend::Backend;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// Listener settings.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// The largest message a client may send, in bytes.
    pub max_message_size: usize,
    /// A session unused this long is closed (zero: never).
    pub idle_session_timeout: std::time::Duration,
    /// An operation unused this long is closed, its query cancelled (zero: never).
    pub idle_operation_timeout: std::time::Duration,
}

/// Serves HiveServer2 clients on `listener` (binary transport) and, if given, `http` (HTTP
/// transport), until `shutdown` fires. Both share one set of sessions.
pub async fn run(
    listener: TcpListener,
    http: Option<TcpListener>,
    backend: Arc<dyn Backend>,
    options: ServerOptions,
    shutdown: CancellationToken,
) {
    let service = service::Service::new(backend, options.idle_session_timeout, options.idle_operation_timeout);
    let max = options.max_message_size;
    let reaper = {
        let (service, shutdown) = (service.clone(), shutdown.clone());
        let shortest = [options.idle_session_timeout, options.idle_operation_timeout]
            .into_iter()
            .filter(|d| !d.is_zero())
            .min()
            .unwrap_or(std::time::Duration::from_secs(3600));
        let every = (shortest / 4).clamp(std::time::Duration::from_millis(100), std::time::Duration::from_secs(60));
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = shutdown.cancelled() => break,
                    _ = tokio::time::sleep(every) => service.reap().await,
                }
            }
        })
    };
    let http_task = http.map(|l| tokio::spawn(http::run(l, service.clone(), max, shutdown.clone())));
    accept_loop(listener, shutdown, move |socket, peer| connection::serve(socket, peer, service.clone(), max)).await;
    if let Some(t) = http_task {
        let _ = t.await;
    }
    let _ = reaper.await;
}

/// Accepts connections until `shutdown` fires, serving each in its own task; then stops them.
pub(crate) async fn accept_loop<F, Fut>(listener: TcpListener, shutdown: CancellationToken, serve: F)
where
    F: Fn(tokio::net::TcpStream, std::net::SocketAddr) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let accepted = tokio::select! {
            _ = shutdown.cancelled() => break,
            a = listener.accept() => a,
        };
        match accepted {
            Ok((socket, peer)) => {
                let _ = socket.set_nodelay(true);
                connections.spawn(serve(socket, peer));
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
