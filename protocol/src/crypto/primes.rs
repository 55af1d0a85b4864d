//! RSA key generation of our own, on top of `crypto-primes`' primality test, so that the
//! browser build does not carry the sieve of `rsa`'s own generator (`crypto_primes::hazmat`'s
//! table of 2047 small primes and their 17 KB of precomputed reciprocals).
//!
//! **How a prime is found** ([`random_prime`]). Each candidate is a fresh string of `k` =
//! nlen/2 random bits from the injected RNG (so a seeded [`super::rng::SimRng`] gives the same
//! key every time), with its two top bits and its low bit set. It is dropped at once if it has
//! a factor among the odd primes below 2^12 ([`small_primes`], sieved at run time: no table in
//! the binary) or if gcd(e, p − 1) ≠ 1; a survivor is tested with
//! `crypto_primes::is_prime(Flavor::Any, ..)`: Baillie–PSW, i.e. Miller–Rabin to base 2 and a
//! strong Lucas test (the test `rsa` 0.10's own generator applies to its sieved candidates).
//!
//! **What of FIPS 186-5 (§A.1.1, appendix A.1.3 and B.3.3) is followed.**
//! * p and q have exactly nlen/2 bits and p, q ≥ √2·2^(nlen/2 − 1): setting the two top bits
//!   makes each ≥ 1.5·2^(nlen/2 − 1), so n = p·q has exactly nlen bits (checked too);
//! * e = 65537, and gcd(e, p − 1) = gcd(e, q − 1) = 1 (e is prime: p mod e ≠ 1);
//! * |p − q| > 2^(nlen/2 − 100), else q is drawn again;
//! * d = e⁻¹ mod lcm(p − 1, q − 1) (`rsa`'s `from_p_q`, SP 800-56B §6.2.1) and d > 2^(nlen/2),
//!   else the whole key is drawn again.
//!
//! **What is not followed.**
//! * The primality test: FIPS asks for Miller–Rabin with random bases, as many rounds as its
//!   Table B.1 says (optionally plus a Lucas test). We use Baillie–PSW with the fixed base 2:
//!   no composite is known to pass it, but that is a conjecture-backed test, not the tabulated
//!   error bound.
//! * The range: setting two top bits draws p from [1.5·2^(k−1), 2^k) instead of FIPS's
//!   [√2·2^(k−1), 2^k) (the usual shortcut; it loses under one bit of entropy).
//! * The RNG: a seeded `SimRng` is ChaCha20 keyed from a 64-bit seed, not an approved DRBG at
//!   the key's security strength — that is what makes a simulation replayable. Unseeded runs
//!   key it from the operating system.
//! * No bound on the number of candidates (B.3.3 gives up after a fixed number of draws); the
//!   loop ends with probability 1, after about k·ln2/2 odd candidates on average.
//! * Not constant-time: trial division stops at the first factor and rejected candidates are
//!   dropped early, as in `rsa`'s own generator. Rejected candidates are not zeroized; the
//!   primes are moved into the `rsa` key, which zeroizes them on drop.

use super::rng::Rng;
use crate::Error;
use crypto_bigint::{BoxedUint, Limb, NonZero, Reciprocal, Word};
use crypto_primes::{Flavor, is_prime};
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
use zeroize::Zeroizing;

/// The public exponent of every generated key.
pub const E: u32 = 65537;

/// Trial division uses the odd primes below this bound (chosen by measuring: against 2^10 it
/// saves about 12 % of the time of a 2048- or 3072-bit key natively, 2^14 saves little more
/// and slows 1024-bit keys down).
pub const SMALL_PRIME_BOUND: usize = 1 << 12;

/// The odd primes below [`SMALL_PRIME_BOUND`] (3, 5, 7, …, 4093), by a sieve of Eratosthenes
/// run when needed (a few microseconds), so that the table is not a data segment of the
/// binary.
pub fn small_primes() -> Vec<u16> {
    let mut composite = vec![false; SMALL_PRIME_BOUND];
    let mut primes = Vec::new();
    for i in (3..SMALL_PRIME_BOUND).step_by(2) {
        if composite.get(i) == Some(&false) {
            primes.extend(u16::try_from(i).ok());
            for j in (i * i..SMALL_PRIME_BOUND).step_by(2 * i) {
                if let Some(c) = composite.get_mut(j) {
                    *c = true;
                }
            }
        }
    }
    primes
}

/// The [`small_primes`] in groups whose product fits one limb, each with its precomputed
/// reciprocal: a group costs one multi-precision remainder. Built at run time, once per prime
/// search (neither the primes nor the reciprocals are a data table of the binary).
struct TrialDivision {
    groups: Vec<(Reciprocal, Vec<u16>)>,
}

impl TrialDivision {
    fn new() -> Self {
        let mut groups = Vec::new();
        let primes = small_primes();
        let mut rest: &[u16] = &primes;
        while !rest.is_empty() {
            let mut product: Word = 1;
            let mut len = 0;
            for &p in rest {
                match product.checked_mul(Word::from(p)) {
                    Some(x) => {
                        product = x;
                        len += 1;
                    }
                    None => break,
                }
            }
            if len == 0 {
                break; // unreachable: every table entry is below 2^16
            }
            let (group, tail) = rest.split_at(len);
            rest = tail;
            if let Some(divisor) = NonZero::new(Limb(product)).into_option() {
                groups.push((Reciprocal::new(divisor), group.to_vec()));
            }
        }
        TrialDivision { groups }
    }

    fn has_small_factor(&self, candidate: &BoxedUint) -> bool {
        self.groups.iter().any(|(reciprocal, group)| {
            let r = candidate.rem_limb_with_reciprocal(reciprocal).0;
            group.iter().any(|&p| r.is_multiple_of(Word::from(p)))
        })
    }
}

/// Whether `candidate` is divisible by one of the [`small_primes`] (true for the small primes
/// themselves; the candidates of key generation are far larger).
pub fn has_small_factor(candidate: &BoxedUint) -> bool {
    TrialDivision::new().has_small_factor(candidate)
}

fn rem_u32(x: &BoxedUint, m: u32) -> u32 {
    match NonZero::new(Limb::from_u32(m)).into_option() {
        // The remainder is below m, so it fits a u32.
        Some(d) => u32::try_from(x.rem_limb(d).0).unwrap_or(u32::MAX),
        None => 0,
    }
}

/// A random prime p of exactly `bits` bits with its two top bits set and gcd([`E`], p − 1) = 1
/// (see the module documentation). `bits` must be a multiple of 8, at least 64.
pub fn random_prime(rng: &mut dyn Rng, bits: usize) -> Result<BoxedUint, Error> {
    if !bits.is_multiple_of(8) || bits < 64 {
        return Err(Error::Rsa(format!("prime size {bits} bits: not a multiple of 8 from 64 up")));
    }
    let precision = u32::try_from(bits)
        .map_err(|_| Error::Rsa(format!("prime size {bits} bits: too large")))?;
    let mut buf = Zeroizing::new(vec![0u8; bits / 8]);
    let trial = TrialDivision::new();
    loop {
        super::rng::fill(rng, &mut buf);
        if let Some(top) = buf.first_mut() {
            *top |= 0xC0;
        }
        if let Some(low) = buf.last_mut() {
            *low |= 1;
        }
        let candidate = BoxedUint::from_be_slice(&buf, precision)
            .map_err(|e| Error::Rsa(format!("prime candidate: {e}")))?;
        if trial.has_small_factor(&candidate) || rem_u32(&candidate, E) == 1 {
            continue;
        }
        if is_prime(Flavor::Any, &candidate) {
            return Ok(candidate);
        }
    }
}

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
        let p = random_prime(rng, k)?;
        let q = loop {
            let q = random_prime(rng, k)?;
            if far_apart(&p, &q, k32) {
                break q;
            }
        };
        let key = rsa::PrivateKey::from_p_q(p, q, BoxedUint::from(E))
            .map_err(|e| Error::Rsa(format!("building the key from p and q: {e}")))?;
        if key.n().as_ref().bit_width_vartime() as usize != nlen {
            // Unreachable with both top bits set; refuse rather than return a short key.
            return Err(Error::Rsa(format!("generated modulus is not {nlen} bits")));
        }
        // FIPS 186-5 §A.1.1: d > 2^(nlen/2), else start again (probability about 2^-(nlen/2)).
        if key.d().bit_width_vartime() as usize > k {
            return Ok(key);
        }
    }
}
