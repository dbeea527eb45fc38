//! Hive partition paths: `dt=2024-01-01/h=3`, with Hive's escaping of special characters, and
//! `__HIVE_DEFAULT_PARTITION__` for NULL values.

/// The directory name Hive and Spark use for a NULL partition value.
pub const DEFAULT_PARTITION: &str = "__HIVE_DEFAULT_PARTITION__";

/// Characters Hive escapes as `%XX` in partition path names.
fn needs_escape(c: char) -> bool {
    (c as u32) < 0x20 || c == '\u{7f}' || "\"#%'*/:=?\\{[]^".contains(c)
}

/// Escapes a column name or value for use in a path.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if needs_escape(c) {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Undoes [`escape`]; malformed escapes are kept as they are.
pub fn unescape(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(v) = hex {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The relative path of a partition: `a=1/b=x`, ending without a slash.
pub fn spec_path(columns: &[&str], values: &[Option<String>]) -> String {
    columns
        .iter()
        .zip(values)
        .map(|(c, v)| format!("{}={}", escape(c), v.as_deref().map(escape).unwrap_or_else(|| DEFAULT_PARTITION.into())))
        .collect::<Vec<_>>()
        .join("/")
}

/// Parses a relative path such as `a=1/b=x` against the partition columns, in order. `None` if the
/// path does not name exactly those columns.
pub fn parse_spec_path(columns: &[&str], path: &str) -> Option<Vec<Option<String>>> {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    if parts.len() != columns.len() {
        return None;
    }
    parts
        .iter()
        .zip(columns)
        .map(|(p, c)| {
            let (k, v) = p.split_once('=')?;
            if !unescape(k).eq_ignore_ascii_case(c) {
                return None;
            }
            Some(if v == DEFAULT_PARTITION { None } else { Some(unescape(v)) })
        })
        .collect()
}

/// `a=1, b='x'` as Spark prints a partition in messages.
pub fn describe(columns: &[&str], values: &[Option<String>]) -> String {
    spec_path(columns, values).replace('/', ", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_round_trip_with_escapes_and_nulls() {
        let cols = ["dt", "h"];
        let vals = vec![Some("2024-01-01 10:00".to_string()), None];
        let p = spec_path(&cols, &vals);
        assert_eq!(p, "dt=2024-01-01 10%3A00/h=__HIVE_DEFAULT_PARTITION__");
        assert_eq!(parse_spec_path(&cols, &p), Some(vals));
        assert_eq!(parse_spec_path(&cols, "dt=1"), None);
        assert_eq!(parse_spec_path(&cols, "x=1/h=2"), None);
        assert_eq!(unescape("a%2Fb%"), "a/b%");
    }
}
