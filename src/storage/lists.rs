//! Small lists kept whole under one key, in the same envelope files use (custom templates,
//! sealing keys). Each change reads what is stored at that moment (another tab may have
//! written since), applies the change, writes it back and checks it reads back the same.
//! A stored list that cannot be read is never written over.

use super::{KeyValueStore, StorageError};
use crate::file_format::Envelope;

/// Which list of the envelope a key holds.
pub trait EnvelopeList: Sized {
    /// The key the list lives under.
    const KEY: &'static str;
    /// The list, out of a read envelope.
    fn take(envelope: Envelope) -> Vec<Self>;
    /// An envelope holding just `list`.
    fn wrap(list: Vec<Self>) -> Envelope;
}

/// Every item stored, in the order they were added.
pub fn load<T: EnvelopeList>(store: &impl KeyValueStore) -> Result<Vec<T>, StorageError> {
    let Some(text) = store.get(T::KEY)? else {
        return Ok(Vec::new());
    };
    Envelope::parse(&text)
        .map(T::take)
        .map_err(|e| StorageError::Corrupt { key: T::KEY.to_owned(), reason: e.to_string() })
}

/// Applies `change` to the stored list and writes it back, checking it reads back the same.
/// Refuses (with `Corrupt`) when the stored list cannot be read, so it is never written over.
pub fn change<T: EnvelopeList>(
    store: &mut impl KeyValueStore,
    change: impl FnOnce(&mut Vec<T>),
) -> Result<(), StorageError> {
    let mut list = load::<T>(store)?;
    change(&mut list);
    let text = T::wrap(list).to_json().map_err(|e| StorageError::WriteFailed(e.to_string()))?;
    store.set(T::KEY, &text)?;
    if store.get(T::KEY)?.as_deref() != Some(text.as_str()) {
        return Err(StorageError::VerifyFailed);
    }
    Ok(())
}
