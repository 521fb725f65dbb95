//! The library of this tab, shared through context: the service every page reads and
//! changes the library through, and the list it shows, kept in step with the service.

use super::{explain, unless_closed};
use crate::app;
use crate::domain::template::Template;
use crate::domain::time::Zone;
use crate::domain::{ActionItem, ItemId, Postmortem, PostmortemId, Summary};
use crate::storage::browser_journal::{BrowserJournal, WebLocks};
use crate::storage::journal::Journal;
use crate::storage::{CorruptEntry, LocalStore, StorageError};
use crate::ui::browser::download_text;
use crate::ui::lazy::NotLoaded;
use chrono::{DateTime, Utc};
use leptos::prelude::*;

crate::ui::lazy::part!(
    postmortem,
    fn add_sample(library: Library) -> Result<Result<PostmortemId, String>, NotLoaded> {
        Ok(library.add_sample_now())
    }
);

/// The library service of this tab and what the list shows of it.
#[derive(Clone, Copy)]
pub struct Library {
    service: StoredValue<app::Library<LocalStore>>,
    /// Every summary, trashed ones included.
    pub summaries: RwSignal<Vec<Summary>>,
    /// Stored entries that could not be read; kept untouched.
    pub corrupt: RwSignal<Vec<CorruptEntry>>,
    /// A storage problem found while opening the library, in words for the user.
    pub problem: RwSignal<Option<String>>,
    /// When the last full backup was downloaded.
    pub last_backup: RwSignal<Option<DateTime<Utc>>>,
    /// The service's list version the signals above show.
    shown: StoredValue<u64>,
    /// Notified after every change through [`Self::change`] (a save, an import, the trash):
    /// the team folder writes what changed.
    pub changed: Trigger,
    /// The postmortems the team folder last changed in this tab, with a count that tells one
    /// such change from the next: an editor open on one of them follows it, or asks.
    pub taken: RwSignal<(u64, Vec<PostmortemId>)>,
    /// Whether the wording findings of postmortems listed first (by a large import) are
    /// being counted, and the unchecked lines tried in this tab.
    counting: StoredValue<(bool, std::collections::HashMap<PostmortemId, Summary>)>,
}

impl app::saving::SharedLibrary<LocalStore> for Library {
    fn read<T>(&self, read: impl FnOnce(&app::Library<LocalStore>) -> T) -> Option<T> {
        Library::read(self, read)
    }

    fn change<T>(&self, change: impl FnOnce(&mut app::Library<LocalStore>) -> T) -> Option<T> {
        Library::change(self, change)
    }
}

impl Library {
    /// Opens the library from localStorage.
    pub fn open() -> Self {
        let (service, opening) = app::Library::open(LocalStore);
        let problem = match (opening.failed, opening.index_warning) {
            (Some(e), _) => Some(explain(&e)),
            (None, Some(e)) => Some(format!("The library list could not be updated: {e}.")),
            (None, None) => None,
        };
        Self {
            summaries: RwSignal::new(service.summaries().to_vec()),
            corrupt: RwSignal::new(service.corrupt().to_vec()),
            problem: RwSignal::new(problem),
            last_backup: RwSignal::new(service.last_backup()),
            shown: StoredValue::new(service.list_version()),
            changed: Trigger::new(),
            taken: RwSignal::new((0, Vec::new())),
            counting: StoredValue::new((false, std::collections::HashMap::new())),
            service: StoredValue::new(service),
        }
    }

    /// Counts, a few milliseconds at a time and without holding up the page, the wording
    /// findings of the postmortems a large import listed first; each step's lines show at once.
    pub fn count_findings(self) {
        let waiting = self.read(|s| !s.unchecked().is_empty()).unwrap_or(false);
        if !waiting || self.counting.with_value(|(running, _)| *running) {
            return;
        }
        self.counting.update_value(|(running, _)| *running = true);
        leptos::task::spawn_local(async move {
            loop {
                // The list is drawn first, and the page answers between steps.
                crate::ui::browser::yield_to_browser().await;
                let Some(mut tried) = self.counting.try_update_value(|(_, tried)| std::mem::take(tried)) else {
                    return;
                };
                let started = js_sys::Date::now();
                let step = self.change(|s| s.count_findings(&mut tried, || js_sys::Date::now() - started < 40.0));
                let _ = self.counting.try_update_value(|(_, kept)| *kept = tried);
                match step {
                    Some(Ok(0)) => break,
                    Some(Ok(_)) => {}
                    Some(Err(e)) => {
                        let _ = self.problem.try_set(Some(format!(
                            "The wording suggestions could not be counted in the list: {}",
                            explain(&e)
                        )));
                        break;
                    }
                    None => return,
                }
            }
            let _ = self.counting.try_update_value(|(running, _)| *running = false);
        });
    }

    /// The library provided to every page (see [`super::Shared`]).
    pub fn expect() -> Self {
        super::Shared::expect().library
    }

    /// Reads through the service; `None` once the library is gone.
    pub fn read<T>(&self, read: impl FnOnce(&app::Library<LocalStore>) -> T) -> Option<T> {
        self.service.try_with_value(read)
    }

    /// Changes through the service, then shows the list as it is now if it changed;
    /// `None` once the library is gone.
    pub fn change<T>(&self, change: impl FnOnce(&mut app::Library<LocalStore>) -> T) -> Option<T> {
        let result = self.service.try_update_value(change)?;
        self.show_list();
        self.changed.notify();
        Some(result)
    }

    /// Puts the service's list in the signals, when it changed since they were set.
    fn show_list(&self) {
        let Some((version, changed)) = self.read(|s| (s.list_version(), s.list_version() != self.shown.get_value()))
        else {
            return;
        };
        if changed {
            self.shown.set_value(version);
            if let Some((summaries, corrupt)) = self.read(|s| (s.summaries().to_vec(), s.corrupt().to_vec())) {
                let unchecked = summaries.iter().any(|s| s.unchecked);
                self.summaries.set(summaries);
                self.corrupt.set(corrupt);
                if unchecked {
                    self.count_findings();
                }
            }
        }
    }

    /// Tells this tab's pages that the team folder changed the postmortems `ids` here (as
    /// another tab's save would, but in one notice however many there are).
    pub fn taken_from_folder(&self, ids: Vec<PostmortemId>) {
        let _ = self.taken.try_update(|(count, taken)| {
            *count += 1;
            *taken = ids;
        });
    }

    /// Writes back into localStorage every save the journal holds that localStorage lost (the
    /// browser stopped before writing it to disk) or that this tab's view of it has not
    /// caught up with, each under its postmortem's save lock; then trims the entries whose
    /// version localStorage has held for long enough. An editor showing a postmortem written
    /// back follows it.
    pub fn replay_journal(self) {
        leptos::task::spawn_local(async move {
            let now = || js_sys::Date::now().max(0.0) as u64;
            let replayed = app::saving::replay_journal(&self, &BrowserJournal, &WebLocks, now).await;
            if !replayed.is_empty() {
                self.taken_from_folder(replayed);
            }
        });
    }

    /// Reads the library again after another tab or window changed it (the `storage` event).
    pub fn reopen(&self) {
        if let Some(Err(e)) = self.change(|s| s.reopen()) {
            self.problem.set(Some(explain(&e)));
        }
        if let Some(last) = self.read(|s| s.last_backup()) {
            self.last_backup.set(last);
        }
    }

    /// Whether a change to the storage key `key` (from a `storage` event; `None` when the
    /// storage was cleared) concerns Debrief.
    pub fn concerns_us(key: Option<&str>) -> bool {
        key.is_none_or(|k| k.starts_with("debrief."))
    }

    /// The postmortem whose document the storage key `key` holds, if it is one.
    pub fn document_of(key: Option<&str>) -> Option<PostmortemId> {
        key.and_then(crate::storage::keys::document_id)
    }

    /// Reads one postmortem.
    pub fn load(&self, id: &PostmortemId) -> Result<Postmortem, StorageError> {
        unless_closed(self.read(|s| s.load(id)))
    }

    /// Every readable postmortem (trashed ones included).
    pub fn all_postmortems(&self) -> Result<Vec<Postmortem>, StorageError> {
        unless_closed(self.read(|s| s.all_postmortems()))
    }

    /// The readable postmortems among `ids`, in the list's order.
    pub fn these(&self, ids: &[PostmortemId]) -> Result<Vec<Postmortem>, StorageError> {
        unless_closed(self.read(|s| s.these(ids)))
    }

    /// Creates and stores an empty draft with its times in `zone`, written in `template` if given.
    pub fn create(&self, zone: Zone, template: Option<&Template>) -> Result<PostmortemId, StorageError> {
        unless_closed(self.change(|s| s.create(Utc::now(), zone, template)))
    }

    /// Adds a copy of the sample postmortem and returns its id. The sample, and the code that
    /// reads it, come with the editor's part of the app (which shows it next).
    pub async fn add_sample(self) -> Result<PostmortemId, String> {
        add_sample(self).await.unwrap_or_else(|e| {
            Err(format!("The sample could not be opened: {e}. Check the connection, then try again."))
        })
    }

    fn add_sample_now(&self) -> Result<PostmortemId, String> {
        self.change(|s| s.add_sample(Utc::now()))
            .unwrap_or(Err(app::library::SampleError::Storage(StorageError::Closed)))
            .map_err(|e| match e {
                app::library::SampleError::Storage(e) => explain(&e),
                other => other.to_string(),
            })
    }

    /// Moves a postmortem to the trash.
    pub fn trash(&self, id: &PostmortemId) -> Result<(), StorageError> {
        unless_closed(self.change(|s| s.trash(id, Utc::now())))
    }

    /// Takes a postmortem out of the trash.
    pub fn restore(&self, id: &PostmortemId) -> Result<(), StorageError> {
        unless_closed(self.change(|s| s.restore(id, Utc::now())))
    }

    /// Deletes a trashed postmortem for good.
    pub fn purge(&self, id: &PostmortemId) -> Result<(), StorageError> {
        let purged = unless_closed(self.change(|s| s.purge(id)));
        if purged.is_ok() {
            // Its journal entry goes too, or the next start would bring it back.
            let id = *id;
            leptos::task::spawn_local(async move {
                let _ = BrowserJournal.forget(&id).await;
            });
        }
        purged
    }

    /// Deletes an entry that cannot be read, then lists what is stored again.
    pub fn delete_unreadable(&self, key: &str) -> Result<(), String> {
        unless_closed(self.change(|s| s.delete_unreadable(key))).map_err(|e| explain(&e))
    }

    /// Changes one action item of a stored postmortem, recording its history.
    pub fn edit_action_item(
        &self,
        postmortem: &PostmortemId,
        item: ItemId,
        edit: impl FnOnce(&mut ActionItem),
    ) -> Result<(), StorageError> {
        unless_closed(self.change(|s| s.edit_action_item(postmortem, item, Utc::now(), edit)))
    }

    /// Offers the raw stored text under `key` as a file (for an entry that cannot be read).
    pub fn download_raw(&self, key: &str) -> Result<(), String> {
        match unless_closed(self.read(|s| s.raw(key))) {
            Ok(Some(text)) => download_text(&format!("{}.txt", key.replace('.', "-")), &text, "text/plain"),
            Ok(None) => Err("it is no longer stored".to_owned()),
            Err(e) => Err(e.to_string()),
        }
    }

    /// Downloads the whole library as one file and notes the date; says what happened.
    pub fn download_backup(&self) -> Result<String, String> {
        let now = Utc::now();
        let made = self.read(|s| app::backup::backup(s, now)).ok_or_else(|| explain(&StorageError::Closed))?;
        let backup = made.map_err(|e| match e {
            app::backup::ExportError::Storage(e) => explain(&e),
            other => other.to_string(),
        })?;
        download_text(&backup.file.name, &backup.file.text, backup.file.mime)?;
        // Failing to note the date only means the reminder comes back; the backup itself is fine.
        let _ = self.change(|s| s.record_backup(now));
        self.last_backup.set(Some(now));
        Ok(backup.describe())
    }

    /// Downloads the postmortems `ids` as one file to send; once it is on its way, they are
    /// the versions the next exchange is compared with.
    pub fn download_export(&self, ids: &[PostmortemId]) -> Result<(), String> {
        let made =
            self.read(|s| app::backup::export(s, ids, Utc::now())).ok_or_else(|| explain(&StorageError::Closed))?;
        self.send(made)
    }

    /// Downloads `pm` (an editor's version) as a file to send, with names replaced by roles
    /// when asked (then only a copy to publish); returns the file's name.
    pub fn download_shared(&self, pm: &Postmortem, roles_for_names: bool) -> Result<String, String> {
        let made =
            self.read(|s| app::backup::share(s, pm, roles_for_names)).ok_or_else(|| explain(&StorageError::Closed))?;
        let name = made.as_ref().map(|m| m.file.name.clone()).unwrap_or_default();
        self.send(made).map(|()| name)
    }

    /// Offers the file of `made` for download, then records what it sent.
    fn send(&self, made: Result<app::backup::Export, app::backup::ExportError>) -> Result<(), String> {
        let export = made.map_err(|e| match e {
            app::backup::ExportError::Storage(e) => explain(&e),
            other => other.to_string(),
        })?;
        download_text(&export.file.name, &export.file.text, export.file.mime)?;
        // The file left either way; failing to note it only makes the next merge ask more.
        let _ = self.change(|s| app::backup::record_sent(s, &export.sent));
        Ok(())
    }
}
