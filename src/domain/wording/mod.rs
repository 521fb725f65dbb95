//! The blameless wording assistant: finds wording that blames people or reasons from
//! hindsight, says why it hinders learning, and suggests a better way to say it.
//!
//! A hand-written tokenizer and phrase matcher (no regex: it would weigh more than the
//! rest of the checker many times over). Context rules follow
//! `shared/research/blame-language.md`: quoted text is evidence and left alone, a
//! forward-looking "should" about a system is a requirement, "who" that is not a
//! question is fine, and "just" meaning "a moment ago" is fine.

mod fields;
mod rules;
mod tokens;

pub use fields::{FieldFinding, apply_rewrite, open_findings};
// What the checker reads and what a dismissal stores are part of the document model.
pub use crate::domain::model::{Category, Dismissal, FieldKind, TextField, answer_field, text_mut, texts};
pub use tokens::{Tokens, Word, tokenize};

impl Category {
    /// Why wording of this kind hinders learning, in one line.
    pub fn explanation(self) -> &'static str {
        match self {
            Self::Counterfactual => {
                "Describes what did not happen instead of what did, and hides why the actual choice made sense at the time."
            }
            Self::HumanError => {
                "Names a symptom as the cause and ends the inquiry; look for the conditions that made the action likely."
            }
            Self::Judgemental => {
                "Judges people rather than describing actions, which makes everyone less willing to share what they saw."
            }
            Self::BlamingQuestion => {
                "Looks for a culprit and asks for a justification; “what” and “how” questions bring out context instead."
            }
            Self::Hindsight => {
                "It was not obvious before the outcome was known; this word makes the past look simpler than it was."
            }
            Self::NamedIndividual => {
                "A name turns a story about the system into a story about a person; use the role they played."
            }
            Self::VagueAction => {
                "Cannot be done, checked or closed; say what will change, where, and how you will know it worked."
            }
        }
    }
}

/// What the checker knows besides the text.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub field: FieldKind,
    /// The postmortem's participants: names, roles and aliases.
    pub participants: &'a [crate::domain::model::Participant],
}

/// One piece of wording worth a second look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Byte offsets into the checked text.
    pub start: usize,
    pub end: usize,
    pub category: Category,
    /// The matched words as written.
    pub phrase: String,
    /// A better wording, or a question that leads to one.
    pub suggestion: String,
    /// Text that can replace the phrase as it is, when a mechanical rewrite exists
    /// (an empty string means "delete it").
    pub replacement: Option<String>,
}

impl Finding {
    /// Why this wording hinders learning.
    pub fn explanation(&self) -> &'static str {
        self.category.explanation()
    }
}

/// Finds blaming and hindsight wording in `text`, in text order, without overlaps.
pub fn check(text: &str, context: &Context<'_>) -> Vec<Finding> {
    let tokens = tokenize(text);
    let mut findings = rules::phrase_findings(text, &tokens, context);
    findings.extend(rules::people_findings(text, &tokens, context));
    crate::domain::order::sort_by_key(&mut findings, |f| (f.start, std::cmp::Reverse(f.end)));
    let mut kept: Vec<Finding> = Vec::with_capacity(findings.len());
    for f in findings {
        if kept.last().is_none_or(|k| f.start >= k.end) {
            kept.push(f);
        }
    }
    kept
}

#[cfg(test)]
mod tests;
