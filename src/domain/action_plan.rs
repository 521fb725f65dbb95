//! Follow-through across the library: every action item in one list, what is overdue,
//! what is due for an effectiveness review, and a dated history of each item's changes.

use super::model::{ActionItem, ActionStatus, ActionType, Postmortem, PostmortemId, Priority, Verdict};
use super::order::sort_by_key;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::BTreeMap;

// The history is stored with each item; how it is written and read lives here.
pub use super::model::history::{ItemChange, ItemField};

/// Changes to the same field within this many minutes are kept as one (typing an owner).
const COALESCE_MINUTES: i64 = 10;

fn tracked(item: &ActionItem) -> [(ItemField, String); 5] {
    [
        (ItemField::Status, item.status.label().to_owned()),
        (ItemField::Owner, item.owner.trim().to_owned()),
        (ItemField::Due, item.due.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()),
        (ItemField::Priority, item.priority.label().to_owned()),
        (ItemField::Verdict, item.verdict.map(|v| v.label().to_owned()).unwrap_or_default()),
    ]
}

/// Applies `edit` to `item` at `now`, keeping the done and review dates in step, and, when
/// `record` (the postmortem has been circulated: see [`Postmortem::records_plan_changes`]),
/// recording each tracked change in its history.
pub fn change_item(item: &mut ActionItem, now: DateTime<Utc>, record: bool, edit: impl FnOnce(&mut ActionItem)) {
    let before = tracked(item);
    let was_done = item.status == ActionStatus::Done;
    edit(item);
    let after = tracked(item);
    for ((field, from), (_, to)) in before.clone().into_iter().zip(after.clone()) {
        if !record {
            break;
        }
        if from == to {
            continue;
        }
        match item.history.last_mut() {
            Some(last) if last.field == field && (now - last.at).num_minutes() < COALESCE_MINUTES => {
                last.to = to;
                last.at = now;
                if last.from == last.to {
                    item.history.pop();
                }
            }
            _ => item.history.push(ItemChange { at: now, field, from, to }),
        }
    }
    let today = now.date_naive();
    match (was_done, item.status == ActionStatus::Done) {
        (false, true) => item.done_on = Some(today),
        (true, false) => item.done_on = None,
        _ => {}
    }
    let verdict_changed = before[4].1 != after[4].1;
    if item.verdict.is_none() {
        item.reviewed_on = None;
    } else if verdict_changed {
        item.reviewed_on = Some(today);
    }
}

/// Whether an item is past its due date and not finished.
pub fn is_overdue(item: &ActionItem, today: NaiveDate) -> bool {
    item.due.is_some_and(|due| due < today) && !matches!(item.status, ActionStatus::Done | ActionStatus::Dropped)
}

/// Whether a done item has waited `days` or more for its "did it work?" review.
///
/// "Too early to tell" waits again from the day it was said; items done before Debrief
/// recorded done dates count as due.
pub fn due_for_review(item: &ActionItem, today: NaiveDate, days: i64) -> bool {
    let since = match item.verdict {
        None => item.done_on,
        Some(Verdict::TooEarly) => item.reviewed_on.or(item.done_on),
        Some(_) => return false,
    };
    item.status == ActionStatus::Done && since.is_none_or(|since| (today - since).num_days() >= days)
}

/// One action item with the postmortem it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanRow {
    pub postmortem: PostmortemId,
    pub postmortem_title: String,
    pub labels: Vec<String>,
    pub item: ActionItem,
}

/// Every action item of every postmortem not in the trash.
pub fn rows(postmortems: &[Postmortem]) -> Vec<PlanRow> {
    postmortems
        .iter()
        .filter(|pm| !pm.is_trashed())
        .flat_map(|pm| {
            pm.action_items.iter().map(move |item| PlanRow {
                postmortem: pm.id,
                postmortem_title: pm.display_title().to_owned(),
                labels: pm.services.iter().chain(pm.tags.iter()).cloned().collect(),
                item: item.clone(),
            })
        })
        .collect()
}

/// How the action plan is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PlanSort {
    #[default]
    Due,
    Priority,
    Status,
    Owner,
}

impl PlanSort {
    /// Every order, as offered.
    pub const ALL: [Self; 4] = [Self::Due, Self::Priority, Self::Status, Self::Owner];

    /// The name used in the address and in form values.
    pub fn key(self) -> &'static str {
        match self {
            Self::Due => "due",
            Self::Priority => "priority",
            Self::Status => "status",
            Self::Owner => "owner",
        }
    }

    /// The name people read.
    pub fn label(self) -> &'static str {
        match self {
            Self::Due => "Due date",
            Self::Priority => "Priority",
            Self::Status => "Status",
            Self::Owner => "Owner",
        }
    }
}

/// Which action items to show, as kept in the page's address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanFilter {
    pub status: Option<ActionStatus>,
    /// Part of the owner's name, any case.
    pub owner: String,
    pub kind: Option<ActionType>,
    pub priority: Option<Priority>,
    pub overdue_only: bool,
    pub review_due_only: bool,
    /// A service or tag of the postmortem.
    pub label: String,
    pub sort: PlanSort,
    /// How many days after being done an item is due for its effectiveness review.
    pub review_after_days: i64,
}

/// The review delay when none is chosen.
pub const DEFAULT_REVIEW_DAYS: i64 = 30;

impl Default for PlanFilter {
    fn default() -> Self {
        Self {
            status: None,
            owner: String::new(),
            kind: None,
            priority: None,
            overdue_only: false,
            review_due_only: false,
            label: String::new(),
            sort: PlanSort::default(),
            review_after_days: DEFAULT_REVIEW_DAYS,
        }
    }
}

impl PlanFilter {
    /// Reads the filter from query parameters (unknown values are ignored).
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            status: get("status").and_then(|v| ActionStatus::from_key(&v)),
            owner: get("owner").unwrap_or_default(),
            kind: get("type").and_then(|v| ActionType::from_key(&v)),
            priority: get("priority").and_then(|v| Priority::from_key(&v)),
            overdue_only: get("overdue").as_deref() == Some("1"),
            review_due_only: get("review").as_deref() == Some("1"),
            label: get("label").unwrap_or_default(),
            sort: get("sort").and_then(|v| PlanSort::ALL.into_iter().find(|s| s.key() == v)).unwrap_or_default(),
            review_after_days: get("days")
                .and_then(|v| v.parse().ok())
                .filter(|d| (0..=3650).contains(d))
                .unwrap_or(DEFAULT_REVIEW_DAYS),
        }
    }

    /// The filter as query parameters, leaving out what is not set.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut q = Vec::new();
        if let Some(s) = self.status {
            q.push(("status", s.key().to_owned()));
        }
        if !self.owner.trim().is_empty() {
            q.push(("owner", self.owner.trim().to_owned()));
        }
        if let Some(k) = self.kind {
            q.push(("type", k.key().to_owned()));
        }
        if let Some(p) = self.priority {
            q.push(("priority", p.key().to_owned()));
        }
        if self.overdue_only {
            q.push(("overdue", "1".to_owned()));
        }
        if self.review_due_only {
            q.push(("review", "1".to_owned()));
        }
        if !self.label.trim().is_empty() {
            q.push(("label", self.label.trim().to_owned()));
        }
        if self.sort != PlanSort::Due {
            q.push(("sort", self.sort.key().to_owned()));
        }
        if self.review_after_days != DEFAULT_REVIEW_DAYS {
            q.push(("days", self.review_after_days.to_string()));
        }
        q
    }

    /// The rows this filter keeps, in its order.
    pub fn apply(&self, rows: &[PlanRow], today: NaiveDate) -> Vec<PlanRow> {
        let review_after_days = self.review_after_days;
        let owner = self.owner.trim().to_lowercase();
        let label = self.label.trim().to_lowercase();
        let mut out: Vec<PlanRow> = rows
            .iter()
            .filter(|r| self.status.is_none_or(|s| r.item.status == s))
            .filter(|r| owner.is_empty() || r.item.owner.to_lowercase().contains(&owner))
            .filter(|r| self.kind.is_none_or(|k| r.item.kind == k))
            .filter(|r| self.priority.is_none_or(|p| r.item.priority == p))
            .filter(|r| !self.overdue_only || is_overdue(&r.item, today))
            .filter(|r| !self.review_due_only || due_for_review(&r.item, today, review_after_days))
            .filter(|r| label.is_empty() || r.labels.iter().any(|l| l.to_lowercase() == label))
            .cloned()
            .collect();
        match self.sort {
            PlanSort::Due => sort_by_key(&mut out, |r| (r.item.due.is_none(), r.item.due, r.item.priority)),
            PlanSort::Priority => sort_by_key(&mut out, |r| (r.item.priority, r.item.due.is_none(), r.item.due)),
            PlanSort::Status => sort_by_key(&mut out, |r| (r.item.status, r.item.due.is_none(), r.item.due)),
            PlanSort::Owner => sort_by_key(&mut out, |r| r.item.owner.to_lowercase()),
        }
        out
    }
}

/// Counts of open items by owner, for the owner filter's suggestions.
pub fn owners(rows: &[PlanRow]) -> Vec<String> {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for r in rows {
        let owner = r.item.owner.trim();
        if !owner.is_empty() {
            seen.entry(owner.to_lowercase()).or_insert_with(|| owner.to_owned());
        }
    }
    seen.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sample::full_postmortem;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).expect("valid time")
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("valid date")
    }

    fn item() -> ActionItem {
        let mut pm = full_postmortem(at("2026-05-01T09:00:00Z"));
        pm.action_items.remove(0);
        pm.add_action_item(ActionType::Prevent, "Add a canary stage");
        pm.action_items.remove(0)
    }

    #[test]
    fn changes_are_kept_as_dated_history_and_typing_coalesces() {
        let mut a = item();
        change_item(&mut a, at("2026-05-02T10:00:00Z"), true, |a| a.owner = "P".into());
        change_item(&mut a, at("2026-05-02T10:00:05Z"), true, |a| a.owner = "Platform".into());
        change_item(&mut a, at("2026-05-03T10:00:00Z"), true, |a| a.status = ActionStatus::Done);
        let history: Vec<(ItemField, &str, &str)> =
            a.history.iter().map(|c| (c.field, c.from.as_str(), c.to.as_str())).collect();
        assert_eq!(history, [(ItemField::Owner, "", "Platform"), (ItemField::Status, "Open", "Done")]);
        assert_eq!(a.done_on, Some(day("2026-05-03")));
        change_item(&mut a, at("2026-05-20T10:00:00Z"), true, |a| a.verdict = Some(Verdict::Worked));
        assert_eq!(a.reviewed_on, Some(day("2026-05-20")));
        change_item(&mut a, at("2026-05-25T10:00:00Z"), true, |a| a.review_note = "No repeat since".into());
        assert_eq!(a.reviewed_on, Some(day("2026-05-20")), "a note does not re-date the review");
        change_item(&mut a, at("2026-05-21T10:00:00Z"), true, |a| a.status = ActionStatus::InProgress);
        assert_eq!(a.done_on, None);
        // Typing a value and then typing it back leaves no history entry.
        let mut b = item();
        change_item(&mut b, at("2026-05-02T10:00:00Z"), true, |a| a.owner = "X".into());
        change_item(&mut b, at("2026-05-02T10:01:00Z"), true, |a| a.owner = String::new());
        assert!(b.history.is_empty());
    }

    #[test]
    fn a_draft_being_typed_in_keeps_no_history_but_its_dates() {
        let mut a = item();
        change_item(&mut a, at("2026-05-02T10:00:00Z"), false, |a| a.owner = "Platform".into());
        change_item(&mut a, at("2026-05-03T10:00:00Z"), false, |a| a.status = ActionStatus::Done);
        assert!(a.history.is_empty(), "typing in a draft is not a change of plan");
        assert_eq!(a.done_on, Some(day("2026-05-03")));
    }

    #[test]
    fn overdue_and_due_for_review() {
        let mut a = item();
        a.due = Some(day("2026-05-10"));
        assert!(!is_overdue(&a, day("2026-05-10")));
        assert!(is_overdue(&a, day("2026-05-11")));
        a.status = ActionStatus::Dropped;
        assert!(!is_overdue(&a, day("2026-06-01")));
        a.status = ActionStatus::Done;
        a.done_on = Some(day("2026-05-01"));
        assert!(!due_for_review(&a, day("2026-05-30"), 30));
        assert!(due_for_review(&a, day("2026-05-31"), 30));
        a.verdict = Some(Verdict::Worked);
        assert!(!due_for_review(&a, day("2026-07-01"), 30));
        a.verdict = Some(Verdict::TooEarly);
        a.reviewed_on = Some(day("2026-06-01"));
        assert!(!due_for_review(&a, day("2026-06-15"), 30), "too early waits again from the review");
        assert!(due_for_review(&a, day("2026-07-01"), 30));
        a.verdict = None;
        a.done_on = None;
        assert!(due_for_review(&a, day("2026-07-01"), 30), "done before done dates were kept");
    }

    #[test]
    fn filters_round_trip_through_the_query_and_select_rows() {
        let mut pm = full_postmortem(at("2026-05-01T09:00:00Z"));
        pm.add_action_item(ActionType::Detect, "Alert on pool exhaustion");
        pm.action_items[1].owner = "SRE team".into();
        pm.action_items[1].due = Some(day("2026-05-05"));
        pm.action_items[1].priority = Priority::P1;
        let mut trashed = full_postmortem(at("2026-05-01T09:00:00Z"));
        trashed.trash(at("2026-05-02T09:00:00Z"));
        let all = rows(&[pm.clone(), trashed]);
        assert_eq!(all.len(), 2, "trashed postmortems' items are left out");
        let filter = PlanFilter {
            owner: "sre".into(),
            overdue_only: true,
            label: "CHECKOUT-API".into(),
            sort: PlanSort::Priority,
            ..PlanFilter::default()
        };
        let query = filter.to_query();
        let back = PlanFilter::from_query(|k| query.iter().find(|(q, _)| *q == k).map(|(_, v)| v.clone()));
        assert_eq!(back, filter);
        let shown = filter.apply(&all, day("2026-05-06"));
        assert_eq!(shown.len(), 1);
        assert_eq!(shown[0].item.description, "Alert on pool exhaustion");
        assert_eq!(shown[0].postmortem, pm.id);
        assert_eq!(PlanFilter::from_query(|_| Some("nonsense".into())).status, None);
        assert_eq!(owners(&all), ["Platform team", "SRE team"]);
    }
}
