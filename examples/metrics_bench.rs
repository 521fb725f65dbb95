//! Benchmark of the follow-through computations: every metric, and the action plan's
//! rows and filter, over a generated library of 1,000 postmortems with 5,000 action items.
//!
//! Run with `cargo run --release --example metrics_bench`. It prints figures; it does not
//! pass or fail.

use chrono::{Duration as Days, NaiveDate, TimeZone, Utc};
use debrief::domain::action_plan::{PlanFilter, rows};
use debrief::domain::metrics::{Filter, compute};
use debrief::domain::time::parse_local_time;
use debrief::domain::*;
use std::time::Duration;

#[path = "support/measure.rs"]
mod support;
use support::measure;

/// A small deterministic generator, so every run measures the same library.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % below.max(1)
    }
}

fn library(count: usize) -> Vec<Postmortem> {
    let mut rng = Lcg(42);
    let base = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default();
    (0..count)
        .map(|i| {
            let created = Utc.timestamp_opt(1_735_689_600 + i as i64 * 30_000, 0).single().unwrap_or_default();
            let mut pm = Postmortem::new(PostmortemId::random(), created);
            pm.title = format!("Incident {i}");
            pm.severity = Severity::new(1 + rng.next(4) as u8);
            let day = base + Days::days(rng.next(700) as i64);
            let start = parse_local_time(&format!("{day}T{:02}:{:02}", rng.next(24), rng.next(60)));
            pm.key_times.impact_started = start.map(Moment::utc);
            pm.key_times.detected = start.map(|t| Moment::utc(t + Days::minutes(rng.next(120) as i64)));
            pm.key_times.mitigated = start.map(|t| Moment::utc(t + Days::minutes(30 + rng.next(600) as i64)));
            if rng.next(10) > 0 {
                pm.key_times.resolved = start.map(|t| Moment::utc(t + Days::minutes(60 + rng.next(3000) as i64)));
            }
            pm.tags = vec![format!("tag-{}", rng.next(30))];
            pm.services = vec![format!("service-{}", rng.next(40))];
            for k in 0..5 {
                let id = pm.add_action_item(ActionType::ALL[k % ActionType::ALL.len()], format!("Action {i}.{k}"));
                if let Some(a) = pm.action_items.iter_mut().find(|a| a.id == id) {
                    a.owner = format!("team-{}", rng.next(12));
                    a.due = Some(day + Days::days(rng.next(90) as i64));
                    a.created_on = Some(day);
                    if rng.next(3) > 0 {
                        a.status = ActionStatus::Done;
                        a.done_on = Some(day + Days::days(rng.next(120) as i64));
                        a.verdict = [None, Some(Verdict::Worked), Some(Verdict::DidNotWork)][rng.next(3) as usize];
                    }
                }
            }
            pm
        })
        .collect()
}

fn main() {
    let pms = library(1000);
    let items: usize = pms.iter().map(|p| p.action_items.len()).sum();
    let (runs, median, _) = measure(Duration::from_secs(3), || compute(&pms, &Filter::default()).incidents);
    println!("all metrics, {} postmortems / {items} action items: median {median:.2?} over {runs} runs", pms.len());
    let filter = PlanFilter { overdue_only: true, ..PlanFilter::default() };
    let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default();
    let (runs, median, _) = measure(Duration::from_secs(3), || filter.apply(&rows(&pms), today).len());
    println!("action plan rows + overdue filter + sort: median {median:.2?} over {runs} runs");
    println!("(native release build; figures vary with the machine and its load)");
}
