use super::*;
use crate::domain::merge::merge;
use crate::domain::model::template::{Template, builtin_checklist};
use crate::domain::model::{ActionType, EventKind, FactorCategory, PostmortemId};
use crate::domain::sample::full_postmortem;
use std::collections::BTreeMap;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-05-01T10:00:00Z").map(|t| t.with_timezone(&Utc)).unwrap_or_default()
}

fn later(minutes: i64) -> DateTime<Utc> {
    now() + chrono::Duration::minutes(minutes)
}

fn empty() -> Postmortem {
    Postmortem::new(PostmortemId::random(), now())
}

#[test]
fn the_checklist_is_the_templates_or_the_built_in_one() {
    let pm = empty();
    let keys: Vec<String> = checklist(&pm).into_iter().map(|i| i.key).collect();
    assert_eq!(
        keys,
        ["impact-described", "beyond-first-cause", "owners-and-dates", "wording-resolved", "shared-with-affected"]
    );
    let mut template = Template::blank();
    template.checklist.clear();
    template.add_check_item("Customer support has read it");
    template.add_check_item("Customer support has read it");
    assert_eq!(template.checklist[1].key, "customer-support-has-read-it-2", "keys stay unique");
    let mut pm = empty();
    pm.template = Some(template.outline());
    assert_eq!(checklist(&pm).len(), 2);
    assert!(template.problems().is_empty());
    template.checklist[0].text = " ".into();
    assert_eq!(template.problems(), ["Checklist item 1 needs its words."]);
}

#[test]
fn a_template_file_without_a_checklist_takes_the_built_in_one() {
    let mut json = serde_json::to_value(Template::blank()).expect("json");
    json.as_object_mut().map(|o| o.remove("checklist"));
    let read: Template = serde_json::from_value(json).expect("reads");
    assert_eq!(read.checklist, builtin_checklist());
    let mut emptied = Template::blank();
    emptied.checklist.clear();
    let text = serde_json::to_string(&emptied).expect("json");
    let back: Template = serde_json::from_str(&text).expect("reads");
    assert!(back.checklist.is_empty(), "a checklist emptied on purpose stays empty");
}

#[test]
fn a_postmortem_with_no_review_and_the_built_in_checklist_hashes_as_before_reviews_existed() {
    // Its lineage, recorded by an earlier version, must still name it.
    let pm = crate::domain::sample::templated_postmortem(now());
    let text = serde_json::to_string(&pm).expect("json");
    assert!(!text.contains("\"checklist\"") && !text.contains("\"review\""), "{text}");
    assert!(pm.template.is_some(), "a templated postmortem, whose outline now has a checklist");
    let mut custom = pm.clone();
    if let Some(t) = custom.template.as_mut() {
        t.checklist.truncate(2);
    }
    assert!(serde_json::to_string(&custom).expect("json").contains("\"checklist\""), "a custom one is written");
}

#[test]
fn hints_say_what_debrief_can_tell_about_each_built_in_item() {
    let mut pm = empty();
    let h = |pm: &Postmortem, key: &str, findings: usize| hint_for(pm, key, findings).expect("a hint");
    assert!(!h(&pm, check_keys::IMPACT, 0).looks_done);
    assert_eq!(h(&pm, check_keys::IMPACT, 0).text, "The impact has no description or figures yet.");
    pm.impact.description = "A third of checkouts failed for 52 minutes".into();
    assert!(h(&pm, check_keys::IMPACT, 0).looks_done);

    assert_eq!(h(&pm, check_keys::BEYOND_FIRST_CAUSE, 0).text, "No contributing factors yet.");
    let f = pm.add_factor(FactorCategory::Configuration, "Pool size lowered");
    assert!(!h(&pm, check_keys::BEYOND_FIRST_CAUSE, 0).looks_done, "one factor and no whys is the first cause");
    pm.factors[0].whys.push(crate::domain::model::Entry::new("No load test for config changes"));
    assert!(h(&pm, check_keys::BEYOND_FIRST_CAUSE, 0).looks_done);
    assert_eq!(h(&pm, check_keys::BEYOND_FIRST_CAUSE, 0).text, "1 contributing factor, 1 why.");
    let _ = f;

    assert_eq!(h(&pm, check_keys::OWNERS_AND_DATES, 0).text, "No action items yet.");
    pm.add_action_item(ActionType::Prevent, "Load test pool changes");
    pm.add_action_item(ActionType::Detect, "Alert on pool saturation");
    assert_eq!(h(&pm, check_keys::OWNERS_AND_DATES, 0).text, "2 action items without an owner or a due date.");
    for a in &mut pm.action_items {
        a.owner = "Platform team".into();
        a.due = chrono::NaiveDate::from_ymd_opt(2026, 6, 1);
    }
    assert_eq!(h(&pm, check_keys::OWNERS_AND_DATES, 0).text, "All 2 action items have both.");

    assert!(h(&pm, check_keys::WORDING, 0).looks_done);
    assert_eq!(h(&pm, check_keys::WORDING, 3).text, "3 wording suggestions still open.");
    assert_eq!(hint_for(&pm, check_keys::SHARED, 0), None, "only a person can tell");
}

#[test]
fn ticking_approving_and_what_is_left() {
    let mut pm = full_postmortem(now());
    pm.status = Status::InReview;
    assert_eq!(readiness(&pm).unticked.len(), 5);
    assert_eq!(tick(&mut pm, check_keys::IMPACT, Some("  "), now()), Err(ReviewError::NoName));
    tick(&mut pm, check_keys::IMPACT, Some("Priya"), now()).expect("ticked");
    tick(&mut pm, check_keys::SHARED, Some("Priya"), now()).expect("ticked");
    let ticked = lines(&pm);
    assert_eq!(ticked[0].ticked.as_ref().map(|s| s.by.as_str()), Some("Priya"));
    assert!(ticked[1].ticked.is_none());
    tick(&mut pm, check_keys::SHARED, None, now()).expect("unticked");
    add_comment(&mut pm, Anchor::Whole, "Priya", "  Clear.  ", now()).expect("added");
    assert_eq!(add_comment(&mut pm, Anchor::Whole, "Priya", "   ", now()), Err(ReviewError::EmptyComment));
    let left = readiness(&pm);
    assert_eq!(left.unticked.len(), 4);
    assert_eq!(left.left(), "4 checklist items not ticked and 1 comment open");
    assert_eq!(approve(&mut pm, "", later(5)), Err(ReviewError::NoName));
    assert_eq!(pm.status, Status::InReview, "nothing changes when refused");
    approve(&mut pm, "Priya", later(5)).expect("approved");
    assert_eq!(pm.status, Status::Published);
    let approval = pm.review.approval().expect("recorded");
    assert_eq!(
        (approval.by.as_str(), approval.at, approval.unticked, approval.open_comments),
        ("Priya", later(5), 4, 1)
    );
    assert_eq!(pm.review.reviewers, ["Priya"], "the approver is a reviewer");
    let mut closed = pm.clone();
    closed.status = Status::Closed;
    approve(&mut closed, "priya", later(9)).expect("approved again");
    assert_eq!(closed.status, Status::Closed, "approving again does not reopen a closed postmortem");
    assert_eq!(closed.review.reviewers, ["Priya"], "names are not repeated, whatever their case");
}

#[test]
fn comments_anchor_to_sections_events_factors_and_action_items() {
    let mut pm = empty();
    pm.summary = "S".into();
    let e = pm.add_timeline_event(
        crate::domain::Moment::parse("2026-05-01T14:02:00+02:00").ok(),
        EventKind::Observation,
        "Alert fired",
    );
    let f = pm.add_factor(FactorCategory::Process, "No load test");
    let a = pm.add_action_item(ActionType::Prevent, "Add a load test");
    let all = anchors(&pm);
    let sections = crate::domain::outline::outline(&pm).sections;
    let labels: Vec<&str> = all.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(
        labels,
        [
            "The postmortem as a whole",
            "Section: Summary",
            "Section: Key times",
            "Section: Timeline",
            "Section: Contributing factors",
            "Section: Action items",
            "Event: 14:02 Alert fired",
            "Factor: No load test",
            "Action item: Add a load test"
        ]
    );
    for (anchor, _) in &all {
        assert_eq!(Anchor::parse(&anchor.to_string()).as_ref(), Some(anchor), "{anchor} round-trips");
    }
    assert_eq!(anchor_label(&Anchor::Event(e), &pm), "Event: 14:02 Alert fired");
    pm.timeline.clear();
    assert_eq!(anchor_label(&Anchor::Event(e), &pm), "A timeline event since removed");
    let under = |anchor: &Anchor| -> Vec<String> {
        sections.iter().filter(|s| shown_under(anchor, s)).map(|s| s.title.clone()).collect()
    };
    assert_eq!(under(&Anchor::Event(e)), ["Timeline"]);
    assert_eq!(under(&Anchor::Factor(f)), ["Contributing factors"]);
    assert_eq!(under(&Anchor::Action(a)), ["Action items"]);
    assert_eq!(under(&Anchor::Section("summary".into())), ["Summary"]);
    assert!(under(&Anchor::Whole).is_empty(), "shown at the top instead");
    for bad in ["", "event:nope", "section:", "thing:1", "Postmortem"] {
        assert_eq!(Anchor::parse(bad), None, "{bad}");
    }
    assert!(serde_json::from_str::<Anchor>("\"event:x\"").is_err());
}

#[test]
fn a_review_round_trip_by_file_keeps_both_sides_comments() {
    // The author sends the postmortem; the reviewer comments and approves in another
    // browser; meanwhile the author comments too and resolves the reviewer's first comment
    // once it comes back... in both orders of arrival.
    let mut base = full_postmortem(now());
    base.status = Status::InReview;
    add_comment(&mut base, Anchor::Whole, "Ana", "Please check the impact figures", now()).expect("added");
    let shared = base.review.comments[0].id;

    let mut reviewer = base.clone();
    let event = reviewer.timeline[0].id;
    add_comment(&mut reviewer, Anchor::Event(event), "Priya", "Which dashboard?", later(1)).expect("added");
    reviewer.review.resolve(shared, Some(Signed { by: "Priya".into(), at: later(2) }));
    tick(&mut reviewer, check_keys::IMPACT, Some("Priya"), later(3)).expect("ticked");
    approve(&mut reviewer, "Priya", later(4)).expect("approved");

    let mut author = base.clone();
    add_comment(&mut author, Anchor::Section("summary".into()), "Ana", "Shortened the summary", later(2))
        .expect("added");
    author.review.comments[0].text = "Please check the impact figures (and the retries)".into();

    for (mine, theirs) in [(&author, &reviewer), (&reviewer, &author)] {
        let out = merge(Some(&base), mine, theirs, &BTreeMap::new()).expect("merges");
        assert!(out.conflicts.is_empty(), "{:?}", out.conflicts);
        let review = &out.postmortem.review;
        assert_eq!(review.comments.len(), 3, "every comment from both sides");
        let first = review.comments.iter().find(|c| c.id == shared).expect("kept");
        assert_eq!(first.text, "Please check the impact figures (and the retries)", "the author's edit");
        assert_eq!(first.resolved.as_ref().map(|r| r.by.as_str()), Some("Priya"), "the reviewer's resolution");
        assert_eq!(review.approvals.len(), 1);
        assert!(review.check(check_keys::IMPACT).is_some());
        assert_eq!(out.postmortem.status, Status::Published, "approval moved it to Published");
    }
}

#[test]
fn resolution_wins_even_without_a_common_version_and_ticks_on_both_sides_stand() {
    let mut pm = empty();
    add_comment(&mut pm, Anchor::Whole, "Ana", "One", now()).expect("added");
    let (mut mine, mut theirs) = (pm.clone(), pm.clone());
    theirs.review.resolve(pm.review.comments[0].id, Some(Signed { by: "Priya".into(), at: later(1) }));
    tick(&mut mine, check_keys::SHARED, Some("Ana"), later(1)).expect("ticked");
    tick(&mut theirs, check_keys::SHARED, Some("Priya"), later(2)).expect("ticked");
    add_comment(&mut theirs, Anchor::Whole, "Priya", "Two", later(3)).expect("added");
    for (m, t) in [(&mine, &theirs), (&theirs, &mine)] {
        let out = merge(None, m, t, &BTreeMap::new()).expect("merges");
        assert!(out.conflicts.is_empty(), "{:?}", out.conflicts);
        assert!(out.postmortem.review.comments[0].resolved.is_some(), "resolved on one side: resolved");
        assert_eq!(out.postmortem.review.comments.len(), 2);
        assert_eq!(out.postmortem.review.checks.len(), 1, "ticked on both sides: one tick");
    }
    // Both sides edit one comment's text differently: a text question, both kept by default.
    let (mut m, mut t) = (pm.clone(), pm.clone());
    m.review.comments[0].text = "One, mine".into();
    t.review.comments[0].text = "One, theirs".into();
    let out = merge(Some(&pm), &m, &t, &BTreeMap::new()).expect("merges");
    assert_eq!(out.conflicts.len(), 1);
    assert_eq!(out.conflicts[0].label, "Review comment “One, mine”: text");
    assert_eq!(out.postmortem.review.comments[0].text, "One, mine / One, theirs");
}

#[test]
fn people_lists_refuse_repeats_and_overlong_names() {
    let mut list = Vec::new();
    assert_eq!(add_person(&mut list, " Ana Lima "), Ok(true));
    assert_eq!(add_person(&mut list, "ana lima"), Ok(false));
    assert_eq!(add_person(&mut list, "  "), Ok(false));
    assert_eq!(add_person(&mut list, &"x".repeat(200)), Err(ReviewError::NameTooLong));
    for n in 0..60 {
        let _ = add_person(&mut list, &format!("P{n}"));
    }
    assert_eq!(list.len(), MAX_PEOPLE);
    assert_eq!(add_person(&mut list, "One more"), Err(ReviewError::TooManyPeople));
}

#[test]
fn a_review_over_the_limits_is_named_with_its_place() {
    let mut pm = empty();
    pm.review.comment(Anchor::Whole, "Ana", &"x".repeat(MAX_COMMENT_CHARS + 1), now());
    let over = crate::domain::limits::over_limits(&pm);
    assert_eq!(over.len(), 1);
    assert_eq!(over[0].place, ".review.comments[0].text");
}

#[test]
fn a_side_whose_review_became_empty_still_merges_with_the_others_review() {
    // The author deletes the only comment (their review is then left out of the file);
    // the reviewer comments, ticks and approves: all of the reviewer's is kept.
    let mut base = full_postmortem(now());
    base.status = Status::InReview;
    add_comment(&mut base, Anchor::Whole, "Ana", "First", now()).expect("added");
    let mut author = base.clone();
    author.review.comments.clear();
    assert!(author.review.is_empty());
    let mut reviewer = base.clone();
    add_comment(&mut reviewer, Anchor::Whole, "Priya", "Second", later(1)).expect("added");
    tick(&mut reviewer, check_keys::IMPACT, Some("Priya"), later(2)).expect("ticked");
    approve(&mut reviewer, "Priya", later(3)).expect("approved");
    for (mine, theirs) in [(&author, &reviewer), (&reviewer, &author)] {
        let out = merge(Some(&base), mine, theirs, &BTreeMap::new()).expect("merges");
        assert!(out.conflicts.is_empty(), "{:?}", out.conflicts);
        let texts: Vec<&str> = out.postmortem.review.comments.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["Second"], "the deletion and the new comment both stand");
        assert_eq!(out.postmortem.review.approvals.len(), 1);
        assert_eq!(out.postmortem.review.checks.len(), 1);
    }
    // Unticking the only tick on one side while the other ticks another item.
    let mut ticked = base.clone();
    tick(&mut ticked, check_keys::IMPACT, Some("Ana"), now()).expect("ticked");
    let (mut m, mut t) = (ticked.clone(), ticked.clone());
    tick(&mut m, check_keys::IMPACT, None, later(1)).expect("unticked");
    tick(&mut t, check_keys::SHARED, Some("Priya"), later(1)).expect("ticked");
    let out = merge(Some(&ticked), &m, &t, &BTreeMap::new()).expect("merges");
    assert!(out.conflicts.is_empty(), "{:?}", out.conflicts);
    let keys: Vec<&str> = out.postmortem.review.checks.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(keys, [check_keys::SHARED]);
}

#[test]
fn a_file_with_an_unsigned_or_duplicated_review_entry_is_refused_with_its_place() {
    let mut pm = empty();
    add_comment(&mut pm, Anchor::Whole, "Ana", "One", now()).expect("added");
    assert_eq!(pm.review.problem(), None);
    let mut unsigned = pm.clone();
    unsigned.review.comments[0].author = " ".into();
    assert_eq!(unsigned.review.problem().map(|p| p.0), Some(".comments[0]".to_owned()));
    let mut twice = pm.clone();
    twice.review.comments.push(pm.review.comments[0].clone());
    assert_eq!(twice.review.problem().map(|p| p.0), Some(".comments[1].id".to_owned()));
    let text = crate::file_format::export_postmortem(&unsigned).expect("writable");
    let read = crate::file_format::import::read_file("unsigned.json", &text).expect("the header is fine");
    assert_eq!(read.broken.len(), 1);
    assert_eq!(read.broken[0].place, "$.postmortems[0].review.comments[0]");
    assert!(read.broken[0].problem.contains("not signed"), "{}", read.broken[0].problem);
    assert_eq!(Anchor::parse("section:a b"), None, "no white space in a section key");
}

#[test]
fn approvals_and_ticks_stop_at_their_limits_instead_of_blocking_saves() {
    let mut pm = empty();
    for n in 0..crate::domain::limits::MAX_APPROVALS {
        approve(&mut pm, &format!("R{n}"), later(n as i64)).expect("approved");
    }
    assert_eq!(approve(&mut pm, "One more", later(200)), Err(ReviewError::TooManyApprovals));
    for n in 0..crate::domain::model::template::MAX_CHECKLIST {
        pm.review.set_check(&format!("old-{n}"), "old", Some(Signed { by: "A".into(), at: now() }));
    }
    assert_eq!(tick(&mut pm, check_keys::IMPACT, Some("A"), now()), Err(ReviewError::TooManyTicks));
    assert!(crate::domain::limits::over_limits(&pm).iter().all(|o| !o.place.starts_with(".review")));
}
