//! Finding where a text names a participant: by full name, by a part of it, by an alias
//! (handle, username, short name, email address) or by a username made from the name
//! ("sokafor", "sam.okafor" for Sam Okafor). Shared by redaction and the wording assistant.
//!
//! Matching ignores case and works on characters, so case changes that alter byte lengths
//! cannot misalign it. A name matches only as a whole word. An address-like token (one
//! holding `@`, or `.` or `_` between letters: "@sokafor", "ana.lima@example.com",
//! "sam_okafor") that names someone in any of its pieces is a mention as a whole, so no
//! piece of it is left behind.

use super::model::Participant;

/// Appends `c` folded for matching: lower case; typographic apostrophes as `'`; final
/// sigma as sigma; ß as "ss"; dotless and dotted i as i; combining accents dropped (so a
/// name typed with them decomposed matches one typed without).
fn fold_into(c: char, out: &mut Vec<char>) {
    match c {
        'A'..='Z' => out.push(c.to_ascii_lowercase()),
        _ if c.is_ascii() => out.push(c),
        '\u{2019}' | '\u{2018}' | '\u{02bc}' => out.push('\''),
        'ς' => out.push('σ'),
        'ß' | 'ẞ' => out.extend(['s', 's']),
        'ı' | 'İ' => out.push('i'),
        '\u{0300}'..='\u{036f}' => {}
        _ => out.extend(c.to_lowercase()),
    }
}

/// `text` folded for matching (see [`fold_into`]).
fn folded(text: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(text.len());
    text.chars().for_each(|c| fold_into(c, &mut out));
    out
}

/// Parts of names that are also common words in many languages: not names on their own.
const PARTICLES: [&str; 18] = [
    "de", "da", "di", "do", "du", "la", "le", "van", "von", "der", "den", "del", "della", "dos", "das", "ter", "ten",
    "bin",
];

/// How a needle came about, which decides how sure a match is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NeedleKind {
    /// The name as written in the participant list.
    FullName,
    /// One word of a name of several words.
    NamePart,
    /// An alias the author gave.
    Alias,
    /// A username made from the name.
    Username,
}

/// One way a text may name participant number `who`.
#[derive(Debug, Clone)]
pub struct Needle {
    pub who: usize,
    pub kind: NeedleKind,
    /// As the author wrote it (for aliases without a leading `@`).
    pub text: String,
    folded: Vec<char>,
    /// The folded text, made ready once to be looked for in many texts (a postmortem's
    /// every field is checked against every participant).
    finder: memchr::memmem::Finder<'static>,
}

impl PartialEq for Needle {
    fn eq(&self, other: &Self) -> bool {
        (self.who, self.kind, &self.text, &self.folded) == (other.who, other.kind, &other.text, &other.folded)
    }
}

impl Eq for Needle {}

impl Needle {
    fn new(who: usize, kind: NeedleKind, text: &str) -> Option<Self> {
        let text = text.trim();
        let text = if kind == NeedleKind::Alias { text.trim_start_matches('@') } else { text };
        let folded = folded(text);
        // One letter ("J." of "J. Smith") would match every lone letter in the text.
        (folded.iter().filter(|c| c.is_alphanumeric()).count() > 1).then(|| Self {
            who,
            kind,
            text: text.to_owned(),
            finder: memchr::memmem::Finder::new(&folded.iter().collect::<String>()).into_owned(),
            folded,
        })
    }

    /// Whether the needle is one word (no spaces), so it can be a piece of an address.
    fn is_word(&self) -> bool {
        !self.folded.iter().any(|c| c.is_whitespace())
    }
}

/// Usernames people are commonly given from their name: "samokafor", "sam.okafor",
/// "sam_okafor" and "sokafor" for "Sam Okafor" (first and last word of the name).
pub fn usernames(name: &str) -> Vec<String> {
    let words: Vec<String> = name
        .split_whitespace()
        .map(|w| w.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect();
    let (Some(first), Some(last)) = (words.first(), words.last()) else { return Vec::new() };
    if words.len() < 2 {
        return Vec::new();
    }
    let initial: String = first.chars().take(1).collect();
    let mut out = vec![format!("{first}{last}"), format!("{first}.{last}"), format!("{first}_{last}")];
    if last.chars().count() > 2 {
        out.push(format!("{initial}{last}"));
    }
    out
}

/// Every needle for `participants`, longest first, so "Ana Lima" wins over "Ana".
pub fn needles(participants: &[Participant]) -> Vec<Needle> {
    let mut out = Vec::new();
    for (who, p) in participants.iter().enumerate() {
        let name = p.name.trim();
        out.extend(Needle::new(who, NeedleKind::FullName, name));
        // "María García-López": García and López are names on their own too.
        let words: Vec<&str> = name
            .split(|c: char| c.is_whitespace() || matches!(c, '-' | '\u{2010}' | '\u{2011}'))
            .filter(|w| !w.is_empty() && !PARTICLES.contains(&w.to_lowercase().as_str()))
            .collect();
        if words.len() > 1 || name.split_whitespace().count() > 1 {
            out.extend(words.iter().filter_map(|w| Needle::new(who, NeedleKind::NamePart, w)));
            out.extend(
                name.split_whitespace()
                    .filter(|w| w.contains('-'))
                    .filter_map(|w| Needle::new(who, NeedleKind::NamePart, w)),
            );
        }
        // An alias is matched whole: "Big S" must not make every "big" a name.
        for alias in &p.aliases {
            out.extend(Needle::new(who, NeedleKind::Alias, alias));
        }
        out.extend(usernames(name).iter().filter_map(|u| Needle::new(who, NeedleKind::Username, u)));
    }
    super::order::sort_by_key(&mut out, |n| std::cmp::Reverse(n.folded.len()));
    out
}

/// [`needles`] for `participants`, computed once while they stay the same: the wording
/// assistant checks every field of a postmortem with the same participants.
pub fn needles_for(participants: &[Participant]) -> std::rc::Rc<Vec<Needle>> {
    type Cache = Option<(Vec<Participant>, std::rc::Rc<Vec<Needle>>)>;
    thread_local! {
        static LAST: std::cell::RefCell<Cache> = const { std::cell::RefCell::new(None) };
    }
    LAST.with_borrow_mut(|last| match last {
        Some((those, found)) if those.as_slice() == participants => found.clone(),
        _ => {
            let found = std::rc::Rc::new(needles(participants));
            *last = Some((participants.to_vec(), found.clone()));
            found
        }
    })
}

/// Where a text names someone: bytes `start..end` name participant `who`, found by `needle`
/// (an index into the needles given).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub who: usize,
    pub needle: usize,
    /// Whether the mention is an address-like token named as a whole ("@sokafor").
    pub address: bool,
}

fn is_address_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '+' | '@')
}

/// `text` folded to lower case, character by character, and where each character of
/// `text` starts in it (one more entry, for the end).
struct Folded {
    chars: Vec<char>,
    starts: Vec<usize>,
}

impl Folded {
    fn new(chars: &[(usize, char)]) -> Self {
        let mut folded = Vec::with_capacity(chars.len() + 1);
        let mut starts = Vec::with_capacity(chars.len() + 1);
        for (_, c) in chars {
            starts.push(folded.len());
            fold_into(*c, &mut folded);
        }
        starts.push(folded.len());
        Self { chars: folded, starts }
    }

    /// How many characters of the text from char `i` on spell `needle`, if they do.
    fn fits(&self, i: usize, needle: &[char]) -> Option<usize> {
        let from = *self.starts.get(i)?;
        let to = from + needle.len();
        if self.chars.get(from..to)? != needle {
            return None;
        }
        // The needle must end where a character of the text ends, and takes the accents
        // (folded to nothing) that follow it.
        let ends = self.starts[i..].iter().take_while(|&&s| s <= to);
        ends.enumerate().filter(|(_, s)| **s == to).map(|(k, _)| k).last()
    }

    /// The folded text of chars `i..end`.
    fn between(&self, i: usize, end: usize) -> String {
        self.chars[self.starts[i]..self.starts[end]].iter().collect()
    }
}

/// Every mention of a participant in `text`, in order, none overlapping.
pub fn mentions(text: &str, needles: &[Needle]) -> Vec<Mention> {
    if needles.is_empty() {
        return Vec::new();
    }
    // Most texts name no one: a needle that is not even a substring of the folded text
    // cannot match, as a word or as a piece of an address.
    let lower: String = if text.is_ascii() { text.to_ascii_lowercase() } else { folded(text).into_iter().collect() };
    if !needles.iter().any(|n| n.finder.find(lower.as_bytes()).is_some()) {
        return Vec::new();
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte_at = |i: usize| chars.get(i).map_or(text.len(), |(b, _)| *b);
    let folded = Folded::new(&chars);
    let firsts: Vec<char> = needles.iter().filter_map(|n| n.folded.first().copied()).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        let token_start = i == 0 || !is_address_char(chars[i - 1].1);
        let address =
            (token_start && is_address_char(c)).then(|| address_mention(&chars, &folded, i, needles)).flatten();
        if let Some((end, who, needle)) = address {
            out.push(Mention { start: byte_at(i), end: byte_at(end), who, needle, address: true });
            i = end;
            continue;
        }
        // A percent-escape ("…/Ana%20Lima") ends a word as the space it stands for does.
        let escaped =
            i >= 3 && chars[i - 3].1 == '%' && chars[i - 2].1.is_ascii_hexdigit() && chars[i - 1].1.is_ascii_hexdigit();
        let boundary = i == 0 || !chars[i - 1].1.is_alphanumeric() || escaped;
        let first = folded.chars.get(folded.starts[i]);
        if boundary && first.is_some_and(|f| firsts.contains(f)) {
            let found = needles.iter().enumerate().find_map(|(index, n)| {
                let end = i + folded.fits(i, &n.folded)?;
                chars.get(end).is_none_or(|(_, c)| !c.is_alphanumeric()).then_some((index, n, end))
            });
            if let Some((index, n, end)) = found {
                out.push(Mention { start: byte_at(i), end: byte_at(end), who: n.who, needle: index, address: false });
                i = end;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// The address-like token starting at char `i`, if it names someone: (end, who, needle).
fn address_mention(
    chars: &[(usize, char)],
    folded: &Folded,
    i: usize,
    needles: &[Needle],
) -> Option<(usize, usize, usize)> {
    let mut end = i;
    while end < chars.len() && is_address_char(chars[end].1) {
        end += 1;
    }
    // Punctuation at the end belongs to the sentence.
    while end > i && !chars[end - 1].1.is_alphanumeric() {
        end -= 1;
    }
    let token = &chars[i..end];
    let inner = |c: char| matches!(c, '.' | '_' | '@');
    let addressy = token.iter().any(|(_, c)| *c == '@')
        || token.windows(3).any(|w| w[0].1.is_alphanumeric() && inner(w[1].1) && w[2].1.is_alphanumeric());
    if !addressy {
        return None;
    }
    let text = folded.between(i, end);
    let bare = text.trim_start_matches('@');
    let pieces: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|p| !p.is_empty()).collect();
    needles.iter().enumerate().find_map(|(index, n)| {
        let whole: String = n.folded.iter().collect();
        let named = bare == whole || (n.is_word() && pieces.iter().any(|p| *p == whole));
        named.then_some((end, n.who, index))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::new_item_id;

    fn people() -> Vec<Participant> {
        let mut sam = Participant::new(new_item_id(), "Sam Okafor", "Responder");
        sam.aliases = vec!["@sammy".into(), "Big S".into()];
        vec![Participant::new(new_item_id(), "Ana Lima", "Incident commander"), sam]
    }

    fn found(text: &str) -> Vec<(&str, usize)> {
        let needles = needles(&people());
        mentions(text, &needles).into_iter().map(|m| (&text[m.start..m.end], m.who)).collect()
    }

    #[test]
    fn names_parts_aliases_and_usernames() {
        assert_eq!(found("Ana Lima paged sam."), [("Ana Lima", 0), ("sam", 1)]);
        assert_eq!(found("ANA's call; Samantha was away"), [("ANA", 0)]);
        assert_eq!(found("sammy and big s and sokafor"), [("sammy", 1), ("big s", 1), ("sokafor", 1)]);
        assert_eq!(found("ana-lima"), [("ana", 0), ("lima", 0)]);
    }

    #[test]
    fn addresses_are_named_whole() {
        assert_eq!(found("Mail ana.lima@example.com."), [("ana.lima@example.com", 0)]);
        assert_eq!(
            found("(@sokafor) and @sammy, then sam_okafor"),
            [("@sokafor", 1), ("@sammy", 1), ("sam_okafor", 1)]
        );
        assert_eq!(found("ops@example.com and v1.2 and e.g. nothing"), []);
    }

    #[test]
    fn any_text_is_safe() {
        for text in ["", "@", "...", "İstanbul sam", "ẞ@ß.ss", "a@b", "sam@", "@@sam"] {
            let needles = needles(&people());
            for m in mentions(text, &needles) {
                assert!(text.is_char_boundary(m.start) && text.is_char_boundary(m.end) && m.start < m.end);
            }
        }
        assert_eq!(found("İ sam"), [("sam", 1)]);
    }

    #[test]
    fn usernames_from_a_name() {
        assert_eq!(usernames("Sam Okafor"), ["samokafor", "sam.okafor", "sam_okafor", "sokafor"]);
        assert!(usernames("Cher").is_empty());
    }
}
