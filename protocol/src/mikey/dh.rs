//! RFC 3830 §3.3 signed Diffie–Hellman mode, OAKLEY group 5 (so Wireshark dissects it):
//! `I_MESSAGE = HDR(dt4), T, RAND, CERTi, [IDr], {SP}, DHi, SIGNi` and
//! `R_MESSAGE = HDR(dt5), T, CERTr, IDi, DHr, DHi, SIGNr`. The TGK is the DH shared secret.
//! This is the baseline the paper rules out for sensors (two exponentiations and an RSA
//! signature on the sensor); it feeds the cost comparison.

use super::core::{self, Slot, check_template, expect_data_type};
use super::pk::sign_tail;
use super::pkix::{self, RsaPrivate};
use crate::cost::Meter;
use crate::crypto::rng::Rng;
use crate::crypto::rsa::SignPadding;
use crate::error::Error;
use crate::wire::{
    Cert, CertType, DataType, Decoded, Dh, DhGroup, Hdr, Id, KeyValidity, Payload,
    PayloadKind as K, Rand, Sign, Sp, T, Timestamp,
};

/// The cleartext of a DH I_MESSAGE.
#[derive(Debug, Clone)]
pub struct DhInit {
    pub hdr: Hdr,
    pub t: Timestamp,
    pub rand: Vec<u8>,
    pub cert_i: Vec<u8>,
    pub id_r: Option<Id>,
    pub sp: Vec<Sp>,
    /// g^x, 192 bytes.
    pub dh_i: Vec<u8>,
}

fn dh_payload(v: &[u8]) -> Payload {
    Payload::Dh(Dh { group: DhGroup::Oakley5, value: v.to_vec(), kv: KeyValidity::Null })
}

/// Builds and signs the DH I_MESSAGE.
pub fn build_init(
    c: &DhInit,
    key: &RsaPrivate,
    pad: SignPadding,
    rng: &mut dyn Rng,
    meter: &mut Meter,
) -> Result<Vec<u8>, Error> {
    let sig_len = pkix::modulus_len(key);
    let mut bytes = build_init_unsigned(c, pad, sig_len);
    sign_tail(&mut bytes, sig_len, key, pad, rng, meter)?;
    Ok(bytes)
}

/// The DH I_MESSAGE with a SIGN payload of `sig_len` zero bytes, for [`sign_tail`] to fill.
pub fn build_init_unsigned(c: &DhInit, pad: SignPadding, sig_len: usize) -> Vec<u8> {
    let mut hdr = c.hdr.clone();
    hdr.data_type = DataType::DhInit;
    let mut payloads = vec![
        Payload::T(T(c.t)),
        Payload::Rand(Rand(c.rand.clone())),
        Payload::Cert(Cert { cert_type: CertType::X509v3Sign, data: c.cert_i.clone() }),
    ];
    if let Some(r) = &c.id_r {
        payloads.push(Payload::Id(r.clone()));
    }
    payloads.extend(c.sp.iter().cloned().map(Payload::Sp));
    payloads.push(dh_payload(&c.dh_i));
    payloads.push(Payload::Sign(Sign { stype: pkix::sign_type(pad), signature: vec![0; sig_len] }));
    crate::wire::Message { hdr, payloads }.encode()
}

/// A DH I_MESSAGE whose structure is checked (signature not yet).
#[derive(Debug, Clone)]
pub struct ParsedInit<'a> {
    pub decoded: &'a Decoded,
    pub content: DhInit,
}

fn dh_values(msg: &crate::wire::Message, label: &str) -> Result<Vec<Vec<u8>>, Error> {
    let mut out = Vec::new();
    for p in &msg.payloads {
        if let Payload::Dh(d) = p {
            if d.group != DhGroup::Oakley5 {
                return Err(Error::DhGroupUnsupported {
                    message: label.to_string(),
                    group: d.group.to_u8(),
                });
            }
            out.push(d.value.clone());
        }
    }
    Ok(out)
}

fn first_cert(msg: &crate::wire::Message, label: &str) -> Result<Vec<u8>, Error> {
    msg.payloads
        .iter()
        .find_map(|p| if let Payload::Cert(c) = p { Some(c.data.clone()) } else { None })
        .ok_or_else(|| Error::PayloadMissing { message: label.to_string(), payload: "CERT" })
}

/// Checks the template of a decoded DH I_MESSAGE.
pub fn parse_init<'a>(decoded: &'a Decoded, label: &str) -> Result<ParsedInit<'a>, Error> {
    let msg = &decoded.message;
    expect_data_type(&msg.hdr, DataType::DhInit, label)?;
    check_template(
        msg,
        label,
        &[
            Slot(K::T, 1, 1),
            Slot(K::Rand, 1, 1),
            Slot(K::Cert, 1, 8),
            Slot(K::Id, 0, 1),
            Slot(K::Sp, 0, 255),
            Slot(K::Dh, 1, 1),
            Slot(K::Sign, 1, 1),
        ],
    )?;
    let dh = dh_values(msg, label)?;
    let content = DhInit {
        hdr: msg.hdr.clone(),
        t: core::timestamp(msg, label)?,
        rand: core::rand(msg, label)?,
        cert_i: first_cert(msg, label)?,
        id_r: msg.ids().first().map(|i| (*i).clone()),
        sp: msg
            .payloads
            .iter()
            .filter_map(|p| if let Payload::Sp(s) = p { Some(s.clone()) } else { None })
            .collect(),
        dh_i: dh.into_iter().next().unwrap_or_default(),
    };
    Ok(ParsedInit { decoded, content })
}

/// The cleartext of a DH R_MESSAGE.
#[derive(Debug, Clone)]
pub struct DhResp {
    pub hdr: Hdr,
    /// The initiator's T, echoed.
    pub t: Timestamp,
    pub cert_r: Vec<u8>,
    pub id_i: Id,
    pub dh_r: Vec<u8>,
    pub dh_i: Vec<u8>,
}

/// Builds and signs the DH R_MESSAGE.
pub fn build_resp(
    c: &DhResp,
    key: &RsaPrivate,
    pad: SignPadding,
    rng: &mut dyn Rng,
    meter: &mut Meter,
) -> Result<Vec<u8>, Error> {
    let sig_len = pkix::modulus_len(key);
    let mut bytes = build_resp_unsigned(c, pad, sig_len);
    sign_tail(&mut bytes, sig_len, key, pad, rng, meter)?;
    Ok(bytes)
}

/// The DH R_MESSAGE with a SIGN payload of `sig_len` zero bytes, for [`sign_tail`] to fill.
pub fn build_resp_unsigned(c: &DhResp, pad: SignPadding, sig_len: usize) -> Vec<u8> {
    let mut hdr = c.hdr.clone();
    hdr.data_type = DataType::DhResp;
    hdr.v_flag = false;
    let payloads = vec![
        Payload::T(T(c.t)),
        Payload::Cert(Cert { cert_type: CertType::X509v3Sign, data: c.cert_r.clone() }),
        Payload::Id(c.id_i.clone()),
        dh_payload(&c.dh_r),
        dh_payload(&c.dh_i),
        Payload::Sign(Sign { stype: pkix::sign_type(pad), signature: vec![0; sig_len] }),
    ];
    crate::wire::Message { hdr, payloads }.encode()
}

/// A DH R_MESSAGE whose structure is checked (signature not yet).
#[derive(Debug, Clone)]
pub struct ParsedResp<'a> {
    pub decoded: &'a Decoded,
    pub content: DhResp,
}

/// Checks the template of a decoded DH R_MESSAGE.
pub fn parse_resp<'a>(decoded: &'a Decoded, label: &str) -> Result<ParsedResp<'a>, Error> {
    let msg = &decoded.message;
    expect_data_type(&msg.hdr, DataType::DhResp, label)?;
    check_template(
        msg,
        label,
        &[
            Slot(K::T, 1, 1),
            Slot(K::Cert, 1, 8),
            Slot(K::Id, 1, 1),
            Slot(K::Dh, 2, 2),
            Slot(K::Sign, 1, 1),
        ],
    )?;
    let mut dh = dh_values(msg, label)?.into_iter();
    let content = DhResp {
        hdr: msg.hdr.clone(),
        t: core::timestamp(msg, label)?,
        cert_r: first_cert(msg, label)?,
        id_i: msg.ids().first().map(|i| (*i).clone()).ok_or_else(|| Error::PayloadMissing {
            message: label.to_string(),
            payload: "ID (IDi)",
        })?,
        dh_r: dh.next().unwrap_or_default(),
        dh_i: dh.next().unwrap_or_default(),
    };
    Ok(ParsedResp { decoded, content })
}
