//! The review: authors and reviewers, the meeting day, the checklist, comments anchored to
//! parts of the postmortem, and approval. Shown in the editor and under the read view, so a
//! reviewer can read the document, comment and approve on one page. The rules live in
//! `domain::review`; everything here is saved with the postmortem and travels in its file.

use crate::domain::model::{Anchor, Comment, Signed};
use crate::domain::review::{self, Line};
use crate::domain::{Postmortem, review::ReviewError};
use crate::ui::clock::browser_clock;
use crate::ui::components::{DismissibleNotice, LabelList, Notice, NoticeKind, NoticeSlot, focus_when_drawn};
use crate::ui::state::{remember_signature, stored_signature};
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::*;

/// A moment as this browser's clock shows it.
fn when(at: DateTime<Utc>) -> String {
    browser_clock().date_time(&at.with_timezone(&chrono::Local).naive_local())
}

/// The review card: `id="review"`.
#[component]
pub fn ReviewSection(pm: RwSignal<Postmortem>) -> impl IntoView {
    let me = RwSignal::new(stored_signature());
    let said = RwSignal::new(None::<String>);
    let failed = RwSignal::new(None::<String>);
    let problem = move |e: ReviewError| {
        said.set(None);
        failed.set(Some(e.to_string()));
    };
    let sign = move || -> Option<String> {
        match review::signer(&me.get_untracked()) {
            Ok(name) => {
                failed.set(None);
                Some(name)
            }
            Err(e) => {
                problem(e);
                focus_when_drawn("review-name".to_owned());
                None
            }
        }
    };
    let state = move || {
        pm.with(|p| match p.review.approval() {
            Some(a) => {
                let mut text = format!("Approved by {} on {}.", a.by, when(a.at));
                let left = review::readiness(p);
                if !left.is_ready() {
                    text.push_str(&format!(" Now: {}.", left.left()));
                }
                text
            }
            None => {
                let left = review::readiness(p);
                if left.is_ready() {
                    "Not approved yet. Every checklist item is ticked and no comment is open.".to_owned()
                } else {
                    format!("Not approved yet: {}.", left.left())
                }
            }
        })
    };
    view! {
        <section class="card review" id="review" aria-labelledby="review-heading">
            <h2 id="review-heading">"Review"</h2>
            <p class="review-state" id="review-state">{state}</p>
            <div class="field">
                <label for="review-name">"Your name or role"</label>
                <input id="review-name" type="text" maxlength="120" autocomplete="name"
                    placeholder="e.g. Priya Shah, or SRE lead" aria-describedby="review-name-help"
                    prop:value=me
                    on:input:target=move |ev| me.set(ev.target().value())
                    on:change:target=move |ev| {
                        if let Err(e) = remember_signature(&ev.target().value()) {
                            failed.set(Some(format!("Your name could not be remembered in this browser ({e}); it is still used on this page.")));
                        }
                    } />
                <p class="help" id="review-name-help">"Recorded with your comments, ticks and approval. Remembered in this browser only."</p>
            </div>
            <div class="grid-2">
                <LabelList label="Authors" input_id="review-authors" placeholder="A name or role, then Enter"
                    values=Signal::derive(move || pm.with(|p| p.review.authors.clone()))
                    on_add=Callback::new(move |v: String| added(pm, failed, v, |p| &mut p.review.authors))
                    on_remove=Callback::new(move |i: usize| pm.update(|p| { if i < p.review.authors.len() { p.review.authors.remove(i); } })) />
                <LabelList label="Reviewers" input_id="review-reviewers" placeholder="A name or role, then Enter"
                    values=Signal::derive(move || pm.with(|p| p.review.reviewers.clone()))
                    on_add=Callback::new(move |v: String| added(pm, failed, v, |p| &mut p.review.reviewers))
                    on_remove=Callback::new(move |i: usize| pm.update(|p| { if i < p.review.reviewers.len() { p.review.reviewers.remove(i); } })) />
            </div>
            <div class="field">
                <label for="review-meeting">"Review meeting"<span class="optional">" (optional)"</span></label>
                <input id="review-meeting" type="date"
                    prop:value=move || pm.with(|p| p.review.meeting.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default())
                    on:change:target=move |ev| {
                        let day = NaiveDate::parse_from_str(&ev.target().value(), "%Y-%m-%d").ok();
                        pm.update(|p| p.review.meeting = day);
                    } />
            </div>
            <Checklist pm=pm sign=Callback::new(move |()| sign()) problem=Callback::new(problem) />
            <Comments pm=pm me=me sign=Callback::new(move |()| sign()) problem=Callback::new(problem) said=said />
            <Approve pm=pm sign=Callback::new(move |()| sign()) problem=Callback::new(problem) said=said />
            <DismissibleNotice kind=NoticeKind::Info message=said id=Some("review-said") />
            <DismissibleNotice kind=NoticeKind::Error message=failed id=Some("review-failed") />
        </section>
    }
}

/// Adds a name to the authors or reviewers; says whether it was added.
fn added(
    pm: RwSignal<Postmortem>,
    failed: RwSignal<Option<String>>,
    name: String,
    list: fn(&mut Postmortem) -> &mut Vec<String>,
) -> bool {
    let mut result = Ok(false);
    pm.update(|p| result = review::add_person(list(p), &name));
    match result {
        Ok(added) => added,
        Err(e) => {
            failed.set(Some(e.to_string()));
            false
        }
    }
}

#[component]
fn Checklist(
    pm: RwSignal<Postmortem>,
    sign: Callback<(), Option<String>>,
    problem: Callback<ReviewError>,
) -> impl IntoView {
    let lines = Memo::new(move |_| pm.with(review::lines));
    let row = move |line: Line| {
        let key = line.item.key.clone();
        let id = format!("check-{key}");
        let ticked = line.ticked.is_some();
        let toggle = {
            let key = key.clone();
            move |ev: web_sys::Event| {
                use wasm_bindgen::JsCast;
                let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
                    return;
                };
                let by = if input.checked() {
                    match sign.run(()) {
                        Some(name) => Some(name),
                        None => {
                            input.set_checked(false);
                            return;
                        }
                    }
                } else {
                    None
                };
                let mut result = Ok(());
                pm.update(|p| result = review::tick(p, &key, by.as_deref(), Utc::now()));
                if let Err(e) = result {
                    problem.run(e);
                }
            }
        };
        let hint_id = format!("{id}-hint");
        view! {
            <li class="check-line">
                <input type="checkbox" id=id.clone() prop:checked=ticked on:change=toggle aria-describedby=hint_id.clone() />
                <div>
                    <label for=id>{line.item.text.clone()}</label>
                    <p class="help" id=hint_id>
                        {line.ticked.map(|Signed { by, at }| format!("Ticked by {by}, {}. ", when(at)))}
                        {line.hint.map(|h| view! {
                            <span class=if h.looks_done { "hint-done" } else { "hint-todo" }>
                                {if h.looks_done { "Looks done: " } else { "Check: " }}{h.text}
                            </span>
                        })}
                    </p>
                </div>
            </li>
        }
    };
    view! {
        <fieldset class="review-checklist">
            <legend>"Checklist"</legend>
            <p class="help">"Tick each item once you have checked it. The checklist comes from the template (edit it on the Templates page)."</p>
            <Show when=move || lines.with(|l| !l.is_empty())
                fallback=|| view! { <p class="muted">"This postmortem's template has no review checklist."</p> }>
                <ul class="check-list">
                    {move || lines.get().into_iter().map(row).collect_view()}
                </ul>
            </Show>
        </fieldset>
    }
}

#[component]
fn Comments(
    pm: RwSignal<Postmortem>,
    me: RwSignal<String>,
    sign: Callback<(), Option<String>>,
    problem: Callback<ReviewError>,
    said: RwSignal<Option<String>>,
) -> impl IntoView {
    let anchors = Memo::new(move |_| pm.with(review::anchors));
    let about = RwSignal::new(Anchor::Whole.to_string());
    let text = RwSignal::new(String::new());
    let show_resolved = RwSignal::new(false);
    // What the comment is about stays what the menu shows: when it is removed (another tab,
    // an edit), the choice goes back to the whole postmortem.
    Effect::new(move |_| {
        let chosen = about.get_untracked();
        if !anchors.with(|list| list.iter().any(|(a, _)| a.to_string() == chosen)) {
            about.set(Anchor::Whole.to_string());
        }
    });
    // The comment last deleted and where it was, for Undo.
    let deleted = RwSignal::new(None::<(usize, Comment)>);
    let undo = move |_| {
        if let Some((at, comment)) = deleted.get_untracked() {
            pm.update(|p| {
                if !p.review.comments.iter().any(|c| c.id == comment.id) {
                    p.review.comments.insert(at.min(p.review.comments.len()), comment);
                }
            });
        }
        deleted.set(None);
        said.set(Some("Comment restored.".to_owned()));
    };
    let add = move || {
        let Some(author) = sign.run(()) else { return };
        let anchor = Anchor::parse(&about.get_untracked()).unwrap_or(Anchor::Whole);
        let mut result = Ok(());
        pm.update(|p| result = review::add_comment(p, anchor, &author, &text.get_untracked(), Utc::now()));
        match result {
            Ok(()) => {
                text.set(String::new());
                said.set(Some("Comment added.".to_owned()));
            }
            Err(e) => problem.run(e),
        }
    };
    // Comments in the order of what they are about, then by time.
    let shown = Memo::new(move |_| {
        let order = anchors.get();
        pm.with(|p| {
            let mut list: Vec<(Comment, String)> = p
                .review
                .comments
                .iter()
                .filter(|c| show_resolved.get() || c.resolved.is_none())
                .map(|c| (c.clone(), review::anchor_label(&c.anchor, p)))
                .collect();
            let place = |a: &Anchor| order.iter().position(|(o, _)| o == a).unwrap_or(usize::MAX);
            list.sort_by_key(|(c, _)| (place(&c.anchor), c.at));
            list
        })
    });
    let counts = move || {
        pm.with(|p| {
            (p.review.open_comments().count(), p.review.comments.iter().filter(|c| c.resolved.is_some()).count())
        })
    };
    view! {
        <div class="review-comments">
            <h3>"Comments"</h3>
            <div class="comment-form">
                <div class="field">
                    <label for="comment-anchor">"About"</label>
                    <select id="comment-anchor" prop:value=about on:change:target=move |ev| about.set(ev.target().value())>
                        {move || anchors.get().into_iter().map(|(a, label)| {
                            let value = a.to_string();
                            let chosen = value.clone();
                            view! { <option value=value selected=move || about.get() == chosen>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="comment-text">"Comment"</label>
                    <textarea id="comment-text" rows="3" maxlength="10000"
                        placeholder="A question or a suggestion for the authors" aria-describedby="comment-text-help"
                        prop:value=text on:input:target=move |ev| text.set(ev.target().value())
                        on:keydown=move |ev| if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) { ev.prevent_default(); add(); }></textarea>
                    <p class="help" id="comment-text-help">
                        {move || { let who = me.get(); if who.trim().is_empty() { "Ctrl+Enter adds it. Give your name or role above first.".to_owned() } else { format!("Ctrl+Enter adds it, signed “{}”.", who.trim()) } }}
                    </p>
                </div>
                <button type="button" class="primary" id="add-comment" on:click=move |_| add()>"Add comment"</button>
            </div>
            <p class="muted" id="comment-counts" tabindex="-1">
                {move || { let (open, resolved) = counts(); match (open, resolved) {
                    (0, 0) => "No comments yet.".to_owned(),
                    (o, 0) => format!("{o} open."),
                    (o, r) => format!("{o} open, {r} resolved."),
                } }}
                " "
                <Show when=move || { let (_, resolved) = counts(); resolved > 0 }>
                    <label class="inline-check"><input type="checkbox" id="show-resolved" prop:checked=show_resolved
                        on:change:target=move |ev| show_resolved.set(ev.target().checked()) />" Show resolved"</label>
                </Show>
            </p>
            <NoticeSlot kind=NoticeKind::Info>
                {move || deleted.get().map(|(_, c)| view! {
                    <Notice kind=NoticeKind::Info message=format!("Deleted the comment by {}.", c.author) in_slot=true>
                        <button type="button" class="secondary" id="undo-delete-comment" on:click=undo>"Undo"</button>
                    </Notice>
                })}
            </NoticeSlot>
            <ul class="comment-list">
                <For each=move || shown.get() key=|(c, label)| (c.id, c.resolved.is_some(), label.clone()) let((comment, label))>
                    <CommentView pm=pm comment=comment label=label sign=sign said=said deleted=deleted show_resolved=show_resolved />
                </For>
            </ul>
        </div>
    }
}

#[component]
fn CommentView(
    pm: RwSignal<Postmortem>,
    comment: Comment,
    label: String,
    sign: Callback<(), Option<String>>,
    said: RwSignal<Option<String>>,
    deleted: RwSignal<Option<(usize, Comment)>>,
    show_resolved: RwSignal<bool>,
) -> impl IntoView {
    let id = comment.id;
    let delete = move |_| {
        let mut taken = None;
        pm.update(|p| {
            if let Some(at) = p.review.comments.iter().position(|c| c.id == id) {
                taken = Some((at, p.review.comments.remove(at)));
            }
        });
        if taken.is_some() {
            said.set(None);
            deleted.set(taken);
            focus_when_drawn("undo-delete-comment".to_owned());
        }
    };
    let resolved = comment.resolved.clone();
    let toggle = move |_| {
        // The comment is drawn again (or hidden, once resolved): focus follows it.
        if resolved.is_some() {
            pm.update(|p| p.review.resolve(id, None));
            said.set(Some("Comment reopened.".to_owned()));
            focus_when_drawn(format!("resolve-{id}"));
        } else if let Some(by) = sign.run(()) {
            pm.update(|p| p.review.resolve(id, Some(Signed { by, at: Utc::now() })));
            said.set(Some("Comment resolved.".to_owned()));
            let next =
                if show_resolved.get_untracked() { format!("resolve-{id}") } else { "comment-counts".to_owned() };
            focus_when_drawn(next);
        }
    };
    let class = if comment.resolved.is_some() { "comment resolved" } else { "comment" };
    view! {
        <li class=class id=format!("comment-{id}")>
            <p class="comment-about">{label}</p>
            <p class="comment-meta"><strong>{comment.author.clone()}</strong>" · "<time datetime=comment.at.to_rfc3339()>{when(comment.at)}</time></p>
            <div class="comment-text">{comment.text.lines().map(|l| view! { <p>{l.to_owned()}</p> }).collect_view()}</div>
            {comment.resolved.as_ref().map(|r| view! { <p class="muted">{format!("Resolved by {} on {}.", r.by, when(r.at))}</p> })}
            <div class="comment-actions">
                <button type="button" class="secondary small" id=format!("resolve-{id}") on:click=toggle>
                    {if comment.resolved.is_some() { "Reopen" } else { "Resolve" }}
                </button>
                <button type="button" class="ghost small" id=format!("delete-comment-{id}") on:click=delete
                    aria-label=format!("Delete the comment by {}", comment.author)>"Delete"</button>
            </div>
        </li>
    }
}

#[component]
fn Approve(
    pm: RwSignal<Postmortem>,
    sign: Callback<(), Option<String>>,
    problem: Callback<ReviewError>,
    said: RwSignal<Option<String>>,
) -> impl IntoView {
    let asking = RwSignal::new(None::<String>);
    let approve = move |anyway: bool| {
        let Some(by) = sign.run(()) else { return };
        let left = pm.with_untracked(review::readiness);
        if !anyway && !left.is_ready() {
            asking.set(Some(format!("{}. Approve anyway?", capitalised(&left.left()))));
            return;
        }
        asking.set(None);
        let mut result = Ok(());
        pm.update(|p| result = review::approve(p, &by, Utc::now()));
        match result {
            Ok(()) => said.set(Some(format!(
                "Approved by {by}. The postmortem is {}.",
                pm.with_untracked(|p| p.status.label().to_lowercase())
            ))),
            Err(e) => problem.run(e),
        }
    };
    let approved = move || pm.with(|p| p.review.approval().is_some());
    let closed = move || pm.with(|p| p.status == crate::domain::Status::Closed);
    view! {
        <div class="review-approve">
            <h3>"Approval"</h3>
            <p class="help">{move || if closed() {
                "Approving records your name and the time; a closed postmortem stays closed."
            } else {
                "Approving records your name and the time, and moves the postmortem to Published."
            }}</p>
            <NoticeSlot kind=NoticeKind::Warning>
                {move || asking.get().map(|question| view! {
                    <Notice kind=NoticeKind::Warning message=question in_slot=true>
                        <button type="button" class="primary" id="approve-anyway" on:click=move |_| approve(true)>"Approve anyway"</button>
                        <button type="button" class="ghost" on:click=move |_| asking.set(None)>"Cancel"</button>
                    </Notice>
                })}
            </NoticeSlot>
            <button type="button" class="primary" id="approve" on:click=move |_| approve(false)>
                {move || if approved() { "Approve again" } else if closed() { "Approve" } else { "Approve and publish" }}
            </button>
        </div>
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
