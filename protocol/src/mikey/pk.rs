//! RFC 3830 §3.2 public-key mode: the I_MESSAGE
//! `HDR, T, RAND, [IDi|CERTi], [IDr], {SP}, KEMAC, [CHASH], PKE, SIGNi` — KEMAC =
//! `E(encr_key, IDi || {Key data})` with the MAC over the KEMAC alone (next = 0), PKE =
//! RSA(PK_R, env_key), SIGN over every byte up to and including the SIGN header — and the
//! verification message `HDR, T, [IDr], V` (data type 3). The distributed mode's TPi_R and
//! R_TPi are built on these.

use zeroize::Zeroizing;

use super::core::{
    self, Coverage, Slot, check_template, crypto_prf, encode_with_kemac, expect_data_type,
    open_kemac,
};
use super::pkix::{self, RsaPrivate, RsaPublic};
use crate::cost::Meter;
use crate::crypto::derive::MessageKeys;
use crate::crypto::kemac::KemacProfile;
use crate::crypto::rng::Rng;
use crate::crypto::rsa::{PkePadding, SignPadding};
use crate::error::Error;
use crate::wire::{
    Cert, Chash, DataType, Decoded, GenExt, Hdr, Id, KeyData, Payload, PayloadKind as K, Pke,
    PkeCache, Rand, Sign, Sp, T, Timestamp, decode_key_data_chain, encode_key_data_chain,
};

/// The KEMAC profile of the public-key segment (RFC 3830 default).
pub const PK_PROFILE: KemacProfile = KemacProfile::AesCmHmacSha1;

/// The cleartext part of a PK I_MESSAGE.
#[derive(Debug, Clone)]
pub struct PkInit {
    /// HDR; the builder sets data type 2.
    pub hdr: Hdr,
    pub t: Timestamp,
    pub rand: Vec<u8>,
    /// The initiator's certificate (leaf first, then the chain), carried instead of IDi.
    pub certs: Vec<Cert>,
    pub id_r: Option<Id>,
    pub sp: Vec<Sp>,
    pub ext: Option<GenExt>,
    pub chash: Option<Chash>,
}

/// What the signer and the envelope need.
pub struct PkKeys<'a> {
    pub env_key: &'a [u8],
    pub responder: &'a RsaPublic,
    pub pke: PkePadding,
    pub signer: &'a RsaPrivate,
    pub sign: SignPadding,
}

/// Builds a PK I_MESSAGE: KEMAC with `id_i` first in the encrypted chain, PKE, SIGN.
/// Returns the bytes and the message keys derived from the envelope key.
pub fn build_init(
    c: &PkInit,
    id_i: &Id,
    keys: &[KeyData],
    k: &PkKeys<'_>,
    rng: &mut dyn Rng,
    meter: &mut Meter,
) -> Result<(Vec<u8>, MessageKeys), Error> {
    let sig_len = pkix::modulus_len(k.signer);
    let envelope = Envelope { env_key: k.env_key, responder: k.responder, pke: k.pke };
    let (mut bytes, mk) =
        build_init_unsigned(c, id_i, keys, &envelope, k.sign, sig_len, rng, meter)?;
    sign_tail(&mut bytes, sig_len, k.signer, k.sign, rng, meter)?;
    Ok((bytes, mk))
}

/// The envelope of a PK I_MESSAGE: the envelope key and whom it is encrypted to.
pub struct Envelope<'a> {
    pub env_key: &'a [u8],
    pub responder: &'a RsaPublic,
    pub pke: PkePadding,
}

/// A PK I_MESSAGE as [`build_init`] builds it, with a SIGN payload of `sig_len` zero bytes
/// left for [`sign_tail`] to fill (the intruder, without the signer's key, fills it otherwise).
#[allow(clippy::too_many_arguments)]
pub fn build_init_unsigned(
    c: &PkInit,
    id_i: &Id,
    keys: &[KeyData],
    e: &Envelope<'_>,
    sign: SignPadding,
    sig_len: usize,
    rng: &mut dyn Rng,
    meter: &mut Meter,
) -> Result<(Vec<u8>, MessageKeys), Error> {
    let mut hdr = c.hdr.clone();
    hdr.data_type = DataType::PkInit;
    let mk =
        MessageKeys::derive(crypto_prf(hdr.prf), e.env_key, hdr.csb_id, &c.rand, PK_PROFILE, meter);
    let mut payloads = vec![Payload::T(T(c.t)), Payload::Rand(Rand(c.rand.clone()))];
    payloads.extend(c.certs.iter().cloned().map(Payload::Cert));
    if let Some(r) = &c.id_r {
        payloads.push(Payload::Id(r.clone()));
    }
    payloads.extend(c.sp.iter().cloned().map(Payload::Sp));
    if let Some(g) = &c.ext {
        payloads.push(Payload::GenExt(g.clone()));
    }
    let pke = pkix::pke_encrypt(e.responder, e.pke, e.env_key, rng, meter)?;
    let mut after = Vec::new();
    if let Some(h) = &c.chash {
        after.push(Payload::Chash(h.clone()));
    }
    after.push(Payload::Pke(Pke { cache: PkeCache::NoCache, data: pke }));
    after.push(Payload::Sign(Sign { stype: pkix::sign_type(sign), signature: vec![0; sig_len] }));
    let plain = Zeroizing::new(encode_key_data_chain(Some(id_i), keys));
    let (_, bytes) = encode_with_kemac(
        hdr,
        payloads,
        after,
        &plain,
        &mk,
        PK_PROFILE,
        Coverage::KemacOnly,
        &c.t,
        meter,
    )?;
    Ok((bytes, mk))
}

/// Signs every byte before the last `sig_len` bytes and writes the signature there.
pub fn sign_tail(
    bytes: &mut [u8],
    sig_len: usize,
    key: &RsaPrivate,
    pad: SignPadding,
    rng: &mut dyn Rng,
    meter: &mut Meter,
) -> Result<(), Error> {
    let covered_end = bytes.len().saturating_sub(sig_len);
    let sig = pkix::sign(key, pad, core::slice(bytes, 0..covered_end)?, rng, meter)?;
    let len = bytes.len();
    bytes
        .get_mut(covered_end..)
        .filter(|s| s.len() == sig.len())
        .ok_or(Error::LayoutOutOfRange { start: covered_end, end: covered_end + sig.len(), len })?
        .copy_from_slice(&sig);
    Ok(())
}

/// Verifies the SIGN payload (the last one) of a received message with `signer`'s key, over
/// its bytes as received.
pub fn verify_sign(
    d: &Decoded,
    signer_key: &RsaPublic,
    signer_name: &str,
    meter: &mut Meter,
) -> Result<(), Error> {
    let Some(Payload::Sign(s)) = d.message.payloads.last() else {
        return Err(Error::PayloadMissing { message: signer_name.to_string(), payload: "SIGN" });
    };
    let bytes = d.bytes();
    let covered_end = bytes.len().saturating_sub(s.signature.len());
    pkix::verify(
        signer_key,
        pkix::sign_padding(s.stype),
        core::slice(bytes, 0..covered_end)?,
        &s.signature,
        signer_name,
        meter,
    )
}

/// A PK I_MESSAGE whose structure is checked (nothing verified yet).
#[derive(Debug, Clone)]
pub struct ParsedInit<'a> {
    pub decoded: &'a Decoded,
    pub content: PkInit,
    pub pke: Pke,
    kemac_idx: usize,
}

/// Checks the template of a decoded PK I_MESSAGE.
pub fn parse_init<'a>(decoded: &'a Decoded, label: &str) -> Result<ParsedInit<'a>, Error> {
    let msg = &decoded.message;
    expect_data_type(&msg.hdr, DataType::PkInit, label)?;
    check_template(
        msg,
        label,
        &[
            Slot(K::T, 1, 1),
            Slot(K::Rand, 1, 1),
            Slot(K::Cert, 1, 8),
            Slot(K::Id, 0, 1),
            Slot(K::Sp, 0, 255),
            Slot(K::GenExt, 0, 1),
            Slot(K::Kemac, 1, 1),
            Slot(K::Chash, 0, 1),
            Slot(K::Pke, 1, 1),
            Slot(K::Sign, 1, 1),
        ],
    )?;
    let content = PkInit {
        hdr: msg.hdr.clone(),
        t: core::timestamp(msg, label)?,
        rand: core::rand(msg, label)?,
        certs: msg
            .payloads
            .iter()
            .filter_map(|p| if let Payload::Cert(c) = p { Some(c.clone()) } else { None })
            .collect(),
        id_r: msg.ids().first().map(|i| (*i).clone()),
        sp: msg
            .payloads
            .iter()
            .filter_map(|p| if let Payload::Sp(s) = p { Some(s.clone()) } else { None })
            .collect(),
        ext: msg
            .payloads
            .iter()
            .find_map(|p| if let Payload::GenExt(g) = p { Some(g.clone()) } else { None }),
        chash: msg
            .payloads
            .iter()
            .find_map(|p| if let Payload::Chash(h) = p { Some(h.clone()) } else { None }),
    };
    let pke = msg
        .payloads
        .iter()
        .find_map(|p| if let Payload::Pke(k) = p { Some(k.clone()) } else { None })
        .ok_or_else(|| Error::PayloadMissing { message: label.to_string(), payload: "PKE" })?;
    let (kemac_idx, _) = core::kemac(msg, label)?;
    Ok(ParsedInit { decoded, content, pke, kemac_idx })
}

/// The decrypted content of a PK I_MESSAGE.
#[derive(Debug, Clone)]
pub struct OpenedInit {
    pub keys: MessageKeys,
    /// The identity encrypted first in the KEMAC (must equal the signer's).
    pub id_i: Id,
    pub key_data: Vec<KeyData>,
}

/// Decrypts the envelope key with R's private key, verifies the KEMAC MAC and decrypts it. Call
/// only after [`verify_sign`] and the certificate check passed (docs/responder-checks.md,
/// "Processing order").
pub fn open_init(
    p: &ParsedInit<'_>,
    key: &RsaPrivate,
    pad: PkePadding,
    label: &str,
    rng: &mut dyn Rng,
    meter: &mut Meter,
) -> Result<OpenedInit, Error> {
    let (_, k) = core::kemac(&p.decoded.message, label)?;
    let profile = core::kemac_profile(&k, PK_PROFILE, label)?;
    let env_key = pkix::pke_decrypt(key, pad, &p.pke.data, label, rng, meter)?;
    let c = &p.content;
    let keys =
        MessageKeys::derive(crypto_prf(c.hdr.prf), &env_key, c.hdr.csb_id, &c.rand, profile, meter);
    let plain = open_kemac(
        p.decoded,
        p.kemac_idx,
        &keys,
        profile,
        Coverage::KemacOnly,
        &c.t,
        label,
        meter,
    )?;
    let (id, key_data, _) = decode_key_data_chain(&plain, true)?;
    let id_i = id.ok_or_else(|| Error::PayloadMissing {
        message: label.to_string(),
        payload: "IDi (inside the KEMAC)",
    })?;
    Ok(OpenedInit { keys, id_i, key_data })
}
