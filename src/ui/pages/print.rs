//! A postmortem as a clean, read-only document for the browser's "Save as PDF".

use crate::domain::contribution::answers_by_question;
use crate::domain::durations::relative_label;
use crate::domain::redact::redact_names;
use crate::domain::template::{homeless_answers, placed_answers};
use crate::domain::{KeyTime, LessonKind, Postmortem, PostmortemId};
use crate::ui::clock::{browser_clock, show};
use crate::ui::components::{Notice, NoticeKind};
use crate::ui::routes::AppRoute;
use crate::ui::state::{Library, explain};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The route `/postmortems/:id/print` (`?names=roles` replaces names with roles).
#[component]
pub fn PrintPage() -> impl IntoView {
    let library = Library::expect();
    let params = use_params_map();
    let query = use_query_map();
    move || {
        let id = params.with(|p| p.get("id")).and_then(|raw| PostmortemId::parse(&raw));
        let redacted = query.with(|q| q.get("names").as_deref() == Some("roles"));
        match id.map(|id| library.load(&id)) {
            Some(Ok(pm)) => {
                let pm = if redacted { redact_names(&pm) } else { pm };
                view! { <PrintDocument pm redacted /> }.into_any()
            }
            Some(Err(e)) => {
                view! { <div class="page"><Notice kind=NoticeKind::Error message=explain(&e) /></div> }.into_any()
            }
            None => view! { <div class="page"><h1>"Postmortem not found"</h1></div> }.into_any(),
        }
    }
}

fn or_dash(text: Option<String>) -> String {
    text.filter(|t| !t.trim().is_empty()).unwrap_or_else(|| "—".to_owned())
}

/// Paragraphs of text, one per line the author wrote.
fn paragraphs(text: &str) -> impl IntoView + use<> {
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| view! { <p>{l.to_owned()}</p> }).collect_view()
}

#[component]
fn PrintDocument(pm: Postmortem, redacted: bool) -> impl IntoView {
    let editor = AppRoute::Postmortem(pm.id).href();
    let durations = pm.durations();
    let zone = pm.key_times.time_zone.clone();
    let offsets_vary = pm.offsets_vary();
    let clock = browser_clock();
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <article class="page print-document">
            <div class="no-print print-toolbar">
                <A href=editor>"Back to the editor"</A>
                <button type="button" class="primary" on:click=print>"Print or save as PDF"</button>
                {redacted.then(|| view! { <span class="muted">"Names are replaced with roles."</span> })}
            </div>
            <h1>{pm.display_title().to_owned()}</h1>
            <dl class="print-facts">
                <div><dt>"Status"</dt><dd>{pm.status.label()}</dd></div>
                <div><dt>"Severity"</dt><dd>{pm.severity.map(|s| format!("{} — {}", s.name(), s.definition())).unwrap_or_else(|| "Not set".into())}</dd></div>
                <div><dt>"Incident"</dt><dd>{or_dash(Some(pm.incident_ref.clone()))}</dd></div>
                <div><dt>"Services"</dt><dd>{or_dash(Some(pm.services.join(", ")))}</dd></div>
                <div><dt>"Tags"</dt><dd>{or_dash(Some(pm.tags.join(", ")))}</dd></div>
                {pm.template.as_ref().map(|t| view! { <div><dt>"Template"</dt><dd>{format!("{} (version {})", t.name, t.version)}</dd></div> })}
            </dl>
            {(!pm.summary.trim().is_empty()).then(|| view! { <section><h2>"Summary"</h2>{paragraphs(&pm.summary)}</section> })}
            {placed_answers(&pm).into_iter().map(|(title, text)| view! {
                <section><h2>{title}</h2>{paragraphs(text)}</section>
            }).collect_view()}
            {(!homeless_answers(&pm).is_empty()).then(|| view! {
                <section>
                    <h2>"Other answers"</h2>
                    {homeless_answers(&pm).into_iter().map(|a| view! { <h3>{a.title.clone()}</h3>{paragraphs(&a.text)} }).collect_view()}
                </section>
            })}
            <section>
                <h2>"Key times"</h2>
                <p class="muted">{if offsets_vary {
                    format!("Times are in {zone}. The clocks changed during the incident, so each time shows its offset from UTC.")
                } else {
                    format!("Times are in {zone}.")
                }}</p>
                <table>
                    <tbody>
                        {KeyTime::ALL.iter().map(|k| view! {
                            <tr><th scope="row">{k.label()}</th><td>{or_dash(pm.key_times.get(*k).map(|t| show(&zone, t, clock, offsets_vary)))}</td></tr>
                        }).collect_view()}
                        {durations.labelled().into_iter().map(|(label, span)| view! {
                            <tr><th scope="row">{label}</th><td>{span.to_string()}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
            {(!pm.participants.is_empty()).then(|| view! {
                <section><h2>"Participants"</h2><ul>
                    {pm.participants.iter().map(|p| if p.name == p.role {
                        view! { <li><strong>{p.role.clone()}</strong></li> }.into_any()
                    } else {
                        view! { <li><strong>{or_dash(Some(p.role.clone()))}</strong>": "{p.name.clone()}</li> }.into_any()
                    }).collect_view()}
                </ul></section>
            })}
            {(!pm.impact.description.trim().is_empty() || !pm.impact.figures.is_empty()).then(|| view! {
                <section><h2>"Impact"</h2>{paragraphs(&pm.impact.description)}
                    <ul>{pm.impact.figures.iter().map(|f| view! { <li><strong>{f.name.clone()}</strong>": "{f.value.clone()}</li> }).collect_view()}</ul>
                </section>
            })}
            {(!pm.timeline.is_empty()).then(|| view! {
                <section><h2>"Timeline"</h2>
                    <table>
                        <thead><tr><th scope="col">"Time"</th><th scope="col">"Kind"</th><th scope="col">"What happened"</th><th scope="col">"Evidence"</th></tr></thead>
                        <tbody>{pm.timeline.iter().map(|e| view! {
                            <tr>
                                <td>
                                    {or_dash(e.at.map(|t| show(&zone, t, clock, offsets_vary)))}
                                    {e.at.zip(pm.key_times.impact_started).map(|(at, start)| view! {
                                        <br /><span class="muted">{relative_label(start.minutes_until(at))}</span>
                                    })}
                                </td>
                                <td>{e.kind.label()}</td>
                                <td>{e.description.clone()}{mark(e.from_contribution.is_some())}</td>
                                <td>{e.evidence.iter().map(|l| view! { <a href=l.to_string() rel="noopener noreferrer">{l.to_string()}</a><br /> }).collect_view()}</td>
                            </tr>
                        }).collect_view()}</tbody>
                    </table>
                </section>
            })}
            {(!pm.factors.is_empty()).then(|| view! {
                <section><h2>"Contributing factors"</h2><ul>
                    {pm.factors.iter().map(|f| view! {
                        <li><strong>{f.category.label()}": "</strong>{f.description.clone()}{mark(f.from_contribution.is_some())}
                            <ol>{f.whys.iter().map(|w| view! { <li>"Why? "{w.text.clone()}</li> }).collect_view()}</ol>
                        </li>
                    }).collect_view()}
                </ul></section>
            })}
            {(!pm.action_items.is_empty()).then(|| view! {
                <section><h2>"Action items"</h2>
                    <table>
                        <thead><tr><th scope="col">"Action"</th><th scope="col">"Type"</th><th scope="col">"Priority"</th><th scope="col">"Owner"</th><th scope="col">"Due"</th><th scope="col">"Status"</th><th scope="col">"Did it work?"</th></tr></thead>
                        <tbody>{pm.action_items.iter().map(|a| view! {
                            <tr>
                                <td>{a.description.clone()}{a.tracking.as_ref().map(|l| view! { <br /><a href=l.to_string() rel="noopener noreferrer">{l.to_string()}</a> })}</td>
                                <td>{a.kind.label()}</td><td>{a.priority.label()}</td><td>{or_dash(Some(a.owner.clone()))}</td>
                                <td>{or_dash(a.due.map(|d| d.format("%Y-%m-%d").to_string()))}</td>
                                <td>{a.status.label()}</td><td>{or_dash(a.verdict.map(|v| v.label().to_owned()))}</td>
                            </tr>
                        }).collect_view()}</tbody>
                    </table>
                </section>
            })}
            {LessonKind::ALL.iter().any(|k| !pm.lessons.list(*k).is_empty()).then(|| view! {
                <section><h2>"Lessons"</h2>
                    {LessonKind::ALL.into_iter().filter(|k| !pm.lessons.list(*k).is_empty()).map(|k| view! {
                        <h3>{k.label()}</h3>
                        <ul>{pm.lessons.list(k).iter().map(|e| view! { <li>{e.text.clone()}{mark(e.from_contribution.is_some())}</li> }).collect_view()}</ul>
                    }).collect_view()}
                </section>
            })}
            {pm.invitations.iter().any(|s| !s.contributions.is_empty()).then(|| view! {
                <section><h2>"Anonymous contributions"</h2>
                    {pm.invitations.iter().filter(|s| !s.contributions.is_empty()).map(|s| view! {
                        <h3>{s.invitation.title.clone()}</h3>
                        {answers_by_question(s).into_iter().map(|(q, answers)| view! {
                            <h4>{q.text.clone()}</h4>
                            <ul>{answers.into_iter().map(|(_, text)| view! { <li>{text.to_owned()}</li> }).collect_view()}</ul>
                        }).collect_view()}
                    }).collect_view()}
                </section>
            })}
        </article>
    }
}

/// The note after a row promoted from an anonymous contribution.
fn mark(anonymous: bool) -> Option<&'static str> {
    anonymous.then_some(" (from an anonymous contribution)")
}
