//! Spark's ANSI interval values: a year-month interval is a count of months, a day-time interval a
//! count of microseconds, and each has a range of fields (`YEAR TO MONTH`, `HOUR`, `DAY TO SECOND`)
//! that decides how Spark writes it. This module reads the written forms of interval literals
//! (`'1-2' YEAR TO MONTH`, `'10' DAY`, `3 week 8 millisecond`) into such values, with Spark's
//! checks, and writes a value back as Spark names it (`INTERVAL '21 00:00:00.008' DAY TO SECOND`).

use std::fmt;

const MICROS_PER_SECOND: i64 = 1_000_000;
const MICROS_PER_MINUTE: i64 = 60 * MICROS_PER_SECOND;
const MICROS_PER_HOUR: i64 = 60 * MICROS_PER_MINUTE;
const MICROS_PER_DAY: i64 = 24 * MICROS_PER_HOUR;

/// One field of an interval qualifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
}

impl Field {
    /// The field a qualifier word names (`YEAR`, `years`, ...).
    pub fn from_word(word: &str) -> Option<Field> {
        Some(match word.to_ascii_lowercase().trim_end_matches('s') {
            "year" => Field::Year,
            "month" => Field::Month,
            "day" => Field::Day,
            "hour" => Field::Hour,
            "minute" => Field::Minute,
            "second" => Field::Second,
            _ => return None,
        })
    }

    /// The field's position within its interval type, as the engine's interval functions number
    /// them: YEAR 0, MONTH 1; DAY 0, HOUR 1, MINUTE 2, SECOND 3.
    pub fn code(self) -> i64 {
        match self {
            Field::Year | Field::Day => 0,
            Field::Month | Field::Hour => 1,
            Field::Minute => 2,
            Field::Second => 3,
        }
    }

    /// The field [`Field::code`] numbers so, in a year-month or a day-time interval type (a
    /// code past the last is the last field).
    pub fn from_code(year_month: bool, code: i64) -> Field {
        let fields: &[Field] = if year_month { &[Field::Year, Field::Month] } else { &[Field::Day, Field::Hour, Field::Minute, Field::Second] };
        let last = fields.len() - 1;
        fields[usize::try_from(code).map_or(last, |c| c.min(last))]
    }

    fn year_month(self) -> bool {
        matches!(self, Field::Year | Field::Month)
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Field::Year => "YEAR",
            Field::Month => "MONTH",
            Field::Day => "DAY",
            Field::Hour => "HOUR",
            Field::Minute => "MINUTE",
            Field::Second => "SECOND",
        })
    }
}

/// An ANSI interval value with its fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnsiInterval {
    /// A year-month interval: a number of months.
    YearMonth { months: i32, start: Field, end: Field },
    /// A day-time interval: a number of microseconds.
    DayTime { micros: i64, start: Field, end: Field },
}

impl AnsiInterval {
    pub fn start(&self) -> Field {
        match self {
            AnsiInterval::YearMonth { start, .. } | AnsiInterval::DayTime { start, .. } => *start,
        }
    }

    pub fn end(&self) -> Field {
        match self {
            AnsiInterval::YearMonth { end, .. } | AnsiInterval::DayTime { end, .. } => *end,
        }
    }

    /// The same interval with the opposite sign.
    pub fn negated(self) -> Result<AnsiInterval, String> {
        match self {
            AnsiInterval::YearMonth { months, start, end } => {
                let months = months.checked_neg().ok_or_else(overflow)?;
                Ok(AnsiInterval::YearMonth { months, start, end })
            }
            AnsiInterval::DayTime { micros, start, end } => {
                let micros = micros.checked_neg().ok_or_else(overflow)?;
                Ok(AnsiInterval::DayTime { micros, start, end })
            }
        }
    }

    /// An interval written as values each followed by a unit (`1 year 2 months`,
    /// `'-100' day '40' hour`). Year-month units may not be mixed with day-time ones; weeks count
    /// as days and milliseconds and microseconds as seconds.
    pub fn from_units(parts: &[(String, String)]) -> Result<AnsiInterval, String> {
        let (mut months, mut micros) = (0i64, 0i64);
        let (mut ym, mut dt) = (None::<(Field, Field)>, None::<(Field, Field)>);
        for (value, unit) in parts {
            let unit_lower = unit.to_ascii_lowercase();
            let unit_lower = unit_lower.trim_end_matches('s');
            let (field, scale) = match unit_lower {
                "year" => (Field::Year, 12),
                "month" => (Field::Month, 1),
                "week" => (Field::Day, 7 * MICROS_PER_DAY),
                "day" => (Field::Day, MICROS_PER_DAY),
                "hour" => (Field::Hour, MICROS_PER_HOUR),
                "minute" => (Field::Minute, MICROS_PER_MINUTE),
                "second" => (Field::Second, MICROS_PER_SECOND),
                "millisecond" => (Field::Second, 1000),
                "microsecond" => (Field::Second, 1),
                _ => return Err(format!("invalid unit '{unit}' in interval")),
            };
            let widen = |range: Option<(Field, Field)>| Some(range.map_or((field, field), |(s, e)| (s.min(field), e.max(field))));
            if field.year_month() {
                ym = widen(ym);
                let n = integer(value)?;
                months = n.checked_mul(scale).and_then(|n| months.checked_add(n)).ok_or_else(overflow)?;
            } else {
                dt = widen(dt);
                let n = scaled(value, scale)?;
                micros = micros.checked_add(n).ok_or_else(overflow)?;
            }
        }
        match (ym, dt) {
            (Some(_), Some(_)) => Err("Cannot mix year-month and day-time fields".into()),
            (Some((start, end)), None) => {
                Ok(AnsiInterval::YearMonth { months: i32::try_from(months).map_err(|_| overflow())?, start, end })
            }
            (None, Some((start, end))) => Ok(AnsiInterval::DayTime { micros, start, end }),
            (None, None) => Err("an interval needs at least one unit".into()),
        }
    }

    /// An interval written as a string in the form its qualifier sets (`'1-2'` for YEAR TO
    /// MONTH, `'1 02:03:04.5'` for DAY TO SECOND), with an optional sign.
    pub fn from_qualified(text: &str, start: Field, end: Field) -> Result<AnsiInterval, String> {
        let bad = || format!("Interval string does not match {} format: '{text}'", qualifier(start, end));
        if start > end || start.year_month() != end.year_month() {
            return Err(format!("the interval qualifier {} is not valid", qualifier(start, end)));
        }
        let trimmed = text.trim();
        let (negative, body) = match trimmed.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, trimmed.strip_prefix('+').unwrap_or(trimmed)),
        };
        if start.year_month() {
            let months = match (start, end) {
                (Field::Year, Field::Month) => {
                    let (y, m) = body.split_once('-').ok_or_else(bad)?;
                    let (y, m) = (digits(y).ok_or_else(bad)?, digits(m).ok_or_else(bad)?);
                    if m > 11 {
                        return Err(bad());
                    }
                    y.checked_mul(12).and_then(|y| y.checked_add(m))
                }
                (Field::Year, _) => digits(body).ok_or_else(bad)?.checked_mul(12),
                _ => Some(digits(body).ok_or_else(bad)?),
            }
            .ok_or_else(overflow)?;
            // The sign is applied before the range check: -178956970-8 is the smallest interval.
            let months = if negative { -months } else { months };
            let months = i32::try_from(months).map_err(|_| overflow())?;
            return Ok(AnsiInterval::YearMonth { months, start, end });
        }
        // The fields from start to end, in order; the day is split from the time by a space,
        // time fields by colons.
        let mut parts = Vec::new();
        let mut rest = body;
        if start == Field::Day && end > Field::Day {
            let (d, t) = rest.split_once(' ').ok_or_else(bad)?;
            parts.push(d);
            rest = t;
        }
        parts.extend(rest.split(':'));
        let fields: Vec<Field> =
            [Field::Day, Field::Hour, Field::Minute, Field::Second].into_iter().filter(|f| *f >= start && *f <= end).collect();
        if parts.len() != fields.len() {
            return Err(bad());
        }
        // Summed wide, with the sign, so that the smallest interval (-106751991 04:00:54.775808)
        // does not overflow on its way.
        let mut micros = 0i128;
        for (i, (part, field)) in parts.iter().zip(&fields).enumerate() {
            let (scale, bound) = match field {
                Field::Day => (MICROS_PER_DAY, None),
                Field::Hour => (MICROS_PER_HOUR, Some(23)),
                Field::Minute => (MICROS_PER_MINUTE, Some(59)),
                _ => (MICROS_PER_SECOND, Some(59)),
            };
            let n = if *field == Field::Second { scaled(part, scale).map_err(|_| bad())? } else { digits(part).ok_or_else(bad)?.checked_mul(scale).ok_or_else(overflow)? };
            if n < 0 {
                return Err(bad());
            }
            // Fields after the leading one stay within their unit, as Spark checks.
            if let (true, Some(bound)) = (i > 0, bound) {
                if n / scale > bound {
                    return Err(bad());
                }
            }
            micros += i128::from(n);
        }
        let micros = i64::try_from(if negative { -micros } else { micros }).map_err(|_| overflow())?;
        Ok(AnsiInterval::DayTime { micros, start, end })
    }

    /// The literal's text as Spark writes it in a column name, without `INTERVAL` and the
    /// qualifier: `-0-11`, `21`, `00.002`, `16 01:03:02.1002`.
    pub fn body(&self) -> String {
        match *self {
            AnsiInterval::YearMonth { months, start, end } => {
                let sign = if months < 0 { "-" } else { "" };
                let m = i64::from(months).unsigned_abs();
                match (start, end) {
                    (Field::Year, Field::Month) => format!("{sign}{}-{}", m / 12, m % 12),
                    (Field::Year, _) => format!("{sign}{}", m / 12),
                    _ => format!("{sign}{m}"),
                }
            }
            AnsiInterval::DayTime { micros, start, end } => {
                let sign = if micros < 0 { "-" } else { "" };
                let mut rest = micros.unsigned_abs();
                let mut out = String::from(sign);
                let take = |rest: &mut u64, per: i64| {
                    let per = per.unsigned_abs();
                    let n = *rest / per;
                    *rest %= per;
                    n
                };
                match start {
                    Field::Day => out.push_str(&take(&mut rest, MICROS_PER_DAY).to_string()),
                    Field::Hour => out.push_str(&format!("{:02}", take(&mut rest, MICROS_PER_HOUR))),
                    Field::Minute => out.push_str(&format!("{:02}", take(&mut rest, MICROS_PER_MINUTE))),
                    _ => out.push_str(&seconds(rest)),
                }
                if start < Field::Hour && Field::Hour <= end {
                    out.push_str(&format!(" {:02}", take(&mut rest, MICROS_PER_HOUR)));
                }
                if start < Field::Minute && Field::Minute <= end {
                    out.push_str(&format!(":{:02}", take(&mut rest, MICROS_PER_MINUTE)));
                }
                if start < Field::Second && Field::Second <= end {
                    out.push(':');
                    out.push_str(&seconds(rest));
                }
                out
            }
        }
    }
}

/// `YEAR TO MONTH`, or `DAY` when the qualifier has one field.
pub fn qualifier(start: Field, end: Field) -> String {
    if start == end {
        start.to_string()
    } else {
        format!("{start} TO {end}")
    }
}

impl fmt::Display for AnsiInterval {
    /// Spark's name for the literal: `INTERVAL '1-2' YEAR TO MONTH`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "INTERVAL '{}' {}", self.body(), qualifier(self.start(), self.end()))
    }
}

/// Seconds with their fraction, two digits before the point, trailing zeros dropped: `07`,
/// `00.002`, `12.5`.
fn seconds(micros: u64) -> String {
    let (whole, frac) = (micros / 1_000_000, micros % 1_000_000);
    let frac = format!("{frac:06}");
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        format!("{whole:02}")
    } else {
        format!("{whole:02}.{frac}")
    }
}

fn overflow() -> String {
    "integer overflow in an interval".into()
}

/// Unsigned decimal digits as a number.
fn digits(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A whole number with an optional sign.
fn integer(s: &str) -> Result<i64, String> {
    let t = s.trim();
    let (negative, body) = sign(t);
    let n = digits(body).ok_or_else(|| format!("'{s}' is not a whole number of units in an interval"))?;
    Ok(if negative { -n } else { n })
}

fn sign(t: &str) -> (bool, &str) {
    match t.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, t.strip_prefix('+').map_or(t, str::trim_start)),
    }
}

/// A number with an optional sign and fraction, times a count of microseconds per unit; digits
/// beyond a microsecond are dropped, as Spark drops them. Only units of a second or less take a
/// fraction.
fn scaled(s: &str, micros_per_unit: i64) -> Result<i64, String> {
    let t = s.trim();
    let (negative, body) = sign(t);
    let (whole, frac) = body.split_once('.').unwrap_or((body, ""));
    let invalid = || format!("'{s}' is not a valid interval value");
    let whole = if whole.is_empty() && !frac.is_empty() { 0 } else { digits(whole).ok_or_else(invalid)? };
    let mut n = whole.checked_mul(micros_per_unit).ok_or_else(overflow)?;
    if !frac.is_empty() {
        if micros_per_unit > MICROS_PER_SECOND || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        // The fraction in microseconds: a unit of a second has six places, a millisecond three.
        let places = match micros_per_unit {
            MICROS_PER_SECOND => 6,
            1000 => 3,
            _ => 0,
        };
        let kept: String = frac.chars().chain(std::iter::repeat('0')).take(places).collect();
        if !kept.is_empty() {
            n = n.checked_add(kept.parse::<i64>().map_err(|_| invalid())?).ok_or_else(overflow)?;
        }
    }
    Ok(if negative { -n } else { n })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_codes_round_trip() {
        for f in [Field::Year, Field::Month] {
            assert_eq!(Field::from_code(true, f.code()), f);
        }
        for f in [Field::Day, Field::Hour, Field::Minute, Field::Second] {
            assert_eq!(Field::from_code(false, f.code()), f);
        }
    }

    fn units(s: &str) -> Result<String, String> {
        let words: Vec<&str> = s.split(' ').collect();
        let parts: Vec<(String, String)> = words.chunks(2).map(|p| (p[0].to_string(), p[1].to_string())).collect();
        AnsiInterval::from_units(&parts).map(|i| i.to_string())
    }

    fn qualified(s: &str, start: Field, end: Field) -> Result<String, String> {
        AnsiInterval::from_qualified(s, start, end).map(|i| i.to_string())
    }

    #[test]
    fn unit_lists_take_the_fields_they_name() {
        assert_eq!(units("2 years 4 months").unwrap(), "INTERVAL '2-4' YEAR TO MONTH");
        assert_eq!(units("-1 year 1 month").unwrap(), "INTERVAL '-0-11' YEAR TO MONTH");
        assert_eq!(units("3 week 8 millisecond 9 microsecond").unwrap(), "INTERVAL '21 00:00:00.008009' DAY TO SECOND");
        assert_eq!(units("2 second").unwrap(), "INTERVAL '02' SECOND");
        assert_eq!(units("2 millisecond").unwrap(), "INTERVAL '00.002' SECOND");
        assert_eq!(units("3 week").unwrap(), "INTERVAL '21' DAY");
        assert_eq!(units("-1 day 1 hour -1 minute 1 second").unwrap(), "INTERVAL '-0 23:00:59' DAY TO SECOND");
        assert_eq!(
            units("-100 day 40 hour 80 minute 299.889987299 second").unwrap(),
            "INTERVAL '-98 06:35:00.110013' DAY TO SECOND"
        );
        assert_eq!(units("13.123456789 seconds").unwrap(), "INTERVAL '13.123456' SECOND");
        assert!(units("1 year 2 days").unwrap_err().contains("mix"));
        assert!(units("10 nanoseconds").is_err());
        assert!(units("1.5 days").is_err());
    }

    #[test]
    fn qualified_strings_follow_their_qualifier() {
        assert_eq!(qualified("1-2", Field::Year, Field::Month).unwrap(), "INTERVAL '1-2' YEAR TO MONTH");
        assert_eq!(qualified("-1", Field::Year, Field::Year).unwrap(), "INTERVAL '-1' YEAR");
        assert_eq!(qualified("0 0:0:0.1", Field::Day, Field::Second).unwrap(), "INTERVAL '0 00:00:00.1' DAY TO SECOND");
        assert_eq!(qualified("-1 2:3:4.001", Field::Day, Field::Second).unwrap(), "INTERVAL '-1 02:03:04.001' DAY TO SECOND");
        assert_eq!(qualified("15:40:32.99899999", Field::Hour, Field::Second).unwrap(), "INTERVAL '15:40:32.998999' HOUR TO SECOND");
        assert_eq!(qualified("20 15", Field::Day, Field::Hour).unwrap(), "INTERVAL '20 15' DAY TO HOUR");
        assert!(qualified("1 24", Field::Day, Field::Hour).is_err());
        assert!(qualified("1-12", Field::Year, Field::Month).is_err());
        assert!(qualified("178956971-0", Field::Year, Field::Month).is_err());
        assert_eq!(qualified("-178956970-8", Field::Year, Field::Month).unwrap(), "INTERVAL '-178956970-8' YEAR TO MONTH");
        assert_eq!(
            qualified("-106751991 04:00:54.775808", Field::Day, Field::Second).unwrap(),
            "INTERVAL '-106751991 04:00:54.775808' DAY TO SECOND"
        );
    }

    #[test]
    fn negation_flips_the_sign() {
        let i = AnsiInterval::from_qualified("1-1", Field::Year, Field::Month).unwrap();
        assert_eq!(i.negated().unwrap().to_string(), "INTERVAL '-1-1' YEAR TO MONTH");
    }
}
