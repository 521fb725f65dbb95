//! Replacing participants' names with their roles, for exports that travel further.
//!
//! Every name, part of a name, alias and username made from a name (see [`super::names`])
//! is replaced wherever text appears: every field of every part, action items' history,
//! invitations and contributions, links. An address or handle that names someone is
//! replaced whole. A replacement that starts a sentence starts with a capital. What was
//! replaced, and what is left that looks like a person (handles, email addresses), is
//! reported so the author can check before sending.

use super::link::Link;
use super::model::{Participant, Postmortem};
use super::names::{Mention, Needle, mentions, needles};

/// One way a participant was named, and how often it was replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replaced {
    /// The participant's index in the list.
    pub who: usize,
    /// As written in the text, in the case first seen.
    pub written: String,
    /// What it became.
    pub role: String,
    pub count: usize,
}

/// What a redaction did, for the author to check.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    pub replaced: Vec<Replaced>,
    /// Handles and email addresses still in the redacted text: perhaps people not listed.
    pub left: Vec<String>,
}

struct Scrubber {
    needles: Vec<Needle>,
    roles: Vec<String>,
    report: Report,
}

impl Scrubber {
    fn new(participants: &[Participant]) -> Self {
        let needles = needles(participants);
        let plain: Vec<String> = participants.iter().map(Participant::role_phrase).collect();
        // A role may name someone else ("Shadowing Ana"): that name becomes their role too.
        let roles = plain
            .iter()
            .enumerate()
            .map(|(me, role)| {
                let mut out = String::new();
                let mut from = 0;
                for m in mentions(role, &needles).into_iter().filter(|m| m.who != me) {
                    out.push_str(&role[from..m.start]);
                    out.push_str(plain.get(m.who).map_or("a participant", String::as_str));
                    from = m.end;
                }
                out.push_str(&role[from..]);
                out
            })
            .collect();
        Self { needles, roles, report: Report::default() }
    }

    fn note(&mut self, m: &Mention, written: &str) {
        let found = self
            .report
            .replaced
            .iter_mut()
            .find(|r| r.who == m.who && r.written.to_lowercase() == written.to_lowercase());
        match found {
            Some(r) => r.count += 1,
            None => self.report.replaced.push(Replaced {
                who: m.who,
                written: written.to_owned(),
                role: self.roles.get(m.who).cloned().unwrap_or_default(),
                count: 1,
            }),
        }
    }

    /// `text` with every mention replaced by the role; in a link the role's spaces become `-`.
    fn scrub_as(&mut self, text: &str, link: bool) -> String {
        let found = mentions(text, &self.needles);
        if found.is_empty() {
            return text.to_owned();
        }
        let mut out = String::with_capacity(text.len());
        let mut from = 0;
        for m in found {
            out.push_str(&text[from..m.start]);
            self.note(&m, &text[m.start..m.end]);
            let role = self.roles.get(m.who).cloned().unwrap_or_default();
            let role = if link { role.replace(' ', "-") } else { role };
            if !link && starts_sentence(&out) {
                out.push_str(&capitalised(&role))
            } else {
                out.push_str(&role)
            }
            from = m.end;
        }
        out.push_str(&text[from..]);
        out
    }
}

/// Replaces names with roles in single texts of one postmortem, as [`redact`] does in the
/// whole of it: for a view that shows a few texts of many postmortems (the learning
/// report), so only those are scrubbed.
pub struct Roles(Scrubber);

impl Roles {
    /// For texts of a postmortem with these participants.
    pub fn new(participants: &[Participant]) -> Self {
        Self(Scrubber::new(participants))
    }

    /// `text` with every participant's name replaced by their role.
    pub fn text(&mut self, text: &str) -> String {
        self.0.scrub_as(text, false)
    }
}

/// What [`each_text`] does to each text and each link.
trait Visitor {
    fn text(&mut self, text: &mut String);
    fn link(&mut self, link: &mut Link);
}

impl Visitor for Scrubber {
    fn text(&mut self, text: &mut String) {
        *text = self.scrub_as(text, false);
    }

    fn link(&mut self, link: &mut Link) {
        let text = self.scrub_as(link.as_str(), true);
        // A role written into a link keeps it a link; were it ever too long, the link goes
        // to a reserved name rather than keep the name it held.
        if let Some(redacted) = Link::parse(&text).ok().or_else(|| Link::parse("https://example.invalid/").ok()) {
            *link = redacted;
        }
    }
}

/// Whether text written after `before` starts a sentence (or the text).
fn starts_sentence(before: &str) -> bool {
    if before.ends_with('\n') {
        return true;
    }
    let trimmed = before.trim_end();
    trimmed.is_empty()
        || (trimmed.len() < before.len() && trimmed.ends_with(['.', '!', '?', '…']))
        || trimmed.ends_with(['\n', '#', '>']) && trimmed.len() < before.len()
        || matches!(trimmed, "-" | "*")
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Visits every piece of free text and every link in `pm`, except the participants' own
/// names and aliases (which redaction replaces whole).
fn each_text(pm: &mut Postmortem, s: &mut impl Visitor) {
    for text in [&mut pm.title, &mut pm.incident_ref, &mut pm.summary, &mut pm.impact.description] {
        s.text(text);
    }
    pm.services.iter_mut().chain(pm.tags.iter_mut()).for_each(|t| s.text(t));
    for figure in &mut pm.impact.figures {
        s.text(&mut figure.name);
        s.text(&mut figure.value);
    }
    for event in &mut pm.timeline {
        s.text(&mut event.description);
        event.evidence.iter_mut().for_each(|l| s.link(l));
    }
    for factor in &mut pm.factors {
        s.text(&mut factor.description);
        factor.whys.iter_mut().for_each(|w| s.text(&mut w.text));
    }
    for item in &mut pm.action_items {
        for text in [&mut item.description, &mut item.owner, &mut item.review_note] {
            s.text(text);
        }
        item.tracking.iter_mut().for_each(|l| s.link(l));
        for change in &mut item.history {
            s.text(&mut change.from);
            s.text(&mut change.to);
        }
    }
    let lessons = &mut pm.lessons;
    for entry in lessons.went_well.iter_mut().chain(lessons.went_wrong.iter_mut()).chain(lessons.got_lucky.iter_mut()) {
        s.text(&mut entry.text);
    }
    if let Some(template) = &mut pm.template {
        s.text(&mut template.name);
        template.sections.iter_mut().for_each(|section| s.text(&mut section.title));
        template.checklist.iter_mut().for_each(|item| s.text(&mut item.text));
    }
    // The review's texts; who signed it is replaced whole (see `review_signers`).
    let review = &mut pm.review;
    review.comments.iter_mut().for_each(|c| s.text(&mut c.text));
    review.checks.iter_mut().for_each(|c| s.text(&mut c.text));
    for answer in &mut pm.answers {
        s.text(&mut answer.title);
        s.text(&mut answer.text);
    }
    for sent in &mut pm.invitations {
        s.text(&mut sent.invitation.title);
        s.text(&mut sent.invitation.summary);
        sent.invitation.questions.iter_mut().for_each(|q| s.text(&mut q.text));
        sent.contributions.iter_mut().flat_map(|c| c.answers.iter_mut()).for_each(|a| s.text(&mut a.text));
    }
}

/// A copy of `pm` in which every participant's name, in full or in part, each alias and
/// each username made from a name is replaced by their role ("the incident commander"), in
/// the participant list and in every text; and what was replaced.
pub fn redact(pm: &Postmortem) -> (Postmortem, Report) {
    let mut out = pm.clone();
    let mut scrubber = Scrubber::new(&pm.participants);
    each_text(&mut out, &mut scrubber);
    // Dismissed findings quote the wording they were about, names included.
    out.dismissed_findings.clear();
    // A copy with names replaced is not a version of the postmortem to merge with.
    out.lineage = None;
    anonymous_review(&mut out);
    for (who, p) in out.participants.iter_mut().enumerate() {
        let role = scrubber.roles.get(who).map(|r| r.trim_start_matches("the ").to_owned()).unwrap_or_default();
        p.name = if p.role.trim().is_empty() { "Participant".to_owned() } else { capitalised(&role) };
        p.role = p.name.clone();
        p.aliases.clear();
    }
    let mut report = scrubber.report;
    report.left = left_behind(&out);
    (out, report)
}

/// The review's people become "Author 1", "Reviewer 2"... (the same person the same label
/// everywhere), whether or not they are participants: they signed by name, and many are not
/// in the participant list. Checklist keys, made from the items' words, become `item-1`...
fn anonymous_review(pm: &mut Postmortem) {
    let mut labels: Vec<(String, String)> = Vec::new();
    let mut label = |name: &mut String, kind: &str| {
        let key = name.trim().to_lowercase();
        let found = labels.iter().find(|(k, _)| *k == key).map(|(_, l)| l.clone());
        *name = found.unwrap_or_else(|| {
            let n = labels.iter().filter(|(_, l)| l.starts_with(kind)).count() + 1;
            let made = format!("{kind} {n}");
            labels.push((key, made.clone()));
            made
        });
    };
    let review = &mut pm.review;
    review.authors.iter_mut().for_each(|n| label(n, "Author"));
    review.reviewers.iter_mut().for_each(|n| label(n, "Reviewer"));
    for comment in &mut review.comments {
        label(&mut comment.author, "Reviewer");
        comment.resolved.iter_mut().for_each(|r| label(&mut r.by, "Reviewer"));
    }
    review.checks.iter_mut().for_each(|c| label(&mut c.by, "Reviewer"));
    review.approvals.iter_mut().for_each(|a| label(&mut a.by, "Reviewer"));
    let mut keys: Vec<String> = Vec::new();
    let mut rekey = |key: &mut String| {
        let n = keys.iter().position(|k| k == key).unwrap_or_else(|| {
            keys.push(key.clone());
            keys.len() - 1
        });
        *key = format!("item-{}", n + 1);
    };
    if let Some(template) = &mut pm.template {
        template.checklist.iter_mut().for_each(|i| rekey(&mut i.key));
    }
    pm.review.checks.iter_mut().for_each(|c| rekey(&mut c.key));
}

/// A copy of `pm` with names replaced by roles (see [`redact`]).
pub fn redact_names(pm: &Postmortem) -> Postmortem {
    redact(pm).0
}

/// Handles and email addresses in `pm`'s texts, each once (ignoring case), in order.
fn left_behind(pm: &Postmortem) -> Vec<String> {
    let mut collector = Collector(Vec::new());
    each_text(&mut pm.clone(), &mut collector);
    collector.0
}

/// Collects the handles and addresses of the texts it visits.
struct Collector(Vec<String>);

impl Visitor for Collector {
    fn text(&mut self, text: &mut String) {
        for token in addresses(text) {
            if !self.0.iter().any(|t| t.to_lowercase() == token.to_lowercase()) {
                self.0.push(token);
            }
        }
    }

    fn link(&mut self, _: &mut Link) {}
}

/// The handles ("@sokafor") and email addresses in `text`.
pub fn addresses(text: &str) -> Vec<String> {
    let is_part = |c: char| c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | '+');
    let mut out = Vec::new();
    for (at, _) in text.match_indices('@') {
        let before: usize = text[..at].chars().rev().take_while(|&c| is_part(c)).map(char::len_utf8).sum();
        let after: usize = text[at + 1..].chars().take_while(|&c| is_part(c)).map(char::len_utf8).sum();
        let (start, mut end) = (at - before, at + 1 + after);
        while end > at + 1 && text[..end].ends_with(['.', '-', '_', '+']) {
            end -= 1;
        }
        let (local, domain) = (&text[start..at], &text[at + 1..end]);
        let email = !local.is_empty() && domain.contains('.') && !domain.starts_with('.');
        let handle = local.is_empty()
            && domain.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_')
            && domain.chars().any(char::is_alphabetic);
        if email || handle {
            out.push(text[start..end].to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests;
