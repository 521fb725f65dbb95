//! The postmortem's template in the editor: completeness, written answers, switching
//! template without losing text, and the guided mode that walks one section at a time.

use super::overview::{SeverityField, TitleField};
use super::{lessons::LessonLists, people, times::KeyTimesSection};
use crate::domain::Postmortem;
use crate::domain::template::{
    Answer, Part, Section, Template, TemplateUse, answer_text, apply_template, completeness, guide_sections,
    homeless_answers, is_answered, move_answer, preview_switch, remove_answer, set_answer,
};
use crate::domain::wording::answer_field;
use crate::ui::components::{CheckedText, Notice, NoticeKind, WordingHooks, focus_when_drawn};
use crate::ui::routes::AppRoute;
use crate::ui::state::Templates;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// The step before the template's sections: title, severity and key times.
pub const START: &str = "start";
/// The step after the last section: what is done and what is still empty.
pub const FINISH: &str = "finish";

/// Where the editor's full view shows a structured part.
fn anchor(part: Part) -> &'static str {
    match part {
        Part::Text => "answers",
        Part::Summary => "pm-summary",
        Part::Impact | Part::Participants => "people",
        Part::Timeline => "timeline",
        Part::Factors | Part::Whys => "factors",
        Part::Actions => "actions",
        Part::Lessons | Part::WentWell | Part::WentWrong | Part::GotLucky => "lessons",
    }
}

/// "2 of 5 required sections are still empty: Impact, Timeline", or that all are answered.
fn completeness_text(pm: &Postmortem) -> Option<String> {
    let c = completeness(pm)?;
    Some(match c.missing.len() {
        0 if c.required == 0 => "This template has no required sections.".to_owned(),
        0 => format!("All {} required sections are answered.", c.required),
        n => format!("{n} of {} required sections still empty: {}.", c.required, c.missing.join(", ")),
    })
}

/// The template card at the top of the editor: which template, how complete, guided mode,
/// and switching to another template.
#[component]
pub fn TemplateCard(pm: RwSignal<Postmortem>) -> impl IntoView {
    let templates = Templates::expect();
    let id = pm.with_untracked(|p| p.id);
    let outline = Memo::new(move |_| pm.with(|p| p.template.clone()));
    let status = Memo::new(move |_| pm.with(completeness_text));
    let complete = Memo::new(move |_| pm.with(|p| completeness(p).is_some_and(|c| c.is_complete())));
    let choosing = RwSignal::new(false);
    let chosen = RwSignal::new(String::new());
    let undo = RwSignal::new(None::<(Option<TemplateUse>, String)>);
    let candidate = move || {
        let key = chosen.get();
        templates.all().into_iter().find(|t| t.id.0 == key)
    };
    let preview = move || candidate().map(|t| pm.with(|p| preview_switch(p, &t)));
    let switch = move |_| {
        let Some(t) = candidate() else { return };
        let before = pm.with_untracked(|p| p.template.clone());
        pm.update(|p| {
            apply_template(p, &t);
        });
        undo.set(Some((before, t.name.clone())));
        choosing.set(false);
    };
    // Undo switches back the same way, so text typed since the switch stays.
    let undo_switch = move |_| {
        if let Some((template, _)) = undo.get_untracked() {
            pm.update(|p| {
                if let Some(old) = &template {
                    apply_template(p, &old.as_template());
                }
                p.template = template;
            });
        }
        undo.set(None);
    };
    view! {
        <section class="card template-card" id="template" aria-labelledby="template-heading">
            <div class="template-card-head">
                <div>
                    <h2 id="template-heading">
                        {move || outline.get().map(|t| format!("Template: {}", t.name)).unwrap_or_else(|| "No template".to_owned())}
                    </h2>
                    <p class=move || if complete.get() { "completeness complete" } else { "completeness" } data-testid="completeness">
                        {move || status.get().unwrap_or_else(|| "Choose a template to get a question for each section and guidance on answering it.".to_owned())}
                    </p>
                </div>
                <div class="template-card-actions">
                    <Show when=move || outline.with(Option::is_some)>
                        <a class="button-link primary" href=move || AppRoute::Guided(id, None).href()>"Guided mode"</a>
                    </Show>
                    <button type="button" class="secondary" aria-expanded=move || choosing.get().to_string()
                        on:click=move |_| {
                            chosen.set(pm.with_untracked(|p| p.template.as_ref().map(|t| t.id.0.clone()).unwrap_or_default()));
                            choosing.update(|c| *c = !*c);
                        }>
                        {move || if outline.with(Option::is_some) { "Change template" } else { "Choose a template" }}
                    </button>
                </div>
            </div>
            <Show when=move || outline.with(|o| o.as_ref().is_some_and(|t| t.sections.iter().any(|s| s.required)))>
                <ul class="section-checklist" aria-label="Sections">
                    {move || outline.get().map(|t| t.sections.into_iter().map(|s| {
                        let done = pm.with(|p| is_answered(p, &s.key, s.part));
                        let target = if s.part == Part::Text { answer_field(&s.key) } else { anchor(s.part).to_owned() };
                        view! {
                            <li class=if done { "done" } else if s.required { "missing" } else { "optional" }>
                                <a href=AppRoute::Guided(id, Some(s.key.clone())).href()
                                    on:click=move |ev| { ev.prevent_default(); scroll_to(&target); }>
                                    <span class="check" aria-hidden="true">{if done { "✓" } else { "○" }}</span>
                                    {s.title.clone()}
                                    <span class="visually-hidden">{if done { ", answered" } else if s.required { ", required, empty" } else { ", optional, empty" }}</span>
                                </a>
                            </li>
                        }
                    }).collect_view())}
                </ul>
            </Show>
            {move || undo.get().map(|(_, name)| view! {
                <Notice kind=NoticeKind::Info message=format!("Switched to “{name}”. Every answer is still here.")>
                    <button type="button" class="secondary" on:click=undo_switch>"Undo"</button>
                    <button type="button" class="ghost" on:click=move |_| undo.set(None)>"Dismiss"</button>
                </Notice>
            })}
            <Show when=move || choosing.get()>
                <div class="template-switch">
                    <div class="field">
                        <label for="template-choice">"Template"</label>
                        <select id="template-choice" prop:value=move || chosen.get()
                            on:change:target=move |ev| chosen.set(ev.target().value())>
                            <option value="" disabled=true>"Choose…"</option>
                            {templates.all().into_iter().map(|t| view! {
                                <option value=t.id.0.clone()>{format!("{} ({} sections)", t.name, t.sections.len())}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    {move || candidate().map(|t| view! { <p class="help">{t.description.clone()}</p> })}
                    {move || preview().map(|p| {
                        let kept = if p.kept.is_empty() { None } else { Some(format!("Answers that move to the new template: {}.", p.kept.join(", "))) };
                        let apart = if p.homeless.is_empty() {
                            "No written answer is left without a section.".to_owned()
                        } else {
                            format!("No section there for: {}. These answers are kept and listed under “Answers without a section” until you move or delete them.", p.homeless.join(", "))
                        };
                        view! {
                            <div class="switch-preview" data-testid="switch-preview">
                                {kept.map(|k| view! { <p>{k}</p> })}
                                <p>{apart}</p>
                                <p class="help">"Summary, impact, timeline, factors, action items and lessons are never changed by a switch."</p>
                            </div>
                        }
                    })}
                    <div class="notice-actions">
                        <button type="button" class="primary" disabled=move || candidate().is_none() on:click=switch>"Switch template"</button>
                        <button type="button" class="ghost" on:click=move |_| choosing.set(false)>"Cancel"</button>
                    </div>
                </div>
            </Show>
        </section>
    }
}

fn scroll_to(id: &str) {
    if let Some(el) = document().get_element_by_id(id) {
        el.scroll_into_view();
    }
    focus_when_drawn(id.to_owned());
}

/// The template's written-answer sections in the full editor, then any answers that have
/// no section in the current template.
#[component]
pub fn AnswersSection(pm: RwSignal<Postmortem>) -> impl IntoView {
    let templates = Templates::expect();
    // Only a change of template rebuilds the sections, not every keystroke.
    let outline = Memo::new(move |_| pm.with(|p| p.template.clone()));
    let sections = Memo::new(move |_| {
        outline
            .with(|o| o.as_ref().map(|t| guide_sections(t, templates.find(&t.id).as_ref())).unwrap_or_default())
            .into_iter()
            .filter(|s| s.part == Part::Text)
            .collect::<Vec<_>>()
    });
    let homeless = Memo::new(move |_| pm.with(|p| homeless_answers(p).into_iter().cloned().collect::<Vec<_>>()));
    let removed = RwSignal::new(None::<Answer>);
    view! {
        <Show when=move || !sections.with(Vec::is_empty) || !homeless.with(Vec::is_empty) || removed.with(Option::is_some)>
            <section class="card" id="answers" aria-labelledby="answers-heading">
                <h2 id="answers-heading">"Answers"</h2>
                <For each=move || sections.get() key=|s| s.key.clone() let(section)>
                    <AnswerField pm=pm section=section />
                </For>
                {move || removed.get().map(|a| view! {
                    <Notice kind=NoticeKind::Info message=format!("Deleted the answer “{}”.", a.title)>
                        <button type="button" class="secondary" on:click=move |_| {
                            if let Some(a) = removed.get_untracked() {
                                // Added to whatever is under that key now, never written over it.
                                pm.update(|p| {
                                    let text = match answer_text(p, &a.key).map(str::trim_end) {
                                        Some(now) if !now.is_empty() => format!("{now}\n\n{}", a.text),
                                        _ => a.text.clone(),
                                    };
                                    set_answer(p, &a.key, &a.title, text);
                                });
                            }
                            removed.set(None);
                        }>"Undo"</button>
                    </Notice>
                })}
                <Show when=move || !homeless.with(Vec::is_empty)>
                    <div class="homeless" id="homeless-answers">
                        <h3>"Answers without a section"</h3>
                        <p class="help">"These answers were written for sections this template does not have. They are kept: move each into a section, or delete it if it is no longer needed."</p>
                        <For each=move || homeless.get() key=|a| (a.key.clone(), a.text.clone()) let(answer)>
                            <HomelessAnswer pm=pm answer=answer sections=sections removed=removed />
                        </For>
                    </div>
                </Show>
            </section>
        </Show>
    }
}

/// One written answer with its question, help and wording checks.
#[component]
fn AnswerField(pm: RwSignal<Postmortem>, section: Section) -> impl IntoView {
    let hooks = expect_context::<WordingHooks>();
    let key = section.key.clone();
    let title = section.title.clone();
    let help_id = format!("question-{key}");
    let label_for = answer_field(&key);
    let value = {
        let key = key.clone();
        Signal::derive(move || pm.with(|p| answer_text(p, &key).unwrap_or_default().to_owned()))
    };
    let on_input = Callback::new(move |v: String| pm.update(|p| set_answer(p, &key, &title, v)));
    view! {
        <div class="field answer-field">
            <label for=label_for.clone()>
                {section.title.clone()}
                {(!section.required).then(|| view! { <span class="optional">" (optional)"</span> })}
            </label>
            {(!section.prompt.is_empty()).then(|| view! { <p class="help" id=help_id.clone()>{section.prompt.clone()}</p> })}
            <CheckedText id=label_for hooks=hooks value=value on_input=on_input placeholder=""
                described_by=if section.prompt.is_empty() { String::new() } else { help_id.clone() } />
        </div>
    }
}

/// An answer whose section is gone: its text, and where it can go.
#[component]
fn HomelessAnswer(
    pm: RwSignal<Postmortem>,
    answer: Answer,
    sections: Memo<Vec<Section>>,
    removed: RwSignal<Option<Answer>>,
) -> impl IntoView {
    let target = RwSignal::new(String::new());
    let select_id = format!("move-{}", answer.key);
    let key = answer.key.clone();
    let move_it = {
        let key = key.clone();
        move |_| {
            let to = target.get_untracked();
            let title = sections.with_untracked(|list| list.iter().find(|s| s.key == to).map(|s| s.title.clone()));
            if let Some(title) = title {
                pm.update(|p| move_answer(p, &key, &to, &title));
                focus_when_drawn(answer_field(&to));
            }
        }
    };
    let delete = move |_| {
        let mut gone = None;
        pm.update(|p| gone = remove_answer(p, &key));
        removed.set(gone);
    };
    view! {
        <article class="homeless-answer">
            <h4>{answer.title.clone()}</h4>
            <p class="prewrap">{answer.text.clone()}</p>
            <div class="homeless-actions">
                <Show when=move || !sections.with(Vec::is_empty)>
                    <label for=select_id.clone()>"Move into"</label>
                    <select id=select_id.clone() prop:value=move || target.get() on:change:target=move |ev| target.set(ev.target().value())>
                        <option value="">"Choose a section…"</option>
                        {move || sections.get().into_iter().map(|s| view! { <option value=s.key.clone()>{s.title.clone()}</option> }).collect_view()}
                    </select>
                    <button type="button" class="secondary small" disabled=move || target.with(String::is_empty) on:click=move_it.clone()>"Move"</button>
                </Show>
                <button type="button" class="ghost small" on:click=delete.clone()>"Delete"</button>
            </div>
        </article>
    }
}

/// Guided mode: one section at a time, with its question, help and an example.
#[component]
pub fn Guided(pm: RwSignal<Postmortem>, #[prop(into)] step: Signal<String>) -> impl IntoView {
    let templates = Templates::expect();
    let navigate = StoredValue::new_local(use_navigate());
    let id = pm.with_untracked(|p| p.id);
    let outline = Memo::new(move |_| pm.with(|p| p.template.clone()));
    let sections = Memo::new(move |_| {
        outline.with(|o| o.as_ref().map(|t| guide_sections(t, templates.find(&t.id).as_ref())).unwrap_or_default())
    });
    let position = Memo::new(move |_| {
        let step = step.get();
        sections.with(|list| list.iter().position(|s| s.key == step))
    });
    let go = move |key: &str| {
        navigate.with_value(|n| n(&AppRoute::Guided(id, Some(key.to_owned())).path(), Default::default()));
        focus_when_drawn("guided-heading".to_owned());
    };
    let next_key = move || sections.with_untracked(|list| neighbour_step(&step.get_untracked(), list, true));
    let back_key = move || sections.with_untracked(|list| neighbour_step(&step.get_untracked(), list, false));
    let required_left = Memo::new(move |_| pm.with(|p| completeness(p).map(|c| c.missing.len()).unwrap_or(0)));
    let answered = move |s: &Section| pm.with(|p| is_answered(p, &s.key, s.part));
    let progress = move || {
        let total = sections.with(Vec::len);
        let left = match required_left.get() {
            0 => "no required sections left".to_owned(),
            1 => "1 required left".to_owned(),
            n => format!("{n} required left"),
        };
        match (step.get().as_str(), position.get()) {
            (START, _) => format!("Getting started · {total} sections · {left}"),
            (FINISH, _) => format!("Review · {left}"),
            (_, Some(i)) => format!("{} of {total}, {left}", i + 1),
            _ => format!("{total} sections, {left}"),
        }
    };
    let current = move || {
        let step = step.get();
        sections.with(|list| list.iter().find(|s| s.key == step).cloned())
    };

    view! {
        <section class="card guided" aria-labelledby="guided-heading">
            <div class="guided-top">
                <p class="guided-progress" data-testid="guided-progress" aria-live="polite">{progress}</p>
                <progress max=move || (sections.with(Vec::len) + 1).to_string()
                    value=move || match step.get().as_str() { START => 0, FINISH => sections.with(Vec::len) + 1, _ => position.get().map(|i| i + 1).unwrap_or(0) }.to_string()
                    aria-label="Progress through the sections"></progress>
                <a class="button-link small" href=AppRoute::Postmortem(id).href()>"Leave guided mode"</a>
            </div>
            <div class="guided-layout">
                <nav class="guided-steps" aria-label="Jump to a section">
                    <ol>
                        <li><a href=AppRoute::Guided(id, Some(START.to_owned())).href() aria-current=move || (step.get() == START).then_some("step")>"Getting started"</a></li>
                        {move || sections.get().into_iter().map(|s| {
                            let key = s.key.clone();
                            let done = answered(&s);
                            view! {
                                <li class=if done { "done" } else if s.required { "missing" } else { "optional" }>
                                    <a href=AppRoute::Guided(id, Some(s.key.clone())).href() aria-current=move || (step.get() == key).then_some("step")>
                                        <span class="check" aria-hidden="true">{if done { "✓" } else { "○" }}</span>
                                        {s.title.clone()}
                                        {s.required.then(|| view! { <span class="required-mark" aria-hidden="true">" *"</span> })}
                                        <span class="visually-hidden">{if done { ", answered" } else if s.required { ", required" } else { "" }}</span>
                                    </a>
                                </li>
                            }
                        }).collect_view()}
                        <li><a href=AppRoute::Guided(id, Some(FINISH.to_owned())).href() aria-current=move || (step.get() == FINISH).then_some("step")>"Review"</a></li>
                    </ol>
                </nav>
                <div class="guided-body">
                    {move || match step.get().as_str() {
                        START => view! { <GettingStarted pm=pm /> }.into_any(),
                        FINISH => view! { <Review pm=pm sections=sections /> }.into_any(),
                        _ => match current() {
                            Some(section) => view! { <GuidedSection pm=pm section=section /> }.into_any(),
                            None => view! {
                                <h2 id="guided-heading" tabindex="-1">"Section not found"</h2>
                                <p>"This postmortem's template has no section by that name. Pick one from the list."</p>
                            }.into_any(),
                        },
                    }}
                    <div class="guided-actions">
                        <Show when=move || step.get() != START>
                            <button type="button" class="secondary" on:click=move |_| go(&back_key()) data-shortcut="[" aria-keyshortcuts="[">"Back"</button>
                        </Show>
                        <Show when=move || { current().is_some_and(|s| !answered(&s)) }>
                            <button type="button" class="ghost" on:click=move |_| go(&next_key())>"Skip for now"</button>
                        </Show>
                        <Show when=move || step.get() != FINISH
                            fallback=move || view! { <a class="button-link primary" href=AppRoute::Postmortem(id).href()>"Open the full editor"</a> }>
                            <button type="button" class="primary" on:click=move |_| go(&next_key()) data-shortcut="]" aria-keyshortcuts="]">
                                {move || if sections.with(|list| neighbour_step(&step.get(), list, true)) == FINISH { "Review" } else { "Next" }}
                            </button>
                        </Show>
                    </div>
                </div>
            </div>
        </section>
    }
}

/// The step after (or before) `step`: getting started, each section in order, then the review.
fn neighbour_step(step: &str, sections: &[Section], forward: bool) -> String {
    let mut steps: Vec<&str> = vec![START];
    steps.extend(sections.iter().map(|s| s.key.as_str()));
    steps.push(FINISH);
    let at = steps.iter().position(|s| *s == step).unwrap_or(0);
    let to = if forward { (at + 1).min(steps.len() - 1) } else { at.saturating_sub(1) };
    steps[to].to_owned()
}

/// The first guided step: what to call the incident, how bad it was, and when it happened.
#[component]
fn GettingStarted(pm: RwSignal<Postmortem>) -> impl IntoView {
    view! {
        <h2 id="guided-heading" tabindex="-1">"Getting started"</h2>
        <p class="guided-prompt">"What should this postmortem be called, how serious was the incident, and when did it happen?"</p>
        <aside class="guided-help">
            <p>"Name the incident by what happened to the system or its users, not by who was involved. Times can be rough for now; the timeline will refine them."</p>
        </aside>
        <TitleField pm=pm />
        <div class="narrow">
            <SeverityField pm=pm />
        </div>
        <div class="guided-answer">
            <KeyTimesSection pm=pm />
        </div>
    }
}

/// One template section: the question, how to answer it, an example, and the answer itself.
#[component]
fn GuidedSection(pm: RwSignal<Postmortem>, section: Section) -> impl IntoView {
    let hooks = expect_context::<WordingHooks>();
    let answer = match section.part {
        Part::Text => {
            let (key, title) = (section.key.clone(), section.title.clone());
            let read_key = key.clone();
            view! {
                <CheckedText id=answer_field(&key) hooks=hooks described_by="guided-prompt".to_owned() label=Signal::derive({ let t = title.clone(); move || t.clone() })
                    value=Signal::derive(move || pm.with(|p| answer_text(p, &read_key).unwrap_or_default().to_owned()))
                    on_input=Callback::new(move |v: String| pm.update(|p| set_answer(p, &key, &title, v))) />
            }
            .into_any()
        }
        Part::Summary => view! {
            <CheckedText id="pm-summary".to_owned() hooks=hooks described_by="guided-prompt".to_owned() label=Signal::derive({ let t = section.title.clone(); move || t.clone() })
                value=Signal::derive(move || pm.with(|p| p.summary.clone()))
                on_input=Callback::new(move |v: String| pm.update(|p| p.summary = v)) />
        }
        .into_any(),
        Part::Impact => view! { <people::ImpactFields pm=pm /> }.into_any(),
        Part::Participants => view! { <people::ParticipantFields pm=pm /> }.into_any(),
        Part::Timeline => view! { <super::timeline::Timeline pm=pm /> }.into_any(),
        Part::Factors => view! { <super::factors::Factors pm=pm /> }.into_any(),
        Part::Whys => view! { <super::factors::Factors pm=pm open_whys=true /> }.into_any(),
        Part::Actions => view! { <super::actions::ActionItems pm=pm /> }.into_any(),
        Part::Lessons | Part::WentWell | Part::WentWrong | Part::GotLucky => {
            view! { <LessonLists pm=pm kinds=section.part.lesson_kinds() /> }.into_any()
        }
    };
    let no_prose = section.prompt.is_empty() && section.help.is_empty();
    view! {
        <h2 id="guided-heading" tabindex="-1">
            {section.title.clone()}
            {section.required.then(|| view! { <span class="badge required-badge">"Required"</span> })}
        </h2>
        {(!section.prompt.is_empty()).then(|| view! { <p class="guided-prompt" id="guided-prompt">{section.prompt.clone()}</p> })}
        {no_prose.then(|| view! { <p class="help">"This browser does not have the template this postmortem was written in, so only the section's title is known. Import the template file to see its questions."</p> })}
        {(!section.help.is_empty() || !section.example.is_empty()).then(|| view! {
            <aside class="guided-help" aria-label="How to answer">
                {(!section.help.is_empty()).then(|| view! { <p>{section.help.clone()}</p> })}
                {(!section.example.is_empty()).then(|| view! {
                    <details class="guided-example">
                        <summary>"See an example answer"</summary>
                        <p class="prewrap">{section.example.clone()}</p>
                    </details>
                })}
            </aside>
        })}
        <div class="guided-answer" data-part=section.part.key() data-key=section.key.clone()>{answer}</div>
    }
}

/// The last guided step: which required sections are still empty.
#[component]
fn Review(pm: RwSignal<Postmortem>, sections: Memo<Vec<Section>>) -> impl IntoView {
    let id = pm.with_untracked(|p| p.id);
    let missing = move || {
        sections.with(|list| {
            pm.with(|p| {
                list.iter().filter(|s| s.required && !is_answered(p, &s.key, s.part)).cloned().collect::<Vec<_>>()
            })
        })
    };
    let empty_optional = move || {
        sections
            .with(|list| pm.with(|p| list.iter().filter(|s| !s.required && !is_answered(p, &s.key, s.part)).count()))
    };
    view! {
        <h2 id="guided-heading" tabindex="-1">"Review"</h2>
        {move || {
            let missing = missing();
            if sections.with(Vec::is_empty) {
                view! {
                    <p class="guided-prompt">"This postmortem has no template, so there are no sections to walk through. Choose one on the editor's template card."</p>
                }.into_any()
            } else if missing.is_empty() {
                view! {
                    <p class="guided-prompt complete-message">"Every required section has an answer. The postmortem is complete."</p>
                }.into_any()
            } else {
                view! {
                    <p class="guided-prompt">{format!("{} required sections are still empty:", missing.len())}</p>
                    <ul class="missing-list">
                        {missing.into_iter().map(|s| view! {
                            <li><a href=AppRoute::Guided(id, Some(s.key.clone())).href()>{s.title.clone()}</a></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }
        }}
        <p class="help">{move || match empty_optional() {
            0 => "Every optional section has something in it too.".to_owned(),
            1 => "1 optional section is empty; fill it in if it helps readers.".to_owned(),
            n => format!("{n} optional sections are empty; fill them in if they help readers."),
        }}</p>
        <p class="help">"Everything is saved as you type. The full editor shows the whole postmortem, with export and print."</p>
    }
}

/// Offers to choose a template: used by the new-postmortem page and the template pages.
pub fn template_summary(t: &Template) -> String {
    let required = t.required_count();
    format!("{} sections, {} required", t.sections.len(), required)
}
