//! What the library list shows of a postmortem without reading the whole document: its
//! title, status and dates, how many wording findings are open, which action items are
//! due and how complete its template is. Making one runs the wording check.

use super::model::{ActionStatus, Postmortem, PostmortemId, Severity, Status, display_title};
use super::template::{Completeness, completeness};
use super::wording::open_findings;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

/// What the library list needs to know about a postmortem, without the whole document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub id: PostmortemId,
    pub title: String,
    pub status: Status,
    pub severity: Option<Severity>,
    /// When impact started, on the postmortem's clocks.
    pub incident_start: Option<NaiveDateTime>,
    /// The same moment as an instant, which orders incidents in different zones truly.
    /// Summaries kept before it existed read without it (and order by `incident_start`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub incident_instant: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub deleted_at: Option<DateTime<Utc>>,
    /// Wording-assistant findings not yet resolved or dismissed.
    #[serde(default)]
    pub open_findings: u32,
    /// Due dates of action items not yet done or dropped, for overdue reminders.
    #[serde(default)]
    pub open_due: Vec<NaiveDate>,
    /// Required template sections and which are still empty; `None` without a template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completeness: Option<Completeness>,
    /// Services and tags, for the library's filters. `None` in summaries kept before they
    /// were listed, which the library makes again from their documents once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub labels: Option<Labels>,
    /// For each done action item still waiting for its "did it work?" review (no verdict,
    /// or "too early to tell"): the day it started waiting (`None`: done before Debrief
    /// recorded the day). Summaries made before it (`version` 0) are made again once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub awaiting_review: Vec<Option<NaiveDate>>,
    /// The days its done action items were done (those with a recorded day), so a report
    /// of a period reads only the postmortems whose items were done in it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub done_days: Vec<NaiveDate>,
    /// Which revision of this summary's shape made it; older ones are made again.
    #[serde(default)]
    pub version: u8,
    /// Made without the wording check (a large import lists its postmortems first):
    /// `open_findings` is not counted yet, and the library counts it soon after.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unchecked: bool,
}

/// The current shape of [`Summary`]: 1 added `awaiting_review`, 2 `done_days`.
pub const SUMMARY_VERSION: u8 = 2;

impl Summary {
    /// The day its incident started on its own clocks, or the day it was written up:
    /// the same day [`crate::domain::metrics::incident_date`] gives its postmortem.
    pub fn incident_day(&self) -> NaiveDate {
        self.incident_start.map(|t| t.date()).unwrap_or_else(|| self.created_at.date_naive())
    }

    /// How many done items have waited `days` or more for their review on `today`.
    pub fn reviews_due(&self, today: NaiveDate, days: i64) -> usize {
        self.awaiting_review.iter().filter(|since| since.is_none_or(|s| (today - s).num_days() >= days)).count()
    }
}

/// The services, tags and reviewers of a postmortem.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Labels {
    pub services: Vec<String>,
    pub tags: Vec<String>,
    /// Its reviewers (who approved it among them). Summaries kept before reviews existed
    /// have none, as their postmortems had none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reviewers: Vec<String>,
}

impl Summary {
    /// The title, or a stand-in when the author has not written one yet.
    pub fn display_title(&self) -> &str {
        display_title(&self.title)
    }
}

impl Postmortem {
    /// The part of this postmortem the library list shows. Runs the wording check over
    /// every field, so it costs as much as that check.
    pub fn summary(&self) -> Summary {
        Summary {
            open_findings: u32::try_from(open_findings(self).len()).unwrap_or(u32::MAX),
            unchecked: false,
            ..self.summary_unchecked()
        }
    }

    /// The summary without the wording check (the most of its cost): its open findings are
    /// not counted, and it says so (`unchecked`).
    pub fn summary_unchecked(&self) -> Summary {
        Summary {
            id: self.id,
            title: self.title.clone(),
            status: self.status,
            severity: self.severity,
            incident_start: self.key_times.impact_started.map(|t| t.local()),
            incident_instant: self.key_times.impact_started.map(|t| t.instant()),
            labels: Some(Labels {
                services: self.services.clone(),
                tags: self.tags.clone(),
                reviewers: self.review.reviewers.clone(),
            }),
            created_at: self.created_at,
            deleted_at: self.deleted_at,
            open_findings: 0,
            open_due: self
                .action_items
                .iter()
                .filter(|a| !matches!(a.status, ActionStatus::Done | ActionStatus::Dropped))
                .filter_map(|a| a.due)
                .collect(),
            completeness: completeness(self),
            awaiting_review: self
                .action_items
                .iter()
                .filter(|a| a.status == ActionStatus::Done)
                .filter_map(|a| match a.verdict {
                    None => Some(a.done_on),
                    Some(super::model::Verdict::TooEarly) => Some(a.reviewed_on.or(a.done_on)),
                    Some(_) => None,
                })
                .collect(),
            done_days: self
                .action_items
                .iter()
                .filter(|a| a.status == ActionStatus::Done)
                .filter_map(|a| a.done_on)
                .collect(),
            version: SUMMARY_VERSION,
            unchecked: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::UNTITLED;
    use crate::domain::time::parse_local_time;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-05-01T10:00:00Z").map(|t| t.with_timezone(&Utc)).expect("valid time")
    }

    fn at(text: &str) -> Option<NaiveDateTime> {
        parse_local_time(text)
    }

    #[test]
    fn summary_reflects_list_fields() {
        let mut pm = Postmortem::new(PostmortemId::random(), now());
        assert_eq!(pm.display_title(), UNTITLED);
        pm.title = "Checkout outage".into();
        pm.severity = Severity::new(2);
        pm.key_times.impact_started = crate::domain::time::Moment::parse("2026-04-30T22:00-04:00").ok();
        let summary = pm.summary();
        assert_eq!(summary.display_title(), "Checkout outage");
        assert_eq!(summary.severity, Severity::new(2));
        assert_eq!(summary.incident_start, at("2026-04-30T22:00"), "on the postmortem's clocks");
        assert_eq!(summary.incident_instant.map(|t| t.to_rfc3339()).as_deref(), Some("2026-05-01T02:00:00+00:00"));
        pm.trash(now());
        assert!(pm.summary().deleted_at.is_some());
        pm.restore();
        assert!(!pm.is_trashed());
    }

    #[test]
    fn done_items_awaiting_their_review_are_listed_with_the_day_they_started_waiting() {
        use crate::domain::model::{ActionType, Verdict};
        let mut pm = Postmortem::new(PostmortemId::random(), now());
        let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
        for (status, verdict, done, reviewed) in [
            (ActionStatus::Done, None, day("2026-04-01"), None),
            (ActionStatus::Done, Some(Verdict::TooEarly), day("2026-04-01"), day("2026-04-20")),
            (ActionStatus::Done, Some(Verdict::Worked), day("2026-04-01"), day("2026-04-20")),
            (ActionStatus::Done, None, None, None),
            (ActionStatus::Open, None, None, None),
        ] {
            let id = pm.add_action_item(ActionType::Prevent, "x");
            if let Some(a) = pm.action_items.iter_mut().find(|a| a.id == id) {
                (a.status, a.verdict, a.done_on, a.reviewed_on) = (status, verdict, done, reviewed);
            }
        }
        let s = pm.summary();
        assert_eq!(s.awaiting_review, [day("2026-04-01"), day("2026-04-20"), None]);
        assert_eq!(s.done_days, [day("2026-04-01"); 3].map(Option::unwrap_or_default));
        assert_eq!(s.version, SUMMARY_VERSION);
        let today = day("2026-05-10").unwrap_or_default();
        // 39 days, 20 days, and an item done before the day was recorded.
        assert_eq!(s.reviews_due(today, 30), 2);
        assert_eq!(s.reviews_due(today, 14), 3);
    }
}
