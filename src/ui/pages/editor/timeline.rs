//! The timeline: events in time order, one line each (time, kind, what happened; evidence
//! links behind a button that shows their count), edited in place and from the keyboard:
//! Enter adds the next event, the arrow keys move between rows, and a deleted event can be
//! put back.

use super::paste::PasteButton;
use super::times::TimeInput;
use crate::domain::durations::relative_label;
use crate::domain::limits::MAX_EVENTS;
use crate::domain::{EventKind, ItemId, Link, Moment, Postmortem, TimelineEvent, Zone};
use crate::ui::components::{
    AnonymousMark, CheckedText, LimitNote, Notice, NoticeKind, NoticeSlot, WordingHooks, focus_when_drawn,
};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

fn event<T>(row: ReadSignal<Option<TimelineEvent>>, f: impl FnOnce(&TimelineEvent) -> T) -> Option<T> {
    row.with(|e| e.as_ref().map(f))
}

fn edit_event(pm: RwSignal<Postmortem>, id: ItemId, f: impl FnOnce(&mut TimelineEvent)) {
    super::edit_row(pm, |p| &mut p.timeline, id, f)
}

/// The id of the "Add event" button, where focus goes when the last event is deleted.
const ADD_EVENT: &str = "add-event";

/// An event taken out of the timeline, and where it was, to put it back.
type Deleted = (usize, TimelineEvent);

/// What the timeline's rows share: the postmortem, the last deleted event, and the clocks.
#[derive(Clone, Copy)]
struct Lines {
    pm: RwSignal<Postmortem>,
    deleted: RwSignal<Option<Deleted>>,
    /// The postmortem's zone.
    own: Memo<Zone>,
    /// When impact started, which each event's T+ counts from.
    start: Memo<Option<Moment>>,
}

impl Lines {
    /// The event `step` rows away from `id` (−1 is the one above).
    fn neighbour(self, id: ItemId, step: isize) -> Option<ItemId> {
        self.pm.with_untracked(|p| {
            let i = p.timeline.iter().position(|e| e.id == id)?;
            let j = i.checked_add_signed(step)?;
            p.timeline.get(j).map(|e| e.id)
        })
    }

    /// Adds an empty event right after `id` and puts the cursor in its text.
    fn add_after(self, id: ItemId) {
        if self.pm.with_untracked(|p| p.timeline.len()) >= MAX_EVENTS {
            return;
        }
        let mut new = ItemId::nil();
        self.pm.update(|p| new = p.insert_timeline_event_after(id, EventKind::Observation));
        focus_when_drawn(format!("event-text-{new}"));
    }

    /// Deletes the event `id` (it can be put back) and moves focus to a neighbour, the one
    /// above when `upwards`.
    fn delete(self, id: ItemId, upwards: bool) {
        let next = if upwards {
            self.neighbour(id, -1).or_else(|| self.neighbour(id, 1))
        } else {
            self.neighbour(id, 1).or_else(|| self.neighbour(id, -1))
        };
        let mut taken = None;
        self.pm.update(|p| {
            if let Some(i) = p.timeline.iter().position(|e| e.id == id) {
                taken = Some((i, p.timeline.remove(i)));
            }
        });
        if taken.is_some() {
            self.deleted.set(taken);
            focus_when_drawn(next.map_or_else(|| ADD_EVENT.to_owned(), |n| format!("event-text-{n}")));
        }
    }

    /// Puts the last deleted event back where it was.
    fn undo(self) {
        if let Some((i, event)) = self.deleted.get_untracked() {
            let id = event.id;
            self.pm.update(|p| p.restore_timeline_event(i, event));
            self.deleted.set(None);
            focus_when_drawn(format!("event-text-{id}"));
        }
    }
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
    let lines = Lines {
        pm,
        deleted: RwSignal::new(None),
        own: Memo::new(move |_| pm.with(|p| p.key_times.time_zone.clone())),
        start: Memo::new(move |_| pm.with(|p| p.key_times.impact_started)),
    };
    let ids = super::drawn_in_steps(rows.ids());
    let paste_open = RwSignal::new(false);
    // The paste panel is put on the page once first opened (its code comes with the
    // editor's less used sections), and stays for the note that takes pasted events back.
    let paste_wanted = Memo::new(move |was: Option<&bool>| was.copied().unwrap_or(false) || paste_open.get());
    let undo_message = move || {
        lines.deleted.with(|d| {
            d.as_ref().map(|(_, e)| {
                let text: String = e.description.chars().take(60).collect();
                let more = if e.description.chars().count() > 60 { "…" } else { "" };
                if text.trim().is_empty() {
                    "Deleted an event with no text.".to_owned()
                } else {
                    format!("Deleted the event “{}{more}”.", text.trim())
                }
            })
        })
    };
    view! {
        <section class="card" id="timeline" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">"Timeline"</h2>
            <p class="help">"What happened, in order. Describe what people saw and did, and link the evidence: logs, dashboards, chat threads. Events stay sorted by time; T+ is the time since impact started."</p>
            <p class="help keys" id="timeline-keys">
                "In the text of an event: "<kbd>"Enter"</kbd>" adds the next event, "<kbd>"Shift+Enter"</kbd>" starts a new line, "
                <kbd>"↑"</kbd>" "<kbd>"↓"</kbd>" move between events ("<kbd>"Alt+↑"</kbd>" "<kbd>"Alt+↓"</kbd>" from any field), "
                <kbd>"Ctrl+Shift+Backspace"</kbd>" deletes the event."
            </p>
            <Show when=move || pm.with(|p| p.timeline.is_empty())>
                <p class="empty-note">"No events yet. Start with the first sign of trouble, or paste a timeline from a chat export, a log or a spreadsheet."</p>
            </Show>
            <ol class="event-lines" aria-label="Timeline events">
                <For each=move || ids.get() key=|id| *id let(id)>
                    <EventLine lines=lines row=rows.row(id) id=id />
                </For>
            </ol>
            <NoticeSlot kind=NoticeKind::Info>
                {move || undo_message().map(|message| view! {
                    <Notice kind=NoticeKind::Info message=message in_slot=true>
                        <button type="button" class="secondary" id="undo-delete-event" on:click=move |_| lines.undo()>"Undo"</button>
                        <button type="button" class="ghost" on:click=move |_| lines.deleted.set(None)>"Dismiss"</button>
                    </Notice>
                })}
            </NoticeSlot>
            <div class="actions">
                <button type="button" class="secondary add-button" id=ADD_EVENT disabled=move || { pm.with(|p| p.timeline.len()) >= MAX_EVENTS } on:click=add data-shortcut="t" aria-keyshortcuts="t">"Add event"</button>
                <PasteButton open=paste_open />
            </div>
            <Show when=move || paste_wanted.get()>
                {super::later(std::rc::Rc::new(move || Box::pin(super::paste_part(pm, paste_open))), "The paste panel could not be loaded", "paste-timeline", true)}
            </Show>
            <LimitNote count=Signal::derive(move || pm.with(|p| p.timeline.len())) max=MAX_EVENTS what="timeline events" />
        </section>
    }
}

/// Which field of a row an element id names, and whether it is the event's text.
fn field_of(element_id: &str, id: ItemId) -> Option<&str> {
    element_id.strip_suffix(&format!("-{id}")).filter(|f| f.starts_with("event-"))
}

/// Whether an arrow key in a text area leaves it: up from its first line, down from its
/// last (a field of one line always; a longer one only from its very start or end).
fn arrow_leaves(area: &web_sys::HtmlTextAreaElement, up: bool) -> bool {
    let value: Vec<u16> = area.value().encode_utf16().collect();
    let (Ok(Some(start)), Ok(Some(end))) = (area.selection_start(), area.selection_end()) else { return false };
    let (start, end) = (start as usize, end as usize);
    let newline = u16::from(b'\n');
    // A text that wraps is taller than one line of a text area.
    let one_line = area.offset_height() < 48;
    if up {
        start == 0 || (one_line && !value[..start.min(value.len())].contains(&newline))
    } else {
        end >= value.len() || (one_line && !value[end.min(value.len())..].contains(&newline))
    }
}

#[component]
fn EventLine(lines: Lines, row: ReadSignal<Option<TimelineEvent>>, id: ItemId) -> impl IntoView {
    let pm = lines.pm;
    let draft = RwSignal::new(String::new());
    let link_error = RwSignal::new(None::<String>);
    let open = RwSignal::new(false);
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
    let link_count = move || event(row, |e| e.evidence.len()).unwrap_or(0);
    // How long after impact started (before, for what led up to it).
    let relative = move || {
        let start = lines.start.get()?;
        let at = event(row, |e| e.at).flatten()?;
        Some(relative_label(start.minutes_until(at)))
    };
    let keys = move |ev: leptos::ev::KeyboardEvent| {
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) else { return };
        let element_id = target.id();
        let Some(field) = field_of(&element_id, id) else { return };
        let area = target.dyn_ref::<web_sys::HtmlTextAreaElement>().filter(|_| field == "event-text");
        let plain = !(ev.alt_key() || ev.ctrl_key() || ev.meta_key() || ev.shift_key());
        let key = ev.key();
        let go = |step: isize| {
            if let Some(next) = lines.neighbour(id, step) {
                ev.prevent_default();
                focus_when_drawn(format!("{field}-{next}"));
            }
        };
        match key.as_str() {
            "ArrowUp" | "ArrowDown" => {
                let up = key == "ArrowUp";
                let leaves = ev.alt_key() && !ev.ctrl_key() && !ev.meta_key()
                    || plain && area.as_ref().is_some_and(|a| arrow_leaves(a, up));
                if leaves && field != "event-link" {
                    go(if up { -1 } else { 1 });
                }
            }
            "Enter" if plain && area.is_some() => {
                ev.prevent_default();
                lines.add_after(id);
            }
            "Backspace" if (ev.ctrl_key() || ev.meta_key()) && ev.shift_key() => {
                ev.prevent_default();
                lines.delete(id, false);
            }
            "Backspace" if plain && area.as_ref().is_some_and(|a| a.value().is_empty()) => {
                // Backspace in an empty event takes the row away, as in a list.
                ev.prevent_default();
                lines.delete(id, true);
            }
            _ => {}
        }
    };
    let evidence_id = format!("evidence-{id}");
    view! {
        <li class="event-line" on:keydown=keys>
            <div class="event-grid">
                <div class="cell-time">
                    <label class="visually-hidden" for=format!("event-time-{id}")>"Time"</label>
                    <TimeInput id=format!("event-time-{id}") own=lines.own described_by=format!("relative-{id}")
                        value=Signal::derive(move || event(row, |e| e.at).flatten())
                        on_set=Callback::new(move |at| {
                            pm.update(|p| {
                                if let Some(e) = p.timeline.iter_mut().find(|e| e.id == id) { e.at = at; }
                                p.sort_timeline();
                            });
                            focus_when_drawn(format!("event-time-{id}"));
                        }) />
                </div>
                <span class="relative-time" id=format!("relative-{id}")>{relative}</span>
                <select id=format!("event-kind-{id}") class="event-kind" aria-label="Kind"
                    prop:value=move || event(row, |e| e.kind.key()).unwrap_or_default()
                    on:change:target=move |ev| if let Some(k) = EventKind::from_key(&ev.target().value()) { edit_event(pm, id, |e| e.kind = k) }>
                    {EventKind::ALL.iter().map(|k| view! { <option value=k.key()>{k.label()}</option> }).collect_view()}
                </select>
                <div class="cell-text">
                    <Show when=move || event(row, |e| e.from_contribution.is_some()).unwrap_or(false)>
                        <AnonymousMark />
                    </Show>
                    <CheckedText id=format!("event-text-{id}") hooks={expect_context::<WordingHooks>()}
                        label=Signal::derive(|| "What happened".to_owned()) described_by="timeline-keys".to_owned()
                        value=Signal::derive(move || event(row, |e| e.description.clone()).unwrap_or_default())
                        on_input=Callback::new(move |v: String| edit_event(pm, id, |e| e.description = v)) />
                </div>
                <button type="button" class="ghost small links-toggle" id=format!("event-links-{id}")
                    aria-expanded=move || open.get().to_string() aria-controls=evidence_id.clone()
                    on:click=move |_| {
                        let now = !open.get_untracked();
                        open.set(now);
                        if now { focus_when_drawn(format!("event-link-{id}")); }
                    }>
                    {move || match link_count() { 0 => "+ Link".to_owned(), n => format!("Links {n}") }}
                    <span class="visually-hidden">" (evidence)"</span>
                </button>
                <button type="button" class="icon-button remove" id=format!("event-delete-{id}") aria-label="Delete event"
                    title="Delete event (Ctrl+Shift+Backspace)" on:click=move |_| lines.delete(id, false)>"×"</button>
            </div>
            <div class="evidence" id=evidence_id hidden=move || !open.get()>
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
                        on:keydown=move |ev| match ev.key().as_str() {
                            "Enter" => { ev.prevent_default(); add_link(); }
                            "Escape" => { ev.prevent_default(); open.set(false); focus_when_drawn(format!("event-links-{id}")); }
                            _ => {}
                        } />
                    <button type="button" class="secondary small" on:click=move |_| add_link()>"Add link"</button>
                </div>
                <p class="field-error" id=format!("event-link-error-{id}") aria-live="polite">{move || link_error.get()}</p>
            </div>
        </li>
    }
}
