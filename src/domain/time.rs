//! Wall-clock times as the author entered them, with the UTC offset they were entered in.
//!
//! Debrief carries no timezone database (it would dwarf the app): a time is stored as
//! the local date and time the author typed plus a fixed offset from UTC.

use chrono::{FixedOffset, NaiveDateTime, TimeZone};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Format of a local time in storage and in `datetime-local` inputs.
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

    /// Every offset in use on Earth, in quarter hours, west to east.
    pub fn choices() -> impl Iterator<Item = Self> {
        (Self::MIN_MINUTES / 15..=Self::MAX_MINUTES / 15).map(|q| Self(q * 15))
    }

    /// The instant in UTC that `local` names at this offset.
    pub fn to_utc(self, local: NaiveDateTime) -> Option<chrono::DateTime<chrono::Utc>> {
        let zone = FixedOffset::east_opt(self.0 * 60)?;
        zone.from_local_datetime(&local).single().map(|t| t.with_timezone(&chrono::Utc))
    }
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

/// Reads a `datetime-local` value (`2026-03-04T05:06`, seconds allowed); `None` when empty or invalid.
pub fn parse_local_time(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    NaiveDateTime::parse_from_str(text, LOCAL_TIME_FORMAT)
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .ok()
}

/// Writes a local time the way `datetime-local` inputs expect it.
pub fn format_local_time(time: &NaiveDateTime) -> String {
    time.format(LOCAL_TIME_FORMAT).to_string()
}

/// A local time for people to read: `2026-03-04 05:06`.
pub fn display_local_time(time: &NaiveDateTime) -> String {
    time.format("%Y-%m-%d %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_outside_earth_are_refused() {
        assert!(UtcOffset::from_minutes(-721).is_none());
        assert!(UtcOffset::from_minutes(841).is_none());
        assert!(serde_json::from_str::<UtcOffset>("9999").is_err());
        assert_eq!(serde_json::from_str::<UtcOffset>("330").ok(), UtcOffset::from_minutes(330));
    }

    #[test]
    fn offsets_display_as_utc_plus_minus() {
        let show = |m| UtcOffset::from_minutes(m).map(|o| o.to_string());
        assert_eq!(show(0).as_deref(), Some("UTC+00:00"));
        assert_eq!(show(330).as_deref(), Some("UTC+05:30"));
        assert_eq!(show(-210).as_deref(), Some("UTC-03:30"));
        assert_eq!(UtcOffset::choices().count(), (26 * 4) + 1);
    }

    #[test]
    fn local_times_round_trip_through_input_format() {
        let t = parse_local_time("2026-03-04T05:06").expect("valid time");
        assert_eq!(format_local_time(&t), "2026-03-04T05:06");
        assert_eq!(
            parse_local_time("2026-03-04T05:06:59").map(|t| format_local_time(&t)).as_deref(),
            Some("2026-03-04T05:06")
        );
        assert!(parse_local_time("").is_none());
        assert!(parse_local_time("yesterday").is_none());
    }

    #[test]
    fn utc_conversion_applies_the_offset() {
        let local = parse_local_time("2026-03-04T12:00").expect("valid time");
        let offset = UtcOffset::from_minutes(120).expect("valid offset");
        let utc = offset.to_utc(local).expect("convertible");
        assert_eq!(utc.to_rfc3339(), "2026-03-04T10:00:00+00:00");
    }
}
