//! The browser's side of a team folder: a directory handle from the File System Access API
//! (Chromium) as a [`Folder`], the handle kept in IndexedDB so the folder can be reconnected
//! after a restart, and the permission asked again when it is.
//!
//! The few API calls web-sys keeps behind its unstable flag (the directory picker, the
//! permission calls) and the async iteration of a directory are made by name through
//! `js_sys::Reflect`, so the crate needs no unstable flag and no extra bindings.

use super::folder::{ChangeLog, Changes, FileStamp, Folder, FolderError, Listed};
use super::idb::{call, call_async, committed, describe, get, open_database, options, request};
use js_sys::{Array, Function, Promise, Reflect};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The IndexedDB database and store that keep the folder's handle.
const DATABASE: &str = "debrief-team-folder";
const STORE: &str = "handles";
const KEY: &str = "team";
/// What was known of the kept folder at the end of the last visit.
const MEMORY: &str = "team-known";

/// A folder picked by the user (or, in tests, handed to the page; see [`test_folder`]).
#[derive(Clone, Debug)]
pub struct DirectoryFolder {
    root: JsValue,
    watch: Rc<RefCell<Watch>>,
}

/// The function the observer calls with its records, kept alive while it watches.
type Callback = Closure<dyn FnMut(JsValue)>;

/// What the browser's file system observer (`FileSystemObserver`, where there is one) said
/// changed in the folder: each path with the mark of its last change, so that a read can
/// ask for what changed since the mark it started at and a read whose result was thrown
/// away loses nothing.
#[derive(Default)]
struct Watch {
    /// The observer and the callback it calls, while watching.
    observer: Option<(JsValue, Callback)>,
    /// The browser has no observer, or refused to watch this folder: never asked again.
    unavailable: bool,
    log: ChangeLog,
}

impl std::fmt::Debug for Watch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watch").field("watching", &self.observer.is_some()).field("mark", &self.log.mark()).finish()
    }
}

impl Watch {
    fn stop(&mut self) {
        if let Some((observer, _)) = self.observer.take() {
            let _ = call(&observer, "disconnect", &[]);
        }
    }

    /// Takes the observer's records: a file created, changed, moved or removed is noted;
    /// anything else ("unknown": records were dropped; "errored": watching stopped) means
    /// the next read must list everything.
    fn record(&mut self, records: &JsValue) {
        let Ok(records) = records.clone().dyn_into::<Array>() else { return };
        for record in records.iter() {
            let kind = get(&record, "type").ok().and_then(|t| t.as_string()).unwrap_or_default();
            let path = |name: &str| {
                get(&record, name)
                    .ok()
                    .and_then(|p| p.dyn_into::<Array>().ok())
                    .map(|parts| parts.iter().filter_map(|p| p.as_string()).collect::<Vec<_>>().join("/"))
            };
            // A directory (or the folder itself) moved, removed or replaced in one go is
            // reported once, not file by file: only listing everything finds what changed.
            let directory = get(&record, "changedHandle")
                .ok()
                .and_then(|h| get(&h, "kind").ok())
                .and_then(|k| k.as_string())
                .is_some_and(|k| k == "directory");
            let whole = path("relativePathComponents").is_none_or(|p| p.is_empty());
            match kind.as_str() {
                "appeared" | "modified" | "disappeared" | "moved" if !directory && !whole => {
                    for name in ["relativePathComponents", "relativePathMovedFrom"] {
                        if let Some(path) = path(name).filter(|p| !p.is_empty()) {
                            self.log.note(&path);
                        }
                    }
                }
                other => {
                    self.log.lose_track();
                    if other == "errored" {
                        self.stop();
                    }
                }
            }
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.stop();
    }
}

fn folder_error(error: &JsValue, path: &str, writing: bool) -> FolderError {
    let (name, message) = describe(error);
    match name.as_str() {
        "NotFoundError" | "TypeMismatchError" => FolderError::Gone(path.to_owned()),
        "NotAllowedError" | "SecurityError" => FolderError::NotAllowed,
        "QuotaExceededError" => FolderError::WriteFailed(format!("{path}: the disk is full")),
        _ if writing => FolderError::WriteFailed(format!("{path}: {name} {message}")),
        _ => FolderError::ReadFailed(format!("{path}: {name} {message}")),
    }
}

impl DirectoryFolder {
    fn new(root: JsValue) -> Self {
        Self { root, watch: Rc::default() }
    }

    /// Starts the browser's file system observer on the folder, if it has one.
    async fn start_watching(&self) -> bool {
        let Some(class) = web_sys::window()
            .and_then(|w| get(&w, "FileSystemObserver").ok())
            .and_then(|c| c.dyn_into::<Function>().ok())
        else {
            return false;
        };
        let watch: Weak<RefCell<Watch>> = Rc::downgrade(&self.watch);
        let callback = Closure::<dyn FnMut(JsValue)>::new(move |records: JsValue| {
            if let Some(watch) = watch.upgrade()
                && let Ok(mut watch) = watch.try_borrow_mut()
            {
                watch.record(&records);
            }
        });
        let Ok(observer) = Reflect::construct(&class, &Array::of1(callback.as_ref())) else { return false };
        let how = options(&[("recursive", JsValue::from_bool(true))]);
        if call_async(&observer, "observe", &[self.root.clone(), how]).await.is_err() {
            return false;
        }
        let mut watch = self.watch.borrow_mut();
        watch.log.lose_track();
        watch.observer = Some((observer, callback));
        true
    }

    /// The folder's name, as its handle gives it.
    pub fn name(&self) -> String {
        get(&self.root, "name").ok().and_then(|v| v.as_string()).unwrap_or_else(|| "the team folder".to_owned())
    }

    /// The handle, to keep.
    pub fn handle(&self) -> &JsValue {
        &self.root
    }

    /// The directory `dir` (parts separated by `/`), created when `create` is set.
    async fn directory(&self, dir: &str, create: bool) -> Result<JsValue, JsValue> {
        let mut handle = self.root.clone();
        for part in dir.split('/').filter(|p| !p.is_empty()) {
            let how = options(&[("create", JsValue::from_bool(create))]);
            handle = call_async(&handle, "getDirectoryHandle", &[JsValue::from_str(part), how]).await?;
        }
        Ok(handle)
    }

    /// The file handle at `path`, created when `create` is set.
    async fn file(&self, path: &str, create: bool) -> Result<JsValue, JsValue> {
        let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
        let directory = self.directory(dir, create).await?;
        let how = options(&[("create", JsValue::from_bool(create))]);
        call_async(&directory, "getFileHandle", &[JsValue::from_str(name), how]).await
    }
}

/// Every entry of `directory`: in one wait with `Array.fromAsync` where the browser has it,
/// else one entry at a time.
async fn all_entries(directory: &JsValue) -> Result<Vec<JsValue>, JsValue> {
    let iterator = call(directory, "values", &[])?;
    let array_class: JsValue = js_sys::Array::new().constructor().into();
    if get(&array_class, "fromAsync").ok().is_some_and(|f| f.is_function()) {
        let all = call_async(&array_class, "fromAsync", &[iterator]).await?;
        return Ok(all.dyn_into::<Array>()?.iter().collect());
    }
    let mut out = Vec::new();
    loop {
        let step = call_async(&iterator, "next", &[]).await?;
        if get(&step, "done").ok().and_then(|d| d.as_bool()).unwrap_or(true) {
            return Ok(out);
        }
        out.push(get(&step, "value")?);
    }
}

fn stamp_of(file: &JsValue) -> FileStamp {
    let number = |name| get(file, name).ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
    FileStamp { modified: number("lastModified") as u64, size: number("size") as u64 }
}

impl Folder for DirectoryFolder {
    async fn list(&self, dir: &str) -> Result<Vec<Listed>, FolderError> {
        let directory = match self.directory(dir, false).await {
            Ok(d) => d,
            Err(e) => {
                return match folder_error(&e, dir, false) {
                    FolderError::Gone(_) => Ok(Vec::new()),
                    other => Err(other),
                };
            }
        };
        let handles = all_entries(&directory).await.map_err(|e| folder_error(&e, dir, false))?;
        let mut names = Vec::new();
        let mut files = Vec::new();
        for handle in handles {
            if get(&handle, "kind").ok().and_then(|k| k.as_string()).as_deref() != Some("file") {
                continue;
            }
            let name = get(&handle, "name").ok().and_then(|n| n.as_string()).unwrap_or_default();
            // Only what Debrief reads; Chromium's *.crswap files and the Markdown are passed over.
            if !name.ends_with(".json") {
                continue;
            }
            let file = call(&handle, "getFile", &[]).map_err(|e| folder_error(&e, dir, false))?;
            names.push(name);
            files.push(file);
        }
        // Every file's stamp at once: one wait instead of one a file. A file that cannot be
        // stat'ed is listed with no stamp, so it is read (and reported) rather than hidden.
        let all = Promise::all_settled(&files.into_iter().collect::<Array>());
        let files = JsFuture::from(all).await.map_err(|e| folder_error(&e, dir, false))?;
        let files: Array = files.dyn_into().map_err(|e| folder_error(&e, dir, false))?;
        Ok(names
            .into_iter()
            .zip(files.iter())
            .map(|(name, outcome)| {
                let stamp = get(&outcome, "value").ok().filter(|v| !v.is_undefined()).map(|f| stamp_of(&f));
                Listed { path: format!("{dir}/{name}"), stamp: stamp.unwrap_or_default() }
            })
            .collect())
    }

    async fn read(&self, path: &str) -> Result<(String, FileStamp), FolderError> {
        let failed = |e: JsValue| folder_error(&e, path, false);
        let handle = self.file(path, false).await.map_err(failed)?;
        let file = call_async(&handle, "getFile", &[]).await.map_err(failed)?;
        let text = call_async(&file, "text", &[]).await.map_err(failed)?;
        Ok((text.as_string().unwrap_or_default(), stamp_of(&file)))
    }

    async fn read_many(&self, paths: &[String]) -> Vec<Result<(String, FileStamp), FolderError>> {
        // Every read started at once, then waited for together: the browser reads files in
        // parallel, one at a time would wait for each. The folders they are in are looked up
        // once (the files of a read are mostly in one).
        let mut folders: BTreeMap<&str, Option<JsValue>> = BTreeMap::new();
        for path in paths {
            let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
            if !folders.contains_key(dir) {
                folders.insert(dir, self.directory(dir, false).await.ok());
            }
        }
        let reads: Array = paths
            .iter()
            .map(|path| {
                let (folder, path) = (self.clone(), path.clone());
                let (dir, name) = path.rsplit_once('/').unwrap_or(("", path.as_str()));
                let known = folders.get(dir).cloned().flatten().map(|d| (d, name.to_owned()));
                JsValue::from(wasm_bindgen_futures::future_to_promise(async move {
                    let handle = match known {
                        Some((directory, name)) => {
                            let how = options(&[("create", JsValue::from_bool(false))]);
                            call_async(&directory, "getFileHandle", &[JsValue::from_str(&name), how]).await?
                        }
                        // Not found: looked up again, to fail with the browser's own reason.
                        None => folder.file(&path, false).await?,
                    };
                    let file = call_async(&handle, "getFile", &[]).await?;
                    let text = call_async(&file, "text", &[]).await?;
                    Ok(Array::of2(&text, &file).into())
                }))
            })
            .collect();
        let settled = match JsFuture::from(Promise::all_settled(&reads)).await.and_then(|s| s.dyn_into::<Array>()) {
            Ok(settled) => settled,
            Err(e) => return paths.iter().map(|p| Err(folder_error(&e, p, false))).collect(),
        };
        paths
            .iter()
            .zip(settled.iter())
            .map(|(path, outcome)| {
                if get(&outcome, "status").ok().and_then(|s| s.as_string()).as_deref() == Some("fulfilled") {
                    let pair: Array = get(&outcome, "value").unwrap_or_default().into();
                    Ok((pair.get(0).as_string().unwrap_or_default(), stamp_of(&pair.get(1))))
                } else {
                    Err(folder_error(&get(&outcome, "reason").unwrap_or_default(), path, false))
                }
            })
            .collect()
    }

    async fn changes(&self, since: Option<u64>) -> Changes {
        let (watching, unavailable) = {
            let watch = self.watch.borrow();
            (watch.observer.is_some(), watch.unavailable)
        };
        if unavailable {
            return Changes::default();
        }
        if !watching && !self.start_watching().await {
            self.watch.borrow_mut().unavailable = true;
            return Changes::default();
        }
        // A watch that stopped ("errored") was started again above, losing track.
        self.watch.borrow().log.since(since)
    }

    async fn write(&self, path: &str, text: &str) -> Result<FileStamp, FolderError> {
        let failed = |e: JsValue| folder_error(&e, path, true);
        let handle = self.file(path, true).await.map_err(failed)?;
        let writable = call_async(&handle, "createWritable", &[]).await.map_err(failed)?;
        if let Err(e) = call_async(&writable, "write", &[JsValue::from_str(text)]).await {
            // The file keeps what it had: the temporary copy is thrown away.
            let _ = call_async(&writable, "abort", &[]).await;
            return Err(failed(e));
        }
        call_async(&writable, "close", &[]).await.map_err(failed)?;
        let file = call_async(&handle, "getFile", &[]).await.map_err(failed)?;
        Ok(stamp_of(&file))
    }
}

/// Whether this browser can write to a folder the user picks (Chromium's File System
/// Access API), or a test handed the page a folder.
pub fn can_write_folders() -> bool {
    let Some(window) = web_sys::window() else { return false };
    Reflect::has(&window, &JsValue::from_str("showDirectoryPicker")).unwrap_or(false) || test_folder().is_some()
}

/// A folder handed to the page by an end-to-end test (`window.__debriefTestFolder`, a
/// directory handle of the origin-private file system): the directory picker cannot be
/// driven by WebDriver. Nothing else sets it.
fn test_folder() -> Option<JsValue> {
    let window = web_sys::window()?;
    let handle = get(&window, "__debriefTestFolder").ok()?;
    (!handle.is_undefined() && !handle.is_null()).then_some(handle)
}

/// Asks the user to pick a folder. `Ok(None)` when they close the picker.
pub async fn pick_folder() -> Result<Option<DirectoryFolder>, String> {
    if let Some(root) = test_folder() {
        return Ok(Some(DirectoryFolder::new(root)));
    }
    let window: JsValue = web_sys::window().ok_or("there is no window")?.into();
    let how = options(&[("id", JsValue::from_str("debrief-team")), ("mode", JsValue::from_str("readwrite"))]);
    match call_async(&window, "showDirectoryPicker", &[how]).await {
        Ok(root) => Ok(Some(DirectoryFolder::new(root))),
        Err(e) => match describe(&e) {
            (name, _) if name == "AbortError" => Ok(None),
            (name, message) => Err(format!("the browser did not open the folder ({name}: {message})")),
        },
    }
}

/// Whether Debrief may read and write the folder now: `Some(true)` granted, `Some(false)`
/// it must ask (only a click may), `None` refused for good.
pub async fn permission(folder: &DirectoryFolder, ask: bool) -> Option<bool> {
    let how = options(&[("mode", JsValue::from_str("readwrite"))]);
    let method = if ask { "requestPermission" } else { "queryPermission" };
    // The origin-private test folder has no permission calls: it is always granted.
    if get(&folder.root, method).ok().is_none_or(|m| m.is_undefined()) {
        return Some(true);
    }
    // Only an explicit "denied" means for good; an error asks again rather than forgets.
    match call_async(&folder.root, method, &[how]).await.ok().and_then(|s| s.as_string()).as_deref() {
        Some("granted") => Some(true),
        Some("denied") => None,
        _ => Some(false),
    }
}

async fn database() -> Result<JsValue, JsValue> {
    open_database(DATABASE, STORE).await
}

/// The store of kept handles, in a transaction of `mode`. The database connection is closed
/// at once: it closes for good when the transaction ends, so no connection stays open to
/// block a later upgrade or deletion.
async fn store(mode: &str) -> Result<JsValue, JsValue> {
    let db = database().await?;
    let transaction = call(&db, "transaction", &[JsValue::from_str(STORE), JsValue::from_str(mode)])?;
    let store = call(&transaction, "objectStore", &[JsValue::from_str(STORE)]);
    let _ = call(&db, "close", &[]);
    store
}

/// Puts `value` under `key` in the store of kept things, once the change is committed.
async fn put(key: &str, value: &JsValue) -> Result<(), JsValue> {
    let store = store("readwrite").await?;
    let done = committed(&get(&store, "transaction")?);
    let put = call(&store, "put", &[value.clone(), JsValue::from_str(key)])?;
    JsFuture::from(request(&put)).await?;
    JsFuture::from(done).await.map(|_| ())
}

/// What is kept under `key`, if anything.
async fn kept(key: &str) -> Option<JsValue> {
    let run = async {
        let store = store("readonly").await?;
        let get_request = call(&store, "get", &[JsValue::from_str(key)])?;
        JsFuture::from(request(&get_request)).await
    };
    run.await.ok().filter(|v| !v.is_undefined() && !v.is_null())
}

/// Keeps the folder's handle for the next visit (and drops what was known of the folder
/// kept before).
pub async fn remember(folder: &DirectoryFolder) -> Result<(), String> {
    let run = async {
        let store = store("readwrite").await?;
        let done = committed(&get(&store, "transaction")?);
        call(&store, "delete", &[JsValue::from_str(MEMORY)])?;
        call(&store, "put", &[folder.root.clone(), JsValue::from_str(KEY)])?;
        JsFuture::from(done).await.map(|_| ())
    };
    run.await.map_err(|e| format!("the browser could not keep the folder for next time ({})", describe(&e).1))
}

/// The folder kept from an earlier visit, if any.
pub async fn remembered() -> Option<DirectoryFolder> {
    kept(KEY).await.map(DirectoryFolder::new)
}

/// Keeps what this tab knows of the kept folder (which files it read, as they were), so
/// that the next visit reads only the files changed since. Losing it costs only time.
pub async fn remember_what_is_known(text: &str) {
    let _ = put(MEMORY, &JsValue::from_str(text)).await;
}

/// What an earlier visit knew of the kept folder, if anything.
pub async fn known_from_before() -> Option<String> {
    kept(MEMORY).await.and_then(|v| v.as_string())
}

/// Forgets the kept folder and what was known of it.
pub async fn forget() {
    let run = async {
        let store = store("readwrite").await?;
        let done = committed(&get(&store, "transaction")?);
        call(&store, "delete", &[JsValue::from_str(KEY)])?;
        call(&store, "delete", &[JsValue::from_str(MEMORY)])?;
        JsFuture::from(done).await
    };
    let _ = run.await;
}
