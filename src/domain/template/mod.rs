//! Templates: the sections a postmortem is written in, each with the question it answers,
//! how to answer it blamelessly and an example. A postmortem records the outline of the
//! template it uses, so it stays complete-checkable and exportable wherever it travels.

pub mod builtin;

use super::model::{LessonKind, Postmortem};
use serde::{Deserialize, Serialize};

// The stored shapes live in the document model; applying them to a postmortem lives here.
pub use super::model::template::*;

impl TemplateId {
    /// Whether this is one of the templates that ship with Debrief.
    pub fn is_builtin(&self) -> bool {
        builtin::find(self).is_some()
    }
}

impl Part {
    /// The lesson lists this part is answered in.
    pub fn lesson_kinds(self) -> &'static [LessonKind] {
        match self {
            Self::Lessons => &LessonKind::ALL,
            Self::WentWell => &[LessonKind::WentWell],
            Self::WentWrong => &[LessonKind::WentWrong],
            Self::GotLucky => &[LessonKind::GotLucky],
            _ => &[],
        }
    }
}

/// The sections a postmortem written in `outline` records, with prompts, help and examples
/// from `full`, the template it came from, when this browser has it (a postmortem from a
/// colleague may use a custom template this browser lacks: its sections are then shown by
/// title alone).
pub fn guide_sections(outline: &TemplateUse, full: Option<&Template>) -> Vec<Section> {
    outline
        .sections
        .iter()
        .map(|s| {
            let prose = full.and_then(|t| t.section(&s.key)).filter(|f| f.part == s.part);
            Section {
                key: s.key.clone(),
                title: s.title.clone(),
                required: s.required,
                part: s.part,
                prompt: prose.map(|p| p.prompt.clone()).unwrap_or_default(),
                help: prose.map(|p| p.help.clone()).unwrap_or_default(),
                example: prose.map(|p| p.example.clone()).unwrap_or_default(),
            }
        })
        .collect()
}

/// Joins answers that share a key (a hand-edited file may have them), so none is hidden.
pub fn join_duplicate_answers(pm: &mut Postmortem) {
    let mut joined: Vec<Answer> = Vec::with_capacity(pm.answers.len());
    for a in std::mem::take(&mut pm.answers) {
        match joined.iter_mut().find(|j| j.key == a.key) {
            Some(_) if a.text.trim().is_empty() => {}
            Some(first) if first.text.trim().is_empty() => first.text = a.text,
            Some(first) => {
                first.text.push_str("\n\n");
                first.text.push_str(&a.text);
            }
            None => joined.push(a),
        }
    }
    pm.answers = joined;
}

/// How many required sections a postmortem has, and which are still empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Completeness {
    pub required: u32,
    /// Titles of required sections with nothing in them yet.
    pub missing: Vec<String>,
}

impl Completeness {
    /// Whether every required section has an answer.
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }
}

/// Whether `section` has something in it in `pm`.
pub fn is_answered(pm: &Postmortem, key: &str, part: Part) -> bool {
    match part {
        Part::Text => answer_text(pm, key).is_some_and(|t| !t.trim().is_empty()),
        Part::Summary => !pm.summary.trim().is_empty(),
        Part::Impact => !pm.impact.description.trim().is_empty() || !pm.impact.figures.is_empty(),
        Part::Participants => !pm.participants.is_empty(),
        Part::Timeline => !pm.timeline.is_empty(),
        Part::Factors => !pm.factors.is_empty(),
        Part::Whys => pm.factors.iter().any(|f| f.whys.iter().any(|w| !w.text.trim().is_empty())),
        Part::Actions => !pm.action_items.is_empty(),
        Part::Lessons | Part::WentWell | Part::WentWrong | Part::GotLucky => {
            part.lesson_kinds().iter().any(|k| pm.lessons.list(*k).iter().any(|e| !e.text.trim().is_empty()))
        }
    }
}

/// How complete `pm` is against its template; `None` when it uses none.
pub fn completeness(pm: &Postmortem) -> Option<Completeness> {
    let template = pm.template.as_ref()?;
    let required: Vec<&SectionOutline> = template.sections.iter().filter(|s| s.required).collect();
    Some(Completeness {
        required: u32::try_from(required.len()).unwrap_or(u32::MAX),
        missing: required.iter().filter(|s| !is_answered(pm, &s.key, s.part)).map(|s| s.title.clone()).collect(),
    })
}

/// The free-text answer kept under `key`.
pub fn answer_text<'a>(pm: &'a Postmortem, key: &str) -> Option<&'a str> {
    pm.answers.iter().find(|a| a.key == key).map(|a| a.text.as_str())
}

/// Sets the free-text answer under `key`, naming it `title`.
pub fn set_answer(pm: &mut Postmortem, key: &str, title: &str, text: String) {
    match pm.answers.iter_mut().find(|a| a.key == key) {
        Some(a) => {
            a.text = text;
            title.clone_into(&mut a.title);
        }
        None => pm.answers.push(Answer { key: key.to_owned(), title: title.to_owned(), text }),
    }
}

/// Answers with text that no written-answer section of the current template shows.
pub fn homeless_answers(pm: &Postmortem) -> Vec<&Answer> {
    pm.answers.iter().filter(|a| !a.text.trim().is_empty() && !has_home(pm.template.as_ref(), &a.key)).collect()
}

/// Answers with text under the current template's written-answer sections, in the
/// template's order and with the section's title: what a printed copy shows.
pub fn placed_answers(pm: &Postmortem) -> Vec<(String, &str)> {
    let Some(template) = &pm.template else { return Vec::new() };
    template
        .sections
        .iter()
        .filter(|s| s.part == Part::Text)
        .filter_map(|s| answer_text(pm, &s.key).filter(|t| !t.trim().is_empty()).map(|t| (s.title.clone(), t)))
        .collect()
}

fn has_home(template: Option<&TemplateUse>, key: &str) -> bool {
    template.is_some_and(|t| t.sections.iter().any(|s| s.key == key && s.part == Part::Text))
}

fn same_title(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// What choosing a template would do to a postmortem's written answers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SwitchPreview {
    /// Titles of answers that find a section in the new template.
    pub kept: Vec<String>,
    /// Titles of answers with no section there: they stay, listed apart, until moved or deleted.
    pub homeless: Vec<String>,
}

/// Where each answer with text would go under `template`: its own key, else a section with the same title.
fn rehome(pm: &Postmortem, template: &Template) -> Vec<(usize, Option<String>)> {
    let text_sections: Vec<&Section> = template.sections.iter().filter(|s| s.part == Part::Text).collect();
    let mut claimed: Vec<String> = Vec::new();
    let mut out = Vec::new();
    // Exact keys first, so a title match never takes a section another answer owns by key.
    for (i, a) in pm.answers.iter().enumerate() {
        if text_sections.iter().any(|s| s.key == a.key) {
            claimed.push(a.key.clone());
            out.push((i, Some(a.key.clone())));
        }
    }
    for (i, a) in pm.answers.iter().enumerate() {
        if out.iter().any(|(j, _)| *j == i) {
            continue;
        }
        let home = text_sections.iter().find(|s| same_title(&s.title, &a.title) && !claimed.contains(&s.key));
        if let Some(s) = home {
            claimed.push(s.key.clone());
        }
        out.push((i, home.map(|s| s.key.clone())));
    }
    super::order::sort_by_key(&mut out, |(i, _)| *i);
    out
}

/// What switching `pm` to `template` would keep in place and what would be listed apart.
pub fn preview_switch(pm: &Postmortem, template: &Template) -> SwitchPreview {
    let mut preview = SwitchPreview::default();
    for (i, home) in rehome(pm, template) {
        let a = &pm.answers[i];
        if a.text.trim().is_empty() {
            continue;
        }
        match home {
            Some(_) => preview.kept.push(a.title.clone()),
            None => preview.homeless.push(a.title.clone()),
        }
    }
    preview
}

/// Switches `pm` to `template`. No text is dropped: answers move to the section with their
/// key or title, and the rest stay in the postmortem, listed apart until moved or deleted.
pub fn apply_template(pm: &mut Postmortem, template: &Template) -> SwitchPreview {
    let preview = preview_switch(pm, template);
    for (i, home) in rehome(pm, template) {
        if let Some(key) = home
            && let Some(section) = template.section(&key)
        {
            let answer = &mut pm.answers[i];
            answer.key = key;
            answer.title.clone_from(&section.title);
        }
    }
    // Empty answers have nothing to keep.
    pm.answers.retain(|a| !a.text.trim().is_empty());
    pm.template = Some(template.outline());
    preview
}

/// Moves the answer under `from` to the end of the answer under `to` (titled `to_title`).
pub fn move_answer(pm: &mut Postmortem, from: &str, to: &str, to_title: &str) {
    if from == to {
        return;
    }
    let Some(index) = pm.answers.iter().position(|a| a.key == from) else { return };
    let moved = pm.answers.remove(index);
    let joined = match answer_text(pm, to).map(str::trim_end) {
        Some(existing) if !existing.is_empty() => format!("{existing}\n\n{}", moved.text.trim()),
        _ => moved.text.trim().to_owned(),
    };
    set_answer(pm, to, to_title, joined);
}

/// Removes the answer under `key`, returning it (for undo).
pub fn remove_answer(pm: &mut Postmortem, key: &str) -> Option<Answer> {
    let index = pm.answers.iter().position(|a| a.key == key)?;
    Some(pm.answers.remove(index))
}

/// What bringing templates in from a file did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TemplateMerge {
    /// Names of templates that were new here.
    pub added: Vec<String>,
    /// Names of templates replaced by a newer version.
    pub updated: Vec<String>,
    /// Names of templates added as copies beside a different one with the same id.
    pub copied: Vec<String>,
    /// Names of templates already here as they are (or in a newer version), left alone.
    pub unchanged: Vec<String>,
}

impl TemplateMerge {
    /// Whether the stored list changes.
    pub fn changes_anything(&self) -> bool {
        !(self.added.is_empty() && self.updated.is_empty() && self.copied.is_empty())
    }

    /// One sentence saying what happened, for the person importing.
    pub fn describe(&self) -> String {
        let list = |names: &[String]| names.iter().map(|n| format!("“{n}”")).collect::<Vec<_>>().join(", ");
        let mut parts = Vec::new();
        if !self.added.is_empty() {
            parts.push(format!("added {}", list(&self.added)));
        }
        if !self.updated.is_empty() {
            parts.push(format!("updated {} to the file's newer version", list(&self.updated)));
        }
        if !self.copied.is_empty() {
            parts.push(format!("added {} as copies, keeping yours", list(&self.copied)));
        }
        if !self.unchanged.is_empty() {
            parts.push(format!(
                "left {} as they are (you already have that version or a newer one)",
                list(&self.unchanged)
            ));
        }
        if parts.is_empty() {
            "No templates in the file.".to_owned()
        } else {
            format!("Templates: {}.", parts.join("; "))
        }
    }
}

/// Brings `incoming` templates into `stored`: new ones are added, newer versions replace
/// older ones, and a changed built-in is added as a copy. A different template with the
/// same id and no newer version is added as a copy when `copy_conflicts`, otherwise left out.
pub fn merge_templates(stored: &mut Vec<Template>, incoming: Vec<Template>, copy_conflicts: bool) -> TemplateMerge {
    let mut merge = TemplateMerge::default();
    for t in incoming {
        if let Some(original) = builtin::find(&t.id) {
            if original.sections == t.sections && original.name == t.name {
                merge.unchanged.push(t.name);
            } else {
                let copy = Template { name: t.name.clone(), ..t.copy() };
                merge.copied.push(copy.name.clone());
                stored.push(copy);
            }
            continue;
        }
        match stored.iter_mut().find(|s| s.id == t.id) {
            None => {
                merge.added.push(t.name.clone());
                stored.push(t);
            }
            Some(existing) if *existing == t => merge.unchanged.push(t.name),
            Some(existing) if t.version > existing.version => {
                merge.updated.push(t.name.clone());
                *existing = t;
            }
            Some(_) if copy_conflicts => {
                let copy = t.copy();
                merge.copied.push(copy.name.clone());
                stored.push(copy);
            }
            Some(_) => merge.unchanged.push(t.name),
        }
    }
    merge
}

#[cfg(test)]
mod tests;
