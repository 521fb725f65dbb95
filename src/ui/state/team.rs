//! The team folder of this tab, shared through context: which folder is connected (a folder
//! Debrief may write, or one opened read-only), what the last read or write did, and the
//! questions a read left for the user. The workflow is `app::folder`; this wires it to the
//! browser: reconnecting a kept folder on start, reading again when the tab regains focus,
//! writing through shortly after every change, and handing read-only changes back as a zip.

use super::{Library, Templates, explain};
use crate::app::folder::{Found, Scan, SyncError, TeamFolder, WriteBack, describe};
use crate::app::import::{ImportReport, PreviewRow};
use crate::domain::PostmortemId;
use crate::file_format::zip::zip;
use crate::storage::LocalStore;
use crate::storage::folder::{Changes, FileStamp, Folder, FolderError, Listed, MemoryFolder};
use crate::storage::team_folder::{self as browser, DirectoryFolder};
use crate::ui::browser::{download_bytes, read_text, timing_ends, timing_mark, timing_starts, yield_to_browser};
use crate::ui::lazy::{NotLoaded, Pending, part};
use crate::ui::pages::library_import::ImportPreview;
use leptos::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

/// A connected folder.
#[derive(Clone, Debug)]
enum Connection {
    /// Picked with the File System Access API: read and written.
    Disk(DirectoryFolder),
    /// Read through a directory input: changes are kept here and handed back as a zip.
    ReadOnly(MemoryFolder),
}

impl Folder for Connection {
    async fn list(&self, dir: &str) -> Result<Vec<Listed>, FolderError> {
        match self {
            Self::Disk(f) => f.list(dir).await,
            Self::ReadOnly(f) => f.list(dir).await,
        }
    }
    async fn read(&self, path: &str) -> Result<(String, FileStamp), FolderError> {
        match self {
            Self::Disk(f) => f.read(path).await,
            Self::ReadOnly(f) => f.read(path).await,
        }
    }
    async fn write(&self, path: &str, text: &str) -> Result<FileStamp, FolderError> {
        match self {
            Self::Disk(f) => f.write(path, text).await,
            Self::ReadOnly(f) => f.write(path, text).await,
        }
    }
    async fn read_many(&self, paths: &[String]) -> Vec<Result<(String, FileStamp), FolderError>> {
        match self {
            Self::Disk(f) => f.read_many(paths).await,
            Self::ReadOnly(f) => f.read_many(paths).await,
        }
    }
    async fn changes(&self, since: Option<u64>) -> Changes {
        match self {
            Self::Disk(f) => f.changes(since).await,
            Self::ReadOnly(f) => f.changes(since).await,
        }
    }
}

/// Where the team folder stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FolderStatus {
    /// No folder.
    None,
    /// A folder kept from an earlier visit that the browser must be allowed to use again
    /// (only a click may ask): its name.
    Reconnect(String),
    /// Connected: its name, and whether it was opened read-only.
    Connected { name: String, read_only: bool },
}

/// What the team folder says when its part of the app cannot be fetched.
fn not_loaded(e: NotLoaded) -> String {
    format!(
        "The team folder could not be read or written: {e}. Your postmortems are safe in this browser; Debrief tries \
         again on the next change and when you come back to this tab."
    )
}

// The team folder's reads and writes, the questions they leave and the import's reading
// and preview are one part of the app (`exchange`): the library is shown without them, and
// they arrive when a folder is connected or files are brought in.
part!(
    exchange,
    fn known_from_before(team: Team) -> Result<Pending<TeamFolder>, NotLoaded> {
        Ok(Box::pin(team.knowing()))
    }
);

part!(
    exchange,
    fn run_once(
        team: Team,
        connection: Connection,
        read: bool,
        generation: u64,
    ) -> Result<Pending<Result<Option<String>, SyncError>>, NotLoaded> {
        Ok(Box::pin(async move { team.read_and_write(&connection, read, generation).await }))
    }
);

/// The team folder of this tab.
#[derive(Clone, Copy)]
pub struct Team {
    library: Library,
    templates: Templates,
    connection: StoredValue<Option<Connection>, LocalStorage>,
    /// A kept folder waiting for the user's click to be allowed again.
    kept: StoredValue<Option<DirectoryFolder>, LocalStorage>,
    service: StoredValue<TeamFolder>,
    pub status: RwSignal<FolderStatus>,
    /// What the last read or write did, in a sentence.
    pub said: RwSignal<Option<String>>,
    /// Files that could not be read, and other problems, each in a sentence.
    pub problems: RwSignal<Vec<String>>,
    /// What is under way, while something is.
    pub busy: RwSignal<Option<String>>,
    /// A read that needs the user's answers before its changes are taken.
    pub questions: RwSignal<Option<ImportPreview>>,
    /// The files a read that asked questions found, and its rows: remembered once answered.
    found: StoredValue<Option<(Found, Vec<PreviewRow>)>>,
    /// A read or write asked for while one was under way: run once it ends.
    again: StoredValue<bool>,
    /// Bumped by every change to the library: a write follows shortly after.
    changes: StoredValue<u64>,
    /// Files of a read-only folder changed since the last zip was downloaded.
    pub unsent: RwSignal<usize>,
    /// The mark of this page's storage changes (see `LocalStore::changed_since`) at the
    /// start of the last write to the folder that succeeded: a write between reads compares
    /// only the postmortems changed here since. `None` until the first.
    write_mark: StoredValue<Option<u64>>,
    /// What answering the folder's questions did, shown with what the write that follows
    /// does (so neither sentence hides the other).
    carried: StoredValue<Option<String>>,
    /// Set when the person asks to read the folder now: the next read lists every file
    /// rather than asking the folder what changed.
    full_listing: StoredValue<bool>,
    /// Bumped whenever another folder is connected (or none): a read or write still under
    /// way for the one before leaves no trace.
    generation: StoredValue<u64>,
}

impl Team {
    /// The team folder provided to every page; reconnects a folder kept from an earlier
    /// visit when the browser still allows it.
    pub fn new(library: Library, templates: Templates) -> Self {
        let team = Self {
            library,
            templates,
            connection: StoredValue::new_local(None),
            kept: StoredValue::new_local(None),
            service: StoredValue::new(TeamFolder::new()),
            status: RwSignal::new(FolderStatus::None),
            said: RwSignal::new(None),
            problems: RwSignal::new(Vec::new()),
            busy: RwSignal::new(None),
            questions: RwSignal::new(None),
            found: StoredValue::new(None),
            again: StoredValue::new(false),
            changes: StoredValue::new(0),
            unsent: RwSignal::new(0),
            full_listing: StoredValue::new(false),
            carried: StoredValue::new(None),
            write_mark: StoredValue::new(None),
            generation: StoredValue::new(0),
        };
        // Every change here is written to the folder shortly after.
        Effect::new(move |_| {
            library.changed.track();
            team.changed();
        });
        // Coming back to the tab (after a `git pull`, say) reads the folder again.
        let focus = window_event_listener(leptos::ev::focus, move |_| {
            if team.connected() {
                team.sync();
            }
        });
        on_cleanup(move || focus.remove());
        leptos::task::spawn_local(async move {
            let Some(folder) = browser::remembered().await else { return };
            match browser::permission(&folder, false).await {
                Some(true) => team.connect_kept(folder).await,
                Some(false) => {
                    let _ = team.status.try_set(FolderStatus::Reconnect(folder.name()));
                    let _ = team.kept.try_set_value(Some(folder));
                }
                None => browser::forget().await,
            }
        });
        team
    }

    /// The team folder provided to every page.
    pub fn expect() -> Self {
        super::Shared::expect().team
    }

    /// Whether this browser can write to a folder (else folders open read-only).
    pub fn can_write() -> bool {
        browser::can_write_folders()
    }

    /// Asks for a folder with the browser's picker, then reads and writes it.
    pub fn open(self) {
        leptos::task::spawn_local(async move {
            match browser::pick_folder().await {
                Ok(Some(folder)) => {
                    if let Err(e) = browser::remember(&folder).await {
                        self.problems.update(|p| p.push(format!("{e}: after a restart, open the folder again.")));
                    }
                    self.connect(Connection::Disk(folder), TeamFolder::new());
                }
                Ok(None) => {}
                Err(e) => self.said.set(Some(format!("The folder was not opened: {e}."))),
            }
        });
    }

    /// Asks the browser again for the folder kept from an earlier visit.
    pub fn reconnect(self) {
        // Already connecting: pressing again does nothing.
        if self.busy.with_untracked(Option::is_some) {
            return;
        }
        let Some(folder) = self.kept.get_value() else { return };
        leptos::task::spawn_local(async move {
            match browser::permission(&folder, true).await {
                Some(true) => self.connect_kept(folder).await,
                _ => self.said.set(Some(
                    "The browser did not allow Debrief to use the folder. Choose Reconnect and allow it, or open another folder."
                        .to_owned(),
                )),
            }
        });
    }

    /// Opens a folder read-only from the files a directory input picked.
    pub fn open_read_only(self, files: Vec<web_sys::File>) {
        if files.is_empty() {
            return;
        }
        leptos::task::spawn_local(async move {
            let folder = MemoryFolder::new();
            let mut name = String::new();
            let total = files.len();
            let mut problems = Vec::new();
            for (i, file) in files.into_iter().enumerate() {
                let full = js_sys::Reflect::get(&file, &"webkitRelativePath".into())
                    .ok()
                    .and_then(|p| p.as_string())
                    .unwrap_or_else(|| file.name());
                // The first part of the path is the folder picked.
                let (top, path) = full.split_once('/').unwrap_or(("", full.as_str()));
                if name.is_empty() {
                    name = top.to_owned();
                }
                // What Debrief reads: the files at the top it writes, and the JSON one level down.
                let top_level = [crate::file_format::folder::LIBRARY_FILE, crate::file_format::folder::GITIGNORE];
                let wanted = top_level.contains(&path) || (path.ends_with(".json") && path.matches('/').count() == 1);
                if !wanted {
                    continue;
                }
                let _ = self.busy.try_set(Some(format!("Reading the folder ({} of {total} files)…", i + 1)));
                match read_text(&file).await {
                    Ok(text) => {
                        let stamp = FileStamp { modified: file.last_modified() as u64, size: file.size() as u64 };
                        folder.put_stamped(path, &text, stamp);
                    }
                    Err(e) => problems.push(format!("{path}: {e}")),
                }
            }
            let _ = self.busy.try_set(None);
            self.problems.set(problems);
            let name = if name.is_empty() { "the folder".to_owned() } else { name };
            self.generation.update_value(|g| *g += 1);
            self.write_mark.set_value(None);
            self.service.set_value(TeamFolder::read_only());
            self.connection.set_value(Some(Connection::ReadOnly(folder)));
            self.status.set(FolderStatus::Connected { name, read_only: true });
            self.unsent.set(0);
            self.sync();
        });
    }

    /// Connects the folder kept from an earlier visit, with what that visit knew of it, once
    /// the team folder's part is here; if it cannot be fetched, the folder stays kept for
    /// Reconnect.
    async fn connect_kept(self, folder: DirectoryFolder) {
        // Another folder opened, this one forgotten, or a second Reconnect meanwhile: that
        // choice stands, and this one leaves no trace.
        let Some(generation) = self.generation.try_get_value() else { return };
        let connecting = format!("Connecting to “{}”…", folder.name());
        let _ = self.busy.try_set(Some(connecting.clone()));
        let knowing = known_from_before(self).await;
        let known = match knowing {
            Ok(knowing) => Ok(knowing.await),
            Err(NotLoaded) => Err(NotLoaded),
        };
        // Unless a read of another folder says what it is doing by now.
        let _ = self.busy.try_update(|busy| {
            if busy.as_ref() == Some(&connecting) {
                *busy = None;
            }
        });
        if self.generation.try_get_value() != Some(generation) {
            return;
        }
        match known {
            Ok(known) => {
                let _ = self.kept.try_set_value(None);
                self.connect(Connection::Disk(folder), known);
            }
            Err(e) => {
                let _ = self.status.try_set(FolderStatus::Reconnect(folder.name()));
                let _ = self.kept.try_set_value(Some(folder));
                let _ = self.said.try_set(Some(format!(
                    "The team folder could not be connected: {e}. Your postmortems are safe in this browser; choose \
                     Reconnect to try again."
                )));
            }
        }
    }

    /// What an earlier visit knew of the kept folder (which files it read, as they were),
    /// so that only the files changed since are read.
    async fn knowing(self) -> TeamFolder {
        let Some(memory) = browser::known_from_before().await else { return TeamFolder::new() };
        self.library.read(|library| TeamFolder::recall(&memory, library)).unwrap_or_default()
    }

    fn connect(self, connection: Connection, known: TeamFolder) {
        // The page may have gone while the folder was looked up (an invitation link opened).
        if self.generation.try_get_value().is_none() {
            return;
        }
        let name = match &connection {
            Connection::Disk(f) => f.name(),
            Connection::ReadOnly(_) => "the folder".to_owned(),
        };
        self.generation.update_value(|g| *g += 1);
        self.write_mark.set_value(None);
        self.carried.set_value(None);
        self.service.set_value(known);
        self.connection.set_value(Some(connection));
        let _ = self.status.try_set(FolderStatus::Connected { name, read_only: false });
        self.sync();
    }

    /// Stops using the folder (its files stay as they are, and so does the library here).
    pub fn disconnect(self) {
        self.generation.update_value(|g| *g += 1);
        self.carried.set_value(None);
        self.connection.set_value(None);
        self.kept.set_value(None);
        self.questions.set(None);
        self.found.set_value(None);
        self.status.set(FolderStatus::None);
        self.said.set(None);
        self.problems.set(Vec::new());
        self.unsent.set(0);
        leptos::task::spawn_local(browser::forget());
    }

    /// Whether a folder is connected.
    pub fn connected(self) -> bool {
        self.connection.with_value(Option::is_some)
    }

    /// Reads the folder's changed files and takes their changes (asking first when a
    /// change needs an answer), then writes back what differs.
    pub fn sync(self) {
        self.run(true);
    }

    /// Reads the whole folder again at the user's request, setting aside questions left
    /// open (they are asked again if they still hold).
    pub fn read_now(self) {
        self.questions.set(None);
        self.found.set_value(None);
        self.full_listing.set_value(true);
        self.run(true);
    }

    /// Notes a change to the library: written to the folder shortly after the last one.
    pub fn changed(self) {
        if !self.connected() {
            return;
        }
        let change = self.changes.get_value() + 1;
        self.changes.set_value(change);
        set_timeout(
            move || {
                if self.changes.try_get_value() == Some(change) {
                    self.run(false);
                }
            },
            Duration::from_millis(800),
        );
    }

    fn run(self, read: bool) {
        let Some(connection) = self.connection.try_get_value().flatten() else { return };
        // One at a time; questions waiting stop reading (their files count as unread).
        if self.busy.with_untracked(Option::is_some) {
            self.again.set_value(true);
            return;
        }
        let asking = self.questions.with_untracked(Option::is_some);
        self.busy.set(Some(
            if read && !asking { "Reading the team folder…" } else { "Writing to the team folder…" }.to_owned(),
        ));
        let generation = self.generation.get_value();
        leptos::task::spawn_local(async move {
            let outcome = match run_once(self, connection, read && !asking, generation).await {
                Ok(running) => running.await,
                Err(e) => Ok(Some(not_loaded(e))),
            };
            let _ = self.busy.try_set(None);
            if self.generation.try_get_value() != Some(generation) {
                return;
            }
            let first = self.carried.try_update_value(Option::take).flatten();
            let with_first = |said: String| match &first {
                Some(first) => format!("{first} {said}"),
                None => said,
            };
            match outcome {
                Ok(Some(said)) => {
                    let _ = self.said.try_set(Some(with_first(said)));
                }
                Ok(None) => {}
                Err(e) => {
                    let _ = self.said.try_set(Some(with_first(self.explain(&e))));
                }
            }
            if self.again.try_get_value() == Some(true) {
                self.again.set_value(false);
                self.run(true);
            }
        });
    }

    fn explain(self, e: &SyncError) -> String {
        match e {
            SyncError::Folder(FolderError::NotAllowed) => {
                if let Some(Connection::Disk(folder)) = self.connection.get_value() {
                    self.kept.set_value(Some(folder));
                }
                self.connection.set_value(None);
                let name = match self.status.get_untracked() {
                    FolderStatus::Connected { name, .. } => name,
                    _ => "the folder".to_owned(),
                };
                self.status.set(FolderStatus::Reconnect(name));
                "The browser no longer lets Debrief use the folder. Your postmortems are safe in this browser; choose Reconnect to carry on.".to_owned()
            }
            SyncError::Storage(e) => format!("The team folder could not be brought in: {}", explain(e)),
            other => format!(
                "The team folder is not up to date: {other}. Your postmortems are safe in this browser; Debrief tries again on the next change."
            ),
        }
    }

    /// One read (when `read`) and write; the sentence to show, if any.
    async fn read_and_write(
        self,
        connection: &Connection,
        read: bool,
        generation: u64,
    ) -> Result<Option<String>, SyncError> {
        let current = move || self.generation.try_get_value() == Some(generation);
        let mut service = self.service.get_value();
        // The library as stored: the service reads and writes it across waits, which the
        // shared one cannot lend; the shared one is told afterwards.
        let (mut library, _) = crate::app::Library::open(LocalStore);
        let mut report = ImportReport::default();
        let mut read_now = 0;
        if read {
            // Cleared only once a read's service is kept (a read that fails tries again).
            if self.full_listing.try_get_value() == Some(true) {
                service.list_everything_next();
            }
            // Until the list shows what the folder holds: the benchmark reads this measure.
            timing_starts("debrief:folder-read");
            timing_starts("debrief:folder-scan");
            let progress = |read: usize, total: usize| {
                let _ = self.busy.try_set(Some(format!("Reading the team folder ({read} of {total} files)…")));
            };
            let scan = service.scan_with_progress(connection, &library, &progress).await?;
            timing_ends("debrief:folder-scan");
            if scan.listed {
                timing_mark("debrief:folder-listed");
            }
            read_now = scan.read;
            let problems = scan.problems();
            let _ = self.problems.try_set(problems);
            if !current() {
                return Ok(None);
            }
            if scan.needs_questions() {
                self.full_listing.set_value(false);
                self.service.set_value(service);
                self.ask(scan);
                return Ok(Some(
                    "The team folder holds changes to postmortems you changed here too: choose below what to keep."
                        .to_owned(),
                ));
            }
            let templates = !scan.preview.templates.is_empty();
            timing_starts("debrief:folder-apply");
            let mut decided = TeamFolder::decide(&library, &scan, Vec::new(), &BTreeMap::new())?;
            // Packing many postmortems takes a while: a few milliseconds at a time, with
            // progress shown, and the page stays responsive.
            let total = decided.total();
            loop {
                let started = js_sys::Date::now();
                while js_sys::Date::now() - started < 50.0 && decided.pack_next() {}
                if decided.packed() >= total {
                    break;
                }
                let _ = self.busy.try_set(Some(format!(
                    "Bringing the folder's postmortems into this browser ({} of {total})…",
                    decided.packed()
                )));
                yield_to_browser().await;
            }
            let taken: Vec<_> = scan.preview.rows.iter().map(|r| r.incoming.id).collect();
            report = self
                .library
                .change(|shared| service.write(shared, scan, decided))
                .unwrap_or(Err(SyncError::Storage(crate::storage::StorageError::Closed)))?;
            self.library.taken_from_folder(taken);
            timing_ends("debrief:folder-apply");
            if templates {
                self.templates.refresh();
            }
            timing_ends("debrief:folder-read");
            library.reopen()?;
        }
        // Between reads, only what changed here since the last write is compared; a read
        // compares everything (so a change missed here is written then).
        let (keys, mark) = LocalStore::changed_since(self.write_mark.get_value().unwrap_or(0));
        let only: Option<BTreeSet<PostmortemId>> = (!read && self.write_mark.get_value().is_some())
            .then(|| keys.iter().filter_map(|k| crate::storage::keys::document_id(k)).collect());
        timing_starts("debrief:folder-write");
        let written = service.write_back(connection, &mut library, only.as_ref()).await;
        timing_ends("debrief:folder-write");
        if !current() {
            return Ok(None);
        }
        // Postmortems not written (changed in the folder meanwhile, or unreadable there) stay
        // among the changes to compare next time.
        if written.as_ref().is_ok_and(|b| b.changed_outside == 0 && b.unreadable == 0) {
            self.write_mark.set_value(Some(mark));
        }
        let back = match written {
            Ok(back) => back,
            Err(e) => {
                self.service.set_value(service);
                return Err(e);
            }
        };
        let files = service.files();
        if read {
            self.full_listing.set_value(false);
        }
        // Kept for the next visit, when this run learnt something about the folder.
        if matches!(connection, Connection::Disk(_)) && (read || back.written > 0 || back.templates > 0) {
            let memory = service.memory();
            leptos::task::spawn_local(async move { browser::remember_what_is_known(&memory).await });
        }
        self.service.set_value(service);
        if let Connection::ReadOnly(folder) = connection {
            let _ = self.unsent.try_set(folder.written().len());
        }
        let wrote_or_read = read || back != WriteBack::default();
        Ok(wrote_or_read.then(|| describe(read_now, files, &report, &back)))
    }

    fn ask(self, scan: Scan) {
        let Scan { preview, found, .. } = scan;
        self.found.set_value(Some((found, preview.rows.clone())));
        let choices = preview.rows.iter().map(|r| RwSignal::new(r.default_choice())).collect();
        let picks = preview.rows.iter().map(|_| RwSignal::new(BTreeMap::new())).collect();
        let _ = self.questions.try_set(Some(ImportPreview { preview, choices, picks }));
    }

    /// The questions were answered and their changes taken (`said`: what the import did):
    /// the files are remembered as read, and what differs is written back.
    pub fn answered(self, said: String) {
        if let Some((found, rows)) = self.found.get_value() {
            self.library.taken_from_folder(rows.iter().map(|r| r.incoming.id).collect());
            let remembered =
                self.library.change(|lib| self.service.try_update_value(|s| s.remember(lib, &rows, found))).flatten();
            if let Some(Err(e)) = remembered {
                self.said.set(Some(self.explain(&e)));
                return;
            }
        }
        self.found.set_value(None);
        self.said.set(Some(said.clone()));
        self.carried.set_value(Some(said));
        self.run(false);
    }

    /// Downloads the files changed in a read-only folder as one zip, to unzip over the folder.
    pub fn download_changes(self) -> Result<String, String> {
        let Some(Connection::ReadOnly(folder)) = self.connection.get_value() else {
            return Err("no folder is open read-only".to_owned());
        };
        let files = folder.written();
        let name = format!("debrief-team-changes-{}.zip", chrono::Utc::now().format("%Y-%m-%d-%H%M"));
        download_bytes(&name, &zip(&files), "application/zip")?;
        Ok(name)
    }
}
