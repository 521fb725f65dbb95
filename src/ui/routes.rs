//! Every route in the app; links are built here, never typed as literals elsewhere.

use crate::domain::PostmortemId;
use crate::domain::template::TemplateId;
use std::sync::OnceLock;

/// The path the app is served under, read once from the page's `<base href>`.
pub fn base() -> &'static str {
    static BASE: OnceLock<String> = OnceLock::new();
    BASE.get_or_init(super::browser::base_path)
}

/// A place in the app a link can point to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppRoute {
    Library,
    /// Choosing a template for a new postmortem.
    New,
    /// Built-in and custom templates.
    Templates,
    /// One template, to edit (custom) or read (built-in).
    Template(TemplateId),
    /// A postmortem in guided mode, at one section (by key), or at the start.
    Guided(PostmortemId, Option<String>),
    Trash,
    /// How much room the library takes and whether the browser keeps it.
    Storage,
    /// Every action item across the library.
    Actions,
    /// Learning metrics.
    Metrics,
    /// The learning report for a period.
    Report,
    Postmortem(PostmortemId),
    /// A postmortem as a printable document.
    Print(PostmortemId),
    /// A postmortem as a finished document to read (the print view's twin).
    Read(PostmortemId),
}

impl AppRoute {
    /// The path of this route below the app's base path, for `navigate`, which adds the base.
    pub fn path(&self) -> String {
        match self {
            Self::Library => "/".to_owned(),
            Self::New => "/new".to_owned(),
            Self::Templates => "/templates".to_owned(),
            Self::Template(id) => format!("/templates/{}", crate::ui::browser::encode(&id.0)),
            Self::Guided(id, None) => format!("/postmortems/{id}?guide=start"),
            Self::Guided(id, Some(key)) => format!("/postmortems/{id}?guide={}", crate::ui::browser::encode(key)),
            Self::Trash => "/trash".to_owned(),
            Self::Storage => "/storage".to_owned(),
            Self::Actions => "/actions".to_owned(),
            Self::Metrics => "/metrics".to_owned(),
            Self::Report => "/report".to_owned(),
            Self::Postmortem(id) => format!("/postmortems/{id}"),
            Self::Print(id) => format!("/postmortems/{id}/print"),
            Self::Read(id) => format!("/postmortems/{id}/read"),
        }
    }

    /// The full path for links (`<A href>` and `<a href>` use it as it is): base plus path.
    pub fn href(&self) -> String {
        format!("{}{}", base(), self.path())
    }
}

/// How a page moves to new filters in its address: replacing the history entry (so Back
/// leaves the page rather than stepping through every filter) and keeping the scroll.
pub fn filters_changed() -> leptos_router::NavigateOptions {
    leptos_router::NavigateOptions { replace: true, scroll: false, ..leptos_router::NavigateOptions::default() }
}
