//! The RPCs: each call is read into a [`Call`], run against the session it names, and answered.
//! Sessions and operations are kept by their handle ids; a handle that is not known gets an
//! INVALID_HANDLE status, never an error of the connection.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use hivewire_backend::{Backend, CancellationToken, ProtocolKind, QueryResult, Session, SessionOptions};
use thrift::protocol::TInputProtocol;
use thrift::OrderedFloat;

use crate::metadata;
use crate::operation::{Operation, Rows, State};
use crate::rowset::{columns, empty_columns, row_set};
use crate::status::{error, invalid_handle, ok, refused};
use crate::tcli_service::*;
use crate::types::field_type_desc;
use crate::wire::read_field_one;

/// The highest protocol version served.
const SERVER_PROTOCOL: TProtocolVersion = TProtocolVersion::HIVE_CLI_SERVICE_PROTOCOL_V10;

/// A call read off the wire.
pub enum Call {
    OpenSession(TOpenSessionReq),
    CloseSession(TCloseSessionReq),
    GetInfo(TGetInfoReq),
    ExecuteStatement(TExecuteStatementReq),
    GetOperationStatus(TGetOperationStatusReq),
    GetResultSetMetadata(TGetResultSetMetadataReq),
    FetchResults(TFetchResultsReq),
    CancelOperation(TCancelOperationReq),
    CloseOperation(TCloseOperationReq),
    GetQueryId(TGetQueryIdReq),
    SetClientInfo(TSetClientInfoReq),
    GetTypeInfo(TGetTypeInfoReq),
    GetCatalogs(TGetCatalogsReq),
    GetSchemas(TGetSchemasReq),
    GetTables(TGetTablesReq),
    GetTableTypes(TGetTableTypesReq),
    GetColumns(TGetColumnsReq),
    GetFunctions(TGetFunctionsReq),
    GetPrimaryKeys(TGetPrimaryKeysReq),
    GetCrossReference(TGetCrossReferenceReq),
    /// A call hivewire does not serve: answered with a status naming it.
    NotServed(String, TSessionHandleless),
    /// A name not in the interface: answered with TApplicationException UNKNOWN_METHOD.
    Unknown(String),
}

/// Marker for calls answered without a session.
pub struct TSessionHandleless;

/// Reads the argument of `name`.
pub fn read_call(name: &str, p: &mut dyn TInputProtocol) -> thrift::Result<Call> {
    fn arg<T: thrift::protocol::TSerializable>(p: &mut dyn TInputProtocol, name: &str) -> thrift::Result<T> {
        read_field_one::<T>(p)?.ok_or_else(|| {
            thrift::Error::Protocol(thrift::ProtocolError::new(
                thrift::ProtocolErrorKind::InvalidData,
                format!("{name}: missing request"),
            ))
        })
    }
    Ok(match name {
        "OpenSession" => Call::OpenSession(arg(p, name)?),
        "CloseSession" => Call::CloseSession(arg(p, name)?),
        "GetInfo" => Call::GetInfo(arg(p, name)?),
        "ExecuteStatement" => Call::ExecuteStatement(arg(p, name)?),
        "GetOperationStatus" => Call::GetOperationStatus(arg(p, name)?),
        "GetResultSetMetadata" => Call::GetResultSetMetadata(arg(p, name)?),
        "FetchResults" => Call::FetchResults(arg(p, name)?),
        "CancelOperation" => Call::CancelOperation(arg(p, name)?),
        "CloseOperation" => Call::CloseOperation(arg(p, name)?),
        "GetQueryId" => Call::GetQueryId(arg(p, name)?),
        "SetClientInfo" => Call::SetClientInfo(arg(p, name)?),
        "GetTypeInfo" => Call::GetTypeInfo(arg(p, name)?),
        "GetCatalogs" => Call::GetCatalogs(arg(p, name)?),
        "GetSchemas" => Call::GetSchemas(arg(p, name)?),
        "GetTables" => Call::GetTables(arg(p, name)?),
        "GetTableTypes" => Call::GetTableTypes(arg(p, name)?),
        "GetColumns" => Call::GetColumns(arg(p, name)?),
        "GetFunctions" => Call::GetFunctions(arg(p, name)?),
        "GetPrimaryKeys" => Call::GetPrimaryKeys(arg(p, name)?),
        "GetCrossReference" => Call::GetCrossReference(arg(p, name)?),
        // Kerberos delegation tokens have no meaning here.
        "GetDelegationToken" | "CancelDelegationToken" | "RenewDelegationToken" => {
            crate::wire::skip_args(p)?;
            Call::NotServed(name.to_string(), TSessionHandleless)
        }
        other => {
            crate::wire::skip_args(p)?;
            Call::Unknown(other.to_string())
        }
    })
}

struct SessionEntry {
    session: Arc<dyn Session>,
    /// The protocol version agreed at OpenSession: before V6, row sets are row-based.
    version: TProtocolVersion,
}

/// An operation, with the id of the session it belongs to.
type OperationEntry = (Vec<u8>, Arc<Operation>);

/// Every session and operation of the server.
pub struct Service {
    backend: Arc<dyn Backend>,
    sessions: Mutex<HashMap<Vec<u8>, Arc<SessionEntry>>>,
    operations: Mutex<HashMap<Vec<u8>, OperationEntry>>,
    /// When each session and operation was last used, for the idle timeouts.
    last_used: Mutex<HashMap<Vec<u8>, std::time::Instant>>,
    idle_session: std::time::Duration,
    idle_operation: std::time::Duration,
}

fn new_handle() -> THandleIdentifier {
    THandleIdentifier::new(uuid::Uuid::new_v4().as_bytes().to_vec(), uuid::Uuid::new_v4().as_bytes().to_vec())
}

/// Sets a statement's confOverlay keys, returning what they were.
async fn apply_overlay(session: &dyn Session, overlay: &[(String, String)]) -> Vec<(String, Option<String>)> {
    let mut saved = Vec::with_capacity(overlay.len());
    for (k, v) in overlay {
        saved.push((k.clone(), session.setting(k)));
        let sql = format!("SET {k}={v}");
        if let Err(e) = session.execute(&sql, vec![], CancellationToken::new()).await {
            tracing::debug!(key = %k, error = %e.message, "confOverlay key not applied");
        }
    }
    saved
}

/// Puts back the settings a confOverlay changed.
async fn restore_overlay(session: &dyn Session, saved: Vec<(String, Option<String>)>) {
    for (k, old) in saved {
        let sql = match old {
            Some(v) => format!("SET {k}={v}"),
            None => format!("RESET {k}"),
        };
        let _ = session.execute(&sql, vec![], CancellationToken::new()).await;
    }
}

/// A serialisable reply, boxed so that the connection can write any of them.
pub enum Reply {
    OpenSession(TOpenSessionResp),
    CloseSession(TCloseSessionResp),
    GetInfo(TGetInfoResp),
    ExecuteStatement(TExecuteStatementResp),
    GetOperationStatus(TGetOperationStatusResp),
    GetResultSetMetadata(TGetResultSetMetadataResp),
    FetchResults(TFetchResultsResp),
    CancelOperation(TCancelOperationResp),
    CloseOperation(TCloseOperationResp),
    GetQueryId(TGetQueryIdResp),
    SetClientInfo(TSetClientInfoResp),
    /// The reply of a metadata call: its status and operation (every such response has that shape).
    Metadata(TStatus, Option<TOperationHandle>),
    /// A status-only reply to a call not served (encoded as that call's response shape).
    Refused(TStatus),
}

impl Service {
    /// Checks a password with the backend (always accepted when no users are configured).
    pub fn authenticate(&self, user: &str, password: &str) -> Result<(), hivewire_backend::BackendError> {
        self.backend.authenticate(user, password)
    }

    /// A service whose sessions and operations are closed after being idle this long (zero: never).
    pub fn new(backend: Arc<dyn Backend>, idle_session: std::time::Duration, idle_operation: std::time::Duration) -> Arc<Self> {
        Arc::new(Service {
            backend,
            sessions: Mutex::new(HashMap::new()),
            operations: Mutex::new(HashMap::new()),
            last_used: Mutex::new(HashMap::new()),
            idle_session,
            idle_operation,
        })
    }

    fn touch(&self, id: &[u8]) {
        if let Ok(mut m) = self.last_used.lock() {
            m.insert(id.to_vec(), std::time::Instant::now());
        }
    }

    fn session(&self, h: &TSessionHandle) -> Option<Arc<SessionEntry>> {
        let s = self.sessions.lock().ok()?.get(&h.session_id.guid).cloned();
        if s.is_some() {
            self.touch(&h.session_id.guid);
        }
        s
    }

    fn operation(&self, h: &TOperationHandle) -> Option<Arc<Operation>> {
        let found = self.operations.lock().ok()?.get(&h.operation_id.guid).cloned();
        let (sid, op) = found?;
        self.touch(&h.operation_id.guid);
        self.touch(&sid);
        Some(op)
    }

    /// Closes sessions and operations idle for longer than their timeouts; their queries are
    /// cancelled. A running statement keeps its operation alive.
    pub async fn reap(&self) {
        let now = std::time::Instant::now();
        let idle = |id: &[u8], limit: std::time::Duration| {
            !limit.is_zero()
                && self.last_used.lock().ok().and_then(|m| m.get(id).copied()).is_some_and(|t| now.duration_since(t) > limit)
        };
        let ops: Vec<(Vec<u8>, Arc<Operation>)> =
            self.operations.lock().map(|m| m.iter().map(|(k, (_, o))| (k.clone(), o.clone())).collect()).unwrap_or_default();
        for (id, op) in ops {
            let running = matches!(op.state.try_lock().as_deref(), Ok(State::Running));
            if !running && idle(&id, self.idle_operation) {
                op.cancel.cancel();
                if let Ok(mut m) = self.operations.lock() {
                    m.remove(&id);
                }
                tracing::info!("closed an idle HiveServer2 operation");
            }
        }
        let sessions: Vec<Vec<u8>> = self.sessions.lock().map(|m| m.keys().cloned().collect()).unwrap_or_default();
        let busy: Vec<Vec<u8>> = self.operations.lock().map(|m| m.values().map(|(s, _)| s.clone()).collect()).unwrap_or_default();
        let expired: Vec<Vec<u8>> = sessions.into_iter().filter(|s| !busy.contains(s) && idle(s, self.idle_session)).collect();
        if !expired.is_empty() {
            tracing::info!(count = expired.len(), "closing idle HiveServer2 sessions");
            self.close_sessions(&expired);
        }
        if let Ok(mut m) = self.last_used.lock() {
            let (sessions, ops) = (
                self.sessions.lock().map(|s| s.keys().cloned().collect::<Vec<_>>()).unwrap_or_default(),
                self.operations.lock().map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default(),
            );
            m.retain(|k, _| sessions.contains(k) || ops.contains(k));
        }
    }

    /// The session an operation belongs to.
    fn session_of(&self, h: &TOperationHandle) -> Option<Arc<dyn Session>> {
        let sid = self.operations.lock().ok()?.get(&h.operation_id.guid).map(|(sid, _)| sid.clone())?;
        self.sessions.lock().ok()?.get(&sid).map(|e| e.session.clone())
    }

    /// The protocol version of the session owning an operation.
    fn version_of(&self, h: &TOperationHandle) -> Option<TProtocolVersion> {
        let sid = self.operations.lock().ok().and_then(|ops| ops.get(&h.operation_id.guid).map(|(sid, _)| sid.clone()))?;
        self.sessions.lock().ok()?.get(&sid).map(|e| e.version)
    }

    /// Whether the session owning an operation takes columnar row sets (protocol V6 and later).
    fn columnar(&self, h: &TOperationHandle) -> bool {
        self.version_of(h).is_none_or(|v| v.0 >= TProtocolVersion::HIVE_CLI_SERVICE_PROTOCOL_V6.0)
    }

    /// Closes every session of a connection that went away (and cancels their operations).
    pub fn close_sessions(&self, ids: &[Vec<u8>]) {
        if let Ok(mut ops) = self.operations.lock() {
            ops.retain(|_, (sid, op)| {
                let gone = ids.contains(sid);
                if gone {
                    op.cancel.cancel();
                }
                !gone
            });
        }
        if let Ok(mut s) = self.sessions.lock() {
            for id in ids {
                s.remove(id);
            }
        }
    }

    /// Runs one call. `opened` collects the sessions this connection opens; `authenticated` is the
    /// user the transport (SASL, HTTP) has authenticated already, if any.
    pub async fn handle(&self, call: Call, opened: &mut Vec<Vec<u8>>, authenticated: Option<&str>) -> Reply {
        match call {
            Call::OpenSession(r) => Reply::OpenSession(self.open_session(r, opened, authenticated).await),
            Call::CloseSession(r) => Reply::CloseSession(self.close_session(r)),
            Call::GetInfo(r) => Reply::GetInfo(self.get_info(r)),
            Call::ExecuteStatement(r) => Reply::ExecuteStatement(self.execute(r).await),
            Call::GetOperationStatus(r) => Reply::GetOperationStatus(self.status(r).await),
            Call::GetResultSetMetadata(r) => Reply::GetResultSetMetadata(self.metadata(r).await),
            Call::FetchResults(r) => Reply::FetchResults(self.fetch(r).await),
            Call::CancelOperation(r) => Reply::CancelOperation(self.cancel(r).await),
            Call::CloseOperation(r) => Reply::CloseOperation(self.close_operation(r)),
            Call::GetQueryId(r) => Reply::GetQueryId(TGetQueryIdResp::new(uuid::Uuid::from_slice(&r.operation_handle.operation_id.guid).map(|u| u.to_string()).unwrap_or_default())),
            Call::SetClientInfo(_) => Reply::SetClientInfo(TSetClientInfoResp::new(ok())),
            Call::GetTypeInfo(r) => self.listing(&r.session_handle, TOperationType::GET_TYPE_INFO, |_| async { metadata::type_info() }).await,
            Call::GetCatalogs(r) => self.listing(&r.session_handle, TOperationType::GET_CATALOGS, |_| async { metadata::catalogs() }).await,
            Call::GetSchemas(r) => {
                self.listing(&r.session_handle, TOperationType::GET_SCHEMAS, |s| async move { metadata::schemas(s.as_ref(), r.schema_name.as_deref()).await }).await
            }
            Call::GetTables(r) => {
                self.listing(&r.session_handle, TOperationType::GET_TABLES, |s| async move {
                    metadata::tables(s.as_ref(), r.schema_name.as_deref(), r.table_name.as_deref(), r.table_types.as_deref()).await
                })
                .await
            }
            Call::GetTableTypes(r) => self.listing(&r.session_handle, TOperationType::GET_TABLE_TYPES, |_| async { metadata::table_types() }).await,
            Call::GetColumns(r) => {
                self.listing(&r.session_handle, TOperationType::GET_COLUMNS, |s| async move {
                    metadata::columns(s.as_ref(), r.schema_name.as_deref(), r.table_name.as_deref(), r.column_name.as_deref()).await
                })
                .await
            }
            Call::GetFunctions(r) => {
                self.listing(&r.session_handle, TOperationType::GET_FUNCTIONS, |s| async move {
                    metadata::functions(s.as_ref(), Some(r.function_name.as_str())).await
                })
                .await
            }
            Call::GetPrimaryKeys(r) => self.listing(&r.session_handle, TOperationType::UNKNOWN, |_| async { metadata::primary_keys() }).await,
            Call::GetCrossReference(r) => self.listing(&r.session_handle, TOperationType::UNKNOWN, |_| async { metadata::cross_reference() }).await,
            Call::NotServed(name, _) => Reply::Refused(refused("0A000", format!("{name} is not supported: there are no delegation tokens"))),
            Call::Unknown(_) => Reply::Refused(refused("0A000", "unknown method")),
        }
    }

    /// Runs a metadata listing as an operation whose rows the client then fetches.
    async fn listing<F, Fut>(&self, handle: &TSessionHandle, kind: TOperationType, list: F) -> Reply
    where
        F: FnOnce(Arc<dyn Session>) -> Fut,
        Fut: std::future::Future<Output = Result<(arrow::datatypes::SchemaRef, Vec<arrow::array::RecordBatch>), hivewire_backend::BackendError>>,
    {
        let Some(entry) = self.session(handle) else {
            return Reply::Metadata(invalid_handle("session"), None);
        };
        match list(entry.session.clone()).await {
            Ok((schema, batches)) => {
                let stream: hivewire_backend::BatchStream = Box::pin(futures::stream::iter(batches.into_iter().map(Ok)));
                let op = Operation::new(State::Ready(Rows::stream(schema, stream)), CancellationToken::new(), String::new(), true);
                let id = new_handle();
                if let Ok(mut ops) = self.operations.lock() {
                    ops.insert(id.guid.clone(), (handle.session_id.guid.clone(), op));
                }
                self.touch(&id.guid);
                Reply::Metadata(ok(), Some(TOperationHandle::new(id, kind, true, None)))
            }
            Err(e) => Reply::Metadata(error(&e), None),
        }
    }

    async fn open_session(&self, r: TOpenSessionReq, opened: &mut Vec<Vec<u8>>, authenticated: Option<&str>) -> TOpenSessionResp {
        let version = TProtocolVersion(r.client_protocol.0.min(SERVER_PROTOCOL.0));
        // Without SASL or HTTP credentials, the request's own user and password are checked.
        if authenticated.is_none() && self.backend.requires_password() {
            let user = r.username.clone().unwrap_or_default();
            if let Err(e) = self.backend.authenticate(&user, r.password.as_deref().unwrap_or_default()) {
                return TOpenSessionResp::new(error(&e), version, None, BTreeMap::new());
            }
        }
        let mut database = None;
        let mut settings = BTreeMap::new();
        for (k, v) in r.configuration.unwrap_or_default() {
            if k == "use:database" {
                database = Some(v);
            } else if let Some(key) = k.strip_prefix("set:hiveconf:").or_else(|| k.strip_prefix("set:hivevar:")) {
                settings.insert(key.to_string(), v);
            } else if !k.starts_with("use:") {
                settings.insert(k, v);
            }
        }
        let user = match authenticated {
            Some(u) => u.to_string(),
            None => r.username.filter(|u| !u.is_empty()).unwrap_or_else(|| "anonymous".into()),
        };
        let options = SessionOptions { user, database, settings, protocol: ProtocolKind::HiveServer2 };
        match self.backend.open_session(options).await {
            Ok(session) => {
                let handle = new_handle();
                if let Ok(mut s) = self.sessions.lock() {
                    s.insert(handle.guid.clone(), Arc::new(SessionEntry { session: Arc::from(session), version }));
                }
                opened.push(handle.guid.clone());
                self.touch(&handle.guid);
                TOpenSessionResp::new(ok(), version, TSessionHandle::new(handle), BTreeMap::new())
            }
            Err(e) => TOpenSessionResp::new(error(&e), version, None, BTreeMap::new()),
        }
    }

    fn close_session(&self, r: TCloseSessionReq) -> TCloseSessionResp {
        let id = r.session_handle.session_id.guid;
        let known = self.sessions.lock().map(|s| s.contains_key(&id)).unwrap_or(false);
        if !known {
            return TCloseSessionResp::new(invalid_handle("session"));
        }
        self.close_sessions(&[id]);
        TCloseSessionResp::new(ok())
    }

    fn get_info(&self, r: TGetInfoReq) -> TGetInfoResp {
        if self.session(&r.session_handle).is_none() {
            return TGetInfoResp::new(invalid_handle("session"), TGetInfoValue::StringValue(String::new()));
        }
        let value = match r.info_type {
            TGetInfoType::CLI_SERVER_NAME => TGetInfoValue::StringValue("hivewire".into()),
            // ODBC BI drivers decide what they support from these; a Spark-compatible answer.
            TGetInfoType::CLI_DBMS_NAME => TGetInfoValue::StringValue("Spark SQL".into()),
            TGetInfoType::CLI_DBMS_VER => TGetInfoValue::StringValue("4.3.0".into()),
            TGetInfoType::CLI_MAX_COLUMN_NAME_LEN | TGetInfoType::CLI_MAX_SCHEMA_NAME_LEN | TGetInfoType::CLI_MAX_TABLE_NAME_LEN => {
                TGetInfoValue::LenValue(128)
            }
            TGetInfoType::CLI_ODBC_KEYWORDS => TGetInfoValue::StringValue("UNIQUE,LIMIT,PARTITION".into()),
            TGetInfoType::CLI_IDENTIFIER_QUOTE_CHAR => TGetInfoValue::StringValue("`".into()),
            TGetInfoType::CLI_SEARCH_PATTERN_ESCAPE => TGetInfoValue::StringValue("\\".into()),
            _ => TGetInfoValue::StringValue(String::new()),
        };
        TGetInfoResp::new(ok(), value)
    }

    async fn execute(&self, r: TExecuteStatementReq) -> TExecuteStatementResp {
        let Some(entry) = self.session(&r.session_handle) else {
            return TExecuteStatementResp::new(invalid_handle("session"), None);
        };
        let cancel = CancellationToken::new();
        let statement = r.statement.trim().trim_end_matches(';').to_string();
        let op = Operation::new(State::Running, cancel.clone(), statement.clone(), false);
        op.log(format!("Executing statement: {statement}"));
        // The statement runs in its own task: a client running asynchronously gets its handle
        // while it runs, and may cancel it.
        let overlay: Vec<(String, String)> = r.conf_overlay.clone().unwrap_or_default().into_iter().collect();
        crate::progress::spawn_logger(op.clone());
        let runner = {
            let (op, session) = (op.clone(), entry.session.clone());
            tokio::spawn(async move {
                // confOverlay: settings for this statement only, restored after it.
                let saved = apply_overlay(session.as_ref(), &overlay).await;
                let result = session.execute_with_progress(&statement, vec![], op.cancel.clone(), op.progress.clone()).await;
                crate::progress::log_stages(&op);
                restore_overlay(session.as_ref(), saved).await;
                let (state, rows) = match result {
                    // The statement is RUNNING until its first rows are computed (for an
                    // aggregate, that is most of the work): a client can cancel it meanwhile, and an
                    // error in it is reported by GetOperationStatus, as Spark does.
                    Ok(QueryResult::Rows { schema, mut stream, .. }) | Ok(QueryResult::Copy { schema, mut stream, .. }) => {
                        use futures::StreamExt;
                        match stream.next().await {
                            Some(Ok(first)) => (State::Ready(Rows::started(schema, Some(first), stream)), true),
                            None => (State::Ready(Rows::started(schema, None, stream)), true),
                            Some(Err(e)) if e.kind == hivewire_backend::ErrorKind::Canceled => (State::Canceled, true),
                            Some(Err(e)) => (State::Failed(e), true),
                        }
                    }
                    Ok(QueryResult::Command(c)) => (State::Ready(Rows::command(c.rows)), false),
                    Err(e) if e.kind == hivewire_backend::ErrorKind::Canceled => (State::Canceled, false),
                    Err(e) => (State::Failed(e), false),
                };
                op.finish(state, rows).await;
            })
        };
        if let Some(seconds) = r.query_timeout.filter(|t| *t > 0) {
            let op = op.clone();
            tokio::spawn(async move {
                tokio::select! {
                    _ = op.cancel.cancelled() => {}
                    _ = tokio::time::sleep(std::time::Duration::from_secs(seconds as u64)) => op.time_out().await,
                }
            });
        }
        if r.run_async == Some(true) {
            // A short wait answers quick statements as finished, with their result-set flag.
            op.wait(std::time::Duration::from_millis(500)).await;
        } else {
            let _ = runner.await;
            let state = op.state.lock().await;
            if let State::Failed(e) = &*state {
                return TExecuteStatementResp::new(error(e), None);
            }
        }
        let handle = new_handle();
        let modified = match &*op.state.lock().await {
            State::Ready(rows) => rows.modified.map(|n| OrderedFloat(n as f64)),
            _ => None,
        };
        let has_rows = op.has_result_set();
        if let Ok(mut ops) = self.operations.lock() {
            ops.insert(handle.guid.clone(), (r.session_handle.session_id.guid.clone(), op));
        }
        self.touch(&handle.guid);
        TExecuteStatementResp::new(ok(), TOperationHandle::new(handle, TOperationType::EXECUTE_STATEMENT, has_rows, modified))
    }

    async fn status(&self, r: TGetOperationStatusReq) -> TGetOperationStatusResp {
        let Some(op) = self.operation(&r.operation_handle) else {
            return TGetOperationStatusResp::new(invalid_handle("operation"), None, None, None, None, None, None, None, None, None, None);
        };
        // Long-poll a little, so that clients polling without a pause do not spin.
        op.wait(std::time::Duration::from_millis(300)).await;
        let timed_out = op.timed_out.load(std::sync::atomic::Ordering::SeqCst);
        let state = op.state.lock().await;
        let (s, sql_state, message, modified) = match &*state {
            State::Running => (TOperationState::RUNNING_STATE, None, None, None),
            State::Ready(rows) => (TOperationState::FINISHED_STATE, None, None, rows.modified.map(|n| n as i64)),
            State::Failed(e) => (TOperationState::ERROR_STATE, Some(e.sqlstate().to_string()), Some(crate::status::message(e)), None),
            State::Canceled if timed_out => (TOperationState::TIMEDOUT_STATE, Some("HYT00".to_string()), Some("Query timed out".to_string()), None),
            State::Canceled => (TOperationState::CANCELED_STATE, None, Some("Query was cancelled".to_string()), None),
        };
        // Progress for clients that ask (protocol V10): the statement's stages and their tasks.
        let progress = (r.get_progress_update == Some(true))
            .then(|| crate::progress::update(&op.progress.snapshot(), s == TOperationState::RUNNING_STATE, op.started_ms));
        let error_code = sql_state.as_ref().map(|_| 0);
        let completed = (s != TOperationState::RUNNING_STATE).then(|| op.finished_ms());
        TGetOperationStatusResp::new(ok(), s, sql_state, error_code, message, None, op.started_ms, completed, op.has_result_set(), progress, modified)
    }

    async fn metadata(&self, r: TGetResultSetMetadataReq) -> TGetResultSetMetadataResp {
        let Some(op) = self.operation(&r.operation_handle) else {
            return TGetResultSetMetadataResp::new(invalid_handle("operation"), None);
        };
        let state = op.state.lock().await;
        let schema = match &*state {
            State::Ready(rows) => rows.schema.clone(),
            State::Failed(e) => return TGetResultSetMetadataResp::new(error(e), None),
            State::Canceled => return TGetResultSetMetadataResp::new(refused("57014", "Query was cancelled"), None),
            State::Running => return TGetResultSetMetadataResp::new(refused("HY010", "the statement is still running"), None),
        };
        let cols = schema
            .map(|s| {
                s.fields()
                    .iter()
                    .enumerate()
                    .map(|(i, f)| {
                        let (desc, name) = field_type_desc(f);
                        TColumnDesc::new(f.name().clone(), desc, (i + 1) as i32, name)
                    })
                    .collect()
            })
            .unwrap_or_default();
        TGetResultSetMetadataResp::new(ok(), TTableSchema::new(cols))
    }

    async fn fetch(&self, r: TFetchResultsReq) -> TFetchResultsResp {
        let Some(op) = self.operation(&r.operation_handle) else {
            return TFetchResultsResp::new(invalid_handle("operation"), None, None);
        };
        // The operation log: the lines not read yet.
        if r.fetch_type == Some(1) {
            let lines = op.unread_log();
            let more = !lines.is_empty();
            return TFetchResultsResp::new(ok(), more, row_set(0, vec![TColumn::StringVal(TStringColumn::new(lines, vec![]))]));
        }
        let mut state = op.state.lock().await;
        let rows = match &mut *state {
            State::Ready(rows) => rows,
            State::Failed(e) => return TFetchResultsResp::new(error(e), None, None),
            State::Canceled => return TFetchResultsResp::new(refused("57014", "Query was cancelled"), None, None),
            State::Running => return TFetchResultsResp::new(refused("HY010", "the statement is still running"), None, None),
        };
        if r.orientation == TFetchOrientation::FETCH_FIRST && rows.offset > 0 {
            // From the first row again: the query runs again.
            let session = self.session_of(&r.operation_handle);
            match (session, op.statement.is_empty()) {
                (Some(session), false) => match session.execute(&op.statement, vec![], op.cancel.clone()).await {
                    Ok(QueryResult::Rows { schema, stream, .. }) => *rows = Rows::stream(schema, stream),
                    Ok(_) => return TFetchResultsResp::new(refused("HY000", "the statement no longer returns rows"), None, None),
                    Err(e) => return TFetchResultsResp::new(error(&e), None, None),
                },
                _ => return TFetchResultsResp::new(refused("0A000", "this result cannot be read from the first row again"), None, None),
            }
        }
        let Some(schema) = rows.schema.clone() else {
            return TFetchResultsResp::new(ok(), false, row_set(0, vec![]));
        };
        let start = rows.offset;
        let max = usize::try_from(r.max_rows).unwrap_or(1000).clamp(1, 100_000);
        let columnar = self.columnar(&r.operation_handle);
        match rows.next(max).await {
            Ok(batches) if batches.is_empty() && columnar => {
                TFetchResultsResp::new(ok(), false, row_set(start, empty_columns(&schema)))
            }
            Ok(batches) if batches.is_empty() => TFetchResultsResp::new(ok(), false, TRowSet::new(start, vec![], None, None, None)),
            Ok(batches) => match arrow::compute::concat_batches(&schema, &batches) {
                Ok(batch) if columnar => TFetchResultsResp::new(ok(), true, row_set(start, columns(&batch))),
                Ok(batch) => TFetchResultsResp::new(ok(), true, crate::rowset::row_based(start, &batch)),
                Err(e) => TFetchResultsResp::new(refused("XX000", e.to_string()), None, None),
            },
            Err(e) => {
                let status = error(&e);
                *state = if e.kind == hivewire_backend::ErrorKind::Canceled { State::Canceled } else { State::Failed(e) };
                TFetchResultsResp::new(status, None, None)
            }
        }
    }

    async fn cancel(&self, r: TCancelOperationReq) -> TCancelOperationResp {
        let Some(op) = self.operation(&r.operation_handle) else {
            return TCancelOperationResp::new(invalid_handle("operation"));
        };
        op.cancel.cancel();
        *op.state.lock().await = State::Canceled;
        op.mark_finished();
        op.done.notify_waiters();
        TCancelOperationResp::new(ok())
    }

    fn close_operation(&self, r: TCloseOperationReq) -> TCloseOperationResp {
        let removed = self.operations.lock().ok().and_then(|mut ops| ops.remove(&r.operation_handle.operation_id.guid));
        match removed {
            Some((_, op)) => {
                op.cancel.cancel();
                TCloseOperationResp::new(ok())
            }
            None => TCloseOperationResp::new(invalid_handle("operation")),
        }
    }
}
