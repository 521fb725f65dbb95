use super::*;
use crate::domain::model::{ActionType, Participant, new_item_id};
use crate::domain::{Moment, PostmortemId};
use chrono::{DateTime, Utc};

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
}

fn created() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z").map(|t| t.with_timezone(&Utc)).unwrap_or_default()
}

/// An incident that started at `start` (UTC) and was resolved `resolve` minutes later.
fn incident(title: &str, start: &str, resolve: i64) -> Postmortem {
    let mut pm = Postmortem::new(PostmortemId::random(), created());
    pm.title = title.into();
    let at = Moment::parse(&format!("{start}T10:00:00Z")).ok();
    pm.key_times.impact_started = at;
    pm.key_times.detected = at;
    pm.key_times.mitigated = at;
    pm.key_times.resolved = at.map(|m| Moment::from_instant(m.instant() + Duration::minutes(resolve), m.offset()));
    pm
}

/// The report over every postmortem, with the summaries the library keeps of them.
fn made(all: &[Postmortem], period: Period, highlight: Option<PostmortemId>, redact: bool) -> Report {
    let summaries: Vec<Summary> = all.iter().map(Postmortem::summary).collect();
    report(all, &summaries, period, day("2030-01-01"), highlight, redact)
}

#[test]
fn quarters_and_the_period_before_them_across_a_year_boundary() {
    let q1 = Period::quarter_of(day("2026-02-14"));
    assert_eq!((q1.from, q1.to), (day("2026-01-01"), day("2026-03-31")));
    assert_eq!(q1.label(), "Q1 2026");
    let q4 = q1.previous();
    assert_eq!((q4.from, q4.to, q4.label()), (day("2025-10-01"), day("2025-12-31"), "Q4 2025".to_owned()));
    assert_eq!(q1.previous_words(), "the previous quarter");
    let custom = Period { from: day("2026-01-10"), to: day("2026-01-19") };
    assert_eq!(custom.days(), 10);
    assert_eq!(custom.previous(), Period { from: day("2025-12-31"), to: day("2026-01-09") });
    assert_eq!(custom.label(), "2026-01-10 to 2026-01-19");
    assert_eq!(custom.previous_words(), "the previous 10 days");
}

#[test]
fn time_to_resolve_is_compared_with_the_previous_quarter() {
    // Q1: 60, 90, 120 minutes (median 90). Q2: 30, 45, 60, 300 (median 52.5 → 53 min).
    let all = vec![
        incident("a", "2026-01-05", 60),
        incident("b", "2026-02-05", 90),
        incident("c", "2026-03-05", 120),
        incident("d", "2026-04-05", 30),
        incident("e", "2026-05-05", 45),
        incident("f", "2026-06-05", 60),
        incident("g", "2026-06-30", 300),
    ];
    let q2 = Period::quarter_of(day("2026-05-01"));
    let r = made(&all, q2, None, false);
    assert_eq!(r.incidents, 4);
    let resolve = r.figures.iter().find(|f| f.name == "Median time to resolve").expect("listed");
    assert_eq!((resolve.now, resolve.before), (Some(52.5), Some(90.0)));
    // (52.5 - 90) / 90 = -41.7%.
    assert_eq!(resolve.change, Some((Direction::Down, 42)));
    assert_eq!(resolve.sentence(q2), "Median time to resolve 53 min, down 42% from the previous quarter (1 h 30 min).");
    let incidents = &r.figures[0];
    assert_eq!(incidents.sentence(q2), "Incidents 4, up 33% from the previous quarter (3).");
}

#[test]
fn a_figure_that_was_zero_is_compared_in_words_not_a_percentage() {
    // Detected at once in both quarters (0 min), and 3 incidents in each.
    let all: Vec<Postmortem> = ["2026-01-05", "2026-02-05", "2026-03-05", "2026-04-05", "2026-05-05", "2026-06-05"]
        .iter()
        .map(|d| incident(d, d, 30))
        .collect();
    let q2 = Period::quarter_of(day("2026-04-05"));
    let r = made(&all, q2, None, false);
    let detect = &r.figures[1];
    assert_eq!(detect.change, Some((Direction::Same, 0)));
    assert_eq!(detect.sentence(q2), "Median time to detect 0 min, the same as the previous quarter.");
    assert_eq!(detect.change_words(), "no change");
    let up = Compared::new("Median time to detect", (Some(12.0), 3), (Some(0.0), 3), true);
    assert_eq!(up.sentence(q2), "Median time to detect 12 min, up from 0 min in the previous quarter.");
    assert_eq!(up.change_words(), "up from 0 min");
}

#[test]
fn too_few_incidents_say_so_instead_of_a_percentage() {
    let all = vec![incident("a", "2026-01-05", 60), incident("b", "2026-04-05", 30)];
    let q2 = Period::quarter_of(day("2026-04-05"));
    let r = made(&all, q2, None, false);
    let resolve = &r.figures[3];
    assert_eq!(resolve.change, None);
    assert_eq!(
        resolve.sentence(q2),
        "Median time to resolve 30 min. Too few incidents to compare with the previous quarter (1 this period, 1 before; at least 3 in each are needed)."
    );
    let empty = made(&[], q2, None, false);
    assert_eq!(empty.incidents, 0);
    assert_eq!(
        empty.figures[3].sentence(q2),
        "Median time to resolve: no incident this period has the times it needs."
    );
    assert!(report_markdown(&empty).contains("0 incidents: 0 SEV1, 0 SEV2, 0 SEV3, 0 SEV4."));
}

#[test]
fn themes_total_categories_services_and_tags_with_ties_in_name_order() {
    let mut a = incident("a", "2026-04-02", 10);
    a.add_factor(FactorCategory::Change, "deploy");
    a.add_factor(FactorCategory::Change, "another deploy");
    a.services = vec!["checkout".into()];
    let mut b = incident("b", "2026-05-02", 10);
    b.add_factor(FactorCategory::Change, "config push");
    b.add_factor(FactorCategory::Monitoring, "no alert");
    b.services = vec!["Checkout".into(), "dns".into()];
    let mut old = incident("old", "2026-02-02", 10);
    old.add_factor(FactorCategory::Monitoring, "no alert");
    old.services = vec!["dns".into()];
    let t = themes(&[&a, &b, &old], Period::quarter_of(day("2026-04-02")));
    let names = |l: &[Theme]| l.iter().map(|t| (t.name.clone(), t.postmortems.len(), t.before)).collect::<Vec<_>>();
    assert_eq!(
        names(&t.categories),
        [("Change or deployment".to_owned(), 2, 0), ("Monitoring and alerting".to_owned(), 1, 1)],
        "a category counts once per postmortem"
    );
    assert_eq!(
        names(&t.services),
        [("Checkout".to_owned(), 2, 0), ("dns".to_owned(), 1, 1)],
        "ignoring case, named as the newest postmortem writes it"
    );
    assert_eq!(t.categories[0].postmortems[0].1, "b", "newest first");
}

#[test]
fn themes_are_trended_month_by_month_across_a_year_boundary() {
    let months = trend_months(day("2026-02-14"), 4);
    assert_eq!(months.iter().map(|m| m.label()).collect::<Vec<_>>(), ["2025-11", "2025-12", "2026-01", "2026-02"]);
    let with = |title: &str, start: &str, services: &[&str], category: Option<FactorCategory>| {
        let mut pm = incident(title, start, 10);
        pm.services = services.iter().map(|s| (*s).to_owned()).collect();
        if let Some(c) = category {
            pm.add_factor(c, "x");
            pm.add_factor(c, "the same category again counts once");
        }
        pm
    };
    let a = with("a", "2025-11-03", &["dns"], Some(FactorCategory::Change));
    let b = with("b", "2025-12-24", &["checkout", "DNS "], Some(FactorCategory::Change));
    let c = with("c", "2026-02-01", &["Checkout"], Some(FactorCategory::Monitoring));
    let d = with("d", "2026-02-20", &["checkout"], None);
    let too_old = with("too old", "2025-10-31", &["dns"], Some(FactorCategory::Change));
    let mut trashed = with("trashed", "2026-01-05", &["dns"], None);
    trashed.trash(created());
    let t = theme_trends(&[&a, &b, &c, &d, &too_old, &trashed], &months, 5);
    // checkout 3 and dns 2; named as the newest postmortem writes them.
    assert_eq!(t.services.names, ["checkout", "DNS"]);
    assert_eq!(t.services.counts, [vec![0, 1], vec![1, 1], vec![0, 0], vec![2, 0]]);
    assert_eq!(t.categories.names, ["Change or deployment", "Monitoring and alerting"]);
    assert_eq!(t.categories.counts, [vec![1, 0], vec![1, 0], vec![0, 0], vec![0, 1]]);
    assert!(t.tags.names.is_empty() && t.tags.counts.iter().all(Vec::is_empty));
    assert_eq!(t.services.csv(), "month,checkout,DNS\r\n2025-11,0,1\r\n2025-12,1,1\r\n2026-01,0,0\r\n2026-02,2,0\r\n");
    let one = theme_trends(&[&a, &b, &c, &d], &months, 1);
    assert_eq!(one.services.names, ["checkout"], "only the most frequent");
    let none = theme_trends(&[], &months, 5);
    assert_eq!(none.services.counts.len(), 4, "every month, even with nothing in it");
}

#[test]
fn similar_incidents_share_categories_or_services() {
    let mut me = incident("me", "2026-04-02", 10);
    me.add_factor(FactorCategory::Change, "deploy");
    me.services = vec!["checkout".into()];
    let mut both = incident("both", "2026-03-01", 10);
    both.add_factor(FactorCategory::Change, "x");
    both.services = vec!["Checkout".into()];
    let mut one = incident("one", "2026-03-20", 10);
    one.add_factor(FactorCategory::Change, "y");
    let unrelated = incident("unrelated", "2026-03-21", 10);
    let all = vec![me.clone(), one, both, unrelated];
    let found = similar(&me, &all, 5);
    let titles: Vec<&str> = found.iter().map(|(_, t, _)| t.as_str()).collect();
    assert_eq!(titles, ["both", "one"]);
    assert_eq!(found[0].2, ["Change or deployment", "Checkout"]);
}

#[test]
fn the_report_gathers_lessons_successes_and_risks_and_replaces_names() {
    let mut a = incident("Checkout errors", "2026-04-02", 10);
    a.summary = "Ana Lima rolled back the pool change.".into();
    a.participants.push(Participant::new(new_item_id(), "Ana Lima", "Incident commander"));
    a.lessons.went_well.push(crate::domain::model::Entry::new("Ana Lima spotted the graph"));
    let done = a.add_action_item(ActionType::Prevent, "Guard rail for pool size");
    let late = a.add_action_item(ActionType::Detect, "Alert on saturation");
    let gone = a.add_action_item(ActionType::Process, "Weekly review");
    for item in &mut a.action_items {
        if item.id == done {
            item.status = ActionStatus::Done;
            item.done_on = Some(day("2026-05-01"));
            item.verdict = Some(Verdict::Worked);
        } else if item.id == late {
            item.due = Some(day("2026-05-01"));
        } else if item.id == gone {
            item.status = ActionStatus::Dropped;
        }
    }
    let q2 = Period::quarter_of(day("2026-04-02"));
    let r = made(std::slice::from_ref(&a), q2, Some(a.id), true);
    assert_eq!(r.completed.len(), 1);
    assert_eq!(r.worked[0].text, "Guard rail for pool size");
    assert_eq!(r.overdue[0].text, "Alert on saturation");
    assert_eq!((r.overdue[0].due, r.overdue_total, r.overdue_postmortems), (Some(day("2026-05-01")), 1, 1));
    assert_eq!(r.overdue_more(), None);
    assert_eq!(r.dropped[0].text, "Weekly review");
    let md = report_markdown(&r);
    assert!(md.starts_with("# Learning report: Q2 2026\n"), "{md}");
    assert!(!md.contains("Ana Lima"), "names are replaced with roles: {md}");
    assert!(md.contains("The incident commander spotted the graph (Checkout errors)"), "{md}");
    assert!(md.contains("## Postmortem of the period: Checkout errors"), "{md}");
    assert!(md.contains("| Median time to resolve | 10 min | — | too few to compare |"), "{md}");
    assert!(md.contains("- Alert on saturation (Checkout errors, due 2026-05-01)"), "{md}");
    // A title with a pipe cannot break a theme table.
    let mut piped = a.clone();
    piped.title = "A | B".into();
    piped.services = vec!["x|y".into()];
    let md = report_markdown(&made(&[piped], q2, None, false));
    assert!(md.contains("| x\\|y | 1 | 0 | A \\| B |"), "{md}");
}

#[test]
fn working_days_skip_weekends_across_a_year_boundary() {
    // Friday 2026-01-02 to Monday 2026-01-05: one working day.
    assert_eq!(working_days(day("2026-01-02"), day("2026-01-05")), 1);
    assert_eq!(working_days(day("2026-01-05"), day("2026-01-05")), 0);
    // Wednesday 2025-12-31 to Wednesday 2026-01-14: two weeks.
    assert_eq!(working_days(day("2025-12-31"), day("2026-01-14")), 10);
    // Saturday to Sunday: none.
    assert_eq!(working_days(day("2026-01-03"), day("2026-01-04")), 0);
    assert_eq!(working_days(day("2026-01-05"), day("2026-01-02")), -1);
}

#[test]
fn the_practice_figures_time_to_publish_contributions_findings_and_empty_sections() {
    let at = |d: &str| DateTime::parse_from_rfc3339(&format!("{d}T12:00:00Z")).map(|t| t.with_timezone(&Utc)).ok();
    // Resolved Friday 2026-04-03 (10:00 + 10 min), approved Tuesday 2026-04-07: 2 working days.
    let mut fast = incident("fast", "2026-04-03", 10);
    crate::domain::review::approve(&mut fast, "Priya", at("2026-04-07").unwrap_or_default()).expect("approved");
    // Resolved Monday 2026-04-06, published without approval, circulated 2026-04-20: 10 days.
    let mut slow = incident("slow", "2026-04-06", 10);
    slow.status = crate::domain::model::Status::Published;
    slow.circulated_at = at("2026-04-20");
    // Resolved, still a draft, written in a template with required sections empty.
    let mut draft = incident("draft", "2026-04-08", 10);
    draft.template = Some(crate::domain::template::builtin::all()[1].outline());
    let chosen = [&fast, &slow, &draft];
    let p = practice(&chosen, 5, |pm| if pm.title == "slow" { 3 } else { 0 });
    let stats = p.to_publish.expect("measured");
    assert_eq!((p.measured, stats.median, stats.min, stats.max), (2, 6.0, 2.0, 10.0));
    assert_eq!((p.within_target, p.target_days, p.not_published, p.day_unknown), (1, 5, 1, 0));
    let mut unknown = slow.clone();
    unknown.circulated_at = None;
    assert_eq!(practice(&[&unknown], 5, |_| 0).day_unknown, 1, "published before the day was recorded");
    let april = crate::domain::metrics::Month { year: 2026, month: 4 };
    assert_eq!(p.findings_by_month, [(april, 2, 3)]);
    assert_eq!((p.templated, p.incomplete), (1, 1));
    assert!(p.empty_sections >= 1);
    assert_eq!((p.contributions, p.with_contributions, p.postmortems), (0, 0, 3));
    // Nothing chosen: nothing measured, no division by zero.
    let none = practice(&[], 5, |_| 0);
    assert_eq!((none.to_publish, none.measured, none.postmortems), (None, 0, 0));
}

#[test]
fn quarters_run_from_the_first_incident_to_the_last_across_a_year_boundary() {
    let all = vec![
        incident("a", "2025-11-20", 60),
        incident("b", "2026-02-05", 90),
        incident("c", "2026-02-25", 30),
        incident("d", "2026-07-05", 10),
    ];
    let rows = quarterly(&all, &Filter::default());
    let labels: Vec<String> = rows.iter().map(|r| r.quarter.label()).collect();
    assert_eq!(labels, ["Q4 2025", "Q1 2026", "Q2 2026", "Q3 2026"], "an empty quarter shows as one");
    let counts: Vec<usize> = rows.iter().map(|r| r.incidents).collect();
    assert_eq!(counts, [1, 2, 0, 1]);
    let q1 = rows[1].times[2].expect("resolved");
    assert_eq!((q1.median, q1.min, q1.max), (60.0, 30.0, 90.0));
    assert_eq!(rows[2].times[2], None);
    assert!(quarterly(&[], &Filter::default()).is_empty());
    // A period filter narrows the first and last quarters to it.
    let from_feb = Filter { from: Some(day("2026-02-10")), ..Filter::default() };
    let rows = quarterly(&all, &from_feb);
    assert_eq!((rows[0].quarter.label(), rows[0].incidents), ("Q1 2026".to_owned(), 1));
}

/// A library of `count` incidents over three years, each with action items in every state
/// (many left open past their due dates), lessons, factors and a participant.
fn years_of_incidents(count: usize) -> Vec<Postmortem> {
    let kinds = [ActionStatus::Open, ActionStatus::InProgress, ActionStatus::Done, ActionStatus::Dropped];
    (0..count)
        .map(|n| {
            let start = day("2024-01-01") + Duration::days((n * 1096 / count) as i64);
            let mut pm = incident(&format!("Incident {n}"), &start.to_string(), 30 + n as i64);
            pm.participants.push(Participant::new(new_item_id(), format!("Person {}", n % 7), "Responder"));
            pm.lessons.went_wrong.push(crate::domain::model::Entry::new(format!("Person {} saw it late", n % 7)));
            pm.add_factor(FactorCategory::ALL[n % FactorCategory::ALL.len()], "a factor");
            pm.services = vec![format!("service-{}", n % 5)];
            for k in 0..4 {
                let id = pm.add_action_item(ActionType::Prevent, format!("Item {n}.{k}"));
                if let Some(a) = pm.action_items.iter_mut().find(|a| a.id == id) {
                    a.status = kinds[(n + k) % 4];
                    a.due = Some(start + Duration::days(7 + 11 * k as i64));
                    if a.status == ActionStatus::Done {
                        a.done_on = Some(start + Duration::days(20 * k as i64 + (n % 90) as i64));
                        a.verdict = (n % 3 == 0).then_some(Verdict::Worked);
                    }
                }
            }
            if n % 50 == 7 {
                pm.trash(created());
            }
            pm
        })
        .collect()
}

#[test]
fn a_report_over_the_postmortems_it_reads_is_the_report_over_all_of_them() {
    let all = years_of_incidents(600);
    let summaries: Vec<Summary> = all.iter().map(Postmortem::summary).collect();
    for period in [
        Period::quarter_of(day("2026-12-01")),
        Period::quarter_of(day("2025-05-01")),
        Period::quarter_of(day("2024-01-15")),
        Period { from: day("2025-02-10"), to: day("2025-03-01") },
        Period::quarter_of(day("2027-06-01")),
    ] {
        let reads = report_reads(&summaries, period, day("2030-01-01"));
        assert!(reads.len() < all.len() / 2, "{}: reads {} of {}", period.label(), reads.len(), all.len());
        let some: Vec<Postmortem> = all.iter().filter(|pm| reads.contains(&pm.id)).cloned().collect();
        let pick = some.iter().find(|pm| period.contains(incident_date(pm))).map(|pm| pm.id);
        for redact in [false, true] {
            let whole = report(&all, &summaries, period, day("2030-01-01"), pick, redact);
            assert_eq!(
                report(&some, &summaries, period, day("2030-01-01"), pick, redact),
                whole,
                "{} (redact {redact})",
                period.label()
            );
        }
    }
}

#[test]
fn the_longest_overdue_items_are_listed_and_the_rest_counted() {
    let all = years_of_incidents(200);
    let period = Period::quarter_of(day("2027-02-01"));
    let r = made(&all, period, None, false);
    // Two of every postmortem's four items are open or in progress, all due before the
    // quarter after the last incident ends.
    let live = all.iter().filter(|pm| pm.deleted_at.is_none()).count();
    assert_eq!((r.overdue_total, r.overdue_postmortems), (2 * live, live));
    assert_eq!(r.overdue.len(), LISTED_OVERDUE);
    let dues: Vec<NaiveDate> = r.overdue.iter().filter_map(|g| g.due).collect();
    assert!(dues.windows(2).all(|w| w[0] <= w[1]), "longest overdue first: {dues:?}");
    assert_eq!(dues[0], day("2024-01-08"), "the first incident's first item");
    assert_eq!(
        r.overdue_more().as_deref(),
        Some(
            format!(
                "And {} more ({} overdue in {live} postmortems in all): the action items page lists every item overdue today.",
                2 * live - 25,
                2 * live
            )
            .as_str()
        )
    );
    assert!(report_markdown(&r).contains(&format!("### Overdue ({})", 2 * live)));
    let none = made(&all, Period::quarter_of(day("2023-06-01")), None, false);
    assert_eq!((none.overdue.len(), none.overdue_total, none.overdue_more()), (0, 0, None));
    // A quarter not over yet: an item due later in it is not overdue today.
    let summaries: Vec<Summary> = all.iter().map(Postmortem::summary).collect();
    let now = report(&all, &summaries, period, day("2024-01-10"), None, false);
    assert_eq!((now.overdue_total, now.overdue.len()), (1, 1), "only the first item, due 2024-01-08");
}
