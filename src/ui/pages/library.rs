//! The library: every postmortem in this browser, with quick search, create and trash.

use super::library_import::{ImportPreview, import_panel, read_files_when_loaded};
use super::team_folder::TeamFolderPanel;
use super::{incident_date, severity_badge, short_date};
use crate::app::invitations::{OpenError, open_invitation, too_large_for_invitation};
use crate::domain::archive::{self, Column, Direction, Filter, Sort};
use crate::domain::{PostmortemId, Summary};
use crate::storage::CorruptEntry;
use crate::ui::browser::{dropped_files, picked_files, read_text};
use crate::ui::components::{DismissibleNotice, FilePicker, Notice, NoticeKind, NoticeSlot, focus_when_drawn};
use crate::ui::hooks::use_debounced;
use crate::ui::routes::AppRoute;
use crate::ui::state::{Library, Room, Search, dismiss_first_run_note, explain, first_run_note_dismissed};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

/// The library page.
#[component]
pub fn LibraryPage() -> impl IntoView {
    let library = Library::expect();
    let search = Search::expect();
    let room = Room::expect();
    search.use_while_shown();
    let navigate = StoredValue::new_local(use_navigate());
    let query = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let trashed = RwSignal::new(None::<(PostmortemId, String)>);

    let sorting = RwSignal::new(Sort::default());
    let filter = RwSignal::new(Filter::default());
    let active = Memo::new(move |_| {
        library.summaries.with(|all| all.iter().filter(|s| s.deleted_at.is_none()).cloned().collect::<Vec<Summary>>())
    });
    // Filtered and sorted only when the library, a filter or the order changes; a keystroke
    // in the search box searches this list and does not sort it again.
    let arranged = Memo::new(move |_| {
        let mut list: Vec<Summary> =
            filter.with(|f| active.with(|list| list.iter().filter(|s| f.matches(s)).cloned().collect()));
        archive::sort(&mut list, sorting.get());
        list
    });
    let shown = Memo::new(move |_| {
        let q = query.get();
        arranged.with(|list| search.results(&q, list))
    });

    let info = RwSignal::new(None::<String>);
    let preview = RwSignal::new(None::<ImportPreview>);
    let progress = RwSignal::new(None::<String>);
    let dragging = RwSignal::new(false);
    let generation = StoredValue::new(0u64);
    let start_import = move |files: Vec<web_sys::File>| {
        if files.is_empty() {
            return;
        }
        preview.set(None);
        info.set(None);
        error.set(None);
        // A newer drop or pick replaces an import still being read.
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        spawn_local(async move {
            let _ = progress.try_set(Some("Getting the import ready…".to_owned()));
            let result = read_files_when_loaded(library, files, progress).await;
            if generation.try_get_value() != Some(mine) {
                return;
            }
            match result {
                Ok(result) => {
                    let _ = preview.try_set(Some(result));
                    crate::ui::components::focus_when_drawn("import-heading".to_owned());
                }
                Err(e) => {
                    let _ = progress.try_set(None);
                    let _ = error.try_set(Some(format!(
                        "The files were not read: {e}. Your library is unchanged. Check the connection, then bring the \
                         files in again."
                    )));
                    // As after an import: focus goes to what it did (here, below the fold on a phone).
                    crate::ui::components::focus_when_drawn("library-error".to_owned());
                }
            }
        });
    };
    let backup = move |_| match library.download_backup() {
        Ok(message) => info.set(Some(message)),
        Err(e) => error.set(Some(format!("The backup could not be made: {e}"))),
    };
    let selected = RwSignal::new(std::collections::BTreeSet::<PostmortemId>::new());
    let export_selected = move |_| {
        let ids: Vec<PostmortemId> = selected.get_untracked().into_iter().collect();
        match library.download_export(&ids) {
            Ok(()) => info.set(Some(format!("Exported {} postmortems.", ids.len()))),
            Err(e) => error.set(Some(format!("The export could not be made: {e}"))),
        }
    };
    // An invitation to answer, from a file or pasted (its link or its file's text), opens
    // the contributor's page: the app shows it for an invitation in the URL fragment.
    let show_invitation = move |source: &str, text: Result<String, String>| match text
        .and_then(|t| open_invitation(&t).map_err(|e| e.to_string()))
    {
        Ok(fragment) => {
            if let Some(window) = web_sys::window() {
                let _ = window.location().set_hash(&fragment);
            }
        }
        Err(e) => {
            let _ = error.try_set(Some(format!("{source} cannot be opened as an invitation: {e}.")));
        }
    };
    let open_invitation_file = Callback::new(move |ev: web_sys::Event| {
        let Some(file) = picked_files(&ev).into_iter().next() else { return };
        let name = format!("“{}”", file.name());
        if too_large_for_invitation(file.size()) {
            error.set(Some(format!("{name} cannot be opened as an invitation: {}.", OpenError::TooLarge)));
            return;
        }
        spawn_local(async move {
            show_invitation(&name, read_text(&file).await);
        });
    });
    let pasted_invitation = RwSignal::new(String::new());
    let open_pasted = move |()| show_invitation("The pasted text", Ok(pasted_invitation.get_untracked()));
    // Warn well before storage fills: from the size measured before, or measured once now.
    let estimate = use_debounced(std::time::Duration::from_millis(1500), move || {
        let _ = room.estimate();
    });
    if !library.summaries.with_untracked(Vec::is_empty) && room.capacity.get_untracked().is_none() {
        estimate.schedule();
    }
    let nearly_full = move || room.capacity.get().filter(|c| c.nearly_full());
    let backup_age_days = move || library.last_backup.get().map(|t| (chrono::Utc::now() - t).num_days());

    let create = move |_| navigate.with_value(|go| go(&AppRoute::New.path(), NavigateOptions::default()));
    // Opening the sample waits for the editor's part: said meanwhile, and pressing again
    // adds no second sample.
    let opening_sample = RwSignal::new(false);
    let open_sample = move |_| {
        if opening_sample.get_untracked() {
            return;
        }
        opening_sample.set(true);
        spawn_local(async move {
            let added = library.add_sample().await;
            let _ = opening_sample.try_set(false);
            match added {
                Ok(id) => {
                    let _ =
                        navigate.try_with_value(|go| go(&AppRoute::Postmortem(id).path(), NavigateOptions::default()));
                }
                Err(e) => drop(error.try_set(Some(e))),
            }
        })
    };
    let note_dismissed = RwSignal::new(first_run_note_dismissed());
    let dismiss_note = move |_| {
        note_dismissed.set(true);
        if let Err(e) = dismiss_first_run_note() {
            error.set(Some(format!("The note will show again next time: {}", explain(&e))));
        }
    };
    // Focus goes to the Undo button of the notice that says it, not to the page's start.
    let trash = move |id: PostmortemId, title: String| match library.trash(&id) {
        Ok(()) => {
            info.set(None);
            trashed.set(Some((id, title)));
            focus_when_drawn("undo-trash".to_owned());
        }
        Err(e) => error.set(Some(explain(&e))),
    };
    // And back to the row's own button once it is back.
    let undo = move |_| {
        if let Some((id, _)) = trashed.get_untracked() {
            match library.restore(&id) {
                Ok(()) => {
                    trashed.set(None);
                    focus_when_drawn(format!("trash-{id}"));
                }
                Err(e) => error.set(Some(explain(&e))),
            }
        }
    };

    view! {
        <div
            class=move || if dragging.get() { "page library-page dragging" } else { "page library-page" }
            on:dragover=move |ev: web_sys::DragEvent| { ev.prevent_default(); dragging.set(true); }
            on:dragleave=move |_| dragging.set(false)
            on:drop=move |ev: web_sys::DragEvent| { ev.prevent_default(); dragging.set(false); start_import(dropped_files(&ev)); }
        >
            <div class="page-head">
                <div>
                    <h1>"Postmortems"</h1>
                    <p class="lede">"Blameless write-ups of what happened, why it made sense at the time, and what you will change."</p>
                </div>
                <div class="head-actions">
                    <FilePicker input_id="import-input" label="Import files…" multiple=true
                        on_change=Callback::new(move |ev: web_sys::Event| start_import(picked_files(&ev))) />
                    <button type="button" class="secondary" on:click=backup disabled=move || library.summaries.with(Vec::is_empty)>"Back up everything"</button>
                    <button type="button" class="primary" on:click=create aria-keyshortcuts="n">"New postmortem"</button>
                </div>
            </div>
            <details class="answer-invitation-box">
                <summary>"Answer an invitation"</summary>
                <p class="help">"Were you invited to contribute anonymously? Open the link you were sent, or choose the invitation file, or paste the link or the file's text here."</p>
                <div class="answer-invitation">
                    <FilePicker input_id="invitation-input" label="Choose invitation file…" on_change=open_invitation_file />
                    <label class="visually-hidden" for="invitation-paste">"Invitation link or text"</label>
                    <input id="invitation-paste" type="text" placeholder="Paste an invitation link or text"
                        prop:value=pasted_invitation on:input:target=move |ev| pasted_invitation.set(ev.target().value())
                        on:keydown=move |ev| if ev.key() == "Enter" { open_pasted(()) } />
                    <button type="button" class="secondary" on:click=move |_| open_pasted(())
                        disabled=move || pasted_invitation.with(|p| p.trim().is_empty())>"Open"</button>
                </div>
            </details>
            <TeamFolderPanel />
            <p class="backup-status muted" class:hidden=move || !library.summaries.with(Vec::is_empty) && backup_age_days().is_none()>
                {move || match backup_age_days() {
                    _ if library.summaries.with(Vec::is_empty) => "Drop Debrief files anywhere on this page to import them.".to_owned(),
                    None => String::new(),
                    Some(0) => "Last full backup: today.".to_owned(),
                    Some(1) => "Last full backup: yesterday.".to_owned(),
                    Some(d) => format!("Last full backup: {d} days ago."),
                }}
            </p>
            // The backup reminder and the first-run note give the same advice: while both
            // are due they are one box, so the list is not pushed below the fold.
            <Show when=move || !library.summaries.with(Vec::is_empty) && backup_age_days().is_none_or(|d| d >= 7)>
                <Notice kind=NoticeKind::Warning message=Signal::derive(move || match backup_age_days() {
                    None if !note_dismissed.get() => "This library has never been backed up. Your postmortems are kept only in this browser on this device, and Debrief sends nothing anywhere; browsers can clear a site's data, so a backup file kept elsewhere is the only copy that survives that. To share one postmortem, export it as a file.".to_owned(),
                    None => "This library has never been backed up. Browsers can clear their storage; a backup file kept elsewhere is the only copy that survives that.".to_owned(),
                    Some(d) => format!("Your last full backup is {d} days old."),
                })>
                    <button type="button" class="secondary" on:click=backup>"Back up now"</button>
                    <Show when=move || !note_dismissed.get() && backup_age_days().is_none()>
                        <button type="button" class="ghost" on:click=dismiss_note>"Got it"</button>
                    </Show>
                </Notice>
            </Show>
            <Show when=move || {
                !note_dismissed.get() && (library.summaries.with(Vec::is_empty) || backup_age_days().is_some())
            }>
                <Notice kind=NoticeKind::Info message="Your postmortems are kept only in this browser on this device; Debrief sends nothing anywhere. Browsers can clear a site's data, so now and then use “Back up everything” and keep the file somewhere safe. To share one postmortem, export it as a file.">
                    <button type="button" class="secondary" on:click=dismiss_note>"Got it"</button>
                </Notice>
            </Show>
            {move || progress.get().map(|p| view! { <p class="progress" role="status"><span class="spinner" aria-hidden="true"></span>{p}</p> })}
            <DismissibleNotice kind=NoticeKind::Info message=info id=Some("library-said") />
            <Show when=move || preview.with(Option::is_some)>
                {import_panel(preview, Callback::new(move |m: String| {
                    trashed.set(None);
                    info.set(Some(m));
                    // The panel that held focus is gone: focus goes to what the import did.
                    focus_when_drawn("library-said".to_owned());
                }))}
            </Show>

            {move || library.problem.get().map(|p| view! { <Notice kind=NoticeKind::Error message=p /> })}
            <DismissibleNotice kind=NoticeKind::Error message=error id=Some("library-error") />
            <NoticeSlot kind=NoticeKind::Info>
                {move || trashed.get().map(|(_, title)| view! {
                    <Notice kind=NoticeKind::Info message=format!("“{title}” moved to the trash.") in_slot=true>
                        <button type="button" class="secondary" id="undo-trash" on:click=undo>"Undo"</button>
                    </Notice>
                })}
            </NoticeSlot>
            {move || nearly_full().map(|c| view! {
                <Notice kind=NoticeKind::Warning message=format!(
                    "This browser's storage for Debrief is {}% full. When it is full, edits cannot be saved: back up, then delete what you no longer need and empty the trash.",
                    (c.share_used() * 100.0).round()
                )>
                    <A href=AppRoute::Storage.href() attr:class="button-link">"See storage"</A>
                </Notice>
            })}
            <CorruptEntries entries=library.corrupt library=library />

            <Show
                when=move || active.with(|a| !a.is_empty())
                fallback=move || view! {
                    <section class="empty-state first-run" aria-labelledby="first-run-heading">
                        <h2 id="first-run-heading">"No postmortems yet"</h2>
                        <p>"Debrief helps a team learn from an incident without blaming anyone. A template asks the questions that matter, the wording assistant points out phrasing that blames, the people involved can contribute anonymously, and action items are followed until they are done."</p>
                        <div class="first-run-actions">
                            <button type="button" class="primary" on:click=create>"Start from a template"</button>
                            <button type="button" class="secondary" on:click=open_sample
                                aria-disabled=move || opening_sample.get().then_some("true")>
                                {move || if opening_sample.get() { "Opening the sample…" } else { "Open a sample postmortem" }}
                            </button>
                        </div>
                        <p class="help">"The sample is an invented but realistic incident that shows every part of a postmortem. Delete it whenever you like."</p>
                    </section>
                }
            >
                <Show when=move || selected.with(|s| !s.is_empty())>
                    <div class="selection-bar" role="region" aria-label="Selection">
                        <span>{move || match selected.with(|s| s.len()) { 1 => "1 postmortem selected".to_owned(), n => format!("{n} postmortems selected") }}</span>
                        <button type="button" class="secondary small" on:click=export_selected>"Export selected"</button>
                        <button type="button" class="ghost small" on:click=move |_| selected.set(Default::default())>"Clear selection"</button>
                    </div>
                </Show>
                <div class="search">
                    <label for="library-search">"Search"</label>
                    <input id="library-search" type="search" placeholder="e.g. checkout, DNS, kafka" aria-keyshortcuts="/"
                        aria-describedby="search-scope"
                        prop:value=query on:input:target=move |ev| query.set(ev.target().value()) />
                    <p id="search-scope" class="help">
                        {move || match search.progress.get() {
                            None => "Finds words anywhere in a postmortem: title, timeline, factors, action items, lessons.".to_owned(),
                            Some((read, total)) => format!("Searching titles; the full text is being read ({read} of {total} postmortems)…"),
                        }}
                    </p>
                    <Filters filter=filter active=active sorting=sorting />
                    <p class="result-count" aria-live="polite">
                        {move || {
                            let (n, total) = (shown.with(Vec::len), active.with(Vec::len));
                            let noun = if total == 1 { "postmortem" } else { "postmortems" };
                            if n == total { format!("{total} {noun}") } else { format!("{n} of {total} {noun}") }
                        }}
                    </p>
                </div>
                <Show
                    when=move || shown.with(|s| !s.is_empty())
                    fallback=move || view! {
                        <section class="empty-state">
                            <p>{move || if query.with(|q| q.trim().is_empty()) {
                                "No postmortem matches these filters.".to_owned()
                            } else {
                                format!("No postmortem matches “{}”{}.", query.get(), if filter.with(Filter::is_empty) { "" } else { " with these filters" })
                            }}</p>
                            <button type="button" class="secondary" on:click=move |_| { query.set(String::new()); filter.set(Filter::default()); }>"Clear search and filters"</button>
                        </section>
                    }
                >
                    <table class="library-table">
                        <thead>
                            <tr>
                                <th scope="col" class="select-cell"><span class="visually-hidden">"Select"</span></th>
                                {Column::ALL.into_iter().map(|column| view! { <SortHeader column sorting /> }).collect_view()}
                                <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                            </tr>
                        </thead>
                        <tbody>
                            <For each=move || shown.get() key=|s| (s.id, s.title.clone(), s.status, s.severity, s.incident_start, s.open_findings, s.completeness.clone()) let(s)>
                                {
                                    let (badge_class, badge_text) = severity_badge(s.severity);
                                    let title = s.display_title().to_owned();
                                    let id = s.id;
                                    // The name starts with the visible words, so speech control ("click Move to trash") finds it.
                                    let (link_text, label) = (title.clone(), format!("Move to trash: “{title}”"));
                                    view! {
                                        <tr>
                                            <td class="select-cell">
                                                <input type="checkbox" aria-label=format!("Select “{}” for export", s.display_title())
                                                    prop:checked=move || selected.with(|sel| sel.contains(&id))
                                                    on:change:target=move |ev| {
                                                        let on = ev.target().checked();
                                                        selected.update(|sel| if on { sel.insert(id); } else { sel.remove(&id); });
                                                    } />
                                            </td>
                                            <td class="title-cell">
                                                <A href=super::opening_route(id, s.status).href()>{link_text}</A>
                                                {s.completeness.as_ref().map(|c| if c.is_complete() {
                                                    view! { <span class="badge complete" title="Every required section has an answer">"Complete"</span> }.into_any()
                                                } else {
                                                    let n = c.missing.len();
                                                    view! {
                                                        <span class="badge incomplete">
                                                            {if n == 1 { "1 required section empty".to_owned() } else { format!("{n} required sections empty") }}
                                                        </span>
                                                        <span class="missing-names">{format!("Still empty: {}", c.missing.join(", "))}</span>
                                                    }.into_any()
                                                })}
                                                {(s.open_findings > 0).then(|| {
                                                    let n = s.open_findings;
                                                    view! {
                                                        <span class="badge findings-some" title="Open wording suggestions">
                                                            {if n == 1 { "1 wording suggestion".to_owned() } else { format!("{n} wording suggestions") }}
                                                        </span>
                                                    }
                                                })}
                                            </td>
                                            <td><span class=badge_class>{badge_text}</span></td>
                                            <td><span class=format!("badge status status-{}", s.status.key())>{s.status.label()}</span></td>
                                            <td class="date-cell">{incident_date(&s)}</td>
                                            <td class="date-cell">{short_date(&s.created_at)}</td>
                                            <td class="row-actions">
                                                <button type="button" class="ghost" aria-label=label id=format!("trash-{id}")
                                                    on:click=move |_| trash(id, title.clone())>"Move to trash"</button>
                                            </td>
                                        </tr>
                                    }
                                }
                            </For>
                        </tbody>
                    </table>
                </Show>
            </Show>
        </div>
    }
}

/// Stored entries that could not be read, each with a way to download its raw text.
#[component]
fn CorruptEntries(entries: RwSignal<Vec<CorruptEntry>>, library: Library) -> impl IntoView {
    let failure = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(None::<String>);
    let download = move |key: String| {
        failure.set(library.download_raw(&key).err().map(|e| format!("Could not download {key}: {e}")));
    };
    let delete = move |key: String| {
        confirming.set(None);
        failure.set(library.delete_unreadable(&key).err().map(|e| format!("Could not delete {key}: {e}")));
    };
    view! {
        <Show when=move || entries.with(|e| !e.is_empty())>
            <section class="notice notice-warning corrupt-entries" aria-labelledby="corrupt-heading">
                <h2 id="corrupt-heading">"Some stored entries could not be read"</h2>
                <p>"Debrief has set them aside and will never write over them. Download the raw text to keep it or to ask for help recovering it. To get a postmortem back, import a backup or an export that holds it: it comes in as a copy beside the unreadable entry, which you can then delete."</p>
                <ul>
                    <For each=move || entries.get() key=|e| e.key.clone() let(entry)>
                        {
                            let key = entry.key.clone();
                            let (ask, yes) = (entry.key.clone(), entry.key.clone());
                            let shown = entry.key.clone();
                            view! {
                                <li>
                                    <code>{entry.key.clone()}</code>": "{entry.reason.clone()}" "
                                    <button type="button" class="secondary" on:click=move |_| download(key.clone())>"Download raw text"</button>
                                    <Show when=move || confirming.get().as_deref() == Some(shown.as_str())
                                        fallback=move || {
                                            let ask = ask.clone();
                                            view! { <button type="button" class="ghost danger" on:click=move |_| confirming.set(Some(ask.clone()))>"Delete…"</button> }
                                        }>
                                        {
                                            let yes = yes.clone();
                                            view! {
                                                <span class="confirm" role="group" aria-label="Confirm deletion">
                                                    "Delete it for good? "
                                                    <button type="button" class="danger" on:click=move |_| delete(yes.clone())>"Delete"</button>
                                                    <button type="button" class="ghost" on:click=move |_| confirming.set(None)>"Cancel"</button>
                                                </span>
                                            }
                                        }
                                    </Show>
                                </li>
                            }
                        }
                    </For>
                </ul>
                {move || failure.get().map(|f| view! { <p role="alert">{f}</p> })}
            </section>
        </Show>
    }
}

/// A column heading that sorts the list by its column; a second click sorts the other way.
#[component]
fn SortHeader(column: Column, sorting: RwSignal<Sort>) -> impl IntoView {
    let state = move || {
        sorting.with(|s| match (s.column == column, s.direction) {
            (false, _) => "none",
            (true, Direction::Ascending) => "ascending",
            (true, Direction::Descending) => "descending",
        })
    };
    let arrow = move || match state() {
        "ascending" => "▲",
        "descending" => "▼",
        _ => "",
    };
    view! {
        <th scope="col" aria-sort=state>
            <button type="button" class="sort-button" id=format!("sort-{}", column.label().to_lowercase())
                on:click=move |_| sorting.update(|s| *s = s.clicked(column))>
                {column.label()}<span class="sort-arrow" aria-hidden="true">{arrow}</span>
            </button>
        </th>
    }
}

/// The library's filters: severity, status, service, tag, reviewer and the incident's dates.
#[component]
fn Filters(filter: RwSignal<Filter>, active: Memo<Vec<Summary>>, sorting: RwSignal<Sort>) -> impl IntoView {
    let choices = Memo::new(move |_| active.with(|list| archive::choices(list)));
    let date = |text: String| chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok();
    let text_of = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
    let some = |v: String| (!v.is_empty()).then_some(v);
    view! {
        <fieldset class="library-filters">
            <legend class="visually-hidden">"Filters"</legend>
            <div class="field">
                <label for="filter-severity">"Severity"</label>
                <select id="filter-severity" prop:value=move || filter.with(|f| f.severity.map(|l| l.to_string()).unwrap_or_default())
                    on:change:target=move |ev| { let v = ev.target().value().parse().ok(); filter.update(|f| f.severity = v) }>
                    <option value="">"Any"</option>
                    {crate::domain::Severity::all().map(|s| view! { <option value=s.level().to_string()>{s.name()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-status">"Status"</label>
                <select id="filter-status" prop:value=move || filter.with(|f| f.status.map(|s| s.key()).unwrap_or_default())
                    on:change:target=move |ev| { let v = crate::domain::Status::from_key(&ev.target().value()); filter.update(|f| f.status = v) }>
                    <option value="">"Any"</option>
                    {crate::domain::Status::ALL.iter().map(|s| view! { <option value=s.key()>{s.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="filter-service">"Service"</label>
                <select id="filter-service" prop:value=move || filter.with(|f| f.service.clone().unwrap_or_default())
                    on:change:target=move |ev| { let v = some(ev.target().value()); filter.update(|f| f.service = v) }>
                    <option value="">"Any"</option>
                    {move || choices.with(|c| c.services.iter().map(|s| view! { <option value=s.clone()>{s.clone()}</option> }).collect_view())}
                </select>
            </div>
            <div class="field">
                <label for="filter-tag">"Tag"</label>
                <select id="filter-tag" prop:value=move || filter.with(|f| f.tag.clone().unwrap_or_default())
                    on:change:target=move |ev| { let v = some(ev.target().value()); filter.update(|f| f.tag = v) }>
                    <option value="">"Any"</option>
                    {move || choices.with(|c| c.tags.iter().map(|t| view! { <option value=t.clone()>{t.clone()}</option> }).collect_view())}
                </select>
            </div>
            <div class="field">
                <label for="filter-reviewer">"Reviewer"</label>
                <select id="filter-reviewer" prop:value=move || filter.with(|f| f.reviewer.clone().unwrap_or_default())
                    on:change:target=move |ev| { let v = some(ev.target().value()); filter.update(|f| f.reviewer = v) }>
                    <option value="">"Any"</option>
                    {move || choices.with(|c| c.reviewers.iter().map(|r| view! { <option value=r.clone()>{r.clone()}</option> }).collect_view())}
                </select>
            </div>
            <div class="field">
                <label for="filter-from">"Incident from"</label>
                <input id="filter-from" type="date" prop:value=move || filter.with(|f| text_of(f.from))
                    on:change:target=move |ev| { let v = date(ev.target().value()); filter.update(|f| f.from = v) } />
            </div>
            <div class="field">
                <label for="filter-to">"to"</label>
                <input id="filter-to" type="date" prop:value=move || filter.with(|f| text_of(f.to))
                    on:change:target=move |ev| { let v = date(ev.target().value()); filter.update(|f| f.to = v) } />
            </div>
            // On a phone the table has no headings to click: the order is chosen here.
            <div class="field sort-field">
                <label for="library-sort">"Sort by"</label>
                <select id="library-sort"
                    prop:value=move || sorting.with(|s| format!("{}-{}", s.column.label(), if s.direction == Direction::Ascending { "up" } else { "down" }))
                    on:change:target=move |ev| {
                        let v = ev.target().value();
                        if let Some(column) = Column::ALL.into_iter().find(|c| v.starts_with(&format!("{}-", c.label()))) {
                            let direction = if v.ends_with("-up") { Direction::Ascending } else { Direction::Descending };
                            sorting.set(Sort { column, direction });
                        }
                    }>
                    {Column::ALL.into_iter().flat_map(|c| [(c, "up"), (c, "down")]).map(|(c, way)| {
                        let words = match (c, way) {
                            (Column::Title, "up") => "Title, A to Z", (Column::Title, _) => "Title, Z to A",
                            (Column::Severity, "up") => "Severity, most severe first", (Column::Severity, _) => "Severity, least severe first",
                            (Column::Status, "up") => "Status, drafts first", (Column::Status, _) => "Status, closed first",
                            (Column::Incident, "up") => "Incident, oldest first", (Column::Incident, _) => "Incident, newest first",
                            (Column::Created, "up") => "Created, oldest first", (Column::Created, _) => "Created, newest first",
                        };
                        view! { <option value=format!("{}-{way}", c.label())>{words}</option> }
                    }).collect_view()}
                </select>
            </div>
            <Show when=move || !filter.with(Filter::is_empty)>
                <button type="button" class="ghost small clear-filters" on:click=move |_| filter.set(Filter::default())>"Clear filters"</button>
            </Show>
        </fieldset>
    }
}
