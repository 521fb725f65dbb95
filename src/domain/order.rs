//! Sorting with one compiled sort for the whole app. Each `sort_by` on a new element type or
//! with a new comparison compiles a whole sorting algorithm into the wasm again (about 3 KB
//! each, twenty times over); these sort a list of positions instead, with a comparison
//! called through a pointer, so the algorithm is compiled once and each caller adds only a
//! few lines. The result is what a stable sort gives.

use std::cmp::Ordering;

/// Sorts `items` by `compare`, keeping equal items in the order they were (stable).
pub fn sort_by<T>(items: &mut Vec<T>, compare: impl Fn(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let order = {
        let view: &[T] = items;
        sorted_positions(view.len(), &|a, b| compare(&view[a], &view[b]))
    };
    let mut slots: Vec<Option<T>> = std::mem::take(items).into_iter().map(Some).collect();
    items.extend(order.into_iter().filter_map(|at| slots.get_mut(at).and_then(Option::take)));
}

/// Sorts `items` by the key `key` gives each, keeping equal items in order (stable).
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// The positions `0..len` in the order `compare` puts the items there in; ties keep their
/// first order, so the result is stable.
fn sorted_positions(len: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut positions: Vec<usize> = (0..len).collect();
    positions.sort_unstable_by(|&a, &b| compare(a, b).then(a.cmp(&b)));
    positions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorting_is_stable_and_agrees_with_the_standard_library() {
        let words = ["pear", "fig", "apple", "kiwi", "date", "plum", "lime", "fig", "yuzu", "nut"];
        for n in 0..=words.len() {
            let mut ours: Vec<(usize, &str)> = words[..n].iter().copied().enumerate().collect();
            let mut theirs = ours.clone();
            sort_by_key(&mut ours, |(_, w)| w.len());
            theirs.sort_by_key(|(_, w)| w.len());
            assert_eq!(ours, theirs, "by length, ties in their first order");
            sort_by(&mut ours, |a, b| b.1.cmp(a.1));
            theirs.sort_by(|a, b| b.1.cmp(a.1));
            assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn a_long_list_with_many_ties_sorts_as_a_stable_sort_does() {
        let mut state = 11u64;
        let mut ours: Vec<(u8, usize)> = (0..2_000)
            .map(|i| {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (((state >> 33) % 7) as u8, i)
            })
            .collect();
        let mut theirs = ours.clone();
        sort_by_key(&mut ours, |(k, _)| *k);
        theirs.sort_by_key(|(k, _)| *k);
        assert_eq!(ours, theirs);
        sort_by(&mut ours, |a, b| b.0.cmp(&a.0));
        theirs.sort_by_key(|a| std::cmp::Reverse(a.0));
        assert_eq!(ours, theirs);
    }

    #[test]
    fn floats_and_empty_lists_sort() {
        let mut values = vec![3.5, -1.0, f64::NAN, 0.0, 2.25];
        sort_by(&mut values, f64::total_cmp);
        assert_eq!(values[..4], [-1.0, 0.0, 2.25, 3.5]);
        assert!(values[4].is_nan());
        let mut none: Vec<u8> = Vec::new();
        sort_by_key(&mut none, |v| *v);
        assert!(none.is_empty());
    }
}
