//! Anonymous contributions: the invitation a facilitator sends, the answers that come back,
//! and how they join a postmortem without saying who wrote which or in what order.
//!
//! A contribution holds only its invitation, a random id and the answers: no name, no time,
//! no timezone. Merged contributions are kept sorted by a hash of their content, so neither
//! the stored document nor the page shows the order they arrived in.

use super::model::{
    ContributingFactor, Entry, EventKind, FactorCategory, LessonKind, Postmortem, TimelineEvent, new_item_id,
};
use std::fmt;

// The stored shapes live in the document model; the rules for merging them live here.
pub use super::model::invitation::*;

impl Invitation {
    /// A new invitation for `pm`: its title and summary, and the default questions.
    pub fn for_postmortem(pm: &Postmortem) -> Self {
        Self {
            id: InvitationId::random(),
            title: pm.title.trim().to_owned(),
            summary: pm.summary.trim().to_owned(),
            deadline: None,
            questions: default_questions(),
            seal_key: None,
        }
    }
}

/// Why a contribution was not merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// It answers an invitation this postmortem did not send.
    OtherInvitation,
    /// It is already merged.
    Duplicate,
    /// It holds no answer.
    Empty,
    /// One of its answers is blank.
    BlankAnswer,
    /// It answers a question the invitation does not ask.
    UnknownQuestion(String),
    /// It answers the same question twice.
    RepeatedQuestion(String),
    /// An answer is longer than [`MAX_ANSWER_CHARS`].
    TooLong,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OtherInvitation => f.write_str(
                "it answers a different invitation, not one this postmortem has (sent from another postmortem, or deleted): import it where that invitation is",
            ),
            Self::Duplicate => f.write_str("it is already merged (the same contribution was imported before)"),
            Self::Empty => f.write_str("it holds no answers"),
            Self::BlankAnswer => f.write_str("one of its answers is blank, which Debrief never writes"),
            Self::UnknownQuestion(k) => write!(f, "it answers a question (\"{k}\") that the invitation does not ask"),
            Self::RepeatedQuestion(k) => write!(f, "it answers the question \"{k}\" twice"),
            Self::TooLong => write!(f, "an answer is longer than {MAX_ANSWER_CHARS} characters"),
        }
    }
}

/// Checks `contribution` against the invitation it names and what is merged already.
pub fn check(sent: &SentInvitation, contribution: &Contribution) -> Result<(), Refusal> {
    if contribution.answers.iter().all(|a| a.text.trim().is_empty()) {
        return Err(Refusal::Empty);
    }
    for (i, a) in contribution.answers.iter().enumerate() {
        if a.text.trim().is_empty() {
            return Err(Refusal::BlankAnswer);
        }
        if sent.invitation.question(&a.question).is_none() {
            return Err(Refusal::UnknownQuestion(a.question.clone()));
        }
        if contribution.answers[..i].iter().any(|b| b.question == a.question) {
            return Err(Refusal::RepeatedQuestion(a.question.clone()));
        }
        if a.text.chars().count() > MAX_ANSWER_CHARS {
            return Err(Refusal::TooLong);
        }
    }
    if sent.contributions.iter().any(|c| c.id == contribution.id) {
        return Err(Refusal::Duplicate);
    }
    Ok(())
}

/// Merges `contribution` into the invitation `invitation` of `pm`, keeping the content order.
pub fn merge(pm: &mut Postmortem, invitation: InvitationId, contribution: Contribution) -> Result<(), Refusal> {
    let sent = pm.invitations.iter_mut().find(|s| s.invitation.id == invitation).ok_or(Refusal::OtherInvitation)?;
    check(sent, &contribution)?;
    let key = contribution.order_key();
    let at = sent.contributions.partition_point(|c| c.order_key() < key);
    sent.contributions.insert(at, contribution);
    Ok(())
}

/// Puts the contributions of an imported postmortem in order: each checked as if merged
/// one by one (duplicates and invalid ones dropped), then sorted by content. Returns how
/// many were dropped.
pub fn tidy_contributions(pm: &mut Postmortem) -> usize {
    let mut dropped = 0;
    for sent in &mut pm.invitations {
        let incoming = std::mem::take(&mut sent.contributions);
        for c in incoming {
            if check(sent, &c).is_ok() {
                sent.contributions.push(c);
            } else {
                dropped += 1;
            }
        }
        super::order::sort_by_key(&mut sent.contributions, Contribution::order_key);
    }
    dropped
}

/// Removes the merged contribution `id`; returns where it was, for undo.
pub fn remove_contribution(pm: &mut Postmortem, id: ContributionId) -> Option<(InvitationId, Contribution)> {
    pm.invitations.iter_mut().find_map(|sent| {
        let at = sent.contributions.iter().position(|c| c.id == id)?;
        Some((sent.invitation.id, sent.contributions.remove(at)))
    })
}

/// Where a promoted statement goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromoteTo {
    Timeline,
    Factor,
    Lesson(LessonKind),
}

impl PromoteTo {
    /// Every place, in the order offered.
    pub const ALL: [Self; 5] = [
        Self::Timeline,
        Self::Factor,
        Self::Lesson(LessonKind::WentWell),
        Self::Lesson(LessonKind::WentWrong),
        Self::Lesson(LessonKind::GotLucky),
    ];

    /// A short stable name for form controls.
    pub fn key(self) -> &'static str {
        match self {
            Self::Timeline => "timeline",
            Self::Factor => "factor",
            Self::Lesson(kind) => kind.key(),
        }
    }

    /// What the place is called.
    pub fn label(self) -> &'static str {
        match self {
            Self::Timeline => "Timeline event",
            Self::Factor => "Contributing factor",
            Self::Lesson(kind) => kind.label(),
        }
    }

    /// The place named `key`.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.key() == key)
    }
}

/// Adds `text` from the contribution `from` to the timeline, factors or lessons, marked as
/// coming from an anonymous contribution. Returns the new row's id.
pub fn promote(pm: &mut Postmortem, from: ContributionId, text: &str, to: PromoteTo) -> Option<uuid::Uuid> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let id = new_item_id();
    match to {
        PromoteTo::Timeline => pm.timeline.push(TimelineEvent {
            id,
            at: None,
            kind: EventKind::Observation,
            description: text.to_owned(),
            evidence: Vec::new(),
            from_contribution: Some(from),
        }),
        PromoteTo::Factor => pm.factors.push(ContributingFactor {
            id,
            description: text.to_owned(),
            category: FactorCategory::Process,
            whys: Vec::new(),
            from_contribution: Some(from),
        }),
        PromoteTo::Lesson(kind) => {
            pm.lessons.list_mut(kind).push(Entry { id, text: text.to_owned(), from_contribution: Some(from) })
        }
    }
    Some(id)
}

/// Every merged answer to each question of each invitation, in content order.
pub fn answers_by_question(sent: &SentInvitation) -> Vec<(&Question, Vec<(ContributionId, &str)>)> {
    sent.invitation
        .questions
        .iter()
        .map(|q| {
            let answers = sent
                .contributions
                .iter()
                .filter_map(|c| c.answers.iter().find(|a| a.question == q.key).map(|a| (c.id, a.text.as_str())))
                .collect();
            (q, answers)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PostmortemId;
    use crate::domain::wording::{Context, FieldKind, check};
    use chrono::Utc;

    fn postmortem_with_invitation() -> (Postmortem, InvitationId) {
        let mut pm = Postmortem::new(PostmortemId::random(), Utc::now());
        pm.title = "Checkout errors".into();
        let invitation = Invitation::for_postmortem(&pm);
        let id = invitation.id;
        pm.invitations.push(SentInvitation { invitation, contributions: Vec::new() });
        (pm, id)
    }

    fn answer(inv: &Invitation, texts: &[&str]) -> Contribution {
        let answers: Vec<(String, String)> =
            inv.questions.iter().zip(texts).map(|(q, t)| (q.key.clone(), (*t).to_owned())).collect();
        Contribution::new(inv, &answers)
    }

    #[test]
    fn default_invitation_is_ready_to_send_and_blameless() {
        let (pm, _) = postmortem_with_invitation();
        let inv = &pm.invitations[0].invitation;
        assert_eq!(inv.problems(), Vec::<String>::new());
        assert_eq!(inv.questions.len(), 4);
        for q in &inv.questions {
            let context = Context { field: FieldKind::Narrative, participants: &[] };
            assert!(check(&q.text, &context).is_empty(), "{}", q.text);
        }
    }

    #[test]
    fn problems_name_what_to_fix() {
        let (pm, _) = postmortem_with_invitation();
        let mut inv = pm.invitations[0].invitation.clone();
        inv.title = " ".into();
        inv.questions[1].text.clear();
        inv.questions[2].key = inv.questions[0].key.clone();
        let problems = inv.problems();
        assert_eq!(problems.len(), 3, "{problems:?}");
        inv.questions.clear();
        assert!(inv.problems().iter().any(|p| p.contains("at least one question")));
    }

    #[test]
    fn new_contribution_keeps_only_non_blank_answers_in_question_order() {
        let (pm, _) = postmortem_with_invitation();
        let inv = &pm.invitations[0].invitation;
        let c = Contribution::new(
            inv,
            &[("q3".into(), " surprise ".into()), ("q1".into(), "noticed".into()), ("q2".into(), "  ".into())],
        );
        let keys: Vec<_> = c.answers.iter().map(|a| (a.question.as_str(), a.text.as_str())).collect();
        assert_eq!(keys, vec![("q1", "noticed"), ("q3", "surprise")]);
    }

    #[test]
    fn merged_order_does_not_depend_on_arrival_order() {
        let (pm, id) = postmortem_with_invitation();
        let inv = pm.invitations[0].invitation.clone();
        let contributions: Vec<_> = (0..6).map(|i| answer(&inv, &[&format!("answer {i}")])).collect();
        let mut orders = Vec::new();
        for rotation in 0..contributions.len() {
            let mut pm = pm.clone();
            let mut arrival = contributions.clone();
            arrival.rotate_left(rotation);
            if rotation % 2 == 1 {
                arrival.reverse();
            }
            for c in arrival {
                merge(&mut pm, id, c).expect("merged");
            }
            orders.push(pm.invitations[0].contributions.iter().map(|c| c.id).collect::<Vec<_>>());
        }
        assert!(orders.windows(2).all(|w| w[0] == w[1]));
        let arrival: Vec<_> = contributions.iter().map(|c| c.id).collect();
        assert_ne!(orders[0], arrival, "six items kept in arrival order would be a 1-in-720 coincidence");
    }

    #[test]
    fn refusals_change_nothing() {
        let (mut pm, id) = postmortem_with_invitation();
        let inv = pm.invitations[0].invitation.clone();
        let first = answer(&inv, &["I saw the alert"]);
        merge(&mut pm, id, first.clone()).expect("merged");
        let before = pm.clone();
        assert_eq!(merge(&mut pm, id, first.clone()), Err(Refusal::Duplicate));
        assert_eq!(merge(&mut pm, InvitationId::random(), answer(&inv, &["x"])), Err(Refusal::OtherInvitation));
        assert_eq!(merge(&mut pm, id, answer(&inv, &[])), Err(Refusal::Empty));
        let mut odd = answer(&inv, &["x"]);
        odd.answers[0].question = "q99".into();
        assert_eq!(merge(&mut pm, id, odd), Err(Refusal::UnknownQuestion("q99".into())));
        let mut twice = answer(&inv, &["x"]);
        twice.answers.push(twice.answers[0].clone());
        assert_eq!(merge(&mut pm, id, twice), Err(Refusal::RepeatedQuestion("q1".into())));
        let long = answer(&inv, &[&"a".repeat(MAX_ANSWER_CHARS + 1)]);
        assert_eq!(merge(&mut pm, id, long), Err(Refusal::TooLong));
        assert_eq!(pm, before);
    }

    #[test]
    fn promoted_statements_stay_marked_as_anonymous() {
        let (mut pm, id) = postmortem_with_invitation();
        let inv = pm.invitations[0].invitation.clone();
        let c = answer(&inv, &["The dashboard was stale", "I restarted the job"]);
        let cid = c.id;
        merge(&mut pm, id, c).expect("merged");
        for to in PromoteTo::ALL {
            assert!(promote(&mut pm, cid, "  The dashboard was stale ", to).is_some());
            assert_eq!(PromoteTo::from_key(to.key()), Some(to));
        }
        assert_eq!(promote(&mut pm, cid, "   ", PromoteTo::Timeline), None);
        assert_eq!(pm.timeline[0].from_contribution, Some(cid));
        assert_eq!(pm.timeline[0].description, "The dashboard was stale");
        assert_eq!(pm.factors[0].from_contribution, Some(cid));
        for kind in LessonKind::ALL {
            assert_eq!(pm.lessons.list(kind)[0].from_contribution, Some(cid));
        }
        let grouped = answers_by_question(&pm.invitations[0]);
        assert_eq!(grouped[0].1, vec![(cid, "The dashboard was stale")]);
        assert_eq!(grouped[2].1, vec![]);
    }

    #[test]
    fn removing_a_contribution_can_be_undone() {
        let (mut pm, id) = postmortem_with_invitation();
        let inv = pm.invitations[0].invitation.clone();
        let c = answer(&inv, &["noticed"]);
        merge(&mut pm, id, c.clone()).expect("merged");
        assert_eq!(remove_contribution(&mut pm, c.id), Some((id, c.clone())));
        assert!(pm.invitations[0].contributions.is_empty());
        merge(&mut pm, id, c).expect("merged again");
    }

    #[test]
    fn imported_contributions_are_checked_and_put_in_content_order() {
        let (mut pm, _) = postmortem_with_invitation();
        let inv = pm.invitations[0].invitation.clone();
        let good: Vec<_> = (0..4).map(|i| answer(&inv, &[&format!("seen {i}")])).collect();
        let mut blank = answer(&inv, &["x", "y"]);
        blank.answers[1].text = "  ".into();
        let mut list = good.clone();
        list.push(good[0].clone());
        list.push(blank);
        pm.invitations[0].contributions = list;
        assert_eq!(tidy_contributions(&mut pm), 2);
        let kept = &pm.invitations[0].contributions;
        assert_eq!(kept.len(), 4);
        assert!(kept.windows(2).all(|w| w[0].order_key() < w[1].order_key()));
    }

    #[test]
    fn question_keys_are_short_plain_and_unique() {
        assert!(is_question_key("q12") && !is_question_key("") && !is_question_key("a-question"));
        assert!(!is_question_key(&"q".repeat(33)));
        let (pm, _) = postmortem_with_invitation();
        let mut inv = pm.invitations[0].invitation.clone();
        inv.questions[0].key = "<b>".into();
        assert_eq!(inv.problems().len(), 1);
    }

    #[test]
    fn question_keys_stay_unique() {
        let mut qs = default_questions();
        qs.remove(1);
        assert_eq!(new_question_key(&qs), "q2");
        qs.push(Question { key: "q2".into(), text: "x".into() });
        assert_eq!(new_question_key(&qs), "q5");
    }
}
