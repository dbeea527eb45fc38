//! `DESCRIBE FUNCTION [EXTENDED] f`: what a function is and how it is called, in Spark's layout:
//! one column, `function_desc`, with the lines `Function: f`, `Class: ...` and `Usage: ...`, and
//! with EXTENDED an `Extended Usage:` block of arguments and examples. The text is the function's
//! DataFusion documentation, or that of DataFusion's function of the same name (datafusion-spark's
//! functions replace DataFusion's and carry none); a function with neither says `Usage: N/A.`, as
//! Spark says for functions without a description. Spark's names the front end rewrites
//! (`startswith`, `int(x)`) are described as the functions they become.

use datafusion::arrow::datatypes::SchemaRef;
use datafusion::logical_expr::Documentation;
use hivewire_backend::{BackendError, ErrorKind, QueryResult};

use super::output::{string_rows, string_schema};
use crate::engine::EngineSession;

/// The result's one column.
pub fn schema() -> SchemaRef {
    string_schema(&["function_desc"])
}

/// What a name resolves to.
struct Found {
    /// Scalar, aggregate or window; or a cast, for Spark's type functions.
    kind: &'static str,
    /// The engine's function the name runs.
    engine: String,
    doc: Option<Documentation>,
}

/// The description's rows, or an error naming the function when there is none of that name.
pub fn describe(s: &EngineSession, name: &str, extended: bool) -> Result<QueryResult, BackendError> {
    let lower = name.to_lowercase();
    let found = find(s, &lower).ok_or_else(|| {
        BackendError::new(
            ErrorKind::UndefinedFunction,
            format!("[ROUTINE_NOT_FOUND] The routine `{name}` cannot be found; SHOW FUNCTIONS lists the functions there are."),
        )
    })?;
    let mut rows = vec![format!("Function: {lower}"), format!("Class: {} {}", found.kind, found.engine)];
    rows.push(match &found.doc {
        Some(doc) => format!("Usage: {} - {}", doc.syntax_example, one_line(&doc.description)),
        None if found.kind == "cast" => format!("Usage: {lower}(expr) - Casts `expr` to {}.", lower.to_uppercase()),
        None => "Usage: N/A.".to_string(),
    });
    if extended {
        rows.push(extended_usage(&lower, found.doc.as_ref()));
    }
    string_rows(schema(), rows.into_iter().map(|r| vec![Some(r)]).collect(), "DESCRIBE")
}

/// The function a lower-case name calls, if any.
fn find(s: &EngineSession, name: &str) -> Option<Found> {
    if super::spark_types::CAST_FUNCTIONS.contains(&name) {
        return Some(Found { kind: "cast", engine: format!("CAST(expr AS {})", name.to_uppercase()), doc: None });
    }
    let engine = super::function_names::engine_name(name).unwrap_or(name);
    let state = s.ctx.state();
    let registered = if let Some(f) = state.scalar_functions().get(engine) {
        Some(("scalar function", f.name().to_string(), f.documentation().cloned()))
    } else if let Some(f) = state.aggregate_functions().get(engine) {
        Some(("aggregate function", f.name().to_string(), f.documentation().cloned()))
    } else {
        state.window_functions().get(engine).map(|f| ("window function", f.name().to_string(), f.documentation().cloned()))
    };
    match registered {
        Some((kind, engine, doc)) => {
            // DataFusion's own function of the name the call runs under, where that is the same
            // function in Spark's version (not the engine's `hivewire_...` replacements).
            let doc = doc.or_else(|| datafusion_documentation(&engine));
            Some(Found { kind, engine, doc })
        }
        // A Spark name the front end rewrites to an expression (`isnotnull(x)` is `x IS NOT NULL`).
        None if super::function_names::SPARK_NAMES.contains(&name) => {
            Some(Found { kind: "rewritten", engine: "by the HiveQL front end".to_string(), doc: None })
        }
        None => None,
    }
}

/// The documentation of DataFusion's own function of that name, among its defaults.
fn datafusion_documentation(name: &str) -> Option<Documentation> {
    let named = |n: &str, aliases: &[String]| n == name || aliases.iter().any(|a| a == name);
    datafusion::functions::all_default_functions()
        .into_iter()
        .chain(datafusion::functions_nested::all_default_nested_functions())
        .find(|f| named(f.name(), f.aliases()))
        .and_then(|f| f.documentation().cloned())
        .or_else(|| {
            datafusion::functions_aggregate::all_default_aggregate_functions()
                .into_iter()
                .find(|f| named(f.name(), f.aliases()))
                .and_then(|f| f.documentation().cloned())
        })
        .or_else(|| {
            datafusion::functions_window::all_default_window_functions()
                .into_iter()
                .find(|f| named(f.name(), f.aliases()))
                .and_then(|f| f.documentation().cloned())
        })
}

/// A description on one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// EXTENDED's block: the arguments and the examples, indented as Spark indents them.
fn extended_usage(name: &str, doc: Option<&Documentation>) -> String {
    let mut out = String::from("Extended Usage:\n");
    let arguments = doc.and_then(|d| d.arguments.as_ref()).filter(|a| !a.is_empty());
    let example = doc.and_then(|d| d.sql_example.as_ref());
    if arguments.is_none() && example.is_none() {
        out.push_str(&format!("    No example/argument for {name}.\n"));
        return out;
    }
    if let Some(arguments) = arguments {
        out.push_str("    Arguments:\n");
        for (arg, text) in arguments {
            out.push_str(&format!("      * {arg} - {}\n", one_line(text)));
        }
    }
    if let Some(example) = example {
        out.push_str("    Examples:\n");
        for line in example.lines().filter(|l| !l.trim_start().starts_with("```")) {
            out.push_str(&format!("      {line}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datafusion_documents_its_functions() {
        let doc = datafusion_documentation("upper").unwrap();
        assert!(doc.syntax_example.starts_with("upper("));
        assert!(datafusion_documentation("no_such_function").is_none());
    }

    #[test]
    fn extended_usage_lists_arguments_and_examples() {
        let doc = datafusion_documentation("upper").unwrap();
        let text = extended_usage("upper", Some(&doc));
        assert!(text.starts_with("Extended Usage:\n    Arguments:\n      * str - "), "{text}");
        assert!(text.contains("    Examples:\n"), "{text}");
        assert_eq!(extended_usage("f", None), "Extended Usage:\n    No example/argument for f.\n");
    }
}
