//! Quick search over the library list.

use super::postmortem::Summary;

/// Whether every word of `query` appears in the summary's title, ignoring case.
pub fn title_matches(summary: &Summary, query: &str) -> bool {
    let title = summary.display_title().to_lowercase();
    query.split_whitespace().all(|word| title.contains(&word.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::postmortem::{Postmortem, PostmortemId};

    fn summary(title: &str) -> Summary {
        let mut pm = Postmortem::new(PostmortemId::random(), chrono::Utc::now());
        pm.title = title.into();
        pm.summary()
    }

    #[test]
    fn every_query_word_must_appear_in_any_case() {
        let s = summary("Checkout errors after DNS change");
        assert!(title_matches(&s, ""));
        assert!(title_matches(&s, "dns"));
        assert!(title_matches(&s, "  CHECKOUT   change "));
        assert!(!title_matches(&s, "checkout database"));
    }

    #[test]
    fn untitled_postmortems_are_found_by_their_stand_in_name() {
        assert!(title_matches(&summary(""), "untitled"));
    }
}
