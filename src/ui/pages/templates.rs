//! Templates: the built-in ones to read and copy, this browser's own to edit, and template
//! files to hand to colleagues or bring in from them.

use super::new_postmortem::SectionPreview;
use crate::app::templates::{TemplateFileError, template_file, too_large};
use crate::domain::model::template::builtin_checklist;
use crate::domain::template::{Part, Section, Template, TemplateId, unique_key};
use crate::ui::browser::{download_text, picked_files, read_text};
use crate::ui::components::{DismissibleNotice, FilePicker, Notice, NoticeKind, focus_when_drawn};
use crate::ui::hooks::use_window_listener_untyped;
use crate::ui::routes::AppRoute;
use crate::ui::state::{Library, Templates, explain};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

/// Focuses the text field `id` once drawn, with its text selected so typing replaces it.
fn select_when_drawn(id: String) {
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(input) =
            document().get_element_by_id(&id).and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            let _ = input.focus();
            input.select();
        }
    });
}

/// Offers `template` as a file; returns the file's name.
fn download_template(template: &Template) -> Result<String, String> {
    let file = template_file(template).map_err(|e| e.to_string())?;
    download_text(&file.name, &file.text, file.mime)?;
    Ok(file.name)
}

/// Reads a picked template file and brings its templates in; says what happened.
async fn import_template_file(templates: Templates, file: web_sys::File) -> Result<String, String> {
    let name = file.name();
    if too_large(file.size()) {
        return Err(TemplateFileError::TooLarge(name).to_string());
    }
    let text = read_text(&file)
        .await
        .map_err(|problem| TemplateFileError::Unreadable { file: name.clone(), problem }.to_string())?;
    templates.import_file(&name, &text)
}

/// The route `/templates`.
#[component]
pub fn TemplatesPage() -> impl IntoView {
    let library = Library::expect();
    let templates = Templates::expect();
    let navigate = StoredValue::new_local(use_navigate());
    let info = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let deleted = RwSignal::new(None::<Template>);
    let open = move |id: TemplateId| {
        navigate.with_value(|go| go(&AppRoute::Template(id).path(), NavigateOptions::default()));
    };
    let keep = move |t: Template| {
        let id = t.id.clone();
        match templates.save(t) {
            Ok(()) => open(id),
            Err(e) => error.set(Some(format!("The template could not be saved. {}", explain(&e)))),
        }
    };
    let export = move |t: Template| match download_template(&t) {
        Ok(name) => info.set(Some(format!("Downloaded “{}” as {name}.", t.name))),
        Err(e) => error.set(Some(format!("The download did not start ({e})."))),
    };
    let delete = move |id: TemplateId| match templates.delete(&id) {
        Ok(gone) => deleted.set(gone),
        Err(e) => error.set(Some(format!("The template could not be deleted. {}", explain(&e)))),
    };
    let undo_delete = move |_| {
        if let Some(t) = deleted.get_untracked() {
            match templates.save(t) {
                Ok(()) => deleted.set(None),
                Err(e) => error.set(Some(explain(&e))),
            }
        }
    };
    let import = move |ev: web_sys::Event| {
        let Some(file) = picked_files(&ev).into_iter().next() else { return };
        info.set(None);
        error.set(None);
        spawn_local(async move {
            match import_template_file(templates, file).await {
                Ok(message) => {
                    let _ = info.try_set(Some(message));
                }
                Err(message) => {
                    let _ = error.try_set(Some(message));
                }
            }
        });
    };
    view! {
        <div class="page templates-page">
            <div class="page-head">
                <div>
                    <h1>"Templates"</h1>
                    <p class="lede">"A template is the list of sections a postmortem is written in: each with a question, advice on answering it, and an example."</p>
                </div>
                <div class="head-actions">
                    <FilePicker input_id="template-import" label="Import template file…" on_change=Callback::new(import) />
                    <button type="button" class="primary" on:click=move |_| keep(Template::blank())>"New blank template"</button>
                </div>
            </div>
            <DismissibleNotice kind=NoticeKind::Info message=info />
            <DismissibleNotice kind=NoticeKind::Error message=error />
            {move || templates.problem.get().map(|p| view! {
                <Notice kind=NoticeKind::Error message=format!("{p} Until then, new templates cannot be saved, so the stored ones are not written over.")>
                    <button type="button" class="secondary" on:click=move |_| {
                        if let Err(e) = library.download_raw(crate::storage::keys::TEMPLATES) { error.set(Some(e)); }
                    }>"Download raw text"</button>
                </Notice>
            })}
            {move || deleted.get().map(|t| view! {
                <Notice kind=NoticeKind::Info message=format!("Deleted the template “{}”. Postmortems written in it keep their answers.", t.name)>
                    <button type="button" class="secondary" on:click=undo_delete>"Undo"</button>
                </Notice>
            })}
            <h2>"Your templates"</h2>
            <Show when=move || !templates.list.with(Vec::is_empty)
                fallback=|| view! { <p class="empty-note">"None yet. Copy a built-in template below to change its sections, or start a blank one."</p> }>
                <ul class="template-list">
                    <For each=move || templates.list.get() key=|t| (t.id.clone(), t.version, t.name.clone()) let(t)>
                        {
                            let (copy_of, exported, gone) = (t.clone(), t.clone(), t.id.clone());
                            view! {
                                <li class="card template-row">
                                    <h3>{t.name.clone()}<span class="muted">{format!(" · version {}", t.version)}</span></h3>
                                    <p>{t.description.clone()}</p>
                                    <p class="muted">{super::editor::template::template_summary(&t)}</p>
                                    <div class="notice-actions">
                                        <A href=AppRoute::Template(t.id.clone()).href() attr:class="button-link primary small"
                                            attr:aria-label=format!("Edit {}", t.name)>"Edit"</A>
                                        <button type="button" class="secondary small" on:click=move |_| keep(copy_of.copy())
                                            aria-label=format!("Copy {}", t.name)>"Copy"</button>
                                        <button type="button" class="secondary small" on:click=move |_| export(exported.clone())
                                            aria-label=format!("Export {}", t.name)>"Export"</button>
                                        <button type="button" class="ghost small" on:click=move |_| delete(gone.clone())
                                            aria-label=format!("Delete {}", t.name)>"Delete"</button>
                                    </div>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </Show>
            <h2>"Built-in templates"</h2>
            <p class="help">"Built-in templates cannot be changed; copy one to make it your own."</p>
            <ul class="template-list">
                {crate::domain::template::builtin::all().into_iter().map(|t| {
                    let (copy_of, exported) = (t.clone(), t.clone());
                    view! {
                        <li class="card template-row">
                            <h3>{t.name.clone()}</h3>
                            <p>{t.description.clone()}</p>
                            <p class="muted">{super::editor::template::template_summary(&t)}</p>
                            <SectionPreview template=t.clone() />
                            <div class="notice-actions">
                                <button type="button" class="primary small" on:click=move |_| keep(copy_of.copy())
                                    aria-label=format!("Copy to customise: {}", t.name)>"Copy to customise"</button>
                                <button type="button" class="secondary small" on:click=move |_| export(exported.clone())
                                    aria-label=format!("Export {}", t.name)>"Export"</button>
                            </div>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}

/// The route `/templates/:id`: edit a custom template, or read a built-in one.
#[component]
pub fn TemplateEditorPage() -> impl IntoView {
    let templates = Templates::expect();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id")).map(TemplateId));
    // Saving changes the library's template list: the page must not start over then.
    move || {
        match id.get().and_then(|id| untrack(|| templates.find(&id))) {
        None => view! {
            <section class="empty-state">
                <h1>"Template not found"</h1>
                <p>"There is no template at this address in this browser. Templates live in the browser they were made in; ask for an exported template file."</p>
                <A href=AppRoute::Templates.href()>"Go to templates"</A>
            </section>
        }
        .into_any(),
        Some(t) if t.id.is_builtin() => view! { <BuiltinTemplate template=t /> }.into_any(),
        Some(t) => view! { <TemplateEditor stored=t /> }.into_any(),
    }
    }
}

/// A built-in template, read-only, with a way to copy it.
#[component]
fn BuiltinTemplate(template: Template) -> impl IntoView {
    let templates = Templates::expect();
    let navigate = StoredValue::new_local(use_navigate());
    let error = RwSignal::new(None::<String>);
    let original = template.clone();
    let copy = move |_| {
        let copy = original.copy();
        let id = copy.id.clone();
        match templates.save(copy) {
            Ok(()) => navigate.with_value(|go| go(&AppRoute::Template(id).path(), NavigateOptions::default())),
            Err(e) => error.set(Some(format!("The copy could not be saved. {}", explain(&e)))),
        }
    };
    view! {
        <div class="page template-page">
            <p class="breadcrumb"><A href=AppRoute::Templates.href()>"Templates"</A>" / "</p>
            <h1>{template.name.clone()}</h1>
            <p class="lede">{template.description.clone()}</p>
            <Notice kind=NoticeKind::Info message="Built-in templates cannot be changed. Copy this one to edit its sections.">
                <button type="button" class="primary" on:click=copy>"Copy to customise"</button>
            </Notice>
            {move || error.get().map(|e| view! { <Notice kind=NoticeKind::Error message=e /> })}
            <section class="card">
                <h2>"Review checklist"</h2>
                <ul>{template.checklist.into_iter().map(|c| view! { <li>{c.text}</li> }).collect_view()}</ul>
            </section>
            <ol class="section-list">
                {template.sections.into_iter().map(|s| view! {
                    <li class="card">
                        <h2>{s.title}{s.required.then(|| view! { <span class="badge required-badge">"Required"</span> })}</h2>
                        <p class="muted">{format!("Answered in: {}", s.part.label())}</p>
                        <p><strong>"Question: "</strong>{s.prompt}</p>
                        <p><strong>"How to answer: "</strong>{s.help}</p>
                        <p class="prewrap"><strong>"Example: "</strong>{s.example}</p>
                    </li>
                }).collect_view()}
            </ol>
        </div>
    }
}

fn section<T>(draft: RwSignal<Template>, key: &str, read: impl FnOnce(&Section) -> T) -> Option<T> {
    draft.with(|t| t.sections.iter().find(|s| s.key == key).map(read))
}

fn edit_section(draft: RwSignal<Template>, key: &str, edit: impl FnOnce(&mut Section)) {
    draft.update(|t| {
        if let Some(s) = t.sections.iter_mut().find(|s| s.key == key) {
            edit(s)
        }
    });
}

/// Edits a custom template; saving bumps its version.
#[component]
fn TemplateEditor(stored: Template) -> impl IntoView {
    let templates = Templates::expect();
    let saved = RwSignal::new(stored.clone());
    // Edits left unsaved when the author last went elsewhere in the app come back.
    let kept = templates.drafts.with_untracked(|d| d.iter().find(|t| t.id == stored.id).cloned());
    let restored = kept.is_some();
    let draft = RwSignal::new(kept.unwrap_or(stored));
    let message = RwSignal::new(
        restored.then(|| "Your unsaved changes from earlier are back. Save them, or discard them.".to_owned()),
    );
    let error = RwSignal::new(None::<String>);
    let removed = RwSignal::new(None::<(usize, Section)>);
    let dirty = Memo::new(move |_| draft.with(|d| saved.with(|s| d != s)));
    let problems = Memo::new(move |_| draft.with(Template::problems));
    let save = move |_| {
        if !problems.with(Vec::is_empty) {
            return;
        }
        let mut next = draft.get_untracked();
        next.version = saved.with_untracked(|s| s.version) + 1;
        match templates.save(next.clone()) {
            Ok(()) => {
                message.set(Some(format!("Saved as version {}.", next.version)));
                error.set(None);
                saved.set(next.clone());
                draft.set(next);
            }
            Err(e) => error.set(Some(format!("Not saved: your changes are still here. {}", explain(&e)))),
        }
    };
    let export = move |_| {
        let t = saved.get_untracked();
        match download_template(&t) {
            Ok(name) => message.set(Some(format!("Downloaded version {} as {name}.", t.version))),
            Err(e) => error.set(Some(format!("The download did not start ({e})."))),
        }
    };
    let add = move |_| {
        let mut key = String::new();
        draft.update(|t| {
            t.add_section("New section", Part::Text);
            key = t.sections.last().map(|s| s.key.clone()).unwrap_or_default();
        });
        select_when_drawn(format!("section-title-{key}"));
    };
    let shift = move |key: String, by: isize| {
        draft.update(|t| {
            if let Some(i) = t.sections.iter().position(|s| s.key == key) {
                let j = i as isize + by;
                if j >= 0 && (j as usize) < t.sections.len() {
                    t.sections.swap(i, j as usize);
                }
            }
        });
        focus_when_drawn(format!("section-{}-{key}", if by < 0 { "up" } else { "down" }));
    };
    let remove = move |key: String| {
        draft.update(|t| {
            if let Some(i) = t.sections.iter().position(|s| s.key == key) {
                removed.set(Some((i, t.sections.remove(i))));
            }
        });
    };
    let undo_remove = move |_| {
        if let Some((i, mut s)) = removed.get_untracked() {
            draft.update(|t| {
                // A section added since may have taken the key.
                let taken: Vec<String> = t.sections.iter().map(|o| o.key.clone()).collect();
                if taken.contains(&s.key) {
                    s.key = unique_key(&s.title, &taken);
                }
                t.sections.insert(i.min(t.sections.len()), s);
            });
        }
        removed.set(None);
    };
    // Leaving with unsaved changes asks first.
    use_window_listener_untyped("beforeunload", move |ev| {
        if dirty.try_get_untracked().unwrap_or(false) {
            ev.prevent_default();
            use wasm_bindgen::JsCast;
            if let Some(ev) = ev.dyn_ref::<web_sys::BeforeUnloadEvent>() {
                ev.set_return_value("Your template changes are not saved.");
            }
        }
    });
    on_cleanup(move || {
        if let (Some(true), Some(d)) = (dirty.try_get_untracked(), draft.try_get_untracked()) {
            let _ = templates.drafts.try_update(|all| {
                all.retain(|t| t.id != d.id);
                all.push(d);
            });
        } else if let Some(id) = saved.try_with_untracked(|s| s.id.clone()) {
            let _ = templates.drafts.try_update(|all| all.retain(|t| t.id != id));
        }
    });

    view! {
        <div class="page template-page">
            <p class="breadcrumb"><A href=AppRoute::Templates.href()>"Templates"</A>" / "</p>
            <div class="page-head">
                <h1>{move || draft.with(|t| if t.name.trim().is_empty() { "Untitled template".to_owned() } else { t.name.clone() })}</h1>
                <div class="head-actions">
                    <p class="save-status" role="status">{move || if dirty.get() {
                        "Unsaved changes".to_owned()
                    } else {
                        format!("Version {} saved", saved.with(|s| s.version))
                    }}</p>
                    <button type="button" class="secondary" on:click=export disabled=move || dirty.get() || !problems.with(Vec::is_empty)
                        title=move || if dirty.get() { "Save first: the file holds the saved version" } else { "" }>"Export"</button>
                    <button type="button" class="ghost" disabled=move || !dirty.get()
                        on:click=move |_| { draft.set(saved.get_untracked()); removed.set(None); }>"Discard changes"</button>
                    <button type="button" class="primary" on:click=save disabled=move || !dirty.get() || !problems.with(Vec::is_empty)>"Save"</button>
                </div>
            </div>
            <DismissibleNotice kind=NoticeKind::Info message=message />
            {move || error.get().map(|e| view! { <Notice kind=NoticeKind::Error message=e /> })}
            <Show when=move || !problems.with(Vec::is_empty)>
                <div class="notice notice-warning" role="status">
                    <p><strong>"Before saving:"</strong></p>
                    <ul>{move || problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                </div>
            </Show>
            <section class="card">
                <div class="field">
                    <label for="template-name">"Name"</label>
                    <input id="template-name" type="text" maxlength="200"
                        prop:value=move || draft.with(|t| t.name.clone())
                        on:input:target=move |ev| draft.update(|t| t.name = ev.target().value()) />
                </div>
                <div class="field">
                    <label for="template-description">"Description"<span class="optional">" (when to use it)"</span></label>
                    <textarea id="template-description" rows="2"
                        prop:value=move || draft.with(|t| t.description.clone())
                        on:input:target=move |ev| draft.update(|t| t.description = ev.target().value())></textarea>
                </div>
            </section>
            <h2>"Sections"</h2>
            {move || removed.get().map(|(_, s)| view! {
                <Notice kind=NoticeKind::Info message=format!("Removed the section “{}”.", s.title)>
                    <button type="button" class="secondary" on:click=undo_remove>"Undo"</button>
                </Notice>
            })}
            <ol class="section-editor-list">
                <For each=move || draft.with(|t| t.sections.iter().map(|s| s.key.clone()).collect::<Vec<_>>()) key=|k| k.clone() let(key)>
                    <SectionEditor draft=draft key=key.clone()
                        on_up=Callback::new({ let key = key.clone(); move |()| shift(key.clone(), -1) })
                        on_down=Callback::new({ let key = key.clone(); move |()| shift(key.clone(), 1) })
                        on_remove=Callback::new({ let key = key.clone(); move |()| remove(key.clone()) }) />
                </For>
            </ol>
            <div class="notice-actions">
                <button type="button" class="secondary add-button" on:click=add>"Add section"</button>
            </div>
            <ChecklistEditor draft=draft />
            <div class="notice-actions">
                <button type="button" class="primary" on:click=save disabled=move || !dirty.get() || !problems.with(Vec::is_empty)
                    aria-label="Save the template">"Save"</button>
            </div>
        </div>
    }
}

/// The template's review checklist: what a reviewer ticks before approving.
#[component]
fn ChecklistEditor(draft: RwSignal<Template>) -> impl IntoView {
    let new_item = RwSignal::new(String::new());
    let add = move || {
        let text = new_item.get_untracked();
        if text.trim().is_empty() {
            return;
        }
        draft.update(|t| t.add_check_item(text.trim()));
        new_item.set(String::new());
    };
    let is_builtin = move || draft.with(|t| t.checklist == builtin_checklist());
    view! {
        <section class="card checklist-editor" aria-labelledby="checklist-heading">
            <h2 id="checklist-heading">"Review checklist"</h2>
            <p class="help">"What a reviewer checks before approving a postmortem written in this template. Postmortems keep the checklist of the template version they use."</p>
            <Show when=move || draft.with(|t| !t.checklist.is_empty())
                fallback=|| view! { <p class="muted">"No checklist: reviewers approve without one."</p> }>
                <ol class="check-item-list">
                    <For each=move || draft.with(|t| t.checklist.iter().map(|c| c.key.clone()).collect::<Vec<_>>()) key=|k| k.clone() let(key)>
                        {
                            let k = StoredValue::new(key.clone());
                            let text = move || k.with_value(|key| draft.with(|t| t.checklist.iter().find(|c| &c.key == key).map(|c| c.text.clone()).unwrap_or_default()));
                            view! {
                                <li class="check-item-editor">
                                    <label class="visually-hidden" for=format!("check-item-{key}")>
                                        {move || k.with_value(|key| draft.with(|t| format!("Checklist item {}", t.checklist.iter().position(|c| &c.key == key).map_or(0, |i| i + 1))))}
                                    </label>
                                    <input id=format!("check-item-{key}") type="text" maxlength="200" prop:value=text
                                        on:input:target=move |ev| { let v = ev.target().value(); k.with_value(|key| draft.update(|t| if let Some(c) = t.checklist.iter_mut().find(|c| &c.key == key) { c.text = v; })); } />
                                    <button type="button" class="ghost small" id=format!("remove-check-item-{key}")
                                        aria-label=move || format!("Remove checklist item “{}”", text())
                                        on:click=move |_| k.with_value(|key| draft.update(|t| t.checklist.retain(|c| &c.key != key)))>"Remove"</button>
                                </li>
                            }
                        }
                    </For>
                </ol>
            </Show>
            <div class="inline-add">
                <label class="visually-hidden" for="new-check-item">"New checklist item"</label>
                <input id="new-check-item" type="text" maxlength="200" placeholder="e.g. Customer support has read it"
                    prop:value=new_item on:input:target=move |ev| new_item.set(ev.target().value())
                    on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default(); add(); } />
                <button type="button" class="secondary" id="add-check-item" on:click=move |_| add()>"Add item"</button>
            </div>
            <Show when=move || !is_builtin()>
                <button type="button" class="ghost small" id="builtin-checklist"
                    on:click=move |_| draft.update(|t| t.checklist = builtin_checklist())>"Use the built-in checklist"</button>
            </Show>
        </section>
    }
}

/// One section of a template being edited.
#[component]
fn SectionEditor(
    draft: RwSignal<Template>,
    key: String,
    on_up: Callback<()>,
    on_down: Callback<()>,
    on_remove: Callback<()>,
) -> impl IntoView {
    let k = StoredValue::new(key.clone());
    let read = move |f: fn(&Section) -> String| k.with_value(|key| section(draft, key, f).unwrap_or_default());
    let write =
        move |f: fn(&mut Section, String), value: String| k.with_value(|key| edit_section(draft, key, |s| f(s, value)));
    let position =
        move || k.with_value(|key| draft.with(|t| (t.sections.iter().position(|s| &s.key == key), t.sections.len())));
    let id = |what: &str| format!("section-{what}-{key}");
    view! {
        <li class="card section-editor">
            <div class="grid-3">
                <div class="field">
                    <label for=id("title")>"Title"</label>
                    <input id=id("title") type="text" maxlength="200"
                        prop:value=move || read(|s| s.title.clone())
                        on:input:target=move |ev| write(|s, v| s.title = v, ev.target().value()) />
                </div>
                <div class="field">
                    <label for=id("part")>"Answered in"</label>
                    <select id=id("part")
                        prop:value=move || read(|s| s.part.key().to_owned())
                        on:change:target=move |ev| {
                            if let Some(part) = Part::from_key(&ev.target().value()) {
                                k.with_value(|key| edit_section(draft, key, |s| s.part = part));
                            }
                        }>
                        {Part::ALL.iter().map(|p| view! { <option value=p.key()>{p.label()}</option> }).collect_view()}
                    </select>
                </div>
                <label class="checkbox section-required">
                    <input id=id("required") type="checkbox"
                        prop:checked=move || k.with_value(|key| section(draft, key, |s| s.required).unwrap_or(false))
                        on:change:target=move |ev| { let on = ev.target().checked(); k.with_value(|key| edit_section(draft, key, |s| s.required = on)); } />
                    " Required"
                </label>
            </div>
            <div class="field">
                <label for=id("prompt")>"Question"<span class="optional">" (what the section answers)"</span></label>
                <textarea id=id("prompt") rows="2"
                    prop:value=move || read(|s| s.prompt.clone())
                    on:input:target=move |ev| write(|s, v| s.prompt = v, ev.target().value())></textarea>
            </div>
            <div class="field">
                <label for=id("help")>"How to answer"<span class="optional">" (advice for writing it without blame)"</span></label>
                <textarea id=id("help") rows="2"
                    prop:value=move || read(|s| s.help.clone())
                    on:input:target=move |ev| write(|s, v| s.help = v, ev.target().value())></textarea>
            </div>
            <div class="field">
                <label for=id("example")>"Example answer"</label>
                <textarea id=id("example") rows="2"
                    prop:value=move || read(|s| s.example.clone())
                    on:input:target=move |ev| write(|s, v| s.example = v, ev.target().value())></textarea>
            </div>
            <div class="notice-actions">
                <button type="button" class="secondary small" id=id("up") disabled=move || position().0 == Some(0)
                    on:click=move |_| on_up.run(())
                    aria-label=move || format!("Move up: “{}”", read(|s| s.title.clone()))>"Move up"</button>
                <button type="button" class="secondary small" id=id("down") disabled=move || { let (at, len) = position(); at.is_none_or(|i| i + 1 >= len) }
                    on:click=move |_| on_down.run(())
                    aria-label=move || format!("Move down: “{}”", read(|s| s.title.clone()))>"Move down"</button>
                <button type="button" class="ghost small" on:click=move |_| on_remove.run(())
                    aria-label=move || format!("Remove “{}”", read(|s| s.title.clone()))>"Remove"</button>
            </div>
        </li>
    }
}
