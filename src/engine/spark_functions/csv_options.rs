//! The options of Spark's CSV functions (`from_csv`, `schema_of_csv`, `to_csv`), given as a
//! `map('sep', ';', ...)`: the separator (`sep` or `delimiter`), `quote`, `escape`, `nullValue`,
//! `dateFormat`, `timestampFormat`, `mode` (PERMISSIVE or FAILFAST), `ignoreLeadingWhiteSpace`,
//! `ignoreTrailingWhiteSpace`, `quoteAll`, `nanValue`, `positiveInf`, `negativeInf` and
//! `columnNameOfCorruptRecord`. Keys are read without regard to case, as Spark reads them;
//! options Spark has for files only are accepted and ignored.

use datafusion::arrow::array::ArrayRef;
use datafusion::common::{exec_err, Result};

/// The options of one call, with Spark's defaults.
#[derive(Debug, Clone)]
pub(super) struct CsvOptions {
    pub sep: String,
    /// None where quoting is turned off (`quote` set to the empty text or `\u0000`).
    pub quote: Option<char>,
    pub escape: char,
    pub null_value: String,
    pub date_format: Option<String>,
    pub timestamp_format: Option<String>,
    pub failfast: bool,
    /// None where the function's own default holds (reading keeps spaces, writing trims them).
    pub ignore_leading: Option<bool>,
    pub ignore_trailing: Option<bool>,
    pub quote_all: bool,
    pub nan_value: String,
    pub positive_inf: String,
    pub negative_inf: String,
    pub corrupt_column: String,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            sep: ",".into(),
            quote: Some('"'),
            escape: '\\',
            null_value: String::new(),
            date_format: None,
            timestamp_format: None,
            failfast: false,
            ignore_leading: None,
            ignore_trailing: None,
            quote_all: false,
            nan_value: "NaN".into(),
            positive_inf: "Inf".into(),
            negative_inf: "-Inf".into(),
            corrupt_column: "_corrupt_record".into(),
        }
    }
}

/// The options of a call, from its options argument (a constant map); the defaults where there
/// is none or it is NULL.
pub(super) fn read(function: &str, options: Option<&ArrayRef>) -> Result<CsvOptions> {
    from_pairs(function, &super::options_map::entries(options)?)
}

/// The options named by (key, value) pairs, as the front end reads them from a literal map.
pub(super) fn from_pairs(function: &str, pairs: &[(String, String)]) -> Result<CsvOptions> {
    let mut o = CsvOptions::default();
    for (key, value) in pairs {
        o.set(function, key, value)?;
    }
    Ok(o)
}

/// A flag's value: `true` or `false`, without regard to case.
fn flag(function: &str, key: &str, value: &str) -> Result<bool> {
    match value.to_ascii_lowercase().as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => exec_err!("[INVALID_OPTIONS] {function}'s option {key} must be true or false, not '{value}'"),
    }
}

/// A single character option; the empty text (or `\u0000`) turns it off.
fn character(value: &str) -> Option<char> {
    let mut chars = value.chars();
    match (chars.next(), chars.next()) {
        (Some('\u{0}'), None) | (None, _) => None,
        (Some(c), None) => Some(c),
        // Spark reads `\t` written out as the tab.
        (Some('\\'), Some('t')) => Some('\t'),
        (Some(c), Some(_)) => Some(c),
    }
}

impl CsvOptions {
    fn set(&mut self, function: &str, key: &str, value: &str) -> Result<()> {
        match key.to_ascii_lowercase().as_str() {
            "sep" | "delimiter" => {
                self.sep = if value == "\\t" { "\t".into() } else { value.to_string() };
                if self.sep.is_empty() {
                    return exec_err!("[INVALID_OPTIONS] {function}'s separator cannot be empty");
                }
            }
            "quote" => self.quote = character(value),
            "escape" => self.escape = character(value).unwrap_or('\u{0}'),
            "nullvalue" => self.null_value = value.to_string(),
            "dateformat" => self.date_format = Some(value.to_string()),
            "timestampformat" => self.timestamp_format = Some(value.to_string()),
            "mode" => match value.to_ascii_uppercase().as_str() {
                "PERMISSIVE" => self.failfast = false,
                "FAILFAST" => self.failfast = true,
                _ => {
                    return exec_err!(
                        "[PARSE_MODE_UNSUPPORTED] The function `{function}` doesn't support the {value} mode. Acceptable modes are PERMISSIVE and FAILFAST."
                    )
                }
            },
            "ignoreleadingwhitespace" => self.ignore_leading = Some(flag(function, key, value)?),
            "ignoretrailingwhitespace" => self.ignore_trailing = Some(flag(function, key, value)?),
            "quoteall" => self.quote_all = flag(function, key, value)?,
            "nanvalue" => self.nan_value = value.to_string(),
            "positiveinf" => self.positive_inf = value.to_string(),
            "negativeinf" => self.negative_inf = value.to_string(),
            "columnnameofcorruptrecord" => self.corrupt_column = value.to_string(),
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_read_without_regard_to_case() {
        let mut o = CsvOptions::default();
        o.set("from_csv", "DELIMITER", "|").unwrap();
        o.set("from_csv", "nullValue", "NA").unwrap();
        o.set("from_csv", "Mode", "failfast").unwrap();
        assert_eq!((o.sep.as_str(), o.null_value.as_str(), o.failfast), ("|", "NA", true));
        assert!(o.set("from_csv", "mode", "DROPMALFORMED").is_err());
        o.set("from_csv", "sep", "\\t").unwrap();
        assert_eq!(o.sep, "\t");
    }
}
