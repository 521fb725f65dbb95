//! Did the fixes work? For each service or tag with repeated incidents, the incidents before
//! and after its prevent and mitigate items were done, and the verdicts given; verdicts by
//! action type; open items by age; completion by owner and by priority.

use super::metrics::incident_date;
use super::model::{ActionItem, ActionStatus, ActionType, Postmortem, Priority, Verdict};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// One service or tag that came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repeat {
    /// "Service" or "Tag".
    pub kind: &'static str,
    pub name: String,
    pub incidents: usize,
    /// The day its first prevent or mitigate item was done; `None` when none is done yet.
    pub fixed_on: Option<NaiveDate>,
    /// Incidents that started before that day, and on or after it.
    pub before: usize,
    pub after: usize,
    /// Verdicts of its done prevent and mitigate items: worked, partly, did not work, too
    /// early or not yet given.
    pub verdicts: [usize; 4],
}

/// Verdict columns: worked, partly, did not work, not yet known (too early or not given).
fn verdict_slot(verdict: Option<Verdict>) -> usize {
    match verdict {
        Some(Verdict::Worked) => 0,
        Some(Verdict::Partly) => 1,
        Some(Verdict::DidNotWork) => 2,
        Some(Verdict::TooEarly) | None => 3,
    }
}

fn is_fix(a: &ActionItem) -> bool {
    matches!(a.kind, ActionType::Prevent | ActionType::Mitigate)
}

/// Services and tags with more than one incident among `postmortems`, most incidents first.
pub fn repeats(postmortems: &[&Postmortem]) -> Vec<Repeat> {
    let mut out = Vec::new();
    for (kind, names) in [
        ("Service", (|pm: &Postmortem| pm.services.clone()) as fn(&Postmortem) -> Vec<String>),
        ("Tag", |pm| pm.tags.clone()),
    ] {
        let mut groups: BTreeMap<String, (String, Vec<&Postmortem>)> = BTreeMap::new();
        for pm in postmortems {
            for (key, name) in super::learning::distinct(names(pm)) {
                groups.entry(key).or_insert_with(|| (name, Vec::new())).1.push(pm);
            }
        }
        for (name, pms) in groups.into_values().filter(|(_, pms)| pms.len() > 1) {
            let fixes: Vec<&ActionItem> = pms
                .iter()
                .flat_map(|pm| pm.action_items.iter())
                .filter(|a| is_fix(a) && a.status == ActionStatus::Done)
                .collect();
            let fixed_on = fixes.iter().filter_map(|a| a.done_on).min();
            let (before, after) = match fixed_on {
                Some(day) => {
                    let after = pms.iter().filter(|pm| incident_date(pm) >= day).count();
                    (pms.len() - after, after)
                }
                None => (pms.len(), 0),
            };
            let mut verdicts = [0; 4];
            for a in &fixes {
                verdicts[verdict_slot(a.verdict)] += 1;
            }
            out.push(Repeat { kind, name, incidents: pms.len(), fixed_on, before, after, verdicts });
        }
    }
    super::order::sort_by(&mut out, |a, b| b.incidents.cmp(&a.incidents).then(a.name.cmp(&b.name)));
    out
}

/// Done items by action type: their verdicts (worked, partly, did not work, not yet known).
pub fn verdicts_by_type(postmortems: &[&Postmortem]) -> Vec<(ActionType, [usize; 4])> {
    ActionType::ALL
        .iter()
        .map(|kind| {
            let mut row = [0; 4];
            for a in postmortems.iter().flat_map(|pm| pm.action_items.iter()) {
                if a.kind == *kind && a.status == ActionStatus::Done {
                    row[verdict_slot(a.verdict)] += 1;
                }
            }
            (*kind, row)
        })
        .filter(|(_, row)| row.iter().sum::<usize>() > 0)
        .collect()
}

/// The age bands of open items, in days since they were added.
pub const AGE_BANDS: [&str; 5] =
    ["under 30 days", "30 to 89 days", "90 to 179 days", "180 days or more", "added before Debrief recorded the day"];

/// Open and in-progress items by age on `today` (see [`AGE_BANDS`]).
pub fn open_by_age(postmortems: &[&Postmortem], today: NaiveDate) -> [usize; 5] {
    let mut out = [0; 5];
    for a in postmortems.iter().flat_map(|pm| pm.action_items.iter()) {
        if !matches!(a.status, ActionStatus::Open | ActionStatus::InProgress) {
            continue;
        }
        let slot = match a.created_on.map(|d| (today - d).num_days()) {
            None => 4,
            Some(d) if d < 30 => 0,
            Some(d) if d < 90 => 1,
            Some(d) if d < 180 => 2,
            Some(_) => 3,
        };
        out[slot] += 1;
    }
    out
}

/// Completion of one group of items: done, dropped (both closed, shown apart), still open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Completion {
    pub done: usize,
    pub dropped: usize,
    pub open: usize,
}

impl Completion {
    fn add(&mut self, a: &ActionItem) {
        match a.status {
            ActionStatus::Done => self.done += 1,
            ActionStatus::Dropped => self.dropped += 1,
            ActionStatus::Open | ActionStatus::InProgress => self.open += 1,
        }
    }

    /// Closed (done or dropped) out of all, in percent; `None` for no items.
    pub fn closed_percent(&self) -> Option<u32> {
        let all = self.done + self.dropped + self.open;
        (all > 0).then(|| ((self.done + self.dropped) as f64 * 100.0 / all as f64).round() as u32)
    }
}

/// Completion by owner (as written, ignoring case and spaces around; "" for no owner),
/// most items first.
pub fn by_owner(postmortems: &[&Postmortem]) -> Vec<(String, Completion)> {
    let mut groups: BTreeMap<String, (String, Completion)> = BTreeMap::new();
    for a in postmortems.iter().flat_map(|pm| pm.action_items.iter()) {
        let key = a.owner.trim().to_lowercase();
        groups.entry(key).or_insert_with(|| (a.owner.trim().to_owned(), Completion::default())).1.add(a);
    }
    let mut out: Vec<(String, Completion)> = groups.into_values().collect();
    let total = |c: &Completion| c.done + c.dropped + c.open;
    super::order::sort_by(&mut out, |a, b| total(&b.1).cmp(&total(&a.1)).then(a.0.cmp(&b.0)));
    out
}

/// Completion by priority, most urgent first.
pub fn by_priority(postmortems: &[&Postmortem]) -> Vec<(Priority, Completion)> {
    Priority::ALL
        .iter()
        .map(|p| {
            let mut c = Completion::default();
            postmortems
                .iter()
                .flat_map(|pm| pm.action_items.iter())
                .filter(|a| a.priority == *p)
                .for_each(|a| c.add(a));
            (*p, c)
        })
        .collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
