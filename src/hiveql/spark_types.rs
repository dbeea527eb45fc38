//! Spark's spellings of types in expressions. Spark writes a cast as a function named after the
//! type (`int(x)`, `double(x)`, `date('2020-01-01')`, `decimal(x)`), and has type names sqlparser
//! parses but DataFusion does not plan (`BINARY`, `TIMESTAMP_NTZ`). Before planning, the type
//! functions become casts and those types become the DataFusion types that hold the same values.
//! Typed literals (`1L`), which [`super::literal_suffixes`] marks, become casts here too. This runs
//! after [`super::spark_names`], so a column still gets Spark's name for the function or literal.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    CastKind, DataType, ExactNumberInfo, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Statement, TimezoneInfo, UnaryOperator, Value,
    VisitMut, VisitorMut,
};
use datafusion::sql::sqlparser::parser::Parser;

use super::dialect::HiveQlDialect;
use super::literal_suffixes::TYPED_LITERAL;

/// Spark's cast functions, for SHOW FUNCTIONS.
pub const CAST_FUNCTIONS: &[&str] =
    &["boolean", "tinyint", "smallint", "int", "bigint", "float", "double", "decimal", "string", "date", "timestamp", "binary"];

/// The type a Spark cast function casts to, by the function's lower-case name.
pub fn cast_function_type(name: &str) -> Option<DataType> {
    Some(match name {
        "boolean" => DataType::Boolean,
        "tinyint" => DataType::TinyInt(None),
        "smallint" => DataType::SmallInt(None),
        "int" => DataType::Int(None),
        "bigint" => DataType::BigInt(None),
        "float" => DataType::Float(ExactNumberInfo::None),
        "double" => DataType::Double(ExactNumberInfo::None),
        "decimal" => DataType::Decimal(ExactNumberInfo::PrecisionAndScale(10, 0)),
        "string" => DataType::String(None),
        "date" => DataType::Date,
        "timestamp" => DataType::Timestamp(Some(6), TimezoneInfo::None),
        "binary" => DataType::Bytea,
        _ => return None,
    })
}

/// The single argument of a call to a cast function, and the type it names.
fn cast_call(e: &Expr) -> Option<(Expr, DataType)> {
    let Expr::Function(f) = e else { return None };
    if f.over.is_some() || f.filter.is_some() || f.name.0.len() != 1 {
        return None;
    }
    let ty = cast_function_type(&f.name.0.first()?.as_ident()?.value.to_lowercase())?;
    let FunctionArguments::List(list) = &f.args else { return None };
    match list.args.as_slice() {
        [FunctionArg::Unnamed(FunctionArgExpr::Expr(x))] if list.clauses.is_empty() && list.duplicate_treatment.is_none() => {
            Some((x.clone(), ty))
        }
        _ => None,
    }
}

/// The argument a cast function's column is named after: Spark names `int(x)` as it names `x`.
pub fn cast_function_argument(e: &Expr) -> Option<Expr> {
    cast_call(e).map(|(x, _)| x)
}

/// The number and type of a typed literal's marker call (see [`super::literal_suffixes`]).
pub fn typed_literal(e: &Expr) -> Option<(String, DataType)> {
    let Expr::Function(f) = e else { return None };
    let is_marker = matches!(f.name.0.as_slice(), [p] if p.as_ident().is_some_and(|i| i.value == TYPED_LITERAL));
    let FunctionArguments::List(list) = &f.args else { return None };
    if !is_marker {
        return None;
    }
    let [FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(n))), FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::Value(t)))] =
        list.args.as_slice()
    else {
        return None;
    };
    let (Value::Number(number, _), Value::SingleQuotedString(type_text)) = (&n.value, &t.value) else { return None };
    let data_type = Parser::new(&HiveQlDialect::default()).try_with_sql(type_text).ok()?.parse_data_type().ok()?;
    Some((number.clone(), data_type))
}

/// A DataFusion-plannable type for a Spark type, where the spelling differs (`BINARY`,
/// `TIMESTAMP_NTZ`, `TIMESTAMP_LTZ`, `BYTE`, `SHORT`, `DEC(p, s)`, and `DECIMAL`, which is
/// DECIMAL(10,0)).
fn plannable(t: &DataType) -> Option<DataType> {
    Some(match t {
        DataType::Binary(_) | DataType::Varbinary(_) => DataType::Bytea,
        // Spark's timestamps count microseconds, over years 1 to 9999.
        DataType::TimestampNtz(_) | DataType::Timestamp(None, TimezoneInfo::None) => DataType::Timestamp(Some(6), TimezoneInfo::None),
        // A DECIMAL without a precision is DECIMAL(10,0) in Spark.
        DataType::Dec(ExactNumberInfo::None) | DataType::Decimal(ExactNumberInfo::None) => {
            DataType::Decimal(ExactNumberInfo::PrecisionAndScale(10, 0))
        }
        DataType::Dec(info) => DataType::Decimal(*info),
        DataType::Custom(name, args) => match (name.to_string().to_ascii_lowercase().as_str(), args.as_slice()) {
            ("timestamp_ltz", []) => DataType::Timestamp(Some(6), TimezoneInfo::None),
            ("byte", []) => DataType::TinyInt(None),
            ("short", []) => DataType::SmallInt(None),
            _ => return None,
        },
        _ => return None,
    })
}

/// The engine's cast to a whole number without ANSI rules.
pub const LEGACY_CAST: &str = "hivewire_legacy_cast";

fn whole_number(t: &DataType) -> bool {
    matches!(t, DataType::TinyInt(_) | DataType::SmallInt(_) | DataType::Int(_) | DataType::Integer(_) | DataType::BigInt(_))
}

/// Rewrites cast functions and Spark-only type names in every expression of the statement.
/// Without ANSI rules (`spark.sql.ansi.enabled=false`), a value that cannot be cast is NULL
/// rather than an error, so every cast becomes a TRY_CAST.
pub fn rewrite(stmt: &mut Statement, ansi: bool) {
    struct Types {
        ansi: bool,
    }
    impl VisitorMut for Types {
        type Break = ();
        // A negated whole-number typed literal is one negative number, so that `-128Y` is the
        // TINYINT -128 (its magnitude alone does not fit the type). Other types keep the minus,
        // which gives `-0.0D` its sign.
        fn pre_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
            if let Expr::UnaryOp { op: UnaryOperator::Minus, expr } = e {
                if let Some((number, data_type)) = typed_literal(expr) {
                    if !number.starts_with('-') && whole_number(&data_type) {
                        let mut literal = expr.as_ref().clone();
                        if let Expr::Function(f) = &mut literal {
                            if let FunctionArguments::List(list) = &mut f.args {
                                list.args[0] = FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::value(Value::Number(format!("-{number}"), false))));
                            }
                        }
                        *e = literal;
                    }
                }
            }
            ControlFlow::Continue(())
        }

        fn post_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
            if let Some((arg, data_type)) = cast_call(e) {
                *e = Expr::Cast { kind: CastKind::Cast, expr: Box::new(arg), data_type, array: false, format: None };
            } else if let Some((number, data_type)) = typed_literal(e) {
                // A typed literal out of its type's range is an error with or without ANSI rules.
                let expr = Box::new(Expr::value(Value::Number(number, false)));
                let data_type = plannable(&data_type).unwrap_or(data_type);
                *e = Expr::Cast { kind: CastKind::Cast, expr, data_type, array: false, format: None };
                return ControlFlow::Continue(());
            }
            if let Expr::TypedString(ts) = e {
                if let Some(t) = plannable(&ts.data_type) {
                    ts.data_type = t;
                }
            }
            let mut written_cast = false;
            if let Expr::Cast { data_type, kind, expr, .. } = e {
                if let Some(t) = plannable(data_type) {
                    *data_type = t;
                }
                // An interval's cast to a number fails on overflow with or without ANSI rules.
                let interval = matches!(expr.as_ref(), Expr::Interval(_));
                if !self.ansi && !interval && matches!(kind, CastKind::Cast | CastKind::DoubleColon) {
                    *kind = CastKind::TryCast;
                    written_cast = true;
                }
            }
            // Without ANSI rules, a CAST to a whole number truncates text and wraps wider numbers
            // (a TRY_CAST the query wrote keeps giving NULL where the value does not fit).
            if let Expr::Cast { kind: CastKind::TryCast, data_type, expr, .. } = e {
                if written_cast && whole_number(data_type) {
                    let target = Expr::Cast {
                        kind: CastKind::Cast,
                        expr: Box::new(Expr::value(Value::Null)),
                        data_type: data_type.clone(),
                        array: false,
                        format: None,
                    };
                    let value = std::mem::replace(expr.as_mut(), Expr::value(Value::Null));
                    *e = super::ast::call(LEGACY_CAST, vec![value, target]);
                }
            }
            ControlFlow::Continue(())
        }
    }
    let _ = stmt.visit(&mut Types { ansi });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(sql: &str) -> String {
        crate::hiveql::rewritten(sql, |s| rewrite(s, true))
    }

    #[test]
    fn casts_are_try_casts_without_ansi_rules() {
        assert_eq!(
            crate::hiveql::rewritten("SELECT CAST(a AS DATE), CAST(a AS INT), int(b), c::bigint", |s| rewrite(s, false)),
            "SELECT TRY_CAST(a AS DATE), hivewire_legacy_cast(a, CAST(NULL AS INT)), hivewire_legacy_cast(b, CAST(NULL AS INT)), \
             hivewire_legacy_cast(c, CAST(NULL AS BIGINT))"
        );
    }

    #[test]
    fn type_functions_become_casts() {
        assert_eq!(r("SELECT int(x), float(2.0), date('2020-01-01')"), "SELECT CAST(x AS INT), CAST(2.0 AS FLOAT), CAST('2020-01-01' AS DATE)");
        assert_eq!(r("SELECT decimal(1), string(int(y))"), "SELECT CAST(1 AS DECIMAL(10,0)), CAST(CAST(y AS INT) AS STRING)");
        assert_eq!(
            r(&format!("SELECT -{TYPED_LITERAL}(1, 'BIGINT'), {TYPED_LITERAL}(2.50, 'DECIMAL(3,2)')")),
            "SELECT CAST(-1 AS BIGINT), CAST(2.50 AS DECIMAL(3,2))"
        );
    }

    #[test]
    fn other_calls_and_types_are_kept_or_made_plannable() {
        assert_eq!(r("SELECT int(a, b), max(x) FROM t"), "SELECT int(a, b), max(x) FROM t");
        assert_eq!(r("SELECT CAST(x AS BINARY), CAST(y AS TIMESTAMP_NTZ)"), "SELECT CAST(x AS BYTEA), CAST(y AS TIMESTAMP(6))");
        assert_eq!(r("SELECT CAST(x AS BYTE), CAST(y AS DEC(4, 2))"), "SELECT CAST(x AS TINYINT), CAST(y AS DECIMAL(4,2))");
        assert_eq!(r("SELECT CAST(x AS DECIMAL), CAST(y AS DEC)"), "SELECT CAST(x AS DECIMAL(10,0)), CAST(y AS DECIMAL(10,0))");
    }
}
