//! Bucketing specs: `CLUSTERED BY (a) [SORTED BY (b)] INTO 4 BUCKETS`, in Hive's form (before
//! STORED AS, which sqlparser reads) and in Spark's (after USING, read here from the tokens). The
//! spec is kept in the table's properties under the keys Spark's metastore uses for data source
//! tables (hidden from SHOW TBLPROPERTIES), and DESCRIBE FORMATTED and SHOW CREATE TABLE show it.
//! hivewire does not write files into buckets: the spec describes the table, and every layout of
//! its files is read.

use std::collections::BTreeMap;

use datafusion::sql::sqlparser::ast::{ClusteredBy, CreateTable, Expr, Ident, OrderByExpr, Value};
use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::tokenizer::{Token, TokenWithSpan};
use hivewire_backend::{BackendError, ErrorKind};

use hivewire_catalog::ColumnDef;

const NUM_BUCKETS: &str = "spark.sql.sources.schema.numBuckets";
const NUM_BUCKET_COLS: &str = "spark.sql.sources.schema.numBucketCols";
const BUCKET_COL: &str = "spark.sql.sources.schema.bucketCol";
const NUM_SORT_COLS: &str = "spark.sql.sources.schema.numSortCols";
const SORT_COL: &str = "spark.sql.sources.schema.sortCol";

/// A table's bucketing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketSpec {
    pub buckets: u32,
    pub columns: Vec<String>,
    pub sort_columns: Vec<String>,
}

fn is_word(t: Option<&&TokenWithSpan>, k: Keyword) -> bool {
    matches!(t.map(|t| &t.token), Some(Token::Word(w)) if w.keyword == k)
}

/// Reads `CLUSTERED BY (...) [SORTED BY (...)] INTO n BUCKETS` from token `i` (at CLUSTERED): the
/// spec and the index of its last token, or None where the tokens are not such a clause.
pub fn read_clause(tokens: &[&TokenWithSpan], i: usize) -> Option<(ClusteredBy, usize)> {
    if !is_word(tokens.get(i), Keyword::CLUSTERED) || !is_word(tokens.get(i + 1), Keyword::BY) {
        return None;
    }
    let (columns, mut i) = names(tokens, i + 2)?;
    let mut sorted_by = None;
    if is_word(tokens.get(i + 1), Keyword::SORTED) && is_word(tokens.get(i + 2), Keyword::BY) {
        let (sorted, end) = names(tokens, i + 3)?;
        sorted_by = Some(
            sorted
                .into_iter()
                .map(|c| OrderByExpr {
                    expr: Expr::Identifier(Ident::new(c)),
                    options: Default::default(),
                    with_fill: None,
                })
                .collect(),
        );
        i = end;
    }
    if !is_word(tokens.get(i + 1), Keyword::INTO) || !is_word(tokens.get(i + 3), Keyword::BUCKETS) {
        return None;
    }
    let Some(Token::Number(buckets, _)) = tokens.get(i + 2).map(|t| &t.token) else { return None };
    let spec = ClusteredBy { columns: columns.into_iter().map(Ident::new).collect(), sorted_by, num_buckets: Value::Number(buckets.clone(), false) };
    Some((spec, i + 3))
}

/// `( name [ASC|DESC] [, ...] )` from `i` (at the parenthesis): the names and the closing index.
fn names(tokens: &[&TokenWithSpan], mut i: usize) -> Option<(Vec<String>, usize)> {
    if tokens.get(i).map(|t| &t.token) != Some(&Token::LParen) {
        return None;
    }
    i += 1;
    let mut out = Vec::new();
    loop {
        match tokens.get(i).map(|t| &t.token) {
            Some(Token::Word(w)) => out.push(w.value.to_lowercase()),
            _ => return None,
        }
        i += 1;
        if is_word(tokens.get(i), Keyword::ASC) {
            i += 1;
        }
        match tokens.get(i).map(|t| &t.token) {
            Some(Token::Comma) => i += 1,
            Some(Token::RParen) => return Some((out, i)),
            _ => return None,
        }
    }
}

/// The spec a CREATE TABLE gives, checked against its columns.
pub fn from_statement(ct: &CreateTable, columns: &[ColumnDef], partition_columns: &[ColumnDef]) -> Result<Option<BucketSpec>, BackendError> {
    let Some(c) = &ct.clustered_by else { return Ok(None) };
    let buckets: u32 = c.num_buckets.to_string().parse().unwrap_or(0);
    if !(1..=100_000).contains(&buckets) {
        return Err(BackendError::new(ErrorKind::InvalidParameter, format!("Number of buckets should be greater than 0 but less than or equal to 100000. Got `{}`", c.num_buckets)));
    }
    let lower = |i: &Ident| i.value.to_lowercase();
    let spec_columns: Vec<String> = c.columns.iter().map(lower).collect();
    let mut sort_columns = Vec::new();
    for o in c.sorted_by.iter().flatten() {
        if o.options.asc == Some(false) {
            return Err(BackendError::not_supported("descending sort columns in a bucket spec"));
        }
        match &o.expr {
            Expr::Identifier(i) => sort_columns.push(lower(i)),
            other => return Err(BackendError::new(ErrorKind::Syntax, format!("a bucket spec sorts by columns, not {other}"))),
        }
    }
    for name in spec_columns.iter().chain(&sort_columns) {
        if partition_columns.iter().any(|p| &p.name == name) {
            return Err(BackendError::new(ErrorKind::InvalidParameter, format!("bucketing column '{name}' should not be a partition column")));
        }
        if !columns.is_empty() && !columns.iter().any(|col| &col.name == name) {
            return Err(BackendError::new(ErrorKind::UndefinedColumn, format!("bucket column {name} is not among the table's columns")));
        }
    }
    Ok(Some(BucketSpec { buckets, columns: spec_columns, sort_columns }))
}

/// Keeps the spec in a table's properties.
pub fn store(spec: &BucketSpec, properties: &mut BTreeMap<String, String>) {
    properties.insert(NUM_BUCKETS.into(), spec.buckets.to_string());
    properties.insert(NUM_BUCKET_COLS.into(), spec.columns.len().to_string());
    for (i, c) in spec.columns.iter().enumerate() {
        properties.insert(format!("{BUCKET_COL}.{i}"), c.clone());
    }
    properties.insert(NUM_SORT_COLS.into(), spec.sort_columns.len().to_string());
    for (i, c) in spec.sort_columns.iter().enumerate() {
        properties.insert(format!("{SORT_COL}.{i}"), c.clone());
    }
}

/// The spec kept in a table's properties, if any.
pub fn stored(properties: &BTreeMap<String, String>) -> Option<BucketSpec> {
    let buckets = properties.get(NUM_BUCKETS)?.parse().ok()?;
    let list = |count: &str, key: &str| -> Vec<String> {
        let n: usize = properties.get(count).and_then(|v| v.parse().ok()).unwrap_or(0);
        (0..n).filter_map(|i| properties.get(&format!("{key}.{i}")).cloned()).collect()
    };
    Some(BucketSpec { buckets, columns: list(NUM_BUCKET_COLS, BUCKET_COL), sort_columns: list(NUM_SORT_COLS, SORT_COL) })
}

/// DESCRIBE FORMATTED's rows for the spec.
pub fn describe_rows(spec: &BucketSpec) -> Vec<(String, String)> {
    let quoted = |cs: &[String]| format!("[{}]", cs.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", "));
    vec![
        ("Num Buckets".into(), spec.buckets.to_string()),
        ("Bucket Columns".into(), quoted(&spec.columns)),
        ("Sort Columns".into(), quoted(&spec.sort_columns)),
    ]
}

/// The clause that declares the spec, as SHOW CREATE TABLE writes it.
pub fn create_clause(spec: &BucketSpec) -> String {
    let mut out = format!("CLUSTERED BY ({})\n", spec.columns.join(", "));
    if !spec.sort_columns.is_empty() {
        out.push_str(&format!("SORTED BY ({})\n", spec.sort_columns.join(", ")));
    }
    out.push_str(&format!("INTO {} BUCKETS\n", spec.buckets));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_round_trip_through_properties() {
        let spec = BucketSpec { buckets: 4, columns: vec!["a".into(), "b".into()], sort_columns: vec!["c".into()] };
        let mut props = BTreeMap::new();
        store(&spec, &mut props);
        assert_eq!(stored(&props), Some(spec.clone()));
        assert_eq!(create_clause(&spec), "CLUSTERED BY (a, b)\nSORTED BY (c)\nINTO 4 BUCKETS\n");
        assert_eq!(describe_rows(&spec)[1].1, "[`a`, `b`]");
    }
}
