//! Saying that a list has reached Debrief's limit (see [`crate::domain::limits`]), in a
//! status region that is always on the page, so screen readers announce the change.

use crate::domain::limits::grouped;
use leptos::prelude::*;

/// "This postmortem has reached Debrief's limit of 1,000 timeline events…", shown while
/// `count` is at `max` or over it.
#[component]
pub fn LimitNote(count: Signal<usize>, max: usize, what: &'static str) -> impl IntoView {
    let text = move || {
        (count.get() >= max).then(|| {
            format!(
                "This postmortem has reached Debrief's limit of {} {what}. Remove one to add another, or write the rest in a follow-up postmortem.",
                grouped(max)
            )
        })
    };
    view! { <p class="limit-note" role="status" class:empty=move || count.get() < max>{text}</p> }
}
