//! A contributor's unfinished answers, kept in the tab's session storage so a reload does
//! not lose them, and removed as soon as they finish or discard.

use super::{KeyValueStore, StorageError, keys};
use crate::domain::contribution::{Contribution, InvitationId};
use crate::file_format::contribution::{ReceivedContent, draft_file, read_contribution_file};

fn key(invitation: InvitationId) -> String {
    format!("{}{invitation}", keys::CONTRIBUTION_DRAFT_PREFIX)
}

/// The draft for `invitation`, if one is kept and readable.
pub fn load(store: &impl KeyValueStore, invitation: InvitationId) -> Option<Contribution> {
    let text = store.get(&key(invitation)).ok().flatten()?;
    let received = read_contribution_file(&text).ok()?;
    match received.content {
        ReceivedContent::Open(c) if received.invitation == invitation => Some(c),
        _ => None,
    }
}

/// Keeps `draft` for `invitation`, replacing the one kept before.
pub fn save(
    store: &mut impl KeyValueStore,
    invitation: InvitationId,
    draft: &Contribution,
) -> Result<(), StorageError> {
    let text = draft_file(invitation, draft).map_err(|e| StorageError::WriteFailed(e.to_string()))?;
    store.set(&key(invitation), &text)
}

/// Removes every draft kept in this store (there is at most one per invitation).
pub fn clear(store: &mut impl KeyValueStore) -> Result<(), StorageError> {
    for k in store.keys()? {
        if k.starts_with(keys::CONTRIBUTION_DRAFT_PREFIX) {
            store.remove(&k)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::contribution::Invitation;
    use crate::domain::{Postmortem, PostmortemId};
    use crate::storage::MemoryStore;

    #[test]
    fn a_draft_survives_until_cleared() {
        let inv = Invitation::for_postmortem(&Postmortem::new(PostmortemId::random(), chrono::Utc::now()));
        let mut store = MemoryStore::default();
        assert_eq!(load(&store, inv.id), None);
        let draft = Contribution::new(&inv, &[("q2".into(), "I restarted it".into())]);
        save(&mut store, inv.id, &draft).expect("kept");
        assert_eq!(load(&store, inv.id), Some(draft));
        store.set("unrelated", "kept").expect("set");
        clear(&mut store).expect("cleared");
        assert_eq!(load(&store, inv.id), None);
        assert_eq!(store.keys(), Ok(vec!["unrelated".to_owned()]));
    }

    #[test]
    fn a_damaged_draft_is_ignored() {
        let inv = Invitation::for_postmortem(&Postmortem::new(PostmortemId::random(), chrono::Utc::now()));
        let mut store = MemoryStore::default();
        store.set(&key(inv.id), "{not json").expect("planted");
        assert_eq!(load(&store, inv.id), None);
    }
}
