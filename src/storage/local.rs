//! The browser's localStorage (and, for contribution drafts, sessionStorage): the only
//! code in Debrief that touches browser storage.

use super::folder::ChangeLog;
use super::{KeyValueStore, StorageError};
use gloo_storage::{LocalStorage, Storage};
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};

/// localStorage of the page's origin.
#[derive(Debug, Clone, Copy, Default)]
pub struct LocalStore;

thread_local! {
    /// Every key this page set or removed in localStorage, with the mark of its last change,
    /// and the mark now (see [`LocalStore::changed_since`]).
    static CHANGES: RefCell<ChangeLog> = RefCell::default();
}

/// Notes that this page set or removed `key`.
fn note_change(key: &str) {
    CHANGES.with(|changes| changes.borrow_mut().note(key));
}

impl LocalStore {
    /// The keys this page set or removed since `since` (a mark an earlier call returned;
    /// 0 for every one), and the mark now: the team folder writes only what changed.
    /// Other tabs' writes are not here (each tab writes its own to the folder).
    /// Notes that another tab changed `key` (a `storage` event): it is written to the team
    /// folder from here too, in case that tab does not (it may not be connected).
    pub fn changed_elsewhere(key: &str) {
        note_change(key);
    }

    pub fn changed_since(since: u64) -> (Vec<String>, u64) {
        CHANGES.with(|changes| {
            let changes = changes.borrow().since(Some(since));
            (changes.paths.unwrap_or_default(), changes.mark.unwrap_or_default())
        })
    }

    /// The storage object, or why the browser will not give it (disabled, private mode, sandbox).
    fn storage(&self) -> Result<web_sys::Storage, StorageError> {
        // Check through web-sys first: gloo's `raw()` throws when storage is disabled.
        window_storage("local", |w| w.local_storage()).map(|_| LocalStorage::raw())
    }
}

/// sessionStorage of the page's tab: kept across reloads, gone when the tab closes. Holds
/// only a contributor's unfinished draft.
#[derive(Debug, Clone, Copy, Default)]
pub struct SessionStore;

impl SessionStore {
    fn storage(&self) -> Result<web_sys::Storage, StorageError> {
        window_storage("session", |w| w.session_storage())
    }
}

/// One of the window's storages, or why the browser will not give it.
fn window_storage(
    which: &str,
    get: impl FnOnce(&web_sys::Window) -> Result<Option<web_sys::Storage>, JsValue>,
) -> Result<web_sys::Storage, StorageError> {
    let window = web_sys::window().ok_or_else(|| StorageError::Unavailable("no browser window".into()))?;
    match get(&window) {
        Ok(Some(storage)) => Ok(storage),
        Ok(None) => Err(StorageError::Unavailable(format!("this browser offers no {which} storage"))),
        Err(e) => Err(StorageError::Unavailable(describe(&e))),
    }
}

/// A browser error as text, keeping the DOMException name when there is one.
fn describe(error: &JsValue) -> String {
    match error.dyn_ref::<web_sys::DomException>() {
        Some(e) => format!("{}: {}", e.name(), e.message()),
        None => error.as_string().unwrap_or_else(|| format!("{error:?}")),
    }
}

fn is_quota_error(error: &JsValue) -> bool {
    error.dyn_ref::<web_sys::DomException>().is_some_and(|e| {
        matches!(e.name().as_str(), "QuotaExceededError" | "NS_ERROR_DOM_QUOTA_REACHED") || e.code() == 22
    })
}

macro_rules! web_store {
    ($t:ty) => {
        impl KeyValueStore for $t {
            fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
                self.storage()?.get_item(key).map_err(|e| StorageError::ReadFailed(describe(&e)))
            }

            fn set(&mut self, key: &str, value: &str) -> Result<(), StorageError> {
                // Noted even when the write fails: it may have been made all the same.
                note_change(key);
                self.storage()?.set_item(key, value).map_err(|e| {
                    if is_quota_error(&e) {
                        StorageError::QuotaExceeded
                    } else {
                        StorageError::WriteFailed(describe(&e))
                    }
                })
            }

            fn remove(&mut self, key: &str) -> Result<(), StorageError> {
                note_change(key);
                self.storage()?.remove_item(key).map_err(|e| StorageError::WriteFailed(describe(&e)))
            }

            fn keys(&self) -> Result<Vec<String>, StorageError> {
                let storage = self.storage()?;
                let len = storage.length().map_err(|e| StorageError::ReadFailed(describe(&e)))?;
                let mut keys = Vec::with_capacity(len as usize);
                for i in 0..len {
                    if let Ok(Some(key)) = storage.key(i) {
                        keys.push(key);
                    }
                }
                Ok(keys)
            }
        }
    };
}

web_store!(LocalStore);
web_store!(SessionStore);
