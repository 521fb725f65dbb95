//! The review of a postmortem as it travels in its file: who wrote and who reviews it, the
//! review meeting, the reviewers' comments (each anchored to a part of the postmortem and
//! resolvable), the checklist items they ticked, and their approvals.
//!
//! Every list is a list of rows with an id (checks: the checklist item's key), so the
//! three-way merge keeps what two people added on their own sides.

use super::postmortem::{ItemId, new_item_id};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a comment is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Anchor {
    /// The postmortem as a whole.
    Whole,
    /// A section of the document, by its outline key (`summary`, `timeline`, a template
    /// section's key...).
    Section(String),
    /// A timeline event.
    Event(ItemId),
    /// A contributing factor.
    Factor(ItemId),
    /// An action item.
    Action(ItemId),
}

impl fmt::Display for Anchor {
    /// The stored form: `postmortem`, `section:<key>`, `event:<id>`, `factor:<id>`, `action:<id>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Whole => f.write_str("postmortem"),
            Self::Section(key) => write!(f, "section:{key}"),
            Self::Event(id) => write!(f, "event:{id}"),
            Self::Factor(id) => write!(f, "factor:{id}"),
            Self::Action(id) => write!(f, "action:{id}"),
        }
    }
}

impl Anchor {
    /// Reads the stored form; `None` when it is not one.
    pub fn parse(text: &str) -> Option<Self> {
        if text == "postmortem" {
            return Some(Self::Whole);
        }
        let (kind, rest) = text.split_once(':')?;
        let id = || uuid::Uuid::parse_str(rest).ok();
        match kind {
            "section" if !rest.is_empty() && rest.chars().count() <= 200 && !rest.chars().any(char::is_whitespace) => {
                Some(Self::Section(rest.to_owned()))
            }
            "event" => id().map(Self::Event),
            "factor" => id().map(Self::Factor),
            "action" => id().map(Self::Action),
            _ => None,
        }
    }
}

impl Serialize for Anchor {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Anchor {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Self::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "“{text}” is not a comment anchor (postmortem, section:<key>, event:<id>, factor:<id> or action:<id>)"
            ))
        })
    }
}

/// Who did something, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signed {
    /// A name or a role, as the person gave it.
    pub by: String,
    pub at: DateTime<Utc>,
}

/// One reviewer's comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub id: ItemId,
    pub anchor: Anchor,
    /// A name or a role, as the commenter gave it.
    pub author: String,
    pub at: DateTime<Utc>,
    pub text: String,
    /// Set once the comment is resolved; a merge keeps a resolution made on either side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved: Option<Signed>,
}

/// A ticked item of the review checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// The checklist item's key.
    pub key: String,
    /// The item's words when it was ticked, to name it if the checklist changes.
    pub text: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// A reviewer's approval: what moved the postmortem to Published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approval {
    pub id: ItemId,
    pub by: String,
    pub at: DateTime<Utc>,
    /// Checklist items not ticked, and comments still open, when it was approved.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub unticked: usize,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub open_comments: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The review of one postmortem.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Review {
    /// Who wrote the postmortem (names or roles).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// Who reviews it (names or roles).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reviewers: Vec<String>,
    /// The day of the review meeting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meeting: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub comments: Vec<Comment>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<Check>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub approvals: Vec<Approval>,
}

impl Review {
    /// Whether nothing about the review is recorded (it is then left out of files).
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    /// Adds a comment; returns its id.
    pub fn comment(&mut self, anchor: Anchor, author: &str, text: &str, now: DateTime<Utc>) -> ItemId {
        let id = new_item_id();
        self.comments.push(Comment {
            id,
            anchor,
            author: author.trim().to_owned(),
            at: now,
            text: text.trim().to_owned(),
            resolved: None,
        });
        id
    }

    /// Resolves (`Some`) or reopens (`None`) the comment `id`.
    pub fn resolve(&mut self, id: ItemId, by: Option<Signed>) {
        if let Some(c) = self.comments.iter_mut().find(|c| c.id == id) {
            c.resolved = by;
        }
    }

    /// The comments not resolved yet.
    pub fn open_comments(&self) -> impl Iterator<Item = &Comment> {
        self.comments.iter().filter(|c| c.resolved.is_none())
    }

    /// The tick of checklist item `key`, if it is ticked.
    pub fn check(&self, key: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.key == key)
    }

    /// Ticks (`Some(by, at)`) or unticks (`None`) checklist item `key` whose words are `text`.
    pub fn set_check(&mut self, key: &str, text: &str, by: Option<Signed>) {
        self.checks.retain(|c| c.key != key);
        if let Some(Signed { by, at }) = by {
            self.checks.push(Check { key: key.to_owned(), text: text.to_owned(), by, at });
        }
    }

    /// What makes this review unusable (it came from a file), with its place below the
    /// review (`.comments[2].author`) and in words; `None` when fine.
    pub fn problem(&self) -> Option<(String, String)> {
        let blank = |t: &str| t.trim().is_empty();
        let at = |place: String, problem: &str| Some((place, problem.to_owned()));
        for (name, list) in [("authors", &self.authors), ("reviewers", &self.reviewers)] {
            if let Some(i) = list.iter().position(|n| blank(n)) {
                return at(format!(".{name}[{i}]"), "a name or role is empty");
            }
        }
        for (i, c) in self.comments.iter().enumerate() {
            if blank(&c.author) || c.resolved.as_ref().is_some_and(|r| blank(&r.by)) {
                return at(format!(".comments[{i}]"), "a comment is not signed (empty name)");
            }
            if blank(&c.text) {
                return at(format!(".comments[{i}].text"), "a comment is empty");
            }
            if self.comments[..i].iter().any(|o| o.id == c.id) {
                return at(format!(".comments[{i}].id"), "two comments have the same id");
            }
        }
        for (i, c) in self.checks.iter().enumerate() {
            if blank(&c.by) {
                return at(format!(".checks[{i}].by"), "a ticked checklist item is not signed (empty name)");
            }
            if !super::template::is_usable_key(&c.key) {
                return at(format!(".checks[{i}].key"), "a ticked checklist item has no usable key");
            }
            if self.checks[..i].iter().any(|o| o.key == c.key) {
                return at(format!(".checks[{i}].key"), "a checklist item is ticked twice");
            }
        }
        for (i, a) in self.approvals.iter().enumerate() {
            if blank(&a.by) {
                return at(format!(".approvals[{i}].by"), "an approval is not signed (empty name)");
            }
            if self.approvals[..i].iter().any(|o| o.id == a.id) {
                return at(format!(".approvals[{i}].id"), "two approvals have the same id");
            }
        }
        None
    }

    /// The latest approval.
    pub fn approval(&self) -> Option<&Approval> {
        self.approvals.iter().max_by_key(|a| a.at)
    }
}
