//! Small settings that belong to this browser rather than to any postmortem: the colour
//! theme and which one-time notes were dismissed. Never exported, never part of a backup.

use super::{KeyValueStore, StorageError, keys};

/// The colour theme the person chose; `System` follows the operating system's setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    /// The stored word, also the value of `data-theme` on the page (`System` sets none).
    pub fn key(self) -> &'static str {
        match self {
            Self::System => "system",
            Self::Light => "light",
            Self::Dark => "dark",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::System => "Follow the system",
            Self::Light => "Light",
            Self::Dark => "Dark",
        }
    }

    /// The theme a stored word names; anything unknown falls back to the system's setting.
    pub fn from_key(key: &str) -> Self {
        Self::ALL.into_iter().find(|t| t.key() == key.trim()).unwrap_or_default()
    }
}

/// The theme chosen in this browser (the system's when none was chosen or it cannot be read).
pub fn theme(store: &impl KeyValueStore) -> Theme {
    store.get(keys::THEME).ok().flatten().map(|t| Theme::from_key(&t)).unwrap_or_default()
}

/// Remembers `theme`; choosing the system's setting forgets any earlier choice.
pub fn set_theme(store: &mut impl KeyValueStore, theme: Theme) -> Result<(), StorageError> {
    match theme {
        Theme::System => store.remove(keys::THEME),
        other => store.set(keys::THEME, other.key()),
    }
}

/// Whether the first-run note (data stays in this browser; how to back it up) was dismissed.
pub fn first_run_note_dismissed(store: &impl KeyValueStore) -> bool {
    store.get(keys::FIRST_RUN_NOTE).ok().flatten().is_some()
}

/// Remembers that the first-run note was dismissed.
pub fn dismiss_first_run_note(store: &mut impl KeyValueStore) -> Result<(), StorageError> {
    store.set(keys::FIRST_RUN_NOTE, "dismissed")
}

/// The name or role this browser's person signs reviews with ("" when none was given).
pub fn signature(store: &impl KeyValueStore) -> String {
    store.get(keys::SIGNATURE).ok().flatten().unwrap_or_default()
}

/// Remembers the name or role to sign reviews with; an empty one forgets it.
pub fn set_signature(store: &mut impl KeyValueStore, name: &str) -> Result<(), StorageError> {
    match name.trim() {
        "" => store.remove(keys::SIGNATURE),
        name => store.set(keys::SIGNATURE, name),
    }
}

/// The publication target when none was set: five working days.
pub const DEFAULT_PUBLISH_TARGET: u32 = 5;

/// The team's publication target in working days (1 to 60), as set in this browser.
pub fn publish_target(store: &impl KeyValueStore) -> u32 {
    store
        .get(keys::PUBLISH_TARGET)
        .ok()
        .flatten()
        .and_then(|t| t.trim().parse().ok())
        .filter(|d| (1..=60).contains(d))
        .unwrap_or(DEFAULT_PUBLISH_TARGET)
}

/// Remembers the publication target (clamped to 1 to 60 working days).
pub fn set_publish_target(store: &mut impl KeyValueStore, days: u32) -> Result<(), StorageError> {
    store.set(keys::PUBLISH_TARGET, &days.clamp(1, 60).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::MemoryStore;

    #[test]
    fn the_theme_is_remembered_and_system_forgets_it() {
        let mut store = MemoryStore::default();
        assert_eq!(theme(&store), Theme::System);
        set_theme(&mut store, Theme::Dark).expect("stored");
        assert_eq!(theme(&store), Theme::Dark);
        set_theme(&mut store, Theme::System).expect("stored");
        assert_eq!(store.get(keys::THEME), Ok(None));
        assert_eq!(theme(&store), Theme::System);
    }

    #[test]
    fn an_unknown_stored_theme_follows_the_system() {
        let mut store = MemoryStore::default();
        store.set(keys::THEME, "<script>").expect("stored");
        assert_eq!(theme(&store), Theme::System);
        for t in Theme::ALL {
            assert_eq!(Theme::from_key(t.key()), t);
        }
    }

    #[test]
    fn the_first_run_note_stays_dismissed() {
        let mut store = MemoryStore::default();
        assert!(!first_run_note_dismissed(&store));
        dismiss_first_run_note(&mut store).expect("stored");
        assert!(first_run_note_dismissed(&store));
    }

    #[test]
    fn the_signature_is_remembered_trimmed_and_forgotten_when_emptied() {
        let mut store = MemoryStore::default();
        assert_eq!(signature(&store), "");
        set_signature(&mut store, "  Priya Shah ").expect("stored");
        assert_eq!(signature(&store), "Priya Shah");
        set_signature(&mut store, " ").expect("stored");
        assert_eq!(store.get(keys::SIGNATURE), Ok(None));
    }

    #[test]
    fn the_publish_target_defaults_to_five_and_stays_in_range() {
        let mut store = MemoryStore::default();
        assert_eq!(publish_target(&store), 5);
        set_publish_target(&mut store, 10).expect("stored");
        assert_eq!(publish_target(&store), 10);
        set_publish_target(&mut store, 0).expect("stored");
        assert_eq!(publish_target(&store), 1);
        store.set(keys::PUBLISH_TARGET, "lots").expect("stored");
        assert_eq!(publish_target(&store), 5);
    }
}
