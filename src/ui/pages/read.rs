//! A postmortem as a finished document: the read view, which Published and Closed
//! postmortems open in, and which prints cleanly (the browser's "Save as PDF"). Its
//! sections, their order and their names are the document outline's
//! (`domain::outline`), which the Markdown export follows too.

use super::editor::ReadViewReview;
use crate::domain::contribution::answers_by_question;
use crate::domain::durations::relative_label;
use crate::domain::model::Anchor;
use crate::domain::outline::{Content, outline};
use crate::domain::redact::redact_names;
use crate::domain::review;
use crate::domain::template::{Part, answer_text, homeless_answers};
use crate::domain::time::Clock;
use crate::domain::{KeyTime, LessonKind, Postmortem, PostmortemId, Status};
use crate::ui::clock::{browser_clock, show};
use crate::ui::components::{Notice, NoticeKind};
use crate::ui::routes::AppRoute;
use crate::ui::state::{Library, explain};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

/// The routes `/postmortems/:id/read` and `/postmortems/:id/print` (`?names=roles`
/// replaces names with roles).
#[component]
pub fn ReadPage() -> impl IntoView {
    let library = Library::expect();
    let params = use_params_map();
    let query = use_query_map();
    move || {
        let id = params.with(|p| p.get("id")).and_then(|raw| PostmortemId::parse(&raw));
        let redacted = query.with(|q| q.get("names").as_deref() == Some("roles"));
        match id.map(|id| library.load(&id)) {
            Some(Ok(pm)) if redacted => {
                let pm = redact_names(&pm);
                let live = RwSignal::new(pm.clone());
                view! { <Document pm redacted live /> }.into_any()
            }
            Some(Ok(pm)) => {
                // The review below edits (and saves) this copy; the document shows its
                // status and comments as they change.
                let live = RwSignal::new(pm.clone());
                view! {
                    <Document pm redacted live />
                    <div class="page read-review-page"><ReadViewReview pm=live /></div>
                }
                .into_any()
            }
            Some(Err(e)) => {
                view! { <div class="page"><Notice kind=NoticeKind::Error message=explain(&e) /></div> }.into_any()
            }
            None => view! {
                <section class="empty-state">
                    <h1>"Postmortem not found"</h1>
                    <p>"There is no postmortem at this address in this browser."</p>
                    <A href=AppRoute::Library.href()>"Go to the library"</A>
                </section>
            }
            .into_any(),
        }
    }
}

/// Where a postmortem opens from the library: Published and Closed ones read as documents.
pub fn opening_route(id: PostmortemId, status: Status) -> AppRoute {
    match status {
        Status::Published | Status::Closed => AppRoute::Read(id),
        Status::Draft | Status::InReview => AppRoute::Postmortem(id),
    }
}

fn or_dash(text: Option<String>) -> String {
    text.filter(|t| !t.trim().is_empty()).unwrap_or_else(|| "—".to_owned())
}

/// Paragraphs of text, one per line the author wrote.
fn paragraphs(text: &str) -> impl IntoView + use<> {
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| view! { <p>{l.to_owned()}</p> }).collect_view()
}

/// The note after a row promoted from an anonymous contribution.
fn mark(anonymous: bool) -> Option<&'static str> {
    anonymous.then_some(" (from an anonymous contribution)")
}

#[component]
fn Document(pm: Postmortem, redacted: bool, live: RwSignal<Postmortem>) -> impl IntoView {
    let editor = AppRoute::Postmortem(pm.id).href();
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    let outline = outline(&pm);
    let clock = browser_clock();
    let sections = outline
        .sections
        .iter()
        .map(|section| {
            let body = content(&pm, &section.content, outline.whys_apart, clock);
            let empty = body.is_none() && section.from_template;
            let here = section.clone();
            view! {
                <section class="document-section">
                    <h2>{section.title.clone()}</h2>
                    {body}
                    {empty.then(|| view! { <p class="muted not-answered">"Not answered yet."</p> })}
                    {move || open_comments(live, &here.title, !redacted, |a| review::shown_under(a, &here))}
                </section>
            }
        })
        .collect_view();
    view! {
        <article class="page print-document read-view">
            <div class="no-print print-toolbar">
                <A href=editor attr:class="button-link primary" attr:id="edit-postmortem">"Edit"</A>
                <button type="button" class="secondary" on:click=print>"Print or save as PDF"</button>
                {redacted.then(|| view! { <span class="muted">"Names are replaced with roles."</span> })}
            </div>
            <h1>{pm.display_title().to_owned()}</h1>
            <dl class="print-facts">
                <div><dt>"Status"</dt><dd id="read-status">{move || live.with(|p| p.status.label())}</dd></div>
                {review_facts(&pm)}
                <div><dt>"Severity"</dt><dd>{pm.severity.map(|s| format!("{} — {}", s.name(), s.definition())).unwrap_or_else(|| "Not set".into())}</dd></div>
                <div><dt>"Incident"</dt><dd>{or_dash(Some(pm.incident_ref.clone()))}</dd></div>
                <div><dt>"Services"</dt><dd>{or_dash(Some(pm.services.join(", ")))}</dd></div>
                <div><dt>"Tags"</dt><dd>{or_dash(Some(pm.tags.join(", ")))}</dd></div>
                {pm.template.as_ref().map(|t| view! { <div><dt>"Template"</dt><dd>{format!("{} (version {})", t.name, t.version)}</dd></div> })}
            </dl>
            {move || open_comments(live, "the postmortem as a whole", !redacted, |a| *a == Anchor::Whole)}
            {sections}
        </article>
    }
}

/// The open review comments `wanted` picks, as notes beside the document (not printed).
fn open_comments(
    live: RwSignal<Postmortem>,
    about: &str,
    linked: bool,
    wanted: impl Fn(&Anchor) -> bool,
) -> Option<AnyView> {
    live.with(|pm| {
        let open: Vec<_> = pm.review.open_comments().filter(|c| wanted(&c.anchor)).collect();
        (!open.is_empty()).then(|| {
            view! {
                <aside class="no-print doc-comments" aria-label=format!("Open review comments on {about}")>
                    <ul>
                        {open.into_iter().map(|c| {
                            let about = match c.anchor {
                                Anchor::Event(_) | Anchor::Factor(_) | Anchor::Action(_) => Some(format!("{} — ", review::anchor_label(&c.anchor, pm))),
                                _ => None,
                            };
                            view! { <li><strong>{c.author.clone()}": "</strong>{about}{c.text.clone()}</li> }
                        }).collect_view()}
                    </ul>
                    {linked.then(|| view! { <a href="#review">"Reply or resolve in Review"</a> })}
                </aside>
            }
            .into_any()
        })
    })
}

/// Who wrote and who reviewed it, the meeting and the approval, when they are recorded.
fn review_facts(pm: &Postmortem) -> impl IntoView + use<> {
    let review = &pm.review;
    let listed = |names: &[String]| (!names.is_empty()).then(|| names.join(", "));
    let approval =
        review.approval().map(|a| format!("{}, {}", a.by, a.at.with_timezone(&chrono::Local).format("%Y-%m-%d")));
    view! {
        {listed(&review.authors).map(|a| view! { <div><dt>"Authors"</dt><dd>{a}</dd></div> })}
        {listed(&review.reviewers).map(|r| view! { <div><dt>"Reviewers"</dt><dd>{r}</dd></div> })}
        {review.meeting.map(|d| view! { <div><dt>"Review meeting"</dt><dd class="date-cell">{d.format("%Y-%m-%d").to_string()}</dd></div> })}
        {approval.map(|a| view! { <div><dt>"Approved by"</dt><dd>{a}</dd></div> })}
    }
}

/// The body of one section; `None` when there is nothing in it.
fn content(pm: &Postmortem, content: &Content, whys_apart: bool, clock: Clock) -> Option<AnyView> {
    match content {
        Content::KeyTimes => Some(key_times(pm, clock)),
        Content::Text(key) => {
            answer_text(pm, key).filter(|t| !t.trim().is_empty()).map(|t| paragraphs(t).into_any())
        }
        Content::Part(part) => part_view(pm, *part, whys_apart, clock),
        Content::Lessons { kinds, headed } => lessons(pm, kinds, *headed),
        Content::OtherAnswers => Some(
            homeless_answers(pm)
                .into_iter()
                .map(|a| view! { <h3>{a.title.clone()}</h3>{paragraphs(&a.text)} })
                .collect_view()
                .into_any(),
        ),
        Content::Contributions => Some(
            pm.invitations
                .iter()
                .filter(|s| !s.contributions.is_empty())
                .map(|s| {
                    view! {
                        <h3>{s.invitation.title.clone()}</h3>
                        {answers_by_question(s).into_iter().map(|(q, answers)| view! {
                            <h4>{q.text.clone()}</h4>
                            <ul>{answers.into_iter().map(|(_, text)| view! { <li>{text.to_owned()}</li> }).collect_view()}</ul>
                        }).collect_view()}
                    }
                })
                .collect_view()
                .into_any(),
        ),
    }
}

fn key_times(pm: &Postmortem, clock: Clock) -> AnyView {
    let zone = pm.key_times.time_zone.clone();
    let offsets_vary = pm.offsets_vary();
    let note = if offsets_vary {
        format!("Times are in {zone}. The clocks changed during the incident, so each time shows its offset from UTC.")
    } else {
        format!("Times are in {zone}.")
    };
    view! {
        <p class="muted">{note}</p>
        <table>
            <tbody>
                {KeyTime::ALL.iter().map(|k| view! {
                    <tr><th scope="row">{k.label()}</th><td>{or_dash(pm.key_times.get(*k).map(|t| show(&zone, t, clock, offsets_vary)))}</td></tr>
                }).collect_view()}
                {pm.durations().labelled().into_iter().map(|(label, span)| view! {
                    <tr><th scope="row">{label}</th><td>{span.to_string()}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

fn part_view(pm: &Postmortem, part: Part, whys_apart: bool, clock: Clock) -> Option<AnyView> {
    let zone = pm.key_times.time_zone.clone();
    let offsets_vary = pm.offsets_vary();
    Some(match part {
        Part::Summary if !pm.summary.trim().is_empty() => paragraphs(&pm.summary).into_any(),
        Part::Participants if !pm.participants.is_empty() => view! {
            <ul>
                {pm.participants.iter().map(|p| if p.name == p.role {
                    view! { <li><strong>{p.role.clone()}</strong></li> }.into_any()
                } else {
                    view! { <li><strong>{or_dash(Some(p.role.clone()))}</strong>": "{p.name.clone()}</li> }.into_any()
                }).collect_view()}
            </ul>
        }
        .into_any(),
        Part::Impact if !pm.impact.description.trim().is_empty() || !pm.impact.figures.is_empty() => view! {
            {paragraphs(&pm.impact.description)}
            {(!pm.impact.figures.is_empty()).then(|| view! {
                <ul>{pm.impact.figures.iter().map(|f| view! { <li><strong>{f.name.clone()}</strong>": "{f.value.clone()}</li> }).collect_view()}</ul>
            })}
        }
        .into_any(),
        Part::Timeline if !pm.timeline.is_empty() => view! {
            <table class="timeline-table stacked">
                <thead><tr><th scope="col">"Time"</th><th scope="col">"T+"</th><th scope="col">"Kind"</th><th scope="col">"What happened"</th><th scope="col">"Evidence"</th></tr></thead>
                <tbody>{pm.timeline.iter().map(|e| view! {
                    <tr>
                        <td class="date-cell">{or_dash(e.at.map(|t| show(&zone, t, clock, offsets_vary)))}</td>
                        <td class="date-cell">{or_dash(e.at.zip(pm.key_times.impact_started).map(|(at, start)| relative_label(start.minutes_until(at))))}</td>
                        <td data-label="Kind: ">{e.kind.label()}</td>
                        <td class="prose-cell">{e.description.clone()}{mark(e.from_contribution.is_some())}</td>
                        <td>{e.evidence.iter().map(|l| view! { <a href=l.to_string() rel="noopener noreferrer">{l.to_string()}</a><br /> }).collect_view()}</td>
                    </tr>
                }).collect_view()}</tbody>
            </table>
        }
        .into_any(),
        Part::Factors | Part::Whys if !pm.factors.is_empty() => {
            let only_whys = part == Part::Whys;
            let factors: Vec<_> = pm.factors.iter().filter(|f| !only_whys || !f.whys.is_empty()).collect();
            if factors.is_empty() {
                return None;
            }
            let with_whys = only_whys || !whys_apart;
            view! {
                <ul>
                    {factors.into_iter().map(|f| view! {
                        <li><strong>{f.category.label()}": "</strong>{f.description.clone()}{mark(f.from_contribution.is_some())}
                            {(with_whys && !f.whys.is_empty()).then(|| view! {
                                <ol>{f.whys.iter().map(|w| view! { <li>"Why? "{w.text.clone()}</li> }).collect_view()}</ol>
                            })}
                        </li>
                    }).collect_view()}
                </ul>
            }
            .into_any()
        }
        Part::Actions if !pm.action_items.is_empty() => view! {
            <table class="stacked">
                <thead><tr><th scope="col">"Action"</th><th scope="col">"Type"</th><th scope="col">"Priority"</th><th scope="col">"Owner"</th><th scope="col">"Due"</th><th scope="col">"Status"</th><th scope="col">"Did it work?"</th></tr></thead>
                <tbody>{pm.action_items.iter().map(|a| view! {
                    <tr>
                        <td class="prose-cell">{a.description.clone()}{a.tracking.as_ref().map(|l| view! { <br /><a href=l.to_string() rel="noopener noreferrer">{l.to_string()}</a> })}</td>
                        <td data-label="Type: ">{a.kind.label()}</td><td data-label="Priority: ">{a.priority.label()}</td><td data-label="Owner: ">{or_dash(Some(a.owner.clone()))}</td>
                        <td class="date-cell" data-label="Due: ">{or_dash(a.due.map(|d| d.format("%Y-%m-%d").to_string()))}</td>
                        <td data-label="Status: ">{a.status.label()}</td><td data-label="Did it work? ">{or_dash(a.verdict.map(|v| v.label().to_owned()))}</td>
                    </tr>
                }).collect_view()}</tbody>
            </table>
        }
        .into_any(),
        Part::Lessons | Part::WentWell | Part::WentWrong | Part::GotLucky => {
            return lessons(pm, part.lesson_kinds(), part == Part::Lessons);
        }
        _ => return None,
    })
}

fn lessons(pm: &Postmortem, kinds: &[LessonKind], headed: bool) -> Option<AnyView> {
    let filled: Vec<LessonKind> = kinds.iter().copied().filter(|k| !pm.lessons.list(*k).is_empty()).collect();
    if filled.is_empty() {
        return None;
    }
    Some(
        filled
            .into_iter()
            .map(|k| {
                view! {
                    {headed.then(|| view! { <h3>{k.label()}</h3> })}
                    <ul>{pm.lessons.list(k).iter().map(|e| view! { <li>{e.text.clone()}{mark(e.from_contribution.is_some())}</li> }).collect_view()}</ul>
                }
            })
            .collect_view()
            .into_any(),
    )
}
