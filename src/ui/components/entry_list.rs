//! A list of short texts (lessons, whys) that can be added to, edited and removed.

use super::{AnonymousMark, CheckedText, FindingList, WordingHooks, focus_when_drawn};
use crate::domain::{Entry, ItemId};
use leptos::prelude::*;

/// Editable rows of text, each with a remove button, and an add button below.
#[component]
pub fn EntryList(
    /// Prefix for element ids, unique on the page.
    list_id: String,
    /// What each row is, for its label: "Went well" gives "Went well 1", "Went well 2"...
    item_label: String,
    /// Text of the add button.
    add_label: String,
    #[prop(into)] entries: Signal<Vec<Entry>>,
    /// Called when a row's text changes.
    on_change: Callback<(ItemId, String)>,
    /// Called to add an empty row; returns the new row's id so it can take focus.
    on_add: Callback<(), ItemId>,
    on_remove: Callback<ItemId>,
    /// The wording assistant, when rows should be checked.
    hooks: WordingHooks,
    /// Whether rows are several lines tall.
    #[prop(optional)]
    multiline: bool,
) -> impl IntoView {
    let ids = move || entries.with(|es| es.iter().map(|e| e.id).collect::<Vec<_>>());
    let text_of =
        move |id: ItemId| entries.with(|es| es.iter().find(|e| e.id == id).map(|e| e.text.clone()).unwrap_or_default());
    let position = move |id: ItemId| entries.with(|es| es.iter().position(|e| e.id == id).map_or(0, |p| p + 1));
    let row_prefix = list_id.clone();
    let add_prefix = list_id.clone();
    view! {
        <ol class="entry-list" id=list_id.clone()>
            <For each=ids key=|id| *id let(id)>
                {
                    let field_id = format!("{row_prefix}-{id}");
                    let item_label = item_label.clone();
                    let label = move || format!("{item_label} {}", position(id));
                    let field = if multiline {
                        view! {
                            <CheckedText id=field_id.clone() hooks=hooks label=Signal::derive(label.clone())
                                value=Signal::derive(move || text_of(id))
                                on_input=Callback::new(move |v: String| on_change.run((id, v))) />
                        }.into_any()
                    } else {
                        let list_id = format!("{field_id}-findings");
                        view! {
                            <input id=field_id.clone() type="text" aria-label=label.clone() aria-describedby=list_id.clone()
                                prop:value=move || text_of(id)
                                on:input:target=move |ev| on_change.run((id, ev.target().value())) />
                            <FindingList field=field_id.clone() list_id=list_id findings=hooks.findings.run(field_id.clone()) hooks=hooks />
                        }.into_any()
                    };
                    view! {
                        <li class="entry-row">
                            <div class="entry-field">
                                <Show when=move || entries.with(|es| es.iter().any(|e| e.id == id && e.from_contribution.is_some()))>
                                    <AnonymousMark />
                                </Show>
                                {field}
                            </div>
                            <button type="button" class="icon-button" aria-label=move || format!("Remove {}", label())
                                on:click=move |_| on_remove.run(id)>"×"</button>
                        </li>
                    }
                }
            </For>
        </ol>
        <button type="button" class="secondary add-button"
            on:click=move |_| {
                let id = on_add.run(());
                focus_when_drawn(format!("{add_prefix}-{id}"));
            }>{add_label}</button>
    }
}
