//! What differs between two versions of one postmortem, in words: shown before a stale
//! tab writes its version over a newer one saved elsewhere.

use super::model::texts;
use super::model::{KeyTime, Postmortem};

/// One difference: what it is about, and the text in each version ("" when absent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub what: String,
    pub mine: String,
    pub theirs: String,
}

/// Every difference between `mine` and `theirs`, in the editor's order: free text field by
/// field (rows matched by id, so an added or removed row shows as one side empty), then
/// status, severity, key times and the count of each list.
pub fn differences(mine: &Postmortem, theirs: &Postmortem) -> Vec<Difference> {
    let mut out = Vec::new();
    let (a, b) = (texts(mine), texts(theirs));
    let mut push = |what: String, mine: String, theirs: String| {
        if mine != theirs {
            out.push(Difference { what, mine, theirs });
        }
    };
    for field in &a {
        let other = b.iter().find(|f| f.key == field.key).map(|f| f.text.clone()).unwrap_or_default();
        push(field.label.to_string(), field.text.clone(), other);
    }
    for field in b.iter().filter(|f| a.iter().all(|m| m.key != f.key)) {
        push(field.label.to_string(), String::new(), field.text.clone());
    }
    push("Status".into(), mine.status.label().into(), theirs.status.label().into());
    let severity = |p: &Postmortem| p.severity.map(|s| s.name()).unwrap_or_default();
    push("Severity".into(), severity(mine), severity(theirs));
    for k in KeyTime::ALL {
        let at = |p: &Postmortem| p.key_times.get(k).map(|t| t.display_with_offset()).unwrap_or_default();
        push(k.label().into(), at(mine), at(theirs));
    }
    let counts = |p: &Postmortem| {
        [
            ("Participants", p.participants.len()),
            ("Timeline events", p.timeline.len()),
            ("Contributing factors", p.factors.len()),
            ("Action items", p.action_items.len()),
            ("Anonymous contributions", p.invitations.iter().map(|i| i.contributions.len()).sum()),
        ]
    };
    for ((what, m), (_, t)) in counts(mine).into_iter().zip(counts(theirs)) {
        push(format!("{what} (count)"), m.to_string(), t.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sample::full_postmortem;

    #[test]
    fn differences_name_each_changed_field_and_nothing_else() {
        let theirs = full_postmortem(chrono::Utc::now());
        assert_eq!(differences(&theirs, &theirs), vec![]);
        let mut mine = theirs.clone();
        mine.title = "Mine".into();
        mine.timeline.remove(0);
        mine.revision += 3;
        let found = differences(&mine, &theirs);
        let whats: Vec<&str> = found.iter().map(|d| d.what.as_str()).collect();
        assert_eq!(whats, vec!["Title", "Timeline event", "Timeline events (count)"], "{found:?}");
        assert_eq!(found[0].mine, "Mine");
        assert_eq!(found[1].mine, "");
        assert_eq!(found[1].theirs, theirs.timeline[0].description);
    }
}
