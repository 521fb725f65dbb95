//! The editor: every part of one postmortem, saved automatically as the author writes.

mod actions;
mod contributions;
mod factors;
mod lessons;
mod overview;
mod people;
pub mod template;
mod timeline;
mod times;

use super::library_import::download_backup;
use crate::domain::compare::{Difference, differences};
use crate::domain::markdown::to_markdown;
use crate::domain::redact::redact_names;
use crate::domain::wording::{Category, Dismissal, FieldFinding, apply_rewrite, open_findings, text_mut};
use crate::domain::{ItemId, Postmortem, PostmortemId, Row};
use crate::file_format::{export_postmortem, file_name_for};
use crate::storage::StorageError;
use crate::ui::browser::{copy_text, download_text};
use crate::ui::components::{DismissibleNotice, Notice, NoticeKind, WordingHooks, focus_when_drawn};
use crate::ui::routes::AppRoute;
use crate::ui::shell::{is_save_chord, shortcut_key};
use crate::ui::state::{Library, explain, size_text};
use chrono::Utc;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use std::collections::HashMap;
use std::time::Duration;
use wasm_bindgen::JsCast;

/// How long after the last change the postmortem is saved.
const SAVE_DELAY: Duration = Duration::from_millis(400);
/// How long after the last keystroke the wording is checked again.
const CHECK_DELAY: Duration = Duration::from_millis(250);

/// The wording assistant's view of the postmortem being edited, shared with its sections.
#[derive(Clone, Copy)]
pub(crate) struct Wording {
    /// Every open finding, refreshed shortly after each change.
    pub open: RwSignal<Vec<FieldFinding>>,
    /// Set while the author is asked to confirm publishing with open findings.
    pub confirm_publish: RwSignal<bool>,
}

/// The editor's sections: element id and name, in page order.
const SECTIONS: [(&str, &str); 10] = [
    ("template", "Template"),
    ("overview", "Overview"),
    ("answers", "Answers"),
    ("times", "Key times"),
    ("people", "People and impact"),
    ("timeline", "Timeline"),
    ("factors", "Factors"),
    ("actions", "Action items"),
    ("lessons", "Lessons"),
    ("contributions", "Contributions"),
];

/// Where the latest edits are.
#[derive(Debug, Clone, PartialEq)]
enum SaveState {
    /// Everything is stored; the time of the last save, if any in this visit.
    Saved(Option<chrono::DateTime<Utc>>),
    /// A change is waiting for the save delay to pass.
    Pending,
    /// The last save failed; the edits are still in memory.
    Failed(StorageError),
}

/// The route `/postmortems/:id`.
#[component]
pub fn EditorPage() -> impl IntoView {
    let library = Library::expect();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).and_then(|raw| PostmortemId::parse(&raw)));
    move || match id.get() {
        None => view! { <Missing /> }.into_any(),
        Some(id) => match library.load(&id) {
            Ok(pm) => view! { <Editor initial=pm /> }.into_any(),
            Err(StorageError::NotFound) => view! { <Missing /> }.into_any(),
            Err(StorageError::Corrupt { key, reason }) => view! { <Unreadable key reason /> }.into_any(),
            Err(e) => view! {
                <div class="page"><Notice kind=NoticeKind::Error message=explain(&e) /></div>
            }
            .into_any(),
        },
    }
}

#[component]
fn Missing() -> impl IntoView {
    view! {
        <section class="empty-state">
            <h1>"Postmortem not found"</h1>
            <p>"There is no postmortem at this address in this browser. Postmortems live in the browser they were written in; ask its author for an exported file."</p>
            <A href=AppRoute::Library.href()>"Go to the library"</A>
        </section>
    }
}

#[component]
fn Unreadable(key: String, reason: String) -> impl IntoView {
    let library = Library::expect();
    let failure = RwSignal::new(None::<String>);
    let download = {
        let key = key.clone();
        move |_| {
            failure.set(library.download_raw(&key).err());
        }
    };
    view! {
        <section class="page">
            <h1>"This postmortem could not be read"</h1>
            <Notice kind=NoticeKind::Warning message=format!("The stored copy ({key}) is damaged: {reason}. Debrief keeps it exactly as it is and will not write over it.")>
                <button type="button" class="primary" on:click=download>"Download raw text"</button>
            </Notice>
            {move || failure.get().map(|f| view! { <p role="alert">{format!("Download failed: {f}")}</p> })}
            <A href=AppRoute::Library.href()>"Back to the library"</A>
        </section>
    }
}

/// Edits one loaded postmortem and saves it shortly after every change.
#[component]
fn Editor(initial: Postmortem) -> impl IntoView {
    let library = Library::expect();
    let pm = RwSignal::new(initial);
    let state = RwSignal::new(SaveState::Saved(None));
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let dirty = StoredValue::new(false);
    let download_error = RwSignal::new(None::<String>);
    // Set just before `pm` is replaced by what is stored, so the change is not saved back.
    let replaced = StoredValue::new(false);
    // A newer version saved in another tab or window while this one has unsaved edits.
    let elsewhere = RwSignal::new(None::<Postmortem>);
    let synced = RwSignal::new(None::<String>);
    // The wording check of a long postmortem takes a while: it runs once the editor is shown.
    let open = RwSignal::new(Vec::new());
    let wording = Wording { open, confirm_publish: RwSignal::new(false) };
    let check_timer = StoredValue::new(None::<TimeoutHandle>);
    // May run from a timer after the editor is gone: then there is nothing to check.
    let recheck = move || {
        if let Some(found) = pm.try_with_untracked(open_findings) {
            let _ = open.try_set(found);
        }
    };
    provide_context(wording);
    // Just after the first frame is painted (a timer set while a frame is drawn fires
    // after it), so a long postmortem shows before its wording is checked.
    request_animation_frame(move || set_timeout(recheck, Duration::ZERO));
    provide_context(WordingHooks {
        findings: Callback::new(move |key: String| {
            Signal::derive(move || {
                open.with(|all| all.iter().filter(|f| f.field == key).map(|f| f.finding.clone()).collect())
            })
        }),
        dismiss: Callback::new(move |(key, finding): (String, crate::domain::wording::Finding)| {
            pm.update(|p| p.dismissed_findings.push(Dismissal::of(&key, &finding)));
            recheck();
        }),
        apply: Callback::new(move |(key, finding): (String, crate::domain::wording::Finding)| {
            pm.update(|p| {
                if let Some(text) = text_mut(p, &key) {
                    apply_rewrite(text, &finding);
                }
            });
            recheck();
            focus_when_drawn(key);
        }),
    });

    let save_now = move || {
        if let Some(handle) = timer.get_value() {
            handle.clear();
            timer.set_value(None);
        }
        if !dirty.get_value() {
            return;
        }
        let now = Utc::now();
        pm.update_untracked(|p| p.updated_at = now);
        let result = pm.with_untracked(|p| library.save(p));
        match result {
            Ok(revision) => {
                pm.update_untracked(|p| p.revision = revision);
                dirty.set_value(false);
                state.set(SaveState::Saved(Some(now)));
            }
            Err(e) => state.set(SaveState::Failed(e)),
        }
    };

    Effect::new(move |previous: Option<()>| {
        pm.track();
        if previous.is_none() {
            return;
        }
        // The postmortem was replaced by the stored version: nothing to save.
        if replaced.get_value() {
            replaced.set_value(false);
            return;
        }
        dirty.set_value(true);
        if !matches!(state.get_untracked(), SaveState::Failed(_)) {
            state.set(SaveState::Pending);
        }
        if let Some(handle) = timer.get_value() {
            handle.clear();
        }
        timer.set_value(set_timeout_with_handle(save_now, SAVE_DELAY).ok());
        if let Some(handle) = check_timer.get_value() {
            handle.clear();
        }
        check_timer.set_value(set_timeout_with_handle(recheck, CHECK_DELAY).ok());
    });

    // Save at once when the tab is hidden or the page goes away: a browser may discard a
    // hidden tab without warning.
    let on_hide = window_event_listener_untyped("visibilitychange", move |_| {
        if document().visibility_state() == web_sys::VisibilityState::Hidden {
            save_now();
        }
    });
    let on_pagehide = window_event_listener_untyped("pagehide", move |_| save_now());
    // If edits are still unsaved (a save failed), ask before the tab closes or reloads.
    let on_unload = window_event_listener_untyped("beforeunload", move |ev| {
        save_now();
        if dirty.get_value() {
            ev.prevent_default();
            if let Some(ev) = ev.dyn_ref::<web_sys::BeforeUnloadEvent>() {
                ev.set_return_value("Your latest changes are not saved.");
            }
        }
    });
    // "s" (or Ctrl+S / ⌘S, also while typing): save at once and show whether all is saved.
    let on_save_key = window_event_listener(leptos::ev::keydown, move |ev| {
        if shortcut_key(&ev).as_deref() == Some("s") || (is_save_chord(&ev) && !ev.default_prevented()) {
            ev.prevent_default();
            save_now();
            focus_when_drawn("save-status".to_owned());
        }
    });
    // Another tab or window saved this postmortem: follow it, or, with unsaved edits here,
    // say so at once instead of at the next save.
    let id = pm.with_untracked(|p| p.id);
    let on_storage = window_event_listener(leptos::ev::storage, move |ev| {
        if Library::document_of(ev.key().as_deref()) != Some(id) {
            return;
        }
        match library.load(&id) {
            Ok(theirs) if theirs.revision != pm.with_untracked(|p| p.revision) => {
                if dirty.get_value() {
                    elsewhere.set(Some(theirs));
                } else {
                    replaced.set_value(true);
                    pm.set(theirs);
                    recheck();
                    synced.set(Some("Updated with the changes saved in another tab or window.".to_owned()));
                }
            }
            Ok(_) => {}
            Err(StorageError::NotFound) => synced.set(Some(
                "This postmortem was deleted for good in another tab or window. What you see here is kept only on this page: download it to keep it.".to_owned(),
            )),
            Err(e) => synced.set(Some(explain(&e))),
        }
    });
    // Once the two tabs disagree, an earlier "updated from another tab" notice is stale.
    Effect::new(move || {
        if elsewhere.with(Option::is_some) || matches!(state.get(), SaveState::Failed(StorageError::Conflict)) {
            synced.set(None);
        }
    });
    let resolve = ConflictActions {
        use_theirs: Callback::new(move |()| {
            if let Ok(theirs) = library.load(&id) {
                replaced.set_value(true);
                pm.set(theirs);
                dirty.set_value(false);
                elsewhere.set(None);
                state.set(SaveState::Saved(None));
                recheck();
                synced.set(Some("Showing the version saved elsewhere; the edits made here were dropped.".to_owned()));
            }
        }),
        keep_both: Callback::new(move |()| {
            let mut copy = pm.get_untracked();
            copy.id = PostmortemId::random();
            copy.revision = 0;
            copy.title = format!("{} (copy from another tab)", copy.display_title());
            copy.created_at = Utc::now();
            copy.updated_at = Utc::now();
            match library.save(&copy) {
                Ok(_) => {
                    if let Ok(theirs) = library.load(&id) {
                        replaced.set_value(true);
                        pm.set(theirs);
                    }
                    dirty.set_value(false);
                    elsewhere.set(None);
                    state.set(SaveState::Saved(None));
                    recheck();
                    synced.set(Some(format!(
                        "Your version is saved as “{}”, and this page shows the version saved elsewhere.",
                        copy.title
                    )));
                }
                Err(e) => state.set(SaveState::Failed(e)),
            }
        }),
        overwrite: Callback::new(move |()| {
            if let Ok(theirs) = library.load(&id) {
                pm.update_untracked(|p| p.revision = theirs.revision);
                dirty.set_value(true);
                elsewhere.set(None);
                save_now();
            }
        }),
        compare: Callback::new(move |()| {
            let theirs = library.load(&id).ok()?;
            Some(pm.with_untracked(|mine| differences(mine, &theirs)))
        }),
    };
    on_cleanup(move || {
        on_storage.remove();
        if let Some(handle) = check_timer.get_value() {
            handle.clear();
        }
        save_now();
        // Leaving the editor with a failed save: keep the edits where the app can offer them.
        if dirty.get_value() {
            let reason = match state.get_untracked() {
                SaveState::Failed(e) => explain(&e),
                _ => "The last save did not finish.".to_owned(),
            };
            if let Some(pm) = pm.try_get_untracked() {
                library.unsaved.update(|list| {
                    list.retain(|(p, _)| p.id != pm.id);
                    list.push((pm, reason));
                });
            }
        }
        on_hide.remove();
        on_save_key.remove();
        on_pagehide.remove();
        on_unload.remove();
    });

    let query = use_query_map();
    // Guided mode is the same editor (one autosave, one save state) showing one step.
    let guide = Memo::new(move |_| query.with(|q| q.get("guide")));
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
    let redact = RwSignal::new(false);
    let export_info = RwSignal::new(None::<String>);
    // The postmortem as it leaves the browser: with names replaced by roles when asked.
    let outgoing = move || pm.with_untracked(|p| if redact.get_untracked() { redact_names(p) } else { p.clone() });
    let download_now = move || {
        let p = outgoing();
        let (name, text) = (file_name_for(&p), export_postmortem(&p));
        let result = text.map_err(|e| e.to_string()).and_then(|text| download_text(&name, &text, "application/json"));
        download_error.set(
            result.err().map(|e| format!("The download did not start ({e}). Try again, or copy your text elsewhere.")),
        );
    };
    let download = move |_: leptos::ev::MouseEvent| download_now();
    let download_markdown = move |_| {
        let p = outgoing();
        let name = file_name_for(&p).replace(".debrief.json", ".md");
        let result = download_text(&name, &to_markdown(&p), "text/markdown");
        download_error.set(result.err().map(|e| format!("The download did not start ({e}).")));
    };
    let copy_markdown = move |_| {
        let text = to_markdown(&outgoing());
        leptos::task::spawn_local(async move {
            match copy_text(&text).await {
                Ok(()) => export_info.set(Some("Markdown copied to the clipboard.".to_owned())),
                Err(e) => download_error.set(Some(format!("Could not copy ({e}). Use “Download Markdown” instead."))),
            }
        });
    };
    let print_href = move || {
        let id = pm.with_untracked(|p| p.id);
        AppRoute::Print(id).href() + if redact.get() { "?names=roles" } else { "" }
    };

    view! {
        <article class="page editor">
            <div class="editor-head">
                <p class="breadcrumb"><A href=AppRoute::Library.href()>"Library"</A>" / "</p>
                <h1>{move || pm.with(|p| p.display_title().to_owned())}</h1>
            </div>
            <div class="editor-bar">
                <nav class="section-nav" aria-label="Sections">
                    <Show when=move || guide.with(Option::is_none)
                        fallback=move || view! { <span class="guided-label">"Guided mode"</span> }>
                        {SECTIONS.iter().filter(|(anchor, _)| *anchor != "answers" || has_answers.get()).map(|(anchor, name)| {
                            view! { <a href=format!("{here}#{anchor}")>{*name}</a> }
                        }).collect_view()}
                    </Show>
                </nav>
                <div class="save-bar">
                    <SaveStatus state=state />
                    <details class="export-menu">
                        <summary>"Export"</summary>
                        <div class="export-options">
                            <label class="checkbox">
                                <input type="checkbox" prop:checked=redact on:change:target=move |ev| redact.set(ev.target().checked()) />
                                " Replace names with roles"
                            </label>
                            <button type="button" class="secondary small" on:click=download>"Download as file"</button>
                            <button type="button" class="secondary small" on:click=download_markdown>"Download Markdown"</button>
                            <button type="button" class="secondary small" on:click=copy_markdown>"Copy Markdown"</button>
                            <a class="button-link small" href=print_href>"Print view"</a>
                        </div>
                    </details>
                </div>
            </div>
            <DismissibleNotice kind=NoticeKind::Info message=synced />
            {move || {
                let conflict = elsewhere.with(Option::is_some) || matches!(state.get(), SaveState::Failed(StorageError::Conflict));
                conflict.then(|| view! { <ConflictPanel actions=resolve on_download=Callback::new(move |()| download_now()) /> })
            }}
            {move || match state.get() {
                SaveState::Failed(StorageError::Conflict) => None,
                SaveState::Failed(e) => {
                    let full = e == StorageError::QuotaExceeded;
                    // Say how much is used: measured now, so it is what the browser refused.
                    let used = if full {
                        library.measure().ok().map(|c| format!(
                            " Debrief and this site use {} of {}; your edit is still here on the page.",
                            size_text(c.usage.total), size_text(c.size)
                        ))
                    } else {
                        None
                    };
                    Some(view! {
                        <Notice kind=NoticeKind::Error message=format!("{}{}", explain(&e), used.unwrap_or_default())>
                            <button type="button" class="primary" on:click=download>"Download a copy"</button>
                            {full.then(|| view! {
                                <button type="button" class="secondary" on:click=move |_| {
                                    let said = download_backup(library).unwrap_or_else(|e| format!("The backup could not be made: {e}"));
                                    export_info.set(Some(said));
                                }>"Back up everything"</button>
                                <A href=AppRoute::Trash.href() attr:class="button-link">"Open the trash"</A>
                            })}
                            <button type="button" class="secondary" on:click=move |_| save_now()>"Try saving again"</button>
                        </Notice>
                    })
                }
                _ => None,
            }}
            <DismissibleNotice kind=NoticeKind::Info message=export_info />
            <DismissibleNotice kind=NoticeKind::Error message=download_error />
            <WordingPanel wording=wording />
            <Show when=move || guide.with(Option::is_none)
                fallback=move || view! { <template::Guided pm=pm step=Signal::derive(move || guide.get().unwrap_or_default()) /> }>
                <template::TemplateCard pm=pm />
                <overview::Overview pm=pm />
                <template::AnswersSection pm=pm />
                <times::KeyTimesSection pm=pm />
                <people::PeopleAndImpact pm=pm />
                <timeline::Timeline pm=pm />
                <factors::Factors pm=pm />
                <actions::ActionItems pm=pm />
                <lessons::LessonsSection pm=pm />
                <contributions::ContributionsSection pm=pm />
            </Show>
        </article>
    }
}

/// A value for the differences table, or a stand-in for nothing.
fn or_empty(text: String) -> String {
    if text.trim().is_empty() { "(empty)".to_owned() } else { text }
}

/// What the conflict panel can do.
#[derive(Clone, Copy)]
struct ConflictActions {
    /// Drop this tab's edits and show the stored version.
    use_theirs: Callback<()>,
    /// Save this tab's version as a new postmortem, then show the stored one.
    keep_both: Callback<()>,
    /// Save this tab's version over the stored one.
    overwrite: Callback<()>,
    /// What differs between this tab's version and the stored one.
    compare: Callback<(), Option<Vec<Difference>>>,
}

/// Shown when another tab or window saved this postmortem while this one has edits.
#[component]
fn ConflictPanel(actions: ConflictActions, on_download: Callback<()>) -> impl IntoView {
    let compared = RwSignal::new(None::<Vec<Difference>>);
    view! {
        <div class="notice notice-warning conflict" role="alert">
            <p>"This postmortem was also changed in another tab or window, and your edits here are not saved yet. Nothing is written over until you choose."</p>
            <div class="notice-actions">
                <button type="button" class="secondary" on:click=move |_| actions.keep_both.run(())>"Keep both"</button>
                <button type="button" class="secondary" on:click=move |_| actions.use_theirs.run(())>"Use the other version"</button>
                <button type="button" class="secondary" on:click=move |_| compared.set(actions.compare.run(()))>"Compare…"</button>
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
                <button type="button" class="danger" on:click=move |_| actions.overwrite.run(())>"Overwrite with this tab's version"</button>
            })}
        </div>
    }
}

/// Every open wording finding of the postmortem, by category, each a jump to its field.
#[component]
fn WordingPanel(wording: Wording) -> impl IntoView {
    let count = move || wording.open.with(Vec::len);
    view! {
        <details class="card wording-panel" id="wording">
            <summary>
                <span class="wording-title">"Wording assistant"</span>
                <span class=move || if count() == 0 { "badge findings-none" } else { "badge findings-some" }>
                    {move || match count() {
                        0 => "no open suggestions".to_owned(),
                        1 => "1 open suggestion".to_owned(),
                        n => format!("{n} open suggestions"),
                    }}
                </span>
            </summary>
            <p class="help">"Wording that blames people or judges with hindsight makes people share less. Each suggestion explains why and offers another way to say it; dismiss the ones you mean to keep."</p>
            {move || {
                let open = wording.open.get();
                Category::ALL.into_iter().filter_map(|category| {
                    let items: Vec<FieldFinding> = open.iter().filter(|f| f.finding.category == category).cloned().collect();
                    (!items.is_empty()).then(|| view! {
                        <h3>{category.label()}</h3>
                        <ul class="panel-findings">
                            {items.into_iter().map(|f| {
                                let key = f.field.clone();
                                view! {
                                    <li>
                                        <button type="button" class="link-button" on:click=move |_| focus_when_drawn(key.clone())>
                                            {format!("{}: “{}”", f.label, f.finding.phrase)}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    })
                }).collect_view()
            }}
        </details>
    }
}

/// The saved / saving / not saved line beside the title.
#[component]
fn SaveStatus(state: RwSignal<SaveState>) -> impl IntoView {
    let text = move || match state.get() {
        SaveState::Saved(Some(at)) => format!("Saved {}", at.with_timezone(&chrono::Local).format("%H:%M:%S")),
        SaveState::Saved(None) => "All changes saved".to_owned(),
        SaveState::Pending => "Saving…".to_owned(),
        SaveState::Failed(_) => "Not saved".to_owned(),
    };
    let class = move || match state.get() {
        SaveState::Failed(_) => "save-status failed",
        SaveState::Pending => "save-status pending",
        SaveState::Saved(_) => "save-status saved",
    };
    view! { <p class=class role="status" id="save-status" tabindex="-1" data-testid="save-status">{text}</p> }
}

/// Reads from the row `id` of one of the postmortem's lists; `None` once it is removed.
fn read_row<T: Row, R>(
    pm: RwSignal<Postmortem>,
    list: impl FnOnce(&Postmortem) -> &Vec<T>,
    id: ItemId,
    read: impl FnOnce(&T) -> R,
) -> Option<R> {
    pm.with(|p| list(p).iter().find(|row| row.id() == id).map(read))
}

/// How many rows of a long list are drawn when the editor opens, and then per step.
const FIRST_ROWS: usize = 8;
const MORE_ROWS: usize = 20;

/// The ids of the rows to draw, of a list whose ids are `ids`. A long list is drawn a
/// screenful first and the rest in steps just after, between which the browser paints
/// and handles input: a postmortem with hundreds of events opens at once, and its later
/// rows appear within a fraction of a second. From then on every row is drawn.
pub(super) fn drawn_in_steps(ids: Memo<Vec<ItemId>>) -> Signal<Vec<ItemId>> {
    fn more(limit: RwSignal<usize>, ids: Memo<Vec<ItemId>>) {
        set_timeout(
            move || {
                // Gone with the editor: nothing left to draw.
                let (Some(now), Some(len)) = (limit.try_get_untracked(), ids.try_with_untracked(Vec::len)) else {
                    return;
                };
                if now + MORE_ROWS >= len {
                    limit.set(usize::MAX);
                } else {
                    limit.set(now + MORE_ROWS);
                    more(limit, ids);
                }
            },
            Duration::ZERO,
        );
    }
    let long = ids.with_untracked(Vec::len) > FIRST_ROWS;
    let limit = RwSignal::new(if long { FIRST_ROWS } else { usize::MAX });
    if long {
        more(limit, ids);
    }
    Signal::derive(move || {
        let n = limit.get();
        ids.with(|all| if n >= all.len() { all.clone() } else { all[..n].to_vec() })
    })
}

/// One signal per drawn row of one of the postmortem's lists, each set only when its own
/// row changes. The postmortem is one signal, so anything that follows it wakes on every
/// keystroke anywhere; a 300-event timeline whose rows followed it (even through memos)
/// woke thousands of bindings per keystroke (27 ms a keystroke in the benchmark, against
/// 13 ms with this). Here one effect per list compares the rows with what each row's
/// signal holds, and only a row that differs is set: a deliberate exception to deriving
/// instead of writing a second signal from an effect.
pub(super) struct RowSignals<T: Send + Sync + 'static> {
    pm: RwSignal<Postmortem>,
    list: fn(&Postmortem) -> &Vec<T>,
    rows: StoredValue<HashMap<ItemId, RwSignal<Option<T>>>>,
}

impl<T: Send + Sync + 'static> Clone for RowSignals<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for RowSignals<T> {}

impl<T: Row + Clone + PartialEq + Send + Sync + 'static> RowSignals<T> {
    /// Made by the list's card, before its rows.
    pub fn new(pm: RwSignal<Postmortem>, list: fn(&Postmortem) -> &Vec<T>) -> Self {
        let rows = StoredValue::new(HashMap::<ItemId, RwSignal<Option<T>>>::new());
        Effect::new(move || {
            pm.with(|p| {
                rows.try_with_value(|signals| {
                    for row in list(p) {
                        let Some(signal) = signals.get(&row.id()) else { continue };
                        if signal.try_with_untracked(|held| held.as_ref() != Some(row)).unwrap_or(false) {
                            signal.set(Some(row.clone()));
                        }
                    }
                });
            })
        });
        Self { pm, list, rows }
    }

    /// The ids of the list's rows in order, changing only when rows come, go or move.
    pub fn ids(self) -> Memo<Vec<ItemId>> {
        Memo::new(move |_| self.pm.with(|p| (self.list)(p).iter().map(Row::id).collect()))
    }

    /// The row `id` for its component: created with the component and dropped with it
    /// (`None` only if the row was already gone when the component was made).
    pub fn row(self, id: ItemId) -> ReadSignal<Option<T>> {
        let signal =
            RwSignal::new(self.pm.with_untracked(|p| (self.list)(p).iter().find(|row| row.id() == id).cloned()));
        self.rows.update_value(|signals| {
            signals.insert(id, signal);
        });
        // The list's card may be gone first, taking the registry with it.
        on_cleanup(move || {
            let _ = self.rows.try_update_value(|signals| {
                if signals.get(&id) == Some(&signal) {
                    signals.remove(&id);
                }
            });
        });
        signal.read_only()
    }
}

/// Changes the row `id` of one of the postmortem's lists, if it is still there.
fn edit_row<T: Row>(
    pm: RwSignal<Postmortem>,
    list: impl FnOnce(&mut Postmortem) -> &mut Vec<T>,
    id: ItemId,
    edit: impl FnOnce(&mut T),
) {
    pm.update(|p| {
        if let Some(row) = list(p).iter_mut().find(|row| row.id() == id) {
            edit(row)
        }
    });
}
