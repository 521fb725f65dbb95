//! Lineage: how a postmortem here and one that arrives (in a file, or from a team folder)
//! are related, from the version each was last exchanged at.
//!
//! Two versions are compared by their content: what the authors wrote, leaving out what one
//! browser keeps for itself (the save counter, the last-saved time, the trash, the lineage).
//! A version that arrives carries the hash of the version it descends from; one here knows
//! the version it was last exchanged at. From those:
//! - identical: the same content;
//! - only theirs changed: theirs descends from exactly this version;
//! - only mine changed: theirs is exactly the version this one was last exchanged at;
//! - both changed: anything else. When both descend from the same exchanged version, that
//!   version is the common ancestor of a three-way merge; otherwise (a file from before
//!   lineage, or versions that met no common exchange) the ancestor is unknown.

use super::model::{ContentHash, Lineage, Postmortem};
use blake2::Blake2b;
use blake2::digest::Digest;
use blake2::digest::consts::U16;

/// `pm` as its authors wrote it: without the save counter, the last-saved time, the trash
/// and the lineage, which each browser keeps for itself.
pub fn content(pm: &Postmortem) -> Postmortem {
    Postmortem { revision: 0, updated_at: pm.created_at, deleted_at: None, lineage: None, ..pm.clone() }
}

/// The hash of `pm`'s content: the same wherever the same content is.
pub fn content_hash(pm: &Postmortem) -> ContentHash {
    let text = serde_json::to_string(&content(pm)).unwrap_or_default();
    let digest = Blake2b::<U16>::digest(text.as_bytes());
    ContentHash(digest.iter().map(|b| format!("{b:02x}")).collect())
}

/// Whether `a` and `b` hold the same content.
pub fn same_content(a: &Postmortem, b: &Postmortem) -> bool {
    content(a) == content(b)
}

/// How the version here and the one that arrived are related.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// The same content.
    Identical,
    /// Theirs descends from exactly this version: taking it loses nothing of mine.
    TheirsChanged,
    /// Theirs is the version this one was last exchanged at: mine holds everything.
    MineChanged,
    /// Both changed since a version both descend from, which this browser keeps: merge
    /// three ways.
    BothChanged,
    /// Both differ, and no common version is known: every difference is a question.
    Unrelated,
}

/// How `mine` (the version here) and `theirs` (arriving, carrying the lineage it descends
/// from) are related.
pub fn relate(mine: &Postmortem, theirs: &Postmortem) -> Relation {
    if same_content(mine, theirs) {
        return Relation::Identical;
    }
    let theirs_base = theirs.lineage.as_ref().map(|l| &l.base);
    let mine_base = mine.lineage.as_ref().map(|l| &l.base);
    if theirs_base.is_some_and(|b| *b == content_hash(mine)) {
        return Relation::TheirsChanged;
    }
    if mine_base.is_some_and(|b| *b == content_hash(theirs)) {
        return Relation::MineChanged;
    }
    match (mine_base, theirs_base) {
        (Some(m), Some(t)) if m == t => Relation::BothChanged,
        _ => Relation::Unrelated,
    }
}

/// `pm` marked as exchanged at its present content: the version the next exchange will be
/// compared with. Until it is edited again, no separate copy of that version is needed.
pub fn exchanged(pm: &Postmortem) -> Postmortem {
    Postmortem { lineage: Some(Lineage { base: content_hash(pm), kept: false }), ..pm.clone() }
}

/// `pm` as it leaves in a file: carrying the version it descends from (the one this browser
/// last exchanged it at), without what only this browser needs to know.
pub fn outgoing(pm: &Postmortem) -> Postmortem {
    let lineage = pm.lineage.as_ref().map(|l| Lineage { base: l.base.clone(), kept: false });
    Postmortem { lineage, ..pm.clone() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sample::full_postmortem;
    use chrono::{DateTime, Utc};

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-05-01T10:00:00Z").map(|t| t.with_timezone(&Utc)).unwrap_or_default()
    }

    #[test]
    fn the_hash_follows_what_authors_wrote_and_nothing_else() {
        let pm = full_postmortem(now());
        let mut saved_again = pm.clone();
        saved_again.revision += 7;
        saved_again.updated_at = now() + chrono::Duration::hours(3);
        saved_again.deleted_at = Some(now());
        saved_again.lineage = Some(Lineage { base: ContentHash("x".into()), kept: true });
        assert_eq!(content_hash(&pm), content_hash(&saved_again));
        let mut edited = pm.clone();
        edited.summary.push('.');
        assert_ne!(content_hash(&pm), content_hash(&edited));
        assert_eq!(content_hash(&pm).0.len(), 32);
    }

    /// A exports, B imports; then each edits, or not.
    fn exchange() -> (Postmortem, Postmortem) {
        let sent = exchanged(&full_postmortem(now()));
        let received = exchanged(&outgoing(&sent));
        (sent, received)
    }

    #[test]
    fn every_case_of_two_versions_is_told_apart() {
        let (a, b) = exchange();
        assert_eq!(relate(&a, &outgoing(&b)), Relation::Identical);

        // Only B edited, then sent it back: A takes it.
        let mut b_edited = b.clone();
        b_edited.impact.description = "Checkout failed for 12% of users".into();
        let file_from_b = outgoing(&b_edited);
        assert_eq!(relate(&a, &file_from_b), Relation::TheirsChanged);

        // Only A edited, and B sends back the version both had: A keeps its own.
        let mut a_edited = a.clone();
        a_edited.summary = "A pool setting starved the checkout service".into();
        assert_eq!(relate(&a_edited, &outgoing(&b)), Relation::MineChanged);

        // Both edited since the exchange: a three-way merge with a known ancestor.
        assert_eq!(relate(&a_edited, &file_from_b), Relation::BothChanged);

        // A file from before lineage, or from a version that never met this one.
        let mut stranger = b_edited.clone();
        stranger.lineage = None;
        assert_eq!(relate(&a_edited, &stranger), Relation::Unrelated);
        let fresh = full_postmortem(now());
        let mut other = fresh.clone();
        other.title = "Other".into();
        assert_eq!(relate(&fresh, &other), Relation::Unrelated);
    }

    #[test]
    fn what_leaves_carries_the_base_but_not_this_browsers_copy() {
        let mut pm = exchanged(&full_postmortem(now()));
        if let Some(l) = pm.lineage.as_mut() {
            l.kept = true;
        }
        let out = outgoing(&pm);
        assert_eq!(out.lineage.as_ref().map(|l| l.kept), Some(false));
        assert_eq!(out.lineage.map(|l| l.base), pm.lineage.map(|l| l.base));
    }
}
