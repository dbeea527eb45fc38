//! Spark functions that DataFusion has under another name or as another expression:
//! `startswith` is `starts_with`, `transform(xs, x -> ...)` is `array_transform`, `isnotnull(x)` is
//! `x IS NOT NULL`, `first(x, true)` is `first_value(x) IGNORE NULLS`. Before planning, each call is
//! rewritten to its DataFusion form; [`super::spark_names`] has named the column after the Spark
//! call already. The dialect also reads `exists(xs, x -> ...)` as a call, not an EXISTS subquery.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    BinaryOperator, CaseWhen, CastKind, DataType, DuplicateTreatment, ExactNumberInfo, FunctionArgumentList, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments,
    Ident, NullTreatment, ObjectName, Statement, TimezoneInfo, Value, VisitMut, VisitorMut,
};
use datafusion::sql::sqlparser::keywords::Keyword;
use datafusion::sql::sqlparser::parser::{Parser, ParserError};
use datafusion::sql::sqlparser::ast::helpers::attached_token::AttachedToken;
use datafusion::sql::sqlparser::tokenizer::Token;

use super::ast::{call, case_when, number, text};

/// The engine's name for a Spark function that differs from it only in name.
pub fn engine_name(spark: &str) -> Option<&'static str> {
    RENAMED.iter().find(|(s, _)| *s == spark).map(|(_, e)| *e)
}

/// Spark's name and DataFusion's, for functions that differ only in name.
const RENAMED: &[(&str, &str)] = &[
    ("startswith", "starts_with"),
    ("endswith", "ends_with"),
    ("transform", "array_transform"),
    ("filter", "array_filter"),
    ("exists", "array_any_match"),
    ("approx_count_distinct", "approx_distinct"),
    ("every", "bool_and"),
    ("some", "bool_or"),
    ("any", "bool_or"),
    ("variance", "var_samp"),
    ("rlike", "regexp_like"),
    ("regexp", "regexp_like"),
    ("timestamp_seconds", "to_timestamp"),
    ("element_at", crate::engine::spark_functions::subscript::ELEMENT_AT),
    ("to_timestamp_ntz", "to_timestamp"),
    ("to_timestamp_ltz", "to_timestamp"),
    ("make_timestamp_ntz", "make_timestamp"),
    ("make_timestamp_ltz", "make_timestamp"),
    ("try_make_timestamp_ntz", "try_make_timestamp"),
    ("try_make_timestamp_ltz", "try_make_timestamp"),
    // The engine's make_interval already gives NULL where the parts overflow.
    ("try_make_interval", "make_interval"),
    ("std", "stddev"),
    ("lcase", "lower"),
    ("ucase", "upper"),
    ("curdate", "current_date"),
    ("localtimestamp", "now"),
    ("try_avg", "avg"),
    ("regexp_replace", crate::engine::spark_functions::REGEXP_REPLACE),
    ("array_remove", "array_remove_all"),
    ("position", "locate"),
];

/// The engine's `transform` with the element's index.
pub const TRANSFORM_INDEXED: &str = "hivewire_transform_indexed";

/// Window functions whose result Spark types INT.
const INT_RANKINGS: [&str; 4] = ["rank", "dense_rank", "row_number", "ntile"];

/// The Spark names this module rewrites, for SHOW FUNCTIONS.
pub const SPARK_NAMES: &[&str] = &[
    "startswith", "endswith", "transform", "filter", "exists", "approx_count_distinct", "every", "some", "any", "variance",
    "rlike", "regexp", "timestamp_seconds", "timestamp_millis", "timestamp_micros", "isnull", "isnotnull", "positive",
    "nullifzero", "zeroifnull", "map_contains_key", "array_size", "div", "date_from_unix_date", "sort_array", "first",
    "last", "encode", "decode", "element_at", "timestampadd", "dateadd", "timestampdiff", "date_diff", "try_divide",
    "array_prepend", "get", "from_unixtime", "timediff", "to_timestamp_ntz", "forall", "try_add", "try_subtract",
    "try_multiply", "to_timestamp_ltz", "make_timestamp_ntz", "make_timestamp_ltz", "std", "lcase", "ucase", "curdate",
    "localtimestamp", "try_avg", "count_if", "equal_null", "sign", "e", "dayname", "listagg", "try_mod", "try_to_date",
    "convert_timezone", "try_element_at", "current_timezone", "try_make_timestamp_ntz", "try_make_timestamp_ltz",
    "monotonically_increasing_id", "try_make_interval", "collect_union",
];

/// Parses `extract(field FROM x)` for the dialect with the field as written, so that Spark's
/// spellings (`yrs`, `dow_iso`, `secs`) are read; None (consuming nothing) for anything else.
pub fn parse_extract(parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
    let is_extract = matches!(&parser.peek_token().token, Token::Word(w) if w.keyword == Keyword::EXTRACT);
    let field = match (&parser.peek_nth_token(1).token, &parser.peek_nth_token(2).token, &parser.peek_nth_token(3).token) {
        (Token::LParen, Token::Word(field), Token::Word(from)) if is_extract && from.keyword == Keyword::FROM => field.value.clone(),
        _ => return None,
    };
    for _ in 0..4 {
        parser.next_token();
    }
    let expr = match parser.parse_expr() {
        Ok(e) => e,
        Err(e) => return Some(Err(e)),
    };
    if let Err(e) = parser.expect_token(&Token::RParen) {
        return Some(Err(e));
    }
    Some(Ok(Expr::Extract {
        field: datafusion::sql::sqlparser::ast::DateTimeField::Custom(Ident::new(field)),
        syntax: datafusion::sql::sqlparser::ast::ExtractSyntax::From,
        expr: Box::new(expr),
    }))
}

/// The engine's `extract` and `date_part`.
pub const EXTRACT: &str = "hivewire_extract";

/// Parses `exists(xs, x -> ...)` as a call for the dialect; None (consuming nothing) unless EXISTS
/// is followed by a parenthesis that does not open a query.
pub fn parse_exists_call(parser: &mut Parser) -> Option<Result<Expr, ParserError>> {
    let is_exists = matches!(&parser.peek_token().token, Token::Word(w) if w.keyword == Keyword::EXISTS);
    if !is_exists || parser.peek_nth_token(1).token != Token::LParen {
        return None;
    }
    let opens_query = match &parser.peek_nth_token(2).token {
        Token::Word(w) => matches!(w.keyword, Keyword::SELECT | Keyword::WITH | Keyword::VALUES | Keyword::FROM | Keyword::TABLE),
        Token::LParen => true,
        _ => false,
    };
    if opens_query {
        return None;
    }
    let word = parser.next_token();
    let Token::Word(w) = word.token else { return None };
    Some(parser.parse_function(ObjectName::from(vec![Ident::new(w.value)])))
}

fn cast(expr: Expr, data_type: DataType) -> Expr {
    Expr::Cast { kind: CastKind::Cast, expr: Box::new(expr), data_type, array: false, format: None }
}


/// The arguments of a call when each is a plain positional expression.
fn positional(list: &FunctionArgumentList) -> Option<Vec<Expr>> {
    list.args
        .iter()
        .map(|a| match a {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(x)) => Some(x.clone()),
            _ => None,
        })
        .collect()
}

/// A call of `name` over `args` that keeps `like`'s window and filter.
fn call_like(like: &Function, name: &str, args: Vec<Expr>) -> Option<Function> {
    let Expr::Function(mut out) = call(name, args) else { return None };
    out.over = like.over.clone();
    out.filter = like.filter.clone();
    Some(out)
}

/// A call's name (lower-cased, one part) and plain positional arguments.
pub(crate) fn plain_call(f: &Function) -> Option<(String, Vec<Expr>)> {
    let [part] = f.name.0.as_slice() else { return None };
    let name = part.as_ident()?.value.to_lowercase();
    let args = match &f.args {
        FunctionArguments::List(list) if list.clauses.is_empty() && list.duplicate_treatment.is_none() => positional(list)?,
        FunctionArguments::None => vec![],
        _ => return None,
    };
    Some((name, args))
}

/// A date, timestamp or interval literal.
fn datetime_literal(e: &Expr) -> bool {
    matches!(e, Expr::Interval(_) | Expr::TypedString(_)) || matches!(e, Expr::Nested(inner) if datetime_literal(inner))
}

/// A whole-number literal that fits an INT.
fn small_integer(e: &Expr) -> bool {
    match e {
        Expr::Value(v) => matches!(&v.value, Value::Number(n, false) if n.parse::<i32>().is_ok()),
        Expr::UnaryOp { expr, .. } => small_integer(expr),
        _ => false,
    }
}

/// `schema_of_json('json' [, map('option', 'value', ...)])` or `schema_of_csv(...)` of literals,
/// worked out here: `from_json` and `from_csv` take their schema only as a literal.
fn literal_schema(e: &Expr) -> Option<String> {
    let Expr::Function(f) = e else { return None };
    let (name, args) = plain_call(f)?;
    let literal = |e: &Expr| match e {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => Some(s.clone()),
            _ => None,
        },
        _ => None,
    };
    let (text, options) = match (name.as_str(), args.as_slice()) {
        ("schema_of_json" | "schema_of_csv", [text]) => (literal(text)?, vec![]),
        ("schema_of_json" | "schema_of_csv", [text, Expr::Function(map)]) => {
            let (map_name, pairs) = plain_call(map)?;
            if map_name != "map" || !pairs.len().is_multiple_of(2) {
                return None;
            }
            let pairs = pairs.chunks(2).map(|kv| Some((literal(&kv[0])?, literal(&kv[1])?))).collect::<Option<Vec<_>>>()?;
            (literal(text)?, pairs)
        }
        _ => return None,
    };
    if name == "schema_of_csv" {
        return crate::engine::spark_functions::schema_of_csv::infer_schema(&text, &options);
    }
    Some(crate::engine::spark_functions::schema_of_json::infer_schema(&text, &options))
}

/// The DataFusion form of a scalar Spark call, or None when it needs none.
fn scalar_form(name: &str, mut args: Vec<Expr>) -> Option<Expr> {
    Some(match (name, args.len()) {
        ("from_json" | "from_csv", n) if n >= 2 && literal_schema(&args[1]).is_some() => {
            let schema = literal_schema(&args[1])?;
            args[1] = text(schema);
            call(name, args)
        }
        ("isnull", 1) => Expr::IsNull(Box::new(args.remove(0))),
        // Spark's nvl is coalesce, typed as coalesce is (DataFusion's nvl makes DECIMAL and INT a
        // DOUBLE).
        ("nvl" | "ifnull", 2) => call("coalesce", args),
        // The zipped structs' fields are named after the arrays that are columns, else numbered
        // from 0; the arrays follow the names, for their NULLs.
        ("arrays_zip", n) if n > 0 => {
            let names: Vec<Expr> = args
                .iter()
                .enumerate()
                .map(|(i, a)| match a {
                    Expr::Identifier(id) => text(&id.value),
                    Expr::CompoundIdentifier(ids) => text(ids.last().map_or_else(|| i.to_string(), |id| id.value.clone())),
                    _ => text(i.to_string()),
                })
                .collect();
            let mut wrapped = vec![call(name, args.clone())];
            wrapped.extend(names);
            wrapped.extend(args);
            call(crate::engine::spark_functions::ZIP_NAMES, wrapped)
        }
        // The distinct elements of a group's arrays: NULL arrays and elements skipped, `[]` for
        // no rows.
        ("collect_union", 1) => {
            let x = args.remove(0);
            let mut collected = call("array_agg", vec![x.clone()]);
            // `cardinality` takes arrays only, so that anything else is refused, as Spark refuses it.
            let counted = Expr::BinaryOp { left: Box::new(call("cardinality", vec![x.clone()])), op: BinaryOperator::GtEq, right: Box::new(number(0)) };
            if let Expr::Function(f) = &mut collected {
                f.filter = Some(Box::new(counted));
            }
            let distinct = call("array_distinct", vec![call("array_compact", vec![call("flatten", vec![collected])])]);
            call("coalesce", vec![distinct, call("array", vec![])])
        }
        // Spark sorts ascending with NULLs last; DataFusion puts them first.
        ("array_sort", 1) => {
            args.extend([text("ASC"), text("NULLS LAST")]);
            call(name, args)
        }
        // Spark's empty map, which DataFusion's map() refuses.
        ("map", 0) => call("map_from_arrays", vec![call("array", vec![]), call("array", vec![])]),
        // Spark's result is the common type of the last two arguments alone (DataFusion's nvl2
        // takes the first's type into it too).
        ("nvl2", 3) => {
            let (otherwise, then) = (args.remove(2), args.remove(1));
            case_when(Expr::IsNotNull(Box::new(args.remove(0))), then, Some(otherwise))
        }
        // IF is the CASE it stands for, so that its branches take the common type CASE's do
        // (DataFusion's `if` refuses branches its own rules find no common type of).
        ("if", 3) => {
            let (otherwise, then) = (args.remove(2), args.remove(1));
            case_when(args.remove(0), then, Some(otherwise))
        }
        // `ceil(x, d)`/`floor(x, d)` written as calls (a scale that is not a plain number).
        ("ceil" | "ceiling" | "floor", 2) => {
            let places = args.remove(1);
            ceil_floor(args.remove(0), places, name != "floor")
        }
        ("isnotnull", 1) => Expr::IsNotNull(Box::new(args.remove(0))),
        // Text and NULL are read as a DOUBLE, as Spark's implicit cast reads them.
        ("positive", 1) if matches!(&args[0], Expr::Value(v) if matches!(v.value, Value::SingleQuotedString(_) | Value::DoubleQuotedString(_) | Value::Null)) => {
            cast(args.remove(0), DataType::Double(ExactNumberInfo::None))
        }
        ("positive", 1) => Expr::Nested(Box::new(args.remove(0))),
        // Spark reads a date from text or a timestamp, and the days from an INT or narrower, or text.
        ("date_add" | "date_sub" | "dateadd", 2) => {
            let days = call("hivewire_day_count", vec![args.remove(1)]);
            call(if name == "dateadd" { "date_add" } else { name }, vec![cast(args.remove(0), DataType::Date), days])
        }
        // Functions that take an INT, which a whole-number literal is only once planned.
        ("space" | "factorial", 1) => call(name, vec![cast(args.remove(0), DataType::Int(None))]),
        // Of a date, timestamp or text, by an INT of months.
        ("add_months", 2) => {
            let months = cast(args.remove(1), DataType::Int(None));
            call(name, vec![cast(args.remove(0), DataType::Date), months])
        }
        // Text or a number read as a timestamp, as a cast reads it (a number counts seconds).
        ("to_timestamp", 1) => cast(args.remove(0), DataType::Timestamp(None, TimezoneInfo::None)),
        // A date (or the date of a timestamp or text) truncated to its year, quarter, month or
        // week; NULL for any other unit, as in Spark.
        ("trunc", 2) => {
            let unit = args.remove(1);
            let known = |u: &str| matches!(u.to_ascii_lowercase().as_str(), "year" | "yyyy" | "yy" | "quarter" | "month" | "mm" | "mon" | "week");
            match &unit {
                Expr::Value(v) if matches!(&v.value, Value::SingleQuotedString(u) if !known(u)) => cast(Expr::value(Value::Null), DataType::Date),
                _ => call(name, vec![cast(args.remove(0), DataType::Date), unit]),
            }
        }
        // Of a timestamp or text, the day it falls on.
        ("last_day", 1) => call(name, vec![cast(args.remove(0), DataType::Date)]),
        // NULL is not NaN.
        ("isnan", 1) => call("coalesce", vec![call(name, args), Expr::value(Value::Boolean(false))]),
        ("next_day", 2) => {
            let day = args.remove(1);
            call(name, vec![cast(args.remove(0), DataType::Date), day])
        }
        ("timestampadd" | "dateadd" | "date_add", 3) => {
            let unit = unit_name(&args[0])?;
            let ts = cast(args.remove(2), DataType::Timestamp(None, TimezoneInfo::None));
            let n = cast(args.remove(1), DataType::BigInt(None));
            call("hivewire_timestampadd", vec![text(&unit), n, ts])
        }
        ("timestampdiff" | "datediff" | "date_diff" | "timediff", 3) => {
            let unit = unit_name(&args[0])?;
            let end = cast(args.remove(2), DataType::Timestamp(None, TimezoneInfo::None));
            let start = cast(args.remove(1), DataType::Timestamp(None, TimezoneInfo::None));
            call("hivewire_timestampdiff", vec![text(&unit), start, end])
        }
        ("try_divide", 2) => {
            let divisor = args.remove(1);
            let divisor = if super::division::nonzero_number(&divisor) { super::division::marked(divisor) } else { call("nullif", vec![divisor, number("0")]) };
            call("hivewire_divide", vec![super::division::marked(args.remove(0)), divisor])
        }
        ("encode", 2) => call("spark_encode", args),
        ("decode", 2) => call("spark_decode", args),
        ("decode", n) if n >= 3 => search_and_result(args),
        ("regexp_count", 2) | ("cardinality", 1) | ("regexp_instr", 2 | 3) => cast(call(name, args), DataType::Int(None)),
        // The start value of a fold keeps Spark's INT type for a small whole number (literals
        // inside lambda calls are typed before they are narrowed).
        ("aggregate" | "reduce", 3 | 4) if small_integer(&args[1]) => {
            args[1] = cast(args[1].clone(), DataType::Int(None));
            call(name, args)
        }
        // `forall(xs, x -> p)` is `NOT exists(xs, x -> NOT p)`, with three-valued logic.
        ("forall", 2) => {
            let Expr::Lambda(mut lambda) = args.remove(1) else { return None };
            lambda.body = Box::new(Expr::UnaryOp { op: datafusion::sql::sqlparser::ast::UnaryOperator::Not, expr: Box::new(Expr::Nested(lambda.body)) });
            let any = call("array_any_match", vec![args.remove(0), Expr::Lambda(lambda)]);
            Expr::UnaryOp { op: datafusion::sql::sqlparser::ast::UnaryOperator::Not, expr: Box::new(any) }
        }
        ("date_part" | "datepart" | "extract", 2) if matches!(&args[0], Expr::Value(v) if matches!(v.value, Value::SingleQuotedString(_))) => call(EXTRACT, args),
        // Dates and intervals as literals take the operator, which Spark's try_ functions apply to
        // them; numbers take the engine's functions, NULL on overflow.
        ("try_add" | "try_subtract" | "try_multiply", 2) => {
            let op = match name {
                "try_add" => BinaryOperator::Plus,
                "try_subtract" => BinaryOperator::Minus,
                _ => BinaryOperator::Multiply,
            };
            if args.iter().any(datetime_literal) {
                let right = args.remove(1);
                return Some(Expr::Nested(Box::new(Expr::BinaryOp { left: Box::new(args.remove(0)), op, right: Box::new(right) })));
            }
            call(&format!("hivewire_{name}"), args)
        }
        ("replace", 2) => {
            args.push(text(""));
            call(name, args)
        }
        // Spark reads a length given as text.
        ("left" | "right", 2) => {
            let n = cast(args.remove(1), DataType::BigInt(None));
            call(name, vec![args.remove(0), n])
        }
        // Spark's message names the condition as it prints it.
        ("assert_true", 1) => {
            let shown = super::spark_names::spark_name(&args[0]).unwrap_or_else(|| args[0].to_string());
            let message = text(format!("'{shown}' is not true!"));
            call(name, vec![args.remove(0), message])
        }
        // Unique and increasing: the row's place in the query's output, from 0.
        ("monotonically_increasing_id", 0) => {
            let Expr::Function(mut position) = call("row_number", vec![]) else { return None };
            position.over = Some(datafusion::sql::sqlparser::ast::WindowType::WindowSpec(datafusion::sql::sqlparser::ast::WindowSpec {
                window_name: None,
                partition_by: vec![],
                order_by: vec![],
                window_frame: None,
            }));
            let from_zero = Expr::BinaryOp { left: Box::new(Expr::Function(position)), op: BinaryOperator::Minus, right: Box::new(number(1)) };
            cast(Expr::Nested(Box::new(from_zero)), DataType::BigInt(None))
        }
        ("equal_null", 2) => Expr::IsNotDistinctFrom(Box::new(args.remove(0)), Box::new(args.remove(0))),
        ("sign", 1) => call("signum", vec![cast(args.remove(0), DataType::Double(ExactNumberInfo::None))]),
        // Spark's one-argument log is the natural logarithm; DataFusion's is base 10.
        ("log", 1) => call("ln", args),
        ("e", 0) => call("exp", vec![cast(number(1), DataType::Double(ExactNumberInfo::None))]),
        ("dayname", 1) => call("date_format", vec![args.remove(0), text("EEE")]),
        ("try_mod", 2) => {
            let divisor = call("nullif", vec![args.remove(1), number("0")]);
            Expr::BinaryOp { left: Box::new(args.remove(0)), op: BinaryOperator::Modulo, right: Box::new(divisor) }
        }
        ("try_to_date", 1) => Expr::Cast {
            kind: CastKind::TryCast,
            expr: Box::new(args.remove(0)),
            data_type: DataType::Date,
            array: false,
            format: None,
        },
        ("try_to_date", 2) => cast(call("try_to_timestamp", args), DataType::Date),
        ("convert_timezone", 3) => {
            let time = cast(args.remove(2), DataType::Timestamp(None, TimezoneInfo::None));
            let instant = call("to_utc_timestamp", vec![time, args.remove(0)]);
            call("from_utc_timestamp", vec![instant, args.remove(0)])
        }
        ("nullifzero", 1) => call("nullif", vec![args.remove(0), number("0")]),
        ("zeroifnull", 1) => call("coalesce", vec![args.remove(0), number("0")]),
        // As a one-key set test, which finds a common type for keys of different numeric types
        // (`map_contains_key(map(1, 'a'), 1.0)`), as Spark does.
        ("map_contains_key", 2) => {
            let key = args.remove(1);
            call("array_has_any", vec![call("map_keys", args), call("make_array", vec![key])])
        }
        ("array_size", 1) => cast(call("array_length", args), DataType::Int(None)),
        // NULL where the array is. Spark's array_prepend takes the array first; DataFusion's
        // (under this alias) the element.
        ("array_append" | "array_prepend", 2) => {
            let array = args.remove(0);
            let element = args.remove(0);
            let appended = if name == "array_append" { call(name, vec![array.clone(), element]) } else { call("list_prepend", vec![element, array.clone()]) };
            case_when(Expr::IsNull(Box::new(array)), Expr::value(Value::Null), Some(appended))
        }
        // Seconds since the epoch as text, in Spark's default pattern or the one given.
        // With a third argument, the session's zone, the time is the zone's wall-clock time.
        ("from_unixtime", 1..=3) => {
            let zone = if args.len() == 3 { Some(args.remove(2)) } else { None };
            let pattern = if args.len() == 2 { args.remove(1) } else { text("yyyy-MM-dd HH:mm:ss") };
            let seconds = cast(args.remove(0), DataType::BigInt(None));
            let time = call("to_timestamp_seconds", vec![seconds]);
            let time = match zone {
                Some(zone) => call("from_utc_timestamp", vec![time, zone]),
                None => time,
            };
            call("date_format", vec![time, pattern])
        }
        // `get(xs, i)` is `xs[i]`: counted from 0, NULL out of range.
        ("get", 2) => call(super::subscripts::SUBSCRIPT, args),
        ("div", 2) => {
            let right = args.remove(1);
            Expr::BinaryOp { left: Box::new(args.remove(0)), op: BinaryOperator::MyIntegerDivide, right: Box::new(right) }
        }
        ("timestamp_millis", 1) => cast(call("to_timestamp_millis", args), DataType::Timestamp(None, TimezoneInfo::None)),
        ("timestamp_micros", 1) => cast(call("to_timestamp_micros", args), DataType::Timestamp(None, TimezoneInfo::None)),
        ("date_from_unix_date", 1) => cast(cast(args.remove(0), DataType::Int(None)), DataType::Date),
        ("sort_array", 1 | 2) => {
            let ascending = match args.get(1) {
                None => true,
                Some(Expr::Value(v)) => match v.value {
                    Value::Boolean(b) => b,
                    _ => return None,
                },
                Some(_) => return None,
            };
            let (order, nulls) = if ascending { ("ASC", "NULLS FIRST") } else { ("DESC", "NULLS LAST") };
            call("array_sort", vec![args.remove(0), text(order), text(nulls)])
        }
        _ => return None,
    })
}

/// The unit of `timestampadd(MONTH, ...)`: a bare word, as Spark requires.
fn unit_name(e: &Expr) -> Option<String> {
    match e {
        Expr::Identifier(i) if i.quote_style.is_none() => Some(i.value.to_uppercase()),
        _ => None,
    }
}

/// `decode(x, search1, result1, ..., [default])`: the result of the first search that `x` equals,
/// NULL equal to NULL, as a CASE.
fn search_and_result(mut args: Vec<Expr>) -> Expr {
    let subject = args.remove(0);
    let default = (args.len() % 2 == 1).then(|| args.pop()).flatten();
    let mut conditions = Vec::with_capacity(args.len() / 2);
    let mut pairs = args.into_iter();
    while let (Some(search), Some(result)) = (pairs.next(), pairs.next()) {
        let condition =
            Expr::BinaryOp { left: Box::new(subject.clone()), op: BinaryOperator::Spaceship, right: Box::new(search) };
        conditions.push(CaseWhen { condition, result });
    }
    Expr::Case {
        case_token: AttachedToken::empty(),
        end_token: AttachedToken::empty(),
        operand: None,
        conditions,
        else_result: default.map(Box::new),
    }
}

/// `first(x, true)` / `last(x, true)`: the aggregates, ignoring NULLs when the flag says so; and
/// `any_value(x [, true])` over a window.
fn first_last(f: &Function, name: &str, args: &[Expr]) -> Option<Function> {
    let target = match name {
        "first" | "first_value" => "first_value",
        "last" | "last_value" => "last_value",
        // In a window `any_value` is the frame's first value (DataFusion's cannot slide).
        "any_value" if f.over.is_some() => "first_value",
        // Outside a window, any row's value; with the flag set, any row's that is not NULL.
        "any_value" if args.len() == 2 => "first_value",
        _ => return None,
    };
    let ignore_nulls = match args {
        [_] if name.len() <= 5 || name == "any_value" => false,
        [_, Expr::Value(v)] => matches!(v.value, Value::Boolean(true)),
        _ => return None,
    };
    let mut out = call_like(f, target, vec![args[0].clone()])?;
    out.null_treatment = if ignore_nulls { Some(NullTreatment::IgnoreNulls) } else { f.null_treatment };
    Some(out)
}

/// Aggregates Spark has under another form, keeping their window, filter, DISTINCT and order:
/// `count_if(p)` counts the rows where `p` is true, and `listagg(x [, sep])` (with or without
/// `WITHIN GROUP (ORDER BY ...)`) is `string_agg` over text or bytes, whose separator defaults to
/// nothing.
fn reshaped_aggregate(f: &Function) -> Option<Function> {
    let [part] = f.name.0.as_slice() else { return None };
    let name = part.as_ident()?.value.to_lowercase();
    let FunctionArguments::List(list) = &f.args else { return None };
    if !list.clauses.is_empty() {
        return None;
    }
    let args = positional(list)?;
    // `mode() WITHIN GROUP (ORDER BY x [DESC])`: the most frequent value, the smallest (largest)
    // of equally frequent ones.
    if name == "mode" && args.is_empty() {
        let [key] = f.within_group.as_slice() else { return None };
        let largest = key.options.asc == Some(false);
        return call_like(f, "mode", vec![key.expr.clone(), Expr::value(Value::Boolean(true)), Expr::value(Value::Boolean(largest))]);
    }
    // `percentile_disc(p) WITHIN GROUP (ORDER BY x [DESC])`: the engine's takes the order as arguments.
    if let ("percentile_disc", [p], [key]) = (name.as_str(), args.as_slice(), f.within_group.as_slice()) {
        let descending = Expr::value(Value::Boolean(key.options.asc == Some(false)));
        return call_like(f, "percentile_disc", vec![key.expr.clone(), p.clone(), descending]);
    }
    let listed = |x: &Expr| call(crate::engine::spark_functions::LISTAGG_VALUE, vec![x.clone()]);
    let (target, new_args) = match (name.as_str(), args.as_slice()) {
        ("count_if", [p]) => {
            let counted = case_when(p.clone(), number(1), None);
            ("count", vec![counted])
        }
        // Spark sums and averages an untyped NULL as a DOUBLE.
        ("sum" | "avg" | "mean", [Expr::Value(v)]) if matches!(v.value, Value::Null) => {
            (if name == "sum" { "sum" } else { "avg" }, vec![cast(args[0].clone(), DataType::Double(ExactNumberInfo::None))])
        }
        ("listagg" | "string_agg", [x]) => ("string_agg", vec![listed(x), text("")]),
        ("listagg" | "string_agg", [x, sep]) => ("string_agg", vec![listed(x), call("coalesce", vec![sep.clone(), text("")])]),
        _ => return None,
    };
    let mut out = call_like(f, target, new_args)?;
    if let FunctionArguments::List(out_list) = &mut out.args {
        out_list.duplicate_treatment = list.duplicate_treatment;
        if !f.within_group.is_empty() {
            out_list.clauses.push(datafusion::sql::sqlparser::ast::FunctionArgumentClause::OrderBy(f.within_group.clone()));
        }
    }
    Some(out)
}

/// `count(DISTINCT a, b)`: the distinct tuples with no NULL member, counted as one struct value
/// each (DataFusion counts one argument).
fn count_distinct_tuples(f: &mut Function) {
    let is_count = matches!(f.name.0.as_slice(), [p] if p.as_ident().is_some_and(|i| i.value.eq_ignore_ascii_case("count")));
    let FunctionArguments::List(list) = &mut f.args else { return };
    if !is_count || list.duplicate_treatment != Some(DuplicateTreatment::Distinct) || list.args.len() < 2 {
        return;
    }
    let Some(args) = positional(list) else { return };
    let all_present = args
        .iter()
        .map(|a| Expr::IsNotNull(Box::new(a.clone())))
        .reduce(|l, r| Expr::BinaryOp { left: Box::new(l), op: BinaryOperator::And, right: Box::new(r) });
    let fields = args.iter().enumerate().flat_map(|(i, a)| [text(format!("c{i}")), a.clone()]).collect();
    let Some(condition) = all_present else { return };
    let tuple = Expr::Case {
        case_token: AttachedToken::empty(),
        end_token: AttachedToken::empty(),
        operand: None,
        conditions: vec![CaseWhen { condition, result: call("named_struct", fields) }],
        else_result: None,
    };
    list.args = vec![FunctionArg::Unnamed(FunctionArgExpr::Expr(tuple))];
}

/// Spark operators DataFusion does not plan: `s RLIKE re` and `s REGEXP re` are `regexp_like(s,
/// re)`, and `~x` is `x ^ -1` (every bit flipped, in `x`'s type).
fn operator_form(e: &Expr) -> Option<Expr> {
    match e {
        Expr::RLike { negated, expr, pattern, .. } => {
            let matched = call("regexp_like", vec![expr.as_ref().clone(), pattern.as_ref().clone()]);
            Some(if *negated { Expr::UnaryOp { op: datafusion::sql::sqlparser::ast::UnaryOperator::Not, expr: Box::new(matched) } } else { matched })
        }
        // `substr`/`SUBSTRING(x FROM a FOR n)` as a call, so that the session's function (which
        // reads numbers and dates as text) answers it.
        Expr::Substring { expr, substring_from, substring_for, .. } => {
            let mut args = vec![expr.as_ref().clone(), substring_from.as_deref().cloned().unwrap_or_else(|| number(1))];
            args.extend(substring_for.as_deref().cloned());
            Some(call("substr", args))
        }
        // `ceil(x, d)` and `floor(x, d)`, which DataFusion does not plan.
        Expr::Ceil { expr, field: datafusion::sql::sqlparser::ast::CeilFloorKind::Scale(d) } | Expr::Floor { expr, field: datafusion::sql::sqlparser::ast::CeilFloorKind::Scale(d) } => {
            Some(ceil_floor(expr.as_ref().clone(), Expr::Value(d.clone()), matches!(e, Expr::Ceil { .. })))
        }
        Expr::UnaryOp { op: datafusion::sql::sqlparser::ast::UnaryOperator::BitwiseNot, expr } => Some(Expr::Nested(Box::new(Expr::BinaryOp {
            left: expr.clone(),
            op: BinaryOperator::BitwiseXor,
            right: Box::new(Expr::UnaryOp { op: datafusion::sql::sqlparser::ast::UnaryOperator::Minus, expr: Box::new(number(1)) }),
        }))),
        _ => None,
    }
}

/// `ceil(x, places)` (`up`) or `floor(x, places)`, as the engine's function computes them.
fn ceil_floor(x: Expr, places: Expr, up: bool) -> Expr {
    call(crate::engine::spark_functions::ceil_floor_scale::CEIL_FLOOR, vec![x, places, text(if up { "ceil" } else { "floor" })])
}

/// Rewrites every Spark call that DataFusion knows by another name or form.
pub fn rewrite(stmt: &mut Statement) {
    struct Calls;
    impl VisitorMut for Calls {
        type Break = ();
        fn post_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
            if let Expr::Extract { field, expr, .. } = e {
                let field = match field {
                    datafusion::sql::sqlparser::ast::DateTimeField::Custom(id) => id.value.clone(),
                    other => other.to_string(),
                };
                *e = call(EXTRACT, vec![text(field), expr.as_ref().clone()]);
                return ControlFlow::Continue(());
            }
            if let Some(replacement) = operator_form(e) {
                *e = replacement;
                return ControlFlow::Continue(());
            }
            let Expr::Function(f) = e else { return ControlFlow::Continue(()) };
            count_distinct_tuples(f);
            if let Some(replacement) = reshaped_aggregate(f) {
                *f = replacement;
                return ControlFlow::Continue(());
            }
            let Some((name, args)) = plain_call(f) else { return ControlFlow::Continue(()) };
            // Spark's ranking functions are INT; DataFusion's are BIGINT.
            if f.over.is_some() && INT_RANKINGS.contains(&name.as_str()) {
                *e = cast(e.clone(), DataType::Int(None));
                return ControlFlow::Continue(());
            }
            // `array_sort(xs, (a, b) -> ...)` sorts by the comparator.
            if name == "array_sort" && matches!(args.get(1), Some(Expr::Lambda(_))) {
                f.name = ObjectName::from(vec![Ident::new(crate::engine::lambdas::ARRAY_SORT_BY)]);
                return ControlFlow::Continue(());
            }
            // `transform(xs, (x, i) -> ...)` passes each element's index too.
            if name == "transform" && matches!(args.get(1), Some(Expr::Lambda(l)) if l.params.len() == 2) {
                f.name = ObjectName::from(vec![Ident::new(TRANSFORM_INDEXED)]);
                return ControlFlow::Continue(());
            }
            if let Some(replacement) = first_last(f, &name, &args) {
                *f = replacement;
            } else if let Some((_, to)) = RENAMED.iter().find(|(from, _)| *from == name) {
                f.name = ObjectName::from(vec![Ident::new(*to)]);
            } else if f.over.is_none() && f.filter.is_none() {
                if let Some(replacement) = scalar_form(&name, args) {
                    *e = replacement;
                }
            }
            ControlFlow::Continue(())
        }
    }
    let _ = stmt.visit(&mut Calls);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(sql: &str) -> String {
        crate::hiveql::rewritten(sql, rewrite)
    }

    #[test]
    fn from_json_takes_the_schema_of_a_literal() {
        assert_eq!(
            r(r#"SELECT from_json(j, schema_of_json('{"c1":[0]}')), from_json(j, schema_of_json('{"c":1}', map('primitivesAsString', 'true')))"#),
            "SELECT from_json(j, 'STRUCT<c1: ARRAY<BIGINT>>'), from_json(j, 'STRUCT<c: STRING>')"
        );
        assert_eq!(r("SELECT from_json(j, schema_of_json(k))"), "SELECT from_json(j, schema_of_json(k))");
    }

    #[test]
    fn array_prepend_and_get_take_sparks_argument_order() {
        assert_eq!(r("SELECT array_prepend(xs, 4), get(xs, 1) FROM t"), "SELECT CASE WHEN xs IS NULL THEN NULL ELSE list_prepend(4, xs) END, hivewire_subscript(xs, 1) FROM t");
        assert_eq!(r("SELECT from_unixtime(s)"), "SELECT date_format(to_timestamp_seconds(CAST(s AS BIGINT)), 'yyyy-MM-dd HH:mm:ss')");
    }

    #[test]
    fn renamed_and_reshaped_calls() {
        assert_eq!(r("SELECT startswith(a, 'x'), transform(xs, x -> x + 1) FROM t"), "SELECT starts_with(a, 'x'), array_transform(xs, x -> x + 1) FROM t");
        assert_eq!(r("SELECT isnotnull(a), positive(b), div(7, 2)"), "SELECT a IS NOT NULL, (b), 7 DIV 2");
        assert_eq!(r("SELECT map_contains_key(m, 1)"), "SELECT array_has_any(map_keys(m), make_array(1))");
        assert_eq!(r("SELECT sort_array(xs, false)"), "SELECT array_sort(xs, 'DESC', 'NULLS LAST')");
        assert_eq!(r("SELECT decode(x, 1, 'a', 'z')"), "SELECT CASE WHEN x <=> 1 THEN 'a' ELSE 'z' END");
        assert_eq!(
            r("SELECT timestampadd(MONTH, -1, t) FROM x"),
            "SELECT hivewire_timestampadd('MONTH', CAST(-1 AS BIGINT), CAST(t AS TIMESTAMP)) FROM x"
        );
    }

    #[test]
    fn spark_operators_and_aggregate_forms() {
        assert_eq!(r("SELECT s RLIKE 'a', s NOT REGEXP 'b', ~x FROM t"), "SELECT regexp_like(s, 'a'), NOT regexp_like(s, 'b'), (x ^ -1) FROM t");
        assert_eq!(r("SELECT count_if(x > 1) FROM t"), "SELECT count(CASE WHEN x > 1 THEN 1 END) FROM t");
        assert_eq!(
            r("SELECT listagg(DISTINCT s) WITHIN GROUP (ORDER BY s) FROM t"),
            "SELECT string_agg(DISTINCT hivewire_listagg_value(s), '' ORDER BY s) FROM t"
        );
        assert_eq!(r("SELECT mode() WITHIN GROUP (ORDER BY x DESC) FROM t"), "SELECT mode(x, true, true) FROM t");
        assert_eq!(r("SELECT log(x), regexp_replace(s, 'a', 'b') FROM t"), "SELECT ln(x), hivewire_regexp_replace(s, 'a', 'b') FROM t");
    }

    #[test]
    fn count_distinct_of_several_columns_counts_tuples() {
        assert_eq!(
            r("SELECT count(DISTINCT a, b) FROM t"),
            "SELECT count(DISTINCT CASE WHEN a IS NOT NULL AND b IS NOT NULL THEN named_struct('c0', a, 'c1', b) END) FROM t"
        );
    }

    #[test]
    fn first_and_last_take_their_ignore_nulls_flag() {
        assert_eq!(r("SELECT first(a, true), last(b) FROM t"), "SELECT first_value(a) IGNORE NULLS, last_value(b) FROM t");
        assert_eq!(r("SELECT first_value(a, false) FROM t"), "SELECT first_value(a) FROM t");
    }

    #[test]
    fn exists_reads_as_a_call_or_a_subquery() {
        let call = crate::hiveql::parse_one("SELECT exists(xs, x -> x > 1)", crate::hiveql::Flavor::Hive).unwrap();
        assert_eq!(call.to_string(), "SELECT exists(xs, x -> x > 1)");
        let sub = crate::hiveql::parse_one("SELECT 1 WHERE EXISTS (SELECT 1)", crate::hiveql::Flavor::Hive).unwrap();
        assert_eq!(sub.to_string(), "SELECT 1 WHERE EXISTS (SELECT 1)");
    }
}
