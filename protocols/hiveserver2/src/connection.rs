//! One binary-transport connection: SASL (PLAIN) and NOSASL told apart by the first byte, then
//! calls read, run and answered in order. With SASL, data travels in length-prefixed frames that are
//! pieces of one byte stream. A malformed negotiation, a bad frame or an undecodable message closes
//! this connection only, with a logged reason; its sessions are closed and their queries cancelled.

use std::net::SocketAddr;
use std::sync::Arc;

use bytes::{Buf, BytesMut};
use thrift::protocol::{TBinaryOutputProtocol, TFieldIdentifier, TMessageIdentifier, TMessageType, TOutputProtocol, TSerializable, TStructIdentifier, TType};
use thrift::ApplicationErrorKind;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::service::{read_call, Call, Reply, Service};
use crate::wire::{decode, exception, reply, Decoded};

/// SASL negotiation status bytes.
const START: u8 = 1;
const OK: u8 = 2;
const BAD: u8 = 3;
const COMPLETE: u8 = 5;

/// Why a connection ended early.
#[derive(Debug, thiserror::Error)]
pub enum ConnectionError {
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Protocol(String),
}

/// Serves one connection until the client leaves or breaks the protocol.
pub async fn serve(mut socket: TcpStream, peer: SocketAddr, service: Arc<Service>, max_message: usize) {
    let mut opened = Vec::new();
    let result = run(&mut socket, &service, &mut opened, max_message).await;
    service.close_sessions(&opened);
    if let Err(e) = result {
        tracing::warn!(%peer, error = %e, "closing HiveServer2 connection");
    }
}

async fn run(socket: &mut TcpStream, service: &Service, opened: &mut Vec<Vec<u8>>, max: usize) -> Result<(), ConnectionError> {
    let mut first = [0u8; 1];
    if socket.peek(&mut first).await? == 0 {
        return Ok(());
    }
    let (framed, user) = match first[0] {
        START => (true, Some(negotiate(socket, service).await?)),
        0x80 => (false, None),
        b => return Err(ConnectionError::Protocol(format!("unexpected first byte 0x{b:02x}: neither SASL nor binary Thrift"))),
    };
    let mut buf = BytesMut::with_capacity(8192);
    let mut raw = BytesMut::with_capacity(8192);
    loop {
        // Try to read a whole call from what has arrived.
        let decoded = decode(&buf, read_call).map_err(|e| {
            let head: Vec<String> = buf.iter().take(24).map(|b| format!("{b:02x}")).collect();
            ConnectionError::Protocol(format!("bad message ({e}); it starts {}", head.join(" ")))
        })?;
        match decoded {
            Decoded::Call { name, seq, arg, consumed } => {
                buf.advance(consumed);
                let bytes = answer(service, &name, seq, arg, opened, user.as_deref()).await?;
                write(socket, &bytes, framed).await?;
                continue;
            }
            Decoded::Incomplete => {}
        }
        if buf.len() > max {
            return Err(ConnectionError::Protocol(format!("message over the limit of {max} bytes")));
        }
        let n = socket.read_buf(&mut raw).await?;
        if n == 0 {
            return Ok(());
        }
        if framed {
            // Frames: 4-byte big-endian length, then that many bytes of the stream.
            while raw.len() >= 4 {
                let len = u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]) as usize;
                if len > max {
                    return Err(ConnectionError::Protocol(format!("frame of {len} bytes is over the limit of {max}")));
                }
                if raw.len() < 4 + len {
                    break;
                }
                raw.advance(4);
                buf.extend_from_slice(&raw.split_to(len));
            }
        } else {
            buf.extend_from_slice(&raw.split());
        }
    }
}

/// SASL PLAIN: START "PLAIN", then the `[authzid] NUL user NUL password` response (with OK or
/// COMPLETE), answered by COMPLETE, or by BAD for a wrong password. Returns the user.
async fn negotiate(socket: &mut TcpStream, service: &Service) -> Result<String, ConnectionError> {
    let (status, mechanism) = read_sasl(socket).await?;
    if status != START {
        return Err(ConnectionError::Protocol(format!("SASL: expected START, got status {status}")));
    }
    if !mechanism.eq_ignore_ascii_case(b"PLAIN") {
        let msg = format!("SASL mechanism {} is not supported; use PLAIN", String::from_utf8_lossy(&mechanism));
        write_sasl(socket, BAD, msg.as_bytes()).await?;
        return Err(ConnectionError::Protocol(msg));
    }
    let (status, response) = read_sasl(socket).await?;
    if status != OK && status != COMPLETE {
        return Err(ConnectionError::Protocol(format!("SASL: expected the PLAIN response, got status {status}")));
    }
    let parts: Vec<&[u8]> = response.split(|b| *b == 0).collect();
    if parts.len() != 3 {
        write_sasl(socket, BAD, b"malformed PLAIN response").await?;
        return Err(ConnectionError::Protocol("SASL: malformed PLAIN response".into()));
    }
    let user = String::from_utf8_lossy(parts[1]).to_string();
    let password = String::from_utf8_lossy(parts[2]).to_string();
    if let Err(e) = service.authenticate(&user, &password) {
        write_sasl(socket, BAD, e.message.as_bytes()).await?;
        return Err(ConnectionError::Protocol(format!("SASL: {}", e.message)));
    }
    write_sasl(socket, COMPLETE, b"").await?;
    Ok(user)
}

async fn read_sasl(socket: &mut TcpStream) -> Result<(u8, Vec<u8>), ConnectionError> {
    let mut header = [0u8; 5];
    socket.read_exact(&mut header).await?;
    let len = u32::from_be_bytes([header[1], header[2], header[3], header[4]]) as usize;
    if len > 64 * 1024 {
        return Err(ConnectionError::Protocol(format!("SASL: a negotiation message of {len} bytes")));
    }
    let mut payload = vec![0u8; len];
    socket.read_exact(&mut payload).await?;
    Ok((header[0], payload))
}

async fn write_sasl(socket: &mut TcpStream, status: u8, payload: &[u8]) -> Result<(), ConnectionError> {
    let mut out = Vec::with_capacity(5 + payload.len());
    out.push(status);
    out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    out.extend_from_slice(payload);
    socket.write_all(&out).await?;
    Ok(())
}

async fn write(socket: &mut TcpStream, bytes: &[u8], framed: bool) -> Result<(), ConnectionError> {
    if framed {
        let mut out = Vec::with_capacity(4 + bytes.len());
        out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
        out.extend_from_slice(bytes);
        socket.write_all(&out).await?;
    } else {
        socket.write_all(bytes).await?;
    }
    Ok(())
}

fn encode_err(e: thrift::Error) -> ConnectionError {
    ConnectionError::Protocol(format!("cannot encode a reply: {e}"))
}

/// Runs a call and encodes its answer.
pub(crate) async fn answer(
    service: &Service,
    name: &str,
    seq: i32,
    call: Call,
    opened: &mut Vec<Vec<u8>>,
    user: Option<&str>,
) -> Result<Vec<u8>, ConnectionError> {
    if let Call::Unknown(method) = &call {
        return exception(name, seq, ApplicationErrorKind::UnknownMethod, &format!("unknown method {method}")).map_err(encode_err);
    }
    let bytes = match service.handle(call, opened, user).await {
        Reply::OpenSession(r) => reply(name, seq, &r),
        Reply::CloseSession(r) => reply(name, seq, &r),
        Reply::GetInfo(r) => reply(name, seq, &r),
        Reply::ExecuteStatement(r) => reply(name, seq, &r),
        Reply::GetOperationStatus(r) => reply(name, seq, &r),
        Reply::GetResultSetMetadata(r) => reply(name, seq, &r),
        Reply::FetchResults(r) => reply(name, seq, &r),
        Reply::CancelOperation(r) => reply(name, seq, &r),
        Reply::CloseOperation(r) => reply(name, seq, &r),
        Reply::GetQueryId(r) => reply(name, seq, &r),
        Reply::SetClientInfo(r) => reply(name, seq, &r),
        Reply::Refused(status) => status_only(name, seq, &status, None),
        Reply::Metadata(status, handle) => status_only(name, seq, &status, handle.as_ref()),
    };
    bytes.map_err(encode_err)
}

/// A reply whose response struct is a status (field 1) and, for metadata calls, an operation
/// handle (field 2): every response begins with its status, and every metadata response is so.
fn status_only(
    name: &str,
    seq: i32,
    status: &crate::tcli_service::TStatus,
    handle: Option<&crate::tcli_service::TOperationHandle>,
) -> thrift::Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut p = TBinaryOutputProtocol::new(&mut out, true);
        p.write_message_begin(&TMessageIdentifier::new(name, TMessageType::Reply, seq))?;
        p.write_struct_begin(&TStructIdentifier::new("result"))?;
        p.write_field_begin(&TFieldIdentifier::new("success", TType::Struct, 0))?;
        p.write_struct_begin(&TStructIdentifier::new("resp"))?;
        p.write_field_begin(&TFieldIdentifier::new("status", TType::Struct, 1))?;
        status.write_to_out_protocol(&mut p)?;
        p.write_field_end()?;
        if let Some(h) = handle {
            p.write_field_begin(&TFieldIdentifier::new("operationHandle", TType::Struct, 2))?;
            h.write_to_out_protocol(&mut p)?;
            p.write_field_end()?;
        }
        p.write_field_stop()?;
        p.write_struct_end()?;
        p.write_field_end()?;
        p.write_field_stop()?;
        p.write_struct_end()?;
        p.write_message_end()?;
    }
    Ok(out)
}
