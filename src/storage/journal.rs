//! The save journal: a small write-ahead log beside the library, so that a save reported as
//! saved survives a crash, and so that tabs agree on which save came last.
//!
//! localStorage stays the library's store, but browsers write it to disk lazily (Chromium
//! after seconds, or up to a minute after a burst of writes) and each tab reads it through
//! its own cache, which another tab's write reaches a moment later. The journal lives where
//! the browser writes at once and every tab reads the same thing (IndexedDB, in transactions
//! with strict durability). It holds, per postmortem, the last version saved from the editor
//! in its exact stored form: a save is reported once its entry is committed; on start, an
//! entry newer than what localStorage holds is written back into it; and a save compares
//! its revision with the entry's, which a stale cache cannot hide.
//!
//! One entry per postmortem keeps the journal small; entries older than
//! [`KEEP_FOR_MS`] whose version localStorage holds are trimmed.

use crate::domain::PostmortemId;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// How long an entry is kept after localStorage holds its version: longer than any delay
/// with which a browser writes localStorage to disk.
pub const KEEP_FOR_MS: f64 = 60.0 * 60.0 * 1000.0;

/// The last version of one postmortem saved from the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: PostmortemId,
    /// Its revision in the library.
    pub revision: u64,
    /// Its stored form, exactly as written under its key in the library.
    pub text: String,
    /// When it was written (milliseconds since 1970).
    pub at_ms: u64,
}

/// Why the journal could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct JournalError(pub String);

/// How much the journal holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JournalSize {
    pub entries: usize,
    /// The characters of the stored forms it holds.
    pub chars: usize,
}

/// The journal's store (IndexedDB in the browser, memory in tests).
// Debrief runs on one thread in the browser: the futures need not be `Send`.
#[allow(async_fn_in_trait)]
pub trait Journal {
    /// The entry of `id`, if any.
    async fn latest(&self, id: &PostmortemId) -> Result<Option<Entry>, JournalError>;
    /// Keeps `entry` as the entry of its postmortem, durably, unless the entry there has a
    /// higher revision (that one is kept and returned as `Err(Some(newer))`).
    async fn record(&self, entry: &Entry) -> Result<(), Option<Entry>>;
    /// Every entry.
    async fn entries(&self) -> Result<Vec<Entry>, JournalError>;
    /// Removes the entries of `ids`, each only while it still holds the given revision.
    async fn trim(&self, ids: &[(PostmortemId, u64)]) -> Result<(), JournalError>;
    /// Removes the entry of `id` whatever it holds (the postmortem was deleted for good).
    async fn forget(&self, id: &PostmortemId) -> Result<(), JournalError>;
}

/// Exclusive locks shared by every tab and window of the site (Web Locks in the browser),
/// under which a save reads the journal and writes: no other tab writes in between.
#[allow(async_fn_in_trait)]
pub trait Locks {
    /// A held lock, released when dropped.
    type Held;
    /// Waits for the lock `name`. `None` where there are no such locks: the caller goes on
    /// without, and the journal's own revision check still finds a newer save.
    async fn hold(&self, name: &str) -> Option<Self::Held>;
}

/// Locks within one process, shared by clones (two "tabs" in a test share them). A test
/// runs one thing at a time, so a lock asked for is always free; what it tells is which
/// locks are held at a given moment ([`MemoryLocks::is_held`]).
#[derive(Debug, Clone, Default)]
pub struct MemoryLocks {
    held: Rc<RefCell<std::collections::BTreeSet<String>>>,
}

/// A lock of [`MemoryLocks`], released when dropped.
#[derive(Debug)]
pub struct MemoryLock {
    name: String,
    held: Rc<RefCell<std::collections::BTreeSet<String>>>,
}

impl Drop for MemoryLock {
    fn drop(&mut self) {
        self.held.borrow_mut().remove(&self.name);
    }
}

impl MemoryLocks {
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the lock `name` is held now.
    pub fn is_held(&self, name: &str) -> bool {
        self.held.borrow().contains(name)
    }
}

impl Locks for MemoryLocks {
    type Held = MemoryLock;

    async fn hold(&self, name: &str) -> Option<MemoryLock> {
        self.held.borrow_mut().insert(name.to_owned());
        Some(MemoryLock { name: name.to_owned(), held: self.held.clone() })
    }
}

/// How much `entries` hold.
pub fn size_of(entries: &[Entry]) -> JournalSize {
    JournalSize { entries: entries.len(), chars: entries.iter().map(|e| e.text.chars().count()).sum() }
}

/// A journal in memory, shared by its clones (two "tabs" in a test share one).
#[derive(Debug, Clone, Default)]
pub struct MemoryJournal {
    entries: Rc<RefCell<BTreeMap<PostmortemId, Entry>>>,
    broken: Rc<RefCell<bool>>,
}

impl MemoryJournal {
    pub fn new() -> Self {
        Self::default()
    }

    /// Makes every call fail (a browser without IndexedDB), or work again.
    pub fn break_it(&self, broken: bool) {
        *self.broken.borrow_mut() = broken;
    }

    fn check(&self) -> Result<(), JournalError> {
        if *self.broken.borrow() { Err(JournalError("IndexedDB is not available".into())) } else { Ok(()) }
    }
}

impl Journal for MemoryJournal {
    async fn latest(&self, id: &PostmortemId) -> Result<Option<Entry>, JournalError> {
        self.check()?;
        Ok(self.entries.borrow().get(id).cloned())
    }

    async fn record(&self, entry: &Entry) -> Result<(), Option<Entry>> {
        self.check().map_err(|_| None)?;
        let mut entries = self.entries.borrow_mut();
        if let Some(there) = entries.get(&entry.id).filter(|there| there.revision > entry.revision) {
            return Err(Some(there.clone()));
        }
        entries.insert(entry.id, entry.clone());
        Ok(())
    }

    async fn entries(&self) -> Result<Vec<Entry>, JournalError> {
        self.check()?;
        Ok(self.entries.borrow().values().cloned().collect())
    }

    async fn trim(&self, ids: &[(PostmortemId, u64)]) -> Result<(), JournalError> {
        self.check()?;
        let mut entries = self.entries.borrow_mut();
        for (id, revision) in ids {
            if entries.get(id).is_some_and(|e| e.revision == *revision) {
                entries.remove(id);
            }
        }
        Ok(())
    }

    async fn forget(&self, id: &PostmortemId) -> Result<(), JournalError> {
        self.check()?;
        self.entries.borrow_mut().remove(id);
        Ok(())
    }
}
