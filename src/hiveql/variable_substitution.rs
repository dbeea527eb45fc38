//! Hive's and Spark's `${...}` substitution: before a HiveQL statement is read, `${name}` is
//! replaced by the session setting `name` (or, failing that, `hivevar:name`), `${hivevar:name}`
//! by the setting made with `SET hivevar:name=...`, and `${hiveconf:name}` by the setting `name`,
//! as Spark Thrift Server does while `spark.sql.variable.substitute` is true (the default). The
//! text is put in as it was set, quotes included; a name nothing is set under reads as empty text,
//! as in Spark. `${env:...}` and `${system:...}` are left as written: the server's environment and
//! properties are not the client's to read.

/// The setting that turns substitution off.
pub const SETTING: &str = "spark.sql.variable.substitute";

/// Whether a character may stand in a reference's name.
fn name_char(c: char) -> bool {
    c.is_alphanumeric() || "._-:".contains(c)
}

/// The text of one reference (empty when nothing is set under its name), or None for a kind of
/// reference not read.
fn value_of(name: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    if let Some(var) = name.strip_prefix("hivevar:") {
        return Some(lookup(&format!("hivevar:{var}")).unwrap_or_default());
    }
    if let Some(conf) = name.strip_prefix("hiveconf:") {
        return Some(lookup(conf).unwrap_or_default());
    }
    if name.contains(':') {
        return None;
    }
    Some(lookup(name).or_else(|| lookup(&format!("hivevar:{name}"))).unwrap_or_default())
}

/// The statement with its `${...}` references replaced; None when it has none that are read.
pub fn substitute(sql: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    if !sql.contains("${") {
        return None;
    }
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    let mut changed = false;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find(|c: char| !name_char(c));
        match end.filter(|&e| e > 0 && after[e..].starts_with('}')) {
            Some(e) => match value_of(&after[..e], lookup) {
                Some(value) => {
                    out.push_str(&value);
                    changed = true;
                    rest = &after[e + 1..];
                }
                None => {
                    out.push_str(&rest[start..start + 2 + e + 1]);
                    rest = &after[e + 1..];
                }
            },
            None => {
                out.push_str("${");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(key: &str) -> Option<String> {
        match key {
            "hivevar:colname" => Some("'c'".into()),
            "n" => Some("5".into()),
            _ => None,
        }
    }

    #[test]
    fn references_take_the_settings_text() {
        assert_eq!(substitute("SELECT ${colname} || '_1'", &lookup).as_deref(), Some("SELECT 'c' || '_1'"));
        assert_eq!(substitute("SELECT ${n} + 1, '${hiveconf:n}', ${hivevar:colname}", &lookup).as_deref(), Some("SELECT 5 + 1, '5', 'c'"));
    }

    #[test]
    fn unset_names_read_as_empty_and_the_environment_is_not_read() {
        assert_eq!(substitute("SELECT '${missing}'", &lookup).as_deref(), Some("SELECT ''"));
        assert_eq!(substitute("SELECT '${env:HOME}', '${system:user.dir}'", &lookup), None);
        assert_eq!(substitute("SELECT '${'", &lookup), None);
    }
}
