//! The contributor's page, opened from an invitation link: what stays anonymous and what
//! cannot, the questions, and the finished contribution as a file or a code.
//!
//! It never opens the library: nothing of the contributor's is stored except the draft in
//! this tab's session storage, which goes as soon as they finish or discard.

use crate::app::invitations::{finish_contribution, forget_drafts, keep_draft, kept_draft};
use crate::domain::contribution::{Contribution, ContributionId, Invitation};
use crate::domain::wording::{FieldKind, Finding, apply_rewrite};
use crate::file_format::contribution::{CONTRIBUTION_FILE_NAME, WireError};
use crate::storage::SessionStore;
use crate::ui::browser::{copy_text, download_text};
use crate::ui::components::{CheckedText, Notice, NoticeKind, WordingHooks, focus_when_drawn};
use crate::ui::hooks::use_window_listener_untyped;
use crypto_box::aead::OsRng;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Where the contributor is.
#[derive(Clone, PartialEq)]
enum Stage {
    Writing,
    /// Finished: the contribution as a file and as a code, held only in memory.
    Finished {
        file: String,
        code: String,
    },
    /// The contribution was taken away and wiped from the page too.
    Done,
}

/// What is shown when the page was opened from an invitation link or file.
#[component]
pub fn ContributePage(invitation: Result<Invitation, WireError>, on_leave: Callback<()>) -> impl IntoView {
    document().set_title("Contribute anonymously · Debrief");
    view! {
        <header class="app-header contribute-header">
            <span class="brand"><span class="brand-mark" aria-hidden="true">"◆"</span>" Debrief"</span>
            <p class="privacy-note">"Anonymous contribution · nothing is sent anywhere"</p>
        </header>
        <main id="main" tabindex="-1" class="page contribute">
            {match invitation {
                Ok(inv) => view! { <Contribute inv=inv on_leave=on_leave /> }.into_any(),
                Err(e) => view! {
                    <h1>"This invitation link cannot be opened"</h1>
                    <Notice kind=NoticeKind::Error message=format!(
                        "This link cannot be read: {e}. Ask the person who sent it for the link again (copy it whole), or for the invitation file."
                    )>
                        <button type="button" class="secondary" on:click=move |_| on_leave.run(())>"Open Debrief instead"</button>
                    </Notice>
                }.into_any(),
            }}
        </main>
    }
}

#[component]
fn Contribute(inv: Invitation, on_leave: Callback<()>) -> impl IntoView {
    let draft = kept_draft(&SessionStore, &inv);
    let id = draft.as_ref().map_or_else(ContributionId::random, |d| d.id);
    let restored = draft.is_some();
    let initial: Vec<(String, String)> = inv
        .questions
        .iter()
        .map(|q| {
            let text =
                draft.as_ref().and_then(|d| d.answers.iter().find(|a| a.question == q.key)).map(|a| a.text.clone());
            (q.key.clone(), text.unwrap_or_default())
        })
        .collect();
    let answers = RwSignal::new(initial);
    let stage = RwSignal::new(Stage::Writing);
    let problem = RwSignal::new(None::<String>);
    let confirm_discard = RwSignal::new(false);
    let inv = StoredValue::new(inv);
    let contribution = move || {
        let list = answers.get_untracked();
        inv.with_value(|inv| Contribution { id, answers: Contribution::new(inv, &list).answers })
    };
    let remember_draft = move || {
        let result = inv.with_value(|inv| keep_draft(&mut SessionStore, inv, &contribution()));
        // A draft that cannot be kept only loses the reload safety net; say so once.
        if result.is_err() && problem.get_untracked().is_none() {
            problem.set(Some(
                "This browser will not keep a draft, so a reload would lose your answers. Finish in one go.".to_owned(),
            ));
        }
    };
    let answered = move || answers.with(|a| a.iter().filter(|(_, t)| !t.trim().is_empty()).count());

    // The wording assistant, for the contributor's own answers only.
    let key_of = |field: &str| field.trim_start_matches("contribute-").to_owned();
    let hooks = WordingHooks::standalone(
        FieldKind::Contribution,
        Vec::new(),
        Callback::new(move |field: String| {
            let key = key_of(&field);
            answers.with(|a| a.iter().find(|(k, _)| *k == key).map(|(_, t)| t.clone())).unwrap_or_default()
        }),
        Callback::new(move |(field, finding): (String, Finding)| {
            let key = key_of(&field);
            answers.update(|a| {
                if let Some((_, text)) = a.iter_mut().find(|(k, _)| *k == key) {
                    apply_rewrite(text, &finding);
                }
            });
            remember_draft();
            focus_when_drawn(field);
        }),
    );

    let finish = move |_| {
        let c = contribution();
        match inv.with_value(|inv| finish_contribution(inv, &c, &mut OsRng)) {
            Ok(finished) => {
                let _ = forget_drafts(&mut SessionStore);
                answers.update(|a| a.iter_mut().for_each(|(_, t)| t.clear()));
                problem.set(None);
                stage.set(Stage::Finished { file: finished.file, code: finished.code });
                focus_when_drawn("finished-heading".to_owned());
            }
            Err(e) => problem.set(Some(e.to_string())),
        }
    };
    let discard = move |_| {
        let _ = forget_drafts(&mut SessionStore);
        answers.update(|a| a.iter_mut().for_each(|(_, t)| t.clear()));
        confirm_discard.set(false);
        stage.set(Stage::Done);
        focus_when_drawn("done-heading".to_owned());
    };

    let title = inv.with_value(|i| i.title.clone());
    let summary = inv.with_value(|i| i.summary.clone());
    let sealed = inv.with_value(|i| i.seal_key.is_some());
    let today = chrono::Local::now().date_naive();
    let deadline = inv.with_value(|i| i.deadline).map(|d| {
        let date = d.format("%A %-d %B %Y").to_string();
        if d < today {
            format!(
                "The deadline was {date}. Your answers can still help: the facilitator decides whether to add them."
            )
        } else {
            format!("Please answer by {date}.")
        }
    });
    view! {
        <p class="eyebrow">"You are invited to contribute anonymously"</p>
        <h1>{title}</h1>
        {(!summary.is_empty()).then(|| view! { <p class="invitation-summary">{summary}</p> })}
        {deadline.map(|d| view! { <p class="deadline">{d}</p> })}
        <section class="card anonymity" aria-labelledby="anonymity-heading">
            <h2 id="anonymity-heading">"What stays anonymous, and what cannot"</h2>
            <ul>
                <li>"Your contribution holds only your answers, a random number and the invitation it answers. No name, no time, no timezone, no language or browser details."</li>
                <li>"Nothing is sent anywhere. When you finish, you get a file or a code, and you choose how to pass it on."</li>
                <li><strong>"What cannot be hidden: "</strong>"your writing style and details only you would know; and the channel you send it through. An email or a direct message shows who sent it: post it in a shared channel, or ask someone to pass it on."</li>
                {if sealed {
                    view! { <li>"This invitation is "<strong>"sealed"</strong>": your contribution is encrypted so that only the facilitator's browser can open it, even if it passes through a shared channel."</li> }.into_any()
                } else {
                    view! { <li>"This invitation is not sealed: anyone who sees the file or code can read your answers."</li> }.into_any()
                }}
                <li>"Until you finish, a draft is kept in this tab only, so a reload does not lose it. It is wiped when you finish or discard. If you close the tab without doing either, the browser may keep it to restore the tab later: press Discard if you stop here."</li>
            </ul>
        </section>
        {move || problem.get().map(|p| view! { <Notice kind=NoticeKind::Warning message=p /> })}
        {move || match stage.get() {
            Stage::Writing => view! {
                <form class="contribute-form" on:submit=|ev| ev.prevent_default()>
                    {restored.then(|| view! { <p class="help" role="status">"Your unfinished answers were kept from before the reload."</p> })}
                    {inv.with_value(|i| i.questions.clone()).into_iter().enumerate().map(|(n, q)| {
                        let key = q.key.clone();
                        let field = format!("contribute-{key}");
                        let question_id = format!("{field}-question");
                        let value = Signal::derive({
                            let key = key.clone();
                            move || answers.with(|a| a.iter().find(|(k, _)| *k == key).map(|(_, t)| t.clone()).unwrap_or_default())
                        });
                        let on_input = Callback::new(move |text: String| {
                            answers.update(|a| {
                                if let Some((_, t)) = a.iter_mut().find(|(k, _)| *k == key) {
                                    *t = text;
                                }
                            });
                            remember_draft();
                        });
                        view! {
                            <div class="question">
                                <label for=field.clone() id=question_id.clone()>{format!("{}. {}", n + 1, q.text)}</label>
                                <CheckedText id=field value=value on_input=on_input hooks=hooks described_by=question_id />
                            </div>
                        }
                    }).collect_view()}
                    <p class="help">{move || match answered() {
                        0 => "Answer any of the questions you can; skip the others.".to_owned(),
                        1 => "1 question answered.".to_owned(),
                        n => format!("{n} questions answered."),
                    }}</p>
                    <div class="form-actions">
                        <button type="button" class="primary" on:click=finish disabled=move || answered() == 0>"Finish"</button>
                        <Show when=move || !confirm_discard.get()
                            fallback=move || view! {
                                <span class="confirm" role="group" aria-label="Discard your answers?">
                                    "Discard your answers? "
                                    <button type="button" class="danger" id="confirm-discard" on:click=discard>"Yes, discard"</button>
                                    <button type="button" class="ghost" on:click=move |_| {
                                        confirm_discard.set(false);
                                        focus_when_drawn("discard".to_owned());
                                    }>"Keep writing"</button>
                                </span>
                            }>
                            <button type="button" class="ghost" id="discard" on:click=move |_| {
                                confirm_discard.set(true);
                                focus_when_drawn("confirm-discard".to_owned());
                            }>"Discard"</button>
                        </Show>
                    </div>
                </form>
            }.into_any(),
            Stage::Finished { file, code } => view! { <Finished file=file code=code stage=stage /> }.into_any(),
            Stage::Done => view! {
                <section class="card" aria-labelledby="done-heading">
                    <h2 id="done-heading" tabindex="-1">"Nothing is kept"</h2>
                    <p>"Your answers are gone from this browser. Thank you for taking part."</p>
                    <button type="button" class="secondary" on:click=move |_| on_leave.run(())>"Open Debrief"</button>
                </section>
            }.into_any(),
        }}
    }
}

/// The finished contribution: a download, a code to copy, and how to pass it on.
#[component]
fn Finished(file: String, code: String, stage: RwSignal<Stage>) -> impl IntoView {
    let said = RwSignal::new(None::<String>);
    let download = {
        let file = file.clone();
        move |_| {
            said.set(Some(match download_text(CONTRIBUTION_FILE_NAME, &file, "application/json") {
                Ok(()) => format!("Downloaded as “{CONTRIBUTION_FILE_NAME}”: send that file to the facilitator."),
                Err(e) => format!("The download did not start ({e}). Copy the code instead."),
            }))
        }
    };
    let copy = {
        let code = code.clone();
        move |_| {
            let code = code.clone();
            leptos::task::spawn_local(async move {
                let text = match copy_text(&code).await {
                    Ok(()) => "Code copied: paste it into a message to the facilitator.".to_owned(),
                    Err(_) => {
                        "Could not copy automatically: select the code above and copy it (Ctrl+C or ⌘C).".to_owned()
                    }
                };
                let _ = said.try_set(Some(text));
            });
        }
    };
    let chars = code.chars().count();
    // The contribution lives only on this page now: ask before the tab closes or reloads.
    use_window_listener_untyped("beforeunload", move |ev| {
        ev.prevent_default();
        if let Some(ev) = ev.dyn_ref::<web_sys::BeforeUnloadEvent>() {
            ev.set_return_value("Your contribution is not kept anywhere once you leave.");
        }
    });
    view! {
        <section class="card finished" aria-labelledby="finished-heading">
            <h2 id="finished-heading" tabindex="-1">"Your contribution is ready"</h2>
            <p>"Send it to the facilitator in either form. It is kept only on this page: download or copy it before you close or reload, because this browser keeps no copy."</p>
            <div class="form-actions">
                <button type="button" class="primary" on:click=download>"Download file"</button>
                <button type="button" class="secondary" on:click=copy>"Copy code"</button>
            </div>
            <label for="contribution-code">{format!("Contribution code ({chars} characters; send all of it)")}</label>
            <textarea id="contribution-code" class="code" readonly rows="4" prop:value=code></textarea>
            {move || said.get().map(|s| view! { <p class="help" role="status">{s}</p> })}
            <button type="button" class="ghost" on:click=move |_| {
                stage.set(Stage::Done);
                focus_when_drawn("done-heading".to_owned());
            }>"I have sent it: wipe it from this page"</button>
        </section>
    }
}
