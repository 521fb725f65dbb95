//! Action items: what will change, who owns it, by when, and afterwards whether it worked.

use crate::domain::action_plan::change_item;
use crate::domain::limits::MAX_ACTION_ITEMS;
use crate::domain::{ActionItem, ActionStatus, ActionType, ItemId, Link, Postmortem, Priority, Verdict};
use crate::ui::components::{CheckedText, LimitNote, WordingHooks, focus_when_drawn};
use chrono::{NaiveDate, Utc};
use leptos::prelude::*;

fn item<T>(row: ReadSignal<Option<ActionItem>>, f: impl FnOnce(&ActionItem) -> T) -> Option<T> {
    row.with(|x| x.as_ref().map(f))
}

/// Changes an item, keeping a dated history of its tracked fields once the postmortem has
/// been circulated.
fn edit_item(pm: RwSignal<Postmortem>, id: ItemId, f: impl FnOnce(&mut ActionItem)) {
    let record = pm.with_untracked(|p| p.records_plan_changes());
    super::edit_row(pm, |p| &mut p.action_items, id, |item| change_item(item, Utc::now(), record, f))
}

/// The action items card.
#[component]
pub fn ActionItems(pm: RwSignal<Postmortem>) -> impl IntoView {
    let add = move |_: leptos::ev::MouseEvent| {
        if pm.with_untracked(|p| p.action_items.len()) >= MAX_ACTION_ITEMS {
            return;
        }
        let mut id = ItemId::nil();
        pm.update(|p| {
            id = p.add_action_item(ActionType::Prevent, "");
            if let Some(a) = p.action_items.iter_mut().find(|a| a.id == id) {
                a.created_on = Some(Utc::now().date_naive());
            }
        });
        focus_when_drawn(format!("action-text-{id}"));
    };
    let rows = super::RowSignals::new(pm, |p| &p.action_items);
    let ids = super::drawn_in_steps(rows.ids());
    view! {
        <section class="card" id="actions" aria-labelledby="actions-heading">
            <h2 id="actions-heading">"Action items"</h2>
            <p class="help">"Specific, checkable changes to systems and processes, each owned by a role or team. Once done, record whether it worked."</p>
            <Show when=move || pm.with(|p| p.action_items.is_empty())>
                <p class="empty-note">"No action items yet."</p>
            </Show>
            <ul class="rows">
                <For each=move || ids.get() key=|id| *id let(id)>
                    <ActionRow pm=pm row=rows.row(id) id=id />
                </For>
            </ul>
            <button type="button" class="secondary add-button" disabled=move || { pm.with(|p| p.action_items.len()) >= MAX_ACTION_ITEMS } on:click=add>"Add action item"</button>
            <LimitNote count=Signal::derive(move || pm.with(|p| p.action_items.len())) max=MAX_ACTION_ITEMS what="action items" />
        </section>
    }
}

#[component]
fn ActionRow(pm: RwSignal<Postmortem>, row: ReadSignal<Option<ActionItem>>, id: ItemId) -> impl IntoView {
    let tracking_draft =
        RwSignal::new(item(row, |x| x.tracking.as_ref().map(Link::to_string)).flatten().unwrap_or_default());
    let tracking_error = RwSignal::new(None::<String>);
    let commit_tracking = move |text: String| {
        if text.trim().is_empty() {
            edit_item(pm, id, |x| x.tracking = None);
            tracking_error.set(None);
            return;
        }
        match Link::parse(&text) {
            Ok(link) => {
                edit_item(pm, id, |x| x.tracking = Some(link));
                tracking_error.set(None);
            }
            Err(e) => tracking_error.set(Some(format!("Not saved: {e}."))),
        }
    };
    let done = move || item(row, |x| x.status == ActionStatus::Done).unwrap_or(false);
    let clock = super::times::TimeView::expect().clock;
    view! {
        <li class="row action-row">
            <div class="field">
                <label for=format!("action-text-{id}")>"What will change"</label>
                <CheckedText id=format!("action-text-{id}") hooks={expect_context::<WordingHooks>()}
                    placeholder="e.g. Reject pool sizes below last month's peak in CI"
                    value=Signal::derive(move || item(row, |x| x.description.clone()).unwrap_or_default())
                    on_input=Callback::new(move |v: String| edit_item(pm, id, |x| x.description = v)) />
            </div>
            <div class="grid-action">
                <div class="field">
                    <label for=format!("action-type-{id}")>"Type"</label>
                    <select id=format!("action-type-{id}")
                        prop:value=move || item(row, |x| x.kind.key()).unwrap_or_default()
                        on:change:target=move |ev| if let Some(k) = ActionType::from_key(&ev.target().value()) { edit_item(pm, id, |x| x.kind = k) }>
                        {ActionType::ALL.iter().map(|k| view! { <option value=k.key()>{k.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=format!("action-priority-{id}")>"Priority"</label>
                    <select id=format!("action-priority-{id}")
                        prop:value=move || item(row, |x| x.priority.key()).unwrap_or_default()
                        on:change:target=move |ev| if let Some(k) = Priority::from_key(&ev.target().value()) { edit_item(pm, id, |x| x.priority = k) }>
                        {Priority::ALL.iter().map(|k| view! { <option value=k.key()>{k.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=format!("action-owner-{id}")>"Owner (role or team)"</label>
                    <input id=format!("action-owner-{id}") type="text" maxlength="120" placeholder="e.g. Platform team"
                        prop:value=move || item(row, |x| x.owner.clone()).unwrap_or_default()
                        on:input:target=move |ev| edit_item(pm, id, |x| x.owner = ev.target().value()) />
                </div>
                <div class="field">
                    <label for=format!("action-due-{id}")>"Due"</label>
                    <input id=format!("action-due-{id}") type="date"
                        prop:value=move || item(row, |x| x.due.map(|d| d.format("%Y-%m-%d").to_string())).flatten().unwrap_or_default()
                        on:change:target=move |ev| {
                            let due = NaiveDate::parse_from_str(&ev.target().value(), "%Y-%m-%d").ok();
                            edit_item(pm, id, |x| x.due = due);
                        } />
                </div>
                <div class="field">
                    <label for=format!("action-status-{id}")>"Status"</label>
                    <select id=format!("action-status-{id}")
                        prop:value=move || item(row, |x| x.status.key()).unwrap_or_default()
                        on:change:target=move |ev| if let Some(k) = ActionStatus::from_key(&ev.target().value()) { edit_item(pm, id, |x| x.status = k) }>
                        {ActionStatus::ALL.iter().map(|k| view! { <option value=k.key()>{k.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=format!("action-verdict-{id}")>"Did it work?"</label>
                    <select id=format!("action-verdict-{id}") disabled=move || !done()
                        aria-describedby=format!("action-verdict-help-{id}")
                        prop:value=move || item(row, |x| x.verdict.map(|v| v.key())).flatten().unwrap_or_default()
                        on:change:target=move |ev| {
                            let verdict = Verdict::from_key(&ev.target().value());
                            edit_item(pm, id, |x| x.verdict = verdict);
                        }>
                        <option value="">"Not reviewed"</option>
                        {Verdict::ALL.iter().map(|k| view! { <option value=k.key()>{k.label()}</option> }).collect_view()}
                    </select>
                    <p class="help" id=format!("action-verdict-help-{id}")>
                        {move || if done() { "Review once the change has had a chance to matter." } else { "Available once the item is done." }}
                    </p>
                </div>
            </div>
            <div class="grid-dates">
                <ItemDate pm=pm id=id which=DateKind::Created value=Signal::derive(move || item(row, |x| x.created_on).flatten()) />
                <Show when=done>
                    <ItemDate pm=pm id=id which=DateKind::Done value=Signal::derive(move || item(row, |x| x.done_on).flatten())
                        added=Signal::derive(move || item(row, |x| x.created_on).flatten()) />
                </Show>
                <Show when=move || item(row, |x| x.verdict.is_some()).unwrap_or(false)>
                    <ItemDate pm=pm id=id which=DateKind::Reviewed value=Signal::derive(move || item(row, |x| x.reviewed_on).flatten()) />
                </Show>
            </div>
            <Show when=done>
                <div class="field">
                    <label for=format!("action-review-{id}")>"Review note"<span class="optional">" (optional)"</span></label>
                    <textarea id=format!("action-review-{id}") rows="2" placeholder="What changed since it was done? Did the problem come back?"
                        prop:value=move || item(row, |x| x.review_note.clone()).unwrap_or_default()
                        on:input:target=move |ev| edit_item(pm, id, |x| x.review_note = ev.target().value())></textarea>
                </div>
            </Show>
            <Show when=move || item(row, |x| x.verdict == Some(Verdict::DidNotWork)).unwrap_or(false)>
                <div class="notice notice-warning">
                    <p>"It did not work. Plan what comes next, and keep this item as the record of what was tried."</p>
                    <button type="button" class="secondary small" on:click=move |_| {
                        let Some((description, kind, owner)) = item(row, |x| (x.description.clone(), x.kind, x.owner.clone())) else { return };
                        let mut new_id = ItemId::nil();
                        pm.update(|p| {
                            new_id = p.add_action_item(kind, format!("Follow-up to “{}”: ", description.trim()));
                            if let Some(a) = p.action_items.iter_mut().find(|a| a.id == new_id) {
                                a.owner = owner;
                                a.created_on = Some(Utc::now().date_naive());
                            }
                        });
                        focus_when_drawn(format!("action-text-{new_id}"));
                    }>"Add a follow-up item"</button>
                </div>
            </Show>
            {move || {
                let history = item(row, |x| x.history.clone()).unwrap_or_default();
                (!history.is_empty()).then(|| view! {
                    <details class="history">
                        <summary>{format!("History ({})", history.len())}</summary>
                        <ol>
                            {history.into_iter().rev().map(|c| view! {
                                <li>
                                    <time datetime=c.at.to_rfc3339()>{clock.date_time(&c.at.with_timezone(&chrono::Local).naive_local())}</time>
                                    {format!(" {}: {} → {}", c.field.label(), if c.from.is_empty() { "—" } else { &c.from }, if c.to.is_empty() { "—" } else { &c.to })}
                                </li>
                            }).collect_view()}
                        </ol>
                    </details>
                })
            }}
            <div class="field">
                <label for=format!("action-link-{id}")>"Tracking link"<span class="optional">" (optional)"</span></label>
                <input id=format!("action-link-{id}") type="url" placeholder="https://… ticket in your tracker"
                    aria-invalid=move || tracking_error.get().is_some().to_string()
                    aria-describedby=format!("action-link-error-{id}")
                    prop:value=tracking_draft
                    on:input:target=move |ev| tracking_draft.set(ev.target().value())
                    on:change:target=move |ev| commit_tracking(ev.target().value()) />
                <p class="field-error" id=format!("action-link-error-{id}") aria-live="polite">{move || tracking_error.get()}</p>
                {move || item(row, |x| x.tracking.clone()).flatten().map(|link| view! {
                    <a class="tracking-link" href=link.to_string() target="_blank" rel="noopener noreferrer">"Open ticket"</a>
                })}
            </div>
            <button type="button" class="ghost remove" on:click=move |_| pm.update(|p| p.action_items.retain(|x| x.id != id))>"Remove action item"</button>
        </li>
    }
}

/// One of an item's own dates, which an author entering a past incident sets by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateKind {
    Created,
    Done,
    Reviewed,
}

impl DateKind {
    fn label(self) -> &'static str {
        match self {
            Self::Created => "Added on",
            Self::Done => "Done on",
            Self::Reviewed => "Reviewed on",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Done => "done",
            Self::Reviewed => "reviewed",
        }
    }

    fn slot(self, item: &mut ActionItem) -> &mut Option<NaiveDate> {
        match self {
            Self::Created => &mut item.created_on,
            Self::Done => &mut item.done_on,
            Self::Reviewed => &mut item.reviewed_on,
        }
    }
}

/// A date input for one of an item's own dates; warns (and keeps the date) when it is after
/// today. Not a change of plan, so not recorded in the history.
#[component]
fn ItemDate(
    pm: RwSignal<Postmortem>,
    id: ItemId,
    which: DateKind,
    value: Signal<Option<NaiveDate>>,
    /// When the item was added, for a date that cannot come before it.
    #[prop(optional)]
    added: Option<Signal<Option<NaiveDate>>>,
) -> impl IntoView {
    let input_id = format!("action-{}-on-{id}", which.key());
    let note_id = format!("note-{input_id}");
    let today = move || chrono::Local::now().date_naive();
    let future = move || value.get().is_some_and(|d| d > today());
    view! {
        <div class="field">
            <label for=input_id.clone()>{which.label()}</label>
            <input id=input_id type="date"
                aria-describedby=note_id.clone()
                prop:value=move || value.get().map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
                on:change:target=move |ev| {
                    let date = NaiveDate::parse_from_str(&ev.target().value(), "%Y-%m-%d").ok();
                    super::edit_row(pm, |p| &mut p.action_items, id, |x| *which.slot(x) = date);
                } />
            <p class="field-warning" id=note_id aria-live="polite">
                {move || {
                    let before_added = added.and_then(|a| a.get()).filter(|a| value.get().is_some_and(|d| d < *a));
                    if future() {
                        Some(format!("This is after today ({}). Check the date: it counts in the metrics as typed.", today().format("%Y-%m-%d")))
                    } else {
                        before_added.map(|a| format!("This is before the item was added ({}). Check both dates: the metrics count from one to the other.", a.format("%Y-%m-%d")))
                    }
                }}
            </p>
        </div>
    }
}
