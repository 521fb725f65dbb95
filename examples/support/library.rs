//! Realistic generated libraries for the benchmarks: the same seed gives the same
//! postmortems on every machine.
//!
//! Each postmortem has a title, summary, key times, services, people, impact, 20 to 300
//! timeline events, contributing factors with whys, action items at every stage, lessons,
//! and for about a third an anonymous invitation with merged contributions. The text is
//! put together from phrases an SRE team writes, with names, numbers, hosts and links
//! varying, so it compresses about as well as real prose does, not better. Most
//! postmortems are short; a few are long: the number of timeline events is
//! 20 + 280·u⁴ for u uniform in [0, 1), so the median is about 38 and one in ten has
//! more than 200 (PagerDuty's and Google's published postmortems mostly have 10 to 40
//! timeline entries).

use chrono::{Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use debrief::domain::contribution::{Contribution, Invitation, SentInvitation, merge};
use debrief::domain::*;

/// A small deterministic generator (PCG-style LCG), so every run measures the same library.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x2545_F491_4F6C_DD1D)
    }

    fn next_u32(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let x = ((self.0 >> 18) ^ self.0) >> 27;
        (x as u32).rotate_right((self.0 >> 59) as u32)
    }

    /// A number in `0..below`.
    pub fn below(&mut self, below: usize) -> usize {
        (self.next_u32() as usize) % below.max(1)
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    /// A number in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        f64::from(self.next_u32()) / (f64::from(u32::MAX) + 1.0)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One of `items`, each as likely.
    pub fn choose<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

const SERVICES: &[&str] = &[
    "checkout-api",
    "payments",
    "search",
    "auth",
    "inventory",
    "notifications",
    "billing",
    "catalog",
    "edge-proxy",
    "orders",
    "recommendations",
    "profile",
    "media-upload",
    "ledger",
    "shipping-quotes",
    "feature-flags",
    "session-store",
    "reporting",
    "webhooks",
    "mobile-gateway",
];
const COMPONENTS: &[&str] = &[
    "the primary Postgres cluster",
    "the Redis cache",
    "the Kafka consumers",
    "the load balancer pool",
    "the DNS resolver",
    "the TLS certificates",
    "the connection pool",
    "the job queue",
    "the CDN",
    "the Kubernetes node pool",
    "the rate limiter",
    "the config service",
    "the batch importer",
    "the search index",
    "the service mesh sidecars",
    "the object store bucket",
    "the cron scheduler",
    "the read replicas",
    "the message broker",
    "the autoscaler",
];
const SYMPTOMS: &[&str] = &[
    "Elevated 5xx errors",
    "Slow responses",
    "Failed logins",
    "Duplicate charges",
    "Missing emails",
    "Stale search results",
    "Timeouts",
    "Dropped webhooks",
    "Partial outage",
    "Degraded uploads",
    "Delayed orders",
    "Intermittent 502s",
    "Queue backlog",
    "Data lag",
];
const TRIGGERS: &[&str] = &[
    "a configuration change",
    "a routine deploy",
    "certificate expiry",
    "a traffic spike",
    "a schema migration",
    "a dependency upgrade",
    "a node pool rotation",
    "a cloud provider incident",
    "a feature flag rollout",
    "a DNS change",
    "disk exhaustion",
    "a memory leak",
    "a bad cache key",
];
const NAMES: &[&str] = &[
    "Amara Okafor",
    "Bo Lindqvist",
    "Chen Wei",
    "Dana Kowalski",
    "Eitan Levi",
    "Farah Haddad",
    "Gustavo Pereira",
    "Hana Sato",
    "Ibrahim Diallo",
    "Jonas Becker",
    "Kavya Iyer",
    "Lena Novak",
    "Mateo Ruiz",
    "Nia Thompson",
    "Oskar Nilsen",
    "Priya Raman",
    "Quinn Murphy",
    "Rosa Alvarez",
    "Sven Aalto",
    "Tomás Duarte",
    "Uma Krishnan",
    "Viktor Petrov",
    "Wen Zhao",
    "Yara Haddad",
];
const OBSERVE: &[&str] = &[
    "Alert fired for {svc}: error rate at {pct}% over five minutes",
    "Latency p99 for {svc} reached {ms} ms, up from a baseline of {base} ms",
    "Dashboards show {comp} at {pct}% saturation",
    "Support reports {n} tickets about {symptom} from customers in {region}",
    "Synthetic checks against {svc} start failing in {region}",
    "Logs show repeated connection resets between {svc} and {comp}",
    "Queue depth on {comp} grows to {n} messages",
    "Error budget burn rate for {svc} crosses {x}x",
    "CPU on {comp} stays above {pct}% after the restart",
    "Traffic from {region} is {pct}% lower than the same hour last week",
];
const ACT: &[&str] = &[
    "On-call engineer restarts the {svc} pods in {region}",
    "Responders roll back {svc} to the previous release",
    "The team scales {comp} from {n} to {m} instances",
    "Traffic for {region} is shifted to the standby region",
    "The {svc} feature flag is turned off for all customers",
    "A hotfix raising the timeout to {ms} ms is deployed to {svc}",
    "Responders drain the affected nodes and cordon them",
    "The failing migration is paused and the lock on {comp} released",
    "Cache for {svc} is flushed and warmed from the replica",
    "Rate limits for the batch clients of {svc} are lowered to {n} per second",
];
const DECIDE: &[&str] = &[
    "Incident commander declares a SEV{sev} and opens the bridge",
    "The team decides to roll back rather than fix forward, since the diff touches {comp}",
    "Decision to keep {svc} in read-only mode until {comp} recovers",
    "Incident commander asks for a second responder familiar with {comp}",
    "The team agrees to hold all deploys to {svc} until the review",
];
const COMMUNICATE: &[&str] = &[
    "Status page updated: investigating {symptom} for {svc}",
    "Customer support briefed with a holding statement for {region}",
    "Update posted in the incident channel: mitigation in progress, next update in {min} minutes",
    "Stakeholders in {region} told that orders may be delayed by up to {min} minutes",
    "Status page updated: a fix is in place and we are monitoring",
];
const MILESTONE: &[&str] = &[
    "Error rate for {svc} back under {pct2}%",
    "Impact ends: all regions serving normally",
    "Backlog on {comp} fully drained",
    "Incident resolved and the bridge closed",
];
const FACTORS: &[&str] = &[
    "The alert for {svc} paged only after {min} minutes because its threshold was tuned for night traffic",
    "{comp} had no headroom left after last quarter's growth, and the capacity review had been postponed",
    "The deploy pipeline for {svc} does not run the migration against a production-sized copy",
    "The runbook for {comp} still described the setup from before the move to {region}",
    "Retries in {svc} had no jitter, so clients retried in lockstep and doubled the load",
    "Two teams owned parts of {comp}, and neither dashboard showed the other's side",
    "The canary for {svc} covered {pct2}% of traffic, too little to show the error within its window",
    "The certificate renewal job for {comp} failed silently for {n} days",
];
const WHYS: &[&str] = &[
    "The threshold was last reviewed when traffic was a third of today's",
    "Nobody had a reminder to revisit it after the migration",
    "The review was postponed twice for a launch",
    "The staging data set is {pct}% of production and has no hot partitions",
    "The job's failures were logged but not alerted on",
    "The ownership split was never written down",
];
const ACTIONS: &[&str] = &[
    "Add an alert on {svc} error budget burn rate over one hour",
    "Run the migration rehearsal against a production-sized snapshot before each release",
    "Add jitter and a retry budget to the {svc} client",
    "Update the runbook for {comp} and walk through it at the next on-call handover",
    "Page on certificate renewal failures for {comp}",
    "Raise the canary for {svc} to {pct2}% with an automatic rollback on errors",
    "Write down which team owns each part of {comp}",
    "Capacity review of {comp} every quarter, with a headroom target of {pct2}%",
    "Add a dashboard panel joining {svc} latency with {comp} saturation",
    "Investigate why the synthetic checks in {region} took {min} minutes to notice",
];
const LESSONS: &[&str] = &[
    "Responders found the rollback command quickly because the runbook for {svc} was current",
    "The status page went up within {min} minutes of the first alert",
    "Handover between time zones was smooth: notes in the channel were enough",
    "It took {min} minutes to find who could approve a change to {comp}",
    "The dashboards for {svc} did not show {comp}, so the first guess was wrong",
    "The spike happened outside peak hours in {region}",
    "A responder happened to know {comp} from a previous team",
];
const ANSWERS: &[&str] = &[
    "I noticed the graphs for {comp} looked odd about {min} minutes before the page, but I assumed it was the nightly batch.",
    "The runbook pointed at a dashboard that no longer exists, so I spent a while finding the right one.",
    "It was hard to tell from the channel who was leading, until the commander posted a summary.",
    "The rollback itself took {min} minutes because the pipeline queued it behind other deploys.",
    "Next time I would like a checklist for shifting traffic out of {region}; I did it from memory.",
    "What helped most was being able to see {svc} and {comp} side by side once someone shared the link.",
];
const TAGS: &[&str] =
    &["database", "deploy", "capacity", "dns", "certificates", "third-party", "customer-facing", "data"];
const REGIONS: &[&str] = &["eu-west-1", "us-east-1", "ap-southeast-2", "eu-central-1", "us-west-2", "sa-east-1"];

fn fill(rng: &mut Rng, pattern: &str, svc: &str) -> String {
    let mut out = pattern.to_owned();
    let subs: [(&str, String); 13] = [
        ("{svc}", svc.to_owned()),
        ("{comp}", rng.choose(COMPONENTS).to_owned()),
        ("{pct}", format!("{}.{}", rng.between(2, 97), rng.below(10))),
        ("{pct2}", rng.between(1, 25).to_string()),
        ("{ms}", (rng.between(4, 90) * 50).to_string()),
        ("{base}", (rng.between(2, 12) * 20).to_string()),
        ("{n}", rng.between(3, 4800).to_string()),
        ("{m}", rng.between(6, 96).to_string()),
        ("{x}", rng.between(2, 40).to_string()),
        ("{min}", rng.between(2, 55).to_string()),
        ("{sev}", rng.between(1, 3).to_string()),
        ("{region}", rng.choose(REGIONS).to_owned()),
        ("{symptom}", rng.choose(SYMPTOMS).to_lowercase()),
    ];
    for (key, value) in subs {
        out = out.replace(key, &value);
    }
    out
}

fn sentences(rng: &mut Rng, from: &[&str], count: usize, svc: &str) -> String {
    (0..count)
        .map(|_| {
            let pattern = rng.choose(from);
            format!("{}.", fill(rng, pattern, svc))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn link(rng: &mut Rng, svc: &str) -> Option<Link> {
    let url = match rng.below(3) {
        0 => format!("https://grafana.example.com/d/{:08x}/{svc}?from=now-6h", rng.next_u32()),
        1 => format!(
            "https://logs.example.com/app/{svc}/search?q=trace_id%3A{:08x}{:08x}",
            rng.next_u32(),
            rng.next_u32()
        ),
        _ => format!("https://tracker.example.com/browse/OPS-{}", rng.between(100, 9999)),
    };
    Link::parse(&url).ok()
}

/// One realistic postmortem number `n` of a library, with `events` timeline events (or a
/// drawn number) and `actions` action items (or a drawn number).
pub fn postmortem(rng: &mut Rng, n: usize, events: Option<usize>, actions: Option<usize>) -> Postmortem {
    let day = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default() + Duration::days(rng.below(1000) as i64);
    let start: NaiveDateTime = day.and_hms_opt(rng.below(24) as u32, rng.below(60) as u32, 0).unwrap_or_default();
    let created = Utc.from_utc_datetime(&(start + Duration::days(rng.between(1, 6) as i64)));
    let mut pm = Postmortem::new(PostmortemId::random(), created);
    pm.updated_at = created + Duration::hours(rng.between(1, 400) as i64);
    let svc = rng.choose(SERVICES);
    pm.title = format!("{} in {svc} after {}", rng.choose(SYMPTOMS), rng.choose(TRIGGERS));
    pm.incident_ref = format!("INC-{}", 1000 + n * 7 + rng.below(7));
    pm.status = rng.choose(Status::ALL);
    pm.severity = Severity::new(rng.between(1, 4) as u8);
    pm.summary = sentences(rng, OBSERVE, 2, svc) + " " + &sentences(rng, FACTORS, 1, svc);
    let utc = |t: NaiveDateTime| Some(Moment::from_instant(t.and_utc(), Utc.fix()));
    pm.key_times.impact_started = utc(start);
    pm.key_times.detected = utc(start + Duration::minutes(rng.between(1, 40) as i64));
    pm.key_times.mitigated = utc(start + Duration::minutes(rng.between(41, 180) as i64));
    pm.key_times.resolved = utc(start + Duration::minutes(rng.between(181, 600) as i64));
    pm.services = (0..rng.between(1, 3)).map(|_| rng.choose(SERVICES).to_owned()).collect();
    pm.services.dedup();
    pm.tags = (0..rng.between(1, 3)).map(|_| rng.choose(TAGS).to_owned()).collect();
    let people: Vec<&str> = (0..rng.between(3, 6)).map(|_| rng.choose(NAMES)).collect();
    for name in &people {
        let role = rng.choose(SUGGESTED_ROLES).to_owned();
        pm.participants.push(Participant::new(new_item_id(), *name, role));
    }
    pm.impact.description = sentences(rng, OBSERVE, 1, svc);
    for _ in 0..rng.between(1, 3) {
        let (name, value) = match rng.below(3) {
            0 => ("Failed requests", format!("{}", rng.between(200, 90_000))),
            1 => ("Customers affected", format!("about {}", rng.between(20, 9_000))),
            _ => ("Revenue at risk", format!("${}", rng.between(1, 80) * 1000)),
        };
        pm.impact.figures.push(ImpactFigure { id: new_item_id(), name: name.into(), value });
    }
    let events = events.unwrap_or_else(|| 20 + (280.0 * rng.unit().powi(4)) as usize);
    let mut at = start - Duration::minutes(rng.between(5, 60) as i64);
    for _ in 0..events {
        at += Duration::minutes(rng.between(0, 6) as i64) + Duration::seconds(rng.below(60) as i64);
        let (kind, from) = match rng.below(10) {
            0..=3 => (EventKind::Observation, OBSERVE),
            4..=6 => (EventKind::Action, ACT),
            7 => (EventKind::Decision, DECIDE),
            8 => (EventKind::Communication, COMMUNICATE),
            _ => (EventKind::Milestone, MILESTONE),
        };
        let description = if rng.chance(0.3) { sentences(rng, from, 2, svc) } else { sentences(rng, from, 1, svc) };
        let evidence = if rng.chance(0.12) { link(rng, svc).into_iter().collect() } else { Vec::new() };
        pm.timeline.push(TimelineEvent {
            id: new_item_id(),
            at: utc(at),
            kind,
            description,
            evidence,
            from_contribution: None,
        });
    }
    for _ in 0..rng.between(2, 5) {
        let category = rng.choose(FactorCategory::ALL);
        let description = sentences(rng, FACTORS, 1, svc);
        let id = pm.add_factor(category, description);
        let whys: Vec<Entry> = (0..rng.below(4)).map(|_| Entry::new(sentences(rng, WHYS, 1, svc))).collect();
        if let Some(f) = pm.factors.iter_mut().find(|f| f.id == id) {
            f.whys = whys;
        }
    }
    let actions = actions.unwrap_or_else(|| rng.between(3, 12));
    for _ in 0..actions {
        let kind = rng.choose(ActionType::ALL);
        let pattern = rng.choose(ACTIONS);
        let description = fill(rng, pattern, svc);
        let id = pm.add_action_item(kind, description);
        let owner = rng.choose(NAMES).to_owned();
        let (priority, status) = (rng.choose(Priority::ALL), rng.choose(ActionStatus::ALL));
        let due = Some(day + Duration::days(rng.between(7, 120) as i64));
        let tracking = if rng.chance(0.5) { link(rng, svc) } else { None };
        if let Some(a) = pm.action_items.iter_mut().find(|a| a.id == id) {
            a.owner = owner;
            a.priority = priority;
            a.status = status;
            a.due = due;
            a.tracking = tracking;
            if status == ActionStatus::Done {
                a.done_on = due.map(|d| d - Duration::days(3));
            }
        }
    }
    for kind in LessonKind::ALL {
        let list: Vec<Entry> = (0..rng.between(1, 3)).map(|_| Entry::new(sentences(rng, LESSONS, 1, svc))).collect();
        *pm.lessons.list_mut(kind) = list;
    }
    if rng.chance(0.33) {
        let invitation = Invitation::for_postmortem(&pm);
        let id = invitation.id;
        let questions: Vec<String> = invitation.questions.iter().map(|q| q.key.clone()).collect();
        pm.invitations.push(SentInvitation { invitation: invitation.clone(), contributions: Vec::new() });
        for _ in 0..rng.between(1, 4) {
            let mut answers: Vec<(String, String)> = Vec::new();
            for q in &questions {
                if rng.chance(0.6) {
                    let count = rng.between(1, 3);
                    answers.push((q.clone(), sentences(rng, ANSWERS, count, svc)));
                }
            }
            if answers.is_empty() {
                continue;
            }
            let _ = merge(&mut pm, id, Contribution::new(&invitation, &answers));
        }
    }
    pm
}

/// `count` postmortems from `seed`.
pub fn library(seed: u64, count: usize) -> Vec<Postmortem> {
    let mut rng = Rng::new(seed);
    (0..count).map(|n| postmortem(&mut rng, n, None, None)).collect()
}
