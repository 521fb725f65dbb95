//! The timeline: events in time order, each with a kind and links to evidence.

use super::times::TimeInput;
use crate::domain::durations::relative_label;
use crate::domain::limits::MAX_EVENTS;
use crate::domain::{EventKind, ItemId, Link, Moment, Postmortem, TimelineEvent, Zone};
use crate::ui::components::{AnonymousMark, CheckedText, LimitNote, WordingHooks, focus_when_drawn};
use leptos::prelude::*;

fn event<T>(row: ReadSignal<Option<TimelineEvent>>, f: impl FnOnce(&TimelineEvent) -> T) -> Option<T> {
    row.with(|e| e.as_ref().map(f))
}

fn edit_event(pm: RwSignal<Postmortem>, id: ItemId, f: impl FnOnce(&mut TimelineEvent)) {
    super::edit_row(pm, |p| &mut p.timeline, id, f)
}

/// The timeline card.
#[component]
pub fn Timeline(pm: RwSignal<Postmortem>) -> impl IntoView {
    let add = move |_: leptos::ev::MouseEvent| {
        if pm.with_untracked(|p| p.timeline.len()) >= MAX_EVENTS {
            return;
        }
        // Start a new event where the story left off, so the author only adjusts minutes.
        let last = pm.with_untracked(|p| p.timeline.iter().rev().find_map(|e| e.at).or(p.key_times.impact_started));
        let mut id = ItemId::nil();
        pm.update(|p| id = p.add_timeline_event(last, EventKind::Observation, ""));
        focus_when_drawn(format!("event-text-{id}"));
    };
    let rows = super::RowSignals::new(pm, |p| &p.timeline);
    // Shared by every row, so a keystroke elsewhere wakes one memo, not one per event.
    let own = Memo::new(move |_| pm.with(|p| p.key_times.time_zone.clone()));
    let start = Memo::new(move |_| pm.with(|p| p.key_times.impact_started));
    let ids = super::drawn_in_steps(rows.ids());
    view! {
        <section class="card" id="timeline" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">"Timeline"</h2>
            <p class="help">"What happened, in order. Describe what people saw and did, and link the evidence: logs, dashboards, chat threads. Events stay sorted by time; T+ is the time since impact started."</p>
            <Show when=move || pm.with(|p| p.timeline.is_empty())>
                <p class="empty-note">"No events yet. Start with the first sign of trouble."</p>
            </Show>
            <ol class="rows timeline">
                <For each=move || ids.get() key=|id| *id let(id)>
                    <TimelineRow pm=pm row=rows.row(id) id=id own=own start=start />
                </For>
            </ol>
            <button type="button" class="secondary add-button" disabled=move || { pm.with(|p| p.timeline.len()) >= MAX_EVENTS } on:click=add data-shortcut="t" aria-keyshortcuts="t">"Add event"</button>
            <LimitNote count=Signal::derive(move || pm.with(|p| p.timeline.len())) max=MAX_EVENTS what="timeline events" />
        </section>
    }
}

#[component]
fn TimelineRow(
    pm: RwSignal<Postmortem>,
    row: ReadSignal<Option<TimelineEvent>>,
    id: ItemId,
    /// The postmortem's zone.
    own: Memo<Zone>,
    /// When impact started, which each event's T+ counts from.
    start: Memo<Option<Moment>>,
) -> impl IntoView {
    let draft = RwSignal::new(String::new());
    let link_error = RwSignal::new(None::<String>);
    let add_link = move || match Link::parse(&draft.get_untracked()) {
        Ok(link) => {
            edit_event(pm, id, |e| {
                if !e.evidence.contains(&link) {
                    e.evidence.push(link)
                }
            });
            draft.set(String::new());
            link_error.set(None);
        }
        Err(e) => link_error.set(Some(format!("Not added: {e}."))),
    };
    let links = move || event(row, |e| e.evidence.clone()).unwrap_or_default();
    // How long after impact started (before, for what led up to it).
    let relative = move || {
        let start = start.get()?;
        let at = event(row, |e| e.at).flatten()?;
        Some(relative_label(start.minutes_until(at)))
    };
    view! {
        <li class="row timeline-row">
            <Show when=move || event(row, |e| e.from_contribution.is_some()).unwrap_or(false)>
                <AnonymousMark />
            </Show>
            <div class="grid-timeline">
                <div class="field">
                    <label for=format!("event-time-{id}")>"Time"</label>
                    <TimeInput id=format!("event-time-{id}") own=own described_by=format!("relative-{id}")
                        value=Signal::derive(move || event(row, |e| e.at).flatten())
                        on_set=Callback::new(move |at| {
                            pm.update(|p| {
                                if let Some(e) = p.timeline.iter_mut().find(|e| e.id == id) { e.at = at; }
                                p.sort_timeline();
                            });
                            focus_when_drawn(format!("event-time-{id}"));
                        }) />
                    <p class="help relative-time" id=format!("relative-{id}")>{relative}</p>
                </div>
                <div class="field">
                    <label for=format!("event-kind-{id}")>"Kind"</label>
                    <select id=format!("event-kind-{id}")
                        prop:value=move || event(row, |e| e.kind.key()).unwrap_or_default()
                        on:change:target=move |ev| if let Some(k) = EventKind::from_key(&ev.target().value()) { edit_event(pm, id, |e| e.kind = k) }>
                        {EventKind::ALL.iter().map(|k| view! { <option value=k.key()>{k.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field span-2">
                    <label for=format!("event-text-{id}")>"What happened"</label>
                    <CheckedText id=format!("event-text-{id}") hooks={expect_context::<WordingHooks>()}
                        value=Signal::derive(move || event(row, |e| e.description.clone()).unwrap_or_default())
                        on_input=Callback::new(move |v: String| edit_event(pm, id, |e| e.description = v)) />
                </div>
            </div>
            <div class="evidence">
                <ul class="links" aria-label="Evidence">
                    <For each=links key=|l| l.clone() let(link)>
                        {
                            let remove = link.clone();
                            let href = link.to_string();
                            view! {
                                <li>
                                    <a href=href.clone() target="_blank" rel="noopener noreferrer">{href.clone()}</a>
                                    <button type="button" class="icon-button" aria-label=format!("Remove evidence link {href}")
                                        on:click=move |_| edit_event(pm, id, |e| e.evidence.retain(|l| *l != remove))>"×"</button>
                                </li>
                            }
                        }
                    </For>
                </ul>
                <div class="inline-add">
                    <label class="visually-hidden" for=format!("event-link-{id}")>"Evidence link"</label>
                    <input id=format!("event-link-{id}") type="url" placeholder="https://… link to a log, graph or ticket"
                        aria-invalid=move || link_error.get().is_some().to_string()
                        aria-describedby=format!("event-link-error-{id}")
                        prop:value=draft
                        on:input:target=move |ev| draft.set(ev.target().value())
                        on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default(); add_link(); } />
                    <button type="button" class="secondary" on:click=move |_| add_link()>"Add link"</button>
                    <button type="button" class="ghost remove" on:click=move |_| pm.update(|p| p.timeline.retain(|e| e.id != id))>"Remove event"</button>
                </div>
                <p class="field-error" id=format!("event-link-error-{id}") aria-live="polite">{move || link_error.get()}</p>
            </div>
        </li>
    }
}
