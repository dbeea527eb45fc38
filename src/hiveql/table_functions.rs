//! Spark's table functions where DataFusion's differ: their names are case-insensitive
//! (`RANGE(10)`), and `range(...)` names its column `id` and takes an optional fourth argument
//! (the number of partitions), which does not change the rows.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{
    Ident, ObjectNamePart, Statement, TableAlias, TableAliasColumnDef, TableFactor, TableFunctionArgs, VisitMut, VisitorMut,
};

/// Rewrites `range(...)` in FROM clauses to DataFusion's, with Spark's column name.
pub fn rewrite(stmt: &mut Statement) {
    struct Ranges;
    impl VisitorMut for Ranges {
        type Break = ();
        fn pre_visit_table_factor(&mut self, factor: &mut TableFactor) -> ControlFlow<()> {
            let TableFactor::Table { name, alias, args: Some(TableFunctionArgs { args, .. }), .. } = factor else {
                return ControlFlow::Continue(());
            };
            // Function names are case-insensitive (`RANGE(10)`); DataFusion finds table functions
            // by their exact, lower-case names.
            for part in &mut name.0 {
                if let ObjectNamePart::Identifier(i) = part {
                    if i.quote_style.is_none() {
                        i.value = i.value.to_lowercase();
                    }
                }
            }
            let is_range = matches!(name.0.as_slice(), [ObjectNamePart::Identifier(i)] if i.value.eq_ignore_ascii_case("range"));
            if !is_range {
                return ControlFlow::Continue(());
            }
            args.truncate(3);
            let id = TableAliasColumnDef { name: Ident::new("id"), data_type: None };
            match alias {
                Some(a) if a.columns.is_empty() => a.columns = vec![id],
                Some(_) => {}
                None => *alias = Some(TableAlias { explicit: true, name: Ident::new("range"), columns: vec![id], at: None }),
            }
            ControlFlow::Continue(())
        }
    }
    let _ = stmt.visit(&mut Ranges);
}

#[cfg(test)]
mod tests {
    #[test]
    fn table_function_names_are_case_insensitive() {
        assert_eq!(crate::hiveql::rewritten("SELECT * FROM RANGE(3)", super::rewrite), "SELECT * FROM range(3) AS range (id)");
    }
}
