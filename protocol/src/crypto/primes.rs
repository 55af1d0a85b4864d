//! RSA key generation: `rsa`'s own generator (random primes from `crypto-primes`: a sieve,
//! then Baillie–PSW), drawn from the injected RNG — so a seeded [`super::rng::SimRng`] gives
//! the same key every time — with the FIPS 186-5 conditions `rsa` does not check applied on
//! top: a key that fails one is dropped and the next one drawn.
//!
//! **What of FIPS 186-5 (§A.1.1, appendix A.1.3 and B.3.3) is checked.**
//! * n = p·q has exactly nlen bits, p and q nlen/2 bits each with their two top bits set
//!   (`rsa` sets them), so p, q ≥ 1.5·2^(nlen/2 − 1) > √2·2^(nlen/2 − 1);
//! * e = 65537 (`rsa` retries until gcd(e, λ(n)) = 1, i.e. d exists);
//! * |p − q| > 2^(nlen/2 − 100) — checked here;
//! * d = e⁻¹ mod lcm(p − 1, q − 1) and d > 2^(nlen/2) — checked here.
//!
//! **What is not followed.**
//! * The primality test: FIPS asks for Miller–Rabin with random bases, as many rounds as its
//!   Table B.1 says. `crypto-primes` applies Baillie–PSW (Miller–Rabin to base 2 and a strong
//!   Lucas test): no composite is known to pass it, but that is a conjecture-backed test, not
//!   the tabulated error bound.
//! * The range: two top bits draw p from [1.5·2^(k−1), 2^k) instead of FIPS's [√2·2^(k−1), 2^k)
//!   (the usual shortcut; it loses under one bit of entropy).
//! * The RNG: a seeded `SimRng` is ChaCha20 keyed from a 64-bit seed, not an approved DRBG at
//!   the key's security strength — that is what makes a simulation replayable. Unseeded runs
//!   key it from the operating system.
//! * No bound on the number of draws; not constant-time (as `rsa`'s generator).

use super::rng::Rng;
use crate::Error;
use crypto_bigint::BoxedUint;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};

/// The public exponent of every generated key.
pub const E: u32 = 65537;

/// Whether |p − q| > 2^(k − 100) for primes of `k` bits (FIPS 186-5 B.3.3 step 5.4).
fn far_apart(p: &BoxedUint, q: &BoxedUint, k: u32) -> bool {
    let diff = if p > q { p.wrapping_sub(q) } else { q.wrapping_sub(p) };
    let Some(bound) = BoxedUint::one_with_precision(k).shl_vartime(k.saturating_sub(100)) else {
        return false;
    };
    diff > bound
}

/// A two-prime RSA key of exactly `nlen` bits with e = [`E`], drawn from `rng` as the module
/// documentation says. `nlen` must be a multiple of 16, at least 1024.
pub fn generate_key(rng: &mut dyn Rng, nlen: usize) -> Result<rsa::PrivateKey, Error> {
    if !nlen.is_multiple_of(16) || nlen < 1024 {
        return Err(Error::Rsa(format!("RSA size {nlen} bits: not a multiple of 16 from 1024 up")));
    }
    let k = nlen / 2;
    let k32 = u32::try_from(k).map_err(|_| Error::Rsa(format!("RSA size {nlen}: too large")))?;
    loop {
        let key = rsa::PrivateKey::new_with_exp(rng, nlen, BoxedUint::from(E))
            .map_err(|e| Error::Rsa(format!("generating a {nlen}-bit key: {e}")))?;
        if key.n().as_ref().bit_width_vartime() as usize != nlen {
            // `rsa` draws again until n has nlen bits; refuse rather than return a short key.
            return Err(Error::Rsa(format!("generated modulus is not {nlen} bits")));
        }
        let [p, q] = key.primes() else {
            return Err(Error::Rsa("generated key is not a two-prime key".into()));
        };
        // FIPS 186-5 B.3.3 step 5.4 and §A.1.1: else draw again (probabilities about 2^-100
        // and 2^-(nlen/2)).
        if far_apart(p.as_ref(), q.as_ref(), k32) && key.d().bit_width_vartime() as usize > k {
            return Ok(key);
        }
    }
}
