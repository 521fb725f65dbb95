//! The dated history an action item keeps of changes to its tracked fields.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Which tracked field of an action item changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ItemField {
    #[serde(rename = "status")]
    Status,
    #[serde(rename = "owner")]
    Owner,
    #[serde(rename = "due")]
    Due,
    #[serde(rename = "priority")]
    Priority,
    #[serde(rename = "verdict")]
    Verdict,
}

impl ItemField {
    /// The field's name for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Status => "Status",
            Self::Owner => "Owner",
            Self::Due => "Due date",
            Self::Priority => "Priority",
            Self::Verdict => "Did it work?",
        }
    }
}

/// One dated change to an action item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemChange {
    pub at: DateTime<Utc>,
    pub field: ItemField,
    pub from: String,
    pub to: String,
}
