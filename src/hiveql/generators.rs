//! Spark's generators in the two places HiveQL writes them, made lateral joins to a generator
//! call, which the engine plans as a generate operator:
//! - `FROM t LATERAL VIEW [OUTER] explode(xs) v AS x` is `FROM t CROSS JOIN LATERAL
//!   explode[_outer](xs) AS v(x)`;
//! - a generator in a select list, `SELECT a, explode(m) AS (k, v) FROM t ...`, generates over
//!   the rows the rest of the select makes (after WHERE, GROUP BY and HAVING): the select without
//!   the generator becomes a derived table, joined laterally to the generator, and the outer
//!   select lists the columns in the original order.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, FunctionArg, FunctionArgExpr, FunctionArguments, Ident, Join, JoinConstraint, JoinOperator, ObjectName, Query, Select,
    SelectItem, SetExpr, Statement, TableAlias, TableAliasColumnDef, TableFactor, VisitMut, VisitorMut,
};
use hivewire_backend::BackendError;

use super::{parse_one, Flavor};

/// The derived table holding a select's rows before its generator runs.
const INPUT: &str = "__hivewire_generator_input";
/// The generator's relation in a rewritten select.
const GENERATED: &str = "__hivewire_generator";

/// Rewrites every LATERAL VIEW and select-list generator in the statement.
pub fn rewrite(stmt: &mut Statement) -> Result<(), BackendError> {
    struct Rewriter;
    impl VisitorMut for Rewriter {
        type Break = BackendError;
        fn post_visit_select(&mut self, select: &mut Select) -> ControlFlow<BackendError> {
            lateral_views(select);
            match select_list_generator(select) {
                Ok(()) => ControlFlow::Continue(()),
                Err(e) => ControlFlow::Break(e),
            }
        }
    }
    match stmt.visit(&mut Rewriter) {
        ControlFlow::Break(e) => Err(e),
        ControlFlow::Continue(()) => Ok(()),
    }
}

/// Whether a function name names a generator.
fn is_generator(name: &ObjectName) -> bool {
    name.0.last().and_then(|p| p.as_ident()).is_some_and(|i| crate::engine::generate::node::Generator::from_name(&i.value).is_some())
}

/// A call's name and plain arguments, when it is a generator call.
fn generator_call(e: &Expr) -> Option<(ObjectName, Vec<FunctionArg>)> {
    let Expr::Function(f) = e else { return None };
    if !is_generator(&f.name) {
        return None;
    }
    match &f.args {
        FunctionArguments::List(list) => Some((f.name.clone(), list.args.clone())),
        FunctionArguments::None => Some((f.name.clone(), Vec::new())),
        FunctionArguments::Subquery(_) => None,
    }
}

/// The generator's name with `_outer`, where it has such a form.
fn outer_form(name: ObjectName) -> ObjectName {
    let Some(last) = name.0.last().and_then(|p| p.as_ident()) else { return name };
    let lower = last.value.to_ascii_lowercase();
    if matches!(lower.as_str(), "explode" | "posexplode" | "inline") {
        ObjectName::from(vec![Ident::new(format!("{lower}_outer"))])
    } else {
        name
    }
}

/// `CROSS JOIN LATERAL name(args) AS alias(columns)`.
fn lateral_join(name: ObjectName, args: Vec<FunctionArg>, alias: Option<Ident>, columns: Vec<Ident>) -> Join {
    let alias = alias.map(|name| TableAlias {
        explicit: true,
        name,
        columns: columns.into_iter().map(|name| TableAliasColumnDef { name, data_type: None }).collect(),
        at: None,
    });
    Join {
        relation: TableFactor::Function { lateral: true, name, args, with_ordinality: false, alias },
        global: false,
        join_operator: JoinOperator::CrossJoin(JoinConstraint::None),
    }
}

/// Each LATERAL VIEW as a lateral join after the FROM clause's last relation.
fn lateral_views(select: &mut Select) {
    if select.lateral_views.is_empty() || select.from.is_empty() {
        return;
    }
    for view in std::mem::take(&mut select.lateral_views) {
        let Some((name, args)) = generator_call(&view.lateral_view) else {
            // Not a generator: left for DataFusion, which says LATERAL VIEW is not supported.
            select.lateral_views.push(view);
            continue;
        };
        let name = if view.outer { outer_form(name) } else { name };
        let alias = view.lateral_view_name.0.last().and_then(|p| p.as_ident()).cloned();
        let alias = alias.or_else(|| Some(Ident::new(GENERATED)));
        if let Some(last) = select.from.last_mut() {
            last.joins.push(lateral_join(name, args, alias, view.lateral_col_alias));
        }
    }
}

/// The select's generator items made lateral joins over the rest of the select: one generator
/// gives each input row's rows, several the product of their rows, the first outermost, as in
/// Spark.
fn select_list_generator(select: &mut Select) -> Result<(), BackendError> {
    let found: Vec<usize> = select
        .projection
        .iter()
        .enumerate()
        .filter(|(_, item)| match item {
            SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } | SelectItem::ExprWithAliases { expr: e, .. } => generator_call(e).is_some(),
            _ => false,
        })
        .map(|(i, _)| i)
        .collect();
    if found.is_empty() {
        return Ok(());
    }
    let mut inner = select.clone();
    inner.distinct = None;
    inner.sort_by = Vec::new();
    inner.cluster_by = Vec::new();
    inner.distribute_by = Vec::new();
    let mut inner_items = Vec::new();
    let mut outer_items = Vec::new();
    let mut internal = Vec::new();
    let mut generators = Vec::new();
    for (i, item) in select.projection.iter().enumerate() {
        if found.contains(&i) {
            let g = generators.len();
            let (expr, columns) = match item {
                SelectItem::UnnamedExpr(e) => (e, Vec::new()),
                SelectItem::ExprWithAlias { expr, alias } => (expr, vec![alias.clone()]),
                SelectItem::ExprWithAliases { expr, aliases } => (expr, aliases.clone()),
                _ => continue,
            };
            let Some((name, args)) = generator_call(expr) else { continue };
            let mut passed = Vec::new();
            for (j, arg) in args.into_iter().enumerate() {
                let FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) = arg else {
                    return Err(BackendError::not_supported("a generator argument that is not a plain expression"));
                };
                // Constants stay in place: stack's row count must be one.
                if matches!(e, Expr::Value(_)) {
                    passed.push(FunctionArg::Unnamed(FunctionArgExpr::Expr(e)));
                    continue;
                }
                let column = format!("__hivewire_generator{g}_arg{j}");
                inner_items.push(SelectItem::ExprWithAlias { expr: e, alias: Ident::new(&column) });
                passed.push(FunctionArg::Unnamed(FunctionArgExpr::Expr(Expr::CompoundIdentifier(vec![Ident::new(INPUT), Ident::new(&column)]))));
                internal.push(column);
            }
            let alias = generated_alias(g);
            outer_items.push(format!("{alias}.*"));
            generators.push((name, passed, columns, alias));
            continue;
        }
        match item {
            SelectItem::Wildcard(_) => {
                inner_items.push(item.clone());
                outer_items.push(format!("{INPUT}.*"));
            }
            SelectItem::QualifiedWildcard(..) => return Err(BackendError::not_supported("a qualified * beside a generator in a select list")),
            SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } | SelectItem::ExprWithAliases { expr: e, .. } => {
                let name = match item {
                    SelectItem::ExprWithAlias { alias, .. } => alias.value.clone(),
                    _ => item_name(e),
                };
                let column = format!("__hivewire_item{i}");
                inner_items.push(SelectItem::ExprWithAlias { expr: e.clone(), alias: Ident::new(&column) });
                outer_items.push(format!("{INPUT}.{column} AS {}", quoted(&name)));
                internal.push(column);
            }
        }
    }
    if generators.is_empty() {
        return Ok(());
    }
    inner.projection = inner_items;
    let except = format!(" EXCEPT ({})", internal.join(", "));
    let outer_items: Vec<String> =
        outer_items.into_iter().map(|item| if item == format!("{INPUT}.*") && !internal.is_empty() { format!("{item}{except}") } else { item }).collect();
    let Statement::Query(q) = parse_one(&format!("SELECT {} FROM (SELECT 1) AS {INPUT}", outer_items.join(", ")), Flavor::Hive)? else {
        return Err(BackendError::not_supported("this generator in a select list"));
    };
    let SetExpr::Select(outer) = *q.body else { return Err(BackendError::not_supported("this generator in a select list")) };
    let mut outer = *outer;
    let Some(from) = outer.from.first_mut() else { return Err(BackendError::not_supported("this generator in a select list")) };
    if let TableFactor::Derived { subquery, .. } = &mut from.relation {
        **subquery = Query { body: Box::new(SetExpr::Select(Box::new(inner))), ..(**subquery).clone() };
    }
    for (name, args, columns, alias) in generators {
        from.joins.push(lateral_join(name, args, Some(Ident::new(alias)), columns));
    }
    outer.distinct = select.distinct.take();
    outer.sort_by = std::mem::take(&mut select.sort_by);
    outer.cluster_by = std::mem::take(&mut select.cluster_by);
    outer.distribute_by = std::mem::take(&mut select.distribute_by);
    *select = outer;
    Ok(())
}

/// The alias of a select list's `g`th generator's rows.
fn generated_alias(g: usize) -> String {
    if g == 0 { GENERATED.to_string() } else { format!("{GENERATED}{g}") }
}

/// The name Spark gives an unaliased select item.
fn item_name(e: &Expr) -> String {
    match e {
        Expr::Identifier(i) => i.value.clone(),
        Expr::CompoundIdentifier(ids) => ids.last().map(|i| i.value.clone()).unwrap_or_default(),
        other => super::spark_names::spark_name(other).unwrap_or_else(|| other.to_string()),
    }
}

/// An identifier in backticks.
fn quoted(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(sql: &str) -> String {
        let mut stmt = parse_one(sql, Flavor::Hive).unwrap();
        rewrite(&mut stmt).unwrap();
        stmt.to_string()
    }

    #[test]
    fn lateral_views_become_lateral_joins() {
        assert_eq!(
            rewritten("SELECT a, x FROM t LATERAL VIEW explode(xs) v AS x LATERAL VIEW OUTER posexplode(ys) w AS p, y"),
            "SELECT a, x FROM t CROSS JOIN LATERAL explode(xs) AS v (x) CROSS JOIN LATERAL posexplode_outer(ys) AS w (p, y)"
        );
    }

    #[test]
    fn a_select_list_generator_runs_over_the_rest_of_the_select() {
        let sql = rewritten("SELECT DISTINCT a, explode(m) AS (k, v) FROM t WHERE a > 1");
        assert!(sql.starts_with("SELECT DISTINCT __hivewire_generator_input.__hivewire_item0 AS `a`, __hivewire_generator.* FROM (SELECT a AS __hivewire_item0, m AS __hivewire_generator0_arg0 FROM t WHERE a > 1)"), "{sql}");
        assert!(sql.ends_with("CROSS JOIN LATERAL explode(__hivewire_generator_input.__hivewire_generator0_arg0) AS __hivewire_generator (k, v)"), "{sql}");
    }

    #[test]
    fn two_generators_in_one_select_list_join_in_turn() {
        let sql = rewritten("SELECT explode(a), explode(b) FROM t");
        assert!(sql.starts_with("SELECT __hivewire_generator.*, __hivewire_generator1.* FROM"), "{sql}");
        assert!(
            sql.ends_with("AS __hivewire_generator CROSS JOIN LATERAL explode(__hivewire_generator_input.__hivewire_generator1_arg0) AS __hivewire_generator1"),
            "{sql}"
        );
    }
}
