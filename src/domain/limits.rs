//! How much one postmortem may hold: stated, the same for the editor and for every file
//! brought in, and set well above any real postmortem (a long one has a few hundred
//! timeline events and a few dozen action items) while the editor stays responsive up to
//! them (measured by the benchmark's "limits" step).

use super::model::{MAX_ALIAS_CHARS, MAX_ALIASES, Postmortem};

/// The longest title, in characters (the editor's title field stops here).
pub const MAX_TITLE_CHARS: usize = 300;
/// The longest short field: incident reference, a name, a role, an owner, a figure.
pub const MAX_SHORT_CHARS: usize = 120;
/// The longest service or tag.
pub const MAX_LABEL_CHARS: usize = 80;
/// The longest piece of prose: a summary, a timeline event, a factor, an answer.
pub const MAX_TEXT_CHARS: usize = 100_000;
/// The most text one postmortem may hold in all, in bytes of UTF-8 (1 MB: about a
/// thousand pages).
pub const MAX_TOTAL_BYTES: usize = 1_000_000;
pub const MAX_EVENTS: usize = 1_000;
pub const MAX_ACTION_ITEMS: usize = 300;
pub const MAX_FACTORS: usize = 200;
/// The most "why" answers under one factor.
pub const MAX_WHYS: usize = 50;
/// The most entries in each of the three lessons lists.
pub const MAX_LESSONS: usize = 300;
pub const MAX_PARTICIPANTS: usize = 200;
pub const MAX_FIGURES: usize = 100;
/// The most services, and the most tags.
pub const MAX_LABELS: usize = 100;
/// The most evidence links on one timeline event.
pub const MAX_EVIDENCE: usize = 50;
/// The most dated changes one action item keeps.
pub const MAX_HISTORY: usize = 1_000;
/// The most review comments on one postmortem.
pub const MAX_COMMENTS: usize = 2_000;
/// The longest review comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 10_000;
/// The most authors, and the most reviewers.
pub const MAX_PEOPLE: usize = 50;
/// The most approvals one postmortem keeps.
pub const MAX_APPROVALS: usize = 100;

/// One way a postmortem is over a limit: where (a JSON path below the postmortem, such as
/// `.timeline` or `.action_items[3].owner`) and what, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverLimit {
    pub place: String,
    pub problem: String,
}

/// `n` with thousands separated by commas: 100000 → "100,000".
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

struct Check {
    out: Vec<OverLimit>,
    total: usize,
}

impl Check {
    fn text(&mut self, place: impl FnOnce() -> String, what: &str, text: &str, max: usize) {
        self.total += text.len();
        // No text has more characters than bytes: most need no counting.
        if text.len() > max && text.chars().count() > max {
            let chars = text.chars().count();
            self.out.push(OverLimit {
                place: place(),
                problem: format!("{what} is {} characters long; it may be at most {}", grouped(chars), grouped(max)),
            });
        }
    }

    fn count(&mut self, place: &str, what: &str, n: usize, max: usize) {
        if n > max {
            self.out.push(OverLimit {
                place: place.to_owned(),
                problem: format!("it has {} {what}; a postmortem may have at most {}", grouped(n), grouped(max)),
            });
        }
    }
}

/// Every limit `pm` is over, in the order of the file; empty when it is within all.
pub fn over_limits(pm: &Postmortem) -> Vec<OverLimit> {
    let mut c = Check { out: Vec::new(), total: 0 };
    c.text(|| ".title".into(), "the title", &pm.title, MAX_TITLE_CHARS);
    c.text(|| ".incident_ref".into(), "the incident reference", &pm.incident_ref, MAX_SHORT_CHARS);
    c.text(|| ".summary".into(), "the summary", &pm.summary, MAX_TEXT_CHARS);
    c.count(".services", "services", pm.services.len(), MAX_LABELS);
    c.count(".tags", "tags", pm.tags.len(), MAX_LABELS);
    for (list, name) in [(&pm.services, "services"), (&pm.tags, "tags")] {
        for (i, label) in list.iter().enumerate() {
            c.text(|| format!(".{name}[{i}]"), "this label", label, MAX_LABEL_CHARS);
        }
    }
    c.count(".participants", "participants", pm.participants.len(), MAX_PARTICIPANTS);
    for (i, p) in pm.participants.iter().enumerate() {
        c.text(|| format!(".participants[{i}].name"), "this name", &p.name, MAX_SHORT_CHARS);
        c.text(|| format!(".participants[{i}].role"), "this role", &p.role, MAX_SHORT_CHARS);
        if p.aliases.len() > MAX_ALIASES {
            c.out.push(OverLimit {
                place: format!(".participants[{i}].aliases"),
                problem: format!(
                    "this participant has {} aliases; one may have at most {MAX_ALIASES}",
                    p.aliases.len()
                ),
            });
        }
        for (j, alias) in p.aliases.iter().enumerate() {
            c.text(|| format!(".participants[{i}].aliases[{j}]"), "this alias", alias, MAX_ALIAS_CHARS);
        }
    }
    c.text(|| ".impact.description".into(), "the impact", &pm.impact.description, MAX_TEXT_CHARS);
    c.count(".impact.figures", "impact figures", pm.impact.figures.len(), MAX_FIGURES);
    for (i, f) in pm.impact.figures.iter().enumerate() {
        c.text(|| format!(".impact.figures[{i}].name"), "this figure's name", &f.name, MAX_SHORT_CHARS);
        c.text(|| format!(".impact.figures[{i}].value"), "this figure's value", &f.value, MAX_SHORT_CHARS);
    }
    c.count(".timeline", "timeline events", pm.timeline.len(), MAX_EVENTS);
    for (i, e) in pm.timeline.iter().enumerate() {
        c.text(|| format!(".timeline[{i}].description"), "this event", &e.description, MAX_TEXT_CHARS);
        if e.evidence.len() > MAX_EVIDENCE {
            c.out.push(OverLimit {
                place: format!(".timeline[{i}].evidence"),
                problem: format!(
                    "this event has {} evidence links; one may have at most {MAX_EVIDENCE}",
                    grouped(e.evidence.len())
                ),
            });
        }
    }
    c.count(".factors", "contributing factors", pm.factors.len(), MAX_FACTORS);
    for (i, f) in pm.factors.iter().enumerate() {
        c.text(|| format!(".factors[{i}].description"), "this factor", &f.description, MAX_TEXT_CHARS);
        if f.whys.len() > MAX_WHYS {
            c.out.push(OverLimit {
                place: format!(".factors[{i}].whys"),
                problem: format!("this factor has {} whys; one may have at most {MAX_WHYS}", grouped(f.whys.len())),
            });
        }
        for (j, w) in f.whys.iter().enumerate() {
            c.text(|| format!(".factors[{i}].whys[{j}].text"), "this why", &w.text, MAX_TEXT_CHARS);
        }
    }
    c.count(".action_items", "action items", pm.action_items.len(), MAX_ACTION_ITEMS);
    for (i, a) in pm.action_items.iter().enumerate() {
        c.text(|| format!(".action_items[{i}].description"), "this action item", &a.description, MAX_TEXT_CHARS);
        c.text(|| format!(".action_items[{i}].owner"), "this owner", &a.owner, MAX_SHORT_CHARS);
        c.text(|| format!(".action_items[{i}].review_note"), "this review note", &a.review_note, MAX_TEXT_CHARS);
        if a.history.len() > MAX_HISTORY {
            c.out.push(OverLimit {
                place: format!(".action_items[{i}].history"),
                problem: format!(
                    "this action item has {} changes in its history; one may keep at most {}",
                    grouped(a.history.len()),
                    grouped(MAX_HISTORY)
                ),
            });
        }
    }
    for (key, list) in [
        ("went_well", &pm.lessons.went_well),
        ("went_wrong", &pm.lessons.went_wrong),
        ("got_lucky", &pm.lessons.got_lucky),
    ] {
        c.count(&format!(".lessons.{key}"), "lessons in one list", list.len(), MAX_LESSONS);
        for (i, e) in list.iter().enumerate() {
            c.text(|| format!(".lessons.{key}[{i}].text"), "this lesson", &e.text, MAX_TEXT_CHARS);
        }
    }
    for (i, a) in pm.answers.iter().enumerate() {
        c.text(|| format!(".answers[{i}].text"), "this answer", &a.text, MAX_TEXT_CHARS);
    }
    let review = &pm.review;
    for (list, name) in [(&review.authors, "authors"), (&review.reviewers, "reviewers")] {
        c.count(&format!(".review.{name}"), name, list.len(), MAX_PEOPLE);
        for (i, who) in list.iter().enumerate() {
            c.text(|| format!(".review.{name}[{i}]"), "this name", who, MAX_SHORT_CHARS);
        }
    }
    c.count(".review.comments", "review comments", review.comments.len(), MAX_COMMENTS);
    for (i, comment) in review.comments.iter().enumerate() {
        c.text(|| format!(".review.comments[{i}].text"), "this comment", &comment.text, MAX_COMMENT_CHARS);
        c.text(|| format!(".review.comments[{i}].author"), "this name", &comment.author, MAX_SHORT_CHARS);
        if let Some(r) = &comment.resolved {
            c.text(|| format!(".review.comments[{i}].resolved.by"), "this name", &r.by, MAX_SHORT_CHARS);
        }
    }
    c.count(".review.checks", "ticked checklist items", review.checks.len(), super::model::template::MAX_CHECKLIST);
    for (i, check) in review.checks.iter().enumerate() {
        c.text(|| format!(".review.checks[{i}].text"), "this checklist item", &check.text, MAX_TITLE_CHARS);
        c.text(|| format!(".review.checks[{i}].by"), "this name", &check.by, MAX_SHORT_CHARS);
    }
    c.count(".review.approvals", "approvals", review.approvals.len(), MAX_APPROVALS);
    for (i, a) in review.approvals.iter().enumerate() {
        c.text(|| format!(".review.approvals[{i}].by"), "this name", &a.by, MAX_SHORT_CHARS);
    }
    for s in &pm.invitations {
        for a in s.contributions.iter().flat_map(|c| &c.answers) {
            c.total += a.text.len();
        }
    }
    if c.total > MAX_TOTAL_BYTES {
        c.out.push(OverLimit {
            place: String::new(),
            problem: format!(
                "its text adds up to {:.1} MB; one postmortem may hold at most {} MB of text",
                c.total as f64 / 1e6,
                MAX_TOTAL_BYTES / 1_000_000
            ),
        });
    }
    c.out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::EventKind;
    use crate::domain::sample::full_postmortem;

    #[test]
    fn a_real_postmortem_is_within_every_limit() {
        assert!(over_limits(&full_postmortem(chrono::Utc::now())).is_empty());
    }

    #[test]
    fn each_limit_is_named_with_its_place() {
        let mut pm = full_postmortem(chrono::Utc::now());
        pm.title = "t".repeat(100_000);
        for _ in 0..=MAX_EVENTS {
            pm.add_timeline_event(None, EventKind::Observation, "x");
        }
        pm.action_items[0].owner = "ö".repeat(121);
        let found = over_limits(&pm);
        let said: Vec<(&str, &str)> = found.iter().map(|o| (o.place.as_str(), o.problem.as_str())).collect();
        assert_eq!(
            said,
            [
                (".title", "the title is 100,000 characters long; it may be at most 300"),
                (".timeline", "it has 1,004 timeline events; a postmortem may have at most 1,000"),
                (".action_items[0].owner", "this owner is 121 characters long; it may be at most 120"),
            ]
        );
    }

    #[test]
    fn the_whole_is_limited_too() {
        let mut pm = full_postmortem(chrono::Utc::now());
        for _ in 0..11 {
            pm.add_timeline_event(None, EventKind::Observation, "x".repeat(MAX_TEXT_CHARS));
        }
        let found = over_limits(&pm);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].problem, "its text adds up to 1.1 MB; one postmortem may hold at most 1 MB of text");
    }

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(30_000_000), "30,000,000");
    }
}
