//! Hive's complex column types in DDL: `ARRAY<INT>`, `MAP<STRING,INT>`, `STRUCT<a:INT,b:STRING>`,
//! nested. sqlparser reads none of the Hive spellings, so in `CREATE TABLE` and `ALTER TABLE` each
//! such type is swapped, before parsing, for a placeholder type name of the same length (so error
//! positions stay right), and put back afterwards as a type whose text is the original; the catalog's
//! Hive type parser reads it from there.

use datafusion::sql::sqlparser::ast::{ColumnDef, DataType, HiveDistributionStyle, Ident, ObjectName, Statement};
use datafusion::sql::sqlparser::dialect::Dialect;
use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::tokenizer::{Token, Tokenizer};

use super::hive_ddl::HiveStatement;

/// The statement text with its complex types replaced, and the replacements.
#[derive(Debug)]
pub struct Masked {
    pub sql: String,
    types: Vec<(String, String)>,
}

/// Masks the complex types of a CREATE TABLE or ALTER TABLE statement (before any `AS` query).
pub fn mask(sql: &str, dialect: &dyn Dialect) -> Option<Masked> {
    let tokens = Tokenizer::new(dialect, sql).tokenize_with_location().ok()?;
    let tokens: Vec<_> = tokens.into_iter().filter(|t| !matches!(t.token, Token::Whitespace(_))).collect();
    let word = |i: usize, k: Keyword| matches!(tokens.get(i).map(|t| &t.token), Some(Token::Word(w)) if w.keyword == k);
    let ddl = (word(0, Keyword::CREATE) && tokens.iter().take(6).any(|t| matches!(&t.token, Token::Word(w) if w.keyword == Keyword::TABLE)))
        || (word(0, Keyword::ALTER) && word(1, Keyword::TABLE));
    if !ddl {
        return None;
    }
    let mut spans = Vec::new();
    let mut depth = 0i32;
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i].token {
            Token::LParen => depth += 1,
            Token::RParen => depth -= 1,
            Token::Word(w) if depth == 0 && w.keyword == Keyword::AS => break,
            Token::Word(w)
                if (matches!(w.keyword, Keyword::ARRAY | Keyword::MAP | Keyword::STRUCT)
                    || w.value.eq_ignore_ascii_case("uniontype"))
                && tokens.get(i + 1).map(|t| &t.token) == Some(&Token::Lt) => {
                    let mut angle = 0i32;
                    let mut j = i + 1;
                    while j < tokens.len() {
                        match tokens[j].token {
                            Token::Lt => angle += 1,
                            Token::Gt => angle -= 1,
                            Token::ShiftRight => angle -= 2,
                            _ => {}
                        }
                        if angle <= 0 {
                            break;
                        }
                        j += 1;
                    }
                    if angle == 0 {
                        spans.push((tokens[i].span.start, tokens[j].span.end));
                        i = j + 1;
                        continue;
                    }
                }
            _ => {}
        }
        i += 1;
    }
    if spans.is_empty() {
        return None;
    }
    let mut out = sql.to_string();
    let mut types = Vec::new();
    for (n, (start, end)) in spans.iter().enumerate().rev() {
        let from = super::parse::span_offset(sql, start)?;
        let to = super::parse::span_offset(sql, end)?;
        let original = &sql[from..to];
        let width = original.chars().count();
        let mut placeholder = format!("hwtype{n}");
        if placeholder.len() > width {
            continue;
        }
        while placeholder.len() < width {
            placeholder.push('_');
        }
        types.push((placeholder.clone(), original.split_whitespace().collect::<Vec<_>>().join(" ")));
        out.replace_range(from..to, &placeholder);
    }
    Some(Masked { sql: out, types })
}

impl Masked {
    fn restore_column(&self, c: &mut ColumnDef) {
        if let DataType::Custom(name, _) = &c.data_type {
            let text = name.to_string().to_lowercase();
            if let Some((_, original)) = self.types.iter().find(|(p, _)| *p == text) {
                c.data_type = DataType::Custom(ObjectName::from(vec![Ident::new(original.clone())]), vec![]);
            }
        }
    }

    /// Puts the original types back into a parsed CREATE TABLE.
    pub fn restore(&self, stmt: &mut Statement) {
        if let Statement::CreateTable(ct) = stmt {
            ct.columns.iter_mut().for_each(|c| self.restore_column(c));
            if let HiveDistributionStyle::PARTITIONED { columns } = &mut ct.hive_distribution {
                columns.iter_mut().for_each(|c| self.restore_column(c));
            }
        }
    }

    /// Puts the original types back into a parsed ALTER TABLE.
    pub fn restore_hive(&self, stmt: &mut HiveStatement) {
        match stmt {
            HiveStatement::AddColumns { columns, .. } | HiveStatement::ReplaceColumns { columns, .. } => {
                columns.iter_mut().for_each(|c| self.restore_column(c))
            }
            HiveStatement::ChangeColumn { new, .. } => self.restore_column(new),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hiveql::dialect::HiveQlDialect;

    #[test]
    fn masks_nested_types_with_equal_length() {
        let sql = "CREATE TABLE t (m MAP<STRING,ARRAY<INT>>, s STRUCT<a:INT, b:STRING>)";
        let m = mask(sql, &HiveQlDialect::default()).unwrap();
        assert_eq!(m.sql.len(), sql.len());
        assert!(!m.sql.contains('<'), "{}", m.sql);
        let originals: Vec<&str> = m.types.iter().map(|(_, o)| o.as_str()).collect();
        assert!(originals.contains(&"MAP<STRING,ARRAY<INT>>"));
        assert!(originals.contains(&"STRUCT<a:INT, b:STRING>"));
    }

    #[test]
    fn leaves_queries_alone() {
        assert!(mask("SELECT array(1)", &HiveQlDialect::default()).is_none());
        let m = mask("CREATE TABLE t AS SELECT CAST(x AS ARRAY<INT>) FROM y", &HiveQlDialect::default());
        assert!(m.is_none());
    }
}
