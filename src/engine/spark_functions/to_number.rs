//! `to_number(s, fmt)` and `try_to_number`: a string read as a DECIMAL by a number format, as
//! Spark reads it. The format is made of digits `0`/`9`, a decimal point `.`/`D`, grouping
//! separators `,`/`G`, a currency sign `$`, a sign `S` at the start or end, `MI` (a trailing minus)
//! or `PR` (a negative number in angle brackets). The result is DECIMAL(digits, digits after the
//! point). Input that does not match is an error for `to_number` and NULL for `try_to_number`.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Decimal128Builder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{exec_err, plan_err, Result, ScalarValue};
use datafusion::logical_expr::{
    ColumnarValue, ReturnFieldArgs, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, TypeSignature, Volatility,
};

pub(super) fn functions() -> Vec<Arc<ScalarUDF>> {
    vec![Arc::new(ScalarUDF::from(ToNumber::new("to_number", false))), Arc::new(ScalarUDF::from(ToNumber::new("try_to_number", true)))]
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct ToNumber {
    name: &'static str,
    lenient: bool,
    signature: Signature,
}

impl ToNumber {
    fn new(name: &'static str, lenient: bool) -> Self {
        let signature = Signature::one_of(vec![TypeSignature::Exact(vec![DataType::Utf8, DataType::Utf8])], Volatility::Immutable);
        ToNumber { name, lenient, signature }
    }
}

/// A parsed number format.
#[derive(Debug, Clone, PartialEq)]
struct Format {
    before: u8,
    after: u8,
    point: bool,
    dollar: bool,
    leading_sign: bool,
    trailing_sign: bool,
    minus: bool,
    brackets: bool,
}

impl Format {
    fn parse(text: &str) -> Result<Self> {
        let mut f = Format { before: 0, after: 0, point: false, dollar: false, leading_sign: false, trailing_sign: false, minus: false, brackets: false };
        let upper = text.to_ascii_uppercase();
        let mut rest = upper.as_str();
        let mut first = true;
        while let Some(c) = rest.chars().next() {
            match c {
                '0' | '9' if f.point => f.after += 1,
                '0' | '9' => f.before += 1,
                '.' | 'D' if !f.point => f.point = true,
                ',' | 'G' if !f.point => {}
                '$' if !f.dollar => f.dollar = true,
                'S' if first => f.leading_sign = true,
                'S' if rest.len() == 1 => f.trailing_sign = true,
                'M' if rest == "MI" => {
                    f.minus = true;
                    break;
                }
                'P' if rest == "PR" => {
                    f.brackets = true;
                    break;
                }
                _ => return plan_err!("[INVALID_FORMAT.UNEXPECTED_TOKEN] the number format '{text}' has an unexpected '{c}'"),
            }
            first = false;
            rest = &rest[c.len_utf8()..];
        }
        if f.before + f.after == 0 {
            return plan_err!("[INVALID_FORMAT.WRONG_NUM_DIGIT] the number format '{text}' has no digits");
        }
        if f.before + f.after > 38 {
            return plan_err!("the number format '{text}' has more digits than a DECIMAL holds");
        }
        Ok(f)
    }

    fn data_type(&self) -> DataType {
        DataType::Decimal128(self.before + self.after, i8::try_from(self.after).unwrap_or(38))
    }

    /// The input's value as an unscaled integer, or None when it does not match.
    fn read(&self, input: &str) -> Option<i128> {
        let mut s = input;
        let mut negative = false;
        if self.brackets {
            if let Some(inner) = s.strip_prefix('<').and_then(|r| r.strip_suffix('>')) {
                negative = true;
                s = inner;
            }
        }
        if self.leading_sign {
            match s.chars().next()? {
                '-' => negative = true,
                '+' => {}
                _ => return None,
            }
            s = &s[1..];
        }
        if self.trailing_sign || self.minus {
            match s.chars().last() {
                Some('-') => {
                    negative = true;
                    s = &s[..s.len() - 1];
                }
                Some('+') if self.trailing_sign => s = &s[..s.len() - 1],
                _ if self.minus => {}
                _ => return None,
            }
        }
        if self.dollar {
            s = s.strip_prefix('$')?;
        }
        let (whole, fraction) = match s.split_once('.') {
            Some((w, f)) if self.point => (w, f),
            Some(_) => return None,
            None => (s, ""),
        };
        if whole.starts_with(',') || whole.ends_with(',') || whole.contains(",,") {
            return None;
        }
        let whole: String = whole.chars().filter(|c| *c != ',').collect();
        if whole.len() + fraction.len() == 0 || !whole.chars().chain(fraction.chars()).all(|c| c.is_ascii_digit()) {
            return None;
        }
        if whole.len() > usize::from(self.before) || fraction.len() > usize::from(self.after) {
            return None;
        }
        let mut digits = whole;
        digits.push_str(fraction);
        digits.extend(std::iter::repeat_n('0', usize::from(self.after) - fraction.len()));
        let value = if digits.is_empty() { 0 } else { digits.parse::<i128>().ok()? };
        Some(if negative { -value } else { value })
    }
}

/// The format, which must be a constant.
fn format_of(scalar: Option<&ScalarValue>) -> Result<Format> {
    match scalar.map(|s| s.cast_to(&DataType::Utf8)) {
        Some(Ok(ScalarValue::Utf8(Some(text)))) => Format::parse(&text),
        _ => plan_err!("[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] the number format must be a constant string"),
    }
}

impl ScalarUDFImpl for ToNumber {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        plan_err!("{} takes its type from its format", self.name)
    }

    fn return_field_from_args(&self, args: ReturnFieldArgs) -> Result<FieldRef> {
        let format = format_of(args.scalar_arguments.get(1).copied().flatten())?;
        Ok(Arc::new(Field::new(self.name, format.data_type(), true)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let format = match args.args.get(1) {
            Some(ColumnarValue::Scalar(s)) => format_of(Some(s))?,
            _ => return exec_err!("[DATATYPE_MISMATCH.NON_FOLDABLE_INPUT] the number format must be a constant string"),
        };
        let scalar = matches!(args.args.first(), Some(ColumnarValue::Scalar(_)));
        let Some(input) = args.args.first() else { return exec_err!("{} takes a string and a format", self.name) };
        let input = cast(&input.to_array(args.number_rows)?, &DataType::Utf8)?;
        let input = input.as_string::<i32>();
        let DataType::Decimal128(p, s) = format.data_type() else { return exec_err!("a number format's type is a DECIMAL") };
        let mut out = Decimal128Builder::with_capacity(input.len());
        for i in 0..input.len() {
            if input.is_null(i) {
                out.append_null();
                continue;
            }
            match format.read(input.value(i)) {
                Some(v) => out.append_value(v),
                None if self.lenient => out.append_null(),
                None => {
                    return exec_err!("[INVALID_FORMAT.MISMATCH_INPUT] the input '{}' does not match the number format", input.value(i));
                }
            }
        }
        let out: ArrayRef = Arc::new(out.finish().with_precision_and_scale(p, s)?);
        super::columnar(out, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &str, format: &str) -> Option<i128> {
        Format::parse(format).unwrap().read(input)
    }

    #[test]
    fn numbers_are_read_by_their_format() {
        assert_eq!(read("454", "000"), Some(454));
        assert_eq!(read("454.2", "000.0"), Some(4542));
        assert_eq!(read("12,454", "00,000"), Some(12454));
        assert_eq!(read("$78.12", "$00.00"), Some(7812));
        assert_eq!(read("-454", "S000"), Some(-454));
        assert_eq!(read("12,454.8-", "00,000.9MI"), Some(-124548));
        assert_eq!(read("<00,454.8>", "00,000.9PR"), Some(-4548));
        assert_eq!(read("4541", "000"), None);
        assert_eq!(read("4x", "00"), None);
        assert_eq!(Format::parse("00,000.9MI").unwrap().data_type(), DataType::Decimal128(6, 1));
    }
}
