//! The hostile corpus (tests/fixtures/hostile/) pushed through every native entry point:
//! postmortem fields through export and import, Markdown, invitation links, contribution
//! codes and template files. Each string must come back exactly as written (it is data,
//! never markup) and Markdown must never carry it as live HTML or a link.
//! The end-to-end test `hostile_input_stays_text_everywhere` pushes the same corpus
//! through the running app.
#![cfg(not(target_arch = "wasm32"))]

use crypto_box::aead::OsRng;
use debrief::domain::contribution::{Contribution, Invitation, SentInvitation, merge};
use debrief::domain::markdown::to_markdown;
use debrief::domain::sample::full_postmortem;
use debrief::domain::template::Template;
use debrief::domain::{Entry, Postmortem};
use debrief::file_format::contribution::{
    Offered, contribution_code, contribution_file, invitation_fragment, merge_offered, read_invitation_fragment,
};
use debrief::file_format::import::read_file;
use debrief::file_format::{Envelope, export_template};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/hostile/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn corpus() -> Vec<String> {
    let mut strings: Vec<String> = serde_json::from_slice(&fixture("strings.json")).expect("corpus is JSON");
    // A 1 MB single line.
    strings.push("x".repeat(1024 * 1024));
    strings
}

fn with_text(text: &str) -> Postmortem {
    // Prose as long as a field may hold: the limits are tested on their own.
    let text: String = text.chars().take(debrief::domain::limits::MAX_TEXT_CHARS).collect();
    let text = text.as_str();
    let mut pm = full_postmortem(chrono::Utc::now());
    pm.title = text.chars().take(300).collect();
    pm.summary = text.to_owned();
    pm.timeline[0].description = text.to_owned();
    pm.factors[0].description = text.to_owned();
    pm.lessons.went_well.push(Entry::new(text));
    pm.participants[0].name = text.chars().take(80).collect();
    pm.services.push(text.chars().take(40).collect());
    pm
}

#[test]
fn hostile_text_survives_export_and_import_exactly() {
    for text in corpus() {
        let pm = with_text(&text);
        let file = Envelope::with_postmortems(vec![pm.clone()]).to_pretty_json().expect("written");
        let read = read_file("hostile.json", &file).expect("read back");
        assert_eq!(read.broken, vec![], "{:.60}", text);
        assert_eq!(read.postmortems, vec![pm], "{:.60}", text);
    }
}

#[test]
fn markdown_never_carries_hostile_text_as_markup() {
    for text in corpus() {
        let md = to_markdown(&with_text(&text));
        // An escaped "\<script" shows as text; only an unescaped tag or link would be live.
        for live in ["<script", "<img", "<svg", "<iframe", "<a href"] {
            for (at, _) in md.match_indices(live) {
                assert!(at > 0 && md.as_bytes()[at - 1] == b'\\', "live {live} in Markdown from {:.60}", text);
            }
        }
        for live in ["](javascript:", "](data:"] {
            assert!(!md.contains(live), "{live} in Markdown from {:.60}", text);
        }
    }
}

#[test]
fn hostile_invitations_and_contributions_travel_unchanged() {
    for text in corpus().into_iter().filter(|t| t.len() < 3_000) {
        let pm = full_postmortem(chrono::Utc::now());
        let mut inv = Invitation::for_postmortem(&pm);
        inv.title = text.chars().take(200).collect();
        inv.summary = text.clone();
        inv.questions[0].text = text.chars().take(500).collect();
        let usable = inv.problems().is_empty();
        let fragment = invitation_fragment(&inv).expect("encoded");
        match read_invitation_fragment(&fragment) {
            Some(Ok(back)) => assert_eq!(back, inv),
            Some(Err(e)) => assert!(!usable, "a usable invitation was refused: {e}"),
            None => panic!("not read as an invitation"),
        }
        if !usable {
            continue;
        }
        let c = Contribution::new(&inv, &[("q1".to_owned(), text.clone())]);
        if c.answers.is_empty() {
            continue;
        }
        let code = contribution_code(&contribution_file(&inv, &c, &mut OsRng).expect("file"));
        let mut facilitator = pm.clone();
        facilitator.invitations.push(SentInvitation { invitation: inv.clone(), contributions: Vec::new() });
        let outcomes = merge_offered(&mut facilitator, &[Offered { name: "chat".into(), text: code }], &[]);
        assert!(outcomes[0].result.is_ok(), "{outcomes:?}");
        assert_eq!(facilitator.invitations[0].contributions[0].answers[0].text, text.trim());
        let mut again = facilitator.clone();
        assert!(merge(&mut again, inv.id, c).is_err(), "a duplicate is refused");
    }
}

#[test]
fn hostile_template_names_travel_unchanged() {
    for text in corpus().into_iter().filter(|t| t.len() < 3_000 && !t.trim().is_empty()) {
        let mut template = Template::blank();
        template.name = text.clone();
        template.description = text.clone();
        let file = export_template(&template).expect("written");
        let read = read_file("t.json", &file).expect("read");
        if template.problems().is_empty() {
            assert_eq!(read.templates, vec![template], "{:.60}", text);
        } else {
            assert_eq!(read.templates, vec![]);
            assert!(!read.broken.is_empty());
        }
    }
}

#[test]
fn duplicate_keys_and_invalid_utf8_are_refused_with_a_reason() {
    let text = String::from_utf8(fixture("duplicate-keys.json")).expect("UTF-8");
    let e = read_file("duplicate-keys.json", &text).expect_err("refused");
    assert_eq!(e.place, "$.postmortems[0].title");
    assert!(e.problem.contains("appears twice"), "{}", e.problem);
    // The browser reads files as UTF-8 strictly (see `browser::read_text`); the bytes
    // themselves are not text.
    assert!(String::from_utf8(fixture("invalid-utf8.json")).is_err());
}
