//! The way out when the app itself fails: a panic (or any other trap of the app's code)
//! shows a message over the page with a reload button and, when edits were not saved yet, a
//! link that downloads them as a Debrief file, instead of leaving a dead page.
//!
//! The message is built with plain DOM calls in the panic hook, before anything else is
//! tried: the reactive system may be what failed. So that the unsaved edits can be offered
//! without reading a signal that may be locked at that moment, whoever holds unsaved edits
//! keeps a plain copy of them here ([`Rescue::hold`]) as they change, with the way to write
//! them as a file ([`write_unsaved`]): passed by the holder, so that the writer's code comes
//! with the holder's part of the app rather than with the start-up every page loads.

use crate::app::backup::{Download, unsaved_file};
use crate::domain::Postmortem;
use chrono::Utc;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

thread_local! {
    /// The copies of unsaved edits, by holder.
    static HELD: RefCell<BTreeMap<u64, Vec<Postmortem>>> = const { RefCell::new(BTreeMap::new()) };
    static NEXT: Cell<u64> = const { Cell::new(0) };
    /// Whether the message is already shown (a failure often brings more in its wake).
    static SHOWN: Cell<bool> = const { Cell::new(false) };
    /// How to write the held edits as a file, given by the holders.
    static WRITER: Cell<Option<Writer>> = const { Cell::new(None) };
}

/// Writes unsaved edits as the one file the message offers.
pub type Writer = fn(&[Postmortem]) -> Option<Download>;

/// The [`Writer`] every holder passes: the edits as one Debrief file.
pub fn write_unsaved(unsaved: &[Postmortem]) -> Option<Download> {
    unsaved_file(unsaved, Utc::now()).ok().flatten()
}

/// A place for one holder's copy of its unsaved edits. A plain key: cheap to copy into
/// closures; [`Rescue::release`] forgets the copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rescue(u64);

impl Rescue {
    /// A new, empty place.
    pub fn new() -> Self {
        Self(NEXT.with(|next| {
            let key = next.get();
            next.set(key + 1);
            key
        }))
    }

    /// Keeps `postmortems` as this holder's unsaved edits (an empty list: none), to be
    /// written by `write` (always [`write_unsaved`]) if the app fails.
    pub fn hold(self, postmortems: Vec<Postmortem>, write: Writer) {
        if !postmortems.is_empty() {
            // Opaque to the optimizer, which would otherwise call the one writer there is
            // directly from the start-up's message and bring its code back there.
            WRITER.with(|writer| writer.set(Some(std::hint::black_box(write))));
        }
        HELD.with(|held| {
            if let Ok(mut held) = held.try_borrow_mut() {
                if postmortems.is_empty() {
                    held.remove(&self.0);
                } else {
                    held.insert(self.0, postmortems);
                }
            }
        });
    }

    /// Forgets this holder's copy.
    pub fn release(self) {
        HELD.with(|held| {
            if let Ok(mut held) = held.try_borrow_mut() {
                held.remove(&self.0);
            }
        });
    }
}

impl Default for Rescue {
    fn default() -> Self {
        Self::new()
    }
}

/// Every unsaved edit held, each postmortem once: the newest holder's copy (an editor
/// opened after its edits were set aside holds the later ones).
fn unsaved() -> Vec<Postmortem> {
    HELD.with(|held| {
        let Ok(held) = held.try_borrow() else { return Vec::new() };
        let mut seen = std::collections::BTreeSet::new();
        held.values().rev().flatten().filter(|pm| seen.insert(pm.id)).cloned().collect()
    })
}

/// Shows the way out when the app panics or its code traps. Call once, first thing.
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show(&info.to_string());
    }));
    // A trap that is not a panic (or one the hook could not report) reaches the window as
    // an uncaught `WebAssembly.RuntimeError`.
    let Some(window) = web_sys::window() else { return };
    for event in ["error", "unhandledrejection"] {
        let on_failure = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
            let field = if ev.type_() == "error" { "error" } else { "reason" };
            let Ok(error) = js_sys::Reflect::get(&ev, &field.into()) else { return };
            if let Some(error) = error.dyn_ref::<js_sys::WebAssembly::RuntimeError>() {
                show(&String::from(AsRef::<js_sys::Error>::as_ref(error).to_string()));
            }
        });
        let _ = window.add_event_listener_with_callback(event, on_failure.as_ref().unchecked_ref());
        on_failure.forget();
    }
}

/// Shows the message over the page (once), with what failed in `detail`.
fn show(detail: &str) {
    if SHOWN.with(|shown| shown.replace(true)) {
        return;
    }
    // Nothing here may panic: a panic inside the panic hook ends the page at once.
    let _ = build(detail);
}

fn build(detail: &str) -> Option<()> {
    let window = web_sys::window()?;
    let document = window.document()?;
    let body = document.body()?;
    let element = |tag: &str, class: &str, text: &str| -> Option<web_sys::Element> {
        let e = document.create_element(tag).ok()?;
        if !class.is_empty() {
            e.set_class_name(class);
        }
        if !text.is_empty() {
            e.set_text_content(Some(text));
        }
        Some(e)
    };
    let dialog = element("dialog", "crash", "")?;
    dialog.set_attribute("role", "alertdialog").ok()?;
    dialog.set_attribute("aria-labelledby", "crash-title").ok()?;
    dialog.set_attribute("aria-describedby", "crash-text").ok()?;
    let title = element("h2", "", "Debrief stopped because of an error")?;
    title.set_id("crash-title");
    dialog.append_child(&title).ok()?;

    let unsaved = unsaved();
    let text = match unsaved.as_slice() {
        [] => "Everything you saved is kept in this browser. Reload Debrief to go on.".to_owned(),
        [one] => format!(
            "Everything you saved is kept in this browser, but your latest edits to “{}” were not saved yet. \
             Download them first; after reloading, import the file and Debrief merges them with the saved version.",
            one.display_title()
        ),
        many => format!(
            "Everything you saved is kept in this browser, but your latest edits to {} postmortems were not saved yet. \
             Download them first; after reloading, import the file and Debrief merges them with the saved versions.",
            many.len()
        ),
    };
    let explanation = element("p", "", &text)?;
    explanation.set_id("crash-text");
    dialog.append_child(&explanation).ok()?;

    let actions = element("div", "dialog-actions", "")?;
    let link = download_link(&document, &unsaved);
    if let Some(link) = &link {
        actions.append_child(link).ok()?;
    }
    let reload = element("button", if link.is_some() { "secondary" } else { "primary" }, "Reload Debrief")?;
    reload.set_attribute("type", "button").ok()?;
    let on_reload = Closure::<dyn Fn()>::new(move || {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    });
    reload.add_event_listener_with_callback("click", on_reload.as_ref().unchecked_ref()).ok()?;
    on_reload.forget();
    actions.append_child(&reload).ok()?;
    dialog.append_child(&actions).ok()?;

    let details = element("details", "crash-details", "")?;
    let summary = element("summary", "", "What failed (for a bug report)")?;
    details.append_child(&summary).ok()?;
    let what = element("pre", "", detail)?;
    details.append_child(&what).ok()?;
    dialog.append_child(&details).ok()?;

    // The message cannot be closed: what is behind it no longer works.
    let on_cancel = Closure::<dyn Fn(web_sys::Event)>::new(|ev: web_sys::Event| ev.prevent_default());
    dialog.add_event_listener_with_callback("cancel", on_cancel.as_ref().unchecked_ref()).ok()?;
    on_cancel.forget();
    body.append_child(&dialog).ok()?;
    let dialog = dialog.dyn_into::<web_sys::HtmlDialogElement>().ok()?;
    if dialog.show_modal().is_err() {
        // Another modal cannot be shown over (a dialog element not yet connected, say):
        // shown without the backdrop, still on top.
        dialog.set_open(true);
        if let Some(first) = dialog.query_selector("a, button").ok().flatten() {
            let _ = first.dyn_into::<web_sys::HtmlElement>().map(|e| e.focus());
        }
    }
    Some(())
}

/// A link that downloads `unsaved` as one Debrief file (none when there is nothing).
fn download_link(document: &web_sys::Document, unsaved: &[Postmortem]) -> Option<web_sys::Element> {
    let file = std::hint::black_box(WRITER.with(Cell::get))?(unsaved)?;
    let parts = js_sys::Array::of1(&file.text.as_str().into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(file.mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let link = document.create_element("a").ok()?.dyn_into::<web_sys::HtmlAnchorElement>().ok()?;
    link.set_class_name("button-link primary crash-download");
    link.set_href(&url);
    link.set_download(&file.name);
    link.set_text_content(Some(if unsaved.len() == 1 {
        "Download unsaved edits"
    } else {
        "Download all unsaved edits"
    }));
    Some(link.into())
}
