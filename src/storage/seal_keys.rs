//! The keys that open sealed contributions: all of them under one key, as a [`lists`] list.
//! They never leave this browser except in a full backup.

use super::lists::{self, EnvelopeList};
use super::{KeyValueStore, StorageError, keys};
use crate::file_format::Envelope;
use crate::file_format::contribution::SealKey;

impl EnvelopeList for SealKey {
    const KEY: &'static str = keys::SEAL_KEYS;

    fn take(envelope: Envelope) -> Vec<Self> {
        envelope.keys
    }

    fn wrap(list: Vec<Self>) -> Envelope {
        Envelope { keys: list, ..Envelope::with_postmortems(Vec::new()) }
    }
}

/// Every stored key.
pub fn load(store: &impl KeyValueStore) -> Result<Vec<SealKey>, StorageError> {
    lists::load(store)
}

/// Adds the keys in `incoming` whose invitations have none stored yet; returns how many.
pub fn add(store: &mut impl KeyValueStore, incoming: Vec<SealKey>) -> Result<usize, StorageError> {
    let stored = load(store)?;
    let mut new: Vec<SealKey> = Vec::new();
    for key in incoming {
        if !stored.iter().chain(&new).any(|k| k.invitation == key.invitation) {
            new.push(key);
        }
    }
    let count = new.len();
    if count > 0 {
        lists::change(store, |list| list.extend(new))?;
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::contribution::InvitationId;
    use crate::storage::MemoryStore;
    use crypto_box::aead::OsRng;

    #[test]
    fn keys_are_added_once_and_never_replaced() {
        let mut store = MemoryStore::default();
        let (a, _) = SealKey::generate(InvitationId::random(), &mut OsRng);
        let (b, _) = SealKey::generate(InvitationId::random(), &mut OsRng);
        assert_eq!(add(&mut store, vec![a.clone()]), Ok(1));
        let (other_a, _) = SealKey::generate(a.invitation, &mut OsRng);
        assert_eq!(add(&mut store, vec![other_a, b.clone(), b.clone()]), Ok(1));
        assert_eq!(load(&store), Ok(vec![a, b]));
    }

    #[test]
    fn an_unreadable_key_list_is_kept_as_it_is() {
        let mut store = MemoryStore::default();
        store.set(keys::SEAL_KEYS, "{oops").expect("planted");
        let (a, _) = SealKey::generate(InvitationId::random(), &mut OsRng);
        assert!(matches!(add(&mut store, vec![a]), Err(StorageError::Corrupt { .. })));
        assert_eq!(store.get(keys::SEAL_KEYS), Ok(Some("{oops".to_owned())));
    }
}
