//! How full the browser's storage is, shared through context: measured by writing on the
//! storage page, estimated from the last measure elsewhere.

use super::{Library, explain, unless_closed};
use crate::app::library::Capacity;
use leptos::prelude::*;

/// The room the library takes and has left, once measured or estimated.
#[derive(Clone, Copy)]
pub struct Room {
    library: Library,
    pub capacity: RwSignal<Option<Capacity>>,
}

impl Room {
    /// Room for `library`, not measured yet.
    pub fn new(library: Library) -> Self {
        Self { library, capacity: RwSignal::new(None) }
    }

    /// The room provided to every page (see [`super::Shared`]).
    pub fn expect() -> Self {
        super::Shared::expect().room
    }

    /// Measures by writing (a fraction of a second with a large library).
    pub fn measure(&self) -> Result<Capacity, String> {
        self.keep(unless_closed(self.library.change(|s| s.measure())).map_err(|e| explain(&e)))
    }

    /// From the size measured before when there is one (cheap), else measured now.
    pub fn estimate(&self) -> Result<Capacity, String> {
        self.keep(unless_closed(self.library.change(|s| s.estimate())).map_err(|e| explain(&e)))
    }

    fn keep(&self, found: Result<Capacity, String>) -> Result<Capacity, String> {
        if let Ok(capacity) = &found {
            let _ = self.capacity.try_set(Some(*capacity));
        }
        found
    }
}
