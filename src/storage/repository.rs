//! The library's layout in a key-value store: one key per postmortem plus an index.
//!
//! Saving one postmortem writes its own key, and the index only when what the list
//! shows has changed, so its cost does not grow with the library. Opening the library
//! reads the index and the list of keys, and decodes only documents the index lacks.
//! Unreadable entries are reported and never written over.

use super::{KeyValueStore, StorageError, keys, seal_keys, templates};
use crate::domain::template::{Template, TemplateId, TemplateMerge};
use crate::domain::{Postmortem, PostmortemId, Summary};
use crate::file_format::contribution::SealKey;
use crate::file_format::{Envelope, FormatError};

/// How an incoming postmortem compares with what is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportStatus {
    /// Not in this library yet.
    New,
    /// Exactly what is stored.
    Identical,
    /// Edited more recently than the stored copy.
    Newer,
    /// The stored copy was edited more recently.
    Older,
    /// Both differ and neither is newer.
    Conflict,
    /// The stored entry with this id cannot be read; it will not be written over.
    Unreadable,
}

/// What to do with one incoming postmortem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportChoice {
    /// Add it (it is new).
    Add,
    /// Write it over the stored copy.
    Replace,
    /// Add it as a separate copy with a new id, keeping the stored one.
    KeepBoth,
    /// Leave it out.
    Skip,
}

impl ImportStatus {
    /// The choice made unless the user picks another.
    pub fn default_choice(self) -> ImportChoice {
        match self {
            Self::New => ImportChoice::Add,
            Self::Identical | Self::Older => ImportChoice::Skip,
            Self::Newer => ImportChoice::Replace,
            Self::Conflict | Self::Unreadable => ImportChoice::KeepBoth,
        }
    }

    /// The choices that make sense for this status.
    pub fn choices(self) -> &'static [ImportChoice] {
        use ImportChoice::*;
        match self {
            Self::New => &[Add, Skip],
            Self::Identical => &[Skip, KeepBoth],
            Self::Newer | Self::Older | Self::Conflict => &[Replace, KeepBoth, Skip],
            Self::Unreadable => &[KeepBoth, Skip],
        }
    }
}

/// An incoming postmortem, compared with the library.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedItem {
    pub incoming: Postmortem,
    pub status: ImportStatus,
    /// The stored copy's revision when the preview was made: a replace is refused if
    /// someone saved it since.
    pub stored_revision: Option<u64>,
}

/// Why an import did not happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportFailure {
    pub error: StorageError,
    /// False when undoing the partial import failed too: some entries may have changed.
    pub undone: bool,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportReport {
    pub added: usize,
    pub replaced: usize,
    pub copied: usize,
    pub skipped: usize,
    /// What became of the custom templates the import brought, if it brought any.
    pub templates: Option<TemplateMerge>,
    /// How many keys for sealed contributions it kept (keys already here are not counted).
    pub keys_added: usize,
}

/// An import with every item's fate decided, ready to be written all at once by
/// [`Repository::write_import`]. Packing each postmortem in its stored form is the slow
/// part of an import, so it can happen first, one postmortem at a time
/// ([`DecidedImport::pack_next`]), with the page showing progress in between.
#[derive(Debug)]
pub struct DecidedImport {
    writes: Vec<Postmortem>,
    /// The first writes, made ready ([`DecidedImport::pack_next`]).
    packed: Vec<Packed>,
    /// Custom templates to bring in (merged with the stored ones, differing ones as copies).
    templates: Vec<Template>,
    /// Keys for sealed contributions to keep, for invitations that have none here yet.
    keys: Vec<SealKey>,
    report: ImportReport,
}

/// One postmortem of an import made ready to write.
#[derive(Debug)]
struct Packed {
    /// The revision it was packed as, and its stored form (none if it could not be packed).
    revision: u64,
    stored: Option<String>,
    /// Its line in the library's index (making it runs the wording check).
    summary: Summary,
}

impl DecidedImport {
    /// Decides what happens to each item (added, replacing the stored copy, kept as a
    /// copy under a new id, or skipped), writing nothing.
    pub fn new(items: Vec<(PlannedItem, ImportChoice)>) -> Self {
        let mut report = ImportReport::default();
        let mut writes = Vec::new();
        for (item, choice) in items {
            let mut pm = item.incoming;
            match choice {
                ImportChoice::Skip => {
                    report.skipped += 1;
                    continue;
                }
                ImportChoice::Add if item.status == ImportStatus::New => {
                    pm.revision = 0;
                    report.added += 1;
                }
                ImportChoice::Replace if item.status != ImportStatus::Unreadable && item.stored_revision.is_some() => {
                    // Writing refuses with Conflict if the stored copy changed since the preview.
                    pm.revision = item.stored_revision.unwrap_or_default();
                    report.replaced += 1;
                }
                _ => {
                    pm.id = PostmortemId::random();
                    pm.revision = 0;
                    pm.title = format!("{} (imported copy)", pm.display_title());
                    report.copied += 1;
                }
            }
            writes.push(pm);
        }
        Self { packed: Vec::with_capacity(writes.len()), writes, templates: Vec::new(), keys: Vec::new(), report }
    }

    /// Brings `templates` and `keys` in with the postmortems, in the same all-or-nothing write.
    pub fn with_templates_and_keys(mut self, templates: Vec<Template>, keys: Vec<SealKey>) -> Self {
        self.templates = templates;
        self.keys = keys;
        self
    }

    /// How many postmortems will be written.
    pub fn total(&self) -> usize {
        self.writes.len()
    }

    /// How many are packed.
    pub fn packed(&self) -> usize {
        self.packed.len()
    }

    /// Packs the next postmortem in the form it will be stored in, as its next revision,
    /// and makes its line in the index; false once every one is. One that cannot be packed
    /// is packed again when written, which reports the problem.
    pub fn pack_next(&mut self) -> bool {
        let Some(pm) = self.writes.get(self.packed.len()) else { return false };
        let revision = pm.revision + 1;
        let summary = pm.summary();
        let stored = Envelope::with_postmortems(vec![Postmortem { revision, ..pm.clone() }]).to_stored().ok();
        self.packed.push(Packed { revision, stored, summary });
        true
    }

    /// The ids of the postmortems it writes.
    pub fn ids(&self) -> Vec<PostmortemId> {
        self.writes.iter().map(|pm| pm.id).collect()
    }
}

/// Whether two versions hold the same content, whatever their save counters say.
fn same_content(a: &Postmortem, b: &Postmortem) -> bool {
    let mut b = b.clone();
    b.revision = a.revision;
    *a == b
}

/// A stored entry that could not be read; kept as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorruptEntry {
    pub key: String,
    pub reason: String,
}

/// What opening the library found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OpenedLibrary {
    pub summaries: Vec<Summary>,
    pub corrupt: Vec<CorruptEntry>,
    /// Set when the index had to be rebuilt or repaired but could not be written back.
    pub index_warning: Option<StorageError>,
}

/// Postmortems in a key-value store.
#[derive(Debug, Clone, Default)]
pub struct Repository<S> {
    store: S,
    index: Vec<Summary>,
    /// Hashes of the texts this repository tried to write for each postmortem since its
    /// last confirmed save. A write the browser reported as failed may still have happened;
    /// finding one of those texts stored later means it is this tab's own write, not
    /// another tab's.
    attempted: std::collections::HashMap<PostmortemId, Vec<u64>>,
}

fn text_hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

fn unwritable(error: FormatError) -> StorageError {
    StorageError::WriteFailed(error.to_string())
}

fn decode_document(key: &str, text: &str, id: &PostmortemId) -> Result<Postmortem, StorageError> {
    let corrupt = |reason: String| StorageError::Corrupt { key: key.to_owned(), reason };
    let envelope = Envelope::from_stored(text).map_err(|e: FormatError| corrupt(e.to_string()))?;
    let mut postmortems = envelope.postmortems;
    if postmortems.len() != 1 {
        return Err(corrupt(format!("it holds {} postmortems instead of one", postmortems.len())));
    }
    let pm = postmortems.remove(0);
    if pm.id != *id {
        return Err(corrupt("the postmortem inside belongs to another key".into()));
    }
    Ok(pm)
}

impl<S: KeyValueStore> Repository<S> {
    /// A repository over `store`; call [`Repository::open`] before using it.
    pub fn new(store: S) -> Self {
        Self { store, index: Vec::new(), attempted: std::collections::HashMap::new() }
    }

    /// The store underneath, for tests.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The store underneath, for tests that tamper with it.
    pub fn store_mut(&mut self) -> &mut S {
        &mut self.store
    }

    /// Summaries of every postmortem, trashed ones included, as last opened or saved.
    pub fn summaries(&self) -> &[Summary] {
        &self.index
    }

    /// Reads the index, reconciles it with the document keys and reports unreadable entries.
    pub fn open(&mut self) -> Result<OpenedLibrary, StorageError> {
        let mut changed = false;
        let mut index_warning = None;
        let mut index = match self.store.get(keys::INDEX)? {
            None => Vec::new(),
            Some(text) => match Envelope::from_stored(&text).ok().and_then(|e| e.index) {
                Some(index) => index,
                None => {
                    // The index is only a cache of the documents: keep the unreadable copy
                    // aside for inspection, then rebuild it from the documents.
                    let aside = format!("{}{}", keys::SET_ASIDE_INDEX_PREFIX, chrono::Utc::now().timestamp_millis());
                    if let Err(e) = self.store.set(&aside, &text) {
                        index_warning = Some(e);
                    }
                    changed = true;
                    Vec::new()
                }
            },
        };
        let stored_ids: std::collections::BTreeSet<PostmortemId> =
            self.store.keys()?.iter().filter_map(|k| keys::document_id(k)).collect();
        let before = index.len();
        index.retain(|s| stored_ids.contains(&s.id));
        changed |= index.len() != before;
        let mut seen: std::collections::BTreeSet<PostmortemId> = index.iter().map(|s| s.id).collect();
        let mut corrupt = Vec::new();
        for id in stored_ids.iter().filter(|id| !seen.contains(id)) {
            let key = keys::document(id);
            let Some(text) = self.store.get(&key)? else {
                continue;
            };
            match decode_document(&key, &text, id) {
                Ok(pm) => {
                    index.push(pm.summary());
                    changed = true;
                }
                Err(StorageError::Corrupt { key, reason }) => corrupt.push(CorruptEntry { key, reason }),
                Err(other) => return Err(other),
            }
        }
        seen.clear();
        index.retain(|s| seen.insert(s.id));
        if changed && index_warning.is_none() {
            index_warning = Envelope::with_index(index.clone())
                .to_stored()
                .map_err(unwritable)
                .and_then(|text| self.store.set(keys::INDEX, &text))
                .err();
        }
        self.index = index;
        Ok(OpenedLibrary { summaries: self.index.clone(), corrupt, index_warning })
    }

    /// Reads one postmortem.
    pub fn load(&self, id: &PostmortemId) -> Result<Postmortem, StorageError> {
        let key = keys::document(id);
        let text = self.store.get(&key)?.ok_or(StorageError::NotFound)?;
        decode_document(&key, &text, id)
    }

    /// The stored text under `key`, exactly as it is, for downloading an unreadable entry.
    pub fn raw(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.store.get(key)
    }

    /// Saves `pm`, whose `revision` must be the stored one (0 for a new postmortem), and
    /// returns the new revision. Refuses to write over an entry it cannot read, and reads
    /// back what it wrote.
    pub fn save(&mut self, pm: &Postmortem) -> Result<u64, StorageError> {
        let revision = self.save_document(pm, None)?;
        // The document is safely stored: an index that cannot be written is dropped, so
        // the next open rebuilds it from the documents. Only when it can be neither written
        // nor dropped does the save count as failed: the list would show stale text, and
        // saving again (this tab's own write is recognised) puts both right.
        let summary = pm.summary();
        if let Err(e) = self.update_index(summary.clone()) {
            self.store.remove(keys::INDEX).map_err(|_| e)?;
            // The stored index is gone until the next open rebuilds it: memory is the list now.
            match self.index.iter_mut().find(|s| s.id == summary.id) {
                Some(existing) => *existing = summary,
                None => self.index.push(summary),
            }
        }
        self.attempted.remove(&pm.id);
        Ok(revision)
    }

    /// Writes and verifies `pm` as the next revision of its document, without touching the
    /// index; `packed` is the revision and stored form made beforehand (used when that
    /// revision is still the next).
    fn save_document(&mut self, pm: &Postmortem, packed: Option<(u64, String)>) -> Result<u64, StorageError> {
        let key = keys::document(&pm.id);
        let base = match self.store.get(&key)? {
            None => 0,
            Some(text) => {
                let stored = decode_document(&key, &text, &pm.id)?.revision;
                let own_write = self.attempted.get(&pm.id).is_some_and(|tried| tried.contains(&text_hash(&text)));
                if stored != pm.revision && !own_write {
                    return Err(StorageError::Conflict);
                }
                stored
            }
        };
        let text = match packed {
            Some((revision, text)) if revision == base + 1 => text,
            _ => {
                let next = Postmortem { revision: base + 1, ..pm.clone() };
                Envelope::with_postmortems(vec![next]).to_stored().map_err(unwritable)?
            }
        };
        let tried = self.attempted.entry(pm.id).or_default();
        if tried.len() >= 64 {
            tried.remove(0);
        }
        tried.push(text_hash(&text));
        self.store.set(&key, &text)?;
        if self.store.get(&key)?.as_deref() != Some(text.as_str()) {
            return Err(StorageError::VerifyFailed);
        }
        Ok(base + 1)
    }

    fn update_index(&mut self, summary: Summary) -> Result<(), StorageError> {
        if self.index.contains(&summary) {
            return Ok(());
        }
        self.rewrite_index(|index| match index.iter_mut().find(|s| s.id == summary.id) {
            Some(existing) => *existing = summary,
            None => index.push(summary),
        })
    }

    /// Applies `change` to the index as stored now (another tab may have written it since
    /// this one read it), writes it back, and keeps it as this repository's index.
    fn rewrite_index(&mut self, change: impl FnOnce(&mut Vec<Summary>)) -> Result<(), StorageError> {
        let mut index = match self.store.get(keys::INDEX)? {
            Some(text) => Envelope::from_stored(&text).ok().and_then(|e| e.index).unwrap_or_else(|| self.index.clone()),
            None => self.index.clone(),
        };
        change(&mut index);
        let text = Envelope::with_index(index.clone()).to_stored().map_err(unwritable)?;
        // Kept in memory only once stored: a failed write must be tried again next time.
        self.store.set(keys::INDEX, &text)?;
        self.index = index;
        Ok(())
    }

    /// When the last full backup was made, if ever.
    pub fn last_backup(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        let text = self.store.get(keys::LAST_BACKUP).ok().flatten()?;
        chrono::DateTime::parse_from_rfc3339(&text).ok().map(|t| t.with_timezone(&chrono::Utc))
    }

    /// Notes that a full backup was made at `at`.
    pub fn record_backup(&mut self, at: chrono::DateTime<chrono::Utc>) -> Result<(), StorageError> {
        self.store.set(keys::LAST_BACKUP, &at.to_rfc3339())
    }

    /// Every readable postmortem, trashed ones included, for a full backup; also how many
    /// stored entries could not be read and are left out.
    pub fn everything(&self) -> Result<(Vec<Postmortem>, usize), StorageError> {
        let mut all = Vec::with_capacity(self.index.len());
        let mut unreadable = 0;
        for summary in &self.index {
            match self.load(&summary.id) {
                Ok(pm) => all.push(pm),
                Err(StorageError::Corrupt { .. } | StorageError::NotFound) => unreadable += 1,
                Err(other) => return Err(other),
            }
        }
        Ok((all, unreadable))
    }

    /// Compares incoming postmortems with the library, changing nothing.
    pub fn plan_import(&self, incoming: Vec<Postmortem>) -> Result<Vec<PlannedItem>, StorageError> {
        incoming
            .into_iter()
            .map(|pm| {
                let (status, stored_revision) = match self.load(&pm.id) {
                    Ok(stored) if same_content(&stored, &pm) => (ImportStatus::Identical, Some(stored.revision)),
                    Ok(stored) if pm.updated_at > stored.updated_at => (ImportStatus::Newer, Some(stored.revision)),
                    Ok(stored) if pm.updated_at < stored.updated_at => (ImportStatus::Older, Some(stored.revision)),
                    Ok(stored) => (ImportStatus::Conflict, Some(stored.revision)),
                    Err(StorageError::NotFound) => (ImportStatus::New, None),
                    Err(StorageError::Corrupt { .. }) => (ImportStatus::Unreadable, None),
                    Err(other) => return Err(other),
                };
                Ok(PlannedItem { incoming: pm, status, stored_revision })
            })
            .collect()
    }

    /// Applies an import all or nothing: if any write fails, every entry it touched is put
    /// back as it was (new entries removed first, to make room) and the error is returned.
    pub fn apply_import(&mut self, items: Vec<(PlannedItem, ImportChoice)>) -> Result<ImportReport, ImportFailure> {
        let mut import = DecidedImport::new(items);
        while import.pack_next() {}
        self.write_import(import)
    }

    /// Writes a decided import, all or nothing: the postmortems, then the templates and keys
    /// it brings, then the index. On any failure every entry it changed is put back as it
    /// was. Postmortems it has not packed yet are packed as they are written.
    pub fn write_import(&mut self, import: DecidedImport) -> Result<ImportReport, ImportFailure> {
        let fail = |error| ImportFailure { error, undone: true };
        let DecidedImport { writes, packed, templates, keys: seal, mut report } = import;
        // Everything that may change, read before anything is written.
        let index_before = self.store.get(keys::INDEX).map_err(fail)?;
        let memory_index_before = self.index.clone();
        let mut before: Vec<(String, Option<String>)> = Vec::with_capacity(writes.len() + 2);
        for pm in &writes {
            let key = keys::document(&pm.id);
            let text = self.store.get(&key).map_err(fail)?;
            before.push((key, text));
        }
        for (bring, key) in [(!templates.is_empty(), keys::TEMPLATES), (!seal.is_empty(), keys::SEAL_KEYS)] {
            if bring {
                let text = self.store.get(key).map_err(fail)?;
                before.push((key.to_owned(), text));
            }
        }
        // Documents one by one, then the index once: rewriting it per document would make a
        // large restore quadratic.
        let mut packed = packed.into_iter();
        let mut summaries = Vec::with_capacity(writes.len());
        let mut result = writes.iter().try_for_each(|pm| {
            let (made, summary) = match packed.next() {
                Some(p) => (p.stored.map(|text| (p.revision, text)), p.summary),
                None => (None, pm.summary()),
            };
            summaries.push(summary);
            self.save_document(pm, made).map(|_| ())
        });
        if result.is_ok() && !templates.is_empty() {
            result =
                self::templates::merge(&mut self.store, templates, true).map(|merge| report.templates = Some(merge));
        }
        if result.is_ok() && !seal.is_empty() {
            result = seal_keys::add(&mut self.store, seal).map(|added| report.keys_added = added);
        }
        if result.is_ok() && !summaries.is_empty() {
            result = self.rewrite_index(|index| {
                for summary in summaries {
                    match index.iter_mut().find(|s| s.id == summary.id) {
                        Some(existing) => *existing = summary,
                        None => index.push(summary),
                    }
                }
            });
        }
        if let Err(error) = result {
            let mut undone = true;
            // Remove what the import added first, so there is room to restore the rest.
            for (key, _) in before.iter().filter(|(_, t)| t.is_none()) {
                undone &= self.store.remove(key).is_ok();
            }
            for (key, text) in before.iter().filter_map(|(k, t)| t.as_ref().map(|t| (k, t))) {
                undone &= self.store.set(key, text).is_ok();
            }
            undone &= match &index_before {
                Some(text) => self.store.set(keys::INDEX, text).is_ok(),
                None => self.store.remove(keys::INDEX).is_ok(),
            };
            self.index = memory_index_before;
            return Err(ImportFailure { error, undone });
        }
        Ok(report)
    }

    /// Every custom template stored.
    pub fn templates(&self) -> Result<Vec<Template>, StorageError> {
        templates::load(&self.store)
    }

    /// Stores a custom template, replacing the one with its id.
    pub fn put_template(&mut self, template: Template) -> Result<(), StorageError> {
        templates::put(&mut self.store, template)
    }

    /// Every key that opens sealed contributions.
    pub fn seal_keys(&self) -> Result<Vec<SealKey>, StorageError> {
        seal_keys::load(&self.store)
    }

    /// Keeps keys for invitations that have none yet; returns how many were added.
    pub fn add_seal_keys(&mut self, incoming: Vec<SealKey>) -> Result<usize, StorageError> {
        seal_keys::add(&mut self.store, incoming)
    }

    /// Brings templates from a file into the stored list.
    pub fn import_templates(
        &mut self,
        incoming: Vec<Template>,
        copy_conflicts: bool,
    ) -> Result<crate::domain::template::TemplateMerge, StorageError> {
        templates::merge(&mut self.store, incoming, copy_conflicts)
    }

    /// Removes a custom template; returns it for undo.
    pub fn remove_template(&mut self, id: &TemplateId) -> Result<Option<Template>, StorageError> {
        templates::remove(&mut self.store, id)
    }

    /// Removes a postmortem for good (the trash's "delete forever").
    pub fn purge(&mut self, id: &PostmortemId) -> Result<(), StorageError> {
        self.store.remove(&keys::document(id))?;
        self.rewrite_index(|index| index.retain(|s| s.id != *id))
    }

    /// Deletes the stored entry `key`, but only while it still cannot be read (a document
    /// or a set-aside index): a readable postmortem is never deleted this way.
    pub fn delete_unreadable(&mut self, key: &str) -> Result<(), StorageError> {
        let unreadable = match keys::document_id(key) {
            Some(id) => matches!(self.load(&id), Err(StorageError::Corrupt { .. })),
            None => key.starts_with(keys::SET_ASIDE_INDEX_PREFIX),
        };
        if !unreadable {
            return Err(StorageError::WriteFailed("this entry can be read, so it is not deleted from here".into()));
        }
        self.store.remove(key)
    }

    /// What the stored entries take now.
    pub fn usage(&self) -> Result<super::capacity::Usage, StorageError> {
        super::capacity::usage(&self.store)
    }

    /// How many more characters fit in this browser's storage, measured by writing; the
    /// whole size found (used plus room) is kept for later estimates.
    pub fn measure_room(&mut self) -> Result<usize, StorageError> {
        let room = super::capacity::measure_room(&mut self.store, 256)?;
        let used = self.usage()?.total;
        let _ = self.store.set(keys::MEASURED_SIZE, &(used + room).to_string());
        Ok(room)
    }

    /// The size of this browser's storage as last measured, if it ever was.
    pub fn measured_size(&self) -> Option<usize> {
        self.store.get(keys::MEASURED_SIZE).ok().flatten()?.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sample::full_postmortem;
    use crate::storage::MemoryStore;
    use chrono::Utc;

    fn repo() -> Repository<MemoryStore> {
        let mut repo = Repository::new(MemoryStore::new());
        repo.open().expect("empty store opens");
        repo
    }

    #[test]
    fn a_library_stored_as_plain_json_by_an_earlier_version_opens_and_is_packed_when_saved() {
        let mut store = MemoryStore::new();
        let mut pm = full_postmortem(Utc::now());
        pm.revision = 3;
        let plain = Envelope::with_postmortems(vec![pm.clone()]).to_json().expect("writable");
        store.set(&keys::document(&pm.id), &plain).expect("plants");
        store.set(keys::INDEX, &Envelope::with_index(vec![pm.summary()]).to_json().expect("writable")).expect("plants");
        let mut repo = Repository::new(store);
        let opened = repo.open().expect("opens");
        assert_eq!((opened.summaries, opened.corrupt.len()), (vec![pm.summary()], 0));
        assert_eq!(repo.load(&pm.id), Ok(pm.clone()));
        pm.summary = "Edited after the upgrade".into();
        pm.revision = repo.save(&pm).expect("saves over the plain copy");
        let stored = repo.raw(&keys::document(&pm.id)).expect("readable").unwrap_or_default();
        assert!(crate::file_format::compact::is_packed(&stored));
        assert!(stored.chars().count() * 3 < plain.chars().count());
        assert_eq!(repo.load(&pm.id), Ok(pm));
    }

    fn saved(repo: &mut Repository<MemoryStore>) -> Postmortem {
        let mut pm = full_postmortem(Utc::now());
        pm.revision = repo.save(&pm).expect("saves");
        pm
    }

    #[test]
    fn only_unreadable_entries_can_be_deleted_as_such() {
        let mut repo = Repository::new(MemoryStore::default());
        let pm = full_postmortem(chrono::Utc::now());
        repo.save(&pm).expect("saved");
        let key = keys::document(&pm.id);
        assert!(repo.delete_unreadable(&key).is_err());
        assert!(repo.load(&pm.id).is_ok(), "a readable postmortem stays");
        repo.store_mut().set(&key, "{damaged").expect("planted");
        assert_eq!(repo.delete_unreadable(&key), Ok(()));
        assert_eq!(repo.raw(&key), Ok(None));
    }

    #[test]
    fn a_saved_postmortem_loads_back_unchanged() {
        let mut repo = repo();
        let pm = saved(&mut repo);
        assert_eq!(repo.load(&pm.id), Ok(pm.clone()));
        assert_eq!(repo.summaries(), [pm.summary()]);
        let mut reopened = Repository::new(repo.store().clone());
        let opened = reopened.open().expect("opens");
        assert_eq!(opened.summaries, vec![pm.summary()]);
        assert!(opened.corrupt.is_empty());
    }

    #[test]
    fn saving_one_postmortem_writes_only_its_key_when_the_list_is_unchanged() {
        let mut repo = repo();
        let mut pm = saved(&mut repo);
        let index_before = repo.store().get(keys::INDEX).expect("readable");
        pm.summary = "Edited summary".into();
        pm.revision = repo.save(&pm).expect("saves");
        assert_eq!(repo.store().get(keys::INDEX).expect("readable"), index_before);
        pm.title = "New title".into();
        repo.save(&pm).expect("saves");
        assert_ne!(repo.store().get(keys::INDEX).expect("readable"), index_before);
    }

    #[test]
    fn a_stale_revision_is_refused_instead_of_overwriting() {
        let mut repo = repo();
        let pm = saved(&mut repo);
        let mut other_tab = pm.clone();
        other_tab.title = "Other tab".into();
        repo.save(&other_tab).expect("first writer wins");
        let mut stale = pm.clone();
        stale.title = "Stale tab".into();
        assert_eq!(repo.save(&stale), Err(StorageError::Conflict));
        assert_eq!(repo.load(&pm.id).map(|p| p.title), Ok("Other tab".into()));
    }

    #[test]
    fn a_corrupt_document_is_reported_kept_and_never_overwritten() {
        let mut repo = repo();
        let good = saved(&mut repo);
        let bad_id = PostmortemId::random();
        let bad_key = keys::document(&bad_id);
        repo.store_mut().set(&bad_key, "{\"format\":\"debrief\",\"version\":1,\"postm").expect("plants");
        let opened = repo.open().expect("opens despite corruption");
        assert_eq!(opened.summaries, vec![good.summary()]);
        assert_eq!(opened.corrupt.len(), 1);
        assert_eq!(opened.corrupt[0].key, bad_key);
        let mut intruder = Postmortem::new(bad_id, Utc::now());
        intruder.title = "would overwrite".into();
        assert!(matches!(repo.save(&intruder), Err(StorageError::Corrupt { .. })));
        assert_eq!(
            repo.raw(&bad_key).expect("readable").as_deref(),
            Some("{\"format\":\"debrief\",\"version\":1,\"postm")
        );
        assert!(matches!(repo.load(&bad_id), Err(StorageError::Corrupt { .. })));
    }

    #[test]
    fn an_unreadable_index_is_set_aside_and_rebuilt_from_documents() {
        let mut repo = repo();
        let pm = saved(&mut repo);
        repo.store_mut().set(keys::INDEX, "garbage").expect("plants");
        let opened = repo.open().expect("opens");
        assert_eq!(opened.summaries, vec![pm.summary()]);
        let keys_now = repo.store().keys().expect("lists");
        let aside: Vec<_> = keys_now.iter().filter(|k| k.starts_with(keys::SET_ASIDE_INDEX_PREFIX)).collect();
        assert_eq!(aside.len(), 1);
        assert_eq!(repo.raw(aside[0]).expect("readable").as_deref(), Some("garbage"));
    }

    #[test]
    fn index_entries_without_documents_are_dropped() {
        let mut repo = repo();
        let pm = saved(&mut repo);
        repo.store_mut().remove(&keys::document(&pm.id)).expect("removes");
        assert!(repo.open().expect("opens").summaries.is_empty());
    }

    #[test]
    fn a_full_store_reports_quota_and_keeps_what_was_stored() {
        let mut repo = Repository::new(MemoryStore::with_quota(12_000));
        repo.open().expect("opens");
        let pm = saved(&mut repo);
        let mut bigger = pm.clone();
        bigger.summary = crate::domain::sample::incompressible_text(60_000);
        assert_eq!(repo.save(&bigger), Err(StorageError::QuotaExceeded));
        assert_eq!(repo.load(&pm.id), Ok(pm));
    }

    #[test]
    fn a_full_index_does_not_fail_a_stored_save_and_is_rebuilt() {
        let mut repo = Repository::new(MemoryStore::with_quota(9_000));
        repo.open().expect("opens");
        let mut pm = full_postmortem(Utc::now());
        let stored = Postmortem { revision: 1, ..pm.clone() };
        let doc_len = Envelope::with_postmortems(vec![stored]).to_stored().expect("writable").chars().count();
        // Leave room for the document but not for the index next to it.
        *repo.store_mut() = MemoryStore::with_quota(doc_len + keys::document(&pm.id).len() + 20);
        pm.revision = repo.save(&pm).expect("the document itself is stored");
        assert_eq!(repo.load(&pm.id), Ok(pm.clone()));
        assert_eq!(repo.store().get(keys::INDEX), Ok(None));
        let mut reopened = Repository::new(repo.store().clone());
        assert_eq!(reopened.open().expect("opens").summaries, vec![pm.summary()]);
    }

    #[test]
    fn two_tabs_do_not_undo_each_others_list_changes() {
        let mut tab_a = repo();
        let mut first = saved(&mut tab_a);
        let mut second = saved(&mut tab_a);
        let mut tab_b = Repository::new(tab_a.store().clone());
        tab_b.open().expect("opens");
        // Tab B moves the second postmortem to the trash; tab A, whose list predates
        // that, then renames the first one.
        second.trash(Utc::now());
        second.revision = tab_b.save(&second).expect("saves");
        *tab_a.store_mut() = tab_b.store().clone();
        first.title = "Renamed in tab A".into();
        first.revision = tab_a.save(&first).expect("saves");
        let mut fresh = Repository::new(tab_a.store().clone());
        let summaries = fresh.open().expect("opens").summaries;
        let find = |id| summaries.iter().find(|s| s.id == id).cloned().expect("listed");
        assert_eq!(find(first.id).title, "Renamed in tab A");
        assert!(find(second.id).deleted_at.is_some(), "the trash from tab B must survive tab A's save");
    }

    /// Every key and value in the store, in key order.
    fn snapshot(store: &MemoryStore) -> Vec<(String, Option<String>)> {
        store.keys().expect("lists").into_iter().map(|k| (k.clone(), store.get(&k).expect("reads"))).collect()
    }

    fn choices(plan: Vec<PlannedItem>) -> Vec<(PlannedItem, ImportChoice)> {
        plan.into_iter()
            .map(|item| {
                let choice = item.status.default_choice();
                (item, choice)
            })
            .collect()
    }

    #[test]
    fn an_import_is_compared_with_the_library_before_anything_changes() {
        let mut repo = repo();
        let same = saved(&mut repo);
        let mut older = saved(&mut repo);
        let mut newer = older.clone();
        newer.updated_at += chrono::Duration::minutes(5);
        newer.title = "Edited elsewhere".into();
        older.updated_at -= chrono::Duration::minutes(5);
        older.title = "Old copy".into();
        let fresh = full_postmortem(Utc::now());
        let before = repo.store().clone();
        let plan = repo.plan_import(vec![same.clone(), newer.clone(), older.clone(), fresh.clone()]).expect("plans");
        let statuses: Vec<ImportStatus> = plan.iter().map(|p| p.status).collect();
        assert_eq!(statuses, [ImportStatus::Identical, ImportStatus::Newer, ImportStatus::Older, ImportStatus::New]);
        assert_eq!(repo.store().keys(), before.keys());
        let report = repo.apply_import(choices(plan)).expect("applies");
        assert_eq!(report, ImportReport { added: 1, replaced: 1, copied: 0, skipped: 2, ..Default::default() });
        assert_eq!(repo.load(&newer.id).map(|p| p.title), Ok("Edited elsewhere".into()));
        assert_eq!(repo.load(&fresh.id).map(|p| p.title), Ok(fresh.title.clone()));
    }

    #[test]
    fn keep_both_adds_a_copy_and_unreadable_entries_are_never_replaced() {
        let mut repo = repo();
        let pm = saved(&mut repo);
        let bad_id = PostmortemId::random();
        repo.store_mut().set(&keys::document(&bad_id), "garbage").expect("plants");
        let mut conflicting = pm.clone();
        conflicting.title = "Same time, other text".into();
        let mut onto_corrupt = full_postmortem(Utc::now());
        onto_corrupt.id = bad_id;
        let plan = repo.plan_import(vec![conflicting, onto_corrupt]).expect("plans");
        assert_eq!(plan[0].status, ImportStatus::Conflict);
        assert_eq!(plan[1].status, ImportStatus::Unreadable);
        assert!(!plan[1].status.choices().contains(&ImportChoice::Replace));
        let forced = plan.into_iter().map(|p| (p, ImportChoice::Replace)).collect();
        let report = repo.apply_import(forced).expect("applies");
        assert_eq!((report.replaced, report.copied), (1, 1));
        assert_eq!(repo.raw(&keys::document(&bad_id)).expect("reads").as_deref(), Some("garbage"));
        assert!(repo.summaries().iter().any(|s| s.title.ends_with("(imported copy)")));
    }

    #[test]
    fn a_replace_is_refused_when_the_stored_copy_changed_after_the_preview() {
        let mut repo = repo();
        let mut pm = saved(&mut repo);
        let mut incoming = pm.clone();
        incoming.updated_at += chrono::Duration::minutes(5);
        incoming.title = "From the file".into();
        let plan = repo.plan_import(vec![incoming]).expect("plans");
        pm.title = "Edited in another tab after the preview".into();
        pm.revision = repo.save(&pm).expect("saves");
        let result = repo.apply_import(plan.into_iter().map(|p| (p, ImportChoice::Replace)).collect());
        assert_eq!(result, Err(ImportFailure { error: StorageError::Conflict, undone: true }));
        assert_eq!(repo.load(&pm.id).map(|p| p.title), Ok("Edited in another tab after the preview".into()));
    }

    #[test]
    fn a_failing_import_leaves_the_store_exactly_as_it_was() {
        // Room for about four stored postmortems: the import of eleven cannot fit.
        let one = Envelope::with_postmortems(vec![full_postmortem(Utc::now())]).to_stored().expect("writable");
        let mut repo = Repository::new(MemoryStore::with_quota(4 * one.chars().count()));
        repo.open().expect("opens");
        let pm = saved(&mut repo);
        let before = snapshot(repo.store());
        let many: Vec<Postmortem> = (0..10).map(|_| full_postmortem(Utc::now())).collect();
        let mut replaced = pm.clone();
        replaced.title = "Replaced by the import".into();
        replaced.updated_at += chrono::Duration::minutes(1);
        let mut incoming = vec![replaced];
        incoming.extend(many);
        let plan = repo.plan_import(incoming).expect("plans");
        assert_eq!(
            repo.apply_import(choices(plan)),
            Err(ImportFailure { error: StorageError::QuotaExceeded, undone: true })
        );
        let after = snapshot(repo.store());
        assert_eq!(after, before);
        assert_eq!(repo.summaries(), [pm.summary()]);
    }

    #[test]
    fn an_import_packed_ahead_writes_what_saving_writes_and_still_refuses_a_stale_replace() {
        let mut repo = repo();
        let pm = saved(&mut repo);
        let mut newer = pm.clone();
        newer.title = "Newer in the file".into();
        newer.updated_at += chrono::Duration::minutes(1);
        let fresh = full_postmortem(Utc::now());
        let plan = repo.plan_import(vec![newer.clone(), fresh.clone()]).expect("plans");

        // Packed ahead, in steps: the same stored text as writing without packing.
        let mut import = DecidedImport::new(choices(plan.clone()));
        assert_eq!((import.total(), import.packed()), (2, 0));
        assert!(import.pack_next());
        assert!(import.pack_next());
        assert!(!import.pack_next());
        assert_eq!(import.ids(), [newer.id, fresh.id]);
        let mut unpacked = self::repo();
        let _ = saved_as(&mut unpacked, &pm);
        unpacked
            .apply_import(choices(unpacked.plan_import(vec![newer.clone(), fresh.clone()]).expect("plans")))
            .expect("applies");
        // Half packed: the rest is packed as it is written.
        let mut half = DecidedImport::new(choices(plan.clone()));
        assert!(half.pack_next());
        let mut repo_half = self::repo();
        let _ = saved_as(&mut repo_half, &pm);
        repo_half.write_import(half).expect("writes");
        assert_eq!(
            repo.write_import(import),
            Ok(ImportReport { added: 1, replaced: 1, copied: 0, skipped: 0, ..Default::default() })
        );
        for id in [newer.id, fresh.id] {
            let key = keys::document(&id);
            let written = repo.store().get(&key).expect("reads");
            assert!(written.is_some());
            assert_eq!(written, unpacked.store().get(&key).expect("reads"));
            assert_eq!(written, repo_half.store().get(&key).expect("reads"));
        }
        assert_eq!(repo.load(&newer.id).map(|p| (p.title, p.revision)), Ok(("Newer in the file".into(), 2)));
        assert_eq!(repo.load(&fresh.id).map(|p| p.revision), Ok(1));

        // Packed against revision 1, but saved elsewhere meanwhile: refused, nothing changed.
        let mut other = self::repo();
        let stale = saved_as(&mut other, &pm);
        let plan = other.plan_import(vec![newer.clone(), fresh.clone()]).expect("plans");
        let mut import = DecidedImport::new(choices(plan));
        while import.pack_next() {}
        let mut elsewhere = stale.clone();
        elsewhere.title = "Saved in another tab".into();
        other.save(&elsewhere).expect("saves");
        let before = snapshot(other.store());
        assert_eq!(other.write_import(import), Err(ImportFailure { error: StorageError::Conflict, undone: true }));
        assert_eq!(snapshot(other.store()), before);
    }

    /// Saves `pm` itself (same id) into `repo`; returns it with its stored revision.
    fn saved_as(repo: &mut Repository<MemoryStore>, pm: &Postmortem) -> Postmortem {
        let mut copy = Postmortem { revision: 0, ..pm.clone() };
        copy.revision = repo.save(&copy).expect("saves");
        copy
    }

    #[test]
    fn unavailable_storage_is_an_error_not_a_panic() {
        let mut repo = Repository::new(MemoryStore::unavailable());
        assert!(matches!(repo.open(), Err(StorageError::Unavailable(_))));
    }

    #[test]
    fn trash_restore_and_purge() {
        let mut repo = repo();
        let mut pm = saved(&mut repo);
        pm.trash(Utc::now());
        pm.revision = repo.save(&pm).expect("saves");
        assert!(repo.summaries()[0].deleted_at.is_some());
        pm.restore();
        pm.revision = repo.save(&pm).expect("saves");
        assert!(repo.summaries()[0].deleted_at.is_none());
        repo.purge(&pm.id).expect("purges");
        assert!(repo.summaries().is_empty());
        assert_eq!(repo.load(&pm.id), Err(StorageError::NotFound));
        assert!(repo.open().expect("opens").summaries.is_empty());
    }
}
