//! The learning report for a period (`/report?from=&to=&pick=&names=`): the period's
//! incidents and severity mix, the headline figures against the previous period, the top
//! themes, lessons gathered across postmortems, completed action items and successes, open
//! risks and a postmortem of the period. Drawn from `domain::learning`; the same report
//! downloads as GitHub-flavoured Markdown and prints without the page's controls.

use crate::domain::learning::{Gathered, Period, Report, TOP_THEMES, Theme, report, report_markdown, report_reads};
use crate::domain::{PostmortemId, Summary};
use crate::ui::browser::{download_text, encode};
use crate::ui::components::{Notice, NoticeKind};
use crate::ui::routes::{AppRoute, filters_changed};
use crate::ui::state::{Library, explain};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

/// The report's choices, as the address keeps them.
#[derive(Debug, Clone, PartialEq)]
struct Choice {
    period: Option<Period>,
    pick: Option<PostmortemId>,
    roles: bool,
}

fn choice_from_query(get: impl Fn(&str) -> Option<String>) -> Choice {
    let date = |k: &str| get(k).and_then(|v| NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok());
    let period = match (date("from"), date("to")) {
        (Some(from), Some(to)) if from <= to && (to - from).num_days() <= 3660 => Some(Period { from, to }),
        _ => None,
    };
    Choice {
        period,
        pick: get("pick").and_then(|p| PostmortemId::parse(&p)),
        roles: get("names").as_deref() != Some("kept"),
    }
}

fn choice_to_path(c: &Choice) -> String {
    let mut q = Vec::new();
    if let Some(p) = c.period {
        q.push(format!("from={}&to={}", p.from, p.to));
    }
    if let Some(id) = c.pick {
        q.push(format!("pick={}", encode(&id.to_string())));
    }
    if !c.roles {
        q.push("names=kept".to_owned());
    }
    format!("{}{}", AppRoute::Report.path(), if q.is_empty() { String::new() } else { format!("?{}", q.join("&")) })
}

/// The quarters that hold incidents, newest first (at most 12), or this quarter.
fn quarters(all: &[Summary]) -> Vec<Period> {
    let mut out: Vec<Period> = Vec::new();
    let mut days: Vec<NaiveDate> = all.iter().filter(|s| s.deleted_at.is_none()).map(Summary::incident_day).collect();
    days.sort_unstable_by(|a, b| b.cmp(a));
    for d in days {
        let q = Period::quarter_of(d);
        if !out.contains(&q) {
            out.push(q);
        }
        if out.len() >= 12 {
            break;
        }
    }
    if out.is_empty() {
        out.push(Period::quarter_of(chrono::Local::now().date_naive()));
    }
    out
}

#[component]
pub fn ReportPage() -> impl IntoView {
    let library = Library::expect();
    let query = use_query_map();
    let navigate = StoredValue::new_local(use_navigate());
    let error = RwSignal::new(None::<String>);
    let choice = Memo::new(move |_| query.with(|q| choice_from_query(|k| q.get(k))));
    let today = chrono::Local::now().date_naive();
    let options = Memo::new(move |_| library.summaries.with(|s| quarters(s)));
    let period = Memo::new(move |_| {
        choice
            .with(|c| c.period)
            .or_else(|| options.with(|o| o.first().copied()))
            .unwrap_or_else(|| Period::quarter_of(chrono::Local::now().date_naive()))
    });
    // Only the postmortems the report needs are read (a quarter's, not the whole library's).
    let read = Memo::new(move |_| {
        let reads = library.summaries.with(|s| report_reads(s, period.get(), today));
        library.these(&reads).map_err(|e| explain(&e))
    });
    let made = Memo::new(move |_| {
        let (pick, roles) = choice.with(|c| (c.pick, c.roles));
        read.with(|a| {
            a.as_ref().ok().map(|pms| library.summaries.with(|s| report(pms, s, period.get(), today, pick, roles)))
        })
    });
    let in_period = Memo::new(move |_| {
        let p = period.get();
        library.summaries.with(|list| {
            list.iter()
                .filter(|s| s.deleted_at.is_none() && p.contains(s.incident_day()))
                .map(|s| (s.id, s.display_title().to_owned()))
                .collect::<Vec<_>>()
        })
    });
    let set = move |change: &dyn Fn(&mut Choice)| {
        let mut c = choice.get_untracked();
        if c.period.is_none() {
            c.period = Some(period.get_untracked());
        }
        change(&mut c);
        let path = choice_to_path(&c);
        navigate.with_value(|go| go(&path, filters_changed()));
    };
    let download = move |_| {
        let Some(r) = made.get_untracked() else { return };
        let name = format!("learning-report-{}-to-{}.md", r.period.from, r.period.to);
        if let Err(e) = download_text(&name, &report_markdown(&r), "text/markdown") {
            error.set(Some(format!("The download did not start ({e}).")));
        }
    };
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    let date = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    view! {
        <div class="page report-page">
            <div class="no-print">
                <p class="breadcrumb"><A href=AppRoute::Metrics.href()>"Metrics"</A>" / "</p>
                <h1>"Learning report"</h1>
                <p class="lede">"What a period's postmortems taught: the figures against the period before, what keeps coming back, the lessons, the fixes that worked and the risks still open. Made to hand to the wider organisation."</p>
            </div>
            {move || error.get().map(|e| view! { <Notice kind=NoticeKind::Error message=e /> })}
            {move || read.get().err().map(|e| view! { <Notice kind=NoticeKind::Error message=e /> })}
            <form class="filters no-print" aria-label="Report period and options" on:submit=|ev| ev.prevent_default()>
                <div class="field">
                    <label for="report-quarter">"Quarter"</label>
                    <select id="report-quarter"
                        prop:value=move || { let p = period.get(); if p == Period::quarter_of(p.from) { p.from.to_string() } else { String::new() } }
                        on:change:target=move |ev| {
                            if let Ok(day) = NaiveDate::parse_from_str(&ev.target().value(), "%Y-%m-%d") {
                                set(&|c| { c.period = Some(Period::quarter_of(day)); c.pick = None; });
                            }
                        }>
                        <option value="">"Custom dates"</option>
                        {move || options.get().into_iter().map(|q| view! { <option value=q.from.to_string()>{q.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="report-from">"From"</label>
                    <input id="report-from" type="date" prop:value=move || date(period.get().from)
                        on:change:target=move |ev| if let Ok(d) = NaiveDate::parse_from_str(&ev.target().value(), "%Y-%m-%d") {
                            let to = period.get_untracked().to.max(d);
                            set(&|c| c.period = Some(Period { from: d, to }));
                        } />
                </div>
                <div class="field">
                    <label for="report-to">"To"</label>
                    <input id="report-to" type="date" prop:value=move || date(period.get().to)
                        on:change:target=move |ev| if let Ok(d) = NaiveDate::parse_from_str(&ev.target().value(), "%Y-%m-%d") {
                            let from = period.get_untracked().from.min(d);
                            set(&|c| c.period = Some(Period { from, to: d }));
                        } />
                </div>
                <div class="field">
                    <label for="report-pick">"Postmortem of the period"</label>
                    <select id="report-pick" prop:value=move || choice.with(|c| c.pick.map(|p| p.to_string()).unwrap_or_default())
                        on:change:target=move |ev| { let pick = PostmortemId::parse(&ev.target().value()); set(&|c| c.pick = pick) }>
                        <option value="">"None chosen"</option>
                        {move || in_period.get().into_iter().map(|(id, title)| view! { <option value=id.to_string()>{title}</option> }).collect_view()}
                    </select>
                </div>
                <label class="checkbox">
                    <input type="checkbox" id="report-roles" prop:checked=move || choice.with(|c| c.roles)
                        on:change:target=move |ev| { let on = ev.target().checked(); set(&|c| c.roles = on) } />
                    " Replace names with roles"
                </label>
            </form>
            <div class="notice-actions no-print">
                <button type="button" class="primary" id="report-markdown" on:click=download>"Download Markdown"</button>
                <button type="button" class="secondary" id="report-print" on:click=print>"Print or save as PDF"</button>
            </div>
            {move || made.get().map(|r| view! { <ReportView r=r /> })}
        </div>
    }
}

fn gathered(items: Vec<Gathered>, empty: &'static str) -> AnyView {
    if items.is_empty() {
        return view! { <p class="muted">{empty}</p> }.into_any();
    }
    view! {
        <ul>{items.into_iter().map(|g| {
            let due = g.due.map(|d| format!(", due {d}")).unwrap_or_default();
            view! { <li>{g.text}" "<span class="muted">{format!("({}{due})", g.from)}</span></li> }
        }).collect_view()}</ul>
    }
    .into_any()
}

fn theme_table(heading: &'static str, id: &'static str, themes: Vec<Theme>) -> Option<AnyView> {
    (!themes.is_empty()).then(|| {
        view! {
            <h3>{heading}</h3>
            <div class="table-wrap">
                <table id=id class="stacked">
                    <thead><tr><th scope="col">{heading}</th><th scope="col">"Postmortems"</th><th scope="col">"Previous period"</th><th scope="col">"Postmortems behind it"</th></tr></thead>
                    <tbody>
                        {themes.into_iter().take(TOP_THEMES).map(|t| view! {
                            <tr>
                                <th scope="row">{t.name.clone()}</th>
                                <td data-label="Postmortems: ">{t.postmortems.len()}</td>
                                <td data-label="Previous period: ">{t.before}</td>
                                <td>{t.postmortems.into_iter().map(|(id, title)| view! {
                                    <A href=AppRoute::Read(id).href()>{title}</A><br />
                                }).collect_view()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    })
}

#[component]
fn ReportView(r: Report) -> impl IntoView {
    let period = r.period;
    let previous = period.previous();
    let sentences: Vec<String> = r.figures.iter().map(|f| f.sentence(period)).collect();
    let more_overdue = r.overdue_more();
    let no_themes = r.themes.categories.is_empty() && r.themes.services.is_empty() && r.themes.tags.is_empty();
    view! {
        <article class="print-document learning-report" id="learning-report">
            <h2>{format!("Learning report: {}", period.label())}</h2>
            <p class="muted">{format!(
                "{} to {}, compared with {} ({} to {}).{}",
                period.from, period.to, period.previous_words(), previous.from, previous.to,
                if r.redacted { " Names are replaced with roles." } else { "" }
            )}</p>
            <h2>"Incidents"</h2>
            <p id="report-incidents">{r.incidents_sentence()}</p>
            <h2>"Trends"</h2>
            <div class="table-wrap">
                <table id="report-trends" class="stacked">
                    <thead><tr><th scope="col">"Figure"</th><th scope="col">"This period"</th><th scope="col">"Previous period"</th><th scope="col">"Change"</th></tr></thead>
                    <tbody>
                        {r.figures.iter().map(|f| view! {
                            <tr>
                                <th scope="row">{f.name}</th>
                                <td data-label="This period: ">{f.now_text()}</td>
                                <td data-label="Previous period: ">{f.before_text()}</td>
                                <td data-label="Change: ">{f.change_words()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <ul class="report-sentences">{sentences.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
            <h2>"Themes"</h2>
            {no_themes.then(|| view! { <p class="muted">"No contributing factors, services or tags recorded this period."</p> })}
            {theme_table("Contributing factors", "report-categories", r.themes.categories)}
            {theme_table("Services", "report-services", r.themes.services)}
            {theme_table("Tags", "report-tags", r.themes.tags)}
            <h2>"Lessons"</h2>
            {r.lessons.into_iter().map(|(kind, items)| view! {
                <h3>{kind.label()}</h3>
                {gathered(items, "None recorded.")}
            }).collect_view()}
            <h2>"Action items"</h2>
            <h3>{format!("Completed this period ({})", r.completed.len())}</h3>
            {gathered(r.completed, "None completed this period.")}
            <h3>{format!("Successes: completed and judged to have worked ({})", r.worked.len())}</h3>
            {gathered(r.worked, "None judged yet.")}
            <h2>"Open risks"</h2>
            <h3>{format!("Overdue ({})", r.overdue_total)}</h3>
            {gathered(r.overdue, "Nothing overdue.")}
            {more_overdue.map(|more| view! {
                <p id="report-overdue-more">{more}" "<A href=format!("{}?overdue=1", AppRoute::Actions.href()) attr:class="no-print" attr:id="report-all-overdue">"See every overdue item"</A></p>
            })}
            <h3>{format!("Dropped ({})", r.dropped.len())}</h3>
            {gathered(r.dropped, "Nothing dropped.")}
            {r.highlight.map(|(title, summary)| view! {
                <h2>{format!("Postmortem of the period: {title}")}</h2>
                {if summary.trim().is_empty() {
                    view! { <p class="muted">"No summary written."</p> }.into_any()
                } else {
                    summary.lines().filter(|l| !l.trim().is_empty()).map(|l| view! { <p>{l.to_owned()}</p> }).collect_view().into_any()
                }}
            })}
        </article>
    }
}
