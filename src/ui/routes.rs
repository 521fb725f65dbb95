//! Every route in the app; links are built here, never typed as literals elsewhere.

use crate::domain::PostmortemId;

/// A place in the app a link can point to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppRoute {
    Library,
    Trash,
    Postmortem(PostmortemId),
}

impl AppRoute {
    /// The path of this route below the app's base path.
    pub fn path(&self) -> String {
        match self {
            Self::Library => "/".to_owned(),
            Self::Trash => "/trash".to_owned(),
            Self::Postmortem(id) => format!("/postmortems/{id}"),
        }
    }
}
