//! `rand([seed])` (also `random`) and `randn([seed])`: uniform doubles in [0, 1) and standard
//! normal ones, from Spark's generator; `uniform(min, max[, seed])` and `randstr(length[, seed])`
//! draw from the same generator (random_draws.rs says how). Spark seeds an xorshift generator with `seed` (plus the
//! partition's index) hashed by MurmurHash3, and draws doubles and Gaussians as
//! `java.util.Random` does from it; hivewire does the same as one partition, so `rand(0)` is
//! Spark's 0.7604953758285915 and the rows of a one-partition query get Spark's values. A NULL
//! seed is 0, as in Spark; without a seed the generator is seeded from the clock.
//!
//! Each query gets generators of its own: when the planner simplifies a call it becomes a fresh
//! instance holding its generator, which then runs on across the query's batches.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{exec_err, plan_err, Result, ScalarValue};
use datafusion::logical_expr::simplify::{ExprSimplifyResult, SimplifyContext};
use super::random_draws::Draw;
use datafusion::logical_expr::{
    ColumnarValue, Expr, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, TypeSignature, Volatility,
};

/// Spark's generator: xorshift over a MurmurHash3 of the seed, read as `java.util.Random` reads
/// its bits.
#[derive(Debug, Clone)]
pub(super) struct XorShift {
    state: i64,
    /// `java.util.Random` draws Gaussians in pairs and keeps the second.
    next_gaussian: Option<f64>,
}

impl XorShift {
    pub(super) fn new(seed: i64) -> Self {
        XorShift { state: hash_seed(seed), next_gaussian: None }
    }

    fn next(&mut self, bits: u32) -> i64 {
        let mut s = self.state ^ (self.state << 21);
        s ^= ((s as u64) >> 35) as i64;
        s ^= s << 4;
        self.state = s;
        s & ((1i64 << bits) - 1)
    }

    /// `java.util.Random.nextInt()`: 32 bits as a signed int.
    pub(super) fn next_int(&mut self) -> i32 {
        self.next(32) as u32 as i32
    }

    pub(super) fn next_double(&mut self) -> f64 {
        let high = self.next(26) as u64;
        java_double(high, self.next(27) as u64)
    }

    pub(super) fn next_gaussian(&mut self) -> f64 {
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

/// What a registered function draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    /// `rand`/`random`: doubles in [0, 1).
    Uniform,
    /// `randn`: standard normal doubles.
    Normal,
    /// `uniform(min, max)`: values of the bounds' type between them.
    Between,
    /// `randstr(length)`: strings of letters and digits.
    Text,
}

impl Kind {
    /// The position of the seed among the arguments.
    fn seed_position(self) -> usize {
        match self {
            Kind::Uniform | Kind::Normal => 0,
            Kind::Text => 1,
            Kind::Between => 2,
        }
    }

    /// Spark's newer functions take only INT or BIGINT seeds; `rand` and `randn` also take
    /// narrower whole numbers, which Spark casts to BIGINT.
    fn strict_seed(self) -> bool {
        matches!(self, Kind::Between | Kind::Text)
    }
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
    /// What an instance draws, from its constant arguments.
    draw: Option<Draw>,
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
    fn registered(name: &'static str, kind: Kind) -> Self {
        let counts: &[usize] = match kind {
            Kind::Uniform | Kind::Normal => &[0, 1],
            Kind::Text => &[1, 2],
            Kind::Between => &[2, 3],
        };
        let shapes = counts.iter().map(|n| if *n == 0 { TypeSignature::Nullary } else { TypeSignature::Any(*n) }).collect();
        let signature = Signature::one_of(shapes, Volatility::Volatile);
        Random { name, kind, signature, instance: 0, seed: None, draw: None, generator: Mutex::new(None) }
    }

    /// A planned call: its own generator, with its seed and what it draws fixed.
    fn instance(&self, seed: Option<i64>, draw: Draw) -> Self {
        let instance = INSTANCES.fetch_add(1, Ordering::Relaxed);
        let signature = Signature::nullary(Volatility::Volatile);
        Random { name: self.name, kind: self.kind, signature, instance, seed, draw: Some(draw), generator: Mutex::new(None) }
    }

    /// The seed and the draw that the arguments ask for; a call without a seed is seeded from
    /// the clock.
    fn settings(&self, args: &[Expr]) -> Result<(Option<i64>, Draw)> {
        let seed = match args.get(self.kind.seed_position()) {
            Some(arg) => seed_of(self.name, arg, self.kind.strict_seed())?,
            None => None,
        };
        let draw = match self.kind {
            Kind::Uniform => Draw::Double,
            Kind::Normal => Draw::Gaussian,
            Kind::Between => super::random_draws::between(self.name, &args[0], &args[1])?,
            Kind::Text => super::random_draws::text_draw(self.name, &args[0])?,
        };
        Ok((seed, draw))
    }
}

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    [("rand", Kind::Uniform), ("random", Kind::Uniform), ("randn", Kind::Normal), ("uniform", Kind::Between), ("randstr", Kind::Text)]
        .into_iter()
        .map(|(name, kind)| Arc::new(ScalarUDF::from(Random::registered(name, kind))))
        .collect()
}

/// A seed argument's value: a whole-number constant, NULL counting as 0. `strict` takes only
/// INT and BIGINT.
fn seed_of(name: &str, arg: &Expr, strict: bool) -> Result<Option<i64>> {
    let Expr::Literal(value, _) = arg else {
        return plan_err!("[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] {name}'s seed must be a constant");
    };
    let seed = match value {
        ScalarValue::Int8(v) if !strict => v.map(i64::from),
        ScalarValue::Int16(v) if !strict => v.map(i64::from),
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

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        if let Some(draw) = &self.draw {
            return Ok(draw.returns());
        }
        match self.kind {
            Kind::Uniform | Kind::Normal => Ok(DataType::Float64),
            Kind::Text => Ok(DataType::Utf8),
            Kind::Between => super::random_draws::between_type(self.name, &args[0], &args[1]),
        }
    }

    fn simplify(&self, args: Vec<Expr>, _info: &SimplifyContext) -> Result<ExprSimplifyResult> {
        // Arguments not yet folded to constants (a division the simplifier is still working on)
        // wait for its next pass; ones that never fold are refused when the call runs.
        if self.instance != 0 || !args.iter().all(|a| matches!(a, Expr::Literal(..))) {
            return Ok(ExprSimplifyResult::Original(args));
        }
        let (seed, draw) = self.settings(&args)?;
        // The instance draws from its own generator; the seed is in it, not among the arguments.
        Ok(ExprSimplifyResult::Simplified(ScalarUDF::from(self.instance(seed, draw)).call(vec![])))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let (seed, draw) = match &self.draw {
            Some(draw) => (self.seed, draw.clone()),
            None => {
                let mut constants = Vec::with_capacity(args.args.len());
                for a in &args.args {
                    match a {
                        ColumnarValue::Scalar(v) => constants.push(Expr::Literal(v.clone(), None)),
                        ColumnarValue::Array(_) => return exec_err!("{}'s arguments must be constants", self.name),
                    }
                }
                self.settings(&constants)?
            }
        };
        let Ok(mut guard) = self.generator.lock() else { return exec_err!("{}'s generator is poisoned", self.name) };
        // The registered function (not simplified) starts afresh on each batch.
        let generator = if self.instance == 0 { guard.insert(XorShift::new(seed.unwrap_or_else(clock_seed))) } else {
            guard.get_or_insert_with(|| XorShift::new(seed.unwrap_or_else(clock_seed)))
        };
        Ok(ColumnarValue::Array(draw.column(generator, rows)?))
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
        assert_eq!(seed_of("rand", &Expr::Literal(ScalarValue::Null, None), false).unwrap(), Some(0));
        assert_eq!(seed_of("rand", &Expr::Literal(ScalarValue::Int8(Some(3)), None), false).unwrap(), Some(3));
        assert!(seed_of("randstr", &Expr::Literal(ScalarValue::Int8(Some(3)), None), true).is_err());
        assert!(seed_of("rand", &Expr::Literal(ScalarValue::Utf8(Some("1".into())), None), false).is_err());
        assert!(seed_of("rand", &datafusion::logical_expr::col("x"), false).is_err());
    }
}
