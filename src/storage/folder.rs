//! A folder of files (a team's git clone or synced folder): the small trait the team-folder
//! service works over, and its in-memory twin. The browser adapter is in
//! `storage::team_folder` (File System Access API); the twin also stands in for a folder
//! read through a directory input, where nothing can be written back.
//!
//! Paths are relative to the folder, with `/` between parts (`postmortems/x.json`).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use thiserror::Error;

/// What tells a file's versions apart without reading it: its modification time and size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FileStamp {
    /// Milliseconds since 1970, as the file system reports it.
    pub modified: u64,
    pub size: u64,
}

/// A file in a folder listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// The path from the top of the folder.
    pub path: String,
    pub stamp: FileStamp,
}

/// What can go wrong with a folder, in words the UI can pass on.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FolderError {
    #[error("Debrief may no longer use the folder: choose Reconnect and allow it again")]
    NotAllowed,
    #[error("the folder or a file in it is no longer there ({0})")]
    Gone(String),
    #[error("a file in the folder could not be read ({0})")]
    ReadFailed(String),
    #[error("a file in the folder could not be written ({0})")]
    WriteFailed(String),
}

/// What a folder says changed since a mark it gave earlier (see [`Folder::changes`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Changes {
    /// The paths of the files created, changed, moved or removed since the mark; `None`
    /// when the folder cannot vouch for that list (it was not watched then, or the browser
    /// lost track): then the reader lists everything.
    pub paths: Option<Vec<String>>,
    /// The mark to pass next time; `None` when the folder cannot be watched at all.
    pub mark: Option<u64>,
}

/// What changed, path by path, each with the mark of its last change: the reader keeps the
/// mark it started at and asks for what changed since, so a read whose result is thrown
/// away loses nothing. Used by a watched folder and by this page's own storage writes.
#[derive(Debug, Clone, Default)]
pub struct ChangeLog {
    changed: BTreeMap<String, u64>,
    mark: u64,
    /// The mark at which changes may have been missed.
    lost_at: u64,
}

impl ChangeLog {
    /// Notes a change to `path`.
    pub fn note(&mut self, path: &str) {
        self.mark += 1;
        self.changed.insert(path.to_owned(), self.mark);
    }

    /// Notes that changes may have been missed: a reader from before lists everything.
    pub fn lose_track(&mut self) {
        self.mark += 1;
        self.lost_at = self.mark;
    }

    /// The mark now.
    pub fn mark(&self) -> u64 {
        self.mark
    }

    /// The paths changed since `since` (`None` for none given, or when track was lost
    /// since), with the mark now.
    pub fn since(&self, since: Option<u64>) -> Changes {
        let paths = since
            .filter(|since| self.lost_at <= *since)
            .map(|since| self.changed.iter().filter(|(_, at)| **at > since).map(|(p, _)| p.clone()).collect());
        Changes { paths, mark: Some(self.mark) }
    }
}

/// A folder of text files.
// Debrief runs on one thread in the browser: the futures need not be `Send`.
#[allow(async_fn_in_trait)]
pub trait Folder {
    /// The files directly inside the folder `dir` (an empty list when there is no such folder).
    async fn list(&self, dir: &str) -> Result<Vec<Listed>, FolderError>;
    /// The text of the file at `path`, with its stamp.
    async fn read(&self, path: &str) -> Result<(String, FileStamp), FolderError>;
    /// Writes `text` to the file at `path` (creating it and its folder), returning its new stamp.
    async fn write(&self, path: &str, text: &str) -> Result<FileStamp, FolderError>;
    /// The files at `paths`, each read as [`Self::read`] does; an adapter may read them all
    /// at once.
    async fn read_many(&self, paths: &[String]) -> Vec<Result<(String, FileStamp), FolderError>> {
        let mut out = Vec::with_capacity(paths.len());
        for path in paths {
            out.push(self.read(path).await);
        }
        out
    }
    /// The files changed since `since` (a mark an earlier call returned), when the folder
    /// watches itself: then a reader need not list every file to find the few that changed.
    /// The first call starts watching. By default a folder cannot tell.
    async fn changes(&self, since: Option<u64>) -> Changes {
        let _ = since;
        Changes::default()
    }
}

/// A folder held in memory: the twin for tests, and a folder read through a directory input
/// (whose changes are handed back as a download).
#[derive(Debug, Clone, Default)]
pub struct MemoryFolder {
    inner: Rc<RefCell<MemoryInner>>,
}

#[derive(Debug, Default)]
struct MemoryInner {
    files: BTreeMap<String, (String, FileStamp)>,
    clock: u64,
    written: Vec<String>,
    fail_writes: bool,
    /// How many times the folder was listed.
    listings: usize,
    /// When watched (as a browser folder with a file system observer is): what changed.
    watch: Option<ChangeLog>,
}

impl MemoryFolder {
    /// An empty folder.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty folder that tells what changed since a mark ([`Folder::changes`]), as a
    /// watched browser folder does.
    pub fn watched() -> Self {
        let folder = Self::default();
        folder.inner.borrow_mut().watch = Some(ChangeLog::default());
        folder
    }

    /// Puts a file in the folder from outside (a `git pull`, a sync tool, a directory input),
    /// with a new stamp; not counted as written by Debrief.
    pub fn put(&self, path: &str, text: &str) {
        let mut inner = self.inner.borrow_mut();
        inner.clock += 1;
        let stamp = FileStamp { modified: inner.clock, size: text.len() as u64 };
        inner.files.insert(path.to_owned(), (text.to_owned(), stamp));
        inner.touched(path);
    }

    /// Removes a file (a `git pull` that deleted it).
    pub fn remove(&self, path: &str) {
        let mut inner = self.inner.borrow_mut();
        inner.files.remove(path);
        inner.touched(path);
    }

    /// Changes a file without the watch seeing it, and says the watch lost track (as the
    /// browser does when its change records overflow).
    pub fn put_unseen(&self, path: &str, text: &str) {
        let mut inner = self.inner.borrow_mut();
        inner.clock += 1;
        let stamp = FileStamp { modified: inner.clock, size: text.len() as u64 };
        inner.files.insert(path.to_owned(), (text.to_owned(), stamp));
        if let Some(watch) = &mut inner.watch {
            watch.lose_track();
        }
    }

    /// Puts a file with the stamp the file system gave it.
    pub fn put_stamped(&self, path: &str, text: &str, stamp: FileStamp) {
        self.inner.borrow_mut().files.insert(path.to_owned(), (text.to_owned(), stamp));
    }

    /// The text of the file at `path`, if there is one.
    pub fn text(&self, path: &str) -> Option<String> {
        self.inner.borrow().files.get(path).map(|(t, _)| t.clone())
    }

    /// Every path in the folder.
    pub fn paths(&self) -> Vec<String> {
        self.inner.borrow().files.keys().cloned().collect()
    }

    /// The files Debrief wrote, each once, in the order first written, with their text now.
    pub fn written(&self) -> Vec<(String, String)> {
        let inner = self.inner.borrow();
        inner.written.iter().filter_map(|p| inner.files.get(p).map(|(t, _)| (p.clone(), t.clone()))).collect()
    }

    /// How many times a directory of the folder was listed.
    pub fn listings(&self) -> usize {
        self.inner.borrow().listings
    }

    /// Makes every later write fail (a full disk, a folder made read-only).
    pub fn fail_writes(&self, fail: bool) {
        self.inner.borrow_mut().fail_writes = fail;
    }
}

impl MemoryInner {
    fn touched(&mut self, path: &str) {
        if let Some(watch) = &mut self.watch {
            watch.note(path);
        }
    }
}

impl Folder for MemoryFolder {
    async fn changes(&self, since: Option<u64>) -> Changes {
        self.inner.borrow().watch.as_ref().map(|w| w.since(since)).unwrap_or_default()
    }

    async fn list(&self, dir: &str) -> Result<Vec<Listed>, FolderError> {
        let prefix = format!("{dir}/");
        self.inner.borrow_mut().listings += 1;
        let inner = self.inner.borrow();
        Ok(inner
            .files
            .iter()
            .filter(|(p, _)| p.strip_prefix(&prefix).is_some_and(|rest| !rest.contains('/')))
            .map(|(p, (_, stamp))| Listed { path: p.clone(), stamp: *stamp })
            .collect())
    }

    async fn read(&self, path: &str) -> Result<(String, FileStamp), FolderError> {
        self.inner.borrow().files.get(path).cloned().ok_or_else(|| FolderError::Gone(path.to_owned()))
    }

    async fn write(&self, path: &str, text: &str) -> Result<FileStamp, FolderError> {
        if self.inner.borrow().fail_writes {
            return Err(FolderError::WriteFailed(format!("{path}: the disk is full")));
        }
        self.put(path, text);
        let mut inner = self.inner.borrow_mut();
        if !inner.written.iter().any(|p| p == path) {
            inner.written.push(path.to_owned());
        }
        Ok(inner.files.get(path).map(|(_, s)| *s).unwrap_or_default())
    }
}

/// Runs a future that never waits on anything outside it (the memory folder's) to its end.
/// For native tests and benchmarks; the browser runs futures on its own event loop.
pub fn run_ready<T>(future: impl std::future::Future<Output = T>) -> Option<T> {
    let mut future = std::pin::pin!(future);
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut context) {
        std::task::Poll::Ready(value) => Some(value),
        std::task::Poll::Pending => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_log_tells_what_changed_since_a_mark_and_when_it_cannot() {
        let mut log = ChangeLog::default();
        assert_eq!(log.since(None), Changes { paths: None, mark: Some(0) });
        log.note("a");
        let first = log.mark();
        log.note("b");
        log.note("a");
        assert_eq!(log.since(Some(first)).paths, Some(vec!["a".to_owned(), "b".to_owned()]));
        assert_eq!(log.since(Some(log.mark())).paths, Some(Vec::new()));
        let before = log.mark();
        log.lose_track();
        assert_eq!(log.since(Some(before)).paths, None, "track lost since");
        assert_eq!(log.since(Some(log.mark())).paths, Some(Vec::new()));
    }
}
