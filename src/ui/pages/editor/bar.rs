//! The bar that stays above the editor: the section links (or "Guided mode"), whether
//! everything is saved, and the export menu.

use super::SECTIONS;
use super::session::SaveSession;
use crate::app::backup::markdown_file;
use crate::app::editor::SaveState;
use crate::domain::Postmortem;
use crate::ui::browser::{copy_text, download_text};
use crate::ui::routes::AppRoute;
use crate::ui::state::Library;
use leptos::prelude::*;
use leptos_router::components::A;

/// The editor's bar: sections, save status and export. What an export did is said in
/// `said`, what went wrong in `failed`.
#[component]
pub fn EditorBar(
    pm: RwSignal<Postmortem>,
    session: SaveSession,
    guided: Signal<bool>,
    said: RwSignal<Option<String>>,
    failed: RwSignal<Option<String>>,
) -> impl IntoView {
    let has_answers = Memo::new(move |_| {
        pm.with(|p| {
            !p.answers.is_empty()
                || p.template
                    .as_ref()
                    .is_some_and(|t| t.sections.iter().any(|s| s.part == crate::domain::template::Part::Text))
        })
    });
    // Full paths: a bare "#id" would resolve against <base href> and leave the editor.
    let here = AppRoute::Postmortem(pm.with_untracked(|p| p.id)).href();
    view! {
        <div class="editor-bar">
            <nav class="section-nav" aria-label="Sections">
                <Show when=move || !guided.get() fallback=move || view! { <span class="guided-label">"Guided mode"</span> }>
                    {SECTIONS.iter().filter(|(anchor, _)| *anchor != "answers" || has_answers.get()).map(|(anchor, name)| {
                        view! { <a href=format!("{here}#{anchor}")>{*name}</a> }
                    }).collect_view()}
                </Show>
            </nav>
            <div class="save-bar">
                <SaveStatus session=session />
                <A href=AppRoute::Read(pm.with_untracked(|p| p.id)).href() attr:class="button-link" attr:id="read-view">"Read view"</A>
                <ExportMenu pm=pm said=said failed=failed />
            </div>
        </div>
    }
}

/// The saved / saving / not saved line beside the title.
#[component]
pub(super) fn SaveStatus(session: SaveSession) -> impl IntoView {
    let clock = crate::ui::clock::browser_clock();
    let text = move || match session.state() {
        SaveState::Saved(Some(at)) => {
            format!("Saved {}", clock.time_with_seconds(&at.with_timezone(&chrono::Local).naive_local()))
        }
        SaveState::Saved(None) => "All changes saved".to_owned(),
        SaveState::Pending | SaveState::Saving => "Saving…".to_owned(),
        SaveState::Failed(_) | SaveState::Conflict => "Not saved".to_owned(),
    };
    let class = move || match session.state() {
        SaveState::Failed(_) | SaveState::Conflict => "save-status failed",
        SaveState::Pending | SaveState::Saving => "save-status pending",
        SaveState::Saved(_) => "save-status saved",
    };
    view! { <p class=class role="status" id="save-status" tabindex="-1" data-testid="save-status">{text}</p> }
}

/// Downloading or copying the postmortem, with names replaced by roles when asked.
/// What happened is said in `said`, what went wrong in `failed`.
#[component]
fn ExportMenu(
    pm: RwSignal<Postmortem>,
    said: RwSignal<Option<String>>,
    failed: RwSignal<Option<String>>,
) -> impl IntoView {
    let library = Library::expect();
    let redact = RwSignal::new(false);
    let download = move |_| {
        let result = pm.with_untracked(|p| library.download_shared(p, redact.get_untracked()));
        failed.set(
            result.err().map(|e| format!("The download did not start ({e}). Try again, or copy your text elsewhere.")),
        );
    };
    let download_markdown = move |_| {
        let file = pm.with_untracked(|p| markdown_file(p, redact.get_untracked()));
        let result = download_text(&file.name, &file.text, file.mime);
        failed.set(result.err().map(|e| format!("The download did not start ({e}).")));
    };
    let copy_markdown = move |_| {
        let text = pm.with_untracked(|p| markdown_file(p, redact.get_untracked()).text);
        leptos::task::spawn_local(async move {
            match copy_text(&text).await {
                Ok(()) => {
                    let _ = said.try_set(Some("Markdown copied to the clipboard.".to_owned()));
                }
                Err(e) => {
                    let _ = failed.try_set(Some(format!("Could not copy ({e}). Use “Download Markdown” instead.")));
                }
            }
        });
    };
    let print_href = move || {
        let id = pm.with_untracked(|p| p.id);
        AppRoute::Print(id).href() + if redact.get() { "?names=roles" } else { "" }
    };
    view! {
        <details class="export-menu">
            <summary>"Export"</summary>
            <div class="export-options">
                <label class="checkbox">
                    <input type="checkbox" prop:checked=redact on:change:target=move |ev| redact.set(ev.target().checked()) />
                    " Replace names with roles"
                </label>
                <Show when=move || redact.get()>
                    <super::redaction::RedactionPreview pm=pm said=said />
                </Show>
                <button type="button" class="secondary small" on:click=download>"Download as file"</button>
                <button type="button" class="secondary small" on:click=download_markdown>"Download Markdown"</button>
                <button type="button" class="secondary small" on:click=copy_markdown>"Copy Markdown"</button>
                <a class="button-link small" href=print_href>"Print view"</a>
            </div>
        </details>
    }
}
