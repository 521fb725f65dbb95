//! The editor's session with one postmortem: where its edits stand (saved, waiting,
//! being saved, failed, or in conflict with another tab's save) and what each event does
//! to that: an edit, a save, another tab's save, and each way out of a conflict.
//!
//! The postmortem itself stays with the editor (the page edits it field by field); the
//! session is handed it when it needs it. Invariants:
//! - an edit is never written over a newer save made elsewhere: the two are merged (the
//!   three-way merge of file imports, from the version both descend from), and only the
//!   same part changed differently on both sides waits for the author's choice; while it
//!   waits, nothing is saved;
//! - edits are only dropped when the author chooses the other version;
//! - replacing the editor's copy with a stored version is not an edit, so it is not saved
//!   back (the session expects that one change and lets it pass);
//! - with a journal ([`EditorSession::save_journaled`]), a save is "saved" only once its
//!   journal entry is committed: until then it is "saving";
//! - a session that ends with edits unsaved says so ([`EditorSession::unsaved`]), so the
//!   app can keep them for download.

use super::library::Library;
use crate::domain::compare::{Difference, differences};
use crate::domain::lineage::content_hash;
use crate::domain::merge::{Conflict, Pick, merge};
use crate::domain::model::lineage::Lineage;
use crate::domain::{Postmortem, PostmortemId};
use crate::storage::journal::{Entry, JournalError};
use crate::storage::{KeyValueStore, StorageError};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// Where the editor's edits stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveState {
    /// Everything is stored; when this session last saved, if it did.
    Saved(Option<DateTime<Utc>>),
    /// An edit waits for the save delay to pass.
    Pending,
    /// A save is written to this browser's storage and its journal entry (which makes it
    /// survive a crash) is not committed yet.
    Saving,
    /// The last save failed; the edits are only on this page.
    Failed(StorageError),
    /// Another tab or window saved a newer version while this page holds edits, and the
    /// two changed the same part differently. Nothing is written until the author chooses.
    Conflict,
}

/// Something the editor tells the author about the stored version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// Another tab saved, and this page (holding no edits) now shows that version.
    FollowedElsewhere,
    /// Another tab saved while this page held edits to other parts: both are kept.
    MergedElsewhere,
    /// Another tab deleted the postmortem for good; this page still holds it.
    DeletedElsewhere,
    /// Another tab changed it, and the stored version cannot be read.
    UnreadableElsewhere(StorageError),
    /// The author chose the other version: this page's edits were dropped.
    ShowingTheirs,
    /// The author kept both: this page's version is stored as a copy titled so.
    KeptBoth { id: PostmortemId, title: String },
    /// The author asked to keep both, but this page's version could not be stored as a
    /// copy: the choice is still open.
    CopyNotKept(StorageError),
    /// The save is stored in this browser but its journal could not be written, so a crash
    /// in the next moments could lose it.
    NotJournaled(JournalError),
}

/// Why a session ends with edits that are not stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unsaved {
    /// The last save failed.
    Failed(StorageError),
    /// Another tab saved in between and the author had not chosen yet.
    Conflict,
    /// The last save had not finished.
    Unfinished,
}

/// The editor's session with one postmortem.
#[derive(Debug, Clone)]
pub struct EditorSession {
    id: PostmortemId,
    state: SaveState,
    /// Edits not yet stored.
    dirty: bool,
    /// The editor's copy is about to be replaced by a stored version: that change is not an edit.
    replacing: bool,
    notice: Option<Notice>,
    /// The stored version the editor's copy descends from: the common version of a merge.
    base: Postmortem,
    /// The last save merged another tab's save into the editor's copy (see [`Self::take_merged`]).
    merged: bool,
}

impl EditorSession {
    /// A session for `pm` as just loaded from storage.
    pub fn new(pm: &Postmortem) -> Self {
        Self {
            id: pm.id,
            state: SaveState::Saved(None),
            dirty: false,
            replacing: false,
            notice: None,
            base: pm.clone(),
            merged: false,
        }
    }

    /// Where the edits stand.
    pub fn state(&self) -> &SaveState {
        &self.state
    }

    /// Whether this page holds edits that are not stored.
    pub fn has_unsaved_edits(&self) -> bool {
        self.dirty
    }

    /// The editor's copy `pm` as a copy to rescue its unsaved edits with (none when nothing is
    /// unsaved): it names the stored version it was edited from as the version it descends
    /// from, so importing it back takes the edits, or merges them with a newer save.
    pub fn rescue_copy(&self, pm: &Postmortem) -> Option<Postmortem> {
        let lineage = Some(Lineage { base: content_hash(&self.base), kept: false });
        self.dirty.then(|| Postmortem { lineage, ..pm.clone() })
    }

    /// Whether another tab's save and this page's edits wait for the author's choice.
    pub fn in_conflict(&self) -> bool {
        self.state == SaveState::Conflict
    }

    /// What to tell the author about the stored version, if anything.
    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    /// The author has read the notice.
    pub fn dismiss_notice(&mut self) {
        self.notice = None;
    }

    /// Whether the last save merged another tab's save into the editor's copy (which the
    /// editor must then show again); asking clears it.
    pub fn take_merged(&mut self) -> bool {
        std::mem::take(&mut self.merged)
    }

    /// The editor is about to show its copy again after [`Self::take_merged`]: that change is
    /// what is stored, not an edit.
    pub fn expect_replacement(&mut self) {
        self.replacing = true;
    }

    /// The editor's copy changed. Returns whether a save should follow (after the delay):
    /// false for the change that put a stored version in place.
    pub fn edited(&mut self) -> bool {
        if std::mem::take(&mut self.replacing) {
            return false;
        }
        self.dirty = true;
        if matches!(self.state, SaveState::Saved(_) | SaveState::Saving) {
            self.state = SaveState::Pending;
        }
        !self.in_conflict()
    }

    /// Saves `pm` (the editor's copy) at `now` if it holds unsaved edits and is not in
    /// conflict; keeps its new revision in it. A newer version saved elsewhere is merged
    /// first (`pm` becomes the merge). Returns whether anything was written or refused.
    pub fn save<S: KeyValueStore>(
        &mut self,
        library: &mut Library<S>,
        pm: &mut Postmortem,
        now: DateTime<Utc>,
    ) -> bool {
        let wrote = self.write(library, pm, now);
        if wrote && self.state == SaveState::Saving {
            self.state = SaveState::Saved(Some(now));
        }
        wrote
    }

    /// Saves as [`Self::save`] does, after writing `latest` (the journal's entry for this
    /// postmortem, which another tab's save may have written a moment ago, before this
    /// tab's view of the store caught up) into the store when it is newer. Returns the
    /// journal entry to record: the save is "saving" until [`Self::journaled`] hears of it.
    /// Runs while this tab holds the postmortem's save lock, so no other tab writes between
    /// reading `latest` and recording the entry.
    pub fn save_journaled<S: KeyValueStore>(
        &mut self,
        library: &mut Library<S>,
        pm: &mut Postmortem,
        latest: Option<&Entry>,
        now: DateTime<Utc>,
    ) -> Option<Entry> {
        if !self.dirty || self.in_conflict() {
            return None;
        }
        if let Some(entry) = latest {
            let _ = library.adopt(entry);
        }
        if !self.write(library, pm, now) || self.state != SaveState::Saving {
            return None;
        }
        library.journal_entry(&self.id, pm.revision, now.timestamp_millis().max(0).unsigned_abs())
    }

    /// The journal entry of the save of `revision` was committed (or could not be, `result`).
    /// The save is "saved" then, unless the author edited since.
    pub fn journaled(&mut self, revision: u64, result: Result<(), JournalError>, now: DateTime<Utc>) {
        if let Err(e) = result {
            self.notice = Some(Notice::NotJournaled(e));
        } else if matches!(self.notice, Some(Notice::NotJournaled(_))) {
            self.notice = None;
        }
        if self.state == SaveState::Saving && self.base.revision == revision {
            self.state = SaveState::Saved(Some(now));
        }
    }

    /// Writes `pm`, merging a newer stored version in first; the state is `Saving` once
    /// written.
    fn write<S: KeyValueStore>(&mut self, library: &mut Library<S>, pm: &mut Postmortem, now: DateTime<Utc>) -> bool {
        if !self.dirty || self.in_conflict() {
            return false;
        }
        pm.updated_at = now;
        match library.save(pm) {
            Ok(revision) => self.stored(pm, revision),
            Err(StorageError::Conflict) => match self.merge_stored(library, pm) {
                Some(merged) => {
                    *pm = merged;
                    pm.updated_at = now;
                    match library.save(pm) {
                        Ok(revision) => {
                            self.stored(pm, revision);
                            self.notice = Some(Notice::MergedElsewhere);
                            self.merged = true;
                        }
                        Err(StorageError::Conflict) => self.enter_conflict(),
                        Err(e) => self.state = SaveState::Failed(e),
                    }
                }
                None => {
                    // Why the stored version could not be merged stays said.
                    let why = self.notice.take();
                    self.enter_conflict();
                    self.notice = why;
                }
            },
            Err(e) => self.state = SaveState::Failed(e),
        }
        true
    }

    fn stored(&mut self, pm: &mut Postmortem, revision: u64) {
        pm.revision = revision;
        self.dirty = false;
        self.state = SaveState::Saving;
        self.base = pm.clone();
    }

    /// The stored version merged with `mine`, when every change merges by itself (the base
    /// becomes the stored version). `None` when the two changed the same part (the session
    /// is then in conflict) or the stored version cannot be read (the notice says why).
    fn merge_stored<S: KeyValueStore>(&mut self, library: &Library<S>, mine: &Postmortem) -> Option<Postmortem> {
        let theirs = self.load_theirs(library)?;
        let merged = merge(Some(&self.base), mine, &theirs, &BTreeMap::new()).ok()?;
        if !merged.conflicts.is_empty() {
            self.enter_conflict();
            return None;
        }
        let mut pm = merged.postmortem;
        pm.revision = theirs.revision;
        self.base = theirs;
        Some(pm)
    }

    fn enter_conflict(&mut self) {
        self.state = SaveState::Conflict;
        // An earlier "updated from another tab" is stale once the two versions disagree.
        self.notice = None;
    }

    /// Another tab or window changed the stored postmortem (the editor's copy is `mine`).
    /// Returns the version the editor should show instead: the stored one when this page
    /// holds no edits, or the two merged when it does and they changed different parts
    /// (then the merge is an edit to save). When they changed the same part, the session
    /// waits for the author's choice.
    pub fn stored_elsewhere<S: KeyValueStore>(
        &mut self,
        library: &Library<S>,
        mine: &Postmortem,
    ) -> Option<Postmortem> {
        let theirs = self.load_theirs(library)?;
        if theirs.revision == mine.revision || self.in_conflict() {
            return None;
        }
        if self.dirty {
            let merged = self.merge_stored(library, mine)?;
            self.notice = Some(Notice::MergedElsewhere);
            Some(merged)
        } else {
            self.notice = Some(Notice::FollowedElsewhere);
            self.replacing = true;
            self.base = theirs.clone();
            Some(theirs)
        }
    }

    /// The parts this page and the stored version changed differently, with each side's
    /// value: the questions of the conflict.
    pub fn conflicts<S: KeyValueStore>(&self, library: &Library<S>, mine: &Postmortem) -> Option<Vec<Conflict>> {
        let theirs = library.load(&self.id).ok()?;
        merge(Some(&self.base), mine, &theirs, &BTreeMap::new()).ok().map(|m| m.conflicts)
    }

    /// The author answered the conflict's questions (`picks`, by conflict key; a missing one
    /// takes its default): the merge is returned for the editor to show, and saved as an edit.
    pub fn merge_with<S: KeyValueStore>(
        &mut self,
        library: &Library<S>,
        mine: &Postmortem,
        picks: &BTreeMap<String, Pick>,
    ) -> Option<Postmortem> {
        let theirs = self.load_theirs(library)?;
        let mut merged = match merge(Some(&self.base), mine, &theirs, picks) {
            Ok(merged) => merged.postmortem,
            Err(_) => return None,
        };
        merged.revision = theirs.revision;
        self.base = theirs;
        self.dirty = true;
        self.state = SaveState::Pending;
        self.notice = Some(Notice::MergedElsewhere);
        Some(merged)
    }

    /// The author drops this page's edits and takes the stored version, which is returned
    /// for the editor to show (`None` when it cannot be read: nothing changes, and the notice
    /// says why).
    pub fn use_theirs<S: KeyValueStore>(&mut self, library: &Library<S>) -> Option<Postmortem> {
        let theirs = self.load_theirs(library)?;
        self.dirty = false;
        self.state = SaveState::Saved(None);
        self.notice = Some(Notice::ShowingTheirs);
        self.replacing = true;
        self.base = theirs.clone();
        Some(theirs)
    }

    /// Reads the stored version; when it cannot be read, the notice says why.
    fn load_theirs<S: KeyValueStore>(&mut self, library: &Library<S>) -> Option<Postmortem> {
        match library.load(&self.id) {
            Ok(theirs) => Some(theirs),
            Err(StorageError::NotFound) => {
                self.notice = Some(Notice::DeletedElsewhere);
                None
            }
            Err(e) => {
                self.notice = Some(Notice::UnreadableElsewhere(e));
                None
            }
        }
    }

    /// The author keeps both: this page's version (`mine`) is stored as a new postmortem,
    /// titled as this tab's version, and the stored version is returned for the editor to
    /// show. When the copy cannot be stored, the choice stays open and the notice says why.
    pub fn keep_both<S: KeyValueStore>(
        &mut self,
        library: &mut Library<S>,
        mine: &Postmortem,
        now: DateTime<Utc>,
    ) -> Option<Postmortem> {
        let mut copy = mine.clone();
        copy.id = PostmortemId::random();
        copy.revision = 0;
        copy.title = format!("{} (version kept from this tab)", mine.display_title());
        (copy.created_at, copy.updated_at) = (now, now);
        if let Err(e) = library.save(&copy) {
            self.notice = Some(Notice::CopyNotKept(e));
            return None;
        }
        let theirs = library.load(&self.id).ok();
        self.dirty = false;
        self.state = SaveState::Saved(None);
        self.notice = Some(Notice::KeptBoth { id: copy.id, title: copy.title });
        self.replacing = theirs.is_some();
        if let Some(theirs) = &theirs {
            self.base = theirs.clone();
        }
        theirs
    }

    /// The author writes this page's version over the stored one.
    pub fn overwrite<S: KeyValueStore>(&mut self, library: &mut Library<S>, pm: &mut Postmortem, now: DateTime<Utc>) {
        let Some(theirs) = self.load_theirs(library) else { return };
        pm.revision = theirs.revision;
        self.base = theirs;
        self.dirty = true;
        self.state = SaveState::Pending;
        self.save(library, pm, now);
    }

    /// What differs between this page's version and the stored one.
    pub fn compare<S: KeyValueStore>(&self, library: &Library<S>, mine: &Postmortem) -> Option<Vec<Difference>> {
        let theirs = library.load(&self.id).ok()?;
        Some(differences(mine, &theirs))
    }

    /// Why edits are left unsaved, when the session ends with some.
    pub fn unsaved(&self) -> Option<Unsaved> {
        if !self.dirty {
            return None;
        }
        Some(match &self.state {
            SaveState::Failed(e) => Unsaved::Failed(e.clone()),
            SaveState::Conflict => Unsaved::Conflict,
            _ => Unsaved::Unfinished,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::flaky::{Fault, FlakyStore};

    fn at(minute: u32) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(&format!("2026-05-01T10:{minute:02}:00Z"))
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    /// A postmortem stored by one tab, and a second tab on the same storage.
    struct Tabs {
        store: FlakyStore,
        a: Library<FlakyStore>,
        b: Library<FlakyStore>,
        id: PostmortemId,
    }

    fn tabs() -> Tabs {
        let store = FlakyStore::shared();
        let (mut a, _) = Library::open(store.clone());
        let id = a.add_sample(at(0)).expect("stored");
        let (b, _) = Library::open(store.clone());
        Tabs { store, a, b, id }
    }

    /// Opens the postmortem in an editor of `library`.
    fn open(library: &Library<FlakyStore>, id: PostmortemId) -> (EditorSession, Postmortem) {
        let pm = library.load(&id).expect("stored");
        (EditorSession::new(&pm), pm)
    }

    /// Tab B changes the summary to "From tab B" and saves; returns its version.
    fn save_in_b(t: &mut Tabs) -> Postmortem {
        let (mut other, mut theirs) = open(&t.b, t.id);
        theirs.summary = "From tab B".into();
        other.edited();
        other.save(&mut t.b, &mut theirs, at(1));
        theirs
    }

    /// Tab A's editor with its summary changed to "From tab A", after tab B saved another
    /// summary and tab A heard of it: the two wait for the author's choice.
    fn conflict(t: &mut Tabs) -> (EditorSession, Postmortem) {
        let (mut session, mut pm) = open(&t.a, t.id);
        save_in_b(t);
        pm.summary = "From tab A".into();
        session.edited();
        assert_eq!(session.stored_elsewhere(&t.a, &pm), None, "the page keeps its edits");
        assert!(session.in_conflict());
        (session, pm)
    }

    #[test]
    fn a_rescue_copy_of_unsaved_edits_imports_back_as_a_change_to_take() {
        use crate::domain::lineage::{Relation, relate};
        let mut t = tabs();
        let (mut session, mut pm) = open(&t.a, t.id);
        assert_eq!(session.rescue_copy(&pm), None, "nothing unsaved");
        pm.summary = "Typed before the crash".into();
        session.edited();
        let copy = session.rescue_copy(&pm).expect("unsaved edits");
        assert_eq!(copy.summary, pm.summary);
        let stored = t.a.load(&t.id).expect("stored");
        assert_eq!(relate(&stored, &copy), Relation::TheirsChanged, "importing it back takes the edit");
        // Once saved, nothing is left to rescue.
        assert!(session.save(&mut t.a, &mut pm, at(1)));
        assert_eq!(session.rescue_copy(&pm), None);
    }

    #[test]
    fn an_edit_waits_then_saves_and_the_revision_follows() {
        let mut t = tabs();
        let (mut session, mut pm) = open(&t.a, t.id);
        assert_eq!(session.state(), &SaveState::Saved(None));
        assert!(!session.save(&mut t.a, &mut pm, at(1)), "nothing to save");
        pm.summary = "Edited".into();
        assert!(session.edited());
        assert_eq!(session.state(), &SaveState::Pending);
        assert!(session.save(&mut t.a, &mut pm, at(1)));
        assert_eq!(session.state(), &SaveState::Saved(Some(at(1))));
        assert_eq!(t.a.load(&t.id), Ok(pm.clone()));
        pm.summary = "Edited twice".into();
        session.edited();
        assert!(session.save(&mut t.a, &mut pm, at(2)));
        assert_eq!(t.a.load(&t.id).map(|p| p.summary), Ok("Edited twice".to_owned()));
        assert_eq!(session.unsaved(), None);
    }

    #[test]
    fn a_failed_save_keeps_the_edit_and_saving_again_stores_it() {
        let mut t = tabs();
        let (mut session, mut pm) = open(&t.a, t.id);
        pm.title = "Kept".into();
        session.edited();
        t.store.then_fail(vec![Fault::None, Fault::Quota]);
        session.save(&mut t.a, &mut pm, at(1));
        assert_eq!(session.state(), &SaveState::Failed(StorageError::QuotaExceeded));
        assert_eq!(session.unsaved(), Some(Unsaved::Failed(StorageError::QuotaExceeded)));
        // Typing more keeps the failure in view until a save works.
        pm.title = "Kept, and more".into();
        assert!(session.edited());
        assert_eq!(session.state(), &SaveState::Failed(StorageError::QuotaExceeded));
        assert!(session.save(&mut t.a, &mut pm, at(2)));
        assert_eq!(session.state(), &SaveState::Saved(Some(at(2))));
        assert_eq!(t.a.load(&t.id).map(|p| p.title), Ok("Kept, and more".to_owned()));
    }

    #[test]
    fn a_page_without_edits_follows_another_tabs_save() {
        let mut t = tabs();
        let (mut session, pm) = open(&t.a, t.id);
        save_in_b(&mut t);
        let shown = session.stored_elsewhere(&t.a, &pm).expect("follows");
        assert_eq!(shown.summary, "From tab B");
        assert_eq!(session.notice(), Some(&Notice::FollowedElsewhere));
        // Putting it in place is not an edit.
        assert!(!session.edited());
        assert!(!session.has_unsaved_edits());
        // The next real edit saves on top of tab B's version.
        let mut pm = shown;
        pm.title = "Then tab A".into();
        assert!(session.edited());
        session.save(&mut t.a, &mut pm, at(2));
        let stored = t.a.load(&t.id).expect("stored");
        assert_eq!((stored.title.as_str(), stored.summary.as_str()), ("Then tab A", "From tab B"));
    }

    #[test]
    fn edits_here_and_a_save_elsewhere_wait_for_the_author() {
        let mut t = tabs();
        let (mut session, mut pm) = conflict(&mut t);
        let theirs = t.a.load(&t.id).expect("stored");
        // More typing neither saves nor leaves the conflict.
        pm.summary = "From tab A, more".into();
        assert!(!session.edited());
        assert!(!session.save(&mut t.a, &mut pm, at(2)));
        assert_eq!(t.a.load(&t.id).map(|p| p.summary), Ok("From tab B".to_owned()));
        assert_eq!(session.unsaved(), Some(Unsaved::Conflict));
        let compared = session.compare(&t.a, &pm).expect("both readable");
        assert!(compared.iter().any(|d| d.mine == "From tab A, more" && d.theirs == theirs.summary));
        let questions = session.conflicts(&t.a, &pm).expect("both readable");
        assert_eq!(questions.len(), 1, "only the summary: {questions:?}");
        assert_eq!((questions[0].mine.as_str(), questions[0].theirs.as_str()), ("From tab A, more", "From tab B"));
    }

    #[test]
    fn a_save_refused_as_stale_merges_changes_to_different_parts() {
        let mut t = tabs();
        let (mut session, mut pm) = open(&t.a, t.id);
        save_in_b(&mut t);
        // Tab A never heard of it (the storage event was not delivered yet).
        pm.title = "From tab A".into();
        session.edited();
        assert!(session.save(&mut t.a, &mut pm, at(2)));
        assert_eq!(
            (session.state(), session.notice()),
            (&SaveState::Saved(Some(at(2))), Some(&Notice::MergedElsewhere))
        );
        assert!(!session.has_unsaved_edits());
        let stored = t.a.load(&t.id).expect("stored");
        assert_eq!((stored.title.as_str(), stored.summary.as_str()), ("From tab A", "From tab B"));
        assert_eq!(pm, stored, "the page shows what is stored");
        assert!(session.take_merged() && !session.take_merged());
    }

    #[test]
    fn a_save_refused_as_stale_is_a_conflict_when_both_changed_the_same_part() {
        let mut t = tabs();
        let (mut session, mut pm) = open(&t.a, t.id);
        save_in_b(&mut t);
        pm.summary = "From tab A".into();
        session.edited();
        assert!(session.save(&mut t.a, &mut pm, at(2)));
        assert!(session.in_conflict());
        assert!(session.has_unsaved_edits());
        assert_eq!(t.a.load(&t.id).map(|p| p.summary), Ok("From tab B".to_owned()));
        // Answering the question (both texts) merges, and the merge is saved as an edit.
        let picks = BTreeMap::from([("summary".to_owned(), Pick::Both)]);
        let mut merged = session.merge_with(&t.a, &pm, &picks).expect("merged");
        assert!(merged.summary.contains("From tab A") && merged.summary.contains("From tab B"));
        assert!(session.edited());
        assert!(session.save(&mut t.a, &mut merged, at(3)));
        assert_eq!(session.state(), &SaveState::Saved(Some(at(3))));
        assert_eq!(t.a.load(&t.id).map(|p| p.summary), Ok(merged.summary.clone()));
    }

    #[test]
    fn a_page_with_edits_hearing_of_a_save_elsewhere_merges_at_once() {
        let mut t = tabs();
        let (mut session, mut pm) = open(&t.a, t.id);
        pm.title = "From tab A".into();
        session.edited();
        save_in_b(&mut t);
        let mut shown = session.stored_elsewhere(&t.a, &pm).expect("merged");
        assert_eq!((shown.title.as_str(), shown.summary.as_str()), ("From tab A", "From tab B"));
        assert_eq!(session.notice(), Some(&Notice::MergedElsewhere));
        // Putting the merge in place is an edit: it holds this page's change, unsaved.
        assert!(session.edited());
        assert!(session.save(&mut t.a, &mut shown, at(2)));
        let stored = t.a.load(&t.id).expect("stored");
        assert_eq!((stored.title.as_str(), stored.summary.as_str()), ("From tab A", "From tab B"));
    }

    #[test]
    fn a_journal_that_cannot_be_written_is_said_and_the_save_stays_in_the_store() {
        let mut t = tabs();
        let (mut session, mut pm) = open(&t.a, t.id);
        pm.title = "Edited".into();
        session.edited();
        let entry = session.save_journaled(&mut t.a, &mut pm, None, at(1)).expect("an entry");
        session.journaled(entry.revision, Err(JournalError("IndexedDB is not available".into())), at(1));
        assert_eq!(session.state(), &SaveState::Saved(Some(at(1))));
        assert!(matches!(session.notice(), Some(Notice::NotJournaled(_))));
        assert_eq!(t.a.load(&t.id).map(|p| p.title), Ok("Edited".to_owned()));
        // Typing during the journal write: it is not "saved" when the entry lands.
        pm.title = "Edited again".into();
        session.edited();
        let entry = session.save_journaled(&mut t.a, &mut pm, None, at(2)).expect("an entry");
        pm.title = "Edited a third time".into();
        session.edited();
        session.journaled(entry.revision, Ok(()), at(2));
        assert_eq!(session.state(), &SaveState::Pending);
        assert_eq!(session.notice(), None, "the journal works again");
    }

    #[test]
    fn each_way_out_of_a_conflict() {
        // Use the other version: this page's edits are dropped, on purpose.
        let mut t = tabs();
        let (mut session, _) = conflict(&mut t);
        let shown = session.use_theirs(&t.a).expect("readable");
        assert_eq!(shown.summary, "From tab B");
        assert!(!session.edited(), "putting it in place is not an edit");
        assert_eq!((session.state(), session.notice()), (&SaveState::Saved(None), Some(&Notice::ShowingTheirs)));

        // Keep both: this page's version is stored as a copy; the page shows theirs.
        let mut t = tabs();
        let (mut session, pm) = conflict(&mut t);
        let shown = session.keep_both(&mut t.a, &pm, at(3)).expect("readable");
        assert_eq!(shown.summary, "From tab B");
        let copy_title = format!("{} (version kept from this tab)", pm.display_title());
        let kept = t.a.summaries().iter().find(|s| s.title == copy_title).map(|s| s.id).expect("listed");
        assert_eq!(session.notice(), Some(&Notice::KeptBoth { id: kept, title: copy_title.clone() }));
        assert_ne!(kept, t.id);
        assert_eq!(t.a.load(&kept).map(|p| p.summary), Ok("From tab A".to_owned()), "the copy holds this tab's edit");
        assert!(!session.edited());

        // Overwrite: this page's version replaces theirs.
        let mut t = tabs();
        let (mut session, mut pm) = conflict(&mut t);
        session.overwrite(&mut t.a, &mut pm, at(3));
        assert_eq!(session.state(), &SaveState::Saved(Some(at(3))));
        let stored = t.a.load(&t.id).expect("stored");
        assert_eq!(stored.summary.as_str(), "From tab A");
    }

    #[test]
    fn a_copy_that_cannot_be_kept_keeps_the_edits_here() {
        let mut t = tabs();
        let (mut session, pm) = conflict(&mut t);
        t.store.then_fail(vec![Fault::Quota; 4]);
        assert_eq!(session.keep_both(&mut t.a, &pm, at(2)), None);
        assert!(session.in_conflict(), "the choice is still open");
        assert!(matches!(session.notice(), Some(Notice::CopyNotKept(StorageError::QuotaExceeded))));
        assert!(session.has_unsaved_edits());
        // Once there is room, keeping both works.
        t.store.heal();
        assert!(session.keep_both(&mut t.a, &pm, at(3)).is_some());
        assert!(!session.has_unsaved_edits());
    }

    #[test]
    fn a_choice_that_cannot_be_made_says_why_and_stays_open() {
        let mut t = tabs();
        let (mut session, mut pm) = conflict(&mut t);
        t.b.reopen().expect("reopens");
        t.b.purge(&t.id).expect("purged");
        assert_eq!(session.use_theirs(&t.a), None);
        assert_eq!((session.in_conflict(), session.notice()), (true, Some(&Notice::DeletedElsewhere)));
        t.store.then_fail(vec![Fault::ReadFails]);
        session.overwrite(&mut t.a, &mut pm, at(2));
        assert!(session.in_conflict());
        assert!(matches!(session.notice(), Some(Notice::UnreadableElsewhere(_))));
        assert!(session.has_unsaved_edits());
    }

    #[test]
    fn deleted_or_unreadable_elsewhere_is_said_and_the_page_keeps_its_copy() {
        let mut t = tabs();
        let (mut session, pm) = open(&t.a, t.id);
        t.b.reopen().expect("reopens");
        t.b.purge(&t.id).expect("purged");
        assert_eq!(session.stored_elsewhere(&t.a, &pm), None);
        assert_eq!(session.notice(), Some(&Notice::DeletedElsewhere));
        session.dismiss_notice();
        assert_eq!(session.notice(), None);
        let mut t = tabs();
        let (mut session, pm) = open(&t.a, t.id);
        t.store.then_fail(vec![Fault::ReadFails]);
        assert_eq!(session.stored_elsewhere(&t.a, &pm), None);
        assert!(matches!(session.notice(), Some(Notice::UnreadableElsewhere(_))));
        let _ = &mut t.b;
    }

    #[test]
    fn an_unchanged_revision_elsewhere_changes_nothing() {
        let t = tabs();
        let (mut session, pm) = open(&t.a, t.id);
        assert_eq!(session.stored_elsewhere(&t.a, &pm), None);
        assert_eq!((session.state(), session.notice()), (&SaveState::Saved(None), None));
    }

    #[test]
    fn leaving_mid_edit_says_the_edits_are_not_stored() {
        let t = tabs();
        let (mut session, _) = open(&t.a, t.id);
        session.edited();
        assert_eq!(session.unsaved(), Some(Unsaved::Unfinished));
    }
}
