//! Property tests of the TGK sharing schemes: any threshold-sized set of shares, in any order,
//! gives the secret back; one altered spare share never changes what `recover_with_check`
//! returns.

use dmikey::sharing::{Scheme, combine, recover_with_check, split, threshold};
use proptest::prelude::*;
use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

fn scheme() -> impl Strategy<Value = Scheme> {
    prop::sample::select(Scheme::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_threshold_set_in_any_order_rebuilds(
        scheme in scheme(),
        secret in prop::collection::vec(any::<u8>(), 1..48),
        n in 1u8..=16,
        k_seed in any::<u8>(),
        seed in any::<u64>(),
        order in any::<prop::sample::Index>(),
    ) {
        let k = 1 + k_seed % n;
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let mut shares = split(scheme, &secret, n, k, &mut rng).unwrap();
        // Keep a rotated suffix of t shares, reversed.
        let t = usize::from(threshold(scheme, n, k));
        let r = order.index(shares.len());
        shares.rotate_left(r);
        shares.truncate(t);
        shares.reverse();
        let back = combine(scheme, &shares, n, k, secret.len()).unwrap();
        prop_assert_eq!(back.as_slice(), secret.as_slice());
        shares.pop();
        prop_assert!(combine(scheme, &shares, n, k, secret.len()).is_err());
    }

    #[test]
    fn a_forged_spare_share_never_changes_the_recovered_secret(
        scheme in scheme(),
        secret in prop::collection::vec(any::<u8>(), 1..48),
        n in 2u8..=12,
        k_seed in any::<u8>(),
        seed in any::<u64>(),
        victim in any::<prop::sample::Index>(),
        byte in any::<prop::sample::Index>(),
        flip in 1u8..=255,
    ) {
        prop_assume!(scheme != Scheme::Xor);
        let k = 1 + k_seed % (n - 1);
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let mut shares = split(scheme, &secret, n, k, &mut rng).unwrap();
        let v = victim.index(shares.len());
        let b = byte.index(shares[v].data.len());
        shares[v].data[b] ^= flip;
        let bad_index = shares[v].index;
        let r = recover_with_check(scheme, &shares, n, k, secret.len(), |c| c == secret.as_slice()).unwrap();
        prop_assert_eq!(r.secret.as_slice(), secret.as_slice());
        prop_assert!(!r.used.contains(&bad_index));
        prop_assert!(r.rejected == vec![bad_index]);
    }
}
