//! Spark's `encode(s, charset)` and `decode(b, charset)`: a string's bytes in a character set, and
//! back. The character sets are Spark's: US-ASCII, ISO-8859-1, UTF-8, UTF-16 (big-endian, with a
//! byte-order mark when encoding), UTF-16BE, UTF-16LE and UTF-32. Text a character set cannot hold,
//! and bytes that are not valid in it, are errors, as in Spark. The HiveQL front end calls these
//! `spark_encode`/`spark_decode`, since DataFusion's own `encode`/`decode` (base64 and hex) serve
//! PostgreSQL sessions.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, BinaryArray, StringArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{exec_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, TypeSignature, Volatility};

use super::{string_result, SparkFunction};

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    let encode = Signature::one_of(vec![TypeSignature::Exact(vec![DataType::Utf8, DataType::Utf8])], Volatility::Immutable);
    let decode = Signature::one_of(vec![TypeSignature::Exact(vec![DataType::Binary, DataType::Utf8])], Volatility::Immutable);
    vec![
        SparkFunction::udf("spark_encode", encode, |_| Ok(DataType::Binary), encode_rows),
        SparkFunction::udf("spark_decode", decode, string_result, decode_rows),
    ]
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Charset {
    Ascii,
    Latin1,
    Utf8,
    Utf16,
    Utf16Be,
    Utf16Le,
    Utf32,
}

fn charset(name: &str) -> Result<Charset> {
    Ok(match name.trim().to_ascii_uppercase().as_str() {
        "US-ASCII" => Charset::Ascii,
        "ISO-8859-1" => Charset::Latin1,
        "UTF-8" => Charset::Utf8,
        "UTF-16" => Charset::Utf16,
        "UTF-16BE" => Charset::Utf16Be,
        "UTF-16LE" => Charset::Utf16Le,
        "UTF-32" => Charset::Utf32,
        _ => {
            return exec_err!(
                "[INVALID_PARAMETER_VALUE.CHARSET] '{name}' is not a character set Spark supports: US-ASCII, ISO-8859-1, UTF-8, UTF-16BE, UTF-16LE, UTF-16, UTF-32"
            )
        }
    })
}

fn encode(s: &str, c: Charset) -> Result<Vec<u8>> {
    let narrow = |limit: u32| -> Result<Vec<u8>> {
        s.chars()
            .map(|ch| match u8::try_from(u32::from(ch)) {
                Ok(b) if u32::from(b) <= limit => Ok(b),
                _ => exec_err!("[MALFORMED_CHARACTER_CODING] '{ch}' cannot be encoded in the character set"),
            })
            .collect()
    };
    Ok(match c {
        Charset::Ascii => narrow(0x7f)?,
        Charset::Latin1 => narrow(0xff)?,
        Charset::Utf8 => s.as_bytes().to_vec(),
        Charset::Utf16 => [0xfe, 0xff].into_iter().chain(s.encode_utf16().flat_map(u16::to_be_bytes)).collect(),
        Charset::Utf16Be => s.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        Charset::Utf16Le => s.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        Charset::Utf32 => s.chars().flat_map(|ch| u32::from(ch).to_be_bytes()).collect(),
    })
}

fn utf16(bytes: &[u8], big_endian: bool) -> Option<String> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|p| if big_endian { u16::from_be_bytes([p[0], p[1]]) } else { u16::from_le_bytes([p[0], p[1]]) })
        .collect();
    String::from_utf16(&units).ok()
}

fn decode(b: &[u8], c: Charset) -> Option<String> {
    match c {
        Charset::Ascii => b.iter().all(u8::is_ascii).then(|| b.iter().map(|&x| char::from(x)).collect()),
        Charset::Latin1 => Some(b.iter().map(|&x| char::from(x)).collect()),
        Charset::Utf8 => String::from_utf8(b.to_vec()).ok(),
        Charset::Utf16 => match b {
            [0xfe, 0xff, rest @ ..] => utf16(rest, true),
            [0xff, 0xfe, rest @ ..] => utf16(rest, false),
            _ => utf16(b, true),
        },
        Charset::Utf16Be => utf16(b, true),
        Charset::Utf16Le => utf16(b, false),
        Charset::Utf32 => {
            if !b.len().is_multiple_of(4) {
                return None;
            }
            b.chunks(4).map(|p| char::from_u32(u32::from_be_bytes([p[0], p[1], p[2], p[3]]))).collect()
        }
    }
}

/// The charset of one row: the argument may be one constant or a column.
fn row_charset(names: &StringArray, row: usize) -> Option<&str> {
    let r = if names.len() == 1 { 0 } else { row };
    (!names.is_null(r)).then(|| names.value(r))
}

fn downcast<'a, T: 'static>(a: &'a ArrayRef, what: &str) -> Result<&'a T> {
    match a.as_any().downcast_ref::<T>() {
        Some(x) => Ok(x),
        None => exec_err!("expected {what}, not {}", a.data_type()),
    }
}

fn encode_rows(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let input: &StringArray = downcast(&args[0], "a string")?;
    let names: &StringArray = downcast(&args[1], "a character set name")?;
    let mut out: Vec<Option<Vec<u8>>> = Vec::with_capacity(input.len());
    for row in 0..input.len() {
        match (input.is_null(row), row_charset(names, row)) {
            (false, Some(name)) => out.push(Some(encode(input.value(row), charset(name)?)?)),
            _ => out.push(None),
        }
    }
    Ok(Arc::new(BinaryArray::from_iter(out)))
}

fn decode_rows(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let input: &BinaryArray = downcast(&args[0], "binary")?;
    let names: &StringArray = downcast(&args[1], "a character set name")?;
    let mut out: Vec<Option<String>> = Vec::with_capacity(input.len());
    for row in 0..input.len() {
        match (input.is_null(row), row_charset(names, row)) {
            (false, Some(name)) => match decode(input.value(row), charset(name)?) {
                Some(s) => out.push(Some(s)),
                None => return exec_err!("[MALFORMED_CHARACTER_CODING] the bytes are not valid {name}"),
            },
            _ => out.push(None),
        }
    }
    Ok(Arc::new(StringArray::from(out)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_each_charset() {
        for c in [Charset::Utf8, Charset::Utf16, Charset::Utf16Be, Charset::Utf16Le, Charset::Utf32] {
            assert_eq!(decode(&encode("大千世界 abc", c).unwrap(), c).unwrap(), "大千世界 abc");
        }
        assert_eq!(encode("hi", Charset::Utf16).unwrap(), vec![0xfe, 0xff, 0, b'h', 0, b'i']);
        assert!(encode("渭", Charset::Ascii).is_err());
        assert_eq!(decode(&[0xe9], Charset::Latin1).unwrap(), "é");
        assert!(charset("WINDOWS-1252").is_err());
    }
}
