//! A WITH inside a query may define a name that an enclosing WITH defines too. What that means is
//! Spark's `spark.sql.legacy.ctePrecedencePolicy`: by default (`CORRECTED`) the inner definition
//! hides the outer one within its query; under `LEGACY` the outer one wins; under `EXCEPTION` the
//! statement is an error. DataFusion refuses the repeated name, so before planning each inner
//! definition is renamed (`t` becomes `t__2`), and under `CORRECTED` so are the references in its
//! scope.

use std::ops::ControlFlow;

use datafusion::sql::sqlparser::ast::{Ident, ObjectName, ObjectNamePart, Query, Statement, TableFactor, VisitMut, VisitorMut};
use hivewire_backend::{BackendError, ErrorKind};

/// The setting that chooses the policy.
pub const POLICY_SETTING: &str = "spark.sql.legacy.ctePrecedencePolicy";

/// Which definition of a repeated CTE name a reference means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// The innermost (Spark's default).
    Corrected,
    /// The outermost.
    Legacy,
    /// Neither: the statement is an error.
    Exception,
}

impl Policy {
    /// The policy a setting's value names; the default for anything else.
    pub fn from_setting(value: Option<&str>) -> Policy {
        match value.map(|v| v.trim().to_ascii_uppercase()).as_deref() {
            Some("LEGACY") => Policy::Legacy,
            Some("EXCEPTION") => Policy::Exception,
            _ => Policy::Corrected,
        }
    }
}

/// Renames inner CTE definitions of repeated names, and under `CORRECTED` the references to them.
pub fn rewrite(stmt: &mut Statement, policy: Policy) -> Result<(), BackendError> {
    let mut scopes = Scopes { stack: Vec::new(), renamed: 0, policy, conflict: None };
    let _ = stmt.visit(&mut scopes);
    match scopes.conflict {
        Some(name) => Err(BackendError::new(
            ErrorKind::InvalidParameter,
            format!("[AMBIGUOUS_ALIAS_IN_NESTED_CTE] name {name} is ambiguous in nested CTE; set {POLICY_SETTING} to CORRECTED (the inner definition wins) or LEGACY (the outer one wins)"),
        )),
        None => Ok(()),
    }
}

/// The CTE names of one query's WITH: each with the name it is planned under (None when
/// references keep meaning an outer definition), and how many are defined so far. A CTE's
/// definition sees only the ones before it; the query's body sees them all.
struct Scope {
    names: Vec<(String, Option<String>)>,
    defined: usize,
    /// Whether this query is itself a CTE definition of the enclosing one.
    defines_parent_cte: bool,
}

/// The scopes of the queries being visited, innermost last.
struct Scopes {
    stack: Vec<Scope>,
    renamed: usize,
    policy: Policy,
    conflict: Option<String>,
}

impl Scopes {
    /// The visible definition of a name: Some(planned name) for a CTE, looked up innermost first.
    fn lookup(&self, name: &str) -> Option<Option<&String>> {
        self.stack.iter().rev().find_map(|scope| {
            scope.names[..scope.defined].iter().rev().find(|(n, _)| n == name).map(|(_, planned)| planned.as_ref())
        })
    }
}

impl VisitorMut for Scopes {
    type Break = ();

    fn pre_visit_query(&mut self, q: &mut Query) -> ControlFlow<()> {
        let defines_parent_cte = self.stack.last().is_some_and(|s| s.defined < s.names.len());
        let mut names = Vec::new();
        if let Some(with) = &mut q.with {
            for cte in &mut with.cte_tables {
                let name = cte.alias.name.value.to_lowercase();
                let repeated = self.lookup(&name).is_some();
                if !repeated {
                    names.push((name.clone(), Some(name)));
                    continue;
                }
                if self.policy == Policy::Exception {
                    self.conflict = Some(name);
                    return ControlFlow::Break(());
                }
                self.renamed += 1;
                let fresh = format!("{name}__{}", self.renamed + 1);
                cte.alias.name = Ident::new(fresh.clone());
                // Under LEGACY, references still mean the outer definition.
                names.push((name, (self.policy == Policy::Corrected).then_some(fresh)));
            }
        }
        self.stack.push(Scope { names, defined: 0, defines_parent_cte });
        ControlFlow::Continue(())
    }

    fn post_visit_query(&mut self, _q: &mut Query) -> ControlFlow<()> {
        if let Some(done) = self.stack.pop() {
            if done.defines_parent_cte {
                if let Some(parent) = self.stack.last_mut() {
                    parent.defined += 1;
                }
            }
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_table_factor(&mut self, t: &mut TableFactor) -> ControlFlow<()> {
        if let TableFactor::Table { name, alias, args: None, .. } = t {
            if let [ObjectNamePart::Identifier(id)] = name.0.as_slice() {
                let written = id.clone();
                if let Some(Some(planned)) = self.lookup(&written.value.to_lowercase()) {
                    if *planned != written.value.to_lowercase() {
                        *name = ObjectName::from(vec![Ident::new(planned.clone())]);
                        if alias.is_none() {
                            *alias = Some(datafusion::sql::sqlparser::ast::TableAlias { explicit: true, name: written, columns: vec![], at: None });
                        }
                    }
                }
            }
        }
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inner_definitions_hide_outer_ones() {
        let sql = "WITH t AS (SELECT 1), t2 AS (WITH t AS (SELECT 2) SELECT * FROM t) SELECT * FROM t2, t";
        let with = |policy| {
            let mut stmt = crate::hiveql::parse_one(sql, crate::hiveql::Flavor::Hive).unwrap();
            rewrite(&mut stmt, policy).map(|_| stmt.to_string())
        };
        assert_eq!(
            with(Policy::Corrected).unwrap(),
            "WITH t AS (SELECT 1), t2 AS (WITH t__2 AS (SELECT 2) SELECT * FROM t__2 AS t) SELECT * FROM t2, t"
        );
        assert_eq!(with(Policy::Legacy).unwrap(), "WITH t AS (SELECT 1), t2 AS (WITH t__2 AS (SELECT 2) SELECT * FROM t) SELECT * FROM t2, t");
        assert!(with(Policy::Exception).is_err());
        // A CTE's definition does not see the ones after it.
        let later = "WITH t AS (WITH t2 AS (SELECT 1) SELECT * FROM t2), t2 AS (SELECT 2) SELECT * FROM t";
        let mut stmt = crate::hiveql::parse_one(later, crate::hiveql::Flavor::Hive).unwrap();
        rewrite(&mut stmt, Policy::Exception).unwrap();
        assert_eq!(stmt.to_string(), later);
    }
}
