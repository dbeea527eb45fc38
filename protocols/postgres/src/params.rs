//! Bind parameters, decoded from PostgreSQL's text or binary form into single-row Arrow arrays.

use std::sync::Arc;

use arrow::array::{ArrayRef, BinaryArray, BooleanArray, Date32Array, Float32Array, Float64Array, Int16Array,
    Int32Array, Int64Array, StringArray, TimestampMicrosecondArray};
use arrow::datatypes::DataType;
use hivewire_backend::{BackendError, ErrorKind};

const PG_EPOCH_DAYS: i32 = 10_957;
const PG_EPOCH_MICROS: i64 = 10_957 * 86_400_000_000;

fn bad(what: &str, dt: &DataType) -> BackendError {
    BackendError::new(ErrorKind::DataException, format!("invalid {what} parameter for type {dt}")).with_sqlstate("22P02")
}

/// Decodes one parameter. `None` bytes is SQL NULL. Text values are cast with Arrow's string casts.
pub fn decode(bytes: Option<&[u8]>, dt: &DataType, binary: bool) -> Result<ArrayRef, BackendError> {
    let Some(b) = bytes else {
        return Ok(arrow::array::new_null_array(dt, 1));
    };
    if !binary {
        let text = std::str::from_utf8(b).map_err(|_| bad("UTF-8", dt))?;
        let text = match dt {
            DataType::Boolean => match text.to_ascii_lowercase().as_str() {
                "t" | "true" | "y" | "yes" | "on" | "1" => "true",
                "f" | "false" | "n" | "no" | "off" | "0" => "false",
                _ => return Err(bad("boolean", dt)),
            },
            _ => text,
        };
        let s: ArrayRef = Arc::new(StringArray::from(vec![text]));
        if *dt == DataType::Utf8 {
            return Ok(s);
        }
        if matches!(dt, DataType::Binary | DataType::BinaryView | DataType::LargeBinary) {
            let raw = match text.strip_prefix("\\x") {
                Some(hex) => (0..hex.len())
                    .step_by(2)
                    .map(|i| hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()))
                    .collect::<Option<Vec<u8>>>()
                    .ok_or_else(|| bad("bytea", dt))?,
                None => text.as_bytes().to_vec(),
            };
            let a: ArrayRef = Arc::new(BinaryArray::from(vec![raw.as_slice()]));
            return arrow::compute::cast(&a, dt).map_err(|_| bad("bytea", dt));
        }
        let opts = arrow::compute::CastOptions { safe: false, ..Default::default() };
        return arrow::compute::cast_with_options(&s, dt, &opts)
            .map_err(|e| BackendError::new(ErrorKind::DataException, format!("invalid parameter value '{text}': {e}")).with_sqlstate("22P02"));
    }
    let fixed = |n: usize| -> Result<&[u8], BackendError> { if b.len() == n { Ok(b) } else { Err(bad("binary", dt)) } };
    Ok(match dt {
        DataType::Boolean => Arc::new(BooleanArray::from(vec![fixed(1)?[0] != 0])),
        DataType::Int16 => Arc::new(Int16Array::from(vec![i16::from_be_bytes(to_arr(fixed(2)?))])),
        DataType::Int32 => Arc::new(Int32Array::from(vec![i32::from_be_bytes(to_arr(fixed(4)?))])),
        DataType::Int64 => Arc::new(Int64Array::from(vec![i64::from_be_bytes(to_arr(fixed(8)?))])),
        DataType::Float32 => Arc::new(Float32Array::from(vec![f32::from_be_bytes(to_arr(fixed(4)?))])),
        DataType::Float64 => Arc::new(Float64Array::from(vec![f64::from_be_bytes(to_arr(fixed(8)?))])),
        DataType::Utf8 => Arc::new(StringArray::from(vec![std::str::from_utf8(b).map_err(|_| bad("UTF-8", dt))?])),
        DataType::Utf8View | DataType::LargeUtf8 => {
            let s: ArrayRef = Arc::new(StringArray::from(vec![std::str::from_utf8(b).map_err(|_| bad("UTF-8", dt))?]));
            arrow::compute::cast(&s, dt).map_err(|_| bad("text", dt))?
        }
        DataType::Binary => Arc::new(BinaryArray::from(vec![b])),
        DataType::BinaryView | DataType::LargeBinary => {
            let a: ArrayRef = Arc::new(BinaryArray::from(vec![b]));
            arrow::compute::cast(&a, dt).map_err(|_| bad("bytea", dt))?
        }
        DataType::Date32 => Arc::new(Date32Array::from(vec![i32::from_be_bytes(to_arr(fixed(4)?)) + PG_EPOCH_DAYS])),
        DataType::Timestamp(_, tz) => {
            let us = i64::from_be_bytes(to_arr(fixed(8)?)) + PG_EPOCH_MICROS;
            Arc::new(TimestampMicrosecondArray::from(vec![us]).with_timezone_opt(tz.clone()))
        }
        DataType::Decimal128(..) => {
            let text = numeric_from_binary(b).ok_or_else(|| bad("numeric", dt))?;
            return decode(Some(text.as_bytes()), dt, false);
        }
        other => return Err(BackendError::not_supported(format!("binary parameters of type {other}"))),
    })
}

fn to_arr<const N: usize>(b: &[u8]) -> [u8; N] {
    let mut a = [0u8; N];
    a.copy_from_slice(&b[..N]);
    a
}

/// Text of a binary NUMERIC.
fn numeric_from_binary(b: &[u8]) -> Option<String> {
    let word = |i: usize| b.get(i..i + 2).map(|s| i16::from_be_bytes([s[0], s[1]]));
    let (n, weight, sign, dscale) = (word(0)? as usize, word(2)? as i32, word(4)? as u16, word(6)? as usize);
    if sign == 0xC000 {
        return Some("NaN".into());
    }
    let digits: Vec<i16> = (0..n).map(|i| word(8 + 2 * i)).collect::<Option<_>>()?;
    let mut int = String::new();
    for w in 0..=weight.max(-1) {
        let d = digits.get(w as usize).copied().unwrap_or(0);
        if int.is_empty() { int.push_str(&d.to_string()) } else { int.push_str(&format!("{d:04}")) }
    }
    if int.is_empty() {
        int.push('0');
    }
    let mut frac = String::new();
    let first_frac = weight + 1;
    for i in first_frac.. {
        if frac.len() >= dscale {
            break;
        }
        let d = if i < 0 { 0 } else { digits.get(i as usize).copied().unwrap_or(0) };
        frac.push_str(&format!("{d:04}"));
    }
    frac.truncate(dscale);
    let sign = if sign == 0x4000 { "-" } else { "" };
    Some(if frac.is_empty() { format!("{sign}{int}") } else { format!("{sign}{int}.{frac}") })
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::Array;

    #[test]
    fn decodes_text_and_binary() {
        let a = decode(Some(b"42"), &DataType::Int64, false).unwrap();
        assert_eq!(a.data_type(), &DataType::Int64);
        let a = decode(Some(&7i32.to_be_bytes()), &DataType::Int32, true).unwrap();
        assert_eq!(a.as_any().downcast_ref::<Int32Array>().unwrap().value(0), 7);
        assert!(decode(None, &DataType::Utf8, false).unwrap().is_null(0));
        assert!(decode(Some(b"x1"), &DataType::Int32, false).is_err());
        let numeric = [0u8, 2, 0, 0, 0, 0, 0, 2, 0x04, 0xd2, 0x15, 0xe0];
        assert_eq!(numeric_from_binary(&numeric).unwrap(), "1234.56");
    }
}
