//! A message box for problems and confirmations, announced to screen readers.

use leptos::prelude::*;

/// How serious a notice is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    /// Something needs the user's attention now (announced at once).
    Error,
    /// Something worth knowing (announced politely).
    Warning,
    /// A confirmation of what just happened.
    Info,
}

/// A box with a message and, as children, the actions that resolve it.
#[component]
pub fn Notice(
    kind: NoticeKind,
    #[prop(into)] message: Signal<String>,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let (class, role) = match kind {
        NoticeKind::Error => ("notice notice-error", "alert"),
        NoticeKind::Warning => ("notice notice-warning", "status"),
        NoticeKind::Info => ("notice notice-info", "status"),
    };
    view! {
        <div class=class role=role>
            <p>{message}</p>
            {children.map(|c| view! { <div class="notice-actions">{c()}</div> })}
        </div>
    }
}

/// A notice shown while `message` holds text, with a Dismiss button that clears it.
#[component]
pub fn DismissibleNotice(kind: NoticeKind, message: RwSignal<Option<String>>) -> impl IntoView {
    move || {
        message.get().map(|text| {
            view! {
                <Notice kind=kind message=text>
                    <button type="button" class="secondary" on:click=move |_| message.set(None)>"Dismiss"</button>
                </Notice>
            }
        })
    }
}

/// The mark on a row promoted from an anonymous contribution.
#[component]
pub fn AnonymousMark() -> impl IntoView {
    view! { <span class="badge anonymous" title="Promoted from an anonymous contribution; who wrote it is not known">"From an anonymous contribution"</span> }
}
