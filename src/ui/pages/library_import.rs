//! Importing files into the library: read them with progress shown, show what they would
//! change and let the person choose per postmortem, then write all or nothing. The
//! workflow is `app::import`; this page reads the files and shows its steps.

use crate::app::import::{self, ImportChoice, ImportFailure, ImportStatus, MergePlan, Preview, Reading};
use crate::domain::merge::{ConflictKind, Pick};
use crate::file_format::import::FileError;
use crate::storage::StorageError;
use crate::ui::browser::{after_paint, read_text, timed, timing_ends, timing_starts, yield_to_browser};
use crate::ui::components::{MergeQuestion, Sides};
use crate::ui::lazy::{LazyPart, Loaded, NotLoaded, Pending, Place, Retry, part};
use crate::ui::state::{Library, Templates, explain};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// An import preview on the page: what the files hold, and the choices made for each row.
#[derive(Clone)]
pub struct ImportPreview {
    pub preview: Preview,
    /// The choice for each row of the preview, in order.
    pub choices: Vec<RwSignal<ImportChoice>>,
    /// The answers to each row's merge questions, by question (absent: its default).
    pub picks: Vec<RwSignal<BTreeMap<String, Pick>>>,
}

fn status_label(status: ImportStatus) -> &'static str {
    match status {
        ImportStatus::New => "New",
        ImportStatus::Identical => "Identical: already here",
        ImportStatus::TheirsChanged => "Changed only in the file",
        ImportStatus::MineChanged => "Changed only here",
        ImportStatus::Merged => "Changed on both sides",
        ImportStatus::Unrelated => "Differs: no common version",
        ImportStatus::Unreadable => "Yours is unreadable",
    }
}

fn choice_label(choice: ImportChoice) -> &'static str {
    match choice {
        ImportChoice::Add => "Add",
        ImportChoice::Take => "Use the file's version",
        ImportChoice::Merge => "Merge",
        ImportChoice::KeepBoth => "Keep both",
        ImportChoice::Skip => "Skip",
    }
}

fn choice_key(choice: ImportChoice) -> &'static str {
    match choice {
        ImportChoice::Add => "add",
        ImportChoice::Take => "take",
        ImportChoice::Merge => "merge",
        ImportChoice::KeepBoth => "keep-both",
        ImportChoice::Skip => "skip",
    }
}

fn choice_from_key(key: &str) -> Option<ImportChoice> {
    [ImportChoice::Add, ImportChoice::Take, ImportChoice::Merge, ImportChoice::KeepBoth, ImportChoice::Skip]
        .into_iter()
        .find(|c| choice_key(*c) == key)
}

/// The answers a question can take, with their form values and words.
/// A merge question of an import: the version here and the file's.
const FILE_SIDES: Sides = Sides { mine: "Yours", theirs: "In the file", answers: file_answers };

fn file_answers(kind: ConflictKind) -> &'static [(&'static str, &'static str)] {
    match kind {
        ConflictKind::Text => {
            &[("both", "Keep both"), ("mine", "Keep yours"), ("theirs", "Use the file's"), ("own", "Write it yourself")]
        }
        ConflictKind::Value => &[("mine", "Keep yours"), ("theirs", "Use the file's")],
        ConflictKind::RemovedHere => {
            &[("theirs", "Keep it, as the file changed it"), ("mine", "Remove it, as you did")]
        }
        ConflictKind::RemovedThere => {
            &[("mine", "Keep it, as you changed it"), ("theirs", "Remove it, as the file did")]
        }
    }
}

// Reading files and their preview are in the part of the app that also reads the team
// folder (`exchange`, see `ui::state::team`): the library is shown without them.
part!(
    /// Reads `files` one by one, showing progress, and compares what they hold with the
    /// library (see [`read_files`]).
    exchange,
    fn read_files_part(
        library: Library,
        files: Vec<web_sys::File>,
        progress: RwSignal<Option<String>>
    ) -> Result<Pending<ImportPreview>, NotLoaded> {
        Ok(Box::pin(read_files(library, files, progress)))
    }
);

/// Reads `files` one by one, showing progress, and compares what they hold with the
/// library, once the import's part of the app is here.
pub async fn read_files_when_loaded(
    library: Library,
    files: Vec<web_sys::File>,
    progress: RwSignal<Option<String>>,
) -> Result<ImportPreview, NotLoaded> {
    Ok(read_files_part(library, files, progress).await?.await)
}

/// The import preview's panel (see [`ImportPanel`]), in the part that read the files.
pub fn import_panel(preview: RwSignal<Option<ImportPreview>>, on_done: Callback<String>) -> AnyView {
    let load: Retry = std::rc::Rc::new(move || Box::pin(import_panel_part(preview, on_done)));
    view! {
        <LazyPart load=load place=Place::Panel { heading: "The import preview could not be loaded", focus: "import-heading", inner: false } />
    }
    .into_any()
}

part!(
    exchange,
    fn import_panel_part(preview: RwSignal<Option<ImportPreview>>, on_done: Callback<String>) -> Loaded {
        Ok(view! { <ImportPanel preview=preview on_done=on_done /> }.into_any())
    }
);

/// Reads `files` one by one, showing progress, and compares what they hold with the library.
async fn read_files(library: Library, files: Vec<web_sys::File>, progress: RwSignal<Option<String>>) -> ImportPreview {
    timing_starts("debrief:import-read");
    let mut reading = Reading::new();
    let total = files.len();
    for (i, file) in files.into_iter().enumerate() {
        let name = file.name();
        let _ = progress.try_set(Some(format!("Reading “{name}” ({} of {total})…", i + 1)));
        yield_to_browser().await;
        if Reading::too_large(file.size()) {
            reading.refuse_too_large(name);
            continue;
        }
        match read_text(&file).await {
            Ok(text) => {
                let _ = progress.try_set(Some(format!("Checking “{name}” ({} of {total})…", i + 1)));
                after_paint().await;
                reading.add(&name, &text);
            }
            Err(problem) => reading.refuse_unreadable(name, problem),
        }
    }
    let preview = library.read(move |lib| reading.finish(lib)).unwrap_or_else(|| Preview {
        file_errors: vec![FileError {
            file: "the library".into(),
            place: "storage".into(),
            problem: explain(&StorageError::Closed),
        }],
        ..Preview::default()
    });
    let choices = preview.rows.iter().map(|r| RwSignal::new(r.default_choice())).collect();
    let picks = preview.rows.iter().map(|_| RwSignal::new(BTreeMap::new())).collect();
    let _ = progress.try_set(None);
    timing_ends("debrief:import-read");
    ImportPreview { preview, choices, picks }
}

/// What a failed import says.
fn failure_text(failure: &ImportFailure) -> String {
    if failure.undone {
        format!("Nothing was imported and your library is unchanged. {}", explain(&failure.error))
    } else {
        format!(
            "The import failed and could not be fully undone, so some postmortems may have been added or replaced. {} Check the library, and keep the file to try again.",
            explain(&failure.error)
        )
    }
}

/// The preview of an import: what each item is, what will happen to it, and the problems.
#[component]
pub fn ImportPanel(
    preview: RwSignal<Option<ImportPreview>>,
    on_done: Callback<String>,
    /// The panel's heading; "Import preview" when not given.
    #[prop(optional)]
    heading: Option<&'static str>,
) -> impl IntoView {
    let heading_id = if heading.is_some() { "folder-import-heading" } else { "import-heading" };
    let library = Library::expect();
    let templates_here = Templates::expect();
    let accept_partial = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    // A preview can hold a thousand whole postmortems: look into it, never copy it.
    let peek = move |look: &dyn Fn(&ImportPreview) -> usize| preview.with(|p| p.as_ref().map_or(0, look));
    let importing = move || peek(&|p| p.choices.iter().filter(|c| c.get() != ImportChoice::Skip).count());
    let templates = move || peek(&|p| p.preview.templates.len());
    let keys = move || peek(&|p| p.preview.keys.len());
    let rows = move || peek(&|p| p.preview.rows.len());
    let blocked = move || peek(&|p| p.preview.broken.len()) > 0 && !accept_partial.get();
    // While an import is prepared and written: what it is doing.
    let applying = RwSignal::new(None::<String>);
    let busy = move || applying.with(Option::is_some);
    let apply = move |_| {
        // Already under way: the button stays focusable, and pressing it again does nothing.
        if applying.with_untracked(Option::is_some) {
            return;
        }
        let decided = preview.with_untracked(|p| {
            let p = p.as_ref()?;
            let picks: BTreeMap<usize, BTreeMap<String, Pick>> =
                p.picks.iter().enumerate().map(|(i, picks)| (i, picks.get_untracked())).collect();
            library.read(|lib| import::decide(lib, &p.preview, p.choices.iter().map(|c| c.get_untracked()), &picks))
        });
        let mut import = match decided {
            Some(Ok(import)) => import,
            Some(Err(e)) => {
                failure.set(Some(format!("Nothing was imported and your library is unchanged. {}", explain(&e))));
                return;
            }
            None => return,
        };
        // Packing every postmortem in its stored form takes most of the time: done first,
        // a few milliseconds at a time with progress shown, and then everything is written
        // at once. Cancelled (the preview closed) before writing, nothing is written.
        // Only a file brought in whole can stand for a backup of what it restored.
        let files_whole = peek(&|p| p.preview.broken.len() + p.preview.file_errors.len()) == 0;
        let total = import.total();
        let noun = if total == 1 { "postmortem" } else { "postmortems" };
        let preparing = move |done: usize| format!("Preparing {done} of {total} {noun}…");
        applying.set(Some(if total == 0 { "Importing…".to_owned() } else { preparing(0) }));
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
            if total > 0 {
                applying.set(Some(format!("Writing {total} {noun}…")));
                after_paint().await;
            }
            if applying.is_disposed() {
                return;
            }
            let written = timed("debrief:import-write", || {
                library.change(|lib| import::write_chosen(lib, import, files_whole, chrono::Utc::now()))
            });
            timing_ends("debrief:import-apply");
            applying.set(None);
            match written {
                Some(Ok(report)) => {
                    // Templates the file brought are offered everywhere at once.
                    if report.templates.is_some() {
                        templates_here.refresh();
                    }
                    // A restore counts as a backup: the reminder says so at once.
                    if report.restored_whole {
                        library.last_backup.set(library.read(|lib| lib.last_backup()).flatten());
                    }
                    preview.set(None);
                    on_done.run(import::describe(&report));
                }
                Some(Err(e)) => failure.set(Some(failure_text(&e))),
                None => {}
            }
        });
    };
    let set_all = move |key: String| {
        let Some(choice) = choice_from_key(&key) else { return };
        preview.with_untracked(|p| {
            for (row, chosen) in p.iter().flat_map(|p| p.preview.rows.iter().zip(&p.choices)) {
                if row.status.choices().contains(&choice) {
                    chosen.set(choice);
                }
            }
        });
    };
    view! {
        <section class="card import-panel" class:applying=busy role="region" aria-labelledby=heading_id>
            <h2 id=heading_id tabindex="-1">{heading.unwrap_or("Import preview")}</h2>
            <p class="help">{move || if rows() > 0 {
                "Nothing has changed yet. Choose what happens to each postmortem, then import. The import is all or nothing."
            } else if templates() > 0 || keys() > 0 {
                "Nothing has changed yet. The files hold no postmortem to import; what they do hold is below."
            } else {
                "Nothing can be imported from these files, and your library is unchanged."
            }}</p>
            <Show when=move || { peek(&|p| p.preview.file_errors.len()) > 0 }>
                <div class="notice notice-error" role="alert">
                    <p><strong>"These files cannot be imported:"</strong></p>
                    <ul class="import-errors">
                        {move || preview.with(|p| p.as_ref().map(|p| p.preview.file_errors.clone()).unwrap_or_default()).into_iter().map(|e| view! {
                            <li><strong>{e.file.clone()}</strong>" at "<code>{e.place.clone()}</code>": "{e.problem.clone()}</li>
                        }).collect_view()}
                    </ul>
                </div>
            </Show>
            <Show when=move || { peek(&|p| p.preview.broken.len()) > 0 }>
                <div class="notice notice-warning">
                    <p><strong>"Some items are broken and will be left out:"</strong></p>
                    <ul class="import-errors">
                        {move || preview.with(|p| p.as_ref().map(|p| p.preview.broken.clone()).unwrap_or_default()).into_iter().map(|(file, b)| view! {
                            <li>
                                <strong>{file}</strong>
                                {b.title.map(|t| format!(" (“{t}”)"))}
                                " at "<code>{b.place.clone()}</code>": "{b.problem.clone()}
                            </li>
                        }).collect_view()}
                    </ul>
                    <Show when=move || { rows() > 0 || templates() > 0 || keys() > 0 }
                        fallback=|| view! { <p>"Nothing else in the files can be imported."</p> }>
                        <label class="checkbox">
                            <input type="checkbox" prop:checked=accept_partial disabled=busy
                                on:change:target=move |ev| accept_partial.set(ev.target().checked()) />
                            " Import the other items without the broken ones"
                        </label>
                    </Show>
                </div>
            </Show>
            <Show when=move || { templates() > 0 }>
                <p class="help">{move || format!(
                    "The files also hold {} ({}). New ones and newer versions are added; one that differs from yours without being newer is added as a copy beside it.",
                    if templates() == 1 { "1 custom template".to_owned() } else { format!("{} custom templates", templates()) },
                    preview.with(|p| p.as_ref().map(|p| p.preview.templates.iter().map(|t| t.name.clone()).collect::<Vec<_>>().join(", ")).unwrap_or_default())
                )}</p>
            </Show>
            <Show when=move || { keys() > 0 }>
                <p class="help">{move || match keys() {
                    1 => "The files also hold the key that opens the sealed contributions of 1 invitation; it is kept here too.".to_owned(),
                    n => format!("The files also hold the keys that open the sealed contributions of {n} invitations; they are kept here too."),
                }}</p>
            </Show>
            <Show when=move || { peek(&|p| p.preview.left_out.len()) > 0 }>
                <div class="notice notice-warning" role="status">
                    {move || preview.with(|p| p.as_ref().map(|p| p.preview.left_out.clone()).unwrap_or_default()).into_iter().map(|note| view! { <p>{note}</p> }).collect_view()}
                </div>
            </Show>
            <Show when=move || { rows() > 0 }>
                <div class="import-all">
                    <label for="import-all">"For every item"</label>
                    <select id="import-all" disabled=busy on:change:target=move |ev| set_all(ev.target().value())>
                        <option value="">"Choose per item"</option>
                        <option value="merge">"Merge"</option>
                        <option value="keep-both">"Keep both"</option>
                        <option value="take">"Use the file's version"</option>
                        <option value="skip">"Skip"</option>
                    </select>
                </div>
                <table class="import-table">
                    <thead><tr><th scope="col">"Postmortem"</th><th scope="col">"File"</th><th scope="col">"Compared with yours"</th><th scope="col">"Action"</th></tr></thead>
                    <tbody>
                        {move || preview.with(|p| p.as_ref().map(|p| p.preview.rows.iter().enumerate().map(|(i, r)| {
                            let (choice, picks) = (p.choices[i], p.picks[i]);
                            view! { <ImportRow index=i row=r.clone() choice=choice picks=picks /> }
                        }).collect_view()))}
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
                            (0, 0) if keys() == 1 => "Keep the key".to_owned(),
                            (0, 0) if keys() > 1 => "Keep the keys".to_owned(),
                            (0, 0) => "Nothing to import".to_owned(),
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
                <Show when=move || { rows() > 0 && importing() == 0 && templates() == 0 && keys() == 0 }>
                    <p class="help blocked-hint">"Every postmortem is set to Skip: choose another action for one to import it."</p>
                </Show>
                <button type="button" class="secondary" on:click=move |_| preview.set(None)>
                    {move || if rows() == 0 { "Close" } else { "Cancel" }}
                </button>
            </div>
        </section>
    }
}

/// One postmortem of the import: what it is, how it compares, what will happen to it, and,
/// for one that changed on both sides, the questions merging it asks.
#[component]
fn ImportRow(
    index: usize,
    row: import::PreviewRow,
    choice: RwSignal<ImportChoice>,
    picks: RwSignal<BTreeMap<String, Pick>>,
) -> impl IntoView {
    let title = row.incoming.display_title().to_owned();
    let id = format!("import-choice-{index}");
    let status = row.status;
    let file = if row.again { format!("{} (also in an earlier file)", row.file) } else { row.file.clone() };
    let plan = row.merge.clone();
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
        {plan.map(|plan| view! {
            <tr class="merge-row">
                <td colspan="4"><MergeQuestions index=index title=title plan=plan choice=choice picks=picks /></td>
            </tr>
        })}
    }
}

/// What merging one postmortem does by itself, and each question it asks with the answers it
/// can take (keeping both texts, yours, the file's, or your own words).
#[component]
fn MergeQuestions(
    index: usize,
    title: String,
    plan: MergePlan,
    choice: RwSignal<ImportChoice>,
    picks: RwSignal<BTreeMap<String, Pick>>,
) -> impl IntoView {
    let count = plan.conflicts.len();
    let summary = match (count, plan.base.is_some()) {
        (0, _) => "Every change merges by itself.".to_owned(),
        (1, true) => "Every change merges by itself but one: the same part was changed on both sides.".to_owned(),
        (n, true) => format!("Every change merges by itself but {n}: the same parts were changed on both sides."),
        (1, false) => "No common version is known, so the one difference is a question.".to_owned(),
        (n, false) => format!("No common version is known, so each of the {n} differences is a question."),
    };
    let discards = plan.default_discards();
    // Open whenever there is a question: a conflict is shown, never hidden behind a click.
    let open = count > 0;
    view! {
        <details class="merge-questions" open=open>
            <summary>{format!("Merging “{title}”: {summary}")}</summary>
            {discards.then(|| view! {
                <p class="help">"Some answers cannot keep both versions, so “Keep both” (a copy) is chosen until you answer them and choose “Merge”."</p>
            })}
            <ol class="questions-list">
                {plan.conflicts.into_iter().enumerate().map(|(n, conflict)| view! {
                    // Answering a question is choosing to merge.
                    <MergeQuestion id=format!("merge-{index}-{n}") conflict=conflict sides=FILE_SIDES picks=picks
                        on_answer=Callback::new(move |()| choice.set(ImportChoice::Merge)) />
                }).collect_view()}
            </ol>
        </details>
    }
}
