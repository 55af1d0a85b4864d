//! The paper's systematic Reed–Solomon erasure code (`reed-solomon-erasure`, GF(2^8) with the
//! Backblaze field 0x11D): a byte string is cut into k data shards of ⌈len/k⌉ bytes (zero
//! padded at the end) and n − k parity shards are added; any k shards give the data back.
//! Used as is by [`Scheme::PaperRs`](super::Scheme::PaperRs) and on the AONT package by
//! [`Scheme::AontRs`](super::Scheme::AontRs).

use reed_solomon_erasure::galois_8::ReedSolomon;
use zeroize::{Zeroize, Zeroizing};

use super::Share;
use crate::Error;

/// A (k, n) systematic code. With n = k there is no parity and no codec: the shares are the
/// data shards themselves (the library refuses zero parity shards).
pub(crate) struct Codec {
    k: usize,
    n: usize,
    rs: Option<ReedSolomon>,
}

fn library(e: reed_solomon_erasure::Error) -> Error {
    Error::ShareErasureCode { detail: e.to_string() }
}

/// Zeroizes the shard buffers handed to the library once they are no longer needed.
struct Shards(Vec<Option<Vec<u8>>>);

impl Drop for Shards {
    fn drop(&mut self) {
        for shard in self.0.iter_mut().flatten() {
            shard.zeroize();
        }
    }
}

impl Codec {
    /// `n` and `k` are already validated (1 ≤ k ≤ n ≤ 255, so data + parity ≤ 255 < 256, the
    /// limit of galois_8).
    pub(crate) fn new(n: u8, k: u8) -> Result<Self, Error> {
        let (n, k) = (usize::from(n), usize::from(k));
        let rs = if n > k { Some(ReedSolomon::new(k, n - k).map_err(library)?) } else { None };
        Ok(Codec { k, n, rs })
    }

    /// Shard length for `len` bytes of data: ⌈len/k⌉.
    pub(crate) fn shard_len(k: u8, len: usize) -> usize {
        len.div_ceil(usize::from(k.max(1)))
    }

    /// All n shards of `data` (shard i has index i + 1; 1..=k are the data slices).
    pub(crate) fn encode(&self, data: &[u8]) -> Result<Vec<Share>, Error> {
        let s = data.len().div_ceil(self.k);
        let mut shards = Shards(
            (0..self.n)
                .map(|i| {
                    let mut shard = vec![0u8; s];
                    if i < self.k {
                        let start = (i * s).min(data.len());
                        let end = ((i + 1) * s).min(data.len());
                        if let (Some(dst), Some(src)) =
                            (shard.get_mut(..end - start), data.get(start..end))
                        {
                            dst.copy_from_slice(src);
                        }
                    }
                    Some(shard)
                })
                .collect(),
        );
        if let Some(rs) = &self.rs {
            let mut plain: Vec<&mut Vec<u8>> = shards.0.iter_mut().flatten().collect();
            rs.encode(&mut plain).map_err(library)?;
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
        if let Some(rs) = &self.rs {
            rs.reconstruct(&mut shards.0).map_err(library)?;
        }
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
