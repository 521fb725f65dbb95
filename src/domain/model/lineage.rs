//! Which exchanged version a postmortem descends from: stored with it, and carried in the
//! files it travels in, so the next exchange can tell who changed what since.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A short fingerprint of a postmortem's content (what its authors wrote), the same in
/// every browser for the same content.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ContentHash(pub String);

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The version a postmortem was last exchanged at (exported, imported, read from or written
/// to a team folder): the common ancestor for the next merge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lineage {
    /// The content hash of that version.
    pub base: ContentHash,
    /// Whether this browser keeps a copy of that version beside the postmortem (it does once
    /// the postmortem is edited after the exchange; until then the postmortem is that
    /// version). Not carried in files.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub kept: bool,
}
