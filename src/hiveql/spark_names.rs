//! Result column names as Spark gives them. A select item without an alias is named by Spark
//! after its expression, printed Spark's way: `count(1)` for `COUNT(*)`, `(a + b)`, `foo` for the
//! literal `'foo'`, `CAST(x AS STRING)`. DataFusion's own names differ (`count(Int64(1))`,
//! `t.a + t.b`, `Utf8("foo")`), and clients show these names as column headers, so the HiveQL
//! front end gives each such item Spark's name as its alias before planning. Expressions this
//! module cannot print as Spark does keep DataFusion's name.

use std::collections::HashSet;
use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    visit_expressions_mut, AccessExpr, BinaryOperator, CastKind, DataType, DuplicateTreatment, Expr, FunctionArg, FunctionArgExpr, FunctionArguments,
    Ident, LambdaFunction, SelectItem, Statement, Subscript, UnaryOperator, Value,
};

/// The marks around a star argument (`hash(*)`) in a name, for the engine to put the columns in.
pub const STAR_START: char = '\u{E010}';
/// See [`STAR_START`].
pub const STAR_END: char = '\u{E011}';

/// Names every unaliased, computed select item of every SELECT in the statement.
pub fn apply(stmt: &mut Statement) {
    super::ast::rewrite_selects(stmt, |select| name_items(&mut select.projection));
}

fn name_items(items: &mut [SelectItem]) {
    // Names already taken, so that no two items end up with one name (DataFusion rejects that).
    let mut taken: HashSet<String> = items
        .iter()
        .filter_map(|i| match i {
            SelectItem::ExprWithAlias { alias, .. } => Some(alias.value.to_lowercase()),
            SelectItem::UnnamedExpr(Expr::Identifier(id)) => Some(id.value.to_lowercase()),
            SelectItem::UnnamedExpr(Expr::CompoundIdentifier(ids)) => ids.last().map(|i| i.value.to_lowercase()),
            _ => None,
        })
        .collect();
    for item in items.iter_mut() {
        let SelectItem::UnnamedExpr(expr) = item else { continue };
        if matches!(expr, Expr::Identifier(_) | Expr::CompoundIdentifier(_)) {
            continue;
        }
        let Some(name) = spark_name(expr) else { continue };
        if !taken.insert(name.to_lowercase()) {
            continue;
        }
        let alias = Ident::with_quote('`', name);
        *item = SelectItem::ExprWithAlias { expr: expr.clone(), alias };
    }
}

/// The column a select item casts (`CAST(x AS STRING)`, `TRY_CAST(t.x AS INT)`, `x::int`,
/// `int(x)`): Spark names such an item after the column, where it names a cast of anything else
/// `CAST(... AS ...)`.
fn cast_column(e: &Expr) -> Option<String> {
    let function_form = super::spark_types::cast_function_argument(e);
    let inner = match (e, &function_form) {
        (Expr::Cast { expr, .. }, _) => expr.as_ref(),
        (_, Some(argument)) => argument,
        _ => return None,
    };
    match inner {
        Expr::Identifier(i) => Some(i.value.clone()),
        Expr::CompoundIdentifier(ids) => Some(ids.last()?.value.clone()),
        _ => None,
    }
}

/// Spark's name for an unaliased select item computing `e`, or None when it is not known.
pub fn spark_name(e: &Expr) -> Option<String> {
    cast_column(e).or_else(|| print(e))
}

/// Spark's text for an expression, or None when it is not known.
fn print(e: &Expr) -> Option<String> {
    if let Some(q) = super::like_quantifiers::quantified(e) {
        return quantified_like(&q);
    }
    Some(match e {
        Expr::Identifier(i) => i.value.clone(),
        Expr::CompoundIdentifier(ids) => ids.last()?.value.clone(),
        Expr::Value(v) => literal(&v.value)?,
        Expr::Nested(inner) => print(inner)?,
        // `struct(t.*)`: spread once planned, as a star argument is.
        Expr::QualifiedWildcard(prefix, _) => format!("{STAR_START}{}.*{STAR_END}", prefix.0.last()?.as_ident()?.value),
        Expr::Named { expr, name } => format!("{} AS {}", print(expr)?, name.value),
        Expr::Lambda(l) => lambda(l)?,
        Expr::UnaryOp { op: datafusion::sql::sqlparser::ast::UnaryOperator::BitwiseNot, expr } => format!("~{}", print(expr)?),
        Expr::Ceil { expr, field } | Expr::Floor { expr, field } => {
            let name = if matches!(e, Expr::Ceil { .. }) { "ceil" } else { "floor" };
            match field {
                datafusion::sql::sqlparser::ast::CeilFloorKind::DateTimeField(datafusion::sql::sqlparser::ast::DateTimeField::NoDateTime) => {
                    format!("{}({})", name.to_uppercase(), print(expr)?)
                }
                datafusion::sql::sqlparser::ast::CeilFloorKind::Scale(scale) => format!("{name}({}, {})", print(expr)?, literal(&scale.value)?),
                _ => return None,
            }
        }
        Expr::Interval(i) => super::intervals::spark_name(i)?,
        Expr::TypedString(t) => format!("{} '{}'", t.data_type.to_string().to_uppercase(), t.value.clone().into_string()?),
        Expr::CompoundFieldAccess { root, access_chain } => {
            let mut text = print(root)?;
            for access in access_chain {
                match access {
                    AccessExpr::Subscript(Subscript::Index { index }) => text.push_str(&format!("[{}]", print(index)?)),
                    AccessExpr::Dot(Expr::Identifier(f)) => text.push_str(&format!(".{}", f.value)),
                    _ => return None,
                }
            }
            text
        }
        Expr::InSubquery { .. } | Expr::Exists { .. } | Expr::Subquery(_) => super::subquery_names::name(e, print)?,
        Expr::Overlay { expr, overlay_what, overlay_from, overlay_for } => match overlay_for {
            Some(length) => format!("overlay({}, {}, {}, {})", print(expr)?, print(overlay_what)?, print(overlay_from)?, print(length)?),
            None => format!("overlay({}, {}, {}, -1)", print(expr)?, print(overlay_what)?, print(overlay_from)?),
        },
        // `substring(s FROM 5)`: `substring(s, 5, 2147483647)`.
        Expr::Substring { expr, substring_from: Some(from), substring_for, shorthand, special } => {
            let length = match substring_for {
                Some(l) => print(l)?,
                None => i32::MAX.to_string(),
            };
            // `substr(s, 5)` keeps its name; `substr(s FROM 5)` is named as substring.
            let name = if *shorthand && *special { "substr" } else { "substring" };
            format!("{name}({}, {}, {length})", print(expr)?, print(from)?)
        }
        Expr::Extract { field: datafusion::sql::sqlparser::ast::DateTimeField::Custom(id), expr, .. } => {
            format!("extract({} FROM {})", id.value, print(expr)?)
        }
        // `position(a IN b)` is `locate(a, b, 1)`.
        Expr::Position { expr, r#in } => format!("locate({}, {}, 1)", print(expr)?, print(r#in)?),
        Expr::BinaryOp { left, op: BinaryOperator::StringConcat, right } => format!("concat({}, {})", print(left)?, print(right)?),
        Expr::Trim { trim_where, trim_what, expr, trim_characters: None } => match (trim_where, trim_what) {
            (None, None) => format!("trim({})", print(expr)?),
            (side, Some(what)) => {
                let side = side.as_ref().map_or("BOTH".to_string(), |s| s.to_string().to_uppercase());
                format!("TRIM({side} {} FROM {})", print(what)?, print(expr)?)
            }
            (Some(_), None) => return None,
        },
        Expr::BinaryOp { left, op: BinaryOperator::NotEq, right } => format!("(NOT ({} = {}))", print(left)?, print(right)?),
        // A date plus or minus a number of days is Spark's date_add or date_sub.
        Expr::BinaryOp { left, op: op @ (BinaryOperator::Plus | BinaryOperator::Minus), right } if date_literal(left) && number_or_null(right) => {
            format!("{}({}, {})", if *op == BinaryOperator::Plus { "date_add" } else { "date_sub" }, print(left)?, print(right)?)
        }
        Expr::BinaryOp { left, op: BinaryOperator::Plus, right } if number_or_null(left) && date_literal(right) => {
            format!("date_add({}, {})", print(right)?, print(left)?)
        }
        // A date or time plus or minus an interval is written without parentheses.
        Expr::BinaryOp { left, op: op @ (BinaryOperator::Plus | BinaryOperator::Minus), right } if interval_literal(right) != interval_literal(left) && !number_or_null(left) && !number_or_null(right) => {
            format!("{} {} {}", print(left)?, operator(op)?, print(right)?)
        }
        // Spark puts the interval first in a product with a number.
        Expr::BinaryOp { left, op: BinaryOperator::Multiply, right } if interval_literal(right) && !interval_literal(left) => {
            format!("({} * {})", print(right)?, print(left)?)
        }
        Expr::BinaryOp { left, op, right } => format!("({} {} {})", print(left)?, operator(op)?, print(right)?),
        Expr::Case { operand, conditions, else_result, .. } => {
            let mut text = String::from("CASE");
            for c in conditions {
                let test = match operand {
                    Some(o) => format!("({} = {})", print(o)?, print(&c.condition)?),
                    None => print(&c.condition)?,
                };
                text.push_str(&format!(" WHEN {test} THEN {}", print(&c.result)?));
            }
            if let Some(e) = else_result {
                text.push_str(&format!(" ELSE {}", print(e)?));
            }
            text.push_str(" END");
            text
        }
        Expr::RLike { negated, expr, pattern, .. } => {
            let matched = format!("RLIKE({}, {})", print(expr)?, print(pattern)?);
            if *negated { format!("(NOT {matched})") } else { matched }
        }
        Expr::UnaryOp { op: UnaryOperator::Minus, expr } => match expr.as_ref() {
            Expr::Value(v) => format!("-{}", literal(&v.value)?),
            typed @ Expr::Function(_) if super::spark_types::typed_literal(typed).is_some() => format!("-{}", print(typed)?),
            other => format!("(- {})", print(other)?),
        },
        Expr::UnaryOp { op: UnaryOperator::Not, expr } => format!("(NOT {})", print(expr)?),
        Expr::UnaryOp { op: UnaryOperator::Plus, expr } => format!("(+ {})", print(expr)?),
        Expr::InList { expr, list, negated } => {
            let items = list.iter().map(print).collect::<Option<Vec<_>>>()?;
            negated_if(*negated, format!("({} IN ({}))", print(expr)?, items.join(", ")))
        }
        Expr::Between { expr, negated, low, high } => {
            negated_if(*negated, format!("between({}, {}, {})", print(expr)?, print(low)?, print(high)?))
        }
        Expr::IsTrue(x) => format!("({} <=> true)", print(x)?),
        Expr::IsNotTrue(x) => format!("(NOT ({} <=> true))", print(x)?),
        Expr::IsFalse(x) => format!("({} <=> false)", print(x)?),
        Expr::IsNotFalse(x) => format!("(NOT ({} <=> false))", print(x)?),
        Expr::IsNotDistinctFrom(a, b) => format!("({} <=> {})", print(a)?, print(b)?),
        Expr::IsDistinctFrom(a, b) => format!("(NOT ({} <=> {}))", print(a)?, print(b)?),
        Expr::Like { negated, any: false, expr, pattern, escape_char: None } => {
            negated_if(*negated, format!("{} LIKE {}", print(expr)?, print(pattern)?))
        }
        Expr::ILike { negated, any: false, expr, pattern, escape_char: None } => {
            negated_if(*negated, format!("ilike({}, {})", print(expr)?, print(pattern)?))
        }
        Expr::IsNull(x) => format!("({} IS NULL)", print(x)?),
        Expr::IsNotNull(x) => format!("({} IS NOT NULL)", print(x)?),
        Expr::Function(_) if super::spark_types::typed_literal(e).is_some() => {
            let (number, data_type) = super::spark_types::typed_literal(e)?;
            match data_type {
                DataType::Double(_) | DataType::DoublePrecision | DataType::Float(_) | DataType::Real => {
                    super::java_numbers::double_text(number.parse().ok()?)
                }
                _ => number,
            }
        }
        // A NULL cast to an array, map or struct is a typed NULL literal to Spark.
        Expr::Cast { expr, data_type: DataType::Array(_) | DataType::Map(..) | DataType::Struct(..), .. }
            if matches!(expr.as_ref(), Expr::Value(v) if v.value == Value::Null) =>
        {
            "NULL".into()
        }
        Expr::Cast { kind: CastKind::Cast | CastKind::DoubleColon, expr, data_type, .. } => {
            format!("CAST({} AS {})", print(expr)?, type_name(data_type)?)
        }
        Expr::Cast { kind: CastKind::TryCast | CastKind::SafeCast, expr, data_type, .. } => {
            format!("TRY_CAST({} AS {})", print(expr)?, type_name(data_type)?)
        }
        Expr::Function(_) if super::spark_types::cast_function_argument(e).is_some() => {
            print(&super::spark_types::cast_function_argument(e)?)?
        }
        Expr::Function(f) if f.over.is_some() => super::window_names::name(f, print)?,
        Expr::Function(f) => {
            if f.null_treatment.is_some() {
                return None;
            }
            let mut name = f.name.0.last()?.as_ident()?.value.to_lowercase();
            // The unit forms of dateadd and datediff are Spark's timestampadd and timestampdiff.
            if let FunctionArguments::List(list) = &f.args {
                match (name.as_str(), list.args.len()) {
                    ("dateadd" | "date_add", 3) => name = "timestampadd".into(),
                    ("dateadd", 2) => name = "date_add".into(),
                    ("current_database", 0) => name = "current_schema".into(),
                    ("datediff" | "date_diff" | "timediff", 3) => name = "timestampdiff".into(),
                    // Of a date or time Spark names them date_format; of a number (known here
                    // only when written as one), after themselves.
                    ("to_char" | "to_varchar", 2) if !number_literal(list.args.first()) => name = "date_format".into(),
                    ("to_varchar", 2) => name = "to_char".into(),
                    _ => {}
                }
            }
            let FunctionArguments::List(list) = &f.args else {
                return match f.args {
                    FunctionArguments::None => Some(format!("{name}()")),
                    _ => None,
                };
            };
            if !list.clauses.is_empty() {
                return None;
            }
            let mut args = Vec::with_capacity(list.args.len());
            for a in &list.args {
                args.push(match a {
                    FunctionArg::Unnamed(FunctionArgExpr::Expr(x)) => print(x)?,
                    FunctionArg::Unnamed(FunctionArgExpr::Wildcard) if name == "count" => "1".to_string(),
                    // Spread into the columns they read, and named after them, once planned
                    // (`crate::engine::function_stars`).
                    FunctionArg::Unnamed(FunctionArgExpr::Wildcard) => format!("{STAR_START}*{STAR_END}"),
                    FunctionArg::Unnamed(FunctionArgExpr::QualifiedWildcard(t)) => format!("{STAR_START}{}.*{STAR_END}", t.0.last()?.as_ident()?.value),
                    _ => return None,
                });
            }
            // Arguments Spark fills in, and names it prints in capitals.
            match (name.as_str(), args.len()) {
                ("regexp_extract" | "regexp_extract_all", 2) => args.push("1".into()),
                // Whether NULLs are skipped is not part of the name.
                ("first" | "last" | "first_value" | "last_value" | "any_value", 2) => args.truncate(1),
                ("sort_array", 1) => args.push("true".into()),
                // The replacements of upper-case letters, lower-case letters, digits and others.
                ("mask", n @ 1..5) => args.extend(["X", "x", "n", "NULL"].iter().skip(n - 1).map(|d| d.to_string())),
                // The language and country default to empty.
                ("sentences", 1 | 2) => args.resize(3, String::new()),
                // The finish function Spark fills in: the identity.
                ("aggregate" | "reduce", 3) => args.push("lambdafunction(namedlambdavariable(), namedlambdavariable())".into()),
                ("split", 2) => args.push("-1".into()),
                ("regexp_instr", 2) => args.push("0".into()),
                ("replace", 2) => args.push(String::new()),
                ("locate" | "position", 2) => args.push("1".into()),
                // Bytes are padded with zero bytes, text with spaces.
                ("lpad" | "rpad", 2) => {
                    let bytes = matches!(list.args.first(), Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(x))) if binary_valued(x));
                    args.push(if bytes { "X'00'".into() } else { " ".into() });
                }
                // Missing parts of an interval are zero; seconds are printed with their scale.
                ("hmac", 2) => args.push("SHA-256".into()),
                // Spark's default comparator: ascending, NULLs last.
                ("array_sort", 1) => args.push(DEFAULT_COMPARATOR.into()),
                // The mode, padding, IV and additional data default to GCM, DEFAULT and nothing.
                ("aes_encrypt", n @ 2..6) => args.extend(["GCM", "DEFAULT", "", ""].iter().skip(n - 2).map(|d| d.to_string())),
                ("aes_decrypt" | "try_aes_decrypt", n @ 2..5) => args.extend(["GCM", "DEFAULT", ""].iter().skip(n - 2).map(|d| d.to_string())),
                ("make_interval" | "try_make_interval", n @ 0..7) | ("make_dt_interval", n @ 0..4) | ("make_ym_interval", n @ 0..2) => {
                    let all = match name.as_str() {
                        "make_interval" | "try_make_interval" => 7,
                        "make_dt_interval" => 4,
                        _ => 2,
                    };
                    args.extend((n..all).map(|k| if k + 1 == all && all > 2 { "0.000000".to_string() } else { "0".to_string() }));
                }
                ("unix_timestamp" | "to_unix_timestamp" | "from_unixtime", 1) => args.push("yyyy-MM-dd HH:mm:ss".into()),
                ("percentile", 2) => args.push("1".into()),
                ("round" | "bround", 1) => args.push("0".into()),
                ("months_between", 2) => args.push("true".into()),
                ("assert_true", 1) => args.push(format!("'{}' is not true!", args[0])),
                ("regexp_replace", 3) => args.push("1".into()),
                ("listagg" | "string_agg", 1) => args.push("NULL".into()),
                ("log", 1) => args.insert(0, "E()".into()),
                ("percentile_approx" | "approx_percentile", 2) => args.push("10000".into()),
                ("convert_timezone", 2) => args.insert(0, "current_timezone()".into()),
                // Spark names from_json, the CSV functions and schema_of_json after their first argument alone.
                ("from_json" | "schema_of_json" | "from_csv" | "schema_of_csv" | "to_csv" | "to_json", _) => args.truncate(1),
                _ => {}
            }
            let distinct = if list.duplicate_treatment == Some(DuplicateTreatment::Distinct) { "DISTINCT " } else { "" };
            let filter = match &f.filter {
                Some(condition) => format!(" FILTER (WHERE {})", print(condition)?),
                None => String::new(),
            };
            let within = within_group(f, &name, print)?;
            if let Some(mode) = mode_name(f, &name, &args, print) {
                return Some(format!("{mode}{filter}"));
            }
            match name.as_str() {
                "if" => format!("(IF({}))", args.join(", ")),
                "isnull" if args.len() == 1 => format!("({} IS NULL)", args[0]),
                "isnotnull" if args.len() == 1 => format!("({} IS NOT NULL)", args[0]),
                "positive" if args.len() == 1 => format!("(+ {})", args[0]),
                "array_agg" => format!("collect_list({distinct}{}){filter}", args.join(", ")),
                "ceil" | "floor" if args.len() > 1 => format!("{name}({})", args.join(", ")),
                n if UPPER_CASE.contains(&n) => format!("{}({})", name.to_uppercase(), args.join(", ")),
                // Spark names the ordered form of string_agg after listagg.
                "string_agg" if !within.is_empty() => format!("listagg({distinct}{}){within}{filter}", args.join(", ")),
                _ => format!("{name}({distinct}{}){within}{filter}", args.join(", ")),
            }
        }
        _ => return None,
    })
}

/// How Spark prints the comparator `array_sort(xs)` sorts by.
const DEFAULT_COMPARATOR: &str = "lambdafunction((IF(((namedlambdavariable() IS NULL) AND (namedlambdavariable() IS NULL)), 0, \
    (IF((namedlambdavariable() IS NULL), 1, (IF((namedlambdavariable() IS NULL), -1, (IF((namedlambdavariable() < \
    namedlambdavariable()), -1, (IF((namedlambdavariable() > namedlambdavariable()), 1, 0)))))))))), namedlambdavariable(), \
    namedlambdavariable())";

/// Functions Spark names in capitals (most of its math functions, some ranking functions).
const UPPER_CASE: &[&str] = &[
    "regexp_like", "regexp", "rlike", "e", "pi", "acos", "asin", "atan", "atan2", "acosh", "asinh", "atanh", "cbrt", "ceil",
    "floor", "cos", "cosh", "cot", "sec", "csc", "exp", "expm1", "log", "log10", "log1p", "log2", "sin", "sinh", "sqrt", "tan",
    "tanh", "degrees", "radians", "signum", "power", "hypot", "rank", "dense_rank", "percent_rank", "spark_partition_id",
];

/// ` WITHIN GROUP (ORDER BY x ASC NULLS FIRST)` for an ordered-set call, else nothing.
fn within_group(f: &datafusion::sql::sqlparser::ast::Function, name: &str, print: fn(&Expr) -> Option<String>) -> Option<String> {
    if f.within_group.is_empty() || name == "mode" {
        return Some(String::new());
    }
    // The percentile functions print their order plainly (`v`, `v DESC`); the others in full.
    let plain = matches!(name, "percentile_cont" | "percentile_disc");
    let key = |o: &datafusion::sql::sqlparser::ast::OrderByExpr| {
        if plain {
            Some(format!("{}{}", print(&o.expr)?, if o.options.asc == Some(false) { " DESC" } else { "" }))
        } else {
            super::window_names::order_key(o, print)
        }
    };
    let keys = f.within_group.iter().map(key).collect::<Option<Vec<_>>>()?;
    Some(format!(" WITHIN GROUP (ORDER BY {})", keys.join(", ")))
}

/// Spark's names for `mode`: `mode(x, true)` is `mode() WITHIN GROUP (ORDER BY x DESC)`, and the
/// ordered-set form is named with the opposite direction to the one written.
fn mode_name(f: &datafusion::sql::sqlparser::ast::Function, name: &str, args: &[String], print: fn(&Expr) -> Option<String>) -> Option<String> {
    if name != "mode" {
        return None;
    }
    match (args, f.within_group.as_slice()) {
        ([x, flag], []) if flag == "true" => Some(format!("mode() WITHIN GROUP (ORDER BY {x} DESC)")),
        ([x, flag], []) if flag == "false" => Some(format!("mode({x})")),
        ([], [key]) => {
            let x = print(&key.expr)?;
            let descending = key.options.asc == Some(false);
            Some(if descending { format!("mode() WITHIN GROUP (ORDER BY {x})") } else { format!("mode() WITHIN GROUP (ORDER BY {x} DESC)") })
        }
        _ => None,
    }
}

/// Spark prints `x -> x + 1` as `lambdafunction((namedlambdavariable() + 1), namedlambdavariable())`.
fn lambda(l: &LambdaFunction) -> Option<String> {
    const VARIABLE: &str = "namedlambdavariable()";
    let params: Vec<String> = l.params.iter().map(|p| p.name.value.to_lowercase()).collect();
    let mut body = l.body.as_ref().clone();
    let _ = visit_expressions_mut(&mut body, |e| {
        if matches!(e, Expr::Identifier(i) if params.contains(&i.value.to_lowercase())) {
            *e = Expr::Identifier(Ident::new(VARIABLE));
        }
        // A field of a variable: `namedlambdavariable().price`.
        if let Expr::CompoundIdentifier(ids) = e {
            if ids.len() > 1 && params.contains(&ids[0].value.to_lowercase()) {
                let fields: Vec<&str> = ids[1..].iter().map(|i| i.value.as_str()).collect();
                *e = Expr::Identifier(Ident::new(format!("{VARIABLE}.{}", fields.join("."))));
            }
        }
        ControlFlow::<()>::Continue(())
    });
    let variables = vec![VARIABLE; params.len()].join(", ");
    Some(format!("lambdafunction({}, {variables})", print(&body)?))
}

fn literal(v: &Value) -> Option<String> {
    Some(match v {
        // A number in scientific notation is a DOUBLE, printed as Java prints it.
        Value::Number(n, _) if n.contains(['e', 'E']) => super::java_numbers::double_text(n.parse().ok()?),
        Value::Number(n, _) => n.clone(),
        Value::SingleQuotedString(s) | Value::DoubleQuotedString(s) => s.clone(),
        Value::Boolean(b) => b.to_string(),
        Value::Null => "NULL".into(),
        Value::HexStringLiteral(h) => format!("X'{}'", h.to_uppercase()),
        _ => return None,
    })
}

/// Whether an expression is plainly bytes: a `X'..'` literal or a call that makes bytes.
fn binary_valued(e: &Expr) -> bool {
    match e {
        Expr::Value(v) => matches!(v.value, Value::HexStringLiteral(_)),
        Expr::Function(f) => f
            .name
            .0
            .last()
            .and_then(|p| p.as_ident())
            .is_some_and(|i| ["unhex", "encode", "to_binary", "binary", "aes_encrypt"].contains(&i.value.to_lowercase().as_str())),
        Expr::Cast { data_type, .. } => matches!(data_type, DataType::Binary(_) | DataType::Bytea | DataType::Varbinary(_)),
        _ => false,
    }
}

fn date_literal(e: &Expr) -> bool {
    matches!(e, Expr::TypedString(t) if t.data_type == DataType::Date)
}

fn number_or_null(e: &Expr) -> bool {
    match e {
        Expr::Value(v) => matches!(v.value, Value::Number(..) | Value::Null),
        Expr::UnaryOp { op: UnaryOperator::Minus, expr } => number_or_null(expr),
        e => super::spark_types::typed_literal(e).is_some(),
    }
}

fn interval_literal(e: &Expr) -> bool {
    match e {
        Expr::Interval(_) => true,
        Expr::Nested(inner) => interval_literal(inner),
        _ => false,
    }
}

fn operator(op: &BinaryOperator) -> Option<&'static str> {
    Some(match op {
        BinaryOperator::Plus => "+",
        BinaryOperator::Minus => "-",
        BinaryOperator::Multiply => "*",
        BinaryOperator::Divide => "/",
        BinaryOperator::Modulo => "%",
        BinaryOperator::MyIntegerDivide => "div",
        BinaryOperator::Eq => "=",
        BinaryOperator::Lt => "<",
        BinaryOperator::LtEq => "<=",
        BinaryOperator::Gt => ">",
        BinaryOperator::GtEq => ">=",
        BinaryOperator::Spaceship => "<=>",
        BinaryOperator::And => "AND",
        BinaryOperator::Or => "OR",
        BinaryOperator::BitwiseAnd => "&",
        BinaryOperator::BitwiseOr => "|",
        BinaryOperator::BitwiseXor => "^",
        _ => return None,
    })
}

/// A quantified LIKE over text literals is one Spark expression, `likeany(x)`, `notlikeall(x)`,
/// `likeany(lower(x))` for ILIKE; any other Spark expands, and names the chain of LIKEs.
fn quantified_like(q: &super::like_quantifiers::Quantified) -> Option<String> {
    if !q.literal_patterns() {
        return print(&q.expand());
    }
    let value = print(q.expr)?;
    let value = if q.ilike { format!("lower({value})") } else { value };
    let not = if q.negated { "not" } else { "" };
    let quantifier = if q.all { "all" } else { "any" };
    Some(format!("{not}like{quantifier}({value})"))
}

/// Whether a call's argument is a number written as one (`78.12`, `-5`).
fn number_literal(arg: Option<&FunctionArg>) -> bool {
    let Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(e))) = arg else { return false };
    let e = match e {
        Expr::UnaryOp { op: UnaryOperator::Minus, expr } => expr.as_ref(),
        other => other,
    };
    matches!(e, Expr::Value(v) if matches!(v.value, Value::Number(..)))
}

/// `(NOT text)` when negated, as Spark names `NOT IN`, `NOT BETWEEN` and `NOT LIKE`.
fn negated_if(negated: bool, text: String) -> String {
    if negated { format!("(NOT {text})") } else { text }
}

/// Spark's name for a type in a CAST.
fn type_name(t: &DataType) -> Option<String> {
    let text = t.to_string().to_uppercase();
    Some(match text.as_str() {
        "STRING" | "TEXT" | "VARCHAR" => "STRING".into(),
        "INT" | "INTEGER" => "INT".into(),
        "BIGINT" | "LONG" => "BIGINT".into(),
        "SMALLINT" | "SHORT" => "SMALLINT".into(),
        "TINYINT" | "BYTE" => "TINYINT".into(),
        "DOUBLE" | "DOUBLE PRECISION" => "DOUBLE".into(),
        "FLOAT" | "REAL" => "FLOAT".into(),
        "BOOLEAN" | "BOOL" => "BOOLEAN".into(),
        "DATE" | "TIMESTAMP" | "BINARY" | "TIMESTAMP_NTZ" | "INTERVAL" => text,
        "DECIMAL" | "DEC" => "DECIMAL(10,0)".into(),
        _ if text.starts_with("INTERVAL ") => text,
        _ if text.starts_with("DEC(") => format!("DECIMAL{}", &text[3..]).replace(' ', ""),
        _ if text.starts_with("DECIMAL(") => text.replace(' ', ""),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(sql: &str) -> String {
        crate::hiveql::rewritten(sql, apply)
    }

    #[test]
    fn computed_items_get_sparks_names() {
        assert_eq!(
            names("SELECT a, COUNT(*), sum(t.b + 1), 'foo', CAST(a + 1 AS VARCHAR) FROM t"),
            "SELECT a, COUNT(*) AS `count(1)`, sum(t.b + 1) AS `sum((b + 1))`, 'foo' AS `foo`, CAST(a + 1 AS VARCHAR) AS `CAST((a + 1) AS STRING)` FROM t"
        );
        // A cast of a column is named after the column.
        assert_eq!(names("SELECT CAST(t.b AS INT), TRY_CAST(c AS INT), int(d) FROM t"), "SELECT CAST(t.b AS INT) AS `b`, TRY_CAST(c AS INT) AS `c`, int(d) AS `d` FROM t");
        assert_eq!(
            names("SELECT x IN (1, 2), x NOT BETWEEN 1 AND 2, x IS DISTINCT FROM 1, s NOT LIKE 'a%' FROM t"),
            "SELECT x IN (1, 2) AS `(x IN (1, 2))`, x NOT BETWEEN 1 AND 2 AS `(NOT between(x, 1, 2))`, x IS DISTINCT FROM 1 AS `(NOT (x <=> 1))`, s NOT LIKE 'a%' AS `(NOT s LIKE a%)` FROM t"
        );
        assert_eq!(names("SELECT -1, NOT x, y IS NULL FROM t"), "SELECT -1 AS `-1`, NOT x AS `(NOT x)`, y IS NULL AS `(y IS NULL)` FROM t");
    }

    #[test]
    fn case_if_and_inequality_are_named_as_in_spark() {
        assert_eq!(
            names("SELECT CASE b WHEN c THEN 1 ELSE 0 END, if(a != 1, 2, 3) FROM t"),
            "SELECT CASE b WHEN c THEN 1 ELSE 0 END AS `CASE WHEN (b = c) THEN 1 ELSE 0 END`, if(a <> 1, 2, 3) AS `(IF((NOT (a = 1)), 2, 3))` FROM t"
        );
        assert_eq!(names("SELECT regexp_extract(s, 'x') FROM t"), "SELECT regexp_extract(s, 'x') AS `regexp_extract(s, x, 1)` FROM t");
    }

    #[test]
    fn substring_and_trim_forms_are_named_as_in_spark() {
        assert_eq!(
            names("SELECT substr(s FROM 5), substring(s, 5, 1) FROM t"),
            "SELECT SUBSTR(s FROM 5) AS `substring(s, 5, 2147483647)`, SUBSTRING(s, 5, 1) AS `substring(s, 5, 1)` FROM t"
        );
        assert_eq!(
            names("SELECT trim(s), trim('x' FROM s) FROM t"),
            "SELECT TRIM(s) AS `trim(s)`, TRIM('x' FROM s) AS `TRIM(BOTH x FROM s)` FROM t"
        );
    }

    #[test]
    fn aliases_and_duplicates_are_kept() {
        assert_eq!(names("SELECT count(*) AS c, 1 + 1 FROM t"), "SELECT count(*) AS c, 1 + 1 AS `(1 + 1)` FROM t");
        assert_eq!(names("SELECT count(*), count(*) FROM t"), "SELECT count(*) AS `count(1)`, count(*) FROM t");
        assert_eq!(names("SELECT max(x) OVER w, a FROM t WINDOW w AS ()"), "SELECT max(x) OVER w, a FROM t WINDOW w AS ()");
    }

    #[test]
    fn cast_functions_and_struct_fields_are_named_as_in_spark() {
        assert_eq!(names("SELECT int(a), struct(b AS x, 1) FROM t"), "SELECT int(a) AS `a`, struct(b AS x, 1) AS `struct(b AS x, 1)` FROM t");
        assert_eq!(
            names("SELECT filter(xs, x -> x > 1) FROM t"),
            "SELECT filter(xs, x -> x > 1) AS `filter(xs, lambdafunction((namedlambdavariable() > 1), namedlambdavariable()))` FROM t"
        );
    }
}
