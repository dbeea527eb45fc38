//! Per-connection state: the backend session, startup (database check, parameters, backend key),
//! and CancelRequest handling.

use std::collections::HashMap;
use std::fmt::Debug;
use std::sync::{Arc, Mutex, Weak};

use async_trait::async_trait;
use futures::{Sink, SinkExt};
use hivewire_backend::{Backend, ProtocolKind, Session, SessionOptions};
use pgwire::api::auth::{
    finish_authentication, protocol_negotiation, save_startup_parameters_to_metadata, ServerParameterProvider,
    StartupHandler,
};
use pgwire::api::cancel::CancelHandler;
use pgwire::api::{ClientInfo, PidSecretKeyGenerator, RandomPidSecretKeyGenerator};
use pgwire::error::{PgWireError, PgWireResult};
use pgwire::messages::cancel::CancelRequest;
use pgwire::messages::startup::Authentication;
use pgwire::messages::{PgWireBackendMessage, PgWireFrontendMessage};
use pgwire::api::PgWireConnectionState;
use tokio_util::sync::CancellationToken;

use crate::error::pg_error;

/// What a connection keeps between messages.
pub struct ConnState {
    /// The backend session.
    pub session: Box<dyn Session>,
    current: Mutex<CancellationToken>,
    key: (i32, Vec<u8>),
    registry: Arc<CancelRegistry>,
}

impl ConnState {
    /// A fresh cancellation token for the next statement; a CancelRequest fires it.
    pub fn start_statement(&self) -> CancellationToken {
        let token = CancellationToken::new();
        if let Ok(mut cur) = self.current.lock() {
            *cur = token.clone();
        }
        token
    }
}

impl Drop for ConnState {
    fn drop(&mut self) {
        // The connection is gone: stop whatever it was running and forget its key.
        if let Ok(cur) = self.current.lock() {
            cur.cancel();
        }
        if let Ok(mut map) = self.registry.connections.lock() {
            map.remove(&self.key);
        }
    }
}

/// The connection state stored in pgwire's per-connection extensions.
pub fn conn_state<C: ClientInfo>(client: &C) -> PgWireResult<Arc<ConnState>> {
    client.session_extensions().get::<ConnState>().ok_or(PgWireError::NotReadyForQuery)
}

/// A connection's cancel key: process id and secret, as in BackendKeyData.
type CancelKey = (i32, Vec<u8>);

/// Maps backend keys to connections, so that a CancelRequest on a new connection reaches the
/// statement running on another.
#[derive(Default)]
pub struct CancelRegistry {
    connections: Mutex<HashMap<CancelKey, Weak<ConnState>>>,
}

#[async_trait]
impl CancelHandler for CancelRegistry {
    async fn on_cancel_request(&self, request: CancelRequest) {
        let key = (request.pid, request.secret_key.to_bytes().to_vec());
        let conn = self.connections.lock().ok().and_then(|m| m.get(&key).and_then(Weak::upgrade));
        match conn {
            Some(c) => {
                if let Ok(cur) = c.current.lock() {
                    cur.cancel();
                }
                tracing::info!(pid = request.pid, "statement cancelled by request");
            }
            None => tracing::debug!(pid = request.pid, "cancel request for an unknown connection"),
        }
    }
}

/// The parameters reported at startup.
struct Parameters {
    server_version: String,
}

impl ServerParameterProvider for Parameters {
    fn server_parameters<C: ClientInfo>(&self, client: &C) -> Option<HashMap<String, String>> {
        let meta = client.metadata();
        let mut p = HashMap::new();
        p.insert("server_version".into(), self.server_version.clone());
        p.insert("server_encoding".into(), "UTF8".into());
        p.insert("client_encoding".into(), "UTF8".into());
        p.insert("DateStyle".into(), "ISO, MDY".into());
        p.insert("IntervalStyle".into(), "postgres".into());
        p.insert("TimeZone".into(), "UTC".into());
        p.insert("integer_datetimes".into(), "on".into());
        p.insert("standard_conforming_strings".into(), "on".into());
        p.insert("is_superuser".into(), "on".into());
        p.insert("default_transaction_read_only".into(), "off".into());
        p.insert("in_hot_standby".into(), "off".into());
        p.insert("application_name".into(), meta.get("application_name").cloned().unwrap_or_default());
        if let Some(user) = meta.get("user") {
            p.insert("session_authorization".into(), user.clone());
        }
        Some(p)
    }
}

/// Startup: checks the database, opens the backend session, and reports parameters and the key.
pub struct PgStartup {
    backend: Arc<dyn Backend>,
    registry: Arc<CancelRegistry>,
    keys: RandomPidSecretKeyGenerator,
}

impl PgStartup {
    /// A startup handler over `backend`.
    pub fn new(backend: Arc<dyn Backend>, registry: Arc<CancelRegistry>) -> Self {
        PgStartup { backend, registry, keys: RandomPidSecretKeyGenerator::default() }
    }
}

#[async_trait]
impl StartupHandler for PgStartup {
    async fn on_startup<C>(&self, client: &mut C, message: PgWireFrontendMessage) -> PgWireResult<()>
    where
        C: ClientInfo + Sink<PgWireBackendMessage> + Unpin + Send,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        match message {
            PgWireFrontendMessage::Startup(ref startup) => {
                protocol_negotiation(client, startup).await?;
                save_startup_parameters_to_metadata(client, startup);
                if self.backend.requires_password() {
                    client.set_state(PgWireConnectionState::AuthenticationInProgress);
                    client.send(PgWireBackendMessage::Authentication(Authentication::CleartextPassword)).await?;
                    return Ok(());
                }
                self.open(client).await
            }
            PgWireFrontendMessage::PasswordMessageFamily(p) => {
                let password = p.into_password()?;
                let user = client.metadata().get("user").cloned().unwrap_or_default();
                self.backend.authenticate(&user, &password.password).map_err(|e| pg_error(&e))?;
                self.open(client).await
            }
            _ => Ok(()),
        }
    }
}

impl PgStartup {
    /// Opens the backend session for an authenticated client and finishes startup.
    async fn open<C>(&self, client: &mut C) -> PgWireResult<()>
    where
        C: ClientInfo + Sink<PgWireBackendMessage> + Unpin + Send,
        C::Error: Debug,
        PgWireError: From<<C as Sink<PgWireBackendMessage>>::Error>,
    {
        let meta = client.metadata();
        let user = meta.get("user").cloned().unwrap_or_else(|| "anonymous".into());
        let database = meta.get("database").cloned().filter(|d| !d.is_empty()).or_else(|| Some(user.clone()));
        let options = SessionOptions {
            user: user.clone(),
            database,
            settings: Default::default(),
            protocol: ProtocolKind::Postgres,
        };
        let session = self.backend.open_session(options).await.map_err(|e| pg_error(&e))?;
        let (pid, secret) = self.keys.generate(client);
        client.set_pid_and_secret_key(pid, secret.clone());
        let key = (pid, secret.to_bytes().to_vec());
        let state = ConnState {
            session,
            current: Mutex::new(CancellationToken::new()),
            key: key.clone(),
            registry: self.registry.clone(),
        };
        client.session_extensions().insert(state);
        let state = conn_state(client)?;
        if let Ok(mut m) = self.registry.connections.lock() {
            m.insert(key, Arc::downgrade(&state));
        }
        tracing::debug!(%user, pid, "postgres session opened");
        finish_authentication(client, &Parameters { server_version: self.backend.server_version().to_string() }).await
    }
}
