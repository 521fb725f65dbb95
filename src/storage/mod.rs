//! Where postmortems are kept: a small key-value trait, its adapters, and the repository
//! that lays postmortems out as one key each plus an index of summaries.

pub mod browser_journal;
pub mod capacity;
pub mod drafts;
pub mod flaky;
pub mod folder;
pub mod idb;
pub mod journal;
pub mod keys;
pub mod lists;
pub mod local;
pub mod memory;
pub mod preferences;
pub mod repository;
pub mod seal_keys;
pub mod team_folder;
pub mod templates;

pub use local::{LocalStore, SessionStore};
pub use memory::MemoryStore;
pub use repository::{
    CorruptEntry, DecidedImport, ImportFailure, ImportReport, ImportWrite, OpenedLibrary, Repository,
};

use thiserror::Error;

/// A key-value store of text, the way browser storage works.
pub trait KeyValueStore {
    /// The value under `key`, `None` when there is none.
    fn get(&self, key: &str) -> Result<Option<String>, StorageError>;
    /// Stores `value` under `key`.
    fn set(&mut self, key: &str, value: &str) -> Result<(), StorageError>;
    /// Removes `key` and its value.
    fn remove(&mut self, key: &str) -> Result<(), StorageError>;
    /// Every key in the store.
    fn keys(&self) -> Result<Vec<String>, StorageError>;
}

/// What can go wrong with storage, in words the UI can pass on.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StorageError {
    #[error(
        "this browser does not let Debrief use its storage ({0}); private windows and strict privacy settings do this"
    )]
    Unavailable(String),
    #[error("your browser's storage for Debrief is full")]
    QuotaExceeded,
    #[error("the browser refused to save ({0})")]
    WriteFailed(String),
    #[error("the browser could not read its storage ({0})")]
    ReadFailed(String),
    #[error("what was saved did not read back the same; the save is not trustworthy")]
    VerifyFailed,
    #[error("this postmortem is not in the library")]
    NotFound,
    #[error("the stored copy could not be read ({reason}); it is kept aside untouched")]
    Corrupt { key: String, reason: String },
    #[error("this postmortem was changed elsewhere (another tab or window) since it was opened")]
    Conflict,
    /// The page's handle on storage was gone (its page was being closed) when the work was
    /// asked for: nothing was read or written. Not to be confused with [`Self::NotFound`].
    #[error("the page was closing, so nothing was read or written")]
    Closed,
    /// The postmortem is over one of Debrief's limits (see `domain::limits`): it is not
    /// stored, so every stored postmortem can be exported and brought in again.
    #[error("{0}")]
    OverLimit(String),
}
