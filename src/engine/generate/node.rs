//! The logical generate node: each input row followed by the rows a generator makes of it, as
//! Spark's `Generate` operator does for `explode`, `posexplode`, `inline`, `stack` and
//! `json_tuple`.

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{plan_err, DFSchema, DFSchemaRef, Result, ScalarValue, TableReference};
use datafusion::logical_expr::{Expr, ExprSchemable, LogicalPlan, UserDefinedLogicalNodeCore};

/// Which generator, and whether an input row it makes no rows of is kept with NULLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd)]
pub(crate) enum Generator {
    /// `explode(array|map)`, and with `position` `posexplode`.
    Explode { position: bool, outer: bool },
    /// `inline(array<struct>)`: one row per element, one column per field.
    Inline { outer: bool },
    /// `stack(n, v1, ..., vk)`: n rows of the values in order.
    Stack,
    /// `json_tuple(json, k1, ..., kn)`: one row of the keys' values.
    JsonTuple,
}

/// Every generator's Spark name, for SHOW FUNCTIONS.
pub(crate) const NAMES: [&str; 8] =
    ["explode", "explode_outer", "posexplode", "posexplode_outer", "inline", "inline_outer", "stack", "json_tuple"];

impl Generator {
    /// The generator a Spark function name names, if it is one.
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "explode" => Generator::Explode { position: false, outer: false },
            "explode_outer" => Generator::Explode { position: false, outer: true },
            "posexplode" => Generator::Explode { position: true, outer: false },
            "posexplode_outer" => Generator::Explode { position: true, outer: true },
            "inline" => Generator::Inline { outer: false },
            "inline_outer" => Generator::Inline { outer: true },
            "stack" => Generator::Stack,
            "json_tuple" => Generator::JsonTuple,
            _ => return None,
        })
    }

    /// The same generator, keeping input rows it makes no rows of.
    pub(crate) fn outer(self) -> Self {
        match self {
            Generator::Explode { position, .. } => Generator::Explode { position, outer: true },
            Generator::Inline { .. } => Generator::Inline { outer: true },
            other => other,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Generator::Explode { position: false, outer: false } => "explode",
            Generator::Explode { position: false, outer: true } => "explode_outer",
            Generator::Explode { position: true, outer: false } => "posexplode",
            Generator::Explode { position: true, outer: true } => "posexplode_outer",
            Generator::Inline { outer: false } => "inline",
            Generator::Inline { outer: true } => "inline_outer",
            Generator::Stack => "stack",
            Generator::JsonTuple => "json_tuple",
        }
    }
}

/// An input and a generator over its rows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct GenerateNode {
    pub input: LogicalPlan,
    pub generator: Generator,
    pub args: Vec<Expr>,
    /// The names the query gave the generated columns; Spark's defaults when empty.
    pub names: Vec<String>,
    /// The relation name the generated columns are qualified by.
    pub qualifier: Option<TableReference>,
    schema: DFSchemaRef,
}

impl GenerateNode {
    pub(crate) fn try_new(
        input: LogicalPlan,
        generator: Generator,
        args: Vec<Expr>,
        names: Vec<String>,
        qualifier: Option<TableReference>,
    ) -> Result<Self> {
        let mut fields = generated_fields(generator, &args, input.schema())?;
        if !names.is_empty() {
            if names.len() != fields.len() {
                return plan_err!(
                    "[UDTF_ALIAS_NUMBER_MISMATCH] {} makes {} columns, but {} aliases were given",
                    generator.name(),
                    fields.len(),
                    names.len()
                );
            }
            fields = fields.into_iter().zip(&names).map(|(f, n)| f.with_name(n)).collect();
        }
        let generated = DFSchema::new_with_metadata(
            fields.into_iter().map(|f| (qualifier.clone(), Arc::new(f))).collect(),
            Default::default(),
        )?;
        let schema = Arc::new(input.schema().join(&generated)?);
        Ok(GenerateNode { input, generator, args, names, qualifier, schema })
    }

    /// The generated columns' fields.
    pub(crate) fn generated_fields(&self) -> Vec<FieldRef> {
        self.schema.fields()[self.input.schema().fields().len()..].to_vec()
    }
}

/// The columns a generator makes, named as Spark names them, all nullable.
fn generated_fields(generator: Generator, args: &[Expr], input: &DFSchema) -> Result<Vec<Field>> {
    let types = args.iter().map(|a| a.get_type(input)).collect::<Result<Vec<_>>>()?;
    let named = |name: &str, t: &DataType| Field::new(name, t.clone(), true);
    match generator {
        Generator::Explode { position, .. } => {
            let mut fields = if position { vec![Field::new("pos", DataType::Int32, true)] } else { Vec::new() };
            match types.as_slice() {
                [DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _)] => fields.push(named("col", f.data_type())),
                [DataType::Map(entries, _)] => match entries.data_type() {
                    DataType::Struct(kv) if kv.len() == 2 => {
                        fields.push(named("key", kv[0].data_type()));
                        fields.push(named("value", kv[1].data_type()));
                    }
                    other => return plan_err!("a map's entries are {other}"),
                },
                other => return plan_err!("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] {} takes one array or map, not {other:?}", generator.name()),
            }
            Ok(fields)
        }
        Generator::Inline { .. } => match types.as_slice() {
            [DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _)] => match f.data_type() {
                DataType::Struct(members) => Ok(members.iter().map(|m| named(m.name(), m.data_type())).collect()),
                other => plan_err!("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] inline takes an array of structs, not an array of {other}"),
            },
            other => plan_err!("[DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE] inline takes an array of structs, not {other:?}"),
        },
        Generator::Stack => {
            let rows = stack_rows(args)?;
            let values = &types[1..];
            let width = values.len().div_ceil(rows).max(1);
            (0..width)
                .map(|c| {
                    let mut column = values.iter().skip(c).step_by(width).filter(|t| !t.is_null());
                    let t = column.next().cloned().unwrap_or(DataType::Null);
                    if let Some(other) = column.find(|o| **o != t) {
                        return plan_err!("[DATATYPE_MISMATCH.STACK_COLUMN_DIFF_TYPES] stack's column {c} mixes {t} and {other}");
                    }
                    Ok(named(&format!("col{c}"), &t))
                })
                .collect()
        }
        Generator::JsonTuple => {
            if args.len() < 2 {
                return plan_err!("[WRONG_NUM_ARGS] json_tuple takes a JSON string and at least one key");
            }
            if let Some(t) = types.iter().find(|t| !matches!(t, DataType::Utf8 | DataType::Utf8View | DataType::LargeUtf8)) {
                return plan_err!("[DATATYPE_MISMATCH.NON_STRING_TYPE] json_tuple takes strings, not {t}");
            }
            Ok((0..args.len() - 1).map(|i| named(&format!("c{i}"), &DataType::Utf8)).collect())
        }
    }
}

/// The row count of `stack(n, ...)`: its first argument, a positive integer constant.
pub(crate) fn stack_rows(args: &[Expr]) -> Result<usize> {
    let mut first = args.first();
    // Rewrites may have named or cast the constant.
    while let Some(Expr::Alias(datafusion::logical_expr::expr::Alias { expr, .. }) | Expr::Cast(datafusion::logical_expr::Cast { expr, .. })) = first {
        first = Some(expr.as_ref());
    }
    let n = match first {
        Some(Expr::Literal(v, _)) => match v.cast_to(&DataType::Int64)? {
            ScalarValue::Int64(Some(n)) => n,
            _ => 0,
        },
        _ => return plan_err!("[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] stack's first argument, the row count, must be a constant integer"),
    };
    if n < 1 || args.len() < 2 {
        return plan_err!("[DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE] stack needs a positive row count and at least one value");
    }
    usize::try_from(n).or_else(|_| plan_err!("stack's row count {n} is too large"))
}

// Nodes are ordered by their generators and column names alone; the optimizer only needs some order.
impl PartialOrd for GenerateNode {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        (self.generator, self.schema.field_names()).partial_cmp(&(other.generator, other.schema.field_names()))
    }
}

impl UserDefinedLogicalNodeCore for GenerateNode {
    fn name(&self) -> &str {
        "Generate"
    }

    fn inputs(&self) -> Vec<&LogicalPlan> {
        vec![&self.input]
    }

    fn schema(&self) -> &DFSchemaRef {
        &self.schema
    }

    fn expressions(&self) -> Vec<Expr> {
        self.args.clone()
    }

    fn fmt_for_explain(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let args: Vec<String> = self.args.iter().map(ToString::to_string).collect();
        write!(f, "Generate: {}({})", self.generator.name(), args.join(", "))
    }

    fn with_exprs_and_inputs(&self, exprs: Vec<Expr>, mut inputs: Vec<LogicalPlan>) -> Result<Self> {
        let input = inputs.pop().unwrap_or_else(|| self.input.clone());
        let names = if self.names.is_empty() { self.generated_fields().iter().map(|f| f.name().clone()).collect() } else { self.names.clone() };
        GenerateNode::try_new(input, self.generator, exprs, names, self.qualifier.clone())
    }

    fn necessary_children_exprs(&self, _output_columns: &[usize]) -> Option<Vec<Vec<usize>>> {
        None
    }
}
