//! `rand([seed])` (also `random`) and `randn([seed])`: uniform doubles in [0, 1) and standard
//! normal ones, from Spark's generator. Spark seeds an xorshift generator with `seed` (plus the
//! partition's index) hashed by MurmurHash3, and draws doubles and Gaussians as
//! `java.util.Random` does from it; hivewire does the same as one partition, so `rand(0)` is
//! Spark's 0.7604953758285915 and the rows of a one-partition query get Spark's values. A NULL
//! seed is 0, as in Spark; without a seed the generator is seeded from the clock.
//!
//! Each query gets generators of its own: when the planner simplifies a call it becomes a fresh
//! instance holding its generator, which then runs on across the query's batches.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use datafusion::arrow::array::Float64Array;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{exec_err, plan_err, Result, ScalarValue};
use datafusion::logical_expr::simplify::{ExprSimplifyResult, SimplifyContext};
use datafusion::logical_expr::{
    ColumnarValue, Expr, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, TypeSignature, Volatility,
};

/// Spark's generator: xorshift over a MurmurHash3 of the seed, read as `java.util.Random` reads
/// its bits.
#[derive(Debug, Clone)]
struct XorShift {
    state: i64,
    /// `java.util.Random` draws Gaussians in pairs and keeps the second.
    next_gaussian: Option<f64>,
}

impl XorShift {
    fn new(seed: i64) -> Self {
        XorShift { state: hash_seed(seed), next_gaussian: None }
    }

    fn next(&mut self, bits: u32) -> i64 {
        let mut s = self.state ^ (self.state << 21);
        s ^= ((s as u64) >> 35) as i64;
        s ^= s << 4;
        self.state = s;
        s & ((1i64 << bits) - 1)
    }

    fn next_double(&mut self) -> f64 {
        let high = self.next(26) as u64;
        java_double(high, self.next(27) as u64)
    }

    fn next_gaussian(&mut self) -> f64 {
        if let Some(g) = self.next_gaussian.take() {
            return g;
        }
        loop {
            let v1 = 2.0 * self.next_double() - 1.0;
            let v2 = 2.0 * self.next_double() - 1.0;
            let s = v1 * v1 + v2 * v2;
            if s < 1.0 && s != 0.0 {
                let multiplier = (-2.0 * s.ln() / s).sqrt();
                self.next_gaussian = Some(v2 * multiplier);
                return v1 * multiplier;
            }
        }
    }
}

/// `java.util.Random.nextDouble` from its two draws of 26 and 27 bits: 53 bits over 2^53.
pub(crate) fn java_double(high26: u64, low27: u64) -> f64 {
    ((high26 << 27) + low27) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Scala's `MurmurHash3.bytesHash`.
fn murmur3_bytes(data: &[u8], seed: u32) -> u32 {
    fn mix_last(h: u32, k: u32) -> u32 {
        h ^ k.wrapping_mul(0xcc9e_2d51).rotate_left(15).wrapping_mul(0x1b87_3593)
    }
    let mut h = seed;
    let mut chunks = data.chunks_exact(4);
    for c in &mut chunks {
        let k = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        h = mix_last(h, k).rotate_left(13).wrapping_mul(5).wrapping_add(0xe654_6b64);
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        let k = tail.iter().enumerate().fold(0u32, |k, (i, b)| k ^ (u32::from(*b) << (8 * i)));
        h = mix_last(h, k);
    }
    // Finalisation: the length, then the avalanche.
    h ^= data.len() as u32;
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^ (h >> 16)
}

/// Spark's `XORShiftRandom.hashSeed`: the seed's big-endian bytes hashed twice.
fn hash_seed(seed: i64) -> i64 {
    const ARRAY_SEED: u32 = 0x3c07_4a61;
    let bytes = seed.to_be_bytes();
    let low = murmur3_bytes(&bytes, ARRAY_SEED);
    let high = murmur3_bytes(&bytes, low);
    (i64::from(high) << 32) | i64::from(low)
}

/// Uniform or normal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Uniform,
    Normal,
}

/// Tells generator instances apart.
static INSTANCES: AtomicU64 = AtomicU64::new(1);

#[derive(Debug)]
struct Random {
    name: &'static str,
    kind: Kind,
    signature: Signature,
    /// 0 for the registered function; the planner's instances are numbered from 1.
    instance: u64,
    /// The seed of an instance (None: from the clock).
    seed: Option<i64>,
    generator: Mutex<Option<XorShift>>,
}

impl PartialEq for Random {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.instance == other.instance
    }
}

impl Eq for Random {}

impl std::hash::Hash for Random {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
        self.instance.hash(state);
    }
}

impl Random {
    fn new(name: &'static str, kind: Kind, instance: u64, seed: Option<i64>) -> Self {
        let signature = Signature::one_of(vec![TypeSignature::Nullary, TypeSignature::Any(1)], Volatility::Volatile);
        Random { name, kind, signature, instance, seed, generator: Mutex::new(None) }
    }
}

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    [("rand", Kind::Uniform), ("random", Kind::Uniform), ("randn", Kind::Normal)]
        .into_iter()
        .map(|(name, kind)| Arc::new(ScalarUDF::from(Random::new(name, kind, 0, None))))
        .collect()
}

/// A seed argument's value: a whole-number constant, NULL counting as 0.
fn seed_of(name: &str, arg: &Expr) -> Result<Option<i64>> {
    let Expr::Literal(value, _) = arg else {
        return plan_err!("[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] {name}'s seed must be a constant");
    };
    let seed = match value {
        ScalarValue::Int8(v) => v.map(i64::from),
        ScalarValue::Int16(v) => v.map(i64::from),
        ScalarValue::Int32(v) => v.map(i64::from),
        ScalarValue::Int64(v) => *v,
        ScalarValue::Null => None,
        other => {
            return plan_err!(
                "[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] {name}'s seed must be an INT or a BIGINT, not {}",
                other.data_type()
            )
        }
    };
    Ok(Some(seed.unwrap_or(0)))
}

fn clock_seed() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as i64).unwrap_or(0)
}

impl ScalarUDFImpl for Random {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(DataType::Float64)
    }

    fn simplify(&self, args: Vec<Expr>, _info: &SimplifyContext) -> Result<ExprSimplifyResult> {
        if self.instance != 0 {
            return Ok(ExprSimplifyResult::Original(args));
        }
        let seed = match args.first() {
            Some(arg) => seed_of(self.name, arg)?,
            None => None,
        };
        let instance = INSTANCES.fetch_add(1, Ordering::Relaxed);
        let udf = ScalarUDF::from(Random::new(self.name, self.kind, instance, seed));
        // The instance draws from its own generator; the seed is in it, not among the arguments.
        Ok(ExprSimplifyResult::Simplified(udf.call(vec![])))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let seed = match args.args.first() {
            Some(ColumnarValue::Scalar(v)) => seed_of(self.name, &Expr::Literal(v.clone(), None))?,
            Some(ColumnarValue::Array(_)) => return exec_err!("{}'s seed must be a constant", self.name),
            None => self.seed,
        };
        let Ok(mut guard) = self.generator.lock() else { return exec_err!("{}'s generator is poisoned", self.name) };
        // The registered function (not simplified) starts afresh on each batch.
        let generator = if self.instance == 0 { guard.insert(XorShift::new(seed.unwrap_or_else(clock_seed))) } else {
            guard.get_or_insert_with(|| XorShift::new(seed.unwrap_or_else(clock_seed)))
        };
        let values: Float64Array = (0..rows)
            .map(|_| Some(if self.kind == Kind::Uniform { generator.next_double() } else { generator.next_gaussian() }))
            .collect();
        Ok(ColumnarValue::Array(Arc::new(values)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_sparks_numbers() {
        assert_eq!(XorShift::new(0).next_double(), 0.7604953758285915);
        assert_eq!(XorShift::new(0).next_gaussian(), 1.6034991609278433);
    }

    #[test]
    fn seeds_must_be_whole_number_constants() {
        assert_eq!(seed_of("rand", &Expr::Literal(ScalarValue::Null, None)).unwrap(), Some(0));
        assert!(seed_of("rand", &Expr::Literal(ScalarValue::Utf8(Some("1".into())), None)).is_err());
        assert!(seed_of("rand", &datafusion::logical_expr::col("x")).is_err());
    }
}
