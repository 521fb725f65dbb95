//! Replacing participants' names with their roles, for exports that travel further.

use super::postmortem::Postmortem;
use super::wording::text_mut;
use super::wording::texts;

/// Replaces whole-word, case-insensitive occurrences of `name` in `text` with `with`.
fn replace_word(text: &str, name: &str, with: &str) -> String {
    if name.is_empty() {
        return text.to_owned();
    }
    let lower = text.to_lowercase();
    let needle = name.to_lowercase();
    // Lower-casing can change byte lengths (rare scripts); fall back to exact matching then.
    let (haystack, needle) =
        if lower.len() == text.len() { (lower, needle) } else { (text.to_owned(), name.to_owned()) };
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut from = 0;
    while let Some(found) = haystack[from..].find(&needle) {
        let start = from + found;
        let end = start + needle.len();
        let before_ok = !text[..start].chars().next_back().is_some_and(char::is_alphanumeric);
        let after_ok = !text[end..].chars().next().is_some_and(char::is_alphanumeric);
        if before_ok && after_ok && text.is_char_boundary(start) && text.is_char_boundary(end) {
            out.push_str(&text[last..start]);
            out.push_str(with);
            last = end;
        }
        from = end.max(start + 1);
        while from < haystack.len() && !haystack.is_char_boundary(from) {
            from += 1;
        }
        if from >= haystack.len() {
            break;
        }
    }
    out.push_str(&text[last..]);
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
    replacements.sort_by_key(|(name, _)| std::cmp::Reverse(name.len()));
    for field in texts(pm) {
        if let Some(text) = text_mut(&mut out, &field.key) {
            for (name, role) in &replacements {
                *text = replace_word(text, name, role);
            }
        }
    }
    for item in &mut out.action_items {
        for (name, role) in &replacements {
            item.owner = replace_word(&item.owner, name, role);
        }
    }
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
        let r = redact_names(&pm);
        assert_eq!(
            r.summary,
            "the incident commander declared the incident; the incident commander asked the responder to roll back. Samantha was not involved."
        );
        assert_eq!(r.timeline[0].description, "the responder saw the alert");
        assert_eq!(r.action_items[0].owner, "the responder");
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
    }
}
