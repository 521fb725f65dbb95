//! The team folder part of the library page: open a folder (a git clone or a synced
//! folder), see what the last read or write did, answer the questions a read left, and,
//! in browsers that cannot write folders, download the changes as a zip.

use crate::ui::browser::picked_files;
use crate::ui::components::FilePicker;
use crate::ui::lazy::{LazyPart, Loaded, Place, Retry, part};
use crate::ui::state::{FolderStatus, Team};
use leptos::prelude::*;

/// The team folder: connected, waiting to be reconnected, or an offer to open one.
#[component]
pub fn TeamFolderPanel() -> impl IntoView {
    let team = Team::expect();
    let can_write = Team::can_write();
    let download_said = RwSignal::new(None::<String>);
    let download = move |_| {
        match team.download_changes() {
        Ok(name) => download_said.set(Some(format!(
            "Downloaded {name}. Unzip it into the team folder (replacing the files it holds), then commit and push as usual."
        ))),
        Err(e) => download_said.set(Some(format!("The changes could not be downloaded: {e}."))),
    }
    };
    let open_read_only = Callback::new(move |ev: web_sys::Event| team.open_read_only(picked_files(&ev)));
    let busy = move || team.busy.get();
    let said = move || team.said.get();
    let problems = move || team.problems.get();
    view! {
        {move || match team.status.get() {
            FolderStatus::Connected { name, read_only } => view! {
                <section class="card team-folder" aria-labelledby="team-folder-heading">
                    <h2 id="team-folder-heading">{format!("Team folder: {name}")}</h2>
                    <p class="help">{if read_only {
                        "Opened read-only: this browser cannot write to folders. Your changes are kept here; download them as a zip and unzip it into the folder."
                    } else {
                        "Every save is written to the folder too, and the folder is read again whenever you come back to this tab. Use git (or your sync tool) as usual to share it."
                    }}</p>
                    {move || busy().map(|b| view! { <p class="progress" role="status"><span class="spinner" aria-hidden="true"></span>{b}</p> })}
                    <p class="folder-said" role="status">{said}</p>
                    <Show when=move || !problems().is_empty()>
                        <div class="notice notice-warning">
                            <p><strong>"Some files in the folder cannot be read; Debrief leaves them as they are:"</strong></p>
                            <ul class="folder-problems">
                                {move || problems().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                            </ul>
                        </div>
                    </Show>
                    <div class="notice-actions">
                        <Show when=move || !read_only>
                            <button type="button" class="secondary" on:click=move |_| team.read_now()
                                disabled=move || busy().is_some()>"Read the folder now"</button>
                        </Show>
                        <Show when=move || read_only>
                            <button type="button" class="primary" on:click=download
                                disabled=move || team.unsent.get() == 0>
                                {move || match team.unsent.get() {
                                    0 => "No changes to download".to_owned(),
                                    1 => "Download 1 changed file (zip)".to_owned(),
                                    n => format!("Download {n} changed files (zip)"),
                                }}
                            </button>
                        </Show>
                        <button type="button" class="ghost" on:click=move |_| team.disconnect()>"Stop using this folder"</button>
                    </div>
                    {move || download_said.get().map(|d| view! { <p class="help" role="status">{d}</p> })}
                </section>
            }.into_any(),
            FolderStatus::Reconnect(name) => view! {
                <section class="card team-folder" aria-labelledby="team-folder-heading">
                    <h2 id="team-folder-heading">{format!("Team folder: {name}")}</h2>
                    <p class="help">"The browser asks again before Debrief may use the folder after a restart. Until then your postmortems are safe in this browser."</p>
                    {move || busy().map(|b| view! { <p class="progress" role="status"><span class="spinner" aria-hidden="true"></span>{b}</p> })}
                    <p class="folder-said" role="status">{said}</p>
                    <div class="notice-actions">
                        <button type="button" class="primary" on:click=move |_| team.reconnect()>"Reconnect"</button>
                        <button type="button" class="ghost" on:click=move |_| team.disconnect()>"Forget this folder"</button>
                    </div>
                </section>
            }.into_any(),
            FolderStatus::None => view! {
                <details class="team-folder-box">
                    <summary>"Team library in a folder or git repository"</summary>
                    <p class="help">"Keep your team's postmortems in a folder everyone shares: a git repository or a folder a sync tool keeps. Debrief writes every postmortem of this browser into it, one file each, reads what others add, and merges edits to the same postmortem without losing any."</p>
                    {if can_write {
                        view! {
                            <div class="notice-actions">
                                <button type="button" class="secondary" on:click=move |_| team.open()>"Open team folder…"</button>
                            </div>
                        }.into_any()
                    } else {
                        view! {
                            <p class="help">"This browser cannot write to folders (Chromium-based browsers can). Open the folder read-only: you can read and edit its postmortems here and download your changes as a zip to unzip into it."</p>
                            <div class="notice-actions">
                                <FilePicker input_id="team-folder-input" label="Open team folder read-only…" directory=true accept=".json" on_change=open_read_only />
                            </div>
                        }.into_any()
                    }}
                    <p class="folder-said" role="status">{said}</p>
                </details>
            }.into_any(),
        }}
        <Show when=move || team.questions.with(Option::is_some)>
            {questions_panel(team)}
        </Show>
    }
}

/// The questions a read of the team folder left, with the import preview's panel.
fn questions_panel(team: Team) -> AnyView {
    let load: Retry = std::rc::Rc::new(move || Box::pin(questions_part(team)));
    view! {
        <LazyPart load=load place=Place::Panel {
            heading: "The team folder's questions could not be loaded",
            focus: "folder-import-heading",
            inner: false,
        } />
    }
    .into_any()
}

part!(
    exchange,
    fn questions_part(team: Team) -> Loaded {
        use crate::ui::pages::library_import::ImportPanel;
        Ok(view! {
            <ImportPanel preview=team.questions heading="Changes in the team folder"
                on_done=Callback::new(move |said: String| team.answered(said)) />
        }
        .into_any())
    }
);
