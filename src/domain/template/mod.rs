//! Templates: the sections a postmortem is written in, each with the question it answers,
//! how to answer it blamelessly and an example. A postmortem records the outline of the
//! template it uses, so it stays complete-checkable and exportable wherever it travels.

pub mod builtin;

use super::postmortem::{LessonKind, Postmortem, choices};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Identifies a template: a short name for built-ins, a random id for custom ones.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TemplateId(pub String);

impl TemplateId {
    /// A fresh random id for a custom template.
    pub fn random() -> Self {
        Self(uuid::Uuid::new_v4().to_string())
    }

    /// Whether this is one of the templates that ship with Debrief.
    pub fn is_builtin(&self) -> bool {
        builtin::find(self).is_some()
    }
}

impl fmt::Display for TemplateId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

choices! {
    /// Which part of a postmortem a section is answered in.
    Part {
        /// A free-text answer kept under the section's key.
        Text => "text", "Written answer";
        Summary => "summary", "Summary";
        Impact => "impact", "Impact";
        Participants => "participants", "People involved";
        Timeline => "timeline", "Timeline";
        Factors => "factors", "Contributing factors";
        Whys => "whys", "Five whys";
        Actions => "actions", "Action items";
        Lessons => "lessons", "Lessons (all three lists)";
        WentWell => "went-well", "What went well";
        WentWrong => "went-wrong", "What went wrong";
        GotLucky => "got-lucky", "Where we got lucky";
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

/// One question a template asks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// Stable within the template; answers are kept under it.
    pub key: String,
    pub title: String,
    #[serde(default)]
    pub required: bool,
    pub part: Part,
    /// The question the section answers.
    pub prompt: String,
    /// How to answer it blamelessly.
    #[serde(default)]
    pub help: String,
    /// What a good answer looks like.
    #[serde(default)]
    pub example: String,
}

/// A named, versioned list of sections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    pub id: TemplateId,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Goes up by one each time a custom template is saved with changes.
    pub version: u32,
    pub sections: Vec<Section>,
}

/// A section as a postmortem remembers it: enough to check completeness and lay out exports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionOutline {
    pub key: String,
    pub title: String,
    #[serde(default)]
    pub required: bool,
    pub part: Part,
}

/// Which template (and version) a postmortem is written in, with its sections' outline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateUse {
    pub id: TemplateId,
    pub version: u32,
    pub name: String,
    pub sections: Vec<SectionOutline>,
}

impl TemplateUse {
    /// A template with this outline's sections and no prose, to switch back to it.
    pub fn as_template(&self) -> Template {
        Template {
            id: self.id.clone(),
            name: self.name.clone(),
            description: String::new(),
            version: self.version,
            sections: self
                .sections
                .iter()
                .map(|s| Section {
                    key: s.key.clone(),
                    title: s.title.clone(),
                    required: s.required,
                    part: s.part,
                    prompt: String::new(),
                    help: String::new(),
                    example: String::new(),
                })
                .collect(),
        }
    }

    /// What makes this outline unusable (it came from a file), in words; `None` when fine.
    pub fn problem(&self) -> Option<String> {
        if self.sections.len() > MAX_SECTIONS {
            return Some(format!("its template has more than {MAX_SECTIONS} sections"));
        }
        for (i, s) in self.sections.iter().enumerate() {
            if !is_usable_key(&s.key) {
                return Some(format!("its template's section {} has no usable key", i + 1));
            }
            if self.sections[..i].iter().any(|o| o.key == s.key) {
                return Some(format!("its template has two sections with the key “{}”", s.key));
            }
        }
        None
    }
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

/// A free-text answer to a template section, kept under the section's key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub key: String,
    /// The section's title when the answer was written, to name it if it loses its section.
    pub title: String,
    pub text: String,
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

/// The longest name, title or key a template may have, in characters.
pub const MAX_SHORT_TEXT: usize = 200;
/// The longest prompt, help or example, in characters.
pub const MAX_LONG_TEXT: usize = 10_000;
/// The most sections a template may have.
pub const MAX_SECTIONS: usize = 100;

impl Template {
    /// An empty custom template.
    pub fn blank() -> Self {
        Self {
            id: TemplateId::random(),
            name: "New template".to_owned(),
            description: String::new(),
            version: 1,
            sections: vec![Section {
                prompt: "What happened, in two or three sentences a newcomer can follow?".to_owned(),
                ..Section::new(Vec::new(), "Summary", Part::Summary)
            }],
        }
    }

    /// A custom copy of this template, free to change.
    pub fn copy(&self) -> Self {
        Self {
            id: TemplateId::random(),
            name: format!("{} (copy)", self.name),
            description: self.description.clone(),
            version: 1,
            sections: self.sections.clone(),
        }
    }

    /// The outline a postmortem keeps of this template.
    pub fn outline(&self) -> TemplateUse {
        TemplateUse {
            id: self.id.clone(),
            version: self.version,
            name: self.name.clone(),
            sections: self
                .sections
                .iter()
                .map(|s| SectionOutline {
                    key: s.key.clone(),
                    title: s.title.clone(),
                    required: s.required,
                    part: s.part,
                })
                .collect(),
        }
    }

    /// The section `key`.
    pub fn section(&self, key: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.key == key)
    }

    /// How many sections are required.
    pub fn required_count(&self) -> usize {
        self.sections.iter().filter(|s| s.required).count()
    }

    /// What keeps this template from being used, in words; empty when it is fine.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let too_long = |text: &str, limit: usize| text.chars().count() > limit;
        if self.id.0.trim().is_empty() || too_long(&self.id.0, MAX_SHORT_TEXT) {
            out.push("The template has no usable id.".to_owned());
        }
        if self.name.trim().is_empty() {
            out.push("The template needs a name.".to_owned());
        }
        if too_long(&self.name, MAX_SHORT_TEXT) {
            out.push(format!("The name is longer than {MAX_SHORT_TEXT} characters."));
        }
        if too_long(&self.description, MAX_LONG_TEXT) {
            out.push(format!("The description is longer than {MAX_LONG_TEXT} characters."));
        }
        if self.version == 0 {
            out.push("The version must be 1 or more.".to_owned());
        }
        if self.sections.is_empty() {
            out.push("The template needs at least one section.".to_owned());
        }
        if self.sections.len() > MAX_SECTIONS {
            out.push(format!("The template has more than {MAX_SECTIONS} sections."));
        }
        for (i, s) in self.sections.iter().enumerate() {
            let name = if s.title.trim().is_empty() { format!("Section {}", i + 1) } else { s.title.clone() };
            if s.title.trim().is_empty() {
                out.push(format!("{name} needs a title."));
            }
            if !is_usable_key(&s.key) {
                out.push(format!("{name} has no usable key (letters, digits and hyphens; not “start” or “finish”)."));
            } else if self.sections[..i].iter().any(|o| o.key == s.key) {
                out.push(format!("{name} has the same key as another section (“{}”).", s.key));
            }
            if s.prompt.trim().is_empty() {
                out.push(format!("{name} needs a prompt: the question it answers."));
            }
            if too_long(&s.title, MAX_SHORT_TEXT) {
                out.push(format!("{name}: the title is longer than {MAX_SHORT_TEXT} characters."));
            }
            if [&s.prompt, &s.help, &s.example].iter().any(|t| too_long(t, MAX_LONG_TEXT)) {
                out.push(format!("{name}: a text is longer than {MAX_LONG_TEXT} characters."));
            }
        }
        out
    }

    /// Adds a section titled `title` answered in `part`, with a key no other section has.
    pub fn add_section(&mut self, title: &str, part: Part) {
        let keys = self.sections.iter().map(|s| s.key.clone()).collect();
        self.sections.push(Section::new(keys, title, part));
    }
}

impl Section {
    /// A section with an empty prompt, keyed from its title and unlike any of `taken`.
    fn new(taken: Vec<String>, title: &str, part: Part) -> Self {
        Self {
            key: unique_key(title, &taken),
            title: title.to_owned(),
            required: false,
            part,
            prompt: String::new(),
            help: String::new(),
            example: String::new(),
        }
    }
}

/// Keys no section may have: guided mode uses them for its first and last steps.
pub const RESERVED_KEYS: [&str; 2] = ["start", "finish"];

/// Whether `key` can name a section: letters, digits and hyphens, not reserved, not too long.
pub fn is_usable_key(key: &str) -> bool {
    !key.is_empty()
        && key.chars().count() <= MAX_SHORT_TEXT
        && key.chars().all(|c| c.is_alphanumeric() || c == '-')
        && !RESERVED_KEYS.contains(&key)
}

/// A key made of the lower-case letters and digits of `title`, unlike any of `taken`.
pub fn unique_key(title: &str, taken: &[String]) -> String {
    let mut base = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            base.push(c);
        } else if !base.ends_with('-') && !base.is_empty() {
            base.push('-');
        }
    }
    let base = base.trim_end_matches('-').chars().take(40).collect::<String>();
    let base = if base.is_empty() { "section".to_owned() } else { base };
    let mut key = base.clone();
    let mut n = 2;
    while taken.contains(&key) || RESERVED_KEYS.contains(&key.as_str()) {
        key = format!("{base}-{n}");
        n += 1;
    }
    key
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
    out.sort_by_key(|(i, _)| *i);
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
