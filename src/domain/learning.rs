//! The learning loop over a period: how the headline figures moved against the previous
//! period of the same length, what keeps coming back (contributing-factor categories,
//! services, tags), and a learning report to hand to the wider organisation, as
//! GitHub-flavoured Markdown and as the page the report view draws.
//!
//! Everything is computed from the postmortems in the period (by the day impact started,
//! or the day written up), trashed ones left out. The report is made from copies with names
//! replaced by roles when asked (`redact`).

use super::durations::format_minutes;
use super::markdown::{block, inline};
use super::metrics::{Filter, Month, Stats, compute, incident_date, months_between};
use super::model::{ActionStatus, FactorCategory, LessonKind, Postmortem, PostmortemId, Severity, Verdict};
use super::redact::Roles;
use super::summary::Summary;
use chrono::{Datelike, Duration, NaiveDate};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The fewest incidents with a figure, in each of two periods, for a comparison to say
/// anything: below it, the report says so instead of a percentage.
pub const MIN_TO_COMPARE: usize = 3;

/// The most overdue action items a report lists by name; the rest are counted, and the
/// action items page lists them all.
pub const LISTED_OVERDUE: usize = 25;

/// A span of days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The calendar quarter `day` falls in.
    pub fn quarter_of(day: NaiveDate) -> Self {
        let first_month = (day.month0() / 3) * 3 + 1;
        let from = NaiveDate::from_ymd_opt(day.year(), first_month, 1).unwrap_or(day);
        let next = if first_month == 10 {
            NaiveDate::from_ymd_opt(day.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(day.year(), first_month + 3, 1)
        };
        Self { from, to: next.and_then(|n| n.pred_opt()).unwrap_or(day) }
    }

    /// How many days it spans.
    pub fn days(self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// The period of the same length just before this one (for a calendar quarter, the
    /// previous calendar quarter).
    pub fn previous(self) -> Self {
        if self == Self::quarter_of(self.from) {
            return Self::quarter_of(self.from - Duration::days(1));
        }
        let to = self.from - Duration::days(1);
        Self { from: to - Duration::days(self.days() - 1), to }
    }

    /// `Q2 2026` for a calendar quarter, else `2026-04-01 to 2026-05-15`.
    pub fn label(self) -> String {
        if self == Self::quarter_of(self.from) {
            format!("Q{} {}", self.from.month0() / 3 + 1, self.from.year())
        } else {
            format!("{} to {}", self.from.format("%Y-%m-%d"), self.to.format("%Y-%m-%d"))
        }
    }

    /// What to call the period before, in a sentence: "the previous quarter" or "the
    /// previous 45 days".
    pub fn previous_words(self) -> String {
        if self == Self::quarter_of(self.from) {
            "the previous quarter".to_owned()
        } else {
            format!("the previous {} days", self.days())
        }
    }

    /// Whether `day` is in the period.
    pub fn contains(self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }
}

/// Which way a figure moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
    Same,
    /// Up from zero, where a percentage says nothing.
    UpFromZero,
}

/// One headline figure this period against the previous one.
#[derive(Debug, Clone, PartialEq)]
pub struct Compared {
    /// "Median time to resolve".
    pub name: &'static str,
    pub now: Option<f64>,
    pub before: Option<f64>,
    /// How many incidents each value rests on.
    pub now_count: usize,
    pub before_count: usize,
    /// The change in percent, when both periods have enough to compare.
    pub change: Option<(Direction, u32)>,
    /// Whether the figure is a duration in minutes (else a count).
    pub minutes: bool,
}

impl Compared {
    fn new(name: &'static str, now: (Option<f64>, usize), before: (Option<f64>, usize), minutes: bool) -> Self {
        let enough = now.1 >= MIN_TO_COMPARE && before.1 >= MIN_TO_COMPARE;
        let change = match (now.0, before.0) {
            (Some(n), Some(b)) if enough && b <= 0.0 => {
                Some(if n > 0.0 { (Direction::UpFromZero, 0) } else { (Direction::Same, 0) })
            }
            (Some(n), Some(b)) if enough => {
                let pct = ((n - b) / b * 100.0).round();
                let direction = if pct > 0.0 {
                    Direction::Up
                } else if pct < 0.0 {
                    Direction::Down
                } else {
                    Direction::Same
                };
                Some((direction, pct.abs().min(f64::from(u32::MAX)) as u32))
            }
            _ => None,
        };
        Self { name, now: now.0, before: before.0, now_count: now.1, before_count: before.1, change, minutes }
    }

    fn shown(&self, value: Option<f64>) -> String {
        match value {
            None => "—".to_owned(),
            Some(v) if self.minutes => format_minutes(v.round() as i64),
            Some(v) => format!("{v:.0}"),
        }
    }

    /// The change in words: "up 12%", "down 3%", "no change" or "too few to compare".
    pub fn change_words(&self) -> String {
        match self.change {
            Some((Direction::Up, p)) => format!("up {p}%"),
            Some((Direction::Down, p)) => format!("down {p}%"),
            Some((Direction::Same, _)) => "no change".to_owned(),
            Some((Direction::UpFromZero, _)) => format!("up from {}", self.before_text()),
            None => "too few to compare".to_owned(),
        }
    }

    /// The figure now, in words.
    pub fn now_text(&self) -> String {
        self.shown(self.now)
    }

    /// The figure in the previous period, in words.
    pub fn before_text(&self) -> String {
        self.shown(self.before)
    }

    /// One sentence: "Median time to resolve 6 h 41 min, down 18% from the previous
    /// quarter (8 h 10 min)." or why there is no comparison.
    pub fn sentence(&self, period: Period) -> String {
        let previous = period.previous_words();
        match (self.now, self.change) {
            (None, _) => format!("{}: no incident this period has the times it needs.", self.name),
            (Some(_), Some((Direction::Same, _))) => {
                format!("{} {}, the same as {previous}.", self.name, self.now_text())
            }
            (Some(_), Some((Direction::UpFromZero, _))) => {
                format!("{} {}, up from {} in {previous}.", self.name, self.now_text(), self.before_text())
            }
            (Some(_), Some((direction, pct))) => format!(
                "{} {}, {} {pct}% from {previous} ({}).",
                self.name,
                self.now_text(),
                if direction == Direction::Up { "up" } else { "down" },
                self.before_text()
            ),
            (Some(_), None) => format!(
                "{} {}. Too few incidents to compare with {previous} ({} this period, {} before; at least {MIN_TO_COMPARE} in each are needed).",
                self.name,
                self.now_text(),
                self.now_count,
                self.before_count
            ),
        }
    }
}

/// Something that keeps coming back, with the postmortems behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub name: String,
    /// Postmortems in the period that have it, newest first.
    pub postmortems: Vec<(PostmortemId, String)>,
    /// How many postmortems in the previous period had it.
    pub before: usize,
}

/// Totals of what the period's postmortems share, most frequent first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Themes {
    pub categories: Vec<Theme>,
    pub services: Vec<Theme>,
    pub tags: Vec<Theme>,
}

fn tally(now: &[&Postmortem], before: &[&Postmortem], names: impl Fn(&Postmortem) -> Vec<String>) -> Vec<Theme> {
    let mut found: BTreeMap<String, Theme> = BTreeMap::new();
    for pm in now {
        for (key, name) in distinct(names(pm)) {
            found
                .entry(key)
                .or_insert_with(|| Theme { name, postmortems: Vec::new(), before: 0 })
                .postmortems
                .push((pm.id, pm.display_title().to_owned()));
        }
    }
    for theme in found.values_mut() {
        let key = theme.name.to_lowercase();
        theme.before = before.iter().filter(|pm| names(pm).iter().any(|n| n.trim().to_lowercase() == key)).count();
    }
    let mut out: Vec<Theme> = found.into_values().collect();
    super::order::sort_by(&mut out, |a, b| b.postmortems.len().cmp(&a.postmortems.len()).then(a.name.cmp(&b.name)));
    out
}

/// Each of `names` once, ignoring case and the spaces around (blank ones left out): its key
/// (trimmed, in lower case) and the name as written (trimmed).
pub(super) fn distinct(names: Vec<String>) -> Vec<(String, String)> {
    let mut seen = std::collections::BTreeSet::new();
    names
        .into_iter()
        .filter_map(|name| {
            let key = name.trim().to_lowercase();
            (!key.is_empty() && seen.insert(key.clone())).then(|| (key, name.trim().to_owned()))
        })
        .collect()
}

fn categories(pm: &Postmortem) -> Vec<String> {
    pm.factors.iter().map(|f| f.category.label().to_owned()).collect()
}

/// The themes of the postmortems in `period`, each with how often it came up before.
pub fn themes(postmortems: &[&Postmortem], period: Period) -> Themes {
    let (now, before) = split(postmortems, period);
    Themes {
        categories: tally(&now, &before, categories),
        services: tally(&now, &before, |pm| pm.services.clone()),
        tags: tally(&now, &before, |pm| pm.tags.clone()),
    }
}

/// How often the most frequent themes of one kind came up, month by month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeTrend {
    /// Every month of the span, oldest first.
    pub months: Vec<Month>,
    /// The themes, most postmortems over the span first (ties in name order).
    pub names: Vec<String>,
    /// For each month, how many postmortems had each theme (in `names`' order).
    pub counts: Vec<Vec<usize>>,
}

/// Contributing-factor categories, services and tags month by month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeTrends {
    /// Contributing-factor categories.
    pub categories: ThemeTrend,
    /// Services affected.
    pub services: ThemeTrend,
    /// Tags.
    pub tags: ThemeTrend,
}

/// The months a theme trend covers: the `count` months that end with the one `last` falls in.
pub fn trend_months(last: NaiveDate, count: usize) -> Vec<Month> {
    let end = Month::of(last);
    let first = (1..count.max(1)).fold(end, |m, _| m.previous());
    months_between(first, end)
}

/// The `top` most frequent themes of each kind over `months`, counted month by month (a
/// postmortem counts once per theme, by the month its incident started; trashed ones are
/// left out). Names compare ignoring case and are written as the newest postmortem writes them.
pub fn theme_trends(postmortems: &[&Postmortem], months: &[Month], top: usize) -> ThemeTrends {
    let mut within: Vec<&Postmortem> = postmortems
        .iter()
        .copied()
        .filter(|pm| pm.deleted_at.is_none() && months.contains(&Month::of(incident_date(pm))))
        .collect();
    super::order::sort_by(&mut within, |a, b| incident_date(b).cmp(&incident_date(a)));
    let trend = |names: &dyn Fn(&Postmortem) -> Vec<String>| {
        // key → (name as newest written, total, per month)
        let mut found: BTreeMap<String, (String, usize, Vec<usize>)> = BTreeMap::new();
        for pm in &within {
            let slot = months.iter().position(|m| *m == Month::of(incident_date(pm))).unwrap_or(0);
            for (key, name) in distinct(names(pm)) {
                let entry = found.entry(key).or_insert_with(|| (name, 0, vec![0; months.len()]));
                entry.1 += 1;
                entry.2[slot] += 1;
            }
        }
        let mut list: Vec<(String, usize, Vec<usize>)> = found.into_values().collect();
        super::order::sort_by(&mut list, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        list.truncate(top);
        ThemeTrend {
            months: months.to_vec(),
            names: list.iter().map(|(n, _, _)| n.clone()).collect(),
            counts: (0..months.len()).map(|i| list.iter().map(|(_, _, per)| per[i]).collect()).collect(),
        }
    };
    ThemeTrends {
        categories: trend(&categories),
        services: trend(&|pm| pm.services.clone()),
        tags: trend(&|pm| pm.tags.clone()),
    }
}

impl ThemeTrend {
    /// The trend as CSV: a row per month, a column per theme.
    pub fn csv(&self) -> String {
        let header: Vec<&str> = std::iter::once("month").chain(self.names.iter().map(String::as_str)).collect();
        let rows: Vec<Vec<String>> = self
            .months
            .iter()
            .zip(&self.counts)
            .map(|(m, c)| std::iter::once(m.label()).chain(c.iter().map(usize::to_string)).collect())
            .collect();
        super::metrics::csv(&header, &rows)
    }
}

/// The postmortems in `period` and in the period before, newest first, trashed ones left out.
fn split<'a>(postmortems: &[&'a Postmortem], period: Period) -> (Vec<&'a Postmortem>, Vec<&'a Postmortem>) {
    let previous = period.previous();
    let pick = |p: Period| {
        let mut out: Vec<&Postmortem> =
            postmortems.iter().copied().filter(|pm| pm.deleted_at.is_none() && p.contains(incident_date(pm))).collect();
        super::order::sort_by(&mut out, |a, b| incident_date(b).cmp(&incident_date(a)));
        out
    };
    (pick(period), pick(previous))
}

/// Other postmortems that share a contributing-factor category or a service with `pm`,
/// most shared first (then newest), at most `limit`; each with what it shares.
pub fn similar(pm: &Postmortem, others: &[Postmortem], limit: usize) -> Vec<(PostmortemId, String, Vec<String>)> {
    let mine_categories: Vec<FactorCategory> = pm.factors.iter().map(|f| f.category).collect();
    let lower = |v: &[String]| v.iter().map(|s| s.trim().to_lowercase()).collect::<Vec<_>>();
    let mine_services = lower(&pm.services);
    let mut out: Vec<(usize, NaiveDate, PostmortemId, String, Vec<String>)> = Vec::new();
    for other in others.iter().filter(|o| o.id != pm.id && o.deleted_at.is_none()) {
        let mut shared: Vec<String> = Vec::new();
        for category in FactorCategory::ALL.iter().filter(|c| mine_categories.contains(c)) {
            if other.factors.iter().any(|f| f.category == *category) {
                shared.push(category.label().to_owned());
            }
        }
        for service in &other.services {
            if mine_services.contains(&service.trim().to_lowercase()) && !shared.contains(service) {
                shared.push(service.trim().to_owned());
            }
        }
        if !shared.is_empty() {
            out.push((shared.len(), incident_date(other), other.id, other.display_title().to_owned(), shared));
        }
    }
    super::order::sort_by(&mut out, |a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    out.into_iter().take(limit).map(|(_, _, id, title, shared)| (id, title, shared)).collect()
}

/// A lesson with the postmortem it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gathered {
    pub text: String,
    pub from: String,
    /// The postmortem it came from.
    pub id: PostmortemId,
    /// When it was due, for an overdue action item.
    pub due: Option<NaiveDate>,
}

/// The learning report for one period.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub period: Period,
    pub incidents: usize,
    /// Incidents by severity (index 0 = SEV1 ... 3 = SEV4, 4 = not set).
    pub severity_mix: [usize; 5],
    pub figures: Vec<Compared>,
    pub themes: Themes,
    /// Lessons of the period's postmortems: went well, went wrong, got lucky.
    pub lessons: Vec<(LessonKind, Vec<Gathered>)>,
    /// Action items of any postmortem done in the period, and which of them worked.
    pub completed: Vec<Gathered>,
    pub worked: Vec<Gathered>,
    /// Open items past their due date on the period's last day (today, for a period not over
    /// yet), the longest overdue first (at most [`LISTED_OVERDUE`]); how many there are in
    /// all, and in how many postmortems.
    pub overdue: Vec<Gathered>,
    pub overdue_total: usize,
    pub overdue_postmortems: usize,
    /// Items of the period's postmortems that were dropped.
    pub dropped: Vec<Gathered>,
    /// The postmortem of the period: its title and summary.
    pub highlight: Option<(String, String)>,
    /// Whether names were replaced with roles.
    pub redacted: bool,
}

impl Report {
    /// What the overdue list leaves out ("And 12 more (37 overdue in 7 postmortems in all):
    /// …"); `None` when it lists every one.
    pub fn overdue_more(&self) -> Option<String> {
        let more = self.overdue_total.saturating_sub(self.overdue.len());
        let pms = if self.overdue_postmortems == 1 { "postmortem" } else { "postmortems" };
        (more > 0).then(|| {
            format!(
                "And {more} more ({} overdue in {} {pms} in all): the action items page lists every item overdue today.",
                self.overdue_total, self.overdue_postmortems
            )
        })
    }

    /// "4 incidents: 0 SEV1, 4 SEV2, 0 SEV3, 0 SEV4."
    pub fn incidents_sentence(&self) -> String {
        let mix: Vec<String> = Severity::all()
            .map(|s| format!("{} {}", self.severity_mix[usize::from(s.level()) - 1], s.name()))
            .chain((self.severity_mix[4] > 0).then(|| format!("{} without a severity", self.severity_mix[4])))
            .collect();
        let noun = if self.incidents == 1 { "incident" } else { "incidents" };
        format!("{} {noun}: {}.", self.incidents, mix.join(", "))
    }
}

fn median_of(stats: Option<Stats>) -> Option<f64> {
    stats.map(|s| s.median)
}

/// The headline figures of `period` against the period before it: incidents, and median
/// times to detect, mitigate and resolve; counting only incidents `base` (its severity,
/// tag and service) selects.
pub fn figures(postmortems: &[Postmortem], period: Period, base: &Filter) -> Vec<Compared> {
    let within = |p: Period| Filter { from: Some(p.from), to: Some(p.to), ..base.clone() };
    let (now, before) = (compute(postmortems, &within(period)), compute(postmortems, &within(period.previous())));
    let count = |d: &super::metrics::DurationMetric| d.minutes.len();
    vec![
        Compared::new(
            "Incidents",
            (Some(now.incidents as f64), now.incidents),
            (Some(before.incidents as f64), before.incidents),
            false,
        ),
        Compared::new(
            "Median time to detect",
            (median_of(now.to_detect.stats), count(&now.to_detect)),
            (median_of(before.to_detect.stats), count(&before.to_detect)),
            true,
        ),
        Compared::new(
            "Median time to mitigate",
            (median_of(now.to_mitigate.stats), count(&now.to_mitigate)),
            (median_of(before.to_mitigate.stats), count(&before.to_mitigate)),
            true,
        ),
        Compared::new(
            "Median time to resolve",
            (median_of(now.to_resolve.stats), count(&now.to_resolve)),
            (median_of(before.to_resolve.stats), count(&before.to_resolve)),
            true,
        ),
    ]
}

/// The postmortems a report of `period` reads, from the library's summaries: those whose
/// incident falls in the period or the one before it, those with an action item done in
/// the period, and those holding its [`LISTED_OVERDUE`] longest-overdue items. A library of
/// years is not read whole to report on one quarter; [`report`] over these gives the same
/// report as over every postmortem.
pub fn report_reads(summaries: &[Summary], period: Period, today: NaiveDate) -> Vec<PostmortemId> {
    let span = Period { from: period.previous().from, to: period.to };
    let late_by = overdue_on(period, today);
    let live = || summaries.iter().filter(|s| s.deleted_at.is_none());
    let mut overdue: Vec<NaiveDate> =
        live().flat_map(|s| s.open_due.iter().copied().filter(|d| *d < late_by)).collect();
    overdue.sort_unstable();
    let listed_until = overdue.get(LISTED_OVERDUE.saturating_sub(1)).or(overdue.last()).copied();
    summaries
        .iter()
        .filter(|s| {
            let live = s.deleted_at.is_none();
            span.contains(s.incident_day())
                || (live && s.done_days.iter().any(|d| period.contains(*d)))
                || (live && s.open_due.iter().any(|d| *d < late_by && Some(*d) <= listed_until))
        })
        .map(|s| s.id)
        .collect()
}

/// The day an open item must have been due before to count as overdue in a report of
/// `period`: the period's last day, or today for a period not over yet.
fn overdue_on(period: Period, today: NaiveDate) -> NaiveDate {
    period.to.min(today)
}

/// The learning report for `period` from `postmortems` (every one, or at least those
/// [`report_reads`] names) and the library's `summaries` (which count the overdue items),
/// with `highlight` as the postmortem of the period, names replaced with roles when `redact`.
pub fn report(
    postmortems: &[Postmortem],
    summaries: &[Summary],
    period: Period,
    today: NaiveDate,
    highlight: Option<PostmortemId>,
    redact: bool,
) -> Report {
    let late_by = overdue_on(period, today);
    let figures = figures(postmortems, period, &Filter::default());
    let all: Vec<&Postmortem> = postmortems.iter().collect();
    let (chosen, _) = split(&all, period);
    let mut severity_mix = [0usize; 5];
    for pm in &chosen {
        severity_mix[pm.severity.map_or(4, |s: Severity| usize::from(s.level()) - 1)] += 1;
    }
    let gather = |pm: &Postmortem, text: &str, due: Option<NaiveDate>| Gathered {
        text: text.to_owned(),
        from: pm.display_title().to_owned(),
        id: pm.id,
        due,
    };
    let lessons = LessonKind::ALL
        .iter()
        .map(|kind| {
            let list = chosen
                .iter()
                .flat_map(|pm| {
                    pm.lessons
                        .list(*kind)
                        .iter()
                        .filter(|e| !e.text.trim().is_empty())
                        .map(|e| gather(pm, &e.text, None))
                })
                .collect();
            (*kind, list)
        })
        .collect();
    let live: Vec<&Postmortem> = postmortems.iter().filter(|pm| pm.deleted_at.is_none()).collect();
    let mut completed = Vec::new();
    let mut worked = Vec::new();
    let mut overdue = Vec::new();
    let mut dropped = Vec::new();
    for pm in &live {
        for (n, a) in pm.action_items.iter().enumerate() {
            let done_here = a.status == ActionStatus::Done && a.done_on.is_some_and(|d| period.contains(d));
            if done_here {
                completed.push(gather(pm, &a.description, None));
                if a.verdict == Some(Verdict::Worked) {
                    worked.push(gather(pm, &a.description, None));
                }
            }
            let open = matches!(a.status, ActionStatus::Open | ActionStatus::InProgress);
            if let Some(due) = a.due.filter(|due| open && *due < late_by) {
                overdue.push(((due, pm.id, n), gather(pm, &a.description, Some(due))));
            }
            if a.status == ActionStatus::Dropped && chosen.iter().any(|c| c.id == pm.id) {
                dropped.push(gather(pm, &a.description, None));
            }
        }
    }
    overdue.sort_unstable_by_key(|(key, _)| *key);
    overdue.truncate(LISTED_OVERDUE);
    let late = |s: &&Summary| s.deleted_at.is_none() && s.open_due.iter().any(|d| *d < late_by);
    let overdue_total =
        summaries.iter().filter(late).map(|s| s.open_due.iter().filter(|d| **d < late_by).count()).sum();
    let overdue_postmortems = summaries.iter().filter(late).count();
    let highlight = highlight
        .and_then(|id| chosen.iter().find(|pm| pm.id == id))
        .map(|pm| (pm.id, pm.display_title().to_owned(), pm.summary.clone()));
    let highlight_id = highlight.as_ref().map(|(id, _, _)| *id);
    let mut report = Report {
        period,
        incidents: chosen.len(),
        severity_mix,
        figures,
        themes: themes(&all, period),
        lessons,
        completed,
        worked,
        overdue: overdue.into_iter().map(|(_, g)| g).collect(),
        overdue_total,
        overdue_postmortems,
        dropped,
        highlight: highlight.map(|(_, title, summary)| (title, summary)),
        redacted: redact,
    };
    if redact {
        names_to_roles(&mut report, postmortems, highlight_id);
    }
    report
}

/// Replaces names with roles in every text the report shows, each with the participants of
/// the postmortem it came from (only those postmortems are read for it).
fn names_to_roles(report: &mut Report, postmortems: &[Postmortem], highlight: Option<PostmortemId>) {
    let mut roles: BTreeMap<PostmortemId, Roles> = BTreeMap::new();
    let mut scrub = |id: PostmortemId, text: &mut String| {
        let Some(pm) = postmortems.iter().find(|pm| pm.id == id) else { return };
        let r = roles.entry(id).or_insert_with(|| Roles::new(&pm.participants));
        *text = r.text(text);
    };
    let lists = report.lessons.iter_mut().flat_map(|(_, l)| l.iter_mut()).chain(
        [&mut report.completed, &mut report.worked, &mut report.overdue, &mut report.dropped]
            .into_iter()
            .flat_map(|l| l.iter_mut()),
    );
    for g in lists {
        scrub(g.id, &mut g.text);
        scrub(g.id, &mut g.from);
    }
    let themes = &mut report.themes;
    for theme in themes.categories.iter_mut().chain(themes.services.iter_mut()).chain(themes.tags.iter_mut()) {
        if let Some((first, _)) = theme.postmortems.first().cloned() {
            scrub(first, &mut theme.name);
        }
        for (id, title) in &mut theme.postmortems {
            scrub(*id, title);
        }
    }
    if let (Some(id), Some((title, summary))) = (highlight, report.highlight.as_mut()) {
        scrub(id, title);
        scrub(id, summary);
    }
}

/// How many themes of each kind the report lists.
pub const TOP_THEMES: usize = 5;

fn theme_rows(out: &mut String, heading: &str, themes: &[Theme]) {
    if themes.is_empty() {
        return;
    }
    let _ = writeln!(out, "### {heading}\n");
    let _ = writeln!(out, "| {heading} | Postmortems | Previous period | Postmortems behind it |");
    let _ = writeln!(out, "| --- | ---: | ---: | --- |");
    for t in themes.iter().take(TOP_THEMES) {
        let titles: Vec<String> = t.postmortems.iter().map(|(_, title)| cell(title)).collect();
        let _ = writeln!(out, "| {} | {} | {} | {} |", cell(&t.name), t.postmortems.len(), t.before, titles.join("; "));
    }
    out.push('\n');
}

/// Text for a Markdown table cell: inline (which escapes pipes), line breaks as spaces.
fn cell(text: &str) -> String {
    inline(&text.replace(['\n', '\r'], " "))
}

fn list(out: &mut String, items: &[Gathered], empty: &str) {
    if items.is_empty() {
        let _ = writeln!(out, "{empty}\n");
        return;
    }
    for g in items {
        let due = g.due.map(|d| format!(", due {d}")).unwrap_or_default();
        let _ = writeln!(out, "- {} ({}{due})", inline(&g.text.replace(['\n', '\r'], " ")), inline(&g.from));
    }
    out.push('\n');
}

/// The report as GitHub-flavoured Markdown.
pub fn report_markdown(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Learning report: {}\n", r.period.label());
    let _ = writeln!(
        out,
        "{} to {}, compared with {} ({} to {}).{}\n",
        r.period.from.format("%Y-%m-%d"),
        r.period.to.format("%Y-%m-%d"),
        r.period.previous_words(),
        r.period.previous().from.format("%Y-%m-%d"),
        r.period.previous().to.format("%Y-%m-%d"),
        if r.redacted { " Names are replaced with roles." } else { "" }
    );
    let _ = writeln!(out, "## Incidents\n");
    let _ = writeln!(out, "{}\n", r.incidents_sentence());
    let _ = writeln!(out, "## Trends\n");
    let _ = writeln!(out, "| Figure | This period | Previous period | Change |");
    let _ = writeln!(out, "| --- | ---: | ---: | --- |");
    for f in &r.figures {
        let _ = writeln!(out, "| {} | {} | {} | {} |", f.name, f.now_text(), f.before_text(), f.change_words());
    }
    out.push('\n');
    for f in &r.figures {
        let _ = writeln!(out, "- {}", f.sentence(r.period));
    }
    out.push('\n');
    let _ = writeln!(out, "## Themes\n");
    if r.themes.categories.is_empty() && r.themes.services.is_empty() && r.themes.tags.is_empty() {
        let _ = writeln!(out, "No contributing factors, services or tags recorded this period.\n");
    }
    theme_rows(&mut out, "Contributing factors", &r.themes.categories);
    theme_rows(&mut out, "Services", &r.themes.services);
    theme_rows(&mut out, "Tags", &r.themes.tags);
    let _ = writeln!(out, "## Lessons\n");
    for (kind, items) in &r.lessons {
        let _ = writeln!(out, "### {}\n", kind.label());
        list(&mut out, items, "None recorded.");
    }
    let _ = writeln!(out, "## Action items\n");
    let _ = writeln!(out, "### Completed this period ({})\n", r.completed.len());
    list(&mut out, &r.completed, "None completed this period.");
    let _ = writeln!(out, "### Successes: completed and judged to have worked ({})\n", r.worked.len());
    list(&mut out, &r.worked, "None judged yet.");
    let _ = writeln!(out, "## Open risks\n");
    let _ = writeln!(out, "### Overdue ({})\n", r.overdue_total);
    list(&mut out, &r.overdue, "Nothing overdue.");
    if let Some(more) = r.overdue_more() {
        let _ = writeln!(out, "{more}\n");
    }
    let _ = writeln!(out, "### Dropped ({})\n", r.dropped.len());
    list(&mut out, &r.dropped, "Nothing dropped.");
    if let Some((title, summary)) = &r.highlight {
        let _ = writeln!(out, "## Postmortem of the period: {}\n", inline(title));
        if summary.trim().is_empty() {
            let _ = writeln!(out, "(No summary written.)\n");
        } else {
            let _ = writeln!(out, "{}\n", block(summary));
        }
    }
    out
}

/// The day a postmortem was published: its first approval, or, for one published or closed
/// without a recorded approval, the day it first left draft.
pub fn published_on(pm: &Postmortem) -> Option<NaiveDate> {
    let approved = pm.review.approvals.iter().map(|a| a.at).min();
    let published = matches!(pm.status, super::model::Status::Published | super::model::Status::Closed);
    approved.or(if published { pm.circulated_at } else { None }).map(|t| t.date_naive())
}

/// Working days (Monday to Friday) after `from` up to and including `to`: Friday to the
/// next Monday is 1. Negative when `to` is before `from`.
pub fn working_days(from: NaiveDate, to: NaiveDate) -> i64 {
    if to < from {
        return -working_days(to, from);
    }
    let weekday = |d: NaiveDate| d.weekday().num_days_from_monday() < 5;
    let days = (to - from).num_days();
    let (weeks, rest) = (days / 7, days % 7);
    let mut count = weeks * 5;
    let mut d = from + Duration::days(weeks * 7);
    for _ in 0..rest {
        d += Duration::days(1);
        if weekday(d) {
            count += 1;
        }
    }
    count
}

/// Signs of whether the postmortem practice itself is improving.
#[derive(Debug, Clone, PartialEq)]
pub struct Practice {
    /// Working days from resolved to published, for each postmortem with both.
    pub to_publish: Option<Stats>,
    pub measured: usize,
    /// Of those, how many were published within the target.
    pub within_target: usize,
    pub target_days: u32,
    /// Resolved incidents whose postmortem is not published yet (draft or in review).
    pub not_published: usize,
    /// Published or closed postmortems with no recorded publication day (written before
    /// Debrief recorded it), left out of the time to publish.
    pub day_unknown: usize,
    /// Anonymous contributions in all, and the postmortems that have any.
    pub contributions: usize,
    pub with_contributions: usize,
    pub postmortems: usize,
    /// Per month of publication: postmortems published, and their open wording findings.
    pub findings_by_month: Vec<(super::metrics::Month, usize, usize)>,
    /// Postmortems written in a template, those with required sections still empty, and
    /// how many such sections there are in all.
    pub templated: usize,
    pub incomplete: usize,
    pub empty_sections: usize,
}

/// The practice figures over `postmortems` (already chosen), with `target_days` working
/// days as the publication target and `open_findings` giving each one's open wording
/// findings (the library keeps the count, so the check need not run again).
pub fn practice(
    postmortems: &[&Postmortem],
    target_days: u32,
    open_findings: impl Fn(&Postmortem) -> usize,
) -> Practice {
    let mut delays = Vec::new();
    let mut not_published = 0;
    let mut day_unknown = 0;
    let mut months: BTreeMap<super::metrics::Month, (usize, usize)> = BTreeMap::new();
    for pm in postmortems {
        let resolved = pm.key_times.resolved.map(|t| t.local().date());
        match (resolved, published_on(pm)) {
            (Some(r), Some(p)) => delays.push(working_days(r, p).max(0) as f64),
            (_, None) if matches!(pm.status, super::model::Status::Published | super::model::Status::Closed) => {
                day_unknown += 1
            }
            (Some(_), None) => not_published += 1,
            _ => {}
        }
        if let Some(p) = published_on(pm) {
            let slot = months.entry(super::metrics::Month::of(p)).or_default();
            slot.0 += 1;
            slot.1 += open_findings(pm);
        }
    }
    let completeness: Vec<_> = postmortems.iter().filter_map(|pm| super::template::completeness(pm)).collect();
    let contributions = |pm: &Postmortem| pm.invitations.iter().map(|i| i.contributions.len()).sum::<usize>();
    Practice {
        to_publish: super::metrics::stats(&delays),
        measured: delays.len(),
        within_target: delays.iter().filter(|d| **d <= f64::from(target_days)).count(),
        target_days,
        not_published,
        day_unknown,
        contributions: postmortems.iter().map(|pm| contributions(pm)).sum(),
        with_contributions: postmortems.iter().filter(|pm| contributions(pm) > 0).count(),
        postmortems: postmortems.len(),
        findings_by_month: months.into_iter().map(|(m, (n, f))| (m, n, f)).collect(),
        templated: completeness.len(),
        incomplete: completeness.iter().filter(|c| !c.is_complete()).count(),
        empty_sections: completeness.iter().map(|c| c.missing.len()).sum(),
    }
}

/// One quarter's incidents and the spread of its times to detect, mitigate and resolve.
#[derive(Debug, Clone, PartialEq)]
pub struct QuarterRow {
    pub quarter: Period,
    pub incidents: usize,
    /// Time to detect, mitigate and resolve, in minutes.
    pub times: [Option<Stats>; 3],
}

/// Every quarter from the first incident `filter` selects to the last (at most the latest
/// 20), each with its incidents and times.
pub fn quarterly(postmortems: &[Postmortem], filter: &Filter) -> Vec<QuarterRow> {
    let days: Vec<NaiveDate> = postmortems.iter().filter(|pm| filter.matches(pm)).map(incident_date).collect();
    let (Some(first), Some(last)) = (days.iter().min(), days.iter().max()) else { return Vec::new() };
    let mut quarters = vec![Period::quarter_of(*last)];
    while let Some(q) = quarters.last().copied() {
        if q.from <= *first || quarters.len() >= 20 {
            break;
        }
        quarters.push(q.previous());
    }
    quarters.reverse();
    quarters
        .into_iter()
        .map(|quarter| {
            let narrowed = Filter {
                from: Some(filter.from.map_or(quarter.from, |f| f.max(quarter.from))),
                to: Some(filter.to.map_or(quarter.to, |t| t.min(quarter.to))),
                ..filter.clone()
            };
            let m = compute(postmortems, &narrowed);
            QuarterRow {
                quarter,
                incidents: m.incidents,
                times: [m.to_detect.stats, m.to_mitigate.stats, m.to_resolve.stats],
            }
        })
        .collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
