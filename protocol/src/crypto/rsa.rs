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

use super::asn1::{self, DerError, DerReader, tag};
use super::recorded::CryptoOp;
use super::rng::Rng;
use crate::Error;
use crate::cost::{Meter, Op};
use crypto_bigint::BoxedUint;
use rsa::traits::{PrivateKeyParts, PublicKeyParts};
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
    /// §4.1.2.7, RFC 8017 A.1.1).
    pub fn to_spki_der(&self) -> Result<Vec<u8>, Error> {
        let mut out = Vec::with_capacity(self.size() + 48);
        let spki = asn1::begin(&mut out, tag::SEQUENCE);
        out.extend_from_slice(RSA_ALGORITHM_ID);
        let bits = asn1::begin(&mut out, tag::BIT_STRING);
        out.push(0); // no unused bits
        let key = asn1::begin(&mut out, tag::SEQUENCE);
        asn1::uint(&mut out, &self.0.n_bytes());
        asn1::uint(&mut out, &self.0.e_bytes());
        asn1::end(&mut out, key);
        asn1::end(&mut out, bits);
        asn1::end(&mut out, spki);
        Ok(out)
    }

    /// Parses a DER SubjectPublicKeyInfo holding an RSA key (rsaEncryption with NULL
    /// parameters) of a size the `rsa` crate accepts.
    pub fn from_spki_der(der: &[u8]) -> Result<Self, Error> {
        let (n, e) = read_spki(der).map_err(Error::Der)?;
        rsa::PublicKey::new(n, e)
            .map(|k| RsaPublicKey(Arc::new(k)))
            .map_err(|e| rsa_err("decoding the public key", e))
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
/// [`super::rng::SimRng`]. The primes come from [`super::primes`] (our own trial division and
/// `crypto-primes`' Baillie–PSW test, FIPS 186-5 conditions as listed there), not from
/// `rsa`'s generator, whose sieve tables would weigh on the browser build.
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
    meter.rsa_public += 1;
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
    meter.rsa_private += 1;
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
    meter.rsa_private += 1;
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
    meter.rsa_public += 1;
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

/// AlgorithmIdentifier `{ rsaEncryption (1.2.840.113549.1.1.1), NULL }` as DER.
const RSA_ALGORITHM_ID: &[u8] =
    &[0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00];

/// A big integer from a DER magnitude, stored with the precision of `width` bytes (the
/// modulus length for the private parts, so that no precision depends on a secret's size).
fn big(magnitude: &[u8], width: usize, what: &'static str) -> Result<BoxedUint, DerError> {
    if magnitude.is_empty() {
        return Err(DerError::Invalid { what, why: "it is zero" });
    }
    if magnitude.len() > width || width > 2048 {
        return Err(DerError::Invalid { what, why: "it is larger than the modulus" });
    }
    let bits = u32::try_from(width * 8).unwrap_or(u32::MAX);
    BoxedUint::from_be_slice(magnitude, bits)
        .map_err(|_| DerError::Invalid { what, why: "it is larger than the modulus" })
}

// The byte form of a private key, for `roles::Pki::to_bytes` / `from_bytes` (the Web Worker
// hands the provisioned PKI to the page) and the knowledge panel.
impl RsaPrivateKey {
    /// PKCS#8 DER of the private key (RFC 5208 `PrivateKeyInfo { 0, rsaEncryption, OCTET
    /// STRING { RFC 8017 RSAPrivateKey { 0, n, e, d, p, q, dP, dQ, qInv } } }`).
    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>, Error> {
        let k = &*self.0;
        let (Some([p, q]), Some(dp), Some(dq), Some(qinv)) =
            (k.primes().get(..2), k.dp(), k.dq(), k.crt_coefficient().map(Zeroizing::new))
        else {
            return Err(Error::Rsa("encoding the private key: not a two-prime key".into()));
        };
        // Room for everything up front: no reallocation leaves a copy of a secret behind.
        let mut out = Zeroizing::new(Vec::with_capacity(10 * (k.size() + 8) + 64));
        let info = asn1::begin(&mut out, tag::SEQUENCE);
        asn1::u64(&mut out, 0);
        out.extend_from_slice(RSA_ALGORITHM_ID);
        let octets = asn1::begin(&mut out, tag::OCTET_STRING);
        let key = asn1::begin(&mut out, tag::SEQUENCE);
        asn1::u64(&mut out, 0); // version two-prime
        asn1::uint(&mut out, &k.n_bytes());
        asn1::uint(&mut out, &k.e_bytes());
        for secret in [k.d(), p.as_ref(), q.as_ref(), dp, dq, &qinv] {
            asn1::uint(&mut out, &Zeroizing::new(secret.to_be_bytes()));
        }
        asn1::end(&mut out, key);
        asn1::end(&mut out, octets);
        asn1::end(&mut out, info);
        Ok(out)
    }

    /// Reads a PKCS#8 DER private key as [`Self::to_pkcs8_der`] writes it. The key must
    /// check out (`rsa`'s own validation), and its CRT values must be the ones its primes
    /// give: the input must be exactly the encoding of the key it describes.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, Error> {
        let [n, e, d, p, q] = read_pkcs8(der).map_err(Error::Der)?;
        let key = rsa::PrivateKey::from_components(n, e, d, vec![p, q])
            .map(|k| RsaPrivateKey(Arc::new(k)))
            .map_err(|e| rsa_err("decoding the private key", e))?;
        let again = key.to_pkcs8_der()?;
        if !bool::from(again.as_slice().ct_eq(der)) {
            return Err(Error::Der(DerError::Invalid {
                what: "the private key",
                why: "its CRT values (dP, dQ, qInv) do not match its primes",
            }));
        }
        Ok(key)
    }
}

/// Reads the AlgorithmIdentifier of a key: rsaEncryption with NULL parameters, nothing else.
fn expect_rsa_algorithm(r: &mut DerReader<'_>) -> Result<(), DerError> {
    if r.read(tag::SEQUENCE, "the key's algorithm")?.whole != RSA_ALGORITHM_ID {
        return Err(DerError::Invalid {
            what: "the key's algorithm",
            why: "only rsaEncryption with NULL parameters is accepted",
        });
    }
    Ok(())
}

/// n and e of a SubjectPublicKeyInfo.
fn read_spki(der: &[u8]) -> Result<(BoxedUint, BoxedUint), DerError> {
    let spki = asn1::parse_one(der, tag::SEQUENCE, "the SubjectPublicKeyInfo")?;
    let mut r = DerReader::new(spki.content);
    expect_rsa_algorithm(&mut r)?;
    let bits = r.bit_string("the public key bits")?;
    r.finish("the public key bits")?;
    let key = asn1::parse_one(bits, tag::SEQUENCE, "the RSAPublicKey")?;
    let mut k = DerReader::new(key.content);
    let n = k.uint("the modulus n")?;
    let e = k.uint("the public exponent e")?;
    k.finish("the public exponent e")?;
    Ok((big(n, n.len(), "the modulus n")?, big(e, e.len(), "the public exponent e")?))
}

/// n, e, d, p, q of a PKCS#8 RSA private key.
fn read_pkcs8(der: &[u8]) -> Result<[BoxedUint; 5], DerError> {
    let info = asn1::parse_one(der, tag::SEQUENCE, "the PKCS#8 private key")?;
    let mut r = DerReader::new(info.content);
    if r.small_uint("the PKCS#8 version")? != 0 {
        return Err(DerError::Invalid { what: "the PKCS#8 version", why: "only version 0" });
    }
    expect_rsa_algorithm(&mut r)?;
    let octets = r.octet_string("the RSAPrivateKey")?;
    r.finish("the RSAPrivateKey")?;
    let mut k =
        DerReader::new(asn1::parse_one(octets, tag::SEQUENCE, "the RSAPrivateKey")?.content);
    if k.small_uint("the RSAPrivateKey version")? != 0 {
        return Err(DerError::Invalid {
            what: "the RSAPrivateKey version",
            why: "only two-prime keys (version 0)",
        });
    }
    let n = k.uint("the modulus n")?;
    let width = n.len();
    let n = big(n, width, "the modulus n")?;
    let e = k.uint("the public exponent e")?;
    let e = big(e, e.len(), "the public exponent e")?;
    let d = big(k.uint("the private exponent d")?, width, "the private exponent d")?;
    let p = big(k.uint("the prime p")?, width, "the prime p")?;
    let q = big(k.uint("the prime q")?, width, "the prime q")?;
    // dP, dQ and qInv follow from the rest; `from_pkcs8_der` checks them by re-encoding.
    for what in ["dP", "dQ", "qInv"] {
        k.uint(what)?;
    }
    k.finish("qInv")?;
    Ok([n, e, d, p, q])
}
