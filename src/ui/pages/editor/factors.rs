//! Contributing factors, each with a category and an optional chain of whys.

use crate::domain::limits::MAX_FACTORS;
use crate::domain::{ContributingFactor, Entry, FactorCategory, ItemId, Postmortem};
use crate::ui::components::{AnonymousMark, CheckedText, EntryList, LimitNote, WordingHooks, focus_when_drawn};
use leptos::prelude::*;

fn factor<T>(pm: RwSignal<Postmortem>, id: ItemId, f: impl FnOnce(&ContributingFactor) -> T) -> Option<T> {
    super::read_row(pm, |p| &p.factors, id, f)
}

fn edit_factor(pm: RwSignal<Postmortem>, id: ItemId, f: impl FnOnce(&mut ContributingFactor)) {
    super::edit_row(pm, |p| &mut p.factors, id, f)
}

/// The contributing factors card.
#[component]
pub fn Factors(
    pm: RwSignal<Postmortem>,
    /// Show every factor's whys unfolded (the guided five-whys step).
    #[prop(optional)]
    open_whys: bool,
) -> impl IntoView {
    let add = move |_: leptos::ev::MouseEvent| {
        if pm.with_untracked(|p| p.factors.len()) >= MAX_FACTORS {
            return;
        }
        let mut id = ItemId::nil();
        pm.update(|p| id = p.add_factor(FactorCategory::Software, ""));
        focus_when_drawn(format!("factor-text-{id}"));
    };
    view! {
        <section class="card" id="factors" aria-labelledby="factors-heading">
            <h2 id="factors-heading">"Contributing factors"</h2>
            <p class="help">"Conditions in systems and processes that made the incident possible or worse. There is rarely a single root cause; ask why a few times to dig past the first answer."</p>
            <Show when=move || pm.with(|p| p.factors.is_empty())>
                <p class="empty-note">"No contributing factors yet."</p>
            </Show>
            <ul class="rows">
                <For each=move || pm.with(|p| p.factors.iter().map(|x| x.id).collect::<Vec<_>>()) key=|id| *id let(id)>
                    <li class="row">
                        <Show when=move || factor(pm, id, |x| x.from_contribution.is_some()).unwrap_or(false)>
                            <AnonymousMark />
                        </Show>
                        <div class="grid-factor">
                            <div class="field">
                                <label for=format!("factor-text-{id}")>"Factor"</label>
                                <CheckedText id=format!("factor-text-{id}") hooks={expect_context::<WordingHooks>()}
                                    value=Signal::derive(move || factor(pm, id, |x| x.description.clone()).unwrap_or_default())
                                    on_input=Callback::new(move |v: String| edit_factor(pm, id, |x| x.description = v)) />
                            </div>
                            <div class="field">
                                <label for=format!("factor-category-{id}")>"Category"</label>
                                <select id=format!("factor-category-{id}")
                                    prop:value=move || factor(pm, id, |x| x.category.key()).unwrap_or_default()
                                    on:change:target=move |ev| if let Some(c) = FactorCategory::from_key(&ev.target().value()) { edit_factor(pm, id, |x| x.category = c) }>
                                    {FactorCategory::ALL.iter().map(|c| view! { <option value=c.key()>{c.label()}</option> }).collect_view()}
                                </select>
                            </div>
                        </div>
                        <details class="whys" open=open_whys || factor(pm, id, |x| !x.whys.is_empty()).unwrap_or(false)>
                            <summary>{move || format!("Whys ({})", factor(pm, id, |x| x.whys.len()).unwrap_or(0))}</summary>
                            <EntryList list_id=format!("factor-{id}-why") hooks={expect_context::<WordingHooks>()} item_label="Why".to_owned() add_label="Add a why".to_owned()
                                entries=Signal::derive(move || factor(pm, id, |x| x.whys.clone()).unwrap_or_default())
                                on_change=Callback::new(move |(why, text): (ItemId, String)| edit_factor(pm, id, |x| {
                                    if let Some(w) = x.whys.iter_mut().find(|w| w.id == why) { w.text = text; }
                                }))
                                on_add=Callback::new(move |()| { let e = Entry::new(""); let new_id = e.id; edit_factor(pm, id, |x| x.whys.push(e)); new_id })
                                on_remove=Callback::new(move |why: ItemId| edit_factor(pm, id, |x| x.whys.retain(|w| w.id != why))) />
                        </details>
                        <button type="button" class="ghost remove" on:click=move |_| pm.update(|p| p.factors.retain(|x| x.id != id))>"Remove factor"</button>
                    </li>
                </For>
            </ul>
            <button type="button" class="secondary add-button" disabled=move || { pm.with(|p| p.factors.len()) >= MAX_FACTORS } on:click=add>"Add contributing factor"</button>
            <LimitNote count=Signal::derive(move || pm.with(|p| p.factors.len())) max=MAX_FACTORS what="contributing factors" />
        </section>
    }
}

/// Postmortems that share a contributing-factor category or a service with this one: read
/// from the library only when the reader opens the list.
#[component]
pub fn SimilarIncidents(pm: RwSignal<Postmortem>) -> impl IntoView {
    let library = crate::ui::state::Library::expect();
    let open = RwSignal::new(false);
    let found = Memo::new(move |_| {
        if !open.get() {
            return None;
        }
        let all = library.all_postmortems().map_err(|e| crate::ui::state::explain(&e));
        Some(all.map(|all| pm.with(|p| crate::domain::learning::similar(p, &all, 8))))
    });
    view! {
        <details class="card similar" id="similar" on:toggle=move |ev| {
            use wasm_bindgen::JsCast;
            if let Some(d) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                open.set(d.has_attribute("open"));
            }
        }>
            <summary><h2 class="summary-heading">"Similar incidents"</h2></summary>
            <p class="help">"Other postmortems with a contributing-factor category or a service in common with this one, most in common first."</p>
            {move || match found.get() {
                None => None,
                Some(Err(e)) => Some(view! { <p role="alert">{format!("The library could not be read: {e}")}</p> }.into_any()),
                Some(Ok(list)) if list.is_empty() => Some(view! {
                    <p class="empty-note">"None yet: no other postmortem shares a contributing-factor category or a service with this one."</p>
                }.into_any()),
                Some(Ok(list)) => Some(view! {
                    <ul class="similar-list">
                        {list.into_iter().map(|(id, title, shared)| view! {
                            <li>
                                <leptos_router::components::A href=crate::ui::routes::AppRoute::Read(id).href()>{title}</leptos_router::components::A>
                                <span class="muted">{format!(" — shares {}", shared.join(", "))}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()),
            }}
        </details>
    }
}
