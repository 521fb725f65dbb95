//! An in-memory key-value store for tests, with an optional quota like a browser's.

use super::{KeyValueStore, StorageError};
use std::collections::BTreeMap;

/// Keeps entries in a map; counts characters of keys plus values against a quota.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    entries: BTreeMap<String, String>,
    quota_chars: Option<usize>,
    unavailable: bool,
}

impl MemoryStore {
    /// An empty store without a quota.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty store that refuses writes past `chars` characters of keys plus values.
    pub fn with_quota(chars: usize) -> Self {
        Self { quota_chars: Some(chars), ..Self::default() }
    }

    /// A store that behaves like disabled browser storage: every call fails.
    pub fn unavailable() -> Self {
        Self { unavailable: true, ..Self::default() }
    }

    fn used_chars(&self) -> usize {
        self.entries.iter().map(|(k, v)| k.chars().count() + v.chars().count()).sum()
    }

    fn check(&self) -> Result<(), StorageError> {
        if self.unavailable {
            Err(StorageError::Unavailable("storage is disabled in this test".into()))
        } else {
            Ok(())
        }
    }
}

impl KeyValueStore for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.check()?;
        Ok(self.entries.get(key).cloned())
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StorageError> {
        self.check()?;
        if let Some(quota) = self.quota_chars {
            let replaced = self.entries.get(key).map_or(0, |old| key.chars().count() + old.chars().count());
            let after = self.used_chars() - replaced + key.chars().count() + value.chars().count();
            if after > quota {
                return Err(StorageError::QuotaExceeded);
            }
        }
        self.entries.insert(key.to_owned(), value.to_owned());
        Ok(())
    }

    fn remove(&mut self, key: &str) -> Result<(), StorageError> {
        self.check()?;
        self.entries.remove(key);
        Ok(())
    }

    fn keys(&self) -> Result<Vec<String>, StorageError> {
        self.check()?;
        Ok(self.entries.keys().cloned().collect())
    }
}
