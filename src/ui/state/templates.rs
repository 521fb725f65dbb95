//! The custom templates of this browser, shared through context, with template edits left
//! unsaved when their editor closed (so coming back finds them).

use super::{Library, explain, unless_closed};
use crate::app;
use crate::domain::template::{Template, TemplateId, builtin};
use crate::storage::StorageError;
use leptos::prelude::*;

/// The custom templates, and what could not be read of them.
#[derive(Clone, Copy)]
pub struct Templates {
    library: Library,
    /// Custom templates stored in this browser.
    pub list: RwSignal<Vec<Template>>,
    /// Template edits left unsaved when their editor closed.
    pub drafts: RwSignal<Vec<Template>>,
    /// Why the stored custom templates could not be read, if they could not.
    pub problem: RwSignal<Option<String>>,
}

impl Templates {
    /// Reads the custom templates of `library`.
    pub fn new(library: Library) -> Self {
        let templates = Self {
            library,
            list: RwSignal::new(Vec::new()),
            drafts: RwSignal::new(Vec::new()),
            problem: RwSignal::new(None),
        };
        match unless_closed(library.read(|s| s.templates())) {
            Ok(list) => templates.list.set(list),
            Err(e) => templates.problem.set(Some(explain(&e))),
        }
        templates
    }

    /// The templates provided to every page (see [`super::Shared`]).
    pub fn expect() -> Self {
        super::Shared::expect().templates
    }

    /// Reads the stored list again (after a change here or in another tab).
    pub fn refresh(&self) {
        if let Some(Ok(list)) = self.library.read(|s| s.templates()) {
            self.list.set(list);
            self.problem.set(None);
        }
    }

    /// Every template an author can choose: the built-ins, then this browser's own.
    pub fn all(&self) -> Vec<Template> {
        let mut all = builtin::all();
        all.extend(self.list.get());
        all
    }

    /// The template `id`, built-in or custom.
    pub fn find(&self, id: &TemplateId) -> Option<Template> {
        builtin::find(id).or_else(|| self.list.with(|list| list.iter().find(|t| &t.id == id).cloned()))
    }

    /// Stores a custom template (never a built-in or unfinished one).
    pub fn save(&self, template: Template) -> Result<(), StorageError> {
        let result = unless_closed(self.library.change(|s| s.save_template(template)));
        self.refresh();
        result
    }

    /// Deletes a custom template; returns it so the deletion can be undone.
    pub fn delete(&self, id: &TemplateId) -> Result<Option<Template>, StorageError> {
        let result = unless_closed(self.library.change(|s| s.delete_template(id)));
        self.refresh();
        result
    }

    /// Brings in the templates of the file `name` holding `text`; says what happened.
    pub fn import_file(&self, name: &str, text: &str) -> Result<String, String> {
        let result = self
            .library
            .change(|s| app::templates::import_template_file(s, name, text))
            .unwrap_or(Err(app::templates::TemplateFileError::Storage(StorageError::Closed)));
        self.refresh();
        match result {
            Ok(merge) => Ok(merge.describe()),
            Err(app::templates::TemplateFileError::Storage(e)) => Err(format!("Nothing was imported. {}", explain(&e))),
            Err(other) => Err(other.to_string()),
        }
    }
}
