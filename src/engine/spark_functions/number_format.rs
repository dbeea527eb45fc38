//! `to_char(number, format)` and `to_varchar`: a number written by a number format, as Spark
//! writes it. The format's characters are those `to_number` reads: digits `0`/`9` (a run before
//! the point that starts with `0` pads with zeros, else with spaces), a point `.`/`D`, grouping
//! separators `,`/`G` (written only after a digit), `$`, a sign `S` at either end, `MI` and `PR`.
//! A number with more digits than the format has places, before or after the point, is written
//! with `#` in every digit place. Without a sign in the format, a negative number loses its sign.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Decimal128Type};
use datafusion::common::{exec_err, Result};

/// One element of a number format.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Token {
    /// A digit place; true for `0`.
    Digit(bool),
    Point,
    Separator,
    Dollar,
    Sign,
    Minus,
    Brackets,
}

fn tokens(format: &str) -> Result<Vec<Token>> {
    let upper = format.to_ascii_uppercase();
    let mut out = Vec::with_capacity(upper.len());
    let mut rest = upper.as_str();
    while let Some(c) = rest.chars().next() {
        let (token, len) = match c {
            '0' => (Token::Digit(true), 1),
            '9' => (Token::Digit(false), 1),
            '.' | 'D' => (Token::Point, 1),
            ',' | 'G' => (Token::Separator, 1),
            '$' => (Token::Dollar, 1),
            'S' => (Token::Sign, 1),
            'M' if rest.starts_with("MI") => (Token::Minus, 2),
            'P' if rest.starts_with("PR") => (Token::Brackets, 2),
            _ => return exec_err!("[INVALID_FORMAT.UNEXPECTED_TOKEN] the number format '{format}' has '{c}', which no number format has"),
        };
        out.push(token);
        rest = &rest[len..];
    }
    if out.iter().filter(|t| **t == Token::Point).count() > 1 || !out.iter().any(|t| matches!(t, Token::Digit(_))) {
        return exec_err!("[INVALID_FORMAT] the number format '{format}' needs digits and at most one point");
    }
    Ok(out)
}

/// The number's digits before the point (no leading zeros) and after it (no trailing zeros), and
/// whether it is negative.
fn digits(plain: &str) -> (String, String, bool) {
    let negative = plain.starts_with('-');
    let unsigned = plain.trim_start_matches('-');
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    (whole.trim_start_matches('0').to_string(), fraction.trim_end_matches('0').to_string(), negative)
}

/// The number written by the format.
fn write(plain: &str, format: &[Token]) -> String {
    let (whole, fraction, negative) = digits(plain);
    let point = format.iter().position(|t| *t == Token::Point);
    let before_places = format[..point.unwrap_or(format.len())].iter().filter(|t| matches!(t, Token::Digit(_))).count();
    let after_places = point.map_or(0, |p| format[p..].iter().filter(|t| matches!(t, Token::Digit(_))).count());
    let overflow = whole.len() > before_places || fraction.len() > after_places;
    // With a point and no whole digits, the last place before it shows 0, unless a leading sign
    // is to stand there.
    let leading_sign = format.first() == Some(&Token::Sign);
    let whole = if whole.is_empty() && point.is_some() && before_places > 0 && !leading_sign { "0".to_string() } else { whole };
    let zero_padded = format.iter().find(|t| matches!(t, Token::Digit(_))) == Some(&Token::Digit(true));
    let mut out = String::new();
    let mut place = 0usize;
    let mut after = 0usize;
    let mut written_digit = false;
    let mut sign_pending = false;
    for (i, token) in format.iter().enumerate() {
        let before_point = point.is_none_or(|p| i < p);
        match token {
            Token::Digit(_) if overflow => out.push('#'),
            Token::Digit(_) if before_point => {
                let skip = before_places - whole.len();
                if place < skip {
                    out.push(if zero_padded { '0' } else { ' ' });
                    written_digit |= zero_padded;
                } else {
                    if sign_pending {
                        out.push(if negative { '-' } else { '+' });
                        sign_pending = false;
                    }
                    out.push(whole.as_bytes()[place - skip] as char);
                    written_digit = true;
                }
                place += 1;
            }
            Token::Digit(_) => {
                out.push(fraction.as_bytes().get(after).map_or('0', |b| *b as char));
                after += 1;
            }
            Token::Point => {
                if sign_pending {
                    out.push(if negative { '-' } else { '+' });
                    sign_pending = false;
                }
                out.push('.');
            }
            Token::Separator => out.push(if written_digit && !overflow { ',' } else { ' ' }),
            Token::Dollar => out.push('$'),
            Token::Sign if i == 0 && !overflow => {
                // The sign goes right before the first digit written.
                if zero_padded || whole.len() == before_places {
                    out.push(if negative { '-' } else { '+' });
                } else {
                    sign_pending = true;
                }
            }
            Token::Sign => out.push(if negative { '-' } else { '+' }),
            Token::Minus => out.push(if negative { '-' } else { ' ' }),
            Token::Brackets => {}
        }
    }
    if sign_pending {
        out.insert(0, if negative { '-' } else { '+' });
    }
    if format.contains(&Token::Brackets) {
        out = if negative { format!("<{out}>") } else { format!("{out}  ") };
    }
    out
}

/// The plain decimal text of each value (NULL for NULL).
fn plain_values(value: &ArrayRef) -> Result<Vec<Option<String>>> {
    let decimal = match value.data_type() {
        DataType::Decimal128(_, _) => value.clone(),
        DataType::Float16 | DataType::Float32 | DataType::Float64 => cast(value, &DataType::Decimal128(38, 18))?,
        _ => cast(value, &DataType::Decimal128(38, 0))?,
    };
    let DataType::Decimal128(_, scale) = decimal.data_type() else { return exec_err!("to_char takes a number") };
    let scale = *scale;
    let values = decimal.as_primitive::<Decimal128Type>();
    Ok(values.iter().map(|v| v.map(|v| decimal_text(v, scale))).collect())
}

fn decimal_text(unscaled: i128, scale: i8) -> String {
    let digits = unscaled.unsigned_abs().to_string();
    let sign = if unscaled < 0 { "-" } else { "" };
    let scale = usize::try_from(scale.max(0)).unwrap_or(0);
    if scale == 0 {
        return format!("{sign}{digits}");
    }
    let padded = format!("{digits:0>width$}", width = scale + 1);
    let (whole, fraction) = padded.split_at(padded.len() - scale);
    format!("{sign}{whole}.{fraction}")
}

/// Whether `to_char` of this type writes a number rather than a time.
pub(super) fn is_number(t: &DataType) -> bool {
    t.is_numeric()
}

/// `to_char(number, format)` over a batch.
pub(super) fn to_char(value: &ArrayRef, format: &ArrayRef, rows: usize) -> Result<ArrayRef> {
    let plain = plain_values(value)?;
    let format = cast(format, &DataType::Utf8)?;
    let format = format.as_string::<i32>();
    let at = super::row_of;
    let mut parsed: Option<(String, Vec<Token>)> = None;
    let mut out = StringBuilder::new();
    for i in 0..rows {
        let (vi, fi) = (at(value, i), at(format, i));
        let (Some(text), false) = (plain.get(vi).cloned().flatten(), format.is_null(fi)) else {
            out.append_null();
            continue;
        };
        let pattern = format.value(fi);
        if parsed.as_ref().is_none_or(|(p, _)| p != pattern) {
            parsed = Some((pattern.to_string(), tokens(pattern)?));
        }
        let Some((_, format_tokens)) = &parsed else { continue };
        out.append_value(write(&text, format_tokens));
    }
    Ok(Arc::new(out.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(n: &str, f: &str) -> String {
        write(n, &tokens(f).unwrap())
    }

    #[test]
    fn numbers_are_written_as_spark_writes_them() {
        assert_eq!(w("78.12", "$99.99"), "$78.12");
        assert_eq!(w("111.11", "99.9"), "##.#");
        assert_eq!(w("12454.8", "99,999.9S"), "12,454.8+");
        assert_eq!(w("-12454.8", "99G999D9S"), "12,454.8-");
        assert_eq!(w("454", "00000"), "00454");
        assert_eq!(w("454", "99999"), "  454");
        assert_eq!(w("-454", "999MI"), "454-");
        assert_eq!(w("454", "999MI"), "454 ");
        assert_eq!(w("-454", "999PR"), "<454>");
        assert_eq!(w("454", "999PR"), "454  ");
        assert_eq!(w("0.5", "99.99"), " 0.50");
        assert_eq!(w("0", "999"), "   ");
        assert_eq!(w("1234567", "9,999"), "# ###");
        assert_eq!(w("12", "9,999"), "   12");
        assert_eq!(w("7", "0,000"), "0,007");
        assert_eq!(w("7", "S999"), "  +7");
        assert_eq!(w("-1234.5", "S9,999.99"), "-1,234.50");
        assert_eq!(w("-1234", "$9,999PR"), "<$1,234>");
        assert_eq!(w("-5", "$999"), "$  5");
        assert_eq!(w("0.05", "0.99"), "0.05");
        assert_eq!(w("-0.4", "9.9MI"), "0.4-");
        assert_eq!(w("-0.25", "S99,999.99"), "      -.25");
        assert_eq!(w("-0.25", "$99,999.00MI"), "$     0.25-");
    }

    #[test]
    fn decimals_print_plainly() {
        assert_eq!(decimal_text(-1234, 2), "-12.34");
        assert_eq!(decimal_text(5, 3), "0.005");
        assert_eq!(decimal_text(42, 0), "42");
    }
}
