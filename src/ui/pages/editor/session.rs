//! Keeping the editor's copy saved: the editor session (`app::editor`) wired to the page.
//! Edits are saved shortly after the last change, at once when the tab is hidden or
//! closed or the author presses `s`, and what another tab saves is followed or, with edits
//! here, held for the author's choice. Edits still unsaved when the editor closes are
//! handed to [`UnsavedEdits`] so they can be downloaded.

use crate::app::editor::{EditorSession, Notice, SaveState, Unsaved};
use crate::domain::Postmortem;
use crate::domain::compare::Difference;
use crate::ui::browser::timed;
use crate::ui::components::focus_when_drawn;
use crate::ui::hooks::{use_debounced, use_window_listener, use_window_listener_untyped};
use crate::ui::shell::{is_save_chord, shortcut_key};
use crate::ui::state::{Library, UnsavedEdits, explain};
use chrono::Utc;
use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::JsCast;

/// How long after the last change the postmortem is saved.
const SAVE_DELAY: Duration = Duration::from_millis(400);

/// The editor's save session, for the editor's views and buttons.
#[derive(Clone, Copy)]
pub struct SaveSession {
    pm: RwSignal<Postmortem>,
    session: RwSignal<EditorSession>,
    library: Library,
}

impl SaveSession {
    /// Where the edits stand (reactive).
    pub fn state(self) -> SaveState {
        self.session.with(|s| s.state().clone())
    }

    /// What to tell the author about the stored version, in words (reactive).
    pub fn notice(self) -> Option<String> {
        self.session.with(|s| s.notice().map(notice_text))
    }

    /// Saves at once, if anything is unsaved. Safe to call after the editor is gone.
    pub fn save_now(self) {
        let (pm, session) = (self.pm, self.session);
        let now = Utc::now();
        // Views hear of it only when something was written (or refused).
        timed("debrief:save", || {
            self.library
                .change(|lib| pm.try_update_untracked(|p| session.try_maybe_update(|s| (s.save(lib, p, now), ()))))
        });
    }

    /// Whether another tab's save and this page's edits wait for the author's choice.
    pub fn in_conflict(self) -> bool {
        self.session.with(EditorSession::in_conflict)
    }

    /// Drops this page's edits and shows the version saved elsewhere.
    pub fn use_theirs(self) {
        let theirs = self.library.read(|lib| self.session.try_update(|s| s.use_theirs(lib))).flatten().flatten();
        if let Some(theirs) = theirs {
            self.pm.set(theirs);
        }
    }

    /// Saves this page's version as a copy and shows the version saved elsewhere.
    pub fn keep_both(self) {
        let mine = self.pm.get_untracked();
        let now = Utc::now();
        let theirs =
            self.library.change(|lib| self.session.try_update(|s| s.keep_both(lib, &mine, now))).flatten().flatten();
        if let Some(theirs) = theirs {
            self.pm.set(theirs);
        }
    }

    /// Writes this page's version over the one saved elsewhere.
    pub fn overwrite(self) {
        let (pm, session) = (self.pm, self.session);
        let now = Utc::now();
        self.library.change(|lib| pm.try_update_untracked(|p| session.try_update(|s| s.overwrite(lib, p, now))));
    }

    /// What differs between this page's version and the one saved elsewhere.
    pub fn compare(self) -> Option<Vec<Difference>> {
        self.library
            .read(|lib| self.session.with_untracked(|s| self.pm.with_untracked(|p| s.compare(lib, p))))
            .flatten()
    }

    /// The author has read the notice.
    pub fn dismiss_notice(self) {
        self.session.update(EditorSession::dismiss_notice);
    }
}

/// What the author reads about the stored version.
fn notice_text(notice: &Notice) -> String {
    match notice {
        Notice::FollowedElsewhere => "Updated with the changes saved in another tab or window.".to_owned(),
        Notice::DeletedElsewhere => "This postmortem was deleted for good in another tab or window. What you see here is kept only on this page: download it to keep it.".to_owned(),
        Notice::UnreadableElsewhere(e) => explain(e),
        Notice::ShowingTheirs => "Showing the version saved elsewhere; the edits made here were dropped.".to_owned(),
        Notice::KeptBoth { title } => {
            format!("Your version is saved as “{title}”, and this page shows the version saved elsewhere.")
        }
        Notice::CopyNotKept(e) => format!("Your version could not be stored as a copy. {}", explain(e)),
    }
}

/// Why edits were left unsaved, for the list of unsaved edits.
fn unsaved_reason(unsaved: &Unsaved) -> String {
    match unsaved {
        Unsaved::Failed(e) => explain(e),
        Unsaved::Conflict => "Another tab or window saved a newer version while you were editing, and you had not \
             chosen which to keep. Download your version, then compare it with the one in the library."
            .to_owned(),
        Unsaved::Unfinished => "The last save did not finish.".to_owned(),
    }
}

/// Saves `pm` as it is edited, for as long as the calling editor is shown.
pub fn use_save_session(pm: RwSignal<Postmortem>) -> SaveSession {
    let library = Library::expect();
    let unsaved = UnsavedEdits::expect();
    let session = RwSignal::new(pm.with_untracked(EditorSession::new));
    let handle = SaveSession { pm, session, library };
    let debounced = use_debounced(SAVE_DELAY, move || handle.save_now());

    // Every change to the editor's copy but the first reading (and the stored versions the
    // session puts in place) is an edit to save. Views hear of it only when the save state
    // changes, not at every keystroke.
    Effect::new(move |seen: Option<()>| {
        pm.track();
        if seen.is_none() {
            return;
        }
        let mut save = false;
        session.maybe_update(|s| {
            let before = s.state().clone();
            save = s.edited();
            *s.state() != before
        });
        if save {
            debounced.schedule();
        }
    });
    // Save at once when the tab is hidden or the page goes away: a browser may discard a
    // hidden tab without warning.
    use_window_listener_untyped("visibilitychange", move |_| {
        if document().visibility_state() == web_sys::VisibilityState::Hidden {
            debounced.now();
        }
    });
    use_window_listener_untyped("pagehide", move |_| debounced.now());
    // If edits are still unsaved (a save failed), ask before the tab closes or reloads.
    use_window_listener_untyped("beforeunload", move |ev| {
        debounced.now();
        if session.try_with_untracked(EditorSession::has_unsaved_edits) == Some(true) {
            ev.prevent_default();
            if let Some(ev) = ev.dyn_ref::<web_sys::BeforeUnloadEvent>() {
                ev.set_return_value("Your latest changes are not saved.");
            }
        }
    });
    // "s" (or Ctrl+S / ⌘S, also while typing): save at once and show whether all is saved.
    use_window_listener(leptos::ev::keydown, move |ev| {
        if shortcut_key(&ev).as_deref() == Some("s") || (is_save_chord(&ev) && !ev.default_prevented()) {
            ev.prevent_default();
            debounced.now();
            focus_when_drawn("save-status".to_owned());
        }
    });
    // Another tab or window saved this postmortem, or the team folder brought in a change
    // to it: follow it, or, with unsaved edits here, say so at once instead of at the next
    // save.
    let id = pm.with_untracked(|p| p.id);
    let follow = move || {
        let theirs = library
            .read(|lib| pm.try_with_untracked(|mine| session.try_update(|s| s.stored_elsewhere(lib, mine))))
            .flatten()
            .flatten()
            .flatten();
        if let Some(theirs) = theirs {
            pm.set(theirs);
        }
    };
    use_window_listener(leptos::ev::storage, move |ev| {
        if Library::document_of(ev.key().as_deref()) == Some(id) {
            follow();
        }
    });
    Effect::new(move |before: Option<u64>| {
        let (count, ours) = library.taken.with(|(count, ids)| (*count, ids.contains(&id)));
        if before.is_some_and(|b| b != count) && ours {
            untrack(follow);
        }
        count
    });
    on_cleanup(move || {
        handle.save_now();
        // Leaving the editor with edits unsaved: keep them where the app can offer them.
        let left = session.try_with_untracked(EditorSession::unsaved).flatten();
        if let (Some(why), Some(pm)) = (left, pm.try_get_untracked()) {
            unsaved.keep(pm, unsaved_reason(&why));
        }
    });
    handle
}
