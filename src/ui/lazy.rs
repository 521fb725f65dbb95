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

/// Why, in the sentence a workflow's own message puts after what did not happen ("The
/// files were not read: …").
impl std::fmt::Display for NotLoaded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("this part of Debrief could not be loaded, so the connection may have dropped")
    }
}

/// What a lazy part returns: its view, or why it is missing.
pub type Loaded = Result<AnyView, NotLoaded>;

/// Work a part does that waits: made inside the part, awaited by its caller.
pub type Pending<T> = Pin<Box<dyn Future<Output = T>>>;

/// A way to fetch a part again after it failed.
pub(super) type Retry = std::rc::Rc<dyn Fn() -> Pin<Box<dyn Future<Output = Loaded>>>>;

/// Where a part shows on the page, which its message takes the place of when it cannot
/// be fetched.
#[derive(Clone, Copy)]
pub enum Place {
    /// A page the router shows.
    Page,
    /// The whole app (the library app or the contributor's page): the message is the page's
    /// main content, and the callback runs once the part is on the page.
    Entry(Callback<()>),
    /// A panel inside a page: the message's heading (a level below the page's sections when
    /// `inner`, the panel being inside one), and the id of what to focus once the panel
    /// arrives after Try again (its heading, or the control that opens it).
    Panel { heading: &'static str, focus: &'static str, inner: bool },
}

/// Shows `loaded`, or the message that the part could not be fetched with a "Try again"
/// that fetches it again and shows it in place once it arrives.
fn shown(loaded: Loaded, retry: Retry, place: Place) -> AnyView {
    match loaded {
        Ok(view) => view,
        Err(NotLoaded) => view! { <PartMissing retry=retry place=place /> }.into_any(),
    }
}

thread_local! {
    /// Notified whenever a part arrives after its page was shown (a missing part's message
    /// then tries its own part again).
    static PART_ARRIVED: ArcTrigger = ArcTrigger::new();
}

/// The message for a part of the app that could not be fetched: the network dropped, or
/// Debrief was updated since this page was opened (the old parts are gone from the host).
#[component]
fn PartMissing(retry: Retry, place: Place) -> impl IntoView {
    let arrived = RwSignal::new_local(None::<AnyView>);
    let trying = RwSignal::new(false);
    let tries = RwSignal::new(0_u32);
    let done = StoredValue::new(false);
    let retry = StoredValue::new_local(retry);
    // The page that arrives belongs to this message's owner, which lives on; not to the
    // message's view, which it replaces.
    let owner = Owner::current().unwrap_or_default();
    // `asked`: the person pressed Try again (focus follows the part that arrives); else
    // another part just arrived, so the network is back and this one is tried again too.
    let attempt = move |asked: bool| {
        // Trying already, or shown: the part that arrived stays as it is.
        if trying.get_untracked() || done.get_value() {
            return;
        }
        trying.set(true);
        let retry = retry.get_value();
        owner.with(|| {
            leptos::task::spawn_local_scoped_with_cancellation(async move {
                let outcome = retry().await;
                // The message may have gone meanwhile (another page was opened).
                let _ = trying.try_set(false);
                match outcome {
                    Ok(view) => {
                        let shown = arrived.try_set(Some(view)).is_none();
                        if shown {
                            done.set_value(true);
                            PART_ARRIVED.with(ArcTrigger::notify);
                        }
                        if shown && let Place::Entry(on_shown) = place {
                            on_shown.run(());
                        }
                        if shown && asked {
                            // The part replaced the message and its focused button.
                            match place {
                                Place::Entry(_) | Place::Page => {
                                    request_animation_frame(super::shell::focus_page_heading)
                                }
                                Place::Panel { focus, .. } => {
                                    super::components::focus_heading_when_drawn(focus.to_owned())
                                }
                            }
                        }
                    }
                    Err(NotLoaded) if asked => drop(tries.try_update(|n| *n += 1)),
                    Err(NotLoaded) => {}
                }
            })
        });
    };
    let again = {
        let attempt = attempt.clone();
        move |_| attempt(true)
    };
    // Another part arriving means the network is back: this one is tried again too.
    let arrivals = PART_ARRIVED.with(Clone::clone);
    Effect::new(move |first: Option<()>| {
        arrivals.track();
        if first.is_some() {
            attempt(false);
        }
    });
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
            let heading = match place {
                Place::Panel { heading, inner: false, .. } => view! { <h2>{heading}</h2> }.into_any(),
                Place::Panel { heading, inner: true, .. } => view! { <h3>{heading}</h3> }.into_any(),
                Place::Page | Place::Entry(_) => view! { <h1>"This page could not be loaded"</h1> }.into_any(),
            };
            let message = view! {
                <section class="part-missing" class:page=!matches!(place, Place::Panel { .. }) class:card=matches!(place, Place::Panel { .. })>
                    {heading}
                    <Notice kind=NoticeKind::Error message=Signal::derive(message)>
                        <button type="button" class="primary" on:click=again
                            aria-disabled=move || trying.get().then_some("true")>
                            {move || if trying.get() { "Trying…" } else { "Try again" }}
                        </button>
                        <button type="button" class="secondary" on:click=reload>"Reload Debrief"</button>
                    </Notice>
                </section>
            };
            if matches!(place, Place::Entry(_)) {
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
/// not split) it is a plain function. It returns `Result<_, NotLoaded>`: `Err` when the
/// part could not be fetched. Work that waits is returned as a [`Pending`] future, made
/// inside the part, so that its code is the part's too.
macro_rules! part {
    ($(#[$doc:meta])* $part:ident, fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $body:block) => {
        $(#[$doc])*
        #[cfg(not(debug_assertions))]
        #[::leptos::wasm_split::wasm_split($part, wasm_split_path = ::leptos::wasm_split, fallible)]
        fn $name($($arg: $ty),*) -> $ret $body

        $(#[$doc])*
        #[cfg(debug_assertions)]
        async fn $name($($arg: $ty),*) -> $ret $body
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
                shown($load().await, std::rc::Rc::new(|| Box::pin($load())), Place::Page)
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
    /// A postmortem as a document to read or print (a part of its own: most who read do not
    /// edit).
    ReadRoute in document, read_page, super::pages::ReadPage;
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

/// Shows a part fetched when this is first drawn (`load`; a panel's once the page around
/// it is painted), nothing while it comes, and the message with "Try again" if it cannot
/// be fetched, in its `place`.
#[component]
pub(super) fn LazyPart(load: Retry, place: Place) -> impl IntoView {
    let part = RwSignal::new_local(None::<AnyView>);
    let first = load.clone();
    leptos::task::spawn_local_scoped_with_cancellation(async move {
        // A panel's part waits until the page around it is painted: it never holds it up.
        if matches!(place, Place::Panel { .. }) {
            super::browser::after_paint().await;
        }
        let loaded = first().await;
        let arrived = loaded.is_ok();
        // Gone meanwhile (the address changed from an invitation to the library): nothing
        // to show.
        let on_page = part.try_set(Some(shown(loaded, load, place))).is_none();
        if on_page && arrived {
            PART_ARRIVED.with(ArcTrigger::notify);
            if let Place::Entry(on_shown) = place {
                on_shown.run(());
            }
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
    view! { <LazyPart load=load place=Place::Entry(Callback::new(|()| {})) /> }.into_any()
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
