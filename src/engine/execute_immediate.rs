//! Runs `EXECUTE IMMEDIATE` ([`crate::hiveql::execute_immediate`]): the statement text is
//! computed (a STRING, not NULL), its `?` markers (in order) or `:name` markers (by name) are
//! written as the USING values' literals, and the session runs the statement as if sent by the
//! client (in its own loop, not nested: an EXECUTE IMMEDIATE may run another). With
//! INTO, it must be a query of at most one row, whose columns go into the variables (NULLs for
//! no row).

use datafusion::arrow::datatypes::DataType;
use datafusion::common::ScalarValue;
use datafusion::sql::sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};
use hivewire_backend::{BackendError, CommandOutcome, ErrorKind, QueryResult};

use super::session_variables::single_row;
use super::EngineSession;
use crate::hiveql::hive_ddl::HiveStatement;
use crate::hiveql::Action;

fn invalid(message: String) -> BackendError {
    BackendError::new(ErrorKind::InvalidParameter, message)
}

/// The values of a one-row query, with its column types.
async fn one_row(s: &EngineSession, sql: &str, width: usize) -> Result<(Vec<ScalarValue>, Vec<DataType>), BackendError> {
    let batches = s.query_rows(sql).await?;
    let types = batches.first().map(|b| b.schema().fields().iter().map(|f| f.data_type().clone()).collect()).unwrap_or_default();
    Ok((single_row(&batches, width)?, types))
}

/// A value written as a HiveQL literal of its type.
fn literal(v: &ScalarValue) -> Result<String, BackendError> {
    let typed = |text: String, t: &str| format!("CAST({text} AS {t})");
    let quoted = |text: &str| format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"));
    if v.is_null() {
        let t = hivewire_catalog::types::arrow_to_hive(&v.data_type()).unwrap_or_else(|_| "string".into());
        return Ok(if v.data_type() == DataType::Null { "NULL".into() } else { typed("NULL".into(), &t) });
    }
    if let Some(Some(t)) = v.try_as_str() {
        return Ok(quoted(t));
    }
    Ok(match v {
        ScalarValue::Boolean(Some(b)) => b.to_string(),
        ScalarValue::Int32(Some(n)) => n.to_string(),
        ScalarValue::Int8(_) | ScalarValue::Int16(_) | ScalarValue::Int64(_) | ScalarValue::Float32(_) | ScalarValue::Float64(_) | ScalarValue::Decimal128(..) => {
            let t = hivewire_catalog::types::arrow_to_hive(&v.data_type()).map_err(super::errors::from_catalog)?;
            let text = v.cast_to(&DataType::Utf8).map_err(|e| super::errors::from_datafusion(&e, None))?.to_string();
            typed(quoted(&text), &t)
        }
        ScalarValue::Date32(_) => format!("DATE {}", quoted(&v.to_string())),
        ScalarValue::TimestampMicrosecond(..) | ScalarValue::TimestampNanosecond(..) | ScalarValue::TimestampMillisecond(..) | ScalarValue::TimestampSecond(..) => {
            format!("TIMESTAMP {}", quoted(&v.to_string().replace('T', " ")))
        }
        other => return Err(BackendError::not_supported(format!("a USING value of type {} in EXECUTE IMMEDIATE", other.data_type()))),
    })
}

/// Whether a USING value is a constant (`'a'`, `-1`, `DATE '2024-01-01'`) or a variable, as
/// Spark requires.
fn constant_or_variable(expr: &str) -> bool {
    use datafusion::sql::sqlparser::ast::{Expr, SelectItem, SetExpr, Statement, UnaryOperator};
    fn simple(e: &Expr) -> bool {
        match e {
            Expr::Value(_) | Expr::TypedString { .. } | Expr::Identifier(_) | Expr::CompoundIdentifier(_) => true,
            Expr::UnaryOp { op: UnaryOperator::Minus | UnaryOperator::Plus, expr } | Expr::Nested(expr) => simple(expr),
            _ => false,
        }
    }
    let Ok(Statement::Query(q)) = crate::hiveql::parse::parse_one(&format!("SELECT {expr}"), crate::hiveql::Flavor::Hive) else { return false };
    match q.body.as_ref() {
        SetExpr::Select(s) => matches!(s.projection.as_slice(), [SelectItem::UnnamedExpr(e)] if simple(e)),
        _ => false,
    }
}

/// The statement with its markers written as the values' literals.
/// `unnamed` counts the USING values without a name.
fn bind(sql: &str, positional: &[String], named: &[(String, String)], unnamed: usize) -> Result<String, BackendError> {
    let dialect = crate::hiveql::dialect::HiveQlDialect::default();
    let tokens: Vec<TokenWithSpan> = Tokenizer::new(&dialect, sql)
        .tokenize_with_location()
        .map_err(|e| BackendError::new(ErrorKind::Syntax, format!("syntax error: {e}")))?;
    let mut edits = Vec::new();
    let mut next = 0;
    let mut kinds = (false, false);
    let offset = |t: &TokenWithSpan, end: bool| crate::hiveql::parse::span_offset(sql, if end { &t.span.end } else { &t.span.start });
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        // `?`, `:name` as one placeholder, or `:` right before a name.
        let marker: Option<(Option<String>, usize)> = match &t.token {
            Token::Placeholder(p) if p == "?" => Some((None, i)),
            Token::Placeholder(p) if p.starts_with(':') && p.len() > 1 => Some((Some(p[1..].to_lowercase()), i)),
            Token::Colon => match tokens.get(i + 1) {
                Some(n @ TokenWithSpan { token: Token::Word(w), .. }) if offset(t, true) == offset(n, false) => Some((Some(w.value.to_lowercase()), i + 1)),
                _ => None,
            },
            _ => None,
        };
        let Some((name, last)) = marker else {
            i += 1;
            continue;
        };
        if name.is_some() {
            kinds.1 = true;
            if unnamed > 0 {
                return Err(invalid("[ALL_PARAMETERS_MUST_BE_NAMED] a statement with :name markers needs every USING value named".into()));
            }
        } else {
            kinds.0 = true;
        }
        if kinds == (true, true) {
            return Err(invalid("[INVALID_QUERY_MIXED_QUERY_PARAMETERS] a statement takes ? markers or :name markers, not both".into()));
        }
        let value = match name {
            None => {
                let v = positional.get(next).ok_or_else(|| invalid(format!("[UNBOUND_SQL_PARAMETER] the statement has more ? markers than the {} USING values", positional.len())))?;
                next += 1;
                v.clone()
            }
            Some(n) => named
                .iter()
                .find(|(k, _)| *k == n)
                .map(|(_, v)| v.clone())
                .ok_or_else(|| invalid(format!("[UNBOUND_SQL_PARAMETER] no USING value is named {n}")))?,
        };
        if let (Some(a), Some(b)) = (offset(t, false), offset(&tokens[last], true)) {
            edits.push((a, b, value));
        }
        i = last + 1;
    }
    Ok(crate::hiveql::parse::apply_edits(sql, edits).unwrap_or_else(|| sql.to_string()))
}

/// How many EXECUTE IMMEDIATEs may run one another.
const MAX_DEPTH: usize = 16;

/// What a statement comes to once its EXECUTE IMMEDIATEs are resolved.
pub(crate) enum Resolved {
    /// The action to run, with the text it came from where an EXECUTE IMMEDIATE gave it.
    Run(Action, Option<String>),
    /// Done: an EXECUTE IMMEDIATE ... INTO set its variables.
    Done(QueryResult),
}

/// `action` itself, or the statement its EXECUTE IMMEDIATE runs (looping, rather than nesting on
/// the stack, where that is another EXECUTE IMMEDIATE).
pub(crate) async fn resolve(s: &EngineSession, mut action: Action) -> Result<Resolved, BackendError> {
    let mut text = None;
    for _ in 0..MAX_DEPTH {
        let Action::Hive(h) = &action else { return Ok(Resolved::Run(action, text)) };
        let HiveStatement::ExecuteImmediate { statement, into, using } = h.as_ref() else { return Ok(Resolved::Run(action, text)) };
        match prepare(s, statement, into, using).await? {
            Prepared::Done(result) => return Ok(Resolved::Done(result)),
            Prepared::Run(next) => {
                action = crate::hiveql::parse_action_with(&next, s.flavor, s.text_options())?;
                text = Some(next);
            }
        }
    }
    Err(invalid(format!("EXECUTE IMMEDIATE nests more than {MAX_DEPTH} deep")))
}

/// What one `EXECUTE IMMEDIATE` comes to.
enum Prepared {
    /// A statement to run as if the client had sent it.
    Run(String),
    /// Done: the INTO variables are set.
    Done(QueryResult),
}

/// `EXECUTE IMMEDIATE statement [INTO ...] [USING ...]`.
async fn prepare(s: &EngineSession, statement: &str, into: &[String], using: &[(String, Option<String>)]) -> Result<Prepared, BackendError> {
    let (text, types) = one_row(s, &format!("SELECT {statement}"), 1).await?;
    if !matches!(types.first(), Some(DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8)) {
        return Err(invalid(format!("[INVALID_VARIABLE_TYPE_FOR_QUERY_EXECUTE_IMMEDIATE] the statement must be a STRING, not {}", types.first().map_or_else(|| "nothing".to_string(), |t| t.to_string()))));
    }
    let Some(sql) = text.first().and_then(|v| v.try_as_str().flatten()).map(str::to_string) else {
        return Err(invalid("[NULL_QUERY_STRING_EXECUTE_IMMEDIATE] the statement to run is NULL".into()));
    };
    // A variable given without AS is named after itself.
    let names: Vec<Option<String>> = using
        .iter()
        .map(|(expr, name)| name.clone().or_else(|| crate::hiveql::variables::qualified_name(&expr.split('.').map(str::to_string).collect::<Vec<_>>()).ok().filter(|n| s.variables().get(n).is_some())))
        .collect();
    if let Some((expr, _)) = using.iter().find(|(e, _)| !constant_or_variable(e)) {
        return Err(invalid(format!("[UNSUPPORTED_EXPR_FOR_PARAMETER] a USING value must be a constant or a variable, not {expr}")));
    }
    let (values, _) = if using.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        let items: Vec<&str> = using.iter().map(|(e, _)| e.as_str()).collect();
        one_row(s, &format!("SELECT {}", items.join(", ")), using.len()).await?
    };
    let literals = values.iter().map(literal).collect::<Result<Vec<_>, _>>()?;
    // Once one value is named with AS, all must be named (a variable is named after itself).
    let aliased = using.iter().any(|(_, n)| n.is_some());
    if aliased && names.iter().any(Option::is_none) {
        return Err(invalid("[ALL_PARAMETERS_MUST_BE_NAMED] once one USING value is named with AS, every value must be named".into()));
    }
    let mut named: Vec<(String, String)> = Vec::new();
    for (name, value) in names.iter().zip(&literals) {
        if let Some(n) = name {
            if named.iter().any(|(k, _)| k == n) {
                return Err(invalid(format!("[EXEC_IMMEDIATE_DUPLICATE_ARGUMENT_ALIASES] the USING name {n} is given twice")));
            }
            named.push((n.clone(), value.clone()));
        }
    }
    let positional = if aliased { Vec::new() } else { literals };
    let sql = bind(&sql, &positional, &named, names.iter().filter(|n| n.is_none()).count())?;
    if into.is_empty() {
        return Ok(Prepared::Run(sql));
    }
    if !matches!(crate::hiveql::parse_action_with(&sql, s.flavor, s.text_options())?, Action::Sql(_)) {
        return Err(invalid("[INVALID_STATEMENT_FOR_EXECUTE_INTO] EXECUTE IMMEDIATE ... INTO takes a query".into()));
    }
    let batches = s.query_rows(&sql).await?;
    let width = batches.first().map_or(into.len(), |b| b.num_columns());
    if width != into.len() {
        return Err(invalid(format!("[ASSIGNMENT_ARITY_MISMATCH] the query gives {width} columns for {} variables", into.len())).with_sqlstate("42802"));
    }
    let values = single_row(&batches, width)?;
    let names: Vec<&str> = into.iter().map(String::as_str).collect();
    s.variables().assign(&names, values)?;
    Ok(Prepared::Done(QueryResult::Command(CommandOutcome::tag("EXECUTE"))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_become_literals() {
        let positional = vec!["'a'".to_string(), "2".to_string()];
        assert_eq!(bind("SELECT * FROM t WHERE x = ? OR y = ?", &positional, &[], 2).unwrap(), "SELECT * FROM t WHERE x = 'a' OR y = 2");
        let named = vec![("first".to_string(), "'n'".to_string())];
        assert_eq!(bind("SELECT :first AS p WHERE name = :first", &[], &named, 0).unwrap(), "SELECT 'n' AS p WHERE name = 'n'");
        assert!(bind("SELECT ?", &[], &[], 0).is_err());
        assert!(bind("SELECT ?, :first", &positional, &named, 2).is_err());
        assert!(bind("SELECT :first", &positional, &named, 1).is_err());
        assert_eq!(bind("SELECT 'a:b', x::string", &[], &[], 0).unwrap(), "SELECT 'a:b', x::string");
    }

    #[test]
    fn using_values_are_constants_or_variables() {
        assert!(constant_or_variable("'a'"));
        assert!(constant_or_variable("-1"));
        assert!(constant_or_variable("session.v"));
        assert!(!constant_or_variable("concat(a, 'b')"));
        assert!(!constant_or_variable("(SELECT 42)"));
    }

    #[test]
    fn values_are_written_as_literals() {
        assert_eq!(literal(&ScalarValue::Utf8(Some("it's".into()))).unwrap(), "'it\\'s'");
        assert_eq!(literal(&ScalarValue::Int32(Some(4))).unwrap(), "4");
        assert_eq!(literal(&ScalarValue::Int64(Some(4))).unwrap(), "CAST('4' AS bigint)");
        assert_eq!(literal(&ScalarValue::Int32(None)).unwrap(), "CAST(NULL AS int)");
    }
}
