//! The wording assistant over the postmortem being edited: its open findings, checked again
//! shortly after each change, the hooks every checked field uses, and the panel that lists
//! every finding by category.

use crate::domain::Postmortem;
use crate::domain::wording::{Category, Dismissal, FieldFinding, Finding, apply_rewrite, open_findings, text_mut};
use crate::ui::components::{WordingHooks, focus_when_drawn};
use crate::ui::hooks::use_debounced;
use leptos::prelude::*;
use std::time::Duration;

/// How long after the last keystroke the wording is checked again.
const CHECK_DELAY: Duration = Duration::from_millis(250);

/// The wording assistant's view of the postmortem being edited, shared with its sections.
#[derive(Clone, Copy)]
pub(crate) struct Wording {
    /// Every open finding, refreshed shortly after each change.
    pub open: RwSignal<Vec<FieldFinding>>,
    /// Set while the author is asked to confirm publishing with open findings.
    pub confirm_publish: RwSignal<bool>,
}

/// Checks `pm`'s wording while the calling editor is shown, and provides the findings (and
/// the hooks each checked field uses) to its sections.
pub fn use_wording(pm: RwSignal<Postmortem>) -> Wording {
    let open = RwSignal::new(Vec::new());
    let wording = Wording { open, confirm_publish: RwSignal::new(false) };
    // May run from a timer after the editor is gone: then there is nothing to check.
    let recheck = move || {
        if let Some(found) = pm.try_with_untracked(open_findings) {
            let _ = open.try_set(found);
        }
    };
    let later = use_debounced(CHECK_DELAY, recheck);
    // The check of a long postmortem takes a while: the first one runs just after the first
    // frame is painted (a timer set while a frame is drawn fires after it).
    request_animation_frame(move || set_timeout(recheck, Duration::ZERO));
    Effect::new(move |seen: Option<()>| {
        pm.track();
        if seen.is_some() {
            later.schedule();
        }
    });
    provide_context(wording);
    provide_context(WordingHooks {
        findings: Callback::new(move |key: String| {
            Signal::derive(move || {
                open.with(|all| all.iter().filter(|f| f.field == key).map(|f| f.finding.clone()).collect())
            })
        }),
        dismiss: Callback::new(move |(key, finding): (String, Finding)| {
            pm.update(|p| p.dismissed_findings.push(Dismissal::of(&key, &finding)));
            recheck();
        }),
        apply: Callback::new(move |(key, finding): (String, Finding)| {
            pm.update(|p| {
                if let Some(text) = text_mut(p, &key) {
                    apply_rewrite(text, &finding);
                }
            });
            recheck();
            focus_when_drawn(key);
        }),
    });
    wording
}

/// Every open wording finding of the postmortem, by category, each a jump to its field.
#[component]
pub fn WordingPanel(wording: Wording) -> impl IntoView {
    let count = move || wording.open.with(Vec::len);
    view! {
        <details class="card wording-panel" id="wording">
            <summary>
                <span class="wording-title">"Wording assistant"</span>
                <span class=move || if count() == 0 { "badge findings-none" } else { "badge findings-some" }>
                    {move || match count() {
                        0 => "no open suggestions".to_owned(),
                        1 => "1 open suggestion".to_owned(),
                        n => format!("{n} open suggestions"),
                    }}
                </span>
            </summary>
            <p class="help">"Wording that blames people or judges with hindsight makes people share less. Each suggestion explains why and offers another way to say it; dismiss the ones you mean to keep."</p>
            {move || {
                let open = wording.open.get();
                Category::ALL.into_iter().filter_map(|category| {
                    let items: Vec<FieldFinding> = open.iter().filter(|f| f.finding.category == category).cloned().collect();
                    (!items.is_empty()).then(|| view! {
                        <h3>{category.label()}</h3>
                        <ul class="panel-findings">
                            {items.into_iter().map(|f| {
                                let key = f.field.clone();
                                view! {
                                    <li>
                                        <button type="button" class="link-button" on:click=move |_| focus_when_drawn(key.clone())>
                                            {format!("{}: “{}”", f.label, f.finding.phrase)}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    })
                }).collect_view()
            }}
        </details>
    }
}
