//! `hash(a, b, ...)`: Spark's 32-bit Murmur3 hash of its arguments, seeded with 42, each
//! argument's hash the seed of the next. Values are hashed as Spark hashes them: whole numbers up to
//! INT and dates as 4 bytes, BIGINT and timestamps (microseconds) as 8, floating values by their
//! bits (-0.0 as 0.0), decimals by their unscaled value, text and binary by their bytes with
//! Spark's byte-at-a-time tail, and arrays and structs element by element. A NULL leaves the hash
//! as it was. Maps are refused, as Spark refuses them. A timestamp is hashed as the instant its
//! wall-clock time is in the session's zone: outside UTC the HiveQL front end calls
//! `hivewire_hash_in_zone(zone, args...)` instead.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int32Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{
    DataType, Date32Type, Decimal128Type, Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type, TimeUnit,
};
use datafusion::common::{exec_err, Result};
use datafusion::logical_expr::{ScalarUDF, Signature, Volatility};

use super::SparkFunction;
use crate::hiveql::time_zones::Zone;

const SEED: i32 = 42;

/// `hash` in a session zone other than UTC, with the zone as its first argument.
pub const HASH_IN_ZONE: &str = "hivewire_hash_in_zone";

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    let int = |_: &[DataType]| Ok(DataType::Int32);
    vec![
        SparkFunction::udf("hash", Signature::variadic_any(Volatility::Immutable), int, |args, rows| hash(args, rows, Zone::utc())),
        SparkFunction::udf(HASH_IN_ZONE, Signature::variadic_any(Volatility::Immutable), int, hash_in_zone),
    ]
}

fn mix_k1(k1: i32) -> i32 {
    (k1.wrapping_mul(0xcc9e_2d51_u32 as i32)).rotate_left(15).wrapping_mul(0x1b87_3593)
}

fn mix_h1(h1: i32, k1: i32) -> i32 {
    (h1 ^ k1).rotate_left(13).wrapping_mul(5).wrapping_add(0xe654_6b64_u32 as i32)
}

fn finish(h1: i32, length: i32) -> i32 {
    let mut h = (h1 ^ length) as u32;
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^= h >> 16;
    h as i32
}

fn hash_int(v: i32, seed: i32) -> i32 {
    finish(mix_h1(seed, mix_k1(v)), 4)
}

fn hash_long(v: i64, seed: i32) -> i32 {
    let h1 = mix_h1(seed, mix_k1(v as i32));
    finish(mix_h1(h1, mix_k1((v >> 32) as i32)), 8)
}

/// Spark's hash of bytes: whole 4-byte little-endian words, then each remaining byte (as a signed
/// value) on its own.
fn hash_bytes(bytes: &[u8], seed: i32) -> i32 {
    let mut h1 = seed;
    let mut words = bytes.chunks_exact(4);
    for w in words.by_ref() {
        h1 = mix_h1(h1, mix_k1(i32::from_le_bytes([w[0], w[1], w[2], w[3]])));
    }
    for b in words.remainder() {
        h1 = mix_h1(h1, mix_k1(i32::from(*b as i8)));
    }
    finish(h1, i32::try_from(bytes.len()).unwrap_or(i32::MAX))
}

/// The minimal big-endian two's-complement bytes of a number, as Java's BigInteger gives them.
fn big_integer_bytes(v: i128) -> Vec<u8> {
    let bytes = v.to_be_bytes();
    let mut start = 0;
    while start < 15 {
        let (b, next) = (bytes[start], bytes[start + 1]);
        let redundant = (b == 0x00 && next & 0x80 == 0) || (b == 0xff && next & 0x80 != 0);
        if !redundant {
            break;
        }
        start += 1;
    }
    bytes[start..].to_vec()
}

/// Folds every row of `column` into that row's hash.
fn fold(column: &ArrayRef, hashes: &mut [i32], zone: Zone) -> Result<()> {
    let each = |hashes: &mut [i32], f: &mut dyn FnMut(usize, i32) -> Result<i32>| -> Result<()> {
        for (row, hash) in hashes.iter_mut().enumerate() {
            if column.is_valid(row) {
                *hash = f(row, *hash)?;
            }
        }
        Ok(())
    };
    match column.data_type() {
        DataType::Null => Ok(()),
        DataType::Boolean => {
            let a = column.as_boolean();
            each(hashes, &mut |r, h| Ok(hash_int(i32::from(a.value(r)), h)))
        }
        DataType::Int8 => {
            let a = column.as_primitive::<Int8Type>();
            each(hashes, &mut |r, h| Ok(hash_int(i32::from(a.value(r)), h)))
        }
        DataType::Int16 => {
            let a = column.as_primitive::<Int16Type>();
            each(hashes, &mut |r, h| Ok(hash_int(i32::from(a.value(r)), h)))
        }
        DataType::Int32 => {
            let a = column.as_primitive::<Int32Type>();
            each(hashes, &mut |r, h| Ok(hash_int(a.value(r), h)))
        }
        DataType::Date32 => {
            let a = column.as_primitive::<Date32Type>();
            each(hashes, &mut |r, h| Ok(hash_int(a.value(r), h)))
        }
        DataType::Int64 => {
            let a = column.as_primitive::<Int64Type>();
            each(hashes, &mut |r, h| Ok(hash_long(a.value(r), h)))
        }
        DataType::Timestamp(unit, zone_of_column) => {
            let micros = if *unit == TimeUnit::Microsecond { column.clone() } else { cast(column, &DataType::Timestamp(TimeUnit::Microsecond, zone_of_column.clone()))? };
            let micros = cast(&micros, &DataType::Int64)?;
            let micros = micros.as_primitive::<Int64Type>();
            let instants: ArrayRef = if zone.is_utc() || zone_of_column.is_some() {
                Arc::new(micros.clone())
            } else {
                Arc::new(micros.unary::<_, Int64Type>(|m| zone.instant_micros(m)))
            };
            fold(&instants, hashes, zone)
        }
        DataType::Float32 => {
            let a = column.as_primitive::<Float32Type>();
            each(hashes, &mut |r, h| {
                let f = a.value(r);
                let bits = if f == 0.0 { 0 } else if f.is_nan() { 0x7fc0_0000 } else { f.to_bits() as i32 };
                Ok(hash_int(bits, h))
            })
        }
        DataType::Float64 => {
            let a = column.as_primitive::<Float64Type>();
            each(hashes, &mut |r, h| {
                let d = a.value(r);
                let bits = if d == 0.0 { 0 } else if d.is_nan() { 0x7ff8_0000_0000_0000 } else { d.to_bits() as i64 };
                Ok(hash_long(bits, h))
            })
        }
        DataType::Decimal128(precision, _) => {
            let a = column.as_primitive::<Decimal128Type>();
            let small = *precision <= 18;
            each(hashes, &mut |r, h| {
                let v = a.value(r);
                Ok(if small { hash_long(v as i64, h) } else { hash_bytes(&big_integer_bytes(v), h) })
            })
        }
        DataType::Utf8 => {
            let a = column.as_string::<i32>();
            each(hashes, &mut |r, h| Ok(hash_bytes(a.value(r).as_bytes(), h)))
        }
        DataType::LargeUtf8 | DataType::Utf8View => fold(&cast(column, &DataType::Utf8)?, hashes, zone),
        DataType::Binary => {
            let a = column.as_binary::<i32>();
            each(hashes, &mut |r, h| Ok(hash_bytes(a.value(r), h)))
        }
        DataType::LargeBinary | DataType::BinaryView | DataType::FixedSizeBinary(_) => fold(&cast(column, &DataType::Binary)?, hashes, zone),
        DataType::List(_) | DataType::LargeList(_) => {
            let list = cast(column, &DataType::new_list(column_item_type(column), true))?;
            let list = list.as_list::<i32>();
            each(hashes, &mut |r, h| fold_one(&list.value(r), h, zone))
        }
        DataType::Map(..) => exec_err!(
            "[DATATYPE_MISMATCH.HASH_MAP_TYPE] hash does not take MAP values: equal maps may hash differently"
        ),
        DataType::Struct(_) => {
            let s = column.as_struct();
            each(hashes, &mut |r, h| {
                let mut hash = h;
                for field in s.columns() {
                    hash = fold_one(&field.slice(r, 1), hash, zone)?;
                }
                Ok(hash)
            })
        }
        other => exec_err!("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] hash does not take {other}"),
    }
}

fn column_item_type(list: &ArrayRef) -> DataType {
    match list.data_type() {
        DataType::List(f) | DataType::LargeList(f) => f.data_type().clone(),
        other => other.clone(),
    }
}

/// The hash of each value of `values` in turn, starting from `seed` (an array's elements).
fn fold_one(values: &ArrayRef, seed: i32, zone: Zone) -> Result<i32> {
    let mut hash = [seed];
    for i in 0..values.len() {
        fold(&values.slice(i, 1), &mut hash, zone)?;
    }
    Ok(hash[0])
}

fn hash(args: &[ArrayRef], rows: usize, zone: Zone) -> Result<ArrayRef> {
    let mut hashes = vec![SEED; rows];
    for a in args {
        let column = if a.len() == rows { a.clone() } else { datafusion::common::ScalarValue::try_from_array(a, 0)?.to_array_of_size(rows)? };
        fold(&column, &mut hashes, zone)?;
    }
    Ok(Arc::new(Int32Array::from(hashes)))
}

fn hash_in_zone(args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    let Some((zone, values)) = args.split_first() else { return exec_err!("{HASH_IN_ZONE} takes a zone") };
    hash(values, rows, super::zone_argument(Some(zone))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{Int64Array, StringArray};

    fn of(a: ArrayRef) -> i32 {
        hash(&[a], 1, Zone::utc()).unwrap().as_primitive::<Int32Type>().value(0)
    }

    #[test]
    fn hashes_match_sparks() {
        // Spark: SELECT hash(1), hash(1L), hash('Spark'), hash(''), hash(NULL).
        assert_eq!(of(Arc::new(Int32Array::from(vec![1]))), -559580957);
        assert_eq!(of(Arc::new(Int64Array::from(vec![1]))), -1712319331);
        assert_eq!(of(Arc::new(StringArray::from(vec!["Spark"]))), 228093765);
        assert_eq!(of(Arc::new(StringArray::from(vec![""]))), 142593372);
        assert_eq!(of(Arc::new(Int32Array::from(vec![None]))), 42);
        assert_eq!(of(Arc::new(StringArray::from(vec!["abcde"]))), 814637928);
        assert_eq!(of(Arc::new(datafusion::arrow::array::Float64Array::from(vec![1.5]))), 1290763749);
        assert_eq!(of(Arc::new(datafusion::arrow::array::Float64Array::from(vec![-0.0]))), -1670924195);
        let big = datafusion::arrow::array::Decimal128Array::from(vec![-123456789012345678905_i128]).with_precision_and_scale(38, 1).unwrap();
        assert_eq!(of(Arc::new(big)), -777928638);
    }

    #[test]
    fn big_integers_keep_their_sign_byte() {
        assert_eq!(big_integer_bytes(0), vec![0]);
        assert_eq!(big_integer_bytes(128), vec![0, 128]);
        assert_eq!(big_integer_bytes(-1), vec![0xff]);
        assert_eq!(big_integer_bytes(-129), vec![0xff, 0x7f]);
    }
}
