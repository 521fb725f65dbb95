//! Failure injection: the repository over an in-memory store whose writes fail now and
//! then, whose reads come back corrupt, and which vanishes and comes back mid-session.
//!
//! The promise checked: no accepted edit is ever lost. After every save the edit is either
//! stored (and reads back exactly), or the save says it failed, the edit is still in the
//! editor's hands, and saving again once the storage behaves stores it. Nothing stored is
//! ever left unreadable, and the library always opens again.
#![cfg(not(target_arch = "wasm32"))]

use chrono::{Duration, TimeZone, Utc};
use debrief::domain::{Postmortem, PostmortemId};
use debrief::storage::{KeyValueStore, MemoryStore, Repository, StorageError};
use proptest::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;

/// What goes wrong on one call to the store.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fault {
    None,
    /// The write is refused before anything is written.
    WriteRefused,
    /// The storage is full.
    Quota,
    /// The write happens, but the browser reports an error anyway.
    WriteThenError,
    /// The next read returns damaged text.
    CorruptRead,
    /// The read fails.
    ReadFails,
    /// Storage disappears (every call fails) for a few calls.
    Vanish,
}

/// A store that follows a fault schedule, one entry per call, then behaves.
#[derive(Clone)]
struct FlakyStore {
    inner: Rc<RefCell<MemoryStore>>,
    schedule: Rc<RefCell<Vec<Fault>>>,
    vanished_for: Rc<RefCell<u32>>,
}

impl FlakyStore {
    fn new(schedule: Vec<Fault>) -> Self {
        let mut schedule = schedule;
        schedule.reverse();
        Self {
            inner: Rc::new(RefCell::new(MemoryStore::new())),
            schedule: Rc::new(RefCell::new(schedule)),
            vanished_for: Rc::new(RefCell::new(0)),
        }
    }

    fn next_fault(&self) -> Fault {
        let mut gone = self.vanished_for.borrow_mut();
        if *gone > 0 {
            *gone -= 1;
            return Fault::Vanish;
        }
        let fault = self.schedule.borrow_mut().pop().unwrap_or(Fault::None);
        if fault == Fault::Vanish {
            *gone = 3;
        }
        fault
    }

    /// Stops injecting faults: the storage behaves from now on.
    fn heal(&self) {
        self.schedule.borrow_mut().clear();
        *self.vanished_for.borrow_mut() = 0;
    }

    /// What is really stored under `key`, read past the faults.
    fn stored(&self, key: &str) -> Option<String> {
        self.inner.borrow().get(key).ok().flatten()
    }
}

impl KeyValueStore for FlakyStore {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        match self.next_fault() {
            Fault::Vanish => Err(StorageError::Unavailable("storage vanished".into())),
            Fault::ReadFails => Err(StorageError::ReadFailed("injected".into())),
            Fault::CorruptRead => Ok(self.inner.borrow().get(key)?.map(|v| v.chars().rev().collect())),
            _ => self.inner.borrow().get(key),
        }
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StorageError> {
        match self.next_fault() {
            Fault::Vanish => Err(StorageError::Unavailable("storage vanished".into())),
            Fault::WriteRefused => Err(StorageError::WriteFailed("injected".into())),
            Fault::Quota => Err(StorageError::QuotaExceeded),
            Fault::WriteThenError => {
                self.inner.borrow_mut().set(key, value)?;
                Err(StorageError::WriteFailed("injected after writing".into()))
            }
            _ => self.inner.borrow_mut().set(key, value),
        }
    }

    fn remove(&mut self, key: &str) -> Result<(), StorageError> {
        match self.next_fault() {
            Fault::Vanish => Err(StorageError::Unavailable("storage vanished".into())),
            Fault::WriteRefused | Fault::Quota => Err(StorageError::WriteFailed("injected".into())),
            _ => self.inner.borrow_mut().remove(key),
        }
    }

    fn keys(&self) -> Result<Vec<String>, StorageError> {
        match self.next_fault() {
            Fault::Vanish => Err(StorageError::Unavailable("storage vanished".into())),
            Fault::ReadFails => Err(StorageError::ReadFailed("injected".into())),
            _ => self.inner.borrow().keys(),
        }
    }
}

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
