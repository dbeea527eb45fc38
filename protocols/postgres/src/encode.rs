//! Arrow values in PostgreSQL's text and binary forms, written straight into a message buffer.

use std::fmt::Write as _;

use arrow::array::{Array, ArrayRef, AsArray};
use arrow::datatypes::*;
use bytes::{BufMut, BytesMut};
use chrono::{DateTime, NaiveDate, NaiveTime};

/// Why a value could not be encoded.
pub type EncodeError = String;

const PG_EPOCH_DAYS: i64 = 10_957; // 2000-01-01 - 1970-01-01
const PG_EPOCH_MICROS: i64 = PG_EPOCH_DAYS * 86_400_000_000;

/// Writes one field of a DataRow: its length, then its bytes, or -1 for NULL.
pub fn write_field(col: &ArrayRef, row: usize, binary: bool, buf: &mut BytesMut) -> Result<(), EncodeError> {
    if col.is_null(row) || col.data_type() == &DataType::Null {
        buf.put_i32(-1);
        return Ok(());
    }
    let at = buf.len();
    buf.put_i32(0);
    if binary {
        write_binary(col, row, buf)?;
    } else {
        let mut s = String::new();
        write_text(col, row, &mut s)?;
        buf.put_slice(s.as_bytes());
    }
    let len = (buf.len() - at - 4) as i32;
    buf[at..at + 4].copy_from_slice(&len.to_be_bytes());
    Ok(())
}

fn micros(unit: &TimeUnit, v: i64) -> i64 {
    match unit {
        TimeUnit::Second => v.saturating_mul(1_000_000),
        TimeUnit::Millisecond => v.saturating_mul(1_000),
        TimeUnit::Microsecond => v,
        TimeUnit::Nanosecond => v.div_euclid(1_000),
    }
}

fn timestamp_micros(col: &ArrayRef, row: usize, unit: &TimeUnit) -> i64 {
    let v = match unit {
        TimeUnit::Second => col.as_primitive::<TimestampSecondType>().value(row),
        TimeUnit::Millisecond => col.as_primitive::<TimestampMillisecondType>().value(row),
        TimeUnit::Microsecond => col.as_primitive::<TimestampMicrosecondType>().value(row),
        TimeUnit::Nanosecond => col.as_primitive::<TimestampNanosecondType>().value(row),
    };
    micros(unit, v)
}

fn time_micros(col: &ArrayRef, row: usize) -> i64 {
    match col.data_type() {
        DataType::Time32(TimeUnit::Second) => col.as_primitive::<Time32SecondType>().value(row) as i64 * 1_000_000,
        DataType::Time32(_) => col.as_primitive::<Time32MillisecondType>().value(row) as i64 * 1_000,
        DataType::Time64(TimeUnit::Microsecond) => col.as_primitive::<Time64MicrosecondType>().value(row),
        _ => col.as_primitive::<Time64NanosecondType>().value(row) / 1_000,
    }
}

fn date_days(col: &ArrayRef, row: usize) -> i64 {
    match col.data_type() {
        DataType::Date64 => col.as_primitive::<Date64Type>().value(row).div_euclid(86_400_000),
        _ => col.as_primitive::<Date32Type>().value(row) as i64,
    }
}

/// (months, days, microseconds) of an interval or duration value.
fn interval_parts(col: &ArrayRef, row: usize) -> (i32, i32, i64) {
    match col.data_type() {
        DataType::Interval(IntervalUnit::YearMonth) => (col.as_primitive::<IntervalYearMonthType>().value(row), 0, 0),
        DataType::Interval(IntervalUnit::DayTime) => {
            let v = col.as_primitive::<IntervalDayTimeType>().value(row);
            (0, v.days, v.milliseconds as i64 * 1_000)
        }
        DataType::Interval(IntervalUnit::MonthDayNano) => {
            let v = col.as_primitive::<IntervalMonthDayNanoType>().value(row);
            (v.months, v.days, v.nanoseconds / 1_000)
        }
        DataType::Duration(unit) => {
            let v = match unit {
                TimeUnit::Second => col.as_primitive::<DurationSecondType>().value(row),
                TimeUnit::Millisecond => col.as_primitive::<DurationMillisecondType>().value(row),
                TimeUnit::Microsecond => col.as_primitive::<DurationMicrosecondType>().value(row),
                TimeUnit::Nanosecond => col.as_primitive::<DurationNanosecondType>().value(row),
            };
            (0, 0, micros(unit, v))
        }
        _ => (0, 0, 0),
    }
}

/// A decimal's unscaled value as text with `scale` fractional digits.
fn decimal_text(unscaled: i128, scale: i8, out: &mut String) {
    if scale <= 0 {
        let _ = write!(out, "{unscaled}");
        for _ in 0..(-scale) {
            out.push('0');
        }
        return;
    }
    let neg = unscaled < 0;
    let digits = unscaled.unsigned_abs().to_string();
    let scale = scale as usize;
    if neg {
        out.push('-');
    }
    if digits.len() <= scale {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', scale - digits.len()));
        out.push_str(&digits);
    } else {
        out.push_str(&digits[..digits.len() - scale]);
        out.push('.');
        out.push_str(&digits[digits.len() - scale..]);
    }
}

fn decimal_of(col: &ArrayRef, row: usize) -> Option<(i128, i8)> {
    Some(match col.data_type() {
        DataType::Decimal32(_, s) => (col.as_primitive::<Decimal32Type>().value(row) as i128, *s),
        DataType::Decimal64(_, s) => (col.as_primitive::<Decimal64Type>().value(row) as i128, *s),
        DataType::Decimal128(_, s) => (col.as_primitive::<Decimal128Type>().value(row), *s),
        DataType::Decimal256(_, s) => (col.as_primitive::<Decimal256Type>().value(row).to_i128()?, *s),
        DataType::UInt64 => (col.as_primitive::<UInt64Type>().value(row) as i128, 0),
        _ => return None,
    })
}

fn float_text(v: f64, out: &mut String) {
    if v.is_nan() {
        out.push_str("NaN");
    } else if v.is_infinite() {
        out.push_str(if v > 0.0 { "Infinity" } else { "-Infinity" });
    } else {
        let _ = write!(out, "{v}");
    }
}

fn timestamp_text(us: i64, with_zone: bool, out: &mut String) -> Result<(), EncodeError> {
    let dt = DateTime::from_timestamp_micros(us).ok_or_else(|| format!("timestamp {us}us is out of range"))?;
    let _ = write!(out, "{}", dt.naive_utc().format("%Y-%m-%d %H:%M:%S"));
    let frac = us.rem_euclid(1_000_000);
    if frac != 0 {
        let f = format!("{frac:06}");
        out.push('.');
        out.push_str(f.trim_end_matches('0'));
    }
    if with_zone {
        out.push_str("+00");
    }
    Ok(())
}

fn interval_text(months: i32, days: i32, us: i64, out: &mut String) {
    let mut parts = Vec::new();
    let (y, m) = (months / 12, months % 12);
    if y != 0 {
        parts.push(format!("{y} year{}", if y.abs() == 1 { "" } else { "s" }));
    }
    if m != 0 {
        parts.push(format!("{m} mon{}", if m.abs() == 1 { "" } else { "s" }));
    }
    if days != 0 {
        parts.push(format!("{days} day{}", if days.abs() == 1 { "" } else { "s" }));
    }
    if us != 0 || parts.is_empty() {
        let sign = if us < 0 { "-" } else { "" };
        let a = us.unsigned_abs();
        let (h, rem) = (a / 3_600_000_000, a % 3_600_000_000);
        let (mi, rem) = (rem / 60_000_000, rem % 60_000_000);
        let (s, frac) = (rem / 1_000_000, rem % 1_000_000);
        let mut t = format!("{sign}{h:02}:{mi:02}:{s:02}");
        if frac != 0 {
            t.push_str(format!(".{frac:06}").trim_end_matches('0'));
        }
        parts.push(t);
    }
    out.push_str(&parts.join(" "));
}

/// Whether an array element needs double quotes in PostgreSQL's array text form.
fn quote_array_elem(s: &str) -> bool {
    s.is_empty()
        || s.eq_ignore_ascii_case("null")
        || s.chars().any(|c| matches!(c, '{' | '}' | ',' | '"' | '\\') || c.is_whitespace())
}

fn push_quoted(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
}

/// JSON-style text of a nested value (map keys and struct fields), Spark's rendering.
fn json_text(col: &ArrayRef, row: usize, out: &mut String) -> Result<(), EncodeError> {
    if col.is_null(row) {
        out.push_str("null");
        return Ok(());
    }
    match col.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Date32 | DataType::Date64
        | DataType::Timestamp(..) | DataType::Time32(_) | DataType::Time64(_) | DataType::Interval(_) => {
            let mut s = String::new();
            write_text(col, row, &mut s)?;
            out.push_str(&serde_json_escape(&s));
        }
        DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(..) => {
            let items = list_values(col, row);
            out.push('[');
            for i in 0..items.len() {
                if i > 0 {
                    out.push(',');
                }
                json_text(&items, i, out)?;
            }
            out.push(']');
        }
        _ => write_text(col, row, out)?,
    }
    Ok(())
}

fn serde_json_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn list_values(col: &ArrayRef, row: usize) -> ArrayRef {
    match col.data_type() {
        DataType::LargeList(_) => col.as_list::<i64>().value(row),
        DataType::FixedSizeList(..) => col.as_fixed_size_list().value(row),
        _ => col.as_list::<i32>().value(row),
    }
}

/// Writes the PostgreSQL text form of a non-null value.
pub fn write_text(col: &ArrayRef, row: usize, out: &mut String) -> Result<(), EncodeError> {
    match col.data_type() {
        DataType::Null => {}
        DataType::Boolean => out.push(if col.as_boolean().value(row) { 't' } else { 'f' }),
        DataType::Int8 => { let _ = write!(out, "{}", col.as_primitive::<Int8Type>().value(row)); }
        DataType::Int16 => { let _ = write!(out, "{}", col.as_primitive::<Int16Type>().value(row)); }
        DataType::Int32 => { let _ = write!(out, "{}", col.as_primitive::<Int32Type>().value(row)); }
        DataType::Int64 => { let _ = write!(out, "{}", col.as_primitive::<Int64Type>().value(row)); }
        DataType::UInt8 => { let _ = write!(out, "{}", col.as_primitive::<UInt8Type>().value(row)); }
        DataType::UInt16 => { let _ = write!(out, "{}", col.as_primitive::<UInt16Type>().value(row)); }
        DataType::UInt32 => { let _ = write!(out, "{}", col.as_primitive::<UInt32Type>().value(row)); }
        DataType::UInt64 => { let _ = write!(out, "{}", col.as_primitive::<UInt64Type>().value(row)); }
        DataType::Float16 => float_text(col.as_primitive::<Float16Type>().value(row).to_f64(), out),
        DataType::Float32 => {
            let v = col.as_primitive::<Float32Type>().value(row);
            if v.is_finite() { let _ = write!(out, "{v}"); } else { float_text(v as f64, out) }
        }
        DataType::Float64 => float_text(col.as_primitive::<Float64Type>().value(row), out),
        DataType::Decimal32(..) | DataType::Decimal64(..) | DataType::Decimal128(..) | DataType::Decimal256(..) => {
            let (v, s) = decimal_of(col, row).ok_or("decimal value does not fit in 128 bits")?;
            decimal_text(v, s, out);
        }
        DataType::Utf8 => out.push_str(col.as_string::<i32>().value(row)),
        DataType::LargeUtf8 => out.push_str(col.as_string::<i64>().value(row)),
        DataType::Utf8View => out.push_str(col.as_string_view().value(row)),
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView | DataType::FixedSizeBinary(_) => {
            out.push_str("\\x");
            for b in binary_value(col, row) {
                let _ = write!(out, "{b:02x}");
            }
        }
        DataType::Date32 | DataType::Date64 => {
            let d = NaiveDate::from_num_days_from_ce_opt((date_days(col, row) + 719_163) as i32)
                .ok_or("date out of range")?;
            let _ = write!(out, "{}", d.format("%Y-%m-%d"));
        }
        DataType::Time32(_) | DataType::Time64(_) => {
            let us = time_micros(col, row);
            let t = NaiveTime::from_num_seconds_from_midnight_opt((us / 1_000_000) as u32, ((us % 1_000_000) * 1000) as u32)
                .ok_or("time out of range")?;
            let _ = write!(out, "{}", t.format("%H:%M:%S%.f"));
        }
        DataType::Timestamp(unit, tz) => timestamp_text(timestamp_micros(col, row, unit), tz.is_some(), out)?,
        DataType::Interval(_) | DataType::Duration(_) => {
            let (m, d, us) = interval_parts(col, row);
            interval_text(m, d, us, out);
        }
        DataType::List(_) | DataType::LargeList(_) | DataType::FixedSizeList(..) => {
            let items = list_values(col, row);
            out.push('{');
            for i in 0..items.len() {
                if i > 0 {
                    out.push(',');
                }
                if items.is_null(i) {
                    out.push_str("NULL");
                    continue;
                }
                let mut s = String::new();
                write_text(&items, i, &mut s)?;
                if quote_array_elem(&s) {
                    push_quoted(&s, out);
                } else {
                    out.push_str(&s);
                }
            }
            out.push('}');
        }
        DataType::Struct(_) => {
            let st = col.as_struct();
            out.push('(');
            for (i, child) in st.columns().iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if child.is_null(row) {
                    continue;
                }
                let mut s = String::new();
                write_text(child, row, &mut s)?;
                if s.is_empty() || s.chars().any(|c| matches!(c, '(' | ')' | ',' | '"' | '\\') || c.is_whitespace()) {
                    push_quoted(&s, out);
                } else {
                    out.push_str(&s);
                }
            }
            out.push(')');
        }
        DataType::Map(..) => {
            let m = col.as_map();
            let entries = m.value(row);
            let (keys, values) = (entries.column(0), entries.column(1));
            out.push('{');
            for i in 0..entries.len() {
                if i > 0 {
                    out.push(',');
                }
                let mut k = String::new();
                write_text(keys, i, &mut k)?;
                out.push_str(&serde_json_escape(&k));
                out.push(':');
                json_text(values, i, out)?;
            }
            out.push('}');
        }
        DataType::Dictionary(..) => {
            let casted = arrow::compute::cast(&col.slice(row, 1), &DataType::Utf8).map_err(|e| e.to_string())?;
            write_text(&casted, 0, out)?;
        }
        other => {
            let formatter = arrow::util::display::ArrayFormatter::try_new(col.as_ref(), &Default::default())
                .map_err(|e| format!("cannot send a value of type {other}: {e}"))?;
            let _ = write!(out, "{}", formatter.value(row));
        }
    }
    Ok(())
}

fn binary_value(col: &ArrayRef, row: usize) -> &[u8] {
    match col.data_type() {
        DataType::LargeBinary => col.as_binary::<i64>().value(row),
        DataType::BinaryView => col.as_binary_view().value(row),
        DataType::FixedSizeBinary(_) => col.as_fixed_size_binary().value(row),
        _ => col.as_binary::<i32>().value(row),
    }
}

/// PostgreSQL's binary NUMERIC: base-10000 digits, weight, sign, display scale.
fn numeric_binary(unscaled: i128, scale: i8, buf: &mut BytesMut) {
    let scale = scale.max(0) as usize;
    let neg = unscaled < 0;
    let digits = unscaled.unsigned_abs().to_string();
    let (int_part, frac_part) = if digits.len() > scale {
        (digits[..digits.len() - scale].to_string(), digits[digits.len() - scale..].to_string())
    } else {
        ("0".to_string(), format!("{}{}", "0".repeat(scale - digits.len()), digits))
    };
    let int_pad = (4 - int_part.len() % 4) % 4;
    let int_str = format!("{}{}", "0".repeat(int_pad), int_part);
    let frac_pad = (4 - frac_part.len() % 4) % 4;
    let frac_str = format!("{}{}", frac_part, "0".repeat(frac_pad));
    let mut groups: Vec<i16> = Vec::new();
    for chunk in int_str.as_bytes().chunks(4).chain(frac_str.as_bytes().chunks(4)) {
        let g = chunk.iter().fold(0i16, |acc, b| acc * 10 + (b - b'0') as i16);
        groups.push(g);
    }
    let int_groups = int_str.len() / 4;
    let mut weight = int_groups as i16 - 1;
    // Strip leading zero groups (adjusting weight) and trailing zero groups.
    let mut start = 0;
    while start < groups.len() && groups[start] == 0 {
        start += 1;
        weight -= 1;
    }
    let mut end = groups.len();
    while end > start && groups[end - 1] == 0 {
        end -= 1;
    }
    let digits = &groups[start..end];
    if digits.is_empty() {
        weight = 0;
    }
    buf.put_i16(digits.len() as i16);
    buf.put_i16(weight);
    buf.put_u16(if neg && !digits.is_empty() { 0x4000 } else { 0 });
    buf.put_i16(scale as i16);
    for d in digits {
        buf.put_i16(*d);
    }
}

/// Writes the PostgreSQL binary form of a non-null value (without its length).
pub fn write_binary(col: &ArrayRef, row: usize, buf: &mut BytesMut) -> Result<(), EncodeError> {
    match col.data_type() {
        DataType::Boolean => buf.put_u8(col.as_boolean().value(row) as u8),
        DataType::Int8 => buf.put_i16(col.as_primitive::<Int8Type>().value(row) as i16),
        DataType::Int16 => buf.put_i16(col.as_primitive::<Int16Type>().value(row)),
        DataType::UInt8 => buf.put_i16(col.as_primitive::<UInt8Type>().value(row) as i16),
        DataType::Int32 => buf.put_i32(col.as_primitive::<Int32Type>().value(row)),
        DataType::UInt16 => buf.put_i32(col.as_primitive::<UInt16Type>().value(row) as i32),
        DataType::Int64 => buf.put_i64(col.as_primitive::<Int64Type>().value(row)),
        DataType::UInt32 => buf.put_i64(col.as_primitive::<UInt32Type>().value(row) as i64),
        DataType::Float16 => buf.put_f32(col.as_primitive::<Float16Type>().value(row).to_f32()),
        DataType::Float32 => buf.put_f32(col.as_primitive::<Float32Type>().value(row)),
        DataType::Float64 => buf.put_f64(col.as_primitive::<Float64Type>().value(row)),
        DataType::UInt64 | DataType::Decimal32(..) | DataType::Decimal64(..) | DataType::Decimal128(..) | DataType::Decimal256(..) => {
            let (v, s) = decimal_of(col, row).ok_or("decimal value does not fit in 128 bits")?;
            numeric_binary(v, s, buf);
        }
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView | DataType::FixedSizeBinary(_) => {
            buf.put_slice(binary_value(col, row))
        }
        DataType::Date32 | DataType::Date64 => buf.put_i32((date_days(col, row) - PG_EPOCH_DAYS) as i32),
        DataType::Time32(_) | DataType::Time64(_) => buf.put_i64(time_micros(col, row)),
        DataType::Timestamp(unit, _) => buf.put_i64(timestamp_micros(col, row, unit) - PG_EPOCH_MICROS),
        DataType::Interval(_) | DataType::Duration(_) => {
            let (m, d, us) = interval_parts(col, row);
            buf.put_i64(us);
            buf.put_i32(d);
            buf.put_i32(m);
        }
        DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _)
            if crate::types::pg_type(col.data_type()) != pgwire::api::Type::TEXT =>
        {
            let items = list_values(col, row);
            let elem_oid = crate::types::pg_type(f.data_type()).oid();
            buf.put_i32(1);
            buf.put_i32(items.null_count().min(1) as i32);
            buf.put_u32(elem_oid);
            buf.put_i32(items.len() as i32);
            buf.put_i32(1);
            for i in 0..items.len() {
                write_field(&items, i, true, buf)?;
            }
        }
        _ => {
            // Everything sent as TEXT: the binary form of text is its UTF-8 bytes.
            let mut s = String::new();
            write_text(col, row, &mut s)?;
            buf.put_slice(s.as_bytes());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::*;
    use std::sync::Arc;

    fn text(col: ArrayRef, row: usize) -> String {
        let mut s = String::new();
        write_text(&col, row, &mut s).unwrap();
        s
    }

    #[test]
    fn text_forms() {
        let d: ArrayRef = Arc::new(Decimal128Array::from(vec![-5, 12345]).with_precision_and_scale(10, 3).unwrap());
        assert_eq!(text(d.clone(), 0), "-0.005");
        assert_eq!(text(d, 1), "12.345");
        let ts: ArrayRef = Arc::new(TimestampMicrosecondArray::from(vec![1_500_000]));
        assert_eq!(text(ts, 0), "1970-01-01 00:00:01.5");
        let l: ArrayRef = Arc::new(ListArray::from_iter_primitive::<Int32Type, _, _>(vec![Some(vec![Some(1), None])]));
        assert_eq!(text(l, 0), "{1,NULL}");
        let s: ArrayRef = Arc::new(ListArray::new(
            Arc::new(Field::new("item", DataType::Utf8, true)),
            arrow::buffer::OffsetBuffer::from_lengths([2]),
            Arc::new(StringArray::from(vec!["a b", "c"])),
            None,
        ));
        assert_eq!(text(s, 0), "{\"a b\",c}");
        let f: ArrayRef = Arc::new(Float64Array::from(vec![f64::NAN, 1.5]));
        assert_eq!(text(f.clone(), 0), "NaN");
        assert_eq!(text(f, 1), "1.5");
        let iv: ArrayRef = Arc::new(IntervalMonthDayNanoArray::from(vec![IntervalMonthDayNano::new(14, 3, 3_723_000_000_000)]));
        assert_eq!(text(iv, 0), "1 year 2 mons 3 days 01:02:03");
    }

    #[test]
    fn numeric_binary_form() {
        let mut buf = BytesMut::new();
        numeric_binary(123456, 2, &mut buf); // 1234.56
        assert_eq!(&buf[..], &[0, 2, 0, 0, 0, 0, 0, 2, 0x04, 0xd2, 0x15, 0xe0]);
    }
}
