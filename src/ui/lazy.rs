//! Parts of the app loaded on demand. The release build (`scripts/split-wasm.sh`, run by
//! Trunk's post-build hook) cuts the wasm at each `wasm_split` function below: the first
//! load fetches only the start-up module and the part the opening page needs; each other
//! page's code arrives when it is first opened (and the service worker keeps every part
//! for offline use once the library app is shown). Outside the browser, and in debug
//! builds that are not split, these functions are plain calls.
//!
//! A part that cannot be fetched (the network went away between two pages, or the host
//! was updated under an open tab) shows a clear message with Try again and Reload, never a
//! blank page or a crash.

use super::components::{Notice, NoticeKind};
use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
#[cfg(not(debug_assertions))]
use leptos::wasm_split::wasm_split;
use leptos_router::LazyRoute;
use std::future::Future;
use std::pin::Pin;

/// A part of the app that could not be fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotLoaded;

impl From<SplitLoaderError> for NotLoaded {
    fn from(_: SplitLoaderError) -> Self {
        Self
    }
}

/// What a lazy part returns: its view, or why it is missing.
pub type Loaded = Result<AnyView, NotLoaded>;

/// A way to fetch a part again after it failed.
pub(super) type Retry = std::rc::Rc<dyn Fn() -> Pin<Box<dyn Future<Output = Loaded>>>>;

/// Shows `loaded`, or the message that the part could not be fetched with a "Try again"
/// that fetches it again and shows it in place once it arrives. `entry`: the part is the
/// whole app (the library app or the contributor's page), so the message is the page's
/// main content, and `on_shown` runs once the part is on the page.
fn shown(loaded: Loaded, retry: Retry, entry: Option<Callback<()>>) -> AnyView {
    match loaded {
        Ok(view) => view,
        Err(NotLoaded) => view! { <PartMissing retry=retry entry=entry /> }.into_any(),
    }
}

/// The message for a part of the app that could not be fetched: the network dropped, or
/// Debrief was updated since this page was opened (the old parts are gone from the host).
#[component]
fn PartMissing(retry: Retry, entry: Option<Callback<()>>) -> impl IntoView {
    let arrived = RwSignal::new_local(None::<AnyView>);
    let trying = RwSignal::new(false);
    let tries = RwSignal::new(0_u32);
    let retry = StoredValue::new_local(retry);
    // The page that arrives belongs to this message's owner, which lives on; not to the
    // message's view, which it replaces.
    let owner = Owner::current().unwrap_or_default();
    let again = move |_| {
        if trying.get_untracked() {
            return;
        }
        trying.set(true);
        let retry = retry.get_value();
        owner.with(|| {
            leptos::task::spawn_local_scoped(async move {
                let outcome = retry().await;
                // The message may have gone meanwhile (another page was opened).
                let _ = trying.try_set(false);
                match outcome {
                    Ok(view) => {
                        if arrived.try_set(Some(view)).is_none() {
                            if let Some(on_shown) = entry {
                                on_shown.run(());
                            }
                            // The page replaced the message and its focused button.
                            request_animation_frame(super::shell::focus_page_heading);
                        }
                    }
                    Err(NotLoaded) => drop(tries.try_update(|n| *n += 1)),
                }
            })
        });
    };
    let message = move || {
        let base = "This part of Debrief could not be loaded: the connection may have dropped. \
                    Your postmortems are safe in this browser. Check the connection, then try again; \
                    if Debrief was updated since this page was opened, reload it instead.";
        match tries.get() {
            0 => base.to_owned(),
            n => format!("{base} (Tried again {n} {}: still not loaded.)", if n == 1 { "time" } else { "times" }),
        }
    };
    let reload = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    };
    move || match take(arrived) {
        Some(view) => view,
        None => {
            let again = again.clone();
            // aria-disabled rather than disabled: a disabled button would drop the focus.
            let message = view! {
                <section class="page part-missing">
                    <h1>"This page could not be loaded"</h1>
                    <Notice kind=NoticeKind::Error message=Signal::derive(message)>
                        <button type="button" class="primary" on:click=again
                            aria-disabled=move || trying.get().then_some("true")>
                            {move || if trying.get() { "Trying…" } else { "Try again" }}
                        </button>
                        <button type="button" class="secondary" on:click=reload>"Reload Debrief"</button>
                    </Notice>
                </section>
            };
            if entry.is_some() {
                view! { <main id="main" tabindex="-1">{message}</main> }.into_any()
            } else {
                message.into_any()
            }
        }
    }
}

/// A function whose code is a part of its own, called as `name(args).await`: in a release
/// build its first call fetches the part (`wasm_split`, which the release build cuts at);
/// in a debug build (the browser tests' and `trunk serve`'s without `--release`, which are
/// not split) it is a plain function.
macro_rules! part {
    ($(#[$doc:meta])* $part:ident, fn $name:ident($($arg:ident: $ty:ty),*) -> Loaded $body:block) => {
        $(#[$doc])*
        #[cfg(not(debug_assertions))]
        #[wasm_split($part, wasm_split_path = ::leptos::wasm_split, fallible)]
        fn $name($($arg: $ty),*) -> Loaded $body

        $(#[$doc])*
        #[cfg(debug_assertions)]
        async fn $name($($arg: $ty),*) -> Loaded $body
    };
}
pub(super) use part;

/// Pages that are parts of their own: the router fetches a page's part before showing it.
/// Each line: the route's type, the part it is in, its loading function, the page.
macro_rules! lazy_pages {
    ($($(#[$doc:meta])* $route:ident in $part:ident, $load:ident, $page:path;)*) => {$(
        $(#[$doc])*
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                Self
            }

            async fn view(_: Self) -> AnyView {
                shown($load().await, std::rc::Rc::new(|| Box::pin($load())), None)
            }
        }

        part!($part, fn $load() -> Loaded {
            use $page as Page;
            Ok(view! { <Page /> }.into_any())
        });
    )*};
}

lazy_pages! {
    /// A postmortem, to edit (and in guided mode).
    EditorRoute in postmortem, editor_page, super::pages::EditorPage;
    /// A postmortem as a document to read or print.
    ReadRoute in postmortem, read_page, super::pages::ReadPage;
    /// Choosing a template for a new postmortem.
    NewPostmortemRoute in pages, new_postmortem_page, super::pages::NewPostmortemPage;
    /// The templates.
    TemplatesRoute in pages, templates_page, super::pages::TemplatesPage;
    /// One template.
    TemplateEditorRoute in pages, template_editor_page, super::pages::TemplateEditorPage;
    /// The trash.
    TrashRoute in pages, trash_page, super::pages::TrashPage;
    /// How much room the library takes.
    StorageRoute in pages, storage_page, super::pages::StoragePage;
    /// Every action item.
    ActionsRoute in pages, actions_page, super::pages::ActionsPage;
    /// Learning metrics.
    MetricsRoute in pages, metrics_page, super::pages::MetricsPage;
    /// The learning report.
    ReportRoute in pages, report_page, super::pages::ReportPage;
}

/// Shows a part fetched when this is first drawn (`load`), nothing while it comes, and
/// the message with "Try again" if it cannot be fetched. `on_shown` runs once the part is
/// on the page.
#[component]
pub(super) fn LazyPart(load: Retry, on_shown: Callback<()>) -> impl IntoView {
    let part = RwSignal::new_local(None::<AnyView>);
    let first = load.clone();
    leptos::task::spawn_local_scoped(async move {
        let loaded = first().await;
        let arrived = loaded.is_ok();
        // Gone meanwhile (the address changed from an invitation to the library): nothing
        // to show.
        if part.try_set(Some(shown(loaded, load, Some(on_shown)))).is_none() && arrived {
            on_shown.run(());
        }
    });
    move || take(part)
}

/// The view in `slot` once it arrives, taken out to be drawn (a view is drawn once).
fn take(slot: RwSignal<Option<AnyView>, LocalStorage>) -> Option<AnyView> {
    slot.track();
    slot.try_update_untracked(Option::take).flatten()
}

/// The contributor's page for the invitation in `fragment` (the link's part after `#`);
/// it never loads the library. Nor does it start the service worker, which would fetch
/// every part of the app in the background: a contributor's phone downloads only this page.
pub fn contribute(fragment: String, on_leave: Callback<()>) -> AnyView {
    let load: Retry = std::rc::Rc::new(move || Box::pin(contribute_part(fragment.clone(), on_leave)));
    view! { <LazyPart load=load on_shown=Callback::new(|()| {}) /> }.into_any()
}

part!(
    contribute,
    fn contribute_part(fragment: String, on_leave: Callback<()>) -> Loaded {
        use crate::file_format::contribution::read_invitation_fragment;
        let Some(invitation) = read_invitation_fragment(&fragment) else {
            return Ok(().into_any());
        };
        Ok(view! {
            <super::pages::ContributePage invitation=invitation on_leave=on_leave />
            <footer class="app-footer no-print"><super::shell::ThemeSwitch /></footer>
        }
        .into_any())
    }
);
