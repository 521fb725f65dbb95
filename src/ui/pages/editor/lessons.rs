//! Lessons: what went well, what went wrong, and where the team got lucky.

use crate::domain::{Entry, ItemId, LessonKind, Postmortem};
use crate::ui::components::{EntryList, WordingHooks};
use leptos::prelude::*;

/// The lessons card with its three lists.
#[component]
pub fn LessonsSection(pm: RwSignal<Postmortem>) -> impl IntoView {
    view! {
        <section class="card" id="lessons" aria-labelledby="lessons-heading">
            <h2 id="lessons-heading">"Lessons"</h2>
            <p class="help">"Successes are worth as much study as failures. “Where we got lucky” names the near misses that would have made this worse."</p>
            <LessonLists pm=pm kinds=&LessonKind::ALL />
        </section>
    }
}

/// Some of the lesson lists, side by side.
#[component]
pub fn LessonLists(pm: RwSignal<Postmortem>, kinds: &'static [LessonKind]) -> impl IntoView {
    view! {
            <div class={if kinds.len() > 1 { "grid-3" } else { "" }}>
                {kinds.iter().copied().map(|kind| view! {
                    <div class="lesson-list">
                        <h3 id=format!("lessons-{}", kind.key())>{kind.label()}</h3>
                        <EntryList list_id=format!("lesson-{}", kind.key()) hooks={expect_context::<WordingHooks>()} item_label=kind.label().to_owned() add_label="Add".to_owned() multiline=true
                            entries=Signal::derive(move || pm.with(|p| p.lessons.list(kind).clone()))
                            on_change=Callback::new(move |(id, text): (ItemId, String)| pm.update(|p| {
                                if let Some(e) = p.lessons.list_mut(kind).iter_mut().find(|e| e.id == id) { e.text = text; }
                            }))
                            on_add=Callback::new(move |()| { let e = Entry::new(""); let id = e.id; pm.update(|p| p.lessons.list_mut(kind).push(e)); id })
                            on_remove=Callback::new(move |id: ItemId| pm.update(|p| p.lessons.list_mut(kind).retain(|e| e.id != id))) />
                    </div>
                }).collect_view()}
            </div>
    }
}
