//! The wording checker applied to a whole postmortem: each free-text field's findings,
//! less the ones the author has dismissed.

use super::{Context, Dismissal, Finding, check, texts};
use crate::domain::model::Postmortem;
use std::borrow::Cow;

impl Dismissal {
    /// The dismissal of `finding` in `field`.
    pub fn of(field: &str, finding: &Finding) -> Self {
        Self { field: field.to_owned(), category: finding.category, phrase: finding.phrase.to_lowercase() }
    }

    fn covers(&self, field: &str, finding: &Finding) -> bool {
        self.field == field && self.category == finding.category && self.phrase == finding.phrase.to_lowercase()
    }
}

/// A finding together with the field it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldFinding {
    pub field: String,
    pub label: Cow<'static, str>,
    pub finding: Finding,
}

/// Every finding in `pm` that the author has not dismissed, field by field.
pub fn open_findings(pm: &Postmortem) -> Vec<FieldFinding> {
    let mut out = Vec::new();
    for field in texts(pm) {
        if field.text.trim().is_empty() {
            continue;
        }
        for finding in check(&field.text, &Context { field: field.kind, participants: &pm.participants }) {
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
    use super::super::{Category, FieldKind, text_mut};
    use super::*;
    use crate::domain::model::{ActionType, PostmortemId};

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
