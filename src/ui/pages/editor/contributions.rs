//! Anonymous contributions in the editor: inviting people (link and file), merging what
//! comes back (files and codes, checked one by one), and promoting statements into the
//! timeline, factors or lessons.

use crate::app::invitations::{CreateError, create_invitation, merge_contributions};
use crate::domain::Postmortem;
use crate::domain::contribution::{
    Contribution, ContributionId, Invitation, InvitationId, PromoteTo, Question, SentInvitation, answers_by_question,
    merge, new_question_key, promote, remove_contribution,
};
use crate::domain::wording::{FieldKind, Finding, apply_rewrite};
use crate::file_format::contribution::{
    MAX_CONTRIBUTION_CHARS, Offered, Outcome, invitation_file, invitation_file_name, invitation_fragment,
};
use crate::ui::browser::{base_path, copy_text, download_text, picked_files, read_text};
use crate::ui::components::{
    CheckedText, DismissibleNotice, FilePicker, Notice, NoticeKind, WordingHooks, focus_when_drawn,
};
use crate::ui::state::{Library, explain};
use crypto_box::aead::OsRng;
use leptos::prelude::*;

/// The link that opens `inv` on this same app, wherever it is served from.
fn invitation_link(inv: &Invitation) -> Result<String, String> {
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    let fragment = invitation_fragment(inv).map_err(|e| e.to_string())?;
    Ok(format!("{origin}{}/#{fragment}", base_path()))
}

/// Copies `text`, then says so (or how to copy by hand) in `said`.
fn copy_and_say(text: String, what: &'static str, said: RwSignal<Option<String>>) {
    leptos::task::spawn_local(async move {
        let message = match copy_text(&text).await {
            Ok(()) => format!("{what} copied to the clipboard."),
            Err(_) => {
                format!("Could not copy the {} automatically: select it and copy it by hand.", what.to_lowercase())
            }
        };
        let _ = said.try_set(Some(message));
    });
}

/// The "Anonymous contributions" card.
#[component]
pub fn ContributionsSection(pm: RwSignal<Postmortem>) -> impl IntoView {
    let creating = RwSignal::new(false);
    let said = RwSignal::new(None::<String>);
    let removed = RwSignal::new(None::<SentInvitation>);
    let ids = move || pm.with(|p| p.invitations.iter().map(|s| s.invitation.id).collect::<Vec<_>>());
    let undo_remove = move |_| {
        if let Some(sent) = removed.get_untracked() {
            pm.update(|p| p.invitations.push(sent));
            removed.set(None);
        }
    };
    view! {
        <section class="card" id="contributions" aria-labelledby="contributions-heading">
            <h2 id="contributions-heading">"Anonymous contributions"</h2>
            <p class="help">"Invite the people involved to say what they saw and did, without their names. Send the link (or the file); each person answers in their own browser and sends back a file or a code, and you merge them here. Anonymous input feeds the review meeting; it does not replace the conversation."</p>
            <DismissibleNotice kind=NoticeKind::Info message=said />
            {move || removed.get().map(|sent| view! {
                <Notice kind=NoticeKind::Info message=format!(
                    "Invitation “{}” deleted, with {}.",
                    sent.invitation.title,
                    match sent.contributions.len() {
                        0 => "no contributions merged yet".to_owned(),
                        1 => "its 1 merged contribution".to_owned(),
                        n => format!("its {n} merged contributions"),
                    }
                )>
                    <button type="button" class="secondary" on:click=undo_remove>"Undo"</button>
                    <button type="button" class="ghost" on:click=move |_| removed.set(None)>"Dismiss"</button>
                </Notice>
            })}
            <For each=ids key=|id| *id let(id)>
                <InvitationCard pm=pm id=id said=said removed=removed />
            </For>
            <Show when=move || creating.get()
                fallback=move || view! {
                    <button type="button" class="secondary" id="new-invitation"
                        on:click=move |_| { creating.set(true); focus_when_drawn("invitation-title".to_owned()); }>
                        "New invitation"
                    </button>
                }>
                <InvitationForm pm=pm on_close=Callback::new(move |()| creating.set(false)) />
            </Show>
            <Show when=move || pm.with(|p| !p.invitations.is_empty())>
                <MergeContributions pm=pm />
                <MergedAnswers pm=pm />
            </Show>
        </section>
    }
}

/// One invitation: its link and file, with copy buttons, and how many answered.
#[component]
fn InvitationCard(
    pm: RwSignal<Postmortem>,
    id: InvitationId,
    said: RwSignal<Option<String>>,
    removed: RwSignal<Option<SentInvitation>>,
) -> impl IntoView {
    let sent = Memo::new(move |_| pm.with(|p| p.invitations.iter().find(|s| s.invitation.id == id).cloned()));
    let inv = move || sent.get().map(|s| s.invitation);
    let link =
        move || inv().map(|i| invitation_link(&i).unwrap_or_else(|e| format!("(the link could not be made: {e})")));
    let count = move || sent.with(|s| s.as_ref().map_or(0, |s| s.contributions.len()));
    let link_id = format!("invitation-link-{id}");
    let copy_link = move |_| {
        if let Some(link) = link() {
            copy_and_say(link, "Invitation link", said);
        }
    };
    let file_text = move || inv().and_then(|i| invitation_file(&i).ok());
    let download = move |_| {
        let (Some(i), Some(text)) = (inv(), file_text()) else { return };
        let name = invitation_file_name(&i);
        said.set(Some(match download_text(&name, &text, "application/json") {
            Ok(()) => format!("Invitation downloaded as “{name}”."),
            Err(e) => format!("The download did not start ({e}). Copy the link instead."),
        }));
    };
    let copy_file = move |_| {
        if let Some(text) = file_text() {
            copy_and_say(text, "Invitation file text", said);
        }
    };
    let delete = move |_| {
        pm.update(|p| {
            if let Some(at) = p.invitations.iter().position(|s| s.invitation.id == id) {
                removed.set(Some(p.invitations.remove(at)));
            }
        });
    };
    view! {
        <div class="invitation" data-invitation=id.to_string()>
            <div class="invitation-head">
                <h3>{move || inv().map(|i| i.title).unwrap_or_default()}</h3>
                <Show when=move || inv().is_some_and(|i| i.seal_key.is_some())>
                    <span class="badge sealed" title="Only this browser can open its contributions">"Sealed"</span>
                </Show>
                <span class="badge contribution-count">{move || match count() {
                    0 => "No contributions yet".to_owned(),
                    1 => "1 contribution".to_owned(),
                    n => format!("{n} contributions"),
                }}</span>
            </div>
            {move || inv().and_then(|i| i.deadline).map(|d| view! { <p class="muted">{format!("Answers requested by {}", d.format("%A %-d %B %Y"))}</p> })}
            <label for=link_id.clone()>"Invitation link"</label>
            <div class="copy-row">
                <input id=link_id type="text" class="code" readonly prop:value=link />
                <button type="button" class="primary small" on:click=copy_link>"Copy link"</button>
            </div>
            <div class="form-actions">
                <button type="button" class="secondary small" on:click=download>"Download invitation file"</button>
                <button type="button" class="secondary small" on:click=copy_file>"Copy invitation file"</button>
                <button type="button" class="ghost small" on:click=delete>"Delete invitation"</button>
            </div>
        </div>
    }
}

/// Writing a new invitation: title, summary (checked for wording), deadline, questions, sealing.
#[component]
fn InvitationForm(pm: RwSignal<Postmortem>, on_close: Callback<()>) -> impl IntoView {
    let library = Library::expect();
    let mut start = pm.with_untracked(Invitation::for_postmortem);
    start.deadline = Some(chrono::Local::now().date_naive() + chrono::Days::new(7));
    let draft = RwSignal::new(start);
    let seal = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let problems = Memo::new(move |_| draft.with(Invitation::problems));
    let people = pm.with_untracked(|p| p.participants.clone());
    let hooks = WordingHooks::standalone(
        FieldKind::Narrative,
        people,
        Callback::new(move |field: String| draft.with(|d| text_of(d, &field).map(str::to_owned).unwrap_or_default())),
        Callback::new(move |(field, finding): (String, Finding)| {
            draft.update(|d| {
                if let Some(text) = text_mut(d, &field) {
                    apply_rewrite(text, &finding);
                }
            });
            focus_when_drawn(field);
        }),
    );
    let create = move |_| {
        if !problems.with(Vec::is_empty) {
            return;
        }
        let draft = draft.get_untracked();
        let sealed = seal.get_untracked();
        // Gone with the page: nothing to create.
        let Some(made) = library.change(|lib| create_invitation(lib, draft, sealed, &mut OsRng)) else { return };
        match made {
            Ok(sent) => {
                let id = sent.invitation.id;
                pm.update(|p| p.invitations.push(sent));
                on_close.run(());
                focus_when_drawn(format!("invitation-link-{id}"));
            }
            Err(CreateError::KeyNotKept(e)) => failure.set(Some(format!(
                "The sealing key could not be kept, so the invitation was not created. {}",
                explain(&e)
            ))),
            Err(other) => failure.set(Some(other.to_string())),
        }
    };
    let question_ids = move || draft.with(|d| d.questions.iter().map(|q| q.key.clone()).collect::<Vec<_>>());
    let backup_said = RwSignal::new(None::<String>);
    let backup = move |_| {
        backup_said
            .set(Some(library.download_backup().unwrap_or_else(|e| format!("The backup could not be made: {e}"))))
    };
    view! {
        <form class="invitation-form" aria-labelledby="invitation-form-heading" on:submit=|ev| ev.prevent_default()>
            <h3 id="invitation-form-heading">"New invitation"</h3>
            <p class="help">"Write neutrally: what happened and when, not who did what. People answer what you ask, so ask about the situation they were in."</p>
            <label for="invitation-title">"Title people will see"</label>
            <input id="invitation-title" type="text" prop:value=move || draft.with(|d| d.title.clone())
                on:input:target=move |ev| draft.update(|d| d.title = ev.target().value()) />
            <label for="invitation-summary">"Neutral summary"</label>
            <CheckedText id="invitation-summary".to_owned() hooks=hooks
                value=Signal::derive(move || draft.with(|d| d.summary.clone()))
                on_input=Callback::new(move |v: String| draft.update(|d| d.summary = v)) />
            <label for="invitation-deadline">"Answer by"</label>
            <input id="invitation-deadline" type="date"
                prop:value=move || draft.with(|d| d.deadline.map(|d| d.to_string()).unwrap_or_default())
                on:input:target=move |ev| draft.update(|d| d.deadline = ev.target().value().parse().ok()) />
            <fieldset class="questions">
                <legend>"Questions"</legend>
                <ol>
                    <For each=question_ids key=|k| k.clone() let(key)>
                        <QuestionRow draft=draft key=key hooks=hooks />
                    </For>
                </ol>
                <button type="button" class="secondary small" on:click=move |_| {
                    let key = draft.with_untracked(|d| new_question_key(&d.questions));
                    draft.update(|d| d.questions.push(Question { key: key.clone(), text: String::new() }));
                    focus_when_drawn(format!("question-{key}"));
                }>"Add a question"</button>
            </fieldset>
            <label class="checkbox">
                <input type="checkbox" id="invitation-seal" prop:checked=seal on:change:target=move |ev| seal.set(ev.target().checked()) />
                " Seal contributions so that only this browser can open them"
            </label>
            <Show when=move || seal.get()>
                <Notice kind=NoticeKind::Warning message="Useful when contributions pass through a shared channel. The key that opens them is kept only in this browser and in full backups: if this browser's data is lost without a backup, sealed contributions not merged yet can never be opened. Back up after creating the invitation.">
                    <button type="button" class="secondary" on:click=backup>"Back up now"</button>
                </Notice>
                {move || backup_said.get().map(|s| view! { <p class="help" role="status">{s}</p> })}
            </Show>
            <Show when=move || !problems.with(Vec::is_empty)>
                <ul class="problems" aria-label="Before you create it">
                    {move || problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                </ul>
            </Show>
            {move || failure.get().map(|f| view! { <Notice kind=NoticeKind::Error message=f /> })}
            <div class="form-actions">
                <button type="button" class="primary" on:click=create disabled=move || !problems.with(Vec::is_empty)>"Create invitation"</button>
                <button type="button" class="ghost" on:click=move |_| on_close.run(())>"Cancel"</button>
            </div>
        </form>
    }
}

/// The text of an invitation field named by its element id.
fn text_of<'a>(inv: &'a Invitation, field: &str) -> Option<&'a str> {
    match field {
        "invitation-summary" => Some(&inv.summary),
        _ => field.strip_prefix("question-").and_then(|k| inv.question(k)).map(|q| q.text.as_str()),
    }
}

fn text_mut<'a>(inv: &'a mut Invitation, field: &str) -> Option<&'a mut String> {
    match field {
        "invitation-summary" => Some(&mut inv.summary),
        _ => {
            let key = field.strip_prefix("question-")?;
            inv.questions.iter_mut().find(|q| q.key == key).map(|q| &mut q.text)
        }
    }
}

#[component]
fn QuestionRow(draft: RwSignal<Invitation>, key: String, hooks: WordingHooks) -> impl IntoView {
    let field = format!("question-{key}");
    let position = {
        let key = key.clone();
        move || draft.with(|d| d.questions.iter().position(|q| q.key == key).map_or(0, |p| p + 1))
    };
    let value = {
        let key = key.clone();
        move || draft.with(|d| d.question(&key).map(|q| q.text.clone()).unwrap_or_default())
    };
    let set = {
        let key = key.clone();
        move |text: String| {
            draft.update(|d| {
                if let Some(q) = d.questions.iter_mut().find(|q| q.key == key) {
                    q.text = text;
                }
            })
        }
    };
    let remove = move |_| draft.update(|d| d.questions.retain(|q| q.key != key));
    let label = Signal::derive(move || format!("Question {}", position()));
    view! {
        <li class="entry-row">
            <div class="entry-field">
                <CheckedText id=field hooks=hooks label=label value=Signal::derive(value)
                    on_input=Callback::new(set) />
            </div>
            <button type="button" class="icon-button" aria-label=move || format!("Remove {}", label.get()) on:click=remove>"×"</button>
        </li>
    }
}

/// Reads picked files as text, each bounded in size.
async fn read_offered(files: Vec<web_sys::File>) -> Vec<Result<Offered, Outcome>> {
    let mut out = Vec::new();
    for file in files {
        let name = file.name();
        if file.size() > MAX_CONTRIBUTION_CHARS as f64 {
            out.push(Err(Outcome {
                source: name,
                result: Err("it is larger than any contribution (1 MB at most)".into()),
            }));
            continue;
        }
        match read_text(&file).await {
            Ok(text) => out.push(Ok(Offered { name, text })),
            Err(why) => out.push(Err(Outcome { source: name, result: Err(why) })),
        }
    }
    out
}

/// Merging contribution files and pasted codes, with one line of outcome for each.
#[component]
fn MergeContributions(pm: RwSignal<Postmortem>) -> impl IntoView {
    let library = Library::expect();
    let pasted = RwSignal::new(String::new());
    // Files picked and read, waiting for Merge; and those that could not be read.
    let files = RwSignal::new(Vec::<Offered>::new());
    let unreadable = RwSignal::new(Vec::<Outcome>::new());
    let outcomes = RwSignal::new(Vec::<Outcome>::new());
    let reading = RwSignal::new(false);
    let on_files = Callback::new(move |ev: web_sys::Event| {
        let picked = picked_files(&ev);
        reading.set(true);
        leptos::task::spawn_local(async move {
            let read = read_offered(picked).await;
            // `try_set` hands the value back when the editor has gone meanwhile.
            if reading.try_set(false).is_some() {
                return;
            }
            for item in read {
                match item {
                    Ok(offered) => files.update(|f| {
                        f.retain(|o| o.name != offered.name || o.text != offered.text);
                        f.push(offered)
                    }),
                    Err(outcome) => unreadable.update(|u| u.push(outcome)),
                }
            }
        });
    });
    let merge_all = move |_| {
        let mut offered = files.get_untracked();
        let text = pasted.get_untracked();
        if !text.trim().is_empty() {
            offered.push(Offered { name: "Pasted text".into(), text });
        }
        let unread = unreadable.get_untracked();
        let mine = pm.get_untracked();
        // Gone with the page: the chosen files stay chosen.
        let Some(merged) = library.read(|lib| merge_contributions(lib, &mine, &offered, unread)) else { return };
        if let Some(changed) = merged.postmortem {
            pm.set(changed);
        }
        outcomes.set(merged.outcomes);
        // Every item is in the report, merged or with its reason, so the box starts empty again
        // (merging the same text twice would only report duplicates).
        files.set(Vec::new());
        unreadable.set(Vec::new());
        pasted.set(String::new());
        focus_when_drawn("merge-outcomes".to_owned());
    };
    let nothing =
        move || files.with(Vec::is_empty) && unreadable.with(Vec::is_empty) && pasted.with(|p| p.trim().is_empty());
    let merged = move || outcomes.with(|o| o.iter().filter(|o| o.result.is_ok()).count());
    view! {
        <div class="merge-contributions">
            <h3>"Merge contributions"</h3>
            <p class="help">"Choose any number of contribution files and paste any number of codes, then merge them all at once. Each is checked: it must answer one of these invitations, be complete and unchanged, and not be merged already. A refused one changes nothing."</p>
            <div class="form-actions">
                <FilePicker input_id="contribution-files" label="Choose contribution files…" multiple=true
                    accept=".json,.txt,application/json,text/plain" on_change=on_files />
                {move || reading.get().then(|| view! { <span class="help" role="status">"Reading files…"</span> })}
            </div>
            <Show when=move || !files.with(Vec::is_empty)>
                <ul class="picked-files" aria-label="Files to merge">
                    {move || files.get().into_iter().enumerate().map(|(i, f)| view! {
                        <li>
                            {f.name.clone()}
                            <button type="button" class="icon-button" aria-label=format!("Leave out {}", f.name)
                                on:click=move |_| files.update(|list| { if i < list.len() { list.remove(i); } })>"×"</button>
                        </li>
                    }).collect_view()}
                </ul>
            </Show>
            <label for="contribution-codes">"Paste contribution codes"</label>
            <textarea id="contribution-codes" class="code" rows="3" placeholder="DEBRIEF-CONTRIBUTION.…"
                prop:value=pasted on:input:target=move |ev| pasted.set(ev.target().value())></textarea>
            <button type="button" class="primary" on:click=merge_all disabled=nothing>
                {move || {
                    let codes = if pasted.with(|p| p.trim().is_empty()) { "" } else { " and the pasted codes" };
                    match files.with(Vec::len) {
                        0 if codes.is_empty() => "Merge".to_owned(),
                        0 => "Merge the pasted codes".to_owned(),
                        1 => format!("Merge 1 file{codes}"),
                        n => format!("Merge {n} files{codes}"),
                    }
                }}
            </button>
            <Show when=move || !outcomes.with(Vec::is_empty)>
                <div id="merge-outcomes" class="merge-outcomes" tabindex="-1" role="status">
                    <p>{move || {
                        let total = outcomes.with(Vec::len);
                        format!("{} of {total} merged.", merged())
                    }}</p>
                    <ul>
                        {move || outcomes.get().into_iter().map(|o| match o.result {
                            Ok(()) => view! { <li class="outcome ok">{format!("✓ {}: merged", o.source)}</li> }.into_any(),
                            Err(why) => view! { <li class="outcome refused">{format!("✗ {}: not merged, because {why}", o.source)}</li> }.into_any(),
                        }).collect_view()}
                    </ul>
                </div>
            </Show>
        </div>
    }
}

/// Every merged answer, question by question, each with Promote and Remove.
#[component]
fn MergedAnswers(pm: RwSignal<Postmortem>) -> impl IntoView {
    let said = RwSignal::new(None::<String>);
    let removed = RwSignal::new(None::<(InvitationId, Contribution)>);
    let groups = Memo::new(move |_| {
        pm.with(|p| {
            p.invitations
                .iter()
                .filter(|s| !s.contributions.is_empty())
                .map(|s| {
                    let questions: Vec<(String, Vec<(ContributionId, String)>)> = answers_by_question(s)
                        .into_iter()
                        .map(|(q, answers)| {
                            (q.text.clone(), answers.into_iter().map(|(c, t)| (c, t.to_owned())).collect())
                        })
                        .collect();
                    (s.invitation.title.clone(), questions)
                })
                .collect::<Vec<_>>()
        })
    });
    let undo = move |_| {
        if let Some((invitation, c)) = removed.get_untracked() {
            pm.update(|p| {
                let _ = merge(p, invitation, c);
            });
            removed.set(None);
        }
    };
    let remove = Callback::new(move |id: ContributionId| {
        let mut gone = None;
        pm.update(|p| gone = remove_contribution(p, id));
        removed.set(gone);
    });
    view! {
        <DismissibleNotice kind=NoticeKind::Info message=said />
        {move || removed.get().map(|_| view! {
            <Notice kind=NoticeKind::Info message="Contribution removed, with all its answers.">
                <button type="button" class="secondary" on:click=undo>"Undo"</button>
                <button type="button" class="ghost" on:click=move |_| removed.set(None)>"Dismiss"</button>
            </Notice>
        })}
        {move || groups.get().into_iter().map(|(title, questions)| view! {
            <div class="merged">
                <h3>{format!("Answers to “{title}”")}</h3>
                <p class="help">"Shown in an order set by their content, not by when they arrived, and without any name."</p>
                {questions.into_iter().map(|(question, answers)| view! {
                    <h4>{question}</h4>
                    {if answers.is_empty() {
                        view! { <p class="muted">"No answers to this question."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="contribution-answers">
                                {answers.into_iter().map(|(id, text)| view! { <MergedAnswer pm=pm id=id text=text said=said on_remove=remove /> }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                }).collect_view()}
            </div>
        }).collect_view()}
    }
}

#[component]
fn MergedAnswer(
    pm: RwSignal<Postmortem>,
    id: ContributionId,
    text: String,
    said: RwSignal<Option<String>>,
    on_remove: Callback<ContributionId>,
) -> impl IntoView {
    let promoting = RwSignal::new(false);
    let statement = RwSignal::new(text.clone());
    let target = RwSignal::new(PromoteTo::Timeline);
    let field = format!("promote-{}", uuid::Uuid::new_v4());
    let open_id = StoredValue::new(format!("{field}-open"));
    let add = move |_| {
        let to = target.get_untracked();
        let added = pm.try_update(|p| promote(p, id, &statement.get_untracked(), to)).flatten();
        if added.is_some() {
            promoting.set(false);
            focus_when_drawn(open_id.get_value());
            said.set(Some(format!("Added to {}, marked as coming from an anonymous contribution.", to.label())));
        }
    };
    let focus_field = field.clone();
    view! {
        <li class="contribution-answer">
            <p class="answer-text">{text}</p>
            <Show when=move || promoting.get()
                fallback=move || {
                    let focus_field = focus_field.clone();
                    view! {
                        <div class="answer-actions">
                            <button type="button" class="secondary small" id=open_id.get_value()
                                on:click=move |_| { promoting.set(true); focus_when_drawn(focus_field.clone()); }>"Promote…"</button>
                            <button type="button" class="ghost small" on:click=move |_| on_remove.run(id)>"Remove this contribution"</button>
                        </div>
                    }
                }>
                <div class="promote-form" role="group" aria-label="Promote a statement">
                    <label for=field.clone()>"Statement (trim it to the part you want)"</label>
                    <textarea id=field.clone() rows="2" prop:value=statement on:input:target=move |ev| statement.set(ev.target().value())></textarea>
                    <label for=format!("{field}-to")>"Add it to"</label>
                    <select id=format!("{field}-to") on:change:target=move |ev| {
                        if let Some(to) = PromoteTo::from_key(&ev.target().value()) { target.set(to) }
                    }>
                        {PromoteTo::ALL.into_iter().map(|to| view! {
                            <option value=to.key() selected=move || target.get() == to>{to.label()}</option>
                        }).collect_view()}
                    </select>
                    <div class="form-actions">
                        <button type="button" class="primary small" on:click=add disabled=move || statement.with(|s| s.trim().is_empty())>"Add"</button>
                        <button type="button" class="ghost small"
                            on:click=move |_| { promoting.set(false); focus_when_drawn(open_id.get_value()); }>"Cancel"</button>
                    </div>
                </div>
            </Show>
        </li>
    }
}
