//! Spark's backslash escapes in string literals that sqlparser's tokenizer reads otherwise:
//! `\u0041` (a UTF-16 unit, so `\uD83D\uDE00` is one emoji), `\101` (three octal digits, the
//! first 0 to 3), and `\a` and `\f`, which Spark reads as the letters. Before parsing, each such
//! escape inside a quoted string is written as the character it stands for (or as the escape the
//! tokenizer reads as that character). The other escapes (`\n`, `\t`, `\'`, `\\`, `\%` kept as
//! written for LIKE, ...) the tokenizer already reads as Spark does.

use datafusion::sql::sqlparser::dialect::Dialect;
use datafusion::sql::sqlparser::tokenizer::{Token, Tokenizer};

use super::parse::{apply_edits, span_offset};

/// The text with Spark's escapes written out; None when it has none to write.
pub fn rewrite(sql: &str, dialect: &dyn Dialect) -> Option<String> {
    if !sql.contains('\\') {
        return None;
    }
    let tokens = Tokenizer::new(dialect, sql).with_unescape(false).tokenize_with_location().ok()?;
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for t in &tokens {
        let quote = match &t.token {
            Token::SingleQuotedString(s) if s.contains('\\') => '\'',
            Token::DoubleQuotedString(s) if s.contains('\\') => '"',
            _ => continue,
        };
        let (Some(a), Some(b)) = (span_offset(sql, &t.span.start), span_offset(sql, &t.span.end)) else { continue };
        let Some(raw) = sql.get(a..b) else { continue };
        if let Some(written) = write_out(raw, quote) {
            edits.push((a, b, written));
        }
    }
    apply_edits(sql, edits)
}

/// A quoted literal's text with Spark's own escapes written out, or None when it has none.
fn write_out(raw: &str, quote: char) -> Option<String> {
    let chars: Vec<char> = raw.chars().collect();
    let mut out = String::with_capacity(raw.len());
    let mut changed = false;
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '\\' || i + 1 >= chars.len() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let next = chars[i + 1];
        if let Some((unit, len)) = utf16_unit(&chars[i + 1..]) {
            let mut units = vec![unit];
            let mut end = i + 1 + len;
            // A high surrogate and the low one escaped after it make one character.
            if (0xD800..0xDC00).contains(&unit) && chars.get(end) == Some(&'\\') {
                if let Some((low, low_len)) = utf16_unit(&chars[end + 1..]).filter(|(u, _)| (0xDC00..0xE000).contains(u)) {
                    units.push(low);
                    end += 1 + low_len;
                }
            }
            for c in char::decode_utf16(units) {
                push_escaped(&mut out, c.unwrap_or(char::REPLACEMENT_CHARACTER), quote);
            }
            changed = true;
            i = end;
        } else if let Some(c) = octal(&chars[i + 1..]) {
            push_escaped(&mut out, c, quote);
            changed = true;
            i += 4;
        } else if next == 'a' || next == 'f' {
            out.push(next);
            changed = true;
            i += 2;
        } else {
            out.push('\\');
            out.push(next);
            i += 2;
        }
    }
    changed.then_some(out)
}

/// `uXXXX` at the start of `rest`: the UTF-16 unit and the characters it takes.
fn utf16_unit(rest: &[char]) -> Option<(u16, usize)> {
    if rest.first() != Some(&'u') || rest.len() < 5 || !rest[1..5].iter().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let hex: String = rest[1..5].iter().collect();
    Some((u16::from_str_radix(&hex, 16).ok()?, 5))
}

/// Three octal digits at the start of `rest`, the first 0 to 3: the character they name.
fn octal(rest: &[char]) -> Option<char> {
    let [a, b, c, ..] = rest else { return None };
    let digit = |d: &char, max: u32| d.to_digit(8).filter(|v| *v <= max);
    let code = digit(a, 3)? * 64 + digit(b, 7)? * 8 + digit(c, 7)?;
    char::from_u32(code)
}

/// `c` as the tokenizer reads it back inside a literal quoted with `quote`.
fn push_escaped(out: &mut String, c: char, quote: char) {
    match c {
        '\\' => out.push_str("\\\\"),
        '\0' => out.push_str("\\0"),
        c if c == quote => {
            out.push('\\');
            out.push(c);
        }
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hiveql::dialect::HiveQlDialect;

    fn r(sql: &str) -> Option<String> {
        rewrite(sql, &HiveQlDialect::default())
    }

    #[test]
    fn unicode_and_octal_escapes_are_written_out() {
        assert_eq!(r(r"SELECT '\u0057\u006F\u0072ld', '\110\151'").as_deref(), Some("SELECT 'World', 'Hi'"));
        assert_eq!(r(r"SELECT '\uD83D\uDE00'").as_deref(), Some("SELECT '😀'"));
        assert_eq!(r(r#"SELECT "\u0022x""#).as_deref(), Some(r#"SELECT "\"x""#));
        assert_eq!(r(r"SELECT '\u0027\u005C\000'").as_deref(), Some(r"SELECT '\'\\\0'"));
    }

    #[test]
    fn spark_reads_bell_and_form_feed_escapes_as_letters() {
        assert_eq!(r(r"SELECT '\a\f'").as_deref(), Some("SELECT 'af'"));
    }

    #[test]
    fn other_escapes_and_text_outside_strings_are_left_alone() {
        assert_eq!(r(r"SELECT '\n\t\%\'x', '\400', '\12x', '\u12'"), None);
        assert_eq!(r("SELECT 1"), None);
        assert_eq!(r(r"SELECT `a\u0041` FROM t -- '\u0041'"), None);
    }
}
