//! ERR messages (RFC 3830 §5.1.2; docs/distributed-mode.md, "Errors"): `HDR(dt6, V0), T, ERR, [V]`.
//! HDR version, PRF, CSB ID and CS map are copied from the failing message; T is fresh. The V
//! payload is present only when the failing message authenticated (its keys are then known); an
//! unauthenticated error is only a hint.

use super::core::{self, Slot, check_template, encode_with_v, expect_data_type};
use crate::cost::Meter;
use crate::error::Error;
use crate::wire::{
    DataType, Decoded, Err as ErrPayload, ErrorNo, Hdr, Message, Payload, PayloadKind as K, T,
    Timestamp,
};

/// Keys and identities for an authenticated ERR.
pub struct ErrAuth<'a> {
    pub auth_key: &'a [u8],
    pub id_i: &'a [u8],
    pub id_r: &'a [u8],
}

/// Builds an ERR message answering a message with header `failing`.
pub fn build(
    failing: &Hdr,
    t: Timestamp,
    code: ErrorNo,
    auth: Option<ErrAuth<'_>>,
    meter: &mut Meter,
) -> Result<Vec<u8>, Error> {
    let mut hdr = failing.clone();
    hdr.data_type = DataType::Error;
    hdr.v_flag = false;
    let payloads = vec![Payload::T(T(t)), Payload::Err(ErrPayload { code })];
    match auth {
        Some(a) => encode_with_v(hdr, payloads, a.auth_key, a.id_i, a.id_r, &t, meter),
        None => Ok(Message { hdr, payloads }.encode()),
    }
}

/// An ERR message whose structure is checked (V, if any, not yet).
#[derive(Debug, Clone)]
pub struct ParsedErr<'a> {
    pub decoded: &'a Decoded,
    pub t: Timestamp,
    pub code: ErrorNo,
    pub has_v: bool,
}

/// Checks the template of a decoded ERR message.
pub fn parse<'a>(decoded: &'a Decoded, label: &str) -> Result<ParsedErr<'a>, Error> {
    let msg = &decoded.message;
    expect_data_type(&msg.hdr, DataType::Error, label)?;
    check_template(msg, label, &[Slot(K::T, 1, 1), Slot(K::Err, 1, 1), Slot(K::V, 0, 1)])?;
    let t = core::timestamp(msg, label)?;
    let code = msg
        .payloads
        .iter()
        .find_map(|p| if let Payload::Err(e) = p { Some(e.code) } else { None })
        .ok_or_else(|| Error::PayloadMissing { message: label.to_string(), payload: "ERR" })?;
    let has_v = matches!(msg.payloads.last(), Some(Payload::V(_)));
    Ok(ParsedErr { decoded, t, code, has_v })
}

/// Verifies the V payload of an authenticated ERR (over its bytes as received).
pub fn verify(
    p: &ParsedErr<'_>,
    a: ErrAuth<'_>,
    label: &str,
    meter: &mut Meter,
) -> Result<(), Error> {
    core::verify_v(p.decoded, a.auth_key, a.id_i, a.id_r, &p.t, label, meter)
}
