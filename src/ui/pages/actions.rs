//! Every action item across the library: filter, sort, change status and due date in
//! place, and see what is overdue or waiting for its "did it work?" review.

use crate::domain::action_plan::{PlanFilter, PlanSort, is_overdue, owners, rows};
use crate::domain::{ActionStatus, ActionType, Priority, Verdict};
use crate::ui::browser::encode;
use crate::ui::components::{Notice, NoticeKind};
use crate::ui::routes::{AppRoute, filters_changed};
use crate::ui::state::{Library, explain};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

/// How many rows are drawn at first, and added by "Show more".
const PAGE_SIZE: usize = 100;

/// The route `/actions`.
#[component]
pub fn ActionsPage() -> impl IntoView {
    let library = Library::expect();
    let query = use_query_map();
    let navigate = StoredValue::new_local(use_navigate());
    let error = RwSignal::new(None::<String>);
    let version = RwSignal::new(0u32);
    let today = chrono::Local::now().date_naive();
    let filter = Memo::new(move |_| query.with(|q| PlanFilter::from_query(|k| q.get(k))));
    let all_rows = Memo::new(move |_| {
        version.track();
        library.summaries.track();
        library.all_postmortems().map(|pms| rows(&pms)).map_err(|e| explain(&e))
    });
    let matching = Memo::new(move |_| {
        all_rows.with(|r| r.as_ref().map(|r| filter.with(|f| f.apply(r, today))).unwrap_or_default())
    });
    // Thousands of rows of inputs take seconds to draw: show a page at a time.
    // "Show more" applies to the filter it was pressed under; a new filter starts over.
    let extra = RwSignal::new((PlanFilter::default(), 0usize));
    let limit = move || extra.with(|(f, n)| if filter.with(|cur| cur == f) { PAGE_SIZE + n } else { PAGE_SIZE });
    let shown = Memo::new(move |_| {
        let limit = limit();
        matching.with(|m| m.iter().take(limit).cloned().collect::<Vec<_>>())
    });
    let owner_names = Memo::new(move |_| all_rows.with(|r| r.as_ref().map(|r| owners(r)).unwrap_or_default()));
    let set_filter = move |change: &dyn Fn(&mut PlanFilter)| {
        let mut f = filter.get_untracked();
        change(&mut f);
        let q: Vec<String> = f.to_query().into_iter().map(|(k, v)| format!("{k}={}", encode(&v))).collect();
        let path = if q.is_empty() {
            AppRoute::Actions.path()
        } else {
            format!("{}?{}", AppRoute::Actions.path(), q.join("&"))
        };
        navigate.with_value(|go| go(&path, filters_changed()));
    };
    let edit = move |pm, item, change: Box<dyn FnOnce(&mut crate::domain::ActionItem)>| {
        match library.edit_action_item(&pm, item, change) {
            Ok(()) => error.set(None),
            Err(e) => error.set(Some(explain(&e))),
        }
        version.update(|v| *v += 1);
    };

    view! {
        <div class="page actions-page">
            <div class="page-head">
                <div>
                    <h1>"Action items"</h1>
                    <p class="lede">"Every action item from every postmortem: what is overdue, what is done, and whether it worked."</p>
                </div>
            </div>
            {move || error.get().map(|e| view! { <Notice kind=NoticeKind::Error message=e /> })}
            {move || all_rows.get().err().map(|e| view! { <Notice kind=NoticeKind::Error message=e /> })}
            <form class="filters" aria-label="Filter action items" on:submit=|ev| ev.prevent_default()>
                <div class="field">
                    <label for="filter-status">"Status"</label>
                    <select id="filter-status" prop:value=move || filter.with(|f| f.status.map(|s| s.key()).unwrap_or_default())
                        on:change:target=move |ev| { let v = ev.target().value(); set_filter(&|f| f.status = ActionStatus::from_key(&v)) }>
                        <option value="">"Any"</option>
                        {ActionStatus::ALL.iter().map(|s| view! { <option value=s.key()>{s.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-type">"Type"</label>
                    <select id="filter-type" prop:value=move || filter.with(|f| f.kind.map(|s| s.key()).unwrap_or_default())
                        on:change:target=move |ev| { let v = ev.target().value(); set_filter(&|f| f.kind = ActionType::from_key(&v)) }>
                        <option value="">"Any"</option>
                        {ActionType::ALL.iter().map(|s| view! { <option value=s.key()>{s.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-priority">"Priority"</label>
                    <select id="filter-priority" prop:value=move || filter.with(|f| f.priority.map(|s| s.key()).unwrap_or_default())
                        on:change:target=move |ev| { let v = ev.target().value(); set_filter(&|f| f.priority = Priority::from_key(&v)) }>
                        <option value="">"Any"</option>
                        {Priority::ALL.iter().map(|s| view! { <option value=s.key()>{s.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-owner">"Owner"</label>
                    <input id="filter-owner" type="search" list="owner-names" placeholder="Any"
                        prop:value=move || filter.with(|f| f.owner.clone())
                        on:change:target=move |ev| { let v = ev.target().value(); set_filter(&|f| f.owner = v.clone()) } />
                    <datalist id="owner-names">{move || owner_names.get().into_iter().map(|o| view! { <option value=o></option> }).collect_view()}</datalist>
                </div>
                <div class="field">
                    <label for="filter-label">"Service or tag"</label>
                    <input id="filter-label" type="search" placeholder="Any"
                        prop:value=move || filter.with(|f| f.label.clone())
                        on:change:target=move |ev| { let v = ev.target().value(); set_filter(&|f| f.label = v.clone()) } />
                </div>
                <div class="field">
                    <label for="filter-sort">"Sort by"</label>
                    <select id="filter-sort" prop:value=move || filter.with(|f| f.sort.key())
                        on:change:target=move |ev| {
                            let v = ev.target().value();
                            set_filter(&|f| f.sort = PlanSort::ALL.into_iter().find(|s| s.key() == v).unwrap_or_default())
                        }>
                        {PlanSort::ALL.iter().map(|s| view! { <option value=s.key()>{s.label()}</option> }).collect_view()}
                    </select>
                </div>
                <label class="checkbox">
                    <input type="checkbox" prop:checked=move || filter.with(|f| f.overdue_only)
                        on:change:target=move |ev| { let on = ev.target().checked(); set_filter(&|f| f.overdue_only = on) } />
                    " Overdue only"
                </label>
                <label class="checkbox">
                    <input type="checkbox" prop:checked=move || filter.with(|f| f.review_due_only)
                        on:change:target=move |ev| { let on = ev.target().checked(); set_filter(&|f| f.review_due_only = on) } />
                    " Due for review"
                </label>
                <div class="field narrow-number">
                    <label for="filter-days">"Review after (days)"</label>
                    <input id="filter-days" type="number" min="0" max="3650" prop:value=move || filter.with(|f| f.review_after_days.to_string())
                        on:change:target=move |ev| {
                            if let Ok(d) = ev.target().value().parse::<i64>() {
                                set_filter(&|f| f.review_after_days = d.clamp(0, 3650))
                            }
                        } />
                </div>
            </form>
            <p class="result-count" aria-live="polite">
                {move || {
                    let total = all_rows.with(|r| r.as_ref().map(Vec::len).unwrap_or(0));
                    format!("{} of {total} action items", matching.with(Vec::len))
                }}
            </p>
            <Show when=move || shown.with(|s| !s.is_empty())
                fallback=move || view! {
                    <section class="empty-state">
                        <p>{move || if all_rows.with(|r| r.as_ref().map(Vec::is_empty).unwrap_or(true)) {
                            "No action items yet. Add them in a postmortem's “Action items” section."
                        } else {
                            "No action item matches these filters."
                        }}</p>
                    </section>
                }>
                <table class="library-table actions-table">
                    <thead><tr>
                        <th scope="col">"Action"</th><th scope="col">"Type"</th><th scope="col">"Priority"</th>
                        <th scope="col">"Owner"</th><th scope="col">"Due"</th><th scope="col">"Status"</th><th scope="col">"Did it work?"</th>
                    </tr></thead>
                    <tbody>
                        <For each=move || shown.get() key=move |r| (r.postmortem, r.item.id, r.item.status, r.item.due, r.item.verdict, filter.with_untracked(|f| f.review_after_days)) let(row)>
                            {
                                let (pm, item) = (row.postmortem, row.item.id);
                                let overdue = is_overdue(&row.item, today);
                                let review_due = crate::domain::action_plan::due_for_review(&row.item, today, filter.with_untracked(|f| f.review_after_days));
                                let label = row.item.description.clone();
                                view! {
                                    <tr class:overdue=overdue>
                                        <td>
                                            <span class="action-text">{if label.trim().is_empty() { "(no description)".to_owned() } else { label.clone() }}</span>
                                            <br /><A href=format!("{}#actions", AppRoute::Postmortem(pm).href()) attr:class="muted small-link">{row.postmortem_title.clone()}</A>
                                            {overdue.then(|| view! { " " <span class="badge overdue-badge">"Overdue"</span> })}
                                        </td>
                                        <td>{row.item.kind.label()}</td>
                                        <td>{row.item.priority.label()}</td>
                                        <td>{if row.item.owner.trim().is_empty() { "—".to_owned() } else { row.item.owner.clone() }}</td>
                                        <td>
                                            <input type="date" aria-label=format!("Due date of “{label}”")
                                                prop:value=row.item.due.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
                                                on:change:target=move |ev| {
                                                    let due = NaiveDate::parse_from_str(&ev.target().value(), "%Y-%m-%d").ok();
                                                    edit(pm, item, Box::new(move |a| a.due = due));
                                                } />
                                        </td>
                                        <td>
                                            <select aria-label=format!("Status of “{}”", row.item.description) prop:value=row.item.status.key()
                                                on:change:target=move |ev| {
                                                    if let Some(s) = ActionStatus::from_key(&ev.target().value()) {
                                                        edit(pm, item, Box::new(move |a| a.status = s));
                                                    }
                                                }>
                                                {ActionStatus::ALL.iter().map(|s| view! { <option value=s.key()>{s.label()}</option> }).collect_view()}
                                            </select>
                                        </td>
                                        <td>
                                            {if row.item.status == ActionStatus::Done {
                                                view! {
                                                    <select aria-label=format!("Did “{label}” work?")
                                                        prop:value=row.item.verdict.map(|v| v.key()).unwrap_or_default()
                                                        on:change:target=move |ev| {
                                                            let verdict = Verdict::from_key(&ev.target().value());
                                                            edit(pm, item, Box::new(move |a| a.verdict = verdict));
                                                        }>
                                                        <option value="">"Not reviewed"</option>
                                                        {Verdict::ALL.iter().map(|v| view! { <option value=v.key()>{v.label()}</option> }).collect_view()}
                                                    </select>
                                                }.into_any()
                                            } else {
                                                view! { <span>{row.item.verdict.map(|v| v.label().to_owned()).unwrap_or_else(|| "—".to_owned())}</span> }.into_any()
                                            }}
                                            {review_due.then(|| view! { " " <span class="badge review-badge">"Review due"</span> })}
                                        </td>
                                    </tr>
                                }
                            }
                        </For>
                    </tbody>
                </table>
                <Show when=move || { matching.with(Vec::len) > shown.with(Vec::len) }>
                    <p class="more">
                        {move || format!("Showing {} of {}.", shown.with(Vec::len), matching.with(Vec::len))}
                        " "
                        <button type="button" class="secondary small" on:click=move |_| {
                            // The next page: PAGE_SIZE more than are shown now.
                            extra.set((filter.get_untracked(), limit()));
                        }>
                            {format!("Show {PAGE_SIZE} more")}
                        </button>
                    </p>
                </Show>
            </Show>
        </div>
    }
}
