//! Importing files into the library: read each file, compare what they hold with the
//! library, let the person choose per postmortem, then write all or nothing.
//!
//! Invariants:
//! - nothing is written until [`write`]; reading and previewing change nothing;
//! - [`write`] brings the postmortems, the custom templates and the sealing keys in one
//!   all-or-nothing write: on any failure every entry is put back as it was;
//! - templates and keys are offered only when they would change something, and when the
//!   stored ones cannot be read they are left out up front (with a note), so the import
//!   never fails half way because of them.

use super::library::Library;
use crate::domain::Postmortem;
use crate::domain::template::{Template, merge_templates};
use crate::file_format::MAX_INPUT_BYTES;
use crate::file_format::contribution::SealKey;
use crate::file_format::import::{BrokenItem, FileError, read_file};
use crate::storage::KeyValueStore;
pub use crate::storage::{DecidedImport, ImportChoice, ImportFailure, ImportReport, ImportStatus, PlannedItem};

/// One incoming postmortem, compared with the library.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviewRow {
    /// The file it came from.
    pub file: String,
    pub item: PlannedItem,
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

/// Files being read for an import, one at a time (the page shows progress in between).
#[derive(Debug, Default)]
pub struct Reading {
    incoming: Vec<(String, Postmortem)>,
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
                self.incoming.extend(read.postmortems.into_iter().map(|pm| (file.to_owned(), pm)));
                self.templates.extend(read.templates);
                self.keys.extend(read.keys);
            }
            Err(e) => self.file_errors.push(e),
        }
    }

    /// Compares everything read with `library`, changing nothing.
    pub fn finish<S: KeyValueStore>(self, library: &Library<S>) -> Preview {
        let Self { mut incoming, templates, keys, mut file_errors, broken } = self;
        // The same postmortem in two files: keep the most recently edited copy.
        crate::domain::order::sort_by(&mut incoming, |a, b| {
            a.1.id.cmp(&b.1.id).then(b.1.updated_at.cmp(&a.1.updated_at))
        });
        incoming.dedup_by(|later, first| later.1.id == first.1.id);
        let (names, pms): (Vec<String>, Vec<Postmortem>) = incoming.into_iter().unzip();
        let rows = match library.plan_import(pms) {
            Ok(plan) => names.into_iter().zip(plan).map(|(file, item)| PreviewRow { file, item }).collect(),
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

/// The import of `preview` with `choices` made for its rows (in order; a missing choice is
/// the row's default), ready to be packed and written.
pub fn decide(preview: &Preview, choices: impl IntoIterator<Item = ImportChoice>) -> DecidedImport {
    let mut choices = choices.into_iter();
    let items = preview
        .rows
        .iter()
        .map(|row| (row.item.clone(), choices.next().unwrap_or(row.item.status.default_choice())))
        .collect();
    DecidedImport::new(items).with_templates_and_keys(preview.templates.clone(), preview.keys.clone())
}

/// Writes a decided import, all or nothing.
pub fn write<S: KeyValueStore>(library: &mut Library<S>, import: DecidedImport) -> Result<ImportReport, ImportFailure> {
    library.write_import(import)
}

/// What an import did, in one or two sentences for the person importing.
pub fn describe(report: &ImportReport) -> String {
    let mut parts = Vec::new();
    let wrote = report.added + report.replaced + report.copied > 0;
    if wrote || (report.templates.is_none() && report.keys_added == 0) {
        parts.push(format!(
            "Import done: {} added, {} replaced, {} kept as copies, {} skipped.",
            report.added, report.replaced, report.copied, report.skipped
        ));
    }
    if let Some(merge) = &report.templates {
        parts.push(merge.describe());
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
    use chrono::{DateTime, Utc};
    use crypto_box::aead::OsRng;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-05-01T10:00:00Z").map(|t| t.with_timezone(&Utc)).unwrap_or_default()
    }

    fn file(postmortems: Vec<Postmortem>, templates: Vec<Template>, keys: Vec<SealKey>) -> String {
        let envelope = Envelope { templates, keys, ..Envelope::with_postmortems(postmortems) };
        envelope.to_pretty_json().unwrap_or_default()
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
        assert_eq!(preview.rows[0].item.status, ImportStatus::New);
        let report = write(&mut library, decide(&preview, [])).expect("written");
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
        assert_eq!(again.rows[0].item.status, ImportStatus::Identical);
        assert_eq!(again.rows[0].item.status.default_choice(), ImportChoice::Skip);
        assert!(again.templates.is_empty() && again.keys.is_empty());
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
            match write(&mut library, decide(&preview, [])) {
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
    fn templates_or_keys_alone_are_brought_in_without_an_import_line() {
        let (mut library, _) = Library::open(MemoryStore::new());
        let preview = preview_of(&library, &[("ours.json", file(vec![], vec![template("Ours")], vec![]))]);
        assert!(preview.rows.is_empty() && preview.has_anything());
        let report = write(&mut library, decide(&preview, [])).expect("written");
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
        let report = write(&mut library, decide(&preview, [])).expect("the postmortems still come in");
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
    fn the_same_postmortem_in_two_files_is_one_row_the_newest() {
        let (library, _) = Library::open(MemoryStore::new());
        let older = full_postmortem(now());
        let mut newer = older.clone();
        newer.title = "Newer".into();
        newer.updated_at += chrono::Duration::minutes(5);
        let preview = preview_of(
            &library,
            &[("a.json", file(vec![older], vec![], vec![])), ("b.json", file(vec![newer], vec![], vec![]))],
        );
        assert_eq!(preview.rows.len(), 1);
        assert_eq!((preview.rows[0].file.as_str(), preview.rows[0].item.incoming.title.as_str()), ("b.json", "Newer"));
    }

    #[test]
    fn choices_decide_each_row_and_a_refused_replace_changes_nothing() {
        let (mut library, _) = Library::open(MemoryStore::new());
        let id = library.add_sample(now()).expect("added");
        let mut theirs = library.load(&id).expect("stored");
        theirs.title = "From the file".into();
        theirs.updated_at += chrono::Duration::minutes(1);
        let preview = preview_of(&library, &[("x.json", file(vec![theirs], vec![], vec![]))]);
        assert_eq!(preview.rows[0].item.status, ImportStatus::Newer);
        // Someone saves the stored copy after the preview: the replace is refused.
        let mut mine = library.load(&id).expect("stored");
        mine.title = "Saved meanwhile".into();
        library.save(&mine).expect("saved");
        let failure = write(&mut library, decide(&preview, [ImportChoice::Replace])).expect_err("refused");
        assert_eq!(failure, ImportFailure { error: StorageError::Conflict, undone: true });
        assert_eq!(library.load(&id).map(|p| p.title), Ok("Saved meanwhile".to_owned()));
        // Kept as a copy instead.
        let report = write(&mut library, decide(&preview, [ImportChoice::KeepBoth])).expect("copied");
        assert_eq!(report.copied, 1);
        assert_eq!(library.summaries().len(), 2);
    }
}
