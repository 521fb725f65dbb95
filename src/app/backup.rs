//! What leaves the browser as a file: a full backup (every readable postmortem, the custom
//! templates and the keys for sealed contributions), an export of some postmortems, and
//! one postmortem as a Debrief file or as Markdown, with names replaced by roles when asked.
//!
//! Invariants: a backup never fails because the template or key list cannot be read (it is
//! the way out of trouble): it leaves them out and counts them with the unreadable entries.

use super::library::Library;
use crate::domain::markdown::to_markdown;
use crate::domain::redact::redact_names;
use crate::domain::{Postmortem, PostmortemId};
use crate::file_format::{Envelope, FormatError, export_postmortem, file_name_for};
use crate::storage::{KeyValueStore, StorageError};
use chrono::{DateTime, Utc};

/// A file to offer for download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    pub name: String,
    pub text: String,
    /// The media type to offer it as.
    pub mime: &'static str,
}

/// Why a file could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error("the file could not be written ({0})")]
    Format(#[from] FormatError),
}

/// A full backup, and how many stored entries are not in it because they cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backup {
    pub file: Download,
    pub unreadable: usize,
}

impl Backup {
    /// What to say once the backup was downloaded.
    pub fn describe(&self) -> String {
        let name = &self.file.name;
        match self.unreadable {
            0 => format!("Backup downloaded as {name}. Keep it somewhere other than this computer."),
            n => format!(
                "Backup downloaded as {name}. {n} unreadable entries are not in it: download their raw text below."
            ),
        }
    }
}

/// The whole library as one file, made at `now`.
pub fn backup<S: KeyValueStore>(library: &Library<S>, now: DateTime<Utc>) -> Result<Backup, ExportError> {
    let (postmortems, unlisted) = library.everything()?;
    // Entries found unreadable when the library was opened are not in the list at all.
    let unreadable = unlisted + library.corrupt().len();
    let (templates, unreadable) = match library.templates() {
        Ok(list) => (list, unreadable),
        Err(_) => (Vec::new(), unreadable + 1),
    };
    let (keys, unreadable) = match library.seal_keys() {
        Ok(list) => (list, unreadable),
        Err(_) => (Vec::new(), unreadable + 1),
    };
    let envelope = Envelope { templates, keys, ..Envelope::with_postmortems(postmortems) };
    let file = Download {
        name: format!("debrief-backup-{}.json", now.format("%Y-%m-%d")),
        text: envelope.to_pretty_json()?,
        mime: "application/json",
    };
    Ok(Backup { file, unreadable })
}

/// The postmortems `ids` as one file, made at `now`.
pub fn export<S: KeyValueStore>(
    library: &Library<S>,
    ids: &[PostmortemId],
    now: DateTime<Utc>,
) -> Result<Download, ExportError> {
    let postmortems = ids.iter().map(|id| library.load(id)).collect::<Result<Vec<_>, _>>()?;
    let name = match postmortems.as_slice() {
        [one] => file_name_for(one),
        many => format!("debrief-export-{}-{}-postmortems.json", now.format("%Y-%m-%d"), many.len()),
    };
    Ok(Download { name, text: Envelope::with_postmortems(postmortems).to_pretty_json()?, mime: "application/json" })
}

/// `pm` as it leaves the browser: with participants' names replaced by their roles when
/// `roles_for_names` is set.
pub fn outgoing(pm: &Postmortem, roles_for_names: bool) -> Postmortem {
    if roles_for_names { redact_names(pm) } else { pm.clone() }
}

/// `pm` as a Debrief file.
pub fn postmortem_file(pm: &Postmortem, roles_for_names: bool) -> Result<Download, ExportError> {
    let pm = outgoing(pm, roles_for_names);
    Ok(Download { name: file_name_for(&pm), text: export_postmortem(&pm)?, mime: "application/json" })
}

/// `pm` as GitHub-flavoured Markdown.
pub fn markdown_file(pm: &Postmortem, roles_for_names: bool) -> Download {
    let pm = outgoing(pm, roles_for_names);
    Download { name: file_name_for(&pm).replace(".debrief.json", ".md"), text: to_markdown(&pm), mime: "text/markdown" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sample::full_postmortem;
    use crate::file_format::import::read_file;
    use crate::storage::{MemoryStore, keys};

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-05-01T10:00:00Z").map(|t| t.with_timezone(&Utc)).unwrap_or_default()
    }

    #[test]
    fn a_backup_holds_every_readable_postmortem_and_reads_back() {
        let mut store = MemoryStore::new();
        store.set(&keys::document(&PostmortemId::random()), "{damaged").expect("planted");
        let (mut library, _) = Library::open(store);
        let a = library.add_sample(now()).expect("added");
        let b = library.add_sample(now()).expect("added");
        library.trash(&b, now()).expect("trashed");
        let backup = backup(&library, now()).expect("made");
        assert_eq!(backup.file.name, "debrief-backup-2026-05-01.json");
        assert_eq!(backup.unreadable, 1);
        assert!(backup.describe().contains("1 unreadable entries are not in it"));
        let read = read_file(&backup.file.name, &backup.file.text).expect("reads");
        let mut ids: Vec<PostmortemId> = read.postmortems.iter().map(|p| p.id).collect();
        ids.sort();
        let mut expected = vec![a, b];
        expected.sort();
        assert_eq!(ids, expected);
    }

    #[test]
    fn an_unreadable_template_list_does_not_stop_a_backup() {
        let mut store = MemoryStore::new();
        store.set(keys::TEMPLATES, "{damaged").expect("planted");
        let (mut library, _) = Library::open(store);
        library.add_sample(now()).expect("added");
        let backup = backup(&library, now()).expect("made anyway");
        assert_eq!(backup.unreadable, 1);
    }

    #[test]
    fn an_export_of_one_is_named_after_it_and_of_many_counts_them() {
        let (mut library, _) = Library::open(MemoryStore::new());
        let a = library.add_sample(now()).expect("added");
        let b = library.add_sample(now()).expect("added");
        let one = export(&library, &[a], now()).expect("made");
        assert!(one.name.ends_with(".debrief.json"));
        let both = export(&library, &[a, b], now()).expect("made");
        assert_eq!(both.name, "debrief-export-2026-05-01-2-postmortems.json");
        assert_eq!(read_file(&both.name, &both.text).map(|r| r.postmortems.len()), Ok(2));
        let gone = PostmortemId::random();
        assert_eq!(export(&library, &[gone], now()), Err(ExportError::Storage(StorageError::NotFound)));
    }

    #[test]
    fn names_are_replaced_by_roles_in_every_outgoing_form() {
        let pm = full_postmortem(now());
        let name = pm.participants[0].name.clone();
        assert!(postmortem_file(&pm, false).expect("made").text.contains(&name));
        assert!(!postmortem_file(&pm, true).expect("made").text.contains(&name));
        let markdown = markdown_file(&pm, true);
        assert!(markdown.name.ends_with(".md") && markdown.mime == "text/markdown");
        assert!(!markdown.text.contains(&name));
    }
}
