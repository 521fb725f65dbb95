//! The wording assistant in a field: underlines at the findings' spans (for text areas),
//! and below the field the explanation, a suggestion, and buttons to apply or dismiss.

use crate::domain::wording::{Category, Context, Dismissal, FieldKind, Finding, check};
use leptos::prelude::*;

/// What a field needs from the page to show and act on its findings.
#[derive(Clone, Copy)]
pub struct WordingHooks {
    /// The open findings of the field with this key.
    pub findings: Callback<String, Signal<Vec<Finding>>>,
    /// Keep the wording: the finding stops showing for this field.
    pub dismiss: Callback<(String, Finding)>,
    /// Replace the phrase with the suggested rewrite.
    pub apply: Callback<(String, Finding)>,
}

impl WordingHooks {
    /// Hooks for text outside a stored postmortem (an invitation being written, a
    /// contributor's answers): findings come from checking `text_of(field)` as `kind`, with
    /// `participants` so names and aliases can be flagged, and
    /// a dismissal lasts while the page is open.
    pub fn standalone(
        kind: FieldKind,
        participants: Vec<crate::domain::Participant>,
        text_of: Callback<String, String>,
        apply: Callback<(String, Finding)>,
    ) -> Self {
        let dismissed = RwSignal::new(Vec::<Dismissal>::new());
        let participants = StoredValue::new(participants);
        Self {
            findings: Callback::new(move |field: String| {
                Signal::derive(move || {
                    let text = text_of.run(field.clone());
                    participants
                        .with_value(|people| check(&text, &Context { field: kind, participants: people }))
                        .into_iter()
                        .filter(|f| !dismissed.with(|d| d.contains(&Dismissal::of(&field, f))))
                        .collect()
                })
            }),
            dismiss: Callback::new(move |(field, finding): (String, Finding)| {
                dismissed.update(|d| d.push(Dismissal::of(&field, &finding)))
            }),
            apply,
        }
    }
}

/// The text split into plain and flagged pieces, for the underline layer.
fn segments(text: &str, findings: &[Finding]) -> Vec<(String, Option<Category>)> {
    let mut out = Vec::new();
    let mut at = 0;
    for f in findings {
        // Findings lag the text by the checking delay: skip any that no longer line up.
        if f.start < at || text.get(f.start..f.end) != Some(f.phrase.as_str()) {
            continue;
        }
        out.push((text[at..f.start].to_owned(), None));
        out.push((f.phrase.clone(), Some(f.category)));
        at = f.end;
    }
    out.push((text.get(at..).unwrap_or_default().to_owned(), None));
    out
}

/// A text area whose flagged wording is underlined, with its findings listed below.
#[component]
pub fn CheckedText(
    /// The element id, which is also the field's key for findings.
    id: String,
    #[prop(into)] value: Signal<String>,
    on_input: Callback<String>,
    hooks: WordingHooks,
    #[prop(optional)] placeholder: &'static str,
    #[prop(optional, into)] label: Option<Signal<String>>,
    /// The id of text that explains the field (a question), read out with it.
    #[prop(optional)]
    described_by: String,
) -> impl IntoView {
    // Memos: the editor's state changes on every keystroke anywhere; only a change to this
    // field's own text or findings should redraw its underline layer.
    let value = Memo::new(move |_| value.get());
    let findings = hooks.findings.run(id.clone());
    let findings: Signal<Vec<Finding>> = Memo::new(move |_| findings.get()).into();
    let list_id = format!("{id}-findings");
    let described = if described_by.is_empty() { list_id.clone() } else { format!("{described_by} {list_id}") };
    view! {
        <div class="checked-text">
            <div class="mirror" aria-hidden="true">
                {move || {
                    let text = value.get();
                    findings.with(|fs| segments(&text, fs)).into_iter().map(|(piece, category)| match category {
                        Some(c) => view! { <mark class=format!("flag flag-{}", c.key())>{piece}</mark> }.into_any(),
                        None => view! { <span>{piece}</span> }.into_any(),
                    }).collect_view()
                }}
                "\u{200b}"
            </div>
            <textarea id=id.clone() rows="2" placeholder=placeholder aria-describedby=described
                maxlength=crate::domain::limits::MAX_TEXT_CHARS
                aria-label=move || label.map(|l| l.get())
                prop:value=value
                on:input:target=move |ev| on_input.run(ev.target().value())></textarea>
        </div>
        <FindingList field=id list_id=list_id findings=findings hooks=hooks />
    }
}

/// The findings of one field: what, why, a better wording, and what to do about it.
#[component]
pub fn FindingList(
    field: String,
    list_id: String,
    findings: Signal<Vec<Finding>>,
    hooks: WordingHooks,
) -> impl IntoView {
    view! {
        <ul class="findings" id=list_id aria-live="polite" aria-label="Wording suggestions">
            <For each=move || findings.get() key=|f| (f.start, f.end, f.category, f.phrase.clone()) let(finding)>
                {
                    let (dismissed, applied) = ((field.clone(), finding.clone()), (field.clone(), finding.clone()));
                    let apply_label = match finding.replacement.as_deref() {
                        Some("") => Some(format!("Remove “{}”", finding.phrase)),
                        Some(r) => Some(format!("Use “{r}”")),
                        None => None,
                    };
                    view! {
                        <li class=format!("finding finding-{}", finding.category.key())>
                            <p class="finding-what">
                                <span class="finding-category">{finding.category.label()}</span>
                                " “"<mark class=format!("flag flag-{}", finding.category.key())>{finding.phrase.clone()}</mark>"”: "
                                {finding.explanation()}
                            </p>
                            <p class="finding-suggestion">{finding.suggestion.clone()}</p>
                            <div class="finding-actions">
                                {apply_label.map(|l| view! {
                                    <button type="button" class="secondary small" on:click=move |_| hooks.apply.run(applied.clone())>{l}</button>
                                })}
                                <button type="button" class="ghost small" on:click=move |_| hooks.dismiss.run(dismissed.clone())
                                    aria-label=format!("Dismiss the suggestion about “{}”", finding.phrase)>"Dismiss"</button>
                            </div>
                        </li>
                    }
                }
            </For>
        </ul>
    }
}
