//! How much of the browser's storage Debrief uses, and how much room is left, measured by
//! writing rather than guessed: browsers do not say how large localStorage is.

use super::{KeyValueStore, StorageError, keys};

/// The key written while measuring the room left. It does not start with `debrief.`, so
/// other tabs do not take the probe for a change to the library.
pub const PROBE_KEY: &str = "~debrief-room-probe";

/// What the stored entries take, in characters (keys and values, as browsers count them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    /// Every entry of this origin, Debrief's or not.
    pub total: usize,
    /// Postmortem documents (the trash included), and how many there are.
    pub documents: usize,
    pub document_count: usize,
    /// The library index, templates, keys, and everything else under `debrief.`.
    pub other_debrief: usize,
}

impl Usage {
    /// The average size of one postmortem document, if there are any.
    pub fn average_document(&self) -> Option<usize> {
        self.documents.checked_div(self.document_count)
    }
}

/// Adds up what is stored now.
pub fn usage(store: &impl KeyValueStore) -> Result<Usage, StorageError> {
    let mut usage = Usage::default();
    for key in store.keys()? {
        if key == PROBE_KEY {
            continue;
        }
        let size = key.chars().count() + store.get(&key)?.map_or(0, |v| v.chars().count());
        usage.total += size;
        if keys::document_id(&key).is_some() {
            usage.documents += size;
            usage.document_count += 1;
        } else if key.starts_with("debrief.") {
            usage.other_debrief += size;
        }
    }
    Ok(usage)
}

/// How many more characters fit, found by writing a probe entry of growing then halving
/// size until the largest that fits is known (to within `precision` characters), then
/// removing it. The probe is removed on every path.
pub fn measure_room(store: &mut impl KeyValueStore, precision: usize) -> Result<usize, StorageError> {
    let _ = store.remove(PROBE_KEY);
    let mut fits = |n: usize| -> Result<bool, StorageError> {
        match store.set(PROBE_KEY, &"x".repeat(n)) {
            Ok(()) => Ok(true),
            Err(StorageError::QuotaExceeded) => Ok(false),
            Err(e) => Err(e),
        }
    };
    let result = (|| {
        // Grow until a write fails, from 64 K characters (a hard ceiling of 1 G stops a
        // store without any quota).
        let (mut low, mut high) = (0usize, 64 * 1024);
        while fits(high)? {
            low = high;
            if high >= 1 << 30 {
                return Ok(low);
            }
            high *= 2;
        }
        while high - low > precision.max(1) {
            let middle = low + (high - low) / 2;
            if fits(middle)? {
                low = middle;
            } else {
                high = middle;
            }
        }
        Ok(low)
    })();
    store.remove(PROBE_KEY)?;
    // The probe's own key takes room too.
    result.map(|room: usize| room + PROBE_KEY.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::MemoryStore;

    #[test]
    fn usage_counts_documents_apart() {
        let mut store = MemoryStore::default();
        let id = crate::domain::PostmortemId::random();
        store.set(&keys::document(&id), "0123456789").expect("set");
        store.set(keys::INDEX, "abc").expect("set");
        store.set("other-app", "zz").expect("set");
        let u = usage(&store).expect("usage");
        assert_eq!(u.document_count, 1);
        assert_eq!(u.documents, keys::document(&id).len() + 10);
        assert_eq!(u.other_debrief, keys::INDEX.len() + 3);
        assert_eq!(u.total, u.documents + u.other_debrief + "other-app".len() + 2);
        assert_eq!(u.average_document(), Some(u.documents));
    }

    #[test]
    fn the_room_left_is_measured_and_the_probe_removed() {
        let mut store = MemoryStore::with_quota(300_000);
        store.set("debrief.index", &"i".repeat(50_000)).expect("set");
        let used = usage(&store).expect("usage").total;
        let room = measure_room(&mut store, 16).expect("measured");
        let exact = 300_000 - used;
        assert!(room <= exact && exact - room <= 16, "{room} vs {exact}");
        assert_eq!(store.get(PROBE_KEY), Ok(None));
        assert_eq!(usage(&store).expect("usage").total, used, "nothing left behind");
    }

    #[test]
    fn a_broken_store_reports_its_error() {
        let mut store = MemoryStore::unavailable();
        assert!(matches!(measure_room(&mut store, 16), Err(StorageError::Unavailable(_))));
    }
}
