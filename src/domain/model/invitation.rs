//! An invitation to contribute anonymously, the contributions that come back, and the
//! invitation as the facilitator keeps it: the stored shapes, with no merging rules.

use blake2::Blake2b;
use blake2::digest::Digest;
use blake2::digest::consts::U16;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

/// The most questions an invitation may ask.
pub const MAX_QUESTIONS: usize = 20;
/// The longest question, in characters.
pub const MAX_QUESTION_CHARS: usize = 500;
/// The longest invitation title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// The longest invitation summary, in characters.
pub const MAX_SUMMARY_CHARS: usize = 4_000;
/// The longest answer, in characters.
pub const MAX_ANSWER_CHARS: usize = 20_000;

macro_rules! random_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh random id.
            pub fn random() -> Self {
                Self(Uuid::new_v4())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

random_id!(
    /// Identifies one invitation; contributions name it so they land in the right place.
    InvitationId
);
random_id!(
    /// A contribution's random id: tells duplicates apart, says nothing about the writer.
    ContributionId
);

/// One question of an invitation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Stable within the invitation; answers refer to it.
    pub key: String,
    pub text: String,
}

/// The questions a new invitation starts with: open, blameless, about the situation.
pub fn default_questions() -> Vec<Question> {
    [
        "What did you notice, and when?",
        "What did you do, and what made it the right thing to do at the time?",
        "What surprised you?",
        "What would have helped?",
    ]
    .iter()
    .enumerate()
    .map(|(i, text)| Question { key: format!("q{}", i + 1), text: (*text).to_owned() })
    .collect()
}

/// Whether `key` can name a question: 1 to 32 ASCII letters and digits (it becomes part of
/// element ids on the contributor's page).
pub fn is_question_key(key: &str) -> bool {
    (1..=32).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A key for a new question that no question in `questions` uses yet.
pub fn new_question_key(questions: &[Question]) -> String {
    (1..).map(|n| format!("q{n}")).find(|k| questions.iter().all(|q| &q.key != k)).unwrap_or_default()
}

/// What a facilitator sends: a neutral summary, a deadline and the questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub id: InvitationId,
    pub title: String,
    pub summary: String,
    #[serde(default)]
    pub deadline: Option<NaiveDate>,
    pub questions: Vec<Question>,
    /// When set, contributions are sealed to this public key (32 bytes, base64url).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal_key: Option<String>,
}

impl Invitation {
    /// What stops the invitation from being sent, in words for the facilitator.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let chars = |s: &str| s.chars().count();
        if self.title.trim().is_empty() {
            out.push("Give the invitation a title, so people know which incident it is about.".to_owned());
        }
        if chars(&self.title) > MAX_TITLE_CHARS {
            out.push(format!("The title is longer than {MAX_TITLE_CHARS} characters."));
        }
        if chars(&self.summary) > MAX_SUMMARY_CHARS {
            out.push(format!("The summary is longer than {MAX_SUMMARY_CHARS} characters."));
        }
        if self.questions.is_empty() {
            out.push("Ask at least one question.".to_owned());
        }
        if self.questions.len() > MAX_QUESTIONS {
            out.push(format!("Ask at most {MAX_QUESTIONS} questions."));
        }
        for (i, q) in self.questions.iter().enumerate() {
            if q.text.trim().is_empty() {
                out.push(format!("Question {} is empty: write it or remove it.", i + 1));
            } else if chars(&q.text) > MAX_QUESTION_CHARS {
                out.push(format!("Question {} is longer than {MAX_QUESTION_CHARS} characters.", i + 1));
            }
            if !is_question_key(&q.key) || self.questions[..i].iter().any(|p| p.key == q.key) {
                out.push(format!("Question {} needs a key of its own (1 to 32 letters and digits).", i + 1));
            }
        }
        out
    }

    /// The question with `key`.
    pub fn question(&self, key: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.key == key)
    }
}

/// One answer in a contribution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContributionAnswer {
    pub question: String,
    pub text: String,
}

/// What one person sent back: a random id and their answers, nothing else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contribution {
    pub id: ContributionId,
    pub answers: Vec<ContributionAnswer>,
}

impl Contribution {
    /// A contribution of the non-blank `answers` (question key, text), in question order.
    pub fn new(invitation: &Invitation, answers: &[(String, String)]) -> Self {
        let answers = invitation
            .questions
            .iter()
            .filter_map(|q| {
                let text = answers.iter().find(|(k, _)| k == &q.key).map(|(_, t)| t.trim())?;
                (!text.is_empty()).then(|| ContributionAnswer { question: q.key.clone(), text: text.to_owned() })
            })
            .collect();
        Self { id: ContributionId::random(), answers }
    }

    /// The order key: a hash of the content, so the shown order says nothing of arrival.
    pub fn order_key(&self) -> [u8; 16] {
        let mut hash = Blake2b::<U16>::new();
        for a in &self.answers {
            hash.update((a.question.len() as u64).to_le_bytes());
            hash.update(a.question.as_bytes());
            hash.update((a.text.len() as u64).to_le_bytes());
            hash.update(a.text.as_bytes());
        }
        hash.update(self.id.0.as_bytes());
        hash.finalize().into()
    }
}

/// An invitation as the facilitator keeps it, with the contributions merged so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentInvitation {
    pub invitation: Invitation,
    /// Always sorted by [`Contribution::order_key`].
    #[serde(default)]
    pub contributions: Vec<Contribution>,
}
