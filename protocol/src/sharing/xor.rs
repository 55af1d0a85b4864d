//! XOR n-of-n splitting: shares 1..n−1 are random and share n = TGK ⊕ s1 ⊕ … ⊕ s(n−1). All n
//! shares are needed; any n − 1 are uniformly random and reveal nothing. No loss tolerance.

use rand_core::CryptoRng;
use zeroize::Zeroizing;

use super::Share;

/// Splits into n shares (n ≥ 1, validated by the caller).
pub(crate) fn split<R: CryptoRng + ?Sized>(secret: &[u8], n: u8, rng: &mut R) -> Vec<Share> {
    let mut last = Zeroizing::new(secret.to_vec());
    let mut shares: Vec<Share> = (1..n)
        .map(|index| {
            let mut data = vec![0u8; secret.len()];
            rng.fill_bytes(&mut data);
            for (l, d) in last.iter_mut().zip(&data) {
                *l ^= d;
            }
            Share { index, data }
        })
        .collect();
    shares.push(Share { index: n, data: last.to_vec() });
    shares
}

/// XOR of all shares (the caller checked that all n are present).
pub(crate) fn combine(shares: &[&Share], len: usize) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(vec![0u8; len]);
    for share in shares {
        for (o, d) in out.iter_mut().zip(&share.data) {
            *o ^= d;
        }
    }
    out
}
