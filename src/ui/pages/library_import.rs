//! Importing files into the library: read them, show what they would change, then apply
//! all or nothing. Also the full backup download and its reminder.

use crate::file_format::MAX_INPUT_BYTES;
use crate::file_format::import::{BrokenItem, FileError, read_file};
use crate::storage::{DecidedImport, ImportChoice, ImportFailure, ImportReport, ImportStatus, PlannedItem};
use crate::ui::browser::{after_paint, download_text, read_text, timed, timing_ends, timing_starts, yield_to_browser};
use crate::ui::state::{Library, explain};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// One incoming postmortem in the preview, with the choice the user makes for it.
#[derive(Clone)]
pub struct PreviewRow {
    pub file: String,
    pub item: PlannedItem,
    pub choice: RwSignal<ImportChoice>,
}

/// What the chosen files hold, before anything changes.
#[derive(Clone, Default)]
pub struct Preview {
    pub rows: Vec<PreviewRow>,
    /// Custom templates in the files (a full backup carries them), brought in with the import.
    pub templates: Vec<crate::domain::template::Template>,
    /// Keys for sealed contributions in the files (a full backup carries them) not kept here yet.
    pub keys: Vec<crate::file_format::contribution::SealKey>,
    pub file_errors: Vec<FileError>,
    pub broken: Vec<(String, BrokenItem)>,
}

fn status_label(status: ImportStatus) -> &'static str {
    match status {
        ImportStatus::New => "New",
        ImportStatus::Identical => "Identical: already here",
        ImportStatus::Newer => "Newer than yours",
        ImportStatus::Older => "Older than yours",
        ImportStatus::Conflict => "Differs from yours",
        ImportStatus::Unreadable => "Yours is unreadable",
    }
}

fn choice_label(choice: ImportChoice) -> &'static str {
    match choice {
        ImportChoice::Add => "Add",
        ImportChoice::Replace => "Replace yours",
        ImportChoice::KeepBoth => "Keep both",
        ImportChoice::Skip => "Skip",
    }
}

fn choice_key(choice: ImportChoice) -> &'static str {
    match choice {
        ImportChoice::Add => "add",
        ImportChoice::Replace => "replace",
        ImportChoice::KeepBoth => "keep-both",
        ImportChoice::Skip => "skip",
    }
}

fn choice_from_key(key: &str) -> Option<ImportChoice> {
    [ImportChoice::Add, ImportChoice::Replace, ImportChoice::KeepBoth, ImportChoice::Skip]
        .into_iter()
        .find(|c| choice_key(*c) == key)
}

/// The files of a file list (from a picker or a drop).
pub fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)).collect()
}

/// Reads `files` one by one, showing progress, and compares what they hold with the library.
pub async fn read_files(library: Library, files: Vec<web_sys::File>, progress: RwSignal<Option<String>>) -> Preview {
    timing_starts("debrief:import-read");
    let mut preview = Preview::default();
    let mut incoming = Vec::new();
    let total = files.len();
    for (i, file) in files.into_iter().enumerate() {
        let name = file.name();
        let _ = progress.try_set(Some(format!("Reading “{name}” ({} of {total})…", i + 1)));
        yield_to_browser().await;
        if file.size() > MAX_INPUT_BYTES as f64 {
            preview.file_errors.push(FileError {
                file: name,
                place: "the whole file".into(),
                problem: format!("it is larger than the {} MB limit for one file", MAX_INPUT_BYTES / (1024 * 1024)),
            });
            continue;
        }
        let text = match read_text(&file).await {
            Ok(text) => text,
            Err(problem) => {
                preview.file_errors.push(FileError { file: name, place: "the whole file".into(), problem });
                continue;
            }
        };
        let _ = progress.try_set(Some(format!("Checking “{name}” ({} of {total})…", i + 1)));
        after_paint().await;
        match read_file(&name, &text) {
            Ok(read) => {
                preview.broken.extend(read.broken.into_iter().map(|b| (name.clone(), b)));
                incoming.extend(read.postmortems.into_iter().map(|pm| (name.clone(), pm)));
                preview.templates.extend(read.templates);
                preview.keys.extend(read.keys);
            }
            Err(e) => preview.file_errors.push(e),
        }
    }
    // The same postmortem in two files: keep the most recently edited copy.
    incoming.sort_by(|a, b| a.1.id.cmp(&b.1.id).then(b.1.updated_at.cmp(&a.1.updated_at)));
    incoming.dedup_by(|later, first| later.1.id == first.1.id);
    let (names, pms): (Vec<String>, Vec<_>) = incoming.into_iter().unzip();
    match library.plan_import(pms) {
        Ok(plan) => {
            preview.rows = names
                .into_iter()
                .zip(plan)
                .map(|(file, item)| {
                    let choice = RwSignal::new(item.status.default_choice());
                    PreviewRow { file, item, choice }
                })
                .collect();
        }
        Err(e) => preview.file_errors.push(FileError {
            file: "the library".into(),
            place: "storage".into(),
            problem: explain(&e),
        }),
    }
    // Only templates that would change something are offered: one already here as it is, or a
    // built-in, needs no import.
    let stored = library.templates.get_untracked();
    preview.templates.retain(|t| {
        crate::domain::template::merge_templates(&mut stored.clone(), vec![t.clone()], true).changes_anything()
    });
    let stored_keys = library.seal_keys().unwrap_or_default();
    preview.keys.retain(|k| !stored_keys.iter().any(|s| s.invitation == k.invitation));
    let _ = progress.try_set(None);
    timing_ends("debrief:import-read");
    preview
}

/// Keeps the backup's sealing keys; says what happened, in a sentence to append.
fn restore_keys(library: Library, keys: Vec<crate::file_format::contribution::SealKey>) -> String {
    match library.add_seal_keys(keys) {
        Ok(0) => String::new(),
        Ok(1) => " 1 key for sealed contributions was restored.".to_owned(),
        Ok(n) => format!(" {n} keys for sealed contributions were restored."),
        Err(e) => format!(" The keys for sealed contributions in the file were not restored: {}", explain(&e)),
    }
}

/// Says how an import went, and brings in the file's templates and keys after it.
fn finish_import(
    result: Result<ImportReport, ImportFailure>,
    templates: Vec<crate::domain::template::Template>,
    keys: Vec<crate::file_format::contribution::SealKey>,
    library: Library,
    preview: RwSignal<Option<Preview>>,
    failure: RwSignal<Option<String>>,
    on_done: Callback<String>,
) {
    match result {
        Ok(report) => {
            preview.set(None);
            let mut message = format!(
                "Import done: {} added, {} replaced, {} kept as copies, {} skipped.",
                report.added, report.replaced, report.copied, report.skipped
            );
            if !templates.is_empty() {
                // Templates never replace one of yours without a newer version.
                match library.import_templates(templates, true) {
                    Ok(said) => message = format!("{message} {said}"),
                    Err(e) => message = format!("{message} The templates in the file were not imported: {}", explain(&e)),
                }
            }
            message.push_str(&restore_keys(library, keys));
            on_done.run(message);
        }
        Err(ImportFailure { error, undone: true }) => {
            failure.set(Some(format!("Nothing was imported and your library is unchanged. {}", explain(&error))))
        }
        Err(ImportFailure { error, undone: false }) => failure.set(Some(format!(
            "The import failed and could not be fully undone, so some postmortems may have been added or replaced. {} Check the library, and keep the file to try again.",
            explain(&error)
        ))),
    }
}

/// The preview of an import: what each item is, what will happen to it, and the problems.
#[component]
pub fn ImportPanel(preview: RwSignal<Option<Preview>>, on_done: Callback<String>) -> impl IntoView {
    let library = Library::expect();
    let accept_partial = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    // A preview can hold a thousand whole postmortems: look into it, never copy it.
    let peek = move |look: &dyn Fn(&Preview) -> usize| preview.with(|p| p.as_ref().map_or(0, look));
    let importing = move || peek(&|p| p.rows.iter().filter(|r| r.choice.get() != ImportChoice::Skip).count());
    let templates = move || peek(&|p| p.templates.len());
    let keys = move || peek(&|p| p.keys.len());
    let rows = move || peek(&|p| p.rows.len());
    let blocked = move || peek(&|p| p.broken.len()) > 0 && !accept_partial.get();
    // While an import is prepared and written: what it is doing.
    let applying = RwSignal::new(None::<String>);
    let busy = move || applying.with(Option::is_some);
    let apply = move |_| {
        // Already under way: the button stays focusable, and pressing it again does nothing.
        if applying.with_untracked(Option::is_some) {
            return;
        }
        // Only what the import needs, copied once out of the preview.
        let taken = preview.with_untracked(|p| {
            p.as_ref().map(|p| {
                let items: Vec<_> = p.rows.iter().map(|r| (r.item.clone(), r.choice.get_untracked())).collect();
                (items, p.templates.clone(), p.keys.clone())
            })
        });
        let Some((items, templates, keys)) = taken else { return };
        if items.iter().all(|(_, c)| *c == ImportChoice::Skip) && (!templates.is_empty() || !keys.is_empty()) {
            // Only templates or keys to bring in (a template file, or a backup whose postmortems are all here).
            let brought =
                if templates.is_empty() { Ok(String::new()) } else { library.import_templates(templates, true) };
            match brought {
                Ok(said) => {
                    preview.set(None);
                    on_done.run(format!("{said}{}", restore_keys(library, keys)).trim().to_owned());
                }
                Err(e) => failure.set(Some(format!("Nothing was imported. {}", explain(&e)))),
            }
            return;
        }
        // Packing every postmortem in its stored form takes most of the time: done first,
        // a few milliseconds at a time with progress shown, and then everything is written
        // at once. Cancelled (the preview closed) before writing, nothing is written.
        let mut import = DecidedImport::new(items);
        let total = import.total();
        let noun = if total == 1 { "postmortem" } else { "postmortems" };
        let preparing = move |done: usize| format!("Preparing {done} of {total} {noun}…");
        applying.set(Some(preparing(0)));
        failure.set(None);
        timing_starts("debrief:import-apply");
        leptos::task::spawn_local(async move {
            loop {
                yield_to_browser().await;
                // The preview was closed: nothing is written.
                if applying.is_disposed() {
                    return;
                }
                let started = js_sys::Date::now();
                while js_sys::Date::now() - started < 50.0 && import.pack_next() {}
                if import.packed() >= total {
                    break;
                }
                applying.set(Some(preparing(import.packed())));
            }
            applying.set(Some(format!("Writing {total} {noun}…")));
            after_paint().await;
            if applying.is_disposed() {
                return;
            }
            let result = timed("debrief:import-write", || library.write_import(import));
            timing_ends("debrief:import-apply");
            applying.set(None);
            finish_import(result, templates, keys, library, preview, failure, on_done);
        });
    };
    let set_all = move |key: String| {
        if let (Some(choice), Some(p)) = (choice_from_key(&key), preview.get_untracked()) {
            for row in &p.rows {
                if row.item.status.choices().contains(&choice) {
                    row.choice.set(choice);
                }
            }
        }
    };
    view! {
        <section class="card import-panel" class:applying=busy role="region" aria-labelledby="import-heading">
            <h2 id="import-heading" tabindex="-1">"Import preview"</h2>
            <p class="help">"Nothing has changed yet. Choose what happens to each postmortem, then import. The import is all or nothing."</p>
            <Show when=move || { peek(&|p| p.file_errors.len()) > 0 }>
                <div class="notice notice-error" role="alert">
                    <p><strong>"These files cannot be imported:"</strong></p>
                    <ul class="import-errors">
                        {move || preview.with(|p| p.as_ref().map(|p| p.file_errors.clone()).unwrap_or_default()).into_iter().map(|e| view! {
                            <li><strong>{e.file.clone()}</strong>" at "<code>{e.place.clone()}</code>": "{e.problem.clone()}</li>
                        }).collect_view()}
                    </ul>
                </div>
            </Show>
            <Show when=move || { peek(&|p| p.broken.len()) > 0 }>
                <div class="notice notice-warning">
                    <p><strong>"Some items are broken and will be left out:"</strong></p>
                    <ul class="import-errors">
                        {move || preview.with(|p| p.as_ref().map(|p| p.broken.clone()).unwrap_or_default()).into_iter().map(|(file, b)| view! {
                            <li>
                                <strong>{file}</strong>
                                {b.title.map(|t| format!(" (“{t}”)"))}
                                " at "<code>{b.place.clone()}</code>": "{b.problem.clone()}
                            </li>
                        }).collect_view()}
                    </ul>
                    <label class="checkbox">
                        <input type="checkbox" prop:checked=accept_partial disabled=busy
                            on:change:target=move |ev| accept_partial.set(ev.target().checked()) />
                        " Import the other items without the broken ones"
                    </label>
                </div>
            </Show>
            <Show when=move || { templates() > 0 }>
                <p class="help">{move || format!(
                    "The files also hold {} custom templates ({}). New ones and newer versions are added; one that differs from yours without being newer is added as a copy beside it.",
                    templates(),
                    preview.with(|p| p.as_ref().map(|p| p.templates.iter().map(|t| t.name.clone()).collect::<Vec<_>>().join(", ")).unwrap_or_default())
                )}</p>
            </Show>
            <Show when=move || { keys() > 0 }>
                <p class="help">{move || match keys() {
                    1 => "The files also hold the key that opens the sealed contributions of 1 invitation; it is kept here too.".to_owned(),
                    n => format!("The files also hold the keys that open the sealed contributions of {n} invitations; they are kept here too."),
                }}</p>
            </Show>
            <Show when=move || { rows() > 0 }>
                <div class="import-all">
                    <label for="import-all">"For every item"</label>
                    <select id="import-all" disabled=busy on:change:target=move |ev| set_all(ev.target().value())>
                        <option value="">"Choose per item"</option>
                        <option value="keep-both">"Keep both"</option>
                        <option value="replace">"Replace yours"</option>
                        <option value="skip">"Skip"</option>
                    </select>
                </div>
                <table class="import-table">
                    <thead><tr><th scope="col">"Postmortem"</th><th scope="col">"File"</th><th scope="col">"Compared with yours"</th><th scope="col">"Action"</th></tr></thead>
                    <tbody>
                        {move || preview.with(|p| p.as_ref().map(|p| p.rows.iter().map(|r| (r.item.incoming.display_title().to_owned(), r.file.clone(), r.item.status, r.choice)).collect::<Vec<_>>()).unwrap_or_default())
                            .into_iter().enumerate().map(|(i, (title, file, status, choice))| {
                            let id = format!("import-choice-{i}");
                            view! {
                                <tr>
                                    <td>{title.clone()}</td>
                                    <td class="muted">{file}</td>
                                    <td><span class=format!("badge import-{status:?}").to_lowercase()>{status_label(status)}</span></td>
                                    <td>
                                        <label class="visually-hidden" for=id.clone()>{format!("Action for “{title}”")}</label>
                                        <select id=id prop:value=move || choice_key(choice.get())
                                            on:change:target=move |ev| if let Some(c) = choice_from_key(&ev.target().value()) { choice.set(c) }>
                                            {status.choices().iter().map(|c| view! { <option value=choice_key(*c)>{choice_label(*c)}</option> }).collect_view()}
                                        </select>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </Show>
            {move || failure.get().map(|f| view! { <p class="field-error" role="alert">{f}</p> })}
            {move || applying.get().map(|said| view! {
                <p class="progress" role="status"><span class="spinner" aria-hidden="true"></span>{said}</p>
            })}
            <div class="notice-actions">
                <Show when=move || { rows() > 0 || templates() > 0 || keys() > 0 }>
                    <button type="button" class="primary" on:click=apply
                        disabled=move || blocked() || (importing() == 0 && templates() == 0 && keys() == 0)>
                        {move || match (importing(), templates()) {
                            (0, 0) => "Keep the keys".to_owned(),
                            (0, 1) => "Import 1 template".to_owned(),
                            (0, t) if t > 1 => format!("Import {t} templates"),
                            (1, _) => "Import 1 postmortem".to_owned(),
                            (n, _) => format!("Import {n} postmortems"),
                        }}
                    </button>
                </Show>
                <Show when=move || { blocked() && importing() > 0 }>
                    <p class="help blocked-hint">"Tick “Import the other items without the broken ones” above to continue."</p>
                </Show>
                <button type="button" class="secondary" on:click=move |_| preview.set(None)>
                    {move || if rows() == 0 { "Close" } else { "Cancel" }}
                </button>
            </div>
        </section>
    }
}

/// Downloads the whole library as one file and notes the date.
pub fn download_backup(library: Library) -> Result<String, String> {
    let (name, text, unreadable) = library.backup()?;
    download_text(&name, &text, "application/json")?;
    library.record_backup();
    Ok(if unreadable > 0 {
        format!(
            "Backup downloaded as {name}. {unreadable} unreadable entries are not in it: download their raw text below."
        )
    } else {
        format!("Backup downloaded as {name}. Keep it somewhere other than this computer.")
    })
}

/// The files dropped on the page, if the drag carried files.
pub fn dropped_files(ev: &web_sys::DragEvent) -> Vec<web_sys::File> {
    files_of(ev.data_transfer().and_then(|d| d.files()))
}

/// The files picked in a file input.
pub fn picked_files(ev: &web_sys::Event) -> Vec<web_sys::File> {
    let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
    let files = files_of(input.as_ref().and_then(|i| i.files()));
    // Clear the picker so choosing the same file again still triggers a change.
    if let Some(input) = input {
        input.set_value("");
    }
    files
}
