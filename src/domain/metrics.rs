//! Learning metrics over a set of postmortems: how often, how severe, how long to detect,
//! mitigate and resolve (medians and spread, not just means), and follow-through.

use super::durations::Span;
use super::model::{ActionStatus, Postmortem, Severity, Verdict};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use std::collections::BTreeMap;

/// Summary statistics of a list of numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stats {
    pub count: usize,
    pub median: f64,
    /// 90th percentile by the nearest-rank method.
    pub p90: f64,
    pub mean: f64,
    pub min: f64,
    pub max: f64,
}

/// Statistics of `values`, or `None` when there are none.
pub fn stats(values: &[f64]) -> Option<Stats> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    super::order::sort_by(&mut sorted, f64::total_cmp);
    let n = sorted.len();
    let median = if n % 2 == 1 { sorted[n / 2] } else { (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0 };
    // Nearest rank: the smallest value with at least 90% of values at or below it.
    let rank = ((0.9 * n as f64).ceil() as usize).clamp(1, n);
    Some(Stats {
        count: n,
        median,
        p90: sorted[rank - 1],
        mean: sorted.iter().sum::<f64>() / n as f64,
        min: sorted[0],
        max: sorted[n - 1],
    })
}

/// A calendar month, for grouping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    /// The month a date falls in.
    pub fn of(date: NaiveDate) -> Self {
        Self { year: date.year(), month: date.month() }
    }

    /// The month after this one.
    pub fn next(self) -> Self {
        if self.month == 12 {
            Self { year: self.year + 1, month: 1 }
        } else {
            Self { year: self.year, month: self.month + 1 }
        }
    }

    /// The month before this one.
    pub fn previous(self) -> Self {
        if self.month == 1 { Self { year: self.year - 1, month: 12 } } else { Self { month: self.month - 1, ..self } }
    }

    /// `2026-04`.
    pub fn label(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }
}

/// Every month from `first` to `last`, inclusive, so empty months show as zero.
pub fn months_between(first: Month, last: Month) -> Vec<Month> {
    let mut out = Vec::new();
    let mut m = first;
    while m <= last && out.len() < 1200 {
        out.push(m);
        m = m.next();
    }
    out
}

/// A duration metric with the incidents it could not be computed for.
#[derive(Debug, Clone, PartialEq)]
pub struct DurationMetric {
    /// Minutes, one value per incident that has both times in order.
    pub minutes: Vec<f64>,
    pub stats: Option<Stats>,
    /// Incidents missing one of the two times (never counted as zero).
    pub missing: usize,
    /// Incidents whose times are out of order.
    pub out_of_order: usize,
}

fn duration_metric(spans: impl Iterator<Item = Span>) -> DurationMetric {
    let (mut minutes, mut missing, mut out_of_order) = (Vec::new(), 0, 0);
    for span in spans {
        match span {
            Span::Minutes(m) => minutes.push(m as f64),
            Span::Missing(_) => missing += 1,
            Span::OutOfOrder { .. } => out_of_order += 1,
        }
    }
    DurationMetric { stats: stats(&minutes), minutes, missing, out_of_order }
}

/// Which incidents to count.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// First and last day (inclusive) of the period, by impact start (creation date when unset).
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub severity: Option<Severity>,
    pub tag: Option<String>,
    pub service: Option<String>,
}

/// The date an incident counts on: when impact started (on the postmortem's clocks), or
/// when it was written up.
pub fn incident_date(pm: &Postmortem) -> NaiveDate {
    pm.key_times.impact_started.map(|t| t.local().date()).unwrap_or_else(|| pm.created_at.date_naive())
}

impl Filter {
    /// The filter in words, for paper (where its controls are not printed).
    pub fn describe(&self) -> String {
        let day = |d: Option<NaiveDate>, none: &str| d.map_or(none.to_owned(), |d| d.format("%Y-%m-%d").to_string());
        let mut out = format!("Period: {} to {}", day(self.from, "the first incident"), day(self.to, "the last"));
        out.push_str(&format!("; severity: {}", self.severity.map_or("any".to_owned(), |s| s.name().to_owned())));
        for (what, value) in [("tag", &self.tag), ("service", &self.service)] {
            if let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) {
                out.push_str(&format!("; {what}: {v}"));
            }
        }
        out.push('.');
        out
    }

    /// Whether `pm` is in the period and matches every filter. Trashed postmortems never are.
    pub fn matches(&self, pm: &Postmortem) -> bool {
        let day = incident_date(pm);
        pm.deleted_at.is_none()
            && self.from.is_none_or(|from| day >= from)
            && self.to.is_none_or(|to| day <= to)
            && self.severity.is_none_or(|s| pm.severity == Some(s))
            && self
                .tag
                .as_ref()
                .is_none_or(|t| pm.tags.iter().any(|x| x.trim().to_lowercase() == t.trim().to_lowercase()))
            && self
                .service
                .as_ref()
                .is_none_or(|s| pm.services.iter().any(|x| x.trim().to_lowercase() == s.trim().to_lowercase()))
    }
}

/// Every metric the metrics page shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    pub incidents: usize,
    /// Incidents per month, split by severity level (index 0 = SEV1 ... 3 = SEV4, 4 = not set).
    pub per_month: Vec<(Month, [usize; 5])>,
    pub to_detect: DurationMetric,
    pub to_mitigate: DurationMetric,
    pub to_resolve: DurationMetric,
    /// Days between consecutive impact starts.
    pub between_incidents: Option<Stats>,
    pub action_items: usize,
    pub actions_done: usize,
    /// Of the done items with a verdict, how many worked.
    pub actions_reviewed: usize,
    pub actions_effective: usize,
    /// Action items created and completed per month (by `created_on` and `done_on`).
    pub actions_per_month: Vec<(Month, usize, usize)>,
    /// Days from creation to done, for done items with both dates.
    pub days_to_close: Option<Stats>,
    /// Services and tags that appear in more than one incident, with their counts.
    pub repeat_services: Vec<(String, usize)>,
    pub repeat_tags: Vec<(String, usize)>,
}

/// Names that appear in more than one incident, each counted once per incident.
fn repeats<'a>(per_incident: impl Iterator<Item = &'a Vec<String>>) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for names in per_incident {
        let mut seen = std::collections::BTreeSet::new();
        for name in names {
            let key = name.trim().to_lowercase();
            if seen.insert(key.clone()) {
                counts.entry(key).or_insert_with(|| (name.trim().to_owned(), 0)).1 += 1;
            }
        }
    }
    let mut out: Vec<(String, usize)> = counts.into_values().filter(|(_, n)| *n > 1).collect();
    super::order::sort_by(&mut out, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// Computes every metric over the postmortems `filter` selects.
pub fn compute(postmortems: &[Postmortem], filter: &Filter) -> Metrics {
    let chosen: Vec<&Postmortem> = postmortems.iter().filter(|pm| filter.matches(pm)).collect();
    let mut months: BTreeMap<Month, [usize; 5]> = BTreeMap::new();
    for pm in &chosen {
        let slot = pm.severity.map_or(4, |s| usize::from(s.level()) - 1);
        months.entry(Month::of(incident_date(pm))).or_default()[slot] += 1;
    }
    let per_month = match (months.keys().next(), months.keys().next_back()) {
        (Some(first), Some(last)) => {
            // Show the whole chosen period, unless it is absurdly long: the data's own
            // months must always fit.
            let span = |a: Month, b: Month| (b.year - a.year) * 12 + b.month as i32 - a.month as i32;
            let wide_first = filter.from.map(Month::of).map_or(*first, |f| f.min(*first));
            let wide_last = filter.to.map(Month::of).map_or(*last, |l| l.max(*last));
            let (first, last) =
                if span(wide_first, wide_last) < 240 { (wide_first, wide_last) } else { (*first, *last) };
            months_between(first, last).into_iter().map(|m| (m, months.get(&m).copied().unwrap_or_default())).collect()
        }
        _ => Vec::new(),
    };
    let durations: Vec<_> = chosen.iter().map(|pm| pm.durations()).collect();
    let mut starts: Vec<DateTime<Utc>> =
        chosen.iter().filter_map(|pm| pm.key_times.impact_started.map(|t| t.instant())).collect();
    super::order::sort_by(&mut starts, Ord::cmp);
    let gaps: Vec<f64> = starts.windows(2).map(|w| (w[1] - w[0]).num_minutes() as f64 / (24.0 * 60.0)).collect();
    let items: Vec<_> = chosen.iter().flat_map(|pm| pm.action_items.iter()).collect();
    let done: Vec<_> = items.iter().filter(|a| a.status == ActionStatus::Done).collect();
    let reviewed: Vec<_> = done.iter().filter(|a| matches!(a.verdict, Some(v) if v != Verdict::TooEarly)).collect();
    let mut action_months: BTreeMap<Month, (usize, usize)> = BTreeMap::new();
    for a in &items {
        if let Some(created) = a.created_on {
            action_months.entry(Month::of(created)).or_default().0 += 1;
        }
        if let (ActionStatus::Done, Some(done)) = (a.status, a.done_on) {
            action_months.entry(Month::of(done)).or_default().1 += 1;
        }
    }
    let actions_per_month = match (action_months.keys().next(), action_months.keys().next_back()) {
        (Some(first), Some(last)) => months_between(*first, *last)
            .into_iter()
            .map(|m| {
                let (c, d) = action_months.get(&m).copied().unwrap_or_default();
                (m, c, d)
            })
            .collect(),
        _ => Vec::new(),
    };
    let close_days: Vec<f64> =
        done.iter().filter_map(|a| Some((a.done_on? - a.created_on?).num_days().max(0) as f64)).collect();
    Metrics {
        actions_per_month,
        days_to_close: stats(&close_days),
        incidents: chosen.len(),
        per_month,
        to_detect: duration_metric(durations.iter().map(|d| d.to_detect)),
        to_mitigate: duration_metric(durations.iter().map(|d| d.to_mitigate)),
        to_resolve: duration_metric(durations.iter().map(|d| d.to_resolve)),
        between_incidents: stats(&gaps),
        action_items: items.len(),
        actions_done: done.len(),
        actions_reviewed: reviewed.len(),
        actions_effective: reviewed.iter().filter(|a| a.verdict == Some(Verdict::Worked)).count(),
        repeat_services: repeats(chosen.iter().map(|pm| &pm.services)),
        repeat_tags: repeats(chosen.iter().map(|pm| &pm.tags)),
    }
}

/// Quotes one CSV field as RFC 4180 asks: in double quotes when it holds a comma, quote
/// or line break, with quotes doubled. A leading `=`, `+`, `-` or `@` gets an apostrophe so
/// spreadsheets do not run it as a formula.
pub fn csv_field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) && text.parse::<f64>().is_err() {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
}

/// Rows as CSV text with CRLF line ends.
pub fn csv(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = header.iter().map(|h| csv_field(h)).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    for row in rows {
        out.push_str(&row.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_reads_as_words_for_paper() {
        assert_eq!(Filter::default().describe(), "Period: the first incident to the last; severity: any.");
        let f = Filter {
            from: NaiveDate::from_ymd_opt(2026, 1, 1),
            to: None,
            severity: Severity::new(1),
            tag: Some("dns".into()),
            service: Some(" ".into()),
        };
        assert_eq!(
            f.describe(),
            format!(
                "Period: 2026-01-01 to the last; severity: {}; tag: dns.",
                Severity::new(1).map(|s| s.name()).unwrap_or_default()
            )
        );
    }
    use crate::domain::model::{ActionType, PostmortemId};
    use crate::domain::time::{Moment, UtcOffset, Zone, parse_local_time};

    #[test]
    fn stats_by_hand() {
        assert_eq!(stats(&[]), None);
        let one = stats(&[7.0]).expect("one value");
        assert_eq!((one.median, one.p90, one.mean), (7.0, 7.0, 7.0));
        let s = stats(&[10.0, 1.0, 3.0, 2.0, 100.0, 4.0, 5.0, 6.0, 7.0, 8.0]).expect("values");
        assert_eq!(s.median, 5.5);
        assert_eq!(s.p90, 10.0, "nearest rank: the 9th of 10 sorted values");
        assert_eq!(s.mean, 14.6);
        assert_eq!((s.min, s.max, s.count), (1.0, 100.0, 10));
        assert_eq!(stats(&[1.0, 2.0, 3.0]).map(|s| s.p90), Some(3.0));
    }

    fn incident(start: &str, detect_minutes: Option<i64>, severity: u8, offset: i32) -> Postmortem {
        let mut pm = Postmortem::new(PostmortemId::random(), chrono::Utc::now());
        pm.severity = Severity::new(severity);
        let offset = UtcOffset::from_minutes(offset).unwrap_or_default();
        pm.key_times.time_zone = Zone::Fixed(offset);
        pm.key_times.impact_started = parse_local_time(start).and_then(|t| Moment::at_offset(t, offset.fixed()));
        pm.key_times.detected = detect_minutes.and_then(|m| {
            pm.key_times
                .impact_started
                .map(|t| Moment::from_instant(t.instant() + chrono::Duration::minutes(m), t.offset()))
        });
        pm
    }

    #[test]
    fn missing_times_are_excluded_not_zero_and_months_fill_gaps() {
        let mut pms = vec![
            incident("2026-01-31T23:30", Some(10), 1, 0),
            incident("2026-03-01T00:10", Some(30), 2, 0),
            incident("2026-03-15T12:00", None, 2, 0),
            incident("2026-03-20T12:00", Some(20), 4, 0),
        ];
        pms[1].tags = vec!["dns".into()];
        pms[2].tags = vec!["DNS".into()];
        pms[3].tags = vec!["Éclair".into(), "éclair".into()];
        let m = compute(&pms, &Filter::default());
        assert_eq!(m.incidents, 4);
        assert_eq!(m.to_detect.minutes, [10.0, 30.0, 20.0]);
        assert_eq!(m.to_detect.missing, 1);
        assert_eq!(m.to_detect.stats.map(|s| s.median), Some(20.0));
        let months: Vec<(String, [usize; 5])> = m.per_month.iter().map(|(mo, c)| (mo.label(), *c)).collect();
        assert_eq!(
            months,
            [("2026-01".into(), [1, 0, 0, 0, 0]), ("2026-02".into(), [0; 5]), ("2026-03".into(), [0, 2, 0, 1, 0])]
        );
        assert_eq!(m.repeat_tags, [("dns".to_owned(), 2)], "one incident's case variants are not a repeat");
        let ancient = Filter { from: NaiveDate::from_ymd_opt(1900, 1, 1), ..Filter::default() };
        let months = compute(&pms, &ancient).per_month;
        assert_eq!(months.last().map(|(m, _)| m.label()).as_deref(), Some("2026-03"), "recent months never drop off");
        let spaced = Filter { tag: Some(" DNS ".into()), ..Filter::default() };
        assert_eq!(compute(&pms, &spaced).incidents, 2);
    }

    #[test]
    fn time_between_incidents_uses_utc_across_offsets() {
        // 10:00 at UTC+02:00 is 08:00 UTC; the next starts 09:00 UTC the day after.
        let pms = vec![incident("2026-05-01T10:00", None, 3, 120), incident("2026-05-02T09:00", None, 3, 0)];
        let m = compute(&pms, &Filter::default());
        let gap = m.between_incidents.map(|s| s.median).unwrap_or_default();
        assert!((gap - 25.0 / 24.0).abs() < 1e-9, "{gap}");
    }

    #[test]
    fn filters_and_follow_through() {
        let mut a = incident("2026-02-10T10:00", Some(5), 1, 0);
        a.services = vec!["checkout".into()];
        a.add_action_item(ActionType::Prevent, "x");
        a.add_action_item(ActionType::Detect, "y");
        a.action_items[0].status = ActionStatus::Done;
        a.action_items[0].verdict = Some(Verdict::Worked);
        a.action_items[1].status = ActionStatus::Done;
        a.action_items[1].verdict = Some(Verdict::TooEarly);
        a.action_items[0].created_on = NaiveDate::from_ymd_opt(2026, 2, 10);
        a.action_items[0].done_on = NaiveDate::from_ymd_opt(2026, 4, 1);
        a.action_items[1].created_on = NaiveDate::from_ymd_opt(2026, 2, 11);
        a.action_items[1].done_on = NaiveDate::from_ymd_opt(2026, 2, 21);
        let b = incident("2026-04-10T10:00", Some(50), 2, 0);
        let mut trashed = incident("2026-02-11T10:00", Some(1), 1, 0);
        trashed.trash(chrono::Utc::now());
        let all = vec![a, b, trashed];
        let feb = Filter {
            from: NaiveDate::from_ymd_opt(2026, 2, 1),
            to: NaiveDate::from_ymd_opt(2026, 2, 28),
            ..Filter::default()
        };
        let m = compute(&all, &feb);
        assert_eq!(m.incidents, 1);
        assert_eq!((m.action_items, m.actions_done, m.actions_reviewed, m.actions_effective), (2, 2, 1, 1));
        let per_month: Vec<(String, usize, usize)> =
            m.actions_per_month.iter().map(|(mo, c, d)| (mo.label(), *c, *d)).collect();
        assert_eq!(per_month, [("2026-02".into(), 2, 1), ("2026-03".into(), 0, 0), ("2026-04".into(), 0, 1)]);
        assert_eq!(m.days_to_close.map(|s| (s.min, s.max, s.median)), Some((10.0, 50.0, 30.0)));
        assert_eq!(compute(&all, &Filter { service: Some("CHECKOUT".into()), ..Filter::default() }).incidents, 1);
        assert_eq!(compute(&all, &Filter { severity: Severity::new(2), ..Filter::default() }).incidents, 1);
        let empty = compute(&[], &Filter::default());
        assert_eq!((empty.incidents, empty.per_month.len(), empty.to_detect.stats), (0, 0, None));
    }

    #[test]
    fn csv_quotes_as_rfc_4180_and_defuses_formulas() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("-12.5"), "-12.5");
        assert_eq!(csv(&["month", "count"], &[vec!["2026-01".into(), "3".into()]]), "month,count\r\n2026-01,3\r\n");
    }
}
