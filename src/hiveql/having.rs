//! HAVING without GROUP BY: Spark makes such a select one group of all its rows (a global
//! aggregate), so `SELECT 1 FROM t HAVING true` is one row and a select item that is a plain
//! column is an error (MISSING_GROUP_BY). DataFusion plans HAVING only over an aggregate, so the
//! front end gives the select one: the condition gains `AND count(*) >= 0`, which always holds.

use datafusion::sql::sqlparser::ast::{BinaryOperator, Expr, FunctionArg, FunctionArgExpr, GroupByExpr, Statement};

/// Rewrites every select with HAVING and no GROUP BY.
pub fn rewrite(stmt: &mut Statement) {
    super::ast::rewrite_selects(stmt, |select| {
        let ungrouped = matches!(&select.group_by, GroupByExpr::Expressions(e, m) if e.is_empty() && m.is_empty());
        let Some(having) = select.having.take() else { return };
        if !ungrouped {
            select.having = Some(having);
            return;
        }
        let mut count = super::ast::call("count", vec![]);
        if let Expr::Function(f) = &mut count {
            if let datafusion::sql::sqlparser::ast::FunctionArguments::List(list) = &mut f.args {
                list.args = vec![FunctionArg::Unnamed(FunctionArgExpr::Wildcard)];
            }
        }
        let always = Expr::BinaryOp { left: Box::new(count), op: BinaryOperator::GtEq, right: Box::new(super::ast::number(0)) };
        select.having = Some(Expr::BinaryOp { left: Box::new(Expr::Nested(Box::new(having))), op: BinaryOperator::And, right: Box::new(always) });
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hiveql::{parse_one, Flavor};

    #[test]
    fn an_ungrouped_having_makes_one_group() {
        let mut stmt = parse_one("SELECT 1 FROM t HAVING true", Flavor::Hive).unwrap();
        rewrite(&mut stmt);
        assert_eq!(stmt.to_string(), "SELECT 1 FROM t HAVING (true) AND count(*) >= 0");
        let mut grouped = parse_one("SELECT a FROM t GROUP BY a HAVING a > 1", Flavor::Hive).unwrap();
        rewrite(&mut grouped);
        assert_eq!(grouped.to_string(), "SELECT a FROM t GROUP BY a HAVING a > 1");
    }
}
