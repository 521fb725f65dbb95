//! State shared through context, one concern each, every one a `Copy` handle with its
//! own `expect`:
//! - [`Library`]: the library service of this tab and the list it shows;
//! - [`Templates`]: the custom templates, and template edits left unsaved;
//! - [`Search`]: full-text search, read in the background while a page that searches is shown;
//! - [`Room`]: how full the browser's storage is;
//! - [`UnsavedEdits`]: edits whose editor closed before they could be saved;
//! - [`Team`]: the team folder, read and written beside the library.
//!
//! Also the words for storage errors ([`explain`]) and sizes ([`size_text`]).

mod library;
mod room;
mod search;
mod team;
mod templates;
mod unsaved;

pub use library::Library;
pub use room::Room;
pub use search::Search;
pub use team::{FolderStatus, Team};
pub use templates::Templates;
pub use unsaved::UnsavedEdits;

use crate::storage::{LocalStore, StorageError};
use leptos::prelude::*;

/// Every shared context of the library app, provided once as one value: looking one up
/// then costs one context type in the wasm rather than one per context. Each is still its
/// own handle, reached through its own `expect`.
#[derive(Clone, Copy)]
pub struct Shared {
    pub library: Library,
    pub templates: Templates,
    pub search: Search,
    pub room: Room,
    pub unsaved: UnsavedEdits,
    pub team: Team,
}

impl Shared {
    /// Opens the library and provides it, and what is shared with it, to every page.
    pub fn provide() -> Self {
        let library = Library::open();
        let templates = Templates::new(library);
        let shared = Self {
            library,
            templates,
            team: Team::new(library, templates),
            search: Search::new(library),
            room: Room::new(library),
            unsaved: UnsavedEdits::default(),
        };
        provide_context(shared);
        library.replay_journal();
        // A large import whose tab closed before its findings were counted: counted now.
        library.count_findings();
        shared
    }

    fn expect() -> Self {
        expect_context()
    }
}

/// The colour theme chosen in this browser (the contributor's page has no library, so
/// this stands on its own).
pub fn stored_theme() -> crate::storage::preferences::Theme {
    crate::storage::preferences::theme(&LocalStore)
}

/// Remembers the colour theme chosen in this browser.
pub fn remember_theme(theme: crate::storage::preferences::Theme) -> Result<(), StorageError> {
    crate::storage::preferences::set_theme(&mut LocalStore, theme)
}

/// The name or role this browser's person signs reviews with.
pub fn stored_signature() -> String {
    crate::storage::preferences::signature(&LocalStore)
}

/// Remembers the name or role to sign reviews with.
pub fn remember_signature(name: &str) -> Result<(), StorageError> {
    crate::storage::preferences::set_signature(&mut LocalStore, name)
}

/// The team's publication target in working days, as set in this browser.
pub fn stored_publish_target() -> u32 {
    crate::storage::preferences::publish_target(&LocalStore)
}

/// Remembers the publication target.
pub fn remember_publish_target(days: u32) -> Result<(), StorageError> {
    crate::storage::preferences::set_publish_target(&mut LocalStore, days)
}

/// Whether the note on where data is kept was dismissed in this browser.
pub fn first_run_note_dismissed() -> bool {
    crate::storage::preferences::first_run_note_dismissed(&LocalStore)
}

/// Remembers that the note on where data is kept was dismissed.
pub fn dismiss_first_run_note() -> Result<(), StorageError> {
    crate::storage::preferences::dismiss_first_run_note(&mut LocalStore)
}

/// What a context's work returns when the context is gone (its page was being closed):
/// [`StorageError::Closed`], never to be taken for "not found".
pub fn unless_closed<T>(value: Option<Result<T, StorageError>>) -> Result<T, StorageError> {
    value.unwrap_or(Err(StorageError::Closed))
}

/// A size in characters as people read it (browsers store two bytes per character).
pub fn size_text(chars: usize) -> String {
    let bytes = chars as f64 * 2.0;
    if bytes >= 1024.0 * 1024.0 {
        format!("{:.1} MB", bytes / (1024.0 * 1024.0))
    } else {
        format!("{:.0} KB", (bytes / 1024.0).ceil())
    }
}

/// Turns a storage error into a sentence that says what to do.
pub fn explain(error: &StorageError) -> String {
    match error {
        StorageError::QuotaExceeded => "Your browser's storage for Debrief is full, so this change is not saved. \
             Download a copy now, then delete old postmortems from the trash to make room."
            .to_owned(),
        StorageError::Unavailable(_) => format!(
            "Debrief cannot save in this browser: {error}. Download a copy to keep your work, \
             then open Debrief in a normal window."
        ),
        StorageError::Conflict => "This postmortem was changed in another tab or window since you opened it, \
             so your latest edits were not saved over it. Download your version, then reload the page to see the other one."
            .to_owned(),
        StorageError::Corrupt { .. } => format!("{error}. Download the stored text to keep it."),
        StorageError::Closed => "The page was closing, so nothing was read or saved. Open it again to go on.".to_owned(),
        StorageError::OverLimit(what) => format!(
            "This change is not saved: {what}. Shorten it to save; your edit is still here. Debrief keeps every postmortem within its limits so that any file it writes can be brought in again."
        ),
        other => format!("Your latest changes are not saved: {other}. Download a copy to keep them."),
    }
}
