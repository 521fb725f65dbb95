//! The app's root: opens the library, provides it, and routes to the pages.

use super::pages::{EditorPage, LibraryPage, NotFoundPage, PrintPage, TrashPage};
use super::routes::{AppRoute, base};
use super::state::Library;
use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

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

/// Debrief's root component.
#[component]
pub fn App() -> impl IntoView {
    let library = Library::provide();
    let trash_count = move || library.summaries.with(|all| all.iter().filter(|s| s.deleted_at.is_some()).count());
    view! {
        <Router base=base()>
            // A plain "#main" would resolve against <base href> and leave the page.
            <a class="skip-link" href="#main" on:click=skip_to_main>"Skip to content"</a>
            <header class="app-header no-print">
                <A href=AppRoute::Library.href() attr:class="brand">
                    <span class="brand-mark" aria-hidden="true">"◆"</span>
                    " Debrief"
                </A>
                <nav aria-label="Main">
                    <A href=AppRoute::Library.href() exact=true>"Library"</A>
                    <A href=AppRoute::Trash.href()>
                        "Trash"
                        <Show when=move || { trash_count() > 0 }>
                            <span class="count" aria-label=move || format!("{} in trash", trash_count())>
                                {trash_count}
                            </span>
                        </Show>
                    </A>
                </nav>
                <p class="privacy-note">"Stored only in this browser"</p>
            </header>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=LibraryPage />
                    <Route path=path!("/trash") view=TrashPage />
                    <Route path=path!("/postmortems/:id") view=EditorPage />
                    <Route path=path!("/postmortems/:id/print") view=PrintPage />
                </Routes>
            </main>
        </Router>
    }
}
