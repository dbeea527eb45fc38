//! Starting and stopping the server: bind every enabled listener, hand each to its protocol crate,
//! and on shutdown stop accepting, give running statements a bounded time, then close.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hivewire_backend::Backend;
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::engine::{Engine, EngineError};

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// A listener could not be bound.
    #[error("cannot listen on {addr} for {protocol}: {source} (change `{key}` in the config)")]
    Bind {
        /// The protocol.
        protocol: &'static str,
        /// The address asked for.
        addr: String,
        /// The config key that sets it.
        key: &'static str,
        /// Why.
        source: std::io::Error,
    },
    /// The engine could not start.
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// A config value is not usable.
    #[error("invalid config: {0}")]
    Config(String),
}

/// A running server.
pub struct RunningServer {
    /// Where PostgreSQL clients connect, if enabled.
    pub postgres_addr: Option<SocketAddr>,
    /// Where HiveServer2 clients connect (binary transport), if enabled.
    pub hiveserver2_addr: Option<SocketAddr>,
    /// Where HiveServer2 clients connect over HTTP (`/cliservice`), if enabled.
    pub hiveserver2_http_addr: Option<SocketAddr>,
    /// The engine, for in-process use.
    pub engine: Engine,
    shutdown: CancellationToken,
    tasks: JoinSet<()>,
    grace: Duration,
}

async fn bind(addr: &str, protocol: &'static str, key: &'static str) -> Result<TcpListener, ServerError> {
    TcpListener::bind(addr).await.map_err(|source| ServerError::Bind { protocol, addr: addr.to_string(), key, source })
}

/// Opens the engine and binds every enabled listener.
pub async fn start(config: &Config) -> Result<RunningServer, ServerError> {
    let engine = Engine::open(config).await?;
    let backend: Arc<dyn Backend> = Arc::new(engine.clone());
    let shutdown = CancellationToken::new();
    let mut tasks = JoinSet::new();
    let mut postgres_addr = None;
    if config.postgres.enabled {
        let listener = bind(&config.postgres.listen, "PostgreSQL", "postgres.listen").await?;
        let addr = listener.local_addr().map_err(|source| ServerError::Bind {
            protocol: "PostgreSQL",
            addr: config.postgres.listen.clone(),
            key: "postgres.listen",
            source,
        })?;
        tracing::info!(%addr, "postgres listening");
        postgres_addr = Some(addr);
        let max_message_size = crate::config::parse_size(&config.postgres.max_message_size)
            .map_err(|e| ServerError::Config(format!("postgres.max_message_size: {e}")))?;
        let options = hivewire_postgres::ServerOptions {
            max_connections: config.postgres.max_connections,
            max_message_size: max_message_size.max(1024),
        };
        tasks.spawn(hivewire_postgres::run(listener, backend.clone(), options, shutdown.clone()));
    }
    let mut hiveserver2_addr = None;
    let mut hiveserver2_http_addr = None;
    if config.hiveserver2.enabled {
        let listener = bind(&config.hiveserver2.listen, "HiveServer2", "hiveserver2.listen").await?;
        let addr = listener.local_addr().map_err(|source| ServerError::Bind {
            protocol: "HiveServer2",
            addr: config.hiveserver2.listen.clone(),
            key: "hiveserver2.listen",
            source,
        })?;
        tracing::info!(%addr, "hiveserver2 listening");
        hiveserver2_addr = Some(addr);
        let max_message_size = crate::config::parse_size(&config.postgres.max_message_size)
            .map_err(|e| ServerError::Config(format!("postgres.max_message_size: {e}")))?;
        let options = hivewire_hiveserver2::ServerOptions {
            max_message_size: max_message_size.max(1024) as usize,
            idle_session_timeout: Duration::from_secs(config.hiveserver2.idle_session_timeout_secs),
            idle_operation_timeout: Duration::from_secs(config.hiveserver2.idle_operation_timeout_secs),
        };
        let http = bind(&config.hiveserver2.http_listen, "HiveServer2 HTTP", "hiveserver2.http_listen").await?;
        let http_addr = http.local_addr().map_err(|source| ServerError::Bind {
            protocol: "HiveServer2 HTTP",
            addr: config.hiveserver2.http_listen.clone(),
            key: "hiveserver2.http_listen",
            source,
        })?;
        tracing::info!(addr = %http_addr, "hiveserver2 http listening");
        hiveserver2_http_addr = Some(http_addr);
        tasks.spawn(hivewire_hiveserver2::run(listener, Some(http), backend.clone(), options, shutdown.clone()));
    }
    Ok(RunningServer {
        hiveserver2_addr,
        hiveserver2_http_addr,
        postgres_addr,
        engine,
        shutdown,
        tasks,
        grace: Duration::from_secs(config.server.shutdown_timeout_secs),
    })
}

impl RunningServer {
    /// Stops accepting, lets connections finish for the grace period, then aborts what is left.
    pub async fn shutdown(mut self) {
        self.shutdown.cancel();
        let drained = tokio::time::timeout(self.grace, async { while self.tasks.join_next().await.is_some() {} }).await;
        if drained.is_err() {
            tracing::warn!("connections still open after the shutdown grace period; closing them");
            self.tasks.abort_all();
        }
    }
}
