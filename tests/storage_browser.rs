//! Browser tests of the localStorage adapter, run in headless Chromium by
//! wasm-bindgen-test: real quota errors, real corrupt entries.
#![cfg(target_arch = "wasm32")]

use debrief::domain::sample::full_postmortem;
use debrief::domain::{Postmortem, PostmortemId};
use debrief::storage::{KeyValueStore, LocalStore, Repository, StorageError, keys};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn raw_storage() -> web_sys::Storage {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten()).expect("the test browser has localStorage")
}

fn fresh_repository() -> Repository<LocalStore> {
    raw_storage().clear().expect("clears");
    let mut repo = Repository::new(LocalStore);
    repo.open().expect("empty storage opens");
    repo
}

/// Fills localStorage until the browser refuses, leaving about `leave` characters free.
fn fill_storage(leave: usize) {
    let storage = raw_storage();
    let mut chunk = 1_000_000;
    let mut n = 0;
    while chunk >= leave.max(1) {
        let value = "x".repeat(chunk);
        if storage.set_item(&format!("filler.{n}"), &value).is_err() {
            chunk /= 2;
        }
        n += 1;
    }
}

#[wasm_bindgen_test]
fn a_postmortem_round_trips_through_local_storage() {
    let mut repo = fresh_repository();
    let mut pm = full_postmortem(chrono::Utc::now());
    pm.revision = repo.save(&pm).expect("saves");
    assert_eq!(repo.load(&pm.id), Ok(pm.clone()));
    let stored = raw_storage().get_item(&keys::document(&pm.id)).expect("reads").expect("present");
    // Stored packed, and the browser hands back exactly the characters written.
    assert!(debrief::file_format::compact::is_packed(&stored), "{stored}");
    let json = debrief::file_format::compact::unpack(&stored).expect("unpacks");
    assert!(
        json.starts_with(&format!("{{\"format\":\"debrief\",\"version\":{}", debrief::file_format::FORMAT_VERSION)),
        "{json}"
    );
    let mut reopened = Repository::new(LocalStore);
    assert_eq!(reopened.open().expect("opens").summaries, vec![pm.summary()]);
}

#[wasm_bindgen_test]
fn keys_lists_every_stored_key() {
    let mut store = LocalStore;
    raw_storage().clear().expect("clears");
    store.set("a", "1").expect("writes");
    store.set("b", "2").expect("writes");
    let mut listed = store.keys().expect("lists");
    listed.sort();
    assert_eq!(listed, ["a", "b"]);
    store.remove("a").expect("removes");
    assert_eq!(store.get("a"), Ok(None));
}

#[wasm_bindgen_test]
fn a_write_past_the_quota_is_reported_and_stored_data_is_kept() {
    let mut repo = fresh_repository();
    let mut pm = full_postmortem(chrono::Utc::now());
    pm.revision = repo.save(&pm).expect("saves");
    fill_storage(2_000);
    let mut bigger = pm.clone();
    // Text that does not compress, as storage keeps entries packed.
    bigger.summary = debrief::domain::sample::incompressible_text(50_000);
    assert_eq!(repo.save(&bigger), Err(StorageError::QuotaExceeded));
    assert_eq!(repo.load(&pm.id), Ok(pm));
    raw_storage().clear().expect("clears");
}

#[wasm_bindgen_test]
fn a_corrupt_entry_is_reported_and_never_overwritten() {
    let mut repo = fresh_repository();
    let good = {
        let mut pm = full_postmortem(chrono::Utc::now());
        pm.revision = repo.save(&pm).expect("saves");
        pm
    };
    let bad_id = PostmortemId::random();
    let bad_key = keys::document(&bad_id);
    let planted = "{\"format\":\"debrief\",\"version\":1,\"postmortems\":[{\"id\":";
    raw_storage().set_item(&bad_key, planted).expect("plants");

    let mut reopened = Repository::new(LocalStore);
    let opened = reopened.open().expect("opens despite the corrupt entry");
    assert_eq!(opened.summaries, vec![good.summary()]);
    assert_eq!(opened.corrupt.len(), 1);
    assert_eq!(opened.corrupt[0].key, bad_key);

    let intruder = Postmortem::new(bad_id, chrono::Utc::now());
    assert!(matches!(reopened.save(&intruder), Err(StorageError::Corrupt { .. })));
    assert_eq!(raw_storage().get_item(&bad_key).expect("reads").as_deref(), Some(planted));
}

#[wasm_bindgen_test]
fn disabled_storage_is_reported_as_unavailable_not_a_panic() {
    // Make `window.localStorage` throw the way a browser with storage disabled does,
    // then put the real one back for the other tests.
    js_sys::eval(
        "window.__debriefStorage = Object.getOwnPropertyDescriptor(window, 'localStorage');
         Object.defineProperty(window, 'localStorage', {
             configurable: true,
             get() { throw new DOMException('The operation is insecure.', 'SecurityError'); }
         });",
    )
    .expect("overrides localStorage");
    let store = LocalStore;
    let result = store.get("anything");
    let mut repo = Repository::new(LocalStore);
    let opened = repo.open();
    js_sys::eval("Object.defineProperty(window, 'localStorage', window.__debriefStorage);").expect("restores");
    assert!(matches!(result, Err(StorageError::Unavailable(ref why)) if why.contains("SecurityError")), "{result:?}");
    assert!(matches!(opened, Err(StorageError::Unavailable(_))));
}
