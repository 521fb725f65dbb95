//! The wording checker applied to a whole postmortem: which fields hold free text, their
//! findings, and the findings the author has dismissed.

use super::{Category, Context, FieldKind, Finding, check};
use crate::domain::postmortem::{LessonKind, Postmortem};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// A finding the author chose to keep: the same wording in the same field stays quiet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dismissal {
    /// The field's key (see [`texts`]).
    pub field: String,
    pub category: Category,
    /// The wording, lower-cased.
    pub phrase: String,
}

impl Dismissal {
    /// The dismissal of `finding` in `field`.
    pub fn of(field: &str, finding: &Finding) -> Self {
        Self { field: field.to_owned(), category: finding.category, phrase: finding.phrase.to_lowercase() }
    }

    fn covers(&self, field: &str, finding: &Finding) -> bool {
        self.field == field && self.category == finding.category && self.phrase == finding.phrase.to_lowercase()
    }
}

/// One free-text field of a postmortem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextField {
    /// Stable key; the editor uses it as the field's element id.
    pub key: String,
    /// What people call the field: "Summary", "Timeline event", ...
    pub label: Cow<'static, str>,
    pub kind: FieldKind,
    pub text: String,
}

/// A finding together with the field it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldFinding {
    pub field: String,
    pub label: Cow<'static, str>,
    pub finding: Finding,
}

fn lesson_key(kind: LessonKind) -> &'static str {
    kind.key()
}

/// Every free-text field of `pm`, in the order the editor shows them.
pub fn texts(pm: &Postmortem) -> Vec<TextField> {
    let field = |key: String, label: &'static str, kind, text: &str| TextField {
        key,
        label: Cow::Borrowed(label),
        kind,
        text: text.to_owned(),
    };
    let mut out = vec![
        field("pm-title".into(), "Title", FieldKind::Narrative, &pm.title),
        field("pm-summary".into(), "Summary", FieldKind::Narrative, &pm.summary),
        field("pm-impact".into(), "Impact", FieldKind::Narrative, &pm.impact.description),
    ];
    out.extend(pm.answers.iter().map(|a| TextField {
        key: answer_field(&a.key),
        label: Cow::Owned(a.title.clone()),
        kind: FieldKind::Narrative,
        text: a.text.clone(),
    }));
    out.extend(
        pm.timeline
            .iter()
            .map(|e| field(format!("event-text-{}", e.id), "Timeline event", FieldKind::Timeline, &e.description)),
    );
    for f in &pm.factors {
        out.push(field(format!("factor-text-{}", f.id), "Contributing factor", FieldKind::Narrative, &f.description));
        out.extend(
            f.whys.iter().map(|w| field(format!("factor-{}-why-{}", f.id, w.id), "Why", FieldKind::Narrative, &w.text)),
        );
    }
    out.extend(
        pm.action_items
            .iter()
            .map(|a| field(format!("action-text-{}", a.id), "Action item", FieldKind::ActionItem, &a.description)),
    );
    for kind in LessonKind::ALL {
        out.extend(pm.lessons.list(kind).iter().map(|e| {
            field(format!("lesson-{}-{}", lesson_key(kind), e.id), kind.label(), FieldKind::Narrative, &e.text)
        }));
    }
    out
}

/// The field key (and element id) of the template answer under `answer_key`.
pub fn answer_field(answer_key: &str) -> String {
    format!("answer-{answer_key}")
}

/// The text of the field `key`, to change it (applying a suggested rewrite).
pub fn text_mut<'a>(pm: &'a mut Postmortem, key: &str) -> Option<&'a mut String> {
    match key {
        "pm-title" => return Some(&mut pm.title),
        "pm-summary" => return Some(&mut pm.summary),
        "pm-impact" => return Some(&mut pm.impact.description),
        _ => {}
    }
    if let Some(a) = pm.answers.iter_mut().find(|a| key == answer_field(&a.key)) {
        return Some(&mut a.text);
    }
    if let Some(e) = pm.timeline.iter_mut().find(|e| key == format!("event-text-{}", e.id)) {
        return Some(&mut e.description);
    }
    if let Some(a) = pm.action_items.iter_mut().find(|a| key == format!("action-text-{}", a.id)) {
        return Some(&mut a.description);
    }
    for f in pm.factors.iter_mut() {
        if key == format!("factor-text-{}", f.id) {
            return Some(&mut f.description);
        }
        let prefix = format!("factor-{}-why-", f.id);
        if let Some(w) = f.whys.iter_mut().find(|w| key == format!("{prefix}{}", w.id)) {
            return Some(&mut w.text);
        }
    }
    let (kind, index) = LessonKind::ALL.into_iter().find_map(|kind| {
        let position =
            pm.lessons.list(kind).iter().position(|e| key == format!("lesson-{}-{}", lesson_key(kind), e.id));
        position.map(|i| (kind, i))
    })?;
    pm.lessons.list_mut(kind).get_mut(index).map(|e| &mut e.text)
}

/// Every finding in `pm` that the author has not dismissed, field by field.
pub fn open_findings(pm: &Postmortem) -> Vec<FieldFinding> {
    let participants: Vec<(String, String)> =
        pm.participants.iter().map(|p| (p.name.clone(), p.role.clone())).collect();
    let mut out = Vec::new();
    for field in texts(pm) {
        if field.text.trim().is_empty() {
            continue;
        }
        for finding in check(&field.text, &Context { field: field.kind, participants: &participants }) {
            if !pm.dismissed_findings.iter().any(|d| d.covers(&field.key, &finding)) {
                out.push(FieldFinding { field: field.key.clone(), label: field.label.clone(), finding });
            }
        }
    }
    out
}

/// Replaces `finding`'s span in `text` with its suggested rewrite, when the text still
/// holds the phrase there; returns whether it changed anything.
pub fn apply_rewrite(text: &mut String, finding: &Finding) -> bool {
    let (Some(replacement), Some(current)) = (&finding.replacement, text.get(finding.start..finding.end)) else {
        return false;
    };
    if current != finding.phrase {
        return false;
    }
    let mut start = finding.start;
    let mut end = finding.end;
    if replacement.is_empty() {
        // Deleting a word also deletes one space and a comma right after it ("Obviously, ").
        let rest = &text[end..];
        let extra = rest.len() - rest.trim_start_matches(',').trim_start_matches(' ').len();
        end += extra;
        if extra == 0 && text[..start].ends_with(' ') {
            start -= 1;
        }
    }
    let at_sentence_start = text[..start].trim_end().is_empty() || text[..start].trim_end().ends_with(['.', '!', '?']);
    text.replace_range(start..end, replacement);
    if at_sentence_start {
        // Keep the sentence capitalised after removing or rewriting its first word.
        let rest_start = start;
        if let Some(c) = text[rest_start..].chars().next().filter(|c| c.is_lowercase()) {
            let upper: String = c.to_uppercase().collect();
            text.replace_range(rest_start..rest_start + c.len_utf8(), &upper);
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::postmortem::{ActionType, PostmortemId};

    fn pm() -> Postmortem {
        let mut pm = Postmortem::new(PostmortemId::random(), chrono::Utc::now());
        pm.summary = "The on-call engineer should have noticed the alert; this was human error".into();
        pm.add_action_item(ActionType::Prevent, "The deploy pipeline should reject configs without a canary");
        pm
    }

    #[test]
    fn findings_name_their_field_and_skip_dismissed_ones() {
        let mut pm = pm();
        let open = open_findings(&pm);
        assert_eq!(open.len(), 2);
        assert!(open.iter().all(|f| f.field == "pm-summary" && f.label == "Summary"));
        pm.dismissed_findings.push(Dismissal::of("pm-summary", &open[0].finding));
        let open = open_findings(&pm);
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].finding.category, Category::HumanError);
        assert_eq!(pm.summary().open_findings, 1);
    }

    #[test]
    fn every_text_field_can_be_found_by_its_key() {
        let mut pm = crate::domain::sample::full_postmortem(chrono::Utc::now());
        for field in texts(&pm) {
            assert_eq!(text_mut(&mut pm, &field.key).map(|t| t.clone()), Some(field.text), "{}", field.key);
        }
        assert!(text_mut(&mut pm, "no-such-field").is_none());
    }

    #[test]
    fn rewrites_replace_the_phrase_and_keep_sentences_tidy() {
        let ctx = Context { field: FieldKind::Narrative, participants: &[] };
        let mut text = "Obviously, they failed to notice the alert.".to_owned();
        let findings = check(&text, &ctx);
        assert!(apply_rewrite(&mut text, &findings[1]));
        assert_eq!(text, "Obviously, they did not notice the alert.");
        assert!(apply_rewrite(&mut text, &findings[0]));
        assert_eq!(text, "They did not notice the alert.");
        // A stale finding (the text changed) does nothing.
        assert!(!apply_rewrite(&mut text, &findings[0]));
    }
}
