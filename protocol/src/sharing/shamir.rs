//! Shamir's (k, n) threshold scheme over GF(2^8) with the AES polynomial 0x11B
//! (docs/distributed-mode.md, "Why not the paper's Reed–Solomon"):
//! for every TGK byte b a fresh polynomial f_b(x) = TGK[b] + a1[b]·x + … + a(k−1)[b]·x^(k−1)
//! with random coefficients; share i holds f_b(i) for every b (x = index, never 0). Any k
//! shares give f_b(0) = TGK[b] by Lagrange interpolation; k − 1 shares are consistent with
//! every possible TGK, so they reveal nothing.

use rand_core::CryptoRng;
use zeroize::Zeroizing;

use super::Share;
use super::gf256::{add, div, mul};
use crate::Error;

/// Splits with coefficients drawn from `rng`. Parameters are validated by the caller.
pub(crate) fn split<R: CryptoRng + ?Sized>(
    secret: &[u8],
    n: u8,
    k: u8,
    rng: &mut R,
) -> Result<Vec<Share>, Error> {
    let rows: Vec<Zeroizing<Vec<u8>>> = (1..k)
        .map(|_| {
            let mut row = Zeroizing::new(vec![0u8; secret.len()]);
            rng.fill_bytes(&mut row);
            row
        })
        .collect();
    let refs: Vec<&[u8]> = rows.iter().map(|r| r.as_slice()).collect();
    split_with_coefficients(secret, n, k, &refs)
}

/// Splits with the given coefficients: `coefficients[j - 1][b]` is a_j[b], for j = 1..k−1. **For
/// test vectors only** (the fixed-coefficient example of docs/distributed-mode.md): real sessions
/// must use [`super::split`], which draws fresh random coefficients.
pub fn split_with_coefficients(
    secret: &[u8],
    n: u8,
    k: u8,
    coefficients: &[&[u8]],
) -> Result<Vec<Share>, Error> {
    super::check_parameters(super::Scheme::Shamir, n, k, secret.len())?;
    if coefficients.len() != usize::from(k) - 1 {
        return Err(Error::ShareLengthMismatch {
            index: 0,
            expected: usize::from(k) - 1,
            found: coefficients.len(),
        });
    }
    if let Some(bad) = coefficients.iter().find(|row| row.len() != secret.len()) {
        return Err(Error::ShareLengthMismatch {
            index: 0,
            expected: secret.len(),
            found: bad.len(),
        });
    }
    Ok((1..=n)
        .map(|x| {
            let data = secret
                .iter()
                .enumerate()
                .map(|(b, &s)| {
                    // Horner: ((a(k−1)·x + a(k−2))·x + …)·x + TGK[b].
                    let mut acc = 0u8;
                    for row in coefficients.iter().rev() {
                        acc = add(mul(acc, x), row.get(b).copied().unwrap_or(0));
                    }
                    add(mul(acc, x), s)
                })
                .collect();
            Share { index: x, data }
        })
        .collect())
}

/// The value at `x` of the polynomials through `subset` (validated: distinct non-zero
/// indices, equal lengths). At x = 0 that is the secret; at x = j it is the share j that
/// `subset` implies.
pub(crate) fn interpolate_at(subset: &[&Share], x: u8, len: usize) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(vec![0u8; len]);
    for (i, share) in subset.iter().enumerate() {
        // λ_i(x) = Π_{j≠i} (x − x_j) / (x_i − x_j); the indices are public.
        let mut lambda = 1u8;
        for (j, other) in subset.iter().enumerate() {
            if i != j {
                lambda = mul(lambda, div(add(x, other.index), add(share.index, other.index)));
            }
        }
        for (o, &y) in out.iter_mut().zip(share.data.iter()) {
            *o = add(*o, mul(lambda, y));
        }
    }
    out
}
