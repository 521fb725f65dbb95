//! Full-text search over the library, shared through context. The index lives in the
//! library service; this reads what it lacks in the background, a few milliseconds at a
//! time between frames, and only while a page that searches is shown, so the list shows and
//! answers at once and typing in the editor never competes with it.

use super::Library;
use crate::domain::{PostmortemId, Summary};
use crate::ui::browser::{timed, yield_to_browser};
use leptos::prelude::*;
use std::collections::BTreeSet;

/// How long one step of background reading may take, in milliseconds.
const STEP_MS: f64 = 8.0;

/// Full-text search and its background reading.
#[derive(Clone, Copy)]
pub struct Search {
    library: Library,
    /// While the index is reading postmortems: how many it has read, of how many. `None`
    /// once every readable postmortem is in it.
    pub progress: RwSignal<Option<(usize, usize)>>,
    /// Changes whenever the index does, so results follow it.
    version: RwSignal<u64>,
    /// Whether the background reading is under way.
    reading: StoredValue<bool>,
    /// How many pages that search are shown.
    shown: StoredValue<u32>,
}

impl Search {
    /// Search over `library`.
    pub fn new(library: Library) -> Self {
        Self {
            library,
            progress: RwSignal::new(None),
            version: RwSignal::new(0),
            reading: StoredValue::new(false),
            shown: StoredValue::new(0),
        }
    }

    /// The search provided to every page (see [`super::Shared`]).
    pub fn expect() -> Self {
        super::Shared::expect().search
    }

    /// For a page that searches, from when it is drawn until it is gone: the index reads
    /// what it lacks in the background meanwhile, and again whenever the list changes.
    pub fn use_while_shown(self) {
        self.shown.update_value(|n| *n += 1);
        let library = self.library;
        Effect::new(move || {
            library.summaries.track();
            self.read_in_background();
        });
        on_cleanup(move || {
            let _ = self.shown.try_update_value(|n| *n = n.saturating_sub(1));
        });
    }

    /// Another tab or window changed the storage key `key` (`None`: storage was cleared):
    /// what the index read of it is read again.
    pub fn changed_elsewhere(&self, key: Option<&str>) {
        let forget = match key {
            Some(k) => Library::document_of(Some(k)).map(Some),
            None => Some(None),
        };
        if let Some(which) = forget {
            self.library.change(|s| s.forget_in_index(which));
            self.version.update(|v| *v += 1);
        }
        self.read_in_background();
    }

    /// The summaries in `list` that match `query`: by full text for every postmortem the
    /// index has read, by title for the rest. Follows the index as it changes.
    pub fn results(&self, query: &str, list: &[Summary]) -> Vec<Summary> {
        if query.trim().is_empty() {
            // Nothing to redo while the index reads in the background.
            return list.to_vec();
        }
        self.version.track();
        timed("debrief:search", || self.library.read(|s| s.search(query, list)).unwrap_or_default())
    }

    /// Reads every postmortem the index lacks, a step at a time between frames; pauses when
    /// no page that searches is shown.
    fn read_in_background(self) {
        if self.reading.try_get_value() != Some(false) || self.shown.try_get_value().unwrap_or(0) == 0 {
            return;
        }
        self.reading.set_value(true);
        // Said at once, so the page never claims full text before it is read.
        self.show_progress(&BTreeSet::new());
        leptos::task::spawn_local(async move {
            let mut unreadable = BTreeSet::new();
            loop {
                yield_to_browser().await;
                if self.shown.try_get_value().unwrap_or(0) == 0 {
                    let _ = self.reading.try_set_value(false);
                    return;
                }
                let started = js_sys::Date::now();
                let Some(pending) = self.show_progress(&unreadable) else { return };
                if pending.is_empty() {
                    break;
                }
                for id in pending {
                    if self.library.change(|s| s.index(&id)) != Some(true) {
                        unreadable.insert(id);
                    }
                    if js_sys::Date::now() - started > STEP_MS {
                        break;
                    }
                }
                let _ = self.version.try_update(|v| *v += 1);
            }
            // Entries that cannot be read are not waited for: they are listed as unreadable.
            let _ = self.progress.try_set(None);
            let _ = self.reading.try_set_value(false);
        });
    }

    /// The postmortems the index has still to read (leaving out `skipped`), with the progress
    /// shown for them; `None` once the library is gone.
    fn show_progress(&self, skipped: &BTreeSet<PostmortemId>) -> Option<Vec<PostmortemId>> {
        let (read, pending) = self.library.read(|s| (s.indexed(), s.unindexed(skipped)))?;
        if !pending.is_empty() {
            let _ = self.progress.try_set(Some((read, read + pending.len())));
        }
        Some(pending)
    }
}
