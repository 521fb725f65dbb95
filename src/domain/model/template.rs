//! Templates as they are stored and travel: the sections a postmortem is written in, the
//! outline of them a postmortem keeps, and its written answers. The rules that apply a
//! template to a postmortem live in `domain::template`.

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
        Participants => "participants", "Participants";
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
    /// What a reviewer checks before approving; the built-in list when a file has none
    /// (and left out of files when it is the built-in one).
    #[serde(default = "builtin_checklist", skip_serializing_if = "is_builtin_checklist")]
    pub checklist: Vec<CheckItem>,
}

/// One item of a review checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckItem {
    /// Stable within the template; ticks are kept under it.
    pub key: String,
    pub text: String,
}

impl CheckItem {
    fn new(key: &str, text: &str) -> Self {
        Self { key: key.to_owned(), text: text.to_owned() }
    }
}

/// The most items a review checklist may have.
pub const MAX_CHECKLIST: usize = 30;

/// Keys of the built-in checklist's items (Debrief offers help with each).
pub mod check_keys {
    pub const IMPACT: &str = "impact-described";
    pub const BEYOND_FIRST_CAUSE: &str = "beyond-first-cause";
    pub const OWNERS_AND_DATES: &str = "owners-and-dates";
    pub const WORDING: &str = "wording-resolved";
    pub const SHARED: &str = "shared-with-affected";
}

/// Whether `list` is the built-in checklist.
pub fn is_builtin_checklist(list: &[CheckItem]) -> bool {
    list == builtin_checklist().as_slice()
}

/// The review checklist every template starts with.
pub fn builtin_checklist() -> Vec<CheckItem> {
    vec![
        CheckItem::new(check_keys::IMPACT, "The impact is fully described: who was affected, how, and for how long"),
        CheckItem::new(check_keys::BEYOND_FIRST_CAUSE, "The contributing factors go beyond the first cause found"),
        CheckItem::new(check_keys::OWNERS_AND_DATES, "Every action item has an owner and a due date"),
        CheckItem::new(check_keys::WORDING, "The wording suggestions are resolved"),
        CheckItem::new(check_keys::SHARED, "It has been shared with the people affected"),
    ]
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
    /// The template's review checklist (the built-in one for postmortems written before
    /// templates had one). Left out when it is the built-in one, so a postmortem written
    /// before checklists existed keeps its content hash (and its lineage still matches).
    #[serde(default = "builtin_checklist", skip_serializing_if = "is_builtin_checklist")]
    pub checklist: Vec<CheckItem>,
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
            checklist: self.checklist.clone(),
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
        if self.checklist.len() > MAX_CHECKLIST {
            return Some(format!("its template's review checklist has more than {MAX_CHECKLIST} items"));
        }
        for (i, item) in self.checklist.iter().enumerate() {
            if !is_usable_key(&item.key) || item.text.trim().is_empty() || item.text.chars().count() > MAX_SHORT_TEXT {
                return Some(format!("its template's checklist item {} has no usable key or is too long", i + 1));
            }
            if self.checklist[..i].iter().any(|o| o.key == item.key) {
                return Some(format!("its template's checklist has two items with the key “{}”", item.key));
            }
        }
        None
    }
}

/// A free-text answer to a template section, kept under the section's key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub key: String,
    /// The section's title when the answer was written, to name it if it loses its section.
    pub title: String,
    pub text: String,
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
            checklist: builtin_checklist(),
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
            checklist: self.checklist.clone(),
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
            checklist: self.checklist.clone(),
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
        if self.checklist.len() > MAX_CHECKLIST {
            out.push(format!("The review checklist has more than {MAX_CHECKLIST} items."));
        }
        for (i, item) in self.checklist.iter().enumerate() {
            let name = format!("Checklist item {}", i + 1);
            if item.text.trim().is_empty() {
                out.push(format!("{name} needs its words."));
            }
            if too_long(&item.text, MAX_SHORT_TEXT) {
                out.push(format!("{name} is longer than {MAX_SHORT_TEXT} characters."));
            }
            if !is_usable_key(&item.key) {
                out.push(format!("{name} has no usable key."));
            } else if self.checklist[..i].iter().any(|o| o.key == item.key) {
                out.push(format!("{name} has the same key as another item (“{}”).", item.key));
            }
        }
        out
    }

    /// Adds a checklist item with the words `text`, keyed from them.
    pub fn add_check_item(&mut self, text: &str) {
        let keys: Vec<String> = self.checklist.iter().map(|c| c.key.clone()).collect();
        self.checklist.push(CheckItem { key: unique_key(text, &keys), text: text.to_owned() });
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
