//! A realistic postmortem with every field filled in, for tests and fixtures.

use super::link::Link;
use super::model::*;
use super::time::{Moment, Zone};
use chrono::{DateTime, NaiveDate, Utc};

/// `len` letters drawn by a fixed linear congruential generator: text that does not
/// compress, for tests that must fill storage whatever form it keeps text in.
pub fn incompressible_text(len: usize) -> String {
    let mut state = 7u64;
    (0..len)
        .map(|_| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            char::from(b'a' + ((state >> 33) % 26) as u8)
        })
        .collect()
}

/// A wall-clock time in London in April (British Summer Time, UTC+01:00).
fn london(local: &str) -> Option<Moment> {
    Moment::parse(&format!("{local}+01:00")).ok()
}

/// A complete postmortem about a fictional checkout outage, created at `now`.
pub fn full_postmortem(now: DateTime<Utc>) -> Postmortem {
    let mut pm = Postmortem::new(PostmortemId::random(), now);
    pm.title = "Checkout errors after a connection pool change".into();
    pm.incident_ref = "INC-2041".into();
    pm.status = Status::InReview;
    pm.severity = Severity::new(2);
    pm.summary = "For 52 minutes about a third of checkout requests failed after a connection \
                  pool setting was lowered during routine tuning."
        .into();
    pm.key_times = KeyTimes {
        time_zone: Zone::Named("Europe/London".into()),
        no_offset: NoOffset,
        impact_started: london("2026-04-14T13:58"),
        detected: london("2026-04-14T14:05"),
        mitigated: london("2026-04-14T14:50"),
        resolved: london("2026-04-14T16:20"),
    };
    pm.services = vec!["checkout-api".into(), "orders-db".into()];
    pm.tags = vec!["database".into(), "config-change".into()];
    pm.participants = vec![
        Participant::new(new_item_id(), "Ana Lima", "Incident commander"),
        Participant::new(new_item_id(), "Sam Okafor", "Responder"),
    ];
    pm.impact = Impact {
        description: "Customers saw 'payment could not be completed' and retried.".into(),
        figures: vec![
            ImpactFigure { id: new_item_id(), name: "Requests failed".into(), value: "41,300".into() },
            ImpactFigure { id: new_item_id(), name: "Error budget used".into(), value: "38%".into() },
        ],
    };
    let alert = pm.add_timeline_event(
        london("2026-04-14T14:05"),
        EventKind::Observation,
        "Error-rate alert fired for checkout-api",
    );
    pm.add_timeline_event(
        london("2026-04-14T14:31"),
        EventKind::Decision,
        "Chose to revert the pool setting rather than scale the database",
    );
    pm.add_timeline_event(london("2026-04-14T14:50"), EventKind::Milestone, "Error rate back under 0.1%");
    if let (Some(event), Ok(link)) = (
        pm.timeline.iter_mut().find(|e| e.id == alert),
        Link::parse("https://grafana.example.com/d/checkout?from=1744635480000"),
    ) {
        event.evidence.push(link);
    }
    let factor = pm.add_factor(FactorCategory::Configuration, "Pool size had no guard rail tied to peak traffic");
    if let Some(f) = pm.factors.iter_mut().find(|f| f.id == factor) {
        f.whys.push(Entry::new("The tuning guide predates the traffic growth of last year"));
    }
    let item = pm.add_action_item(ActionType::Prevent, "Validate pool size against the last 30 days' peak in CI");
    if let Some(a) = pm.action_items.iter_mut().find(|a| a.id == item) {
        a.owner = "Platform team".into();
        a.priority = Priority::P1;
        a.due = NaiveDate::from_ymd_opt(2026, 5, 15);
        a.status = ActionStatus::Done;
        a.tracking = Link::parse("https://tracker.example.com/PLAT-88").ok();
        a.verdict = Some(Verdict::Worked);
    }
    pm.lessons.went_well.push(Entry::new("The alert fired within seven minutes"));
    pm.lessons.went_wrong.push(Entry::new("The runbook pointed at a retired dashboard"));
    pm.lessons.got_lucky.push(Entry::new("The change happened before the evening peak"));
    pm
}

/// [`full_postmortem`] written in the SRE book template, with written answers, one of
/// them left without a section by an earlier template.
pub fn templated_postmortem(now: DateTime<Utc>) -> Postmortem {
    use super::template::{TemplateId, apply_template, builtin, set_answer};
    let mut pm = full_postmortem(now);
    if let Some(t) = builtin::find(&TemplateId("google-sre".into())) {
        apply_template(&mut pm, &t);
    }
    set_answer(&mut pm, "trigger", "Trigger", "A routine tuning change lowered the pool size from 80 to 20.".into());
    set_answer(&mut pm, "resolution", "Resolution", "The on-call engineer reverted the setting at 14:44.".into());
    set_answer(&mut pm, "surprises", "Surprises", "The pool setting had no effect in staging.".into());
    pm
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_postmortem_with_every_field_round_trips_through_json() {
        let pm = full_postmortem(Utc::now());
        let text = serde_json::to_string(&pm).expect("serializable");
        let back: Postmortem = serde_json::from_str(&text).expect("readable");
        assert_eq!(back, pm);
    }
}
