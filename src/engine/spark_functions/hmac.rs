//! `hmac(key, message[, algorithm])`: the keyed hash of text or bytes, as BINARY. The algorithm is
//! one of Spark's (SHA-256 by default, SHA-224, SHA-384, SHA-512, SHA-1, MD5), in any case and
//! with or without its dash; an empty key is refused, as Java refuses it.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BinaryBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{exec_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, TypeSignature, Volatility};
use hmac::digest::common::BlockSizeUser;
use hmac::digest::Digest;
use hmac::{KeyInit, Mac, SimpleHmac};

use super::{row_of, SparkFunction};

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    let signature = Signature::one_of(vec![TypeSignature::Any(2), TypeSignature::Any(3)], Volatility::Immutable);
    vec![SparkFunction::udf("hmac", signature, |_| Ok(DataType::Binary), hmac_column)]
}

/// The hash functions Spark's `hmac` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Algorithm {
    Sha224,
    Sha256,
    Sha384,
    Sha512,
    Sha1,
    Md5,
}

impl Algorithm {
    fn parse(name: &str) -> Result<Self> {
        Ok(match name.to_ascii_uppercase().replace('-', "").as_str() {
            "SHA224" => Algorithm::Sha224,
            "SHA256" => Algorithm::Sha256,
            "SHA384" => Algorithm::Sha384,
            "SHA512" => Algorithm::Sha512,
            "SHA1" => Algorithm::Sha1,
            "MD5" => Algorithm::Md5,
            _ => {
                return exec_err!(
                    "[INVALID_PARAMETER_VALUE.HMAC_ALGORITHM] The value of parameter(s) `algorithm` in `hmac` is invalid: expects one of the algorithms 'SHA-224', 'SHA-256', 'SHA-384', 'SHA-512', 'SHA-1', 'MD5', but got '{name}'"
                )
            }
        })
    }

    fn sign(self, key: &[u8], data: &[u8]) -> Result<Vec<u8>> {
        if key.is_empty() {
            return exec_err!("[INVALID_PARAMETER_VALUE.HMAC_CRYPTO_ERROR] The value of parameter(s) `key` in `hmac` is invalid: detail message: Empty key");
        }
        Ok(match self {
            Algorithm::Sha224 => keyed::<sha2::Sha224>(key, data),
            Algorithm::Sha256 => keyed::<sha2::Sha256>(key, data),
            Algorithm::Sha384 => keyed::<sha2::Sha384>(key, data),
            Algorithm::Sha512 => keyed::<sha2::Sha512>(key, data),
            Algorithm::Sha1 => keyed::<sha1::Sha1>(key, data),
            Algorithm::Md5 => keyed::<md5::Md5>(key, data),
        })
    }
}

fn keyed<D: Digest + BlockSizeUser>(key: &[u8], data: &[u8]) -> Vec<u8> {
    // Any key length is accepted: long keys are hashed first, as HMAC defines.
    let Ok(mut mac) = <SimpleHmac<D> as KeyInit>::new_from_slice(key) else { return Vec::new() };
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn hmac_column(args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    let key = cast(&args[0], &DataType::Binary)?;
    let data = cast(&args[1], &DataType::Binary)?;
    let algorithm = args.get(2).map(|a| cast(a, &DataType::Utf8)).transpose()?;
    let (data, key) = (data.as_binary::<i32>(), key.as_binary::<i32>());
    let mut out = BinaryBuilder::with_capacity(rows, rows * 32);
    for row in 0..rows {
        let (d, k) = (row_of(data, row), row_of(key, row));
        let name = match &algorithm {
            Some(a) => {
                let a = a.as_string::<i32>();
                let r = row_of(a, row);
                a.is_valid(r).then(|| a.value(r))
            }
            None => Some("SHA-256"),
        };
        match name {
            Some(name) if data.is_valid(d) && key.is_valid(k) => out.append_value(Algorithm::parse(name)?.sign(key.value(k), data.value(d))?),
            _ => out.append_null(),
        }
    }
    Ok(Arc::new(out.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02X}")).collect()
    }

    #[test]
    fn signs_as_spark() {
        let sign = |name: &str| hex(&Algorithm::parse(name).unwrap().sign(b"Spark", b"key").unwrap());
        assert_eq!(sign("SHA-256"), "CEBEF3ACA26F4F452D21055D0545D4BAE3C740A5A4BED3BC15B808F2ACB20471");
        assert_eq!(sign("sha1"), "B87C14B64E6191499C4E90BE56F979D3DDF705A6");
        assert_eq!(sign("MD5"), "95C048D563F1FB6C2470968B553D0C42");
        assert_eq!(sign("SHA-224"), "35206727F2D4C6B924750980DD448EEBB8D3A462648C0C2EA3AB1B4B");
    }

    #[test]
    fn refuses_unknown_algorithms_and_empty_keys() {
        assert!(Algorithm::parse("foo").is_err());
        assert!(Algorithm::Sha256.sign(b"", b"x").is_err());
    }
}
