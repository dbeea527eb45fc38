//! `size` and `cardinality` of a NULL array or map: NULL under ANSI rules (Spark's default), -1
//! without them, as Spark's `spark.sql.legacy.sizeOfNull` applies only outside ANSI mode. The
//! engine's `size` gives -1 and its `cardinality` NULL, so each call is renamed to the one that
//! answers as the session's setting says.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{Expr, Ident, ObjectName, ObjectNamePart, Statement, VisitMut, VisitorMut};

/// Renames `size` and `cardinality` calls for the session's ANSI setting.
pub fn rewrite(stmt: &mut Statement, ansi: bool) {
    struct Sizes {
        ansi: bool,
    }
    impl VisitorMut for Sizes {
        type Break = ();
        fn post_visit_expr(&mut self, e: &mut Expr) -> ControlFlow<()> {
            let Expr::Function(f) = e else { return ControlFlow::Continue(()) };
            let Some((name, args)) = super::function_names::plain_call(f) else { return ControlFlow::Continue(()) };
            let wanted = if self.ansi { "cardinality" } else { "size" };
            if args.len() == 1 && matches!(name.as_str(), "size" | "cardinality") && name != wanted {
                f.name = ObjectName(vec![ObjectNamePart::Identifier(Ident::new(wanted))]);
            }
            ControlFlow::Continue(())
        }
    }
    let _ = stmt.visit(&mut Sizes { ansi });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hiveql::{parse_one, Flavor};

    fn r(sql: &str, ansi: bool) -> String {
        let mut stmt = parse_one(sql, Flavor::Hive).unwrap();
        rewrite(&mut stmt, ansi);
        stmt.to_string()
    }

    #[test]
    fn the_setting_picks_the_function() {
        assert_eq!(r("SELECT size(a), cardinality(m) FROM t", true), "SELECT cardinality(a), cardinality(m) FROM t");
        assert_eq!(r("SELECT size(a), cardinality(m) FROM t", false), "SELECT size(a), size(m) FROM t");
    }
}
