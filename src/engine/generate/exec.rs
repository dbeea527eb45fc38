//! Running a generate node: for each input batch, the generator's rows for every input row, with
//! the input row's columns repeated beside them.

use std::fmt;
use std::sync::Arc;

use datafusion::arrow::array::{
    new_null_array, Array, ArrayRef, AsArray, Int32Array, OffsetSizeTrait, RecordBatch, StringArray, UInt32Array,
};
use datafusion::arrow::compute::{cast, interleave, is_null, nullif, take};
use datafusion::arrow::datatypes::{DataType, FieldRef, SchemaRef};
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::common::{exec_err, Result};
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::physical_expr::PhysicalExpr;
use datafusion::physical_plan::execution_plan::{ChildrenPropertiesMode, ReplaceChildrenOptions};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{DisplayAs, DisplayFormatType, ExecutionPlan, PlanProperties};
use futures::StreamExt;

use super::node::Generator;

/// The generate operator.
#[derive(Debug)]
pub(crate) struct GenerateExec {
    input: Arc<dyn ExecutionPlan>,
    work: Arc<Work>,
    properties: Arc<PlanProperties>,
}

/// What each batch needs: the generator, its planned arguments and the output's shape.
#[derive(Debug)]
struct Work {
    generator: Generator,
    args: Vec<Arc<dyn PhysicalExpr>>,
    /// `stack`'s row count.
    stack_rows: usize,
    generated: Vec<FieldRef>,
    schema: SchemaRef,
}

/// Which input row each output row repeats, and the generated columns.
struct Generated {
    rows: Vec<u32>,
    columns: Vec<ArrayRef>,
}

impl GenerateExec {
    pub(crate) fn new(
        input: Arc<dyn ExecutionPlan>,
        generator: Generator,
        args: Vec<Arc<dyn PhysicalExpr>>,
        stack_rows: usize,
        generated: Vec<FieldRef>,
        schema: SchemaRef,
    ) -> Self {
        Self::with_work(input, Arc::new(Work { generator, args, stack_rows, generated, schema }))
    }

    fn with_work(input: Arc<dyn ExecutionPlan>, work: Arc<Work>) -> Self {
        let properties = crate::engine::row_operators::properties(&input, Arc::clone(&work.schema));
        GenerateExec { input, work, properties }
    }
}

fn row_index(i: usize) -> Result<u32> {
    u32::try_from(i).map_err(|e| datafusion::error::DataFusionError::External(Box::new(e)))
}

impl Work {
    fn generate(&self, batch: RecordBatch) -> Result<RecordBatch> {
        let args = self
            .args
            .iter()
            .map(|a| a.evaluate(&batch).and_then(|v| v.into_array(batch.num_rows())))
            .collect::<Result<Vec<_>>>()?;
        let generated = match self.generator {
            Generator::Explode { position, outer } => explode(&args[0], position, outer)?,
            Generator::Inline { outer } => inline(&args[0], outer)?,
            Generator::Stack => stack(&args[1..], self.stack_rows, &self.generated, batch.num_rows())?,
            Generator::JsonTuple => json_tuple(&args[0], &args[1..])?,
        };
        let indices = UInt32Array::from(generated.rows);
        let mut columns = batch.columns().iter().map(|c| take(c.as_ref(), &indices, None)).collect::<Result<Vec<_>, _>>()?;
        for (c, f) in generated.columns.into_iter().zip(&self.generated) {
            columns.push(if c.data_type() == f.data_type() { c } else { cast(&c, f.data_type())? });
        }
        Ok(RecordBatch::try_new(Arc::clone(&self.schema), columns)?)
    }
}

/// A list-like array as a list with i32 offsets.
fn as_list(a: &ArrayRef) -> Result<ArrayRef> {
    match a.data_type() {
        DataType::List(_) | DataType::Map(_, _) => Ok(Arc::clone(a)),
        DataType::LargeList(f) | DataType::FixedSizeList(f, _) => Ok(cast(a, &DataType::List(Arc::clone(f)))?),
        other => exec_err!("a generator was given {other} where an array or map was planned"),
    }
}

/// For each element of each row's list: the row, the element's index among all elements, and its
/// position in its list.
struct Elements {
    rows: Vec<u32>,
    index: Vec<Option<u32>>,
    pos: Vec<Option<i32>>,
}

/// The elements of each row's list; an empty or NULL list gives none, or with `outer` one
/// without an element.
fn elements<O: OffsetSizeTrait>(offsets: &[O], nulls: Option<&datafusion::arrow::buffer::NullBuffer>, outer: bool) -> Result<Elements> {
    let (mut rows, mut index, mut pos) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..offsets.len().saturating_sub(1) {
        let (start, end) = if nulls.is_some_and(|n| n.is_null(i)) { (0, 0) } else { (offsets[i].as_usize(), offsets[i + 1].as_usize()) };
        if start == end {
            if outer {
                rows.push(row_index(i)?);
                index.push(None);
                pos.push(None);
            }
            continue;
        }
        for j in start..end {
            rows.push(row_index(i)?);
            index.push(Some(row_index(j)?));
            pos.push(Some(i32::try_from(j - start).map_err(|e| datafusion::error::DataFusionError::External(Box::new(e)))?));
        }
    }
    Ok(Elements { rows, index, pos })
}

fn explode(arg: &ArrayRef, position: bool, outer: bool) -> Result<Generated> {
    let list = as_list(arg)?;
    let (offsets, nulls, values): (&[i32], _, Vec<ArrayRef>) = match list.data_type() {
        DataType::Map(_, _) => {
            let m = list.as_map();
            (m.value_offsets(), m.nulls(), vec![Arc::clone(m.keys()), Arc::clone(m.values())])
        }
        _ => {
            let l = list.as_list::<i32>();
            (l.value_offsets(), l.nulls(), vec![Arc::clone(l.values())])
        }
    };
    let Elements { rows, index, pos } = elements(offsets, nulls, outer)?;
    let index = UInt32Array::from(index);
    let mut columns: Vec<ArrayRef> = if position { vec![Arc::new(Int32Array::from(pos))] } else { Vec::new() };
    for v in values {
        columns.push(take(v.as_ref(), &index, None)?);
    }
    Ok(Generated { rows, columns })
}

fn inline(arg: &ArrayRef, outer: bool) -> Result<Generated> {
    let list = as_list(arg)?;
    let l = list.as_list::<i32>();
    let Elements { rows, index, .. } = elements(l.value_offsets(), l.nulls(), outer)?;
    let index = UInt32Array::from(index);
    let elements = take(l.values().as_ref(), &index, None)?;
    let Some(structs) = elements.as_struct_opt() else {
        return exec_err!("inline was given {} where an array of structs was planned", l.values().data_type());
    };
    // A NULL element gives a row of NULLs.
    let missing = is_null(structs)?;
    let columns = structs.columns().iter().map(|c| Ok(nullif(c.as_ref(), &missing)?)).collect::<Result<Vec<_>>>()?;
    Ok(Generated { rows, columns })
}

fn stack(values: &[ArrayRef], row_count: usize, generated: &[FieldRef], input_rows: usize) -> Result<Generated> {
    let width = generated.len();
    let mut rows = Vec::with_capacity(input_rows * row_count);
    for i in 0..input_rows {
        for _ in 0..row_count {
            rows.push(row_index(i)?);
        }
    }
    let mut columns = Vec::with_capacity(width);
    for (c, field) in generated.iter().enumerate() {
        // Source 0 is a NULL for the places past the last value.
        let mut sources: Vec<ArrayRef> = vec![new_null_array(field.data_type(), 1)];
        for v in values.iter().skip(c).step_by(width) {
            sources.push(if v.data_type() == field.data_type() { Arc::clone(v) } else { cast(v, field.data_type())? });
        }
        let mut picks = Vec::with_capacity(rows.len());
        for i in 0..input_rows {
            for r in 0..row_count {
                picks.push(if r + 1 < sources.len() { (r + 1, i) } else { (0, 0) });
            }
        }
        let arrays: Vec<&dyn Array> = sources.iter().map(|s| s.as_ref()).collect();
        columns.push(interleave(&arrays, &picks)?);
    }
    Ok(Generated { rows, columns })
}

fn json_tuple(json: &ArrayRef, keys: &[ArrayRef]) -> Result<Generated> {
    let json = cast(json, &DataType::Utf8)?;
    let json = json.as_string::<i32>();
    let keys = keys.iter().map(|k| cast(k, &DataType::Utf8)).collect::<Result<Vec<_>, _>>()?;
    let mut columns: Vec<Vec<Option<String>>> = vec![Vec::with_capacity(json.len()); keys.len()];
    for i in 0..json.len() {
        let object = if json.is_null(i) { None } else { serde_json::from_str::<serde_json::Value>(json.value(i)).ok() };
        for (k, column) in keys.iter().zip(columns.iter_mut()) {
            let k = k.as_string::<i32>();
            let value = match (&object, k.is_null(i)) {
                (Some(serde_json::Value::Object(o)), false) => o.get(k.value(i)).and_then(|v| match v {
                    serde_json::Value::Null => None,
                    serde_json::Value::String(s) => Some(s.clone()),
                    other => Some(other.to_string()),
                }),
                _ => None,
            };
            column.push(value);
        }
    }
    let rows = (0..json.len()).map(row_index).collect::<Result<Vec<_>>>()?;
    let columns = columns.into_iter().map(|c| Arc::new(StringArray::from(c)) as ArrayRef).collect();
    Ok(Generated { rows, columns })
}

impl DisplayAs for GenerateExec {
    fn fmt_as(&self, _t: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "GenerateExec: {:?}", self.work.generator)
    }
}

impl ExecutionPlan for GenerateExec {
    fn name(&self) -> &str {
        "GenerateExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    // Rows keep their input order, but the output declares no ordering, so no sort may be
    // placed below this operator to satisfy one above it.
    fn maintains_input_order(&self) -> Vec<bool> {
        vec![false]
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![&self.input]
    }

    fn apply_expressions(&self, f: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> Result<TreeNodeRecursion>) -> Result<TreeNodeRecursion> {
        for a in &self.work.args {
            if f(a)? == TreeNodeRecursion::Stop {
                return Ok(TreeNodeRecursion::Stop);
            }
        }
        Ok(TreeNodeRecursion::Continue)
    }

    fn replace_children(
        self: Arc<Self>,
        children: Vec<Arc<dyn ExecutionPlan>>,
        _options: ReplaceChildrenOptions,
    ) -> Result<Arc<dyn ExecutionPlan>> {
        let child = crate::engine::row_operators::only_child(children, "GenerateExec")?;
        Ok(Arc::new(GenerateExec::with_work(child, Arc::clone(&self.work))))
    }

    fn with_new_children(self: Arc<Self>, children: Vec<Arc<dyn ExecutionPlan>>) -> Result<Arc<dyn ExecutionPlan>> {
        self.replace_children(children, ReplaceChildrenOptions::new(ChildrenPropertiesMode::Recompute))
    }

    fn execute(&self, partition: usize, context: Arc<TaskContext>) -> Result<SendableRecordBatchStream> {
        let input = self.input.execute(partition, context)?;
        let work = Arc::clone(&self.work);
        let out = input.map(move |batch| work.generate(batch?));
        Ok(Box::pin(RecordBatchStreamAdapter::new(Arc::clone(&self.work.schema), out)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{Int32Array, ListArray};
    use datafusion::arrow::datatypes::Int32Type;

    fn list() -> ArrayRef {
        Arc::new(ListArray::from_iter_primitive::<Int32Type, _, _>(vec![Some(vec![Some(1), Some(2)]), Some(vec![]), None, Some(vec![Some(3)])]))
    }

    #[test]
    fn explode_repeats_rows_and_keeps_empty_ones_only_when_outer() {
        let g = explode(&list(), true, false).unwrap();
        assert_eq!(g.rows, vec![0, 0, 3]);
        assert_eq!(g.columns[0].as_primitive::<datafusion::arrow::datatypes::Int32Type>().values(), &[0, 1, 0]);
        assert_eq!(g.columns[1].as_primitive::<Int32Type>().values(), &[1, 2, 3]);
        let g = explode(&list(), false, true).unwrap();
        assert_eq!(g.rows, vec![0, 0, 1, 2, 3]);
        assert_eq!(g.columns[0].null_count(), 2);
    }

    #[test]
    fn stack_fills_rows_in_order_and_pads_with_nulls() {
        let one = |v: i32| Arc::new(Int32Array::from(vec![v])) as ArrayRef;
        let fields: Vec<FieldRef> = vec![Arc::new(datafusion::arrow::datatypes::Field::new("col0", DataType::Int32, true)), Arc::new(datafusion::arrow::datatypes::Field::new("col1", DataType::Int32, true))];
        let g = stack(&[one(1), one(2), one(3)], 2, &fields, 1).unwrap();
        assert_eq!(g.rows, vec![0, 0]);
        let c0 = g.columns[0].as_primitive::<Int32Type>();
        let c1 = g.columns[1].as_primitive::<Int32Type>();
        assert_eq!((c0.value(0), c1.value(0), c0.value(1)), (1, 2, 3));
        assert!(c1.is_null(1));
    }

    #[test]
    fn json_tuple_reads_top_level_keys() {
        let json: ArrayRef = Arc::new(StringArray::from(vec![Some(r#"{"a": 1, "b": "x", "c": {"d": 2}}"#), None, Some("not json")]));
        let key = |k: &str| Arc::new(StringArray::from(vec![k; 3])) as ArrayRef;
        let g = json_tuple(&json, &[key("a"), key("b"), key("c"), key("z")]).unwrap();
        assert_eq!(g.rows, vec![0, 1, 2]);
        let text = |c: usize| g.columns[c].as_string::<i32>().iter().map(|v| v.map(str::to_string)).collect::<Vec<_>>();
        assert_eq!(text(0), vec![Some("1".to_string()), None, None]);
        assert_eq!(text(1)[0].as_deref(), Some("x"));
        assert_eq!(text(2)[0].as_deref(), Some(r#"{"d":2}"#));
        assert_eq!(text(3)[0], None);
    }
}
