//! Checks the framing of the bytes a client sends before the message decoder sees them.
//!
//! pgwire's decoder silently drops a connection on an unknown message type, and it reads a length
//! below 4 as an empty message. This wrapper over the socket follows the frame boundaries in the
//! byte stream and turns a bad header (unknown type, impossible length, a frame over the size
//! limit) into an `InvalidData` error naming the fault, so the connection driver can answer with a
//! protocol-violation error before it closes that one connection.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Message types a client may send after startup.
const FRONTEND_TYPES: &[u8] = b"BCdcfDEHFPpQSX";

/// Where the reader is in the frame it is reading.
#[derive(Debug, Clone, Copy)]
enum Position {
    /// Collecting a header: the bytes seen so far (type byte if typed, then the length).
    Header { seen: usize },
    /// Skipping over a body.
    Body { left: u64 },
}

/// A socket whose incoming frames are checked.
pub struct FrameGuard<S> {
    inner: S,
    max_frame: u64,
    /// The first frame (startup, SSL, GSS or cancel request) has no type byte.
    typed: bool,
    header: [u8; 5],
    position: Position,
}

impl<S> FrameGuard<S> {
    /// Wraps a socket whose next frame is the untyped startup frame (`typed` false), or a typed one.
    pub fn new(inner: S, max_frame: u64, typed: bool) -> Self {
        FrameGuard { inner, max_frame, typed, header: [0; 5], position: Position::Header { seen: 0 } }
    }

    fn header_len(&self) -> usize {
        if self.typed {
            5
        } else {
            4
        }
    }

    /// Follows the frames through newly read bytes; an error names the first bad header.
    pub fn track(&mut self, mut bytes: &[u8]) -> io::Result<()> {
        while !bytes.is_empty() {
            match self.position {
                Position::Body { left } => {
                    let n = (bytes.len() as u64).min(left);
                    bytes = &bytes[n as usize..];
                    let left = left - n;
                    self.position = if left == 0 { Position::Header { seen: 0 } } else { Position::Body { left } };
                }
                Position::Header { seen } => {
                    let want = self.header_len();
                    let n = (want - seen).min(bytes.len());
                    self.header[seen..seen + n].copy_from_slice(&bytes[..n]);
                    bytes = &bytes[n..];
                    if seen + n < want {
                        self.position = Position::Header { seen: seen + n };
                        continue;
                    }
                    let left = self.check_header()?;
                    // Every frame after the first is typed.
                    self.typed = true;
                    self.position = if left == 0 { Position::Header { seen: 0 } } else { Position::Body { left } };
                }
            }
        }
        Ok(())
    }

    /// Validates a complete header and returns the body length.
    fn check_header(&self) -> io::Result<u64> {
        let bad = |msg: String| io::Error::new(io::ErrorKind::InvalidData, msg);
        let (kind, len_bytes) = if self.typed {
            (Some(self.header[0]), [self.header[1], self.header[2], self.header[3], self.header[4]])
        } else {
            (None, [self.header[0], self.header[1], self.header[2], self.header[3]])
        };
        if let Some(k) = kind {
            if !FRONTEND_TYPES.contains(&k) {
                return Err(bad(format!("invalid frontend message type {:?} (0x{k:02x})", k as char)));
            }
        }
        let len = i32::from_be_bytes(len_bytes);
        if len < 4 {
            return Err(bad(format!("invalid message length {len}")));
        }
        let len = len as u64;
        if len > self.max_frame {
            return Err(bad(format!("message of {len} bytes is over the limit of {} bytes", self.max_frame)));
        }
        Ok(len - 4)
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for FrameGuard<S> {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                let filled = buf.filled();
                Poll::Ready(this.track(&filled[before..]))
            }
            other => other,
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for FrameGuard<S> {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::FrameGuard;

    fn frame(kind: u8, len: i32) -> Vec<u8> {
        let mut v = vec![kind];
        v.extend_from_slice(&len.to_be_bytes());
        v.extend(std::iter::repeat_n(b'x', (len.max(4) - 4) as usize));
        v
    }

    #[test]
    fn follows_frames_split_anywhere() {
        let mut g = FrameGuard::new((), 1 << 20, false);
        let mut bytes = 8i32.to_be_bytes().to_vec();
        bytes.extend_from_slice(&[0, 3, 0, 0]);
        bytes.extend(frame(b'Q', 10));
        bytes.extend(frame(b'S', 4));
        for chunk in bytes.chunks(3) {
            g.track(chunk).unwrap();
        }
    }

    #[test]
    fn names_bad_headers() {
        let mut g = FrameGuard::new((), 1 << 20, true);
        assert!(g.track(&frame(b'y', 4)).unwrap_err().to_string().contains("invalid frontend message type"));
        let mut g = FrameGuard::new((), 1 << 20, true);
        assert!(g.track(&frame(b'Q', 2)).unwrap_err().to_string().contains("invalid message length 2"));
        let mut g = FrameGuard::new((), 100, true);
        assert!(g.track(&[b'Q', 0, 0, 1, 0]).unwrap_err().to_string().contains("over the limit"));
    }
}
