//! Name patterns: Hive's `SHOW TABLES 'a*|b'` form and SQL LIKE, for the listing statements and the
//! protocol metadata calls.

/// Whether `name` matches a Hive pattern: `*` is any run of characters, `|` separates alternatives,
/// case is ignored.
pub fn hive_matches(pattern: &str, name: &str) -> bool {
    let name = name.to_lowercase();
    pattern.split('|').any(|alt| glob(alt.trim().to_lowercase().as_bytes(), name.as_bytes(), b'*', None))
}

/// Whether `name` matches a SQL LIKE pattern (`%` any run, `_` one character), ignoring case.
pub fn like_matches(pattern: &str, name: &str) -> bool {
    glob(pattern.to_lowercase().as_bytes(), name.to_lowercase().as_bytes(), b'%', Some(b'_'))
}

fn glob(p: &[u8], s: &[u8], many: u8, one: Option<u8>) -> bool {
    let (mut pi, mut si) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while si < s.len() {
        if pi < p.len() && (p[pi] == s[si] || Some(p[pi]) == one) {
            pi += 1;
            si += 1;
        } else if pi < p.len() && p[pi] == many {
            star = Some(pi);
            mark = si;
            pi += 1;
        } else if let Some(st) = star {
            pi = st + 1;
            mark += 1;
            si = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == many {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hive_patterns() {
        assert!(hive_matches("sales*", "sales_2024"));
        assert!(hive_matches("a|b*", "B1"));
        assert!(!hive_matches("a|b*", "c"));
        assert!(hive_matches("*", "anything"));
    }

    #[test]
    fn like_patterns() {
        assert!(like_matches("t_", "t1"));
        assert!(like_matches("%x%", "axb"));
        assert!(!like_matches("t_", "t12"));
    }
}
