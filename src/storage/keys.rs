//! Every key Debrief writes in browser storage, in one place.

use crate::domain::PostmortemId;

/// The library index: one summary per postmortem, so the list opens without decoding documents.
pub const INDEX: &str = "debrief.index";
/// Prefix of the one key each postmortem document is stored under.
pub const DOCUMENT_PREFIX: &str = "debrief.pm.";
/// When the last full backup was downloaded (RFC 3339 text).
pub const LAST_BACKUP: &str = "debrief.last-backup";
/// Every custom template, in one envelope.
pub const TEMPLATES: &str = "debrief.templates";
/// The keys that open sealed contributions, one per sealed invitation, in one envelope.
pub const SEAL_KEYS: &str = "debrief.seal-keys";
/// Prefix of a contributor's unfinished answers to one invitation (in sessionStorage).
pub const CONTRIBUTION_DRAFT_PREFIX: &str = "debrief.contribution-draft.";
/// The size of this browser's storage for Debrief, in characters, as last measured.
pub const MEASURED_SIZE: &str = "debrief.measured-size";
/// The colour theme chosen in this browser ("light" or "dark"; absent follows the system).
/// The start-up script reads it too, so the page is drawn in the right colours at once.
pub const THEME: &str = "debrief.theme";
/// The name or role this browser's person signs review comments, ticks and approvals with.
pub const SIGNATURE: &str = "debrief.signature";
/// The team's target for publishing a postmortem, in working days after resolution.
pub const PUBLISH_TARGET: &str = "debrief.publish-target";
/// Present once the first-run note about where data is kept was dismissed.
pub const FIRST_RUN_NOTE: &str = "debrief.first-run-note";
/// Prefix under which an unreadable index is set aside before it is rebuilt.
pub const SET_ASIDE_INDEX_PREFIX: &str = "debrief.unreadable-index.";

/// Prefix of the copy of the version a postmortem was last exchanged at, kept once it is
/// edited after the exchange (a stored document of its own).
pub const EXCHANGED_PREFIX: &str = "debrief.base.";

/// The key of the exchanged version kept beside postmortem `id`.
pub fn exchanged(id: &PostmortemId) -> String {
    format!("{EXCHANGED_PREFIX}{id}")
}

/// The key a postmortem's document lives under.
pub fn document(id: &PostmortemId) -> String {
    format!("{DOCUMENT_PREFIX}{id}")
}

/// The postmortem id a document key names, if `key` is a document key.
pub fn document_id(key: &str) -> Option<PostmortemId> {
    key.strip_prefix(DOCUMENT_PREFIX).and_then(PostmortemId::parse)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_keys_round_trip() {
        let id = PostmortemId::random();
        assert_eq!(document_id(&document(&id)), Some(id));
        assert_eq!(document_id(INDEX), None);
        assert_eq!(document_id("debrief.pm.not-a-uuid"), None);
        assert_eq!(document_id("other-app.key"), None);
    }
}
