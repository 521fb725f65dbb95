//! Reviewing a postmortem: its checklist (the template's, or the built-in one) with what
//! Debrief can tell about each item, what comments can be anchored to, and approval, which
//! is what moves a postmortem to Published.

use super::limits::{MAX_APPROVALS, MAX_COMMENT_CHARS, MAX_COMMENTS, MAX_PEOPLE, MAX_SHORT_CHARS};
use super::model::template::MAX_CHECKLIST;
use super::model::template::{CheckItem, builtin_checklist, check_keys};
use super::model::{ActionStatus, Anchor, Approval, Postmortem, Signed, Status, new_item_id};
use super::outline::outline;
use super::wording::open_findings;
use chrono::{DateTime, Utc};

/// The checklist a reviewer of `pm` goes through: its template's, or the built-in one.
pub fn checklist(pm: &Postmortem) -> Vec<CheckItem> {
    pm.template.as_ref().map_or_else(builtin_checklist, |t| t.checklist.clone())
}

/// What Debrief can tell about one checklist item: whether it looks done, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub looks_done: bool,
    pub text: String,
}

fn hint(looks_done: bool, text: impl Into<String>) -> Option<Hint> {
    Some(Hint { looks_done, text: text.into() })
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What Debrief can tell about the built-in item `key` of `pm` (`None` for items only a
/// person can judge). `open_findings` is the number of wording suggestions still open.
pub fn hint_for(pm: &Postmortem, key: &str, open_findings: usize) -> Option<Hint> {
    match key {
        check_keys::IMPACT => {
            let described = !pm.impact.description.trim().is_empty();
            let figures = pm.impact.figures.len();
            match (described, figures) {
                (false, 0) => hint(false, "The impact has no description or figures yet."),
                (false, n) => hint(false, format!("{} but no description.", plural(n, "figure", "figures"))),
                (true, 0) => hint(true, "Described, with no figures."),
                (true, n) => hint(true, format!("Described, with {}.", plural(n, "figure", "figures"))),
            }
        }
        check_keys::BEYOND_FIRST_CAUSE => {
            let factors = pm.factors.len();
            let whys = pm.factors.iter().map(|f| f.whys.len()).sum::<usize>();
            match factors {
                0 => hint(false, "No contributing factors yet."),
                1 if whys == 0 => hint(false, "One contributing factor, with no “why?” beneath it."),
                n => hint(
                    true,
                    format!(
                        "{}, {}.",
                        plural(n, "contributing factor", "contributing factors"),
                        plural(whys, "why", "whys")
                    ),
                ),
            }
        }
        check_keys::OWNERS_AND_DATES => {
            let live: Vec<_> = pm.action_items.iter().filter(|a| a.status != ActionStatus::Dropped).collect();
            let missing = live.iter().filter(|a| a.owner.trim().is_empty() || a.due.is_none()).count();
            match (live.len(), missing) {
                (0, _) => hint(false, "No action items yet."),
                (n, 0) => hint(true, format!("All {} have both.", plural(n, "action item", "action items"))),
                (_, m) => {
                    hint(false, format!("{} without an owner or a due date.", plural(m, "action item", "action items")))
                }
            }
        }
        check_keys::WORDING => match open_findings {
            0 => hint(true, "No wording suggestions are open."),
            n => hint(false, format!("{} still open.", plural(n, "wording suggestion", "wording suggestions"))),
        },
        _ => None,
    }
}

/// One line of the checklist as the reviewer sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub item: CheckItem,
    /// Who ticked it and when, if it is ticked.
    pub ticked: Option<Signed>,
    pub hint: Option<Hint>,
}

/// The checklist of `pm` with its ticks and hints, then any ticks whose item the template
/// no longer has (they stay visible, and can be unticked).
pub fn lines(pm: &Postmortem) -> Vec<Line> {
    let findings = open_findings(pm).len();
    let items = checklist(pm);
    let ticked = |key: &str| pm.review.check(key).map(|c| Signed { by: c.by.clone(), at: c.at });
    let mut out: Vec<Line> = items
        .iter()
        .map(|item| Line { item: item.clone(), ticked: ticked(&item.key), hint: hint_for(pm, &item.key, findings) })
        .collect();
    for check in pm.review.checks.iter().filter(|c| !items.iter().any(|i| i.key == c.key)) {
        out.push(Line {
            item: CheckItem { key: check.key.clone(), text: check.text.clone() },
            ticked: Some(Signed { by: check.by.clone(), at: check.at }),
            hint: None,
        });
    }
    out
}

/// What is left before approving: the checklist items not ticked and the comments open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readiness {
    pub unticked: Vec<String>,
    pub open_comments: usize,
}

impl Readiness {
    /// Whether nothing is left.
    pub fn is_ready(&self) -> bool {
        self.unticked.is_empty() && self.open_comments == 0
    }

    /// What is left, in words ("2 checklist items not ticked and 1 comment open").
    pub fn left(&self) -> String {
        let mut parts = Vec::new();
        if !self.unticked.is_empty() {
            parts.push(format!("{} not ticked", plural(self.unticked.len(), "checklist item", "checklist items")));
        }
        if self.open_comments > 0 {
            parts.push(format!("{} open", plural(self.open_comments, "comment", "comments")));
        }
        parts.join(" and ")
    }
}

/// What is left to do in the review of `pm`.
pub fn readiness(pm: &Postmortem) -> Readiness {
    Readiness {
        unticked: checklist(pm).into_iter().filter(|i| pm.review.check(&i.key).is_none()).map(|i| i.text).collect(),
        open_comments: pm.review.open_comments().count(),
    }
}

/// Why something in the review could not be done.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    #[error("Give your name or role first: it is recorded with what you do.")]
    NoName,
    #[error("A name or role may be at most {MAX_SHORT_CHARS} characters.")]
    NameTooLong,
    #[error("Write the comment first.")]
    EmptyComment,
    #[error("A comment may be at most {MAX_COMMENT_CHARS} characters.")]
    CommentTooLong,
    #[error("This postmortem has the most comments one may hold ({MAX_COMMENTS}); resolve and remove some first.")]
    TooManyComments,
    #[error("The list is full ({MAX_PEOPLE} names).")]
    TooManyPeople,
    #[error("This postmortem has the most approvals one may keep ({MAX_APPROVALS}).")]
    TooManyApprovals,
    #[error(
        "At most {MAX_CHECKLIST} checklist items can be ticked; untick one that is no longer on the checklist first."
    )]
    TooManyTicks,
}

/// `name` trimmed, when it can sign something.
pub fn signer(name: &str) -> Result<String, ReviewError> {
    let name = name.trim();
    if name.is_empty() {
        Err(ReviewError::NoName)
    } else if name.chars().count() > MAX_SHORT_CHARS {
        Err(ReviewError::NameTooLong)
    } else {
        Ok(name.to_owned())
    }
}

/// Adds a comment by `author` about `anchor`.
pub fn add_comment(
    pm: &mut Postmortem,
    anchor: Anchor,
    author: &str,
    text: &str,
    now: DateTime<Utc>,
) -> Result<(), ReviewError> {
    let author = signer(author)?;
    let text = text.trim();
    if text.is_empty() {
        return Err(ReviewError::EmptyComment);
    }
    if text.chars().count() > MAX_COMMENT_CHARS {
        return Err(ReviewError::CommentTooLong);
    }
    if pm.review.comments.len() >= MAX_COMMENTS {
        return Err(ReviewError::TooManyComments);
    }
    pm.review.comment(anchor, &author, text, now);
    Ok(())
}

/// Adds `name` to a list of authors or reviewers unless it is empty or already there
/// (ignoring case); says whether it was added.
pub fn add_person(list: &mut Vec<String>, name: &str) -> Result<bool, ReviewError> {
    let name = name.trim();
    if name.is_empty() || list.iter().any(|n| n.to_lowercase() == name.to_lowercase()) {
        return Ok(false);
    }
    if name.chars().count() > MAX_SHORT_CHARS {
        return Err(ReviewError::NameTooLong);
    }
    if list.len() >= MAX_PEOPLE {
        return Err(ReviewError::TooManyPeople);
    }
    list.push(name.to_owned());
    Ok(true)
}

/// Records `by`'s approval at `now` (with what was left, if anything), adds them to the
/// reviewers, and moves the postmortem to Published.
pub fn approve(pm: &mut Postmortem, by: &str, now: DateTime<Utc>) -> Result<(), ReviewError> {
    let by = signer(by)?;
    if pm.review.approvals.len() >= MAX_APPROVALS {
        return Err(ReviewError::TooManyApprovals);
    }
    let left = readiness(pm);
    if !pm.review.reviewers.iter().any(|r| r.to_lowercase() == by.to_lowercase())
        && pm.review.reviewers.len() < MAX_PEOPLE
    {
        pm.review.reviewers.push(by.clone());
    }
    pm.review.approvals.push(Approval {
        id: new_item_id(),
        by,
        at: now,
        unticked: left.unticked.len(),
        open_comments: left.open_comments,
    });
    if matches!(pm.status, Status::Draft | Status::InReview) {
        pm.set_status(Status::Published, now);
    }
    Ok(())
}

/// Ticks (by `by`) or unticks checklist item `key` of `pm`.
pub fn tick(pm: &mut Postmortem, key: &str, by: Option<&str>, now: DateTime<Utc>) -> Result<(), ReviewError> {
    let text = lines(pm).into_iter().find(|l| l.item.key == key).map(|l| l.item.text).unwrap_or_default();
    let signed = by.map(signer).transpose()?.map(|by| Signed { by, at: now });
    let new = pm.review.check(key).is_none();
    if signed.is_some() && new && pm.review.checks.len() >= MAX_CHECKLIST {
        return Err(ReviewError::TooManyTicks);
    }
    pm.review.set_check(key, &text, signed);
    Ok(())
}

/// The first line of `text`, at most 60 characters.
fn short(text: &str) -> String {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default().trim();
    if line.chars().count() > 60 {
        format!("{}…", line.chars().take(60).collect::<String>())
    } else {
        line.to_owned()
    }
}

/// What a comment can be about, in document order, each with its name in words.
pub fn anchors(pm: &Postmortem) -> Vec<(Anchor, String)> {
    let mut out = vec![(Anchor::Whole, "The postmortem as a whole".to_owned())];
    for section in outline(pm).sections {
        out.push((Anchor::Section(section.key.clone()), format!("Section: {}", section.title)));
    }
    for (i, e) in pm.timeline.iter().enumerate() {
        out.push((
            Anchor::Event(e.id),
            anchor_name(&Anchor::Event(e.id), pm).unwrap_or_else(|| format!("Event {}", i + 1)),
        ));
    }
    for f in &pm.factors {
        out.push((Anchor::Factor(f.id), anchor_name(&Anchor::Factor(f.id), pm).unwrap_or_default()));
    }
    for a in &pm.action_items {
        out.push((Anchor::Action(a.id), anchor_name(&Anchor::Action(a.id), pm).unwrap_or_default()));
    }
    out
}

/// The name of what `anchor` points at in `pm`; `None` when it is no longer there.
pub fn anchor_name(anchor: &Anchor, pm: &Postmortem) -> Option<String> {
    let untitled = |t: &str| if t.trim().is_empty() { "(no text yet)".to_owned() } else { short(t) };
    match anchor {
        Anchor::Whole => Some("The postmortem as a whole".to_owned()),
        Anchor::Section(key) => {
            outline(pm).sections.into_iter().find(|s| &s.key == key).map(|s| format!("Section: {}", s.title))
        }
        Anchor::Event(id) => pm.timeline.iter().find(|e| e.id == *id).map(|e| {
            let at = e.at.map(|t| t.local().format("%H:%M ").to_string()).unwrap_or_default();
            format!("Event: {at}{}", untitled(&e.description))
        }),
        Anchor::Factor(id) => {
            pm.factors.iter().find(|f| f.id == *id).map(|f| format!("Factor: {}", untitled(&f.description)))
        }
        Anchor::Action(id) => {
            pm.action_items.iter().find(|a| a.id == *id).map(|a| format!("Action item: {}", untitled(&a.description)))
        }
    }
}

/// The name of `anchor` in `pm`, saying so when what it pointed at was removed.
pub fn anchor_label(anchor: &Anchor, pm: &Postmortem) -> String {
    anchor_name(anchor, pm).unwrap_or_else(|| match anchor {
        Anchor::Section(_) => "A section the document no longer has".to_owned(),
        Anchor::Event(_) => "A timeline event since removed".to_owned(),
        Anchor::Factor(_) => "A contributing factor since removed".to_owned(),
        Anchor::Action(_) => "An action item since removed".to_owned(),
        Anchor::Whole => "The postmortem as a whole".to_owned(),
    })
}

/// Whether a comment about `anchor` is shown under the document section `section`: one
/// about the section itself, or about a row the section lists.
pub fn shown_under(anchor: &Anchor, section: &super::outline::Section) -> bool {
    use super::outline::Content;
    use super::template::Part;
    match (anchor, &section.content) {
        (Anchor::Section(key), _) => *key == section.key,
        (Anchor::Event(_), Content::Part(Part::Timeline)) => true,
        (Anchor::Factor(_), Content::Part(Part::Factors)) => true,
        (Anchor::Action(_), Content::Part(Part::Actions)) => true,
        _ => false,
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
