//! `LIKE ... ESCAPE 'c'` with any escape character. DataFusion's LIKE knows only the backslash as
//! escape, so the pattern is translated, at run time, into the backslash form: the statement is
//! rewritten to `x LIKE like_escape(pattern, 'c')`.

use std::ops::ControlFlow;
use std::sync::Arc;

use super::ast::call;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{DataFusionError, Result};
use datafusion::logical_expr::{ColumnarValue, ScalarUDF, Volatility};
use datafusion::sql::sqlparser::ast::{
    Expr, Statement, Value, VisitMut, VisitorMut,
};

/// The name of the translating function.
pub const FUNCTION: &str = "like_escape";

/// Rewrites every LIKE and ILIKE whose escape character is not the backslash.
pub fn rewrite(stmt: &mut Statement) {
    let _ = stmt.visit(&mut EscapeRewriter);
}

struct EscapeRewriter;

impl VisitorMut for EscapeRewriter {
    type Break = ();

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        if let Expr::Like { pattern, escape_char, .. } | Expr::ILike { pattern, escape_char, .. } = expr {
            let custom = escape_char.as_ref().and_then(|v| match &v.value {
                Value::SingleQuotedString(s) if s != "\\" => Some(s.clone()),
                _ => None,
            });
            if let Some(escape) = custom {
                let original = std::mem::replace(pattern.as_mut(), Expr::value(Value::Null));
                **pattern = call(FUNCTION, vec![original, Expr::value(Value::SingleQuotedString(escape))]);
                *escape_char = None;
            }
        }
        ControlFlow::Continue(())
    }
}

/// Translates `pattern`, written with `escape` as its escape character, to the backslash form.
pub fn translate(pattern: &str, escape: char) -> Result<String, String> {
    let mut out = String::with_capacity(pattern.len() + 4);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c == escape {
            match chars.next() {
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => return Err("LIKE pattern must not end with escape character".into()),
            }
        } else if c == '\\' {
            // Not an escape in this pattern: a literal backslash.
            out.push_str("\\\\");
        } else {
            out.push(c);
        }
    }
    Ok(out)
}

/// The `like_escape(pattern, escape)` function the rewrite calls.
pub fn udf() -> ScalarUDF {
    datafusion::logical_expr::create_udf(
        FUNCTION,
        vec![DataType::Utf8, DataType::Utf8],
        DataType::Utf8,
        Volatility::Immutable,
        Arc::new(|args: &[ColumnarValue]| {
            let arrays = ColumnarValue::values_to_arrays(args)?;
            let patterns = arrays[0].as_string::<i32>();
            let escapes = arrays[1].as_string::<i32>();
            let mut out = Vec::with_capacity(patterns.len());
            for i in 0..patterns.len() {
                if patterns.is_null(i) || escapes.is_null(i) {
                    out.push(None);
                    continue;
                }
                let escape = escapes.value(i);
                let mut ec = escape.chars();
                let (Some(e), None) = (ec.next(), ec.next()) else {
                    return Err(DataFusionError::Execution(format!(
                        "invalid escape string {escape:?}: it must be one character"
                    )));
                };
                out.push(Some(translate(patterns.value(i), e).map_err(DataFusionError::Execution)?));
            }
            Ok(ColumnarValue::Array(Arc::new(StringArray::from(out)) as ArrayRef))
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::translate;

    #[test]
    fn escapes_move_to_the_backslash() {
        assert_eq!(translate("pg/_%", '/').as_deref(), Ok("pg\\_%"));
        assert_eq!(translate("a\\b", '/').as_deref(), Ok("a\\\\b"));
        assert_eq!(translate("100!%", '!').as_deref(), Ok("100\\%"));
        assert_eq!(translate("//x", '/').as_deref(), Ok("\\/x"));
        assert!(translate("abc/", '/').is_err());
    }
}
