//! Importing files into the library: read each file, compare what they hold with the
//! library, let the person choose per postmortem, then write all or nothing.
//!
//! Each postmortem in the files is compared with the one here by lineage (see
//! `domain::lineage`): identical, changed only in the file (take it), changed only here
//! (keep ours), or changed in both (merge three ways when a common version is known, else
//! ask about every difference). The default choice never discards an edit: a merge whose
//! questions cannot all be answered by keeping both texts defaults to keeping both
//! postmortems. The same postmortem in several files is compared copy by copy, each with
//! what the copies before it leave, and nothing of any copy is dropped.
//!
//! Invariants:
//! - nothing is written until [`write`]; reading and previewing change nothing;
//! - [`write`] brings the postmortems, the custom templates and the sealing keys in one
//!   all-or-nothing write: on any failure every entry is put back as it was;
//! - a postmortem taken or merged from a file remembers that file's version as the one it
//!   was last exchanged at (kept beside it when the result differs), for the next merge;
//! - templates and keys are offered only when they would change something, and when the
//!   stored ones cannot be read they are left out up front (with a note).

use super::library::Library;
use crate::domain::lineage::{Relation, content_hash, relate, same_content};
use crate::domain::merge::{Conflict, Pick, merge};
use crate::domain::model::{ContentHash, Lineage};
use crate::domain::template::{Template, merge_templates};
use crate::domain::{Postmortem, PostmortemId};
use crate::file_format::MAX_INPUT_BYTES;
use crate::file_format::contribution::SealKey;
use crate::file_format::import::{BrokenItem, FileError, read_file};
pub use crate::storage::{DecidedImport, ImportFailure, ImportReport};
use crate::storage::{ImportWrite, KeyValueStore, StorageError};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// How a postmortem in the files compares with the one here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportStatus {
    /// Not in this library yet.
    New,
    /// The same content as here.
    Identical,
    /// Changed in the file since the version here: taking it loses nothing.
    TheirsChanged,
    /// Changed here since the file's version: keeping ours loses nothing.
    MineChanged,
    /// Changed in both since a common version: merges three ways.
    Merged,
    /// Both differ and no common version is known: every difference is a question.
    Unrelated,
    /// The stored entry with this id cannot be read; it will not be written over.
    Unreadable,
}

/// What to do with one postmortem of the files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportChoice {
    /// Add it (it is new).
    Add,
    /// Use the file's version in place of ours.
    Take,
    /// Merge the file's changes with ours.
    Merge,
    /// Add it as a separate copy with a new id, keeping ours.
    KeepBoth,
    /// Leave it out.
    Skip,
}

impl ImportStatus {
    /// The choices that make sense for this status, the default first.
    pub fn choices(self) -> &'static [ImportChoice] {
        use ImportChoice::*;
        match self {
            Self::New => &[Add, Skip],
            Self::Identical => &[Skip, KeepBoth],
            Self::TheirsChanged => &[Take, KeepBoth, Skip],
            Self::MineChanged => &[Skip, Take, KeepBoth],
            Self::Merged | Self::Unrelated => &[Merge, KeepBoth, Take, Skip],
            Self::Unreadable => &[KeepBoth, Skip],
        }
    }
}

/// The two versions of a postmortem that both changed, and the questions merging them asks.
#[derive(Debug, Clone, PartialEq)]
pub struct MergePlan {
    /// The common version, when known.
    pub base: Option<Postmortem>,
    /// Ours (for a later copy in the files: what the copies before it leave).
    pub mine: Postmortem,
    /// Every question, with its default answer applied in the preview.
    pub conflicts: Vec<Conflict>,
}

impl MergePlan {
    /// Whether answering every question by its default drops an edit.
    pub fn default_discards(&self) -> bool {
        self.conflicts.iter().any(Conflict::default_discards)
    }
}

/// One postmortem of the files, compared with the library.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviewRow {
    /// The file it came from.
    pub file: String,
    pub incoming: Postmortem,
    pub status: ImportStatus,
    /// Set for a merge: the versions and the questions.
    pub merge: Option<MergePlan>,
    /// Whether an earlier row holds the same postmortem (from another file).
    pub again: bool,
    /// The revision of the stored postmortem this was compared with (`None`: not stored).
    /// If someone saves it before the import is written, the import is refused.
    pub stored_revision: Option<u64>,
    /// The version it is known to descend from, when that is known from where it was read
    /// (a team folder's file descends from the version last read from or written to it;
    /// `Some(None)`: from no known version) rather than from the lineage it carries.
    pub known_base: Option<Option<Postmortem>>,
    /// The content hash of `incoming`, when the reader worked it out already.
    pub incoming_hash: Option<ContentHash>,
}

impl PreviewRow {
    /// The choice made unless the person importing picks another: one that discards no edit.
    pub fn default_choice(&self) -> ImportChoice {
        match (self.status, &self.merge) {
            (ImportStatus::Merged | ImportStatus::Unrelated, Some(plan)) if plan.default_discards() => {
                ImportChoice::KeepBoth
            }
            (status, _) => status.choices()[0],
        }
    }
}

/// What the chosen files hold, before anything changes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Preview {
    pub rows: Vec<PreviewRow>,
    /// Custom templates in the files (a full backup carries them) that would change something.
    pub templates: Vec<Template>,
    /// Keys for sealed contributions in the files that are not kept here yet.
    pub keys: Vec<SealKey>,
    /// Files that cannot be imported at all.
    pub file_errors: Vec<FileError>,
    /// Items that cannot be imported while the rest of their file can, with their file.
    pub broken: Vec<(String, BrokenItem)>,
    /// What the files hold that is left out before anything is chosen, in sentences.
    pub left_out: Vec<String>,
}

impl Preview {
    /// Whether the files hold anything to bring in.
    pub fn has_anything(&self) -> bool {
        !(self.rows.is_empty() && self.templates.is_empty() && self.keys.is_empty())
    }
}

/// A postmortem as this import has it so far: the stored one, or what earlier rows of the
/// same postmortem leave.
#[derive(Debug, Clone)]
struct Current {
    pm: Postmortem,
    /// The version it was last exchanged at: `None` until needed (reading it costs), then
    /// `Some(None)` when it is not known.
    exchanged: Option<Option<Postmortem>>,
    /// The stored revision the write replaces (0: new here).
    revision: u64,
}

/// Compares `incoming` with `current` (`None`: not here); `exchanged` reads the version
/// the stored postmortem was last exchanged at, when a merge needs it.
fn compare(
    current: Option<&mut Current>,
    incoming: &Postmortem,
    known_base: Option<&Option<Postmortem>>,
    picks: &BTreeMap<String, Pick>,
    exchanged: &dyn Fn() -> Option<Postmortem>,
) -> (ImportStatus, Option<MergePlan>) {
    let Some(current) = current else { return (ImportStatus::New, None) };
    let plan = |mine: &Postmortem, base: Option<&Postmortem>| {
        let conflicts = merge(base, mine, incoming, picks).map(|m| m.conflicts).unwrap_or_default();
        Some(MergePlan { base: base.cloned(), mine: mine.clone(), conflicts })
    };
    if let Some(known) = known_base {
        return match known {
            _ if same_content(&current.pm, incoming) => (ImportStatus::Identical, None),
            Some(base) if same_content(base, &current.pm) => (ImportStatus::TheirsChanged, None),
            Some(base) if same_content(base, incoming) => (ImportStatus::MineChanged, None),
            Some(base) => (ImportStatus::Merged, plan(&current.pm, Some(base))),
            None => (ImportStatus::Unrelated, plan(&current.pm, None)),
        };
    }
    match relate(&current.pm, incoming) {
        Relation::Identical => (ImportStatus::Identical, None),
        Relation::TheirsChanged => (ImportStatus::TheirsChanged, None),
        Relation::MineChanged => (ImportStatus::MineChanged, None),
        Relation::BothChanged => {
            let base = current.exchanged.get_or_insert_with(exchanged).clone();
            match base {
                Some(base) => (ImportStatus::Merged, plan(&current.pm, Some(&base))),
                None => (ImportStatus::Unrelated, plan(&current.pm, None)),
            }
        }
        Relation::Unrelated => (ImportStatus::Unrelated, plan(&current.pm, None)),
    }
}

/// `pm` marked as exchanged at version `received`, with that version kept beside it when
/// they differ.
fn exchanged_at(pm: Postmortem, received: &Postmortem) -> (Postmortem, Option<Postmortem>) {
    let kept = !same_content(&pm, received);
    let lineage = Some(Lineage { base: content_hash(received), kept });
    (Postmortem { lineage, ..pm }, kept.then(|| received.clone()))
}

/// What choosing `choice` for `incoming` leaves as the current version of its postmortem
/// (`base`: the common version of a merge, when known), and the copy it adds, if any.
fn apply(
    current: Option<&Current>,
    row: &PreviewRow,
    choice: ImportChoice,
    base: Option<&Postmortem>,
    picks: &BTreeMap<String, Pick>,
) -> (Option<Current>, Option<Postmortem>) {
    let revision = current.map_or(0, |c| c.revision);
    let incoming = &row.incoming;
    let taken = || {
        // Exactly what arrived: exchanged at its own version (its hash, no comparison).
        let base = row.incoming_hash.clone().unwrap_or_else(|| content_hash(incoming));
        let lineage = Some(Lineage { base, kept: false });
        Some(Current {
            pm: Postmortem { lineage, ..incoming.clone() },
            exchanged: Some(Some(incoming.clone())),
            revision,
        })
    };
    match choice {
        ImportChoice::Skip => (current.cloned(), None),
        ImportChoice::Add | ImportChoice::Take => (taken(), None),
        ImportChoice::Merge => {
            let Some(current) = current else { return (taken(), None) };
            match merge(base, &current.pm, incoming, picks) {
                Ok(merged) => {
                    let (pm, _) = exchanged_at(merged.postmortem, incoming);
                    (Some(Current { pm, exchanged: Some(Some(incoming.clone())), revision }), None)
                }
                // Cannot happen with versions Debrief wrote; keep both rather than lose one.
                Err(_) => (Some(current.clone()), Some(copy_of(incoming))),
            }
        }
        ImportChoice::KeepBoth => (current.cloned(), Some(copy_of(incoming))),
    }
}

/// The postmortem `id` as stored here; `None` when it is not here (or, as `Err(Corrupt)`,
/// when it cannot be read).
fn stored<S: KeyValueStore>(library: &Library<S>, id: &PostmortemId) -> Result<Option<Current>, StorageError> {
    match library.load(id) {
        Ok(pm) => Ok(Some(Current { revision: pm.revision, pm, exchanged: None })),
        Err(StorageError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `pm` as a separate postmortem: a new id, marked as an imported copy, no lineage.
fn copy_of(pm: &Postmortem) -> Postmortem {
    let mut copy = pm.clone();
    copy.id = PostmortemId::random();
    copy.revision = 0;
    copy.title = format!("{} (imported copy)", pm.display_title());
    copy.lineage = None;
    copy
}

/// A postmortem read: the file it came from, the version it is known to descend from
/// (see [`PreviewRow::known_base`]) and its content hash when known.
type Incoming = (String, Postmortem, Option<Option<Postmortem>>, Option<ContentHash>);

/// Files being read for an import, one at a time (the page shows progress in between).
#[derive(Debug, Default)]
pub struct Reading {
    incoming: Vec<Incoming>,
    templates: Vec<Template>,
    keys: Vec<SealKey>,
    file_errors: Vec<FileError>,
    broken: Vec<(String, BrokenItem)>,
}

impl Reading {
    /// Nothing read yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether a file of `bytes` is too large to read at all.
    pub fn too_large(bytes: f64) -> bool {
        bytes > MAX_INPUT_BYTES as f64
    }

    /// Notes a file that is too large to read.
    pub fn refuse_too_large(&mut self, file: String) {
        self.file_errors.push(FileError {
            file,
            place: "the whole file".into(),
            problem: format!("it is larger than the {} MB limit for one file", MAX_INPUT_BYTES / (1024 * 1024)),
        });
    }

    /// Notes a file the browser could not read, and why.
    pub fn refuse_unreadable(&mut self, file: String, problem: String) {
        self.file_errors.push(FileError { file, place: "the whole file".into(), problem });
    }

    /// Reads the text of the file `file`: its postmortems, templates and keys, and what is
    /// broken in it.
    pub fn add(&mut self, file: &str, text: &str) {
        match read_file(file, text) {
            Ok(read) => {
                self.broken.extend(read.broken.into_iter().map(|b| (file.to_owned(), b)));
                self.incoming.extend(read.postmortems.into_iter().map(|pm| (file.to_owned(), pm, None, None)));
                self.templates.extend(read.templates);
                self.keys.extend(read.keys);
            }
            Err(e) => self.file_errors.push(e),
        }
    }

    /// Adds a postmortem read from `file` that is known to descend from `base` (`None`: from
    /// no known version), whatever lineage it carries; `hash`: its content hash, if known.
    pub fn add_version(&mut self, file: &str, pm: Postmortem, base: Option<Postmortem>, hash: Option<ContentHash>) {
        self.incoming.push((file.to_owned(), pm, Some(base), hash));
    }

    /// Adds the templates read from a file.
    pub fn add_templates(&mut self, templates: Vec<Template>) {
        self.templates.extend(templates);
    }

    /// Notes a file that cannot be read, with where and why.
    pub fn refuse(&mut self, error: FileError) {
        self.file_errors.push(error);
    }

    /// Compares everything read with `library`, changing nothing.
    pub fn finish<S: KeyValueStore>(self, library: &Library<S>) -> Preview {
        let Self { incoming, templates, keys, mut file_errors, broken } = self;
        let rows = match plan(library, incoming) {
            Ok(rows) => rows,
            Err(e) => {
                file_errors.push(FileError {
                    file: "the library".into(),
                    place: "storage".into(),
                    problem: format!("the library could not be compared with the files: {e}"),
                });
                Vec::new()
            }
        };
        let mut left_out = Vec::new();
        // Only templates that would change something: one already here as it is, or a
        // built-in, needs no import.
        let templates = match library.templates() {
            Ok(stored) if !templates.is_empty() => templates
                .into_iter()
                .filter(|t| merge_templates(&mut stored.clone(), vec![t.clone()], true).changes_anything())
                .collect(),
            Ok(_) => Vec::new(),
            Err(e) => {
                left_out.push(format!(
                    "The custom templates in the files are left out: the templates stored here cannot be read ({e})."
                ));
                Vec::new()
            }
        };
        let keys = match library.seal_keys() {
            Ok(stored) => keys.into_iter().filter(|k| !stored.iter().any(|s| s.invitation == k.invitation)).collect(),
            Err(e) if !keys.is_empty() => {
                left_out.push(format!(
                    "The keys for sealed contributions in the files are left out: the keys stored here cannot be read ({e})."
                ));
                Vec::new()
            }
            Err(_) => Vec::new(),
        };
        Preview { rows, templates, keys, file_errors, broken, left_out }
    }
}

/// Compares each postmortem of the files with the library, in file order; a postmortem
/// that is in several files is compared again with what its earlier copies leave (by their
/// default choices); a copy identical to what is there by then is left out.
fn plan<S: KeyValueStore>(library: &Library<S>, incoming: Vec<Incoming>) -> Result<Vec<PreviewRow>, StorageError> {
    let none = BTreeMap::new();
    let mut current: BTreeMap<PostmortemId, Option<Current>> = BTreeMap::new();
    let mut revisions: BTreeMap<PostmortemId, Option<u64>> = BTreeMap::new();
    let mut unreadable: Vec<PostmortemId> = Vec::new();
    let mut rows: Vec<PreviewRow> = Vec::with_capacity(incoming.len());
    // What a row leaves as the current version matters only to a later row holding the
    // same postmortem: worked out then (the row, and the version it was compared with).
    let mut unsettled: BTreeMap<PostmortemId, (usize, Option<Current>)> = BTreeMap::new();
    for (file, pm, known_base, incoming_hash) in incoming {
        if let Some((at, now)) = unsettled.remove(&pm.id) {
            let row: &PreviewRow = &rows[at];
            let base = row.merge.as_ref().and_then(|m| m.base.as_ref());
            let (after, _) = apply(now.as_ref(), row, row.default_choice(), base, &none);
            current.insert(pm.id, after);
        }
        let again = current.contains_key(&pm.id) || unreadable.contains(&pm.id);
        if !again {
            match stored(library, &pm.id) {
                Ok(here) => {
                    revisions.insert(pm.id, here.as_ref().map(|c| c.revision));
                    current.insert(pm.id, here);
                }
                Err(StorageError::Corrupt { .. }) => unreadable.push(pm.id),
                Err(other) => return Err(other),
            }
        }
        let stored_revision = revisions.get(&pm.id).copied().flatten();
        if unreadable.contains(&pm.id) {
            let status = ImportStatus::Unreadable;
            rows.push(PreviewRow {
                file,
                incoming: pm,
                status,
                merge: None,
                again,
                stored_revision,
                known_base,
                incoming_hash,
            });
            continue;
        }
        // A copy the same as one in an earlier file says nothing more.
        if again && rows.iter().any(|r| r.incoming.id == pm.id && same_content(&r.incoming, &pm)) {
            continue;
        }
        let mut now = current.get(&pm.id).cloned().flatten();
        let id = pm.id;
        let exchanged = || library.exchanged_version(&id).unwrap_or(None);
        let (status, merge) = compare(now.as_mut(), &pm, known_base.as_ref(), &none, &exchanged);
        unsettled.insert(id, (rows.len(), now));
        rows.push(PreviewRow { file, incoming: pm, status, merge, again, stored_revision, known_base, incoming_hash });
    }
    Ok(rows)
}

/// The import of `preview` with `choices` made for its rows (in order; a missing choice is
/// the row's default) and `picks` answering the questions of merged rows (by row, then by
/// question; a missing pick is the question's default), ready to be packed and written.
/// Refused with [`StorageError::Conflict`] when a postmortem was saved since the preview
/// (the write, in turn, refuses to replace one saved after this).
pub fn decide<S: KeyValueStore>(
    library: &Library<S>,
    preview: &Preview,
    choices: impl IntoIterator<Item = ImportChoice>,
    picks: &BTreeMap<usize, BTreeMap<String, Pick>>,
) -> Result<DecidedImport, StorageError> {
    let mut choices = choices.into_iter();
    let none = BTreeMap::new();
    let mut report = ImportReport::default();
    // Each postmortem's version after its rows so far, and whether any row changed it, in
    // the order first met.
    let mut order: Vec<PostmortemId> = Vec::new();
    let mut current: BTreeMap<PostmortemId, (Option<Current>, bool)> = BTreeMap::new();
    let mut copies = Vec::new();
    for (i, row) in preview.rows.iter().enumerate() {
        let choice = choices.next().unwrap_or(row.default_choice());
        let id = row.incoming.id;
        if !order.contains(&id) {
            let here = match stored(library, &id) {
                // Saved (or deleted) since the preview: what was chosen may no longer hold.
                Ok(here) if here.as_ref().map(|c| c.revision) != row.stored_revision => {
                    return Err(StorageError::Conflict);
                }
                Ok(here) => here,
                // Never written over: only a copy, if chosen.
                Err(StorageError::Corrupt { .. }) => {
                    if choice == ImportChoice::KeepBoth {
                        copies.push(copy_of(&row.incoming));
                        report.copied += 1;
                    } else {
                        report.skipped += 1;
                    }
                    continue;
                }
                Err(e) => return Err(e),
            };
            order.push(id);
            current.insert(id, (here, false));
        }
        let (mut now, changed) = current.remove(&id).unwrap_or((None, false));
        let row_picks = picks.get(&i).unwrap_or(&none);
        let exchanged = || library.exchanged_version(&id).unwrap_or(None);
        let (_, plan) = compare(now.as_mut(), &row.incoming, row.known_base.as_ref(), row_picks, &exchanged);
        let base = plan.as_ref().and_then(|p| p.base.as_ref());
        let (after, copy) = apply(now.as_ref(), row, choice, base, row_picks);
        match choice {
            ImportChoice::Skip => report.skipped += 1,
            ImportChoice::KeepBoth => report.copied += 1,
            ImportChoice::Add => {
                report.added += 1;
                report.added_to_trash += usize::from(row.incoming.deleted_at.is_some());
            }
            ImportChoice::Take => report.replaced += 1,
            ImportChoice::Merge => report.merged += 1,
        }
        copies.extend(copy);
        let writes = matches!(choice, ImportChoice::Add | ImportChoice::Take | ImportChoice::Merge);
        current.insert(id, (after, changed || writes));
    }
    let mut writes: Vec<ImportWrite> = Vec::new();
    for id in order {
        if let Some((Some(done), true)) = current.remove(&id) {
            let base = if done.pm.lineage.as_ref().is_some_and(|l| l.kept) { done.exchanged.flatten() } else { None };
            writes.push(ImportWrite { pm: Postmortem { revision: done.revision, ..done.pm }, base });
        }
    }
    writes.extend(copies.into_iter().map(|pm| ImportWrite { pm, base: None }));
    Ok(DecidedImport::new(writes, report).with_templates_and_keys(preview.templates.clone(), preview.keys.clone()))
}

/// Writes a decided import, all or nothing.
pub fn write<S: KeyValueStore>(library: &mut Library<S>, import: DecidedImport) -> Result<ImportReport, ImportFailure> {
    library.write_import(import)
}

/// Writes a decided import of files the person chose, all or nothing. Into an empty
/// library, with every postmortem of the files added (`files_whole`: none of them was
/// broken or refused), it is a restore: the library is then as safe as those files, and
/// the backup reminder counts from `now`.
pub fn write_chosen<S: KeyValueStore>(
    library: &mut Library<S>,
    import: DecidedImport,
    files_whole: bool,
    now: DateTime<Utc>,
) -> Result<ImportReport, ImportFailure> {
    let was_empty = library.summaries().is_empty() && library.corrupt().is_empty();
    let mut report = library.write_import(import)?;
    let everything = report.added > 0 && report.skipped + report.copied + report.replaced + report.merged == 0;
    if was_empty && everything && files_whole {
        // Failing to note it only means the reminder stays.
        report.restored_whole = library.record_backup(now).is_ok();
    }
    Ok(report)
}

/// What an import did, in one or two sentences for the person importing.
pub fn describe(report: &ImportReport) -> String {
    let mut parts = Vec::new();
    let wrote = report.added + report.replaced + report.merged + report.copied > 0;
    if wrote || (report.templates.is_none() && report.keys_added == 0) {
        let merged = if report.merged > 0 { format!(" {} merged,", report.merged) } else { String::new() };
        let trash = match report.added_to_trash {
            0 => String::new(),
            n if n == report.added => " (into the trash, where they were in the file)".to_owned(),
            n => format!(" ({n} of them into the trash, where they were in the file)"),
        };
        parts.push(format!(
            "Import done: {} added{trash}, {} replaced,{merged} {} kept as copies, {} skipped.",
            report.added, report.replaced, report.copied, report.skipped
        ));
    }
    if let Some(merge) = &report.templates {
        parts.push(merge.describe());
    }
    if report.restored_whole {
        parts.push("The library now holds exactly what the file holds: keep that file as its backup.".to_owned());
    }
    match report.keys_added {
        0 => {}
        1 => parts.push("1 key for sealed contributions was restored.".to_owned()),
        n => parts.push(format!("{n} keys for sealed contributions were restored.")),
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::contribution::InvitationId;
    use crate::domain::sample::full_postmortem;
    use crate::file_format::Envelope;
    use crate::storage::flaky::{Fault, FlakyStore};
    use crate::storage::{MemoryStore, StorageError, keys};

    use crypto_box::aead::OsRng;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-05-01T10:00:00Z").map(|t| t.with_timezone(&Utc)).unwrap_or_default()
    }

    fn file(postmortems: Vec<Postmortem>, templates: Vec<Template>, keys: Vec<SealKey>) -> String {
        let envelope = Envelope { templates, keys, ..Envelope::with_postmortems(postmortems) };
        envelope.to_pretty_json().unwrap_or_default()
    }

    /// Decides `preview` with `choices` and `picks`, then writes it.
    fn decide_and_write<S: KeyValueStore>(
        library: &mut Library<S>,
        preview: &Preview,
        choices: impl IntoIterator<Item = ImportChoice>,
        picks: &BTreeMap<usize, BTreeMap<String, Pick>>,
    ) -> Result<ImportReport, ImportFailure> {
        let import = decide(library, preview, choices, picks).map_err(|error| ImportFailure { error, undone: true })?;
        write(library, import)
    }

    fn template(name: &str) -> Template {
        Template { name: name.into(), ..Template::blank() }
    }

    fn preview_of<S: KeyValueStore>(library: &Library<S>, files: &[(&str, String)]) -> Preview {
        let mut reading = Reading::new();
        for (name, text) in files {
            reading.add(name, text);
        }
        reading.finish(library)
    }

    #[test]
    fn a_backup_brings_postmortems_templates_and_keys_in_one_write() {
        let (mut library, _) = Library::open(MemoryStore::new());
        let (key, _) = SealKey::generate(InvitationId::random(), &mut OsRng);
        let backup = file(vec![full_postmortem(now())], vec![template("Ours")], vec![key.clone()]);
        let preview = preview_of(&library, &[("backup.json", backup.clone())]);
        assert_eq!((preview.rows.len(), preview.templates.len(), preview.keys.len()), (1, 1, 1));
        assert_eq!(preview.rows[0].status, ImportStatus::New);
        let report = decide_and_write(&mut library, &preview, [], &BTreeMap::new()).expect("written");
        assert_eq!((report.added, report.keys_added), (1, 1));
        assert_eq!(
            describe(&report),
            format!(
                "Import done: 1 added, 0 replaced, 0 kept as copies, 0 skipped. {} 1 key for sealed contributions was restored.",
                report.templates.as_ref().map(|t| t.describe()).unwrap_or_default()
            )
        );
        assert_eq!(library.summaries().len(), 1);
        assert_eq!(library.templates().map(|t| t.len()), Ok(1));
        assert_eq!(library.seal_keys(), Ok(vec![key]));
        // The same backup again: the postmortem is identical (skipped unless chosen), and the
        // template and key are already here, so they are not offered.
        let again = preview_of(&library, &[("backup.json", backup)]);
        assert_eq!(again.rows.len(), 1);
        assert_eq!(again.rows[0].status, ImportStatus::Identical);
        assert_eq!(again.rows[0].default_choice(), ImportChoice::Skip);
        assert!(again.templates.is_empty() && again.keys.is_empty());
    }

    #[test]
    fn a_large_import_lists_first_and_counts_wording_findings_right_after() {
        use crate::domain::Summary;
        use crate::storage::repository::LIST_FIRST_FROM;
        let (mut library, _) = Library::open(MemoryStore::new());
        let many: Vec<Postmortem> = (0..LIST_FIRST_FROM)
            .map(|n| {
                let mut pm = full_postmortem(now());
                pm.id = PostmortemId::random();
                pm.summary = format!("Obviously the deploy {n} should have been caught.");
                pm
            })
            .collect();
        let expected: Vec<Summary> = many.iter().map(Postmortem::summary).collect();
        assert!(expected.iter().all(|s| s.open_findings > 0 && !s.unchecked));
        let preview = preview_of(&library, &[("many.json", file(many, vec![], vec![]))]);
        decide_and_write(&mut library, &preview, [], &BTreeMap::new()).expect("written");
        assert_eq!(library.unchecked().len(), LIST_FIRST_FROM, "listed before their findings were counted");
        assert!(library.summaries().iter().all(|s| s.unchecked && s.open_findings == 0));
        // Counted a few at a time: here 10, then (one is saved meanwhile, so its line is
        // counted already) the rest.
        let mut tried = std::collections::HashMap::new();
        let mut budget = 10;
        let left = library.count_findings(&mut tried, || {
            budget -= 1;
            budget > 0
        });
        assert_eq!(left, Ok(LIST_FIRST_FROM - 10));
        assert_eq!(library.unchecked().len(), LIST_FIRST_FROM - 10);
        let first = library.unchecked()[0];
        let mut edited = library.load(&first).expect("read");
        edited.summary = "Edited meanwhile".into();
        library.save(&edited).expect("saved");
        assert_eq!(library.count_findings(&mut tried, || true), Ok(0));
        assert!(library.unchecked().is_empty());
        let by_id = |id: PostmortemId| library.summaries().iter().find(|s| s.id == id).cloned();
        assert_eq!(by_id(first).map(|s| s.open_findings), Some(edited.summary().open_findings));
        for s in expected.iter().filter(|s| s.id != first) {
            let listed = by_id(s.id).expect("listed");
            assert_eq!(listed.open_findings, s.open_findings);
        }
        // Nothing left: nothing is written.
        let index = library.store().get(crate::storage::keys::INDEX).expect("read");
        assert_eq!(library.count_findings(&mut tried, || true), Ok(0));
        assert_eq!(library.store().get(crate::storage::keys::INDEX).expect("read"), index);
        // Stored so: the next opening lists the counted lines.
        let (reopened, _) = Library::open(library.store().clone());
        assert!(reopened.unchecked().is_empty() && reopened.summaries().len() == LIST_FIRST_FROM);
        // A small import counts at once.
        let (mut small, _) = Library::open(MemoryStore::new());
        let preview = preview_of(&small, &[("one.json", file(vec![full_postmortem(now())], vec![], vec![]))]);
        decide_and_write(&mut small, &preview, [], &BTreeMap::new()).expect("written");
        assert!(small.unchecked().is_empty());
    }

    #[test]
    fn an_import_failing_at_any_write_leaves_postmortems_templates_and_keys_as_they_were() {
        let (key, _) = SealKey::generate(InvitationId::random(), &mut OsRng);
        let incoming = file(vec![full_postmortem(now()), full_postmortem(now())], vec![template("New")], vec![key]);
        let mut failed = 0;
        // A refused write at every call the import makes, one run each, until one succeeds.
        for calls_before in 0.. {
            let store = FlakyStore::shared();
            let (mut library, _) = Library::open(store.clone());
            let kept = library.add_sample(now()).expect("added");
            library.save_template(template("Kept")).expect("stored");
            let before = store.snapshot();
            let preview = preview_of(&library, &[("backup.json", incoming.clone())]);
            let mut schedule = vec![Fault::None; calls_before];
            schedule.push(Fault::WriteRefused);
            store.then_fail(schedule);
            match decide_and_write(&mut library, &preview, [], &BTreeMap::new()) {
                // The refusal fell on a read, which it does not affect.
                Ok(_) if store.pending_faults() == 0 => {}
                Ok(report) => {
                    assert_eq!((report.added, report.keys_added), (2, 1));
                    assert!(report.templates.is_some_and(|t| t.changes_anything()));
                    break;
                }
                Err(failure) => {
                    failed += 1;
                    assert!(failure.undone, "undone after {calls_before} calls");
                    store.heal();
                    assert_eq!(store.snapshot(), before, "every entry is as it was after {calls_before} calls");
                    assert_eq!(library.summaries().iter().map(|s| s.id).collect::<Vec<_>>(), [kept]);
                }
            }
        }
        // Two documents, the template list, the key list and the index.
        assert_eq!(failed, 5, "the write was refused at each of its writes");
    }

    #[test]
    fn a_restore_into_an_empty_library_counts_the_trash_and_the_backup() {
        let (mut library, _) = Library::open(MemoryStore::new());
        let kept = full_postmortem(now());
        let binned = Postmortem { deleted_at: Some(now()), ..full_postmortem(now()) };
        let preview = preview_of(&library, &[("backup.json", file(vec![kept, binned], vec![], vec![]))]);
        let choices: Vec<ImportChoice> = preview.rows.iter().map(PreviewRow::default_choice).collect();
        let import = decide(&library, &preview, choices, &BTreeMap::new()).expect("decided");
        let report = write_chosen(&mut library, import, true, now()).expect("written");
        assert_eq!(
            describe(&report),
            "Import done: 2 added (1 of them into the trash, where they were in the file), 0 replaced, 0 kept as copies, \
             0 skipped. The library now holds exactly what the file holds: keep that file as its backup."
        );
        assert_eq!(library.last_backup(), Some(now()));
        // Into a library that held something, an import is not a restore.
        let preview = preview_of(&library, &[("more.json", file(vec![full_postmortem(now())], vec![], vec![]))]);
        let import = decide(&library, &preview, [ImportChoice::Add], &BTreeMap::new()).expect("decided");
        let later = now() + chrono::Duration::days(3);
        let report = write_chosen(&mut library, import, true, later).expect("written");
        assert!(!report.restored_whole);
        assert_eq!(library.last_backup(), Some(now()));
    }

    #[test]
    fn templates_or_keys_alone_are_brought_in_without_an_import_line() {
        let (mut library, _) = Library::open(MemoryStore::new());
        let preview = preview_of(&library, &[("ours.json", file(vec![], vec![template("Ours")], vec![]))]);
        assert!(preview.rows.is_empty() && preview.has_anything());
        let report = decide_and_write(&mut library, &preview, [], &BTreeMap::new()).expect("written");
        let said = describe(&report);
        assert!(!said.starts_with("Import done"), "{said}");
        assert_eq!(library.templates().map(|t| t.len()), Ok(1));
    }

    #[test]
    fn unreadable_stored_templates_and_keys_are_left_out_up_front() {
        let mut store = MemoryStore::new();
        store.set(keys::TEMPLATES, "{damaged").expect("planted");
        store.set(keys::SEAL_KEYS, "{damaged").expect("planted");
        let (mut library, _) = Library::open(store);
        let (key, _) = SealKey::generate(InvitationId::random(), &mut OsRng);
        let incoming = file(vec![full_postmortem(now())], vec![template("New")], vec![key]);
        let preview = preview_of(&library, &[("backup.json", incoming)]);
        assert_eq!((preview.templates.len(), preview.keys.len(), preview.left_out.len()), (0, 0, 2));
        let report =
            decide_and_write(&mut library, &preview, [], &BTreeMap::new()).expect("the postmortems still come in");
        assert_eq!(report.added, 1);
        assert_eq!(library.raw(keys::TEMPLATES), Ok(Some("{damaged".to_owned())));
    }

    #[test]
    fn bad_files_are_named_and_good_ones_still_read() {
        let (library, _) = Library::open(MemoryStore::new());
        let mut reading = Reading::new();
        reading.add("broken.json", "{\"format\": \"debrief\"");
        reading.refuse_too_large("huge.json".into());
        reading.refuse_unreadable("gone.json".into(), "the browser could not read it".into());
        reading.add("good.json", &file(vec![full_postmortem(now())], vec![], vec![]));
        assert!(Reading::too_large((MAX_INPUT_BYTES + 1) as f64));
        let preview = reading.finish(&library);
        let names: Vec<&str> = preview.file_errors.iter().map(|e| e.file.as_str()).collect();
        assert_eq!(names, ["broken.json", "huge.json", "gone.json"]);
        assert_eq!(preview.rows.len(), 1);
    }

    #[test]
    fn the_same_postmortem_in_two_files_is_never_dropped() {
        let (mut library, _) = Library::open(MemoryStore::new());
        let original = full_postmortem(now());
        let mut summary_edited = original.clone();
        summary_edited.summary = "Edited in a.json".into();
        let mut impact_edited = original.clone();
        impact_edited.impact.description = "Edited in b.json".into();
        let files = [
            ("a.json", file(vec![summary_edited.clone()], vec![], vec![])),
            ("b.json", file(vec![impact_edited.clone()], vec![], vec![])),
            ("c.json", file(vec![impact_edited.clone()], vec![], vec![])),
        ];
        let preview = preview_of(&library, &files);
        // The identical third copy adds nothing; the second differs from the first.
        let rows: Vec<(&str, ImportStatus, bool)> =
            preview.rows.iter().map(|r| (r.file.as_str(), r.status, r.again)).collect();
        assert_eq!(rows, [("a.json", ImportStatus::New, false), ("b.json", ImportStatus::Unrelated, true)]);
        // Nothing is lost with the default choices: the first is added, the second merged
        // into it (its one differing text kept beside the first's).
        assert_eq!(preview.rows[1].default_choice(), ImportChoice::Merge);
        decide_and_write(&mut library, &preview, [], &BTreeMap::new()).expect("written");
        let stored = library.load(&original.id).expect("stored");
        assert_eq!(stored.summary, format!("Edited in a.json\n\n{}", original.summary));
        assert!(stored.impact.description.contains("Edited in b.json"));
        assert_eq!(library.summaries().len(), 1);
    }

    /// The exchange of the issue: A sends a postmortem to B; each then edits a different
    /// part; B sends it back.
    #[test]
    fn two_people_editing_different_parts_lose_nothing_with_the_default_choices() {
        let (mut a, _) = Library::open(MemoryStore::new());
        let (mut b, _) = Library::open(MemoryStore::new());
        let id = a.add_sample(now()).expect("added");
        let sent = crate::app::backup::export(&a, &[id], now()).expect("made");
        crate::app::backup::record_sent(&mut a, &sent.sent).expect("recorded");
        let at_b = preview_of(&b, &[("from-a.json", sent.file.text.clone())]);
        decide_and_write(&mut b, &at_b, [], &BTreeMap::new()).expect("written");

        let mut in_a = a.load(&id).expect("stored");
        in_a.summary = "A: the pool setting starved checkout".into();
        a.save(&in_a).expect("saved");
        let mut in_b = b.load(&id).expect("stored");
        in_b.impact.description = "B: 12% of checkouts failed for 40 minutes".into();
        b.save(&in_b).expect("saved");

        let back = crate::app::backup::export(&b, &[id], now()).expect("made");
        let at_a = preview_of(&a, &[("from-b.json", back.file.text.clone())]);
        assert_eq!(at_a.rows[0].status, ImportStatus::Merged);
        let plan = at_a.rows[0].merge.as_ref().expect("a merge");
        assert!(plan.conflicts.is_empty(), "{:?}", plan.conflicts);
        assert_eq!(at_a.rows[0].default_choice(), ImportChoice::Merge);
        let report = decide_and_write(&mut a, &at_a, [], &BTreeMap::new()).expect("written");
        assert_eq!(report.merged, 1);
        let merged = a.load(&id).expect("stored");
        assert_eq!(merged.summary, "A: the pool setting starved checkout");
        assert_eq!(merged.impact.description, "B: 12% of checkouts failed for 40 minutes");

        // The other way round (B imports A's file later) loses nothing either.
        let from_a = crate::app::backup::export(&a, &[id], now()).expect("made");
        let at_b = preview_of(&b, &[("from-a.json", from_a.file.text)]);
        // B sent its version since A's, and A's descends from it: only A's changed.
        assert_eq!(at_b.rows[0].status, ImportStatus::TheirsChanged);
        decide_and_write(&mut b, &at_b, [], &BTreeMap::new()).expect("written");
        assert_eq!(
            b.load(&id).map(|p| (p.summary, p.impact.description)),
            Ok((merged.summary, merged.impact.description))
        );
    }

    #[test]
    fn only_one_side_changed_takes_or_keeps_without_asking() {
        let (mut a, _) = Library::open(MemoryStore::new());
        let (mut b, _) = Library::open(MemoryStore::new());
        let id = a.add_sample(now()).expect("added");
        let sent = crate::app::backup::export(&a, &[id], now()).expect("made");
        crate::app::backup::record_sent(&mut a, &sent.sent).expect("recorded");
        let at_b = preview_of(&b, &[("f.json", sent.file.text.clone())]);
        decide_and_write(&mut b, &at_b, [], &BTreeMap::new()).expect("written");
        // A edits; B sends back the version both had: A keeps its own.
        let mut in_a = a.load(&id).expect("stored");
        in_a.title = "Renamed in A".into();
        a.save(&in_a).expect("saved");
        let back = crate::app::backup::export(&b, &[id], now()).expect("made");
        let at_a = preview_of(&a, &[("g.json", back.file.text)]);
        assert_eq!(at_a.rows[0].status, ImportStatus::MineChanged);
        assert_eq!(at_a.rows[0].default_choice(), ImportChoice::Skip);
        // A's file reaches B, which did not edit: B takes it.
        let again = crate::app::backup::export(&a, &[id], now()).expect("made");
        let at_b = preview_of(&b, &[("h.json", again.file.text)]);
        assert_eq!(at_b.rows[0].status, ImportStatus::TheirsChanged);
        assert_eq!(at_b.rows[0].default_choice(), ImportChoice::Take);
    }

    #[test]
    fn a_conflict_is_asked_field_by_field_and_answered_by_picks() {
        let (mut a, _) = Library::open(MemoryStore::new());
        let (mut b, _) = Library::open(MemoryStore::new());
        let id = a.add_sample(now()).expect("added");
        let sent = crate::app::backup::export(&a, &[id], now()).expect("made");
        crate::app::backup::record_sent(&mut a, &sent.sent).expect("recorded");
        let at_b = preview_of(&b, &[("f.json", sent.file.text)]);
        decide_and_write(&mut b, &at_b, [], &BTreeMap::new()).expect("written");
        let mut in_a = a.load(&id).expect("stored");
        in_a.summary = "A's summary".into();
        in_a.status = crate::domain::model::Status::Published;
        a.save(&in_a).expect("saved");
        let mut in_b = b.load(&id).expect("stored");
        in_b.summary = "B's summary".into();
        in_b.status = crate::domain::model::Status::Closed;
        b.save(&in_b).expect("saved");
        let back = crate::app::backup::export(&b, &[id], now()).expect("made");
        let at_a = preview_of(&a, &[("b.json", back.file.text)]);
        let plan = at_a.rows[0].merge.as_ref().expect("a merge");
        let keys: Vec<&str> = plan.conflicts.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["status", "summary"]);
        // A status cannot hold both: keeping both postmortems is the default.
        assert_eq!(at_a.rows[0].default_choice(), ImportChoice::KeepBoth);
        let picks = BTreeMap::from([(
            0usize,
            BTreeMap::from([("status".to_owned(), Pick::Theirs), ("summary".to_owned(), Pick::Text("Agreed".into()))]),
        )]);
        decide_and_write(&mut a, &at_a, [ImportChoice::Merge], &picks).expect("written");
        let merged = a.load(&id).expect("stored");
        assert_eq!((merged.summary.as_str(), merged.status), ("Agreed", crate::domain::model::Status::Closed));
        // What was received is kept as the common version of the next merge.
        let lineage = merged.lineage.clone().expect("exchanged");
        assert!(lineage.kept);
        assert_eq!(a.exchanged_version(&id).map(|v| v.map(|v| v.summary)), Ok(Some("B's summary".into())));
    }

    #[test]
    fn choices_decide_each_row_and_a_refused_replace_changes_nothing() {
        let (mut library, _) = Library::open(MemoryStore::new());
        let id = library.add_sample(now()).expect("added");
        let mut theirs = library.load(&id).expect("stored");
        theirs.title = "From the file".into();
        theirs.updated_at += chrono::Duration::minutes(1);
        let text = file(vec![theirs], vec![], vec![]);
        let preview = preview_of(&library, &[("x.json", text.clone())]);
        assert_eq!(preview.rows[0].status, ImportStatus::Unrelated);
        // Someone saves the stored copy after the preview: the replace is refused.
        let mut mine = library.load(&id).expect("stored");
        mine.title = "Saved meanwhile".into();
        library.save(&mine).expect("saved");
        let failure =
            decide_and_write(&mut library, &preview, [ImportChoice::Take], &BTreeMap::new()).expect_err("refused");
        assert_eq!(failure, ImportFailure { error: StorageError::Conflict, undone: true });
        assert_eq!(library.load(&id).map(|p| p.title), Ok("Saved meanwhile".to_owned()));
        // Any choice from that preview is refused: it no longer says what would happen.
        let stale = decide_and_write(&mut library, &preview, [ImportChoice::KeepBoth], &BTreeMap::new());
        assert_eq!(stale, Err(ImportFailure { error: StorageError::Conflict, undone: true }));
        // Looked at again, it can be kept as a copy.
        let preview = preview_of(&library, &[("x.json", text)]);
        let report =
            decide_and_write(&mut library, &preview, [ImportChoice::KeepBoth], &BTreeMap::new()).expect("copied");
        assert_eq!(report.copied, 1);
        assert_eq!(library.summaries().len(), 2);
    }
}
