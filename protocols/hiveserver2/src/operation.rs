//! One operation: a statement (or a metadata listing) whose rows are fetched in pieces. Rows are
//! pulled from the backend's stream only as FetchResults asks for them, so a large result never sits
//! in server memory.

use std::sync::Arc;

use arrow::array::RecordBatch;
use arrow::datatypes::SchemaRef;
use futures::StreamExt;
use hivewire_backend::{BackendError, BatchStream, CancellationToken};
use tokio::sync::Mutex;

/// Where an operation is.
pub enum State {
    /// The statement is still running (a long DDL or INSERT, run asynchronously).
    Running,
    /// Rows to fetch (possibly none: a command).
    Ready(Rows),
    /// It failed.
    Failed(BackendError),
    /// It was cancelled.
    Canceled,
}

/// The rows of a finished statement, and how far the client has read them.
pub struct Rows {
    pub schema: Option<SchemaRef>,
    stream: Option<BatchStream>,
    pending: Option<RecordBatch>,
    pub modified: Option<u64>,
    pub offset: i64,
}

impl Rows {
    /// Rows from a stream.
    pub fn stream(schema: SchemaRef, stream: BatchStream) -> Self {
        Rows { schema: Some(schema), stream: Some(stream), pending: None, modified: None, offset: 0 }
    }

    /// Rows from a stream whose first batch has been computed already; `None` when the stream
    /// ended without one (an empty result), which must not be polled again.
    pub fn started(schema: SchemaRef, first: Option<RecordBatch>, stream: BatchStream) -> Self {
        let stream = first.is_some().then_some(stream);
        Rows { schema: Some(schema), stream, pending: first, modified: None, offset: 0 }
    }

    /// No rows (a command), with its row count if it has one.
    pub fn command(modified: Option<u64>) -> Self {
        Rows { schema: None, stream: None, pending: None, modified, offset: 0 }
    }

    /// Whether every row has been read.
    pub fn is_done(&self) -> bool {
        self.stream.is_none() && self.pending.is_none()
    }

    /// Up to `max` rows, as batches; an empty result means the end.
    pub async fn next(&mut self, max: usize) -> Result<Vec<RecordBatch>, BackendError> {
        let mut out = Vec::new();
        let mut want = max.max(1);
        while want > 0 {
            let batch = match self.pending.take() {
                Some(b) => b,
                None => match self.stream.as_mut() {
                    Some(s) => match s.next().await {
                        Some(Ok(b)) => b,
                        Some(Err(e)) => {
                            self.stream = None;
                            return Err(e);
                        }
                        None => {
                            self.stream = None;
                            break;
                        }
                    },
                    None => break,
                },
            };
            if batch.num_rows() == 0 {
                continue;
            }
            if batch.num_rows() > want {
                out.push(batch.slice(0, want));
                self.pending = Some(batch.slice(want, batch.num_rows() - want));
                want = 0;
            } else {
                want -= batch.num_rows();
                out.push(batch);
            }
        }
        self.offset += out.iter().map(|b| b.num_rows() as i64).sum::<i64>();
        Ok(out)
    }
}

/// An operation and its cancel handle.
pub struct Operation {
    pub state: Mutex<State>,
    pub cancel: CancellationToken,
    pub statement: String,
    has_result_set: std::sync::atomic::AtomicBool,
    /// Set when the statement ran past its query timeout and was stopped.
    pub timed_out: std::sync::atomic::AtomicBool,
    /// Wakes those waiting for a running statement to finish.
    pub done: tokio::sync::Notify,
    /// The operation log (beeline shows it), and how much of it the client has read.
    log: std::sync::Mutex<(Vec<String>, usize)>,
    /// When it started, in milliseconds since the Unix epoch.
    pub started_ms: i64,
    started: std::time::Instant,
    /// Its stages, as the backend reports them while it runs.
    pub progress: Arc<hivewire_backend::Progress>,
    /// When it stopped running, in milliseconds since the Unix epoch (0 while it runs).
    finished_ms: std::sync::atomic::AtomicI64,
}

impl Operation {
    pub fn new(state: State, cancel: CancellationToken, statement: String, has_result_set: bool) -> Arc<Self> {
        Arc::new(Operation {
            state: Mutex::new(state),
            cancel,
            statement,
            has_result_set: std::sync::atomic::AtomicBool::new(has_result_set),
            timed_out: std::sync::atomic::AtomicBool::new(false),
            done: tokio::sync::Notify::new(),
            log: std::sync::Mutex::new((vec![], 0)),
            started_ms: chrono::Utc::now().timestamp_millis(),
            started: std::time::Instant::now(),
            progress: Arc::default(),
            finished_ms: std::sync::atomic::AtomicI64::new(0),
        })
    }

    /// Records that the statement has stopped running, the first time only.
    pub fn mark_finished(&self) {
        let now = chrono::Utc::now().timestamp_millis();
        let _ = self.finished_ms.compare_exchange(0, now, std::sync::atomic::Ordering::SeqCst, std::sync::atomic::Ordering::SeqCst);
    }

    /// When the statement stopped running (finished, failed or was cancelled).
    pub fn finished_ms(&self) -> i64 {
        self.finished_ms.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Whether the statement is still running (has not reached its first rows, or its end).
    pub async fn is_running(&self) -> bool {
        matches!(*self.state.lock().await, State::Running)
    }

    /// Adds a line to the operation log, stamped with the time since the start.
    pub fn log(&self, line: impl AsRef<str>) {
        let elapsed = self.started.elapsed().as_millis();
        if let Ok(mut l) = self.log.lock() {
            l.0.push(format!("INFO  : [{elapsed} ms] {}", line.as_ref()));
        }
    }

    /// Log lines the client has not read yet.
    pub fn unread_log(&self) -> Vec<String> {
        match self.log.lock() {
            Ok(mut l) => {
                let new = l.0[l.1..].to_vec();
                l.1 = l.0.len();
                new
            }
            Err(_) => vec![],
        }
    }

    /// Whether the statement returns rows (known once it is no longer running).
    pub fn has_result_set(&self) -> bool {
        self.has_result_set.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Records how a running statement ended, and wakes its waiters.
    pub async fn finish(&self, state: State, has_result_set: bool) {
        match &state {
            State::Ready(rows) => match rows.modified {
                Some(n) => self.log(format!("Finished: {n} rows affected")),
                None => self.log(if has_result_set { "Finished: rows are ready to fetch" } else { "Finished" }),
            },
            State::Failed(e) => self.log(format!("Failed: {}", e.message)),
            State::Canceled => self.log("Cancelled"),
            State::Running => {}
        }
        self.has_result_set.store(has_result_set, std::sync::atomic::Ordering::SeqCst);
        let mut s = self.state.lock().await;
        if matches!(*s, State::Running) {
            *s = state;
            self.mark_finished();
        }
        drop(s);
        self.done.notify_waiters();
    }

    /// Stops a statement that ran past its timeout, unless its rows were all read already.
    pub async fn time_out(&self) {
        // A fetch in progress holds the state: stop its stream first, so that it lets go.
        let finished = match self.state.try_lock() {
            Ok(s) => matches!(&*s, State::Ready(rows) if rows.is_done()) || matches!(&*s, State::Failed(_)),
            Err(_) => false,
        };
        if finished {
            return;
        }
        self.timed_out.store(true, std::sync::atomic::Ordering::SeqCst);
        self.cancel.cancel();
        let mut s = self.state.lock().await;
        if !matches!(&*s, State::Failed(_)) {
            *s = State::Canceled;
            self.mark_finished();
        }
        drop(s);
        self.done.notify_waiters();
    }

    /// Waits up to `limit` for a running statement to finish.
    pub async fn wait(&self, limit: std::time::Duration) {
        let notified = self.done.notified();
        if !matches!(*self.state.lock().await, State::Running) {
            return;
        }
        let _ = tokio::time::timeout(limit, notified).await;
    }
}
