//! Hand-written clock-change rules for four zones, standing in for the browser's `Intl` in
//! native tests: the European Union's (Berlin), the United States' (New York), New South
//! Wales' (Sydney, southern hemisphere) and India's (no changes, a half-hour offset).

use super::ZoneRules;
use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Utc, Weekday};

/// The rules above.
pub struct TestRules;

fn nth_sunday(year: i32, month: u32, n: u8) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Sun, n).expect("every month has four Sundays")
}

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let first_of_next =
        if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) }
            .expect("valid month");
    let mut day = first_of_next - Duration::days(1);
    while day.weekday() != Weekday::Sun {
        day -= Duration::days(1);
    }
    day
}

fn utc(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).expect("midnight")) + Duration::hours(i64::from(hour))
}

fn hours(h: i32) -> FixedOffset {
    FixedOffset::east_opt(h * 3600).expect("valid offset")
}

impl ZoneRules for TestRules {
    fn offset_at(&self, zone: &str, instant: DateTime<Utc>) -> Option<FixedOffset> {
        let year = instant.year();
        match zone {
            "Europe/Berlin" => {
                let summer = utc(last_sunday(year, 3), 1) <= instant && instant < utc(last_sunday(year, 10), 1);
                Some(hours(if summer { 2 } else { 1 }))
            }
            "America/New_York" => {
                let summer = utc(nth_sunday(year, 3, 2), 7) <= instant && instant < utc(nth_sunday(year, 11, 1), 6);
                Some(hours(if summer { -4 } else { -5 }))
            }
            "Australia/Sydney" => {
                // 02:00 standard time (16:00 UTC the day before) in October; 03:00 summer
                // time (also 16:00 UTC the day before) in April.
                let ends = utc(nth_sunday(year, 4, 1), 0) - Duration::hours(8);
                let starts = utc(nth_sunday(year, 10, 1), 0) - Duration::hours(8);
                let summer = instant < ends || starts <= instant;
                Some(hours(if summer { 11 } else { 10 }))
            }
            "Asia/Kolkata" => FixedOffset::east_opt(5 * 3600 + 30 * 60),
            _ => None,
        }
    }
}
