//! Learning metrics over a chosen period: incidents by month and severity, time to detect,
//! mitigate and resolve, time between incidents, follow-through and repeats. Every chart
//! has a table of the same numbers and a CSV download.

use crate::domain::Severity;
use crate::domain::durations::format_minutes;
use crate::domain::learning::practice;
use crate::domain::metrics::{DurationMetric, Filter, Metrics, Stats, compute, csv};
use crate::domain::{Postmortem, PostmortemId};
use crate::ui::browser::download_text;
use crate::ui::browser::encode;
use crate::ui::components::{BarChart, Notice, NoticeKind, StripPlot};
use crate::ui::routes::{AppRoute, filters_changed};
use crate::ui::state::{Library, explain, remember_publish_target, stored_publish_target};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

fn filter_from_query(get: impl Fn(&str) -> Option<String>) -> Filter {
    let date = |k: &str| get(k).and_then(|v| NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok());
    Filter {
        from: date("from"),
        to: date("to"),
        severity: get("sev").and_then(|v| v.parse().ok()).and_then(Severity::new),
        tag: get("tag").map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()),
        service: get("service").map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()),
    }
}

fn filter_to_query(f: &Filter) -> String {
    let mut q = Vec::new();
    if let Some(d) = f.from {
        q.push(format!("from={d}"));
    }
    if let Some(d) = f.to {
        q.push(format!("to={d}"));
    }
    if let Some(s) = f.severity {
        q.push(format!("sev={}", s.level()));
    }
    if let Some(t) = &f.tag {
        q.push(format!("tag={}", encode(t)));
    }
    if let Some(s) = &f.service {
        q.push(format!("service={}", encode(s)));
    }
    if q.is_empty() { String::new() } else { format!("?{}", q.join("&")) }
}

fn minutes(v: Option<f64>) -> String {
    v.map(|m| format_minutes(m.round() as i64)).unwrap_or_else(|| "—".to_owned())
}

/// A whole number as it is, anything else with one decimal.
fn number(v: f64) -> String {
    if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v:.1}") }
}

fn days(v: Option<f64>) -> String {
    v.map(|d| format!("{d:.1} days")).unwrap_or_else(|| "—".to_owned())
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 { "—".to_owned() } else { format!("{:.0}%", 100.0 * part as f64 / whole as f64) }
}

fn save_csv(name: &str, text: &str, error: RwSignal<Option<String>>) {
    if let Err(e) = download_text(name, text, "text/csv") {
        error.set(Some(format!("The CSV download did not start ({e}).")));
    }
}

/// A "Download CSV" button for a table: `make` writes the CSV when it is pressed.
#[component]
fn CsvButton(
    name: &'static str,
    make: impl Fn() -> Option<String> + Send + Sync + 'static,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    view! {
        <button type="button" class="secondary small no-print" on:click=move |_| {
            if let Some(text) = make() { save_csv(name, &text, error) }
        }>"Download CSV"</button>
    }
}

/// How many months the themes' month-by-month tables cover, and how many themes of each kind.
const TREND_MONTHS: usize = 12;
const TREND_THEMES: usize = 5;

const TIME_COLUMNS: [&str; 9] = [
    "median minutes to detect",
    "shortest minutes to detect",
    "longest minutes to detect",
    "median minutes to mitigate",
    "shortest minutes to mitigate",
    "longest minutes to mitigate",
    "median minutes to resolve",
    "shortest minutes to resolve",
    "longest minutes to resolve",
];

fn trends_csv(rows: &[crate::domain::learning::QuarterRow]) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut row = vec![r.quarter.label(), r.incidents.to_string()];
            for t in &r.times {
                let v = |f: fn(&Stats) -> f64| t.as_ref().map(|s| format!("{:.0}", f(s))).unwrap_or_default();
                row.extend([v(|s| s.median), v(|s| s.min), v(|s| s.max)]);
            }
            row
        })
        .collect();
    let mut header = vec!["quarter", "incidents"];
    header.extend(TIME_COLUMNS);
    csv(&header, &rows)
}

fn themes_csv(t: &crate::domain::learning::Themes) -> String {
    let rows: Vec<Vec<String>> = [("contributing factor", &t.categories), ("service", &t.services), ("tag", &t.tags)]
        .into_iter()
        .flat_map(|(kind, list)| {
            list.iter().map(move |theme| {
                vec![
                    kind.to_owned(),
                    theme.name.clone(),
                    theme.postmortems.len().to_string(),
                    theme.before.to_string(),
                    theme.postmortems.iter().map(|(_, title)| title.as_str()).collect::<Vec<_>>().join("; "),
                ]
            })
        })
        .collect();
    csv(&["kind", "name", "postmortems", "period before", "which"], &rows)
}

fn repeats_fixes_csv(list: &[crate::domain::fixes::Repeat]) -> String {
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|r| {
            let mut row = vec![
                r.kind.to_lowercase(),
                r.name.clone(),
                r.incidents.to_string(),
                r.fixed_on.map(|d| d.to_string()).unwrap_or_default(),
                r.before.to_string(),
                r.after.to_string(),
            ];
            row.extend(r.verdicts.iter().map(usize::to_string));
            row
        })
        .collect();
    csv(
        &[
            "kind",
            "name",
            "incidents",
            "first fix done",
            "incidents before",
            "incidents after",
            "worked",
            "partly",
            "did not work",
            "not known yet",
        ],
        &rows,
    )
}

fn verdicts_csv(list: &[(crate::domain::ActionType, [usize; 4])]) -> String {
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|(kind, v)| std::iter::once(kind.label().to_owned()).chain(v.iter().map(usize::to_string)).collect())
        .collect();
    csv(&["type", "worked", "partly", "did not work", "not known yet"], &rows)
}

fn ages_csv(ages: &[usize]) -> String {
    use crate::domain::fixes::AGE_BANDS;
    let rows: Vec<Vec<String>> =
        AGE_BANDS.iter().zip(ages).map(|(band, n)| vec![(*band).to_owned(), n.to_string()]).collect();
    csv(&["age", "open items"], &rows)
}

fn completion_csv(
    owners: &[(String, crate::domain::fixes::Completion)],
    priorities: &[(crate::domain::Priority, crate::domain::fixes::Completion)],
) -> String {
    let row = |group: &str, name: String, c: &crate::domain::fixes::Completion| {
        vec![
            group.to_owned(),
            name,
            c.done.to_string(),
            c.dropped.to_string(),
            c.open.to_string(),
            c.closed_percent().map(|p| p.to_string()).unwrap_or_default(),
        ]
    };
    let rows: Vec<Vec<String>> = owners
        .iter()
        .map(|(o, c)| row("owner", if o.is_empty() { "No owner".to_owned() } else { o.clone() }, c))
        .chain(priorities.iter().map(|(p, c)| row("priority", p.label().to_owned(), c)))
        .collect();
    csv(&["by", "name", "done", "dropped", "open", "closed percent"], &rows)
}

fn practice_csv(p: &crate::domain::learning::Practice) -> String {
    let rows: Vec<Vec<String>> = p
        .findings_by_month
        .iter()
        .map(|(m, n, f)| {
            vec![m.label(), n.to_string(), f.to_string(), format!("{:.1}", *f as f64 / (*n).max(1) as f64)]
        })
        .collect();
    csv(&["month published", "published", "open wording suggestions", "per postmortem"], &rows)
}

fn per_month_csv(m: &Metrics) -> String {
    let rows: Vec<Vec<String>> = m
        .per_month
        .iter()
        .map(|(month, c)| {
            let mut row = vec![month.label()];
            row.extend(c.iter().map(usize::to_string));
            row.push(c.iter().sum::<usize>().to_string());
            row
        })
        .collect();
    csv(&["month", "SEV1", "SEV2", "SEV3", "SEV4", "no severity", "total"], &rows)
}

fn durations_csv(m: &Metrics) -> String {
    let row = |name: &str, d: &DurationMetric| {
        let s = |f: fn(&Stats) -> f64| d.stats.as_ref().map(|st| format!("{:.0}", f(st))).unwrap_or_default();
        vec![
            name.to_owned(),
            d.minutes.len().to_string(),
            d.missing.to_string(),
            d.out_of_order.to_string(),
            s(|s| s.median),
            s(|s| s.p90),
            s(|s| s.mean),
        ]
    };
    csv(
        &[
            "metric",
            "incidents",
            "missing a time",
            "times out of order",
            "median minutes",
            "p90 minutes",
            "mean minutes",
        ],
        &[
            row("time to detect", &m.to_detect),
            row("time to mitigate", &m.to_mitigate),
            row("time to resolve", &m.to_resolve),
        ],
    )
}

fn actions_csv(m: &Metrics) -> String {
    let rows: Vec<Vec<String>> =
        m.actions_per_month.iter().map(|(month, c, d)| vec![month.label(), c.to_string(), d.to_string()]).collect();
    csv(&["month", "created", "completed"], &rows)
}

fn repeats_csv(m: &Metrics) -> String {
    let rows: Vec<Vec<String>> = m
        .repeat_services
        .iter()
        .map(|(n, c)| vec!["service".to_owned(), n.clone(), c.to_string()])
        .chain(m.repeat_tags.iter().map(|(n, c)| vec!["tag".to_owned(), n.clone(), c.to_string()]))
        .collect();
    csv(&["kind", "name", "incidents"], &rows)
}

/// The route `/metrics`.
#[component]
pub fn MetricsPage() -> impl IntoView {
    let library = Library::expect();
    let query = use_query_map();
    let navigate = StoredValue::new_local(use_navigate());
    let error = RwSignal::new(None::<String>);
    let filter = Memo::new(move |_| query.with(|q| filter_from_query(|k| q.get(k))));
    let all = Memo::new(move |_| {
        library.summaries.track();
        library.all_postmortems().map_err(|e| explain(&e))
    });
    let metrics = Memo::new(move |_| all.with(|a| a.as_ref().ok().map(|pms| filter.with(|f| compute(pms, f)))));
    let set_filter = move |change: &dyn Fn(&mut Filter)| {
        let mut f = filter.get_untracked();
        change(&mut f);
        let path = format!("{}{}", AppRoute::Metrics.path(), filter_to_query(&f));
        navigate.with_value(|go| go(&path, filters_changed()));
    };
    let date_value = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();

    view! {
        <div class="page metrics-page">
            <div class="page-head">
                <div>
                    <h1>"Metrics"</h1>
                    <p class="lede">"How often incidents happen, how long they take to detect and resolve, and whether follow-up work gets done. Medians and 90th percentiles, because a few long incidents skew the mean."</p>
                </div>
                <div class="head-actions no-print">
                    <A href=AppRoute::Report.href() attr:class="button-link" attr:id="open-report">"Learning report"</A>
                </div>
            </div>
            {move || error.get().map(|e| view! { <Notice kind=NoticeKind::Error message=e /> })}
            {move || all.get().err().map(|e| view! { <Notice kind=NoticeKind::Error message=e /> })}
            <p class="print-only filters-summary">{move || filter.with(|f| f.describe())}</p>
            <form class="filters no-print" aria-label="Period and filters" on:submit=|ev| ev.prevent_default()>
                <div class="field">
                    <label for="metrics-from">"From"</label>
                    <input id="metrics-from" type="date" prop:value=move || date_value(filter.with(|f| f.from))
                        on:change:target=move |ev| { let d = NaiveDate::parse_from_str(&ev.target().value(), "%Y-%m-%d").ok(); set_filter(&|f| f.from = d) } />
                </div>
                <div class="field">
                    <label for="metrics-to">"To"</label>
                    <input id="metrics-to" type="date" prop:value=move || date_value(filter.with(|f| f.to))
                        on:change:target=move |ev| { let d = NaiveDate::parse_from_str(&ev.target().value(), "%Y-%m-%d").ok(); set_filter(&|f| f.to = d) } />
                </div>
                <div class="field">
                    <label for="metrics-sev">"Severity"</label>
                    <select id="metrics-sev" prop:value=move || filter.with(|f| f.severity.map(|s| s.level().to_string()).unwrap_or_default())
                        on:change:target=move |ev| { let s = ev.target().value().parse().ok().and_then(Severity::new); set_filter(&|f| f.severity = s) }>
                        <option value="">"Any"</option>
                        {Severity::all().map(|s| view! { <option value=s.level().to_string()>{s.name()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="metrics-tag">"Tag"</label>
                    <input id="metrics-tag" type="search" placeholder="Any" prop:value=move || filter.with(|f| f.tag.clone().unwrap_or_default())
                        on:change:target=move |ev| { let v = ev.target().value(); set_filter(&|f| f.tag = Some(v.clone()).filter(|t| !t.trim().is_empty())) } />
                </div>
                <div class="field">
                    <label for="metrics-service">"Service"</label>
                    <input id="metrics-service" type="search" placeholder="Any" prop:value=move || filter.with(|f| f.service.clone().unwrap_or_default())
                        on:change:target=move |ev| { let v = ev.target().value(); set_filter(&|f| f.service = Some(v.clone()).filter(|t| !t.trim().is_empty())) } />
                </div>
                <button type="button" class="ghost" on:click=move |_| set_filter(&|f| *f = Filter::default())>"All time, no filters"</button>
            </form>
            {move || metrics.get().map(|m| view! { <MetricsBody m error /> })}
            <Show when=move || metrics.with(|m| m.as_ref().is_some_and(|m| m.incidents > 0))>
                <TrendsSection all=all filter=filter error />
                <ThemesSection all=all filter=filter error />
                <FixesSection all=all filter=filter error />
                <PracticeSection all=all filter=filter error />
            </Show>
        </div>
    }
}

/// Trends: each quarter's incidents and times (median, with the shortest and longest), and
/// the headline figures of the chosen period (or the latest quarter) against the one before.
#[component]
fn TrendsSection(
    all: Memo<Result<Vec<Postmortem>, String>>,
    filter: Memo<Filter>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    use crate::domain::learning::{Period, figures, quarterly};
    let spread = |s: Option<Stats>| {
        s.map_or("—".to_owned(), |s| {
            if s.count == 1 {
                minutes(Some(s.median))
            } else {
                format!("{} ({} to {})", minutes(Some(s.median)), minutes(Some(s.min)), minutes(Some(s.max)))
            }
        })
    };
    let body = move || {
        all.with(|a| {
            a.as_ref().ok().map(|pms| {
                let f = filter.get();
                let rows = quarterly(pms, &f);
                let period = match (f.from, f.to) {
                    (Some(from), Some(to)) if from <= to => Some(Period { from, to }),
                    _ => rows.last().map(|r| r.quarter),
                };
                let sentences: Vec<String> =
                    period.map(|p| figures(pms, p, &f).iter().map(|c| c.sentence(p)).collect()).unwrap_or_default();
                (rows, period, sentences)
            })
        })
    };
    view! {
        <section class="card" id="trends">
            <div class="card-head"><h2>"Trends"</h2>
                <CsvButton name="debrief-trends-by-quarter.csv" error make=move || body().map(|(rows, _, _)| trends_csv(&rows)) /></div>
            {move || body().map(|(rows, period, sentences)| view! {
                {period.map(|p| view! { <p class="help">{format!("{}, against {}:", p.label(), p.previous_words())}</p> })}
                <ul class="report-sentences" data-testid="trend-sentences">{sentences.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
                <div class="table-wrap"><table class="data-table numbers" data-testid="trends-table">
                    <thead><tr><th scope="col">"Quarter"</th><th scope="col">"Incidents"</th><th scope="col">"Time to detect"</th><th scope="col">"Time to mitigate"</th><th scope="col">"Time to resolve"</th></tr></thead>
                    <tbody>{rows.into_iter().map(|r| view! {
                        <tr><th scope="row">{r.quarter.label()}</th><td>{r.incidents}</td>
                            {r.times.into_iter().map(|t| view! { <td>{spread(t)}</td> }).collect_view()}</tr>
                    }).collect_view()}</tbody>
                </table></div>
                <p class="help">"Median, with the shortest and longest in brackets."</p>
            })}
        </section>
    }
}

/// What keeps coming back in the chosen period (or the latest quarter): contributing-factor
/// categories, services and tags, each with the postmortems behind it.
#[component]
fn ThemesSection(
    all: Memo<Result<Vec<Postmortem>, String>>,
    filter: Memo<Filter>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    use crate::domain::learning::{Period, Theme, ThemeTrend, theme_trends, themes, trend_months};
    use crate::domain::metrics::incident_date;
    let body = move || {
        all.with(|a| {
            a.as_ref().ok().map(|pms| {
                let f = filter.get();
                let period = match (f.from, f.to) {
                    (Some(from), Some(to)) if from <= to => Period { from, to },
                    _ => {
                        let last = pms.iter().filter(|pm| f.matches(pm)).map(incident_date).max();
                        Period::quarter_of(last.unwrap_or_else(|| chrono::Local::now().date_naive()))
                    }
                };
                // Severity, tag and service filters apply; the dates are the period's.
                let undated = Filter { from: None, to: None, ..f.clone() };
                let chosen: Vec<&Postmortem> = pms.iter().filter(|pm| undated.matches(pm)).collect();
                let months = trend_months(period.to, TREND_MONTHS);
                (period, themes(&chosen, period), theme_trends(&chosen, &months, TREND_THEMES))
            })
        })
    };
    let trend_table = |heading: &'static str,
                       id: &'static str,
                       file: &'static str,
                       trend: ThemeTrend,
                       chart: bool,
                       error| {
        (!trend.names.is_empty()).then(|| {
            let rows: Vec<(String, Vec<usize>)> =
                trend.months.iter().zip(&trend.counts).map(|(m, c)| (m.label(), c.clone())).collect();
            let csv_text = trend.csv();
            view! {
                <div class="table-head"><h4>{heading}</h4>
                    <CsvButton name=file error make=move || Some(csv_text.clone()) /></div>
                {chart.then(|| view! {
                    <BarChart title=format!("{heading} by month") stacked=true calm=true series=trend.names.clone() rows=rows.clone() />
                })}
                <div class="table-wrap"><table class="data-table numbers" data-testid=id>
                    <thead><tr><th scope="col">"Month"</th>{trend.names.iter().map(|n| view! { <th scope="col">{n.clone()}</th> }).collect_view()}</tr></thead>
                    <tbody>{rows.into_iter().map(|(m, c)| view! {
                        <tr><th scope="row">{m}</th>{c.into_iter().map(|n| view! { <td>{n}</td> }).collect_view()}</tr>
                    }).collect_view()}</tbody>
                </table></div>
            }
        })
    };
    let table = |heading: &'static str, list: Vec<Theme>| {
        (!list.is_empty()).then(|| view! {
            <h3>{heading}</h3>
            <div class="table-wrap"><table class="data-table stacked">
                <thead><tr><th scope="col">{heading}</th><th scope="col">"Postmortems"</th><th scope="col">"Period before"</th><th scope="col">"Which"</th></tr></thead>
                <tbody>{list.into_iter().take(10).map(|t| view! {
                    <tr><th scope="row">{t.name.clone()}</th><td data-label="Postmortems: ">{t.postmortems.len()}</td><td data-label="Period before: ">{t.before}</td>
                        <td>{t.postmortems.into_iter().map(|(id, title)| view! { <A href=AppRoute::Read(id).href()>{title}</A><br /> }).collect_view()}</td></tr>
                }).collect_view()}</tbody>
            </table></div>
        })
    };
    view! {
        <section class="card" id="themes">
            <div class="card-head"><h2>"Themes"</h2>
                <CsvButton name="debrief-themes.csv" error make=move || body().map(|(_, t, _)| themes_csv(&t)) /></div>
            {move || body().map(|(period, t, trends)| {
                let empty = t.categories.is_empty() && t.services.is_empty() && t.tags.is_empty();
                view! {
                    <p class="help">{format!("What the postmortems of {} share, most frequent first, with the count in {}.", period.label(), period.previous_words())}</p>
                    {empty.then(|| view! { <p class="empty-note">"No contributing factors, services or tags recorded in this period."</p> })}
                    {table("Contributing factors", t.categories)}
                    {table("Services", t.services)}
                    {table("Tags", t.tags)}
                    <h3>"Month by month"</h3>
                    <p class="help">{format!(
                        "The {TREND_THEMES} most frequent of each over the {TREND_MONTHS} months to {}: how many postmortems had each, by the month the incident started.",
                        period.to.format("%B %Y")
                    )}</p>
                    {trend_table("Contributing factors", "theme-trend-categories", "debrief-factor-categories-by-month.csv", trends.categories, true, error)}
                    {trend_table("Services", "theme-trend-services", "debrief-services-by-month.csv", trends.services, false, error)}
                    {trend_table("Tags", "theme-trend-tags", "debrief-tags-by-month.csv", trends.tags, false, error)}
                }
            })}
        </section>
    }
}

/// Did the fixes work: repeats before and after their fixes, verdicts by type, open items by
/// age, completion by owner and priority.
#[component]
fn FixesSection(
    all: Memo<Result<Vec<Postmortem>, String>>,
    filter: Memo<Filter>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    use crate::domain::fixes::{AGE_BANDS, Completion, by_owner, by_priority, open_by_age, repeats, verdicts_by_type};
    let today = chrono::Local::now().date_naive();
    let body = move || {
        all.with(|a| {
            a.as_ref().ok().map(|pms| {
                let chosen: Vec<&Postmortem> = filter.with(|f| pms.iter().filter(|pm| f.matches(pm)).collect());
                (
                    repeats(&chosen),
                    verdicts_by_type(&chosen),
                    open_by_age(&chosen, today),
                    by_owner(&chosen),
                    by_priority(&chosen),
                )
            })
        })
    };
    let completion_row = |name: String, c: Completion| {
        view! {
            <tr><th scope="row">{name}</th><td>{c.done}</td><td>{c.dropped}</td><td>{c.open}</td>
                <td>{c.closed_percent().map_or("—".to_owned(), |p| format!("{p}%"))}</td></tr>
        }
    };
    view! {
        <section class="card" id="fixes">
            <div class="card-head"><h2>"Did the fixes work?"</h2></div>
            {move || body().map(|(repeated, verdicts, ages, owners, priorities)| view! {
                <div class="table-head"><h3>"Repeats before and after their fixes"</h3>
                    <CsvButton name="debrief-repeats-and-fixes.csv" error make=move || body().map(|b| repeats_fixes_csv(&b.0)) /></div>
                <p class="help">"For each service or tag with more than one incident: the day its first prevent or mitigate item was done, the incidents that started before and on or after that day, and the verdicts of those items."</p>
                {if repeated.is_empty() {
                    view! { <p class="empty-note">"No service or tag appears in more than one incident."</p> }.into_any()
                } else {
                    view! {
                        <div class="table-wrap"><table class="data-table stacked" data-testid="fixes-repeats">
                            <thead><tr><th scope="col">"Service or tag"</th><th scope="col">"Incidents"</th><th scope="col">"First fix done"</th><th scope="col">"Before"</th><th scope="col">"After"</th><th scope="col">"Verdicts"</th></tr></thead>
                            <tbody>{repeated.into_iter().map(|r| view! {
                                <tr>
                                    <th scope="row">{format!("{}: {}", r.kind, r.name)}</th>
                                    <td data-label="Incidents: ">{r.incidents}</td>
                                    <td class="date-cell" data-label="First fix done: ">{r.fixed_on.map_or("none done yet".to_owned(), |d| d.format("%Y-%m-%d").to_string())}</td>
                                    <td data-label="Before: ">{r.before}</td><td data-label="After: ">{r.after}</td>
                                    <td data-label="Verdicts: ">{format!("{} worked, {} partly, {} did not, {} not known yet", r.verdicts[0], r.verdicts[1], r.verdicts[2], r.verdicts[3])}</td>
                                </tr>
                            }).collect_view()}</tbody>
                        </table></div>
                    }.into_any()
                }}
                <div class="table-head"><h3>"Verdicts by action type"</h3>
                    <CsvButton name="debrief-verdicts-by-type.csv" error make=move || body().map(|b| verdicts_csv(&b.1)) /></div>
                {if verdicts.is_empty() {
                    view! { <p class="empty-note">"No action item is done yet."</p> }.into_any()
                } else {
                    view! {
                        <div class="table-wrap"><table class="data-table numbers" data-testid="fixes-verdicts">
                            <thead><tr><th scope="col">"Type"</th><th scope="col">"Worked"</th><th scope="col">"Partly"</th><th scope="col">"Did not work"</th><th scope="col">"Not known yet"</th></tr></thead>
                            <tbody>{verdicts.into_iter().map(|(kind, v)| view! {
                                <tr><th scope="row">{kind.label()}</th>{v.iter().map(|n| view! { <td>{*n}</td> }).collect_view()}</tr>
                            }).collect_view()}</tbody>
                        </table></div>
                    }.into_any()
                }}
                <div class="table-head"><h3>"Open items by age"</h3>
                    <CsvButton name="debrief-open-items-by-age.csv" error make=move || body().map(|b| ages_csv(&b.2)) /></div>
                <div class="table-wrap"><table class="data-table numbers" data-testid="fixes-ages">
                    <tbody>{AGE_BANDS.iter().zip(ages).filter(|(_, n)| *n > 0 ).map(|(band, n)| view! {
                        <tr><th scope="row">{*band}</th><td>{n}</td></tr>
                    }).collect_view()}</tbody>
                </table></div>
                {(ages.iter().sum::<usize>() == 0).then(|| view! { <p class="empty-note">"No open action items."</p> })}
                <div class="table-head"><h3>"Completion by owner"</h3>
                    <CsvButton name="debrief-completion-by-owner-and-priority.csv" error make=move || body().map(|b| completion_csv(&b.3, &b.4)) /></div>
                <div class="table-wrap"><table class="data-table numbers" data-testid="fixes-owners">
                    <thead><tr><th scope="col">"Owner"</th><th scope="col">"Done"</th><th scope="col">"Dropped"</th><th scope="col">"Open"</th><th scope="col">"Closed"</th></tr></thead>
                    <tbody>{owners.into_iter().map(|(o, c)| completion_row(if o.is_empty() { "No owner".to_owned() } else { o }, c)).collect_view()}</tbody>
                </table></div>
                <h3>"Completion by priority"</h3>
                <div class="table-wrap"><table class="data-table numbers" data-testid="fixes-priorities">
                    <thead><tr><th scope="col">"Priority"</th><th scope="col">"Done"</th><th scope="col">"Dropped"</th><th scope="col">"Open"</th><th scope="col">"Closed"</th></tr></thead>
                    <tbody>{priorities.into_iter().map(|(p, c)| completion_row(p.label().to_owned(), c)).collect_view()}</tbody>
                </table></div>
                <p class="help">"Closed is done or dropped; dropped is shown apart."</p>
            })}
        </section>
    }
}

/// Whether the postmortem practice itself is improving: time to publish against the team's
/// target, contributions, open wording findings of published postmortems by month, and
/// required sections left empty.
#[component]
fn PracticeSection(
    all: Memo<Result<Vec<Postmortem>, String>>,
    filter: Memo<Filter>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let library = Library::expect();
    let target = RwSignal::new(stored_publish_target());
    let failed = RwSignal::new(None::<String>);
    let figures = Memo::new(move |_| {
        let findings: std::collections::HashMap<PostmortemId, usize> =
            library.summaries.with(|list| list.iter().map(|s| (s.id, s.open_findings as usize)).collect());
        all.with(|a| {
            a.as_ref().ok().map(|pms| {
                let chosen: Vec<&Postmortem> = filter.with(|f| pms.iter().filter(|pm| f.matches(pm)).collect());
                practice(&chosen, target.get(), |pm| findings.get(&pm.id).copied().unwrap_or(0))
            })
        })
    });
    let body = move || {
        figures.get().map(|p| {
            let publish = match p.to_publish {
                Some(s) => format!(
                    "{} of {} published within {} working days of being resolved ({}); median {} working days, longest {}.",
                    p.within_target, p.measured, p.target_days, percent(p.within_target, p.measured), number(s.median), number(s.max)
                ),
                None => "No postmortem in this period has both a resolution time and a publication day yet.".to_owned(),
            };
            let mut notes = Vec::new();
            if p.not_published > 0 {
                notes.push(format!("{} resolved, not published yet.", p.not_published));
            }
            if p.day_unknown > 0 {
                notes.push(format!("{} published with no recorded publication day, left out.", p.day_unknown));
            }
            let waiting = notes.join(" ");
            view! {
                <p id="practice-publish">{publish}" "{waiting}</p>
                <p class="help">"Published: the day of the first approval, or, without one, the day the postmortem first left draft."</p>
                <table class="data-table" data-testid="practice-table">
                    <tbody>
                        <tr><th scope="row">"Anonymous contributions"</th><td>{format!("{} in all; {} of {} postmortems have any", p.contributions, p.with_contributions, p.postmortems)}</td></tr>
                        <tr><th scope="row">"Required template sections left empty"</th><td>{format!("{} sections, in {} of {} postmortems written in a template", p.empty_sections, p.incomplete, p.templated)}</td></tr>
                    </tbody>
                </table>
                <div class="table-head"><h3>"Open wording suggestions in published postmortems, by month published"</h3>
                    <CsvButton name="debrief-practice.csv" error make=move || figures.get().map(|p| practice_csv(&p)) /></div>
                {if p.findings_by_month.is_empty() {
                    view! { <p class="empty-note">"No postmortem in this period is published yet."</p> }.into_any()
                } else {
                    view! {
                        <div class="table-wrap"><table class="data-table numbers" data-testid="findings-table">
                            <thead><tr><th scope="col">"Month"</th><th scope="col">"Published"</th><th scope="col">"Open suggestions"</th><th scope="col">"Per postmortem"</th></tr></thead>
                            <tbody>{p.findings_by_month.iter().map(|(m, n, f)| view! {
                                <tr><th scope="row">{m.label()}</th><td>{*n}</td><td>{*f}</td><td>{format!("{:.1}", *f as f64 / (*n).max(1) as f64)}</td></tr>
                            }).collect_view()}</tbody>
                        </table></div>
                    }.into_any()
                }}
            }
        })
    };
    view! {
        <section class="card" id="practice">
            <div class="card-head"><h2>"The postmortem practice"</h2></div>
            <div class="field no-print practice-target">
                <label for="publish-target">"Target: published within (working days after resolution)"</label>
                <input id="publish-target" type="number" min="1" max="60" prop:value=move || target.get().to_string()
                    on:change:target=move |ev| {
                        if let Ok(days) = ev.target().value().trim().parse::<u32>() {
                            let days = days.clamp(1, 60);
                            target.set(days);
                            failed.set(remember_publish_target(days).err().map(|e| format!("The target could not be remembered in this browser ({e}); it applies on this page.")));
                        }
                    } />
            </div>
            {move || failed.get().map(|f| view! { <p role="alert">{f}</p> })}
            {body}
        </section>
    }
}

#[component]
fn MetricsBody(m: Metrics, error: RwSignal<Option<String>>) -> impl IntoView {
    if m.incidents == 0 {
        return view! { <section class="empty-state"><h2>"No incidents in this period"</h2><p>"Widen the period or clear the filters."</p></section> }.into_any();
    }
    let (pm_csv, dur_csv, act_csv, rep_csv) = (per_month_csv(&m), durations_csv(&m), actions_csv(&m), repeats_csv(&m));
    let severity_rows: Vec<(String, Vec<usize>)> = m.per_month.iter().map(|(mo, c)| (mo.label(), c.to_vec())).collect();
    let action_rows: Vec<(String, Vec<usize>)> =
        m.actions_per_month.iter().map(|(mo, c, d)| (mo.label(), vec![*c, *d])).collect();
    let durations = [
        ("Time to detect", m.to_detect.clone()),
        ("Time to mitigate", m.to_mitigate.clone()),
        ("Time to resolve", m.to_resolve.clone()),
    ];
    let strip_rows =
        durations.iter().map(|(l, d)| ((*l).to_owned(), d.minutes.clone(), d.stats.map(|s| s.median))).collect();
    view! {
        <section class="metric-cards" aria-label="Summary">
            <div class="metric-card"><span class="metric-value" data-testid="incident-count">{m.incidents}</span><span>"incidents"</span></div>
            <div class="metric-card"><span class="metric-value" data-testid="median-detect">{minutes(m.to_detect.stats.map(|s| s.median))}</span><span>"median time to detect"</span></div>
            <div class="metric-card"><span class="metric-value">{percent(m.actions_done, m.action_items)}</span><span>{format!("of {} action items done", m.action_items)}</span></div>
            <div class="metric-card"><span class="metric-value">{percent(m.actions_effective, m.actions_reviewed)}</span><span>{format!("of {} reviewed items worked", m.actions_reviewed)}</span></div>
        </section>

        <section class="card">
            <div class="card-head"><h2>"Incidents per month, by severity"</h2>
                <CsvButton name="debrief-incidents-per-month.csv" error make=move || Some(pm_csv.clone()) /></div>
            <BarChart title="Incidents per month, stacked by severity".to_owned() stacked=true
                series=vec!["SEV1".into(), "SEV2".into(), "SEV3".into(), "SEV4".into(), "No severity".into()] rows=severity_rows />
            <table class="data-table">
                <thead><tr><th scope="col">"Month"</th><th scope="col">"SEV1"</th><th scope="col">"SEV2"</th><th scope="col">"SEV3"</th><th scope="col">"SEV4"</th><th scope="col">"No severity"</th><th scope="col">"Total"</th></tr></thead>
                <tbody>{m.per_month.iter().map(|(mo, c)| view! {
                    <tr><th scope="row">{mo.label()}</th>{c.iter().map(|n| view! { <td>{*n}</td> }).collect_view()}<td>{c.iter().sum::<usize>()}</td></tr>
                }).collect_view()}</tbody>
            </table>
        </section>

        <section class="card">
            <div class="card-head"><h2>"Time to detect, mitigate and resolve"</h2>
                <CsvButton name="debrief-durations.csv" error make=move || Some(dur_csv.clone()) /></div>
            <p class="help">"Measured from when impact started. Incidents missing a time are left out and counted, never treated as zero."</p>
            <StripPlot title="Durations per incident".to_owned() rows=strip_rows />
            <table class="data-table" data-testid="durations-table">
                <thead><tr><th scope="col">"Measure"</th><th scope="col">"Median"</th><th scope="col">"90th percentile"</th><th scope="col">"Mean"</th><th scope="col">"Counted"</th><th scope="col">"Left out"</th></tr></thead>
                <tbody>{durations.into_iter().map(|(label, d)| view! {
                    <tr>
                        <th scope="row">{label}</th>
                        <td>{minutes(d.stats.map(|s| s.median))}</td><td>{minutes(d.stats.map(|s| s.p90))}</td><td>{minutes(d.stats.map(|s| s.mean))}</td>
                        <td>{d.minutes.len()}</td>
                        <td>{match (d.missing, d.out_of_order) {
                            (0, 0) => "—".to_owned(),
                            (missing, 0) => format!("{missing} missing a time"),
                            (0, bad) => format!("{bad} with times out of order"),
                            (missing, bad) => format!("{missing} missing a time, {bad} out of order"),
                        }}</td>
                    </tr>
                }).collect_view()}</tbody>
            </table>
            <p>{format!("Time between incidents: median {}, mean {}.", days(m.between_incidents.map(|s| s.median)), days(m.between_incidents.map(|s| s.mean)))}</p>
        </section>

        <section class="card">
            <div class="card-head"><h2>"Action items"</h2>
                <CsvButton name="debrief-action-items-per-month.csv" error make=move || Some(act_csv.clone()) /></div>
            <p>{format!(
                "{} of {} done ({}); median time to close {}; {} of {} reviewed items worked.",
                m.actions_done, m.action_items, percent(m.actions_done, m.action_items), days(m.days_to_close.map(|s| s.median)),
                m.actions_effective, m.actions_reviewed
            )}</p>
            <BarChart title="Action items created and completed per month".to_owned() calm=true series=vec!["Created".into(), "Completed".into()] rows=action_rows />
            <table class="data-table" data-testid="actions-table">
                <thead><tr><th scope="col">"Month"</th><th scope="col">"Created"</th><th scope="col">"Completed"</th></tr></thead>
                <tbody>{m.actions_per_month.iter().map(|(mo, c, d)| view! { <tr><th scope="row">{mo.label()}</th><td>{*c}</td><td>{*d}</td></tr> }).collect_view()}</tbody>
            </table>
        </section>

        <section class="card">
            <div class="card-head"><h2>"Repeats"</h2>
                <CsvButton name="debrief-repeats.csv" error make=move || Some(rep_csv.clone()) /></div>
            <p class="help">"Services and tags with more than one incident in this period."</p>
            {if m.repeat_services.is_empty() && m.repeat_tags.is_empty() {
                view! { <p class="empty-note">"No service or tag appears in more than one incident."</p> }.into_any()
            } else {
                view! {
                    <table class="data-table">
                        <thead><tr><th scope="col">"Kind"</th><th scope="col">"Name"</th><th scope="col">"Incidents"</th></tr></thead>
                        <tbody>
                            {m.repeat_services.iter().map(|(n, c)| view! { <tr><td>"Service"</td><td>{n.clone()}</td><td>{*c}</td></tr> }).collect_view()}
                            {m.repeat_tags.iter().map(|(n, c)| view! { <tr><td>"Tag"</td><td>{n.clone()}</td><td>{*c}</td></tr> }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}
