use super::test_rules::TestRules;
use super::*;

fn local(text: &str) -> NaiveDateTime {
    parse_local_time(text).expect("valid local time")
}

fn zone(name: &str) -> Zone {
    Zone::parse(name).expect("valid zone")
}

#[test]
fn offsets_outside_earth_are_refused() {
    assert!(UtcOffset::from_minutes(-721).is_none());
    assert!(UtcOffset::from_minutes(841).is_none());
    assert!(serde_json::from_str::<UtcOffset>("9999").is_err());
    assert_eq!(serde_json::from_str::<UtcOffset>("330").ok(), UtcOffset::from_minutes(330));
}

#[test]
fn offsets_read_and_display_as_utc_plus_minus() {
    let show = |m| UtcOffset::from_minutes(m).map(|o| o.to_string());
    assert_eq!(show(0).as_deref(), Some("UTC+00:00"));
    assert_eq!(show(330).as_deref(), Some("UTC+05:30"));
    assert_eq!(show(-210).as_deref(), Some("UTC-03:30"));
    for (text, minutes) in
        [("UTC+05:30", 330), ("UTC-3", -180), ("+01:00", 60), ("GMT+1", 60), ("UTC", 0), ("UTC+0545", 345)]
    {
        assert_eq!(UtcOffset::parse(text).map(UtcOffset::minutes), Some(minutes), "{text}");
    }
    for text in ["UTC+15", "UTC+01:75", "+", "Berlin", "", "UTC+1é1", "UTC+é", "GMT-+1", "UTC+001:00"] {
        assert_eq!(UtcOffset::parse(text), None, "{text}");
    }
}

#[test]
fn zones_read_names_utc_and_fixed_offsets() {
    assert_eq!(zone("Europe/Berlin"), Zone::Named("Europe/Berlin".into()));
    assert_eq!(zone("America/Argentina/Buenos_Aires").name(), "America/Argentina/Buenos_Aires");
    assert_eq!(zone("Etc/GMT+5").name(), "Etc/GMT+5");
    assert_eq!(zone("Etc/UTC"), Zone::UTC);
    assert_eq!(zone(" UTC ").name(), "UTC");
    assert_eq!(zone("UTC+05:30").name(), "UTC+05:30");
    for bad in ["", "Europe/", "../etc/passwd", "<script>", "UTC+99", &"A".repeat(65)] {
        assert!(Zone::parse(bad).is_err(), "{bad}");
    }
    assert_eq!(serde_json::to_string(&zone("UTC-03:00")).ok().as_deref(), Some("\"UTC-03:00\""));
    assert_eq!(serde_json::from_str::<Zone>("\"Asia/Kolkata\"").ok(), Some(zone("Asia/Kolkata")));
    assert!(serde_json::from_str::<Zone>("\"no zone\"").is_err());
}

#[test]
fn moments_read_every_written_form_and_write_one() {
    let expected = "2026-03-29T01:40:00+01:00";
    for text in ["2026-03-29T01:40+01:00", "2026-03-29T01:40:00+01:00", "2026-03-29T01:40:00.000+01:00"] {
        assert_eq!(Moment::parse(text).map(|m| m.to_string()).as_deref(), Ok(expected), "{text}");
    }
    let z = Moment::parse("2026-03-29T00:40Z").expect("Z reads as UTC");
    assert_eq!(z.to_string(), "2026-03-29T00:40:00+00:00");
    assert_eq!(z.instant(), Moment::parse(expected).expect("valid").instant());
    assert_ne!(z, Moment::parse(expected).expect("valid"), "same instant, different clocks");
    assert_eq!(
        Moment::parse("2026-03-29T01:40:00.5+01:00").map(|m| m.to_string()).as_deref(),
        Ok("2026-03-29T01:40:00.500+01:00"),
        "fractions of a second are kept"
    );
    for bad in [
        "2026-03-29T01:40",
        "2026-03-29 01:40+01:00",
        "2026-02-30T01:40Z",
        "01:40+01:00",
        "2026-03-29T01:40+1:00",
        "2026-3-9T1:4+01:00",
        "2026-03-29T01:40+-1:00",
        "+262143-12-31T23:00Z",
        "12026-03-29T01:40Z",
        "2026-03-29T01:40:00.+01:00",
        "2026-03-29T01:4é+01:00",
    ] {
        assert!(Moment::parse(bad).is_err(), "{bad}");
    }
    let json = serde_json::to_string(&z).expect("writes");
    assert_eq!(serde_json::from_str::<Moment>(&json).ok(), Some(z));
}

#[test]
fn moments_order_by_instant_whatever_their_offset() {
    let berlin = Moment::parse("2026-03-29T03:10+02:00").expect("valid");
    let utc = Moment::parse("2026-03-29T01:05Z").expect("valid");
    assert!(utc < berlin);
    assert_eq!(utc.minutes_until(berlin), 5);
}

#[test]
fn the_skipped_spring_hour_is_detected_in_each_hemisphere() {
    let berlin = resolve(&TestRules, &zone("Europe/Berlin"), local("2026-03-29T02:30"));
    let WallClock::Skipped { before, after } = berlin else { panic!("02:30 never showed in Berlin: {berlin:?}") };
    assert_eq!(before.to_string(), "2026-03-29T03:30:00+02:00");
    assert_eq!(after.to_string(), "2026-03-29T01:30:00+01:00");
    assert!(matches!(
        resolve(&TestRules, &zone("America/New_York"), local("2026-03-08T02:15")),
        WallClock::Skipped { .. }
    ));
    assert!(matches!(
        resolve(&TestRules, &zone("Australia/Sydney"), local("2026-10-04T02:30")),
        WallClock::Skipped { .. }
    ));
}

#[test]
fn the_repeated_autumn_hour_is_detected_in_each_hemisphere() {
    let new_york = resolve(&TestRules, &zone("America/New_York"), local("2026-11-01T01:30"));
    assert_eq!(
        new_york,
        WallClock::Twice {
            earlier: Moment::parse("2026-11-01T01:30-04:00").expect("valid"),
            later: Moment::parse("2026-11-01T01:30-05:00").expect("valid"),
        }
    );
    assert!(matches!(resolve(&TestRules, &zone("Europe/Berlin"), local("2026-10-25T02:59")), WallClock::Twice { .. }));
    assert!(matches!(
        resolve(&TestRules, &zone("Australia/Sydney"), local("2026-04-05T02:30")),
        WallClock::Twice { .. }
    ));
}

#[test]
fn ordinary_times_have_one_moment_with_the_offset_of_their_season() {
    let at = |z: &str, t: &str| resolve(&TestRules, &zone(z), local(t)).single().map(|m| m.to_string());
    assert_eq!(at("Europe/Berlin", "2026-03-29T01:59").as_deref(), Some("2026-03-29T01:59:00+01:00"));
    assert_eq!(at("Europe/Berlin", "2026-03-29T03:00").as_deref(), Some("2026-03-29T03:00:00+02:00"));
    assert_eq!(at("Europe/Berlin", "2026-10-25T03:00").as_deref(), Some("2026-10-25T03:00:00+01:00"));
    assert_eq!(at("Australia/Sydney", "2026-01-10T12:00").as_deref(), Some("2026-01-10T12:00:00+11:00"));
    assert_eq!(at("Australia/Sydney", "2026-07-10T12:00").as_deref(), Some("2026-07-10T12:00:00+10:00"));
    assert_eq!(at("Asia/Kolkata", "2026-07-10T12:00").as_deref(), Some("2026-07-10T12:00:00+05:30"));
    assert_eq!(at("UTC-03:30", "2026-07-10T12:00").as_deref(), Some("2026-07-10T12:00:00-03:30"));
    assert_eq!(resolve(&TestRules, &zone("Mars/Olympus_Mons"), local("2026-07-10T12:00")), WallClock::UnknownZone);
    assert_eq!(resolve(&NoRules, &zone("Europe/Berlin"), local("2026-07-10T12:00")), WallClock::UnknownZone);
}

#[test]
fn a_zone_shows_a_moment_on_its_own_clocks() {
    let m = Moment::parse("2026-07-01T10:00Z").expect("valid");
    assert_eq!(zone("Europe/Berlin").show(&TestRules, m).to_string(), "2026-07-01T12:00:00+02:00");
    assert_eq!(zone("America/New_York").show(&TestRules, m).to_string(), "2026-07-01T06:00:00-04:00");
    assert_eq!(zone("Mars/Base").show(&TestRules, m), m, "unknown zones keep the written offset");
}

#[test]
fn local_times_round_trip_through_input_format() {
    let t = local("2026-03-04T05:06");
    assert_eq!(format_local_time(&t), "2026-03-04T05:06");
    assert_eq!(
        parse_local_time("2026-03-04T05:06:59").map(|t| format_local_time(&t)).as_deref(),
        Some("2026-03-04T05:06")
    );
    assert!(parse_local_time("").is_none());
    assert!(parse_local_time("yesterday").is_none());
}

#[test]
fn clocks_follow_the_readers_habit() {
    let t = local("2026-03-04T14:05");
    assert_eq!(Clock::H24.date_time(&t), "2026-03-04 14:05");
    assert_eq!(Clock::H12.date_time(&t), "2026-03-04 2:05 PM");
    assert_eq!(Clock::H12.time(&local("2026-03-04T00:30")), "12:30 AM");
}

#[cfg(not(target_arch = "wasm32"))]
mod never_panics {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]
        #[test]
        fn no_text_makes_the_time_readers_panic(
            text in "\\PC{0,40}",
            prefix in proptest::sample::select(vec!["", "UTC+", "GMT-", "2026-03-29T", "+"]),
        ) {
            let text = format!("{prefix}{text}");
            let _ = Zone::parse(&text);
            let _ = UtcOffset::parse(&text);
            if let Ok(m) = Moment::parse(&text) {
                let _ = zone("UTC+14:00").show(&TestRules, m).local();
                let _ = resolve(&TestRules, &zone("Europe/Berlin"), m.local());
            }
            let _ = parse_local_time(&text);
        }
    }
}

#[test]
fn moments_are_written_as_chrono_writes_them() {
    use chrono::{FixedOffset, NaiveDate, TimeZone};
    let chrono_text = |m: &Moment| m.0.format("%Y-%m-%dT%H:%M:%S%.f%:z").to_string();
    let days = [(2026, 3, 8), (1999, 12, 31), (0, 1, 1), (9999, 12, 31), (2024, 2, 29)];
    let offsets = [0, 3600, -5 * 3600, 5 * 3600 + 1800, -(9 * 3600 + 30 * 60), 14 * 3600, -12 * 3600 - 45 * 60, 37];
    for (y, mo, d) in days {
        for seconds in [0, 59, 3599, 45_296, 86_399] {
            for nanos in [0, 500_000_000, 123_456_789] {
                for offset in offsets {
                    let Some(zone) = FixedOffset::east_opt(offset) else { continue };
                    let Some(local) = NaiveDate::from_ymd_opt(y, mo, d)
                        .and_then(|day| day.and_hms_nano_opt(seconds / 3600, seconds / 60 % 60, seconds % 60, nanos))
                    else {
                        continue;
                    };
                    let Some(at) = zone.from_local_datetime(&local).single() else { continue };
                    let m = Moment(at);
                    assert_eq!(m.to_string(), chrono_text(&m), "{local} at {offset}");
                }
            }
        }
    }
}

#[test]
fn local_times_are_read_as_chrono_reads_them() {
    let chrono_reads = |t: &str| {
        NaiveDateTime::parse_from_str(t, LOCAL_TIME_FORMAT)
            .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f"))
            .ok()
    };
    for text in [
        "2026-03-08T01:30",
        "2026-03-08T01:30:59",
        "2024-02-29T23:59",
        "2026-02-29T10:00",
        "2026-02-30T10:00:00",
        "2026-13-01T00:00",
        "2026-00-10T00:00",
        "2026-01-00T00:00",
        "2026-01-01T24:00",
        "2026-01-01T23:60",
        "2026-01-01T23:59:60",
        "2026-01-01T23:59:61",
        "0000-01-01T00:00",
        "9999-12-31T23:59:59",
        "2026-01-01T10:00:00.5",
    ] {
        assert_eq!(parse_local_time(text), chrono_reads(text), "{text}");
    }
}
