//! Title, reference, status, severity, summary, services and tags.

use super::Wording;
use crate::domain::{Postmortem, Severity, Status, add_label};
use crate::ui::components::{CheckedText, FindingList, LabelList, Notice, NoticeKind, WordingHooks};
use leptos::prelude::*;

/// The overview card at the top of the editor.
#[component]
pub fn Overview(pm: RwSignal<Postmortem>) -> impl IntoView {
    let hooks = expect_context::<WordingHooks>();
    let wording = expect_context::<Wording>();
    let open_count = move || wording.open.with(Vec::len);
    view! {
        <section class="card" id="overview" aria-labelledby="overview-heading">
            <h2 id="overview-heading">"Overview"</h2>
            <TitleField pm=pm />
            <Show when=move || wording.confirm_publish.get()>
                <Notice kind=NoticeKind::Warning
                    message=Signal::derive(move || format!(
                        "{} wording suggestions are still open. Published postmortems are read widely: review them first, or publish as it is.",
                        open_count()
                    ))>
                    <a class="button-link" href="#wording" on:click=move |ev| {
                        ev.prevent_default();
                        wording.confirm_publish.set(false);
                        if let Some(panel) = document().get_element_by_id("wording") {
                            let _ = panel.set_attribute("open", "");
                            panel.scroll_into_view();
                        }
                    }>"Review suggestions"</a>
                    <button type="button" class="primary" on:click=move |_| {
                        wording.confirm_publish.set(false);
                        pm.update(|p| p.set_status(Status::Published, chrono::Utc::now()));
                    }>"Publish anyway"</button>
                    <button type="button" class="ghost" on:click=move |_| wording.confirm_publish.set(false)>"Cancel"</button>
                </Notice>
            </Show>
            <div class="grid-3">
                <div class="field">
                    <label for="pm-ref">"Incident reference"<span class="optional">" (optional)"</span></label>
                    <input id="pm-ref" type="text" maxlength="120" placeholder="e.g. INC-2041"
                        prop:value=move || pm.with(|p| p.incident_ref.clone())
                        on:input:target=move |ev| pm.update(|p| p.incident_ref = ev.target().value()) />
                </div>
                <div class="field">
                    <label for="pm-status">"Status"</label>
                    <select id="pm-status" aria-describedby="pm-status-help"
                        prop:value=move || pm.with(|p| p.status.key())
                        on:change:target=move |ev| {
                            let Some(status) = Status::from_key(&ev.target().value()) else { return };
                            if status == Status::Published && open_count() > 0 {
                                // Ask first: put the menu back until the author confirms.
                                ev.target().set_value(pm.with_untracked(|p| p.status.key()));
                                wording.confirm_publish.set(true);
                            } else {
                                pm.update(|p| p.set_status(status, chrono::Utc::now()));
                            }
                        }>
                        {Status::ALL.iter().map(|s| view! { <option value=s.key()>{s.label()}</option> }).collect_view()}
                    </select>
                    <p class="help" id="pm-status-help">{move || pm.with(status_help)}</p>
                </div>
                <SeverityField pm=pm />
            </div>
            <div class="field">
                <label for="pm-summary">"Summary"</label>
                <CheckedText id="pm-summary".to_owned() hooks=hooks placeholder="Two or three sentences: what happened, who was affected, how it ended."
                    value=Signal::derive(move || pm.with(|p| p.summary.clone()))
                    on_input=Callback::new(move |v: String| pm.update(|p| p.summary = v)) />
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

/// What the status means for the review, in a line under the menu.
fn status_help(pm: &Postmortem) -> String {
    match (pm.status, pm.review.approval()) {
        (Status::Draft, _) => "Move it to In review when it is ready for reviewers.".to_owned(),
        (Status::InReview, _) => "Reviewers comment and approve under Review; approving publishes it.".to_owned(),
        (_, Some(a)) => format!("Approved by {}.", a.by),
        (Status::Published, None) => {
            "Published without a recorded approval: a reviewer can approve it under Review.".to_owned()
        }
        (Status::Closed, None) => "Closed without a recorded approval.".to_owned(),
    }
}

/// The title, with its wording suggestions.
#[component]
pub fn TitleField(pm: RwSignal<Postmortem>) -> impl IntoView {
    let hooks = expect_context::<WordingHooks>();
    let title_findings = hooks.findings.run("pm-title".to_owned());
    view! {
        <div class="field">
            <label for="pm-title">"Title"</label>
            <input id="pm-title" type="text" maxlength="300" placeholder="What happened, in a few words: e.g. Checkout errors after a pool change"
                aria-describedby="pm-title-findings"
                prop:value=move || pm.with(|p| p.title.clone())
                on:input:target=move |ev| pm.update(|p| p.title = ev.target().value()) />
            <FindingList field="pm-title".to_owned() list_id="pm-title-findings".to_owned() findings=title_findings hooks=hooks />
        </div>
    }
}

/// The severity, with the chosen level's definition below.
#[component]
pub fn SeverityField(pm: RwSignal<Postmortem>) -> impl IntoView {
    view! {
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
    }
}
