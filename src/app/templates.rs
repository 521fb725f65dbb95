//! Custom templates travelling as files: a template offered as a file, and a file of
//! templates brought in (all of its templates, or none when one of them is broken).

use super::backup::Download;
use super::library::Library;
use crate::domain::template::{Template, TemplateMerge};
use crate::file_format::import::read_file;
use crate::file_format::{FormatError, MAX_INPUT_BYTES, export_template, template_file_name};
use crate::storage::{KeyValueStore, StorageError};

/// Why a template file was not brought in. Nothing was stored in every case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateFileError {
    #[error("“{0}” is larger than the {limit} MB limit.", limit = MAX_INPUT_BYTES / (1024 * 1024))]
    TooLarge(String),
    #[error("“{file}” cannot be imported: {problem}.")]
    Unreadable { file: String, problem: String },
    #[error("“{file}” cannot be imported (at {place}): {problem}.")]
    Invalid { file: String, place: String, problem: String },
    #[error("“{file}” holds a template that cannot be used{title} (at {place}): {problem} Nothing was imported.", title = title.as_ref().map(|t| format!(", “{t}”")).unwrap_or_default())]
    Broken { file: String, title: Option<String>, place: String, problem: String },
    #[error("“{0}” holds no templates. Nothing was imported.")]
    NoTemplates(String),
    #[error("“{0}” holds postmortems, not templates: import it from the library instead. Nothing was imported.")]
    Postmortems(String),
    #[error("Nothing was imported: {0}")]
    Storage(StorageError),
}

/// Whether a file of `bytes` is too large to be read as a template file.
pub fn too_large(bytes: f64) -> bool {
    bytes > MAX_INPUT_BYTES as f64
}

/// Brings in every template of the file `file` whose text is `text`.
pub fn import_template_file<S: KeyValueStore>(
    library: &mut Library<S>,
    file: &str,
    text: &str,
) -> Result<TemplateMerge, TemplateFileError> {
    let read = read_file(file, text).map_err(|e| TemplateFileError::Invalid {
        file: e.file,
        place: e.place,
        problem: e.problem,
    })?;
    if let Some(b) = read.broken.into_iter().find(|b| b.place.starts_with("$.templates")) {
        return Err(TemplateFileError::Broken {
            file: file.to_owned(),
            title: b.title,
            place: b.place,
            problem: b.problem,
        });
    }
    if read.templates.is_empty() {
        return Err(if read.postmortems.is_empty() {
            TemplateFileError::NoTemplates(file.to_owned())
        } else {
            TemplateFileError::Postmortems(file.to_owned())
        });
    }
    library.import_templates(read.templates).map_err(TemplateFileError::Storage)
}

/// `template` as a file to hand to colleagues.
pub fn template_file(template: &Template) -> Result<Download, FormatError> {
    Ok(Download { name: template_file_name(template), text: export_template(template)?, mime: "application/json" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sample::full_postmortem;
    use crate::file_format::Envelope;
    use crate::storage::{MemoryStore, keys};

    fn ours() -> Template {
        Template { name: "Ours".into(), ..Template::blank() }
    }

    #[test]
    fn a_template_file_travels_and_comes_back() {
        let file = template_file(&ours()).expect("made");
        assert!(file.name.ends_with(".json"));
        let (mut library, _) = Library::open(MemoryStore::new());
        let merge = import_template_file(&mut library, &file.name, &file.text).expect("brought in");
        assert_eq!(merge.added, ["Ours"]);
        assert_eq!(library.templates().map(|t| t.len()), Ok(1));
    }

    #[test]
    fn files_without_usable_templates_bring_nothing() {
        let (mut library, _) = Library::open(MemoryStore::new());
        let postmortems =
            Envelope::with_postmortems(vec![full_postmortem(chrono::Utc::now())]).to_json().expect("made");
        assert_eq!(
            import_template_file(&mut library, "pm.json", &postmortems),
            Err(TemplateFileError::Postmortems("pm.json".into()))
        );
        let nothing = Envelope::with_templates(Vec::new()).to_json().expect("made");
        assert_eq!(
            import_template_file(&mut library, "empty.json", &nothing),
            Err(TemplateFileError::NoTemplates("empty.json".into()))
        );
        let mut broken = ours();
        broken.sections.clear();
        let good = Template { name: "Good".into(), ..Template::blank() };
        let text = Envelope::with_templates(vec![good, broken]).to_json().expect("made");
        let refused = import_template_file(&mut library, "mixed.json", &text);
        assert!(matches!(refused, Err(TemplateFileError::Broken { .. })), "{refused:?}");
        assert!(matches!(
            import_template_file(&mut library, "x.json", "{not json"),
            Err(TemplateFileError::Invalid { .. })
        ));
        assert_eq!(library.templates(), Ok(Vec::new()));
        assert!(too_large((MAX_INPUT_BYTES + 1) as f64));
    }

    #[test]
    fn unreadable_stored_templates_are_never_written_over() {
        let mut store = MemoryStore::new();
        store.set(keys::TEMPLATES, "{damaged").expect("planted");
        let (mut library, _) = Library::open(store);
        let file = template_file(&ours()).expect("made");
        assert!(matches!(
            import_template_file(&mut library, &file.name, &file.text),
            Err(TemplateFileError::Storage(StorageError::Corrupt { .. }))
        ));
        assert_eq!(library.raw(keys::TEMPLATES), Ok(Some("{damaged".to_owned())));
    }
}
