//! Starting a postmortem: pick a template (with a preview of its sections) or none.

use super::editor::template::{START, template_summary};
use crate::domain::template::Template;
use crate::ui::clock::browser_zone;
use crate::ui::components::{Notice, NoticeKind, focus_when_drawn};
use crate::ui::routes::AppRoute;
use crate::ui::state::{Library, Templates, explain};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

/// The route `/new`.
#[component]
pub fn NewPostmortemPage() -> impl IntoView {
    let library = Library::expect();
    let templates = Templates::expect();
    let navigate = StoredValue::new_local(use_navigate());
    let error = RwSignal::new(None::<String>);
    let start = move |template: Option<Template>, guided: bool| match library.create(browser_zone(), template.as_ref())
    {
        Ok(id) => {
            let to = if guided { AppRoute::Guided(id, Some(START.to_owned())) } else { AppRoute::Postmortem(id) };
            navigate.with_value(|go| go(&to.path(), NavigateOptions::default()));
            // The title is the first thing to write (guided mode places focus itself).
            if !guided {
                focus_when_drawn("pm-title".to_owned());
            }
        }
        Err(e) => error.set(Some(format!("Could not create a postmortem. {}", explain(&e)))),
    };
    let choices = untrack(|| templates.all());
    view! {
        <div class="page new-page">
            <p class="breadcrumb"><A href=AppRoute::Library.href()>"Library"</A>" / "</p>
            <h1>"New postmortem"</h1>
            <p class="lede">"Pick a template. Guided mode then takes you through it one section at a time, with the question each section answers, advice on answering it without blame, and an example."</p>
            {move || error.get().map(|e| view! { <Notice kind=NoticeKind::Error message=e /> })}
            {move || templates.problem.get().map(|p| view! {
                <Notice kind=NoticeKind::Warning message=format!("Your own templates could not be read, so only the built-in ones are offered. {p}") />
            })}
            <ul class="template-grid">
                {choices.into_iter().map(|t| {
                    let (guided, plain) = (t.clone(), t.clone());
                    let custom = !t.id.is_builtin();
                    let heading_id = format!("template-{}", t.id);
                    view! {
                        <li class="card template-choice">
                            <h2 id=heading_id>
                                {t.name.clone()}
                                {custom.then(|| view! { <span class="badge custom-badge">"Your template"</span> })}
                            </h2>
                            <p>{t.description.clone()}</p>
                            <p class="muted">{template_summary(&t)}</p>
                            <SectionPreview template=t.clone() />
                            <div class="notice-actions">
                                <button type="button" class="primary" on:click=move |_| start(Some(guided.clone()), true)
                                    aria-label=format!("Start guided with {}", t.name)>"Start guided"</button>
                                <button type="button" class="secondary" on:click=move |_| start(Some(plain.clone()), false)
                                    aria-label=format!("Open in editor: {}", t.name)>"Open in editor"</button>
                            </div>
                        </li>
                    }
                }).collect_view()}
                <li class="card template-choice">
                    <h2>"Blank"</h2>
                    <p>"Every part of a postmortem, with no template's questions. You can choose a template later without losing anything."</p>
                    <div class="notice-actions">
                        <button type="button" class="secondary" on:click=move |_| start(None, false)>"Start blank"</button>
                    </div>
                </li>
            </ul>
            <p class="help">"Want different questions? "<A href=AppRoute::Templates.href()>"Copy a template and change it"</A>"."</p>
        </div>
    }
}

/// A template's sections in order, folded away until asked for.
#[component]
pub fn SectionPreview(template: Template) -> impl IntoView {
    view! {
        <details class="section-preview">
            <summary>"Preview the sections"</summary>
            <ol>
                {template.sections.into_iter().map(|s| view! {
                    <li>
                        <strong>{s.title}</strong>
                        {s.required.then(|| view! { <span class="badge required-badge">"Required"</span> })}
                        <span class="muted">{format!(" · {}", s.part.label())}</span>
                        <br />
                        <span class="section-prompt">{s.prompt}</span>
                    </li>
                }).collect_view()}
            </ol>
        </details>
    }
}
