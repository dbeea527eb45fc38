//! Java `DateTimeFormatter` patterns, as Spark's datetime functions take them: a pattern is runs
//! of one letter (`yyyy`, `MM`, `dd`), text, quoted (`'T'`, `''` for a quote) or not, and
//! optional sections in brackets (`[.SSSSSS]`), which text may leave out when it is read.

use datafusion::common::{exec_err, Result};

/// One piece of a pattern: a run of one letter, or text printed as it is.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Piece {
    Field(char, usize),
    Text(String),
    Optional(Vec<Piece>),
}

/// The most letters a field takes: Spark refuses longer runs (`MMMMM`, `EEEEE`, `ddd`).
fn widest(letter: char) -> usize {
    match letter {
        'M' | 'L' | 'E' | 'Q' | 'q' | 'G' | 'z' | 'O' => 4,
        'Z' => 5,
        'd' | 'H' | 'h' | 'k' | 'K' | 'm' | 's' | 'a' => 2,
        'D' => 3,
        'X' | 'x' => 5,
        _ => usize::MAX,
    }
}

/// The pieces of a Java date-time pattern.
pub(super) fn pieces(pattern: &str) -> Result<Vec<Piece>> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    let out = section(pattern, &chars, &mut i, false)?;
    Ok(out)
}

/// The pieces from `i` to the end, or to the `]` that closes an optional section.
fn section(pattern: &str, chars: &[char], i: &mut usize, nested: bool) -> Result<Vec<Piece>> {
    let mut out = Vec::new();
    while *i < chars.len() {
        let c = chars[*i];
        if c == '[' {
            *i += 1;
            out.push(Piece::Optional(section(pattern, chars, i, true)?));
        } else if c == ']' && nested {
            *i += 1;
            return Ok(out);
        } else if c == '\'' {
            // Quoted text; '' is a quote.
            let mut text = String::new();
            *i += 1;
            loop {
                match (chars.get(*i), chars.get(*i + 1)) {
                    (Some('\''), Some('\'')) => {
                        text.push('\'');
                        *i += 2;
                    }
                    (Some('\''), _) => {
                        *i += 1;
                        break;
                    }
                    (Some(ch), _) => {
                        text.push(*ch);
                        *i += 1;
                    }
                    (None, _) => return exec_err!("[INVALID_DATETIME_PATTERN] the pattern '{pattern}' has unclosed quoted text"),
                }
            }
            out.push(Piece::Text(if text.is_empty() { "'".into() } else { text }));
        } else if c.is_ascii_alphabetic() {
            let start = *i;
            while chars.get(*i) == Some(&c) {
                *i += 1;
            }
            if *i - start > widest(c) {
                return exec_err!("[INCONSISTENT_BEHAVIOR_CROSS_VERSION.DATETIME_PATTERN_RECOGNITION] the pattern '{pattern}' has {} '{c}' letters, more than Spark recognises", *i - start);
            }
            out.push(Piece::Field(c, *i - start));
        } else {
            out.push(Piece::Text(c.to_string()));
            *i += 1;
        }
    }
    if nested {
        return exec_err!("[INVALID_DATETIME_PATTERN] the pattern '{pattern}' has an optional section that is not closed");
    }
    Ok(out)
}
