//! Spark's common type of values put together in one result: CASE and IF branches, `coalesce`
//! arguments, array elements, IN lists and UNION columns. It differs from DataFusion's in three
//! places. Text beside another type is read as that type under ANSI rules (a BIGINT beside a
//! whole number, a DOUBLE beside a fraction, a DATE, TIMESTAMP, BOOLEAN or BINARY beside one),
//! and the other type is written as text without them. A FLOAT beside a whole number is a DOUBLE
//! under ANSI rules. A DECIMAL beside a FLOAT or DOUBLE is a DOUBLE. Types with no common type
//! (a number beside a BOOLEAN or a DATE) are an error, as in Spark.
//!
//! Only plain types are judged here; arrays, maps, structs, unsigned and mixed-unit types are
//! left to DataFusion's own rules.

use datafusion::arrow::datatypes::DataType;

/// The rules one session's values follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SparkRules {
    /// `spark.sql.ansi.enabled`.
    pub ansi: bool,
    /// Whether text takes part (false for `greatest` and `least`, which refuse text beside
    /// numbers in Spark and are left to DataFusion here).
    pub text: bool,
}

/// What the types of values put together come to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Common {
    /// Every value is cast to this type.
    Type(DataType),
    /// Nothing to change: one type, or types these rules do not judge.
    Unjudged,
    /// Spark has no common type of these.
    Mismatch,
}

/// The kind of a plain type, as Spark's rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Null,
    /// A signed whole number, by width: 1 for TINYINT up to 4 for BIGINT.
    Whole(u8),
    Float,
    Double,
    Decimal(u8, i8),
    Text,
    Boolean,
    Binary,
    Date,
    Timestamp,
    Interval,
    Other,
}

fn kind(t: &DataType) -> Kind {
    match t {
        DataType::Null => Kind::Null,
        DataType::Int8 => Kind::Whole(1),
        DataType::Int16 => Kind::Whole(2),
        DataType::Int32 => Kind::Whole(3),
        DataType::Int64 => Kind::Whole(4),
        DataType::Float32 => Kind::Float,
        DataType::Float64 => Kind::Double,
        DataType::Decimal128(p, s) => Kind::Decimal(*p, *s),
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => Kind::Text,
        DataType::Boolean => Kind::Boolean,
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView => Kind::Binary,
        DataType::Date32 => Kind::Date,
        DataType::Timestamp(..) => Kind::Timestamp,
        DataType::Interval(_) | DataType::Duration(_) => Kind::Interval,
        _ => Kind::Other,
    }
}

/// The DECIMAL that holds every value of a whole-number type, as Spark counts it.
fn held(t: &DataType) -> (u8, i8) {
    let (p, s) = crate::engine::spark_functions::decimal_arith::decimal_of(t).unwrap_or((20, 0));
    (u8::try_from(p).unwrap_or(38), i8::try_from(s).unwrap_or(0))
}

/// The narrowest DECIMAL that holds both, its precision capped at 38.
fn wider_decimal((p1, s1): (u8, i8), (p2, s2): (u8, i8)) -> DataType {
    let scale = s1.max(s2);
    let whole = (i16::from(p1) - i16::from(s1)).max(i16::from(p2) - i16::from(s2));
    let precision = (whole + i16::from(scale)).clamp(1, 38) as u8;
    DataType::Decimal128(precision, scale.min(precision as i8))
}

/// The common type of two types, each not NULL and not equal.
fn wider(a: &DataType, b: &DataType, rules: SparkRules) -> Common {
    use Kind::*;
    let (ka, kb) = (kind(a), kind(b));
    let text_beside = |other: Kind, other_type: &DataType| -> Common {
        if !rules.text {
            return Common::Unjudged;
        }
        match (rules.ansi, other) {
            (_, Text) => Common::Type(DataType::Utf8),
            (true, Whole(_)) => Common::Type(DataType::Int64),
            (true, Float | Double | Decimal(..)) => Common::Type(DataType::Float64),
            (true, Boolean | Binary | Date | Timestamp) => Common::Type(other_type.clone()),
            (true, Interval) | (false, Boolean | Binary) => Common::Mismatch,
            (false, Whole(_) | Float | Double | Decimal(..) | Date | Timestamp | Interval) => Common::Type(DataType::Utf8),
            (_, Null | Other) => Common::Unjudged,
        }
    };
    match (ka, kb) {
        (Other, _) | (_, Other) => Common::Unjudged,
        (Text, other) => text_beside(other, b),
        (other, Text) => text_beside(other, a),
        (Whole(x), Whole(y)) => Common::Type(if x >= y { a.clone() } else { b.clone() }),
        (Whole(_), Float) | (Float, Whole(_)) => Common::Type(if rules.ansi { DataType::Float64 } else { DataType::Float32 }),
        (Whole(_) | Float | Double | Decimal(..), Float | Double) | (Float | Double, Whole(_) | Decimal(..)) => Common::Type(DataType::Float64),
        (Whole(_), Decimal(p, s)) => Common::Type(wider_decimal(held(a), (p, s))),
        (Decimal(p, s), Whole(_)) => Common::Type(wider_decimal(held(b), (p, s))),
        (Decimal(p1, s1), Decimal(p2, s2)) => Common::Type(wider_decimal((p1, s1), (p2, s2))),
        (Date, Timestamp) => Common::Type(b.clone()),
        (Timestamp, Date) => Common::Type(a.clone()),
        // Timestamps of different units or zones, intervals of different kinds.
        (Timestamp, Timestamp) | (Interval, Interval) | (Null, _) | (_, Null) => Common::Unjudged,
        (Whole(_) | Float | Double | Decimal(..) | Boolean | Binary | Date | Timestamp | Interval, _) => Common::Mismatch,
    }
}

/// The common type of values of these types under Spark's rules. NULLs take any type.
pub(crate) fn common_type(types: &[DataType], rules: SparkRules) -> Common {
    let mut present = types.iter().filter(|t| !t.is_null());
    let Some(first) = present.next() else { return Common::Unjudged };
    let mut acc = first.clone();
    let mut differ = false;
    for t in present {
        if *t == acc || kind(t) == Kind::Text && kind(&acc) == Kind::Text {
            continue;
        }
        differ = true;
        match wider(&acc, t, rules) {
            Common::Type(w) => acc = w,
            other => return other,
        }
    }
    if differ { Common::Type(acc) } else { Common::Unjudged }
}

/// Whether a type is text.
pub(crate) fn is_text(t: &DataType) -> bool {
    kind(t) == Kind::Text
}

/// Whether a value of type `t` needs a cast to become `target`: not when it is NULL, already
/// the type, or text becoming text.
pub(crate) fn needs_cast(t: &DataType, target: &DataType) -> bool {
    !(t.is_null() || t == target || kind(t) == Kind::Text && kind(target) == Kind::Text)
}

/// Spark's name of a type in an error message (`INT`, `DECIMAL(3,1)`).
pub(crate) fn type_name(t: &DataType) -> String {
    hivewire_catalog::types::arrow_to_hive(t).unwrap_or_else(|_| t.to_string()).to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::datatypes::TimeUnit;

    const ANSI: SparkRules = SparkRules { ansi: true, text: true };
    const LEGACY: SparkRules = SparkRules { ansi: false, text: true };

    fn common(types: &[DataType], rules: SparkRules) -> Common {
        common_type(types, rules)
    }

    #[test]
    fn text_beside_numbers_follows_the_ansi_setting() {
        assert_eq!(common(&[DataType::Int32, DataType::Utf8], ANSI), Common::Type(DataType::Int64));
        assert_eq!(common(&[DataType::Utf8, DataType::Decimal128(3, 1)], ANSI), Common::Type(DataType::Float64));
        assert_eq!(common(&[DataType::Int32, DataType::Utf8], LEGACY), Common::Type(DataType::Utf8));
        assert_eq!(common(&[DataType::Date32, DataType::Utf8View], ANSI), Common::Type(DataType::Date32));
        assert_eq!(common(&[DataType::Date32, DataType::Utf8View], LEGACY), Common::Type(DataType::Utf8));
        assert_eq!(common(&[DataType::Boolean, DataType::Utf8], ANSI), Common::Type(DataType::Boolean));
        assert_eq!(common(&[DataType::Boolean, DataType::Utf8], LEGACY), Common::Mismatch);
        assert_eq!(common(&[DataType::Int32, DataType::Utf8], SparkRules { ansi: true, text: false }), Common::Unjudged);
    }

    #[test]
    fn numbers_widen_as_in_spark() {
        assert_eq!(common(&[DataType::Int8, DataType::Float32], ANSI), Common::Type(DataType::Float64));
        assert_eq!(common(&[DataType::Int8, DataType::Float32], LEGACY), Common::Type(DataType::Float32));
        assert_eq!(common(&[DataType::Float32, DataType::Decimal128(10, 0)], LEGACY), Common::Type(DataType::Float64));
        assert_eq!(common(&[DataType::Int32, DataType::Decimal128(2, 1)], ANSI), Common::Type(DataType::Decimal128(11, 1)));
        assert_eq!(common(&[DataType::Int16, DataType::Int64, DataType::Null], ANSI), Common::Type(DataType::Int64));
        assert_eq!(common(&[DataType::Decimal128(38, 0), DataType::Decimal128(38, 10)], ANSI), Common::Type(DataType::Decimal128(38, 10)));
    }

    #[test]
    fn one_type_or_unjudged_types_change_nothing() {
        assert_eq!(common(&[DataType::Int32, DataType::Null, DataType::Int32], ANSI), Common::Unjudged);
        assert_eq!(common(&[DataType::Utf8, DataType::Utf8View], ANSI), Common::Unjudged);
        let micros = DataType::Timestamp(TimeUnit::Microsecond, None);
        let nanos = DataType::Timestamp(TimeUnit::Nanosecond, None);
        assert_eq!(common(&[micros.clone(), nanos], ANSI), Common::Unjudged);
        assert_eq!(common(&[DataType::Date32, micros.clone()], LEGACY), Common::Type(micros));
        assert_eq!(common(&[DataType::UInt8, DataType::Utf8], ANSI), Common::Unjudged);
    }

    #[test]
    fn types_without_a_common_type_are_a_mismatch() {
        assert_eq!(common(&[DataType::Int32, DataType::Boolean], ANSI), Common::Mismatch);
        assert_eq!(common(&[DataType::Date32, DataType::Int32], LEGACY), Common::Mismatch);
        assert_eq!(common(&[DataType::Binary, DataType::Int32], ANSI), Common::Mismatch);
    }
}
