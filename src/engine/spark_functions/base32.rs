//! `to_base32(bytes)` and `from_base32(text)`: RFC 4648 base32, as Spark writes and reads it.
//! Writing pads with `=`; reading takes either case, skips characters outside the alphabet,
//! stops at the first `=`, and drops the bits that do not fill a byte, as Spark's lenient codec
//! does.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BinaryArray, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ScalarUDF, Signature, Volatility};

use super::{string_result, SparkFunction};

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![
        SparkFunction::udf("to_base32", Signature::any(1, Volatility::Immutable), string_result, to_base32),
        SparkFunction::udf("from_base32", Signature::any(1, Volatility::Immutable), |_| Ok(DataType::Binary), from_base32),
    ]
}

fn to_base32(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let bytes = cast(&args[0], &DataType::Binary)?;
    let out: StringArray = bytes.as_binary::<i32>().iter().map(|v| v.map(encode)).collect();
    Ok(Arc::new(out))
}

fn from_base32(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    let text = cast(&args[0], &DataType::Utf8)?;
    let text = text.as_string::<i32>();
    let out: BinaryArray = (0..text.len()).map(|i| text.is_valid(i).then(|| decode(text.value(i)))).collect();
    Ok(Arc::new(out))
}

/// Five bits per character, in groups of eight characters padded with `=`.
fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    for group in bytes.chunks(5) {
        let mut block = [0u8; 5];
        block[..group.len()].copy_from_slice(group);
        let bits = block.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let used = (group.len() * 8).div_ceil(5);
        for k in 0..8 {
            if k < used {
                out.push(char::from(ALPHABET[((bits >> (35 - 5 * k)) & 31) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The bytes the characters before the first `=` spell.
fn decode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes().take_while(|c| *c != b'=') {
        let value = match c.to_ascii_uppercase() {
            u @ b'A'..=b'Z' => u - b'A',
            d @ b'2'..=b'7' => d - b'2' + 26,
            _ => continue,
        };
        acc = (acc << 5) | u32::from(value);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_padded_groups() {
        assert_eq!(encode(b"abc"), "MFRGG===");
        assert_eq!(encode(&[0x00, 0xff]), "AD7Q====");
        assert_eq!(encode(b""), "");
        assert_eq!(encode(b"hello"), "NBSWY3DP");
    }

    #[test]
    fn reads_leniently() {
        assert_eq!(decode("MFRGG==="), b"abc");
        assert_eq!(decode("mfrgg"), b"abc");
        assert_eq!(decode("M!"), b"");
        assert_eq!(decode("NBSW Y3DP"), b"hello");
        assert_eq!(decode(&encode(&[1, 2, 3, 4, 5, 6, 7])), vec![1, 2, 3, 4, 5, 6, 7]);
    }
}
