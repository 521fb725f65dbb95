//! Times: exact instants, each written with the UTC offset its wall clock showed, and the
//! time zone a postmortem's clocks follow.
//!
//! Debrief carries no time zone database (it would dwarf the app). Which offset a named zone
//! such as `Europe/Berlin` has at a given instant comes from outside, through [`ZoneRules`]:
//! the browser's own rules (`Intl`) in the app, a few hand-written rules in tests. Everything
//! here is pure: a typed wall-clock time becomes a [`Moment`] through [`resolve`], which says
//! when that time does not exist (the hour skipped when clocks go forward) or exists twice
//! (the hour repeated when they go back) instead of guessing.

use chrono::{DateTime, Duration, FixedOffset, NaiveDateTime, Offset as _, TimeZone as _, Utc};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;

/// Format of a wall-clock time in `datetime-local` inputs.
pub const LOCAL_TIME_FORMAT: &str = "%Y-%m-%dT%H:%M";

/// Offset from UTC in minutes, such as `+120` for UTC+02:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(try_from = "i32", into = "i32")]
pub struct UtcOffset(i32);

impl UtcOffset {
    /// UTC itself.
    pub const UTC: Self = Self(0);
    /// Smallest offset in use anywhere (UTC-12:00).
    pub const MIN_MINUTES: i32 = -12 * 60;
    /// Largest offset in use anywhere (UTC+14:00).
    pub const MAX_MINUTES: i32 = 14 * 60;

    /// An offset of `minutes`, when it lies within the offsets used on Earth.
    pub fn from_minutes(minutes: i32) -> Option<Self> {
        (Self::MIN_MINUTES..=Self::MAX_MINUTES).contains(&minutes).then_some(Self(minutes))
    }

    /// Minutes east of UTC.
    pub fn minutes(self) -> i32 {
        self.0
    }

    /// The same offset as chrono spells it.
    pub fn fixed(self) -> FixedOffset {
        FixedOffset::east_opt(self.0 * 60).unwrap_or_else(utc_offset)
    }

    /// The offset of a chrono offset, rounded to whole minutes (historic local mean times
    /// have seconds); `None` beyond the offsets in use.
    pub fn of(offset: FixedOffset) -> Option<Self> {
        let seconds = offset.local_minus_utc();
        Self::from_minutes((seconds + seconds.signum() * 30) / 60)
    }

    /// Reads `UTC`, `UTC+05:30`, `UTC-3`, `+01:00` or `GMT+1`.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let rest = ["UTC", "GMT", "utc", "gmt"].iter().find_map(|p| text.strip_prefix(p)).unwrap_or(text).trim();
        if rest.is_empty() {
            return (text.len() >= 3).then_some(Self::UTC);
        }
        if !rest.trim_start_matches('−').is_ascii() {
            return None;
        }
        let (sign, rest) = match rest.as_bytes().first() {
            Some(b'+') => (1, &rest[1..]),
            Some(b'-') => (-1, &rest[1..]),
            _ if rest.starts_with('−') => (-1, &rest['−'.len_utf8()..]),
            _ => return None,
        };
        fn number(s: &str) -> Option<i32> {
            (!s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
        }
        let (hours, minutes) = match rest.split_once(':') {
            Some((h, m)) => (number(h)?, number(m)?),
            None if rest.len() == 4 => (number(rest.get(..2)?)?, number(rest.get(2..)?)?),
            None => (number(rest)?, 0),
        };
        if !(0..60).contains(&minutes) || hours > 14 {
            return None;
        }
        Self::from_minutes(sign * (hours * 60 + minutes))
    }
}

fn utc_offset() -> FixedOffset {
    Utc.fix()
}

impl TryFrom<i32> for UtcOffset {
    type Error = String;
    fn try_from(minutes: i32) -> Result<Self, Self::Error> {
        Self::from_minutes(minutes).ok_or_else(|| format!("UTC offset {minutes} minutes is outside -720..=840"))
    }
}

impl From<UtcOffset> for i32 {
    fn from(offset: UtcOffset) -> Self {
        offset.0
    }
}

impl fmt::Display for UtcOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { '-' } else { '+' };
        let abs = self.0.unsigned_abs();
        write!(f, "UTC{sign}{:02}:{:02}", abs / 60, abs % 60)
    }
}

/// The time zone a postmortem's clocks follow: a named zone with its clock changes, or a
/// fixed offset (UTC itself among them).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Zone {
    /// A fixed offset: `UTC`, `UTC+05:30`.
    Fixed(UtcOffset),
    /// An IANA time zone such as `Europe/Berlin`.
    Named(String),
}

impl Default for Zone {
    fn default() -> Self {
        Self::Fixed(UtcOffset::UTC)
    }
}

/// The longest zone name Debrief accepts (the longest IANA name has 32 characters).
pub const MAX_ZONE_CHARS: usize = 64;

impl Zone {
    /// UTC.
    pub const UTC: Self = Self::Fixed(UtcOffset::UTC);

    /// Reads a zone as people and files write it: `UTC`, `UTC+05:30`, or an IANA name
    /// (`Europe/Berlin`). Whether a name is one the browser knows is for [`ZoneRules`].
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if matches!(text, "UTC" | "Etc/UTC" | "Etc/GMT" | "GMT" | "Etc/Universal" | "Etc/Zulu" | "Z") {
            return Ok(Self::UTC);
        }
        let after_prefix = text.strip_prefix("UTC").or_else(|| text.strip_prefix("GMT")).unwrap_or(text);
        let offset_like = after_prefix.is_empty() || after_prefix.starts_with(['+', '-', '−']);
        if let Some(offset) = offset_like.then(|| UtcOffset::parse(text)) {
            return offset.map(Self::Fixed).ok_or_else(|| {
                format!(
                    "“{text}” is not an offset Debrief knows: write it like UTC+05:30, between UTC-12:00 and UTC+14:00"
                )
            });
        }
        let well_formed = !text.is_empty()
            && text.chars().count() <= MAX_ZONE_CHARS
            && text.split('/').all(|part| {
                part.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                    && part.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
            });
        if well_formed {
            Ok(Self::Named(text.to_owned()))
        } else {
            Err(format!("“{text}” is not a time zone: pick a name such as Europe/Berlin, or UTC"))
        }
    }

    /// The name as stored and shown: `Europe/Berlin`, `UTC`, `UTC+05:30`.
    pub fn name(&self) -> String {
        match self {
            Self::Fixed(o) if *o == UtcOffset::UTC => "UTC".to_owned(),
            Self::Fixed(o) => o.to_string(),
            Self::Named(name) => name.clone(),
        }
    }

    /// The offset in force at `instant`; `None` when the rules do not know the zone.
    pub fn offset_at(&self, rules: &dyn ZoneRules, instant: DateTime<Utc>) -> Option<FixedOffset> {
        match self {
            Self::Fixed(o) => Some(o.fixed()),
            Self::Named(name) => rules.offset_at(name, instant),
        }
    }

    /// `moment` as this zone's clocks showed it; as it was written when the rules do not
    /// know the zone.
    pub fn show(&self, rules: &dyn ZoneRules, moment: Moment) -> Moment {
        self.offset_at(rules, moment.instant()).map(|o| moment.with_offset(o)).unwrap_or(moment)
    }
}

impl TryFrom<String> for Zone {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<Zone> for String {
    fn from(zone: Zone) -> Self {
        zone.name()
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

/// Where the offsets of named zones come from.
pub trait ZoneRules {
    /// The offset from UTC in force in the IANA zone `zone` at `instant`; `None` when the
    /// zone is unknown.
    fn offset_at(&self, zone: &str, instant: DateTime<Utc>) -> Option<FixedOffset>;
}

/// Rules that know no named zone: every time shows with the offset it was written with.
pub struct NoRules;

impl ZoneRules for NoRules {
    fn offset_at(&self, _zone: &str, _instant: DateTime<Utc>) -> Option<FixedOffset> {
        None
    }
}

/// An exact instant, written with the UTC offset its clock showed: `2026-03-29T01:40:00+01:00`.
///
/// Two moments are equal when both the instant and the offset are; they are ordered by
/// instant, so sorting and durations follow real time.
#[derive(Debug, Clone, Copy)]
pub struct Moment(DateTime<FixedOffset>);

impl Moment {
    /// The moment the wall-clock time `local` names at `offset`.
    pub fn at_offset(local: NaiveDateTime, offset: FixedOffset) -> Option<Self> {
        offset.from_local_datetime(&local).single().map(Self)
    }

    /// The wall-clock time `local` in UTC.
    pub fn utc(local: NaiveDateTime) -> Self {
        Self(local.and_utc().fixed_offset())
    }

    /// `instant`, shown at `offset`.
    pub fn from_instant(instant: DateTime<Utc>, offset: FixedOffset) -> Self {
        Self(instant.with_timezone(&offset))
    }

    /// The instant.
    pub fn instant(self) -> DateTime<Utc> {
        self.0.with_timezone(&Utc)
    }

    /// The offset it is written with.
    pub fn offset(self) -> FixedOffset {
        *self.0.offset()
    }

    /// The wall-clock time at its offset.
    pub fn local(self) -> NaiveDateTime {
        self.0.naive_local()
    }

    /// The same instant at another offset.
    pub fn with_offset(self, offset: FixedOffset) -> Self {
        Self(self.0.with_timezone(&offset))
    }

    /// The wall-clock time with its offset, for people: `2026-03-29 01:40 (UTC+01:00)`.
    pub fn display_with_offset(self) -> String {
        format!("{} ({})", display_local_time(&self.local()), offset_label(self.offset()))
    }

    /// Whole minutes from `self` to `later` (negative when `later` is earlier).
    pub fn minutes_until(self, later: Self) -> i64 {
        (later.instant() - self.instant()).num_minutes()
    }

    /// Reads `2026-03-29T01:40+01:00`, with or without seconds (and fractions of one),
    /// with `Z` for UTC.
    pub fn parse(text: &str) -> Result<Self, String> {
        let problem = || {
            format!(
                "“{text}” is not a time with its UTC offset, such as 2026-03-29T01:40+01:00 or 2026-03-29T01:40:00Z"
            )
        };
        let (local, offset) = split_offset(text.trim()).ok_or_else(problem)?;
        let local = parse_local_time(local).ok_or_else(problem)?;
        Self::at_offset(local, offset).ok_or_else(problem)
    }
}

fn split_offset(text: &str) -> Option<(&str, FixedOffset)> {
    if let Some(local) = text.strip_suffix(['Z', 'z']) {
        return Some((local, utc_offset()));
    }
    let at = text.len().checked_sub(6)?;
    let (local, offset) = (text.get(..at)?, text.get(at..)?);
    let bytes = offset.as_bytes();
    if !matches!(bytes[0], b'+' | b'-') || bytes[3] != b':' || !local.contains('T') {
        return None;
    }
    let two = |s: Option<&str>| s.filter(|s| s.bytes().all(|b| b.is_ascii_digit()))?.parse::<i32>().ok();
    let hours = two(offset.get(1..3))?;
    let minutes = two(offset.get(4..6))?;
    if !(0..60).contains(&minutes) || hours > 23 {
        return None;
    }
    let sign = if bytes[0] == b'-' { -1 } else { 1 };
    Some((local, FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))?))
}

impl PartialEq for Moment {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0 && self.offset() == other.offset()
    }
}

impl Eq for Moment {}

impl std::hash::Hash for Moment {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.instant().hash(state);
        self.offset().local_minus_utc().hash(state);
    }
}

impl PartialOrd for Moment {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Moment {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp(&other.0).then(self.offset().local_minus_utc().cmp(&other.offset().local_minus_utc()))
    }
}

impl fmt::Display for Moment {
    /// RFC 3339 with the moment's own offset: `2026-03-08T01:30:00-05:00`. Written field by
    /// field (every save, export and content hash writes every time, and chrono's format
    /// strings are parsed on each use); the rare moment with fractions of a second or a year
    /// outside 0..=9999 or an offset with seconds goes through chrono's formatting.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use chrono::{Datelike, Timelike};
        let local = self.0.naive_local();
        let offset = self.0.offset().local_minus_utc();
        if local.nanosecond() != 0 || !(0..=9999).contains(&local.year()) || offset % 60 != 0 {
            return write!(f, "{}", self.0.format("%Y-%m-%dT%H:%M:%S%.f%:z"));
        }
        let (sign, offset) = if offset < 0 { (b'-', -offset) } else { (b'+', offset) };
        // `YYYY-MM-DDTHH:MM:SS+HH:MM`, every field in range, so each is its digits.
        let mut out = *b"0000-00-00T00:00:00+00:00";
        let mut put = |at: usize, width: usize, value: u32| {
            let mut v = value;
            for i in (at..at + width).rev() {
                out[i] = b'0' + (v % 10) as u8;
                v /= 10;
            }
        };
        put(0, 4, local.year().unsigned_abs());
        put(5, 2, local.month());
        put(8, 2, local.day());
        put(11, 2, local.hour());
        put(14, 2, local.minute());
        put(17, 2, local.second());
        put(20, 2, offset.unsigned_abs() / 3600);
        put(23, 2, offset.unsigned_abs() / 60 % 60);
        out[19] = sign;
        f.write_str(std::str::from_utf8(&out).map_err(|_| fmt::Error)?)
    }
}

impl Serialize for Moment {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Moment {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// What a typed wall-clock time names in a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WallClock {
    /// One moment, as almost always.
    One(Moment),
    /// The clocks went back over it: it happened twice, first at `earlier`'s offset.
    Twice { earlier: Moment, later: Moment },
    /// The clocks went forward over it: it never showed. Read with the offset before the
    /// change it is `before` (shown after the jump); with the offset after, `after`.
    Skipped { before: Moment, after: Moment },
    /// The rules do not know the zone.
    UnknownZone,
}

impl WallClock {
    /// The moment, when there is exactly one.
    pub fn single(self) -> Option<Moment> {
        match self {
            Self::One(m) => Some(m),
            _ => None,
        }
    }
}

/// What `local` names in `zone`: one moment, two (the repeated hour), or none (the skipped
/// hour). Assumes clocks change at most once within a day either side, as every zone does.
pub fn resolve(rules: &dyn ZoneRules, zone: &Zone, local: NaiveDateTime) -> WallClock {
    let Zone::Named(_) = zone else {
        return zone
            .offset_at(rules, local.and_utc())
            .and_then(|o| Moment::at_offset(local, o))
            .map_or(WallClock::UnknownZone, WallClock::One);
    };
    let as_utc = local.and_utc();
    let (Some(before), Some(after)) =
        (zone.offset_at(rules, as_utc - Duration::days(1)), zone.offset_at(rules, as_utc + Duration::days(1)))
    else {
        return WallClock::UnknownZone;
    };
    let mut found: Vec<Moment> = [before, after]
        .into_iter()
        .filter_map(|o| Moment::at_offset(local, o))
        .filter(|m| zone.offset_at(rules, m.instant()) == Some(m.offset()))
        .collect();
    found.sort();
    found.dedup();
    match found.as_slice() {
        [one] => WallClock::One(*one),
        [earlier, later, ..] => WallClock::Twice { earlier: *earlier, later: *later },
        [] => match (Moment::at_offset(local, before), Moment::at_offset(local, after)) {
            (Some(b), Some(a)) => WallClock::Skipped { before: zone.show(rules, b), after: zone.show(rules, a) },
            _ => WallClock::UnknownZone,
        },
    }
}

/// An offset for people: `UTC+02:00` (seconds, which only historic local mean times have,
/// are rounded away).
pub fn offset_label(offset: FixedOffset) -> String {
    UtcOffset::of(offset).map(|o| o.to_string()).unwrap_or_else(|| offset.to_string())
}

/// Reads a `datetime-local` value (`2026-03-04T05:06`, seconds and fractions allowed);
/// `None` when empty or invalid.
pub fn parse_local_time(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    // Exactly `YYYY-MM-DDTHH:MM`, then optionally `:SS` and a fraction: four-digit years
    // only (as the schema says), so no time comes near the ends of what chrono can hold.
    let b = text.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let shape = b.len() >= 16
        && [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15].into_iter().all(digit)
        && (b[4], b[7], b[10], b[13]) == (b'-', b'-', b'T', b':')
        && match b.get(16) {
            None => true,
            Some(b':') => {
                digit(17) && digit(18) && (b.len() == 19 || (b[19] == b'.' && b.len() > 20 && (20..b.len()).all(digit)))
            }
            Some(_) => false,
        };
    if !shape {
        return None;
    }
    // Whole seconds (as Debrief writes every time) are read digit by digit: chrono parses
    // its format string on every call, and a large team folder holds tens of thousands.
    if b.len() == 16 || b.len() == 19 {
        let n = |at: usize, len: usize| b[at..at + len].iter().fold(0u32, |v, d| v * 10 + u32::from(d - b'0'));
        let second = if b.len() == 19 { n(17, 2) } else { 0 };
        if second < 60 {
            let year = i32::try_from(n(0, 4)).ok()?;
            return chrono::NaiveDate::from_ymd_opt(year, n(5, 2), n(8, 2))?.and_hms_opt(n(11, 2), n(14, 2), second);
        }
    }
    NaiveDateTime::parse_from_str(text, LOCAL_TIME_FORMAT)
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f"))
        .ok()
}

/// Writes a wall-clock time the way `datetime-local` inputs expect it.
pub fn format_local_time(time: &NaiveDateTime) -> String {
    time.format(LOCAL_TIME_FORMAT).to_string()
}

/// Whether times read on a 24-hour or a 12-hour clock (as the reader's locale has it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    #[default]
    H24,
    H12,
}

impl Clock {
    /// `14:05` or `2:05 PM`.
    pub fn time(self, time: &NaiveDateTime) -> String {
        match self {
            Self::H24 => time.format("%H:%M").to_string(),
            Self::H12 => time.format("%-I:%M %p").to_string(),
        }
    }

    /// `14:05:09` or `2:05:09 PM`.
    pub fn time_with_seconds(self, time: &NaiveDateTime) -> String {
        match self {
            Self::H24 => time.format("%H:%M:%S").to_string(),
            Self::H12 => time.format("%-I:%M:%S %p").to_string(),
        }
    }

    /// `2026-03-04 14:05` or `2026-03-04 2:05 PM`.
    pub fn date_time(self, time: &NaiveDateTime) -> String {
        format!("{} {}", time.format("%Y-%m-%d"), self.time(time))
    }
}

/// A wall-clock time for people to read on a 24-hour clock: `2026-03-04 05:06`.
pub fn display_local_time(time: &NaiveDateTime) -> String {
    Clock::H24.date_time(time)
}

#[cfg(test)]
pub mod test_rules;

#[cfg(test)]
mod tests;
