//! `jaro_winkler_similarity(a, b)`: how alike two strings are, from 0 to 1, as Spark measures it:
//! the Jaro similarity over UTF-16 code units (Java's characters), raised by a tenth of the
//! common prefix (up to four characters) times what is left.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Float64Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ScalarUDF, Signature, Volatility};

use super::{row_of, SparkFunction};

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    let returns = |_: &[DataType]| Ok(DataType::Float64);
    vec![SparkFunction::udf("jaro_winkler_similarity", Signature::any(2, Volatility::Immutable), returns, similarity_column)]
}

fn similarity_column(args: &[ArrayRef], rows: usize) -> Result<ArrayRef> {
    let (a, b) = (cast(&args[0], &DataType::Utf8)?, cast(&args[1], &DataType::Utf8)?);
    let (a, b) = (a.as_string::<i32>(), b.as_string::<i32>());
    let out: Float64Array = (0..rows)
        .map(|row| {
            let (i, j) = (row_of(a, row), row_of(b, row));
            (a.is_valid(i) && b.is_valid(j)).then(|| similarity(a.value(i), b.value(j)))
        })
        .collect();
    Ok(Arc::new(out))
}

fn similarity(a: &str, b: &str) -> f64 {
    if a == b {
        return 1.0;
    }
    let (a, b): (Vec<u16>, Vec<u16>) = (a.encode_utf16().collect(), b.encode_utf16().collect());
    let (shorter, longer) = if a.len() > b.len() { (&b, &a) } else { (&a, &b) };
    let range = (longer.len() / 2).saturating_sub(1);
    let mut taken = vec![false; longer.len()];
    let mut matched = Vec::with_capacity(shorter.len());
    for (i, c) in shorter.iter().enumerate() {
        let window = i.saturating_sub(range)..(i + range + 1).min(longer.len());
        if let Some(x) = window.into_iter().find(|x| !taken[*x] && longer[*x] == *c) {
            taken[x] = true;
            matched.push(*c);
        }
    }
    if matched.is_empty() {
        return 0.0;
    }
    let in_longer = longer.iter().zip(&taken).filter(|(_, t)| **t).map(|(c, _)| *c);
    let transposed = matched.iter().zip(in_longer).filter(|(x, y)| **x != *y).count();
    let m = matched.len() as f64;
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + (m - transposed as f64 / 2.0) / m) / 3.0;
    let prefix = a.iter().zip(&b).take(4).take_while(|(x, y)| x == y).count();
    jaro + 0.1 * prefix as f64 * (1.0 - jaro)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_as_spark() {
        assert_eq!(similarity("martha", "marhta"), 0.9611111111111111);
        assert_eq!(similarity("dixon", "dicksonx"), 0.8133333333333332);
        assert_eq!(similarity("", ""), 1.0);
        assert_eq!(similarity("abc", ""), 0.0);
        assert_eq!(similarity("ae", "aaaa"), 0.625);
        assert_eq!(similarity("\u{1F600}ab", "\u{1F600}ba"), 0.9333333333333333);
    }
}
