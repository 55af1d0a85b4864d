//! Randomness for every layer: an object-safe [`Rng`] trait (any `rand_core` 0.10
//! `CryptoRng`, so it also drives `rsa` 0.10 key generation and padding) and [`SimRng`], a
//! ChaCha20 generator that makes a whole simulation reproducible from one `u64` seed.
//!
//! Nothing below `sim/` and `bin/` owns an RNG: functions take `&mut dyn Rng`.
//! [`SimRng::fork`] derives an independent, deterministic stream per role from a label, so
//! adding a draw in one role does not change the numbers another role sees.

use rand_chacha::ChaCha20Rng;
use rand_core::{Infallible, SeedableRng, TryCryptoRng, TryRng};
use sha2::{Digest, Sha256};
use zeroize::Zeroize;

/// The RNG every crypto function takes (`&mut dyn Rng`). Implemented for every
/// `rand_core::CryptoRng`, e.g. [`SimRng`] or `getrandom::SysRng` wrapped by the caller.
pub trait Rng: rand_core::CryptoRng {}

impl<T: rand_core::CryptoRng + ?Sized> Rng for T {}

/// Fills `dst` from `rng` (a convenience for `&mut dyn Rng`).
pub fn fill(rng: &mut dyn Rng, dst: &mut [u8]) {
    rand_core::Rng::fill_bytes(rng, dst);
}

/// Returns `n` random bytes from `rng`.
pub fn bytes(rng: &mut dyn Rng, n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    fill(rng, &mut v);
    v
}

/// Deterministic ChaCha20 generator with a label-derived fork.
pub struct SimRng {
    seed: [u8; 32],
    inner: ChaCha20Rng,
}

/// Cloning copies the stream position: the simulation's snapshots (step back / seek) need it.
impl Clone for SimRng {
    fn clone(&self) -> Self {
        SimRng { seed: self.seed, inner: self.inner.clone() }
    }
}

impl core::fmt::Debug for SimRng {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SimRng { .. }")
    }
}

impl Drop for SimRng {
    fn drop(&mut self) {
        self.seed.zeroize();
    }
}

impl SimRng {
    fn from_key(seed: [u8; 32]) -> Self {
        Self { inner: ChaCha20Rng::from_seed(seed), seed }
    }

    /// A reproducible generator: the ChaCha20 key is SHA-256("dmikey SimRng v1" || seed).
    pub fn from_seed(seed: u64) -> Self {
        let mut h = Sha256::new();
        h.update(b"dmikey SimRng v1");
        h.update(seed.to_be_bytes());
        Self::from_key(h.finalize().into())
    }

    /// A generator seeded from the operating system (`getrandom`; `crypto.getRandomValues`
    /// in the browser), for runs without a seed.
    pub fn from_os() -> Result<Self, getrandom::Error> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key)?;
        Ok(Self::from_key(key))
    }

    /// An independent stream for `label` (e.g. "TP3"), derived from this generator's seed only:
    /// it does not depend on how much was drawn from `self`, and different labels give
    /// unrelated streams. Key = SHA-256("dmikey fork" || seed || label).
    pub fn fork(&self, label: &str) -> SimRng {
        let mut h = Sha256::new();
        h.update(b"dmikey fork");
        h.update(self.seed);
        h.update(label.as_bytes());
        Self::from_key(h.finalize().into())
    }
}

impl TryRng for SimRng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        self.inner.try_next_u32()
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        self.inner.try_next_u64()
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        self.inner.try_fill_bytes(dst)
    }
}

impl TryCryptoRng for SimRng {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_forks_are_independent() {
        let mut a = SimRng::from_seed(7);
        let mut b = SimRng::from_seed(7);
        assert_eq!(bytes(&mut a, 32), bytes(&mut b, 32));
        let mut c = SimRng::from_seed(8);
        assert_ne!(bytes(&mut a, 32), bytes(&mut c, 32));
        // A fork does not depend on what was drawn from the parent.
        let fresh = SimRng::from_seed(7);
        let mut f1 = fresh.fork("TP1");
        let mut f1b = a.fork("TP1");
        let mut f2 = fresh.fork("TP2");
        let x = bytes(&mut f1, 16);
        assert_eq!(x, bytes(&mut f1b, 16));
        assert_ne!(x, bytes(&mut f2, 16));
    }

    #[test]
    fn os_seeded_generators_differ() {
        let mut a = SimRng::from_os().unwrap();
        let mut b = SimRng::from_os().unwrap();
        assert_ne!(bytes(&mut a, 32), bytes(&mut b, 32));
    }
}
