//! What the editor says about saving under the bar: news of the stored version, the choice
//! when another tab saved while this one holds edits, and a failed save with its ways out.

use super::session::SaveSession;
use crate::app::editor::SaveState;
use crate::domain::compare::Difference;
use crate::domain::merge::{ConflictKind, Pick};
use crate::storage::StorageError;
use crate::ui::components::{MergeQuestion, Notice, NoticeKind, Sides};
use crate::ui::routes::AppRoute;
use crate::ui::state::{Library, Room, explain, size_text};
use leptos::prelude::*;
use leptos_router::components::A;
use std::collections::BTreeMap;

/// Everything about saving that needs the author's attention. `on_download` offers this
/// page's version as a file; what a backup did is said in `said`.
#[component]
pub fn SaveProblems(session: SaveSession, on_download: Callback<()>, said: RwSignal<Option<String>>) -> impl IntoView {
    // The panels stay (a comparison open, focus on a button) while the session changes
    // otherwise; a failed save's panel measures storage when it is drawn.
    let conflict = Memo::new(move |_| session.in_conflict());
    let state = Memo::new(move |_| session.state());
    view! {
        {move || session.notice().map(|text| view! {
            <Notice kind=NoticeKind::Info message=text>
                <button type="button" class="secondary" on:click=move |_| session.dismiss_notice()>"Dismiss"</button>
            </Notice>
        })}
        {move || conflict.get().then(|| view! { <ConflictPanel session=session on_download=on_download /> })}
        {move || match state.get() {
            SaveState::Failed(e) => Some(view! { <SaveFailure error=e session=session on_download=on_download said=said /> }),
            _ => None,
        }}
    }
}

/// A failed save: what went wrong, how full storage is when it is full, and the ways out.
#[component]
fn SaveFailure(
    error: StorageError,
    session: SaveSession,
    on_download: Callback<()>,
    said: RwSignal<Option<String>>,
) -> impl IntoView {
    let library = Library::expect();
    let full = error == StorageError::QuotaExceeded;
    // Say how much is used: measured now, so it is what the browser refused.
    let used = full.then(|| Room::expect().measure().ok()).flatten().map(|c| {
        format!(
            " Debrief and this site use {} of {}; your edit is still here on the page.",
            size_text(c.usage.total),
            size_text(c.size)
        )
    });
    let backup = move |_| {
        said.set(Some(library.download_backup().unwrap_or_else(|e| format!("The backup could not be made: {e}"))));
    };
    view! {
        <Notice kind=NoticeKind::Error message=format!("{}{}", explain(&error), used.unwrap_or_default())>
            <button type="button" class="primary" on:click=move |_| on_download.run(())>"Download a copy"</button>
            {full.then(|| view! {
                <button type="button" class="secondary" on:click=backup>"Back up everything"</button>
                <A href=AppRoute::Trash.href() attr:class="button-link">"Open the trash"</A>
            })}
            <button type="button" class="secondary" on:click=move |_| session.save_now()>"Try saving again"</button>
        </Notice>
    }
}

/// A value for the differences table, or a stand-in for nothing.
fn or_empty(text: String) -> String {
    if text.trim().is_empty() { "(empty)".to_owned() } else { text }
}

/// A merge question of a conflict with another tab: this tab's version and the one saved
/// elsewhere.
const TAB_SIDES: Sides = Sides { mine: "This tab", theirs: "Saved elsewhere", answers: tab_answers };

fn tab_answers(kind: ConflictKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        ConflictKind::Text => &[
            ("both", "Keep both texts"),
            ("mine", "Keep this tab's"),
            ("theirs", "Use the other tab's"),
            ("own", "Write it yourself"),
        ],
        ConflictKind::Value => &[("mine", "Keep this tab's"), ("theirs", "Use the other tab's")],
        ConflictKind::RemovedHere => &[("theirs", "Keep it, as changed elsewhere"), ("mine", "Remove it")],
        ConflictKind::RemovedThere => &[("mine", "Keep it, as changed here"), ("theirs", "Remove it")],
    }
}

/// Each part both tabs changed, with the answer to merge it by. Asked again as this tab's
/// edits go on (answers given stay).
#[component]
fn ConflictQuestions(session: SaveSession) -> impl IntoView {
    let picks = RwSignal::new(BTreeMap::<String, Pick>::new());
    let questions = move || {
        let questions = session.conflicts().unwrap_or_default();
        let count = questions.len();
        view! {
            <p>{match count {
                0 => "The two versions can be merged.".to_owned(),
                1 => "Everything else merges by itself; one part was changed in both:".to_owned(),
                n => format!("Everything else merges by itself; {n} parts were changed in both:"),
            }}</p>
            <ol class="questions-list">
                {questions.into_iter().enumerate().map(|(n, q)| view! {
                    <MergeQuestion id=format!("tab-conflict-{n}") conflict=q sides=TAB_SIDES picks=picks />
                }).collect_view()}
            </ol>
        }
    };
    view! {
        {questions}
        <button type="button" class="primary" on:click=move |_| session.merge_with(picks.get_untracked())>"Merge and save"</button>
    }
}

/// Shown when another tab or window saved this postmortem while this one has edits, and
/// both changed the same part.
#[component]
fn ConflictPanel(session: SaveSession, on_download: Callback<()>) -> impl IntoView {
    let compared = RwSignal::new(None::<Vec<Difference>>);
    view! {
        <div class="notice notice-warning conflict" role="alert">
            <p>"This postmortem was also changed in another tab or window, and your edits here are not saved yet. Nothing is written over until you choose."</p>
            <ConflictQuestions session=session />
            <p class="help">"Or, instead of merging:"</p>
            <div class="notice-actions">
                <button type="button" class="secondary" on:click=move |_| session.keep_both()>"Keep both"</button>
                <button type="button" class="secondary" on:click=move |_| session.use_theirs()>"Use the other version"</button>
                <button type="button" class="secondary" on:click=move |_| compared.set(session.compare())>"Compare…"</button>
                <button type="button" class="ghost" on:click=move |_| on_download.run(())>"Download this version"</button>
            </div>
            {move || compared.get().map(|found| view! {
                <table class="differences">
                    <caption>{format!("{} differences", found.len())}</caption>
                    <thead><tr><th scope="col">"What"</th><th scope="col">"This tab"</th><th scope="col">"Saved elsewhere"</th></tr></thead>
                    <tbody>
                        {found.into_iter().map(|d| view! {
                            <tr><th scope="row">{d.what}</th><td>{or_empty(d.mine)}</td><td>{or_empty(d.theirs)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <button type="button" class="danger" on:click=move |_| session.overwrite()>"Overwrite with this tab's version"</button>
            })}
        </div>
    }
}
