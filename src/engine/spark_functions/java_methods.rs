//! The Java static methods that `reflect`, `java_method` and `try_reflect` can call. hivewire runs
//! no Java, so it carries the standard-library methods that Hive and Spark queries call through
//! reflection, each written to give Java's answer: `java.util.UUID` (`randomUUID`, `fromString`),
//! `java.net.URLEncoder.encode` and `URLDecoder.decode`, `java.lang.Math`, the parsing and
//! printing methods of `Integer`, `Long`, `Double` and `Boolean`, `String.valueOf`, and
//! `System.currentTimeMillis`. A method is found as Spark finds it: by class, name and exactly the
//! Java types of the arguments (INT is `int`, STRING is `String`, ...).

use std::collections::HashMap;
use std::sync::LazyLock;

use hivewire_backend::java_numbers::{double_text, float_text};

/// A Java parameter type, as Spark maps SQL types to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Boolean,
    Byte,
    Short,
    Int,
    Long,
    Float,
    Double,
    Text,
}

/// A Java value passed to or returned by a method (`Null` for Java's null).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Boolean(bool),
    Byte(i8),
    Short(i16),
    Int(i32),
    Long(i64),
    Float(f32),
    Double(f64),
    Text(String),
}

impl Value {
    /// `String.valueOf` of a method's answer, which is what Spark returns; None for null.
    pub(crate) fn text(&self) -> Option<String> {
        Some(match self {
            Value::Null => return None,
            Value::Boolean(b) => b.to_string(),
            Value::Byte(v) => v.to_string(),
            Value::Short(v) => v.to_string(),
            Value::Int(v) => v.to_string(),
            Value::Long(v) => v.to_string(),
            Value::Float(v) => float_text(*v),
            Value::Double(v) => double_text(*v),
            Value::Text(s) => s.clone(),
        })
    }
}

/// What a method threw: the exception and its message, as Java would print them.
pub(crate) type Thrown = String;

type Body = fn(&[Value]) -> Result<Value, Thrown>;

/// A class's methods of one name: their parameter types and bodies.
type Overloads = Vec<(Vec<Kind>, Body)>;

/// One method: class, name, parameter types and body.
type Method = (&'static str, &'static str, Vec<Kind>, Body);

/// The methods, by class and name, with their parameter types.
static METHODS: LazyLock<HashMap<(&'static str, &'static str), Overloads>> = LazyLock::new(|| {
    let mut table: HashMap<(&'static str, &'static str), Overloads> = HashMap::new();
    for (class, name, params, body) in methods() {
        table.entry((class, name)).or_default().push((params, body));
    }
    table
});

/// Whether hivewire carries any method of the class.
pub(crate) fn knows_class(class: &str) -> bool {
    METHODS.keys().any(|(c, _)| *c == class)
}

/// The method of the class with the name and exactly these parameter types.
pub(crate) fn find(class: &str, name: &str, params: &[Kind]) -> Option<Body> {
    METHODS.get(&(class, name))?.iter().find(|(p, _)| p.as_slice() == params).map(|(_, body)| *body)
}

fn npe() -> Thrown {
    "java.lang.NullPointerException".into()
}

fn int(a: &[Value], i: usize) -> Result<i32, Thrown> {
    match a.get(i) {
        Some(Value::Int(v)) => Ok(*v),
        _ => Err(npe()),
    }
}

fn long(a: &[Value], i: usize) -> Result<i64, Thrown> {
    match a.get(i) {
        Some(Value::Long(v)) => Ok(*v),
        _ => Err(npe()),
    }
}

fn float(a: &[Value], i: usize) -> Result<f32, Thrown> {
    match a.get(i) {
        Some(Value::Float(v)) => Ok(*v),
        _ => Err(npe()),
    }
}

fn double(a: &[Value], i: usize) -> Result<f64, Thrown> {
    match a.get(i) {
        Some(Value::Double(v)) => Ok(*v),
        _ => Err(npe()),
    }
}

fn boolean(a: &[Value], i: usize) -> Result<bool, Thrown> {
    match a.get(i) {
        Some(Value::Boolean(v)) => Ok(*v),
        _ => Err(npe()),
    }
}

/// A String argument, which may be null.
fn text(a: &[Value], i: usize) -> Option<&str> {
    match a.get(i) {
        Some(Value::Text(s)) => Some(s),
        _ => None,
    }
}

fn nonnull_text(a: &[Value], i: usize) -> Result<&str, Thrown> {
    text(a, i).ok_or_else(npe)
}

fn overflow(what: &str) -> Thrown {
    format!("java.lang.ArithmeticException: {what} overflow")
}

/// Every method, as (class, name, parameter types, body).
fn methods() -> Vec<Method> {
    use Kind::*;
    let mut m: Vec<Method> = vec![
        ("java.util.UUID", "randomUUID", vec![], |_| Ok(Value::Text(uuid::Uuid::new_v4().to_string()))),
        ("java.util.UUID", "fromString", vec![Text], |a| Ok(Value::Text(uuid_from_string(nonnull_text(a, 0)?)?))),
        ("java.net.URLEncoder", "encode", vec![Text], |a| Ok(Value::Text(url_encode(nonnull_text(a, 0)?, "UTF-8")?))),
        ("java.net.URLEncoder", "encode", vec![Text, Text], |a| Ok(Value::Text(url_encode(nonnull_text(a, 0)?, nonnull_text(a, 1)?)?))),
        ("java.net.URLDecoder", "decode", vec![Text], |a| Ok(Value::Text(url_decode(nonnull_text(a, 0)?, "UTF-8")?))),
        ("java.net.URLDecoder", "decode", vec![Text, Text], |a| Ok(Value::Text(url_decode(nonnull_text(a, 0)?, nonnull_text(a, 1)?)?))),
        ("java.lang.System", "currentTimeMillis", vec![], |_| {
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0);
            Ok(Value::Long(now))
        }),
        ("java.lang.String", "valueOf", vec![Boolean], |a| Ok(Value::Text(boolean(a, 0)?.to_string()))),
        ("java.lang.String", "valueOf", vec![Int], |a| Ok(Value::Text(int(a, 0)?.to_string()))),
        ("java.lang.String", "valueOf", vec![Long], |a| Ok(Value::Text(long(a, 0)?.to_string()))),
        ("java.lang.String", "valueOf", vec![Float], |a| Ok(Value::Text(float_text(float(a, 0)?)))),
        ("java.lang.String", "valueOf", vec![Double], |a| Ok(Value::Text(double_text(double(a, 0)?)))),
        ("java.lang.Boolean", "parseBoolean", vec![Text], |a| Ok(Value::Boolean(text(a, 0).is_some_and(|s| s.eq_ignore_ascii_case("true"))))),
        ("java.lang.Boolean", "valueOf", vec![Text], |a| Ok(Value::Boolean(text(a, 0).is_some_and(|s| s.eq_ignore_ascii_case("true"))))),
        ("java.lang.Boolean", "valueOf", vec![Boolean], |a| Ok(Value::Boolean(boolean(a, 0)?))),
        ("java.lang.Boolean", "toString", vec![Boolean], |a| Ok(Value::Text(boolean(a, 0)?.to_string()))),
        ("java.lang.Boolean", "logicalAnd", vec![Boolean, Boolean], |a| Ok(Value::Boolean(boolean(a, 0)? && boolean(a, 1)?))),
        ("java.lang.Boolean", "logicalOr", vec![Boolean, Boolean], |a| Ok(Value::Boolean(boolean(a, 0)? || boolean(a, 1)?))),
        ("java.lang.Boolean", "logicalXor", vec![Boolean, Boolean], |a| Ok(Value::Boolean(boolean(a, 0)? ^ boolean(a, 1)?))),
        ("java.lang.Double", "parseDouble", vec![Text], |a| Ok(Value::Double(parse_double(nonnull_text(a, 0)?)?))),
        ("java.lang.Double", "valueOf", vec![Text], |a| Ok(Value::Double(parse_double(nonnull_text(a, 0)?)?))),
        ("java.lang.Double", "valueOf", vec![Double], |a| Ok(Value::Double(double(a, 0)?))),
        ("java.lang.Double", "toString", vec![Double], |a| Ok(Value::Text(double_text(double(a, 0)?)))),
        ("java.lang.Double", "isNaN", vec![Double], |a| Ok(Value::Boolean(double(a, 0)?.is_nan()))),
        ("java.lang.Double", "isInfinite", vec![Double], |a| Ok(Value::Boolean(double(a, 0)?.is_infinite()))),
        ("java.lang.Double", "isFinite", vec![Double], |a| Ok(Value::Boolean(double(a, 0)?.is_finite()))),
        ("java.lang.Double", "compare", vec![Double, Double], |a| Ok(Value::Int(java_compare(double(a, 0)?, double(a, 1)?)))),
        ("java.lang.Double", "sum", vec![Double, Double], |a| Ok(Value::Double(double(a, 0)? + double(a, 1)?))),
        ("java.lang.Double", "max", vec![Double, Double], |a| Ok(Value::Double(java_max(double(a, 0)?, double(a, 1)?)))),
        ("java.lang.Double", "min", vec![Double, Double], |a| Ok(Value::Double(java_min(double(a, 0)?, double(a, 1)?)))),
    ];
    m.extend(integer_methods());
    m.extend(long_methods());
    m.extend(math_methods());
    m
}

fn integer_methods() -> Vec<Method> {
    use Kind::*;
    const C: &str = "java.lang.Integer";
    vec![
        (C, "parseInt", vec![Text], |a| Ok(Value::Int(parse_int(a, 10)?))),
        (C, "parseInt", vec![Text, Int], |a| Ok(Value::Int(parse_int(a, int(a, 1)?)?))),
        (C, "valueOf", vec![Text], |a| Ok(Value::Int(parse_int(a, 10)?))),
        (C, "valueOf", vec![Text, Int], |a| Ok(Value::Int(parse_int(a, int(a, 1)?)?))),
        (C, "valueOf", vec![Int], |a| Ok(Value::Int(int(a, 0)?))),
        (C, "toString", vec![Int], |a| Ok(Value::Text(int(a, 0)?.to_string()))),
        (C, "toString", vec![Int, Int], |a| Ok(Value::Text(radix_text(i64::from(int(a, 0)?), int(a, 1)?)))),
        (C, "toHexString", vec![Int], |a| Ok(Value::Text(format!("{:x}", int(a, 0)? as u32)))),
        (C, "toOctalString", vec![Int], |a| Ok(Value::Text(format!("{:o}", int(a, 0)? as u32)))),
        (C, "toBinaryString", vec![Int], |a| Ok(Value::Text(format!("{:b}", int(a, 0)? as u32)))),
        (C, "toUnsignedString", vec![Int], |a| Ok(Value::Text((int(a, 0)? as u32).to_string()))),
        (C, "parseUnsignedInt", vec![Text], |a| {
            let s = nonnull_text(a, 0)?;
            let v = if s.starts_with('-') { Err(number_format(s, 10)) } else { parse_whole(s, 10) }?;
            u32::try_from(v).map(|u| Value::Int(u as i32)).map_err(|_| number_format(s, 10))
        }),
        (C, "bitCount", vec![Int], |a| Ok(Value::Int(int(a, 0)?.count_ones() as i32))),
        (C, "reverse", vec![Int], |a| Ok(Value::Int(int(a, 0)?.reverse_bits()))),
        (C, "reverseBytes", vec![Int], |a| Ok(Value::Int(int(a, 0)?.swap_bytes()))),
        (C, "highestOneBit", vec![Int], |a| {
            let v = int(a, 0)? as u32;
            Ok(Value::Int(if v == 0 { 0 } else { (1u32 << (31 - v.leading_zeros())) as i32 }))
        }),
        (C, "lowestOneBit", vec![Int], |a| {
            let v = int(a, 0)?;
            Ok(Value::Int(v & v.wrapping_neg()))
        }),
        (C, "numberOfLeadingZeros", vec![Int], |a| Ok(Value::Int(int(a, 0)?.leading_zeros() as i32))),
        (C, "numberOfTrailingZeros", vec![Int], |a| Ok(Value::Int(int(a, 0)?.trailing_zeros() as i32))),
        (C, "signum", vec![Int], |a| Ok(Value::Int(int(a, 0)?.signum()))),
        (C, "rotateLeft", vec![Int, Int], |a| Ok(Value::Int(int(a, 0)?.rotate_left((int(a, 1)? & 31) as u32)))),
        (C, "rotateRight", vec![Int, Int], |a| Ok(Value::Int(int(a, 0)?.rotate_right((int(a, 1)? & 31) as u32)))),
        (C, "compare", vec![Int, Int], |a| Ok(Value::Int(int(a, 0)?.cmp(&int(a, 1)?) as i32))),
        (C, "sum", vec![Int, Int], |a| Ok(Value::Int(int(a, 0)?.wrapping_add(int(a, 1)?)))),
        (C, "max", vec![Int, Int], |a| Ok(Value::Int(int(a, 0)?.max(int(a, 1)?)))),
        (C, "min", vec![Int, Int], |a| Ok(Value::Int(int(a, 0)?.min(int(a, 1)?)))),
    ]
}

fn long_methods() -> Vec<Method> {
    use Kind::*;
    const C: &str = "java.lang.Long";
    vec![
        (C, "parseLong", vec![Text], |a| Ok(Value::Long(parse_long(a, 10)?))),
        (C, "parseLong", vec![Text, Int], |a| Ok(Value::Long(parse_long(a, int(a, 1)?)?))),
        (C, "valueOf", vec![Text], |a| Ok(Value::Long(parse_long(a, 10)?))),
        (C, "valueOf", vec![Text, Int], |a| Ok(Value::Long(parse_long(a, int(a, 1)?)?))),
        (C, "valueOf", vec![Long], |a| Ok(Value::Long(long(a, 0)?))),
        (C, "toString", vec![Long], |a| Ok(Value::Text(long(a, 0)?.to_string()))),
        (C, "toString", vec![Long, Int], |a| Ok(Value::Text(radix_text(long(a, 0)?, int(a, 1)?)))),
        (C, "toHexString", vec![Long], |a| Ok(Value::Text(format!("{:x}", long(a, 0)? as u64)))),
        (C, "toOctalString", vec![Long], |a| Ok(Value::Text(format!("{:o}", long(a, 0)? as u64)))),
        (C, "toBinaryString", vec![Long], |a| Ok(Value::Text(format!("{:b}", long(a, 0)? as u64)))),
        (C, "toUnsignedString", vec![Long], |a| Ok(Value::Text((long(a, 0)? as u64).to_string()))),
        (C, "bitCount", vec![Long], |a| Ok(Value::Int(long(a, 0)?.count_ones() as i32))),
        (C, "reverse", vec![Long], |a| Ok(Value::Long(long(a, 0)?.reverse_bits()))),
        (C, "reverseBytes", vec![Long], |a| Ok(Value::Long(long(a, 0)?.swap_bytes()))),
        (C, "numberOfLeadingZeros", vec![Long], |a| Ok(Value::Int(long(a, 0)?.leading_zeros() as i32))),
        (C, "numberOfTrailingZeros", vec![Long], |a| Ok(Value::Int(long(a, 0)?.trailing_zeros() as i32))),
        (C, "signum", vec![Long], |a| Ok(Value::Int(long(a, 0)?.signum() as i32))),
        (C, "compare", vec![Long, Long], |a| Ok(Value::Int(long(a, 0)?.cmp(&long(a, 1)?) as i32))),
        (C, "sum", vec![Long, Long], |a| Ok(Value::Long(long(a, 0)?.wrapping_add(long(a, 1)?)))),
        (C, "max", vec![Long, Long], |a| Ok(Value::Long(long(a, 0)?.max(long(a, 1)?)))),
        (C, "min", vec![Long, Long], |a| Ok(Value::Long(long(a, 0)?.min(long(a, 1)?)))),
    ]
}

fn math_methods() -> Vec<Method> {
    use Kind::*;
    const C: &str = "java.lang.Math";
    let mut m: Vec<Method> = vec![
        (C, "abs", vec![Int], |a| Ok(Value::Int(int(a, 0)?.wrapping_abs()))),
        (C, "abs", vec![Long], |a| Ok(Value::Long(long(a, 0)?.wrapping_abs()))),
        (C, "abs", vec![Float], |a| Ok(Value::Float(float(a, 0)?.abs()))),
        (C, "abs", vec![Double], |a| Ok(Value::Double(double(a, 0)?.abs()))),
        (C, "max", vec![Int, Int], |a| Ok(Value::Int(int(a, 0)?.max(int(a, 1)?)))),
        (C, "max", vec![Long, Long], |a| Ok(Value::Long(long(a, 0)?.max(long(a, 1)?)))),
        (C, "max", vec![Float, Float], |a| Ok(Value::Float(java_max(f64::from(float(a, 0)?), f64::from(float(a, 1)?)) as f32))),
        (C, "max", vec![Double, Double], |a| Ok(Value::Double(java_max(double(a, 0)?, double(a, 1)?)))),
        (C, "min", vec![Int, Int], |a| Ok(Value::Int(int(a, 0)?.min(int(a, 1)?)))),
        (C, "min", vec![Long, Long], |a| Ok(Value::Long(long(a, 0)?.min(long(a, 1)?)))),
        (C, "min", vec![Float, Float], |a| Ok(Value::Float(java_min(f64::from(float(a, 0)?), f64::from(float(a, 1)?)) as f32))),
        (C, "min", vec![Double, Double], |a| Ok(Value::Double(java_min(double(a, 0)?, double(a, 1)?)))),
        (C, "pow", vec![Double, Double], |a| Ok(Value::Double(double(a, 0)?.powf(double(a, 1)?)))),
        (C, "atan2", vec![Double, Double], |a| Ok(Value::Double(double(a, 0)?.atan2(double(a, 1)?)))),
        (C, "hypot", vec![Double, Double], |a| Ok(Value::Double(double(a, 0)?.hypot(double(a, 1)?)))),
        (C, "round", vec![Double], |a| Ok(Value::Long(java_round(double(a, 0)?)))),
        (C, "round", vec![Float], |a| {
            let x = float(a, 0)?;
            Ok(Value::Int(if x.is_nan() { 0 } else { (f64::from(x) + 0.5).floor().clamp(f64::from(i32::MIN), f64::from(i32::MAX)) as i32 }))
        }),
        (C, "signum", vec![Float], |a| Ok(Value::Float(java_signum(f64::from(float(a, 0)?)) as f32))),
        (C, "signum", vec![Double], |a| Ok(Value::Double(java_signum(double(a, 0)?)))),
        (C, "random", vec![], |_| {
            let mut bytes = [0u8; 8];
            ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes).map_err(|_| "no random bytes".to_string())?;
            Ok(Value::Double((u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64))
        }),
        (C, "floorDiv", vec![Int, Int], |a| {
            let (x, y) = (int(a, 0)?, int(a, 1)?);
            if y == 0 { Err("java.lang.ArithmeticException: / by zero".into()) } else { Ok(Value::Int(x.wrapping_div(y) - i32::from((x % y != 0) && ((x < 0) != (y < 0))))) }
        }),
        (C, "floorDiv", vec![Long, Long], |a| {
            let (x, y) = (long(a, 0)?, long(a, 1)?);
            if y == 0 { Err("java.lang.ArithmeticException: / by zero".into()) } else { Ok(Value::Long(x.wrapping_div(y) - i64::from((x % y != 0) && ((x < 0) != (y < 0))))) }
        }),
        (C, "floorMod", vec![Int, Int], |a| {
            let (x, y) = (int(a, 0)?, int(a, 1)?);
            if y == 0 { Err("java.lang.ArithmeticException: / by zero".into()) } else { Ok(Value::Int(((x % y) + y) % y)) }
        }),
        (C, "floorMod", vec![Long, Long], |a| {
            let (x, y) = (long(a, 0)?, long(a, 1)?);
            if y == 0 { Err("java.lang.ArithmeticException: / by zero".into()) } else { Ok(Value::Long(((x % y) + y) % y)) }
        }),
        (C, "addExact", vec![Int, Int], |a| int(a, 0)?.checked_add(int(a, 1)?).map(Value::Int).ok_or_else(|| overflow("integer"))),
        (C, "addExact", vec![Long, Long], |a| long(a, 0)?.checked_add(long(a, 1)?).map(Value::Long).ok_or_else(|| overflow("long"))),
        (C, "subtractExact", vec![Int, Int], |a| int(a, 0)?.checked_sub(int(a, 1)?).map(Value::Int).ok_or_else(|| overflow("integer"))),
        (C, "subtractExact", vec![Long, Long], |a| long(a, 0)?.checked_sub(long(a, 1)?).map(Value::Long).ok_or_else(|| overflow("long"))),
        (C, "multiplyExact", vec![Int, Int], |a| int(a, 0)?.checked_mul(int(a, 1)?).map(Value::Int).ok_or_else(|| overflow("integer"))),
        (C, "multiplyExact", vec![Long, Long], |a| long(a, 0)?.checked_mul(long(a, 1)?).map(Value::Long).ok_or_else(|| overflow("long"))),
        (C, "negateExact", vec![Int], |a| int(a, 0)?.checked_neg().map(Value::Int).ok_or_else(|| overflow("integer"))),
        (C, "negateExact", vec![Long], |a| long(a, 0)?.checked_neg().map(Value::Long).ok_or_else(|| overflow("long"))),
    ];
    // The one-argument functions of a double.
    let unary: [(&'static str, Body); 21] = [
        ("sqrt", |a| Ok(Value::Double(double(a, 0)?.sqrt()))),
        ("cbrt", |a| Ok(Value::Double(double(a, 0)?.cbrt()))),
        ("exp", |a| Ok(Value::Double(double(a, 0)?.exp()))),
        ("expm1", |a| Ok(Value::Double(double(a, 0)?.exp_m1()))),
        ("log", |a| Ok(Value::Double(double(a, 0)?.ln()))),
        ("log10", |a| Ok(Value::Double(double(a, 0)?.log10()))),
        ("log1p", |a| Ok(Value::Double(double(a, 0)?.ln_1p()))),
        ("sin", |a| Ok(Value::Double(double(a, 0)?.sin()))),
        ("cos", |a| Ok(Value::Double(double(a, 0)?.cos()))),
        ("tan", |a| Ok(Value::Double(double(a, 0)?.tan()))),
        ("asin", |a| Ok(Value::Double(double(a, 0)?.asin()))),
        ("acos", |a| Ok(Value::Double(double(a, 0)?.acos()))),
        ("atan", |a| Ok(Value::Double(double(a, 0)?.atan()))),
        ("sinh", |a| Ok(Value::Double(double(a, 0)?.sinh()))),
        ("cosh", |a| Ok(Value::Double(double(a, 0)?.cosh()))),
        ("tanh", |a| Ok(Value::Double(double(a, 0)?.tanh()))),
        ("ceil", |a| Ok(Value::Double(double(a, 0)?.ceil()))),
        ("floor", |a| Ok(Value::Double(double(a, 0)?.floor()))),
        ("rint", |a| Ok(Value::Double(double(a, 0)?.round_ties_even()))),
        ("toDegrees", |a| Ok(Value::Double(double(a, 0)?.to_degrees()))),
        ("toRadians", |a| Ok(Value::Double(double(a, 0)?.to_radians()))),
    ];
    m.extend(unary.into_iter().map(|(name, body)| (C, name, vec![Double], body)));
    m
}

/// `Math.max` of doubles: NaN if either is, and 0.0 above -0.0.
fn java_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        return f64::NAN;
    }
    if a == 0.0 && b == 0.0 {
        return if a.is_sign_negative() && b.is_sign_negative() { -0.0 } else { 0.0 };
    }
    a.max(b)
}

/// `Math.min` of doubles: NaN if either is, and -0.0 below 0.0.
fn java_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        return f64::NAN;
    }
    if a == 0.0 && b == 0.0 {
        return if a.is_sign_negative() || b.is_sign_negative() { -0.0 } else { 0.0 };
    }
    a.min(b)
}

fn java_signum(x: f64) -> f64 {
    if x == 0.0 || x.is_nan() { x } else { x.signum() }
}

/// `Math.round(double)`: the nearest long, ties up; NaN is 0 and the range saturates.
fn java_round(x: f64) -> i64 {
    if x.is_nan() {
        return 0;
    }
    (x + 0.5).floor().clamp(i64::MIN as f64, i64::MAX as f64) as i64
}

/// `Double.compare`: -0.0 below 0.0 and NaN above everything.
fn java_compare(a: f64, b: f64) -> i32 {
    a.total_cmp(&b) as i32
}

fn number_format(s: &str, radix: i32) -> Thrown {
    let suffix = if radix == 10 { String::new() } else { format!(" under radix {radix}") };
    format!("java.lang.NumberFormatException: For input string: \"{s}\"{suffix}")
}

/// `Long.parseLong(s, radix)`: an optional sign and the radix's digits, nothing else.
fn parse_whole(s: &str, radix: i32) -> Result<i64, Thrown> {
    let Ok(r) = u32::try_from(radix) else { return Err(format!("java.lang.NumberFormatException: radix {radix} less than Character.MIN_RADIX")) };
    if !(2..=36).contains(&r) {
        return Err(format!("java.lang.NumberFormatException: radix {radix} out of range"));
    }
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() {
        return Err(number_format(s, radix));
    }
    let mut value: i64 = 0;
    for c in digits.chars() {
        let d = c.to_digit(r).ok_or_else(|| number_format(s, radix))?;
        value = value.checked_mul(i64::from(r)).and_then(|v| if negative { v.checked_sub(i64::from(d)) } else { v.checked_add(i64::from(d)) }).ok_or_else(|| number_format(s, radix))?;
    }
    Ok(value)
}

/// `Integer.parseInt` of the first argument.
fn parse_int(a: &[Value], radix: i32) -> Result<i32, Thrown> {
    let v = parse_long(a, radix)?;
    i32::try_from(v).map_err(|_| number_format(text(a, 0).unwrap_or_default(), radix))
}

/// `Long.parseLong` of the first argument.
fn parse_long(a: &[Value], radix: i32) -> Result<i64, Thrown> {
    let s = text(a, 0).ok_or_else(|| "java.lang.NumberFormatException: Cannot parse null string: null".to_string())?;
    parse_whole(s, radix)
}

/// `Long.toString(v, radix)`: lower-case digits, a sign; radix 10 outside 2..36.
fn radix_text(v: i64, radix: i32) -> String {
    let r = if (2..=36).contains(&radix) { radix as u64 } else { 10 };
    let mut n = v.unsigned_abs();
    let mut digits = Vec::new();
    loop {
        digits.push(std::char::from_digit((n % r) as u32, r as u32).unwrap_or('0'));
        n /= r;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        digits.push('-');
    }
    digits.iter().rev().collect()
}

/// `Double.parseDouble`: surrounding blanks, `NaN`, `Infinity` and a trailing `d`/`f` allowed.
fn parse_double(s: &str) -> Result<f64, Thrown> {
    java_double(s).ok_or_else(|| format!("java.lang.NumberFormatException: For input string: \"{s}\""))
}

/// A double as Java's `Double.parseDouble` reads it (characters up to a space around it, `NaN`,
/// `Infinity`, a `d` or `f` suffix); None where Java throws.
pub(crate) fn java_double(s: &str) -> Option<f64> {
    let t = s.trim_matches(|c: char| c <= ' ');
    let unsigned = t.trim_start_matches(['+', '-']);
    match unsigned {
        "NaN" => return Some(f64::NAN),
        "Infinity" => return Some(if t.starts_with('-') { f64::NEG_INFINITY } else { f64::INFINITY }),
        _ => {}
    }
    let t = t.strip_suffix(['d', 'D', 'f', 'F']).unwrap_or(t);
    if t.is_empty() || t.chars().any(|c| !(c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))) {
        return None;
    }
    t.parse::<f64>().ok()
}

/// `UUID.fromString`: five groups of hex digits, printed back in the canonical form.
fn uuid_from_string(s: &str) -> Result<String, Thrown> {
    let bad = || format!("java.lang.IllegalArgumentException: Invalid UUID string: {s}");
    let parts: Vec<&str> = s.split('-').collect();
    let widths = [8, 4, 4, 4, 12];
    if parts.len() != 5 || s.len() > 36 {
        return Err(bad());
    }
    let mut out = Vec::with_capacity(5);
    for (part, width) in parts.iter().zip(widths) {
        if part.is_empty() || part.len() > width {
            return Err(bad());
        }
        let v = u64::from_str_radix(part, 16).map_err(|_| bad())?;
        out.push(format!("{v:0width$x}"));
    }
    Ok(out.join("-"))
}

/// The charset a URL codec is named, as Java knows them.
fn charset(name: &str) -> Result<&'static str, Thrown> {
    match name.to_ascii_uppercase().replace('_', "-").as_str() {
        "UTF-8" | "UTF8" => Ok("UTF-8"),
        "ISO-8859-1" | "ISO8859-1" | "LATIN1" => Ok("ISO-8859-1"),
        "US-ASCII" | "ASCII" => Ok("US-ASCII"),
        _ => Err(format!("java.io.UnsupportedEncodingException: {name}")),
    }
}

/// `URLEncoder.encode`: letters, digits and `.-*_` kept, spaces as `+`, other bytes as `%XX`.
fn url_encode(s: &str, charset_name: &str) -> Result<String, Thrown> {
    let cs = charset(charset_name)?;
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '*' | '_') {
            out.push(c);
        } else if c == ' ' {
            out.push('+');
        } else {
            let bytes: Vec<u8> = match cs {
                "UTF-8" => c.to_string().into_bytes(),
                "ISO-8859-1" => vec![u8::try_from(u32::from(c)).unwrap_or(b'?')],
                _ => vec![if c.is_ascii() { c as u8 } else { b'?' }],
            };
            for b in bytes {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    Ok(out)
}

/// `URLDecoder.decode`: `+` as a space and runs of `%XX` as the charset's characters.
fn url_decode(s: &str, charset_name: &str) -> Result<String, Thrown> {
    let cs = charset(charset_name)?;
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(' ');
                i += 1;
            }
            b'%' => {
                let mut run = Vec::new();
                while i < bytes.len() && bytes[i] == b'%' {
                    let Some(hex) = s.get(i + 1..i + 3) else {
                        return Err("java.lang.IllegalArgumentException: URLDecoder: Incomplete trailing escape (%) pattern".into());
                    };
                    let b = u8::from_str_radix(hex, 16).map_err(|_| {
                        format!("java.lang.IllegalArgumentException: URLDecoder: Illegal hex characters in escape (%) pattern - {hex}")
                    })?;
                    run.push(b);
                    i += 3;
                }
                match cs {
                    "UTF-8" => out.push_str(&String::from_utf8_lossy(&run)),
                    "ISO-8859-1" => out.extend(run.iter().map(|b| char::from(*b))),
                    _ => out.extend(run.iter().map(|b| if b.is_ascii() { char::from(*b) } else { '\u{FFFD}' })),
                }
            }
            _ => {
                let c = s[i..].chars().next().unwrap_or('\u{FFFD}');
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Kind::*;

    fn call(class: &str, name: &str, args: Vec<Value>) -> Result<Option<String>, Thrown> {
        let kinds: Vec<Kind> = args
            .iter()
            .map(|v| match v {
                Value::Int(_) => Int,
                Value::Long(_) => Long,
                Value::Double(_) => Double,
                Value::Float(_) => Float,
                Value::Boolean(_) => Boolean,
                _ => Text,
            })
            .collect();
        let body = find(class, name, &kinds).expect("method");
        body(&args).map(|v| v.text())
    }

    fn s(x: &str) -> Value {
        Value::Text(x.into())
    }

    #[test]
    fn answers_as_java() {
        assert_eq!(call("java.lang.Math", "max", vec![Value::Int(2), Value::Int(3)]).unwrap().unwrap(), "3");
        assert_eq!(call("java.lang.Integer", "valueOf", vec![s("10"), Value::Int(16)]).unwrap().unwrap(), "16");
        assert_eq!(call("java.lang.String", "valueOf", vec![Value::Int(1)]).unwrap().unwrap(), "1");
        assert_eq!(call("java.lang.Math", "sqrt", vec![Value::Double(4.0)]).unwrap().unwrap(), "2.0");
        assert_eq!(call("java.lang.Math", "round", vec![Value::Double(-2.5)]).unwrap().unwrap(), "-2");
        assert_eq!(call("java.lang.Integer", "toHexString", vec![Value::Int(-1)]).unwrap().unwrap(), "ffffffff");
        assert_eq!(call("java.lang.Long", "toString", vec![Value::Long(-255), Value::Int(16)]).unwrap().unwrap(), "-ff");
        let uuid = "a5cf6c42-0c85-418f-af6c-3e4e5b1328f2";
        assert_eq!(call("java.util.UUID", "fromString", vec![s(uuid)]).unwrap().unwrap(), uuid);
        assert_eq!(call("java.util.UUID", "fromString", vec![s("A-B-C-D-E")]).unwrap().unwrap(), "0000000a-000b-000c-000d-00000000000e");
        assert_eq!(call("java.net.URLEncoder", "encode", vec![s("a b&c=é"), s("UTF-8")]).unwrap().unwrap(), "a+b%26c%3D%C3%A9");
        assert_eq!(call("java.net.URLDecoder", "decode", vec![s("a+b%26c%3D%C3%A9"), s("UTF-8")]).unwrap().unwrap(), "a b&c=é");
        assert_eq!(call("java.lang.Double", "parseDouble", vec![s(" 1.5d ")]).unwrap().unwrap(), "1.5");
    }

    #[test]
    fn throws_as_java() {
        assert!(call("java.util.UUID", "fromString", vec![s("b")]).is_err());
        assert!(call("java.net.URLDecoder", "decode", vec![s("%")]).is_err());
        assert!(call("java.lang.Integer", "parseInt", vec![s("2147483648")]).is_err());
        assert!(call("java.lang.Math", "addExact", vec![Value::Int(i32::MAX), Value::Int(1)]).is_err());
        assert!(call("java.lang.Double", "parseDouble", vec![s("inf")]).is_err());
    }

    #[test]
    fn methods_are_found_by_exact_types() {
        assert!(find("java.lang.Math", "max", &[Long, Int]).is_none());
        assert!(find("java.lang.Math", "round", &[Double]).is_some());
        assert!(knows_class("java.lang.Math"));
        assert!(!knows_class("java.wrongclass.Math"));
    }
}
