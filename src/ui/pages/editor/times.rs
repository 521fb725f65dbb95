//! The four key times, their UTC offset, and the durations computed from them.

use crate::domain::time::{format_local_time, parse_local_time};
use crate::domain::{KeyTime, Postmortem, Span, UtcOffset};
use leptos::prelude::*;

/// Key times and computed durations.
#[component]
pub fn KeyTimesSection(pm: RwSignal<Postmortem>) -> impl IntoView {
    let durations = Memo::new(move |_| pm.with(|p| p.durations()));
    view! {
        <section class="card" id="times" aria-labelledby="times-heading">
            <h2 id="times-heading">"Key times"</h2>
            <p class="help">"Enter times as they appeared on your clocks, in one UTC offset. The timeline uses the same offset. Durations are computed, never typed."</p>
            <div class="field narrow">
                <label for="pm-offset">"Times are in"</label>
                <select id="pm-offset"
                    prop:value=move || pm.with(|p| p.key_times.offset.minutes().to_string())
                    on:change:target=move |ev| {
                        if let Some(o) = ev.target().value().parse::<i32>().ok().and_then(UtcOffset::from_minutes) {
                            pm.update(|p| p.key_times.offset = o);
                        }
                    }>
                    {UtcOffset::choices().map(|o| view! { <option value=o.minutes().to_string()>{o.to_string()}</option> }).collect_view()}
                </select>
            </div>
            <div class="grid-4">
                {KeyTime::ALL.into_iter().map(|which| {
                    let id = format!("pm-time-{}", which.key());
                    view! {
                        <div class="field">
                            <label for=id.clone()>{which.label()}</label>
                            <input id=id type="datetime-local"
                                prop:value=move || pm.with(|p| p.key_times.get(which).map(|t| format_local_time(&t)).unwrap_or_default())
                                on:change:target=move |ev| {
                                    let value = parse_local_time(&ev.target().value());
                                    pm.update(|p| p.key_times.set(which, value));
                                } />
                        </div>
                    }
                }).collect_view()}
            </div>
            <dl class="durations" aria-live="polite">
                {move || durations.get().labelled().into_iter().map(|(label, span)| {
                    let class = match span {
                        Span::Minutes(_) => "duration",
                        Span::Missing(_) => "duration missing",
                        Span::OutOfOrder { .. } => "duration problem",
                    };
                    view! { <div class=class><dt>{label}</dt><dd>{span.to_string()}</dd></div> }
                }).collect_view()}
            </dl>
        </section>
    }
}
