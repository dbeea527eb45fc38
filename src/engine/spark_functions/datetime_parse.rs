//! Reading dates and timestamps with Spark's (Java `DateTimeFormatter`) patterns:
//! `to_timestamp(s, 'dd/MM/yyyy HH:mm')`, `try_to_timestamp`, `to_date(s, 'yyyyMMdd')`,
//! `unix_timestamp([s [, pattern]])` and `to_unix_timestamp`. Fields a pattern leaves out take
//! their first value (1970-01-01 00:00:00). Times are wall-clock times in the session's zone,
//! which the HiveQL front end passes as a last argument: a zone in the text (`XXX`, `Z`, `z`,
//! `VV`) names an instant, read back in the session's zone, and seconds since the epoch count
//! from the instant of a time in the session's zone. Text that does not match is an error (Spark's ANSI
//! behaviour), NULL for `try_to_timestamp`. The one-argument forms of `to_timestamp` and `to_date`
//! stay DataFusion's.

use std::sync::Arc;

use chrono::{Datelike, FixedOffset, NaiveDate, NaiveDateTime};
use datafusion::arrow::array::{Array, ArrayRef, AsArray, Date32Builder, Int64Builder, TimestampMicrosecondBuilder};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, TimeUnit};
use datafusion::common::{exec_err, plan_err, Result};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use super::java_patterns::{pieces, Piece};
use crate::hiveql::time_zones::Zone;

/// A time read from text: its wall-clock time in microseconds, and the zone the text names.
type Reading = (i64, Option<Zone>);

/// Spark's pattern when none is given.
const DEFAULT_PATTERN: &str = "yyyy-MM-dd HH:mm:ss";

/// What a function makes of the time it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Reads {
    Timestamp { lenient: bool },
    Date,
    Seconds,
}

#[derive(Debug, PartialEq, Eq, Hash)]
struct ParseWith {
    name: &'static str,
    reads: Reads,
    /// The session's function of this name, for the forms without a pattern.
    inner: Option<Arc<ScalarUDF>>,
    signature: Signature,
}

/// The functions, the ones DataFusion has (`to_timestamp`, `to_date`) wrapping its own.
pub(crate) fn functions(existing: impl Fn(&str) -> Option<Arc<ScalarUDF>>) -> Vec<ScalarUDF> {
    [
        ("to_timestamp", Reads::Timestamp { lenient: false }),
        ("try_to_timestamp", Reads::Timestamp { lenient: true }),
        ("to_date", Reads::Date),
        ("unix_timestamp", Reads::Seconds),
        ("to_unix_timestamp", Reads::Seconds),
    ]
    .into_iter()
    .map(|(name, reads)| {
        let inner = existing(name).filter(|f| f.name() == name);
        ScalarUDF::from(ParseWith { name, reads, inner, signature: Signature::user_defined(Volatility::Immutable) })
    })
    .collect()
}

impl ParseWith {
    /// Whether the call reads text with a pattern here rather than in the wrapped function.
    fn reads_here(&self, arg_types: &[DataType]) -> bool {
        self.reads == Reads::Seconds || arg_types.len() >= 2 || self.inner.is_none()
    }

    fn result_type(&self) -> DataType {
        match self.reads {
            Reads::Timestamp { .. } => DataType::Timestamp(TimeUnit::Microsecond, None),
            Reads::Date => DataType::Date32,
            Reads::Seconds => DataType::Int64,
        }
    }
}

fn is_text(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Null)
}

impl ScalarUDFImpl for ParseWith {
    fn name(&self) -> &str {
        self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn coerce_types(&self, arg_types: &[DataType]) -> Result<Vec<DataType>> {
        match (&self.inner, self.reads_here(arg_types)) {
            (Some(inner), false) => super::coerced_by(inner, arg_types),
            _ if arg_types.len() > 3 => plan_err!("[WRONG_NUM_ARGS] {} takes a value and an optional pattern", self.name),
            // A date or timestamp is already a time; anything else is read as text.
            _ => Ok(arg_types
                .iter()
                .enumerate()
                .map(|(i, t)| match t {
                    DataType::Date32 | DataType::Date64 | DataType::Timestamp(_, _) if i == 0 => t.clone(),
                    _ => DataType::Utf8,
                })
                .collect()),
        }
    }

    fn return_type(&self, arg_types: &[DataType]) -> Result<DataType> {
        match &self.inner {
            Some(inner) if !self.reads_here(arg_types) => inner.return_type(arg_types),
            _ => Ok(self.result_type()),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let types: Vec<DataType> = args.arg_fields.iter().map(|f| f.data_type().clone()).collect();
        if let Some(inner) = self.inner.as_ref().filter(|_| !self.reads_here(&types)) {
            return inner.invoke_with_args(args);
        }
        let rows = args.number_rows;
        let scalar = args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)));
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        // The session's zone, which the HiveQL front end passes after the pattern.
        let zone = super::zone_argument(arrays.get(2))?;
        let seconds = self.reads == Reads::Seconds;
        let micros: Vec<Option<i64>> = match arrays.first() {
            None => {
                let now = chrono::Utc::now().timestamp_micros();
                vec![Some(now); rows.max(1)]
            }
            Some(value) if !is_text(value.data_type()) => {
                let t = cast(value, &DataType::Timestamp(TimeUnit::Microsecond, None))?;
                let t = t.as_primitive::<datafusion::arrow::datatypes::TimestampMicrosecondType>();
                // A time is a wall-clock time in the session's zone; seconds count from its instant.
                (0..t.len()).map(|i| t.is_valid(i).then(|| t.value(i)).map(|m| if seconds { zone.instant_micros(m) } else { m })).collect()
            }
            Some(value) => self
                .read_all(value, arrays.get(1), rows)?
                .into_iter()
                .map(|read| {
                    read.map(|(local, own)| match (own, seconds) {
                        // A zone in the text names the instant; the result is its time in the session's zone.
                        (Some(own), true) => own.instant_micros(local),
                        (Some(own), false) => zone.wall_micros(own.instant_micros(local)),
                        (None, true) => zone.instant_micros(local),
                        (None, false) => local,
                    })
                })
                .collect(),
        };
        let out: ArrayRef = match self.reads {
            Reads::Timestamp { .. } => {
                let mut b = TimestampMicrosecondBuilder::with_capacity(micros.len());
                micros.iter().for_each(|m| b.append_option(*m));
                Arc::new(b.finish())
            }
            Reads::Date => {
                let mut b = Date32Builder::with_capacity(micros.len());
                for m in &micros {
                    b.append_option(m.and_then(|m| i32::try_from(m.div_euclid(86_400_000_000)).ok()));
                }
                Arc::new(b.finish())
            }
            Reads::Seconds => {
                let mut b = Int64Builder::with_capacity(micros.len());
                micros.iter().for_each(|m| b.append_option(m.map(|m| m.div_euclid(1_000_000))));
                Arc::new(b.finish())
            }
        };
        super::columnar(out, scalar)
    }
}

impl ParseWith {
    /// Each text read by its pattern, as microseconds since the epoch.
    fn read_all(&self, value: &ArrayRef, pattern: Option<&ArrayRef>, rows: usize) -> Result<Vec<Option<Reading>>> {
        let value = cast(value, &DataType::Utf8)?;
        let value = value.as_string::<i32>();
        let pattern = match pattern {
            Some(p) => Some(cast(p, &DataType::Utf8)?),
            None => None,
        };
        let pattern = pattern.as_ref().map(|p| p.as_string::<i32>());
        let at = |len: usize, i: usize| if len == 1 { 0 } else { i };
        let mut parsed: Option<(String, Vec<Piece>)> = None;
        let mut out = Vec::with_capacity(rows);
        for i in 0..rows {
            let vi = at(value.len(), i);
            let text = match pattern {
                Some(p) if p.is_null(at(p.len(), i)) => None,
                Some(p) => Some(p.value(at(p.len(), i))),
                None => Some(DEFAULT_PATTERN),
            };
            let Some(text) = text.filter(|_| value.is_valid(vi)) else {
                out.push(None);
                continue;
            };
            if parsed.as_ref().is_none_or(|(p, _)| p != text) {
                parsed = Some((text.to_string(), pieces(text)?));
            }
            let Some((_, parts)) = &parsed else { continue };
            match read(parts, value.value(vi))? {
                Some(m) => out.push(Some(m)),
                None if self.reads == (Reads::Timestamp { lenient: true }) => out.push(None),
                None => {
                    return exec_err!(
                        "[CANNOT_PARSE_TIMESTAMP] '{}' does not match the pattern '{text}'; try_to_timestamp gives NULL instead",
                        value.value(vi)
                    )
                }
            }
        }
        Ok(out)
    }
}

/// The fields read so far.
#[derive(Debug, Default, Clone)]
struct Fields {
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
    day_of_year: Option<u32>,
    hour: Option<u32>,
    pm: Option<bool>,
    twelve_hour: bool,
    minute: u32,
    second: u32,
    micros: u32,
    zone: Option<Zone>,
}

/// A cursor over the text.
struct Input<'a> {
    text: &'a str,
    at: usize,
}

impl Input<'_> {
    fn rest(&self) -> &str {
        &self.text[self.at..]
    }

    /// Between `min` and `max` digits.
    fn digits(&mut self, min: usize, max: usize) -> Option<i64> {
        let run = self.rest().bytes().take(max).take_while(u8::is_ascii_digit).count();
        if run < min {
            return None;
        }
        let v = self.rest()[..run].parse().ok()?;
        self.at += run;
        Some(v)
    }

    /// One of the words, case-insensitively; its index.
    fn word(&mut self, words: &[&str]) -> Option<usize> {
        let rest = self.rest().to_ascii_lowercase();
        let (i, w) = words.iter().enumerate().filter(|(_, w)| rest.starts_with(&w.to_ascii_lowercase())).max_by_key(|(_, w)| w.len())?;
        self.at += w.len();
        Some(i)
    }

    /// A zone by name (`PST`, `UTC`, `America/Los_Angeles`, `GMT+8`) or offset.
    fn zone(&mut self) -> Option<Zone> {
        let start = self.at;
        if let Some(o) = self.offset() {
            return FixedOffset::east_opt(i32::try_from(o).ok()?).map(Zone::Fixed);
        }
        self.at = start;
        let run = self.rest().bytes().take_while(|b| b.is_ascii_alphanumeric() || b"/_+-:".contains(b)).count();
        let zone = Zone::parse(&self.rest()[..run])?;
        self.at += run;
        Some(zone)
    }

    /// `Z`, or `+HH`, `+HHmm`, `+HH:mm` (either sign): seconds east of UTC.
    fn offset(&mut self) -> Option<i64> {
        if self.rest().starts_with('Z') {
            self.at += 1;
            return Some(0);
        }
        if let Some(i) = self.word(&["UTC", "GMT"]) {
            let _ = i;
            if !self.rest().starts_with(['+', '-']) {
                return Some(0);
            }
        }
        let (secs, used) = crate::hiveql::time_zones::offset_prefix(self.rest())?;
        self.at += used;
        Some(i64::from(secs))
    }
}

const MONTHS: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// The text read by the pattern's pieces, as a wall-clock time in microseconds and the zone the
/// text names, if any; None when it does not match. An unknown pattern letter is an error.
fn read(parts: &[Piece], text: &str) -> Result<Option<Reading>> {
    let mut input = Input { text: text.trim(), at: 0 };
    let mut f = Fields::default();
    if !read_pieces(parts, &mut input, &mut f)? || !input.rest().is_empty() {
        return Ok(None);
    }
    Ok(assemble(&f))
}

/// Reads the pieces in turn; an optional section that does not match reads nothing.
fn read_pieces(parts: &[Piece], input: &mut Input, f: &mut Fields) -> Result<bool> {
    for (i, piece) in parts.iter().enumerate() {
        // A numeric field followed directly by another takes exactly its width.
        let fixed = matches!(parts.get(i + 1), Some(Piece::Field(c, _)) if "yMdHhkKmsSDu".contains(*c));
        let ok = match piece {
            Piece::Text(t) => {
                let matched = input.rest().starts_with(t.as_str());
                if matched {
                    input.at += t.len();
                }
                matched
            }
            Piece::Field(letter, n) => field(input, f, *letter, *n, fixed)?,
            Piece::Optional(inner) => {
                let (at, saved) = (input.at, f.clone());
                if !read_pieces(inner, input, f)? {
                    input.at = at;
                    *f = saved;
                }
                true
            }
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

fn field(input: &mut Input, f: &mut Fields, letter: char, n: usize, fixed: bool) -> Result<bool> {
    let width = |min: usize, max: usize| if fixed { (n.max(min), n.max(min)) } else { (min, max) };
    let number = |input: &mut Input, (min, max): (usize, usize)| input.digits(min, max);
    let small = |v: Option<i64>| v.and_then(|v| u32::try_from(v).ok());
    Ok(match letter {
        'y' | 'u' => {
            let v = if n == 2 { number(input, (2, 2)).map(|v| 2000 + v) } else { number(input, width(n.clamp(1, 4), 9)) };
            f.year = v.and_then(|v| i32::try_from(v).ok());
            f.year.is_some()
        }
        'M' | 'L' if n >= 3 => {
            let names: Vec<String> = MONTHS.iter().map(|m| if n == 3 { m[..3].to_string() } else { m.to_string() }).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            f.month = input.word(&names).map(|i| i as u32 + 1);
            f.month.is_some()
        }
        'M' | 'L' => {
            f.month = small(number(input, width(n, 2)));
            f.month.is_some()
        }
        'd' => {
            f.day = small(number(input, width(n, 2)));
            f.day.is_some()
        }
        'D' => {
            f.day_of_year = small(number(input, width(n, 3)));
            f.day_of_year.is_some()
        }
        'H' | 'k' => {
            f.hour = small(number(input, width(n, 2))).map(|h| if letter == 'k' && h == 24 { 0 } else { h });
            f.hour.is_some()
        }
        'h' | 'K' => {
            f.twelve_hour = true;
            f.hour = small(number(input, width(n, 2))).map(|h| h % 12);
            f.hour.is_some()
        }
        'm' => small(number(input, width(n, 2))).map(|v| f.minute = v).is_some(),
        's' => small(number(input, width(n, 2))).map(|v| f.second = v).is_some(),
        'S' => {
            let start = input.at;
            let Some(v) = number(input, if fixed { (n, n) } else { (1, n) }) else { return Ok(false) };
            let digits = input.at - start;
            let scaled = if digits <= 6 { v * 10_i64.pow((6 - digits) as u32) } else { v / 10_i64.pow((digits - 6) as u32) };
            f.micros = u32::try_from(scaled).unwrap_or(0);
            true
        }
        'a' => input.word(&["AM", "PM"]).map(|i| f.pm = Some(i == 1)).is_some(),
        'E' => {
            let names: Vec<String> = DAYS.iter().map(|d| if n < 4 { d[..3].to_string() } else { d.to_string() }).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            input.word(&names).is_some()
        }
        'G' => input.word(&["AD", "Anno Domini"]).is_some(),
        'X' | 'x' | 'Z' | 'O' => input.offset().and_then(|o| FixedOffset::east_opt(o as i32)).map(|o| f.zone = Some(Zone::Fixed(o))).is_some(),
        'z' | 'V' => input.zone().map(|z| f.zone = Some(z)).is_some(),
        other => return exec_err!("[INVALID_DATETIME_PATTERN] the pattern letter '{other}' is not supported"),
    })
}

/// Text read by a pattern's pieces as a wall-clock time in `zone`, in microseconds: a zone the
/// text names is read back in `zone`. None when the text does not match.
pub(super) fn wall_time(parts: &[Piece], text: &str, zone: &Zone) -> Result<Option<i64>> {
    Ok(read(parts, text)?.map(|(local, own)| match own {
        Some(own) => zone.wall_micros(own.instant_micros(local)),
        None => local,
    }))
}

fn assemble(f: &Fields) -> Option<Reading> {
    let year = f.year.unwrap_or(1970);
    let date = match (f.day_of_year, f.month, f.day) {
        (Some(doy), None, None) => NaiveDate::from_yo_opt(year, doy)?,
        (doy, month, day) => {
            let d = NaiveDate::from_ymd_opt(year, month.unwrap_or(1), day.unwrap_or(1))?;
            if doy.is_some_and(|doy| doy != d.ordinal()) {
                return None;
            }
            d
        }
    };
    let mut hour = f.hour.unwrap_or(0);
    // PM adds twelve hours to a 12-hour clock, and to a 24-hour one still before noon.
    if f.pm == Some(true) && (f.twelve_hour || hour < 12) {
        hour += 12;
    }
    let time: NaiveDateTime = date.and_hms_micro_opt(hour, f.minute, f.second, f.micros)?;
    Some((time.and_utc().timestamp_micros(), f.zone))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The instant read, as UTC.
    fn at(text: &str, pattern: &str) -> Option<String> {
        let (m, zone) = read(&pieces(pattern).unwrap(), text).unwrap()?;
        let m = match zone {
            Some(z) => z.instant_micros(m),
            None => m,
        };
        Some(chrono::DateTime::from_timestamp_micros(m)?.naive_utc().format("%Y-%m-%d %H:%M:%S%.f").to_string())
    }

    #[test]
    fn java_patterns_read_times() {
        assert_eq!(at("2019-10-06 10:11:12", DEFAULT_PATTERN).as_deref(), Some("2019-10-06 10:11:12"));
        assert_eq!(at("20191006", "yyyyMMdd").as_deref(), Some("2019-10-06 00:00:00"));
        assert_eq!(at("06/Oct/2019 01:02 PM", "dd/MMM/yyyy hh:mm a").as_deref(), Some("2019-10-06 13:02:00"));
        assert_eq!(at("99", "yy").as_deref(), Some("2099-01-01 00:00:00"));
        assert_eq!(at("2019-10-06T10:11:12.123+02:00", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX").as_deref(), Some("2019-10-06 08:11:12.123"));
        assert_eq!(at("2019-13-06", "yyyy-MM-dd"), None);
        assert_eq!(at("2019-10-06 x", "yyyy-MM-dd"), None);
        assert_eq!(at("2019-10-06 10:11:12 PST", "yyyy-MM-dd HH:mm:ss z").as_deref(), Some("2019-10-06 17:11:12"));
        assert_eq!(at("2019-10-06 10:11:12", "yyyy-MM-dd HH:mm:ss[.SSSSSS]").as_deref(), Some("2019-10-06 10:11:12"));
        assert_eq!(at("2019-10-06 10:11:12.12", "yyyy-MM-dd HH:mm[:ss.SSSSSS]").as_deref(), Some("2019-10-06 10:11:12.120"));
        assert_eq!(at("2019-10-06 10:11:12.123UTC", "yyyy-MM-dd HH:mm:ss.SSSSSS[zzz]").as_deref(), Some("2019-10-06 10:11:12.123"));
    }
}
