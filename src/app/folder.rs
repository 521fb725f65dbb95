//! The team library in a folder: a git clone or a folder a sync tool keeps, read and written
//! by this browser while localStorage stays its working copy.
//!
//! - [`TeamFolder::scan`] reads the files changed since the last read (by modification time
//!   and size) and compares every postmortem in them with the library, the way an import
//!   does: a folder file descends from the version this browser last read from or wrote to
//!   the folder, so a change made outside (a `git pull`) merges three ways with the edits
//!   made here. A file git left with conflict markers is split into its two sides; the
//!   other side merges against the base git wrote (`merge.conflictStyle diff3`), or asks
//!   about every difference without one.
//! - [`TeamFolder::apply`] writes what was chosen (all or nothing, as an import);
//!   [`Scan::needs_questions`] says whether a person must choose first.
//! - [`TeamFolder::write_back`] writes every postmortem whose content differs from its file
//!   (and a Markdown copy beside it), and the custom templates.
//!
//! Invariants: a file that could not be read is never written over; a file that changed
//! since it was read is read again before it is written; no file is written with conflict
//! markers (a conflicted file is written only once its sides are merged); nothing is
//! written to a folder made by a newer Debrief; the folder never holds a save counter or a
//! last-saved time (see `file_format::folder`).

use super::import::{self, DecidedImport, ImportChoice, ImportReport, Preview, Reading};
use super::library::Library;
use crate::domain::lineage::{content_hash, is_version, same_content};
use crate::domain::markdown::to_markdown;
use crate::domain::merge::Pick;
use crate::domain::model::ContentHash;
use crate::domain::{Postmortem, PostmortemId};
use crate::file_format::folder as layout;
use crate::file_format::import::{FileError, read_file, read_one_current};
use crate::file_format::{FORMAT_VERSION, FormatError};
use crate::storage::folder::{FileStamp, Folder, FolderError, Listed};
use crate::storage::{KeyValueStore, StorageError, keys};
use std::collections::{BTreeMap, BTreeSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use thiserror::Error;

/// What can stop a folder sync, in words the UI can pass on.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SyncError {
    #[error(transparent)]
    Folder(#[from] FolderError),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(
        "the folder was written by a newer version of Debrief (format {0}; this one writes {FORMAT_VERSION}): it is read, but nothing is written to it until Debrief is updated"
    )]
    Newer(u64),
    #[error("a postmortem could not be written as a file ({0})")]
    Format(String),
}

impl From<FormatError> for SyncError {
    fn from(e: FormatError) -> Self {
        Self::Format(e.to_string())
    }
}

/// A file as this browser last read or wrote it.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    stamp: FileStamp,
    /// The content hash of the postmortem it held; `None` for a file that holds conflict
    /// markers (it must be written again once merged).
    hash: Option<ContentHash>,
    /// The postmortem it held.
    id: PostmortemId,
}

/// The connected team folder as this tab knows it.
#[derive(Debug, Clone, Default)]
pub struct TeamFolder {
    /// Postmortem files by path.
    seen: BTreeMap<String, Seen>,
    /// Template files by path, with the text last read or written.
    templates: BTreeMap<String, (FileStamp, String)>,
    /// Files that could not be read: never written over.
    unreadable: BTreeSet<String>,
    /// Each postmortem's stored entry as last written to the folder (a hash of its text):
    /// an entry that has not changed since needs no comparison.
    written: BTreeMap<PostmortemId, u64>,
    /// Set when the folder was made by a newer Debrief.
    newer: Option<u64>,
    /// Set for a folder whose writes stay in this page (opened read-only): they are not the
    /// version the real folder holds, so they are not recorded as exchanged.
    read_only: bool,
    /// The folder's mark (see [`Folder::changes`]) at the start of the last read whose
    /// files were taken: the next read asks the folder what changed since, instead of
    /// listing every file.
    mark: Option<u64>,
}

/// What reading the folder found, before anything changes here.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    /// The postmortems of the changed files compared with the library, as an import preview.
    pub preview: Preview,
    /// Postmortem files in the folder.
    pub files: usize,
    /// Files read this time (new or changed since the last read).
    pub read: usize,
    /// Files holding git conflict markers.
    pub conflicted: usize,
    /// Whether every file was listed (the folder could not say what changed since the last
    /// read), rather than only the changed ones read.
    pub listed: bool,
    /// The files as read, remembered once what they hold is taken.
    pub found: Found,
}

/// The files a scan read: remembered (by [`TeamFolder::remember`]) once what they hold is
/// taken, so that until then they count as unread and are never written over.
#[derive(Debug, Clone, Default)]
pub struct Found {
    seen: Vec<(String, Seen)>,
    templates: Vec<(String, FileStamp, String)>,
    unreadable: Vec<String>,
    /// Files no longer in the folder.
    gone: Vec<String>,
    /// The folder's mark when the read started.
    mark: Option<u64>,
}

impl Scan {
    /// Whether someone must answer questions before the changes can be taken: a postmortem
    /// changed on both sides in the same place, or whose default would keep two copies.
    pub fn needs_questions(&self) -> bool {
        self.preview.rows.iter().any(|row| {
            row.merge.as_ref().is_some_and(|m| !m.conflicts.is_empty())
                || row.default_choice() == ImportChoice::KeepBoth
        })
    }

    /// The files that could not be read, each with where and why.
    pub fn problems(&self) -> Vec<String> {
        let mut out: Vec<String> = self.preview.file_errors.iter().map(ToString::to_string).collect();
        out.extend(self.preview.broken.iter().map(|(file, b)| format!("{file} (at {}): {}", b.place, b.problem)));
        out
    }
}

/// What writing back did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteBack {
    /// Postmortem files written (each with its Markdown copy).
    pub written: usize,
    /// Template files written.
    pub templates: usize,
    /// Postmortems not written because their file changed since it was read: read the
    /// folder again first.
    pub changed_outside: usize,
    /// Postmortems not written because their file could not be read.
    pub unreadable: usize,
    /// Markdown copies that could not be written (the postmortems were).
    pub markdown_failed: usize,
}

/// A quick fingerprint of a stored entry's text.
fn fingerprint(text: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

impl TeamFolder {
    /// A folder not read yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A folder opened read-only: what is "written" stays in the page until the person
    /// hands it back (a zip), so the version last exchanged stays the folder's.
    pub fn read_only() -> Self {
        Self { read_only: true, ..Self::default() }
    }

    /// Forgets what the folder said changed: the next read lists every file (the person
    /// asked for it, or questions left open were set aside).
    pub fn list_everything_next(&mut self) {
        self.mark = None;
    }

    /// Whether the folder was made by a newer Debrief (then nothing is written to it).
    pub fn newer(&self) -> Option<u64> {
        self.newer
    }

    /// How many postmortem files the folder held when last read.
    pub fn files(&self) -> usize {
        self.seen.len() + self.unreadable.len()
    }

    /// Reads the files that changed since the last read and compares them with `library`.
    /// Changes nothing, here or in the folder.
    pub async fn scan<F: Folder, S: KeyValueStore>(
        &mut self,
        folder: &F,
        library: &Library<S>,
    ) -> Result<Scan, SyncError> {
        self.scan_with_progress(folder, library, &|_, _| {}).await
    }

    /// As [`Self::scan`], telling `progress` how many of the changed files are read so far
    /// (and how many there are) after each batch.
    pub async fn scan_with_progress<F: Folder, S: KeyValueStore>(
        &mut self,
        folder: &F,
        library: &Library<S>,
        progress: &dyn Fn(usize, usize),
    ) -> Result<Scan, SyncError> {
        let mut scan = Scan::default();
        let mut reading = Reading::new();
        let is_postmortem = |path: &str| in_folder(path, layout::POSTMORTEMS);
        // What changed since the last read, when the folder can tell (a watched folder);
        // else every file is listed and those whose stamp differs are read.
        let changes = folder.changes(self.mark).await;
        scan.found.mark = changes.mark;
        let delta = changes.paths.filter(|_| self.mark.is_some());
        // The library file says whether a newer Debrief made the folder: read when it changed.
        if delta.as_ref().is_none_or(|paths| paths.iter().any(|p| p == layout::LIBRARY_FILE)) {
            self.newer = match folder.read(layout::LIBRARY_FILE).await {
                Ok((text, _)) => layout::library_version(&text).ok().filter(|v| *v > u64::from(FORMAT_VERSION)),
                Err(FolderError::Gone(_)) => None,
                Err(e) => return Err(e.into()),
            };
        }
        let templates: Vec<Listed> = match &delta {
            Some(paths) => {
                let mut listed = Vec::new();
                for path in paths.iter().filter(|p| in_folder(p, layout::TEMPLATES)) {
                    // Removed: the template stays here, as it does after a full listing.
                    match folder.read(path).await {
                        Ok((_, stamp)) => listed.push(Listed { path: path.clone(), stamp }),
                        Err(FolderError::Gone(_)) => {}
                        Err(e) => return Err(e.into()),
                    }
                }
                listed
            }
            None => folder
                .list(layout::TEMPLATES)
                .await?
                .into_iter()
                .filter(|f| in_folder(&f.path, layout::TEMPLATES))
                .collect(),
        };
        let changed: Vec<String> = match delta {
            Some(paths) => {
                let paths: BTreeSet<String> = paths.into_iter().filter(|p| is_postmortem(p)).collect();
                let known: BTreeSet<&String> = self.seen.keys().chain(self.unreadable.iter()).collect();
                scan.files = known.len() + paths.iter().filter(|p| !known.contains(p)).count();
                paths.into_iter().collect()
            }
            None => {
                scan.listed = true;
                let listed = folder.list(layout::POSTMORTEMS).await?;
                let json: Vec<&Listed> = listed.iter().filter(|f| is_postmortem(&f.path)).collect();
                scan.files = json.len();
                let here: BTreeSet<&String> = json.iter().map(|f| &f.path).collect();
                scan.found.gone =
                    self.seen.keys().chain(self.unreadable.iter()).filter(|p| !here.contains(p)).cloned().collect();
                json.into_iter()
                    .filter(|file| self.seen.get(&file.path).is_none_or(|s| s.stamp != file.stamp))
                    .map(|file| file.path.clone())
                    .collect()
            }
        };
        // A few hundred at a time: read together, then compared.
        for (n, batch) in changed.chunks(250).enumerate() {
            if changed.len() > 250 {
                progress(n * 250, changed.len());
            }
            for (path, read) in batch.iter().zip(folder.read_many(batch).await) {
                let (text, stamp) = match read {
                    // A file the folder says changed, but as this tab last saw it (its own write).
                    Ok((_, stamp)) if self.seen.get(path).is_some_and(|s| s.stamp == stamp) => continue,
                    Ok(read) => read,
                    // Removed (since the listing, or the folder says so): nothing to take.
                    Err(FolderError::Gone(_)) => {
                        scan.files = scan.files.saturating_sub(1);
                        if self.seen.contains_key(path) || self.unreadable.contains(path) {
                            scan.found.gone.push(path.clone());
                        }
                        continue;
                    }
                    Err(FolderError::NotAllowed) => return Err(FolderError::NotAllowed.into()),
                    // One file that cannot be read stops nothing else; it is never written over.
                    Err(e) => {
                        reading.refuse(FileError {
                            file: path.clone(),
                            place: "the whole file".into(),
                            problem: e.to_string(),
                        });
                        scan.found.unreadable.push(path.clone());
                        continue;
                    }
                };
                scan.read += 1;
                match self.read_postmortem_file(path, &text, library, &mut reading) {
                    Ok((hash, id)) => scan.found.seen.push((path.clone(), Seen { stamp, hash, id })),
                    Err(problem) => {
                        reading.refuse(problem);
                        scan.found.unreadable.push(path.clone());
                    }
                }
                if layout::has_conflict_markers(&text) {
                    scan.conflicted += 1;
                }
            }
        }
        for file in &templates {
            if self.templates.get(&file.path).is_some_and(|(s, _)| *s == file.stamp) {
                continue;
            }
            let (text, stamp) = match folder.read(&file.path).await {
                Ok(read) => read,
                Err(FolderError::Gone(_)) => continue,
                Err(e) => return Err(e.into()),
            };
            scan.read += 1;
            match read_file(&file.path, &text) {
                Ok(read) => {
                    reading.add_templates(read.templates);
                    scan.found.templates.push((file.path.clone(), stamp, text));
                }
                Err(e) => reading.refuse(e),
            }
        }
        scan.preview = reading.finish(library);
        Ok(scan)
    }

    /// Reads one postmortem file into `reading`; returns the content hash of what it holds
    /// (`None` for a file with conflict markers) and its id, or why it cannot be read.
    fn read_postmortem_file<S: KeyValueStore>(
        &self,
        path: &str,
        text: &str,
        library: &Library<S>,
        reading: &mut Reading,
    ) -> Result<(Option<ContentHash>, PostmortemId), FileError> {
        let refused = |place: &str, problem: String| FileError { file: path.to_owned(), place: place.into(), problem };
        let one = |text: &str, side: &str| -> Result<Postmortem, FileError> {
            // Most files are as Debrief wrote them: read straight into the model.
            if let Some(pm) = read_one_current(text) {
                return Ok(pm);
            }
            let read = read_file(path, text)?;
            let mut postmortems = read.postmortems.into_iter();
            match (postmortems.next(), postmortems.next(), read.broken.first()) {
                (Some(pm), None, None) => Ok(pm),
                (_, _, Some(broken)) => Err(refused(&broken.place, format!("{side}{}", broken.problem))),
                _ => Err(refused("$.postmortems", format!("{side}a team folder file holds exactly one postmortem"))),
            }
        };
        // The version last exchanged is this file's common version only when it is the one
        // this tab last read from or wrote to the file (a file exchange since may have moved
        // it): otherwise no common version is known, and every difference is a question.
        let last_here = self.seen.get(path).map(|s| s.hash.clone());
        let exchanged = |id: &PostmortemId| {
            let base = library.exchanged_version(id).unwrap_or(None)?;
            match &last_here {
                Some(Some(hash)) if !is_version(&base, hash) => None,
                _ => Some(base),
            }
        };
        match layout::split_conflicts(text).map_err(|p| refused("the conflict markers", p))? {
            None => {
                let pm = one(text, "")?;
                let hash = content_hash(&pm);
                let (base, id) = (exchanged(&pm.id), pm.id);
                reading.add_version(path, pm, base, Some(hash.clone()));
                Ok((Some(hash), id))
            }
            Some(sides) => {
                let ours = one(&sides.ours, "in this clone's side of the git conflict: ")?;
                let theirs = one(&sides.theirs, "in the other side of the git conflict: ")?;
                let base = match &sides.base {
                    Some(base) => Some(one(base, "in the common version of the git conflict: ")?),
                    None => None,
                };
                if ours.id != theirs.id {
                    return Err(refused(
                        "$.postmortems[0].id",
                        "the two sides of the git conflict are different postmortems".into(),
                    ));
                }
                let (here, id) = (exchanged(&ours.id), ours.id);
                reading.add_version(&format!("{path} (your side of a git conflict)"), ours, here, None);
                reading.add_version(&format!("{path} (the other side of a git conflict)"), theirs, base, None);
                Ok((None, id))
            }
        }
    }

    /// Takes what `scan` found with `choices` and `picks` (as an import's: a missing one is
    /// the default), writing to the library all or nothing, and remembers the files as read.
    pub fn apply<S: KeyValueStore>(
        &mut self,
        library: &mut Library<S>,
        scan: Scan,
        choices: Vec<ImportChoice>,
        picks: &BTreeMap<usize, BTreeMap<String, Pick>>,
    ) -> Result<ImportReport, SyncError> {
        let decided = Self::decide(library, &scan, choices, picks)?;
        self.write(library, scan, decided)
    }

    /// What taking `scan` with `choices` and `picks` writes to the library, ready to be
    /// packed (a page packs a large one a little at a time, showing progress).
    pub fn decide<S: KeyValueStore>(
        library: &Library<S>,
        scan: &Scan,
        choices: Vec<ImportChoice>,
        picks: &BTreeMap<usize, BTreeMap<String, Pick>>,
    ) -> Result<DecidedImport, SyncError> {
        Ok(import::decide(library, &scan.preview, choices, picks)?)
    }

    /// Writes what [`Self::decide`] made of `scan`, all or nothing, and remembers the files
    /// as read.
    pub fn write<S: KeyValueStore>(
        &mut self,
        library: &mut Library<S>,
        scan: Scan,
        decided: DecidedImport,
    ) -> Result<ImportReport, SyncError> {
        // A postmortem brought in exactly as its file holds it needs no comparison when
        // written back: its stored form is noted as written (if it is what got stored).
        let mut versions: BTreeMap<PostmortemId, (usize, &Postmortem)> = BTreeMap::new();
        for row in &scan.preview.rows {
            versions.entry(row.incoming.id).or_insert((0, &row.incoming)).0 += 1;
        }
        let as_read: Vec<(PostmortemId, u64)> = decided
            .writes()
            .filter_map(|(pm, stored)| match versions.get(&pm.id) {
                Some((1, file)) if same_content(pm, file) => stored.map(|s| (pm.id, fingerprint(s))),
                _ => None,
            })
            .collect();
        let report = if scan.preview.has_anything() {
            import::write(library, decided).map_err(|failure| SyncError::Storage(failure.error))?
        } else {
            ImportReport::default()
        };
        self.remember(library, &scan.preview.rows, scan.found)?;
        for (id, written) in as_read {
            if library.raw(&keys::document(&id))?.is_some_and(|raw| fingerprint(&raw) == written) {
                self.written.insert(id, written);
            }
        }
        Ok(report)
    }

    /// Remembers the files a scan read, once what they hold (`rows`) was taken into
    /// `library` (by [`Self::apply`], or by an import of the scan's preview).
    pub fn remember<S: KeyValueStore>(
        &mut self,
        library: &mut Library<S>,
        rows: &[import::PreviewRow],
        found: Found,
    ) -> Result<(), SyncError> {
        // A postmortem the same here as in its file was just exchanged at that version (one
        // the import wrote carries that lineage already).
        for row in rows.iter().filter(|r| r.status == import::ImportStatus::Identical) {
            if let Ok(here) = library.load(&row.incoming.id)
                && same_content(&here, &row.incoming)
                && here.lineage.as_ref().is_none_or(|l| l.base != content_hash(&row.incoming))
            {
                library.record_exchange(&row.incoming.id, &row.incoming)?;
            }
        }
        for (path, seen) in found.seen {
            self.unreadable.remove(&path);
            self.seen.insert(path, seen);
        }
        for path in found.unreadable {
            self.seen.remove(&path);
            self.unreadable.insert(path);
        }
        for path in found.gone {
            self.seen.remove(&path);
            self.unreadable.remove(&path);
        }
        self.mark = found.mark;
        for (path, stamp, text) in found.templates {
            self.templates.insert(path, (stamp, text));
        }
        Ok(())
    }

    /// Writes every postmortem of `library` (not in the trash) whose content differs from
    /// its file, a Markdown copy beside each, the custom templates, and the library file and
    /// `.gitignore` when the folder has none. With `only`, only those postmortems are
    /// compared (the ones changed here since the last write); the rest are compared at the
    /// next write without it (after every read).
    pub async fn write_back<F: Folder, S: KeyValueStore>(
        &mut self,
        folder: &F,
        library: &mut Library<S>,
        only: Option<&BTreeSet<PostmortemId>>,
    ) -> Result<WriteBack, SyncError> {
        if let Some(newer) = self.newer {
            return Err(SyncError::Newer(newer));
        }
        let mut done = WriteBack::default();
        self.write_once(folder, layout::LIBRARY_FILE, &layout::library_text()).await?;
        self.write_once(folder, layout::GITIGNORE, layout::GITIGNORE_TEXT).await?;
        let ids: Vec<PostmortemId> = library
            .summaries()
            .iter()
            .filter(|s| s.deleted_at.is_none() && only.is_none_or(|only| only.contains(&s.id)))
            .map(|s| s.id)
            .collect();
        for id in ids {
            let raw = match library.raw(&keys::document(&id)) {
                Ok(Some(raw)) => fingerprint(&raw),
                Ok(None) => continue,
                Err(e) => return Err(e.into()),
            };
            if self.written.get(&id) == Some(&raw) {
                continue;
            }
            let pm = match library.load(&id) {
                Ok(pm) => pm,
                // Kept aside untouched here; the folder's copy stays as it is.
                Err(StorageError::Corrupt { .. } | StorageError::NotFound) => continue,
                Err(e) => return Err(e.into()),
            };
            let path = layout::postmortem_path(&pm);
            if self.unreadable.contains(&path) {
                done.unreadable += 1;
                continue;
            }
            let hash = content_hash(&pm);
            let seen = self.seen.get(&path);
            // The file holds a version this postmortem does not descend from (it was replaced
            // here by an older copy while the folder was away, say): never written over; the
            // next read lists everything and reads it first.
            let descends =
                |s: &Seen| s.hash.as_ref().is_none_or(|file| pm.lineage.as_ref().is_some_and(|l| l.base == *file));
            if !self.read_only && seen.is_some_and(|s| s.hash.as_ref() != Some(&hash) && !descends(s)) {
                done.changed_outside += 1;
                self.seen.remove(&path);
                self.mark = None;
                continue;
            }
            if seen.is_none_or(|s| s.hash.as_ref() != Some(&hash)) {
                // Never write over a version this browser has not read.
                let on_disk = match folder.read(&path).await {
                    Ok((_, stamp)) => Some(stamp),
                    Err(FolderError::Gone(_)) => None,
                    Err(FolderError::NotAllowed) => return Err(FolderError::NotAllowed.into()),
                    Err(_) => {
                        done.unreadable += 1;
                        continue;
                    }
                };
                if on_disk.is_some() && on_disk != seen.map(|s| s.stamp) {
                    done.changed_outside += 1;
                    continue;
                }
                let stamp = folder.write(&path, &layout::postmortem_text(&pm)?).await?;
                self.seen.insert(path.clone(), Seen { stamp, hash: Some(hash.clone()), id });
                done.written += 1;
                // The Markdown is a courtesy copy: failing to write it loses nothing.
                if folder.write(&layout::markdown_path(&path), &to_markdown(&pm)).await.is_err() {
                    done.markdown_failed += 1;
                }
            }
            // Exchanged at the version now in the folder: the base of the next merge (not for
            // a read-only folder, whose real files still hold the version read).
            if !self.read_only && pm.lineage.as_ref().is_none_or(|l| l.base != hash || l.kept) {
                library.record_exchange(&id, &pm)?;
            }
            // Remembered as written only if no edit was saved while the file was written.
            match library.load(&id) {
                Ok(now) if same_content(&now, &pm) => {
                    let raw = library.raw(&keys::document(&id))?.map(|r| fingerprint(&r)).unwrap_or(raw);
                    self.written.insert(id, raw);
                }
                _ => {
                    self.written.remove(&id);
                }
            }
        }
        for template in library.templates()? {
            let path = layout::template_path(&template.id);
            let text = layout::template_text(&template)?;
            let known = self.templates.get(&path);
            if known.is_some_and(|(_, t)| *t == text) {
                continue;
            }
            let on_disk = match folder.read(&path).await {
                Ok((_, stamp)) => Some(stamp),
                Err(FolderError::Gone(_)) => None,
                Err(FolderError::NotAllowed) => return Err(FolderError::NotAllowed.into()),
                Err(_) => continue,
            };
            if on_disk.is_some() && on_disk != known.map(|(s, _)| *s) {
                continue;
            }
            let stamp = folder.write(&path, &text).await?;
            self.templates.insert(path, (stamp, text));
            done.templates += 1;
        }
        Ok(done)
    }

    /// Writes `text` to `path` when the folder has no such file.
    async fn write_once<F: Folder>(&self, folder: &F, path: &str, text: &str) -> Result<(), SyncError> {
        match folder.read(path).await {
            Ok(_) => Ok(()),
            Err(FolderError::Gone(_)) => folder.write(path, text).await.map(|_| ()).map_err(Into::into),
            Err(e) => Err(e.into()),
        }
    }
}

/// Whether `path` is a JSON file directly inside the folder `dir`.
fn in_folder(path: &str, dir: &str) -> bool {
    path.strip_prefix(dir)
        .and_then(|rest| rest.strip_prefix('/'))
        .is_some_and(|name| name.ends_with(".json") && !name.contains('/'))
}

/// What a tab knew of the folder, kept in the browser between visits so that the next
/// visit reads only the files that changed meanwhile. Stamps are `[modified, size]`.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Memory {
    version: u32,
    seen: Vec<(String, [u64; 2], Option<ContentHash>, PostmortemId)>,
    templates: Vec<(String, [u64; 2], String)>,
    written: Vec<(PostmortemId, u64)>,
}

/// The version of [`Memory`]'s form; memory of another form is not used.
const MEMORY_VERSION: u32 = 1;

impl TeamFolder {
    /// What this tab knows of the folder, as text to keep until the next visit (see
    /// [`Self::recall`]). A read-only folder's knowledge is not worth keeping (it is picked
    /// again each time): empty then.
    pub fn memory(&self) -> String {
        if self.read_only {
            return String::new();
        }
        let stamp = |s: &FileStamp| [s.modified, s.size];
        let memory = Memory {
            version: MEMORY_VERSION,
            seen: self.seen.iter().map(|(p, s)| (p.clone(), stamp(&s.stamp), s.hash.clone(), s.id)).collect(),
            templates: self.templates.iter().map(|(p, (s, t))| (p.clone(), stamp(s), t.clone())).collect(),
            written: self.written.iter().map(|(id, f)| (*id, *f)).collect(),
        };
        serde_json::to_string(&memory).unwrap_or_default()
    }

    /// The folder as an earlier visit knew it (`memory` from [`Self::memory`]), trusting
    /// only what the library here still holds: a file whose postmortem is not in this
    /// library (removed here since, or the library was cleared) is read again, and so is
    /// every file when the memory cannot be read.
    pub fn recall<S: KeyValueStore>(memory: &str, library: &Library<S>) -> Self {
        let Ok(memory) = serde_json::from_str::<Memory>(memory) else { return Self::new() };
        if memory.version != MEMORY_VERSION {
            return Self::new();
        }
        let here: BTreeSet<PostmortemId> = library.summaries().iter().map(|s| s.id).collect();
        let stamp = |[modified, size]: [u64; 2]| FileStamp { modified, size };
        Self {
            seen: memory
                .seen
                .into_iter()
                .filter(|(_, _, _, id)| here.contains(id))
                .map(|(path, s, hash, id)| (path, Seen { stamp: stamp(s), hash, id }))
                .collect(),
            templates: memory.templates.into_iter().map(|(path, s, text)| (path, (stamp(s), text))).collect(),
            written: memory.written.into_iter().filter(|(id, _)| here.contains(id)).collect(),
            ..Self::new()
        }
    }
}

/// What one sync did, in a sentence for the library page.
pub fn describe(scan_read: usize, files: usize, report: &ImportReport, back: &WriteBack) -> String {
    let mut parts = vec![match files {
        1 => "1 postmortem in the folder".to_owned(),
        n => format!("{n} postmortems in the folder"),
    }];
    if scan_read > 0 {
        parts.push(format!("{scan_read} read"));
    }
    let taken = report.added + report.replaced;
    if taken > 0 {
        parts.push(format!("{taken} brought in"));
    }
    if report.merged > 0 {
        parts.push(format!("{} merged", report.merged));
    }
    if report.copied > 0 {
        parts.push(format!("{} kept as copies", report.copied));
    }
    if back.written > 0 {
        parts.push(format!("{} written", back.written));
    }
    let mut out = format!("{}.", parts.join(", "));
    if back.changed_outside > 0 {
        out.push_str(&format!(
            " {} changed in the folder while Debrief was writing: it reads them again next.",
            back.changed_outside
        ));
    }
    if back.markdown_failed > 0 {
        out.push_str(&format!(
            " The Markdown copy of {} could not be written (the postmortems were).",
            back.markdown_failed
        ));
    }
    if back.unreadable > 0 {
        out.push_str(&format!(
            " {} could not be read from the folder and were not written over: fix or remove those files.",
            back.unreadable
        ));
    }
    out
}

#[cfg(test)]
mod tests;
