//! A postmortem as a document: which sections it has, in which order and under which
//! names. The read view, the print view and the Markdown export all follow this one
//! outline, so they never disagree: a template's sections come in the template's order and
//! under its titles (key times after the summary), then whatever the template has no
//! section for but the postmortem holds, then answers that lost their section, then the
//! anonymous contributions.

use super::model::{LessonKind, Postmortem};
use super::template::{Part, homeless_answers, is_answered};

/// What a section of the document shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// The key times and the durations computed from them.
    KeyTimes,
    /// The free-text answer kept under this key.
    Text(String),
    /// One structured part: summary, participants, impact, timeline, factors (with their
    /// whys unless the whys have a section of their own), whys, or action items.
    Part(Part),
    /// Lesson lists; with `headed`, each under its own sub-heading.
    Lessons { kinds: Vec<LessonKind>, headed: bool },
    /// Written answers whose section is not in the current template.
    OtherAnswers,
    /// The merged anonymous contributions.
    Contributions,
}

/// One section of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Stable name: the template section's key, or the part's (`summary`, `key-times`...);
    /// review comments are anchored to it.
    pub key: String,
    pub title: String,
    pub content: Content,
    /// A template's section, shown even when empty (as "Not answered yet").
    pub from_template: bool,
}

/// The document's sections in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outline {
    pub sections: Vec<Section>,
    /// Whether the whys have a section of their own (so factors are listed without them).
    pub whys_apart: bool,
}

/// The key of the key times' section.
pub const KEY_TIMES: &str = "key-times";

/// The order and names of the parts a template does not name.
pub const DEFAULT_ORDER: [(Part, &str); 7] = [
    (Part::Summary, "Summary"),
    (Part::Participants, "Participants"),
    (Part::Impact, "Impact"),
    (Part::Timeline, "Timeline"),
    (Part::Factors, "Contributing factors"),
    (Part::Actions, "Action items"),
    (Part::Lessons, "Lessons"),
];

fn section(key: &str, title: &str, content: Content, from_template: bool) -> Section {
    Section { key: key.to_owned(), title: title.to_owned(), content, from_template }
}

/// What a template section of `part` (under `key`) shows.
fn content_of(part: Part, key: &str) -> Content {
    match part {
        Part::Text => Content::Text(key.to_owned()),
        Part::Lessons | Part::WentWell | Part::WentWrong | Part::GotLucky => {
            Content::Lessons { kinds: part.lesson_kinds().to_vec(), headed: part == Part::Lessons }
        }
        other => Content::Part(other),
    }
}

/// The outline of `pm`.
pub fn outline(pm: &Postmortem) -> Outline {
    let template: Vec<(Part, String, String)> = match &pm.template {
        Some(t) => t.sections.iter().map(|s| (s.part, s.key.clone(), s.title.clone())).collect(),
        None => Vec::new(),
    };
    let shown = |part: Part| template.iter().any(|(p, _, _)| *p == part);
    let lessons_shown = |kind: LessonKind| template.iter().any(|(p, _, _)| p.lesson_kinds().contains(&kind));
    let mut out = Vec::new();
    let key_times = || section(KEY_TIMES, "Key times", Content::KeyTimes, false);

    // The summary reads best first, before the key times, when the template starts with it.
    let summary_first = template.first().is_none_or(|(p, _, _)| *p == Part::Summary);
    if template.is_empty() && is_answered(pm, "", Part::Summary) {
        out.push(section(Part::Summary.key(), "Summary", Content::Part(Part::Summary), false));
    }
    if !summary_first || template.is_empty() {
        out.push(key_times());
    }
    for (i, (part, key, title)) in template.iter().enumerate() {
        if i == 1 && summary_first {
            out.push(key_times());
        }
        out.push(section(key, title, content_of(*part, key), true));
    }
    if template.len() == 1 && summary_first {
        out.push(key_times());
    }
    // Whatever the template has no section for still belongs in the document.
    for (part, heading) in DEFAULT_ORDER {
        if part == Part::Lessons {
            let rest: Vec<LessonKind> = LessonKind::ALL.into_iter().filter(|k| !lessons_shown(*k)).collect();
            if rest.iter().any(|k| !pm.lessons.list(*k).is_empty()) {
                out.push(section(part.key(), heading, Content::Lessons { kinds: rest, headed: true }, false));
            }
        } else if !(shown(part) || template.is_empty() && part == Part::Summary) && is_answered(pm, "", part) {
            out.push(section(part.key(), heading, Content::Part(part), false));
        }
    }
    if !homeless_answers(pm).is_empty() {
        out.push(section("other-answers", "Other answers", Content::OtherAnswers, false));
    }
    if pm.invitations.iter().any(|s| !s.contributions.is_empty()) {
        out.push(section("contributions", "Anonymous contributions", Content::Contributions, false));
    }
    Outline { sections: out, whys_apart: shown(Part::Whys) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::template::builtin;
    use crate::domain::{PostmortemId, sample};

    fn titles(o: &Outline) -> Vec<&str> {
        o.sections.iter().map(|s| s.title.as_str()).collect()
    }

    #[test]
    fn without_a_template_the_default_order_and_only_what_is_there() {
        let mut pm = Postmortem::new(PostmortemId::random(), chrono::Utc::now());
        assert_eq!(titles(&outline(&pm)), ["Key times"]);
        pm.summary = "S".into();
        pm.add_factor(crate::domain::FactorCategory::Process, "f");
        assert_eq!(titles(&outline(&pm)), ["Summary", "Key times", "Contributing factors"]);
    }

    #[test]
    fn a_template_gives_its_order_and_titles_with_key_times_after_the_summary() {
        use crate::domain::template::apply_template;
        let mut pm = sample::full_postmortem(chrono::Utc::now());
        for template in builtin::all() {
            apply_template(&mut pm, &template);
            let o = outline(&pm);
            let expected: Vec<&str> = template.sections.iter().map(|s| s.title.as_str()).collect();
            let from_template: Vec<&str> =
                o.sections.iter().filter(|s| s.from_template).map(|s| s.title.as_str()).collect();
            assert_eq!(from_template, expected, "{}: every section, in the template's order", template.name);
            assert_eq!(o.whys_apart, template.sections.iter().any(|s| s.part == Part::Whys));
            let t = titles(&o);
            let key_times = t.iter().position(|s| *s == "Key times").unwrap_or(usize::MAX);
            let summary_first = template.sections[0].part == Part::Summary;
            assert_eq!(key_times, usize::from(summary_first), "{}: key times after a leading summary", template.name);
            assert_eq!(t.iter().filter(|s| **s == "Key times").count(), 1);
        }
    }
}
