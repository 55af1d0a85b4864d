//! Small helpers shared by the layers. [`sort_small_by_key`] replaces the standard library's
//! sorts for the crate's short lists (packets in flight, snapshots, at most 255 shares): each
//! `sort`/`sort_by_key` instantiates a driftsort or ipnsort of a few KB in the browser wasm,
//! while an insertion sort is a few dozen bytes and fast enough at these lengths.

/// Stable insertion sort of `v` by `key` (quadratic: for lists of at most a few hundred items).
pub(crate) fn sort_small_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 {
            let (Some(a), Some(b)) = (v.get(j - 1), v.get(j)) else { break };
            if key(a) <= key(b) {
                break;
            }
            v.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// Inserts `x` into the sorted `v` at its place, unless it is already there.
pub(crate) fn insert_sorted<T: Ord>(v: &mut Vec<T>, x: T) {
    if let Err(at) = v.binary_search(&x) {
        v.insert(at, x);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_by_key_and_keeps_equal_keys_in_order() {
        let mut v = vec![(3, 'a'), (1, 'b'), (2, 'c'), (1, 'd'), (0, 'e'), (3, 'f')];
        sort_small_by_key(&mut v, |p| p.0);
        assert_eq!(v, [(0, 'e'), (1, 'b'), (1, 'd'), (2, 'c'), (3, 'a'), (3, 'f')]);
        let mut desc: Vec<u8> = (0..=255).rev().collect();
        sort_small_by_key(&mut desc, |x| *x);
        assert!(desc.windows(2).all(|w| w[0] < w[1]));
        let mut empty: Vec<u8> = vec![];
        sort_small_by_key(&mut empty, |x| *x);
        assert!(empty.is_empty());
    }

    #[test]
    fn insert_sorted_keeps_order_and_no_duplicate() {
        let mut v = vec![];
        for x in [5, 1, 3, 5, 0, 3, 9] {
            insert_sorted(&mut v, x);
        }
        assert_eq!(v, [0, 1, 3, 5, 9]);
    }
}
