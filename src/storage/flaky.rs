//! A failure-injecting twin of browser storage, for tests: an in-memory store shared by
//! every clone (two clones are two tabs on one origin) that follows a schedule of faults,
//! one per call, then behaves.

use super::{KeyValueStore, MemoryStore, StorageError};
use std::cell::RefCell;
use std::rc::Rc;

/// What goes wrong on one call to the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
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

/// A store that follows a fault schedule, one entry per call, then behaves. Clones share
/// their entries and their schedule.
#[derive(Debug, Clone, Default)]
pub struct FlakyStore {
    inner: Rc<RefCell<MemoryStore>>,
    schedule: Rc<RefCell<Vec<Fault>>>,
    vanished_for: Rc<RefCell<u32>>,
}

impl FlakyStore {
    /// A shared store that always behaves: every clone sees the same entries.
    pub fn shared() -> Self {
        Self::new(Vec::new())
    }

    /// Fails the next calls as `schedule` says (after any faults still scheduled).
    pub fn then_fail(&self, schedule: Vec<Fault>) {
        let mut pending = self.schedule.borrow_mut();
        let mut later: Vec<Fault> = schedule.into_iter().rev().collect();
        later.append(&mut pending);
        *pending = later;
    }

    /// A store that fails as `schedule` says, call by call, and then behaves.
    pub fn new(schedule: Vec<Fault>) -> Self {
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
    pub fn heal(&self) {
        self.schedule.borrow_mut().clear();
        *self.vanished_for.borrow_mut() = 0;
    }

    /// How many scheduled faults have not happened yet.
    pub fn pending_faults(&self) -> usize {
        self.schedule.borrow().len()
    }

    /// Every entry really stored, in key order, read past the faults.
    pub fn snapshot(&self) -> Vec<(String, String)> {
        let inner = self.inner.borrow();
        let keys = inner.keys().unwrap_or_default();
        keys.into_iter().filter_map(|k| inner.get(&k).ok().flatten().map(|v| (k, v))).collect()
    }

    /// What is really stored under `key`, read past the faults.
    pub fn stored(&self, key: &str) -> Option<String> {
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
