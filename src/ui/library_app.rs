//! The library app, a part of the app of its own (fetched unless the address is an
//! invitation): opens the library, provides it, and routes to the pages, every one but the
//! library a lazy route.

use super::browser::download_text;
use super::hooks::use_window_listener;
use super::lazy::{
    ActionsRoute, EditorRoute, LazyPart, Loaded, MetricsRoute, NewPostmortemRoute, Place, ReadRoute, ReportRoute,
    StorageRoute, TemplateEditorRoute, TemplatesRoute, TrashRoute, part,
};
use super::pages::{LibraryPage, NotFoundPage};
use super::routes::{AppRoute, base};
use super::shell::{FocusOnNavigation, KeyboardShortcuts, ThemeSwitch};
use super::state::{FolderStatus, Library, Shared};
use crate::app::backup::postmortem_file;
use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::{Lazy, path};

/// The library app, fetched when this is first drawn. `on_shown` runs once it is on the
/// page.
pub fn library_app(on_shown: Callback<()>) -> AnyView {
    view! { <LazyPart load=std::rc::Rc::new(|| Box::pin(library_app_part())) place=Place::Entry(on_shown) /> }
        .into_any()
}

part!(
    library,
    fn library_app_part() -> Loaded {
        Ok(view! { <LibraryApp /> }.into_any())
    }
);

/// Moves focus to the page's main content without navigating.
fn skip_to_main(ev: leptos::ev::MouseEvent) {
    ev.prevent_default();
    if let Some(main) = document().get_element_by_id("main") {
        use wasm_bindgen::JsCast;
        if let Ok(main) = main.dyn_into::<web_sys::HtmlElement>() {
            let _ = main.focus();
        }
    }
}

/// A notice on opening about action items that need attention (`message`; `None`: none
/// do), with a link to them; dismissed for this visit.
#[component]
fn ActionItemsNotice(
    class: &'static str,
    href: String,
    link: &'static str,
    message: impl Fn() -> Option<String> + Send + Sync + Copy + 'static,
) -> impl IntoView {
    let dismissed = RwSignal::new(false);
    view! {
        <Show when=move || message().is_some() && !dismissed.get()>
            <div class=format!("notice {class} no-print") role="status">
                <p>{move || message().unwrap_or_default()}</p>
                <div class="notice-actions">
                    <a class="button-link" href=href.clone()>{link}</a>
                    <button type="button" class="ghost" on:click=move |_| dismissed.set(true)>"Dismiss"</button>
                </div>
            </div>
        </Show>
    }
}

/// The library app: the library and what is shared with it, provided to every page, and
/// the routes.
#[component]
fn LibraryApp() -> impl IntoView {
    let Shared { library, templates, search, unsaved, team, .. } = Shared::provide();
    // Another tab or window saved: show what is stored now.
    use_window_listener(leptos::ev::storage, move |ev| {
        let key = ev.key();
        if Library::concerns_us(key.as_deref()) {
            if let Some(key) = key.as_deref() {
                crate::storage::LocalStore::changed_elsewhere(key);
            }
            library.reopen();
            templates.refresh();
            search.changed_elsewhere(key.as_deref());
        }
    });
    // Once there is something to lose, ask the browser to keep it under storage pressure
    // (the storage page shows the answer and can ask again).
    if !library.summaries.with_untracked(Vec::is_empty) {
        leptos::task::spawn_local(async {
            let _ = super::browser::request_persistence().await;
        });
    }
    let today = chrono::Local::now().date_naive();
    let overdue = move || {
        library.summaries.with(|all| {
            all.iter()
                .filter(|s| s.deleted_at.is_none())
                .flat_map(|s| s.open_due.iter())
                .filter(|d| **d < today)
                .count()
        })
    };
    let reviews_due = move || {
        let days = crate::domain::action_plan::DEFAULT_REVIEW_DAYS;
        library.summaries.with(|all| {
            all.iter().filter(|s| s.deleted_at.is_none()).map(|s| s.reviews_due(today, days)).sum::<usize>()
        })
    };
    let trash_count = move || library.summaries.with(|all| all.iter().filter(|s| s.deleted_at.is_some()).count());
    view! {
        <Router base=base()>
            <FocusOnNavigation />
            // A plain "#main" would resolve against <base href> and leave the page.
            <a class="skip-link" href="#main" on:click=skip_to_main>"Skip to content"</a>
            <header class="app-header no-print">
                <A href=AppRoute::Library.href() attr:class="brand">
                    <span class="brand-mark" aria-hidden="true">"◆"</span>
                    " Debrief"
                </A>
                <nav aria-label="Main">
                    <A href=AppRoute::Library.href() exact=true>"Library"</A>
                    <A href=AppRoute::Actions.href()>"Action items"</A>
                    <A href=AppRoute::Metrics.href()>"Metrics"</A>
                    <A href=AppRoute::Templates.href()>"Templates"</A>
                    <A href=AppRoute::Storage.href()>"Storage"</A>
                    <A href=AppRoute::Trash.href()>
                        "Trash"
                        <Show when=move || { trash_count() > 0 }>
                            <span class="count" aria-label=move || format!("{} in trash", trash_count())>
                                {trash_count}
                            </span>
                        </Show>
                    </A>
                </nav>
                <p class="privacy-note">{move || match team.status.get() {
                    FolderStatus::Connected { name, .. } => format!("Stored in this browser and in “{name}”"),
                    _ => "Stored only in this browser".to_owned(),
                }}</p>
            </header>
            <main id="main" tabindex="-1">
                <For each=move || unsaved.list() key=|(pm, _)| pm.id let((pm, reason))>
                    {
                        let id = pm.id;
                        let title = pm.display_title().to_owned();
                        let download = move |_| {
                            let result = postmortem_file(&pm, false).map_err(|e| e.to_string())
                                .and_then(|f| download_text(&f.name, &f.text, f.mime));
                            if result.is_ok() {
                                unsaved.forget(id);
                            }
                        };
                        view! {
                            <div class="notice notice-error unsaved-notice" role="alert">
                                <p>{format!("Your latest edits to “{title}” were not saved. {reason}")}</p>
                                <div class="notice-actions">
                                    <button type="button" class="primary" on:click=download>"Download them"</button>
                                    <button type="button" class="ghost" on:click=move |_| unsaved.forget(id)>
                                        "Discard"
                                    </button>
                                </div>
                            </div>
                        }
                    }
                </For>
                <ActionItemsNotice class="notice-info review-notice" href=format!("{}?review=1", AppRoute::Actions.href())
                    link="Review them" message=move || match reviews_due() {
                        0 => None,
                        1 => Some("1 done action item awaits its “did it work?” review.".to_owned()),
                        n => Some(format!("{n} done action items await their “did it work?” review.")),
                    } />
                <ActionItemsNotice class="notice-warning overdue-notice" href=format!("{}?overdue=1", AppRoute::Actions.href())
                    link="See overdue items" message=move || match overdue() {
                        0 => None,
                        1 => Some("1 action item is overdue.".to_owned()),
                        n => Some(format!("{n} action items are overdue.")),
                    } />
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=LibraryPage />
                    <Route path=path!("/new") view={Lazy::<NewPostmortemRoute>::new()} />
                    <Route path=path!("/templates") view={Lazy::<TemplatesRoute>::new()} />
                    <Route path=path!("/templates/:id") view={Lazy::<TemplateEditorRoute>::new()} />
                    <Route path=path!("/trash") view={Lazy::<TrashRoute>::new()} />
                    <Route path=path!("/storage") view={Lazy::<StorageRoute>::new()} />
                    <Route path=path!("/actions") view={Lazy::<ActionsRoute>::new()} />
                    <Route path=path!("/metrics") view={Lazy::<MetricsRoute>::new()} />
                    <Route path=path!("/report") view={Lazy::<ReportRoute>::new()} />
                    <Route path=path!("/postmortems/:id") view={Lazy::<EditorRoute>::new()} />
                    <Route path=path!("/postmortems/:id/print") view={Lazy::<ReadRoute>::new()} />
                    <Route path=path!("/postmortems/:id/read") view={Lazy::<ReadRoute>::new()} />
                </Routes>
            </main>
            <footer class="app-footer no-print">
                <ThemeSwitch />
                <KeyboardShortcuts />
            </footer>
        </Router>
    }
}
