//! Failure injection: the repository, and the editor session over it, on an in-memory store
//! whose writes fail now and then, whose reads come back corrupt, and which vanishes and
//! comes back mid-session; and a second tab saving the same postmortem meanwhile.
//!
//! The promise checked: no accepted edit is ever lost. After every save the edit is either
//! stored (and reads back exactly), or the save says it failed, the edit is still in the
//! editor's hands, and saving again once the storage behaves stores it. Nothing stored is
//! ever left unreadable, and the library always opens again. With another tab saving, the
//! editor never writes over that tab's save without the author choosing to.
#![cfg(not(target_arch = "wasm32"))]

use chrono::{Duration, TimeZone, Utc};
use debrief::app::Library;
use debrief::app::editor::EditorSession;
use debrief::domain::{Postmortem, PostmortemId};
use debrief::storage::flaky::{Fault, FlakyStore};
use debrief::storage::{Repository, StorageError};
use proptest::prelude::*;

fn fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        6 => Just(Fault::None),
        1 => Just(Fault::WriteRefused),
        1 => Just(Fault::Quota),
        1 => Just(Fault::WriteThenError),
        1 => Just(Fault::CorruptRead),
        1 => Just(Fault::ReadFails),
        1 => Just(Fault::Vanish),
    ]
}

/// The editor's side of a save, as the editor does it: stamp, save, keep the revision.
fn save(repo: &mut Repository<FlakyStore>, pm: &mut Postmortem) -> Result<(), StorageError> {
    let revision = repo.save(pm)?;
    pm.revision = revision;
    Ok(())
}

/// The stored document decoded past the faults, if it is there and readable.
fn stored_pm(store: &FlakyStore, id: &PostmortemId) -> Option<Postmortem> {
    let text = store.stored(&format!("debrief.pm.{id}"))?;
    debrief::file_format::Envelope::from_stored(&text).ok()?.postmortems.into_iter().next()
}

/// Compares what an author wrote, leaving out the save bookkeeping.
fn same_content(a: &Postmortem, b: &Postmortem) -> bool {
    let mut b = b.clone();
    b.revision = a.revision;
    b.updated_at = a.updated_at;
    *a == b
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("DEBRIEF_INJECTION_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(256)
    ))]

    #[test]
    fn no_accepted_edit_is_ever_lost(
        faults in proptest::collection::vec(fault(), 0..60),
        edits in proptest::collection::vec("[a-z ]{0,12}", 1..25),
    ) {
        let store = FlakyStore::new(faults);
        let mut repo = Repository::new(store.clone());
        // Opening may fail while storage misbehaves; the app then shows the problem.
        let _ = repo.open();
        let start = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).single().unwrap_or_else(Utc::now);
        let mut pm = Postmortem::new(PostmortemId::random(), start);
        let mut pending = false;
        for (i, text) in edits.iter().enumerate() {
            // An accepted edit, in the editor's memory.
            pm.title = format!("{i}: {text}");
            pm.updated_at = start + Duration::seconds(i as i64);
            pending = true;
            // A failed save leaves the edit in `pm`, and its error is what the editor shows.
            if save(&mut repo, &mut pm).is_ok() {
                let stored = stored_pm(&store, &pm.id);
                prop_assert!(stored.as_ref().is_some_and(|s| same_content(&pm, s)), "a successful save is stored");
                pending = false;
            }
            // Whatever happened, what is stored can be read (never half-written).
            if let Some(text) = store.stored(&format!("debrief.pm.{}", pm.id)) {
                prop_assert!(debrief::file_format::Envelope::from_stored(&text).is_ok(), "stored text stays readable");
            }
        }
        // The storage behaves again: saving what is in memory must succeed and store it.
        store.heal();
        if pending {
            prop_assert_eq!(save(&mut repo, &mut pm), Ok(()), "saving again once storage works");
        }
        let stored = stored_pm(&store, &pm.id);
        prop_assert!(stored.as_ref().is_some_and(|s| same_content(&pm, s)), "the latest edit is stored");
        // And a fresh tab opens the library with it listed.
        let mut fresh = Repository::new(store.clone());
        let opened = fresh.open();
        prop_assert!(opened.as_ref().is_ok_and(|o| o.summaries.iter().any(|s| s.id == pm.id && s.title == pm.title)),
            "the library opens with the latest title: {:?}", opened.map(|o| o.summaries));
        prop_assert!(opened.is_ok_and(|o| o.corrupt.is_empty()));
    }
}

/// One step of two tabs on one postmortem: the editor in tab A, plain saves in tab B.
#[derive(Debug, Clone)]
enum Step {
    /// The author in tab A changes the title.
    EditInA(String),
    /// Tab A's save delay passes.
    SaveInA,
    /// Tab A hears that the stored postmortem changed (the browser's storage event).
    StorageEventInA,
    /// Tab B reads the stored postmortem, changes its summary and saves it.
    SaveInB(String),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => "[a-z]{1,8}".prop_map(Step::EditInA),
        3 => Just(Step::SaveInA),
        2 => Just(Step::StorageEventInA),
        2 => "[a-z]{1,8}".prop_map(Step::SaveInB),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("DEBRIEF_INJECTION_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(256)
    ))]

    #[test]
    fn the_editor_never_writes_over_another_tab_and_never_loses_an_edit(
        faults in proptest::collection::vec(fault(), 0..60),
        steps in proptest::collection::vec(step(), 1..40),
    ) {
        let store = FlakyStore::shared();
        let (mut tab_a, _) = Library::open(store.clone());
        let start = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).single().unwrap_or_else(Utc::now);
        let id = tab_a.create(start, debrief::domain::Zone::UTC, None).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let (mut tab_b, _) = Library::open(store.clone());
        let mut pm = tab_a.load(&id).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut session = EditorSession::new(&pm);
        // Every summary tab B tried to save, in order (a save reported as failed may still
        // have happened). Tab A only changes the title and never chooses to overwrite, so the
        // stored summary may only move forward along this list, never back: going back would
        // be tab A writing over tab B.
        let mut b_tried: Vec<String> = vec![String::new()];
        let mut b_confirmed = 0;
        let mut seen = 0;
        let mut a_title = String::new();
        store.then_fail(faults);
        for (i, step) in steps.into_iter().enumerate() {
            let now = start + Duration::seconds(i as i64 + 1);
            match step {
                Step::EditInA(title) => {
                    pm.title = title.clone();
                    a_title = title;
                    session.edited();
                }
                Step::SaveInA => {
                    session.save(&mut tab_a, &mut pm, now);
                }
                Step::StorageEventInA => {
                    let had_edits = session.has_unsaved_edits();
                    if let Some(shown) = session.stored_elsewhere(&tab_a, &pm) {
                        if had_edits {
                            // Tab A changes only the title and tab B only the summary: they
                            // merge, keeping tab A's title, and the merge is an edit to save.
                            prop_assert_eq!(&shown.title, &pm.title, "the merge keeps tab A's edit");
                            pm = shown;
                            prop_assert!(session.edited(), "the merge holds tab A's unsaved edit");
                        } else {
                            pm = shown;
                            prop_assert!(!session.edited(), "showing the stored version is not an edit");
                        }
                    }
                }
                Step::SaveInB(summary) => {
                    if let Ok(mut theirs) = tab_b.load(&id) {
                        theirs.summary = format!("{summary} {i}");
                        theirs.updated_at = now;
                        b_tried.push(theirs.summary.clone());
                        if tab_b.save(&theirs).is_ok() {
                            b_confirmed = b_tried.len() - 1;
                        }
                    }
                }
            }
            if let Some(stored) = stored_pm(&store, &id) {
                let at = b_tried.iter().position(|s| *s == stored.summary);
                prop_assert!(at.is_some_and(|at| at >= seen && at >= b_confirmed),
                    "tab B's save stands: stored {:?} after {:?}", stored.summary, &b_tried[..=b_confirmed.max(seen)]);
                seen = at.unwrap_or(seen);
            }
        }
        // The storage behaves again: the edit is saved, merged with whatever tab B saved since
        // tab A last read it (they changed different parts, so there is no question to ask);
        // a conflict left from an unreadable stored version is resolved by keeping both.
        // Either way tab A's latest title is stored, and tab B's summary stands.
        store.heal();
        let end = start + Duration::hours(1);
        session.save(&mut tab_a, &mut pm, end);
        if session.in_conflict() {
            let shown = session.keep_both(&mut tab_a, &pm, end);
            prop_assert!(shown.is_some(), "the stored version is shown beside the kept copy");
            if !a_title.is_empty() {
                tab_a.reopen().map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert!(tab_a.summaries().iter().any(|s| s.title.starts_with(&a_title) && s.id != id),
                    "tab A's version is kept as a copy");
            }
        } else {
            prop_assert!(!session.has_unsaved_edits(), "saving once storage works: {:?}", session.state());
            let stored = stored_pm(&store, &id);
            prop_assert!(stored.as_ref().is_some_and(|s| s.title == pm.title), "tab A's edit is stored");
            if !a_title.is_empty() {
                prop_assert_eq!(&pm.title, &a_title, "tab A's latest title is what the page holds");
            }
        }
        let stored = stored_pm(&store, &id);
        let at = stored.as_ref().and_then(|s| b_tried.iter().position(|t| *t == s.summary));
        prop_assert!(at.is_some_and(|at| at >= b_confirmed), "tab B's save stands at the end");
    }
}
