//! Diffie-Hellman over OAKLEY group 5 (the 1536-bit MODP group of RFC 3526 §2, g = 2), the
//! group RFC 3830's DH mode must support (§3.3, DH-Group 0). Used by the standard DH mode the
//! distributed mode is compared with; D-MIKEY itself needs no DH.
//!
//! The private exponent is 256 random bits from the injected RNG (enough for the ~90-bit
//! strength of a 1536-bit group). Public values are 192 big-endian bytes; a peer value is
//! accepted only in [2, p-2] (rejects 0, 1 and p-1, which would force a trivial secret).
//! The shared secret g^xy is returned as 192 big-endian bytes (the TGK of the DH mode).
//! Exponentiation is crypto-bigint 0.7's constant-time Montgomery ladder over `BoxedUint`.

use super::recorded::CryptoOp;
use super::rng::{self, Rng};
use crate::Error;
use crate::cost::{Meter, Op};
use core::cmp::Ordering;
use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{BoxedUint, Odd, Resize};
use zeroize::Zeroizing;

/// Length of a group element in bytes (1536 bits).
pub const VALUE_LEN: usize = 192;
/// Bits of the private exponent.
pub const EXPONENT_BITS: u32 = 256;
const BITS: u32 = 1536;

/// The RFC 3526 §2 prime: 2^1536 - 2^1472 - 1 + 2^64 * { [2^1406 pi] + 741804 }.
const PRIME_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD1",
    "29024E088A67CC74020BBEA63B139B22514A08798E3404DD",
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245",
    "E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D",
    "C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F",
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D",
    "670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF",
);

/// The group prime p as 192 big-endian bytes.
pub fn prime_bytes() -> [u8; VALUE_LEN] {
    let mut out = [0u8; VALUE_LEN];
    for (o, pair) in out.iter_mut().zip(PRIME_HEX.as_bytes().chunks(2)) {
        let s = core::str::from_utf8(pair).unwrap_or("00");
        *o = u8::from_str_radix(s, 16).unwrap_or(0);
    }
    out
}

fn params() -> Result<BoxedMontyParams, Error> {
    let p = BoxedUint::from_be_slice(&prime_bytes(), BITS)
        .map_err(|_| Error::DhValueInvalid { reason: "internal: group prime does not fit" })?;
    let odd: Option<Odd<BoxedUint>> = Odd::new(p).into();
    odd.map(BoxedMontyParams::new_vartime)
        .ok_or(Error::DhValueInvalid { reason: "internal: group prime is even" })
}

fn to_192(x: &BoxedUint) -> Vec<u8> {
    let be = x.to_be_bytes();
    let mut out = vec![0u8; VALUE_LEN];
    let n = be.len().min(VALUE_LEN);
    out[VALUE_LEN - n..].copy_from_slice(&be[be.len() - n..]);
    out
}

/// A DH key pair: the private exponent x and the public value g^x mod p.
pub struct DhKeyPair {
    x: Zeroizing<Vec<u8>>,
    public: Vec<u8>,
}

impl core::fmt::Debug for DhKeyPair {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("DhKeyPair { .. }")
    }
}

fn pow(base: &BoxedUint, x: &[u8], params: &BoxedMontyParams) -> Result<BoxedUint, Error> {
    let e = BoxedUint::from_be_slice(x, EXPONENT_BITS)
        .map_err(|_| Error::DhValueInvalid { reason: "internal: exponent does not fit" })?;
    let b = BoxedMontyForm::new(base.clone(), params);
    Ok(b.pow(&e).retrieve())
}

impl DhKeyPair {
    /// Draws x (256 bits, never zero) and computes g^x mod p.
    pub fn generate(rng: &mut dyn Rng, meter: &mut Meter) -> Result<Self, Error> {
        let mut x = Zeroizing::new(rng::bytes(rng, (EXPONENT_BITS / 8) as usize));
        if x.iter().all(|b| *b == 0)
            && let Some(last) = x.last_mut()
        {
            *last = 1;
        }
        Self::from_exponent(x, meter)
    }

    /// The key pair of a given private exponent x: computes g^x mod p (the second half of
    /// [`DhKeyPair::generate`], also used to redo a recorded operation).
    pub(crate) fn from_exponent(x: Zeroizing<Vec<u8>>, meter: &mut Meter) -> Result<Self, Error> {
        let params = params()?;
        meter.dh_exp += 1;
        meter.record(|| CryptoOp::DhGenerate { x: x.clone() });
        let g = BoxedUint::from(2u64).resize(BITS);
        let public = meter.time(Op::DhExp, |_| pow(&g, &x, &params))?;
        Ok(DhKeyPair { x, public: to_192(&public) })
    }

    /// A key pair holding only x (its public value left empty), to redo a recorded
    /// [`DhKeyPair::shared_secret`].
    pub(crate) fn exponent_only(x: Zeroizing<Vec<u8>>) -> Self {
        DhKeyPair { x, public: Vec::new() }
    }

    /// The private exponent x, 32 big-endian bytes (for the inspector's calculation of the
    /// role that holds it; it never travels).
    pub(crate) fn exponent(&self) -> &[u8] {
        &self.x
    }

    /// The public value g^x mod p, 192 big-endian bytes (the DH payload's DH-value).
    pub fn public_value(&self) -> &[u8] {
        &self.public
    }

    /// The shared secret (peer)^x mod p, 192 big-endian bytes, after checking that the peer
    /// value is 192 bytes and in [2, p-2].
    pub fn shared_secret(
        &self,
        peer: &[u8],
        meter: &mut Meter,
    ) -> Result<Zeroizing<Vec<u8>>, Error> {
        if peer.len() != VALUE_LEN {
            return Err(Error::DhValueInvalid {
                reason: "the DH value is not 192 bytes (1536 bits)",
            });
        }
        let params = params()?;
        let y = BoxedUint::from_be_slice(peer, BITS)
            .map_err(|_| Error::DhValueInvalid { reason: "the DH value does not fit 1536 bits" })?;
        let p = BoxedUint::from_be_slice(&prime_bytes(), BITS)
            .map_err(|_| Error::DhValueInvalid { reason: "internal: group prime does not fit" })?;
        let two = BoxedUint::from(2u64).resize(BITS);
        let p_minus_2 = p.wrapping_sub(&two);
        if y.cmp_vartime(&two) == Ordering::Less {
            return Err(Error::DhValueInvalid { reason: "the DH value is 0 or 1" });
        }
        if y.cmp_vartime(&p_minus_2) == Ordering::Greater {
            return Err(Error::DhValueInvalid { reason: "the DH value is p-1 or not below p" });
        }
        meter.dh_exp += 1;
        meter.record(|| CryptoOp::DhShared { x: self.x.clone(), peer: peer.to_vec() });
        let s = meter.time(Op::DhExp, |_| pow(&y, &self.x, &params))?;
        Ok(Zeroizing::new(to_192(&s)))
    }
}
