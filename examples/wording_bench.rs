//! Benchmark of the wording checker: a 20,000-word postmortem and a typical field.
//!
//! Run with `cargo run --release --example wording_bench`. It prints figures; it does not
//! pass or fail (timings on shared machines are noisy).

use debrief::domain::wording::{Context, FieldKind, check};
use std::time::Duration;

#[path = "support/measure.rs"]
mod support;
use support::measure;

fn corpus_sentences() -> Vec<&'static str> {
    include_str!("../tests/wording_corpus.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.splitn(3, '\t').nth(2))
        .collect()
}

fn main() {
    let sentences = corpus_sentences();
    let participants = [("Ana Lima", "Incident commander"), ("Sam Okafor", "Responder")]
        .map(|(name, role)| debrief::domain::Participant::new(debrief::domain::new_item_id(), name, role));
    let context = Context { field: FieldKind::Narrative, participants: &participants };

    let mut long = String::new();
    let mut words = 0;
    for sentence in sentences.iter().cycle() {
        if words >= 20_000 {
            break;
        }
        long.push_str(sentence);
        long.push(if words % 200 < 12 { '\n' } else { ' ' });
        words += sentence.split_whitespace().count();
    }
    let typical: String = sentences.iter().skip(40).take(4).copied().collect::<Vec<_>>().join(" ");
    let typical_words = typical.split_whitespace().count();

    let findings = check(&long, &context).len();
    let (runs, median, fastest) = measure(Duration::from_secs(3), || check(&long, &context).len());
    println!(
        "wording check, {words}-word postmortem: median {median:.2?}, fastest {fastest:.2?} over {runs} runs ({findings} findings)"
    );
    let (runs, median, fastest) = measure(Duration::from_secs(2), || check(&typical, &context).len());
    println!(
        "wording check, typical {typical_words}-word field: median {median:.2?}, fastest {fastest:.2?} over {runs} runs"
    );
    println!("(native release build; figures vary with the machine and its load)");
}
