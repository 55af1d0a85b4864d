//! RFC 3830 §3.1 pre-shared-key mode: the I_MESSAGE `HDR, T, RAND, [IDi, [IDr]], {SP}, KEMAC`
//! (KEMAC last, its MAC over the whole message) and the verification message
//! `HDR, T, [IDr], V`. The distributed mode's I_TPi, TPi_I and R_I are built on these, and the
//! public-key mode's R_MESSAGE reuses the verification message with data type 3.

use zeroize::Zeroizing;

use super::core::{
    self, Coverage, Slot, check_template, crypto_prf, encode_with_kemac, encode_with_v,
    expect_data_type, open_kemac, verify_v,
};
use crate::cost::Meter;
use crate::crypto::derive::MessageKeys;
use crate::crypto::kemac::KemacProfile;
use crate::error::Error;
use crate::wire::{
    DataType, Decoded, GenExt, Hdr, Id, KeyData, Payload, PayloadKind as K, Rand, Sp, T, Timestamp,
    decode_key_data_chain, encode_key_data_chain,
};

/// The cleartext part of a PSK I_MESSAGE.
#[derive(Debug, Clone)]
pub struct PskInit {
    /// HDR; the builder sets data type 0.
    pub hdr: Hdr,
    pub t: Timestamp,
    pub rand: Vec<u8>,
    pub id_i: Option<Id>,
    pub id_r: Option<Id>,
    pub sp: Vec<Sp>,
    pub ext: Option<GenExt>,
}

/// Builds a PSK I_MESSAGE carrying `keys` in its KEMAC, protected with keys derived from `psk`.
/// Returns the bytes and the derived message keys (their auth key checks the answer's V).
pub fn build_init(
    c: &PskInit,
    psk: &[u8],
    keys: &[KeyData],
    profile: KemacProfile,
    meter: &mut Meter,
) -> Result<(Vec<u8>, MessageKeys), Error> {
    let mut hdr = c.hdr.clone();
    hdr.data_type = DataType::PskInit;
    let mk = MessageKeys::derive(crypto_prf(hdr.prf), psk, hdr.csb_id, &c.rand, profile, meter);
    let mut payloads = vec![Payload::T(T(c.t)), Payload::Rand(Rand(c.rand.clone()))];
    if let Some(i) = &c.id_i {
        payloads.push(Payload::Id(i.clone()));
        if let Some(r) = &c.id_r {
            payloads.push(Payload::Id(r.clone()));
        }
    }
    payloads.extend(c.sp.iter().cloned().map(Payload::Sp));
    if let Some(g) = &c.ext {
        payloads.push(Payload::GenExt(g.clone()));
    }
    let plain = Zeroizing::new(encode_key_data_chain(None, keys));
    let (_, bytes) = encode_with_kemac(
        hdr,
        payloads,
        Vec::new(),
        &plain,
        &mk,
        profile,
        Coverage::WholeMessage,
        &c.t,
        meter,
    )?;
    Ok((bytes, mk))
}

/// A PSK I_MESSAGE whose structure is checked but whose MAC is not (yet).
#[derive(Debug, Clone)]
pub struct ParsedInit<'a> {
    pub decoded: &'a Decoded,
    pub content: PskInit,
    kemac_idx: usize,
}

/// Checks the template of a decoded PSK I_MESSAGE.
pub fn parse_init<'a>(decoded: &'a Decoded, label: &str) -> Result<ParsedInit<'a>, Error> {
    let msg = &decoded.message;
    expect_data_type(&msg.hdr, DataType::PskInit, label)?;
    check_template(
        msg,
        label,
        &[
            Slot(K::T, 1, 1),
            Slot(K::Rand, 1, 1),
            Slot(K::Id, 0, 2),
            Slot(K::Sp, 0, 255),
            Slot(K::GenExt, 0, 1),
            Slot(K::Kemac, 1, 1),
        ],
    )?;
    let ids = msg.ids();
    let content = PskInit {
        hdr: msg.hdr.clone(),
        t: core::timestamp(msg, label)?,
        rand: core::rand(msg, label)?,
        id_i: ids.first().map(|i| (*i).clone()),
        id_r: ids.get(1).map(|i| (*i).clone()),
        sp: msg
            .payloads
            .iter()
            .filter_map(|p| if let Payload::Sp(s) = p { Some(s.clone()) } else { None })
            .collect(),
        ext: msg
            .payloads
            .iter()
            .find_map(|p| if let Payload::GenExt(g) = p { Some(g.clone()) } else { None }),
    };
    let (kemac_idx, _) = core::kemac(msg, label)?;
    Ok(ParsedInit { decoded, content, kemac_idx })
}

/// The verified content of a PSK I_MESSAGE.
#[derive(Debug, Clone)]
pub struct OpenedInit {
    pub keys: MessageKeys,
    pub key_data: Vec<KeyData>,
}

/// Verifies the KEMAC MAC (whole-message coverage, over the bytes as received) with keys
/// from `psk`, then decrypts.
pub fn open_init(
    p: &ParsedInit<'_>,
    psk: &[u8],
    profile: KemacProfile,
    label: &str,
    meter: &mut Meter,
) -> Result<OpenedInit, Error> {
    let (_, k) = core::kemac(&p.decoded.message, label)?;
    let profile = core::kemac_profile(&k, profile, label)?;
    let c = &p.content;
    let keys =
        MessageKeys::derive(crypto_prf(c.hdr.prf), psk, c.hdr.csb_id, &c.rand, profile, meter);
    let plain = open_kemac(
        p.decoded,
        p.kemac_idx,
        &keys,
        profile,
        Coverage::WholeMessage,
        &c.t,
        label,
        meter,
    )?;
    let (id, key_data, _) = decode_key_data_chain(&plain, false)?;
    if id.is_some() {
        return Err(Error::ExtraPayload {
            message: label.to_string(),
            payload: "ID (inside the KEMAC)",
        });
    }
    Ok(OpenedInit { keys, key_data })
}

/// Builds a verification message `HDR(dt), T, [IDr], [GenExt], V` whose V MAC covers
/// `M || id_i || id_r || T` with `auth_key`.
#[allow(clippy::too_many_arguments)]
pub fn build_verify(
    hdr: &Hdr,
    dt: DataType,
    t: Timestamp,
    id_r: Option<&Id>,
    ext: Option<GenExt>,
    auth_key: &[u8],
    id_i_data: &[u8],
    id_r_data: &[u8],
    meter: &mut Meter,
) -> Result<Vec<u8>, Error> {
    let mut hdr = hdr.clone();
    hdr.data_type = dt;
    hdr.v_flag = false;
    let mut payloads = vec![Payload::T(T(t))];
    if let Some(r) = id_r {
        payloads.push(Payload::Id(r.clone()));
    }
    if let Some(g) = ext {
        payloads.push(Payload::GenExt(g));
    }
    encode_with_v(hdr, payloads, auth_key, id_i_data, id_r_data, &t, meter)
}

/// A verification message whose structure is checked (V not yet).
#[derive(Debug, Clone)]
pub struct ParsedVerify<'a> {
    pub decoded: &'a Decoded,
    pub hdr: Hdr,
    pub t: Timestamp,
    pub id_r: Option<Id>,
    pub ext: Option<GenExt>,
}

/// Checks the data type (`dt`) and template of a decoded verification message.
pub fn parse_verify<'a>(
    decoded: &'a Decoded,
    dt: DataType,
    label: &str,
) -> Result<ParsedVerify<'a>, Error> {
    let msg = &decoded.message;
    expect_data_type(&msg.hdr, dt, label)?;
    check_template(
        msg,
        label,
        &[Slot(K::T, 1, 1), Slot(K::Id, 0, 1), Slot(K::GenExt, 0, 1), Slot(K::V, 1, 1)],
    )?;
    let hdr = msg.hdr.clone();
    let t = core::timestamp(msg, label)?;
    let id_r = msg.ids().first().map(|i| (*i).clone());
    let ext = msg
        .payloads
        .iter()
        .find_map(|p| if let Payload::GenExt(g) = p { Some(g.clone()) } else { None });
    Ok(ParsedVerify { decoded, hdr, t, id_r, ext })
}

/// Checks the V MAC of a parsed verification message (over its bytes as received).
pub fn check_verify(
    p: &ParsedVerify<'_>,
    auth_key: &[u8],
    id_i_data: &[u8],
    id_r_data: &[u8],
    label: &str,
    meter: &mut Meter,
) -> Result<(), Error> {
    verify_v(p.decoded, auth_key, id_i_data, id_r_data, &p.t, label, meter)
}
