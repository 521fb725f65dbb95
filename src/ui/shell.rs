//! What surrounds every page: the theme switch, keyboard shortcuts and their help dialog,
//! focus after navigation, and the service worker that keeps Debrief working offline
//! (with the notice that a new version is ready).

use super::components::focus_when_drawn;
use super::routes::AppRoute;
use super::state::{remember_theme, stored_theme};
use crate::storage::preferences::Theme;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

// ---------------------------------------------------------------------------------------
// Themes.

/// Shows the page in `theme`: `data-theme` on the root element picks the colours; without
/// it the stylesheet follows the system's setting.
fn apply_theme(theme: Theme) {
    if let Some(root) = document().document_element() {
        let _ = match theme {
            Theme::System => root.remove_attribute("data-theme"),
            other => root.set_attribute("data-theme", other.key()),
        };
    }
}

/// A choice of light, dark, or the system's setting, remembered in this browser.
#[component]
pub fn ThemeSwitch() -> impl IntoView {
    let chosen = RwSignal::new(stored_theme());
    let problem = RwSignal::new(None::<String>);
    let choose = move |ev: leptos::ev::Targeted<leptos::ev::Event, web_sys::HtmlSelectElement>| {
        let theme = Theme::from_key(&ev.target().value());
        apply_theme(theme);
        chosen.set(theme);
        problem.set(remember_theme(theme).err().map(|e| format!("This theme lasts until you close the page: {e}.")));
    };
    view! {
        <div class="theme-switch">
            <label for="theme-choice">"Theme"</label>
            <select id="theme-choice" on:change:target=choose>
                {Theme::ALL.into_iter().map(|t| view! {
                    <option value=t.key() selected=move || chosen.get() == t>{t.label()}</option>
                }).collect_view()}
            </select>
            {move || problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
        </div>
    }
}

// ---------------------------------------------------------------------------------------
// Keyboard shortcuts.

/// Every shortcut, as the help dialog lists them: the key and what it does.
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("?", "Show this list"),
    ("n", "Start a new postmortem"),
    ("/", "Search the library"),
    ("s", "In a postmortem: save now and say whether everything is saved (Ctrl+S or ⌘S also works while typing)"),
    ("t", "In a postmortem: add a timeline event"),
    ("Enter", "In a timeline event's text: add the next event (Shift+Enter starts a new line)"),
    ("↑ ↓", "In a timeline event's text: the event above or below (Alt+↑ or Alt+↓ from any of its fields)"),
    ("Ctrl+Shift+Backspace", "In a timeline event: delete it (Undo puts it back)"),
    ("]", "In guided mode: next section"),
    ("[", "In guided mode: previous section"),
    ("Esc", "Close this list"),
];

/// Whether a key pressed with this target is text being typed, not a shortcut.
fn typing_in(target: Option<web_sys::EventTarget>) -> bool {
    let Some(element) = target.and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else {
        return false;
    };
    match element.tag_name().to_ascii_lowercase().as_str() {
        "textarea" | "select" => true,
        "input" => !matches!(
            element.get_attribute("type").unwrap_or_default().to_ascii_lowercase().as_str(),
            "checkbox" | "radio" | "button" | "submit" | "reset" | "file" | "range" | "color"
        ),
        _ => element.closest("[contenteditable]:not([contenteditable=\"false\"])").ok().flatten().is_some(),
    }
}

/// Whether a key press should be left alone by every shortcut: already handled, part of
/// composing text (an input method), typed into a field, or pressed while a dialog is open.
fn not_a_shortcut(ev: &web_sys::KeyboardEvent) -> bool {
    ev.default_prevented()
        || ev.is_composing()
        || typing_in(ev.target())
        || document().query_selector("dialog[open]").ok().flatten().is_some()
}

/// The key of a press that can be a single-key shortcut: no Ctrl, Alt or ⌘ held (AltGr,
/// reported as Ctrl+Alt, types "[", "]" or "?" on many layouts and is allowed), and not
/// one [`not_a_shortcut`] leaves alone.
pub fn shortcut_key(ev: &web_sys::KeyboardEvent) -> Option<String> {
    let modified = (ev.ctrl_key() || ev.meta_key() || ev.alt_key()) && !ev.get_modifier_state("AltGraph");
    (!modified && !not_a_shortcut(ev)).then(|| ev.key())
}

/// Whether `ev` is Ctrl+S (⌘S on a Mac).
pub fn is_save_chord(ev: &web_sys::KeyboardEvent) -> bool {
    (ev.ctrl_key() || ev.meta_key()) && !ev.alt_key() && ev.key().eq_ignore_ascii_case("s")
}

/// Clicks the control on the page that carries `data-shortcut="key"`; false if none does.
fn click_shortcut(key: &str) -> bool {
    let selector = format!("[data-shortcut=\"{key}\"]");
    match document().query_selector(&selector).ok().flatten().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        Some(control) => {
            control.click();
            true
        }
        None => false,
    }
}

/// Listens for the app-wide shortcuts (page-specific ones are controls marked with
/// `data-shortcut`), and holds the help dialog and the footer button that opens it.
#[component]
pub fn KeyboardShortcuts() -> impl IntoView {
    let open = RwSignal::new(false);
    let navigate = StoredValue::new_local(use_navigate());
    let go = move |route: AppRoute| navigate.with_value(|n| n(&route.path(), NavigateOptions::default()));
    let listener = window_event_listener(leptos::ev::keydown, move |ev| {
        let Some(key) = shortcut_key(&ev) else { return };
        let handled = match key.as_str() {
            "?" => {
                open.set(true);
                true
            }
            "n" => {
                go(AppRoute::New);
                true
            }
            "/" => {
                if document().get_element_by_id("library-search").is_none() {
                    go(AppRoute::Library);
                }
                focus_when_drawn("library-search".to_owned());
                true
            }
            key @ ("t" | "[" | "]") => click_shortcut(key),
            _ => false,
        };
        if handled {
            ev.prevent_default();
        }
    });
    on_cleanup(move || listener.remove());
    view! {
        <button type="button" class="ghost small" on:click=move |_| open.set(true)>
            "Keyboard shortcuts " <kbd>"?"</kbd>
        </button>
        <ShortcutsDialog open=open />
    }
}

/// The list of shortcuts, in a modal dialog that keeps focus inside it and hands focus
/// back to where it was when it closes.
#[component]
fn ShortcutsDialog(open: RwSignal<bool>) -> impl IntoView {
    let dialog = NodeRef::<leptos::html::Dialog>::new();
    let opener = StoredValue::new_local(None::<web_sys::HtmlElement>);
    Effect::new(move || {
        let Some(d) = dialog.get() else { return };
        if open.get() && !d.open() {
            opener.set_value(document().active_element().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()));
            let _ = d.show_modal();
        } else if !open.get() && d.open() {
            d.close();
        }
    });
    let on_close = move |_| {
        open.set(false);
        if let Some(el) = opener.get_value() {
            let _ = el.focus();
        }
    };
    view! {
        <dialog node_ref=dialog class="shortcuts-dialog" aria-labelledby="shortcuts-heading" on:close=on_close
            on:keydown=move |ev| if let Some(d) = dialog.get_untracked() { keep_focus_inside(&d, &ev) }>
            <h2 id="shortcuts-heading">"Keyboard shortcuts"</h2>
            <p class="help">"Single keys work anywhere except while you type in a field."</p>
            <table class="shortcuts">
                <tbody>
                    {SHORTCUTS.iter().map(|(key, what)| view! {
                        <tr><th scope="row"><kbd>{*key}</kbd></th><td>{*what}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p class="help">"Everything else is reachable with Tab, Shift+Tab, Enter and Space."</p>
            <div class="dialog-actions">
                <button type="button" class="primary" on:click=move |_| open.set(false)>"Close"</button>
            </div>
        </dialog>
    }
}

/// Tab and Shift+Tab cycle through the dialog's controls instead of leaving it.
fn keep_focus_inside(dialog: &web_sys::HtmlDialogElement, ev: &web_sys::KeyboardEvent) {
    if ev.key() != "Tab" {
        return;
    }
    let Ok(list) =
        dialog.query_selector_all("button, [href], input, select, textarea, [tabindex]:not([tabindex=\"-1\"])")
    else {
        return;
    };
    let controls: Vec<web_sys::HtmlElement> =
        (0..list.length()).filter_map(|i| list.item(i)?.dyn_into::<web_sys::HtmlElement>().ok()).collect();
    let (Some(first), Some(last)) = (controls.first(), controls.last()) else { return };
    let active = document().active_element();
    let at = |el: &web_sys::HtmlElement| active.as_ref().is_some_and(|a| a == el.unchecked_ref::<web_sys::Element>());
    let inside = active.as_ref().is_some_and(|a| dialog.contains(Some(a)));
    let wrap_to = if ev.shift_key() && (at(first) || !inside) {
        Some(last)
    } else if !ev.shift_key() && (at(last) || !inside) {
        Some(first)
    } else {
        None
    };
    if let Some(target) = wrap_to {
        ev.prevent_default();
        let _ = target.focus();
    }
}

// ---------------------------------------------------------------------------------------
// Focus after navigation.

/// After moving to another page, puts focus on the new page's main heading (so a screen
/// reader announces it and Tab continues from there), unless the page placed focus itself.
#[component]
pub fn FocusOnNavigation() -> impl IntoView {
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            let old = page_heading();
            let navigation = NAVIGATIONS.with(|n| n.get() + 1);
            NAVIGATIONS.with(|n| n.set(navigation));
            let until = js_sys::Date::now() + NEW_PAGE_WAIT_MS;
            request_animation_frame(move || focus_when_drawn_anew(old, navigation, until));
        }
        path
    });
}

/// How long focus waits for a page whose code is still being fetched, in milliseconds;
/// after that it stays where it is.
const NEW_PAGE_WAIT_MS: f64 = 10_000.0;

thread_local! {
    /// Counts navigations, so that a wait for a page gives way to a newer one.
    static NAVIGATIONS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// The main heading of the page shown now.
fn page_heading() -> Option<web_sys::Element> {
    document().get_element_by_id("main")?.query_selector("h1").ok().flatten()
}

/// Focuses the new page's heading once it is drawn: a page loaded on demand arrives some
/// frames after the address changed, while the old page is still shown. Gives up when
/// another navigation starts or at `until` (a time in milliseconds).
fn focus_when_drawn_anew(old: Option<web_sys::Element>, navigation: u64, until: f64) {
    if NAVIGATIONS.with(std::cell::Cell::get) != navigation {
        return;
    }
    let heading = page_heading();
    if heading.is_some() && heading != old {
        focus_page_heading();
    } else if js_sys::Date::now() < until {
        request_animation_frame(move || focus_when_drawn_anew(old, navigation, until));
    }
}

/// Puts focus on the main heading of the page shown (or on the main content when it has
/// none), unless focus is already inside the page.
pub(super) fn focus_page_heading() {
    let doc = document();
    let Some(main) = doc.get_element_by_id("main") else { return };
    let focused_inside = doc.active_element().is_some_and(|a| a != main && main.contains(Some(&a)));
    if focused_inside {
        return;
    }
    let target = main.query_selector("h1").ok().flatten().unwrap_or(main);
    if !target.has_attribute("tabindex") {
        let _ = target.set_attribute("tabindex", "-1");
    }
    if let Ok(el) = target.dyn_into::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
}

// ---------------------------------------------------------------------------------------
// Offline: the service worker and updates.

/// The browser's service worker container, when it offers one (only in a secure context:
/// https, or http on localhost).
fn service_workers() -> Option<web_sys::ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker"))
        .unwrap_or(false)
        .then(|| navigator.service_worker())
}

/// Installs the service worker (sw.js, beside index.html) that keeps the app's files for
/// offline use, and sets `update_ready` when a newer version is installed and waiting.
/// Without service workers Debrief still works; it just needs the network to open.
pub fn register_service_worker(update_ready: RwSignal<bool>) {
    let Some(container) = service_workers() else { return };
    // A relative URL resolves against <base href>: sub-path builds register their own copy.
    let registering = container.register("sw.js");
    leptos::task::spawn_local(async move {
        let Ok(registration) = wasm_bindgen_futures::JsFuture::from(registering).await else { return };
        let Ok(registration) = registration.dyn_into::<web_sys::ServiceWorkerRegistration>() else { return };
        watch_for_updates(&container, &registration, update_ready);
    });
}

fn watch_for_updates(
    container: &web_sys::ServiceWorkerContainer,
    registration: &web_sys::ServiceWorkerRegistration,
    update_ready: RwSignal<bool>,
) {
    // A worker waiting while another controls the page is a new version; the very first
    // install has nothing to replace and is not announced.
    let announce = {
        let container = container.clone();
        move || {
            if container.controller().is_some() {
                update_ready.set(true);
            }
        }
    };
    if registration.waiting().is_some() {
        announce();
    }
    // Another tab chose to reload into a new version, which now controls this page too:
    // this page still runs the old one until it reloads.
    if container.controller().is_some() {
        let on_change = Closure::<dyn FnMut()>::new(move || update_ready.set(true));
        container.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
        on_change.forget();
    }
    let follow = {
        let announce = announce.clone();
        move |worker: web_sys::ServiceWorker| {
            let watched = worker.clone();
            let announce = announce.clone();
            // Lives as long as the page: each installing worker is followed once.
            let on_state = Closure::<dyn FnMut()>::new(move || {
                if watched.state() == web_sys::ServiceWorkerState::Installed {
                    announce();
                }
            });
            worker.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
            on_state.forget();
        }
    };
    if let Some(worker) = registration.installing() {
        follow(worker);
    }
    let watched = registration.clone();
    let on_update = Closure::<dyn FnMut()>::new(move || {
        if let Some(worker) = watched.installing() {
            follow(worker);
        }
    });
    registration.set_onupdatefound(Some(on_update.as_ref().unchecked_ref()));
    on_update.forget();
    // A tab left open for days asks for a new version whenever it is shown again.
    let checking = registration.clone();
    let on_visible = window_event_listener_untyped("visibilitychange", move |_| {
        if document().visibility_state() == web_sys::VisibilityState::Visible {
            // Offline, the check fails; that is expected and not worth a console error.
            if let Ok(check) = checking.update() {
                leptos::task::spawn_local(async move {
                    let _ = wasm_bindgen_futures::JsFuture::from(check).await;
                });
            }
        }
    });
    // The app's root lives as long as the page.
    std::mem::forget(on_visible);
}

/// Lets the waiting version take over, then reloads into it.
fn reload_into_update() {
    let reload = || {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    };
    let Some(container) = service_workers() else { return reload() };
    let on_change = Closure::once_into_js(reload);
    container.set_oncontrollerchange(Some(on_change.unchecked_ref()));
    let lookup = container.get_registration();
    leptos::task::spawn_local(async move {
        let waiting = wasm_bindgen_futures::JsFuture::from(lookup)
            .await
            .ok()
            .and_then(|r| r.dyn_into::<web_sys::ServiceWorkerRegistration>().ok())
            .and_then(|r| r.waiting());
        match waiting {
            Some(worker) if worker.post_message(&JsValue::from_str("skip-waiting")).is_ok() => {}
            _ => reload(),
        }
    });
}

/// Says that a new version of Debrief is ready and offers to reload into it.
#[component]
pub fn UpdateNotice(ready: RwSignal<bool>) -> impl IntoView {
    // The live region is always there, so screen readers announce the message when it comes.
    view! {
        <div role="status" class="no-print">
            <Show when=move || ready.get()>
                <div class="notice notice-info update-notice">
                    <p>"A new version of Debrief is ready. Reload to use it; your saved work stays as it is."</p>
                    <div class="notice-actions">
                        <button type="button" class="primary" on:click=move |_| reload_into_update()>"Reload now"</button>
                        <button type="button" class="ghost" on:click=move |_| ready.set(false)>"Later"</button>
                    </div>
                </div>
            </Show>
        </div>
    }
}
