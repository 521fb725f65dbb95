//! Calling browser APIs by name (through `js_sys::Reflect`, so the crate needs neither
//! web-sys's unstable flag nor extra bindings) and waiting on IndexedDB: shared by the
//! browser's storage adapters ([`super::team_folder`], [`super::browser_journal`]).

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// `target[name]`.
pub fn get(target: &JsValue, name: &str) -> Result<JsValue, JsValue> {
    Reflect::get(target, &JsValue::from_str(name))
}

/// Calls `target.method(args…)`.
pub fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let function: Function = get(target, method)?.dyn_into()?;
    function.apply(target, &args.iter().collect::<Array>())
}

/// Calls `target.method(args…)` and waits for the promise it returns.
pub async fn call_async(target: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let promise: Promise = call(target, method, args)?.dyn_into()?;
    JsFuture::from(promise).await
}

pub fn options(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}

/// The name of a DOMException (`NotFoundError`, `NotAllowedError`, …) and its message.
pub fn describe(error: &JsValue) -> (String, String) {
    let text = |name| get(error, name).ok().and_then(|v| v.as_string()).unwrap_or_default();
    (text("name"), text("message"))
}

/// Wraps an IndexedDB request in a promise of its result.
pub fn request(req: &JsValue) -> Promise {
    let req = req.clone();
    Promise::new(&mut |resolve: Function, reject: Function| {
        let done = req.clone();
        let ok = Closure::once_into_js(move |_: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &get(&done, "result").unwrap_or(JsValue::UNDEFINED));
        });
        let failed = req.clone();
        let err = Closure::once_into_js(move |_: JsValue| {
            let _ = reject.call1(&JsValue::NULL, &get(&failed, "error").unwrap_or(JsValue::UNDEFINED));
        });
        let _ = Reflect::set(&req, &JsValue::from_str("onsuccess"), &ok);
        let _ = Reflect::set(&req, &JsValue::from_str("onerror"), &err);
    })
}

/// A promise that settles when the IndexedDB transaction `transaction` has committed (or
/// failed): a request's success alone does not mean its change is kept.
pub fn committed(transaction: &JsValue) -> Promise {
    let transaction = transaction.clone();
    Promise::new(&mut |resolve: Function, reject: Function| {
        let ok = Closure::once_into_js(move |_: JsValue| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        // A failed request fires both "error" and "abort": each gets its own handler (a
        // settled promise ignores the second).
        for event in ["onerror", "onabort"] {
            let (failed, reject) = (transaction.clone(), reject.clone());
            let err = Closure::once_into_js(move |_: JsValue| {
                let _ = reject.call1(&JsValue::NULL, &get(&failed, "error").unwrap_or(JsValue::UNDEFINED));
            });
            let _ = Reflect::set(&transaction, &JsValue::from_str(event), &err);
        }
        let _ = Reflect::set(&transaction, &JsValue::from_str("oncomplete"), &ok);
    })
}

/// Opens the IndexedDB database `name` (version 1, with one object store `store`, created on
/// first use).
pub async fn open_database(name: &str, store: &str) -> Result<JsValue, JsValue> {
    let window: JsValue = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?.into();
    let factory = get(&window, "indexedDB")?;
    if factory.is_undefined() || factory.is_null() {
        return Err(JsValue::from_str("this browser has no IndexedDB"));
    }
    let open = call(&factory, "open", &[JsValue::from_str(name), JsValue::from_f64(1.0)])?;
    let upgrading = open.clone();
    let store = store.to_owned();
    let upgrade = Closure::once_into_js(move |_: JsValue| {
        if let Ok(db) = get(&upgrading, "result") {
            let _ = call(&db, "createObjectStore", &[JsValue::from_str(&store)]);
        }
    });
    Reflect::set(&open, &JsValue::from_str("onupgradeneeded"), &upgrade)?;
    JsFuture::from(request(&open)).await
}
