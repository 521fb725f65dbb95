//! What "Replace names with roles" will do, shown before anything is exported: each way a
//! participant is named and what it becomes, the handles and addresses it would leave, and
//! a way to add a missed name as an alias on the spot.

use crate::domain::Postmortem;
use crate::domain::redact::redact;
use crate::ui::components::focus_when_drawn;
use leptos::prelude::*;

/// The preview; what adding an alias did is said in `said`.
#[component]
pub fn RedactionPreview(pm: RwSignal<Postmortem>, said: RwSignal<Option<String>>) -> impl IntoView {
    let report = Memo::new(move |_| pm.with(|p| redact(p).1));
    let people = Memo::new(move |_| {
        pm.with(|p| {
            p.participants
                .iter()
                .enumerate()
                .filter(|(_, x)| !x.name.trim().is_empty())
                .map(|(i, x)| (i, x.name.trim().to_owned()))
                .collect::<Vec<_>>()
        })
    });
    let add = move |who: usize, alias: String| -> bool {
        let alias = alias.trim().to_owned();
        if alias.is_empty() {
            return false;
        }
        let mut added = None;
        pm.update(|p| {
            if let Some(x) = p.participants.get_mut(who) {
                added = Some((x.add_alias(&alias), x.name.trim().to_owned(), x.role_phrase()));
            }
        });
        match added {
            Some((true, name, role)) => {
                said.set(Some(format!("“{alias}” is now an alias of {name}: it will be replaced by “{role}”.")));
                true
            }
            Some((false, name, _)) => {
                said.set(Some(format!("“{alias}” is already an alias of {name}, or {name} has as many as allowed.")));
                false
            }
            None => false,
        }
    };
    let missed = RwSignal::new(String::new());
    let first = move || people.with_untracked(|p| p.first().map_or(0, |(i, _)| *i));
    let missed_who = RwSignal::new(first());
    let add_missed = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if add(missed_who.get_untracked(), missed.get_untracked()) {
            missed.set(String::new());
        }
    };
    let person_options = move || {
        people.get().into_iter().map(|(i, name)| view! { <option value=i.to_string()>{name}</option> }).collect_view()
    };
    view! {
        <div class="redaction-preview" role="group" aria-labelledby="redaction-heading">
            <p class="redaction-heading" id="redaction-heading">"What will be replaced"</p>
            <Show when=move || !people.with(Vec::is_empty) fallback=|| view! {
                <p class="help">"No participants are listed, so no name is replaced. Add them under People and impact: their names and the aliases you give are what gets replaced."</p>
            }>
                {move || {
                    let replaced = report.with(|r| r.replaced.clone());
                    if replaced.is_empty() {
                        view! { <p class="help">"No participant is named in the text."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="replaced-list">
                                {replaced.into_iter().map(|r| {
                                    let times = if r.count == 1 { "once".to_owned() } else { format!("{} times", r.count) };
                                    view! { <li><span class="was">{r.written}</span>" → "<span class="becomes">{r.role}</span>" "<span class="times">{format!("({times})")}</span></li> }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }}
                <Show when=move || report.with(|r| !r.left.is_empty())>
                    <p class="redaction-heading">"Left in the text: perhaps people not listed"</p>
                    <ul class="left-list">
                        <For each=move || report.with(|r| r.left.clone()) key=|t| t.clone() let(token)>
                            {
                                let who = RwSignal::new(first());
                                let select_id = format!("left-who-{}", token.bytes().map(|b| format!("{b:02x}")).collect::<String>());
                                let add_token = token.clone();
                                view! {
                                    <li class="left-item">
                                        <span class="was">{token.clone()}</span>
                                        <label class="visually-hidden" for=select_id.clone()>{format!("Whose alias is {token}?")}</label>
                                        <select id=select_id prop:value=move || who.get().to_string()
                                            on:change:target=move |ev| who.set(ev.target().value().parse().unwrap_or(0))>
                                            {person_options}
                                        </select>
                                        <button type="button" class="secondary small" on:click=move |_| {
                                            if add(who.get_untracked(), add_token.clone()) {
                                                focus_when_drawn("missed-name".to_owned());
                                            }
                                        }>{format!("Add {token} as alias")}</button>
                                    </li>
                                }
                            }
                        </For>
                    </ul>
                </Show>
                <form class="missed-name" on:submit=add_missed>
                    <label for="missed-name">"Missed a name? Add it as an alias of"</label>
                    <div class="missed-row">
                        <input id="missed-name" type="text" autocomplete="off" spellcheck="false" placeholder="e.g. sam or @sokafor"
                            prop:value=missed on:input:target=move |ev| missed.set(ev.target().value()) />
                        <label class="visually-hidden" for="missed-who">"Participant"</label>
                        <select id="missed-who" prop:value=move || missed_who.get().to_string()
                            on:change:target=move |ev| missed_who.set(ev.target().value().parse().unwrap_or(0))>
                            {person_options}
                        </select>
                        <button type="submit" class="secondary small">"Add alias"</button>
                    </div>
                </form>
            </Show>
        </div>
    }
}
