//! What leaves the browser as a file: a full backup (every readable postmortem, the custom
//! templates and the keys for sealed contributions), an export of some postmortems, and
//! one postmortem as a Debrief file or as Markdown, with names replaced by roles when asked.
//!
//! Invariants:
//! - a backup never fails because the template or key list cannot be read (it is the way
//!   out of trouble): it leaves them out and counts them with the unreadable entries;
//! - every postmortem leaves carrying the version it was last exchanged at (its lineage),
//!   so the receiver can tell who changed what; an export sent to someone becomes, once
//!   downloaded, the version it is next compared with ([`record_sent`]). A backup and a
//!   copy with names replaced by roles are not exchanges and record nothing.

use super::library::Library;
use crate::domain::lineage::outgoing as with_lineage_to_send;
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
            1 => format!("Backup downloaded as {name}. 1 unreadable entry is not in it: download its raw text below."),
            n => format!(
                "Backup downloaded as {name}. {n} unreadable entries are not in it: download their raw text below."
            ),
        }
    }
}

/// The whole library as one file, made at `now`.
pub fn backup<S: KeyValueStore>(library: &Library<S>, now: DateTime<Utc>) -> Result<Backup, ExportError> {
    let (postmortems, unlisted) = library.everything()?;
    let postmortems = postmortems.iter().map(with_lineage_to_send).collect();
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

/// A file to send, and the versions it sends: once the file is on its way, [`record_sent`]
/// makes them the versions the next exchange is compared with.
#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    pub file: Download,
    pub sent: Vec<Postmortem>,
}

/// The postmortems `ids` as one file to send, made at `now`.
pub fn export<S: KeyValueStore>(
    library: &Library<S>,
    ids: &[PostmortemId],
    now: DateTime<Utc>,
) -> Result<Export, ExportError> {
    let sent = ids.iter().map(|id| library.load(id)).collect::<Result<Vec<_>, _>>()?;
    let name = match sent.as_slice() {
        [one] => file_name_for(one),
        many => format!("debrief-export-{}-{}-postmortems.json", now.format("%Y-%m-%d"), many.len()),
    };
    let postmortems = sent.iter().map(with_lineage_to_send).collect();
    let text = Envelope::with_postmortems(postmortems).to_pretty_json()?;
    Ok(Export { file: Download { name, text, mime: "application/json" }, sent })
}

/// `pm` (the editor's version, which may be newer than the stored one) as a file to send,
/// carrying the stored postmortem's lineage. With names replaced by roles it is a copy to
/// publish, not an exchange: it carries no lineage and sends nothing.
pub fn share<S: KeyValueStore>(
    library: &Library<S>,
    pm: &Postmortem,
    roles_for_names: bool,
) -> Result<Export, ExportError> {
    if roles_for_names {
        let pm = Postmortem { lineage: None, ..redact_names(pm) };
        let file = Download { name: file_name_for(&pm), text: export_postmortem(&pm)?, mime: "application/json" };
        return Ok(Export { file, sent: Vec::new() });
    }
    let lineage = library.load(&pm.id).ok().and_then(|stored| stored.lineage);
    let outgoing = with_lineage_to_send(&Postmortem { lineage, ..pm.clone() });
    let file = Download { name: file_name_for(pm), text: export_postmortem(&outgoing)?, mime: "application/json" };
    Ok(Export { file, sent: vec![pm.clone()] })
}

/// Records that the versions `sent` left in a file: each becomes the version its postmortem
/// was last exchanged at. One that is no longer stored is passed over.
pub fn record_sent<S: KeyValueStore>(library: &mut Library<S>, sent: &[Postmortem]) -> Result<(), StorageError> {
    for pm in sent {
        match library.record_exchange(&pm.id, pm) {
            Ok(()) | Err(StorageError::NotFound) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// `pm` as it leaves the browser: with participants' names replaced by their roles when
/// `roles_for_names` is set.
pub fn outgoing(pm: &Postmortem, roles_for_names: bool) -> Postmortem {
    if roles_for_names { redact_names(pm) } else { pm.clone() }
}

/// `pm` as a Debrief file of its own (a copy to keep, not an exchange).
pub fn postmortem_file(pm: &Postmortem, roles_for_names: bool) -> Result<Download, ExportError> {
    let pm = with_lineage_to_send(&outgoing(pm, roles_for_names));
    Ok(Download { name: file_name_for(&pm), text: export_postmortem(&pm)?, mime: "application/json" })
}

/// Edits that could not be saved, as one file to import later (none when there are none):
/// one postmortem as its own Debrief file, several as one file named for the moment.
pub fn unsaved_file(unsaved: &[Postmortem], now: DateTime<Utc>) -> Result<Option<Download>, ExportError> {
    match unsaved {
        [] => Ok(None),
        [one] => postmortem_file(one, false).map(Some),
        many => {
            let postmortems = many.iter().map(with_lineage_to_send).collect();
            let text = Envelope::with_postmortems(postmortems).to_pretty_json()?;
            let name = format!("debrief-unsaved-edits-{}-{}-postmortems.json", now.format("%Y-%m-%d-%H%M"), many.len());
            Ok(Some(Download { name, text, mime: "application/json" }))
        }
    }
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
        assert!(backup.describe().contains("1 unreadable entry is not in it: download its raw text below"));
        let read = read_file(&backup.file.name, &backup.file.text).expect("reads");
        let mut ids: Vec<PostmortemId> = read.postmortems.iter().map(|p| p.id).collect();
        ids.sort();
        let mut expected = vec![a, b];
        expected.sort();
        assert_eq!(ids, expected);
    }

    #[test]
    fn unsaved_edits_leave_as_one_importable_file() {
        assert_eq!(unsaved_file(&[], now()), Ok(None));
        let mut one = full_postmortem(now());
        one.summary = "Typed just before the crash.".into();
        let file = unsaved_file(std::slice::from_ref(&one), now()).expect("made").expect("a file");
        assert!(file.name.ends_with(".debrief.json"), "{}", file.name);
        let read = read_file(&file.name, &file.text).expect("reads");
        assert_eq!(read.postmortems[0].summary, one.summary);
        let mut two = full_postmortem(now());
        two.id = PostmortemId::random();
        let file = unsaved_file(&[one.clone(), two.clone()], now()).expect("made").expect("a file");
        assert_eq!(file.name, "debrief-unsaved-edits-2026-05-01-1000-2-postmortems.json");
        let read = read_file(&file.name, &file.text).expect("reads");
        assert_eq!(read.postmortems.iter().map(|p| p.id).collect::<Vec<_>>(), [one.id, two.id]);
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
        assert!(one.file.name.ends_with(".debrief.json"));
        let both = export(&library, &[a, b], now()).expect("made");
        assert_eq!(both.file.name, "debrief-export-2026-05-01-2-postmortems.json");
        assert_eq!(read_file(&both.file.name, &both.file.text).map(|r| r.postmortems.len()), Ok(2));
        assert_eq!(both.sent.iter().map(|p| p.id).collect::<Vec<_>>(), [a, b]);
        let gone = PostmortemId::random();
        assert_eq!(export(&library, &[gone], now()), Err(ExportError::Storage(StorageError::NotFound)));
    }

    #[test]
    fn a_sent_postmortem_carries_its_lineage_and_becomes_the_exchanged_version() {
        let (mut library, _) = Library::open(MemoryStore::new());
        let id = library.add_sample(now()).expect("added");
        let first = export(&library, &[id], now()).expect("made");
        let read = read_file("a.json", &first.file.text).expect("reads");
        assert_eq!(read.postmortems[0].lineage, None, "never exchanged before");
        record_sent(&mut library, &first.sent).expect("recorded");
        let exchanged = library.load(&id).expect("stored");
        let base = exchanged.lineage.clone().expect("exchanged").base;
        assert_eq!(base, crate::domain::lineage::content_hash(&exchanged));
        // The editor's newer version leaves carrying the version it descends from.
        let mut edited = exchanged.clone();
        edited.summary = "Edited after sending".into();
        let shared = share(&library, &edited, false).expect("made");
        let read = read_file("b.json", &shared.file.text).expect("reads");
        assert_eq!(read.postmortems[0].lineage.as_ref().map(|l| (l.base.clone(), l.kept)), Some((base, false)));
        assert_eq!(read.postmortems[0].summary, "Edited after sending");
        // With names replaced by roles it is not an exchange.
        let published = share(&library, &edited, true).expect("made");
        assert!(published.sent.is_empty());
        assert_eq!(read_file("c.json", &published.file.text).map(|r| r.postmortems[0].lineage.clone()), Ok(None));
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
