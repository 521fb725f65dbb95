//! Anonymous contributions as workflows: opening an invitation someone was sent (a link or
//! the text of a file), creating one (sealed or not), merging the contributions that come
//! back, and, on the contributor's side, keeping a draft and finishing a contribution.
//!
//! Invariants:
//! - a sealed invitation exists only once the key that opens its contributions is stored;
//! - no invitation is handed out whose link the reader would refuse as too long;
//! - merging changes the postmortem only when a contribution passed every check, and every
//!   offered item gets a line saying what became of it.

use super::library::Library;
use crate::domain::Postmortem;
use crate::domain::contribution::{Contribution, Invitation, MAX_ANSWER_CHARS, SentInvitation};
use crate::file_format::contribution::{
    LINK_PREFIX, MAX_INVITATION_BYTES, MAX_LINK_CHARS, Offered, Outcome, SealKey, WireError, contribution_code,
    contribution_file, invitation_fragment, merge_offered, read_invitation_file, read_invitation_fragment,
};
use crate::storage::{KeyValueStore, StorageError, drafts};
use crypto_box::aead::rand_core::CryptoRngCore;

/// Why a pasted text or a chosen file does not open as an invitation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    #[error("it is neither an invitation link nor the text of an invitation file")]
    NotAnInvitation,
    #[error("it is larger than any invitation, so it is not one")]
    TooLarge,
    #[error(transparent)]
    Unreadable(#[from] WireError),
}

/// Whether a file of `bytes` is too large to be an invitation.
pub fn too_large_for_invitation(bytes: f64) -> bool {
    bytes > MAX_INVITATION_BYTES as f64
}

/// Reads an invitation from `text`: the text of an invitation file, or a link (anything
/// around it, such as words a chat client added, is ignored). Returns the link fragment
/// (without `#`) that opens the contributor's page for it.
pub fn open_invitation(text: &str) -> Result<String, OpenError> {
    let text = text.trim();
    let invitation = if text.starts_with('{') {
        read_invitation_file(text)?
    } else {
        // A link: what follows `#`, up to any whitespace a chat client added after it.
        let fragment = text.find(LINK_PREFIX).map(|i| text[i..].split_whitespace().next().unwrap_or_default());
        fragment.and_then(read_invitation_fragment).ok_or(OpenError::NotAnInvitation)??
    };
    Ok(invitation_fragment(&invitation)?)
}

/// Why an invitation was not created.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreateError {
    #[error("{}", .0.join(" "))]
    Unfinished(Vec<String>),
    #[error(
        "This browser does not offer secure random numbers (crypto.getRandomValues), which sealing needs. Create the invitation without sealing, or use a current browser."
    )]
    NoRandomness,
    #[error("This invitation is too long for a link: shorten the summary or the questions.")]
    TooLong,
    /// The key that opens sealed contributions could not be stored, so the invitation was
    /// not created.
    #[error("the sealing key could not be kept: {0}")]
    KeyNotKept(StorageError),
}

/// Makes `draft` into an invitation ready to send: trimmed, checked, and when `seal` is set,
/// sealed with a new key that is stored before the invitation is handed back.
pub fn create_invitation<S: KeyValueStore>(
    library: &mut Library<S>,
    mut draft: Invitation,
    seal: bool,
    rng: &mut impl CryptoRngCore,
) -> Result<SentInvitation, CreateError> {
    let problems = draft.problems();
    if !problems.is_empty() {
        return Err(CreateError::Unfinished(problems));
    }
    draft.title = draft.title.trim().to_owned();
    draft.summary = draft.summary.trim().to_owned();
    let key = if seal {
        let mut probe = [0u8; 8];
        rng.try_fill_bytes(&mut probe).map_err(|_| CreateError::NoRandomness)?;
        let (key, public) = SealKey::generate(draft.id, rng);
        draft.seal_key = Some(public);
        Some(key)
    } else {
        None
    };
    // The reader refuses links past this length, so never hand out one that long.
    if invitation_fragment(&draft).map_or(true, |f| f.len() > MAX_LINK_CHARS) {
        return Err(CreateError::TooLong);
    }
    if let Some(key) = key {
        library.add_seal_keys(vec![key]).map_err(CreateError::KeyNotKept)?;
    }
    Ok(SentInvitation { invitation: draft, contributions: Vec::new() })
}

/// What merging offered contributions did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The postmortem with every accepted contribution merged, when at least one was.
    pub postmortem: Option<Postmortem>,
    /// One line per offered item (or per contribution in it), merged or with its reason.
    pub outcomes: Vec<Outcome>,
}

/// Merges the contributions in `offered` into a copy of `pm`, opening sealed ones with the
/// keys stored in `library`; `unreadable` are files that could not be read, reported too.
pub fn merge_contributions<S: KeyValueStore>(
    library: &Library<S>,
    pm: &Postmortem,
    offered: &[Offered],
    unreadable: Vec<Outcome>,
) -> Merged {
    let mut outcomes = unreadable;
    let keys = library.seal_keys().unwrap_or_else(|e| {
        // Open contributions can still be merged; sealed ones will say they lack a key.
        outcomes.push(Outcome {
            source: "Sealing keys".into(),
            result: Err(format!("the keys for sealed contributions cannot be read here ({e})")),
        });
        Vec::new()
    });
    let mut copy = pm.clone();
    outcomes.extend(merge_offered(&mut copy, offered, &keys));
    let any = outcomes.iter().any(|o| o.result.is_ok());
    Merged { postmortem: any.then_some(copy), outcomes }
}

/// Why a contribution could not be finished.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FinishError {
    #[error("Answer at least one question first.")]
    NoAnswer,
    #[error(
        "Your answer to question {0} is longer than {MAX_ANSWER_CHARS} characters, which Debrief cannot send: shorten it, then finish."
    )]
    TooLong(usize),
    #[error(
        "This browser does not offer secure random numbers (crypto.getRandomValues), which a contribution needs. Open the link in a current browser."
    )]
    NoRandomness,
    #[error("The contribution could not be made: {0}.")]
    Unwritable(WireError),
}

/// A finished contribution: the file and the code that carries the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finished {
    pub file: String,
    pub code: String,
}

/// Finishes `contribution` to `invitation`: checks it, then makes the file (sealed when the
/// invitation asks) and the code.
pub fn finish_contribution(
    invitation: &Invitation,
    contribution: &Contribution,
    rng: &mut impl CryptoRngCore,
) -> Result<Finished, FinishError> {
    if contribution.answers.is_empty() {
        return Err(FinishError::NoAnswer);
    }
    let too_long = invitation.questions.iter().position(|q| {
        contribution.answers.iter().any(|a| a.question == q.key && a.text.chars().count() > MAX_ANSWER_CHARS)
    });
    if let Some(n) = too_long {
        return Err(FinishError::TooLong(n + 1));
    }
    let mut probe = [0u8; 8];
    rng.try_fill_bytes(&mut probe).map_err(|_| FinishError::NoRandomness)?;
    let file = contribution_file(invitation, contribution, rng).map_err(FinishError::Unwritable)?;
    let code = contribution_code(&file);
    Ok(Finished { file, code })
}

/// The contributor's unfinished answers to `invitation` kept in `store` (the tab's session
/// storage), if any can be read.
pub fn kept_draft(store: &impl KeyValueStore, invitation: &Invitation) -> Option<Contribution> {
    drafts::load(store, invitation.id)
}

/// Wipes every unfinished contribution kept in `store`: the contributor finished or
/// discarded, and nothing of theirs stays in the browser.
pub fn forget_drafts(store: &mut impl KeyValueStore) -> Result<(), StorageError> {
    drafts::clear(store)
}

/// Keeps the contributor's unfinished `contribution` in `store` (the tab's session storage)
/// so a reload does not lose it; one with no answers removes the draft instead.
pub fn keep_draft(
    store: &mut impl KeyValueStore,
    invitation: &Invitation,
    contribution: &Contribution,
) -> Result<(), StorageError> {
    if contribution.answers.is_empty() {
        drafts::clear(store)
    } else {
        drafts::save(store, invitation.id, contribution)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::contribution::ContributionId;
    use crate::domain::sample::full_postmortem;
    use crate::file_format::contribution::invitation_file;
    use crate::storage::MemoryStore;
    use chrono::Utc;
    use crypto_box::aead::OsRng;

    fn invitation() -> Invitation {
        Invitation::for_postmortem(&full_postmortem(Utc::now()))
    }

    #[test]
    fn an_invitation_opens_from_its_link_its_file_or_a_chat_message_holding_the_link() {
        let inv = invitation();
        let fragment = invitation_fragment(&inv).expect("made");
        assert_eq!(open_invitation(&invitation_file(&inv).expect("made")), Ok(fragment.clone()));
        assert_eq!(open_invitation(&format!("https://debrief.example/#{fragment}")), Ok(fragment.clone()));
        assert_eq!(open_invitation(&format!("Please answer: https://x/#{fragment}  thanks!")), Ok(fragment));
        assert_eq!(open_invitation("hello"), Err(OpenError::NotAnInvitation));
        assert!(matches!(open_invitation(&format!("#{LINK_PREFIX}%%%")), Err(OpenError::Unreadable(_))));
        assert!(too_large_for_invitation((MAX_INVITATION_BYTES + 1) as f64));
    }

    #[test]
    fn a_sealed_invitation_exists_only_with_its_key_stored() {
        let (mut library, _) = Library::open(MemoryStore::new());
        let sent = create_invitation(&mut library, invitation(), true, &mut OsRng).expect("created");
        assert!(sent.invitation.seal_key.is_some());
        let keys = library.seal_keys().expect("readable");
        assert_eq!(keys.iter().map(|k| k.invitation).collect::<Vec<_>>(), [sent.invitation.id]);
        let open = create_invitation(&mut library, invitation(), false, &mut OsRng).expect("created");
        assert!(open.invitation.seal_key.is_none());
        assert_eq!(library.seal_keys().map(|k| k.len()), Ok(1));
    }

    #[test]
    fn an_invitation_that_cannot_be_created_stores_nothing() {
        let (mut library, _) = Library::open(MemoryStore::with_quota(10));
        assert!(matches!(
            create_invitation(&mut library, invitation(), true, &mut OsRng),
            Err(CreateError::KeyNotKept(StorageError::QuotaExceeded))
        ));
        let (mut library, _) = Library::open(MemoryStore::new());
        let mut untitled = invitation();
        untitled.title = "  ".into();
        assert!(matches!(create_invitation(&mut library, untitled, true, &mut OsRng), Err(CreateError::Unfinished(_))));
        // Within every limit on length, but in characters that take four bytes and do not
        // compress: the link would be longer than a reader accepts.
        let mut state = 7u64;
        let mut scattered = |len: usize| -> String {
            (0..len)
                .filter_map(|_| {
                    state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    char::from_u32(0x20000 + ((state >> 33) % 0xA6D0) as u32)
                })
                .collect()
        };
        let mut long = invitation();
        long.summary = scattered(3_999);
        long.questions = (0..20)
            .map(|i| crate::domain::contribution::Question { key: format!("q{i}"), text: scattered(499) })
            .collect();
        assert_eq!(create_invitation(&mut library, long, true, &mut OsRng), Err(CreateError::TooLong));
        assert_eq!(library.seal_keys(), Ok(Vec::new()), "no key is kept for an invitation never made");
    }

    #[test]
    fn contributions_merge_into_a_copy_and_each_gets_a_line() {
        let (mut library, _) = Library::open(MemoryStore::new());
        let mut pm = full_postmortem(Utc::now());
        let sent = create_invitation(&mut library, invitation(), true, &mut OsRng).expect("created");
        let inv = sent.invitation.clone();
        pm.invitations.push(sent);
        let answers = vec![(inv.questions[0].key.clone(), "I saw the alert at nine".to_owned())];
        let contribution = Contribution::new(&inv, &answers);
        let finished = finish_contribution(&inv, &contribution, &mut OsRng).expect("finished");
        let offered = [
            Offered { name: "a.json".into(), text: finished.file.clone() },
            Offered { name: "Pasted text".into(), text: finished.code.clone() },
        ];
        let unreadable = vec![Outcome { source: "b.json".into(), result: Err("unreadable".into()) }];
        let merged = merge_contributions(&library, &pm, &offered, unreadable);
        let results: Vec<(&str, bool)> =
            merged.outcomes.iter().map(|o| (o.source.as_str(), o.result.is_ok())).collect();
        assert_eq!(results, [("b.json", false), ("a.json", true), ("Pasted text", false)], "the code is a duplicate");
        let merged_pm = merged.postmortem.expect("changed");
        assert_eq!(merged_pm.invitations[0].contributions.len(), 1);
        assert!(pm.invitations[0].contributions.is_empty(), "the editor's copy is left to the caller");
        let nothing = merge_contributions(&library, &merged_pm, &offered[..1], Vec::new());
        assert_eq!(nothing.postmortem, None);
    }

    #[test]
    fn a_contribution_is_finished_only_when_it_can_be_sent() {
        let inv = invitation();
        let empty = Contribution { id: ContributionId::random(), answers: Vec::new() };
        assert_eq!(finish_contribution(&inv, &empty, &mut OsRng), Err(FinishError::NoAnswer));
        let long = Contribution::new(&inv, &[(inv.questions[1].key.clone(), "x".repeat(MAX_ANSWER_CHARS + 1))]);
        assert_eq!(finish_contribution(&inv, &long, &mut OsRng), Err(FinishError::TooLong(2)));
        let fine = Contribution::new(&inv, &[(inv.questions[0].key.clone(), "It made sense".into())]);
        let finished = finish_contribution(&inv, &fine, &mut OsRng).expect("finished");
        assert!(finished.code.starts_with("DEBRIEF-CONTRIBUTION."));
    }

    #[test]
    fn a_draft_is_kept_while_it_has_answers() {
        let mut store = MemoryStore::new();
        let inv = invitation();
        let draft = Contribution::new(&inv, &[(inv.questions[0].key.clone(), "So far".into())]);
        keep_draft(&mut store, &inv, &draft).expect("kept");
        assert_eq!(kept_draft(&store, &inv).map(|d| d.answers), Some(draft.answers.clone()));
        keep_draft(&mut store, &inv, &Contribution { answers: Vec::new(), ..draft.clone() }).expect("cleared");
        assert_eq!(kept_draft(&store, &inv), None);
        keep_draft(&mut store, &inv, &draft).expect("kept");
        forget_drafts(&mut store).expect("wiped");
        assert_eq!(store.keys().map(|k| k.len()), Ok(0), "nothing of the contributor stays");
    }
}
