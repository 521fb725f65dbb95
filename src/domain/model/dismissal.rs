//! The wording findings an author chose to keep, and the categories findings fall in.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Category {
    #[serde(rename = "counterfactual")]
    Counterfactual,
    #[serde(rename = "human-error")]
    HumanError,
    #[serde(rename = "judgemental")]
    Judgemental,
    #[serde(rename = "blaming-question")]
    BlamingQuestion,
    #[serde(rename = "hindsight")]
    Hindsight,
    #[serde(rename = "named-individual")]
    NamedIndividual,
    #[serde(rename = "vague-action")]
    VagueAction,
}

impl Category {
    /// Every category, in the order the findings panel shows them.
    pub const ALL: [Self; 7] = [
        Self::Counterfactual,
        Self::HumanError,
        Self::Judgemental,
        Self::BlamingQuestion,
        Self::Hindsight,
        Self::NamedIndividual,
        Self::VagueAction,
    ];

    /// A short name for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Counterfactual => "Counterfactual",
            Self::HumanError => "“Human error”",
            Self::Judgemental => "Judgemental wording",
            Self::BlamingQuestion => "Blaming question",
            Self::Hindsight => "Hindsight",
            Self::NamedIndividual => "Named person",
            Self::VagueAction => "Vague action item",
        }
    }

    /// A stable name for files, tests and CSS classes.
    pub fn key(self) -> &'static str {
        match self {
            Self::Counterfactual => "counterfactual",
            Self::HumanError => "human-error",
            Self::Judgemental => "judgemental",
            Self::BlamingQuestion => "blaming-question",
            Self::Hindsight => "hindsight",
            Self::NamedIndividual => "named-individual",
            Self::VagueAction => "vague-action",
        }
    }

    /// The category whose key is `key`.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.key() == key)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A finding the author chose to keep: the same wording in the same field stays quiet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dismissal {
    /// The field's key (see [`texts`]).
    pub field: String,
    pub category: Category,
    /// The wording, lower-cased.
    pub phrase: String,
}
