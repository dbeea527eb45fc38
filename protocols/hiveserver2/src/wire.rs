//! Thrift messages on the wire: reading one call out of a byte buffer (strict TBinaryProtocol, as
//! every HiveServer2 client sends), and writing a reply or an exception.

use std::io::Cursor;

use thrift::protocol::{
    TBinaryInputProtocol, TBinaryOutputProtocol, TFieldIdentifier, TInputProtocol, TMessageIdentifier, TMessageType,
    TOutputProtocol, TSerializable, TStructIdentifier, TType,
};
use thrift::{ApplicationError, ApplicationErrorKind, TransportErrorKind};

/// The outcome of trying to read a call from the bytes received so far.
pub enum Decoded<T> {
    /// A whole call: its method name, sequence id, decoded argument, and the bytes it took.
    Call { name: String, seq: i32, arg: T, consumed: usize },
    /// The bytes so far hold only part of a message.
    Incomplete,
}

/// Whether a thrift error means the bytes ran out.
fn is_short(e: &thrift::Error) -> bool {
    matches!(e, thrift::Error::Transport(t) if t.kind == TransportErrorKind::EndOfFile)
}

/// Reads one call from `buf`. `read_arg` reads the argument struct for the method name it is given
/// (field 1 of the call's argument struct), or `None` for a method it does not know.
pub fn decode<T>(
    buf: &[u8],
    read_arg: impl FnOnce(&str, &mut dyn TInputProtocol) -> thrift::Result<T>,
) -> thrift::Result<Decoded<T>> {
    let mut cursor = Cursor::new(buf);
    let result = {
        let mut p = TBinaryInputProtocol::new(&mut cursor, true);
        read_call(&mut p, read_arg)
    };
    match result {
        Ok((name, seq, arg)) => Ok(Decoded::Call { name, seq, arg, consumed: cursor.position() as usize }),
        Err(e) if is_short(&e) => Ok(Decoded::Incomplete),
        Err(e) => Err(e),
    }
}

fn read_call<T>(
    p: &mut dyn TInputProtocol,
    read_arg: impl FnOnce(&str, &mut dyn TInputProtocol) -> thrift::Result<T>,
) -> thrift::Result<(String, i32, T)> {
    let header = p.read_message_begin()?;
    if header.message_type != TMessageType::Call && header.message_type != TMessageType::OneWay {
        return Err(thrift::Error::Application(ApplicationError::new(
            ApplicationErrorKind::InvalidMessageType,
            format!("expected a call, got {:?}", header.message_type),
        )));
    }
    let arg = read_arg(&header.name, p)?;
    p.read_message_end()?;
    Ok((header.name, header.sequence_number, arg))
}

/// Reads the argument struct of a call: field 1 with `read`, every other field skipped.
pub fn read_field_one<T: TSerializable>(p: &mut dyn TInputProtocol) -> thrift::Result<Option<T>> {
    p.read_struct_begin()?;
    let mut out = None;
    loop {
        let field = p.read_field_begin()?;
        if field.field_type == TType::Stop {
            break;
        }
        if field.id == Some(1) && field.field_type == TType::Struct {
            out = Some(T::read_from_in_protocol(p)?);
        } else {
            skip(p, field.field_type, 64)?;
        }
        p.read_field_end()?;
    }
    p.read_struct_end()?;
    Ok(out)
}

/// Skips an argument struct whole (an unknown method's).
pub fn skip_args(p: &mut dyn TInputProtocol) -> thrift::Result<()> {
    skip(p, TType::Struct, 64)
}

/// Skips a value. Unlike the protocol's own skip, strings are skipped as bytes: handle ids are
/// binary, not UTF-8.
fn skip(p: &mut dyn TInputProtocol, t: TType, depth: u8) -> thrift::Result<()> {
    if depth == 0 {
        return Err(thrift::Error::Protocol(thrift::ProtocolError::new(
            thrift::ProtocolErrorKind::DepthLimit,
            "a message nests too deeply",
        )));
    }
    match t {
        TType::Bool => p.read_bool().map(|_| ()),
        TType::I08 => p.read_i8().map(|_| ()),
        TType::I16 => p.read_i16().map(|_| ()),
        TType::I32 => p.read_i32().map(|_| ()),
        TType::I64 => p.read_i64().map(|_| ()),
        TType::Double => p.read_double().map(|_| ()),
        TType::String | TType::Utf7 | TType::Utf8 | TType::Utf16 => p.read_bytes().map(|_| ()),
        TType::Struct => {
            p.read_struct_begin()?;
            loop {
                let f = p.read_field_begin()?;
                if f.field_type == TType::Stop {
                    break;
                }
                skip(p, f.field_type, depth - 1)?;
                p.read_field_end()?;
            }
            p.read_struct_end()
        }
        TType::List => {
            let l = p.read_list_begin()?;
            for _ in 0..l.size {
                skip(p, l.element_type, depth - 1)?;
            }
            p.read_list_end()
        }
        TType::Set => {
            let s = p.read_set_begin()?;
            for _ in 0..s.size {
                skip(p, s.element_type, depth - 1)?;
            }
            p.read_set_end()
        }
        TType::Map => {
            let m = p.read_map_begin()?;
            for _ in 0..m.size {
                if let (Some(k), Some(v)) = (m.key_type, m.value_type) {
                    skip(p, k, depth - 1)?;
                    skip(p, v, depth - 1)?;
                }
            }
            p.read_map_end()
        }
        TType::Stop | TType::Void => Ok(()),
    }
}

/// A reply to `name` carrying `result` as the success value (field 0).
pub fn reply<R: TSerializable>(name: &str, seq: i32, result: &R) -> thrift::Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut p = TBinaryOutputProtocol::new(&mut out, true);
        p.write_message_begin(&TMessageIdentifier::new(name, TMessageType::Reply, seq))?;
        p.write_struct_begin(&TStructIdentifier::new(format!("{name}_result")))?;
        p.write_field_begin(&TFieldIdentifier::new("success", TType::Struct, 0))?;
        result.write_to_out_protocol(&mut p)?;
        p.write_field_end()?;
        p.write_field_stop()?;
        p.write_struct_end()?;
        p.write_message_end()?;
        p.flush()?;
    }
    Ok(out)
}

/// An exception reply: a TApplicationException of `kind`.
pub fn exception(name: &str, seq: i32, kind: ApplicationErrorKind, message: &str) -> thrift::Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut p = TBinaryOutputProtocol::new(&mut out, true);
        p.write_message_begin(&TMessageIdentifier::new(name, TMessageType::Exception, seq))?;
        let e = ApplicationError::new(kind, message.to_string());
        thrift::Error::write_application_error_to_out_protocol(&e, &mut p)?;
        p.write_message_end()?;
        p.flush()?;
    }
    Ok(out)
}
