//! One question of a three-way merge: a part changed on both sides, each side's value, and
//! the answer to merge it by (keep both texts, one side's, or words written on the spot).
//! Shared by the import preview (yours and the file's) and the editor's conflict with
//! another tab (this tab's and the one saved elsewhere).

use crate::domain::merge::{Conflict, ConflictKind, Pick, joined};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The two sides of a merge in the words of the page that asks.
#[derive(Debug, Clone, Copy)]
pub struct Sides {
    /// The heading over the version here ("Yours").
    pub mine: &'static str,
    /// The heading over the other version ("In the file").
    pub theirs: &'static str,
    /// The answers a question of each kind can take, as (value, words).
    pub answers: fn(ConflictKind) -> &'static [(&'static str, &'static str)],
}

fn pick_key(pick: &Pick) -> &'static str {
    match pick {
        Pick::Both => "both",
        Pick::Mine => "mine",
        Pick::Theirs => "theirs",
        Pick::Text(_) => "own",
    }
}

/// The question of `conflict`, answered into `picks` (by the conflict's key); `on_answer`
/// hears of every answer.
#[component]
pub fn MergeQuestion(
    id: String,
    conflict: Conflict,
    sides: Sides,
    picks: RwSignal<BTreeMap<String, Pick>>,
    #[prop(optional)] on_answer: Option<Callback<()>>,
) -> impl IntoView {
    let key = StoredValue::new(conflict.key.clone());
    let default = StoredValue::new(conflict.default_pick());
    let current = move || picks.with(|p| key.with_value(|k| p.get(k).cloned())).unwrap_or_else(|| default.get_value());
    // Writing it yourself starts from both versions (or from the words already written).
    let own_text = RwSignal::new(match current() {
        Pick::Text(text) => text,
        _ => joined(&conflict.mine, &conflict.theirs),
    });
    let set = move |pick: Pick| {
        picks.update(|p| {
            p.insert(key.get_value(), pick);
        });
        if let Some(on_answer) = on_answer {
            on_answer.run(());
        }
    };
    let on_pick = move |value: String| {
        set(match value.as_str() {
            "both" => Pick::Both,
            "theirs" => Pick::Theirs,
            "own" => Pick::Text(own_text.get_untracked()),
            _ => Pick::Mine,
        })
    };
    let shown = |text: &str, removed: bool| {
        if removed {
            "(removed)".to_owned()
        } else if text.is_empty() {
            "(empty)".to_owned()
        } else {
            text.to_owned()
        }
    };
    let (mine, theirs) = (
        shown(&conflict.mine, conflict.kind == ConflictKind::RemovedHere),
        shown(&conflict.theirs, conflict.kind == ConflictKind::RemovedThere),
    );
    let select_id = format!("{id}-pick");
    let text_id = format!("{id}-text");
    view! {
        <li class="merge-question">
            <p><strong>{conflict.label.clone()}</strong></p>
            <div class="versions">
                <div><span class="muted">{sides.mine}</span><p class="prewrap">{mine}</p></div>
                <div><span class="muted">{sides.theirs}</span><p class="prewrap">{theirs}</p></div>
            </div>
            <label for=select_id.clone()>{format!("Answer for {}", conflict.label)}</label>
            <select id=select_id prop:value=move || pick_key(&current()) on:change:target=move |ev| on_pick(ev.target().value())>
                {(sides.answers)(conflict.kind).iter().map(|(value, words)| view! { <option value=*value>{*words}</option> }).collect_view()}
            </select>
            <Show when=move || matches!(current(), Pick::Text(_))>
                <label for=text_id.clone()>"Your words"</label>
                <textarea id=text_id.clone() prop:value=move || own_text.get()
                    on:input:target=move |ev| { own_text.set(ev.target().value()); set(Pick::Text(ev.target().value())); }></textarea>
            </Show>
        </li>
    }
}
