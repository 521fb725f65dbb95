use super::*;
use crate::domain::model::{ActionStatus, ActionType, EventKind, Status};
use crate::domain::sample::full_postmortem;
use crate::domain::time::Moment;
use chrono::{DateTime, Utc};
use proptest::prelude::*;

fn utc(local: &str) -> Option<Moment> {
    Moment::parse(&format!("{local}Z")).ok()
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-05-01T10:00:00Z").map(|t| t.with_timezone(&Utc)).unwrap_or_default()
}

fn base() -> Postmortem {
    full_postmortem(now())
}

fn merged(b: Option<&Postmortem>, m: &Postmortem, t: &Postmortem) -> Merged {
    merge(b, m, t, &BTreeMap::new()).expect("mergeable")
}

#[test]
fn changes_to_different_fields_merge_by_themselves() {
    let b = base();
    let (mut m, mut t) = (b.clone(), b.clone());
    m.summary = "Mine: a pool setting starved checkout".into();
    t.impact.description = "Theirs: 12% of checkouts failed".into();
    let out = merged(Some(&b), &m, &t);
    assert!(out.conflicts.is_empty(), "{:?}", out.conflicts);
    assert_eq!(out.postmortem.summary, m.summary);
    assert_eq!(out.postmortem.impact.description, t.impact.description);
}

#[test]
fn rows_merge_by_id_added_changed_and_removed() {
    let b = base();
    let (mut m, mut t) = (b.clone(), b.clone());
    // Each side changes a different event, and both add one at the end.
    m.timeline[0].description = "Mine changed the first event".into();
    t.timeline[1].description = "Theirs changed the second event".into();
    m.add_timeline_event(utc("2026-05-01T23:00"), EventKind::Action, "Mine added late");
    t.add_timeline_event(utc("2026-05-01T23:30"), EventKind::Decision, "Theirs added later");
    // Theirs removes a factor mine left alone; mine removes a lesson theirs left alone.
    let gone_factor = t.factors.remove(0).id;
    let gone_lesson = m.lessons.went_well.remove(0).id;
    let out = merged(Some(&b), &m, &t);
    assert!(out.conflicts.is_empty(), "{:?}", out.conflicts);
    let texts: Vec<&str> = out.postmortem.timeline.iter().map(|e| e.description.as_str()).collect();
    assert!(texts.contains(&"Mine changed the first event") && texts.contains(&"Theirs changed the second event"));
    assert_eq!(texts[texts.len() - 2..], ["Mine added late", "Theirs added later"]);
    assert!(out.postmortem.factors.iter().all(|f| f.id != gone_factor));
    assert!(out.postmortem.lessons.went_well.iter().all(|e| e.id != gone_lesson));
}

#[test]
fn the_same_text_changed_on_both_sides_keeps_both_unless_picked() {
    let b = base();
    let (mut m, mut t) = (b.clone(), b.clone());
    m.summary = "Mine".into();
    t.summary = "Theirs".into();
    let out = merged(Some(&b), &m, &t);
    assert_eq!(out.conflicts.len(), 1);
    let c = &out.conflicts[0];
    assert_eq!((c.key.as_str(), c.label.as_str(), c.kind), ("summary", "Summary", ConflictKind::Text));
    assert_eq!((c.mine.as_str(), c.theirs.as_str()), ("Mine", "Theirs"));
    assert_eq!(out.postmortem.summary, "Mine / Theirs");
    assert!(!out.default_discards());
    for (pick, expected) in [(Pick::Mine, "Mine"), (Pick::Theirs, "Theirs"), (Pick::Text("Edited".into()), "Edited")] {
        let picks = BTreeMap::from([("summary".to_owned(), pick)]);
        let out = merge(Some(&b), &m, &t, &picks).expect("mergeable");
        assert_eq!(out.postmortem.summary, expected);
    }
}

#[test]
fn a_value_changed_on_both_sides_is_marked_as_discarding_by_default() {
    let mut b = base();
    b.status = Status::Draft;
    let (mut m, mut t) = (b.clone(), b.clone());
    m.status = Status::InReview;
    t.status = Status::Closed;
    let id = b.timeline[0].id;
    m.timeline[0].at = utc("2026-05-01T08:00");
    t.timeline[0].at = utc("2026-05-01T08:05");
    let out = merged(Some(&b), &m, &t);
    let keys: Vec<&str> = out.conflicts.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(keys, ["status", &format!("timeline[{id}].at")]);
    assert!(out.conflicts.iter().all(|c| c.kind == ConflictKind::Value));
    assert!(out.conflicts[1].label.starts_with("Timeline event “") && out.conflicts[1].label.ends_with(": time"));
    assert!(out.default_discards());
    assert_eq!(out.postmortem.status, Status::InReview);
    let picks = BTreeMap::from([("status".to_owned(), Pick::Theirs)]);
    assert_eq!(merge(Some(&b), &m, &t, &picks).map(|o| o.postmortem.status), Ok(Status::Closed));
}

#[test]
fn a_row_removed_on_one_side_and_changed_on_the_other_is_kept_unless_picked() {
    let b = base();
    let (mut m, mut t) = (b.clone(), b.clone());
    let item = m.action_items.remove(0);
    t.action_items[0].owner = "Storage team".into();
    let out = merged(Some(&b), &m, &t);
    assert_eq!(out.conflicts.len(), 1);
    assert_eq!(out.conflicts[0].kind, ConflictKind::RemovedHere);
    assert!(out.postmortem.action_items.iter().any(|a| a.id == item.id && a.owner == "Storage team"));
    let picks = BTreeMap::from([(out.conflicts[0].key.clone(), Pick::Mine)]);
    let removed = merge(Some(&b), &m, &t, &picks).expect("mergeable");
    assert!(removed.postmortem.action_items.iter().all(|a| a.id != item.id));
    // The other way round.
    let out = merged(Some(&b), &t, &m);
    assert_eq!(out.conflicts[0].kind, ConflictKind::RemovedThere);
    assert!(out.postmortem.action_items.iter().any(|a| a.id == item.id));
}

#[test]
fn without_a_common_version_rows_are_joined_and_every_difference_asked() {
    let b = base();
    let (mut m, mut t) = (b.clone(), b.clone());
    m.add_action_item(ActionType::Detect, "Mine: alert on pool waits");
    t.add_action_item(ActionType::Prevent, "Theirs: validate pool size in CI");
    t.summary = "Theirs".into();
    let out = merged(None, &m, &t);
    let texts: Vec<&str> = out.postmortem.action_items.iter().map(|a| a.description.as_str()).collect();
    assert!(texts.contains(&"Mine: alert on pool waits") && texts.contains(&"Theirs: validate pool size in CI"));
    assert_eq!(out.conflicts.iter().map(|c| c.key.as_str()).collect::<Vec<_>>(), ["summary"]);
    assert!(out.postmortem.summary.contains("Theirs") && out.postmortem.summary.contains(&b.summary));
}

#[test]
fn what_each_browser_keeps_for_itself_is_always_this_one() {
    let b = base();
    let (mut m, mut t) = (b.clone(), b.clone());
    m.revision = 4;
    t.revision = 9;
    t.updated_at = now() + chrono::Duration::days(1);
    t.deleted_at = Some(now());
    let out = merged(Some(&b), &m, &t);
    assert!(out.conflicts.is_empty());
    assert_eq!(
        (out.postmortem.revision, out.postmortem.updated_at, out.postmortem.deleted_at),
        (4, m.updated_at, None)
    );
}

#[test]
fn labels_name_the_row_and_the_field() {
    let b = base();
    let (mut m, mut t) = (b.clone(), b.clone());
    m.factors[0].whys[0].text = "Mine why".into();
    t.factors[0].whys[0].text = "Their why".into();
    m.key_times.detected = utc("2026-05-01T09:00");
    t.key_times.detected = utc("2026-05-01T09:10");
    m.impact.description = "Mine".into();
    t.impact.description = "Theirs".into();
    let out = merged(Some(&b), &m, &t);
    let labels: Vec<&str> = out.conflicts.iter().map(|c| c.label.as_str()).collect();
    assert!(labels.contains(&"Detected"), "{labels:?}");
    assert!(labels.contains(&"Impact description"), "{labels:?}");
    assert!(labels.iter().any(|l| l.starts_with("Why “") && l.ends_with(": text")), "{labels:?}");
}

// Property tests: two random edit scripts applied to one postmortem.

/// One edit an author makes, at a place no other kind of edit touches.
#[derive(Debug, Clone)]
enum Edit {
    Summary(String),
    Impact(String),
    IncidentRef(String),
    Status(usize),
    EventText(usize, String),
    AddEvent(u32, String),
    RemoveEvent(usize),
    Owner(usize, String),
    AddLesson(String),
    AddTag(String),
}

impl Edit {
    /// Where the edit lands: two edits at the same place may conflict.
    fn place(&self, pm: &Postmortem) -> String {
        match self {
            Self::Summary(_) => "summary".into(),
            Self::Impact(_) => "impact".into(),
            Self::IncidentRef(_) => "ref".into(),
            Self::Status(_) => "status".into(),
            Self::EventText(i, _) | Self::RemoveEvent(i) => {
                format!("event {}", pm.timeline.get(i % pm.timeline.len().max(1)).map(|e| e.id).unwrap_or_default())
            }
            Self::Owner(i, _) => {
                format!(
                    "owner {}",
                    pm.action_items.get(i % pm.action_items.len().max(1)).map(|a| a.id).unwrap_or_default()
                )
            }
            // Additions never collide.
            Self::AddEvent(..) | Self::AddLesson(_) | Self::AddTag(_) => format!("{self:?}"),
        }
    }

    fn apply(&self, pm: &mut Postmortem) {
        match self {
            Self::Summary(s) => pm.summary = s.clone(),
            Self::Impact(s) => pm.impact.description = s.clone(),
            Self::IncidentRef(s) => pm.incident_ref = s.clone(),
            Self::Status(i) => pm.status = Status::ALL[i % Status::ALL.len()],
            Self::EventText(i, s) => {
                let n = pm.timeline.len().max(1);
                if let Some(e) = pm.timeline.get_mut(i % n) {
                    e.description = s.clone();
                }
            }
            Self::AddEvent(minute, s) => {
                pm.add_timeline_event(
                    utc(&format!("2026-05-02T{:02}:{:02}", minute / 60 % 24, minute % 60)),
                    EventKind::Observation,
                    s.clone(),
                );
            }
            Self::RemoveEvent(i) => {
                let n = pm.timeline.len().max(1);
                if pm.timeline.len() > i % n {
                    pm.timeline.remove(i % n);
                }
            }
            Self::Owner(i, s) => {
                let n = pm.action_items.len().max(1);
                if let Some(a) = pm.action_items.get_mut(i % n) {
                    a.owner = s.clone();
                    a.status = ActionStatus::InProgress;
                }
            }
            Self::AddLesson(s) => pm.lessons.went_wrong.push(crate::domain::model::Entry::new(s.clone())),
            Self::AddTag(s) => {
                crate::domain::model::add_label(&mut pm.tags, s);
            }
        }
    }
}

fn edit() -> impl Strategy<Value = Edit> {
    let word = "[a-z]{3,10}";
    prop_oneof![
        word.prop_map(Edit::Summary),
        word.prop_map(Edit::Impact),
        word.prop_map(Edit::IncidentRef),
        (0usize..4).prop_map(Edit::Status),
        (0usize..6, word).prop_map(|(i, s)| Edit::EventText(i, s)),
        (0u32..1440, word).prop_map(|(m, s)| Edit::AddEvent(m, s)),
        (0usize..6).prop_map(Edit::RemoveEvent),
        (0usize..3, word).prop_map(|(i, s)| Edit::Owner(i, s)),
        word.prop_map(Edit::AddLesson),
        word.prop_map(Edit::AddTag),
    ]
}

/// The postmortem with every list of rows in id order, to compare content whatever order
/// additions were placed in.
fn normalised(pm: &Postmortem) -> Postmortem {
    let mut pm = pm.clone();
    pm.timeline.sort_by_key(|e| e.id);
    pm.lessons.went_wrong.sort_by_key(|e| e.id);
    pm.action_items.sort_by_key(|a| a.id);
    pm.tags.sort();
    pm
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("DEBRIEF_MERGE_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(256)
    ))]

    #[test]
    fn no_edit_is_lost_and_separate_edits_never_conflict(
        mine_edits in proptest::collection::vec(edit(), 0..6),
        their_edits in proptest::collection::vec(edit(), 0..6),
    ) {
        let b = base();
        let (mut m, mut t) = (b.clone(), b.clone());
        let mine_places: Vec<String> = mine_edits.iter().map(|e| { let p = e.place(&m); e.apply(&mut m); p }).collect();
        let their_places: Vec<String> = their_edits.iter().map(|e| { let p = e.place(&t); e.apply(&mut t); p }).collect();
        let out = merge(Some(&b), &m, &t, &BTreeMap::new()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        if mine_places.iter().all(|p| !their_places.contains(p)) {
            prop_assert!(out.conflicts.is_empty(), "separate edits conflict: {:?}", out.conflicts);
        }
        if !out.default_discards() {
            let merged = &out.postmortem;
            // Every side's final text is in the merged text of each field it changed.
            for (side, edited) in [(&m, "mine"), (&t, "theirs")] {
                type Field = (fn(&Postmortem) -> String, &'static str);
                let fields: [Field; 3] = [
                    (|p| p.summary.clone(), "summary"),
                    (|p| p.impact.description.clone(), "impact"),
                    (|p| p.incident_ref.clone(), "ref"),
                ];
                for (get, name) in fields {
                    if get(side) != get(&b) {
                        prop_assert!(get(merged).contains(&get(side)), "{edited} {name} lost: {:?}", get(merged));
                    }
                }
                for event in &side.timeline {
                    let before = b.timeline.iter().find(|e| e.id == event.id);
                    if before != Some(event) {
                        prop_assert!(merged.timeline.iter().any(|e| e.id == event.id && e.description.contains(&event.description)),
                            "{edited}'s event lost: {event:?}");
                    }
                }
                for lesson in &side.lessons.went_wrong {
                    prop_assert!(merged.lessons.went_wrong.iter().any(|e| e.id == lesson.id), "{edited}'s lesson lost");
                }
                for tag in &side.tags {
                    prop_assert!(merged.tags.contains(tag), "{edited}'s tag lost");
                }
            }
        }
    }

    #[test]
    fn merging_is_symmetric(
        mine_edits in proptest::collection::vec(edit(), 0..6),
        their_edits in proptest::collection::vec(edit(), 0..6),
    ) {
        let b = base();
        let (mut m, mut t) = (b.clone(), b.clone());
        mine_edits.iter().for_each(|e| e.apply(&mut m));
        their_edits.iter().for_each(|e| e.apply(&mut t));
        let one = merge(Some(&b), &m, &t, &BTreeMap::new()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let other = merge(Some(&b), &t, &m, &BTreeMap::new()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut keys_one: Vec<&str> = one.conflicts.iter().map(|c| c.key.as_str()).collect();
        let mut keys_other: Vec<&str> = other.conflicts.iter().map(|c| c.key.as_str()).collect();
        keys_one.sort();
        keys_other.sort();
        prop_assert_eq!(keys_one, keys_other, "the same questions either way");
        if one.conflicts.is_empty() {
            let mut expected = normalised(&one.postmortem);
            let mut got = normalised(&other.postmortem);
            // What each browser keeps for itself is its own.
            (expected.revision, expected.updated_at) = (0, b.updated_at);
            (got.revision, got.updated_at) = (0, b.updated_at);
            prop_assert_eq!(expected, got);
        }
    }
}

#[test]
fn a_zone_change_on_one_side_is_not_a_change_to_the_times_the_other_edited() {
    use crate::domain::time::{Zone, test_rules::TestRules};
    let mut base = Postmortem::new(crate::domain::model::PostmortemId::random(), chrono::Utc::now());
    base.key_times.time_zone = Zone::parse("UTC+01:00").expect("zone");
    base.key_times.impact_started = Moment::parse("2026-07-01T10:00+01:00").ok();
    base.key_times.detected = Moment::parse("2026-07-01T10:20+01:00").ok();
    base.add_timeline_event(Moment::parse("2026-07-01T10:05+01:00").ok(), EventKind::Observation, "alert");
    // Mine picks Europe/Berlin: the same instants, written at summer time's +02:00.
    let mut mine = base.clone();
    mine.key_times.time_zone = Zone::parse("Europe/Berlin").expect("zone");
    let berlin = mine.key_times.time_zone.clone();
    for k in KeyTime::ALL {
        let m = mine.key_times.get(k).map(|m| berlin.show(&TestRules, m));
        mine.key_times.set(k, m);
    }
    mine.timeline[0].at = mine.timeline[0].at.map(|m| berlin.show(&TestRules, m));
    // Theirs corrects the detection time and the event.
    let mut theirs = base.clone();
    theirs.key_times.detected = Moment::parse("2026-07-01T10:30+01:00").ok();
    theirs.timeline[0].at = Moment::parse("2026-07-01T10:07+01:00").ok();
    let merged = merge(Some(&base), &mine, &theirs, &BTreeMap::new()).expect("merges");
    assert!(merged.conflicts.is_empty(), "{:?}", merged.conflicts);
    assert_eq!(merged.postmortem.key_times.time_zone, berlin);
    let instant = |m: Option<Moment>| m.map(|m| m.instant());
    assert_eq!(instant(merged.postmortem.key_times.detected), instant(theirs.key_times.detected));
    assert_eq!(instant(merged.postmortem.key_times.impact_started), instant(base.key_times.impact_started));
    assert_eq!(instant(merged.postmortem.timeline[0].at), instant(theirs.timeline[0].at));
}
