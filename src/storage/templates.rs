//! Custom templates: all of them under one key, as a [`lists`] list.

use super::lists::{self, EnvelopeList};
use super::{KeyValueStore, StorageError, keys};
use crate::domain::template::{Template, TemplateId, TemplateMerge, merge_templates};
use crate::file_format::Envelope;

impl EnvelopeList for Template {
    const KEY: &'static str = keys::TEMPLATES;

    fn take(envelope: Envelope) -> Vec<Self> {
        envelope.templates
    }

    fn wrap(list: Vec<Self>) -> Envelope {
        Envelope::with_templates(list)
    }
}

/// Every custom template stored, in the order they were added.
pub fn load(store: &impl KeyValueStore) -> Result<Vec<Template>, StorageError> {
    lists::load(store)
}

/// Applies `change` to the stored list (see [`lists::change`]).
pub fn change(store: &mut impl KeyValueStore, change: impl FnOnce(&mut Vec<Template>)) -> Result<(), StorageError> {
    lists::change(store, change)
}

/// Stores `template`, replacing the stored one with its id.
pub fn put(store: &mut impl KeyValueStore, template: Template) -> Result<(), StorageError> {
    change(store, |list| match list.iter_mut().find(|t| t.id == template.id) {
        Some(existing) => *existing = template,
        None => list.push(template),
    })
}

/// Removes the custom template `id`; returns it, for undo.
pub fn remove(store: &mut impl KeyValueStore, id: &TemplateId) -> Result<Option<Template>, StorageError> {
    let mut removed = None;
    change(store, |list| {
        if let Some(i) = list.iter().position(|t| &t.id == id) {
            removed = Some(list.remove(i));
        }
    })?;
    Ok(removed)
}

/// Brings templates from a file into the stored list (see [`merge_templates`]); writes only
/// when something changes, and all at once.
pub fn merge(
    store: &mut impl KeyValueStore,
    incoming: Vec<Template>,
    copy_conflicts: bool,
) -> Result<TemplateMerge, StorageError> {
    let mut merged = load(store)?;
    let report = merge_templates(&mut merged, incoming, copy_conflicts);
    if report.changes_anything() {
        change(store, |list| *list = merged)?;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::MemoryStore;

    #[test]
    fn templates_are_stored_replaced_and_removed() {
        let mut store = MemoryStore::default();
        assert_eq!(load(&store), Ok(Vec::new()));
        let mut t = Template::blank();
        put(&mut store, t.clone()).expect("stored");
        t.name = "Renamed".into();
        t.version = 2;
        put(&mut store, t.clone()).expect("replaced");
        assert_eq!(load(&store), Ok(vec![t.clone()]));
        assert_eq!(remove(&mut store, &t.id), Ok(Some(t)));
        assert_eq!(load(&store), Ok(Vec::new()));
    }

    #[test]
    fn an_unreadable_template_list_is_never_written_over() {
        let mut store = MemoryStore::default();
        store.set(keys::TEMPLATES, "{broken").expect("planted");
        assert!(matches!(load(&store), Err(StorageError::Corrupt { .. })));
        assert!(matches!(put(&mut store, Template::blank()), Err(StorageError::Corrupt { .. })));
        assert_eq!(store.get(keys::TEMPLATES), Ok(Some("{broken".to_owned())));
    }

    #[test]
    fn a_full_store_leaves_the_stored_list_as_it_was() {
        let t = Template::blank();
        let mut roomy = MemoryStore::default();
        put(&mut roomy, t.clone()).expect("stored");
        let used = roomy.get(keys::TEMPLATES).ok().flatten().map_or(0, |v| v.chars().count() + keys::TEMPLATES.len());
        let mut store = MemoryStore::with_quota(used + 10);
        put(&mut store, t.clone()).expect("stored within quota");
        assert_eq!(put(&mut store, Template::blank()), Err(StorageError::QuotaExceeded));
        assert_eq!(load(&store), Ok(vec![t]));
    }
}
