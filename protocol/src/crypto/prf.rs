//! The MIKEY key-derivation PRF: MIKEY-1 (RFC 3830 §4.1.2, PRF func 0, HMAC-SHA-1) and
//! PRF-HMAC-SHA-256 (RFC 6043 §6.1, PRF func 1), the one function every key in a session
//! comes from.
//!
//! ```text
//! P(s, label, m) = HMAC(s, A_1 || label) || ... || HMAC(s, A_m || label)
//!     A_0 = label, A_i = HMAC(s, A_(i-1))
//! PRF(inkey, label, outkey_len):
//!     inkey = s_1 || ... || s_n   (256-bit chunks, the last may be shorter)
//!     m = ceil(outkey_len / hash_len)
//!     outkey = first outkey_len bits of P(s_1, label, m) XOR ... XOR P(s_n, label, m)
//! ```
//! The pitfalls of docs/wire-format.md, "Key derivation pitfalls" are avoided on purpose and
//! tested: A_0 is the label (not
//! empty); an inkey whose length is a multiple of 32 bytes keeps its full last chunk (the
//! libmikey `% 32` bug keys it with an empty HMAC key); keys stay byte strings (no big-integer
//! round trip that drops leading zeros). An empty inkey is treated as one empty chunk.

use crate::cost::{HmacHash, Meter, Op};
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::Sha256;
use zeroize::Zeroizing;

/// Size of one inkey chunk s_j (256 bits), for both PRF functions.
pub const INKEY_CHUNK: usize = 32;

/// The PRF function named in HDR (`PRF func`, RFC 3830 §6.1 / RFC 6043 §6.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PrfFunc {
    /// 0: MIKEY-1, HMAC-SHA-1 P-function, 160-bit blocks.
    Mikey1,
    /// 1: PRF-HMAC-SHA-256, 256-bit blocks.
    HmacSha256,
}

impl PrfFunc {
    /// The HDR code point.
    pub fn code(self) -> u8 {
        match self {
            PrfFunc::Mikey1 => 0,
            PrfFunc::HmacSha256 => 1,
        }
    }

    /// The function for a code point, if we implement it.
    pub fn from_code(code: u8) -> Option<Self> {
        match code {
            0 => Some(PrfFunc::Mikey1),
            1 => Some(PrfFunc::HmacSha256),
            _ => None,
        }
    }

    /// The hash under its HMAC.
    fn hash(self) -> HmacHash {
        match self {
            PrfFunc::Mikey1 => HmacHash::Sha1,
            PrfFunc::HmacSha256 => HmacHash::Sha256,
        }
    }

    /// Output bytes of one HMAC block (20 or 32).
    pub fn block_len(self) -> usize {
        match self {
            PrfFunc::Mikey1 => 20,
            PrfFunc::HmacSha256 => 32,
        }
    }
}

/// HMAC of the concatenation of `parts` (no allocation of the concatenation).
pub(crate) fn hmac_parts<M: Mac + KeyInit>(key: &[u8], parts: &[&[u8]]) -> Zeroizing<Vec<u8>> {
    // HMAC accepts keys of every length (long keys are hashed), so this cannot fail.
    let mut mac = <M as KeyInit>::new_from_slice(key).expect("HMAC accepts keys of any length");
    for p in parts {
        mac.update(p);
    }
    Zeroizing::new(mac.finalize().into_bytes().to_vec())
}

fn hmac_for(func: PrfFunc, key: &[u8], parts: &[&[u8]]) -> Zeroizing<Vec<u8>> {
    match func {
        PrfFunc::Mikey1 => hmac_parts::<Hmac<Sha1>>(key, parts),
        PrfFunc::HmacSha256 => hmac_parts::<Hmac<Sha256>>(key, parts),
    }
}

/// `P(s, label, m)` XORed into `out` (only the first `out.len()` bytes are produced).
fn p_xor_into(func: PrfFunc, s: &[u8], label: &[u8], out: &mut [u8], meter: &mut Meter) {
    let mut a: Zeroizing<Vec<u8>> = Zeroizing::new(label.to_vec()); // A_0 = label
    for block in out.chunks_mut(func.block_len()) {
        meter.count_hmac(func.hash(), s.len(), a.len());
        a = hmac_for(func, s, &[&a]); // A_i = HMAC(s, A_(i-1))
        meter.count_hmac(func.hash(), s.len(), a.len() + label.len());
        let h = hmac_for(func, s, &[&a, label]); // HMAC(s, A_i || label)
        for (o, x) in block.iter_mut().zip(h.iter()) {
            *o ^= *x;
        }
    }
}

/// `PRF(inkey, label, out_bytes)`: `out_bytes` bytes of key material (outkey_len in bytes;
/// every MIKEY key length is a whole number of bytes).
pub fn prf(
    func: PrfFunc,
    inkey: &[u8],
    label: &[u8],
    out_bytes: usize,
    meter: &mut Meter,
) -> Zeroizing<Vec<u8>> {
    meter.prf_calls += 1;
    meter.record(|| super::recorded::CryptoOp::Prf {
        func,
        inkey: Zeroizing::new(inkey.to_vec()),
        label: label.to_vec(),
        out_bytes,
    });
    meter.time(Op::Prf, |meter| {
        let mut out = Zeroizing::new(vec![0u8; out_bytes]);
        if inkey.is_empty() {
            p_xor_into(func, &[], label, &mut out, meter);
        }
        for s in inkey.chunks(INKEY_CHUNK) {
            p_xor_into(func, s, label, &mut out, meter);
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    #[test]
    fn one_chunk_prf_is_the_p_function() {
        // With a 16-byte inkey PRF = P(s_1, label, m): check the first block by hand.
        let key = [7u8; 16];
        let label = b"label";
        let mut m = Meter::new();
        let out = prf(PrfFunc::Mikey1, &key, label, 20, &mut m);
        let a1 = hmac_parts::<Hmac<Sha1>>(&key, &[label]);
        let b1 = hmac_parts::<Hmac<Sha1>>(&key, &[&a1, label]);
        assert_eq!(&out[..], &b1[..]);
        assert_eq!(m.prf_calls, 1);
        assert_eq!(m.hmac_calls, 2);
    }

    #[test]
    fn prefix_property_and_chunk_xor() {
        let mut m = Meter::new();
        let key = hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021");
        let long = prf(PrfFunc::HmacSha256, &key, b"x", 70, &mut m);
        let short = prf(PrfFunc::HmacSha256, &key, b"x", 33, &mut m);
        assert_eq!(&long[..33], &short[..]);
        // Two chunks: the output is the XOR of the chunk outputs.
        let p1 = prf(PrfFunc::HmacSha256, &key[..32], b"x", 70, &mut m);
        let p2 = prf(PrfFunc::HmacSha256, &key[32..], b"x", 70, &mut m);
        let x: Vec<u8> = p1.iter().zip(p2.iter()).map(|(a, b)| a ^ b).collect();
        assert_eq!(&long[..], &x[..]);
    }
}
