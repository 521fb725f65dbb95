//! The route `/storage`: how much room the library takes in this browser, how much is
//! left, and whether the browser has agreed to keep it.

use crate::storage::browser_journal::BrowserJournal;
use crate::storage::journal::{Journal, JournalSize, size_of};
use crate::ui::browser::{persisted, request_persistence};
use crate::ui::components::{DismissibleNotice, Notice, NoticeKind};
use crate::ui::routes::AppRoute;
use crate::ui::state::{Library, Room, size_text};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

/// The storage page.
#[component]
pub fn StoragePage() -> impl IntoView {
    let library = Library::expect();
    let room = Room::expect();
    let failure = RwSignal::new(None::<String>);
    let said = RwSignal::new(None::<String>);
    let measuring = RwSignal::new(false);
    let measure = move || {
        measuring.set(true);
        // Let "Measuring…" show before the browser is busy writing.
        set_timeout(
            move || {
                let result = room.measure();
                let _ = measuring.try_set(false);
                let _ = failure.try_set(result.err());
            },
            std::time::Duration::from_millis(30),
        );
    };
    measure();
    let kept = RwSignal::new(None::<Option<bool>>);
    let journal = RwSignal::new(None::<Result<JournalSize, String>>);
    leptos::task::spawn_local(async move {
        let size = BrowserJournal.entries().await.map(|e| size_of(&e)).map_err(|e| e.to_string());
        let _ = journal.try_set(Some(size));
    });
    spawn_local(async move {
        let answer = persisted().await;
        let _ = kept.try_set(Some(answer));
    });
    let ask = move |_| {
        spawn_local(async move {
            let answer = request_persistence().await;
            let _ = kept.try_set(Some(answer));
            let _ = said.try_set(Some(match answer {
                Some(true) => "The browser agreed to keep Debrief's data.".to_owned(),
                Some(false) => "The browser did not agree. Browsers decide by how often a site is used, whether it is bookmarked or installed; keep backups either way.".to_owned(),
                None => "This browser cannot be asked.".to_owned(),
            }));
        });
    };
    let backup = move |_| {
        said.set(Some(library.download_backup().unwrap_or_else(|e| format!("The backup could not be made: {e}"))))
    };
    view! {
        <section class="page storage-page">
            <h1>"Storage"</h1>
            <p class="lede">"Everything Debrief holds lives in this browser's storage for this site. Here is how much room it takes and whether the browser will keep it."</p>
            <DismissibleNotice kind=NoticeKind::Info message=said />
            {move || failure.get().map(|f| view! { <Notice kind=NoticeKind::Error message=format!("The room left could not be measured: {f}") /> })}
            <section class="card" aria-labelledby="space-heading">
                <h2 id="space-heading">"Space"</h2>
                {move || match room.capacity.get() {
                    None => view! { <p role="status">"Measuring…"</p> }.into_any(),
                    Some(c) => {
                        let percent = (c.share_used() * 100.0).round();
                        view! {
                            <p data-testid="usage">{format!(
                                "Debrief and this site use {} of {} ({percent}%).",
                                size_text(c.usage.total), size_text(c.size)
                            )}</p>
                            <meter min="0" max=c.size.to_string() value=c.usage.total.to_string() high=(c.size * 4 / 5).to_string()
                                aria-label="Storage used">{format!("{percent}%")}</meter>
                            <ul class="usage-parts">
                                <li>{format!(
                                    "{} (the trash included): {}",
                                    match c.usage.document_count { 1 => "1 postmortem".to_owned(), n => format!("{n} postmortems") },
                                    size_text(c.usage.documents)
                                )}</li>
                                <li>{format!("Library list, templates, keys and settings: {}", size_text(c.usage.other_debrief))}</li>
                                <li>{format!("Free: {}", size_text(c.room()))}
                                    {c.more_postmortems().map(|n| format!(", room for about {n} more postmortems of the average size here"))}
                                </li>
                            </ul>
                            {c.nearly_full().then(|| view! {
                                <Notice kind=NoticeKind::Warning message=format!(
                                    "Storage is {percent}% full. When it is full, edits cannot be saved. Download a backup, then delete postmortems you no longer need and empty the trash."
                                )>
                                    <button type="button" class="primary" on:click=backup>"Back up everything"</button>
                                    <A href=AppRoute::Trash.href() attr:class="button-link">"Open the trash"</A>
                                </Notice>
                            })}
                        }.into_any()
                    }
                }}
                <button type="button" class="secondary" on:click=move |_| measure() disabled=measuring>
                    {move || if measuring.get() { "Measuring…" } else { "Measure again" }}
                </button>
                <p class="help">"Measured by writing a test entry until the browser refuses, then removing it: browsers do not say how large this storage is. Sizes count two bytes per character, as browsers store text."</p>
                <p data-testid="journal">{move || match journal.get() {
                    None => "Save journal: measuring…".to_owned(),
                    Some(Err(e)) => format!("Save journal: not available ({e}). Saves are kept in this browser's storage, but a crash in the seconds after a save could lose it."),
                    Some(Ok(size)) => format!(
                        "Save journal (kept in IndexedDB so that a save survives a crash; each entry goes an hour after its save): {}, {}.",
                        match size.entries { 1 => "1 recent save".to_owned(), n => format!("{n} recent saves") },
                        size_text(size.chars * 2)
                    ),
                }}</p>
            </section>
            <section class="card" aria-labelledby="keep-heading">
                <h2 id="keep-heading">"Keeping your data"</h2>
                <p data-testid="persistence">{move || match kept.get() {
                    None => "Asking the browser…".to_owned(),
                    Some(Some(true)) => "This browser has agreed to keep Debrief's data, even when space runs low.".to_owned(),
                    Some(Some(false)) => "This browser has not agreed to keep Debrief's data: it may clear it when space runs low, and some browsers clear sites not visited for weeks.".to_owned(),
                    Some(None) => "This browser cannot say whether it will keep Debrief's data.".to_owned(),
                }}</p>
                <Show when=move || kept.get() == Some(Some(false))>
                    <button type="button" class="secondary" on:click=ask>"Ask the browser to keep it"</button>
                </Show>
                <p class="help">"Either way, a backup file kept elsewhere is the copy that survives a cleared browser."</p>
                <button type="button" class="secondary" on:click=backup>"Back up everything"</button>
            </section>
        </section>
    }
}
