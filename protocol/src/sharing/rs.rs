//! The paper's systematic Reed–Solomon erasure code, through the `reed-solomon-erasure` crate
//! (Backblaze construction: GF(2^8) with the field 0x11D, generator matrix the n × k
//! Vandermonde matrix times the inverse of its top k × k square, so its first k rows are the
//! identity). A byte string is cut into k data shards of ⌈len/k⌉ bytes (zero padded at the
//! end) and n − k parity shards are added; any k shards give the data back. Used as is by
//! [`Scheme::PaperRs`](super::Scheme::PaperRs) and on the AONT package by
//! [`Scheme::AontRs`](super::Scheme::AontRs).
//!
//! **The field is ours, the code is the crate's.** The crate is generic over its `Field` trait;
//! we give it [`CtField`], the same GF(2^8) modulo 0x11D as the crate's `galois_8` (every
//! product, quotient and power equal: tested), whose multiplication — the one operation applied
//! to data bytes (TGK slices, AONT-RS packages) — is the constant-time shift-and-add of
//! [`super::gf256::rsf`] instead of `galois_8`'s 64 KB table indexed by the data, a cache-timing
//! channel on secret bytes. Division and powers only ever touch the public code matrices and
//! use the small log/exp tables. (Dropping that table also takes 63 KB off the page, which
//! could not compress it.)

use zeroize::{Zeroize, Zeroizing};

use super::Share;
use super::gf256::rsf;
use crate::Error;

/// GF(2^8) modulo x^8 + x^4 + x^3 + x^2 + 1 (0x11D), element i being the byte i: the field of
/// `reed_solomon_erasure::galois_8`, with a constant-time multiplication.
pub(crate) struct CtField;

impl reed_solomon_erasure::Field for CtField {
    const ORDER: usize = 256;
    type Elem = u8;

    fn add(a: u8, b: u8) -> u8 {
        a ^ b
    }

    /// Constant time: a matrix coefficient times a (secret) data byte.
    fn mul(a: u8, b: u8) -> u8 {
        rsf::mul_ct(a, b)
    }

    /// Public values only (pivots of the code matrices); b = 0 gives 0 (the crate checks
    /// pivots for zero and reports a singular matrix before it divides).
    fn div(a: u8, b: u8) -> u8 {
        rsf::div(a, b)
    }

    /// a^n on public values (the Vandermonde matrix).
    fn exp(a: u8, n: usize) -> u8 {
        rsf::pow(a, n)
    }

    fn zero() -> u8 {
        0
    }

    fn one() -> u8 {
        1
    }

    fn nth_internal(n: usize) -> u8 {
        // `nth` checks n < ORDER = 256 first.
        u8::try_from(n).unwrap_or(0)
    }
}

/// The crate's systematic code over [`CtField`].
type ReedSolomon = reed_solomon_erasure::ReedSolomon<CtField>;

/// A (k, n) systematic code. With n = k there is no parity (the crate wants at least one
/// parity shard): the shares are the data shards.
pub(crate) struct Codec {
    k: usize,
    n: usize,
    code: Option<ReedSolomon>,
}

/// Zeroizes shard buffers (they may hold TGK bytes) once they are no longer needed.
struct Shards(Vec<Option<Vec<u8>>>);

impl Drop for Shards {
    fn drop(&mut self) {
        for shard in self.0.iter_mut().flatten() {
            shard.zeroize();
        }
    }
}

fn erasure(e: reed_solomon_erasure::Error) -> Error {
    Error::ShareErasureCode { detail: format!("{e:?}") }
}

impl Codec {
    /// `n` and `k` are already validated (1 ≤ k ≤ n ≤ 255 < 256, the field's size).
    pub(crate) fn new(n: u8, k: u8) -> Result<Self, Error> {
        let (n, k) = (usize::from(n), usize::from(k));
        let code = if n > k { Some(ReedSolomon::new(k, n - k).map_err(erasure)?) } else { None };
        Ok(Codec { k, n, code })
    }

    /// Shard length for `len` bytes of data: ⌈len/k⌉.
    pub(crate) fn shard_len(k: u8, len: usize) -> usize {
        len.div_ceil(usize::from(k.max(1)))
    }

    /// The k data shards of `data`: consecutive slices of ⌈len/k⌉ bytes, zero padded.
    fn data_shards(&self, data: &[u8]) -> Shards {
        let s = data.len().div_ceil(self.k);
        Shards(
            (0..self.k)
                .map(|i| {
                    let mut shard = vec![0u8; s];
                    let start = (i * s).min(data.len());
                    let end = ((i + 1) * s).min(data.len());
                    if let (Some(dst), Some(src)) =
                        (shard.get_mut(..end - start), data.get(start..end))
                    {
                        dst.copy_from_slice(src);
                    }
                    Some(shard)
                })
                .collect(),
        )
    }

    /// All n shards of `data` (shard i has index i + 1; 1..=k are the data slices).
    pub(crate) fn encode(&self, data: &[u8]) -> Result<Vec<Share>, Error> {
        let s = data.len().div_ceil(self.k);
        let mut shards = self.data_shards(data);
        shards.0.resize(self.n, Some(vec![0u8; s]));
        if let Some(code) = &self.code {
            let mut all: Vec<&mut [u8]> =
                shards.0.iter_mut().flatten().map(Vec::as_mut_slice).collect();
            code.encode(&mut all).map_err(erasure)?;
        }
        Ok(shards
            .0
            .iter_mut()
            .zip(1..=u8::MAX)
            .map(|(shard, index)| Share { index, data: shard.take().unwrap_or_default() })
            .collect())
    }

    /// Rebuilds the whole codeword (all n shards, in index order) from at least k shares
    /// whose indices and lengths are already validated.
    pub(crate) fn codeword(
        &self,
        subset: &[&Share],
        shard_len: usize,
    ) -> Result<Vec<Zeroizing<Vec<u8>>>, Error> {
        let mut shards = Shards(vec![None; self.n]);
        for share in subset {
            if let Some(slot) = shards.0.get_mut(usize::from(share.index).wrapping_sub(1)) {
                *slot = Some(share.data.clone());
            }
        }
        let held = shards.0.iter().flatten().filter(|s| s.len() == shard_len).count();
        let missing = || Error::InsufficientShares {
            scheme: "the Reed–Solomon code",
            have: subset.len(),
            need: u8::try_from(self.k).unwrap_or(u8::MAX),
        };
        if held < self.k {
            return Err(missing());
        }
        if let Some(code) = &self.code {
            code.reconstruct(&mut shards.0).map_err(erasure)?;
        }
        shards
            .0
            .iter_mut()
            .map(|slot| match slot.take() {
                Some(shard) if shard.len() == shard_len => Ok(Zeroizing::new(shard)),
                _ => Err(missing()),
            })
            .collect()
    }

    /// The first `len` bytes of the data shards rebuilt from at least k shares, or `None` when
    /// the zero padding after them came back non-zero: then the shares are not a codeword of
    /// any honest split, even if the TGK bytes happen to be right.
    pub(crate) fn decode(
        &self,
        subset: &[&Share],
        len: usize,
    ) -> Result<Option<Zeroizing<Vec<u8>>>, Error> {
        let s = len.div_ceil(self.k);
        let all = self.codeword(subset, s)?;
        Ok(unpad(all.iter().take(self.k).map(|z| z.as_slice()), len))
    }

    /// Row `index` (0-based) of the generator matrix: shard index+1 as a combination of the k
    /// data shards, read from the crate by encoding the unit vectors (public values).
    pub(crate) fn generator_rows(&self) -> Result<Vec<Vec<u8>>, Error> {
        let k = self.k;
        // k data shards of k bytes each: shard i is the unit vector e_i, so byte c of shard p
        // is the matrix entry G[p][c].
        let unit: Vec<u8> = (0..k).flat_map(|i| (0..k).map(move |c| u8::from(i == c))).collect();
        Ok(self.encode(&unit)?.into_iter().map(|s| s.data.clone()).collect())
    }
}

/// The data shards joined and cut to `len` bytes, or `None` when a padding byte is not zero.
pub(crate) fn unpad<'a>(
    data_shards: impl Iterator<Item = &'a [u8]>,
    len: usize,
) -> Option<Zeroizing<Vec<u8>>> {
    let mut out = Zeroizing::new(Vec::new());
    for shard in data_shards {
        out.extend_from_slice(shard);
    }
    let padding = out.get(len..).unwrap_or_default().iter().fold(0u8, |acc, &b| acc | b);
    out.truncate(len);
    (padding == 0).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reed_solomon_erasure::Field;
    use reed_solomon_erasure::galois_8;

    #[test]
    fn the_constant_time_field_is_the_crates_galois_8() {
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                assert_eq!(CtField::mul(a, b), galois_8::mul(a, b), "{a} · {b}");
                if b != 0 {
                    assert_eq!(CtField::div(a, b), galois_8::div(a, b), "{a} / {b}");
                }
            }
            for n in 0..600 {
                assert_eq!(CtField::exp(a, n), galois_8::exp(a, n), "{a}^{n}");
            }
        }
        for n in 0..256 {
            assert_eq!(CtField::nth(n), galois_8::Field::nth(n));
        }
    }

    #[test]
    fn shards_are_those_of_the_crates_galois_8_code() {
        for (n, k) in [(3usize, 2usize), (5, 3), (8, 5), (16, 9), (40, 13), (255, 200)] {
            let s = 7;
            let data: Vec<Vec<u8>> = (0..k).map(|i| bytes(s, (i * 131 + n) as u32)).collect();
            let mut ours: Vec<Vec<u8>> = data.clone();
            ours.resize(n, vec![0; s]);
            let mut theirs = ours.clone();
            ReedSolomon::new(k, n - k).unwrap().encode(&mut ours).unwrap();
            galois_8::ReedSolomon::new(k, n - k).unwrap().encode(&mut theirs).unwrap();
            assert_eq!(ours, theirs, "({n}, {k})");
            // and rebuilding from the last k shards gives the same data back
            let mut held: Vec<Option<Vec<u8>>> = ours.iter().cloned().map(Some).collect();
            for slot in held.iter_mut().take(n - k) {
                *slot = None;
            }
            ReedSolomon::new(k, n - k).unwrap().reconstruct(&mut held).unwrap();
            assert_eq!(held.into_iter().flatten().collect::<Vec<_>>(), ours, "({n}, {k})");
        }
    }

    fn bytes(len: usize, seed: u32) -> Vec<u8> {
        (0..len)
            .map(|i| (seed.wrapping_mul(2_654_435_761).wrapping_add(i as u32 * 97) >> 7) as u8)
            .collect()
    }

    #[test]
    fn the_code_is_systematic_and_any_k_shards_rebuild_the_codeword() {
        for (n, k) in [(3u8, 2u8), (5, 3), (5, 5), (7, 4), (16, 9), (16, 16), (12, 1), (40, 13)] {
            for len in [1usize, 16, 33, 64] {
                let data = bytes(len, u32::from(n) * 31 + u32::from(k) + len as u32);
                let codec = Codec::new(n, k).unwrap();
                let shares = codec.encode(&data).unwrap();
                let s = len.div_ceil(usize::from(k));
                // systematic: the first k shards are the zero-padded slices
                let mut joined: Vec<u8> = shares[..usize::from(k)]
                    .iter()
                    .flat_map(|sh| sh.data.iter().copied())
                    .collect();
                assert!(joined[len..].iter().all(|&b| b == 0));
                joined.truncate(len);
                assert_eq!(joined, data);
                let (n, k) = (usize::from(n), usize::from(k));
                let subsets: Vec<Vec<usize>> = vec![
                    (0..k).collect(),
                    (n - k..n).collect(),
                    (0..n)
                        .filter(|i| i % 2 == 1)
                        .chain((0..n).filter(|i| i % 2 == 0))
                        .take(k)
                        .collect(),
                ];
                for subset in subsets {
                    let held: Vec<&Share> = subset.iter().map(|&i| &shares[i]).collect();
                    let all = codec.codeword(&held, s).unwrap();
                    for (i, sh) in shares.iter().enumerate() {
                        assert_eq!(all[i].as_slice(), sh.data.as_slice(), "n={n} k={k} {subset:?}");
                    }
                    assert_eq!(codec.decode(&held, len).unwrap().unwrap().as_slice(), &data[..]);
                    if k > 1 {
                        assert!(codec.codeword(&held[1..], s).is_err(), "k−1 shards are too few");
                    }
                }
            }
        }
    }

    #[test]
    fn generator_rows_start_with_the_identity_and_reproduce_every_shard() {
        let codec = Codec::new(7, 3).unwrap();
        let rows = codec.generator_rows().unwrap();
        assert_eq!(rows.len(), 7);
        for (i, row) in rows.iter().take(3).enumerate() {
            assert_eq!(row, &(0..3).map(|c| u8::from(c == i)).collect::<Vec<u8>>());
        }
        let data = bytes(3 * 5, 9);
        let shares = codec.encode(&data).unwrap();
        for (p, row) in rows.iter().enumerate() {
            for j in 0..5 {
                let byte = (0..3).fold(0u8, |acc, c| {
                    acc ^ crate::sharing::gf256::rsf::mul(row[c], data[c * 5 + j])
                });
                assert_eq!(byte, shares[p].data[j], "row {p} byte {j}");
            }
        }
    }
}
