//! String functions that Spark also applies to BINARY values: `lpad`, `rpad`, `startswith`,
//! `endswith` and `contains`. DataFusion's take strings only, and reading arbitrary bytes as text
//! fails. Each wraps the session's string function: with a BINARY first argument it works on bytes
//! (padding with zero bytes by default, as Spark does), otherwise the string function answers.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BinaryBuilder, BooleanArray, Int64Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{exec_err, Result};
use datafusion::logical_expr::ScalarUDF;

/// What a wrapped function does with bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Bytes {
    PadLeft,
    PadRight,
    StartsWith,
    EndsWith,
    Contains,
}

impl Bytes {
    fn of(name: &str) -> Option<Self> {
        Some(match name {
            "lpad" => Bytes::PadLeft,
            "rpad" => Bytes::PadRight,
            "starts_with" => Bytes::StartsWith,
            "ends_with" => Bytes::EndsWith,
            "contains" => Bytes::Contains,
            _ => return None,
        })
    }

    fn pads(self) -> bool {
        matches!(self, Bytes::PadLeft | Bytes::PadRight)
    }
}

/// The names of the functions wrapped here.
pub(crate) const WRAPPED: [&str; 5] = ["lpad", "rpad", "starts_with", "ends_with", "contains"];

/// The string function `inner`, taught Spark's BINARY form; None for another function.
pub(crate) fn binary_aware(inner: Arc<ScalarUDF>) -> Option<ScalarUDF> {
    let bytes = Bytes::of(inner.name())?;
    Some(super::wrapped::wrap(inner, bytes))
}

fn is_text(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null)
}

fn is_binary(t: &DataType) -> bool {
    matches!(t, DataType::Binary | DataType::LargeBinary | DataType::BinaryView | DataType::FixedSizeBinary(_))
}

impl super::wrapped::Extension for Bytes {
    fn claims(&self, types: &[DataType]) -> bool {
        // A text pad makes lpad/rpad of bytes a text function, as in Spark; and a number beside
        // bytes makes the others text too (`contains(x'12', 12)` compares text).
        let text_pad = self.pads() && types.get(2).is_some_and(|t| !is_binary(t));
        let others_fit = types.iter().enumerate().skip(1).all(|(i, t)| (self.pads() && i == 1) || is_binary(t) || is_text(t));
        types.first().is_some_and(is_binary) && !text_pad && others_fit
    }

    fn coerce(&self, types: &[DataType]) -> Vec<DataType> {
        // The length of lpad/rpad is a number; every other argument is bytes.
        types.iter().enumerate().map(|(i, _)| if self.pads() && i == 1 { DataType::Int64 } else { DataType::Binary }).collect()
    }

    fn returns(&self, _types: &[DataType]) -> Result<DataType> {
        Ok(if self.pads() { DataType::Binary } else { DataType::Boolean })
    }

    fn run(&self, args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
        if self.pads() {
            pad(args, rows, *self == Bytes::PadLeft)
        } else {
            test(args, rows, *self)
        }
    }
}

/// `lpad`/`rpad` over bytes: cut to the length, or filled up to it with the pad repeated.
fn pad(args: &[ArrayRef], rows: usize, left: bool) -> Result<ArrayRef> {
    let (value, length) = match args {
        [v, l] | [v, l, _] => (cast(v, &DataType::Binary)?, cast(l, &DataType::Int64)?),
        _ => return exec_err!("lpad and rpad take a value, a length and an optional pad"),
    };
    let pad = match args.get(2) {
        Some(p) => Some(cast(p, &DataType::Binary)?),
        None => None,
    };
    let (value, length) = (value.as_binary::<i32>(), length.as_any().downcast_ref::<Int64Array>());
    let Some(length) = length else { return exec_err!("the pad length is not a number") };
    let pad = pad.as_ref().map(|p| p.as_binary::<i32>());
    let at = super::row_of;
    let mut out = BinaryBuilder::new();
    for i in 0..rows {
        let (vi, li) = (at(value, i), at(length, i));
        let filler: &[u8] = match pad {
            Some(p) if p.is_null(at(p, i)) => {
                out.append_null();
                continue;
            }
            Some(p) => p.value(at(p, i)),
            None => &[0],
        };
        if value.is_null(vi) || length.is_null(li) {
            out.append_null();
            continue;
        }
        let bytes = value.value(vi);
        let wanted = usize::try_from(length.value(li).max(0)).unwrap_or(0);
        if wanted <= bytes.len() || filler.is_empty() {
            out.append_value(&bytes[..wanted.min(bytes.len())]);
            continue;
        }
        let fill: Vec<u8> = filler.iter().copied().cycle().take(wanted - bytes.len()).collect();
        let joined = if left { [fill.as_slice(), bytes].concat() } else { [bytes, fill.as_slice()].concat() };
        out.append_value(joined);
    }
    Ok(Arc::new(out.finish()))
}

/// `startswith`, `endswith` and `contains` over bytes.
fn test(args: &[ArrayRef], rows: usize, bytes: Bytes) -> Result<ArrayRef> {
    let [value, part] = args else { return exec_err!("this test takes a value and a part") };
    let (value, part) = (cast(value, &DataType::Binary)?, cast(part, &DataType::Binary)?);
    let (value, part) = (value.as_binary::<i32>(), part.as_binary::<i32>());
    let at = super::row_of;
    let out: BooleanArray = (0..rows)
        .map(|i| {
            let (vi, pi) = (at(value, i), at(part, i));
            if value.is_null(vi) || part.is_null(pi) {
                return None;
            }
            let (v, p) = (value.value(vi), part.value(pi));
            Some(match bytes {
                Bytes::StartsWith => v.starts_with(p),
                Bytes::EndsWith => v.ends_with(p),
                _ => p.is_empty() || v.windows(p.len()).any(|w| w == p),
            })
        })
        .collect();
    Ok(Arc::new(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::BinaryArray;

    fn bin(v: &[u8]) -> ArrayRef {
        Arc::new(BinaryArray::from_vec(vec![v]))
    }

    fn len(n: i64) -> ArrayRef {
        Arc::new(Int64Array::from(vec![n]))
    }

    #[test]
    fn binary_padding_cuts_or_fills_with_the_pad() {
        let padded = pad(&[bin(&[0xaa]), len(4), bin(&[0x1f, 0x2e])], 1, true).unwrap();
        assert_eq!(padded.as_binary::<i32>().value(0), &[0x1f, 0x2e, 0x1f, 0xaa]);
        let zeros = pad(&[bin(&[0xaa]), len(3)], 1, false).unwrap();
        assert_eq!(zeros.as_binary::<i32>().value(0), &[0xaa, 0, 0]);
        let cut = pad(&[bin(&[0xaa, 0xbb, 0xcc]), len(2)], 1, true).unwrap();
        assert_eq!(cut.as_binary::<i32>().value(0), &[0xaa, 0xbb]);
    }

    #[test]
    fn binary_tests_compare_bytes() {
        let t = |b, part: &[u8]| test(&[bin(b"Spark SQL"), bin(part)], 1, b).unwrap().as_boolean().value(0);
        assert!(t(Bytes::StartsWith, b"Spark"));
        assert!(t(Bytes::EndsWith, b"SQL"));
        assert!(!t(Bytes::EndsWith, b"SQl"));
        assert!(t(Bytes::Contains, b"k S"));
        assert!(t(Bytes::Contains, b""));
    }
}
