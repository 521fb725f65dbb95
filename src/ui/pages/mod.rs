//! One module per route. Pages may read context; components may not.

mod actions;
mod contribute;
mod editor;
mod library;
pub(crate) mod library_import;
mod metrics;
mod new_postmortem;
mod not_found;
mod read;
mod report;
mod storage;
mod team_folder;
mod templates;
mod trash;

pub use actions::ActionsPage;
pub use contribute::ContributePage;
pub use editor::EditorPage;
pub use library::LibraryPage;
pub use metrics::MetricsPage;
pub use new_postmortem::NewPostmortemPage;
pub use not_found::NotFoundPage;
pub use read::{ReadPage, opening_route};
pub use report::ReportPage;
pub use storage::StoragePage;
pub use templates::{TemplateEditorPage, TemplatesPage};
pub use trash::TrashPage;

use crate::domain::{Severity, Summary};
use chrono::{DateTime, Utc};

/// The date part of a UTC instant, for lists.
fn short_date(at: &DateTime<Utc>) -> String {
    at.with_timezone(&chrono::Local).format("%Y-%m-%d").to_string()
}

/// The date an incident started, or a dash.
fn incident_date(summary: &Summary) -> String {
    summary.incident_start.map(|t| t.format("%Y-%m-%d").to_string()).unwrap_or_else(|| "—".to_owned())
}

/// CSS class and text for a severity badge.
fn severity_badge(severity: Option<Severity>) -> (String, String) {
    match severity {
        Some(s) => (format!("badge sev sev{}", s.level()), s.name()),
        None => ("badge sev sev-none".to_owned(), "No severity".to_owned()),
    }
}
