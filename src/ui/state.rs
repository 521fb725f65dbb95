//! State shared through context: the library (summaries, unreadable entries, storage
//! problems) and the operations pages use to change it.

use crate::domain::search::SearchIndex;
use crate::domain::template::{Template, TemplateId, apply_template, builtin};
use crate::domain::{Postmortem, PostmortemId, Summary, UtcOffset};
use crate::file_format::Envelope;
use crate::file_format::contribution::SealKey;
use crate::storage::capacity::Usage;
use crate::storage::{
    CorruptEntry, DecidedImport, ImportFailure, ImportReport, LocalStore, PlannedItem, Repository, StorageError,
};
use crate::ui::browser::{timed, yield_to_browser};
use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// The colour theme chosen in this browser (the contributor's page has no library, so
/// this stands on its own).
pub fn stored_theme() -> crate::storage::preferences::Theme {
    crate::storage::preferences::theme(&LocalStore)
}

/// Remembers the colour theme chosen in this browser.
pub fn remember_theme(theme: crate::storage::preferences::Theme) -> Result<(), StorageError> {
    crate::storage::preferences::set_theme(&mut LocalStore, theme)
}

/// The library of postmortems in this browser, shared through context.
#[derive(Clone, Copy)]
pub struct Library {
    repo: StoredValue<Repository<LocalStore>>,
    /// Every summary, trashed ones included.
    pub summaries: RwSignal<Vec<Summary>>,
    /// Stored entries that could not be read; kept untouched.
    pub corrupt: RwSignal<Vec<CorruptEntry>>,
    /// A storage problem found while opening the library, in words for the user.
    pub problem: RwSignal<Option<String>>,
    /// When the last full backup was downloaded.
    pub last_backup: RwSignal<Option<DateTime<Utc>>>,
    /// Edits that could not be saved when their editor closed, with the reason: kept in
    /// memory so they can still be downloaded.
    pub unsaved: RwSignal<Vec<(Postmortem, String)>>,
    /// Custom templates stored in this browser.
    pub templates: RwSignal<Vec<Template>>,
    /// Template edits left unsaved when their editor closed, so coming back finds them.
    pub template_drafts: RwSignal<Vec<Template>>,
    /// Why the stored custom templates could not be read, if they could not.
    pub templates_problem: RwSignal<Option<String>>,
    /// How full the browser's storage is, once measured or estimated.
    pub capacity: RwSignal<Option<Capacity>>,
    /// The words of every postmortem, read in the background once the list is shown.
    search: StoredValue<SearchIndex>,
    /// While the search index is reading postmortems: how many it has read, of how many.
    /// `None` once every readable postmortem is in it.
    pub indexing_progress: RwSignal<Option<(usize, usize)>>,
    /// Changes whenever the search index does, so results follow it.
    search_version: RwSignal<u64>,
    /// Whether the background reading for the index is under way.
    indexing: StoredValue<bool>,
    /// How many pages that search are shown: the index reads only while one is, so it
    /// never competes with typing in the editor.
    search_shown: StoredValue<u32>,
}

/// How much of the browser's storage the library takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Capacity {
    pub usage: Usage,
    /// The whole size in characters: measured now, or as last measured.
    pub size: usize,
    /// Whether `size` was measured just now rather than remembered.
    pub fresh: bool,
}

impl Capacity {
    /// How much of the whole is used, from 0 to 1.
    pub fn share_used(&self) -> f64 {
        if self.size == 0 { 1.0 } else { (self.usage.total as f64 / self.size as f64).min(1.0) }
    }

    /// Characters still free.
    pub fn room(&self) -> usize {
        self.size.saturating_sub(self.usage.total)
    }

    /// Whether it is time to warn: four fifths used.
    pub fn nearly_full(&self) -> bool {
        self.share_used() >= 0.8
    }

    /// How many more postmortems of the average size fit.
    pub fn more_postmortems(&self) -> Option<usize> {
        self.usage.average_document().map(|avg| self.room() / avg.max(1))
    }
}

/// A size in characters as people read it (browsers store two bytes per character).
pub fn size_text(chars: usize) -> String {
    let bytes = chars as f64 * 2.0;
    if bytes >= 1024.0 * 1024.0 {
        format!("{:.1} MB", bytes / (1024.0 * 1024.0))
    } else {
        format!("{:.0} KB", (bytes / 1024.0).ceil())
    }
}

/// Turns a storage error into a sentence that says what to do.
pub fn explain(error: &StorageError) -> String {
    match error {
        StorageError::QuotaExceeded => "Your browser's storage for Debrief is full, so this change is not saved. \
             Download a copy now, then delete old postmortems from the trash to make room."
            .to_owned(),
        StorageError::Unavailable(_) => format!(
            "Debrief cannot save in this browser: {error}. Download a copy to keep your work, \
             then open Debrief in a normal window."
        ),
        StorageError::Conflict => "This postmortem was changed in another tab or window since you opened it, \
             so your latest edits were not saved over it. Download your version, then reload the page to see the other one."
            .to_owned(),
        StorageError::Corrupt { .. } => format!("{error}. Download the stored text to keep it."),
        other => format!("Your latest changes are not saved: {other}. Download a copy to keep them."),
    }
}

impl Library {
    /// Opens the library from localStorage and provides it to every page.
    pub fn provide() -> Self {
        let mut repo = Repository::new(LocalStore);
        let (summaries, corrupt, problem) = match repo.open() {
            Ok(opened) => (
                opened.summaries,
                opened.corrupt,
                opened.index_warning.map(|e| format!("The library list could not be updated: {e}.")),
            ),
            Err(e) => (Vec::new(), Vec::new(), Some(explain(&e))),
        };
        let last_backup = repo.last_backup();
        let (templates, templates_problem) = match repo.templates() {
            Ok(list) => (list, None),
            Err(e) => (Vec::new(), Some(explain(&e))),
        };
        let library = Self {
            templates: RwSignal::new(templates),
            template_drafts: RwSignal::new(Vec::new()),
            templates_problem: RwSignal::new(templates_problem),
            capacity: RwSignal::new(None),
            last_backup: RwSignal::new(last_backup),
            unsaved: RwSignal::new(Vec::new()),
            repo: StoredValue::new(repo),
            summaries: RwSignal::new(summaries),
            corrupt: RwSignal::new(corrupt),
            problem: RwSignal::new(problem),
            search: StoredValue::new(SearchIndex::default()),
            indexing_progress: RwSignal::new(None),
            search_version: RwSignal::new(0),
            indexing: StoredValue::new(false),
            search_shown: StoredValue::new(0),
        };
        provide_context(library);
        library
    }

    /// The library provided by [`Library::provide`].
    pub fn expect() -> Self {
        expect_context()
    }

    /// For a page that searches, from when it is drawn until it is gone: the search index
    /// reads what it lacks in the background meanwhile.
    pub fn search_while_shown(self) {
        self.search_shown.update_value(|n| *n += 1);
        self.index_in_background();
        on_cleanup(move || {
            let _ = self.search_shown.try_update_value(|n| *n = n.saturating_sub(1));
        });
    }

    /// Reads every postmortem the search index lacks, a few milliseconds at a time between
    /// frames, so the list shows and answers at once while full-text search gets ready.
    /// Pauses when no page that searches is shown, and goes on when one is again.
    fn index_in_background(self) {
        if self.indexing.try_get_value() != Some(false) || self.search_shown.try_get_value().unwrap_or(0) == 0 {
            return;
        }
        self.indexing.set_value(true);
        let none_skipped = std::collections::BTreeSet::new();
        // Said at once, so the page never claims full text before it is read.
        self.show_index_progress(&none_skipped);
        leptos::task::spawn_local(async move {
            let mut unreadable = std::collections::BTreeSet::new();
            loop {
                yield_to_browser().await;
                if self.search_shown.try_get_value().unwrap_or(0) == 0 {
                    let _ = self.indexing.try_set_value(false);
                    return;
                }
                let started = js_sys::Date::now();
                let Some(pending) = self.show_index_progress(&unreadable) else {
                    return;
                };
                if pending.is_empty() {
                    break;
                }
                for id in pending {
                    match self.load(&id) {
                        Ok(pm) => self.search.update_value(|index| index.add(&pm)),
                        Err(_) => {
                            unreadable.insert(id);
                        }
                    }
                    if js_sys::Date::now() - started > 8.0 {
                        break;
                    }
                }
                self.search_version.update(|v| *v += 1);
            }
            // Entries that cannot be read are not waited for: they are listed as unreadable.
            self.indexing_progress.set(None);
            self.indexing.set_value(false);
        });
    }

    /// The postmortems the search index has still to read (leaving out `skipped`), with the
    /// progress shown for them; `None` once the library is gone.
    fn show_index_progress(&self, skipped: &std::collections::BTreeSet<PostmortemId>) -> Option<Vec<PostmortemId>> {
        let (read, pending) = self.summaries.try_with_untracked(|all| {
            self.search.with_value(|index| {
                let pending: Vec<PostmortemId> =
                    all.iter().map(|s| s.id).filter(|id| !index.has(id) && !skipped.contains(id)).collect();
                (index.len(), pending)
            })
        })?;
        if !pending.is_empty() {
            self.indexing_progress.set(Some((read, read + pending.len())));
        }
        Some(pending)
    }

    /// The summaries in `list` that match `query`: by full text for every postmortem the
    /// index has read, by title for the rest. Follows the index as it changes.
    pub fn search(&self, query: &str, list: &[Summary]) -> Vec<Summary> {
        if query.trim().is_empty() {
            // Nothing to redo while the index reads in the background.
            return list.to_vec();
        }
        self.search_version.track();
        timed("debrief:search", || {
            self.search.with_value(|index| {
                let query = index.query(query);
                list.iter().filter(|s| query.matches(s)).cloned().collect()
            })
        })
    }

    /// Keeps the search index in step with a postmortem as stored now.
    fn reindex(&self, pm: &Postmortem) {
        self.search.update_value(|index| index.add(pm));
        self.search_version.update(|v| *v += 1);
    }

    /// Forgets what the index read of `ids` (they changed), and reads them again.
    fn forget_in_index(&self, ids: impl IntoIterator<Item = PostmortemId>) {
        self.search.update_value(|index| ids.into_iter().for_each(|id| index.remove(&id)));
        self.search_version.update(|v| *v += 1);
        self.index_in_background();
    }

    /// Another tab or window changed the storage key `key` (`None`: storage was cleared):
    /// reads the library again, and that postmortem's words.
    pub fn changed_elsewhere(&self, key: Option<&str>) {
        self.reopen();
        match key {
            Some(k) => self.forget_in_index(Self::document_of(Some(k))),
            None => {
                self.search.update_value(|index| *index = SearchIndex::default());
                self.forget_in_index(std::iter::empty());
            }
        }
    }

    fn refresh(&self) {
        let summaries = self.repo.with_value(|r| r.summaries().to_vec());
        self.summaries.set(summaries);
    }

    /// Reads the library again after another tab or window changed it (the `storage` event).
    pub fn reopen(&self) {
        match self.repo.try_update_value(|r| r.open()) {
            Some(Ok(opened)) => {
                self.summaries.set(opened.summaries);
                self.corrupt.set(opened.corrupt);
            }
            Some(Err(e)) => self.problem.set(Some(explain(&e))),
            None => {}
        }
        self.refresh_templates();
        self.last_backup.set(self.repo.with_value(|r| r.last_backup()));
    }

    /// Measures how full storage is by writing (a fraction of a second with a large
    /// library); remembers the size found.
    pub fn measure(&self) -> Result<Capacity, String> {
        let room = self.repo.try_update_value(|r| r.measure_room()).unwrap_or(Err(StorageError::NotFound));
        let usage = self.repo.with_value(|r| r.usage());
        let capacity = match (room, usage) {
            (Ok(room), Ok(usage)) => Capacity { usage, size: usage.total + room, fresh: true },
            (Err(e), _) | (_, Err(e)) => return Err(explain(&e)),
        };
        self.capacity.set(Some(capacity));
        Ok(capacity)
    }

    /// How full storage is, from the size measured before when there is one (cheap),
    /// else measured now.
    pub fn estimate(&self) -> Result<Capacity, String> {
        match (self.repo.with_value(|r| r.measured_size()), self.repo.with_value(|r| r.usage())) {
            (Some(size), Ok(usage)) if size >= usage.total => {
                let capacity = Capacity { usage, size, fresh: false };
                self.capacity.set(Some(capacity));
                Ok(capacity)
            }
            _ => self.measure(),
        }
    }

    /// Deletes an entry that cannot be read, then lists what is stored again.
    pub fn delete_unreadable(&self, key: &str) -> Result<(), String> {
        let result = self.repo.try_update_value(|r| r.delete_unreadable(key)).unwrap_or(Err(StorageError::NotFound));
        self.reopen();
        result.map_err(|e| explain(&e))
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
        self.repo.with_value(|r| r.load(id))
    }

    /// The raw stored text under `key`, for downloading an unreadable entry.
    pub fn raw(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.repo.with_value(|r| r.raw(key))
    }

    /// Offers the raw stored text under `key` as a file (for an entry that cannot be read).
    pub fn download_raw(&self, key: &str) -> Result<(), String> {
        match self.raw(key) {
            Ok(Some(text)) => {
                crate::ui::browser::download_text(&format!("{}.txt", key.replace('.', "-")), &text, "text/plain")
            }
            Ok(None) => Err("it is no longer stored".to_owned()),
            Err(e) => Err(e.to_string()),
        }
    }

    /// Saves `pm` and returns its new revision; refreshes the list when it changed.
    pub fn save(&self, pm: &Postmortem) -> Result<u64, StorageError> {
        // Compare the repository's own summaries: pm.summary() runs the wording check over
        // the whole postmortem, and the repository has just done that once.
        let find = |r: &Repository<LocalStore>| r.summaries().iter().find(|s| s.id == pm.id).cloned();
        let before = self.repo.with_value(find);
        let result = timed("debrief:save", || {
            self.repo.try_update_value(|r| r.save(pm)).unwrap_or(Err(StorageError::NotFound))
        })?;
        self.reindex(pm);
        if self.repo.with_value(find) != before {
            self.refresh();
        }
        Ok(result)
    }

    /// Creates and stores an empty draft in this browser's UTC offset, written in `template` if given.
    pub fn create(&self, offset_minutes: i32, template: Option<&Template>) -> Result<PostmortemId, StorageError> {
        let mut pm = Postmortem::new(PostmortemId::random(), Utc::now());
        pm.key_times.offset = UtcOffset::from_minutes(offset_minutes).unwrap_or_default();
        if let Some(t) = template {
            apply_template(&mut pm, t);
        }
        self.save(&pm)?;
        Ok(pm.id)
    }

    /// Adds a copy of the sample postmortem (new id, created now) and returns its id.
    pub fn add_sample(&self) -> Result<PostmortemId, String> {
        let mut pm = crate::file_format::sample_postmortem()
            .map_err(|e| format!("The sample postmortem could not be read ({e}); please report this."))?;
        let now = Utc::now();
        pm.id = PostmortemId::random();
        (pm.created_at, pm.updated_at, pm.revision) = (now, now, 0);
        self.save(&pm).map_err(|e| explain(&e))?;
        Ok(pm.id)
    }

    /// Whether the note on where data is kept was dismissed in this browser.
    pub fn first_run_note_dismissed(&self) -> bool {
        crate::storage::preferences::first_run_note_dismissed(&LocalStore)
    }

    /// Remembers that the note on where data is kept was dismissed.
    pub fn dismiss_first_run_note(&self) -> Result<(), StorageError> {
        crate::storage::preferences::dismiss_first_run_note(&mut LocalStore)
    }

    /// Every template an author can choose: the built-ins, then this browser's own.
    pub fn all_templates(&self) -> Vec<Template> {
        let mut all = builtin::all();
        all.extend(self.templates.get());
        all
    }

    /// The template `id`, built-in or custom.
    pub fn template(&self, id: &TemplateId) -> Option<Template> {
        builtin::find(id).or_else(|| self.templates.with(|list| list.iter().find(|t| &t.id == id).cloned()))
    }

    fn refresh_templates(&self) {
        if let Ok(list) = self.repo.with_value(|r| r.templates()) {
            self.templates.set(list);
            self.templates_problem.set(None);
        }
    }

    /// Stores a custom template (never a built-in one).
    pub fn save_template(&self, template: Template) -> Result<(), StorageError> {
        if template.id.is_builtin() {
            return Err(StorageError::WriteFailed("built-in templates cannot be changed; copy one instead".into()));
        }
        if let Some(problem) = template.problems().first() {
            return Err(StorageError::WriteFailed(format!("the template is not finished: {problem}")));
        }
        let result = self.repo.try_update_value(|r| r.put_template(template)).unwrap_or(Err(StorageError::NotFound));
        self.refresh_templates();
        result
    }

    /// Brings templates from a file into this browser; says what happened.
    pub fn import_templates(&self, incoming: Vec<Template>, copy_conflicts: bool) -> Result<String, StorageError> {
        let result = self
            .repo
            .try_update_value(|r| r.import_templates(incoming, copy_conflicts))
            .unwrap_or(Err(StorageError::NotFound));
        self.refresh_templates();
        result.map(|merge| merge.describe())
    }

    /// Deletes a custom template; returns it so the deletion can be undone.
    pub fn delete_template(&self, id: &TemplateId) -> Result<Option<Template>, StorageError> {
        let result = self.repo.try_update_value(|r| r.remove_template(id)).unwrap_or(Err(StorageError::NotFound));
        self.refresh_templates();
        result
    }

    fn change(&self, id: &PostmortemId, edit: impl FnOnce(&mut Postmortem)) -> Result<(), StorageError> {
        let mut pm = self.load(id)?;
        edit(&mut pm);
        pm.updated_at = Utc::now();
        self.save(&pm).map(|_| ())
    }

    /// Moves a postmortem to the trash.
    pub fn trash(&self, id: &PostmortemId) -> Result<(), StorageError> {
        self.change(id, |pm| pm.trash(Utc::now()))
    }

    /// Takes a postmortem out of the trash.
    pub fn restore(&self, id: &PostmortemId) -> Result<(), StorageError> {
        self.change(id, Postmortem::restore)
    }

    /// The whole library as one backup file: (file name, text, entries left out as unreadable).
    pub fn backup(&self) -> Result<(String, String, usize), String> {
        let (all, unreadable) = self.repo.with_value(|r| r.everything()).map_err(|e| explain(&e))?;
        // Unreadable templates must not stop the backup: it is the way out of trouble.
        let (templates, unreadable) = match self.repo.with_value(|r| r.templates()) {
            Ok(list) => (list, unreadable),
            Err(_) => (Vec::new(), unreadable + 1),
        };
        let (keys, unreadable) = match self.repo.with_value(|r| r.seal_keys()) {
            Ok(list) => (list, unreadable),
            Err(_) => (Vec::new(), unreadable + 1),
        };
        let envelope = Envelope { templates, keys, ..Envelope::with_postmortems(all) };
        let text = envelope.to_pretty_json().map_err(|e| e.to_string())?;
        let name = format!("debrief-backup-{}.json", Utc::now().format("%Y-%m-%d"));
        Ok((name, text, unreadable))
    }

    /// Every key that opens sealed contributions, in words for the user when unreadable.
    pub fn seal_keys(&self) -> Result<Vec<SealKey>, String> {
        self.repo.with_value(|r| r.seal_keys()).map_err(|e| explain(&e))
    }

    /// Keeps keys (from a new sealed invitation or a backup) for invitations that have none.
    pub fn add_seal_keys(&self, keys: Vec<SealKey>) -> Result<usize, StorageError> {
        if keys.is_empty() {
            return Ok(0);
        }
        self.repo.try_update_value(|r| r.add_seal_keys(keys)).unwrap_or(Err(StorageError::NotFound))
    }

    /// Some postmortems as one file: (file name, text).
    pub fn export(&self, ids: &[PostmortemId]) -> Result<(String, String), String> {
        let pms = ids.iter().map(|id| self.load(id)).collect::<Result<Vec<_>, _>>().map_err(|e| explain(&e))?;
        let name = match pms.as_slice() {
            [one] => crate::file_format::file_name_for(one),
            many => format!("debrief-export-{}-{}-postmortems.json", Utc::now().format("%Y-%m-%d"), many.len()),
        };
        let text = Envelope::with_postmortems(pms).to_pretty_json().map_err(|e| e.to_string())?;
        Ok((name, text))
    }

    /// Notes that the backup just offered was downloaded.
    pub fn record_backup(&self) {
        let now = Utc::now();
        // Failing to note the date only means the reminder comes back; the backup itself is fine.
        let _ = self.repo.try_update_value(|r| r.record_backup(now));
        self.last_backup.set(Some(now));
    }

    /// Compares incoming postmortems with the library, changing nothing.
    pub fn plan_import(&self, incoming: Vec<Postmortem>) -> Result<Vec<PlannedItem>, StorageError> {
        self.repo.with_value(|r| r.plan_import(incoming))
    }

    /// Writes an import, all or nothing, and refreshes the list.
    pub fn write_import(&self, import: DecidedImport) -> Result<ImportReport, ImportFailure> {
        let ids = import.ids();
        let result = self
            .repo
            .try_update_value(|r| r.write_import(import))
            .unwrap_or(Err(ImportFailure { error: StorageError::NotFound, undone: true }));
        self.refresh();
        self.forget_in_index(ids);
        result
    }

    /// Every readable postmortem (trashed ones included).
    pub fn all_postmortems(&self) -> Result<Vec<Postmortem>, StorageError> {
        self.repo.with_value(|r| r.everything()).map(|(all, _)| all)
    }

    /// Changes one action item of a stored postmortem, recording its history.
    pub fn edit_action_item(
        &self,
        postmortem: &PostmortemId,
        item: crate::domain::ItemId,
        edit: impl FnOnce(&mut crate::domain::ActionItem),
    ) -> Result<(), StorageError> {
        let now = Utc::now();
        self.change(postmortem, |pm| {
            if let Some(a) = pm.action_items.iter_mut().find(|a| a.id == item) {
                crate::domain::action_plan::change_item(a, now, edit);
            }
        })
    }

    /// Deletes a trashed postmortem for good.
    pub fn purge(&self, id: &PostmortemId) -> Result<(), StorageError> {
        self.repo.try_update_value(|r| r.purge(id)).unwrap_or(Err(StorageError::NotFound))?;
        self.refresh();
        self.forget_in_index([*id]);
        Ok(())
    }
}
