//! Hive type names and their Arrow types, both ways.
//!
//! The catalog stores Hive type names (`int`, `decimal(10,2)`, `map<string,array<int>>`), which is what
//! DESCRIBE prints and what Hive and Spark understand. Planning needs Arrow types; this module is the one
//! place that converts between the two. It parses the type grammar itself because the SQL parser does not
//! accept Hive's `MAP<K,V>` and `STRUCT<a:T>` forms.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, Fields, TimeUnit};

use crate::error::{CatalogError, Result};

/// The timestamp type hivewire uses for Hive `TIMESTAMP`: microseconds, no zone, like Spark.
pub const TIMESTAMP: DataType = DataType::Timestamp(TimeUnit::Microsecond, None);

/// Parses a Hive type name into its Arrow type.
pub fn hive_to_arrow(type_name: &str) -> Result<DataType> {
    let mut p = TypeParser { s: type_name.as_bytes(), pos: 0, text: type_name };
    let t = p.parse_type()?;
    p.skip_ws();
    if p.pos != p.s.len() {
        return Err(p.error("unexpected text after the type"));
    }
    Ok(t)
}

/// Normalises a Hive type name to its canonical lower-case spelling, validating it.
pub fn canonical_hive_type(type_name: &str) -> Result<String> {
    let dt = hive_to_arrow(type_name)?;
    // Keep the declared character types: arrow_to_hive would turn them into `string`.
    let lowered: String = type_name.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
    if lowered.starts_with("varchar(") || lowered.starts_with("char(") {
        return Ok(lowered);
    }
    arrow_to_hive(&dt)
}

/// The declared length of a `char(n)` or `varchar(n)` type, and whether it is CHAR (padded);
/// None for any other type.
pub fn character_length(type_name: &str) -> Option<(usize, bool)> {
    let t = type_name.trim().to_ascii_lowercase();
    let (pad, rest) = match (t.strip_prefix("char("), t.strip_prefix("varchar(")) {
        (Some(rest), _) => (true, rest),
        (_, Some(rest)) => (false, rest),
        _ => return None,
    };
    Some((rest.strip_suffix(')')?.trim().parse().ok()?, pad))
}

/// The Hive type name for an Arrow type, for tables whose schema was inferred from files.
pub fn arrow_to_hive(dt: &DataType) -> Result<String> {
    Ok(match dt {
        DataType::Boolean => "boolean".into(),
        DataType::Int8 => "tinyint".into(),
        DataType::Int16 | DataType::UInt8 => "smallint".into(),
        DataType::Int32 | DataType::UInt16 => "int".into(),
        DataType::Int64 | DataType::UInt32 => "bigint".into(),
        DataType::UInt64 => "decimal(20,0)".into(),
        DataType::Float16 | DataType::Float32 => "float".into(),
        DataType::Float64 => "double".into(),
        DataType::Decimal32(p, s) | DataType::Decimal64(p, s) | DataType::Decimal128(p, s) => {
            format!("decimal({p},{s})")
        }
        DataType::Decimal256(p, s) => format!("decimal({},{s})", (*p).min(38)),
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null => "string".into(),
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView | DataType::FixedSizeBinary(_) => {
            "binary".into()
        }
        DataType::Date32 | DataType::Date64 => "date".into(),
        DataType::Timestamp(_, _) => "timestamp".into(),
        DataType::List(f) | DataType::LargeList(f) | DataType::ListView(f) | DataType::FixedSizeList(f, _) => {
            format!("array<{}>", arrow_to_hive(f.data_type())?)
        }
        DataType::Map(entries, _) => match entries.data_type() {
            DataType::Struct(kv) if kv.len() == 2 => {
                format!("map<{},{}>", arrow_to_hive(kv[0].data_type())?, arrow_to_hive(kv[1].data_type())?)
            }
            other => return Err(CatalogError::Invalid(format!("malformed map entries type {other}"))),
        },
        DataType::Struct(fields) => {
            let parts = fields
                .iter()
                .map(|f| Ok(format!("{}:{}", f.name(), arrow_to_hive(f.data_type())?)))
                .collect::<Result<Vec<_>>>()?;
            format!("struct<{}>", parts.join(","))
        }
        DataType::Dictionary(_, v) => arrow_to_hive(v)?,
        other => return Err(CatalogError::Invalid(format!("type {other} has no Hive equivalent"))),
    })
}

/// The Arrow list type Hive `ARRAY<T>` maps to.
pub fn list_of(item: DataType) -> DataType {
    DataType::List(Arc::new(Field::new("element", item, true)))
}

/// The Arrow map type Hive `MAP<K,V>` maps to.
pub fn map_of(key: DataType, value: DataType) -> DataType {
    let entries = Fields::from(vec![Field::new("key", key, false), Field::new("value", value, true)]);
    DataType::Map(Arc::new(Field::new("key_value", DataType::Struct(entries), false)), false)
}

struct TypeParser<'a> {
    s: &'a [u8],
    pos: usize,
    text: &'a str,
}

impl TypeParser<'_> {
    fn error(&self, what: &str) -> CatalogError {
        CatalogError::Invalid(format!("invalid type '{}': {what} at character {}", self.text, self.pos + 1))
    }

    fn skip_ws(&mut self) {
        while self.pos < self.s.len() && self.s[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn word(&mut self) -> String {
        self.skip_ws();
        let start = self.pos;
        while self.pos < self.s.len() && (self.s[self.pos].is_ascii_alphanumeric() || self.s[self.pos] == b'_') {
            self.pos += 1;
        }
        String::from_utf8_lossy(&self.s[start..self.pos]).to_lowercase()
    }

    /// A field name inside STRUCT<...>: a word or a backtick-quoted name, case kept.
    fn field_name(&mut self) -> Result<String> {
        self.skip_ws();
        if self.peek() == Some(b'`') {
            self.pos += 1;
            let start = self.pos;
            while self.pos < self.s.len() && self.s[self.pos] != b'`' {
                self.pos += 1;
            }
            let name = String::from_utf8_lossy(&self.s[start..self.pos]).into_owned();
            self.expect(b'`')?;
            return Ok(name);
        }
        let start = self.pos;
        while self.pos < self.s.len() && (self.s[self.pos].is_ascii_alphanumeric() || self.s[self.pos] == b'_') {
            self.pos += 1;
        }
        if start == self.pos {
            return Err(self.error("expected a field name"));
        }
        Ok(String::from_utf8_lossy(&self.s[start..self.pos]).into_owned())
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.s.get(self.pos).copied()
    }

    fn expect(&mut self, c: u8) -> Result<()> {
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(&format!("expected '{}'", c as char)))
        }
    }

    fn number(&mut self) -> Result<u32> {
        self.skip_ws();
        let start = self.pos;
        while self.pos < self.s.len() && self.s[self.pos].is_ascii_digit() {
            self.pos += 1;
        }
        std::str::from_utf8(&self.s[start..self.pos])
            .ok()
            .and_then(|d| d.parse().ok())
            .ok_or_else(|| self.error("expected a number"))
    }

    fn parse_type(&mut self) -> Result<DataType> {
        let name = self.word();
        Ok(match name.as_str() {
            "boolean" | "bool" => DataType::Boolean,
            "tinyint" | "byte" => DataType::Int8,
            "smallint" | "short" => DataType::Int16,
            "int" | "integer" => DataType::Int32,
            "bigint" | "long" => DataType::Int64,
            "float" | "real" => DataType::Float32,
            "double" => {
                // Accept `DOUBLE PRECISION`.
                let save = self.pos;
                if self.word() != "precision" {
                    self.pos = save;
                }
                DataType::Float64
            }
            "string" | "text" => DataType::Utf8,
            "varchar" | "char" | "character" => {
                if self.peek() == Some(b'(') {
                    self.pos += 1;
                    let n = self.number()?;
                    if n == 0 {
                        return Err(self.error("length must be positive"));
                    }
                    self.expect(b')')?;
                }
                DataType::Utf8
            }
            "binary" => DataType::Binary,
            "date" => DataType::Date32,
            "timestamp" | "timestamp_ntz" => TIMESTAMP,
            "decimal" | "dec" | "numeric" => {
                let (mut p, mut s) = (10, 0);
                if self.peek() == Some(b'(') {
                    self.pos += 1;
                    p = self.number()?;
                    if self.peek() == Some(b',') {
                        self.pos += 1;
                        s = self.number()?;
                    }
                    self.expect(b')')?;
                }
                if p == 0 || p > 38 || s > p {
                    return Err(self.error("decimal precision must be 1 to 38 and scale at most the precision"));
                }
                DataType::Decimal128(p as u8, s as i8)
            }
            "array" => {
                self.expect(b'<')?;
                let item = self.parse_type()?;
                self.expect(b'>')?;
                list_of(item)
            }
            "map" => {
                self.expect(b'<')?;
                let k = self.parse_type()?;
                self.expect(b',')?;
                let v = self.parse_type()?;
                self.expect(b'>')?;
                map_of(k, v)
            }
            "struct" => {
                self.expect(b'<')?;
                let mut fields = Vec::new();
                loop {
                    let fname = self.field_name()?;
                    // Hive writes `a:int`; Spark DDL also allows `a int`.
                    if self.peek() == Some(b':') {
                        self.pos += 1;
                    }
                    let ft = self.parse_type()?;
                    fields.push(Field::new(fname, ft, true));
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b'>') => {
                            self.pos += 1;
                            break;
                        }
                        _ => return Err(self.error("expected ',' or '>'")),
                    }
                }
                DataType::Struct(Fields::from(fields))
            }
            "" => return Err(self.error("expected a type name")),
            other => return Err(CatalogError::Invalid(format!("unknown type '{other}' in '{}'", self.text))),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn character_types_give_their_length() {
        assert_eq!(character_length("char(4)"), Some((4, true)));
        assert_eq!(character_length(" VARCHAR( 10 ) "), Some((10, false)));
        assert_eq!(character_length("string"), None);
        assert_eq!(character_length("char(x)"), None);
    }

    #[test]
    fn round_trips_nested_types() {
        for t in ["int", "decimal(10,2)", "array<string>", "map<string,array<int>>", "struct<a:int,b:map<string,double>>"] {
            let dt = hive_to_arrow(t).unwrap();
            assert_eq!(arrow_to_hive(&dt).unwrap(), t);
        }
    }

    #[test]
    fn canonicalises_spelling() {
        assert_eq!(canonical_hive_type("INTEGER").unwrap(), "int");
        assert_eq!(canonical_hive_type("ARRAY< BIGINT >").unwrap(), "array<bigint>");
        assert_eq!(canonical_hive_type("VARCHAR(20)").unwrap(), "varchar(20)");
        assert_eq!(canonical_hive_type("decimal").unwrap(), "decimal(10,0)");
        assert_eq!(canonical_hive_type("STRUCT<x INT>").unwrap(), "struct<x:int>");
    }

    #[test]
    fn rejects_bad_types() {
        assert!(hive_to_arrow("intt").is_err());
        assert!(hive_to_arrow("array<int").is_err());
        assert!(hive_to_arrow("decimal(40,2)").is_err());
        assert!(hive_to_arrow("int extra").is_err());
    }
}
