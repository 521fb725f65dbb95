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
use super::time::{Moment, Zone};
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

/// Whether `pm` is the version `base` names: its content hash, or the hash the same content
/// had in format 2 (before times carried their offsets), so a postmortem exchanged before
/// the change still meets its common version.
pub fn is_version(pm: &Postmortem, base: &ContentHash) -> bool {
    content_hash(pm) == *base || format_2_hash(pm).as_ref() == Some(base)
}

/// The hash `pm`'s content had when format 2 wrote it: wall-clock times at one fixed offset
/// (`key_times.offset`, minutes) instead of instants with theirs. `None` for content format
/// 2 could not hold (a named zone, or times at other offsets).
pub fn format_2_hash(pm: &Postmortem) -> Option<ContentHash> {
    let Zone::Fixed(offset) = pm.key_times.time_zone else { return None };
    if pm.moments().any(|m| m.offset() != offset.fixed()) || pm.circulated_at.is_some() {
        return None;
    }
    let content = content(pm);
    let mut text = serde_json::to_string(&content).ok()?;
    let naive = |m: Option<Moment>| match m {
        Some(m) => format!("\"{}\"", m.local().format("%Y-%m-%dT%H:%M:%S%.f")),
        None => "null".to_owned(),
    };
    let kt = &content.key_times;
    let now = format!("\"key_times\":{}", serde_json::to_string(kt).ok()?);
    let then = format!(
        "\"key_times\":{{\"offset\":{},\"impact_started\":{},\"detected\":{},\"mitigated\":{},\"resolved\":{}}}",
        offset.minutes(),
        naive(kt.impact_started),
        naive(kt.detected),
        naive(kt.mitigated),
        naive(kt.resolved)
    );
    // JSON escapes every quote inside a string, so these keys occur only as keys.
    text = text.replacen(&now, &then, 1);
    for event in &content.timeline {
        let Some(at) = event.at else { continue };
        let now = serde_json::to_string(event).ok()?;
        let then = now.replacen(&format!("\"at\":\"{at}\""), &format!("\"at\":{}", naive(Some(at))), 1);
        text = text.replacen(&now, &then, 1);
    }
    let digest = Blake2b::<U16>::digest(text.as_bytes());
    Some(ContentHash(digest.iter().map(|b| format!("{b:02x}")).collect()))
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
    if theirs_base.is_some_and(|b| is_version(mine, b)) {
        return Relation::TheirsChanged;
    }
    if mine_base.is_some_and(|b| is_version(theirs, b)) {
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

#[cfg(test)]
mod format_2_tests {
    use super::*;

    #[test]
    fn a_postmortem_exchanged_in_format_2_still_meets_its_common_version() {
        // The hash Debrief's format 2 (commit 956f4ca) gave the fixture's postmortem, as
        // `content_hash` there printed it.
        let text = include_str!("../../tests/fixtures/v2-postmortem.debrief.json");
        let envelope = crate::file_format::Envelope::parse(text).expect("readable");
        let pm = &envelope.postmortems[0];
        let base = ContentHash("6dca9f4edd5be3539d8e86ec750c52b7".to_owned());
        assert_ne!(content_hash(pm), base, "format 3 hashes the same content differently");
        assert_eq!(format_2_hash(pm), Some(base.clone()));
        assert!(is_version(pm, &base));
        let mut edited = pm.clone();
        edited.summary.push('!');
        assert!(!is_version(&edited, &base));
    }
}
