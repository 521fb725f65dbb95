//! Measures the wording checker on a labelled corpus (`tests/wording_corpus.tsv`):
//! precision and recall per category and overall, at the sentence level.
//!
//! `cargo test --test wording_corpus -- --nocapture` prints the table.

use debrief::domain::wording::{Category, Context, FieldKind, check};
use std::collections::{BTreeMap, BTreeSet};

struct Counts {
    true_positive: usize,
    false_positive: usize,
    false_negative: usize,
}

fn ratio(good: usize, bad: usize) -> f64 {
    if good + bad == 0 { 1.0 } else { good as f64 / (good + bad) as f64 }
}

#[test]
fn the_checker_meets_the_precision_and_recall_bar_on_the_corpus() {
    let participants =
        [("Ana Lima", "Incident commander"), ("Sam Okafor", "Responder"), ("Priya Natarajan", "Database engineer")]
            .map(|(name, role)| debrief::domain::Participant::new(debrief::domain::new_item_id(), name, role));
    let mut counts: BTreeMap<Category, Counts> = Category::ALL
        .into_iter()
        .map(|c| (c, Counts { true_positive: 0, false_positive: 0, false_negative: 0 }))
        .collect();
    let mut misses = Vec::new();
    let mut sentences = 0;
    for (number, line) in include_str!("wording_corpus.tsv").lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let mut columns = line.splitn(3, '\t');
        let (Some(field), Some(expected), Some(sentence)) = (columns.next(), columns.next(), columns.next()) else {
            panic!("line {}: expected three tab-separated columns", number + 1);
        };
        let field = match field {
            "narrative" => FieldKind::Narrative,
            "timeline" => FieldKind::Timeline,
            "action" => FieldKind::ActionItem,
            "contribution" => FieldKind::Contribution,
            other => panic!("line {}: unknown context {other}", number + 1),
        };
        let expected: BTreeSet<Category> = expected
            .split(',')
            .filter(|c| *c != "-")
            .map(|c| Category::from_key(c).unwrap_or_else(|| panic!("line {}: unknown category {c}", number + 1)))
            .collect();
        let found: BTreeSet<Category> =
            check(sentence, &Context { field, participants: &participants }).into_iter().map(|f| f.category).collect();
        sentences += 1;
        for category in Category::ALL {
            let entry = counts.get_mut(&category).expect("every category counted");
            match (expected.contains(&category), found.contains(&category)) {
                (true, true) => entry.true_positive += 1,
                (false, true) => entry.false_positive += 1,
                (true, false) => entry.false_negative += 1,
                (false, false) => {}
            }
        }
        if expected != found {
            misses.push(format!("line {}: expected {expected:?}, found {found:?}: {sentence}", number + 1));
        }
    }
    let mut report = format!("{sentences} sentences\n{:<20} {:>9} {:>9}\n", "category", "precision", "recall");
    let (mut tp, mut fp, mut fneg) = (0, 0, 0);
    for (category, c) in &counts {
        report += &format!(
            "{:<20} {:>9.3} {:>9.3}\n",
            category.key(),
            ratio(c.true_positive, c.false_positive),
            ratio(c.true_positive, c.false_negative)
        );
        tp += c.true_positive;
        fp += c.false_positive;
        fneg += c.false_negative;
    }
    let (precision, recall) = (ratio(tp, fp), ratio(tp, fneg));
    report += &format!("{:<20} {:>9.3} {:>9.3}\n", "overall", precision, recall);
    println!("{report}");
    for miss in &misses {
        println!("{miss}");
    }
    assert!(sentences >= 200, "the corpus needs at least 200 sentences, has {sentences}");
    assert!(precision >= 0.9 && recall >= 0.9, "below the 0.9 bar:\n{report}\n{}", misses.join("\n"));
}
