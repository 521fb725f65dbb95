//! Search over the library: titles at once, and the full text of every postmortem once
//! [`SearchIndex`] has read them.
//!
//! The index keeps each distinct word once and, per postmortem, the sorted list of its
//! words' numbers. A query word matches a postmortem when it is part of one of its words
//! (so "check" finds "checkout"); every query word must match. A query costs one pass over
//! the distinct words plus one over each postmortem's word list, whatever the documents'
//! length, and no document is decoded again.

use super::model::{Postmortem, PostmortemId};
use super::summary::Summary;
use std::collections::HashMap;

/// The words of a text, lower-cased: runs of letters and digits.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase)
}

/// Every piece of text a person wrote in `pm`, for the index.
fn texts(pm: &Postmortem) -> Vec<&str> {
    let mut out: Vec<&str> = vec![pm.display_title(), &pm.incident_ref, &pm.summary, &pm.impact.description];
    out.extend(pm.services.iter().chain(&pm.tags).map(String::as_str));
    out.extend(pm.participants.iter().flat_map(|p| [p.name.as_str(), p.role.as_str()]));
    out.extend(pm.impact.figures.iter().flat_map(|f| [f.name.as_str(), f.value.as_str()]));
    out.extend(pm.timeline.iter().map(|e| e.description.as_str()));
    for f in &pm.factors {
        out.push(&f.description);
        out.extend(f.whys.iter().map(|w| w.text.as_str()));
    }
    out.extend(pm.action_items.iter().flat_map(|a| [a.description.as_str(), a.owner.as_str(), a.review_note.as_str()]));
    for kind in super::model::LessonKind::ALL {
        out.extend(pm.lessons.list(kind).iter().map(|e| e.text.as_str()));
    }
    out.extend(pm.answers.iter().map(|a| a.text.as_str()));
    for sent in &pm.invitations {
        out.extend(sent.contributions.iter().flat_map(|c| c.answers.iter().map(|a| a.text.as_str())));
    }
    out
}

/// The words of every postmortem read so far.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    words: Vec<String>,
    numbers: HashMap<String, u32>,
    documents: HashMap<PostmortemId, Vec<u32>>,
}

impl SearchIndex {
    /// Reads `pm` into the index, replacing what it held for that postmortem.
    pub fn add(&mut self, pm: &Postmortem) {
        let mut list: Vec<u32> = Vec::new();
        for text in texts(pm) {
            for word in words(text) {
                let number = match self.numbers.get(&word) {
                    Some(n) => *n,
                    None => {
                        let n = self.words.len() as u32;
                        self.words.push(word.clone());
                        self.numbers.insert(word, n);
                        n
                    }
                };
                list.push(number);
            }
        }
        list.sort_unstable();
        list.dedup();
        list.shrink_to_fit();
        self.documents.insert(pm.id, list);
    }

    /// Forgets a postmortem (its words stay known, which is harmless).
    pub fn remove(&mut self, id: &PostmortemId) {
        self.documents.remove(id);
    }

    /// Whether the postmortem `id` has been read into the index.
    pub fn has(&self, id: &PostmortemId) -> bool {
        self.documents.contains_key(id)
    }

    /// How many postmortems the index has read.
    pub fn len(&self) -> usize {
        self.documents.len()
    }

    /// Whether the index has read no postmortem.
    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    /// A matcher for `query`: checks each postmortem in time independent of its length.
    pub fn query(&self, query: &str) -> Query<'_> {
        let terms: Vec<String> = words(query).collect();
        // For each query word, which known words contain it.
        let hits = terms
            .iter()
            .map(|term| self.words.iter().map(|w| w.contains(term.as_str())).collect::<Vec<bool>>())
            .collect();
        Query { index: self, terms, hits }
    }
}

/// A query prepared against a [`SearchIndex`].
pub struct Query<'a> {
    index: &'a SearchIndex,
    terms: Vec<String>,
    hits: Vec<Vec<bool>>,
}

impl Query<'_> {
    /// Whether the postmortem of `summary` matches: by its full text when the index has read
    /// it, by its title until then.
    pub fn matches(&self, summary: &Summary) -> bool {
        if self.terms.is_empty() {
            return true;
        }
        match self.index.documents.get(&summary.id) {
            Some(list) => {
                self.hits.iter().all(|hit| list.iter().any(|n| hit.get(*n as usize).copied().unwrap_or(false)))
            }
            None => {
                let title = summary.display_title().to_lowercase();
                self.terms.iter().all(|t| title.contains(t.as_str()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(title: &str) -> Summary {
        let mut pm = Postmortem::new(PostmortemId::random(), chrono::Utc::now());
        pm.title = title.into();
        pm.summary()
    }

    #[test]
    fn every_query_word_must_appear_in_any_case() {
        let s = summary("Checkout errors after DNS change");
        let index = SearchIndex::default();
        assert!(index.query("").matches(&s));
        assert!(index.query("dns").matches(&s));
        assert!(index.query("  CHECKOUT   change ").matches(&s));
        assert!(!index.query("checkout database").matches(&s));
    }

    #[test]
    fn the_index_finds_words_anywhere_in_a_postmortem_and_parts_of_words() {
        let mut pm = crate::domain::sample::full_postmortem(chrono::Utc::now());
        pm.title = "Checkout errors".into();
        pm.add_timeline_event(None, crate::domain::EventKind::Action, "Drained the Kafka consumers in eu-west-1");
        let mut other = Postmortem::new(PostmortemId::random(), chrono::Utc::now());
        other.title = "DNS change".into();
        let mut index = SearchIndex::default();
        assert!(index.is_empty());
        index.add(&pm);
        let (s, o) = (pm.summary(), other.summary());
        for query in ["kafka", "KAFKA eu-west", "check", "drained consumers", "", "  "] {
            assert!(index.query(query).matches(&s), "{query}");
        }
        assert!(!index.query("kafka dns").matches(&s));
        // Not read yet: its title still finds it.
        assert!(index.query("dns").matches(&o) && !index.query("kafka").matches(&o));
        index.add(&other);
        assert_eq!(index.len(), 2);
        assert!(index.has(&other.id) && !index.query("kafka").matches(&o));
        // Edited text replaces the old words; removing forgets it.
        pm.timeline.clear();
        index.add(&pm);
        assert!(!index.query("kafka").matches(&s) && index.query("checkout").matches(&s));
        index.remove(&pm.id);
        assert!(!index.has(&pm.id) && index.query("checkout").matches(&s), "by title again");
    }

    #[test]
    fn untitled_postmortems_are_found_by_their_stand_in_name() {
        assert!(SearchIndex::default().query("untitled").matches(&summary("")));
    }
}
