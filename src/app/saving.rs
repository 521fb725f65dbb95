//! Saving durably, across tabs: the steps of one editor save and of the journal's replay at
//! start, over the journal and lock traits (IndexedDB and Web Locks in the browser, memory
//! in tests).
//!
//! A save holds the postmortem's save lock (shared by every tab), reads the journal's entry
//! for it (another tab's save that this tab's view of the store may not show yet), writes
//! the store, and then the journal entry, committed to disk: only then is it "saved".
//! At start, every journal entry newer than what the store holds is written back, under
//! the same lock; entries whose version the store has held long enough are trimmed.

use super::editor::EditorSession;
use super::library::Library;
use crate::domain::{Postmortem, PostmortemId};
use crate::storage::KeyValueStore;
use crate::storage::journal::{Entry, Journal, JournalError, Locks};
use chrono::{DateTime, Utc};

/// A tab's library as a page holds it: it may be closed (the page gone), then `None`.
pub trait SharedLibrary<S: KeyValueStore> {
    fn read<T>(&self, read: impl FnOnce(&Library<S>) -> T) -> Option<T>;
    fn change<T>(&self, change: impl FnOnce(&mut Library<S>) -> T) -> Option<T>;
}

/// Where an editor's copy and its session are: the editor's, or a plain copy that a save
/// started on leaving the editor finishes with.
pub trait EditorCopy {
    fn id(&self) -> PostmortemId;
    /// Runs `f` on the session and the copy (`None` when they are gone).
    fn with<R>(&self, f: impl FnOnce(&mut EditorSession, &mut Postmortem) -> R) -> Option<R>;
    /// The copy became the merge of another tab's save and this one's: show it.
    fn show_merge(&self);
    /// The write to the store starts (`true`) or ends: for measuring it.
    fn writing(&self, _starts: bool) {}
}

/// The name of the save lock of postmortem `id`.
pub fn lock_name(id: PostmortemId) -> String {
    format!("debrief-save-{id}")
}

/// Records `entry` in `journal`, in words when it cannot be.
pub async fn record(journal: &impl Journal, entry: &Entry) -> Result<(), JournalError> {
    match journal.record(entry).await {
        Ok(()) => Ok(()),
        Err(Some(_)) => Err(JournalError("another tab saved a newer version at the same moment".into())),
        Err(None) => Err(JournalError("the browser's IndexedDB could not be written".into())),
    }
}

/// One save of what `copy` holds, under the postmortem's save lock, reported saved once its
/// journal entry is committed. `now` is the clock.
pub async fn save_durably<S: KeyValueStore>(
    copy: &impl EditorCopy,
    library: &impl SharedLibrary<S>,
    journal: &impl Journal,
    locks: &impl Locks,
    now: impl Fn() -> DateTime<Utc>,
) {
    let id = copy.id();
    let _held = locks.hold(&lock_name(id)).await;
    let latest = journal.latest(&id).await.ok().flatten();
    let at = now();
    copy.writing(true);
    let written =
        library.change(|lib| copy.with(|s, p| (s.save_journaled(lib, p, latest.as_ref(), at), s.take_merged())));
    copy.writing(false);
    let Some(Some((entry, merged))) = written else { return };
    if merged {
        copy.show_merge();
    }
    let Some(entry) = entry else { return };
    let result = record(journal, &entry).await;
    copy.with(|s, _| s.journaled(entry.revision, result, now()));
}

/// Writes back into the store every save the journal holds that the store lost (the
/// browser stopped before writing it to disk) or that this tab's view has not caught up
/// with, each under its postmortem's save lock; then trims the entries whose version the
/// store has held for long enough. Returns the postmortems written back. `now_ms` is the
/// clock, in milliseconds since 1970.
pub async fn replay_journal<S: KeyValueStore>(
    library: &impl SharedLibrary<S>,
    journal: &impl Journal,
    locks: &impl Locks,
    now_ms: impl Fn() -> u64,
) -> Vec<PostmortemId> {
    let Ok(entries) = journal.entries().await else { return Vec::new() };
    let stored = |id: &PostmortemId| library.read(|s| s.load(id).ok().map(|p| p.revision)).flatten();
    let mut replayed = Vec::new();
    for entry in entries.iter().filter(|e| stored(&e.id).is_none_or(|r| r < e.revision)) {
        let _held = locks.hold(&lock_name(entry.id)).await;
        // Read again under the lock: a save may have come in meanwhile.
        let Ok(Some(latest)) = journal.latest(&entry.id).await else { continue };
        if let Some((written, _)) = library.change(|s| s.replay(std::slice::from_ref(&latest), now_ms())) {
            replayed.extend(written);
        }
    }
    let settled = library.read(|s| s.settled(&entries, now_ms())).unwrap_or_default();
    let _ = journal.trim(&settled).await;
    replayed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::editor::{Notice, SaveState};
    use crate::storage::MemoryStore;
    use crate::storage::folder::run_ready;
    use crate::storage::journal::{MemoryJournal, MemoryLocks};
    use std::cell::{Cell, RefCell};

    fn at(minute: u32) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(&format!("2026-05-01T10:{minute:02}:00Z"))
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    struct Tab(RefCell<Library<MemoryStore>>);

    impl SharedLibrary<MemoryStore> for Tab {
        fn read<T>(&self, read: impl FnOnce(&Library<MemoryStore>) -> T) -> Option<T> {
            Some(read(&self.0.borrow()))
        }

        fn change<T>(&self, change: impl FnOnce(&mut Library<MemoryStore>) -> T) -> Option<T> {
            Some(change(&mut self.0.borrow_mut()))
        }
    }

    /// An editor's copy that checks, at every step, that the save lock is held.
    struct Editor<'a> {
        copy: RefCell<(EditorSession, Postmortem)>,
        locks: &'a MemoryLocks,
        merges_shown: Cell<u32>,
        steps_unlocked: Cell<u32>,
    }

    impl<'a> Editor<'a> {
        fn open(tab: &Tab, id: PostmortemId, locks: &'a MemoryLocks) -> Self {
            let pm = tab.0.borrow().load(&id).expect("stored");
            Self {
                copy: RefCell::new((EditorSession::new(&pm), pm)),
                locks,
                merges_shown: Cell::new(0),
                steps_unlocked: Cell::new(0),
            }
        }

        fn edit(&self, f: impl FnOnce(&mut Postmortem)) {
            let (session, pm) = &mut *self.copy.borrow_mut();
            f(pm);
            session.edited();
        }

        fn state(&self) -> SaveState {
            self.copy.borrow().0.state().clone()
        }
    }

    impl EditorCopy for Editor<'_> {
        fn id(&self) -> PostmortemId {
            self.copy.borrow().1.id
        }

        fn with<R>(&self, f: impl FnOnce(&mut EditorSession, &mut Postmortem) -> R) -> Option<R> {
            if !self.locks.is_held(&lock_name(self.id())) {
                self.steps_unlocked.set(self.steps_unlocked.get() + 1);
            }
            let (session, pm) = &mut *self.copy.borrow_mut();
            Some(f(session, pm))
        }

        fn show_merge(&self) {
            self.merges_shown.set(self.merges_shown.get() + 1);
        }
    }

    fn library_with_one() -> (Tab, PostmortemId) {
        let (mut library, _) = Library::open(MemoryStore::new());
        let id = library.add_sample(at(0)).expect("stored");
        (Tab(RefCell::new(library)), id)
    }

    #[test]
    fn a_save_runs_under_the_lock_and_is_saved_once_its_journal_entry_is_recorded() {
        let (tab, id) = library_with_one();
        let (journal, locks) = (MemoryJournal::new(), MemoryLocks::new());
        let editor = Editor::open(&tab, id, &locks);
        editor.edit(|p| p.summary = "Edited".into());
        run_ready(save_durably(&editor, &tab, &journal, &locks, || at(1))).expect("ready");
        assert_eq!(editor.state(), SaveState::Saved(Some(at(1))));
        assert_eq!(editor.steps_unlocked.get(), 0, "every step ran under the lock");
        assert!(!locks.is_held(&lock_name(id)), "released after");
        let entry = run_ready(journal.latest(&id)).expect("ready").expect("read").expect("recorded");
        let stored = tab.0.borrow().load(&id).expect("stored");
        assert_eq!((entry.revision, stored.summary.as_str()), (stored.revision, "Edited"));
    }

    #[test]
    fn a_journal_that_cannot_be_written_leaves_the_save_stored_and_says_so() {
        let (tab, id) = library_with_one();
        let (journal, locks) = (MemoryJournal::new(), MemoryLocks::new());
        journal.break_it(true);
        let editor = Editor::open(&tab, id, &locks);
        editor.edit(|p| p.title = "Edited".into());
        run_ready(save_durably(&editor, &tab, &journal, &locks, || at(1))).expect("ready");
        assert_eq!(editor.state(), SaveState::Saved(Some(at(1))));
        assert!(matches!(editor.copy.borrow().0.notice(), Some(Notice::NotJournaled(_))));
        assert_eq!(tab.0.borrow().load(&id).map(|p| p.title), Ok("Edited".to_owned()));
    }

    /// Tab B's view of the store never got tab A's save (as a tab's localStorage cache lags
    /// behind another's write); the journal has it, so B's save merges with it.
    #[test]
    fn a_save_another_tab_journaled_is_merged_even_when_the_store_does_not_show_it() {
        let (a, id) = library_with_one();
        let mut view_b = MemoryStore::new();
        for key in a.0.borrow().store().keys().expect("keys") {
            view_b.set(&key, &a.0.borrow().store().get(&key).expect("read").expect("there")).expect("copied");
        }
        let b = Tab(RefCell::new(Library::open(view_b).0));
        let (journal, locks) = (MemoryJournal::new(), MemoryLocks::new());
        let (editor_a, editor_b) = (Editor::open(&a, id, &locks), Editor::open(&b, id, &locks));
        editor_a.edit(|p| p.incident_ref = "INC-A".into());
        editor_b.edit(|p| p.summary = "From tab B".into());
        run_ready(save_durably(&editor_a, &a, &journal, &locks, || at(1))).expect("ready");
        run_ready(save_durably(&editor_b, &b, &journal, &locks, || at(2))).expect("ready");
        assert_eq!(editor_b.merges_shown.get(), 1, "tab B shows the merge");
        let stored = b.0.borrow().load(&id).expect("stored");
        assert_eq!((stored.incident_ref.as_str(), stored.summary.as_str()), ("INC-A", "From tab B"));
        // Tab A's store (as after a crash that lost tab B's write) gets it back at start.
        let replayed = run_ready(replay_journal(&a, &journal, &locks, || 0)).expect("ready");
        assert_eq!(replayed, vec![id]);
        assert_eq!(a.0.borrow().load(&id).map(|p| p.summary), Ok("From tab B".to_owned()));
        // An hour later the entry goes: the store has held its version long enough.
        let later = 3_600_001 + at(2).timestamp_millis().unsigned_abs();
        assert_eq!(run_ready(replay_journal(&a, &journal, &locks, || later)).expect("ready"), vec![]);
        assert_eq!(run_ready(journal.entries()).expect("ready"), Ok(vec![]));
    }
}
