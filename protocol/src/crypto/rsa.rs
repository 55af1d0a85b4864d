//! RSA for the public-key segment (TP → R): PKE (the envelope key under R's public key,
//! RFC 3830 §4.2.5, §6.3) and SIGN (the TP's signature over TPi_R, §4.2.6, §6.5), with key
//! sizes 1024, 2048 and 3072 bits.
//!
//! * PKE: RSAES-OAEP with SHA-256 and MGF1-SHA-256, empty label (default, "RECOMMENDED" by
//!   §4.2.5), or RSAES-PKCS1-v1_5 (mandatory to support, selectable). The scheme is not on the
//!   wire; it is a profile decision (see docs/wire-format.md, "RSA profile").
//! * SIGN: RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (S type 1, default), or
//!   RSASSA-PKCS1-v1_5 with SHA-256 (S type 0). The hash is a profile decision (ibid.).
//!
//! **Which `rsa` line, and why.** This module uses `rsa` **0.10.0**. The RustSec advisory
//! RUSTSEC-2023-0071 (the Marvin timing side channel, which can leak the private key through
//! decryption timing) lists no patched version, 0.10.0 included; `deny.toml` records why we
//! accept it here. The crate itself claims more: its 0.10.0 README says, verbatim: "This crate
//! was previously vulnerable to the [Marvin Attack] which could enable private key recovery by
//! a network attacker (see [RUSTSEC-2023-0071]). … Users are advised to migrate to 0.10 in
//! order to avoid the discovered side channels." and its CHANGELOG (0.10.0, Security): "Replace
//! `num-bigint-dig` with `crypto-bigint` for constant-time modular exponentiation" and
//! "Implement PKCS#1 v1.5 implicit rejection: return deterministic synthetic plaintext on
//! invalid padding instead of exposing a padding error and with it a sidechannel". We have
//! not audited these claims, and the advisory does not reflect them. Consequence of implicit
//! rejection: a PKCS#1 v1.5 PKE that was tampered with usually "decrypts" to a wrong envelope
//! key instead of failing, and the failure then shows as a MAC mismatch in the KEMAC — which
//! is exactly what hides the oracle.
//!
//! **Why R verifies the TP's signature before it decrypts the PKE** (RFC 3830 §5.3; see
//! docs/responder-checks.md, "Processing order", step 3): the signature check is a cheap public-key
//! operation and authenticates the sender, so an unauthenticated attacker cannot make R run its
//! private key at all — that limits both denial of service (the private operation is the expensive
//! one) and any decryption oracle (Bleichenbacher/Marvin against PKCS#1 v1.5) to certified TPs.
//!
//! Keys are `Arc`-backed, so cloning a key for a role is cheap. Private operations are
//! blinded with the caller's RNG. Every operation is counted in the [`Meter`].

use super::recorded::CryptoOp;
use super::rng::Rng;
use crate::Error;
use crate::cost::{Meter, Op, RsaKind};
use rsa::pkcs8::der::Decode;
use rsa::pkcs8::spki::SubjectPublicKeyInfoRef;
use rsa::pkcs8::{
    DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, PrivateKeyInfoRef,
};
use rsa::traits::PublicKeyParts;
use sha2::Sha256;
use std::sync::Arc;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// The RSA modulus sizes the demonstrator offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RsaBits {
    B1024,
    B2048,
    B3072,
}

impl RsaBits {
    /// All sizes, smallest first.
    pub const ALL: [RsaBits; 3] = [RsaBits::B1024, RsaBits::B2048, RsaBits::B3072];

    /// The size of a modulus of `bits` bits, if we offer it.
    pub fn from_bits(bits: usize) -> Option<RsaBits> {
        RsaBits::ALL.into_iter().find(|r| r.bits() == bits)
    }

    /// The modulus size in bits.
    pub fn bits(self) -> usize {
        match self {
            RsaBits::B1024 => 1024,
            RsaBits::B2048 => 2048,
            RsaBits::B3072 => 3072,
        }
    }
}

/// The PKE padding (not signalled on the wire).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum PkePadding {
    /// RSAES-OAEP, SHA-256, MGF1-SHA-256, empty label.
    #[default]
    Oaep,
    /// RSAES-PKCS1-v1_5 (with implicit rejection on decryption).
    Pkcs1v15,
}

/// The SIGN padding; its S type is on the wire (§6.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SignPadding {
    /// S type 1: RSASSA-PSS, SHA-256, MGF1-SHA-256, 32-byte salt.
    #[default]
    Pss,
    /// S type 0: RSASSA-PKCS1-v1_5 with SHA-256.
    Pkcs1v15,
}

impl SignPadding {
    /// The S type nibble of the SIGN payload.
    pub fn s_type(self) -> u8 {
        match self {
            SignPadding::Pkcs1v15 => 0,
            SignPadding::Pss => 1,
        }
    }

    /// The padding for an S type, if it is an RSA one.
    pub fn from_s_type(s_type: u8) -> Option<Self> {
        match s_type {
            0 => Some(SignPadding::Pkcs1v15),
            1 => Some(SignPadding::Pss),
            _ => None,
        }
    }
}

/// An RSA public key (cheap to clone).
#[derive(Clone, PartialEq, Eq)]
pub struct RsaPublicKey(Arc<rsa::PublicKey>);

/// An RSA private key (cheap to clone; the `rsa` crate zeroizes it on drop).
#[derive(Clone)]
pub struct RsaPrivateKey(Arc<rsa::PrivateKey>);

impl core::fmt::Debug for RsaPublicKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "RsaPublicKey({} bits)", self.bits())
    }
}

impl core::fmt::Debug for RsaPrivateKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "RsaPrivateKey({} bits, ..)", self.public_key().bits())
    }
}

fn rsa_err(what: &str, e: rsa::Error) -> Error {
    Error::Rsa(format!("{what}: {e}"))
}

impl RsaPublicKey {
    /// Modulus size in bits.
    pub fn bits(&self) -> usize {
        self.0.n_bits_precision() as usize
    }

    /// Modulus size in bytes (= the length of a PKE or signature).
    pub fn size(&self) -> usize {
        self.0.size()
    }

    /// The DER SubjectPublicKeyInfo (for a certificate): `SEQUENCE { AlgorithmIdentifier
    /// { rsaEncryption, NULL }, BIT STRING { RSAPublicKey SEQUENCE { n, e } } }` (RFC 5280
    /// §4.1.2.7, RFC 8017 A.1.1), written by the `rsa` crate.
    pub fn to_spki_der(&self) -> Result<Vec<u8>, Error> {
        self.0
            .to_public_key_der()
            .map(|d| d.into_vec())
            .map_err(|e| der_err("the SubjectPublicKeyInfo", e))
    }

    /// Parses a DER SubjectPublicKeyInfo holding an RSA key (rsaEncryption with NULL
    /// parameters) of a size the `rsa` crate accepts, in its one DER encoding.
    pub fn from_spki_der(der: &[u8]) -> Result<Self, Error> {
        let what = "the SubjectPublicKeyInfo";
        let spki = SubjectPublicKeyInfoRef::from_der(der).map_err(|e| der_err(what, e))?;
        expect_rsa_encryption(what, spki.algorithm.oid)?;
        let key = rsa::PublicKey::from_public_key_der(der)
            .map(|k| RsaPublicKey(Arc::new(k)))
            .map_err(|e| der_err(what, e))?;
        if key.to_spki_der()? != der {
            return Err(der_err(what, "it is not in DER (written again, its bytes differ)"));
        }
        Ok(key)
    }

    /// The inner `rsa` key.
    pub fn inner(&self) -> &rsa::PublicKey {
        &self.0
    }
}

impl RsaPrivateKey {
    /// The matching public key.
    pub fn public_key(&self) -> RsaPublicKey {
        RsaPublicKey(Arc::new(self.0.to_public_key()))
    }

    /// The inner `rsa` key.
    pub fn inner(&self) -> &rsa::PrivateKey {
        &self.0
    }
}

/// Generates a key pair (e = 65537) from the injected RNG: deterministic under a seeded
/// [`super::rng::SimRng`]: `rsa`'s generator with the FIPS 186-5 conditions it does not check
/// applied on top ([`super::primes`]).
pub fn generate(
    rng: &mut dyn Rng,
    bits: RsaBits,
    meter: &mut Meter,
) -> Result<RsaPrivateKey, Error> {
    meter.rsa_keygen += 1;
    meter.record(|| CryptoOp::RsaKeygen { bits });
    meter.time(Op::RsaKeygen, |_| {
        super::primes::generate_key(rng, bits.bits()).map(|k| RsaPrivateKey(Arc::new(k)))
    })
}

/// PKE: encrypts `msg` (the envelope key) under `pk`.
pub fn pke_encrypt(
    pk: &RsaPublicKey,
    padding: PkePadding,
    rng: &mut dyn Rng,
    msg: &[u8],
    meter: &mut Meter,
) -> Result<Vec<u8>, Error> {
    meter.count_rsa(RsaKind::Encrypt, pk.size() * 8);
    meter.record(|| CryptoOp::PkeEncrypt {
        pk: pk.clone(),
        padding,
        msg: Zeroizing::new(msg.to_vec()),
    });
    meter
        .time(Op::RsaPublic, |_| match padding {
            PkePadding::Oaep => pk.0.oaep_encrypt_with_rng::<Sha256, _>(rng, msg),
            PkePadding::Pkcs1v15 => pk.0.pkcs1v15_encrypt_with_rng(rng, msg),
        })
        .map_err(|e| rsa_err("PKE encryption", e))
}

/// PKE: decrypts the envelope key. Every failure is the same [`Error::PkeDecryptFailed`]
/// (no padding detail). With PKCS#1 v1.5 a bad ciphertext usually yields a wrong key
/// (implicit rejection) rather than an error.
pub fn pke_decrypt(
    sk: &RsaPrivateKey,
    padding: PkePadding,
    rng: &mut dyn Rng,
    ciphertext: &[u8],
    message: &str,
    meter: &mut Meter,
) -> Result<Zeroizing<Vec<u8>>, Error> {
    meter.count_rsa(RsaKind::Decrypt, sk.public_key().size() * 8);
    meter.record(|| CryptoOp::PkeDecrypt {
        sk: sk.clone(),
        padding,
        ciphertext: ciphertext.to_vec(),
    });
    meter
        .time(Op::RsaPrivate, |_| match padding {
            PkePadding::Oaep => sk.0.oaep_decrypt_with_rng::<Sha256, _>(rng, ciphertext),
            PkePadding::Pkcs1v15 => sk.0.pkcs1v15_decrypt_with_rng(rng, ciphertext),
        })
        .map(Zeroizing::new)
        .map_err(|_| Error::PkeDecryptFailed { message: message.to_string() })
}

/// SIGN: signs `msg` (all bytes from HDR through the 2-byte SIGN header; see
/// docs/wire-format.md, "MAC and signature coverage").
pub fn sign(
    sk: &RsaPrivateKey,
    padding: SignPadding,
    rng: &mut dyn Rng,
    msg: &[u8],
    meter: &mut Meter,
) -> Result<Vec<u8>, Error> {
    meter.count_rsa(RsaKind::Sign, sk.public_key().size() * 8);
    meter.record(|| CryptoOp::Sign { sk: sk.clone(), padding, msg: msg.to_vec() });
    meter
        .time(Op::RsaPrivate, |_| match padding {
            SignPadding::Pss => sk.0.pss_sign_with_rng::<Sha256, _>(rng, msg),
            SignPadding::Pkcs1v15 => sk.0.pkcs1v15_sign_with_rng::<Sha256, _>(rng, msg),
        })
        .map_err(|e| rsa_err("signing", e))
}

/// Verifies a signature by `signer` (a name for the error: "signature by TP3 does not
/// verify").
pub fn verify(
    pk: &RsaPublicKey,
    padding: SignPadding,
    msg: &[u8],
    signature: &[u8],
    signer: &str,
    meter: &mut Meter,
) -> Result<(), Error> {
    meter.count_rsa(RsaKind::Verify, pk.size() * 8);
    meter.record(|| CryptoOp::Verify {
        pk: pk.clone(),
        padding,
        msg: msg.to_vec(),
        signature: signature.to_vec(),
    });
    meter
        .time(Op::RsaPublic, |_| match padding {
            SignPadding::Pss => pk.0.pss_verify::<Sha256>(msg, signature),
            SignPadding::Pkcs1v15 => pk.0.pkcs1v15_verify::<Sha256>(msg, signature),
        })
        .map_err(|_| Error::SignatureInvalid { signer: signer.to_string() })
}

fn der_err(what: &'static str, e: impl core::fmt::Display) -> Error {
    Error::Der { what, reason: e.to_string() }
}

/// Only rsaEncryption keys (not id-RSASSA-PSS, which the `rsa` crate also reads).
fn expect_rsa_encryption(
    what: &'static str,
    oid: rsa::pkcs8::ObjectIdentifier,
) -> Result<(), Error> {
    if oid != rsa::pkcs1::ALGORITHM_OID {
        return Err(der_err(what, format!("the key's algorithm is {oid}, not rsaEncryption")));
    }
    Ok(())
}

// The byte form of a private key, for `roles::Pki::to_bytes` / `from_bytes` (the Web Worker
// hands the provisioned PKI to the page) and the knowledge panel.
impl RsaPrivateKey {
    /// PKCS#8 DER of the private key (RFC 5208 `PrivateKeyInfo { 0, rsaEncryption, OCTET
    /// STRING { RFC 8017 RSAPrivateKey { 0, n, e, d, p, q, dP, dQ, qInv } } }`), written by
    /// the `rsa` crate into memory that is zeroed when dropped.
    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>, Error> {
        self.0
            .to_pkcs8_der()
            .map(|d| Zeroizing::new(d.as_bytes().to_vec()))
            .map_err(|e| der_err("the private key", e))
    }

    /// Reads a PKCS#8 DER private key as [`Self::to_pkcs8_der`] writes it. The key must
    /// check out (`rsa`'s own validation), and the input must be exactly the encoding of the
    /// key it describes: its CRT values (dP, dQ, qInv), which `rsa` recomputes, included.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, Error> {
        let what = "the private key";
        let info = PrivateKeyInfoRef::from_der(der).map_err(|e| der_err(what, e))?;
        expect_rsa_encryption(what, info.algorithm.oid)?;
        let key = rsa::PrivateKey::from_pkcs8_der(der)
            .map(|k| RsaPrivateKey(Arc::new(k)))
            .map_err(|e| der_err(what, e))?;
        let again = key.to_pkcs8_der()?;
        if !bool::from(again.as_slice().ct_eq(der)) {
            return Err(der_err(
                what,
                "written again its bytes differ (not DER, or CRT values that do not fit its primes)",
            ));
        }
        Ok(key)
    }
}
