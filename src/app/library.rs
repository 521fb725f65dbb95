//! The library of postmortems in one browser tab: the service every page goes through to
//! read and change what is stored.
//!
//! It owns the tab's [`Repository`] (the in-memory index and the memory of this tab's own
//! writes live there, so there must be one per tab) and the full-text [`SearchIndex`].
//! Invariants it keeps:
//! - the search index only holds text as it is stored now: whatever this tab writes, and
//!   whatever another tab is reported to have written, is dropped from it and read again;
//! - [`Library::list_version`] changes whenever the list (summaries or unreadable entries)
//!   may have changed, so a view can follow it without comparing the whole list.

use crate::domain::search::SearchIndex;
use crate::domain::template::{Template, TemplateId, TemplateMerge, apply_template, builtin};
use crate::domain::time::Zone;
use crate::domain::{ActionItem, ItemId, Postmortem, PostmortemId, Summary};
use crate::file_format::contribution::SealKey;
use crate::storage::capacity::Usage;
use crate::storage::journal::{Entry, KEEP_FOR_MS};
use crate::storage::{CorruptEntry, KeyValueStore, Repository, StorageError};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// What opening the library found besides the list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Opening {
    /// The library could not be read at all: the list is empty for now.
    pub failed: Option<StorageError>,
    /// The list was read, but its index could not be written back after a repair.
    pub index_warning: Option<StorageError>,
}

/// Why the sample postmortem could not be added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SampleError {
    #[error("The sample postmortem could not be read ({0}); please report this.")]
    Unreadable(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// How much of the browser's storage the library takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Capacity {
    pub usage: Usage,
    /// The whole size in characters: measured now, or as last measured.
    pub size: usize,
    /// Whether `size` was measured just now rather than remembered.
    pub fresh: bool,
}

impl Capacity {
    /// How much of the whole is used, from 0 to 1.
    pub fn share_used(&self) -> f64 {
        if self.size == 0 { 1.0 } else { (self.usage.total as f64 / self.size as f64).min(1.0) }
    }

    /// Characters still free.
    pub fn room(&self) -> usize {
        self.size.saturating_sub(self.usage.total)
    }

    /// Whether it is time to warn: four fifths used.
    pub fn nearly_full(&self) -> bool {
        self.share_used() >= 0.8
    }

    /// How many more postmortems of the average size fit.
    pub fn more_postmortems(&self) -> Option<usize> {
        self.usage.average_document().map(|avg| self.room() / avg.max(1))
    }
}

/// The library of one tab, over the store `S` (the browser's localStorage in the app).
#[derive(Debug)]
pub struct Library<S> {
    repo: Repository<S>,
    corrupt: Vec<CorruptEntry>,
    search: SearchIndex,
    list_version: u64,
}

impl<S: KeyValueStore> Library<S> {
    /// Opens the library kept in `store`. A library that cannot be read opens empty, with
    /// the reason in [`Opening::failed`]; nothing stored is changed by that.
    pub fn open(store: S) -> (Self, Opening) {
        let mut library =
            Self { repo: Repository::new(store), corrupt: Vec::new(), search: SearchIndex::default(), list_version: 0 };
        let opening = match library.repo.open() {
            Ok(opened) => {
                library.corrupt = opened.corrupt;
                Opening { failed: None, index_warning: opened.index_warning }
            }
            Err(e) => Opening { failed: Some(e), index_warning: None },
        };
        (library, opening)
    }

    /// Reads the library again, after another tab or window changed it.
    pub fn reopen(&mut self) -> Result<(), StorageError> {
        let opened = self.repo.open()?;
        self.corrupt = opened.corrupt;
        self.list_changed();
        Ok(())
    }

    /// Every summary, trashed ones included.
    pub fn summaries(&self) -> &[Summary] {
        self.repo.summaries()
    }

    /// Stored entries that could not be read; kept untouched.
    pub fn corrupt(&self) -> &[CorruptEntry] {
        &self.corrupt
    }

    /// Changes whenever the summaries or the unreadable entries may have.
    pub fn list_version(&self) -> u64 {
        self.list_version
    }

    fn list_changed(&mut self) {
        self.list_version += 1;
    }

    /// The store underneath, for tests.
    pub fn store(&self) -> &S {
        self.repo.store()
    }

    /// Reads one postmortem.
    pub fn load(&self, id: &PostmortemId) -> Result<Postmortem, StorageError> {
        self.repo.load(id)
    }

    /// Every readable postmortem (trashed ones included).
    pub fn all_postmortems(&self) -> Result<Vec<Postmortem>, StorageError> {
        self.repo.everything().map(|(all, _)| all)
    }

    /// The readable postmortems among `ids`, in the list's order.
    pub fn these(&self, ids: &[PostmortemId]) -> Result<Vec<Postmortem>, StorageError> {
        let wanted: std::collections::HashSet<&PostmortemId> = ids.iter().collect();
        self.repo.those(|s| wanted.contains(&s.id)).map(|(some, _)| some)
    }

    /// The postmortems listed before their wording findings were counted.
    pub fn unchecked(&self) -> Vec<PostmortemId> {
        self.repo.unchecked()
    }

    /// Counts the wording findings of postmortems a large import listed first, while
    /// `more()` says to go on (a page gives it a few milliseconds at a time), and lists the
    /// lines counted. `tried` holds the unchecked lines already tried: one whose document
    /// could not be read, or that changed meanwhile, is tried again only once its line
    /// changes. Returns how many are left to count.
    pub fn count_findings(
        &mut self,
        tried: &mut HashMap<PostmortemId, Summary>,
        mut more: impl FnMut() -> bool,
    ) -> Result<usize, StorageError> {
        let waiting: Vec<Summary> =
            self.repo.summaries().iter().filter(|s| s.unchecked && tried.get(&s.id) != Some(s)).cloned().collect();
        let mut lines = Vec::new();
        let mut left = 0;
        for (n, line) in waiting.iter().enumerate() {
            if n > 0 && !more() {
                left = waiting.len() - n;
                break;
            }
            tried.insert(line.id, line.clone());
            if let Ok(counted) = self.repo.checked_line(&line.id) {
                lines.push(counted);
            }
        }
        if !lines.is_empty() && self.repo.list_checked(lines)? > 0 {
            self.list_changed();
        }
        Ok(left)
    }

    /// Every readable postmortem and how many stored entries could not be read.
    pub fn everything(&self) -> Result<(Vec<Postmortem>, usize), StorageError> {
        self.repo.everything()
    }

    /// The raw stored text under `key`, for downloading an unreadable entry.
    pub fn raw(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.repo.raw(key)
    }

    /// Saves `pm`, whose `revision` must be the stored one (0 for a new postmortem), and
    /// returns its new revision. A revision that is not the stored one is refused with
    /// [`StorageError::Conflict`]: someone else saved in between.
    pub fn save(&mut self, pm: &Postmortem) -> Result<u64, StorageError> {
        // Nothing over a limit is stored: a backup or a team folder of it reads back.
        // (The problem names the field in words; its file path is for import messages.)
        if let Some(over) = crate::domain::limits::over_limits(pm).into_iter().next() {
            return Err(StorageError::OverLimit(over.problem));
        }
        let listed = |repo: &Repository<S>| repo.summaries().iter().find(|s| s.id == pm.id).cloned();
        let before = listed(&self.repo);
        let result = self.repo.save(pm);
        // The index holds the text as stored: the saved text, or (after a failure, which may
        // or may not have stored it) none until it is read again.
        match result {
            Ok(_) => self.search.add(pm),
            Err(_) => self.search.remove(&pm.id),
        }
        if listed(&self.repo) != before {
            self.list_changed();
        }
        result
    }

    /// Writes the journal's `entry` into the store when the store holds an older version
    /// of it or none (a save whose write here was lost in a crash, or that this tab's view
    /// of the store has not caught up with). Returns the postmortem written, if it was.
    pub fn adopt(&mut self, entry: &Entry) -> Result<Option<Postmortem>, StorageError> {
        let adopted = self.repo.adopt(&entry.id, entry.revision, &entry.text)?;
        if let Some(pm) = &adopted {
            self.search.add(pm);
            self.list_changed();
        }
        Ok(adopted)
    }

    /// Writes every journal entry newer than what the store holds into it (on start), and
    /// says which entries can go ([`Self::settled`]). Returns the postmortems written back
    /// and the entries to trim.
    pub fn replay(&mut self, entries: &[Entry], now_ms: u64) -> (Vec<PostmortemId>, Vec<(PostmortemId, u64)>) {
        let mut replayed = Vec::new();
        for entry in entries {
            if let Ok(Some(_)) = self.adopt(entry) {
                replayed.push(entry.id);
            }
        }
        (replayed, self.settled(entries, now_ms))
    }

    /// The journal entries that can go at `now_ms`: those whose version (or a newer one) the
    /// store holds and that are older than [`KEEP_FOR_MS`], by when the browser has written
    /// the store to disk.
    pub fn settled(&self, entries: &[Entry], now_ms: u64) -> Vec<(PostmortemId, u64)> {
        entries
            .iter()
            .filter(|e| (now_ms.saturating_sub(e.at_ms) as f64) > KEEP_FOR_MS)
            .filter(|e| self.repo.load(&e.id).is_ok_and(|pm| pm.revision >= e.revision))
            .map(|e| (e.id, e.revision))
            .collect()
    }

    /// The journal entry for the version of `id` stored now, written at `now_ms`.
    pub fn journal_entry(&self, id: &PostmortemId, revision: u64, now_ms: u64) -> Option<Entry> {
        let text = self.repo.raw(&crate::storage::keys::document(id)).ok().flatten()?;
        Some(Entry { id: *id, revision, text, at_ms: now_ms })
    }

    /// Changes the stored postmortem `id` with `edit`, stamped at `now`.
    fn change(
        &mut self,
        id: &PostmortemId,
        now: DateTime<Utc>,
        edit: impl FnOnce(&mut Postmortem),
    ) -> Result<(), StorageError> {
        let mut pm = self.load(id)?;
        edit(&mut pm);
        pm.updated_at = now;
        self.save(&pm).map(|_| ())
    }

    /// Creates and stores an empty draft at `now` with its times in `zone`, written in
    /// `template` if one is given; returns its id.
    pub fn create(
        &mut self,
        now: DateTime<Utc>,
        zone: Zone,
        template: Option<&Template>,
    ) -> Result<PostmortemId, StorageError> {
        let mut pm = Postmortem::new(PostmortemId::random(), now);
        pm.key_times.time_zone = zone;
        if let Some(t) = template {
            apply_template(&mut pm, t);
        }
        self.save(&pm)?;
        Ok(pm.id)
    }

    /// Adds a copy of the sample postmortem (a new id, created at `now`); returns its id.
    pub fn add_sample(&mut self, now: DateTime<Utc>) -> Result<PostmortemId, SampleError> {
        let mut pm = crate::file_format::sample_postmortem().map_err(|e| SampleError::Unreadable(e.to_string()))?;
        pm.id = PostmortemId::random();
        (pm.created_at, pm.updated_at, pm.revision) = (now, now, 0);
        self.save(&pm)?;
        Ok(pm.id)
    }

    /// Moves a postmortem to the trash.
    pub fn trash(&mut self, id: &PostmortemId, now: DateTime<Utc>) -> Result<(), StorageError> {
        self.change(id, now, |pm| pm.trash(now))
    }

    /// Takes a postmortem out of the trash.
    pub fn restore(&mut self, id: &PostmortemId, now: DateTime<Utc>) -> Result<(), StorageError> {
        self.change(id, now, Postmortem::restore)
    }

    /// Deletes a postmortem for good.
    pub fn purge(&mut self, id: &PostmortemId) -> Result<(), StorageError> {
        let result = self.repo.purge(id);
        self.search.remove(id);
        self.list_changed();
        result
    }

    /// Deletes an entry that cannot be read (never a readable one), then lists what is
    /// stored again.
    pub fn delete_unreadable(&mut self, key: &str) -> Result<(), StorageError> {
        let result = self.repo.delete_unreadable(key);
        let reopened = self.reopen();
        result.and(reopened)
    }

    /// Changes one action item of a stored postmortem at `now`, recording its history once
    /// the postmortem has been circulated.
    pub fn edit_action_item(
        &mut self,
        postmortem: &PostmortemId,
        item: ItemId,
        now: DateTime<Utc>,
        edit: impl FnOnce(&mut ActionItem),
    ) -> Result<(), StorageError> {
        self.change(postmortem, now, |pm| {
            let record = pm.records_plan_changes();
            if let Some(a) = pm.action_items.iter_mut().find(|a| a.id == item) {
                crate::domain::action_plan::change_item(a, now, record, edit);
            }
        })
    }

    /// Writes a decided import (see [`crate::app::import`]), all or nothing.
    pub(crate) fn write_import(
        &mut self,
        import: crate::storage::DecidedImport,
    ) -> Result<crate::storage::ImportReport, crate::storage::ImportFailure> {
        let ids = import.ids();
        let result = self.repo.write_import(import);
        for id in ids {
            self.search.remove(&id);
        }
        self.list_changed();
        result
    }

    /// The version the stored postmortem `id` was last exchanged at, when it is known.
    pub fn exchanged_version(&self, id: &PostmortemId) -> Result<Option<Postmortem>, StorageError> {
        self.repo.exchanged_version(id)
    }

    /// Records that the stored postmortem `id` was just exchanged at version `exchanged`.
    /// Not a save: an editor holding the postmortem goes on undisturbed.
    pub fn record_exchange(&mut self, id: &PostmortemId, exchanged: &Postmortem) -> Result<(), StorageError> {
        self.repo.record_exchange(id, exchanged)
    }

    /// When the last full backup was downloaded.
    pub fn last_backup(&self) -> Option<DateTime<Utc>> {
        self.repo.last_backup()
    }

    /// Notes that a full backup was downloaded at `now`. Failing to note it only means the
    /// reminder comes back.
    pub fn record_backup(&mut self, now: DateTime<Utc>) -> Result<(), StorageError> {
        self.repo.record_backup(now)
    }

    // Templates.

    /// This browser's custom templates.
    pub fn templates(&self) -> Result<Vec<Template>, StorageError> {
        self.repo.templates()
    }

    /// The template `id`: a built-in one, or one of this browser's.
    pub fn template(&self, id: &TemplateId) -> Option<Template> {
        builtin::find(id).or_else(|| self.templates().ok()?.into_iter().find(|t| &t.id == id))
    }

    /// Stores a custom template (never a built-in one, never an unfinished one).
    pub fn save_template(&mut self, template: Template) -> Result<(), StorageError> {
        if template.id.is_builtin() {
            return Err(StorageError::WriteFailed("built-in templates cannot be changed; copy one instead".into()));
        }
        if let Some(problem) = template.problems().first() {
            return Err(StorageError::WriteFailed(format!("the template is not finished: {problem}")));
        }
        self.repo.put_template(template)
    }

    /// Deletes a custom template; returns it so the deletion can be undone.
    pub fn delete_template(&mut self, id: &TemplateId) -> Result<Option<Template>, StorageError> {
        self.repo.remove_template(id)
    }

    /// Brings templates from a file in: new ones and newer versions are added, one that
    /// differs without being newer is added as a copy beside it.
    pub fn import_templates(&mut self, incoming: Vec<Template>) -> Result<TemplateMerge, StorageError> {
        self.repo.import_templates(incoming, true)
    }

    // Keys for sealed contributions.

    /// Every key that opens sealed contributions.
    pub fn seal_keys(&self) -> Result<Vec<SealKey>, StorageError> {
        self.repo.seal_keys()
    }

    /// Keeps keys for invitations that have none yet; returns how many were added.
    pub fn add_seal_keys(&mut self, keys: Vec<SealKey>) -> Result<usize, StorageError> {
        if keys.is_empty() {
            return Ok(0);
        }
        self.repo.add_seal_keys(keys)
    }

    // Room.

    /// Measures how full storage is by writing (a fraction of a second with a large
    /// library); the size found is remembered for [`Library::estimate`].
    pub fn measure(&mut self) -> Result<Capacity, StorageError> {
        let room = self.repo.measure_room()?;
        let usage = self.repo.usage()?;
        // The size as remembered, so a later estimate agrees with this measure.
        let size = self.repo.measured_size().unwrap_or(usage.total + room).max(usage.total);
        Ok(Capacity { usage, size, fresh: true })
    }

    /// How full storage is, from the size measured before when there is one (cheap), else
    /// measured now.
    pub fn estimate(&mut self) -> Result<Capacity, StorageError> {
        match (self.repo.measured_size(), self.repo.usage()) {
            (Some(size), Ok(usage)) if size >= usage.total => Ok(Capacity { usage, size, fresh: false }),
            _ => self.measure(),
        }
    }

    // Search.

    /// The postmortems whose text the search index has still to read, leaving out `skipped`.
    pub fn unindexed(&self, skipped: &std::collections::BTreeSet<PostmortemId>) -> Vec<PostmortemId> {
        self.summaries().iter().map(|s| s.id).filter(|id| !self.search.has(id) && !skipped.contains(id)).collect()
    }

    /// How many postmortems the search index has read.
    pub fn indexed(&self) -> usize {
        self.search.len()
    }

    /// Reads the stored text of `id` into the search index; false when it cannot be read.
    pub fn index(&mut self, id: &PostmortemId) -> bool {
        match self.repo.load(id) {
            Ok(pm) => {
                self.search.add(&pm);
                true
            }
            Err(_) => false,
        }
    }

    /// Forgets what the index read of `id` (another tab changed it), or of everything.
    pub fn forget_in_index(&mut self, id: Option<PostmortemId>) {
        match id {
            Some(id) => self.search.remove(&id),
            None => self.search = SearchIndex::default(),
        }
    }

    /// The summaries in `list` that match `query`: by full text for every postmortem the
    /// index has read, by title for the rest.
    pub fn search(&self, query: &str, list: &[Summary]) -> Vec<Summary> {
        if query.trim().is_empty() {
            return list.to_vec();
        }
        let query = self.search.query(query);
        list.iter().filter(|s| query.matches(s)).cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sample::full_postmortem;
    use crate::storage::flaky::{Fault, FlakyStore};
    use crate::storage::{MemoryStore, keys};

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-05-01T10:00:00Z").map(|t| t.with_timezone(&Utc)).unwrap_or_default()
    }

    fn library() -> Library<MemoryStore> {
        let (library, opening) = Library::open(MemoryStore::new());
        assert_eq!(opening, Opening::default());
        library
    }

    #[test]
    fn a_created_postmortem_is_listed_in_its_zone_and_template() {
        let mut library = library();
        let sre = builtin::find(&TemplateId("google-sre".into()));
        let berlin = Zone::parse("Europe/Berlin").expect("valid zone");
        let id = library.create(now(), berlin.clone(), sre.as_ref()).expect("created");
        let pm = library.load(&id).expect("stored");
        assert_eq!(pm.key_times.time_zone, berlin);
        assert_eq!(pm.template.map(|t| t.id.0), Some("google-sre".to_owned()));
        assert_eq!(library.summaries().len(), 1);
        assert_eq!(library.list_version(), 1);
    }

    #[test]
    fn trash_restore_and_purge_move_a_postmortem_through_the_list() {
        let mut library = library();
        let id = library.add_sample(now()).expect("sample added");
        let listed = |l: &Library<MemoryStore>| l.summaries().iter().find(|s| s.id == id).map(|s| s.deleted_at);
        library.trash(&id, now()).expect("trashed");
        assert_eq!(listed(&library), Some(Some(now())));
        library.restore(&id, now()).expect("restored");
        assert_eq!(listed(&library), Some(None));
        library.purge(&id).expect("purged");
        assert_eq!(listed(&library), None);
        assert_eq!(library.load(&id), Err(StorageError::NotFound));
    }

    #[test]
    fn search_follows_what_is_stored_now() {
        let store = FlakyStore::shared();
        let (mut library, _) = Library::open(store.clone());
        let mut pm = full_postmortem(now());
        pm.summary = "The kafka brokers ran out of disk".into();
        pm.revision = library.save(&pm).expect("saved");
        let list = library.summaries().to_vec();
        // What this tab saves is searchable at once.
        assert_eq!(library.search("kafka", &list).len(), 1);
        assert!(library.unindexed(&Default::default()).is_empty());
        // An edit replaces the old text.
        pm.summary = "The zookeeper quorum was lost".into();
        pm.revision = library.save(&pm).expect("saved");
        assert!(library.search("kafka", &list).is_empty());
        assert_eq!(library.search("zookeeper", &list).len(), 1);
        // A save that fails may or may not have stored its text: the index reads it again.
        pm.summary = "The etcd leader flapped".into();
        store.then_fail(vec![Fault::None, Fault::WriteThenError]);
        assert!(library.save(&pm).is_err());
        assert_eq!(library.unindexed(&Default::default()), [pm.id]);
        assert!(library.index(&pm.id));
        assert_eq!(library.search("etcd", &list).len(), 1);
        // Another tab's change: forgotten, then read again.
        library.forget_in_index(Some(pm.id));
        assert!(library.search("etcd", &list).is_empty(), "by title only until read");
        library.forget_in_index(None);
        assert_eq!(library.indexed(), 0);
        assert_eq!(library.search("  ", &list), list);
    }

    #[test]
    fn saving_an_unchanged_line_keeps_the_list_version() {
        let mut library = library();
        let mut pm = full_postmortem(now());
        pm.revision = library.save(&pm).expect("saved");
        let version = library.list_version();
        pm.summary.push_str(" More detail.");
        pm.revision = library.save(&pm).expect("saved");
        assert_eq!(library.list_version(), version, "the list shows nothing of the summary");
        pm.title = "Renamed".into();
        library.save(&pm).expect("saved");
        assert!(library.list_version() > version);
    }

    #[test]
    fn another_tabs_save_is_seen_after_reopening() {
        let store = FlakyStore::shared();
        let (mut tab_a, _) = Library::open(store.clone());
        let (mut tab_b, _) = Library::open(store.clone());
        let id = tab_a.add_sample(now()).expect("added in tab A");
        assert!(tab_b.summaries().is_empty());
        tab_b.reopen().expect("reopens");
        assert_eq!(tab_b.summaries().iter().map(|s| s.id).collect::<Vec<_>>(), [id]);
    }

    #[test]
    fn a_library_that_cannot_be_read_opens_empty_and_says_why() {
        let (library, opening) = Library::open(MemoryStore::unavailable());
        assert!(matches!(opening.failed, Some(StorageError::Unavailable(_))));
        assert!(library.summaries().is_empty());
    }

    #[test]
    fn unreadable_entries_are_listed_and_only_they_can_be_deleted_here() {
        let mut store = MemoryStore::new();
        let key = keys::document(&PostmortemId::random());
        store.set(&key, "{damaged").expect("planted");
        let (mut library, _) = Library::open(store);
        assert_eq!(library.corrupt().len(), 1);
        let readable = library.add_sample(now()).expect("added");
        assert!(library.delete_unreadable(&keys::document(&readable)).is_err());
        assert!(library.load(&readable).is_ok());
        library.delete_unreadable(&key).expect("deleted");
        assert!(library.corrupt().is_empty());
    }

    #[test]
    fn built_in_and_unfinished_templates_are_not_stored() {
        let mut library = library();
        let builtin = builtin::all().remove(0);
        assert!(library.save_template(builtin.clone()).is_err());
        let mut blank = Template::blank();
        blank.name.clear();
        assert!(library.save_template(blank.clone()).is_err());
        blank.name = "Ours".into();
        library.save_template(blank.clone()).expect("stored");
        assert_eq!(library.template(&blank.id), Some(blank.clone()));
        assert_eq!(library.template(&builtin.id), Some(builtin));
        assert_eq!(library.delete_template(&blank.id), Ok(Some(blank)));
    }

    #[test]
    fn room_is_measured_then_estimated_from_the_measure() {
        let (mut library, _) = Library::open(MemoryStore::with_quota(200_000));
        library.add_sample(now()).expect("added");
        let measured = library.measure().expect("measured");
        assert!(measured.fresh && measured.size <= 200_000 && measured.size > 190_000);
        let estimated = library.estimate().expect("estimated");
        assert!(!estimated.fresh);
        assert_eq!(estimated.size, measured.size);
        assert_eq!(estimated.more_postmortems().map(|n| n > 10), Some(true));
        assert!(!estimated.nearly_full());
    }

    #[test]
    fn an_edit_to_an_action_item_is_stored_with_its_history() {
        let mut library = library();
        let id = library.add_sample(now()).expect("added");
        let pm = library.load(&id).expect("stored");
        let item = pm.action_items[0].id;
        library.edit_action_item(&id, item, now(), |a| a.owner = "Storage team".into()).expect("edited");
        let stored = library.load(&id).expect("stored");
        let edited = stored.action_items.iter().find(|a| a.id == item).expect("still there");
        assert_eq!(edited.owner, "Storage team");
        assert!(edited.history.iter().any(|h| h.to == "Storage team"));
    }

    #[test]
    fn a_failed_save_leaves_the_stored_copy_and_the_list_alone() {
        let store = FlakyStore::shared();
        let (mut library, _) = Library::open(store.clone());
        let id = library.add_sample(now()).expect("added");
        let mut pm = library.load(&id).expect("stored");
        let version = library.list_version();
        pm.title = "Not stored".into();
        store.then_fail(vec![Fault::None, Fault::Quota]);
        assert_eq!(library.save(&pm), Err(StorageError::QuotaExceeded));
        assert_ne!(library.load(&id).map(|p| p.title), Ok("Not stored".to_owned()));
        assert_eq!(library.list_version(), version);
    }

    #[test]
    fn nothing_over_a_limit_is_stored_so_every_file_reads_back() {
        let (mut library, _) = Library::open(MemoryStore::new());
        let id = library.add_sample(now()).expect("added");
        let mut pm = library.load(&id).expect("stored");
        let text = "x".repeat(crate::domain::limits::MAX_TEXT_CHARS);
        for _ in 0..11 {
            pm.add_timeline_event(None, crate::domain::EventKind::Observation, text.clone());
        }
        let refused = library.save(&pm);
        assert!(
            matches!(&refused, Err(StorageError::OverLimit(what)) if what.starts_with("its text adds up to 1.")),
            "{refused:?}"
        );
        assert_eq!(library.load(&id).map(|p| p.timeline.len()), Ok(pm.timeline.len() - 11));
    }
}
