//! Edits whose editor closed before they could be saved, shared through context and kept
//! in memory so the app can still offer them for download.

use crate::domain::{Postmortem, PostmortemId};
use crate::ui::rescue::Rescue;
use leptos::prelude::*;

/// Unsaved edits with the reason they are unsaved, one entry per postmortem (and a plain
/// copy of them, which a crash of the app can still offer).
#[derive(Clone, Copy, Default)]
pub struct UnsavedEdits(RwSignal<Vec<(Postmortem, String)>>, Rescue);

impl UnsavedEdits {
    /// The list provided to every page (see [`super::Shared`]).
    pub fn expect() -> Self {
        super::Shared::expect().unsaved
    }

    /// Every unsaved edit, with its reason.
    pub fn list(&self) -> Vec<(Postmortem, String)> {
        self.0.get()
    }

    /// Keeps `pm` (replacing an earlier entry for it), unsaved because of `reason`.
    pub fn keep(&self, pm: Postmortem, reason: String) {
        let _ = self.0.try_update(|list| {
            list.retain(|(p, _)| p.id != pm.id);
            list.push((pm, reason));
        });
        self.keep_copy();
    }

    fn keep_copy(&self) {
        let list = self.0.try_with_untracked(|list| list.iter().map(|(pm, _)| pm.clone()).collect());
        self.1.hold(list.unwrap_or_default(), crate::ui::rescue::write_unsaved);
    }

    /// Forgets the unsaved edits of `id` (downloaded, or discarded on purpose).
    pub fn forget(&self, id: PostmortemId) {
        self.0.update(|list| list.retain(|(p, _)| p.id != id));
        self.keep_copy();
    }
}
