//! Rows of the postmortem's lists in the editor: reading and changing one row by id, one
//! signal per drawn row, and long lists drawn a screenful first and the rest in steps.

use crate::domain::{ItemId, Postmortem, Row};
use leptos::prelude::*;
use std::collections::HashMap;
use std::time::Duration;

/// Reads from the row `id` of one of the postmortem's lists; `None` once it is removed.
pub(super) fn read_row<T: Row, R>(
    pm: RwSignal<Postmortem>,
    list: impl FnOnce(&Postmortem) -> &Vec<T>,
    id: ItemId,
    read: impl FnOnce(&T) -> R,
) -> Option<R> {
    pm.with(|p| list(p).iter().find(|row| row.id() == id).map(read))
}

/// How many rows of a long list are drawn when the editor opens, and then per step.
const FIRST_ROWS: usize = 8;
const MORE_ROWS: usize = 20;

/// The ids of the rows to draw, of a list whose ids are `ids`. A long list is drawn a
/// screenful first and the rest in steps just after, between which the browser paints
/// and handles input: a postmortem with hundreds of events opens at once, and its later
/// rows appear within a fraction of a second. From then on every row is drawn.
pub(super) fn drawn_in_steps(ids: Memo<Vec<ItemId>>) -> Signal<Vec<ItemId>> {
    fn more(limit: RwSignal<usize>, ids: Memo<Vec<ItemId>>) {
        set_timeout(
            move || {
                // Gone with the editor: nothing left to draw.
                let (Some(now), Some(len)) = (limit.try_get_untracked(), ids.try_with_untracked(Vec::len)) else {
                    return;
                };
                if now + MORE_ROWS >= len {
                    limit.set(usize::MAX);
                } else {
                    limit.set(now + MORE_ROWS);
                    more(limit, ids);
                }
            },
            Duration::ZERO,
        );
    }
    let long = ids.with_untracked(Vec::len) > FIRST_ROWS;
    let limit = RwSignal::new(if long { FIRST_ROWS } else { usize::MAX });
    if long {
        more(limit, ids);
    }
    Signal::derive(move || {
        let n = limit.get();
        ids.with(|all| if n >= all.len() { all.clone() } else { all[..n].to_vec() })
    })
}

/// One signal per drawn row of one of the postmortem's lists, each set only when its own
/// row changes. The postmortem is one signal, so anything that follows it wakes on every
/// keystroke anywhere; a 300-event timeline whose rows followed it (even through memos)
/// woke thousands of bindings per keystroke (27 ms a keystroke in the benchmark, against
/// 13 ms with this). Here one effect per list compares the rows with what each row's
/// signal holds, and only a row that differs is set: a deliberate exception to deriving
/// instead of writing a second signal from an effect.
pub(super) struct RowSignals<T: Send + Sync + 'static> {
    pm: RwSignal<Postmortem>,
    list: fn(&Postmortem) -> &Vec<T>,
    rows: StoredValue<HashMap<ItemId, RwSignal<Option<T>>>>,
}

impl<T: Send + Sync + 'static> Clone for RowSignals<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for RowSignals<T> {}

impl<T: Row + Clone + PartialEq + Send + Sync + 'static> RowSignals<T> {
    /// Made by the list's card, before its rows.
    pub fn new(pm: RwSignal<Postmortem>, list: fn(&Postmortem) -> &Vec<T>) -> Self {
        let rows = StoredValue::new(HashMap::<ItemId, RwSignal<Option<T>>>::new());
        Effect::new(move || {
            pm.with(|p| {
                rows.try_with_value(|signals| {
                    for row in list(p) {
                        let Some(signal) = signals.get(&row.id()) else { continue };
                        if signal.try_with_untracked(|held| held.as_ref() != Some(row)).unwrap_or(false) {
                            signal.set(Some(row.clone()));
                        }
                    }
                });
            })
        });
        Self { pm, list, rows }
    }

    /// The ids of the list's rows in order, changing only when rows come, go or move.
    pub fn ids(self) -> Memo<Vec<ItemId>> {
        Memo::new(move |_| self.pm.with(|p| (self.list)(p).iter().map(Row::id).collect()))
    }

    /// The row `id` for its component: created with the component and dropped with it
    /// (`None` only if the row was already gone when the component was made).
    pub fn row(self, id: ItemId) -> ReadSignal<Option<T>> {
        let signal =
            RwSignal::new(self.pm.with_untracked(|p| (self.list)(p).iter().find(|row| row.id() == id).cloned()));
        self.rows.update_value(|signals| {
            signals.insert(id, signal);
        });
        // The list's card may be gone first, taking the registry with it.
        on_cleanup(move || {
            let _ = self.rows.try_update_value(|signals| {
                if signals.get(&id) == Some(&signal) {
                    signals.remove(&id);
                }
            });
        });
        signal.read_only()
    }
}

/// Changes the row `id` of one of the postmortem's lists, if it is still there.
pub(super) fn edit_row<T: Row>(
    pm: RwSignal<Postmortem>,
    list: impl FnOnce(&mut Postmortem) -> &mut Vec<T>,
    id: ItemId,
    edit: impl FnOnce(&mut T),
) {
    pm.update(|p| {
        if let Some(row) = list(p).iter_mut().find(|row| row.id() == id) {
            edit(row)
        }
    });
}
