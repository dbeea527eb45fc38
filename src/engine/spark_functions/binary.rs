//! `to_binary(s [, fmt])` and `try_to_binary`: a string's bytes read as hex (the default), base64
//! or UTF-8, as Spark reads them. Hex of odd length takes a leading zero; base64 ignores
//! whitespace. Text that is not valid in its format is an error for `to_binary` and NULL for
//! `try_to_binary`; so is a NULL format.

use std::sync::Arc;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use datafusion::arrow::array::{Array, ArrayRef, BinaryArray, StringArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{exec_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, TypeSignature, Volatility};

use super::SparkFunction;

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    let signature = || {
        Signature::one_of(
            vec![TypeSignature::Exact(vec![DataType::Utf8]), TypeSignature::Exact(vec![DataType::Utf8, DataType::Utf8])],
            Volatility::Immutable,
        )
    };
    vec![
        SparkFunction::udf("to_binary", signature(), binary_result, to_binary),
        SparkFunction::udf("try_to_binary", signature(), binary_result, try_to_binary),
    ]
}

fn binary_result(_: &[DataType]) -> Result<DataType> {
    Ok(DataType::Binary)
}

#[derive(Clone, Copy)]
enum Format {
    Hex,
    Base64,
    Utf8,
}

fn format(name: &str) -> Result<Format> {
    Ok(match name.to_ascii_lowercase().as_str() {
        "hex" => Format::Hex,
        "base64" => Format::Base64,
        "utf-8" | "utf8" => Format::Utf8,
        other => return exec_err!("[INVALID_PARAMETER_VALUE.BINARY_FORMAT] to_binary: the format must be 'hex', 'utf-8', 'utf8' or 'base64', not '{other}'"),
    })
}

fn hex(s: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = s.bytes().map(|b| (b as char).to_digit(16).map(|d| d as u8)).collect::<Option<_>>()?;
    let mut out = Vec::with_capacity(digits.len() / 2 + 1);
    let mut rest = digits.as_slice();
    if rest.len() % 2 == 1 {
        out.push(rest[0]);
        rest = &rest[1..];
    }
    out.extend(rest.chunks(2).map(|p| p[0] << 4 | p[1]));
    Some(out)
}

fn base64(s: &str) -> Option<Vec<u8>> {
    const ENGINE: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    ENGINE.decode(compact).ok()
}

fn decode(s: &str, f: Format) -> Option<Vec<u8>> {
    match f {
        Format::Hex => hex(s),
        Format::Base64 => base64(s),
        Format::Utf8 => Some(s.as_bytes().to_vec()),
    }
}

fn strings(a: &ArrayRef) -> Result<&StringArray> {
    match a.as_any().downcast_ref::<StringArray>() {
        Some(s) => Ok(s),
        None => exec_err!("to_binary expects strings, not {}", a.data_type()),
    }
}

fn convert(args: &[ArrayRef], lenient: bool) -> Result<ArrayRef> {
    let input = strings(&args[0])?;
    let formats = args.get(1).map(strings).transpose()?;
    let mut out: Vec<Option<Vec<u8>>> = Vec::with_capacity(input.len());
    for row in 0..input.len() {
        let f = match formats {
            None => Some(Format::Hex),
            Some(fs) => {
                let r = if fs.len() == 1 { 0 } else { row };
                if fs.is_null(r) { None } else { Some(format(fs.value(r))?) }
            }
        };
        let (Some(f), false) = (f, input.is_null(row)) else {
            out.push(None);
            continue;
        };
        match decode(input.value(row), f) {
            Some(bytes) => out.push(Some(bytes)),
            None if lenient => out.push(None),
            None => {
                return exec_err!(
                    "[CONVERSION_INVALID_INPUT] the value '{}' is not valid {} text; use try_to_binary to get NULL instead",
                    input.value(row),
                    match f {
                        Format::Hex => "hex",
                        Format::Base64 => "base64",
                        Format::Utf8 => "UTF-8",
                    }
                )
            }
        }
    }
    Ok(Arc::new(BinaryArray::from_iter(out)))
}

fn to_binary(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    convert(args, false)
}

fn try_to_binary(args: &[ArrayRef], _rows: usize) -> Result<ArrayRef> {
    convert(args, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_and_base64_read_as_spark_reads_them() {
        assert_eq!(hex("123"), Some(vec![0x01, 0x23]));
        assert_eq!(hex("FF"), Some(vec![0xff]));
        assert_eq!(hex("GG"), None);
        assert_eq!(hex("01 AF"), None);
        assert_eq!(base64(" ab c="), Some(vec![0x69, 0xb7]));
        assert_eq!(base64("  "), Some(vec![]));
        assert_eq!(base64("a"), None);
        assert_eq!(base64("abcd="), None);
    }
}
