//! Key derivation: which key protects what, and how it comes out of the PRF.
//!
//! * [`MessageKeys`] — encr_key / auth_key / salt_key from a PSK (pre-shared mode) or an
//!   envelope key (public-key mode), RFC 3830 §4.1.4:
//!   `label = constant || 0xFF || CSB ID || RAND`, constants 0x150533E1 (encr),
//!   0x2D22AC75 (auth), 0x29B88916 (salt).
//! * [`tek`], [`salt`], [`session_auth`], [`session_encr`] — per crypto session from the TGK,
//!   RFC 3830 §4.1.3: `label = constant || cs_id || CSB ID || RAND`, constants 0x2AD01C64
//!   (TEK = SRTP master key), 0x39A2C14B (salting key = SRTP master salt), 0x1B5C7973 (auth),
//!   0x15798CEF (encr).
//! * [`auth_key_ri`] — D-MIKEY (see docs/distributed-mode.md, "The key of R_I"): the key of R's V
//!   payload toward the sensor, PRF(TGK, 0x2D22AC75 || 0xFF || CSB ID || RAND, 160 bits): the
//!   §4.1.4 auth_key derivation with the TGK in the role of the PSK, proving that R rebuilt the
//!   TGK.
//! * [`kcv`] — D-MIKEY key check value (extension tag 0x0A, see docs/distributed-mode.md, "Key
//!   check value"): PRF(TGK, 0x444D4B43 ("DMKC") || 0xFF || CSB ID || RAND, 64 bits).
//!
//! Every output is `Zeroizing`.

use super::kemac::KemacProfile;
use super::prf::{PrfFunc, prf};
use crate::cost::Meter;
use zeroize::Zeroizing;

/// §4.1.4 constant for the encryption key.
pub const C_ENCR: u32 = 0x1505_33E1;
/// §4.1.4 constant for the authentication key.
pub const C_AUTH: u32 = 0x2D22_AC75;
/// §4.1.4 constant for the salting key.
pub const C_SALT: u32 = 0x29B8_8916;
/// §4.1.3 constant for the TEK.
pub const C_TEK: u32 = 0x2AD0_1C64;
/// §4.1.3 constant for the security protocol's authentication key.
pub const C_SP_AUTH: u32 = 0x1B5C_7973;
/// §4.1.3 constant for the security protocol's encryption key.
pub const C_SP_ENCR: u32 = 0x1579_8CEF;
/// §4.1.3 constant for the salting key.
pub const C_SP_SALT: u32 = 0x39A2_C14B;
/// D-MIKEY KCV constant, ASCII "DMKC" (see docs/distributed-mode.md, "Key check value").
pub const C_KCV: u32 = 0x444D_4B43;

/// Length of the KCV in bytes (64 bits).
pub const KCV_LEN: usize = 8;

/// `constant || 0xFF || CSB ID || RAND` (§4.1.4).
pub fn message_label(constant: u32, csb_id: u32, rand: &[u8]) -> Vec<u8> {
    let mut l = Vec::with_capacity(9 + rand.len());
    l.extend_from_slice(&constant.to_be_bytes());
    l.push(0xFF);
    l.extend_from_slice(&csb_id.to_be_bytes());
    l.extend_from_slice(rand);
    l
}

/// `constant || cs_id || CSB ID || RAND` (§4.1.3).
pub fn session_label(constant: u32, cs_id: u8, csb_id: u32, rand: &[u8]) -> Vec<u8> {
    let mut l = Vec::with_capacity(9 + rand.len());
    l.extend_from_slice(&constant.to_be_bytes());
    l.push(cs_id);
    l.extend_from_slice(&csb_id.to_be_bytes());
    l.extend_from_slice(rand);
    l
}

/// The three keys that protect one MIKEY message exchange (KEMAC and V payload).
#[derive(Clone)]
pub struct MessageKeys {
    /// encr_key (16 bytes for AES-CM-128 / AES-CCM-128).
    pub encr: Zeroizing<Vec<u8>>,
    /// auth_key (20 bytes for HMAC-SHA-1-160, 32 for HMAC-SHA-256-256). Also keys the V MAC.
    pub auth: Zeroizing<Vec<u8>>,
    /// salt_key (14 bytes: the AES-CM IV salt / CCM nonce salt).
    pub salt: Zeroizing<Vec<u8>>,
}

impl core::fmt::Debug for MessageKeys {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("MessageKeys { .. }")
    }
}

impl MessageKeys {
    /// encr/auth/salt from `inkey` (PSK or env_key) with the lengths of `profile`.
    pub fn derive(
        func: PrfFunc,
        inkey: &[u8],
        csb_id: u32,
        rand: &[u8],
        profile: KemacProfile,
        meter: &mut Meter,
    ) -> Self {
        Self::derive_with_lengths(
            func,
            inkey,
            csb_id,
            rand,
            profile.encr_key_len(),
            profile.auth_key_len(),
            profile.salt_len(),
            meter,
        )
    }

    /// encr/auth/salt with explicit lengths in bytes (e.g. auth 32 for HMAC-SHA-256-256).
    #[allow(clippy::too_many_arguments)]
    pub fn derive_with_lengths(
        func: PrfFunc,
        inkey: &[u8],
        csb_id: u32,
        rand: &[u8],
        encr_len: usize,
        auth_len: usize,
        salt_len: usize,
        meter: &mut Meter,
    ) -> Self {
        let encr = prf(func, inkey, &message_label(C_ENCR, csb_id, rand), encr_len, meter);
        let auth = prf(func, inkey, &message_label(C_AUTH, csb_id, rand), auth_len, meter);
        let salt = prf(func, inkey, &message_label(C_SALT, csb_id, rand), salt_len, meter);
        MessageKeys { encr, auth, salt }
    }
}

/// TEK for crypto session `cs_id` (§4.1.3), `bytes` long (16 for the SRTP master key).
pub fn tek(
    func: PrfFunc,
    tgk: &[u8],
    cs_id: u8,
    csb_id: u32,
    rand: &[u8],
    bytes: usize,
    meter: &mut Meter,
) -> Zeroizing<Vec<u8>> {
    prf(func, tgk, &session_label(C_TEK, cs_id, csb_id, rand), bytes, meter)
}

/// Salting key for crypto session `cs_id` (§4.1.3), `bytes` long (14 for SRTP).
pub fn salt(
    func: PrfFunc,
    tgk: &[u8],
    cs_id: u8,
    csb_id: u32,
    rand: &[u8],
    bytes: usize,
    meter: &mut Meter,
) -> Zeroizing<Vec<u8>> {
    prf(func, tgk, &session_label(C_SP_SALT, cs_id, csb_id, rand), bytes, meter)
}

/// Security-protocol authentication key for `cs_id` (§4.1.3; only for protocols that cannot
/// derive their own).
pub fn session_auth(
    func: PrfFunc,
    tgk: &[u8],
    cs_id: u8,
    csb_id: u32,
    rand: &[u8],
    bytes: usize,
    meter: &mut Meter,
) -> Zeroizing<Vec<u8>> {
    prf(func, tgk, &session_label(C_SP_AUTH, cs_id, csb_id, rand), bytes, meter)
}

/// Security-protocol encryption key for `cs_id` (§4.1.3).
pub fn session_encr(
    func: PrfFunc,
    tgk: &[u8],
    cs_id: u8,
    csb_id: u32,
    rand: &[u8],
    bytes: usize,
    meter: &mut Meter,
) -> Zeroizing<Vec<u8>> {
    prf(func, tgk, &session_label(C_SP_ENCR, cs_id, csb_id, rand), bytes, meter)
}

/// D-MIKEY auth_key_RI (see docs/distributed-mode.md, "The key of R_I"): 20 bytes keying R's V
/// payload in R_I.
pub fn auth_key_ri(
    func: PrfFunc,
    tgk: &[u8],
    csb_id: u32,
    rand: &[u8],
    meter: &mut Meter,
) -> Zeroizing<Vec<u8>> {
    prf(func, tgk, &message_label(C_AUTH, csb_id, rand), 20, meter)
}

/// D-MIKEY key check value (tag 0x0A): 8 bytes that let R test a rebuilt TGK (see
/// docs/distributed-mode.md, "Key check value").
/// Not secret once sent, so returned as a plain array.
pub fn kcv(
    func: PrfFunc,
    tgk: &[u8],
    csb_id: u32,
    rand: &[u8],
    meter: &mut Meter,
) -> [u8; KCV_LEN] {
    let v = prf(func, tgk, &message_label(C_KCV, csb_id, rand), KCV_LEN, meter);
    let mut out = [0u8; KCV_LEN];
    out.copy_from_slice(&v[..KCV_LEN]);
    out
}

/// Constant-time comparison of a received KCV with the one computed from a candidate TGK.
pub fn kcv_matches(
    func: PrfFunc,
    tgk: &[u8],
    csb_id: u32,
    rand: &[u8],
    received: &[u8],
    meter: &mut Meter,
) -> bool {
    use subtle::ConstantTimeEq;
    let mine = kcv(func, tgk, csb_id, rand, meter);
    bool::from(mine.as_slice().ct_eq(received))
}
