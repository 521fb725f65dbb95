//! The library's layout in a key-value store: one key per postmortem plus an index.
//!
//! Saving one postmortem writes its own key, and the index only when what the list
//! shows has changed, so its cost does not grow with the library. Opening the library
//! reads the index and the list of keys, and decodes only documents the index lacks.
//! Unreadable entries are reported and never written over.
//!
//! A postmortem's lineage (the version it was last exchanged at) belongs to the repository:
//! a save keeps the stored lineage whatever the saving page holds, and the first save after
//! an exchange keeps a copy of the exchanged version (`debrief.base.<id>`), which a later
//! three-way merge needs as the common ancestor. Recording an exchange changes the lineage
//! without counting as a save (the revision stays), so an open editor is not disturbed.

use super::{KeyValueStore, StorageError, keys, seal_keys, templates};
use crate::domain::lineage::{content_hash, is_version, same_content};
use crate::domain::model::Lineage;
use crate::domain::template::{Template, TemplateId, TemplateMerge};
use crate::domain::{Postmortem, PostmortemId, Summary};
use crate::file_format::contribution::SealKey;
use crate::file_format::{Envelope, FormatError};

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
    /// Postmortems merged with the file's changes.
    pub merged: usize,
    pub copied: usize,
    pub skipped: usize,
    /// Of those added, how many went straight to the trash (they were in the trash where
    /// they came from).
    pub added_to_trash: usize,
    /// Whether the library held no postmortem before and now holds exactly the file's:
    /// it is then as safe as the file it came from (a restore).
    pub restored_whole: bool,
    /// What became of the custom templates the import brought, if it brought any.
    pub templates: Option<TemplateMerge>,
    /// How many keys for sealed contributions it kept (keys already here are not counted).
    pub keys_added: usize,
}

/// One postmortem an import writes.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportWrite {
    /// What to store. Its `revision` is the stored revision it replaces (0 for one that is
    /// new here): the write is refused if the stored one changed since. Its `lineage` is
    /// stored as it is.
    pub pm: Postmortem,
    /// The exchanged version to keep beside it as the common ancestor of a later merge,
    /// when that version is not the postmortem itself.
    pub base: Option<Postmortem>,
}

/// An import with every item's fate decided, ready to be written all at once by
/// [`Repository::write_import`]. Packing each postmortem in its stored form is the slow
/// part of an import, so it can happen first, one postmortem at a time
/// ([`DecidedImport::pack_next`]), with the page showing progress in between.
#[derive(Debug)]
pub struct DecidedImport {
    writes: Vec<ImportWrite>,
    /// The first writes, made ready ([`DecidedImport::pack_next`]).
    packed: Vec<Packed>,
    /// Custom templates to bring in (merged with the stored ones, differing ones as copies).
    templates: Vec<Template>,
    /// Keys for sealed contributions to keep, for invitations that have none here yet.
    keys: Vec<SealKey>,
    report: ImportReport,
}

/// From how many postmortems an import lists them before counting their wording findings
/// (the wording check is most of the cost of making each one's line in the list): the
/// library counts them right after, a few at a time ([`Repository::unchecked`]).
pub const LIST_FIRST_FROM: usize = 50;

/// The line `pm` gets in the library's index in an import of `writes` postmortems: counted at
/// once in a small import, listed first and counted right after in a large one.
fn import_line(pm: &Postmortem, writes: usize) -> Summary {
    if writes >= LIST_FIRST_FROM { pm.summary_unchecked() } else { pm.summary() }
}

/// One postmortem of an import made ready to write.
#[derive(Debug)]
struct Packed {
    /// The revision it was packed as, and its stored form (none if it could not be packed).
    revision: u64,
    stored: Option<String>,
    /// Its line in the library's index (for a small import, with the wording check run).
    summary: Summary,
}

impl DecidedImport {
    /// The writes of an import and what it did (added, replaced, copied, skipped).
    pub fn new(writes: Vec<ImportWrite>, report: ImportReport) -> Self {
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
        let Some(ImportWrite { pm, .. }) = self.writes.get(self.packed.len()) else { return false };
        let revision = pm.revision + 1;
        let summary = import_line(pm, self.writes.len());
        let stored = Envelope::with_postmortems(vec![Postmortem { revision, ..pm.clone() }]).to_stored().ok();
        self.packed.push(Packed { revision, stored, summary });
        true
    }

    /// Each postmortem it writes, with its stored form when packed already.
    pub fn writes(&self) -> impl Iterator<Item = (&Postmortem, Option<&str>)> {
        self.writes.iter().enumerate().map(|(i, w)| (&w.pm, self.packed.get(i).and_then(|p| p.stored.as_deref())))
    }

    /// The ids of the postmortems it writes.
    pub fn ids(&self) -> Vec<PostmortemId> {
        self.writes.iter().map(|w| w.pm.id).collect()
    }
}

/// Where the lineage of a document being written comes from.
enum LineageFrom<'a> {
    /// The stored document (a save): the page's copy may be stale, the store is not.
    Stored,
    /// The caller (an import), with the exchanged version to keep beside it, if any.
    Caller(Option<&'a Postmortem>),
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
        // Summaries kept before they listed services and tags, or the items awaiting review,
        // are made again (once).
        index.retain(|s| {
            stored_ids.contains(&s.id) && s.labels.is_some() && s.version >= crate::domain::summary::SUMMARY_VERSION
        });
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
        let revision = self.save_document(pm, None, LineageFrom::Stored)?;
        // The document is safely stored: an index that cannot be written is dropped, so
        // the next open rebuilds it from the documents. Only when it can be neither written
        // nor dropped does the save count as failed: the list would show stale text, and
        // saving again (this tab's own write is recognised) puts both right.
        self.list_stored(pm.summary())?;
        self.attempted.remove(&pm.id);
        Ok(revision)
    }

    /// Puts `summary` of a stored document in the index. An index that cannot be written is
    /// dropped, so the next open rebuilds it from the documents; only when it can be neither
    /// written nor dropped is that an error.
    fn list_stored(&mut self, summary: Summary) -> Result<(), StorageError> {
        if let Err(e) = self.update_index(summary.clone()) {
            self.store.remove(keys::INDEX).map_err(|_| e)?;
            // The stored index is gone until the next open rebuilds it: memory is the list now.
            match self.index.iter_mut().find(|s| s.id == summary.id) {
                Some(existing) => *existing = summary,
                None => self.index.push(summary),
            }
        }
        Ok(())
    }

    /// Writes `text`, the stored form of revision `revision` of postmortem `id` (a journal
    /// entry), when the store holds an older revision or none: a save whose write here was
    /// lost, or that this tab's view of the store has not seen yet. An unreadable stored
    /// entry is never written over. Returns the postmortem written, if it was.
    pub fn adopt(&mut self, id: &PostmortemId, revision: u64, text: &str) -> Result<Option<Postmortem>, StorageError> {
        let key = keys::document(id);
        if let Some(stored) = self.store.get(&key)? {
            match decode_document(&key, &stored, id) {
                Ok(pm) if pm.revision < revision => {}
                _ => return Ok(None),
            }
        }
        let pm = decode_document(&key, text, id)?;
        if pm.revision != revision {
            return Ok(None);
        }
        // Not noted as this tab's own write: it is another tab's save, which a save here
        // must merge with rather than write over.
        self.store.set(&key, text)?;
        if self.store.get(&key)?.as_deref() != Some(text) {
            return Err(StorageError::VerifyFailed);
        }
        self.list_stored(pm.summary())?;
        Ok(Some(pm))
    }

    /// Writes and verifies `pm` as the next revision of its document, without touching the
    /// index; `packed` is the revision and stored form made beforehand (used when that
    /// revision is still the next), `lineage` says whose lineage the document keeps.
    fn save_document(
        &mut self,
        pm: &Postmortem,
        packed: Option<(u64, String)>,
        lineage: LineageFrom<'_>,
    ) -> Result<u64, StorageError> {
        let key = keys::document(&pm.id);
        let (base, kept) = match self.store.get(&key)? {
            None => (0, None),
            Some(text) => {
                let stored = decode_document(&key, &text, &pm.id)?;
                let own_write = self.attempted.get(&pm.id).is_some_and(|tried| tried.contains(&text_hash(&text)));
                if stored.revision != pm.revision && !own_write {
                    return Err(StorageError::Conflict);
                }
                let kept = match lineage {
                    LineageFrom::Stored => Some(self.keep_exchanged(&stored, &text)),
                    LineageFrom::Caller(_) => None,
                };
                (stored.revision, kept)
            }
        };
        let lineage = match (lineage, kept) {
            (LineageFrom::Caller(exchanged), _) => {
                self.write_exchanged(&pm.id, exchanged)?;
                pm.lineage.clone()
            }
            (LineageFrom::Stored, kept) => kept.flatten(),
        };
        let text = match packed {
            Some((revision, text)) if revision == base + 1 && lineage == pm.lineage => text,
            _ => {
                let next = Postmortem { revision: base + 1, lineage, ..pm.clone() };
                Envelope::with_postmortems(vec![next]).to_stored().map_err(unwritable)?
            }
        };
        self.write_verified(&pm.id, &key, &text)?;
        Ok(base + 1)
    }

    /// Writes the stored form `text` of postmortem `id` under `key` and reads it back.
    fn write_verified(&mut self, id: &PostmortemId, key: &str, text: &str) -> Result<(), StorageError> {
        let tried = self.attempted.entry(*id).or_default();
        if tried.len() >= 64 {
            tried.remove(0);
        }
        tried.push(text_hash(text));
        self.store.set(key, text)?;
        if self.store.get(key)?.as_deref() != Some(text) {
            return Err(StorageError::VerifyFailed);
        }
        Ok(())
    }

    /// The lineage a save of `stored` (whose stored form is `text`) keeps. The first save
    /// after an exchange keeps a copy of the exchanged version (the stored one, then) for a
    /// later merge; when that copy cannot be written, or the stored version is not the one
    /// the lineage names, the lineage is dropped: a later merge then asks about every
    /// difference instead of trusting a wrong ancestor.
    fn keep_exchanged(&mut self, stored: &Postmortem, text: &str) -> Option<Lineage> {
        let lineage = stored.lineage.clone()?;
        if lineage.kept {
            return Some(lineage);
        }
        if !is_version(stored, &lineage.base) {
            return None;
        }
        let copy = self.store.set(&keys::exchanged(&stored.id), text);
        copy.ok().map(|()| Lineage { kept: true, ..lineage })
    }

    /// Keeps `exchanged` beside postmortem `id` as the version it was last exchanged at, or
    /// (with `None`) removes the copy kept before.
    fn write_exchanged(&mut self, id: &PostmortemId, exchanged: Option<&Postmortem>) -> Result<(), StorageError> {
        let key = keys::exchanged(id);
        match exchanged {
            Some(pm) => {
                let text = Envelope::with_postmortems(vec![pm.clone()]).to_stored().map_err(unwritable)?;
                self.store.set(&key, &text)
            }
            None if self.store.get(&key)?.is_some() => self.store.remove(&key),
            None => Ok(()),
        }
    }

    /// The lineage of the stored postmortem `id`: the version it was last exchanged at.
    pub fn lineage(&self, id: &PostmortemId) -> Result<Option<Lineage>, StorageError> {
        self.load(id).map(|pm| pm.lineage)
    }

    /// The version the stored postmortem `id` was last exchanged at, when it is known: the
    /// common ancestor of a merge with a version that descends from it too.
    pub fn exchanged_version(&self, id: &PostmortemId) -> Result<Option<Postmortem>, StorageError> {
        let stored = self.load(id)?;
        let Some(lineage) = &stored.lineage else { return Ok(None) };
        if !lineage.kept {
            return Ok(is_version(&stored, &lineage.base).then_some(stored));
        }
        let key = keys::exchanged(id);
        let Some(text) = self.store.get(&key)? else { return Ok(None) };
        let base = decode_document(&key, &text, id)?;
        Ok(is_version(&base, &lineage.base).then_some(base))
    }

    /// Records that the stored postmortem `id` was just exchanged at version `exchanged`
    /// (exported, or written to or read from a team folder). Not a save: the revision and the
    /// content stay, so an editor holding the postmortem goes on undisturbed.
    pub fn record_exchange(&mut self, id: &PostmortemId, exchanged: &Postmortem) -> Result<(), StorageError> {
        let key = keys::document(id);
        let text = self.store.get(&key)?.ok_or(StorageError::NotFound)?;
        let stored = decode_document(&key, &text, id)?;
        let kept = !same_content(&stored, exchanged);
        self.write_exchanged(id, kept.then_some(exchanged))?;
        let lineage = Some(Lineage { base: content_hash(exchanged), kept });
        let next = Postmortem { lineage, ..stored };
        let text = Envelope::with_postmortems(vec![next]).to_stored().map_err(unwritable)?;
        self.write_verified(id, &key, &text)?;
        self.attempted.remove(id);
        Ok(())
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

    /// The postmortems listed before their wording findings were counted (by a large
    /// import), in the list's order.
    pub fn unchecked(&self) -> Vec<PostmortemId> {
        self.index.iter().filter(|s| s.unchecked).map(|s| s.id).collect()
    }

    /// The line of postmortem `id` with its wording findings counted, as stored now.
    pub fn checked_line(&self, id: &PostmortemId) -> Result<Summary, StorageError> {
        self.load(id).map(|pm| pm.summary())
    }

    /// Puts `lines` (from [`Self::checked_line`]) in the index in place of their unchecked
    /// lines, and says how many it replaced; a line saved since (by this tab or another) is
    /// newer, and is kept. Nothing is written when nothing is replaced.
    pub fn list_checked(&mut self, lines: Vec<Summary>) -> Result<usize, StorageError> {
        let by_id: std::collections::HashMap<PostmortemId, Summary> = lines.into_iter().map(|s| (s.id, s)).collect();
        let replaces = |index: &[Summary]| {
            index.iter().any(|s| s.unchecked && by_id.get(&s.id).is_some_and(|line| Self::same_line(s, line)))
        };
        if !replaces(&self.index) {
            return Ok(0);
        }
        let mut replaced = 0;
        self.rewrite_index(|index| {
            for existing in index.iter_mut().filter(|s| s.unchecked) {
                if let Some(line) = by_id.get(&existing.id).filter(|line| Self::same_line(existing, line)) {
                    *existing = line.clone();
                    replaced += 1;
                }
            }
        })?;
        Ok(replaced)
    }

    /// Whether `checked` is `unchecked` with its findings counted (nothing else changed).
    fn same_line(unchecked: &Summary, checked: &Summary) -> bool {
        *unchecked == Summary { open_findings: 0, unchecked: true, ..checked.clone() }
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
        self.those(|_| true)
    }

    /// The readable postmortems whose summaries `wanted` picks, in the list's order, and how
    /// many of those could not be read.
    pub fn those(&self, wanted: impl Fn(&Summary) -> bool) -> Result<(Vec<Postmortem>, usize), StorageError> {
        let mut all = Vec::new();
        let mut unreadable = 0;
        for summary in self.index.iter().filter(|s| wanted(s)) {
            match self.load(&summary.id) {
                Ok(pm) => all.push(pm),
                Err(StorageError::Corrupt { .. } | StorageError::NotFound) => unreadable += 1,
                Err(other) => return Err(other),
            }
        }
        Ok((all, unreadable))
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
        let mut before: Vec<(String, Option<String>)> = Vec::with_capacity(2 * writes.len() + 2);
        for w in &writes {
            for key in [keys::document(&w.pm.id), keys::exchanged(&w.pm.id)] {
                let text = self.store.get(&key).map_err(fail)?;
                before.push((key, text));
            }
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
        let mut result = writes.iter().try_for_each(|w| {
            let (made, summary) = match packed.next() {
                Some(p) => (p.stored.map(|text| (p.revision, text)), p.summary),
                None => (None, import_line(&w.pm, writes.len())),
            };
            summaries.push(summary);
            self.save_document(&w.pm, made, LineageFrom::Caller(w.base.as_ref())).map(|_| ())
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
        // What the import wrote is not this tab's own edit: an editor holding an older
        // revision must meet it as a conflict, not take it for a write of its own.
        for w in &writes {
            self.attempted.remove(&w.pm.id);
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
        // The exchanged version kept beside it goes too (an unreadable one only wastes room).
        let _ = self.store.remove(&keys::exchanged(id));
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
    fn summaries_kept_before_services_and_tags_were_listed_are_made_again() {
        let mut repo = repo();
        let mut pm = saved(&mut repo);
        pm.services = vec!["checkout".into()];
        pm.tags = vec!["db".into()];
        repo.save(&pm).expect("saves");
        let mut old = pm.summary();
        old.labels = None;
        let text = Envelope::with_index(vec![old]).to_json().expect("writable");
        repo.store_mut().set(keys::INDEX, &text).expect("plants");
        let opened = repo.open().expect("opens");
        assert_eq!(opened.summaries, vec![pm.summary()]);
        let labels = opened.summaries[0].labels.clone().expect("listed");
        assert_eq!((labels.services, labels.tags), (vec!["checkout".to_owned()], vec!["db".to_owned()]));
        assert_ne!(repo.store().get(keys::INDEX).expect("readable").as_deref(), Some(text.as_str()), "written back");
        // A summary of the shape before items awaiting review were listed is made again too.
        let mut before = pm.summary();
        before.version = 0;
        before.awaiting_review.clear();
        let text = Envelope::with_index(vec![before]).to_json().expect("writable");
        repo.store_mut().set(keys::INDEX, &text).expect("plants");
        assert_eq!(repo.open().expect("opens").summaries, vec![pm.summary()]);
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

    /// The writes of an import as the application layer makes them: each postmortem
    /// replacing its stored copy (at the stored revision) or added (at revision 0).
    fn writes(repo: &Repository<MemoryStore>, pms: Vec<Postmortem>) -> DecidedImport {
        let writes: Vec<ImportWrite> = pms
            .into_iter()
            .map(|pm| {
                let revision = repo.load(&pm.id).map(|s| s.revision).unwrap_or(0);
                ImportWrite { pm: Postmortem { revision, ..pm }, base: None }
            })
            .collect();
        let report = ImportReport { added: writes.len(), ..ImportReport::default() };
        DecidedImport::new(writes, report)
    }

    #[test]
    fn an_import_writes_new_and_replacing_postmortems_and_refuses_a_stale_replace() {
        let mut repo = repo();
        let mut pm = saved(&mut repo);
        let mut incoming = pm.clone();
        incoming.title = "From the file".into();
        let fresh = full_postmortem(Utc::now());
        let import = writes(&repo, vec![incoming.clone(), fresh.clone()]);
        // Someone saves the stored copy after the import was decided: refused, nothing changed.
        pm.title = "Edited in another tab after the preview".into();
        pm.revision = repo.save(&pm).expect("saves");
        let before = snapshot(repo.store());
        let result = repo.write_import(import);
        assert_eq!(result, Err(ImportFailure { error: StorageError::Conflict, undone: true }));
        assert_eq!(snapshot(repo.store()), before);
        // Decided again: written.
        let import = writes(&repo, vec![incoming.clone(), fresh.clone()]);
        repo.write_import(import).expect("writes");
        assert_eq!(repo.load(&pm.id).map(|p| p.title), Ok("From the file".into()));
        assert_eq!(repo.load(&fresh.id).map(|p| p.revision), Ok(1));
        assert_eq!(repo.summaries().len(), 2);
    }

    #[test]
    fn unreadable_entries_are_never_written_over_by_an_import() {
        let mut repo = repo();
        let bad_id = PostmortemId::random();
        repo.store_mut().set(&keys::document(&bad_id), "garbage").expect("plants");
        let mut onto_corrupt = full_postmortem(Utc::now());
        onto_corrupt.id = bad_id;
        let import = DecidedImport::new(vec![ImportWrite { pm: onto_corrupt, base: None }], ImportReport::default());
        assert!(matches!(
            repo.write_import(import),
            Err(ImportFailure { error: StorageError::Corrupt { .. }, undone: true })
        ));
        assert_eq!(repo.raw(&keys::document(&bad_id)).expect("reads").as_deref(), Some("garbage"));
    }

    #[test]
    fn a_failing_import_leaves_the_store_exactly_as_it_was() {
        // Room for about four stored postmortems: the import of eleven cannot fit.
        let one = Envelope::with_postmortems(vec![full_postmortem(Utc::now())]).to_stored().expect("writable");
        let mut repo = Repository::new(MemoryStore::with_quota(4 * one.chars().count()));
        repo.open().expect("opens");
        let pm = saved(&mut repo);
        let before = snapshot(repo.store());
        let mut replaced = pm.clone();
        replaced.title = "Replaced by the import".into();
        let mut incoming = vec![replaced];
        incoming.extend((0..10).map(|_| full_postmortem(Utc::now())));
        let import = writes(&repo, incoming);
        assert_eq!(repo.write_import(import), Err(ImportFailure { error: StorageError::QuotaExceeded, undone: true }));
        assert_eq!(snapshot(repo.store()), before);
        assert_eq!(repo.summaries(), [pm.summary()]);
    }

    #[test]
    fn an_import_packed_ahead_writes_what_writing_unpacked_writes() {
        let mut repo = repo();
        let pm = saved(&mut repo);
        let mut newer = pm.clone();
        newer.title = "Newer in the file".into();
        let fresh = full_postmortem(Utc::now());
        let mut import = writes(&repo, vec![newer.clone(), fresh.clone()]);
        assert_eq!((import.total(), import.packed()), (2, 0));
        assert!(import.pack_next());
        assert!(import.pack_next());
        assert!(!import.pack_next());
        assert_eq!(import.ids(), [newer.id, fresh.id]);
        let mut unpacked = self::repo();
        let _ = saved_as(&mut unpacked, &pm);
        let plain = writes(&unpacked, vec![newer.clone(), fresh.clone()]);
        unpacked.write_import(plain).expect("writes");
        // Half packed: the rest is packed as it is written.
        let mut repo_half = self::repo();
        let _ = saved_as(&mut repo_half, &pm);
        let mut half = writes(&repo_half, vec![newer.clone(), fresh.clone()]);
        assert!(half.pack_next());
        repo_half.write_import(half).expect("writes");
        repo.write_import(import).expect("writes");
        for id in [newer.id, fresh.id] {
            let key = keys::document(&id);
            let written = repo.store().get(&key).expect("reads");
            assert!(written.is_some());
            assert_eq!(written, unpacked.store().get(&key).expect("reads"));
            assert_eq!(written, repo_half.store().get(&key).expect("reads"));
        }
        assert_eq!(repo.load(&newer.id).map(|p| (p.title, p.revision)), Ok(("Newer in the file".into(), 2)));
    }

    #[test]
    fn the_first_save_after_an_exchange_keeps_the_exchanged_version() {
        let mut repo = repo();
        let mut pm = saved(&mut repo);
        let exchanged = repo.load(&pm.id).expect("stored");
        repo.record_exchange(&pm.id, &exchanged).expect("recorded");
        let lineage = repo.lineage(&pm.id).expect("readable").expect("exchanged");
        assert_eq!((lineage.base.clone(), lineage.kept), (content_hash(&exchanged), false));
        assert_eq!(repo.load(&pm.id).map(|p| p.revision), Ok(exchanged.revision), "recording is not a save");
        // Until it is edited, the postmortem is the exchanged version.
        assert_eq!(repo.exchanged_version(&pm.id), Ok(Some(repo.load(&pm.id).expect("stored"))));
        // The page's copy may hold any lineage: the stored one is kept, and the first edit
        // keeps the exchanged version beside it.
        pm.lineage = None;
        pm.summary = "Edited after the exchange".into();
        pm.revision = repo.save(&pm).expect("saves");
        let lineage = repo.lineage(&pm.id).expect("readable").expect("still exchanged");
        assert!(lineage.kept);
        let base = repo.exchanged_version(&pm.id).expect("readable").expect("kept");
        assert_eq!(content_hash(&base), lineage.base);
        assert_ne!(base.summary, "Edited after the exchange");
        pm.summary.push_str(" Twice.");
        repo.save(&pm).expect("saves");
        assert_eq!(repo.exchanged_version(&pm.id).expect("readable").map(|b| b.summary), Some(base.summary.clone()));
        // Purged, the kept version goes too.
        repo.purge(&pm.id).expect("purged");
        assert_eq!(repo.raw(&keys::exchanged(&pm.id)), Ok(None));
    }

    #[test]
    fn a_lineage_that_does_not_match_the_stored_version_is_dropped_not_trusted() {
        let mut repo = repo();
        let mut pm = saved(&mut repo);
        // A restored backup may claim an exchanged version that is not the stored one.
        let mut claimed = pm.clone();
        claimed.lineage = Some(Lineage { base: content_hash(&full_postmortem(Utc::now())), kept: false });
        let import = DecidedImport::new(
            vec![ImportWrite { pm: Postmortem { revision: pm.revision, ..claimed }, base: None }],
            ImportReport::default(),
        );
        repo.write_import(import).expect("writes");
        pm.revision = repo.load(&pm.id).expect("stored").revision;
        pm.summary = "Edited".into();
        repo.save(&pm).expect("saves");
        assert_eq!(repo.lineage(&pm.id), Ok(None));
        assert_eq!(repo.exchanged_version(&pm.id), Ok(None));
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
