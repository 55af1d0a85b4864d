//! KEMAC protection (RFC 3830 §4.2.3, §4.2.4, §6.2): encrypt the Key data chain and
//! authenticate the message, in one of two profiles.
//!
//! * [`KemacProfile::AesCmHmacSha1`] — the RFC default on both segments: AES-CM-128 (SRTP
//!   counter mode, `ctr::Ctr128BE<aes::Aes128>`) with
//!   `IV = (salt_key XOR (0x0000 || CSB ID || T)) || 0x0000`, and HMAC-SHA-1-160 under
//!   auth_key over the MAC-covered bytes.
//! * [`KemacProfile::AesCcm128`] (and [`KemacProfile::AesCcm128Tag8`]) — see
//!   docs/wire-format.md, "AES-CCM profile"; a
//!   **private-use** option for our own sensor and TPs only (Encr alg 241/242, MAC alg 241):
//!   AES-CCM-128 under encr_key with the 13-byte nonce
//!   `N = (salt_key XOR (0x0000 || CSB ID || T))[1..14]` and a 16-byte (8-byte) tag in the
//!   MAC field. The AAD is exactly the bytes the HMAC would cover, minus the encrypted data.
//!
//! Coverage is passed as [`Covered`] `{ before, after }`: the covered bytes that precede the
//! `Encr data` field (PSK mode: HDR byte 0 up to and including `Encr data len`; PK mode:
//! `0x00 || Encr alg || Encr data len`) and those that follow it (the `Mac alg` byte). The
//! HMAC covers `before || Encr data || after`; the CCM AAD is `before || after`.
//!
//! [`decrypt`] checks the MAC in constant time **before** it decrypts anything (AES-CM).
//! For CCM the tag is computed over the plaintext, so the AEAD decrypts into a private buffer,
//! compares the tag in constant time, and releases nothing unless it matches.

use super::derive::MessageKeys;
use super::mac::{self, MacAlg};
use super::recorded::CryptoOp;
use crate::Error;
use crate::cost::{Meter, Op};
use aes::Aes128;
use ccm::aead::{AeadInOut, KeyInit};
use ccm::consts::{U8, U13, U16};
use ctr::cipher::{KeyIvInit, StreamCipher};
use zeroize::Zeroizing;

type Aes128Ctr = ctr::Ctr128BE<Aes128>;
type Aes128Ccm16 = ccm::Ccm<Aes128, U16, U13>;
type Aes128Ccm8 = ccm::Ccm<Aes128, U8, U13>;

/// Private-use Encr alg code point for AES-CCM-128 with a 16-byte tag (see
/// docs/wire-format.md, "AES-CCM profile").
pub const ENCR_ALG_AES_CCM_128: u8 = 241;
/// Private-use Encr alg code point for AES-CCM-128 with an 8-byte tag (CCM-8).
pub const ENCR_ALG_AES_CCM_128_8: u8 = 242;
/// Private-use MAC alg code point "CCM tag".
pub const MAC_ALG_CCM_TAG: u8 = 241;
/// RFC 3830 Encr alg AES-CM-128.
pub const ENCR_ALG_AES_CM_128: u8 = 1;

/// Length of the salt_key used by both profiles (112 bits).
pub const SALT_LEN: usize = 14;

/// Which KEMAC transform protects a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum KemacProfile {
    /// AES-CM-128 + HMAC-SHA-1-160 (Encr alg 1, MAC alg 1): RFC 3830 default.
    #[default]
    AesCmHmacSha1,
    /// AES-CCM-128 with a 16-byte tag (Encr alg 241, MAC alg 241): private.
    AesCcm128,
    /// AES-CCM-128 with an 8-byte tag (Encr alg 242, MAC alg 241): private.
    AesCcm128Tag8,
}

impl KemacProfile {
    /// Every profile, the RFC's first.
    pub const ALL: [KemacProfile; 3] =
        [KemacProfile::AesCmHmacSha1, KemacProfile::AesCcm128, KemacProfile::AesCcm128Tag8];

    /// Its name on the command line and in links: "aes-cm", "aes-ccm", "aes-ccm-8".
    pub fn cli_name(self) -> &'static str {
        match self {
            KemacProfile::AesCmHmacSha1 => "aes-cm",
            KemacProfile::AesCcm128 => "aes-ccm",
            KemacProfile::AesCcm128Tag8 => "aes-ccm-8",
        }
    }

    /// The profile a name names.
    pub fn from_cli_name(name: &str) -> Option<Self> {
        KemacProfile::ALL.into_iter().find(|p| p.cli_name() == name)
    }

    /// The `Encr alg` byte.
    pub fn encr_alg_code(self) -> u8 {
        match self {
            KemacProfile::AesCmHmacSha1 => ENCR_ALG_AES_CM_128,
            KemacProfile::AesCcm128 => ENCR_ALG_AES_CCM_128,
            KemacProfile::AesCcm128Tag8 => ENCR_ALG_AES_CCM_128_8,
        }
    }

    /// The `Mac alg` byte.
    pub fn mac_alg_code(self) -> u8 {
        match self {
            KemacProfile::AesCmHmacSha1 => MacAlg::HmacSha1_160.code(),
            KemacProfile::AesCcm128 | KemacProfile::AesCcm128Tag8 => MAC_ALG_CCM_TAG,
        }
    }

    /// The profile for an (Encr alg, MAC alg) pair; `None` for pairs we do not implement
    /// (241/242 must be paired with MAC alg 241 and vice versa).
    pub fn from_codes(encr_alg: u8, mac_alg: u8) -> Option<Self> {
        match (encr_alg, mac_alg) {
            (ENCR_ALG_AES_CM_128, 1) => Some(KemacProfile::AesCmHmacSha1),
            (ENCR_ALG_AES_CCM_128, MAC_ALG_CCM_TAG) => Some(KemacProfile::AesCcm128),
            (ENCR_ALG_AES_CCM_128_8, MAC_ALG_CCM_TAG) => Some(KemacProfile::AesCcm128Tag8),
            _ => None,
        }
    }

    /// Length of the MAC field (HMAC or CCM tag).
    pub fn mac_len(self) -> usize {
        match self {
            KemacProfile::AesCmHmacSha1 => 20,
            KemacProfile::AesCcm128 => 16,
            KemacProfile::AesCcm128Tag8 => 8,
        }
    }

    /// encr_key length in bytes.
    pub fn encr_key_len(self) -> usize {
        16
    }

    /// auth_key length in bytes. Also derived in the CCM profiles, where it keys the V MAC
    /// (HMAC-SHA-1-160) of the verification message; the KEMAC itself does not use it there.
    pub fn auth_key_len(self) -> usize {
        20
    }

    /// salt_key length in bytes.
    pub fn salt_len(self) -> usize {
        SALT_LEN
    }

    /// Its name in words, for the UI.
    pub fn name(self) -> &'static str {
        match self {
            KemacProfile::AesCmHmacSha1 => "AES-CM + HMAC-SHA-1 (RFC 3830)",
            KemacProfile::AesCcm128 => "AES-CCM, 16-byte tag (the paper's advice)",
            KemacProfile::AesCcm128Tag8 => "AES-CCM, 8-byte tag",
        }
    }

    /// True for the private-use CCM profiles.
    pub fn is_private(self) -> bool {
        !matches!(self, KemacProfile::AesCmHmacSha1)
    }
}

/// The covered bytes around `Encr data` (see the module docs).
#[derive(Debug, Clone, Copy)]
pub struct Covered<'a> {
    /// Covered bytes before `Encr data` (ending with `Encr data len`).
    pub before: &'a [u8],
    /// Covered bytes after `Encr data` (the `Mac alg` byte).
    pub after: &'a [u8],
}

fn salt14(salt: &[u8]) -> Result<[u8; SALT_LEN], Error> {
    <[u8; SALT_LEN]>::try_from(salt).map_err(|_| Error::KeyLength {
        what: "salt_key",
        expected: "14 bytes (112 bits)",
        found: salt.len(),
    })
}

fn key16(key: &[u8]) -> Result<[u8; 16], Error> {
    <[u8; 16]>::try_from(key).map_err(|_| Error::KeyLength {
        what: "encr_key",
        expected: "16 bytes (AES-128)",
        found: key.len(),
    })
}

/// `S XOR (0x0000 || CSB ID || T)`: the 14-byte IV prefix shared by AES-CM and CCM.
fn iv_prefix(salt: &[u8; SALT_LEN], csb_id: u32, t64: [u8; 8]) -> [u8; SALT_LEN] {
    let mut x = [0u8; SALT_LEN];
    x[2..6].copy_from_slice(&csb_id.to_be_bytes());
    x[6..14].copy_from_slice(&t64);
    for (o, s) in x.iter_mut().zip(salt.iter()) {
        *o ^= *s;
    }
    x
}

/// The AES-CM IV of §4.2.3: `(S XOR (0x0000 || CSB ID || T)) || 0x0000`.
pub fn iv_aes_cm(salt: &[u8; SALT_LEN], csb_id: u32, t64: [u8; 8]) -> [u8; 16] {
    let mut iv = [0u8; 16];
    iv[..SALT_LEN].copy_from_slice(&iv_prefix(salt, csb_id, t64));
    iv
}

/// The 13-byte CCM nonce of our private profile: the IV prefix without its first byte.
pub fn ccm_nonce(salt: &[u8; SALT_LEN], csb_id: u32, t64: [u8; 8]) -> [u8; 13] {
    let mut n = [0u8; 13];
    n.copy_from_slice(&iv_prefix(salt, csb_id, t64)[1..]);
    n
}

fn blocks(len: usize) -> u64 {
    len.div_ceil(16) as u64
}

/// AES blocks CCM (RFC 3610) processes: B0, the AAD (with its 2-byte length), the payload
/// for CBC-MAC, then the CTR blocks for payload and tag.
fn ccm_blocks(aad_len: usize, len: usize) -> u64 {
    let aad = if aad_len == 0 { 0 } else { blocks(aad_len + 2) };
    1 + aad + blocks(len) + blocks(len) + 1
}

fn aes_cm_apply(
    keys: &MessageKeys,
    csb_id: u32,
    t64: [u8; 8],
    buf: &mut [u8],
    meter: &mut Meter,
) -> Result<(), Error> {
    let key = Zeroizing::new(key16(&keys.encr)?);
    let iv = iv_aes_cm(&salt14(&keys.salt)?, csb_id, t64);
    let mut cipher = Aes128Ctr::new(&(*key).into(), &iv.into());
    cipher.apply_keystream(buf);
    meter.aes_blocks += blocks(buf.len());
    Ok(())
}

fn aad(covered: Covered<'_>) -> Vec<u8> {
    let mut a = Vec::with_capacity(covered.before.len() + covered.after.len());
    a.extend_from_slice(covered.before);
    a.extend_from_slice(covered.after);
    a
}

/// Encrypts `plaintext` (the Key data chain, with IDi first in PK mode) and computes the MAC
/// field. Returns `(Encr data, MAC)`; `Encr data` has the plaintext's length.
pub fn encrypt(
    profile: KemacProfile,
    keys: &MessageKeys,
    csb_id: u32,
    t64: [u8; 8],
    plaintext: &[u8],
    covered: Covered<'_>,
    meter: &mut Meter,
) -> Result<(Vec<u8>, Vec<u8>), Error> {
    meter.record(|| CryptoOp::KemacSeal {
        profile,
        keys: keys.clone(),
        csb_id,
        t64,
        plaintext: Zeroizing::new(plaintext.to_vec()),
        before: covered.before.to_vec(),
        after: covered.after.to_vec(),
    });
    meter.time(Op::Aes, |meter| match profile {
        KemacProfile::AesCmHmacSha1 => {
            let mut ct = plaintext.to_vec();
            aes_cm_apply(keys, csb_id, t64, &mut ct, meter)?;
            let tag = mac::compute(
                MacAlg::HmacSha1_160,
                &keys.auth,
                &[covered.before, &ct, covered.after],
                meter,
            );
            Ok((ct, tag))
        }
        KemacProfile::AesCcm128 | KemacProfile::AesCcm128Tag8 => {
            let key = Zeroizing::new(key16(&keys.encr)?);
            let nonce = ccm_nonce(&salt14(&keys.salt)?, csb_id, t64);
            let aad = aad(covered);
            let mut ct = plaintext.to_vec();
            let tag = ccm_seal(profile, &key, &nonce, &aad, &mut ct)?;
            meter.aes_blocks += ccm_blocks(aad.len(), ct.len());
            Ok((ct, tag))
        }
    })
}

fn ccm_seal(
    profile: KemacProfile,
    key: &[u8; 16],
    nonce: &[u8; 13],
    aad: &[u8],
    buf: &mut [u8],
) -> Result<Vec<u8>, Error> {
    let len = buf.len();
    let too_long = |_| Error::KeyLength {
        what: "KEMAC plaintext for AES-CCM",
        expected: "at most 65535 bytes",
        found: len,
    };
    match profile {
        KemacProfile::AesCcm128Tag8 => {
            let c = Aes128Ccm8::new(&(*key).into());
            let tag =
                c.encrypt_inout_detached(&(*nonce).into(), aad, buf.into()).map_err(too_long)?;
            Ok(tag.to_vec())
        }
        _ => {
            let c = Aes128Ccm16::new(&(*key).into());
            let tag =
                c.encrypt_inout_detached(&(*nonce).into(), aad, buf.into()).map_err(too_long)?;
            Ok(tag.to_vec())
        }
    }
}

/// Verifies the MAC (constant time) and then decrypts `encr_data`. `message` names the
/// message for the error ("MAC mismatch in the KEMAC of I_TP2").
#[allow(clippy::too_many_arguments)]
pub fn decrypt(
    profile: KemacProfile,
    keys: &MessageKeys,
    csb_id: u32,
    t64: [u8; 8],
    encr_data: &[u8],
    covered: Covered<'_>,
    mac_field: &[u8],
    message: &str,
    meter: &mut Meter,
) -> Result<Zeroizing<Vec<u8>>, Error> {
    if mac_field.len() != profile.mac_len() {
        return Err(Error::MacLength {
            message: message.to_string(),
            payload: "KEMAC",
            expected: profile.mac_len(),
            found: mac_field.len(),
        });
    }
    meter.record(|| CryptoOp::KemacOpen {
        profile,
        keys: keys.clone(),
        csb_id,
        t64,
        encr_data: encr_data.to_vec(),
        before: covered.before.to_vec(),
        after: covered.after.to_vec(),
        mac_field: mac_field.to_vec(),
    });
    meter.time(Op::Aes, |meter| match profile {
        KemacProfile::AesCmHmacSha1 => {
            mac::verify(
                MacAlg::HmacSha1_160,
                &keys.auth,
                &[covered.before, encr_data, covered.after],
                mac_field,
                message,
                "KEMAC",
                meter,
            )?;
            let mut pt = Zeroizing::new(encr_data.to_vec());
            aes_cm_apply(keys, csb_id, t64, &mut pt, meter)?;
            Ok(pt)
        }
        KemacProfile::AesCcm128 | KemacProfile::AesCcm128Tag8 => {
            let key = Zeroizing::new(key16(&keys.encr)?);
            let nonce = ccm_nonce(&salt14(&keys.salt)?, csb_id, t64);
            let aad = aad(covered);
            let mut pt = Zeroizing::new(encr_data.to_vec());
            meter.aes_blocks += ccm_blocks(aad.len(), pt.len());
            let ok = match profile {
                KemacProfile::AesCcm128Tag8 => {
                    let c = Aes128Ccm8::new(&(*key).into());
                    let tag = ccm::aead::Tag::<Aes128Ccm8>::try_from(mac_field).ok();
                    tag.map(|t| {
                        c.decrypt_inout_detached(&nonce.into(), &aad, pt.as_mut_slice().into(), &t)
                            .is_ok()
                    })
                }
                _ => {
                    let c = Aes128Ccm16::new(&(*key).into());
                    let tag = ccm::aead::Tag::<Aes128Ccm16>::try_from(mac_field).ok();
                    tag.map(|t| {
                        c.decrypt_inout_detached(&nonce.into(), &aad, pt.as_mut_slice().into(), &t)
                            .is_ok()
                    })
                }
            };
            if ok == Some(true) {
                Ok(pt)
            } else {
                Err(Error::TagMismatch { message: message.to_string(), payload: "KEMAC" })
            }
        }
    })
}
