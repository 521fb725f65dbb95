use super::*;
use crate::domain::{Moment, PostmortemId};
use chrono::{DateTime, Utc};

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
}

fn incident(start: &str, services: &[&str]) -> Postmortem {
    let created =
        DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z").map(|t| t.with_timezone(&Utc)).unwrap_or_default();
    let mut pm = Postmortem::new(PostmortemId::random(), created);
    pm.key_times.impact_started = Moment::parse(&format!("{start}T10:00:00Z")).ok();
    pm.services = services.iter().map(|s| s.to_string()).collect();
    pm
}

fn item(pm: &mut Postmortem, kind: ActionType, status: ActionStatus, done: Option<&str>, verdict: Option<Verdict>) {
    let id = pm.add_action_item(kind, "x");
    if let Some(a) = pm.action_items.iter_mut().find(|a| a.id == id) {
        a.status = status;
        a.done_on = done.map(day);
        a.verdict = verdict;
    }
}

#[test]
fn a_repeated_service_counts_incidents_before_and_after_its_first_fix() {
    let mut first = incident("2026-01-10", &["checkout"]);
    item(&mut first, ActionType::Prevent, ActionStatus::Done, Some("2026-02-01"), Some(Verdict::Partly));
    item(&mut first, ActionType::Detect, ActionStatus::Done, Some("2026-01-15"), Some(Verdict::Worked));
    let second = incident("2026-01-20", &["Checkout"]);
    let mut third = incident("2026-03-01", &["checkout", "dns"]);
    item(&mut third, ActionType::Mitigate, ActionStatus::Done, Some("2026-03-10"), None);
    let fourth = incident("2026-03-05", &["dns"]);
    let all = [&first, &second, &third, &fourth];
    let found = repeats(&all);
    assert_eq!(found.len(), 2);
    let checkout = &found[0];
    assert_eq!((checkout.kind, checkout.name.as_str(), checkout.incidents), ("Service", "checkout", 3));
    // The detect item does not count as a fix; the prevent item done 1 February does.
    assert_eq!(checkout.fixed_on, Some(day("2026-02-01")));
    assert_eq!((checkout.before, checkout.after), (2, 1), "the third came back after the fix");
    assert_eq!(checkout.verdicts, [0, 1, 0, 1], "partly, and one not judged yet");
    let dns = &found[1];
    assert_eq!((dns.fixed_on, dns.before, dns.after), (Some(day("2026-03-10")), 2, 0));
    assert!(repeats(&[&first]).is_empty(), "one incident is not a repeat");
    let unfixed = repeats(&[&second, &fourth, &incident("2026-04-01", &["dns"])]);
    assert_eq!((unfixed[0].fixed_on, unfixed[0].before, unfixed[0].after), (None, 2, 0));
}

#[test]
fn verdicts_by_type_open_items_by_age_and_completion_by_owner_and_priority() {
    let mut pm = incident("2026-01-10", &[]);
    item(&mut pm, ActionType::Prevent, ActionStatus::Done, Some("2026-02-01"), Some(Verdict::Worked));
    item(&mut pm, ActionType::Prevent, ActionStatus::Done, Some("2026-02-01"), Some(Verdict::DidNotWork));
    item(&mut pm, ActionType::Detect, ActionStatus::Done, Some("2026-02-01"), None);
    item(&mut pm, ActionType::Process, ActionStatus::Dropped, None, None);
    item(&mut pm, ActionType::Repair, ActionStatus::Open, None, None);
    item(&mut pm, ActionType::Repair, ActionStatus::InProgress, None, None);
    let created = [
        day("2026-05-01"),
        day("2026-02-01"),
        day("2025-01-01"),
        day("2026-05-01"),
        day("2026-05-20"),
        day("2026-03-01"),
    ];
    let owners = ["Platform", "platform ", "SRE", "SRE", "", "Platform"];
    for ((a, c), o) in pm.action_items.iter_mut().zip(created).zip(owners) {
        a.created_on = Some(c);
        a.owner = o.into();
        a.priority = if o == "SRE" { Priority::P1 } else { Priority::P2 };
    }
    let all = [&pm];
    assert_eq!(
        verdicts_by_type(&all),
        [(ActionType::Prevent, [1, 0, 1, 0]), (ActionType::Detect, [0, 0, 0, 1])],
        "types with no done item are left out"
    );
    // Open on 2026-06-01: one added 12 days before, one 92 days before.
    assert_eq!(open_by_age(&all, day("2026-06-01")), [1, 0, 1, 0, 0]);
    let owners = by_owner(&all);
    let platform = owners.iter().find(|(o, _)| o == "Platform").map(|(_, c)| c.clone()).unwrap_or_default();
    assert_eq!(platform, Completion { done: 2, dropped: 0, open: 1 }, "owners match ignoring case and spaces");
    assert_eq!(platform.closed_percent(), Some(67));
    let sre = owners.iter().find(|(o, _)| o == "SRE").map(|(_, c)| c.clone()).unwrap_or_default();
    assert_eq!(sre, Completion { done: 1, dropped: 1, open: 0 }, "dropped is closed, shown apart");
    assert!(owners.iter().any(|(o, c)| o.is_empty() && c.open == 1), "no owner is a group too");
    let priorities = by_priority(&all);
    assert_eq!(priorities[0], (Priority::P1, Completion { done: 1, dropped: 1, open: 0 }));
    assert_eq!(priorities[2].1.closed_percent(), None, "no P3 items");
}
