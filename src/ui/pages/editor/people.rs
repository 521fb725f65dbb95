//! Participants by role, and the incident's impact in words and figures.

use crate::domain::limits::{MAX_FIGURES, MAX_PARTICIPANTS};
use crate::domain::{ImpactFigure, ItemId, Participant, Postmortem, SUGGESTED_ROLES, new_item_id, parse_aliases};
use crate::ui::components::{CheckedText, LimitNote, WordingHooks, focus_when_drawn};
use leptos::prelude::*;

fn participant<T>(pm: RwSignal<Postmortem>, id: ItemId, f: impl FnOnce(&Participant) -> T) -> Option<T> {
    super::read_row(pm, |p| &p.participants, id, f)
}

fn edit_participant(pm: RwSignal<Postmortem>, id: ItemId, f: impl FnOnce(&mut Participant)) {
    super::edit_row(pm, |p| &mut p.participants, id, f)
}

fn figure<T>(pm: RwSignal<Postmortem>, id: ItemId, f: impl FnOnce(&ImpactFigure) -> T) -> Option<T> {
    super::read_row(pm, |p| &p.impact.figures, id, f)
}

fn edit_figure(pm: RwSignal<Postmortem>, id: ItemId, f: impl FnOnce(&mut ImpactFigure)) {
    super::edit_row(pm, |p| &mut p.impact.figures, id, f)
}

/// Participants and impact.
#[component]
pub fn PeopleAndImpact(pm: RwSignal<Postmortem>) -> impl IntoView {
    view! {
        <section class="card" id="people" aria-labelledby="people-heading">
            <h2 id="people-heading">"People and impact"</h2>
            <h3>"Participants"</h3>
            <ParticipantFields pm=pm />
            <h3>"Impact"</h3>
            <ImpactFields pm=pm />
        </section>
    }
}

/// The list of participants, with their roles.
#[component]
pub fn ParticipantFields(pm: RwSignal<Postmortem>) -> impl IntoView {
    let add_participant = move |_: leptos::ev::MouseEvent| {
        if pm.with_untracked(|p| p.participants.len()) >= MAX_PARTICIPANTS {
            return;
        }
        let id = new_item_id();
        pm.update(|p| p.participants.push(Participant::new(id, "", "")));
        focus_when_drawn(format!("participant-name-{id}"));
    };
    view! {
            <p class="help">"Who took part and in what role. In the narrative, refer to people by role, not by name. “Also known as” lists their handles, usernames and email addresses, separated by commas: the wording assistant flags them, and “Replace names with roles” replaces them too."</p>
            <datalist id="role-suggestions">
                {SUGGESTED_ROLES.iter().map(|r| view! { <option value=*r></option> }).collect_view()}
            </datalist>
            <Show when=move || pm.with(|p| p.participants.is_empty())>
                <p class="empty-note">"No participants yet."</p>
            </Show>
            <ul class="rows">
                <For each=move || pm.with(|p| p.participants.iter().map(|x| x.id).collect::<Vec<_>>()) key=|id| *id let(id)>
                    <li class="row grid-row-participant">
                        <div class="field">
                            <label for=format!("participant-name-{id}")>"Name"</label>
                            <input id=format!("participant-name-{id}") type="text" maxlength="120"
                                prop:value=move || participant(pm, id, |x| x.name.clone()).unwrap_or_default()
                                on:input:target=move |ev| edit_participant(pm, id, |x| x.name = ev.target().value()) />
                        </div>
                        <div class="field">
                            <label for=format!("participant-role-{id}")>"Role"</label>
                            <input id=format!("participant-role-{id}") type="text" maxlength="120" list="role-suggestions"
                                prop:value=move || participant(pm, id, |x| x.role.clone()).unwrap_or_default()
                                on:input:target=move |ev| edit_participant(pm, id, |x| x.role = ev.target().value()) />
                        </div>
                        <div class="field">
                            <label for=format!("participant-aliases-{id}")>"Also known as"</label>
                            <input id=format!("participant-aliases-{id}") type="text" autocomplete="off" spellcheck="false"
                                placeholder="e.g. @handle, name@example.com"
                                prop:value=move || participant(pm, id, |x| x.aliases.join(", ")).unwrap_or_default()
                                on:change:target=move |ev| edit_participant(pm, id, |x| x.aliases = parse_aliases(&ev.target().value())) />
                        </div>
                        <button type="button" class="ghost remove" on:click=move |_| pm.update(|p| p.participants.retain(|x| x.id != id))
                            aria-label=move || format!("Remove participant {}", participant(pm, id, |x| x.name.clone()).unwrap_or_default())>"Remove"</button>
                    </li>
                </For>
            </ul>
            <button type="button" class="secondary add-button" disabled=move || { pm.with(|p| p.participants.len()) >= MAX_PARTICIPANTS } on:click=add_participant>"Add participant"</button>
            <LimitNote count=Signal::derive(move || pm.with(|p| p.participants.len())) max=MAX_PARTICIPANTS what="participants" />

    }
}

/// The impact in words and named figures.
#[component]
pub fn ImpactFields(pm: RwSignal<Postmortem>) -> impl IntoView {
    let add_figure = move |_: leptos::ev::MouseEvent| {
        if pm.with_untracked(|p| p.impact.figures.len()) >= MAX_FIGURES {
            return;
        }
        let id = new_item_id();
        pm.update(|p| p.impact.figures.push(ImpactFigure { id, name: String::new(), value: String::new() }));
        focus_when_drawn(format!("figure-name-{id}"));
    };
    view! {
            <div class="field">
                <label for="pm-impact">"What users and the business experienced"</label>
                <CheckedText id="pm-impact".to_owned() hooks={expect_context::<WordingHooks>()}
                    placeholder="e.g. Customers in the EU could not complete payment; support received 140 tickets."
                    value=Signal::derive(move || pm.with(|p| p.impact.description.clone()))
                    on_input=Callback::new(move |v: String| pm.update(|p| p.impact.description = v)) />
            </div>
            <p class="help">"Figures: named numbers such as users affected, requests failed, error budget used."</p>
            <ul class="rows">
                <For each=move || pm.with(|p| p.impact.figures.iter().map(|x| x.id).collect::<Vec<_>>()) key=|id| *id let(id)>
                    <li class="row grid-row-figure">
                        <div class="field">
                            <label for=format!("figure-name-{id}")>"Figure"</label>
                            <input id=format!("figure-name-{id}") type="text" maxlength="120" placeholder="e.g. Requests failed"
                                prop:value=move || figure(pm, id, |x| x.name.clone()).unwrap_or_default()
                                on:input:target=move |ev| edit_figure(pm, id, |x| x.name = ev.target().value()) />
                        </div>
                        <div class="field">
                            <label for=format!("figure-value-{id}")>"Value"</label>
                            <input id=format!("figure-value-{id}") type="text" maxlength="120" placeholder="e.g. 41,300"
                                prop:value=move || figure(pm, id, |x| x.value.clone()).unwrap_or_default()
                                on:input:target=move |ev| edit_figure(pm, id, |x| x.value = ev.target().value()) />
                        </div>
                        <button type="button" class="ghost remove" on:click=move |_| pm.update(|p| p.impact.figures.retain(|x| x.id != id))
                            aria-label=move || format!("Remove figure {}", figure(pm, id, |x| x.name.clone()).unwrap_or_default())>"Remove"</button>
                    </li>
                </For>
            </ul>
            <button type="button" class="secondary add-button" disabled=move || { pm.with(|p| p.impact.figures.len()) >= MAX_FIGURES } on:click=add_figure>"Add figure"</button>
            <LimitNote count=Signal::derive(move || pm.with(|p| p.impact.figures.len())) max=MAX_FIGURES what="impact figures" />
    }
}
