//! The app's root: the contributor's page or the library app, each a part of the app
//! fetched on demand (`super::lazy`), and the service worker once the library app is shown.

use super::hooks::use_window_listener_untyped;
use super::shell::{UpdateNotice, register_service_worker};
use crate::file_format::contribution::is_invitation_fragment;
use leptos::prelude::*;

/// The page's URL fragment, with its `#`.
fn current_hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// Debrief's root component: the contributor's page when the URL carries an invitation,
/// otherwise the library app. The contributor's page never opens the library.
#[component]
pub fn App() -> impl IntoView {
    let hash = RwSignal::new(current_hash());
    use_window_listener_untyped("hashchange", move |_| hash.set(current_hash()));
    let invitation = Memo::new(move |_| hash.with(|h| is_invitation_fragment(h).then(|| h.clone())));
    let leave = Callback::new(move |()| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().set_hash("");
        }
        document().set_title("Debrief");
        hash.set(String::new());
    });
    let update_ready = RwSignal::new(false);
    // The service worker, which fetches every part of the app for offline use, starts once
    // the library app is shown, so that it never delays it (and never on a contributor's
    // page, which fetches only its own part).
    let registered = StoredValue::new(false);
    let shown = Callback::new(move |()| {
        if !registered.get_value() {
            registered.set_value(true);
            register_service_worker(update_ready);
        }
    });
    view! {
        <UpdateNotice ready=update_ready />
        {move || match invitation.get() {
            Some(fragment) => super::lazy::contribute(fragment, leave),
            None => super::library_app::library_app(shown),
        }}
    }
}
