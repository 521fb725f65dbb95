//! Short labels such as services and tags, shown as removable chips.

use leptos::prelude::*;

/// A list of labels with a field to add more (Enter or comma adds) and a remove button on each.
#[component]
pub fn LabelList(
    /// Visible name of the list, such as "Services".
    label: &'static str,
    /// Id of the text field, unique on the page.
    input_id: &'static str,
    /// Example text shown in the empty field.
    placeholder: &'static str,
    #[prop(into)] values: Signal<Vec<String>>,
    /// Called with the trimmed text to add; returns whether it was added.
    on_add: Callback<String, bool>,
    /// Called with the position of the label to remove.
    on_remove: Callback<usize>,
) -> impl IntoView {
    let draft = RwSignal::new(String::new());
    let add = move || {
        let text = draft.get_untracked();
        let text = text.trim().trim_end_matches(',').trim();
        if !text.is_empty() && on_add.run(text.to_owned()) {
            draft.set(String::new());
        }
    };
    view! {
        <div class="field label-list">
            <label for=input_id>{label}</label>
            <ul class="chips" aria-label=label>
                <For each=move || values.get().into_iter().enumerate() key=|(i, v)| (*i, v.clone()) let((i, value))>
                    <li class="chip">
                        <span>{value.clone()}</span>
                        <button type="button" class="chip-remove" aria-label=format!("Remove {label} “{value}”")
                            on:click=move |_| on_remove.run(i)>"×"</button>
                    </li>
                </For>
            </ul>
            <div class="inline-add">
                <input id=input_id type="text" placeholder=placeholder maxlength="80"
                    prop:value=draft
                    on:input:target=move |ev| {
                        let value = ev.target().value();
                        if value.ends_with(',') { draft.set(value); add(); } else { draft.set(value); }
                    }
                    on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default(); add(); } />
                <button type="button" class="secondary" on:click=move |_| add()>"Add"</button>
            </div>
        </div>
    }
}
