//! Title, reference, status, severity, summary, services and tags.

use crate::domain::{Postmortem, Severity, Status, add_label};
use crate::ui::components::LabelList;
use leptos::prelude::*;

/// The overview card at the top of the editor.
#[component]
pub fn Overview(pm: RwSignal<Postmortem>) -> impl IntoView {
    view! {
        <section class="card" id="overview" aria-labelledby="overview-heading">
            <h2 id="overview-heading">"Overview"</h2>
            <div class="field">
                <label for="pm-title">"Title"</label>
                <input id="pm-title" type="text" maxlength="300" placeholder="What happened, in a few words: e.g. Checkout errors after a pool change"
                    prop:value=move || pm.with(|p| p.title.clone())
                    on:input:target=move |ev| pm.update(|p| p.title = ev.target().value()) />
            </div>
            <div class="grid-3">
                <div class="field">
                    <label for="pm-ref">"Incident reference"<span class="optional">" (optional)"</span></label>
                    <input id="pm-ref" type="text" maxlength="120" placeholder="e.g. INC-2041"
                        prop:value=move || pm.with(|p| p.incident_ref.clone())
                        on:input:target=move |ev| pm.update(|p| p.incident_ref = ev.target().value()) />
                </div>
                <div class="field">
                    <label for="pm-status">"Status"</label>
                    <select id="pm-status"
                        prop:value=move || pm.with(|p| p.status.key())
                        on:change:target=move |ev| if let Some(s) = Status::from_key(&ev.target().value()) { pm.update(|p| p.status = s) }>
                        {Status::ALL.iter().map(|s| view! { <option value=s.key()>{s.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="pm-severity">"Severity"</label>
                    <select id="pm-severity" aria-describedby="pm-severity-help"
                        prop:value=move || pm.with(|p| p.severity.map(|s| s.level().to_string()).unwrap_or_default())
                        on:change:target=move |ev| {
                            let level = ev.target().value().parse::<u8>().ok().and_then(Severity::new);
                            pm.update(|p| p.severity = level);
                        }>
                        <option value="">"Not set"</option>
                        {Severity::all().map(|s| view! { <option value=s.level().to_string()>{s.name()}</option> }).collect_view()}
                    </select>
                    <p class="help" id="pm-severity-help">
                        {move || pm.with(|p| p.severity.map(|s| s.definition().to_owned()).unwrap_or_else(|| "Pick the level that matches the impact.".to_owned()))}
                    </p>
                </div>
            </div>
            <div class="field">
                <label for="pm-summary">"Summary"</label>
                <textarea id="pm-summary" rows="4" placeholder="Two or three sentences: what happened, who was affected, how it ended."
                    prop:value=move || pm.with(|p| p.summary.clone())
                    on:input:target=move |ev| pm.update(|p| p.summary = ev.target().value())></textarea>
            </div>
            <div class="grid-2">
                <LabelList label="Affected services" input_id="pm-services" placeholder="e.g. checkout-api, then Enter"
                    values=Signal::derive(move || pm.with(|p| p.services.clone()))
                    on_add=Callback::new(move |v: String| { let mut added = false; pm.update(|p| added = add_label(&mut p.services, &v)); added })
                    on_remove=Callback::new(move |i: usize| pm.update(|p| { if i < p.services.len() { p.services.remove(i); } })) />
                <LabelList label="Tags" input_id="pm-tags" placeholder="e.g. database, then Enter"
                    values=Signal::derive(move || pm.with(|p| p.tags.clone()))
                    on_add=Callback::new(move |v: String| { let mut added = false; pm.update(|p| added = add_label(&mut p.tags, &v)); added })
                    on_remove=Callback::new(move |i: usize| pm.update(|p| { if i < p.tags.len() { p.tags.remove(i); } })) />
            </div>
        </section>
    }
}
