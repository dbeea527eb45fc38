//! `x[i]` and `element_at(x, i)` as Spark reads them. A subscript numbers an array's elements from
//! 0 (NULL past either end); `element_at` from 1, and from the end when negative. Both look a map's
//! value up by key. The HiveQL front end writes them as `hivewire_subscript(x, i)` and
//! `hivewire_element_at(x, i)`; once the planner knows `x`'s type, the call simplifies to
//! DataFusion's own element access.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::{exec_err, plan_err, Result, ScalarValue};
use datafusion::logical_expr::simplify::{ExprSimplifyResult, SimplifyContext};
use datafusion::logical_expr::{
    lit, when, ColumnarValue, Expr, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

/// The functions' names, as the front end writes them.
pub const SUBSCRIPT: &str = "hivewire_subscript";
pub const ELEMENT_AT: &str = "hivewire_element_at";

#[derive(Debug, PartialEq, Eq, Hash)]
struct Subscript {
    name: &'static str,
    signature: Signature,
}

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    [SUBSCRIPT, ELEMENT_AT]
        .into_iter()
        .map(|name| Arc::new(ScalarUDF::from(Subscript { name, signature: Signature::any(2, Volatility::Immutable) })))
        .collect()
}

fn element_type(container: &DataType) -> Result<DataType> {
    match container {
        DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _) => Ok(f.data_type().clone()),
        DataType::Map(entries, _) => match entries.data_type() {
            DataType::Struct(kv) if kv.len() == 2 => Ok(kv[1].data_type().clone()),
            other => plan_err!("malformed map entries {other}"),
        },
        DataType::Null => Ok(DataType::Null),
        other => plan_err!("[DATATYPE_MISMATCH] a subscript needs an array or a map, not {other}"),
    }
}

fn call(name: &str, args: Vec<Expr>) -> Result<Expr> {
    let f = match name {
        "array_element" => datafusion::functions_nested::extract::array_element_udf(),
        _ => datafusion::functions_nested::map_extract::map_extract_udf(),
    };
    Ok(f.call(args))
}

impl ScalarUDFImpl for Subscript {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        element_type(&args[0])
    }

    fn simplify(&self, mut args: Vec<Expr>, info: &SimplifyContext) -> Result<ExprSimplifyResult> {
        let index = args.remove(1);
        let container = args.remove(0);
        let replaced = match info.get_data_type(&container)? {
            DataType::Map(..) => call("array_element", vec![call("map_extract", vec![container, index])?, lit(1i64)])?,
            DataType::Null => lit(ScalarValue::Null),
            // DataFusion's array_element counts from 1, and from the end when negative: as
            // element_at does.
            _ if self.name == ELEMENT_AT => {
                let index = Expr::Cast(datafusion::logical_expr::Cast::new(Box::new(index), DataType::Int64));
                call("array_element", vec![container, index])?
            }
            _ => {
                let index = Expr::Cast(datafusion::logical_expr::Cast::new(Box::new(index), DataType::Int64));
                let one_based = when(index.clone().lt(lit(0i64)), lit(ScalarValue::Int64(None))).otherwise(index + lit(1i64))?;
                call("array_element", vec![container, one_based])?
            }
        };
        Ok(ExprSimplifyResult::Simplified(replaced))
    }

    fn invoke_with_args(&self, _args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        exec_err!("{} is rewritten before it runs", self.name)
    }
}
