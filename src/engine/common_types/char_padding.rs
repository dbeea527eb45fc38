//! Comparisons of CHAR(n) values, as Spark makes them: CHAR values are stored padded with spaces
//! to n characters, and text compared with one is padded to match. A string literal shorter than
//! n is padded to n (`c = 'ab'` for a CHAR(4) `c` compares `'ab  '`); a longer one pads the CHAR
//! side to its length instead; two CHARs of different lengths pad the shorter. IN lists of
//! literals are padded alike. Other text (a STRING column) is compared as it is, as in Spark.

use datafusion::common::DFSchema;
use datafusion::logical_expr::{lit, Expr, ExprSchemable};

/// The length of a CHAR(n) value, read from the catalog's type of the column it comes from.
fn char_length(e: &Expr, schema: &DFSchema) -> Option<usize> {
    let metadata = e.metadata(schema).ok()?;
    let declared = metadata.inner().get(hivewire_catalog::listing::HIVE_TYPE_KEY)?;
    match hivewire_catalog::types::character_length(declared)? {
        (n, true) => Some(n),
        (_, false) => None,
    }
}

/// The text of a string literal.
fn literal_text(e: &Expr) -> Option<&str> {
    match e {
        Expr::Literal(v, _) => v.try_as_str().flatten(),
        _ => None,
    }
}

fn padded(e: Expr, length: usize) -> Expr {
    match literal_text(&e) {
        Some(text) => {
            let missing = length.saturating_sub(text.chars().count());
            lit(format!("{text}{}", " ".repeat(missing)))
        }
        None => datafusion::functions::unicode::expr_fn::rpad(vec![e, lit(length as i64)]),
    }
}

/// The length a value must be padded to, and whether it is shorter.
fn pad_to(e: &mut Expr, own: usize, target: usize) -> bool {
    if own >= target {
        return false;
    }
    *e = padded(std::mem::take(e), target);
    true
}

/// The length of a value for padding: a CHAR's n, or a literal's characters.
fn length_of(e: &Expr, schema: &DFSchema) -> Option<(usize, bool)> {
    char_length(e, schema).map(|n| (n, true)).or_else(|| literal_text(e).map(|t| (t.chars().count(), false)))
}

/// A comparison's two sides padded as Spark pads them; true when either changed.
pub(super) fn compare(left: &mut Expr, right: &mut Expr, schema: &DFSchema) -> bool {
    let (Some((l, l_char)), Some((r, r_char))) = (length_of(left, schema), length_of(right, schema)) else { return false };
    if !(l_char || r_char) {
        return false;
    }
    let target = l.max(r);
    pad_to(left, l, target) | pad_to(right, r, target)
}

/// `x IN (literals...)` with a CHAR `x`, padded alike; true when any changed.
pub(super) fn in_list(expr: &mut Expr, list: &mut [Expr], schema: &DFSchema) -> bool {
    let Some(n) = char_length(expr, schema) else { return false };
    let Some(lengths) = list.iter().map(|e| literal_text(e).map(|t| t.chars().count())).collect::<Option<Vec<_>>>() else { return false };
    let target = lengths.iter().copied().fold(n, usize::max);
    let mut changed = pad_to(expr, n, target);
    for (e, own) in list.iter_mut().zip(lengths) {
        changed |= pad_to(e, own, target);
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    use datafusion::logical_expr::col;

    fn schema() -> DFSchema {
        let char_field = |name: &str, n: usize| {
            Field::new(name, DataType::Utf8, true).with_metadata([(hivewire_catalog::listing::HIVE_TYPE_KEY.to_string(), format!("char({n})"))].into())
        };
        DFSchema::try_from(Schema::new(vec![char_field("c4", 4), char_field("c6", 6), Field::new("s", DataType::Utf8, true)])).unwrap()
    }

    #[test]
    fn literals_and_shorter_chars_are_padded() {
        let s = schema();
        let (mut l, mut r) = (col("c4"), lit("ab"));
        assert!(compare(&mut l, &mut r, &s));
        assert_eq!(r, lit("ab  "));
        let (mut l, mut r) = (col("c4"), lit("abcdef"));
        assert!(compare(&mut l, &mut r, &s));
        assert!(matches!(l, Expr::ScalarFunction(_)));
        let (mut l, mut r) = (col("c4"), col("c6"));
        assert!(compare(&mut l, &mut r, &s));
        let (mut l, mut r) = (col("c4"), col("s"));
        assert!(!compare(&mut l, &mut r, &s));
        let (mut l, mut r) = (lit("a"), lit("ab"));
        assert!(!compare(&mut l, &mut r, &s));
    }

    #[test]
    fn in_lists_of_literals_are_padded() {
        let s = schema();
        let (mut x, mut list) = (col("c4"), vec![lit("a"), lit("abcde")]);
        assert!(in_list(&mut x, &mut list, &s));
        assert_eq!(list, vec![lit("a    "), lit("abcde")]);
    }
}
