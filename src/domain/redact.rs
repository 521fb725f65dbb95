//! Replacing participants' names with their roles, for exports that travel further.

use super::model::Postmortem;
use super::model::text_mut;
use super::model::texts;

fn fold(c: char) -> String {
    c.to_lowercase().collect()
}

/// Replaces whole-word, case-insensitive occurrences of `name` in `text` with `with`.
/// Works on characters, so case changes that alter byte lengths cannot misalign it.
fn replace_word(text: &str, name: &str, with: &str) -> String {
    let needle: Vec<String> = name.chars().map(fold).collect();
    if needle.is_empty() {
        return text.to_owned();
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let fits = i + needle.len() <= chars.len()
            && needle.iter().enumerate().all(|(k, n)| fold(chars[i + k].1) == *n)
            && (i == 0 || !chars[i - 1].1.is_alphanumeric())
            && chars.get(i + needle.len()).is_none_or(|(_, c)| !c.is_alphanumeric());
        if fits {
            out.push_str(with);
            i += needle.len();
        } else {
            out.push(chars[i].1);
            i += 1;
        }
    }
    out
}

/// A copy of `pm` in which every participant's name, in full or in part, is replaced by
/// their role ("the incident commander"), in the participant list and in every text.
pub fn redact_names(pm: &Postmortem) -> Postmortem {
    let mut out = pm.clone();
    let mut replacements: Vec<(String, String)> = Vec::new();
    for p in &pm.participants {
        let role = if p.role.trim().is_empty() {
            "a participant".to_owned()
        } else {
            format!("the {}", p.role.trim().to_lowercase())
        };
        let name = p.name.trim();
        if name.is_empty() {
            continue;
        }
        replacements.push((name.to_owned(), role.clone()));
        replacements.extend(
            name.split_whitespace().filter(|part| part.chars().count() > 1).map(|part| (part.to_owned(), role.clone())),
        );
    }
    // Longest names first, so "Ana Lima" is replaced before "Ana".
    super::order::sort_by_key(&mut replacements, |(name, _)| std::cmp::Reverse(name.len()));
    for field in texts(pm) {
        if let Some(text) = text_mut(&mut out, &field.key) {
            for (name, role) in &replacements {
                *text = replace_word(text, name, role);
            }
        }
    }
    let scrub = |text: &mut String| {
        for (name, role) in &replacements {
            *text = replace_word(text, name, role);
        }
    };
    for item in &mut out.action_items {
        scrub(&mut item.owner);
    }
    scrub(&mut out.incident_ref);
    out.services.iter_mut().chain(out.tags.iter_mut()).for_each(scrub);
    for figure in &mut out.impact.figures {
        scrub(&mut figure.name);
        scrub(&mut figure.value);
    }
    for sent in &mut out.invitations {
        scrub(&mut sent.invitation.title);
        scrub(&mut sent.invitation.summary);
        sent.invitation.questions.iter_mut().for_each(|q| scrub(&mut q.text));
        sent.contributions.iter_mut().flat_map(|c| c.answers.iter_mut()).for_each(|a| scrub(&mut a.text));
    }
    // Dismissed findings quote the wording they were about, names included.
    out.dismissed_findings.clear();
    for p in &mut out.participants {
        p.name = if p.role.trim().is_empty() { "Participant".to_owned() } else { p.role.trim().to_owned() };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::sample::full_postmortem;

    #[test]
    fn names_become_roles_everywhere() {
        let mut pm = full_postmortem(chrono::Utc::now());
        pm.summary = "Ana Lima declared the incident; ana asked Sam to roll back. Samantha was not involved.".into();
        pm.timeline[0].description = "Sam Okafor saw the alert".into();
        pm.action_items[0].owner = "Sam".into();
        pm.tags.push("ana-lima".into());
        pm.impact.figures[0].value = "reported by Sam".into();
        pm.dismissed_findings.push(crate::domain::wording::Dismissal {
            field: "pm-summary".into(),
            category: crate::domain::wording::Category::NamedIndividual,
            phrase: "ana lima".into(),
        });
        let r = redact_names(&pm);
        assert_eq!(
            r.summary,
            "the incident commander declared the incident; the incident commander asked the responder to roll back. Samantha was not involved."
        );
        assert_eq!(r.timeline[0].description, "the responder saw the alert");
        assert_eq!(r.action_items[0].owner, "the responder");
        assert_eq!(r.tags.last().map(String::as_str), Some("the incident commander-the incident commander"));
        assert_eq!(r.impact.figures[0].value, "reported by the responder");
        assert!(r.dismissed_findings.is_empty());
        let names: Vec<&str> = r.participants.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Incident commander", "Responder"]);
        assert_eq!(r.id, pm.id);
    }

    #[test]
    fn whole_words_only_and_any_text_is_safe() {
        assert_eq!(replace_word("Sam, Sams, sam.", "Sam", "X"), "X, Sams, X.");
        assert_eq!(replace_word("İstanbul Sam", "Sam", "X"), "İstanbul X");
        assert_eq!(replace_word("", "Sam", "X"), "");
        assert_eq!(replace_word("ss", "s", "X"), "ss");
        assert_eq!(replace_word("İ Joséé ẞ José", "José", "X"), "İ Joséé ẞ X");
        assert_eq!(replace_word("ÀNA àna ana", "àna", "X"), "X X ana");
    }
}
