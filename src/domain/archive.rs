//! The library as an archive: sorting by any column and filtering by severity, status,
//! service, tag and incident date. Pure: the page keeps the choices and shows the result.

use super::model::Status;
use super::summary::Summary;
use chrono::NaiveDate;
use std::cmp::Ordering;

/// A column of the library's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Column {
    Title,
    Severity,
    Status,
    /// When impact started (the postmortem's creation when no time is set).
    #[default]
    Incident,
    Created,
}

impl Column {
    pub const ALL: [Self; 5] = [Self::Title, Self::Severity, Self::Status, Self::Incident, Self::Created];

    /// The column's heading.
    pub fn label(self) -> &'static str {
        match self {
            Self::Title => "Title",
            Self::Severity => "Severity",
            Self::Status => "Status",
            Self::Incident => "Incident",
            Self::Created => "Created",
        }
    }

    /// The direction a first click sorts in: dates and severity most recent or most
    /// severe first, words from A.
    pub fn first_direction(self) -> Direction {
        match self {
            Self::Title | Self::Status | Self::Severity => Direction::Ascending,
            Self::Incident | Self::Created => Direction::Descending,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Ascending,
    Descending,
}

/// How the list is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: Column,
    pub direction: Direction,
}

impl Default for Sort {
    fn default() -> Self {
        Self { column: Column::Incident, direction: Direction::Descending }
    }
}

impl Sort {
    /// The sort after a click on `column`'s heading: the other way round when it is
    /// already sorted by it, else its first direction.
    pub fn clicked(self, column: Column) -> Self {
        if self.column == column {
            let direction = match self.direction {
                Direction::Ascending => Direction::Descending,
                Direction::Descending => Direction::Ascending,
            };
            Self { column, direction }
        } else {
            Self { column, direction: column.first_direction() }
        }
    }
}

/// The date an incident is filed under: the day impact started, or the day the
/// postmortem was created.
pub fn incident_day(s: &Summary) -> NaiveDate {
    s.incident_start.map(|t| t.date()).unwrap_or_else(|| s.created_at.date_naive())
}

fn incident_order(a: &Summary, b: &Summary) -> Ordering {
    let when = |s: &Summary| s.incident_instant.or_else(|| s.incident_start.map(|t| t.and_utc()));
    // Postmortems without an incident time sort as if it were their creation.
    let key = |s: &Summary| when(s).unwrap_or(s.created_at);
    key(a).cmp(&key(b)).then(a.created_at.cmp(&b.created_at))
}

fn status_rank(s: Status) -> usize {
    Status::ALL.iter().position(|x| *x == s).unwrap_or(usize::MAX)
}

/// Sorts `list` by `sort`; ties keep the newest incident first.
pub fn sort(list: &mut Vec<Summary>, sort: Sort) {
    let compare = move |a: &Summary, b: &Summary| -> Ordering {
        let by_column = match sort.column {
            Column::Title => a.display_title().to_lowercase().cmp(&b.display_title().to_lowercase()),
            // Most severe (SEV1) first when ascending; unset last either way.
            Column::Severity => match (a.severity, b.severity) {
                (Some(x), Some(y)) => x.level().cmp(&y.level()),
                (Some(_), None) => return Ordering::Less,
                (None, Some(_)) => return Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
            Column::Status => status_rank(a.status).cmp(&status_rank(b.status)),
            Column::Incident => incident_order(a, b),
            Column::Created => a.created_at.cmp(&b.created_at),
        };
        let by_column = if sort.direction == Direction::Descending { by_column.reverse() } else { by_column };
        by_column.then_with(|| incident_order(b, a))
    };
    super::order::sort_by(list, compare);
}

/// Which postmortems the list shows. Empty fields filter nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub severity: Option<u8>,
    pub status: Option<Status>,
    pub service: Option<String>,
    pub tag: Option<String>,
    pub reviewer: Option<String>,
    /// Incidents on or after this day.
    pub from: Option<NaiveDate>,
    /// Incidents on or before this day.
    pub to: Option<NaiveDate>,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Whether `s` passes every filter that is set.
    pub fn matches(&self, s: &Summary) -> bool {
        let has = |wanted: &Option<String>, list: fn(&super::summary::Labels) -> &Vec<String>| {
            wanted
                .as_ref()
                .is_none_or(|w| s.labels.as_ref().is_some_and(|l| list(l).iter().any(|v| v.eq_ignore_ascii_case(w))))
        };
        let day = incident_day(s);
        self.severity.is_none_or(|level| s.severity.is_some_and(|sev| sev.level() == level))
            && self.status.is_none_or(|status| s.status == status)
            && has(&self.service, |l| &l.services)
            && has(&self.tag, |l| &l.tags)
            && has(&self.reviewer, |l| &l.reviewers)
            && self.from.is_none_or(|from| day >= from)
            && self.to.is_none_or(|to| day <= to)
    }
}

/// What the filters offer: every service, tag and reviewer in the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Choices {
    pub services: Vec<String>,
    pub tags: Vec<String>,
    pub reviewers: Vec<String>,
}

/// Every service, tag and reviewer named in `list`, each once (ignoring case), sorted.
pub fn choices(list: &[Summary]) -> Choices {
    let collect = |pick: fn(&super::summary::Labels) -> &Vec<String>| {
        let mut all: Vec<String> = Vec::new();
        for label in list.iter().filter_map(|s| s.labels.as_ref()).flat_map(|l| pick(l).iter()) {
            if !all.iter().any(|a| a.eq_ignore_ascii_case(label)) {
                all.push(label.clone());
            }
        }
        super::order::sort_by(&mut all, |a, b| a.to_lowercase().cmp(&b.to_lowercase()));
        all
    };
    Choices { services: collect(|l| &l.services), tags: collect(|l| &l.tags), reviewers: collect(|l| &l.reviewers) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Moment, Postmortem, PostmortemId, Severity};
    use chrono::{TimeZone, Utc};

    fn pm(
        title: &str,
        sev: Option<u8>,
        status: Status,
        started: Option<&str>,
        services: &[&str],
        tags: &[&str],
    ) -> Summary {
        let created = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single().unwrap_or_default();
        let mut p = Postmortem::new(PostmortemId::random(), created);
        p.title = title.into();
        p.severity = sev.and_then(Severity::new);
        p.status = status;
        p.key_times.impact_started = started.and_then(|t| Moment::parse(t).ok());
        p.services = services.iter().map(|s| s.to_string()).collect();
        p.tags = tags.iter().map(|s| s.to_string()).collect();
        p.summary()
    }

    fn reviewed(mut s: Summary, reviewers: &[&str]) -> Summary {
        if let Some(l) = s.labels.as_mut() {
            l.reviewers = reviewers.iter().map(|r| r.to_string()).collect();
        }
        s
    }

    fn list() -> Vec<Summary> {
        vec![
            reviewed(
                pm("beta DNS", Some(2), Status::Published, Some("2026-03-01T10:00:00+01:00"), &["dns"], &["network"]),
                &["SRE lead", "Priya Shah"],
            ),
            pm("Alpha checkout", Some(1), Status::Draft, Some("2026-05-01T10:00:00+02:00"), &["Checkout"], &[]),
            reviewed(pm("gamma", None, Status::Closed, None, &[], &["network", "db"]), &["priya shah"]),
            pm("Delta", Some(3), Status::InReview, Some("2025-12-24T23:30:00-08:00"), &["checkout"], &["db"]),
        ]
    }

    fn titles(list: &[Summary]) -> Vec<&str> {
        list.iter().map(|s| s.title.as_str()).collect()
    }

    #[test]
    fn every_column_sorts_both_ways() {
        let mut l = list();
        let by = |l: &mut Vec<Summary>, column, direction| {
            sort(l, Sort { column, direction });
            titles(l).into_iter().map(str::to_owned).collect::<Vec<_>>()
        };
        use Direction::*;
        assert_eq!(by(&mut l, Column::Title, Ascending), ["Alpha checkout", "beta DNS", "Delta", "gamma"]);
        assert_eq!(by(&mut l, Column::Title, Descending), ["gamma", "Delta", "beta DNS", "Alpha checkout"]);
        assert_eq!(by(&mut l, Column::Severity, Ascending), ["Alpha checkout", "beta DNS", "Delta", "gamma"]);
        assert_eq!(by(&mut l, Column::Severity, Descending)[3], "gamma", "unset severity last both ways");
        assert_eq!(by(&mut l, Column::Status, Ascending), ["Alpha checkout", "Delta", "beta DNS", "gamma"]);
        assert_eq!(by(&mut l, Column::Incident, Descending), ["Alpha checkout", "beta DNS", "gamma", "Delta"]);
        assert_eq!(by(&mut l, Column::Incident, Ascending), ["Delta", "gamma", "beta DNS", "Alpha checkout"]);
    }

    #[test]
    fn a_click_flips_the_sorted_column_and_starts_others_their_natural_way() {
        let s = Sort::default();
        assert_eq!(s.clicked(Column::Incident).direction, Direction::Ascending);
        assert_eq!(s.clicked(Column::Title), Sort { column: Column::Title, direction: Direction::Ascending });
        assert_eq!(s.clicked(Column::Created).direction, Direction::Descending);
    }

    #[test]
    fn filters_combine_and_ignore_case() {
        let l = list();
        let shown = |f: &Filter| titles(&l.iter().filter(|s| f.matches(s)).cloned().collect::<Vec<_>>()).len();
        assert_eq!(shown(&Filter::default()), 4);
        assert_eq!(shown(&Filter { service: Some("CHECKOUT".into()), ..Filter::default() }), 2);
        assert_eq!(shown(&Filter { tag: Some("db".into()), severity: Some(3), ..Filter::default() }), 1);
        assert_eq!(shown(&Filter { status: Some(Status::Closed), ..Filter::default() }), 1);
        assert_eq!(shown(&Filter { reviewer: Some("Priya Shah".into()), ..Filter::default() }), 2);
        assert_eq!(shown(&Filter { reviewer: Some("SRE lead".into()), ..Filter::default() }), 1);
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        // Delta started on 24 December on its own clocks (25 December in UTC).
        assert_eq!(shown(&Filter { from: day("2025-12-24"), to: day("2025-12-24"), ..Filter::default() }), 1);
        assert_eq!(
            shown(&Filter { from: day("2026-01-01"), to: day("2026-03-31"), ..Filter::default() }),
            2,
            "gamma by its creation"
        );
        assert!(Filter::default().is_empty());
    }

    #[test]
    fn choices_list_each_service_and_tag_once() {
        let c = choices(&list());
        assert_eq!(c.services, ["Checkout", "dns"]);
        assert_eq!(c.tags, ["db", "network"]);
        assert_eq!(c.reviewers, ["Priya Shah", "SRE lead"]);
    }
}
