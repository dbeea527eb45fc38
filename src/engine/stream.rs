//! Result streams handed to the protocols: errors mapped, and stopped by cancellation.

use datafusion::execution::SendableRecordBatchStream;
use futures::StreamExt;
use hivewire_backend::{BackendError, BatchStream, CancellationToken};

use super::errors::from_datafusion;

/// Wraps a DataFusion stream. When `cancel` fires, the stream yields a cancellation error and ends,
/// and the DataFusion stream is dropped, which stops its tasks and frees their memory.
pub(crate) fn cancellable(inner: SendableRecordBatchStream, cancel: CancellationToken) -> BatchStream {
    let mapped = inner.map(|r| r.map_err(|e| from_datafusion(&e, None)));
    Box::pin(futures::stream::unfold(Some((Box::pin(mapped), cancel)), |state| async move {
        let (mut s, cancel) = state?;
        tokio::select! {
            biased;
            _ = cancel.cancelled() => Some((Err(BackendError::canceled()), None)),
            item = s.next() => item.map(|i| (i, Some((s, cancel)))),
        }
    }))
}
