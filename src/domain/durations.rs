//! Durations computed from the key times: never typed, never negative, and measured between
//! instants, so an incident that spans a clock change lasts as long as it really did.
//!
//! Every "time to" is measured from the moment impact started. Total impact runs from
//! that moment to mitigation (when users stopped being affected), or to resolution
//! when no mitigation time is recorded.

use super::model::{KeyTime, KeyTimes, Postmortem};
use std::fmt;

/// One computed duration, or the reason it cannot be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// Whole minutes, never negative.
    Minutes(i64),
    /// One of the two times is not filled in yet.
    Missing(KeyTime),
    /// The later time is before the earlier one: one of them was mistyped.
    OutOfOrder { from: KeyTime, to: KeyTime },
}

impl Span {
    fn between(times: &KeyTimes, from: KeyTime, to: KeyTime) -> Self {
        match (times.get(from), times.get(to)) {
            (None, _) => Self::Missing(from),
            (_, None) => Self::Missing(to),
            (Some(start), Some(end)) if end.instant() < start.instant() => Self::OutOfOrder { from, to },
            (Some(start), Some(end)) => Self::Minutes(start.minutes_until(end)),
        }
    }

    /// The length in minutes when it is known.
    pub fn minutes(self) -> Option<i64> {
        match self {
            Self::Minutes(m) => Some(m),
            _ => None,
        }
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Minutes(m) => f.write_str(&format_minutes(m)),
            Self::Missing(which) => write!(f, "needs “{}”", which.label()),
            Self::OutOfOrder { from, to } => {
                write!(f, "check times: “{}” is before “{}”", to.label(), from.label())
            }
        }
    }
}

/// Writes minutes the way people say them: `45 min`, `2 h 05 min`, `3 d 4 h`.
pub fn format_minutes(minutes: i64) -> String {
    let minutes = minutes.max(0);
    let (days, rest) = (minutes / (24 * 60), minutes % (24 * 60));
    let (hours, mins) = (rest / 60, rest % 60);
    match (days, hours) {
        (0, 0) => format!("{mins} min"),
        (0, _) => format!("{hours} h {mins:02} min"),
        _ => format!("{days} d {hours} h"),
    }
}

/// A signed offset from a reference moment, as shown beside timeline events: `T+12 min`,
/// `T−1 h 05 min`.
pub fn relative_label(minutes: i64) -> String {
    let sign = if minutes < 0 { '−' } else { '+' };
    format!("T{sign}{}", format_minutes(minutes.abs()))
}

/// The four durations every postmortem reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Durations {
    pub to_detect: Span,
    pub to_mitigate: Span,
    pub to_resolve: Span,
    pub total_impact: Span,
}

impl Durations {
    /// Computes every duration from `times`.
    pub fn from_key_times(times: &KeyTimes) -> Self {
        use KeyTime::*;
        let impact_end = if times.mitigated.is_some() || times.resolved.is_none() { Mitigated } else { Resolved };
        Self {
            to_detect: Span::between(times, ImpactStarted, Detected),
            to_mitigate: Span::between(times, ImpactStarted, Mitigated),
            to_resolve: Span::between(times, ImpactStarted, Resolved),
            total_impact: Span::between(times, ImpactStarted, impact_end),
        }
    }

    /// Each duration with the name people read, in reporting order.
    pub fn labelled(&self) -> [(&'static str, Span); 4] {
        [
            ("Time to detect", self.to_detect),
            ("Time to mitigate", self.to_mitigate),
            ("Time to resolve", self.to_resolve),
            ("Total impact", self.total_impact),
        ]
    }
}

impl Postmortem {
    /// How long detection, mitigation and resolution took, from the key times.
    pub fn durations(&self) -> Durations {
        Durations::from_key_times(&self.key_times)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::test_rules::TestRules;
    use crate::domain::time::{Moment, Zone, parse_local_time, resolve};

    /// Key times typed as wall-clock times in `zone`, each taken as the first (or only)
    /// moment it names, as a user answering "the first one" would.
    fn typed(zone: &str, start: &str, detected: &str, mitigated: &str, resolved: &str) -> KeyTimes {
        let zone = Zone::parse(zone).expect("valid zone");
        let at = |t: &str| {
            parse_local_time(t).map(|local| match resolve(&TestRules, &zone, local) {
                crate::domain::time::WallClock::One(m) => m,
                crate::domain::time::WallClock::Twice { earlier, .. } => earlier,
                other => panic!("{t} in {zone}: {other:?}"),
            })
        };
        KeyTimes {
            impact_started: at(start),
            detected: at(detected),
            mitigated: at(mitigated),
            resolved: at(resolved),
            time_zone: zone,
            no_offset: Default::default(),
        }
    }

    fn times(start: &str, detected: &str, mitigated: &str, resolved: &str) -> KeyTimes {
        typed("UTC", start, detected, mitigated, resolved)
    }

    #[test]
    fn durations_count_from_impact_start() {
        let d = Durations::from_key_times(&times(
            "2026-05-01T09:00",
            "2026-05-01T09:12",
            "2026-05-01T10:30",
            "2026-05-02T11:00",
        ));
        assert_eq!(d.to_detect, Span::Minutes(12));
        assert_eq!(d.to_mitigate, Span::Minutes(90));
        assert_eq!(d.to_resolve, Span::Minutes(26 * 60));
        assert_eq!(d.total_impact, Span::Minutes(90));
    }

    #[test]
    fn durations_across_spring_forward_are_the_true_elapsed_time() {
        // Berlin: 01:40 CET to 04:10 CEST is 1 h 30 min, not the 2 h 30 min the clocks suggest.
        let d = Durations::from_key_times(&typed("Europe/Berlin", "2026-03-29T01:40", "", "", "2026-03-29T04:10"));
        assert_eq!(d.to_resolve, Span::Minutes(90));
        // New York: 01:50 EST to 03:05 EDT is 15 minutes.
        let d = Durations::from_key_times(&typed("America/New_York", "2026-03-08T01:50", "2026-03-08T03:05", "", ""));
        assert_eq!(d.to_detect, Span::Minutes(15));
        // Sydney (southern hemisphere, October): 01:30 AEST to 03:30 AEDT is one hour.
        let d = Durations::from_key_times(&typed("Australia/Sydney", "2026-10-04T01:30", "", "2026-10-04T03:30", ""));
        assert_eq!(d.to_mitigate, Span::Minutes(60));
    }

    #[test]
    fn durations_across_fall_back_are_the_true_elapsed_time() {
        // New York: impact 01:20 EDT; detection at 01:00 EST, the second 01:00, 40 minutes later.
        let zone = Zone::parse("America/New_York").expect("valid zone");
        let mut t = typed("America/New_York", "2026-11-01T01:20", "", "", "2026-11-01T03:00");
        t.detected = Moment::parse("2026-11-01T01:00-05:00").ok();
        assert_eq!(t.time_zone, zone);
        let d = Durations::from_key_times(&t);
        assert_eq!(d.to_detect, Span::Minutes(40), "counted, not 'before impact started'");
        assert_eq!(d.to_resolve, Span::Minutes(160));
        // Berlin: 02:30 CEST to 02:30 CET (the repeated hour, both times) is one hour.
        let mut t = typed("Europe/Berlin", "2026-10-25T02:30", "", "", "");
        t.resolved = Moment::parse("2026-10-25T02:30+01:00").ok();
        assert_eq!(Durations::from_key_times(&t).to_resolve, Span::Minutes(60));
        // Sydney (April): 02:30 AEDT to 02:15 AEST is 45 minutes.
        let mut t = typed("Australia/Sydney", "2026-04-05T02:30", "", "", "");
        t.mitigated = Moment::parse("2026-04-05T02:15+10:00").ok();
        assert_eq!(Durations::from_key_times(&t).to_mitigate, Span::Minutes(45));
    }

    #[test]
    fn missing_times_name_what_is_missing() {
        let d = Durations::from_key_times(&times("", "2026-05-01T09:12", "", ""));
        assert_eq!(d.to_detect, Span::Missing(KeyTime::ImpactStarted));
        let d = Durations::from_key_times(&times("2026-05-01T09:00", "", "", ""));
        assert_eq!(d.to_detect, Span::Missing(KeyTime::Detected));
        assert_eq!(d.total_impact, Span::Missing(KeyTime::Mitigated));
    }

    #[test]
    fn total_impact_falls_back_to_resolution() {
        let d = Durations::from_key_times(&times("2026-05-01T09:00", "", "", "2026-05-01T09:40"));
        assert_eq!(d.total_impact, Span::Minutes(40));
    }

    #[test]
    fn out_of_order_times_never_go_negative() {
        let d = Durations::from_key_times(&times(
            "2026-05-01T09:00",
            "2026-05-01T08:00",
            "2026-05-01T08:59",
            "2026-05-01T09:00",
        ));
        assert_eq!(d.to_detect, Span::OutOfOrder { from: KeyTime::ImpactStarted, to: KeyTime::Detected });
        assert_eq!(d.to_mitigate.minutes(), None);
        assert_eq!(d.to_resolve, Span::Minutes(0));
        assert!(d.to_detect.to_string().contains("before"));
    }

    #[test]
    fn minutes_read_naturally() {
        assert_eq!(format_minutes(0), "0 min");
        assert_eq!(format_minutes(45), "45 min");
        assert_eq!(format_minutes(125), "2 h 05 min");
        assert_eq!(format_minutes(3 * 24 * 60 + 4 * 60 + 5), "3 d 4 h");
        assert_eq!(format_minutes(-5), "0 min");
        assert_eq!(relative_label(12), "T+12 min");
        assert_eq!(relative_label(-65), "T−1 h 05 min");
    }
}
