//! The paper's systematic Reed–Solomon erasure code, bit for bit the one of the
//! `reed-solomon-erasure` crate (Backblaze construction, GF(2^8) with the field 0x11D): a byte
//! string is cut into k data shards of ⌈len/k⌉ bytes (zero padded at the end) and n − k parity
//! shards are added; any k shards give the data back. Used as is by
//! [`Scheme::PaperRs`](super::Scheme::PaperRs) and on the AONT package by
//! [`Scheme::AontRs`](super::Scheme::AontRs).
//!
//! The generator matrix is the crate's: the n × k Vandermonde matrix V (V[r][c] = r^c) times
//! the inverse of its top k × k square, so its first k rows are the identity. Implemented here
//! rather than linked because the crate's 64 KiB multiplication table alone was a sixth of the
//! browser download; secret bytes are multiplied in constant time ([`gf256::rsf::mul_ct`]),
//! only the public matrices use the small log/exp tables. A test checks every output against
//! the crate itself.

use zeroize::{Zeroize, Zeroizing};

use super::Share;
use super::gf256::rsf;
use crate::Error;

/// A (k, n) systematic code: k, n and the n − k parity rows of the generator matrix (k
/// coefficients each). With n = k there is no parity: the shares are the data shards.
pub(crate) struct Codec {
    k: usize,
    n: usize,
    parity: Vec<Vec<u8>>,
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

fn singular() -> Error {
    Error::ShareErasureCode { detail: "singular decoding matrix".into() }
}

/// The inverse of a square matrix over the field, by Gauss–Jordan elimination, or `None` when
/// it is singular (never for k distinct rows of the generator: the code is MDS).
fn invert(m: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    let size = m.len();
    let mut work: Vec<Vec<u8>> = m
        .iter()
        .enumerate()
        .map(|(r, row)| {
            let mut w = row.clone();
            w.extend((0..size).map(|c| u8::from(c == r)));
            w
        })
        .collect();
    for c in 0..size {
        let p =
            (c..size).find(|&r| work.get(r).and_then(|row| row.get(c)).is_some_and(|&v| v != 0))?;
        work.swap(c, p);
        let pivot_row: Vec<u8> = {
            let row = work.get(c)?;
            let inv = rsf::div(1, *row.get(c)?);
            row.iter().map(|&v| rsf::mul(v, inv)).collect()
        };
        for (r, row) in work.iter_mut().enumerate() {
            if r == c {
                row.clone_from(&pivot_row);
                continue;
            }
            let f = row.get(c).copied().unwrap_or(0);
            if f != 0 {
                for (v, &p) in row.iter_mut().zip(&pivot_row) {
                    *v ^= rsf::mul(f, p);
                }
            }
        }
    }
    Some(work.into_iter().map(|row| row.get(size..).unwrap_or_default().to_vec()).collect())
}

/// a · b for matrices over the field (public values).
fn multiply(a: &[Vec<u8>], b: &[Vec<u8>], cols: usize) -> Vec<Vec<u8>> {
    a.iter()
        .map(|row| {
            (0..cols)
                .map(|c| {
                    row.iter().zip(b).fold(0u8, |acc, (&x, brow)| {
                        acc ^ rsf::mul(x, brow.get(c).copied().unwrap_or(0))
                    })
                })
                .collect()
        })
        .collect()
}

/// out = Σ coef[c] · shards[c], byte by byte (the shards may be secret: constant-time mul).
fn combine_into(out: &mut [u8], coef: &[u8], shards: &[&[u8]]) {
    out.fill(0);
    for (&a, shard) in coef.iter().zip(shards) {
        for (o, &b) in out.iter_mut().zip(shard.iter()) {
            *o ^= rsf::mul_ct(a, b);
        }
    }
}

impl Codec {
    /// `n` and `k` are already validated (1 ≤ k ≤ n ≤ 255 < 256, the field's size).
    pub(crate) fn new(n: u8, k: u8) -> Result<Self, Error> {
        let (n, k) = (usize::from(n), usize::from(k));
        let parity = if n > k {
            let vandermonde: Vec<Vec<u8>> = (0..n)
                .map(|r| (0..k).map(|c| rsf::exp(u8::try_from(r).unwrap_or(0), c)).collect())
                .collect();
            let top_inv = invert(vandermonde.get(..k).unwrap_or_default()).ok_or_else(singular)?;
            multiply(vandermonde.get(k..).unwrap_or_default(), &top_inv, k)
        } else {
            Vec::new()
        };
        Ok(Codec { k, n, parity })
    }

    /// Row `index` (0-based) of the generator matrix.
    fn row(&self, index: usize) -> Vec<u8> {
        match index.checked_sub(self.k) {
            None => (0..self.k).map(|c| u8::from(c == index)).collect(),
            Some(p) => self.parity.get(p).cloned().unwrap_or_default(),
        }
    }

    /// Shard length for `len` bytes of data: ⌈len/k⌉.
    pub(crate) fn shard_len(k: u8, len: usize) -> usize {
        len.div_ceil(usize::from(k.max(1)))
    }

    /// All n shards of `data` (shard i has index i + 1; 1..=k are the data slices).
    pub(crate) fn encode(&self, data: &[u8]) -> Result<Vec<Share>, Error> {
        let s = data.len().div_ceil(self.k);
        let mut shards = Shards(
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
        );
        for coef in &self.parity {
            let mut shard = vec![0u8; s];
            let data: Vec<&[u8]> = shards.0.iter().flatten().map(Vec::as_slice).collect();
            combine_into(&mut shard, coef, &data);
            shards.0.push(Some(shard));
        }
        Ok(shards
            .0
            .iter_mut()
            .zip(1..=u8::MAX)
            .map(|(shard, index)| Share { index, data: shard.take().unwrap_or_default() })
            .collect())
    }

    /// Rebuilds the whole codeword (all n shards, in index order) from exactly k shares whose
    /// indices and lengths are already validated.
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
        self.reconstruct(&mut shards.0, shard_len)?;
        shards
            .0
            .iter_mut()
            .map(|slot| match slot.take() {
                Some(shard) if shard.len() == shard_len => Ok(Zeroizing::new(shard)),
                _ => Err(Error::InsufficientShares {
                    scheme: "the Reed–Solomon code",
                    have: subset.len(),
                    need: u8::try_from(self.k).unwrap_or(u8::MAX),
                }),
            })
            .collect()
    }

    /// Fills the missing shards from the first k present ones (as the library does): the data
    /// shards through the inverse of those k generator rows, then the missing parity from the
    /// data. Fewer than k shards, or shards of the wrong length, leave the gaps for the caller.
    fn reconstruct(&self, shards: &mut [Option<Vec<u8>>], shard_len: usize) -> Result<(), Error> {
        if shards.iter().all(Option::is_some) {
            return Ok(());
        }
        let present: Vec<usize> = (0..self.n)
            .filter(|&i| {
                shards.get(i).and_then(Option::as_ref).is_some_and(|s| s.len() == shard_len)
            })
            .take(self.k)
            .collect();
        if present.len() < self.k {
            return Ok(());
        }
        let mut data: Vec<Vec<u8>> = Vec::with_capacity(self.k);
        if (0..self.k).all(|i| present.contains(&i)) {
            data.extend(present.iter().filter_map(|&i| shards.get(i).cloned().flatten()));
        } else {
            let rows: Vec<Vec<u8>> = present.iter().map(|&i| self.row(i)).collect();
            let decode = invert(&rows).ok_or_else(singular)?;
            let held: Vec<&[u8]> =
                present.iter().filter_map(|&i| shards.get(i)?.as_deref()).collect();
            for coef in &decode {
                let mut shard = vec![0u8; shard_len];
                combine_into(&mut shard, coef, &held);
                data.push(shard);
            }
        }
        let data = Shards(data.into_iter().map(Some).collect());
        let data_refs: Vec<&[u8]> = data.0.iter().flatten().map(Vec::as_slice).collect();
        for (i, slot) in shards.iter_mut().enumerate() {
            if slot.is_none() {
                let mut shard = vec![0u8; shard_len];
                combine_into(&mut shard, &self.row(i), &data_refs);
                *slot = Some(shard);
            }
        }
        Ok(())
    }

    /// The first `len` bytes of the data shards rebuilt from exactly k shares, or `None` when
    /// the zero padding after them came back non-zero: then the k shares are not a codeword
    /// of any honest split, even if the TGK bytes happen to be right.
    pub(crate) fn decode(
        &self,
        subset: &[&Share],
        len: usize,
    ) -> Result<Option<Zeroizing<Vec<u8>>>, Error> {
        let s = len.div_ceil(self.k);
        let all = self.codeword(subset, s)?;
        let mut out = Zeroizing::new(Vec::with_capacity(self.k * s));
        for shard in all.iter().take(self.k) {
            out.extend_from_slice(shard);
        }
        let padding = out.get(len..).unwrap_or_default().iter().fold(0u8, |acc, &b| acc | b);
        out.truncate(len);
        Ok((padding == 0).then_some(out))
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use reed_solomon_erasure::galois_8::ReedSolomon;

    fn bytes(len: usize, seed: u32) -> Vec<u8> {
        (0..len)
            .map(|i| (seed.wrapping_mul(2_654_435_761).wrapping_add(i as u32 * 97) >> 7) as u8)
            .collect()
    }

    /// The crate's shards for `data` (same cutting and padding as [`Codec::encode`]).
    fn crate_shards(n: usize, k: usize, data: &[u8]) -> Vec<Vec<u8>> {
        let s = data.len().div_ceil(k);
        let mut shards: Vec<Vec<u8>> = (0..n)
            .map(|i| {
                let mut v = vec![0u8; s];
                if i < k {
                    let (a, b) = ((i * s).min(data.len()), ((i + 1) * s).min(data.len()));
                    v[..b - a].copy_from_slice(&data[a..b]);
                }
                v
            })
            .collect();
        if n > k {
            ReedSolomon::new(k, n - k).unwrap().encode(&mut shards).unwrap();
        }
        shards
    }

    #[test]
    fn shards_are_those_of_reed_solomon_erasure() {
        let mut cases = Vec::new();
        for n in 1..=20u8 {
            for k in 1..=n {
                cases.push((n, k));
            }
        }
        cases.extend([
            (255, 1),
            (255, 2),
            (255, 17),
            (255, 128),
            (255, 254),
            (255, 255),
            (200, 100),
        ]);
        for (case, &(n, k)) in cases.iter().enumerate() {
            for len in [1usize, 16, 32, 33, 61] {
                let data = bytes(len, case as u32 * 7 + len as u32);
                let ours: Vec<Vec<u8>> = Codec::new(n, k)
                    .unwrap()
                    .encode(&data)
                    .unwrap()
                    .into_iter()
                    .map(|s| s.data.clone())
                    .collect();
                assert_eq!(
                    ours,
                    crate_shards(usize::from(n), usize::from(k), &data),
                    "n={n} k={k} len={len}"
                );
            }
        }
    }

    #[test]
    fn reconstruction_matches_reed_solomon_erasure() {
        for (n, k) in [(3u8, 2u8), (5, 3), (7, 4), (16, 9), (16, 16), (12, 1), (40, 13)] {
            let data = bytes(32, u32::from(n) * 31 + u32::from(k));
            let codec = Codec::new(n, k).unwrap();
            let shares = codec.encode(&data).unwrap();
            let s = shares[0].data.len();
            // Several k-subsets: leading, trailing (parity first when possible), strided.
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
                let ours: Vec<Vec<u8>> =
                    codec.codeword(&held, s).unwrap().into_iter().map(|z| z.to_vec()).collect();
                let mut theirs: Vec<Option<Vec<u8>>> = vec![None; n];
                for &i in &subset {
                    theirs[i] = Some(shares[i].data.clone());
                }
                if n > k {
                    ReedSolomon::new(k, n - k).unwrap().reconstruct(&mut theirs).unwrap();
                }
                let theirs: Vec<Vec<u8>> = theirs.into_iter().map(Option::unwrap).collect();
                assert_eq!(ours, theirs, "n={n} k={k} subset={subset:?}");
                assert_eq!(ours, crate_shards(n, k, &data));
                assert_eq!(
                    codec.decode(&held, data.len()).unwrap().unwrap().as_slice(),
                    data.as_slice()
                );
            }
        }
    }
}
