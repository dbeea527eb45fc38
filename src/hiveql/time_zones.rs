//! Time zones as Spark names them: the session's zone (`spark.sql.session.timeZone`) and the zone
//! a timestamp literal may end with. A region (`America/Los_Angeles`), a short id Java knows
//! (`PST`), `UTC`/`GMT`/`UT`/`Z` with or without an offset, or an offset alone (`+08:00`, `-8`,
//! `+0800`, `+080000`). Timestamps without a zone are wall-clock times in the session's zone, so a
//! zone is needed wherever a time meets an instant: literals with their own zone, epoch seconds,
//! and the current time.

use std::str::FromStr;

use chrono::{FixedOffset, LocalResult, NaiveDateTime, Offset, TimeZone};
use chrono_tz::Tz;

/// A zone: a region with its history of offsets, or a fixed offset.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Zone {
    Region(Tz),
    Fixed(FixedOffset),
}

/// The setting that names the session's zone.
pub const SETTING: &str = "spark.sql.session.timeZone";

/// Java's short zone ids that are regions.
const SHORT_IDS: [(&str, &str); 12] = [
    ("PST", "America/Los_Angeles"),
    ("PDT", "America/Los_Angeles"),
    ("CST", "America/Chicago"),
    ("CDT", "America/Chicago"),
    ("MST", "America/Denver"),
    ("EST", "America/New_York"),
    ("EDT", "America/New_York"),
    ("CTT", "Asia/Shanghai"),
    ("JST", "Asia/Tokyo"),
    ("IST", "Asia/Kolkata"),
    ("ECT", "Europe/Paris"),
    ("AET", "Australia/Sydney"),
];

impl Zone {
    /// UTC.
    pub fn utc() -> Zone {
        Zone::Region(Tz::UTC)
    }

    /// The zone a text names, or None.
    pub fn parse(text: &str) -> Option<Zone> {
        let t = text.trim();
        if t.is_empty() {
            return None;
        }
        if t == "Z" {
            return Some(Zone::utc());
        }
        if t.starts_with('+') || t.starts_with('-') {
            return offset(t).map(Zone::Fixed);
        }
        for prefix in ["UTC", "GMT", "UT"] {
            if let Some(rest) = t.strip_prefix(prefix) {
                if rest.is_empty() {
                    return Some(Zone::utc());
                }
                if rest.starts_with('+') || rest.starts_with('-') {
                    return offset(rest).map(Zone::Fixed);
                }
            }
        }
        if let Some((_, region)) = SHORT_IDS.iter().find(|(id, _)| *id == t) {
            return Tz::from_str(region).ok().map(Zone::Region);
        }
        Tz::from_str(t).ok().map(Zone::Region)
    }

    /// Whether the zone is UTC, where wall-clock times and instants agree.
    pub fn is_utc(&self) -> bool {
        match self {
            Zone::Fixed(o) => o.local_minus_utc() == 0,
            Zone::Region(tz) => matches!(tz, Tz::UTC | Tz::Etc__UTC | Tz::Etc__UCT | Tz::UCT | Tz::Zulu | Tz::Etc__Zulu | Tz::Universal | Tz::Etc__Universal),
        }
    }

    /// The zone's name as the engine's time-zone functions read it: a region or `+hh:mm`.
    pub fn name(&self) -> String {
        match self {
            Zone::Region(tz) => tz.name().to_string(),
            Zone::Fixed(o) => {
                let secs = o.local_minus_utc();
                let sign = if secs < 0 { '-' } else { '+' };
                let secs = secs.unsigned_abs();
                format!("{sign}{:02}:{:02}", secs / 3600, secs / 60 % 60)
            }
        }
    }

    /// The wall-clock time in this zone at an instant given as UTC.
    pub fn from_utc(&self, utc: NaiveDateTime) -> NaiveDateTime {
        match self {
            Zone::Region(tz) => tz.from_utc_datetime(&utc).naive_local(),
            Zone::Fixed(o) => o.from_utc_datetime(&utc).naive_local(),
        }
    }

    /// The instant (as UTC) of a wall-clock time in this zone. In a gap the time moves forward
    /// by the gap; in an overlap the earlier instant is taken, as Java's zoned times do.
    pub fn to_utc(&self, local: NaiveDateTime) -> NaiveDateTime {
        let offset_of = |r: LocalResult<FixedOffset>| match r {
            LocalResult::Single(o) | LocalResult::Ambiguous(o, _) => Some(o),
            LocalResult::None => None,
        };
        let offset = match self {
            Zone::Fixed(o) => Some(*o),
            Zone::Region(tz) => offset_of(tz.offset_from_local_datetime(&local).map(|o| o.fix())),
        };
        match offset {
            Some(o) => local - chrono::Duration::seconds(i64::from(o.local_minus_utc())),
            // In a gap: the offset before it applies.
            None => {
                let before = local - chrono::Duration::hours(3);
                let o = match self {
                    Zone::Region(tz) => offset_of(tz.offset_from_local_datetime(&before).map(|o| o.fix())).map_or(0, |o| o.local_minus_utc()),
                    Zone::Fixed(o) => o.local_minus_utc(),
                };
                local - chrono::Duration::seconds(i64::from(o))
            }
        }
    }

    /// Microseconds since the epoch of the instant a wall-clock time (given as microseconds since
    /// the epoch of the same reading in UTC) is in this zone.
    pub fn instant_micros(&self, wall: i64) -> i64 {
        match chrono::DateTime::from_timestamp_micros(wall) {
            Some(t) => self.to_utc(t.naive_utc()).and_utc().timestamp_micros(),
            None => wall,
        }
    }

    /// The wall-clock time (as microseconds, read in UTC) in this zone at an instant.
    pub fn wall_micros(&self, instant: i64) -> i64 {
        match chrono::DateTime::from_timestamp_micros(instant) {
            Some(t) => self.from_utc(t.naive_utc()).and_utc().timestamp_micros(),
            None => instant,
        }
    }
}

/// `+h`, `+hh`, `+hh:mm`, `+hhmm`, `+hh:mm:ss`, `+hhmmss`, as the whole text.
fn offset(t: &str) -> Option<FixedOffset> {
    let (secs, used) = offset_prefix(t)?;
    (used == t.len()).then(|| FixedOffset::east_opt(secs)).flatten()
}

/// An offset from UTC at the start of `t`, in the forms [`offset`] reads: its seconds east of UTC
/// and the bytes it takes. Minutes and seconds have two digits each, with or without colons;
/// offsets past 18 hours are refused.
pub fn offset_prefix(t: &str) -> Option<(i32, usize)> {
    let b = t.as_bytes();
    let sign = match b.first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let two = |at: usize| -> Option<i32> { t.get(at..at + 2).filter(|d| d.bytes().all(|c| c.is_ascii_digit()))?.parse().ok() };
    let hour_digits = b[1..].iter().take(2).take_while(|c| c.is_ascii_digit()).count();
    if hour_digits == 0 {
        return None;
    }
    let mut secs: i32 = t[1..1 + hour_digits].parse::<i32>().ok()? * 3600;
    let mut at = 1 + hour_digits;
    // Minutes, then seconds, each after an optional colon (the colon only before two digits).
    for per in [60, 1] {
        let colon = usize::from(b.get(at) == Some(&b':'));
        match two(at + colon) {
            Some(v) if hour_digits == 2 || colon == 1 => {
                secs += v * per;
                at += colon + 2;
            }
            _ => break,
        }
    }
    (secs <= 18 * 3600).then_some((sign * secs, at))
}

#[cfg(test)]
mod tests {
    #[test]
    fn offsets_are_read_from_the_start_of_text() {
        assert_eq!(offset_prefix("+08:30 rest"), Some((8 * 3600 + 1800, 6)));
        assert_eq!(offset_prefix("-0830"), Some((-(8 * 3600 + 1800), 5)));
        assert_eq!(offset_prefix("+8"), Some((8 * 3600, 2)));
        assert_eq!(offset_prefix("+083015"), Some((8 * 3600 + 1815, 7)));
        assert_eq!(offset_prefix("+19"), None);
        assert_eq!(offset_prefix("08"), None);
        assert!(offset("+08:30x").is_none());
    }

    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn zones_parse_as_spark_names_them() {
        assert_eq!(Zone::parse("America/Los_Angeles").unwrap().name(), "America/Los_Angeles");
        assert_eq!(Zone::parse("+08:00").unwrap().name(), "+08:00");
        assert_eq!(Zone::parse("UTC+080000").unwrap().name(), "+08:00");
        assert_eq!(Zone::parse("-8").unwrap().name(), "-08:00");
        assert_eq!(Zone::parse("PST").unwrap().name(), "America/Los_Angeles");
        assert!(Zone::parse("Z").unwrap().is_utc());
        assert!(Zone::parse("UTC").unwrap().is_utc());
        assert!(Zone::parse("Mars/Olympus").is_none());
    }

    #[test]
    fn wall_clock_and_instants_convert_with_the_zone_history() {
        let la = Zone::parse("America/Los_Angeles").unwrap();
        assert_eq!(la.from_utc(at("1970-01-01 00:00:01")), at("1969-12-31 16:00:01"));
        assert_eq!(la.to_utc(at("2020-07-01 00:00:00")), at("2020-07-01 07:00:00"));
        // Before standard time, Los Angeles kept its local mean time, -7:52:58.
        assert_eq!(la.from_utc(at("1582-06-01 03:33:33")), at("1582-05-31 19:40:35"));
    }
}
