//! Recorded crypto operations: what is needed to redo one operation of a session, alone.
//!
//! `dmikey bench` compares the time of a whole session with its *crypto floor*: the sum of
//! the times of the session's own crypto operations, each re-executed alone, outside any
//! session. To get there, every primitive of [`crate::crypto`] hands the
//! [`crate::cost::Meter`] a [`CryptoOp`] describing the call — its kind and its inputs (same
//! keys, same bytes, same paddings) — right before it runs. The meter keeps it only while a
//! [`crate::cost::Recording`] is active on the thread, and only for *outermost* operations:
//! the HMAC inside an AES-CM KEMAC is redone as part of that KEMAC, never twice. Outside a
//! recording nothing is built (the description is a closure that is not called), so the
//! protocol code pays nothing.
//!
//! [`CryptoOp::redo`] calls the same public primitive again with a fresh meter. It is given a
//! fresh RNG: randomness only feeds RSA blinding, OAEP seeds, PSS salts and key generation,
//! whose cost does not depend on the values drawn. Results are thrown away, failures too (a
//! tampered KEMAC fails in the session and fails again here, after the same work).

use super::derive::MessageKeys;
use super::dh::DhKeyPair;
use super::kemac::{self, Covered, KemacProfile};
use super::mac::{self, MacAlg};
use super::prf::{self, PrfFunc};
use super::rng::Rng;
use super::rsa::{self, PkePadding, RsaBits, RsaPrivateKey, RsaPublicKey, SignPadding};
use super::x509::{self, CertRole, CertificateAuthority, ValidityWindow};
use crate::cost::Meter;
use zeroize::Zeroizing;

/// One crypto operation of a session, with everything needed to run it again.
#[derive(Clone)]
pub enum CryptoOp {
    /// `prf::prf(func, inkey, label, out_bytes)`.
    Prf { func: PrfFunc, inkey: Zeroizing<Vec<u8>>, label: Vec<u8>, out_bytes: usize },
    /// `mac::compute(alg, key, parts)` (a V-payload MAC or its check).
    Hmac { alg: MacAlg, key: Zeroizing<Vec<u8>>, parts: Vec<Vec<u8>> },
    /// `kemac::encrypt`.
    KemacSeal {
        profile: KemacProfile,
        keys: MessageKeys,
        csb_id: u32,
        t64: [u8; 8],
        plaintext: Zeroizing<Vec<u8>>,
        before: Vec<u8>,
        after: Vec<u8>,
    },
    /// `kemac::decrypt` (MAC check, then decryption).
    KemacOpen {
        profile: KemacProfile,
        keys: MessageKeys,
        csb_id: u32,
        t64: [u8; 8],
        encr_data: Vec<u8>,
        before: Vec<u8>,
        after: Vec<u8>,
        mac_field: Vec<u8>,
    },
    /// `rsa::generate`.
    RsaKeygen { bits: RsaBits },
    /// `rsa::pke_encrypt` of the envelope key.
    PkeEncrypt { pk: RsaPublicKey, padding: PkePadding, msg: Zeroizing<Vec<u8>> },
    /// `rsa::pke_decrypt` of a PKE payload.
    PkeDecrypt { sk: RsaPrivateKey, padding: PkePadding, ciphertext: Vec<u8> },
    /// `rsa::sign` of the signed part of a message.
    Sign { sk: RsaPrivateKey, padding: SignPadding, msg: Vec<u8> },
    /// `rsa::verify` of a SIGN payload.
    Verify { pk: RsaPublicKey, padding: SignPadding, msg: Vec<u8>, signature: Vec<u8> },
    /// `x509::CertificateAuthority::new` (self-signed CA certificate).
    CaNew { name: String, key: RsaPrivateKey, validity: ValidityWindow },
    /// `x509::CertificateAuthority::issue`.
    CertIssue {
        ca: CertificateAuthority,
        subject_cn: String,
        role: CertRole,
        public_key: RsaPublicKey,
        validity: ValidityWindow,
        serial: u64,
    },
    /// `x509::verify` of a certificate against the CA certificate.
    CertVerify { cert: Vec<u8>, ca_cert: Vec<u8>, now: u64, claimed: String },
    /// `dh::DhKeyPair::generate`: g^x with this exponent.
    DhGenerate { x: Zeroizing<Vec<u8>> },
    /// `dh::DhKeyPair::shared_secret`: peer^x.
    DhShared { x: Zeroizing<Vec<u8>>, peer: Vec<u8> },
}

impl core::fmt::Debug for CryptoOp {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "CryptoOp({})", self.kind())
    }
}

impl CryptoOp {
    /// Every kind name, in display order (for tables).
    pub const KINDS: [&'static str; 14] = [
        "PRF (key derivation)",
        "HMAC (V payload)",
        "KEMAC seal",
        "KEMAC open",
        "RSA key generation",
        "RSA encrypt (PKE)",
        "RSA decrypt (PKE)",
        "RSA sign",
        "RSA verify",
        "X.509 CA certificate",
        "X.509 issue",
        "X.509 verify",
        "DH g^x",
        "DH shared secret",
    ];

    /// The kind of operation, one of [`CryptoOp::KINDS`].
    pub fn kind(&self) -> &'static str {
        let i = match self {
            CryptoOp::Prf { .. } => 0,
            CryptoOp::Hmac { .. } => 1,
            CryptoOp::KemacSeal { .. } => 2,
            CryptoOp::KemacOpen { .. } => 3,
            CryptoOp::RsaKeygen { .. } => 4,
            CryptoOp::PkeEncrypt { .. } => 5,
            CryptoOp::PkeDecrypt { .. } => 6,
            CryptoOp::Sign { .. } => 7,
            CryptoOp::Verify { .. } => 8,
            CryptoOp::CaNew { .. } => 9,
            CryptoOp::CertIssue { .. } => 10,
            CryptoOp::CertVerify { .. } => 11,
            CryptoOp::DhGenerate { .. } => 12,
            CryptoOp::DhShared { .. } => 13,
        };
        Self::KINDS.get(i).copied().unwrap_or("?")
    }

    /// Runs the operation again through the same primitive, counting on `meter`. The result
    /// (and any failure, which the session met as well) is discarded.
    pub fn redo(&self, rng: &mut dyn Rng, meter: &mut Meter) {
        match self {
            CryptoOp::Prf { func, inkey, label, out_bytes } => {
                let _ = prf::prf(*func, inkey, label, *out_bytes, meter);
            }
            CryptoOp::Hmac { alg, key, parts } => {
                let parts: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
                let _ = mac::compute(*alg, key, &parts, meter);
            }
            CryptoOp::KemacSeal { profile, keys, csb_id, t64, plaintext, before, after } => {
                let covered = Covered { before, after };
                let _ = kemac::encrypt(*profile, keys, *csb_id, *t64, plaintext, covered, meter);
            }
            CryptoOp::KemacOpen {
                profile,
                keys,
                csb_id,
                t64,
                encr_data,
                before,
                after,
                mac_field,
            } => {
                let covered = Covered { before, after };
                let _ = kemac::decrypt(
                    *profile, keys, *csb_id, *t64, encr_data, covered, mac_field, "replay", meter,
                );
            }
            CryptoOp::RsaKeygen { bits } => {
                let _ = rsa::generate(rng, *bits, meter);
            }
            CryptoOp::PkeEncrypt { pk, padding, msg } => {
                let _ = rsa::pke_encrypt(pk, *padding, rng, msg, meter);
            }
            CryptoOp::PkeDecrypt { sk, padding, ciphertext } => {
                let _ = rsa::pke_decrypt(sk, *padding, rng, ciphertext, "replay", meter);
            }
            CryptoOp::Sign { sk, padding, msg } => {
                let _ = rsa::sign(sk, *padding, rng, msg, meter);
            }
            CryptoOp::Verify { pk, padding, msg, signature } => {
                let _ = rsa::verify(pk, *padding, msg, signature, "replay", meter);
            }
            CryptoOp::CaNew { name, key, validity } => {
                let _ = CertificateAuthority::new(name, key.clone(), *validity, meter);
            }
            CryptoOp::CertIssue { ca, subject_cn, role, public_key, validity, serial } => {
                let _ = ca.issue(subject_cn, *role, public_key, *validity, *serial, meter);
            }
            CryptoOp::CertVerify { cert, ca_cert, now, claimed } => {
                let _ = x509::verify(cert, ca_cert, *now, claimed, meter);
            }
            CryptoOp::DhGenerate { x } => {
                let _ = DhKeyPair::from_exponent(x.clone(), meter);
            }
            CryptoOp::DhShared { x, peer } => {
                let _ = DhKeyPair::exponent_only(x.clone()).shared_secret(peer, meter);
            }
        }
    }
}
