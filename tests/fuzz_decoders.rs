//! Fuzzing of every decoder that reads what other people send: library and template files
//! (import), invitation links and files, and contribution files and codes.
//!
//! Each target starts from valid input and damages it (bytes flipped, inserted, removed,
//! cut), or feeds raw bytes, and checks that decoding returns instead of panicking, and that
//! whatever it accepts is usable. The test command runs a short pass;
//! `DEBRIEF_FUZZ_CASES=1000000 cargo test --release --test fuzz_decoders` runs a long one
//! (every target gets that many cases).
#![cfg(not(target_arch = "wasm32"))]

use crypto_box::aead::OsRng;
use debrief::domain::contribution::{Contribution, Invitation, SentInvitation};
use debrief::domain::sample::full_postmortem;
use debrief::domain::template::builtin;
use debrief::file_format::Envelope;
use debrief::file_format::contribution::{
    Offered, SealKey, contribution_code, contribution_file, invitation_file, invitation_fragment, merge_offered, open,
    read_codes, read_contribution_file, read_invitation_file, read_invitation_fragment,
};
use debrief::file_format::import::read_file;
use proptest::prelude::*;
use std::sync::OnceLock;

fn cases() -> u32 {
    std::env::var("DEBRIEF_FUZZ_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(1000)
}

/// Valid inputs to start from, made once.
struct Seeds {
    backup: String,
    invitation: Invitation,
    sealed: Invitation,
    key: SealKey,
    fragment: String,
    invitation_file: String,
    open_file: String,
    sealed_file: String,
    open_code: String,
    sealed_code: String,
}

fn seeds() -> &'static Seeds {
    static SEEDS: OnceLock<Seeds> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let now = chrono::Utc::now();
        let pm = full_postmortem(now);
        let invitation = Invitation::for_postmortem(&pm);
        let mut sealed = Invitation::for_postmortem(&pm);
        let (key, public) = SealKey::generate(sealed.id, &mut OsRng);
        sealed.seal_key = Some(public);
        let answers =
            [("q1".to_owned(), "I saw the graph at 14:05 — ünïcödé".to_owned()), ("q3".to_owned(), "x".repeat(40))];
        let c = Contribution::new(&invitation, &answers);
        let open_file = contribution_file(&invitation, &c, &mut OsRng).unwrap_or_default();
        let sealed_file = contribution_file(&sealed, &c, &mut OsRng).unwrap_or_default();
        let mut with_contributions = pm.clone();
        with_contributions.invitations.push(SentInvitation { invitation: invitation.clone(), contributions: vec![c] });
        let envelope = Envelope {
            templates: vec![
                builtin::all().into_iter().next().unwrap_or_else(debrief::domain::template::Template::blank),
            ],
            keys: vec![key.clone()],
            ..Envelope::with_postmortems(vec![with_contributions])
        };
        Seeds {
            backup: envelope.to_pretty_json().unwrap_or_default(),
            fragment: invitation_fragment(&sealed).unwrap_or_default(),
            invitation_file: invitation_file(&invitation).unwrap_or_default(),
            open_code: contribution_code(&open_file),
            sealed_code: contribution_code(&sealed_file),
            invitation,
            sealed,
            key,
            open_file,
            sealed_file,
        }
    })
}

/// One change to a text.
#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, u8),
    Remove(usize),
    Cut(usize),
    Repeat(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Flip(at, b)),
        2 => (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Insert(at, b)),
        2 => any::<usize>().prop_map(Mutation::Remove),
        1 => any::<usize>().prop_map(Mutation::Cut),
        1 => (any::<usize>(), 1usize..64).prop_map(|(at, n)| Mutation::Repeat(at, n)),
    ]
}

/// `seed` with `mutations` applied, as text (bytes that are not UTF-8 are replaced, as a
/// browser reading a file as text does).
fn damaged(seed: &str, mutations: &[Mutation]) -> String {
    let mut bytes = seed.as_bytes().to_vec();
    for m in mutations {
        let len = bytes.len().max(1);
        match *m {
            Mutation::Flip(at, b) if !bytes.is_empty() => bytes[at % len] = b,
            Mutation::Insert(at, b) => bytes.insert(at % (bytes.len() + 1), b),
            Mutation::Remove(at) if !bytes.is_empty() => {
                bytes.remove(at % len);
            }
            Mutation::Cut(at) => bytes.truncate(at % (bytes.len() + 1)),
            Mutation::Repeat(at, n) if !bytes.is_empty() => {
                let start = at % len;
                let piece: Vec<u8> = bytes[start..(start + n).min(bytes.len())].to_vec();
                bytes.splice(start..start, piece);
            }
            _ => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    proptest::collection::vec(mutation(), 1..6)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn import_survives_damaged_backups(m in mutations()) {
        if let Ok(read) = read_file("fuzz.json", &damaged(&seeds().backup, &m)) {
            for pm in &read.postmortems {
                for sent in &pm.invitations {
                    prop_assert!(sent.invitation.problems().is_empty(), "an accepted invitation is usable");
                }
            }
        }
    }

    #[test]
    fn import_survives_raw_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = read_file("fuzz.json", &String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn invitation_links_survive_damage(m in mutations()) {
        if let Some(Ok(inv)) = read_invitation_fragment(&damaged(&seeds().fragment, &m)) {
            prop_assert!(inv.problems().is_empty());
        }
    }

    #[test]
    fn invitation_files_survive_damage(m in mutations()) {
        if let Ok(inv) = read_invitation_file(&damaged(&seeds().invitation_file, &m)) {
            prop_assert!(inv.problems().is_empty());
        }
    }

    #[test]
    fn contribution_files_survive_damage(m in mutations(), sealed in any::<bool>()) {
        let s = seeds();
        let seed = if sealed { &s.sealed_file } else { &s.open_file };
        if let Ok(received) = read_contribution_file(&damaged(seed, &m)) {
            let _ = open(received, std::slice::from_ref(&s.key));
        }
    }

    #[test]
    fn contribution_codes_survive_damage(m in mutations(), sealed in any::<bool>()) {
        let s = seeds();
        let seed = if sealed { &s.sealed_code } else { &s.open_code };
        for received in read_codes(&damaged(seed, &m)).into_iter().flatten() {
            let _ = open(received, std::slice::from_ref(&s.key));
        }
    }

    #[test]
    fn merging_damaged_contributions_never_breaks_the_postmortem(m in mutations(), sealed in any::<bool>()) {
        let s = seeds();
        let mut pm = full_postmortem(chrono::Utc::now());
        for inv in [&s.invitation, &s.sealed] {
            pm.invitations.push(SentInvitation { invitation: inv.clone(), contributions: Vec::new() });
        }
        let seed = if sealed { &s.sealed_code } else { &s.open_file };
        let offered = [Offered { name: "fuzz".into(), text: damaged(seed, &m) }];
        let outcomes = merge_offered(&mut pm, &offered, std::slice::from_ref(&s.key));
        let merged = outcomes.iter().filter(|o| o.result.is_ok()).count();
        let stored: usize = pm.invitations.iter().map(|i| i.contributions.len()).sum();
        prop_assert_eq!(merged, stored, "only what is reported merged is merged");
    }
}
