//! The editor: every part of one postmortem, saved automatically as the author writes.
//!
//! The page wires three hooks (saving, the wording check, and the long lists' rows) to
//! the sections; the rules of saving live in `app::editor`.

mod actions;
mod bar;
mod contributions;
mod factors;
mod lessons;
mod overview;
mod paste;
mod people;
mod problems;
mod redaction;
mod review;
mod rows;
mod session;
pub mod template;
mod timeline;
mod times;
mod wording;

use crate::app::backup::postmortem_file;
use crate::domain::{Postmortem, PostmortemId};
use crate::storage::StorageError;
use crate::ui::browser::download_text;
use crate::ui::components::{DismissibleNotice, Notice, NoticeKind};
use crate::ui::lazy::{LazyPart, Loaded, Place, Retry, part};
use crate::ui::routes::AppRoute;
use crate::ui::state::{Library, explain};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use rows::{RowSignals, drawn_in_steps, edit_row, read_row};
use wording::Wording;

/// The editor's sections: element id and name, in page order.
const SECTIONS: [(&str, &str); 11] = [
    ("template", "Template"),
    ("overview", "Overview"),
    ("answers", "Answers"),
    ("times", "Key times"),
    ("people", "People and impact"),
    ("timeline", "Timeline"),
    ("factors", "Contributing factors"),
    ("actions", "Action items"),
    ("lessons", "Lessons"),
    ("contributions", "Contributions"),
    ("review", "Review"),
];

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
            Err(StorageError::NotFound) => {
                // The save journal may bring it back once read at start (a save whose write
                // to localStorage a crash lost): then this shows it.
                library.taken.track();
                view! { <Missing /> }.into_any()
            }
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
    // Times that arrived at offsets other than their zone's (a merge, a hand-written file)
    // are written at the zone's; the next save keeps that.
    let mut initial = initial;
    initial.restate_times(&crate::ui::clock::BrowserZones);
    let pm = RwSignal::new(initial);
    times::TimeView::provide();
    let session = session::use_save_session(pm);
    let wording = wording::use_wording(pm);
    let query = use_query_map();
    // Guided mode is the same editor (one autosave, one save state) showing one step.
    let guide = Memo::new(move |_| query.with(|q| q.get("guide")));
    let said = RwSignal::new(None::<String>);
    let failed = RwSignal::new(None::<String>);
    let download = download_this(pm, failed);
    view! {
        <article class="page editor">
            <div class="editor-head">
                <p class="breadcrumb"><A href=AppRoute::Library.href()>"Library"</A>" / "</p>
                <h1>{move || pm.with(|p| p.display_title().to_owned())}</h1>
            </div>
            <bar::EditorBar pm=pm session=session guided=Signal::derive(move || guide.with(Option::is_some))
                said=said failed=failed />
            <problems::SaveProblems session=session on_download=download said=said />
            <DismissibleNotice kind=NoticeKind::Info message=said />
            <DismissibleNotice kind=NoticeKind::Error message=failed />
            <wording::WordingPanel wording=wording />
            <Show when=move || guide.with(Option::is_none)
                fallback=move || view! { <template::Guided pm=pm step=Signal::derive(move || guide.get().unwrap_or_default()) /> }>
                <template::TemplateCard pm=pm />
                <overview::Overview pm=pm />
                <template::AnswersSection pm=pm />
                <times::KeyTimesSection pm=pm />
                <people::PeopleAndImpact pm=pm />
                <timeline::Timeline pm=pm />
                <factors::Factors pm=pm />
                <factors::SimilarIncidents pm=pm />
                <actions::ActionItems pm=pm />
                <lessons::LessonsSection pm=pm />
                {later(std::rc::Rc::new(move || Box::pin(contributions_part(pm))), "The contributions could not be loaded", "contributions-heading", false)}
                {later(std::rc::Rc::new(move || Box::pin(review_part(pm))), "The review could not be loaded", "review-heading", false)}
            </Show>
        </article>
    }
}

/// A part of the editor used less often (the contributions and review cards at the foot of
/// the page, the paste panel): its code is a part of its own (`sections`), fetched as soon as
/// the editor is shown rather than before it; the message with "Try again" if it cannot be.
fn later(load: Retry, heading: &'static str, focus: &'static str, inner: bool) -> AnyView {
    view! { <LazyPart load=load place=Place::Panel { heading, focus, inner } /> }.into_any()
}

part!(
    sections,
    fn contributions_part(pm: RwSignal<Postmortem>) -> Loaded {
        Ok(view! { <contributions::ContributionsSection pm=pm /> }.into_any())
    }
);

part!(
    sections,
    fn review_part(pm: RwSignal<Postmortem>) -> Loaded {
        Ok(view! { <review::ReviewSection pm=pm /> }.into_any())
    }
);

part!(
    sections,
    fn paste_part(pm: RwSignal<Postmortem>, open: RwSignal<bool>) -> Loaded {
        Ok(view! { <paste::PastePanel pm=pm open=open /> }.into_any())
    }
);

/// A download of this page's version as a file, to keep edits that are not stored.
fn download_this(pm: RwSignal<Postmortem>, failed: RwSignal<Option<String>>) -> Callback<()> {
    Callback::new(move |()| {
        let made = pm.with_untracked(|p| postmortem_file(p, false)).map_err(|e| e.to_string());
        let result = made.and_then(|f| download_text(&f.name, &f.text, f.mime));
        failed.set(
            result.err().map(|e| format!("The download did not start ({e}). Try again, or copy your text elsewhere.")),
        );
    })
}

/// The review under the read view: the reviewer reads the document, then comments, ticks
/// and approves below it. Its copy of the postmortem is saved like the editor's (the same
/// save session, so another tab's edits are followed or merged).
#[component]
pub fn ReadViewReview(pm: RwSignal<Postmortem>) -> impl IntoView {
    let session = session::use_save_session(pm);
    let said = RwSignal::new(None::<String>);
    let failed = RwSignal::new(None::<String>);
    let download = download_this(pm, failed);
    // Sending the reviewed postmortem back: a file that remembers this exchange, so the
    // author's import merges it with their own edits since.
    let library = Library::expect();
    let send_back = move |_| {
        let result = pm.with_untracked(|p| library.download_shared(p, false));
        match result {
            Ok(name) => said.set(Some(format!(
                "Downloaded {name}. Send the file back to the authors: importing it keeps their edits and your review."
            ))),
            Err(e) => failed.set(Some(format!("The download did not start ({e}). Try again."))),
        }
    };
    view! {
        <div class="no-print read-review">
            <div class="read-review-bar">
                <bar::SaveStatus session=session />
                <button type="button" class="secondary small" id="review-download" on:click=send_back>"Download file to send back"</button>
            </div>
            <problems::SaveProblems session=session on_download=download said=said />
            <DismissibleNotice kind=NoticeKind::Info message=said />
            <DismissibleNotice kind=NoticeKind::Error message=failed />
            <review::ReviewSection pm=pm />
        </div>
    }
}
