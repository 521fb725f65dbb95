//! Keeping the editor's copy saved: the editor session (`app::editor`) wired to the page.
//! Edits are saved shortly after the last change, at once when the tab is hidden or
//! closed or the author presses `s`, and what another tab saves is followed or, with edits
//! here, merged (or, where both changed the same part, held for the author's choice).
//!
//! A save runs as `app::saving::save_durably` says (under the postmortem's save lock, a Web
//! Lock shared by every tab; "saved" once its journal entry is committed). When the page is
//! going away there is no time to wait for a lock: what is unsaved is written to
//! localStorage at once, and its journal entry after.
//! Edits still unsaved when the editor closes are handed to [`UnsavedEdits`] so they can
//! be downloaded.

use crate::app::editor::{EditorSession, Notice, SaveState, Unsaved};
use crate::app::saving::{self, EditorCopy, record};
use crate::domain::compare::Difference;
use crate::domain::merge::{Conflict, Pick};
use crate::domain::{Postmortem, PostmortemId};
use crate::storage::browser_journal::{BrowserJournal, WebLocks};
use crate::ui::browser::{timing_ends, timing_starts};
use crate::ui::components::focus_when_drawn;
use crate::ui::hooks::{use_debounced, use_window_listener, use_window_listener_untyped};
use crate::ui::rescue::Rescue;
use crate::ui::shell::{is_save_chord, shortcut_key};
use crate::ui::state::{Library, UnsavedEdits, explain};
use chrono::Utc;
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::BTreeMap;
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
    /// Whether a save is running, and whether another was asked for meanwhile.
    busy: StoredValue<(bool, bool)>,
}

impl EditorCopy for SaveSession {
    fn id(&self) -> PostmortemId {
        self.pm.with_untracked(|p| p.id)
    }

    fn with<R>(&self, f: impl FnOnce(&mut EditorSession, &mut Postmortem) -> R) -> Option<R> {
        self.pm.try_update_untracked(|p| self.session.try_update(|s| f(s, p))).flatten()
    }

    fn show_merge(&self) {
        if self.session.try_update(EditorSession::expect_replacement).is_some() {
            self.pm.notify();
        }
    }

    /// The store write of a save is measured as `debrief:save` (see the benchmark).
    fn writing(&self, starts: bool) {
        if starts { timing_starts("debrief:save") } else { timing_ends("debrief:save") }
    }
}

/// The editor's copy after the editor closed.
struct Left(RefCell<(EditorSession, Postmortem)>);

impl EditorCopy for Left {
    fn id(&self) -> PostmortemId {
        self.0.borrow().1.id
    }

    fn with<R>(&self, f: impl FnOnce(&mut EditorSession, &mut Postmortem) -> R) -> Option<R> {
        let (session, pm) = &mut *self.0.borrow_mut();
        Some(f(session, pm))
    }

    fn show_merge(&self) {}
}

/// One save of what `copy` holds, under the postmortem's save lock, journaled.
async fn save_durably(copy: &impl EditorCopy, library: Library) {
    saving::save_durably(copy, &library, &BrowserJournal, &WebLocks, Utc::now).await;
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

    /// Saves soon (once the save lock is had), if anything is unsaved. A save asked for while
    /// one runs follows it. Safe to call after the editor is gone (then it does nothing).
    pub fn save_now(self) {
        let Some((running, _)) = self.busy.try_get_value() else { return };
        if running {
            self.busy.set_value((true, true));
            return;
        }
        if self.session.try_with_untracked(|s| s.has_unsaved_edits() && !s.in_conflict()) != Some(true) {
            return;
        }
        self.busy.set_value((true, false));
        let library = self.library;
        leptos::task::spawn_local(async move {
            loop {
                save_durably(&self, library).await;
                match self.busy.try_get_value() {
                    Some((_, true)) => self.busy.set_value((true, false)),
                    _ => break,
                }
            }
            let _ = self.busy.try_set_value((false, false));
        });
    }

    /// Saves at once, without waiting for the save lock: the page is going away and cannot
    /// wait. The journal entry is written after, if the page lives long enough.
    fn save_before_leaving(self) {
        let now = Utc::now();
        let written = self
            .library
            .change(|lib| self.with(|s, p| s.save_journaled(lib, p, None, now).map(|entry| (entry, s.take_merged()))));
        if let Some(Some(Some((entry, merged)))) = written {
            if merged {
                self.show_merge();
            }
            leptos::task::spawn_local(async move {
                let result = record(&BrowserJournal, &entry).await;
                self.with(|s, _| s.journaled(entry.revision, result, Utc::now()));
            });
        }
    }

    /// The questions of a conflict: the parts both versions changed, each side's value.
    /// Reactive: asked again as this tab's copy changes.
    pub fn conflicts(self) -> Option<Vec<Conflict>> {
        self.pm.track();
        self.library
            .read(|lib| self.session.with_untracked(|s| self.pm.with_untracked(|p| s.conflicts(lib, p))))
            .flatten()
    }

    /// The author answered the conflict's questions: the merge is shown and saved.
    pub fn merge_with(self, picks: BTreeMap<String, Pick>) {
        let merged = self
            .library
            .read(|lib| self.pm.with_untracked(|p| self.session.try_update(|s| s.merge_with(lib, p, &picks))))
            .flatten()
            .flatten();
        if let Some(merged) = merged {
            self.pm.set(merged);
        }
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

    /// Saves this page's version as a copy (journaled, as every save is) and shows the
    /// version saved elsewhere.
    pub fn keep_both(self) {
        let mine = self.pm.get_untracked();
        let now = Utc::now();
        let kept = self.library.change(|lib| {
            let theirs = self.session.try_update(|s| s.keep_both(lib, &mine, now)).flatten();
            let copy = match self.session.try_with_untracked(|s| s.notice().cloned()).flatten() {
                Some(Notice::KeptBoth { id, .. }) => lib.load(&id).ok().map(|p| (id, p.revision)),
                _ => None,
            };
            let entry = copy.and_then(|(id, revision)| lib.journal_entry(&id, revision, now_ms(now)));
            (theirs, entry)
        });
        let Some((theirs, entry)) = kept else { return };
        journal_later(entry);
        if let Some(theirs) = theirs {
            self.pm.set(theirs);
        }
    }

    /// Writes this page's version over the one saved elsewhere.
    pub fn overwrite(self) {
        let (pm, session) = (self.pm, self.session);
        let now = Utc::now();
        self.library.change(|lib| pm.try_update_untracked(|p| session.try_update(|s| s.overwrite(lib, p, now))));
        // Kept in the journal too, as every save is.
        let (id, revision) = pm.with_untracked(|p| (p.id, p.revision));
        journal_later(self.library.read(|lib| lib.journal_entry(&id, revision, now_ms(now))).flatten());
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

/// `now` in milliseconds since 1970, as journal entries note it.
fn now_ms(now: chrono::DateTime<Utc>) -> u64 {
    now.timestamp_millis().unsigned_abs()
}

/// Records `entry` (a save made outside the editor's own saves) in the journal.
fn journal_later(entry: Option<crate::storage::journal::Entry>) {
    if let Some(entry) = entry {
        leptos::task::spawn_local(async move {
            let _ = record(&BrowserJournal, &entry).await;
        });
    }
}

/// What the author reads about the stored version.
fn notice_text(notice: &Notice) -> String {
    match notice {
        Notice::FollowedElsewhere => "Updated with the changes saved in another tab or window.".to_owned(),
        Notice::MergedElsewhere => {
            "Merged with the changes saved in another tab or window: their edits and yours are both kept.".to_owned()
        }
        Notice::NotJournaled(e) => format!(
            "Saved in this browser, but not yet safe from a crash: the browser's crash journal (IndexedDB) could not be written ({e}). Download a copy if this postmortem matters."
        ),
        Notice::DeletedElsewhere => "This postmortem was deleted for good in another tab or window. What you see here is kept only on this page: download it to keep it.".to_owned(),
        Notice::UnreadableElsewhere(e) => explain(e),
        Notice::ShowingTheirs => "Showing the version saved elsewhere; the edits made here were dropped.".to_owned(),
        Notice::KeptBoth { title, .. } => {
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
    let handle = SaveSession { pm, session, library, busy: StoredValue::new((false, false)) };
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
    // A plain copy of the edits while they are unsaved, which a crash of the app can still
    // offer for download (reading the signals then may not be possible).
    let rescue = Rescue::new();
    Effect::new(move |_| {
        pm.track();
        let copy = session.with(|s| pm.with_untracked(|p| s.rescue_copy(p)));
        rescue.hold(copy.into_iter().collect(), crate::ui::rescue::write_unsaved);
    });
    // Save at once when the tab is hidden or the page goes away: a browser may discard a
    // hidden tab without warning.
    use_window_listener_untyped("visibilitychange", move |_| {
        if document().visibility_state() == web_sys::VisibilityState::Hidden {
            debounced.cancel();
            handle.save_before_leaving();
        }
    });
    use_window_listener_untyped("pagehide", move |_| {
        debounced.cancel();
        handle.save_before_leaving();
    });
    // If edits are still unsaved (a save failed), ask before the tab closes or reloads.
    use_window_listener_untyped("beforeunload", move |ev| {
        debounced.cancel();
        handle.save_before_leaving();
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
        // Leaving the editor: what is unsaved is saved as usual (under the lock, journaled)
        // from a copy; edits that still cannot be saved are kept where the app offers them.
        let (Some(left_session), Some(left_pm)) = (session.try_get_untracked(), pm.try_get_untracked()) else {
            rescue.release();
            return;
        };
        if left_session.unsaved().is_none() {
            rescue.release();
            return;
        }
        let left = Left(RefCell::new((left_session, left_pm)));
        leptos::task::spawn_local(async move {
            save_durably(&left, library).await;
            let (session, pm) = &*left.0.borrow();
            if let Some(why) = session.unsaved() {
                unsaved.keep(session.rescue_copy(pm).unwrap_or_else(|| pm.clone()), unsaved_reason(&why));
            }
            rescue.release();
        });
    });
    handle
}
