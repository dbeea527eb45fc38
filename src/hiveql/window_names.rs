//! Spark's names for window expressions in result columns. Spark prints the window it resolved,
//! with every default written out: `sum(v) OVER (PARTITION BY k ORDER BY v ASC NULLS FIRST RANGE
//! BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`. A window with no ORDER BY spans the whole
//! partition (`ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING`), and ranking functions
//! run over `ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW`.

use datafusion::sql::sqlparser::ast::{
    Expr, Function, OrderByExpr, WindowFrame, WindowFrameBound, WindowFrameUnits, WindowSpec, WindowType,
};

/// Functions whose frame Spark fixes to the rows up to the current one.
const RANKING: [&str; 5] = ["row_number", "rank", "dense_rank", "percent_rank", "ntile"];

/// Spark's name for a window function call, or None when it cannot be printed (a named window
/// not yet resolved, or an offset that is not a number).
pub fn name(f: &Function, print: fn(&Expr) -> Option<String>) -> Option<String> {
    let Some(WindowType::WindowSpec(spec)) = &f.over else { return None };
    if spec.window_name.is_some() {
        return None;
    }
    let function = f.name.0.last()?.as_ident()?.value.to_lowercase();
    if matches!(function.as_str(), "lag" | "lead") {
        return offset_name(f, &function, spec, print);
    }
    let call = print(&Expr::Function(Function { over: None, ..f.clone() }))?;
    Some(format!("{call} OVER ({})", window(spec, RANKING.contains(&function.as_str()), print)?))
}

/// `lag(x, 1, NULL) OVER (ORDER BY ... ROWS BETWEEN -1 FOLLOWING AND -1 FOLLOWING)`: Spark writes
/// the offset and default out, and the frame as the one row the offset reaches.
fn offset_name(f: &Function, function: &str, spec: &WindowSpec, print: fn(&Expr) -> Option<String>) -> Option<String> {
    let datafusion::sql::sqlparser::ast::FunctionArguments::List(list) = &f.args else { return None };
    let mut args = Vec::new();
    for a in &list.args {
        let datafusion::sql::sqlparser::ast::FunctionArg::Unnamed(datafusion::sql::sqlparser::ast::FunctionArgExpr::Expr(x)) = a else { return None };
        args.push(print(x)?);
    }
    if args.is_empty() {
        return None;
    }
    if args.len() < 2 {
        args.push("1".into());
    }
    if args.len() < 3 {
        args.push("NULL".into());
    }
    let offset: i64 = args[1].parse().ok()?;
    let reach = if function == "lag" { -offset } else { offset };
    let mut parts = partition_and_order(spec, print)?;
    parts.push(format!("ROWS BETWEEN {reach} FOLLOWING AND {reach} FOLLOWING"));
    Some(format!("{function}({}) OVER ({})", args.join(", "), parts.join(" ")))
}

/// `PARTITION BY k` and `ORDER BY v ASC NULLS FIRST`, those the window has.
fn partition_and_order(spec: &WindowSpec, print: fn(&Expr) -> Option<String>) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    if !spec.partition_by.is_empty() {
        let keys = spec.partition_by.iter().map(print).collect::<Option<Vec<_>>>()?;
        parts.push(format!("PARTITION BY {}", keys.join(", ")));
    }
    if !spec.order_by.is_empty() {
        let keys = spec.order_by.iter().map(|o| order_key(o, print)).collect::<Option<Vec<_>>>()?;
        parts.push(format!("ORDER BY {}", keys.join(", ")));
    }
    Some(parts)
}

fn window(spec: &WindowSpec, ranking: bool, print: fn(&Expr) -> Option<String>) -> Option<String> {
    let mut parts = partition_and_order(spec, print)?;
    parts.push(match &spec.window_frame {
        Some(frame) => frame_text(frame, print)?,
        None if ranking => "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW".to_string(),
        None if spec.order_by.is_empty() => "ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING".to_string(),
        None => "RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW".to_string(),
    });
    Some(parts.join(" "))
}

/// `v ASC NULLS FIRST`: ascending by default, NULLs first when ascending (Spark's default).
pub(super) fn order_key(o: &OrderByExpr, print: fn(&Expr) -> Option<String>) -> Option<String> {
    let ascending = o.options.asc.unwrap_or(true);
    let nulls_first = o.options.nulls_first.unwrap_or(ascending);
    Some(format!(
        "{} {} NULLS {}",
        print(&o.expr)?,
        if ascending { "ASC" } else { "DESC" },
        if nulls_first { "FIRST" } else { "LAST" }
    ))
}

fn frame_text(frame: &WindowFrame, print: fn(&Expr) -> Option<String>) -> Option<String> {
    let units = match frame.units {
        WindowFrameUnits::Rows => "ROWS",
        WindowFrameUnits::Range => "RANGE",
        WindowFrameUnits::Groups => return None,
    };
    let end = frame.end_bound.as_ref().unwrap_or(&WindowFrameBound::CurrentRow);
    Some(format!("{units} BETWEEN {} AND {}", bound(&frame.start_bound, print)?, bound(end, print)?))
}

fn bound(b: &WindowFrameBound, print: fn(&Expr) -> Option<String>) -> Option<String> {
    Some(match b {
        WindowFrameBound::CurrentRow => "CURRENT ROW".to_string(),
        WindowFrameBound::Preceding(None) => "UNBOUNDED PRECEDING".to_string(),
        WindowFrameBound::Following(None) => "UNBOUNDED FOLLOWING".to_string(),
        WindowFrameBound::Preceding(Some(n)) => format!("{} PRECEDING", print(n)?),
        WindowFrameBound::Following(Some(n)) => format!("{} FOLLOWING", print(n)?),
    })
}

#[cfg(test)]
mod tests {
    use crate::hiveql::{parse_one, Flavor};

    fn named(sql: &str) -> String {
        let mut stmt = parse_one(sql, Flavor::Hive).unwrap();
        crate::hiveql::spark_names::apply(&mut stmt);
        stmt.to_string()
    }

    #[test]
    fn windows_are_named_with_their_defaults_written_out() {
        assert!(named("SELECT sum(v) OVER (PARTITION BY k ORDER BY v) FROM t")
            .contains("`sum(v) OVER (PARTITION BY k ORDER BY v ASC NULLS FIRST RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`"));
        assert!(named("SELECT avg(v) OVER () FROM t").contains("`avg(v) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)`"));
        assert!(named("SELECT sum(v) OVER (ORDER BY v DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 FOLLOWING) FROM t")
            .contains("`sum(v) OVER (ORDER BY v DESC NULLS LAST ROWS BETWEEN UNBOUNDED PRECEDING AND 1 FOLLOWING)`"));
        assert!(named("SELECT rank() OVER (ORDER BY v) FROM t")
            .contains("`RANK() OVER (ORDER BY v ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`"));
        assert!(named("SELECT lag(v) OVER (ORDER BY v) FROM t")
            .contains("`lag(v, 1, NULL) OVER (ORDER BY v ASC NULLS FIRST ROWS BETWEEN -1 FOLLOWING AND -1 FOLLOWING)`"));
    }
}
