//! The browser's side of the save journal ([`super::journal`]): entries in IndexedDB,
//! written in transactions with strict durability (committed only once on disk), and the
//! per-postmortem save lock from the Web Locks API, held across tabs and windows.

use super::idb::{call, committed, describe, get, open_database, options, request};
use super::journal::{Entry, Journal, JournalError, Locks};
use crate::domain::PostmortemId;
use js_sys::{Function, Promise, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

const DATABASE: &str = "debrief-journal";
const STORE: &str = "saves";

/// The journal in this browser's IndexedDB.
#[derive(Debug, Clone, Copy, Default)]
pub struct BrowserJournal;

fn failed(what: &str, error: &JsValue) -> JournalError {
    let (name, message) = describe(error);
    let why = if message.is_empty() { name } else { message };
    JournalError(if why.is_empty() { what.to_owned() } else { format!("{what}: {why}") })
}

async fn database() -> Result<JsValue, JsValue> {
    open_database(DATABASE, STORE).await
}

/// The journal's store in a transaction of `mode` (written ones with strict durability), and
/// the transaction. The connection is closed at once: it closes for good when the
/// transaction ends, so none stays open to block a later upgrade or deletion.
async fn store(mode: &str) -> Result<(JsValue, JsValue), JsValue> {
    let db = database().await?;
    let how = options(&[("durability", JsValue::from_str("strict"))]);
    let transaction = call(&db, "transaction", &[JsValue::from_str(STORE), JsValue::from_str(mode), how])?;
    let store = call(&transaction, "objectStore", &[JsValue::from_str(STORE)]);
    let _ = call(&db, "close", &[]);
    Ok((store?, transaction))
}

fn to_js(entry: &Entry) -> JsValue {
    options(&[
        ("id", JsValue::from_str(&entry.id.to_string())),
        ("revision", JsValue::from_f64(entry.revision as f64)),
        ("text", JsValue::from_str(&entry.text)),
        ("at", JsValue::from_f64(entry.at_ms as f64)),
    ])
}

fn from_js(value: &JsValue) -> Option<Entry> {
    let id = PostmortemId::parse(&get(value, "id").ok()?.as_string()?)?;
    let number = |name| get(value, name).ok().and_then(|v| v.as_f64()).filter(|n| *n >= 0.0);
    Some(Entry {
        id,
        revision: number("revision")? as u64,
        text: get(value, "text").ok()?.as_string()?,
        at_ms: number("at")? as u64,
    })
}

impl Journal for BrowserJournal {
    async fn latest(&self, id: &PostmortemId) -> Result<Option<Entry>, JournalError> {
        let run = async {
            let (store, _) = store("readonly").await?;
            let read = call(&store, "get", &[JsValue::from_str(&id.to_string())])?;
            JsFuture::from(request(&read)).await
        };
        let value = run.await.map_err(|e| failed("the journal could not be read", &e))?;
        Ok(from_js(&value))
    }

    async fn record(&self, entry: &Entry) -> Result<(), Option<Entry>> {
        // Read and (unless a newer entry is there) written in one transaction, from the
        // read's own callback, so no other tab's write comes in between.
        let newer: Rc<RefCell<Option<Entry>>> = Rc::default();
        let run = async {
            let (store, transaction) = store("readwrite").await?;
            let done = committed(&transaction);
            let key = JsValue::from_str(&entry.id.to_string());
            let read = call(&store, "get", std::slice::from_ref(&key))?;
            let (value, found, keep, at) = (to_js(entry), newer.clone(), store.clone(), read.clone());
            let revision = entry.revision;
            let then = Closure::once_into_js(move |_: JsValue| {
                let there = get(&at, "result").ok().as_ref().and_then(from_js);
                match there {
                    Some(there) if there.revision > revision => *found.borrow_mut() = Some(there),
                    _ => {
                        let _ = call(&keep, "put", &[value, key]);
                    }
                }
            });
            Reflect::set(&read, &JsValue::from_str("onsuccess"), &then)?;
            JsFuture::from(done).await
        };
        run.await.map_err(|_| None)?;
        match newer.take() {
            Some(there) => Err(Some(there)),
            None => Ok(()),
        }
    }

    async fn entries(&self) -> Result<Vec<Entry>, JournalError> {
        let run = async {
            let (store, _) = store("readonly").await?;
            let read = call(&store, "getAll", &[])?;
            JsFuture::from(request(&read)).await
        };
        let values = run.await.map_err(|e| failed("the journal could not be read", &e))?;
        let values: js_sys::Array = values.dyn_into().map_err(|_| JournalError("the journal is unreadable".into()))?;
        Ok(values.iter().filter_map(|v| from_js(&v)).collect())
    }

    async fn trim(&self, ids: &[(PostmortemId, u64)]) -> Result<(), JournalError> {
        if ids.is_empty() {
            return Ok(());
        }
        let run = async {
            let (store, transaction) = store("readwrite").await?;
            let done = committed(&transaction);
            for (id, revision) in ids {
                let key = JsValue::from_str(&id.to_string());
                let read = call(&store, "get", std::slice::from_ref(&key))?;
                let (at, keep, revision) = (read.clone(), store.clone(), *revision);
                let then = Closure::once_into_js(move |_: JsValue| {
                    let there = get(&at, "result").ok().as_ref().and_then(from_js);
                    if there.is_some_and(|e| e.revision == revision) {
                        let _ = call(&keep, "delete", &[key]);
                    }
                });
                Reflect::set(&read, &JsValue::from_str("onsuccess"), &then)?;
            }
            JsFuture::from(done).await
        };
        run.await.map(|_| ()).map_err(|e| failed("the journal could not be trimmed", &e))
    }

    async fn forget(&self, id: &PostmortemId) -> Result<(), JournalError> {
        let run = async {
            let (store, transaction) = store("readwrite").await?;
            let done = committed(&transaction);
            call(&store, "delete", &[JsValue::from_str(&id.to_string())])?;
            JsFuture::from(done).await
        };
        run.await.map(|_| ()).map_err(|e| failed("the journal could not be changed", &e))
    }
}

/// An exclusive Web Lock, held until dropped.
pub struct SaveLock {
    release: Rc<RefCell<Option<Function>>>,
}

impl Drop for SaveLock {
    fn drop(&mut self) {
        if let Some(release) = self.release.borrow_mut().take() {
            let _ = release.call0(&JsValue::NULL);
        }
    }
}

/// The Web Locks of this site ([`save_lock`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct WebLocks;

impl Locks for WebLocks {
    type Held = SaveLock;

    async fn hold(&self, name: &str) -> Option<SaveLock> {
        save_lock(name).await
    }
}

/// Waits for the exclusive lock `name`, shared by every tab and window of the site. `None`
/// where the browser has no Web Locks (or refused): the caller goes on without it, and
/// the journal's own check still finds a newer save. If the wait is given up (the future
/// dropped), a lock granted later is released at once.
pub async fn save_lock(name: &str) -> Option<SaveLock> {
    let window: JsValue = web_sys::window()?.into();
    let locks = get(&window, "navigator").and_then(|n| get(&n, "locks")).ok()?;
    if locks.is_undefined() || locks.is_null() {
        return None;
    }
    let release: Rc<RefCell<Option<Function>>> = Rc::default();
    // Held while this promise is pending: resolving it releases the lock.
    let held = {
        let release = release.clone();
        Promise::new(&mut |resolve: Function, _| *release.borrow_mut() = Some(resolve))
    };
    // Dropped before the grant (the wait given up): the lock is released once granted.
    let guard = SaveLock { release: release.clone() };
    let granted = Promise::new(&mut |grant: Function, refuse: Function| {
        let held = held.clone();
        let callback = Closure::once_into_js(move |_: JsValue| {
            let _ = grant.call0(&JsValue::NULL);
            held
        });
        match call(&locks, "request", &[JsValue::from_str(name), callback]) {
            Ok(promise) => {
                let refuse = Closure::once_into_js(move |e: JsValue| {
                    let _ = refuse.call1(&JsValue::NULL, &e);
                });
                let _ = call(&promise, "catch", &[refuse]);
            }
            Err(e) => {
                let _ = refuse.call1(&JsValue::NULL, &e);
            }
        }
    });
    JsFuture::from(granted).await.ok()?;
    Some(guard)
}
