//! The trash: postmortems moved out of the library, to restore or delete for good.

use super::{severity_badge, short_date};
use crate::domain::{PostmortemId, Summary};
use crate::ui::components::{Notice, NoticeKind, NoticeSlot, focus_when_drawn};
use crate::ui::state::{Library, explain};
use leptos::prelude::*;

/// The trash page.
#[component]
pub fn TrashPage() -> impl IntoView {
    let library = Library::expect();
    let error = RwSignal::new(None::<String>);
    let info = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(None::<PostmortemId>);
    let trashed = Memo::new(move |_| {
        library.summaries.with(|all| {
            let mut list: Vec<Summary> = all.iter().filter(|s| s.deleted_at.is_some()).cloned().collect();
            crate::domain::order::sort_by_key(&mut list, |s| std::cmp::Reverse(s.deleted_at));
            list
        })
    });
    // Once a row goes, focus goes to the Restore button of the row that takes its place (or
    // the one before it), or to what was said when the trash is empty: never the page's start.
    let next_after = move |gone: PostmortemId| {
        trashed.with_untracked(|list| {
            let at = list.iter().position(|s| s.id == gone)?;
            list.get(at + 1).or_else(|| at.checked_sub(1).and_then(|i| list.get(i))).map(|s| s.id)
        })
    };
    let focus_next = move |next: Option<PostmortemId>| {
        focus_when_drawn(next.map_or_else(|| "trash-said".to_owned(), |id| format!("restore-{id}")));
    };
    let restore = move |id: PostmortemId, title: String| {
        let next = next_after(id);
        match library.restore(&id) {
            Ok(()) => {
                info.set(Some(format!("“{title}” is back in the library.")));
                focus_next(next);
            }
            Err(e) => error.set(Some(explain(&e))),
        }
    };
    let purge = move |id: PostmortemId, title: String| {
        confirming.set(None);
        let next = next_after(id);
        match library.purge(&id) {
            Ok(()) => {
                info.set(Some(format!("“{title}” was deleted for good.")));
                focus_next(next);
            }
            Err(e) => error.set(Some(explain(&e))),
        }
    };

    view! {
        <div class="page trash-page">
            <div class="page-head">
                <div>
                    <h1>"Trash"</h1>
                    <p class="lede">"Postmortems here are kept until you restore them or delete them for good."</p>
                </div>
            </div>
            <NoticeSlot kind=NoticeKind::Error>
                {move || error.get().map(|e| view! { <Notice kind=NoticeKind::Error message=e in_slot=true /> })}
            </NoticeSlot>
            <NoticeSlot kind=NoticeKind::Info id=Some("trash-said")>
                {move || info.get().map(|i| view! { <Notice kind=NoticeKind::Info message=i in_slot=true /> })}
            </NoticeSlot>
            <Show
                when=move || trashed.with(|t| !t.is_empty())
                fallback=|| view! {
                    <section class="empty-state"><h2>"The trash is empty"</h2>
                    <p>"Postmortems you move to the trash appear here, ready to restore."</p></section>
                }
            >
                <ul class="trash-list">
                    <For each=move || trashed.get() key=|s| s.id let(s)>
                        {
                            let id = s.id;
                            let title = s.display_title().to_owned();
                            let (badge_class, badge_text) = severity_badge(s.severity);
                            let deleted = s.deleted_at.as_ref().map(short_date).unwrap_or_default();
                            let (t1, t2, t3) = (title.clone(), title.clone(), title.clone());
                            view! {
                                <li class="trash-row">
                                    <div>
                                        <span class="trash-title">{title.clone()}</span>" "
                                        <span class=badge_class>{badge_text}</span>
                                        <span class="muted">{format!(" · moved to trash {deleted}")}</span>
                                    </div>
                                    <div class="row-actions">
                                        <button type="button" class="secondary" aria-label=format!("Restore “{title}”") id=format!("restore-{id}")
                                            on:click=move |_| restore(id, t1.clone())>"Restore"</button>
                                        <Show
                                            when=move || confirming.get() == Some(id)
                                            fallback=move || view! {
                                                <button type="button" class="ghost danger" aria-label=format!("Delete for good… “{t3}”")
                                                    on:click=move |_| confirming.set(Some(id))>"Delete for good…"</button>
                                            }
                                        >
                                            <span class="confirm" role="group" aria-label="Confirm deletion">
                                                "This cannot be undone. "
                                                <button type="button" class="danger" on:click={
                                                    let t = t2.clone();
                                                    move |_| purge(id, t.clone())
                                                }>"Delete"</button>
                                                <button type="button" class="ghost" on:click=move |_| confirming.set(None)>"Cancel"</button>
                                            </span>
                                        </Show>
                                    </div>
                                </li>
                            }
                        }
                    </For>
                </ul>
            </Show>
        </div>
    }
}
