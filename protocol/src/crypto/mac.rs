//! The MACs of MIKEY: HMAC-SHA-1-160 (MAC alg 1, mandatory) and HMAC-SHA-256-256 (MAC alg 2,
//! RFC 6043) over a list of byte slices, so a caller can MAC `M || ID_i || ID_r || T` for a
//! V payload (RFC 3830 §5.2) without building the concatenation, and verify in constant time.
//!
//! The caller decides the coverage (see docs/wire-format.md, "MAC and signature coverage"); the
//! timestamp part for a V payload is [`crate::mikey::core::t64`] of the echoed T value (COUNTER
//! zero-extended, see docs/wire-format.md, "Timestamps as crypto input").

use super::prf::hmac_parts;
use super::recorded::CryptoOp;
use crate::Error;
use crate::cost::{HmacHash, Meter, Op};
use hmac::Hmac;
use sha1::Sha1;
use sha2::Sha256;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// The HMAC algorithms of the KEMAC `Mac alg` / V `Auth alg` fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MacAlg {
    /// 1: HMAC-SHA-1-160 (20-byte MAC).
    HmacSha1_160,
    /// 2: HMAC-SHA-256-256 (32-byte MAC, RFC 6043).
    HmacSha256_256,
}

impl MacAlg {
    /// The wire code point (RFC 3830 Table 6.2.b, RFC 6043 Table 6.6).
    pub fn code(self) -> u8 {
        match self {
            MacAlg::HmacSha1_160 => 1,
            MacAlg::HmacSha256_256 => 2,
        }
    }

    /// MAC length in bytes; also the recommended auth_key length (§4.2.4).
    pub fn mac_len(self) -> usize {
        match self {
            MacAlg::HmacSha1_160 => 20,
            MacAlg::HmacSha256_256 => 32,
        }
    }
}

/// HMAC-SHA-1-160 of the concatenation of `parts`.
pub fn hmac_sha1_160(key: &[u8], parts: &[&[u8]], meter: &mut Meter) -> [u8; 20] {
    let mut out = [0u8; 20];
    let v = compute(MacAlg::HmacSha1_160, key, parts, meter);
    out.copy_from_slice(&v);
    out
}

/// HMAC-SHA-256-256 of the concatenation of `parts`.
pub fn hmac_sha256_256(key: &[u8], parts: &[&[u8]], meter: &mut Meter) -> [u8; 32] {
    let mut out = [0u8; 32];
    let v = compute(MacAlg::HmacSha256_256, key, parts, meter);
    out.copy_from_slice(&v);
    out
}

/// The MAC of `alg` over the concatenation of `parts`.
pub fn compute(alg: MacAlg, key: &[u8], parts: &[&[u8]], meter: &mut Meter) -> Vec<u8> {
    let hash = match alg {
        MacAlg::HmacSha1_160 => HmacHash::Sha1,
        MacAlg::HmacSha256_256 => HmacHash::Sha256,
    };
    meter.count_hmac(hash, key.len(), parts.iter().map(|p| p.len()).sum());
    meter.record(|| CryptoOp::Hmac {
        alg,
        key: Zeroizing::new(key.to_vec()),
        parts: parts.iter().map(|p| p.to_vec()).collect(),
    });
    meter.time(Op::Hmac, |_| match alg {
        MacAlg::HmacSha1_160 => hmac_parts::<Hmac<Sha1>>(key, parts).to_vec(),
        MacAlg::HmacSha256_256 => hmac_parts::<Hmac<Sha256>>(key, parts).to_vec(),
    })
}

/// Checks `received` against the MAC of `parts`, in constant time. `message` and `payload`
/// name the place for the error ("MAC mismatch in the V payload of TP2_I").
pub fn verify(
    alg: MacAlg,
    key: &[u8],
    parts: &[&[u8]],
    received: &[u8],
    message: &str,
    payload: &'static str,
    meter: &mut Meter,
) -> Result<(), Error> {
    if received.len() != alg.mac_len() {
        return Err(Error::MacLength {
            message: message.to_string(),
            payload,
            expected: alg.mac_len(),
            found: received.len(),
        });
    }
    let mine = compute(alg, key, parts, meter);
    if bool::from(mine.as_slice().ct_eq(received)) {
        Ok(())
    } else {
        Err(Error::MacMismatch { message: message.to_string(), payload })
    }
}
