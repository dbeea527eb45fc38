//! Small builders for the sqlparser expressions that statement rewrites put in.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Expr, Function, FunctionArg, FunctionArgExpr, FunctionArgumentList, FunctionArguments, Ident, ObjectName,
    ObjectNamePart, Query, TableFactor, Value, Visit, VisitMut, Visitor, VisitorMut,
};

/// A number literal.
pub fn number(n: impl ToString) -> Expr {
    Expr::value(Value::Number(n.to_string(), false))
}

/// A string literal.
pub fn text(s: impl Into<String>) -> Expr {
    Expr::value(Value::SingleQuotedString(s.into()))
}

/// `name(args...)`.
pub fn call(name: &str, args: Vec<Expr>) -> Expr {
    Expr::Function(Function {
        name: ObjectName(vec![ObjectNamePart::Identifier(Ident::new(name))]),
        uses_odbc_syntax: false,
        parameters: FunctionArguments::None,
        args: FunctionArguments::List(FunctionArgumentList {
            duplicate_treatment: None,
            args: args.into_iter().map(|a| FunctionArg::Unnamed(FunctionArgExpr::Expr(a))).collect(),
            clauses: vec![],
        }),
        filter: None,
        null_treatment: None,
        over: None,
        within_group: vec![],
    })
}

/// `CASE WHEN condition THEN result [ELSE otherwise] END`.
pub fn case_when(condition: Expr, result: Expr, otherwise: Option<Expr>) -> Expr {
    Expr::Case {
        case_token: datafusion::sql::sqlparser::ast::helpers::attached_token::AttachedToken::empty(),
        end_token: datafusion::sql::sqlparser::ast::helpers::attached_token::AttachedToken::empty(),
        operand: None,
        conditions: vec![datafusion::sql::sqlparser::ast::CaseWhen { condition, result }],
        else_result: otherwise.map(Box::new),
    }
}

/// The name a relation goes by in its query: its alias, else its table's name.
pub fn relation_name(t: &TableFactor) -> Option<&Ident> {
    match t {
        TableFactor::Table { alias: Some(a), .. } | TableFactor::Derived { alias: Some(a), .. } => Some(&a.name),
        TableFactor::Table { name, .. } => name.0.last().and_then(ObjectNamePart::as_ident),
        _ => None,
    }
}

/// `SELECT projection FROM (inner) AS alias WHERE true`, for a rewrite to fill in; `alias` may
/// list column names (`t (a, b)`). None when the text does not parse (it always does for the
/// names the rewrites give).
pub fn query_over(projection: &str, inner: Query, alias: &str) -> Option<Query> {
    let template = format!("SELECT {projection} FROM (SELECT 1) AS {alias} WHERE true");
    let Ok(datafusion::sql::sqlparser::ast::Statement::Query(mut query)) = super::parse_one(&template, super::Flavor::Hive) else { return None };
    let datafusion::sql::sqlparser::ast::SetExpr::Select(select) = query.body.as_mut() else { return None };
    if let Some(TableFactor::Derived { subquery, .. }) = select.from.first_mut().map(|t| &mut t.relation) {
        **subquery = inner;
    }
    Some(*query)
}

/// A query that is just `select`.
pub fn query_of(select: datafusion::sql::sqlparser::ast::Select) -> Option<Query> {
    let Ok(datafusion::sql::sqlparser::ast::Statement::Query(mut query)) = super::parse_one("SELECT 1", super::Flavor::Hive) else { return None };
    *query.body = datafusion::sql::sqlparser::ast::SetExpr::Select(Box::new(select));
    Some(*query)
}

/// `SELECT * FROM from` under `with`: a probe of the columns a FROM clause gives.
pub fn star_query(from: Vec<datafusion::sql::sqlparser::ast::TableWithJoins>, with: Option<&datafusion::sql::sqlparser::ast::With>) -> Option<Query> {
    let Ok(datafusion::sql::sqlparser::ast::Statement::Query(mut query)) = super::parse_one("SELECT * FROM t", super::Flavor::Hive) else { return None };
    let datafusion::sql::sqlparser::ast::SetExpr::Select(select) = query.body.as_mut() else { return None };
    select.from = from;
    query.with = with.cloned();
    Some(*query)
}

/// The names a query's own relations go by (those of its top-level FROM and its joins), in
/// lower case; none for a set operation.
pub fn query_relation_names(q: &Query) -> std::collections::HashSet<String> {
    match q.body.as_ref() {
        datafusion::sql::sqlparser::ast::SetExpr::Select(s) => from_relation_names(&s.from),
        _ => std::collections::HashSet::new(),
    }
}

/// The names the relations of a FROM list go by, in lower case.
pub fn from_relation_names(from: &[datafusion::sql::sqlparser::ast::TableWithJoins]) -> std::collections::HashSet<String> {
    from.iter()
        .flat_map(|t| std::iter::once(&t.relation).chain(t.joins.iter().map(|j| &j.relation)))
        .filter_map(|r| relation_name(r).map(|i| i.value.to_lowercase()))
        .collect()
}

/// Calls `f` on every SELECT of the statement, the innermost (subqueries, derived tables) first.
pub fn rewrite_selects(stmt: &mut datafusion::sql::sqlparser::ast::Statement, f: impl FnMut(&mut datafusion::sql::sqlparser::ast::Select)) {
    struct Selects<F>(F);
    impl<F: FnMut(&mut datafusion::sql::sqlparser::ast::Select)> VisitorMut for Selects<F> {
        type Break = ();
        fn post_visit_select(&mut self, select: &mut datafusion::sql::sqlparser::ast::Select) -> ControlFlow<()> {
            (self.0)(select);
            ControlFlow::Continue(())
        }
    }
    let _ = VisitMut::visit(stmt, &mut Selects(f));
}

/// The first SELECT of the statement for which `f` gives something, with its place among the
/// statement's selects (in the order of a walk); `f` also gets the statement's WITH, under which a
/// probe of the select plans.
pub fn find_select<T>(
    stmt: &datafusion::sql::sqlparser::ast::Statement,
    f: impl FnMut(&datafusion::sql::sqlparser::ast::Select, Option<&datafusion::sql::sqlparser::ast::With>) -> Option<T>,
) -> Option<(usize, T)> {
    struct Find<'a, F, T> {
        with: Option<&'a datafusion::sql::sqlparser::ast::With>,
        seen: usize,
        f: F,
        found: Option<(usize, T)>,
    }
    impl<F, T> Visitor for Find<'_, F, T>
    where
        F: FnMut(&datafusion::sql::sqlparser::ast::Select, Option<&datafusion::sql::sqlparser::ast::With>) -> Option<T>,
    {
        type Break = ();
        fn pre_visit_select(&mut self, select: &datafusion::sql::sqlparser::ast::Select) -> ControlFlow<()> {
            let at = self.seen;
            self.seen += 1;
            match (self.f)(select, self.with) {
                Some(found) => {
                    self.found = Some((at, found));
                    ControlFlow::Break(())
                }
                None => ControlFlow::Continue(()),
            }
        }
    }
    let with = match stmt {
        datafusion::sql::sqlparser::ast::Statement::Query(q) => q.with.as_ref(),
        _ => None,
    };
    let mut find = Find { with, seen: 0, f, found: None };
    let _ = Visit::visit(stmt, &mut find);
    find.found
}

/// Calls `f` on the statement's SELECT at place `at`, as [`find_select`] counts them.
pub fn change_select_at(stmt: &mut datafusion::sql::sqlparser::ast::Statement, at: usize, f: impl FnOnce(&mut datafusion::sql::sqlparser::ast::Select)) {
    struct At<F> {
        at: usize,
        seen: usize,
        f: Option<F>,
    }
    impl<F: FnOnce(&mut datafusion::sql::sqlparser::ast::Select)> VisitorMut for At<F> {
        type Break = ();
        fn pre_visit_select(&mut self, select: &mut datafusion::sql::sqlparser::ast::Select) -> ControlFlow<()> {
            let here = self.seen;
            self.seen += 1;
            if here != self.at {
                return ControlFlow::Continue(());
            }
            if let Some(f) = self.f.take() {
                f(select);
            }
            ControlFlow::Break(())
        }
    }
    let _ = VisitMut::visit(stmt, &mut At { at, seen: 0, f: Some(f) });
}

/// Counts the subqueries the walk is inside, so that a rewrite can keep to one query's scope.
struct Scoped<F> {
    depth: usize,
    f: F,
}

impl<F: FnMut(&mut Expr)> VisitorMut for Scoped<F> {
    type Break = ();
    fn pre_visit_query(&mut self, _: &mut Query) -> ControlFlow<()> {
        self.depth += 1;
        ControlFlow::Continue(())
    }
    fn post_visit_query(&mut self, _: &mut Query) -> ControlFlow<()> {
        self.depth -= 1;
        ControlFlow::Continue(())
    }
    fn post_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
        if self.depth == 0 {
            (self.f)(e);
        }
        ControlFlow::Continue(())
    }
}

impl<F: FnMut(&Expr) -> bool> Visitor for Scoped<F> {
    type Break = ();
    fn pre_visit_query(&mut self, _: &Query) -> ControlFlow<()> {
        self.depth += 1;
        ControlFlow::Continue(())
    }
    fn post_visit_query(&mut self, _: &Query) -> ControlFlow<()> {
        self.depth -= 1;
        ControlFlow::Continue(())
    }
    fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
        if self.depth == 0 && (self.f)(e) {
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    }
}

/// Calls `f` on every part of `e` (innermost first) that is not inside a subquery of its own.
pub fn rewrite_outside_subqueries(e: &mut Expr, f: impl FnMut(&mut Expr)) {
    let _ = VisitMut::visit(e, &mut Scoped { depth: 0, f });
}

/// Whether some part of `e` outside its subqueries satisfies `f`.
pub fn any_outside_subqueries(e: &Expr, f: impl FnMut(&Expr) -> bool) -> bool {
    Visit::visit(e, &mut Scoped { depth: 0, f }).is_break()
}
