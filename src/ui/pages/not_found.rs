//! Shown for any address that is not a page of Debrief.

use crate::ui::routes::AppRoute;
use leptos::prelude::*;
use leptos_router::components::A;

/// The page for unknown addresses.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <section class="empty-state">
            <h1>"Page not found"</h1>
            <p>"This address is not part of Debrief. The link may be mistyped or cut short."</p>
            <A href=AppRoute::Library.href()>"Go to the library"</A>
        </section>
    }
}
