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

impl NoticeKind {
    /// The live-region role a notice of this kind is announced through.
    fn role(self) -> &'static str {
        if self == Self::Error { "alert" } else { "status" }
    }

    fn class(self) -> &'static str {
        match self {
            Self::Error => "notice notice-error",
            Self::Warning => "notice notice-warning",
            Self::Info => "notice notice-info",
        }
    }
}

/// A box with a message and, as children, the actions that resolve it. Shown for as long
/// as the page part that holds it; one that comes and goes belongs in a [`NoticeSlot`].
#[component]
pub fn Notice(
    kind: NoticeKind,
    #[prop(into)] message: Signal<String>,
    #[prop(optional)] children: Option<Children>,
    /// Set inside a [`NoticeSlot`], whose region announces it.
    #[prop(optional)]
    in_slot: bool,
) -> impl IntoView {
    view! {
        <div class=kind.class() role=(!in_slot).then(|| kind.role())>
            <p>{message}</p>
            {children.map(|c| view! { <div class="notice-actions">{c()}</div> })}
        </div>
    }
}

/// A live region that is always on the page, for a notice that comes and goes: screen
/// readers announce a change in a region they already know, and often miss a region that
/// arrives together with its text. `id` (focusable) lets focus be moved to what it says.
#[component]
pub fn NoticeSlot(
    kind: NoticeKind,
    #[prop(default = None)] id: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! { <div class="notice-slot" role=kind.role() id=id tabindex=id.map(|_| "-1")>{children()}</div> }
}

/// A notice shown while `message` holds text, with a Dismiss button that clears it, in its
/// own [`NoticeSlot`] (`id` names the slot, to move focus to it).
#[component]
pub fn DismissibleNotice(
    kind: NoticeKind,
    message: RwSignal<Option<String>>,
    #[prop(default = None)] id: Option<&'static str>,
) -> impl IntoView {
    view! {
        <NoticeSlot kind=kind id=id>
            {move || {
                message.get().map(|text| {
                    view! {
                        <Notice kind=kind message=text in_slot=true>
                            <button type="button" class="secondary" on:click=move |_| message.set(None)>"Dismiss"</button>
                        </Notice>
                    }
                })
            }}
        </NoticeSlot>
    }
}

/// The mark on a row promoted from an anonymous contribution.
#[component]
pub fn AnonymousMark() -> impl IntoView {
    view! { <span class="badge anonymous" title="Promoted from an anonymous contribution; who wrote it is not known">"From an anonymous contribution"</span> }
}
