//! `aes_encrypt(input, key[, mode[, padding[, iv[, aad]]]])`, `aes_decrypt(input, key[, mode[,
//! padding[, aad]]])` and `try_aes_decrypt`: AES as Spark applies it, so that values encrypted by
//! one can be decrypted by the other.
//!
//! The key is 16, 24 or 32 bytes. The modes are GCM (the default; no padding, a 12-byte IV and a
//! 16-byte tag, optionally with additional authenticated data), CBC (PKCS#7 padding, a 16-byte IV)
//! and ECB (PKCS#7 padding, no IV). GCM and CBC output starts with the IV, which is random unless
//! one is given. A NULL argument gives NULL; a wrong key, IV or mode is an error with Spark's
//! error class, and so is input that does not decrypt, except in `try_aes_decrypt`, which gives
//! NULL instead.

use std::sync::Arc;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{AesGcm, Nonce};
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::consts::U12;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use datafusion::arrow::array::{Array, ArrayRef, AsArray, BinaryArray, BinaryBuilder, StringArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{exec_err, DataFusionError, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, TypeSignature, Volatility};

use super::{row_of, SparkFunction};

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    let arities = |counts: std::ops::RangeInclusive<usize>| {
        Signature::one_of(counts.map(TypeSignature::Any).collect(), Volatility::Volatile)
    };
    let binary = |_: &[DataType]| Ok(DataType::Binary);
    vec![
        SparkFunction::udf("aes_encrypt", arities(2..=6), binary, |args, rows| run(args, rows, Direction::Encrypt)),
        SparkFunction::udf("aes_decrypt", arities(2..=5), binary, |args, rows| run(args, rows, Direction::Decrypt)),
        SparkFunction::udf("try_aes_decrypt", arities(2..=5), binary, |args, rows| run(args, rows, Direction::TryDecrypt)),
    ]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Encrypt,
    Decrypt,
    /// Decrypting, with NULL for input that does not decrypt.
    TryDecrypt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Ecb,
    Cbc,
    Gcm,
}

const GCM_IV: usize = 12;
const CBC_IV: usize = 16;

impl Mode {
    fn parse(mode: &str, padding: &str) -> Result<Self> {
        let (mode, padding) = (mode.to_ascii_uppercase(), padding.to_ascii_uppercase());
        match (mode.as_str(), padding.as_str()) {
            ("ECB", "PKCS" | "DEFAULT") => Ok(Mode::Ecb),
            ("CBC", "PKCS" | "DEFAULT") => Ok(Mode::Cbc),
            ("GCM", "NONE" | "DEFAULT") => Ok(Mode::Gcm),
            _ => exec_err!(
                "[UNSUPPORTED_FEATURE.AES_MODE] The feature is not supported: AES-{mode} with the padding {padding} by the `aes_encrypt`/`aes_decrypt` function"
            ),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Mode::Ecb => "ECB",
            Mode::Cbc => "CBC",
            Mode::Gcm => "GCM",
        }
    }

    /// The IV to encrypt with: the one given, or a random one; ECB takes none.
    fn iv(self, given: &[u8]) -> Result<Vec<u8>> {
        let length = match self {
            Mode::Ecb if given.is_empty() => return Ok(Vec::new()),
            Mode::Ecb => {
                return exec_err!("[UNSUPPORTED_FEATURE.AES_MODE_IV] The feature is not supported: `aes_encrypt` with AES-ECB does not support initialization vectors (IVs)")
            }
            Mode::Cbc => CBC_IV,
            Mode::Gcm => GCM_IV,
        };
        if given.is_empty() {
            let mut iv = vec![0; length];
            ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut iv)
                .map_err(|_| DataFusionError::Execution("no random bytes for an AES IV".into()))?;
            return Ok(iv);
        }
        if given.len() != length {
            return exec_err!(
                "[INVALID_PARAMETER_VALUE.AES_IV_LENGTH] The value of parameter(s) `iv` in `aes_encrypt`/`aes_decrypt` is invalid: supports 16-byte CBC IVs and 12-byte GCM IVs, but got {} bytes for {}",
                given.len(),
                self.name()
            );
        }
        Ok(given.to_vec())
    }

    fn check_aad(self, aad: &[u8], function: &str) -> Result<()> {
        if self != Mode::Gcm && !aad.is_empty() {
            return exec_err!(
                "[UNSUPPORTED_FEATURE.AES_MODE_AAD] The feature is not supported: `{function}` with AES-{} does not support additional authenticate data (AAD)",
                self.name()
            );
        }
        Ok(())
    }
}

/// The arguments of one row.
struct Row<'a> {
    input: &'a [u8],
    key: &'a [u8],
    mode: Mode,
    iv: &'a [u8],
    aad: &'a [u8],
}

/// A decryption that failed, as Spark reports it.
fn crypto_error(detail: &str) -> DataFusionError {
    DataFusionError::Execution(format!(
        "[INVALID_PARAMETER_VALUE.AES_CRYPTO_ERROR] The value of parameter(s) `expr`, `key` in `aes_encrypt`/`aes_decrypt` is invalid: detail message: {detail}"
    ))
}

/// Runs `$body` with `$cipher` the AES of the key's length.
macro_rules! with_aes {
    ($key:expr, $cipher:ident => $body:expr) => {
        match $key.len() {
            16 => {
                type $cipher = aes::Aes128;
                $body
            }
            24 => {
                type $cipher = aes::Aes192;
                $body
            }
            32 => {
                type $cipher = aes::Aes256;
                $body
            }
            n => exec_err!(
                "[INVALID_PARAMETER_VALUE.AES_KEY_LENGTH] The value of parameter(s) `key` in `aes_encrypt`/`aes_decrypt` is invalid: expects a binary value with 16, 24 or 32 bytes, but got {n} bytes"
            ),
        }
    };
}

fn encrypt(row: &Row) -> Result<Vec<u8>> {
    row.mode.check_aad(row.aad, "aes_encrypt")?;
    let iv = row.mode.iv(row.iv)?;
    let key = row.key;
    let invalid = |_| crypto_error("invalid key or IV");
    let body = with_aes!(key, C => match row.mode {
        Mode::Ecb => Ok(ecb::Encryptor::<C>::new_from_slice(key).map_err(invalid)?.encrypt_padded_vec::<Pkcs7>(row.input)),
        Mode::Cbc => Ok(cbc::Encryptor::<C>::new_from_slices(key, &iv).map_err(invalid)?.encrypt_padded_vec::<Pkcs7>(row.input)),
        Mode::Gcm => {
            let cipher = <AesGcm<C, U12> as KeyInit>::new_from_slice(key).map_err(invalid)?;
            let nonce = Nonce::<U12>::try_from(iv.as_slice()).map_err(|_| crypto_error("invalid IV"))?;
            cipher.encrypt(&nonce, Payload { msg: row.input, aad: row.aad }).map_err(|e| crypto_error(&e.to_string()))
        }
    })?;
    Ok([iv, body].concat())
}

fn decrypt(row: &Row) -> Result<Vec<u8>> {
    row.mode.check_aad(row.aad, "aes_decrypt")?;
    let (key, input) = (row.key, row.input);
    let invalid = |_| crypto_error("invalid key or IV");
    let short = || crypto_error("Invalid buffer arguments");
    with_aes!(key, C => match row.mode {
        Mode::Ecb => ecb::Decryptor::<C>::new_from_slice(key)
            .map_err(invalid)?
            .decrypt_padded_vec::<Pkcs7>(input)
            .map_err(|_| crypto_error("Given final block not properly padded")),
        Mode::Cbc => {
            let (iv, body) = input.split_at_checked(CBC_IV).ok_or_else(short)?;
            cbc::Decryptor::<C>::new_from_slices(key, iv)
                .map_err(invalid)?
                .decrypt_padded_vec::<Pkcs7>(body)
                .map_err(|_| crypto_error("Given final block not properly padded"))
        }
        Mode::Gcm => {
            let (iv, body) = input.split_at_checked(GCM_IV).ok_or_else(short)?;
            if body.len() < 16 {
                return Err(short());
            }
            let cipher = <AesGcm<C, U12> as KeyInit>::new_from_slice(key).map_err(invalid)?;
            let nonce = Nonce::<U12>::try_from(iv).map_err(|_| short())?;
            cipher.decrypt(&nonce, Payload { msg: body, aad: row.aad }).map_err(|_| crypto_error("Tag mismatch"))
        }
    })
}

fn run(args: &[ArrayRef], rows: usize, direction: Direction) -> Result<ArrayRef> {
    let bytes = |i: usize| -> Result<Option<ArrayRef>> { Ok(args.get(i).map(|a| cast(a, &DataType::Binary)).transpose()?) };
    let text = |i: usize| -> Result<Option<ArrayRef>> { Ok(args.get(i).map(|a| cast(a, &DataType::Utf8)).transpose()?) };
    let (input, key) = (cast(&args[0], &DataType::Binary)?, cast(&args[1], &DataType::Binary)?);
    let (mode, padding) = (text(2)?, text(3)?);
    // aes_encrypt takes an IV before the AAD; the decryptions read the IV from their input.
    let (iv, aad) = if direction == Direction::Encrypt { (bytes(4)?, bytes(5)?) } else { (None, bytes(4)?) };
    let mut out = BinaryBuilder::with_capacity(rows, rows * 32);
    for row in 0..rows {
        let values = (
            binary_at(&input, row),
            binary_at(&key, row),
            text_at(mode.as_ref(), row, "GCM"),
            text_at(padding.as_ref(), row, "DEFAULT"),
            optional_binary_at(iv.as_ref(), row),
            optional_binary_at(aad.as_ref(), row),
        );
        let (Some(input), Some(key), Some(mode), Some(padding), Some(iv), Some(aad)) = values else {
            out.append_null();
            continue;
        };
        let answer = Mode::parse(mode, padding).and_then(|mode| {
            let row = Row { input, key, mode, iv, aad };
            if direction == Direction::Encrypt { encrypt(&row) } else { decrypt(&row) }
        });
        match answer {
            Ok(v) => out.append_value(v),
            Err(_) if direction == Direction::TryDecrypt => out.append_null(),
            Err(e) => return Err(e),
        }
    }
    Ok(Arc::new(out.finish()))
}

fn binary_at(a: &ArrayRef, row: usize) -> Option<&[u8]> {
    let a: &BinaryArray = a.as_binary::<i32>();
    let r = row_of(a, row);
    a.is_valid(r).then(|| a.value(r))
}

/// An optional bytes argument: empty when not given, None when NULL.
fn optional_binary_at(a: Option<&ArrayRef>, row: usize) -> Option<&[u8]> {
    match a {
        Some(a) => binary_at(a, row),
        None => Some(&[]),
    }
}

/// An optional text argument: `default` when not given, None when NULL.
fn text_at<'a>(a: Option<&'a ArrayRef>, row: usize, default: &'static str) -> Option<&'a str> {
    let Some(a) = a else { return Some(default) };
    let a: &StringArray = a.as_string::<i32>();
    let r = row_of(a, row);
    a.is_valid(r).then(|| a.value(r))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02X}")).collect()
    }

    fn row<'a>(input: &'a [u8], mode: Mode, iv: &'a [u8], aad: &'a [u8]) -> Row<'a> {
        Row { input, key: b"0000111122223333", mode, iv, aad }
    }

    #[test]
    fn encrypts_as_spark() {
        assert_eq!(hex(&encrypt(&row(b"Spark", Mode::Ecb, b"", b"")).unwrap()), "348FF37EBDE05B7880BA339068FBDA5E");
        let gcm = encrypt(&row(b"Spark", Mode::Gcm, &[0; 12], b"")).unwrap();
        assert_eq!(hex(&gcm), "00000000000000000000000046C4EF1C6A7041A6BEAD289645459AF972E4153D03");
        let with_aad = encrypt(&row(b"Spark", Mode::Gcm, &[0; 12], b"This is an AAD mixed into the input")).unwrap();
        assert_eq!(hex(&with_aad), "00000000000000000000000046C4EF1C6A51487FED3CAC184086329C72D48C83F7");
        let cbc = encrypt(&row(b"Spark", Mode::Cbc, &[0; 16], b"")).unwrap();
        assert_eq!(hex(&cbc), "00000000000000000000000000000000348FF37EBDE05B7880BA339068FBDA5E");
    }

    #[test]
    fn decrypts_what_it_encrypts_with_random_ivs() {
        for mode in [Mode::Ecb, Mode::Cbc, Mode::Gcm] {
            let sealed = encrypt(&row(b"some secret", mode, b"", b"")).unwrap();
            assert_eq!(decrypt(&row(&sealed, mode, b"", b"")).unwrap(), b"some secret");
        }
        let sealed = encrypt(&row(b"x", Mode::Gcm, b"", b"aad")).unwrap();
        assert!(decrypt(&row(&sealed, Mode::Gcm, b"", b"other")).is_err());
    }

    #[test]
    fn refuses_bad_keys_ivs_and_modes() {
        let short_key = Row { input: b"x", key: b"000011112222", mode: Mode::Gcm, iv: b"", aad: b"" };
        assert!(encrypt(&short_key).unwrap_err().to_string().contains("AES_KEY_LENGTH"));
        assert!(encrypt(&row(b"x", Mode::Gcm, &[0], b"")).unwrap_err().to_string().contains("AES_IV_LENGTH"));
        assert!(encrypt(&row(b"x", Mode::Ecb, &[0; 16], b"")).unwrap_err().to_string().contains("AES_MODE_IV"));
        assert!(encrypt(&row(b"x", Mode::Cbc, b"", b"a")).unwrap_err().to_string().contains("AES_MODE_AAD"));
        assert!(Mode::parse("CTR", "DEFAULT").is_err());
        assert!(Mode::parse("ecb", "none").is_err());
        assert!(decrypt(&row(&[0], Mode::Gcm, b"", b"")).is_err());
    }
}
